import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, snap } from './fixtures';
import { BackendApi, PAYER, seedOffice } from './pages/backend-api';
import { readSheet } from './pages/canteen-data';
import { Shell } from './pages/shell';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';

/**
 * Issue 12, "the audit log, printouts and exports for people": the audit log names the operation
 * in Italian and the payer by name; the kitchen printout puts each school on its own pages with
 * the school repeated on each; an empty archive says so and offers «Inserisci il primo …» and the import; an
 * export with nothing in it is refused with a notice. Monday 16 November 2026, 08:30 in Rome (the
 * fixture's clock), on the commonest office laptop screen.
 */
test.use({ viewport: { width: 1366, height: 768 } });
test.describe.configure({ timeout: 240_000 });

test('il registro delle modifiche: operazioni in italiano, «Mario Rossi», prima → dopo, Excel con date vere', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedOffice(api);
  const payer = await api.call('payers.create', PAYER);
  await api.call('payers.update', { ...PAYER, id: payer.id, version: payer.version, mobile: '333 765 4321' });

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Registro modifiche');
  const table = page.getByTestId('audit-table');
  const row = table.getByRole('row').filter({ hasText: 'Modifica pagante' });
  await expect(row).toContainText('Mario Rossi');
  await expect(row).toContainText('Pagante');
  await expect(row).toContainText('Cellulare: 3471234567 → 3337654321');
  await expect(table).toContainText('Nuovo pagante');
  await expect(table).toContainText('Nuova tariffa');
  // no procedure codes, no "pagante #1"
  await expect(table).not.toContainText('payers.update');
  await expect(table).not.toContainText('pagante #');
  await snap(page, screenshotDir, 'a1-registro-modifiche');

  await row.click();
  const detail = page.getByTestId('audit-detail');
  await expect(detail.getByTestId('audit-subject')).toHaveText('Mario Rossi');
  const diff = detail.getByTestId('audit-diff');
  await expect(diff.getByRole('row')).toHaveCount(2); // the heading and the one changed field
  await expect(diff.locator('tr[data-field="mobile"]')).toContainText('Cellulare');
  await expect(diff.locator('tr[data-field="mobile"]')).toContainText('3471234567');
  await expect(diff.locator('tr[data-field="mobile"]')).toContainText('3337654321');
  await snap(page, screenshotDir, 'a2-registro-dettaglio');
  await page.keyboard.press('Escape');

  // the filter by operation offers the Italian names
  await page.getByRole('textbox', { name: 'Filtra per operazione' }).fill('Modifica pag');
  await page.getByRole('option', { name: 'Modifica pagante' }).click();
  await expect(page.getByTestId('list-total')).toHaveText('1 registrazione');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Esporta Excel' }).click()]);
  const sheet = await readSheet(await download.path());
  expect(sheet.rows[0].slice(0, 9)).toEqual(['Quando (ora di Roma)', 'Utente', 'Operazione', 'Tipo di dato', 'Riguarda', 'Azione', 'Campo', 'Prima', 'Dopo']);
  expect(sheet.rows).toHaveLength(2);
  const [when, user, operation, kind, subject, , field, before, after] = sheet.rows[1];
  // a real date-time cell holding the Rome time of the change (the server's clock runs from 08:30)
  expect(when).toBeInstanceOf(Date);
  expect((when as Date).toISOString().slice(0, 13)).toBe('2026-11-16T08');
  expect([user, operation, kind, subject, field, before, after]).toEqual(['admin', 'Modifica pagante', 'Pagante', 'Mario Rossi', 'Cellulare', '3471234567', '3337654321']);
});

test('stampa del riepilogo pasti: ogni scuola da una pagina nuova, la scuola ripetuta su ogni pagina, «in bianco» 0', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  const payer = await api.call('payers.create', PAYER);
  const small = await api.call('schools.create', { municipalityId: office.clusone.id, name: 'Scuola primaria Edmondo De Amicis', kind: 'primaria', serviceWeekdays: [1, 2, 3, 4, 5] });
  const smallClass = await api.call('classes.create', { schoolId: small.id, schoolYearId: office.year.id, name: '1B' });
  // a school with many classes: its table runs onto a second page
  const classes = [office.cls];
  for (let i = 1; i <= 44; i++) classes.push(await api.call('classes.create', { schoolId: office.school.id, schoolYearId: office.year.id, name: `Classe ${String(i).padStart(2, '0')}` }));
  let n = 0;
  for (const [schoolId, cls] of [...classes.map((c) => [office.school.id, c] as const), [small.id, smallClass] as const]) {
    n++;
    const firstName = `Nome${String.fromCharCode(65 + (n % 26))}${String.fromCharCode(65 + Math.floor(n / 26))}`;
    const birthDate = `2017-0${(n % 9) + 1}-1${n % 10}`;
    const pupil = await api.call('pupils.create', { firstName, lastName: 'Verdi', birthDate, taxCode: buildCodiceFiscale({ lastName: 'Verdi', firstName, birthDate, sex: 'F', belfiore: 'C800' }), schoolId, classId: cls.id });
    await api.call('enrollments.create', { pupilId: pupil.id, payerId: payer.id, schoolYearId: office.year.id, schoolId, classId: cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato', startsOn: '2026-11-09', activate: true });
  }

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Riepilogo pasti');
  const report = page.getByTestId('kitchen-report');
  await expect(report.getByTestId('report-total')).toHaveText('46 pasti');
  await expect(report.getByTestId('report-plain')).toHaveText('0 in bianco');
  const firstRow = report.locator('tr[data-testid="kitchen-class-row"]').first();
  await expect(firstRow.getByTestId('class-plain')).toHaveText('0');
  await expect(report).not.toContainText('nessuna dieta speciale');
  await expect(report.getByTestId('report-no-diets')).toBeVisible();
  await snap(page, screenshotDir, 'a3-riepilogo-pasti');

  await page.emulateMedia({ media: 'print' });
  // printed, the navigation and the filters are not laid out at all
  await expect(page.getByRole('navigation', { name: 'Navigazione principale' })).toBeHidden();
  await snap(page, screenshotDir, 'a4-riepilogo-pasti-stampa');
  // kept beside the screenshots, to be looked at
  const pdf = path.join(screenshotDir, 'a4-riepilogo-pasti-stampa.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
  const pages = text.split('\f').filter((p) => p.trim() !== '');
  const DANTE = 'Scuola primaria Dante Alighieri';
  const DE_AMICIS = 'Scuola primaria Edmondo De Amicis';
  // every page names exactly one school, at its top (the repeated table head)
  for (const p of pages) {
    const named = [DANTE, DE_AMICIS].filter((s) => p.includes(s));
    expect(named, p.slice(0, 400)).toHaveLength(1);
  }
  const dantePages = pages.filter((p) => p.includes(DANTE));
  expect(dantePages.length).toBeGreaterThanOrEqual(2);
  expect(pages.filter((p) => p.includes(DE_AMICIS))).toHaveLength(1);
  // the school's table continues on its next page under the same head
  expect(dantePages[1]).toContain('Riepilogo pasti del 16/11/2026');
  expect(dantePages[1]).toMatch(/Classe\s+Pasti\s+di cui in bianco/);
  // the last Dante class and its total are on a Dante page, the De Amicis class on its own page
  expect(dantePages.join('\n')).toContain('CLASSE 44');
  expect(pages.find((p) => p.includes(DE_AMICIS))).toContain('1B');
});

test('archivio vuoto: gli elenchi lo dicono e portano al primo inserimento e all’importazione; esportare niente non scarica un file', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const shell = await Shell.open(page, app, 'admin', 'password-admin');

  await shell.go('Alunni');
  const empty = page.getByTestId('empty-archive');
  await expect(empty).toContainText('Nessun alunno registrato');
  await expect(empty.getByRole('button', { name: 'Inserisci il primo alunno' })).toBeVisible();
  await expect(empty.getByRole('button', { name: 'Importa da file' })).toBeVisible();
  await expect(page.getByText('corrisponde ai filtri')).toHaveCount(0);
  await snap(page, screenshotDir, 'a5-alunni-archivio-vuoto');

  // nothing to export: a notice, no download
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.getByRole('button', { name: 'Esporta Excel' }).click();
  await expect(page.getByText('Niente da esportare')).toBeVisible();
  await expect(page.getByText('Nessuna riga da esportare con questi filtri: nessun file creato')).toBeVisible();
  expect(downloads).toBe(0);

  // with a search typed, the list says that nothing matches
  await page.getByRole('textbox', { name: 'Cerca alunni' }).fill('rossi');
  await expect(page.getByTestId('empty-filtered')).toHaveText('Nessun alunno corrisponde ai filtri');

  await shell.go('Paganti');
  await expect(page.getByTestId('empty-archive')).toContainText('Nessun pagante registrato');
  await shell.go('Iscrizioni');
  await expect(page.getByTestId('empty-archive')).toContainText('Nessuna iscrizione');
  await expect(page.getByTestId('empty-archive').getByRole('button', { name: 'Inserisci la prima iscrizione' })).toBeVisible();
  await snap(page, screenshotDir, 'a6-iscrizioni-archivio-vuoto');
  await page.getByTestId('empty-archive').getByRole('button', { name: 'Importa da file' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Importazione' })).toBeVisible();

  await shell.go('Comuni');
  await expect(page.getByTestId('empty-archive')).toContainText('Nessun comune registrato');
  await expect(page.getByTestId('empty-archive').getByRole('button', { name: 'Inserisci il primo comune' })).toBeVisible();
  await shell.go('Scuole e classi');
  await expect(page.getByTestId('empty-archive')).toContainText('Nessuna scuola registrata');
  await expect(page.getByTestId('empty-archive')).toContainText('Aggiungere prima un comune.');
  await snap(page, screenshotDir, 'a7-scuole-archivio-vuoto');
});
