import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, snap } from './fixtures';
import { BackendApi, seedOffice } from './pages/backend-api';
import { plain } from './pages/money-pages';
import { Shell } from './pages/shell';
import { DebtFamilyPage, DebtWorklistPage, DeliveryDialog, LadderPage } from './pages/debts-pages';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';
import { TEST_CATERER } from '../support/people';

/**
 * Debt follow-up by the fees office, end to end (issue 11): Monday 16 November 2026 in Clusone,
 * four families whose prepaid accounts went negative. The supervisor adapts Clusone's procedure
 * (reminder, then straight to the formal notice by registered letter); the morning worklist lists
 * who reached a step; a family with an instalment plan waits; the reminders go out as one batch of
 * letters (one PDF, read back as text), then the formal notice; its delivery is recorded with the
 * scanned return receipt; an operator cannot flag a family as followed by social services.
 */
test.use({ viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' });
test.describe.configure({ timeout: 300_000 });

interface Seeded {
  payerId: number;
  name: string;
}

/** A payer (Clusone) with children enrolled (prepaid) and their unpaid meals as a debit adjustment of today. */
async function family(api: BackendApi, office: Awaited<ReturnType<typeof seedOffice>>, o: { first: string; last: string; born: string; children: { first: string; born: string; owedCents: number }[] }): Promise<Seeded> {
  const payer = await api.call('payers.create', {
    firstName: o.first,
    lastName: o.last,
    taxCode: buildCodiceFiscale({ lastName: o.last, firstName: o.first, birthDate: o.born, sex: 'M', belfiore: 'C800' }),
    email: `${o.last.toLowerCase()}@example.it`,
    mobile: '347 765 4321',
    street: 'Via Garibaldi',
    streetNumber: '7',
    postcode: '24023',
    town: 'Clusone',
    province: 'BG',
    iban: null,
    ibanHolder: null,
  });
  for (const c of o.children) {
    const pupil = await api.call('pupils.create', {
      firstName: c.first,
      lastName: o.last,
      birthDate: c.born,
      taxCode: buildCodiceFiscale({ lastName: o.last, firstName: c.first, birthDate: c.born, sex: 'F', belfiore: 'C800' }),
      schoolId: office.school.id,
      classId: office.cls.id,
    });
    await api.call('enrollments.create', {
      pupilId: pupil.id,
      payerId: payer.id,
      schoolYearId: office.year.id,
      schoolId: office.school.id,
      classId: office.cls.id,
      weekdays: [1, 2, 3, 4, 5],
      paymentMethod: 'prepagato',
      startsOn: '2026-11-16',
    });
    await api.call('ledger.adjust', { pupilId: pupil.id, amountCents: -c.owedCents, reason: 'Pasti di settembre e ottobre non pagati (saldo riportato)' });
  }
  return { payerId: payer.id, name: `${o.last} ${o.first}` };
}

/** Clusone with four families: 62 € (two children), 20 €, 8 € (below every threshold), 40 € (agrees a plan). */
async function officeWithDebtors(api: BackendApi) {
  await api.setupAdmin();
  const office = await seedOffice(api);
  await api.call('caterer.update', { ...TEST_CATERER, version: 0 });
  const ferri = await family(api, office, {
    first: 'Paolo',
    last: 'Ferri',
    born: '1981-04-12',
    children: [
      { first: 'Giulia', born: '2017-05-02', owedCents: 3500 },
      { first: 'Marta', born: '2019-09-21', owedCents: 2700 },
    ],
  });
  const conti = await family(api, office, { first: 'Sara', last: 'Conti', born: '1985-02-03', children: [{ first: 'Elia', born: '2018-01-30', owedCents: 2000 }] });
  const galli = await family(api, office, { first: 'Luca', last: 'Galli', born: '1979-07-07', children: [{ first: 'Nora', born: '2017-11-11', owedCents: 800 }] });
  const moretti = await family(api, office, { first: 'Anna', last: 'Moretti', born: '1988-12-01', children: [{ first: 'Ugo', born: '2018-06-15', owedCents: 4000 }] });
  await api.call('users.create', { username: 'mrossi', displayName: 'Mario Rossi', role: 'operatore', password: 'password-operatore' });
  return { office, ferri, conti, galli, moretti };
}

/** The text of a PDF, read back with poppler's pdftotext (kept beside the test's results), on one line. */
function pdfText(file: string, name: string): string {
  const text = plain(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
  fs.writeFileSync(test.info().outputPath(name), text);
  // one line: the letter's paragraphs wrap wherever the page ends them
  return text.replace(/\s+/g, ' ');
}

/** Screenshots at the office's two screen sizes (1366x768 laptop, 1920x1080 desk monitor). */
async function shots(page: Page, dir: string, name: string) {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await snap(page, dir, `morosita-${name}-1920x1080`);
  await page.setViewportSize({ width: 1366, height: 768 });
  await snap(page, dir, `morosita-${name}-1366x768`);
}

/** The scanned return receipt: a small valid PDF. */
const RECEIPT_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');

test('D1, D3: la procedura del comune, la lista del mattino, un lotto di solleciti in un PDF, la diffida con raccomandata e la sua ricevuta, un piano che ferma la procedura; l\'operatore non concede esenzioni', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  const { ferri, conti, galli, moretti } = await officeWithDebtors(api);
  const shell = await Shell.open(page, app, 'admin', 'password-admin');

  // the supervisor adapts Clusone's procedure: reminder at 15 €, then the formal notice above 50 € by registered letter
  await shell.go('Procedure di recupero');
  const ladder = new LadderPage(page);
  await expect(page.getByTestId('ladder-default')).toContainText('non ha ancora una procedura propria');
  await expect(ladder.steps()).toHaveCount(3);
  await ladder.remove(2);
  await expect(ladder.steps()).toHaveCount(2);
  await expect(ladder.step(2)).toContainText('Diffida e messa in mora');
  await ladder.setDaysSincePrevious(2, 0);
  await ladder.allowSuspension();
  await shots(page, screenshotDir, '01-procedura');
  await ladder.save();
  await expect(page.getByTestId('ladder-default')).toBeHidden();
  const saved = await api.call('debts.ladder.get', { municipalityId: (await api.call('municipalities.list', {}))[0].id });
  expect(saved.steps.map((s) => [s.name, s.thresholdCents, s.minDaysSincePrevious, s.channel])).toEqual([
    ['Sollecito', 1500, 0, 'email_sms'],
    ['Diffida e messa in mora', 5000, 0, 'raccomandata_ar'],
  ]);
  expect(saved.suspensionAllowed).toBe(true);

  // the morning worklist: the three families above 15 € reached the reminder; 8 € is below every threshold
  await shell.go('Morosità');
  const worklist = new DebtWorklistPage(page);
  await expect(worklist.tab(/Nuovi passi da inviare \(3\)/)).toBeVisible();
  await expect(worklist.newStepRows()).toHaveCount(3);
  await expect(worklist.newStepRow(ferri.name)).toContainText('1. Sollecito');
  await expect(worklist.newStepRow(ferri.name)).toContainText('E-mail / SMS');
  expect(plain(await worklist.newStepRow(ferri.name).textContent())).toContain('62,00 €');
  await expect(worklist.newStepRows().filter({ hasText: galli.name })).toHaveCount(0);
  await expect(page.getByTestId('debt-totals')).toContainText(/Famiglie con debito\s*4 famiglie · 130,00/);
  await shots(page, screenshotDir, '02-lista-del-mattino');

  // Anna Moretti agrees to pay in two instalments: her family waits while the plan is respected
  await worklist.openFamily(moretti.name);
  const familyPage = new DebtFamilyPage(page);
  expect(plain(await familyPage.owed().textContent())).toBe('40,00 €');
  await expect(familyPage.nextStep()).toContainText('da inviare oggi');
  await familyPage.createPlan(2, moretti.name);
  await expect(familyPage.plans().getByTestId('plan-status')).toHaveText('Rispettato');
  await expect(familyPage.plans()).toContainText('la procedura è in pausa');
  await expect(familyPage.nextStep()).toContainText('in pausa per il piano di rientro rispettato');
  await shots(page, screenshotDir, '06-piano-di-rientro');
  await shell.go('Morosità');
  await expect(worklist.tab(/Nuovi passi da inviare \(2\)/)).toBeVisible();
  await worklist.tab(/In pausa per un piano \(1\)/).click();
  await expect(worklist.paused()).toContainText(moretti.name);
  await expect(worklist.paused()).toContainText('Piano: rispettato');

  // the reminders: both families chosen, one batch, one PDF with both letters
  await worklist.tab(/Nuovi passi da inviare/).click();
  await worklist.choose(ferri.name);
  await worklist.choose(conti.name);
  const reminders = await worklist.generateLetters([/Sollecito\s*E-mail \/ SMS\s*2\s*82,00/], () => shots(page, screenshotDir, '05-genera-lettere'));
  expect(reminders.name).toBe('lettere-recupero-2026-11-16.pdf');
  const reminderText = pdfText(reminders.path, 'solleciti.txt');
  expect(reminderText).toContain('Ristorazione Città Alta S.r.l.');
  expect(reminderText).toContain(ferri.name);
  expect(reminderText).toContain(conti.name);
  expect(reminderText).toContain('Ferri Giulia');
  expect(reminderText).toContain('Ferri Marta');
  expect(reminderText).toMatch(/il saldo è negativo per 62,00 €/);
  expect(reminderText).toMatch(/il saldo è negativo per 20,00 €/);
  expect(reminderText).toContain('entro il 01/12/2026 (15 giorni)');
  await expect(worklist.done()).toContainText('Registrati 2 passi');

  // Paolo Ferri owes more than 50 €: the formal notice is due at once (0 days in this procedure)
  await expect(worklist.newStepRows()).toHaveCount(1);
  await expect(worklist.newStepRow(ferri.name)).toContainText('2. Diffida e messa in mora');
  await expect(worklist.newStepRow(ferri.name)).toContainText('Raccomandata A/R');
  await worklist.choose(ferri.name);
  const notice = await worklist.generateLetters([/Diffida e messa in mora\s*Raccomandata A\/R\s*1\s*62,00/]);
  const noticeText = pdfText(notice.path, 'diffida.txt');
  expect(noticeText).toContain('La diffidiamo formalmente a pagare l\'importo di 62,00 €');
  expect(noticeText).toContain('Raccomandata con ricevuta di ritorno');
  await expect(worklist.done()).toContainText('con raccomandata o PEC');
  await expect(worklist.newStepRows()).toHaveCount(0);

  // the registered letter waits for its return receipt; the office records it with the scan
  await worklist.tab(/In attesa di ricevuta \(1\)/).click();
  await expect(worklist.awaitingRows()).toHaveCount(1);
  await expect(worklist.awaitingRows().first()).toContainText(ferri.name);
  await expect(worklist.awaitingRows().first()).toContainText('Diffida e messa in mora');
  await worklist.awaitingRows().first().getByRole('button', { name: 'Registra consegna' }).click();
  const delivery = new DeliveryDialog(page, ferri.name);
  await delivery.fill({ deliveredOn: '16/11/2026', receiptNumber: 'RR 6123 4567 890-1', file: { name: 'cartolina-ferri.pdf', mimeType: 'application/pdf', buffer: RECEIPT_PDF } });
  await shots(page, screenshotDir, '03-registra-consegna');
  await delivery.save();
  await expect(worklist.tab(/In attesa di ricevuta \(0\)/)).toBeVisible();

  // the family's file: both steps with who recorded them, the letter kept, the delivery with its file
  await shell.go('Fascicolo della famiglia');
  await page.getByRole('textbox', { name: 'Pagante' }).click();
  await page.getByRole('textbox', { name: 'Pagante' }).fill('Ferri');
  await page.getByRole('option', { name: /Ferri Paolo/ }).click();
  await expect(page.getByTestId('family-name')).toHaveText(ferri.name);
  await expect(familyPage.history()).toHaveCount(2);
  const noticeRow = familyPage.history().first();
  await expect(noticeRow).toContainText('2. Diffida e messa in mora');
  await expect(noticeRow).toContainText('Anna Ferrari');
  await expect(noticeRow.getByTestId('delivery-recorded')).toContainText('Consegnata il 16/11/2026 · n. RR 6123 4567 890-1');
  await expect(noticeRow.getByTestId('delivery-recorded')).toContainText('cartolina-ferri.pdf');
  await expect(noticeRow.getByTestId('delivery-recorded')).toContainText('registrata da Anna Ferrari');
  await expect(familyPage.history().nth(1)).toContainText('1. Sollecito');
  const kept = await familyPage.downloadLetter(noticeRow);
  expect(pdfText(kept.path, 'diffida-dal-fascicolo.txt')).toContain('La diffidiamo formalmente');
  await shots(page, screenshotDir, '04-fascicolo');
  await noticeRow.getByText('cartolina-ferri.pdf').click();
  await expect(page.getByTestId('document-viewer')).toContainText('cartolina-ferri.pdf · SHA-256');
  await page.keyboard.press('Escape');

  // an operator sees the file but cannot flag the family as followed by social services
  await shell.logout();
  const operatorShell = await Shell.open(page, app, 'mrossi', 'password-operatore');
  await expect(operatorShell.navLink('Procedure di recupero')).toBeVisible();
  await operatorShell.go('Fascicolo della famiglia');
  await expect(page.getByTestId('family-name')).toHaveText(ferri.name);
  await expect(familyPage.exemption()).toContainText('Solo un supervisore può segnare una famiglia come seguita dai servizi sociali');
  await expect(familyPage.exemption().getByRole('button')).toHaveCount(0);
  const operator = await api.login('mrossi', 'password-operatore');
  const refused = await api.raw('debts.exemptions.grant', { payerId: ferri.payerId, reason: 'Seguita dai servizi sociali', reference: 'Prot. 1/2026' }, operator);
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await api.call('debts.exemptions.list', { payerId: ferri.payerId })).toEqual([]);
  await operatorShell.go('Procedure di recupero');
  await expect(page.getByText('Solo un supervisore può modificare la procedura.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Salva la procedura' })).toHaveCount(0);
});
