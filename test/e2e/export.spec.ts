import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { test, expect } from './fixtures';
import { BackendApi, PAYER, PUPIL, seedOffice } from './pages/backend-api';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';
import { Shell } from './pages/shell';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

async function readSheet(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { name: ws.name, rows };
}

test('esporta in Excel l\'elenco filtrato degli alunni e delle iscrizioni e lo rilegge', async ({ page, app }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  const bianchi = await api.call('pupils.create', { ...PUPIL, schoolId: office.school.id, classId: office.cls.id });
  await api.call('pupils.create', {
    firstName: 'Giulia',
    lastName: 'Verdi',
    birthDate: '2016-11-02',
    taxCode: buildCodiceFiscale({ lastName: 'Verdi', firstName: 'Giulia', birthDate: '2016-11-02', sex: 'F', belfiore: 'C800' }),
    schoolId: office.school.id,
  });
  const payer = await api.call('payers.create', PAYER);
  await api.call('enrollments.create', { pupilId: bianchi.id, payerId: payer.id, schoolYearId: office.year.id, schoolId: office.school.id, classId: office.cls.id, weekdays: [1, 3, 5], paymentMethod: 'sdd' });

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Alunni');
  await expect(page.getByTestId('list-total')).toHaveText('2 alunni');
  await page.getByRole('textbox', { name: 'Cerca alunni' }).fill('bianchi');
  await expect(page.getByTestId('list-total')).toHaveText('1 alunno');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Esporta Excel' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^alunni.*\.xlsx$/);
  const file = await download.path();
  expect(fs.statSync(file).size).toBeGreaterThan(1000);
  const sheet = await readSheet(file);
  expect(sheet.rows[0]).toEqual(['Cognome', 'Nome', 'Data di nascita', 'Codice fiscale', 'Codice utente', 'Codice disdetta', 'Comune', 'Scuola', 'Classe', 'Saldo mensa', 'Saldo totale']);
  // the filter on screen is the filter of the file: only Bianchi
  expect(sheet.rows).toHaveLength(2);
  const [lastName, firstName, birth, taxCode, userCode, , municipality, school, cls, balance, totalBalance] = sheet.rows[1];
  // no meal and no top-up yet: both balances are zero euro
  expect([balance, totalBalance]).toEqual([0, 0]);
  expect([lastName, firstName, taxCode, userCode, municipality, school, cls]).toEqual(['Bianchi', 'Luca', PUPIL.taxCode, bianchi.userCode, 'Clusone', 'Scuola primaria Dante Alighieri', '3A']);
  expect((birth as Date).toISOString().slice(0, 10)).toBe(PUPIL.birthDate);

  await shell.go('Iscrizioni');
  await expect(page.getByTestId('list-total')).toHaveText('1 iscrizione');
  const [download2] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Esporta Excel' }).click()]);
  const enrolled = await readSheet(await download2.path());
  expect(enrolled.rows[0]).toContain('Giorni');
  const header = enrolled.rows[0] as string[];
  const line = enrolled.rows[1];
  expect(line[header.indexOf('Alunno')]).toBe('Bianchi Luca');
  expect(line[header.indexOf('Giorni')]).toBe('Lun Mer Ven');
  expect(line[header.indexOf('Pagamento')]).toBe('SDD');
  expect(line[header.indexOf('Stato')]).toBe('Attiva');
  expect(line[header.indexOf('Pagante')]).toBe('Rossi Mario');
});
