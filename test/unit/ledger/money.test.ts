/**
 * The money rules through the contract: T1 (the published price is charged), P1 (prepaid, a
 * negative balance is a debt, reminders), P2 (pagoPA receipts checked mod 93, one IUV once),
 * P3 (year-end carry-over), P7 (one credit per service).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { seedAttendance, enrollPupil, count, type Base } from '../attendance/fixtures';
import { buildNumeroAvviso } from '../../../electron/identifiers/pagopa-notice';

const vectors = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../shared/standards/it-identifiers-test-vectors.json'), 'utf8')) as {
  numero_avviso_valid: Record<string, string>;
  numero_avviso_check_invalid: string[];
};

let app: TestApp;
let base: Base;
let pupilId: number;

beforeEach(async () => {
  app = await createTestApp('2026-10-12T08:00:00Z');
  base = await seedAttendance(app);
  pupilId = (await enrollPupil(app, base)).pupil.id;
});
afterEach(() => app.close());

const balance = async (service = 'mensa', id = pupilId) =>
  (await app.call('ledger.balances', { pupilId: id })).services.find((s) => s.service === service)!.balanceCents;

let iuvSeq = 1;
const notice = () => buildNumeroAvviso({ auxDigit: 3, segregationCode: '12', iuvBase: String(2026000000000 + iuvSeq++) });

describe('addebito dei pasti', () => {
  it('T1: un pasto di Clusone è addebitato 6,18 € (lordo pubblicato), con imponibile 5,95 e IVA 0,23 come inseriti', async () => {
    const r = await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
    expect(r.results[0].meals).toBe(1);
    expect(await balance()).toBe(-618);
    const { entries } = await app.call('ledger.movements', { pupilId });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'addebito_pasto', amountCents: -618, grossCents: 618, netCents: 595, vatCents: 23, serviceDate: '2026-10-12', bookedOn: '2026-10-12' });
  });

  it('T1: una presenza rettificata dopo la chiusura produce lo storno, e di nuovo l’addebito se torna presente', async () => {
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
    await app.call('attendance.correctMeal', { pupilId, date: '2026-10-12', present: false, reason: 'Uscito prima di pranzo' }, 'operatore');
    expect(await balance()).toBe(0);
    await app.call('attendance.correctMeal', { pupilId, date: '2026-10-12', present: true, plain: true, reason: 'Era presente, pasto in bianco' }, 'operatore');
    expect(await balance()).toBe(-618);
    // plain ↔ normal does not change the price: no new entry
    await app.call('attendance.correctMeal', { pupilId, date: '2026-10-12', present: true, plain: false, reason: 'Pasto normale' }, 'operatore');
    const kinds = (await app.call('ledger.movements', { pupilId })).entries.map((e) => [e.kind, e.amountCents]);
    expect(kinds).toEqual([
      ['addebito_pasto', -618],
      ['storno_pasto', 618],
      ['addebito_pasto', -618],
    ]);
  });
});

describe('ricariche pagoPA e pagamenti', () => {
  it('P2: i numeri avviso validi dei vettori di prova sono accettati, quelli con controllo errato rifiutati con un messaggio italiano', async () => {
    let n = 0;
    for (const valid of Object.keys(vectors.numero_avviso_valid)) {
      await app.call('ledger.registerPagopa', { pupilId, noticeNumber: valid, amountCents: 1000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
      n++;
    }
    expect(await balance()).toBe(n * 1000);
    for (const bad of vectors.numero_avviso_check_invalid) {
      const err = await app.fail('ledger.registerPagopa', { pupilId, noticeNumber: bad, amountCents: 1000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
      expect(err.code).toBe('VALIDATION');
      expect(err.issues[0]).toMatchObject({ path: ['noticeNumber'] });
      expect(err.message + err.issues[0].message).toMatch(/controllo/);
    }
    expect(await balance()).toBe(n * 1000);
  });

  it('P2: la stessa ricevuta (stesso IUV) non si registra due volte', async () => {
    const nav = '312202510000004279';
    const first = await app.call('ledger.registerPagopa', { pupilId, noticeNumber: nav, amountCents: 5000, paidAt: '2026-10-10T09:00:00Z', payerTaxCode: 'RSSMRA85T10A562S' }, 'operatore');
    expect(first.payment.iuv).toBe('12202510000004279');
    const err = await app.fail('ledger.registerPagopa', { pupilId, noticeNumber: nav, amountCents: 5000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/già registrata.*IUV 12202510000004279/);
    expect(await balance()).toBe(5000);
    expect(count(app, 'SELECT count(*) AS n FROM payments')).toBe(1);
  });

  it('P7: una ricarica nomina il suo servizio e i saldi restano separati', async () => {
    await app.call('ledger.registerPagopa', { pupilId, service: 'trasporto', noticeNumber: notice(), amountCents: 3000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
    expect(await balance('trasporto')).toBe(3000);
    expect(await balance('mensa')).toBe(-618);
    const err = await app.fail('ledger.registerPagopa', { pupilId, service: 'piscina', noticeNumber: notice(), amountCents: 3000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
    expect(err.issues[0]).toMatchObject({ path: ['service'] });
  });

  it('pagamenti manuali, rimborso entro il credito, rettifica solo del supervisore con motivo, storno di un incasso', async () => {
    const cash = await app.call('ledger.registerPayment', { pupilId, channel: 'contanti', amountCents: 2000, paidOn: '2026-10-12' }, 'operatore');
    expect(cash.entry).toMatchObject({ kind: 'pagamento', channel: 'contanti', settledOn: '2026-10-12' });
    expect((await app.fail('ledger.registerPayment', { pupilId, channel: 'bonifico', amountCents: 2000, paidOn: '2026-10-12' }, 'operatore')).issues[0].path).toEqual(['reference']);
    await app.call('ledger.registerPayment', { pupilId, channel: 'bonifico', amountCents: 1500, paidOn: '2026-10-09', reference: 'CRO 123456' }, 'operatore');
    expect((await app.fail('ledger.refund', { pupilId, amountCents: 500, channel: 'bonifico', paidOn: '2026-10-12', reason: 'Trasferimento' }, 'operatore')).code).toBe('FORBIDDEN');
    const over = await app.fail('ledger.refund', { pupilId, amountCents: 4000, channel: 'bonifico', paidOn: '2026-10-12', reason: 'Trasferimento' }, 'supervisore');
    expect(over.message).toMatch(/credito disponibile: 35,00/);
    await app.call('ledger.refund', { pupilId, amountCents: 500, channel: 'bonifico', paidOn: '2026-10-12', reason: 'Trasferimento ad altra città' }, 'supervisore');
    expect((await app.fail('ledger.adjust', { pupilId, amountCents: -100, reason: 'Errore' }, 'operatore')).code).toBe('FORBIDDEN');
    expect((await app.fail('ledger.adjust', { pupilId, amountCents: -100, reason: '' }, 'supervisore')).issues[0].path).toEqual(['reason']);
    await app.call('ledger.adjust', { pupilId, amountCents: -100, reason: 'Arrotondamento concordato' }, 'supervisore');
    await app.call('ledger.reversePayment', { paymentId: cash.payment.id, reason: 'Registrato per errore' }, 'supervisore');
    expect((await app.fail('ledger.reversePayment', { paymentId: cash.payment.id, reason: 'Di nuovo' }, 'supervisore')).code).toBe('CONFLICT');
    expect(await balance()).toBe(2000 + 1500 - 500 - 100 - 2000);
    // every mutation audited
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE procedure LIKE 'ledger.%'")).toBe(5);
  });
});

describe('credito prepagato (P1)', () => {
  it('P1: un saldo negativo è un debito; la soglia è un’impostazione del supervisore', async () => {
    await app.call('ledger.registerPagopa', { pupilId, noticeNumber: notice(), amountCents: 1000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
    const other = (await enrollPupil(app, base)).pupil.id;
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
    // pupilId: 1000 - 618 = 382; other: -618
    let low = await app.call('ledger.lowBalances', {}, 'operatore');
    expect(low.thresholdCents).toBe(0);
    expect(low.rows.map((r) => [r.pupilId, r.balanceCents, r.debt, r.paymentMethod])).toEqual([[other, -618, true, 'sdd']]);
    // under SDD the negative balance is the month still to be debited: the prepaid-only list leaves it out
    expect((await app.call('ledger.lowBalances', { paymentMethod: 'prepagato' }, 'operatore')).rows).toEqual([]);
    expect((await app.fail('ledger.setLowBalanceThreshold', { version: app.version('lowBalance'), thresholdCents: 500 }, 'operatore')).code).toBe('FORBIDDEN');
    await app.call('ledger.setLowBalanceThreshold', { version: app.version('lowBalance'), thresholdCents: 500 }, 'supervisore');
    low = await app.call('ledger.lowBalances', {}, 'operatore');
    expect(low.rows.map((r) => [r.pupilId, r.balanceCents, r.debt])).toEqual([
      [other, -618, true],
      [pupilId, 382, false],
    ]);
  });

  it('P1: prima del primo mese si sollecitano le famiglie prepagate con meno di un mese di pasti × tariffa', async () => {
    const p = await enrollPupil(app, base, { weekdays: [1, 3], startsOn: '2026-11-02', activate: false });
    app.database.sqlite.prepare("UPDATE enrollments SET payment_method = 'prepagato', version = version + 1 WHERE id = ?").run(p.enrollment.id);
    // 30 days from Mon 2 Nov 2026: Mondays and Wednesdays = 9 meals x 6.18 = 55.62
    let r = await app.call('ledger.firstMonthReminders', { schoolYearId: base.year.id }, 'operatore');
    expect(r.map((x) => [x.pupilId, x.expectedMeals, x.requiredCents, x.missingCents])).toEqual([[p.pupil.id, 9, 5562, 5562]]);
    await app.call('ledger.registerPagopa', { pupilId: p.pupil.id, noticeNumber: notice(), amountCents: 5562, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
    r = await app.call('ledger.firstMonthReminders', { schoolYearId: base.year.id }, 'operatore');
    expect(r).toEqual([]);
  });
});

describe('riporto di fine anno (P3)', () => {
  it('P3: il credito residuo e il debito passano all’anno successivo con una coppia che si annulla; ripetere non cambia nulla', async () => {
    await app.call('ledger.registerPagopa', { pupilId, noticeNumber: notice(), amountCents: 5000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
    await app.call('ledger.registerPagopa', { pupilId, service: 'trasporto', noticeNumber: notice(), amountCents: 700, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
    const debtor = (await enrollPupil(app, base)).pupil.id;
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
    const refused = await app.fail('ledger.carryOver', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, 'supervisore');
    expect(refused.code).toBe('CONFLICT');
    await app.travel('2027-07-15T08:00:00Z');
    const r = await app.call('ledger.carryOver', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, 'supervisore');
    expect(r).toMatchObject({ accounts: 3, creditCents: 5000 - 618 + 700, debtCents: 618 });
    const b = await app.call('ledger.balances', { pupilId });
    const byYear = Object.fromEntries(b.accounts.map((a) => [`${a.service}:${a.schoolYearLabel}`, a.balanceCents]));
    expect(byYear).toEqual({ 'mensa:2026/2027': 0, 'mensa:2027/2028': 4382, 'trasporto:2026/2027': 0, 'trasporto:2027/2028': 700 });
    expect(await balance('mensa', debtor)).toBe(-618);
    const pairs = app.database.sqlite
      .prepare("SELECT o.amount_cents + i.amount_cents AS s FROM ledger_entries i JOIN ledger_entries o ON o.id = i.counterpart_id WHERE i.kind = 'riporto_entrata'")
      .all() as { s: number }[];
    expect(pairs).toEqual([{ s: 0 }, { s: 0 }, { s: 0 }]);
    const again = await app.call('ledger.carryOver', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, 'supervisore');
    expect(again.accounts).toBe(0);
    expect(count(app, "SELECT count(*) AS n FROM ledger_entries WHERE kind LIKE 'riporto%'")).toBe(6);
  });
});

describe('registro incassi', () => {
  it('elenca ricariche e pagamenti del periodo per comune e mezzo, con i totali, ed esporta importi numerici in euro', async () => {
    await app.call('ledger.registerPagopa', { pupilId, noticeNumber: notice(), amountCents: 5000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
    await app.call('ledger.registerPayment', { pupilId, channel: 'contanti', amountCents: 1234, paidOn: '2026-10-11' }, 'operatore');
    await app.call('ledger.registerPayment', { pupilId, channel: 'contanti', amountCents: 1000, paidOn: '2026-09-30' }, 'operatore');
    const r = await app.call('ledger.register', { from: '2026-10-01', to: '2026-10-31' }, 'operatore');
    expect(r.count).toBe(2);
    expect(r.amountCents).toBe(6234);
    expect(r.totals.map((t) => [t.municipalityName, t.channel, t.amountCents])).toEqual([
      ['Clusone', 'contanti', 1234],
      ['Clusone', 'pagopa', 5000],
    ]);
    const cash = await app.call('ledger.register', { from: '2026-09-01', to: '2026-10-31', channel: 'contanti' }, 'operatore');
    expect(cash.amountCents).toBe(2234);
    const file = await app.call('ledger.registerExport', { from: '2026-10-01', to: '2026-10-31' }, 'operatore');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = header.indexOf('Importo') + 1;
    expect(ws.getRow(2).getCell(col).value).toBe(50);
    expect(ws.getRow(3).getCell(col).value).toBe(12.34);
    expect(ws.getRow(2).getCell(col).numFmt).toMatch(/€/);
  });
});
