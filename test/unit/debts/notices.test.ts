/**
 * pagoPA notices issued by the fees office (issue 11, P6): only for families without a bank account,
 * with a returned debit or an open P6 exception; an 18-digit notice number with its mod-93 check;
 * the status derived from the receipts in the ledger (paid, back to unpaid when the receipt is
 * reversed); the notice adds no debt, and a settled notice lowers the family's position by itself;
 * cancellation once, with a reason; the printed notice read back with pdftotext.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateNumeroAvviso } from '../../../electron/identifiers/pagopa-notice';
import { familyPosition } from '../../../electron/debts/positions';
import { createTestApp, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';
import { pdfText } from '../statements/pdf-text';
import { addFamily, charge, seedAttendance, type Base, type Family } from './fixtures';

let app: TestApp;
let base: Base;
let withAccount: Family; // has an IBAN, no exception: P6 refuses
let noAccount: Family; // no IBAN, no mandate: may pay by notice
let clusone: number;

const EC = '80002280164'; // a creditor fiscal code with a valid check digit
const T0 = '2026-10-20T08:00:00Z';
const T1 = '2026-11-20T08:00:00Z';

beforeAll(async () => {
  app = await createTestApp(T0);
  base = await seedAttendance(app);
  clusone = base.clusone.id;
  await app.call('caterer.update', { ...TEST_CATERER, version: app.version('caterer') });
  withAccount = await addFamily(app, base);
  noAccount = await addFamily(app, base);
  app.database.sqlite.prepare('UPDATE payers SET iban = NULL, iban_holder = NULL, version = version + 1 WHERE id = ?').run(noAccount.payerId);
  charge(app, withAccount.pupilIds[0], 3000, '2026-10-01');
  charge(app, noAccount.pupilIds[0], 4500, '2026-10-01');
}, 60_000);
afterAll(() => app.close());

const audits = (procedure: string) => app.database.sqlite.prepare('SELECT action, username FROM audit_log WHERE procedure = ? ORDER BY id').all(procedure) as { action: string; username: string }[];
const issueInput = (f: Family, over: Record<string, unknown> = {}) => ({ payerId: f.payerId, pupilId: f.pupilIds[0], service: 'mensa', amountCents: 4500, dueOn: '2026-11-05', creditorFiscalCode: EC, segregationCode: '47', ...over });

describe('avvisi pagoPA emessi dall\'ufficio', () => {
  it('P6: una famiglia con il conto e senza eccezione né insoluti non riceve avvisi; con l\'eccezione sì', async () => {
    const refused = await app.fail('pagopa.notices.issue', issueInput(withAccount, { amountCents: 3000 }), 'operatore');
    expect(refused).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^P6: .*senza conto corrente/) });
    expect((await app.call('pagopa.notices.list', { payerId: withAccount.payerId }, 'operatore')).p6Ground).toBeNull();
    await app.call('sdd.exceptions.grant', { payerId: withAccount.payerId, ground: 'senza_conto', reason: 'Conto chiuso, dichiarazione della famiglia' }, 'supervisore');
    expect((await app.call('pagopa.notices.list', { payerId: withAccount.payerId }, 'operatore')).p6Ground).toBe('eccezione');
    const n = await app.call('pagopa.notices.issue', issueInput(withAccount, { amountCents: 3000 }), 'operatore');
    expect(n).toMatchObject({ status: 'da_pagare', amountCents: 3000, municipalityId: clusone });
    // a family without IBAN nor mandate may without an exception
    expect((await app.call('pagopa.notices.list', { payerId: noAccount.payerId }, 'operatore')).p6Ground).toBe('senza_conto');
  });

  it("il numero avviso ha 18 cifre con il controllo mod 93, lo IUV è nelle ultime 17; la numerazione prosegue; il QR porta avviso, ente e importo", async () => {
    const before = familyPosition(app.database.db, '2026-10-20', noAccount.payerId, clusone).owedCents;
    const a = await app.call('pagopa.notices.issue', issueInput(noAccount), 'operatore');
    const b = await app.call('pagopa.notices.issue', issueInput(noAccount, { amountCents: 1000, description: 'Pasti di ottobre' }), 'operatore');
    for (const n of [a, b]) {
      expect(validateNumeroAvviso(n.noticeNumber)).toEqual({ ok: true, value: n.noticeNumber });
      expect(n.noticeNumber).toMatch(/^3472026\d{11}$/);
      expect(n.iuv).toBe(n.noticeNumber.slice(1));
      expect(n.qrPayload).toBe(`PAGOPA|002|${n.noticeNumber}|${EC}|${n.amountCents}`);
    }
    expect(Number(b.noticeNumber.slice(7, 16))).toBe(Number(a.noticeNumber.slice(7, 16)) + 1);
    expect(a.description).toMatch(/^Refezione scolastica .* - /);
    expect(b.description).toBe('Pasti di ottobre');
    // the notice adds no debt: the debt is the ledger's
    const after = familyPosition(app.database.db, '2026-10-20', noAccount.payerId, clusone);
    expect(after.owedCents).toBe(before);
    expect(after.notices.map((n) => [n.noticeNumber, n.amountCents, n.dueOn, n.overdueDays])).toEqual([
      [a.noticeNumber, 4500, '2026-11-05', 0],
      [b.noticeNumber, 1000, '2026-11-05', 0],
    ]);
    expect(audits('pagopa.notices.issue')).toHaveLength(3);
  });

  it('dati sbagliati: risposte in italiano, niente salvato', async () => {
    const count = () => (app.database.sqlite.prepare('SELECT count(*) AS n FROM pagopa_notices').get() as { n: number }).n;
    const n0 = count();
    expect((await app.fail('pagopa.notices.issue', issueInput(noAccount, { creditorFiscalCode: '80002280165' }), 'operatore')).issues).toEqual([
      { path: ['creditorFiscalCode'], message: "Codice fiscale dell'ente creditore errato (cifra di controllo)" },
    ]);
    expect((await app.fail('pagopa.notices.issue', issueInput(noAccount, { dueOn: '2026-10-19' }), 'operatore')).message).toBe('La scadenza non può essere nel passato');
    expect((await app.fail('pagopa.notices.issue', issueInput(noAccount, { segregationCode: '4' }), 'operatore')).message).toBe('Il codice di segregazione ha 2 cifre');
    expect((await app.fail('pagopa.notices.issue', issueInput(noAccount, { pupilId: withAccount.pupilIds[0] }), 'operatore')).message).toMatch(/non ha un'iscrizione pagata da/);
    expect(count()).toBe(n0);
  });

  it('la ricevuta con lo stesso IUV chiude l\'avviso e riduce il debito; lo storno della ricevuta lo riapre; scaduto, conta i giorni di ritardo', async () => {
    await app.travel(T1);
    const [a, b] = (await app.call('pagopa.notices.list', { payerId: noAccount.payerId }, 'operatore')).rows.sort((x, y) => x.id - y.id);
    expect([a.overdueDays, b.overdueDays]).toEqual([15, 15]);
    const paid = await app.call('ledger.registerPagopa', { pupilId: noAccount.pupilIds[0], noticeNumber: a.noticeNumber, amountCents: 4500, paidAt: '2026-11-19T10:00:00Z', creditorFiscalCode: EC }, 'operatore');
    const list = (await app.call('pagopa.notices.list', { payerId: noAccount.payerId }, 'operatore')).rows;
    expect(list.find((n) => n.id === a.id)).toMatchObject({ status: 'pagato', paidOn: '2026-11-19', overdueDays: 0, paymentId: paid.payment.id });
    const pos = familyPosition(app.database.db, '2026-11-20', noAccount.payerId, clusone);
    expect(pos.owedCents).toBe(0);
    expect(pos.notices.map((n) => n.id)).toEqual([b.id]); // the other notice is still unpaid beside a debt of zero
    expect((await app.call('pagopa.notices.list', { payerId: noAccount.payerId, status: 'da_pagare' }, 'operatore')).rows.map((n) => n.id)).toEqual([b.id]);

    await app.call('ledger.reversePayment', { paymentId: paid.payment.id, reason: 'Pagamento revocato dal PSP' }, 'supervisore');
    const again = (await app.call('pagopa.notices.list', { payerId: noAccount.payerId }, 'operatore')).rows.find((n) => n.id === a.id)!;
    expect(again).toMatchObject({ status: 'da_pagare', paidOn: null, overdueDays: 15 });
    const reopened = familyPosition(app.database.db, '2026-11-20', noAccount.payerId, clusone);
    expect(reopened.owedCents).toBe(4500);
    expect(reopened.notices.map((n) => n.id)).toEqual([a.id, b.id]);
  });

  it("l'annullamento: una volta sola, con il motivo; mai un avviso pagato; le righe non si cancellano né si modificano", async () => {
    const rows = (await app.call('pagopa.notices.list', { payerId: noAccount.payerId }, 'operatore')).rows.sort((x, y) => x.id - y.id);
    const [a, b] = rows;
    await app.call('ledger.registerPagopa', { pupilId: noAccount.pupilIds[0], noticeNumber: b.noticeNumber, amountCents: 1000, paidAt: '2026-11-20T07:30:00Z', creditorFiscalCode: EC }, 'operatore');
    expect((await app.fail('pagopa.notices.cancel', { noticeId: b.id, reason: 'Errore' }, 'operatore')).message).toMatch(/già stato pagato il 20\/11\/2026/);
    expect((await app.fail('pagopa.notices.cancel', { noticeId: a.id, reason: 'x' }, 'operatore')).issues[0]).toMatchObject({ path: ['reason'] });
    const cancelled = await app.call('pagopa.notices.cancel', { noticeId: a.id, reason: 'Importo pagato con bonifico' }, 'operatore');
    expect(cancelled).toMatchObject({ status: 'annullato', cancelReason: 'Importo pagato con bonifico', overdueDays: 0 });
    expect((await app.fail('pagopa.notices.cancel', { noticeId: a.id, reason: 'Ancora' }, 'operatore')).message).toMatch(/già annullato/);
    expect(familyPosition(app.database.db, '2026-11-20', noAccount.payerId, clusone).notices).toEqual([]);
    expect(() => app.database.sqlite.prepare('DELETE FROM pagopa_notices WHERE id = ?').run(a.id)).toThrow(/non si cancella/);
    expect(() => app.database.sqlite.prepare('UPDATE pagopa_notices SET amount_cents = 1 WHERE id = ?').run(b.id)).toThrow(/non si modifica/);
    expect(audits('pagopa.notices.cancel')).toEqual([{ action: `avviso pagoPA ${a.noticeNumber} annullato`, username: 'operatore' }]);
  });

  it("l'avviso in PDF: codice avviso a gruppi di quattro, ente, importo, scadenza, il contenuto del QR; la stampa è registrata", async () => {
    const [n] = (await app.call('pagopa.notices.list', { payerId: withAccount.payerId }, 'operatore')).rows;
    const file = await app.call('pagopa.notices.pdf', { noticeId: n.id }, 'operatore');
    expect(file).toMatchObject({ mimeType: 'application/pdf', count: 1, fileName: `avviso-pagopa-${n.noticeNumber}-${withAccount.payerName.replace(' ', '-')}.pdf` });
    const text = pdfText(Buffer.from(file.contentBase64, 'base64'), false);
    expect(text).toContain('Avviso di pagamento pagoPA');
    expect(text).toContain(n.noticeNumber.replace(/(\d{4})(?=\d)/g, '$1 '));
    expect(text).toContain(EC);
    expect(text).toContain('30,00 €');
    expect(text).toContain('05/11/2026');
    expect(text).toContain(`PAGOPA|002|${n.noticeNumber}|${EC}|3000`);
    expect(text).toContain(TEST_CATERER.companyName);
    expect(audits('pagopa.notices.pdf')).toEqual([{ action: 'avviso pagoPA in PDF', username: 'operatore' }]);
  });
});
