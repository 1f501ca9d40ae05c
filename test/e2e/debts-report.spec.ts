import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { test, expect, snap, type AppServer } from './fixtures';
import { BackendApi, seedOffice } from './pages/backend-api';
import { Shell } from './pages/shell';
import { DebtReportPage } from './pages/debts-report-page';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';
import { TEST_CATERER } from '../support/people';

/**
 * D1 end to end (issue 11): Monday 16 November 2026 in Clusone. The Ferri family owes since
 * September and went through Clusone's whole procedure (reminder on 1 October, written reminder on
 * 16 October, formal notice by registered letter on 31 October, delivered on 2 November, 15 days
 * to pay: passed). The supervisor opens "Morosi per il comune", downloads the municipality's Excel
 * and the family's evidence pack; the dashboard shows the totals by age. An operator sees neither
 * the page, nor the totals, and the backend refuses them the files.
 */
test.use({ viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' });
test.describe.configure({ timeout: 400_000 });

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The command line on the test's database at a past moment (the office's earlier weeks). */
function cliAt(app: AppServer, at: string, name: string, input: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, RETTE_DB: app.dbFile, RETTE_DATA_DIR: app.dataDir };
    delete env.RETTE_CLOCK;
    delete env.RETTE_CLOCK_FROM;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), 'call', name, JSON.stringify(input), '--clock', at, '--user', 'admin'], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} alle ${at}: ${out}`))));
  });
}

test("D1, D3: il supervisore scarica l'Excel del comune e il fascicolo di una famiglia; l'operatore non li vede", async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  await api.call('caterer.update', { ...TEST_CATERER, version: 0 });
  await api.call('users.create', { username: 'mrossi', displayName: 'Mario Rossi', role: 'operatore', password: 'password-operatore' });
  const payer = await api.call('payers.create', {
    firstName: 'Paolo',
    lastName: 'Ferri',
    taxCode: buildCodiceFiscale({ lastName: 'Ferri', firstName: 'Paolo', birthDate: '1981-04-12', sex: 'M', belfiore: 'C800' }),
    email: 'ferri@example.it',
    mobile: '347 765 4321',
    street: 'Via Garibaldi',
    streetNumber: '7',
    postcode: '24023',
    town: 'Clusone',
    province: 'BG',
    iban: null,
    ibanHolder: null,
  });
  const pupil = await api.call('pupils.create', {
    firstName: 'Giulia',
    lastName: 'Ferri',
    birthDate: '2017-05-02',
    taxCode: buildCodiceFiscale({ lastName: 'Ferri', firstName: 'Giulia', birthDate: '2017-05-02', sex: 'F', belfiore: 'C800' }),
    schoolId: office.school.id,
    classId: office.cls.id,
  });
  await api.call('enrollments.create', { pupilId: pupil.id, payerId: payer.id, schoolYearId: office.year.id, schoolId: office.school.id, classId: office.cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato', startsOn: '2026-11-16' });

  // the earlier weeks, on the command line at their own moments
  const family = [{ payerId: payer.id, municipalityId: office.clusone.id }];
  await cliAt(app, '2026-09-30T08:00:00Z', 'ledger.adjust', { pupilId: pupil.id, amountCents: -8600, reason: 'Pasti di settembre non pagati' });
  await cliAt(app, '2026-10-01T08:00:00Z', 'debts.steps.record', { stepPosition: 1, families: family });
  await cliAt(app, '2026-10-16T08:00:00Z', 'debts.steps.record', { stepPosition: 2, families: family });
  const third = JSON.parse(await cliAt(app, '2026-10-31T08:00:00Z', 'debts.steps.record', { stepPosition: 3, families: family })) as { id: number }[];
  const receipt = await PDFDocument.create();
  receipt.addPage([420, 300]).drawText('AVVISO DI RICEVIMENTO RR 6123 4567 890', { x: 30, y: 200, size: 14, font: await receipt.embedFont(StandardFonts.Helvetica) });
  const evidence = { fileName: 'cartolina-ferri.pdf', contentBase64: Buffer.from(await receipt.save()).toString('base64') };
  await cliAt(app, '2026-11-03T08:00:00Z', 'debts.deliveries.record', { stepId: third[0].id, deliveredOn: '2026-11-02', receiptNumber: 'RR 6123 4567 890', evidence });

  // the supervisor (the administrator): the dashboard's totals by age, then the municipality's list
  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  const totals = page.getByTestId('debt-totals-card');
  await expect(totals).toContainText('Clusone');
  await expect(totals.getByTestId('debt-totals-total')).toHaveText(/86,00/);
  await expect(totals).toContainText('31-90 giorni');
  await snap(page, screenshotDir, 'morosita-cruscotto-totali-1366x768');

  await shell.go('Morosi per il comune');
  const report = new DebtReportPage(page);
  await report.chooseMunicipality('Clusone');
  await expect(report.rows()).toHaveCount(1);
  await expect(report.rows().first()).toContainText('Ferri Paolo');
  await expect(report.rows().first()).toContainText('Ferri Giulia');
  await expect(report.rows().first()).toContainText('Diffida e messa in mora del 31/10/2026 · consegnata il 02/11/2026 · ric. RR 6123 4567 890');
  await expect(report.total()).toContainText(/1 famiglia · 86,00/);
  await snap(page, screenshotDir, 'morosita-comune-1366x768');

  const xlsx = await report.download(page.getByTestId('report-xlsx'));
  expect(xlsx.name).toBe('morosi-clusone-2026-11-16.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx.path);
  const ws = wb.getWorksheet('Morosi')!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  const cell = (row: number, name: string) => ws.getRow(row).getCell(header.indexOf(name) + 1).value;
  expect(cell(2, 'Pagante')).toBe('Ferri Paolo');
  expect(cell(2, 'Importo dovuto')).toBe(86);
  expect(cell(2, 'Dovuto 2026/2027')).toBe(86);
  expect(cell(2, 'Consegnato il')).toEqual(new Date(Date.UTC(2026, 10, 2)));
  expect(cell(3, 'Pagante')).toBe('Totale (1 famiglia)');

  const pack = await report.download(page.getByTestId(`evidence-pack-${payer.id}`));
  expect(pack.name).toBe('fascicolo-clusone-Ferri-Paolo-2026-11-16.pdf');
  const text = execFileSync('pdftotext', [pack.path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('Fascicolo del debitore per la riscossione coattiva');
  expect(text).toContain('Estratto conto della famiglia');
  expect(text).toContain('Sollecito scritto');
  expect(text).toContain('La diffidiamo formalmente');
  expect(text).toContain('AVVISO DI RICEVIMENTO RR 6123 4567 890');
  const audit = await api.call('audit.list', { limit: 50 });
  expect(JSON.stringify(audit)).toContain('fascicolo del debitore per il comune');

  // an operator: no menu entry, no totals on the dashboard, and the backend refuses the files
  await shell.logout();
  const operator = await Shell.open(page, app, 'mrossi', 'password-operatore');
  await expect(operator.navLink('Morosità')).toBeVisible();
  await expect(operator.navLink('Morosi per il comune')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 2, name: 'Cruscotto' })).toBeVisible();
  await expect(page.getByTestId('debt-totals-card')).toHaveCount(0);
  await page.evaluate(() => (window.location.hash = '/morosita/comune'));
  await expect(page.getByRole('heading', { level: 2, name: 'Morosi per il comune' })).toHaveCount(0);
  const session = await api.login('mrossi', 'password-operatore');
  for (const [name, input] of [
    ['debts.report.workbook', { municipalityId: office.clusone.id }],
    ['debts.evidencePack', { payerId: payer.id, municipalityId: office.clusone.id }],
  ] as const) {
    const r = await api.raw(name, input, session);
    expect(r.ok ? 'ok' : r.error.code).toBe('FORBIDDEN');
  }
});
