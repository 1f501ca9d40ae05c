import ExcelJS from 'exceljs';
import { test, expect, snap } from './fixtures';
import { BackendApi, PAYER, PUPIL, PUPIL_BAD_TAX_CODE, seedOffice } from './pages/backend-api';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';
import { ImportPage } from './pages/import-page';
import { Shell } from './pages/shell';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

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
  'Anno scolastico',
  'Giorni di fruizione',
  'Modalità di pagamento',
];

const VERDI = {
  firstName: 'Giulia',
  lastName: 'Verdi',
  birthDate: '2016-11-02',
  taxCode: buildCodiceFiscale({ lastName: 'Verdi', firstName: 'Giulia', birthDate: '2016-11-02', sex: 'F', belfiore: 'C800' }),
};

async function workbook(rows: (string | Date)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Iscritti');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function row(p: { firstName: string; lastName: string; birthDate: string; taxCode: string }, year: string): string[] {
  return [
    p.lastName,
    p.firstName,
    p.taxCode,
    p.birthDate.split('-').reverse().join('/'),
    'Scuola primaria Dante Alighieri',
    '3A',
    PAYER.lastName,
    PAYER.firstName,
    PAYER.taxCode,
    PAYER.email,
    PAYER.mobile,
    year,
    'L-M-V',
    'prepagato',
  ];
}

test('importazione da Excel: la riga sbagliata blocca tutto e nulla è salvato; il file corretto si importa', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  const year = office.years.current.label;

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Importazione');
  const imports = new ImportPage(page);

  const bad = await workbook([row(VERDI, year), row({ ...PUPIL, taxCode: PUPIL_BAD_TAX_CODE }, year)]);
  await imports.choose({ name: 'iscritti-con-errore.xlsx', buffer: bad, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  await expect(imports.verdict()).toContainText('1 riga con errori su 2');
  // the mapping was proposed from the headers
  await expect(page.getByRole('textbox', { name: "Colonna per Codice fiscale dell'alunno" })).toHaveValue('Codice fiscale alunno');
  // the bad row is shown with its Italian message on the codice fiscale
  await expect(imports.preview()).toContainText(PUPIL_BAD_TAX_CODE);
  await expect(page.getByTestId('import-row-detail')).toContainText('Riga 3 del file');
  await expect(page.getByTestId('import-row-detail')).toContainText(/codice fiscale/i);
  await expect(imports.importButton()).toBeDisabled();
  await snap(page, screenshotDir, '50-importazione-con-errori');
  const before = await api.call('pupils.list', {});
  expect(before.total).toBe(0);

  const good = await workbook([row(VERDI, year), row(PUPIL, year)]);
  await imports.choose({ name: 'iscritti.xlsx', buffer: good, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  await expect(imports.verdict()).toContainText('2 righe senza errori');
  await expect(imports.importButton()).toBeEnabled();
  await snap(page, screenshotDir, '51-importazione-pronta');
  await imports.importButton().click();
  await expect(imports.result()).toBeVisible();
  await expect(page.getByTestId('import-new-pupils')).toHaveText('2');
  await expect(page.getByTestId('import-enrollments')).toHaveText('2');
  await snap(page, screenshotDir, '52-importazione-completata');

  const after = await api.call('pupils.list', {});
  expect(after.total).toBe(2);
  const enrolled = await api.call('enrollments.list', { schoolYearId: office.year.id });
  expect(enrolled.rows.map((e) => e.weekdays)).toEqual([[1, 3, 5], [1, 3, 5]]);
});
