import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from '@playwright/test';
import { test, expect, snap } from './fixtures';
import { BackendApi, PAYER, seedOffice } from './pages/backend-api';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';
import { ImportPage } from './pages/import-page';
import { Shell } from './pages/shell';

// the commonest office laptop screen; screenshots without modals caught half-way through their animation
test.use({ viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' });

/** A full-page screenshot from the top of the page (the fixed header stays where it belongs). */
async function shot(page: Page, dir: string, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await snap(page, dir, name);
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The previous system's export: «COMUNE» is the payer's town here, no school year column. */
const HEADERS = [
  'Cognome alunno',
  'Nome alunno',
  'Codice fiscale alunno',
  'Data di nascita',
  'Scuola',
  'Classe',
  'Cognome genitore',
  'Nome genitore',
  'Codice fiscale genitore',
  'E-mail',
  'Cellulare',
  'COMUNE',
  'Giorni di fruizione',
];

const SCHOOL = 'Scuola primaria Dante Alighieri';

interface Kid {
  lastName: string;
  firstName: string;
  birthDate: string;
  sex: 'M' | 'F';
}

const KIDS: Kid[] = [
  { lastName: 'Verdi', firstName: 'Giulia', birthDate: '2016-11-02', sex: 'F' },
  { lastName: 'Neri', firstName: 'Marco', birthDate: '2017-01-20', sex: 'M' },
  { lastName: 'Gialli', firstName: 'Sara', birthDate: '2016-04-11', sex: 'F' },
  { lastName: 'Russo', firstName: 'Paolo', birthDate: '2017-06-30', sex: 'M' },
  { lastName: 'Ferrari', firstName: 'Anna', birthDate: '2016-09-09', sex: 'F' },
  { lastName: 'Esposito', firstName: 'Luca', birthDate: '2017-02-14', sex: 'M' },
  { lastName: 'Romano', firstName: 'Elena', birthDate: '2016-12-01', sex: 'F' },
  { lastName: 'Colombo', firstName: 'Pietro', birthDate: '2017-03-03', sex: 'M' },
];

const cf = (k: Kid) => buildCodiceFiscale({ ...k, belfiore: 'C800' });

/** A row with the birth date as an Excel date cell (shown gg/mm/aaaa by the preview, never ISO). */
function row(k: Kid, patch: Partial<Record<(typeof HEADERS)[number], string>> = {}): (string | Date)[] {
  const [y, m, d] = k.birthDate.split('-').map(Number);
  const values: Record<string, string | Date> = {
    'Cognome alunno': k.lastName,
    'Nome alunno': k.firstName,
    'Codice fiscale alunno': cf(k),
    'Data di nascita': new Date(Date.UTC(y, m - 1, d)),
    Scuola: SCHOOL,
    Classe: '3A',
    'Cognome genitore': PAYER.lastName,
    'Nome genitore': PAYER.firstName,
    'Codice fiscale genitore': PAYER.taxCode,
    'E-mail': PAYER.email,
    Cellulare: PAYER.mobile,
    COMUNE: 'Rovetta',
    'Giorni di fruizione': 'L-M-V',
    ...patch,
  };
  return HEADERS.map((h) => values[h]);
}

async function workbook(rows: (string | Date)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Iscritti');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('importazione di un file con 3 righe valide su 8: la domanda sulla colonna COMUNE, errori e avvisi, solo le righe valide dopo la conferma, le righe scartate scaricate, corrette e reimportate', async ({
  page,
  app,
  screenshotDir,
}) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Importazione');
  const imports = new ImportPage(page);

  // the template, offered before any file
  const template = await imports.download(page.getByTestId('import-template'));
  expect(template.suggestedFilename()).toBe('modello-importazione-iscritti.xlsx');
  const model = new ExcelJS.Workbook();
  await model.xlsx.load(fs.readFileSync(await template.path()) as unknown as ArrayBuffer);
  const modelHeaders = (model.worksheets[0].getRow(1).values as string[]).slice(1);
  expect(modelHeaders.slice(0, 5)).toEqual(['Cognome alunno', 'Nome alunno', 'Data di nascita', 'Codice fiscale alunno', 'Scuola']);
  expect(model.worksheets[0].getRow(2).getCell(5).value).toBe(SCHOOL);

  // rows 2, 5 and 8 of the sheet are good; 4B is a class the import creates (a warning)
  const file = await workbook([
    row(KIDS[0], { Classe: '4B' }),
    row(KIDS[1], { 'Codice fiscale alunno': cf(KIDS[1]).slice(0, 15) + (cf(KIDS[1])[15] === 'A' ? 'B' : 'A') }),
    row(KIDS[2], { 'E-mail': '' }),
    row(KIDS[3]),
    row(KIDS[4], { Scuola: 'Scuola primaria Manzoni' }),
    row(KIDS[5], { Cellulare: '12345' }),
    row(KIDS[6]),
    row(KIDS[7], { 'Giorni di fruizione': 'sabato' }),
  ]);
  await imports.choose({ name: 'iscritti-sistema-vecchio.xlsx', buffer: file, mimeType: XLSX });

  // «COMUNE» is asked; the year is the current one, not «from the file's column»
  await expect(imports.questions()).toContainText('Che cosa contiene la colonna «COMUNE»?');
  await expect(page.getByTestId('import-year')).toHaveValue(office.year.label);
  await expect(imports.importButton()).toBeDisabled();
  await shot(page, screenshotDir, '53-importazione-domanda-comune');
  await imports.questions().getByLabel('il comune di residenza del pagante').click();
  await expect(imports.verdict()).toContainText('5 righe con errori su 8, 3 valide', { timeout: 60_000 });

  // the choice is in the table's header; the dates are Italian dates; errors and warnings each have a column
  await imports.showAllRows();
  const table = imports.preview();
  await expect(table).toContainText('Comune di residenza ← COMUNE');
  await expect(table).toContainText('02/11/2016');
  await expect(table).not.toContainText('2016-11-02');
  await expect(table.getByText('Avvisi', { exact: true })).toBeVisible();
  await expect(table).toContainText('La classe 4B');
  await expect(table).toContainText("Codice fiscale dell'alunno non valido");
  await expect(table).toContainText('Scuola «Scuola primaria Manzoni» non trovata');
  await expect(page.getByTestId('import-warnings')).toContainText('colonna «Avvisi»');
  await expect(imports.importButton()).toBeDisabled();
  await shot(page, screenshotDir, '54-importazione-3-valide-su-8');

  // only the valid rows, after an explicit confirmation
  await imports.validButton().click();
  const confirm = page.getByTestId('import-valid-confirm');
  await expect(confirm).toHaveText('Importa solo le 3 righe valide su 8');
  // the dialog as the operator sees it on the 1366x768 screen
  await page.screenshot({ path: path.join(screenshotDir, '55-importazione-conferma-righe-valide.png') });
  await confirm.click();
  await expect(imports.result()).toBeVisible();
  await expect(page.getByTestId('import-imported-rows')).toHaveText('3');
  await expect(page.getByTestId('import-rejected-count')).toContainText('5 righe con errori non sono state importate');
  expect((await api.call('pupils.list', {})).total).toBe(3);
  await shot(page, screenshotDir, '56-importazione-righe-valide-importate');

  // the rejected rows: the file's columns plus «Errore»
  const download = await imports.download(page.getByTestId('import-result-rejected'));
  expect(download.suggestedFilename()).toBe('iscritti-sistema-vecchio-righe-scartate.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(await download.path()) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  expect((ws.getRow(1).values as string[]).slice(1)).toEqual([...HEADERS, 'Errore']);
  expect(ws.rowCount).toBe(6);
  const schoolCol = HEADERS.indexOf('Scuola') + 1;
  const fixRow = [2, 3, 4, 5, 6].find((r) => ws.getRow(r).getCell(schoolCol).value === 'Scuola primaria Manzoni')!;
  expect(ws.getRow(fixRow).getCell(HEADERS.length + 1).text).toContain('Scuola «Scuola primaria Manzoni» non trovata');

  // the office fixes that row and imports the file again: same layout, same choices
  ws.getRow(fixRow).getCell(schoolCol).value = SCHOOL;
  await imports.choose({ name: download.suggestedFilename(), buffer: Buffer.from(await wb.xlsx.writeBuffer()), mimeType: XLSX });
  await expect(imports.questions()).toHaveCount(1);
  await expect(imports.questions().getByLabel('il comune di residenza del pagante')).toBeChecked();
  await expect(page.getByTestId('import-layout')).toBeVisible();
  await expect(imports.verdict()).toContainText('4 righe con errori su 5, 1 valida');
  await shot(page, screenshotDir, '57-importazione-righe-corrette');
  await imports.validButton().click();
  await expect(page.getByTestId('import-valid-confirm')).toHaveText('Importa solo la riga valida su 5');
  await page.getByTestId('import-valid-confirm').click();
  await expect(page.getByTestId('import-imported-rows')).toHaveText('1');

  const pupils = await api.call('pupils.list', {});
  expect(pupils.total).toBe(4);
  expect(pupils.rows.map((p) => p.lastName).sort()).toEqual(['Ferrari', 'Romano', 'Russo', 'Verdi']);
  const payers = await api.call('payers.list', {});
  expect(payers.rows.map((p) => p.town)).toEqual(['Rovetta']);
});
