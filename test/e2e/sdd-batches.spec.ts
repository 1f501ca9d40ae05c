import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, snap } from './fixtures';
import { BackendApi } from './pages/backend-api';
import { seedDemoOffice } from './pages/canteen-data';
import { typeDate } from './pages/controls';
import { plain } from './pages/money-pages';
import { BatchesPage, ReturnsPage, pain002For, serveLaterAt } from './pages/sdd-batches';
import { Shell } from './pages/shell';

/**
 * SDD batches end to end (issue 9): the office stands on Tuesday 3 November 2026, 08:00 in Rome,
 * with October's meals closed and charged (the demo office's money history closes the last twenty
 * weekdays) and a mandate for every SDD payer, one of which the family has just revoked. It
 * prepares October's batch, acknowledges its checks, approves it, downloads the Excel and the bank
 * files, marks it sent; on the due date (Monday 30 November, the last TARGET day of November) it
 * records the collection and then imports the bank's outcome file with one returned debit.
 */
test.use({ clock: { at: '2026-11-03T08:00:00+01:00', mode: 'fisso' }, viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' });
test.describe.configure({ timeout: 420_000 });

const DUE = '30/11/2026';
const MONTH = 'Ottobre 2026';

/** '12345' cents → '123.45' (the XML's decimal amounts). */
const decimal = (cents: number) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
/** '12345' cents → '123,45 €' as the screens write it (plain spaces). */
const euro = (cents: number) => `${new Intl.NumberFormat('it-IT', { useGrouping: 'always' }).format(Math.trunc(cents / 100))},${String(cents % 100).padStart(2, '0')} €`;

async function shot(page: Page, dir: string, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await snap(page, dir, `sdd-${name}-1366x768`);
}

test('P4, P8, P6: distinta di ottobre preparata, controllata, approvata, scaricata (Excel, CBI, pain.008), inviata, incassata alla scadenza; esito della banca importato come insoluto da incassare', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedDemoOffice(app, 60, { money: true });
  // a family revoked its mandate yesterday: its pupil is excluded and the check asks to look at it
  const revoked = (await api.call('sdd.mandates.list', { status: 'attivo', limit: 1 })).rows[0];
  await api.call('sdd.mandates.revoke', { mandateId: revoked.id, revokedOn: '2026-11-02', reason: 'Conto chiuso dalla famiglia' });

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Distinte SDD');
  const batches = new BatchesPage(page);
  // P4: in November the office prepares October's meals, due on the last TARGET day of November
  await expect(batches.form()).toContainText('ottobre 2026');
  await expect(batches.dueDate()).toHaveValue(DUE);
  await expect(batches.window()).toHaveText('Finestra di presentazione alla banca: dal 16/11/2026 al 27/11/2026');
  await shot(page, screenshotDir, '01-distinte');

  // a due date on a Sunday: the backend's refusal is shown in the confirmation, in Italian
  await typeDate(batches.form(), "Scadenza dell'addebito", '29/11/2026');
  const sunday = await batches.prepare();
  await sunday.root.getByRole('button', { name: 'Prepara', exact: true }).click();
  await expect(sunday.error()).toHaveText('Il 29/11/2026 non è un giorno lavorativo interbancario (TARGET): scegliere un altro giorno');
  await sunday.root.getByRole('button', { name: 'Annulla' }).click();
  await expect(sunday.root).toBeHidden();
  await typeDate(batches.form(), "Scadenza dell'addebito", DUE);

  const prepare = await batches.prepare();
  await expect(prepare.text()).toContainText(`pasti registrati in ottobre 2026`);
  await expect(prepare.text()).toContainText(`con scadenza il ${DUE}`);
  await prepare.confirm('Prepara');
  await expect(page.getByRole('heading', { level: 2, name: 'Distinta di ottobre 2026' })).toBeVisible();
  await expect(batches.status()).toHaveText('bozza');

  const [listed] = await api.call('sdd.batches.list', {});
  const batchId = listed.id;
  const draft = await api.call('sdd.batches.get', { batchId });
  expect(draft.batch.debitCount).toBeGreaterThan(3);
  expect(draft.findings.some((f) => f.kind === 'senza_mandato')).toBe(true);
  await expect(batches.count()).toHaveText(String(draft.batch.debitCount));
  expect(plain(await batches.total().textContent())).toBe(euro(draft.batch.totalCents));

  // the checks are open: approval is not available, and says why
  await expect(page.getByTestId('findings-senza_mandato')).toContainText('Alunni SDD senza mandato attivo');
  await expect(batches.action('Approva')).toHaveAttribute('aria-disabled', 'true');
  await batches.action('Approva').hover();
  await expect(page.getByRole('tooltip')).toContainText('prima di approvare');
  await shot(page, screenshotDir, '02-bozza-controlli');

  await batches.tab(/^Esclusi/).click();
  await expect(batches.excluded().filter({ hasText: 'Mandato revocato il 02/11/2026' }).first()).toBeVisible();
  await batches.tab(/^Addebiti/).click();
  await expect(batches.debits().first()).toBeVisible();
  await expect(batches.debits().first()).toContainText(/IT\d\d \w{4} \w{4}/);
  await expect(page.getByTestId('list-total')).toHaveText(`${draft.batch.debitCount} addebiti`);
  await shot(page, screenshotDir, '03-bozza-addebiti');

  await batches.acknowledgeAll(['Mandato richiesto alla famiglia: escluso da questa distinta']);
  await expect(page.getByText('Tutti i controlli sono stati presi in visione')).toBeVisible();
  await expect(batches.findings().first()).toContainText('Presa visione di Anna Ferrari');
  await expect(batches.findings().first()).toContainText('Mandato richiesto alla famiglia');
  await expect(batches.action('Approva')).not.toHaveAttribute('aria-disabled', 'true');

  const approve = await batches.run('Approva');
  await expect(approve.text()).toContainText(
    `Approvando, ${draft.payerCount} famiglie saranno addebitate (${draft.batch.debitCount} addebiti, uno per alunno) per ${euro(draft.batch.totalCents)} il ${DUE}; la distinta non sarà più modificabile.`,
  );
  await shot(page, screenshotDir, '04-conferma-approvazione');
  await approve.confirm('Approva la distinta');
  await expect(batches.status()).toHaveText('approvata');
  // P8: the families are pre-notified on the day of approval
  await expect(batches.prenotified()).toHaveText('03/11/2026');
  await shot(page, screenshotDir, '05-approvata');

  const { batch } = await api.call('sdd.batches.get', { batchId });
  const msgId = batch.msgId!;
  const excel = await batches.download('Scarica Excel');
  expect(excel.fileName).toBe(`distinta-sdd-2026-10-n${batchId}.xlsx`);
  expect(fs.readFileSync(excel.file).subarray(0, 2).toString()).toBe('PK');
  for (const [button, suffix] of [
    ['Scarica XML CBI', 'cbi'],
    ['CBI con busta', 'cbi-busta'],
    ['pain.008', 'pain008'],
  ] as const) {
    const xml = await batches.download(button);
    expect(xml.fileName).toBe(`${msgId}-${suffix}.xml`);
    const text = fs.readFileSync(xml.file, 'utf8');
    expect(text).toContain(`<CtrlSum>${decimal(batch.totalCents)}</CtrlSum>`);
    expect(text).toContain(`<NbOfTxs>${batch.debitCount}</NbOfTxs>`);
  }

  const sent = await batches.run('Segna come inviata');
  await expect(sent.text()).toContainText('entro il 27/11/2026');
  await sent.confirm('Segna come inviata');
  await expect(batches.status()).toHaveText('inviata alla banca');
  await expect(batches.action('Registra incasso')).toHaveAttribute('aria-disabled', 'true');

  const first = (await api.call('sdd.batches.debits', { batchId, included: true, limit: 1 })).rows[0];

  // four weeks later: the due date
  const later = await serveLaterAt(app, '2026-11-30T10:00:00+01:00');
  try {
    await page.clock.setFixedTime(new Date('2026-11-30T09:00:00.000Z'));
    await page.evaluate(() => sessionStorage.clear());
    const laterShell = await Shell.open(page, { ...app, url: later.url }, 'admin', 'password-admin');
    await laterShell.go('Distinte SDD');
    await batches.open(MONTH);
    await expect(batches.status()).toHaveText('inviata alla banca');
    const collect = await batches.run('Registra incasso');
    await expect(collect.text()).toContainText(`incassato il ${DUE}`);
    await collect.confirm('Registra incasso');
    await expect(batches.status()).toHaveText('incassata');
    await batches.tab(/^Addebiti/).click();
    await expect(batches.debits().first()).toBeVisible();
    await shot(page, screenshotDir, '06-incassata');

    // the bank's outcome: the first debit returned for insufficient funds (AM04)
    await laterShell.navLink('Esiti SDD').click();
    await expect(page.getByRole('heading', { level: 2, name: 'Esiti SDD' })).toBeVisible();
    const returns = new ReturnsPage(page);
    await returns.upload({ name: 'esito-banca.xml', mimeType: 'application/xml', buffer: pain002For({ endToEndId: first.endToEndId, amountCents: first.amountCents, msgId, reasonCode: 'AM04', on: '2026-11-30' }) });
    await expect(returns.preview()).toHaveCount(1);
    await expect(returns.preview().first()).toContainText(first.endToEndId);
    await expect(returns.preview().first()).toContainText('AM04');
    await expect(returns.preview().first()).toContainText('nuovo');
    await expect(returns.commit()).toBeEnabled();
    await shot(page, screenshotDir, '07-esito-anteprima');
    await returns.commit().click();
    await expect(returns.done()).toContainText('1 insoluto registrato');
    await returns.filter('da incassare');
    await expect(returns.rows()).toHaveCount(1);
    await expect(returns.rows().first()).toContainText(first.pupilName);
    await expect(returns.rows().first().getByTestId('return-follow-up')).toHaveText('da incassare');
    await shot(page, screenshotDir, '08-insoluti');

    // importing the same file again changes nothing
    await returns.upload({ name: 'esito-banca.xml', mimeType: 'application/xml', buffer: pain002For({ endToEndId: first.endToEndId, amountCents: first.amountCents, msgId, reasonCode: 'AM04', on: '2026-11-30' }) });
    await expect(returns.preview().first()).toContainText('già registrato');
    await expect(returns.commit()).toBeDisabled();

    // a line that does not match its debit (another amount) is an error: nothing can be recorded
    const second = (await api.call('sdd.batches.debits', { batchId, included: true, offset: 1, limit: 1 })).rows[0];
    await returns.upload({ name: 'esito-errato.xml', mimeType: 'application/xml', buffer: pain002For({ endToEndId: second.endToEndId, amountCents: second.amountCents + 100, msgId, reasonCode: 'AM04', on: '2026-11-30' }) });
    await expect(returns.preview().first()).toContainText('errore');
    await expect(returns.preview().first()).toContainText("Importo diverso dall'addebito");
    await expect(returns.commit()).toBeDisabled();
    await shot(page, screenshotDir, '09-esito-con-errore');

    // P6: the supervisor lets the family pay by pagoPA notice
    await returns.rows().first().getByRole('button', { name: 'Paga con avviso pagoPA' }).click();
    const modal = page.getByRole('dialog');
    await modal.getByRole('textbox', { name: /Motivo/ }).fill('Famiglia con insoluto: concordato pagamento con avviso');
    await modal.getByRole('button', { name: "Concedi l'eccezione" }).click();
    await expect(modal).toBeHidden();
    await expect(returns.rows().first()).toContainText('paga con avviso pagoPA');
    // …and later ends the exception: the family is back to SDD
    await returns.rows().first().getByRole('button', { name: "Torna all'SDD" }).click();
    await page.getByRole('dialog').getByRole('button', { name: "Chiudi l'eccezione" }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(returns.rows().first().getByRole('button', { name: 'Paga con avviso pagoPA' })).toBeVisible();

    // the list of batches: October's, collected, with one return
    await laterShell.navLink('Distinte SDD').click();
    await page.getByRole('button', { name: 'Distinte SDD' }).click();
    await expect(batches.rows().filter({ hasText: MONTH })).toContainText('incassata');
    await shot(page, screenshotDir, '10-distinte-elenco');
  } finally {
    await later.stop();
  }
});

test("un operatore non vede l'annullamento della distinta né la concessione dell'avviso pagoPA (supervisore)", async ({ page, app }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedDemoOffice(app, 60, { money: true });
  await api.call('users.create', { username: 'mrossi', displayName: 'Mario Rossi', role: 'operatore', password: 'password-operatore' });
  // October's batch prepared, checked, approved and sent by the administrator through the contract
  const prepared = await api.call('sdd.batches.prepare', { month: '2026-10' });
  const findings = (await api.call('sdd.batches.get', { batchId: prepared.id })).findings.map((f) => f.id);
  if (findings.length) await api.call('sdd.batches.acknowledge', { findingIds: findings, reason: 'Verificato con la famiglia' });
  const approved = await api.call('sdd.batches.approve', { batchId: prepared.id });
  await api.call('sdd.batches.markSent', { batchId: prepared.id });
  const first = (await api.call('sdd.batches.debits', { batchId: prepared.id, included: true, limit: 1 })).rows[0];
  const file = pain002For({ endToEndId: first.endToEndId, amountCents: first.amountCents, msgId: approved.msgId!, reasonCode: 'MS02', on: '2026-11-03' });
  const preview = await api.call('sdd.returns.preview', { fileName: 'esito.xml', contentBase64: file.toString('base64') });
  await api.call('sdd.returns.commit', { fileName: preview.fileName, sha256: preview.sha256, lines: preview.lines });

  const shell = await Shell.open(page, app, 'mrossi', 'password-operatore');
  await shell.go('Distinte SDD');
  const batches = new BatchesPage(page);
  await batches.open(MONTH);
  await expect(batches.status()).toHaveText('inviata alla banca');
  await expect(batches.action('Scarica XML CBI')).toBeVisible();
  await expect(batches.action('Registra incasso')).toHaveAttribute('aria-disabled', 'true');
  await expect(batches.action('Annulla')).toHaveCount(0);

  await shell.navLink('Esiti SDD').click();
  const returns = new ReturnsPage(page);
  await expect(returns.rows()).toHaveCount(1);
  await expect(returns.rows().first()).toContainText('MS02');
  await expect(returns.rows().first()).toContainText('addebito SDD');
  await expect(page.getByRole('button', { name: 'Paga con avviso pagoPA' })).toHaveCount(0);
});
