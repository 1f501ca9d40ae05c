import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { BackendApi, PAYER } from './pages/backend-api';
import { box, fieldError } from './pages/controls';
import { Shell } from './pages/shell';
import { SddCreditorPage, SddMandatesPage } from './pages/sdd-mandates-page';
import { buildItalianIban } from '../../electron/identifiers/iban';

/**
 * SDD mandates (issue 9, P5), end to end on Monday 16 November 2026: the office registers the
 * signed mandate of a payer (the form starts from the payer's account), the family then changes
 * account and the office records the new IBAN: the history keeps the original one, and the next
 * collection will tell the bank (another bank: SMNDA).
 */
const OTHER_BANK = buildItalianIban('03069', '09606', '100000012345');
const WRONG_CIN = 'IT65A0542811101000000123456'; // /work/shared/standards/it-identifiers-test-vectors.json
const PAYER_OPTION = new RegExp(`Rossi Mario · ${PAYER.taxCode}`);
const grouped = (iban: string) => iban.replace(/(.{4})/g, '$1 ').trim();

test.describe.configure({ timeout: 180_000 });

async function signIn(page: Page, app: Parameters<typeof Shell.open>[1]) {
  return Shell.open(page, app, 'admin', 'password-admin');
}

test("P5: l'ufficio registra il mandato di un pagante, ne cambia l'IBAN e vede lo storico con l'IBAN originale", async ({ page, app }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await api.call('payers.create', PAYER);
  const shell = await signIn(page, app);
  await shell.go('Mandati SDD');
  const mandates = new SddMandatesPage(page);

  const form = await mandates.create({ payerSearch: 'Rossi', payerOption: PAYER_OPTION, signedOn: '02/09/2026' });
  // the payer's own account, in groups of four, and the holder's name and codice fiscale
  await expect(box(form, 'IBAN')).toHaveValue(grouped(PAYER.iban));
  await expect(box(form, 'Intestatario del conto')).toHaveValue('Mario Rossi');
  await expect(box(form, "Codice fiscale dell'intestatario")).toHaveValue(PAYER.taxCode);
  await mandates.submitCreate(form);
  await expect(mandates.detail()).toContainText('RM000001-1');
  await expect(mandates.status()).toHaveText('Attivo');
  await expect(mandates.detailIban()).toHaveText(grouped(PAYER.iban));
  await expect(mandates.detail()).toContainText('Nessuna modifica dalla firma.');

  // a wrong CIN is refused under the field; then the right new account at another bank
  const dialog = await mandates.amendIban(WRONG_CIN, 'Cambio di banca al rinnovo');
  await expect(box(dialog, 'Nuovo IBAN')).toHaveValue(grouped(WRONG_CIN));
  await dialog.getByRole('button', { name: 'Registra la modifica' }).click();
  await expect(await fieldError(dialog, 'Nuovo IBAN')).toHaveText('IBAN italiano con CIN errato');
  await box(dialog, 'Nuovo IBAN').fill(OTHER_BANK);
  await dialog.getByRole('button', { name: 'Registra la modifica' }).click();
  await expect(dialog).toBeHidden();

  await expect(mandates.detailIban()).toHaveText(grouped(OTHER_BANK));
  await expect(mandates.history()).toHaveCount(1);
  await expect(mandates.history().first()).toContainText(`IBAN ${grouped(PAYER.iban)} → ${grouped(OTHER_BANK)}`);
  await expect(mandates.history().first()).toContainText('Cambio di banca al rinnovo');
  await expect(mandates.history().first()).toContainText('altra banca');
  await expect(mandates.history().first()).toContainText('al prossimo addebito');
  await expect(mandates.pending()).toContainText('SMNDA');

  // the list shows the new IBAN and that the mandate changed; the payer's card follows the mandate
  await page.keyboard.press('Escape');
  await expect(mandates.table()).toContainText(grouped(OTHER_BANK));
  await expect(mandates.table()).toContainText('modificato');
  const payer = (await api.call('payers.list', { search: 'Rossi' })).rows[0];
  expect(payer.iban).toBe(OTHER_BANK);
});

test('P5: un secondo mandato per lo stesso pagante si registra solo sostituendo il primo, che resta revocato', async ({ page, app }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const payer = await api.call('payers.create', PAYER);
  await api.call('sdd.mandates.create', { payerId: payer.id, iban: PAYER.iban, holderName: 'Mario Rossi', holderTaxCode: PAYER.taxCode, signedOn: '2026-09-02' });
  const shell = await signIn(page, app);
  await shell.go('Mandati SDD');
  const mandates = new SddMandatesPage(page);

  const form = await mandates.create({ payerSearch: 'Rossi', payerOption: PAYER_OPTION, signedOn: '16/11/2026', iban: OTHER_BANK });
  await form.getByRole('button', { name: 'Registra mandato' }).click();
  await expect(form.getByTestId('mandate-conflict')).toContainText('ha già un mandato SDD attivo (RM000001-1)');
  await form.getByRole('button', { name: 'Revoca il mandato attivo e registra questo' }).click();
  await expect(form).toBeHidden();
  await expect(mandates.detail()).toContainText('RM000001-2');
  await page.keyboard.press('Escape');

  await box(page, 'Filtra per stato').click();
  await page.getByRole('option', { name: 'Revocati' }).click();
  await expect(mandates.table()).toContainText('RM000001-1');
  await expect(mandates.table()).not.toContainText('RM000001-2');
});

test("l'amministratore inserisce le impostazioni SDD: un identificativo del creditore con cifre di controllo errate è rifiutato sotto il campo, l'ABI viene dall'IBAN", async ({ page, app }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await api.call('caterer.update', { version: 0, companyName: 'Ristorazione Alpina S.r.l.', street: 'Via delle Mense', streetNumber: '12', postcode: '24023', town: 'Clusone', province: 'BG', vatNumber: '02468135799', taxCode: '02468135799' });
  const shell = await signIn(page, app);
  await shell.go('Impostazioni SDD');
  const settings = new SddCreditorPage(page);
  await expect(settings.missing()).toContainText('le impostazioni SDD');
  await expect(page.getByTestId('creditor-name')).toContainText('Ristorazione Alpina S.r.l. · Via delle Mense 12, 24023 Clusone (BG)');

  // /work/shared/standards/it-identifiers-test-vectors.json: IT05… has the wrong check digits (04)
  await settings.fill({ creditorId: 'IT05ZZZ0000012345678903', iban: OTHER_BANK, cuc: '1234567a' });
  await expect(settings.iban()).toHaveValue(grouped(OTHER_BANK));
  await expect(settings.abi()).toHaveValue('03069');
  await settings.save();
  await expect(await fieldError(page, 'Identificativo del creditore (CI)')).toHaveText('Identificativo del creditore non valido: cifre di controllo errate');
  await settings.creditorId().fill('IT04ZZZ0000012345678903');
  await settings.save();
  await expect(settings.missing()).toBeHidden();

  await page.reload();
  await expect(settings.creditorId()).toHaveValue('IT04ZZZ0000012345678903');
  await expect(settings.cuc()).toHaveValue('1234567A');
  await expect(settings.abi()).toHaveValue('03069');
  const saved = await api.call('sdd.creditor.get', {});
  expect(saved).toMatchObject({ configured: true, settings: { creditorIban: OTHER_BANK, abi: '03069', commissionCents: 100, prenotificationDays: 14, sequencePolicy: 'rcur' } });
});

test('P5: dalla scheda del pagante il pulsante «Mandato SDD» apre i suoi mandati; il suo IBAN si cambia dal mandato', async ({ page, app }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const payer = await api.call('payers.create', PAYER);
  await api.call('payers.create', { ...PAYER, firstName: 'Anna', lastName: 'Verdi', taxCode: 'VRDNNA80A41C800J', iban: null, ibanHolder: null });
  await api.call('sdd.mandates.create', { payerId: payer.id, iban: PAYER.iban, holderName: 'Mario Rossi', holderTaxCode: PAYER.taxCode, signedOn: '2026-09-02' });
  const shell = await signIn(page, app);
  await shell.go('Paganti');
  await page.getByTestId('payers-table').getByText('Rossi Mario').click();
  await page.getByTestId('payer-page').getByRole('button', { name: 'Modifica' }).click();
  const card = page.getByRole('dialog', { name: 'Rossi Mario' });
  // the IBAN of a payer under an active mandate is refused here, pointing to the mandate
  await box(card, 'IBAN').fill(OTHER_BANK);
  await card.getByRole('button', { name: 'Salva modifiche' }).click();
  await expect(await fieldError(card, 'IBAN')).toContainText('mandato SDD attivo (RM000001-1)');
  await card.getByRole('button', { name: 'Mandato SDD' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Mandati SDD' })).toBeVisible();
  const mandates = new SddMandatesPage(page);
  await expect(page.getByTestId('mandates-payer-filter')).toContainText(`Rossi Mario · ${PAYER.taxCode}`);
  await expect(mandates.table()).toContainText('RM000001-1');
  await expect(mandates.table()).not.toContainText('Verdi');
});
