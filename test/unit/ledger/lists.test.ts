/**
 * P1 in the lists: pupils and payers carry their balance, can be filtered and sorted by it, and the
 * Excel exports write it as a real number with a euro format.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../support/backend';
import { seedAttendance, enrollPupil, type Base } from '../attendance/fixtures';
import { buildNumeroAvviso } from '../../../electron/identifiers/pagopa-notice';

let app: TestApp;
let base: Base;
let rich: number;
let poor: number;
let zero: number;

beforeEach(async () => {
  app = await createTestApp('2026-10-12T08:00:00Z');
  base = await seedAttendance(app);
  rich = (await enrollPupil(app, base)).pupil.id;
  poor = (await enrollPupil(app, base)).pupil.id;
  zero = (await enrollPupil(app, base, { activate: false })).pupil.id;
  await app.call('ledger.registerPagopa', { pupilId: rich, noticeNumber: buildNumeroAvviso({ auxDigit: 3, segregationCode: '01', iuvBase: '2026000000777' }), amountCents: 2500, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
  await app.call('ledger.registerPagopa', { pupilId: rich, service: 'trasporto', noticeNumber: buildNumeroAvviso({ auxDigit: 3, segregationCode: '01', iuvBase: '2026000000778' }), amountCents: 1000, paidAt: '2026-10-10T09:00:00Z' }, 'operatore');
  await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
});
afterEach(() => app.close());

async function readExport(contentBase64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(contentBase64, 'base64') as never);
  const ws = wb.worksheets[0];
  const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
  return { ws, col: (name: string) => header.indexOf(name) + 1 };
}

describe('saldi negli elenchi (P1)', () => {
  it('P1: gli alunni hanno il saldo mensa e totale, si filtrano per debito, credito, soglia e si ordinano per saldo', async () => {
    const all = await app.call('pupils.list', { sort: 'balance' }, 'operatore');
    expect(all.rows.map((r) => [r.id, r.balanceCents, r.totalBalanceCents])).toEqual([
      [poor, -618, -618],
      [zero, 0, 0],
      [rich, 1882, 2882],
    ]);
    expect((await app.call('pupils.list', { balance: 'debito' }, 'operatore')).rows.map((r) => r.id)).toEqual([poor]);
    expect((await app.call('pupils.list', { balance: 'credito' }, 'operatore')).rows.map((r) => r.id)).toEqual([rich]);
    expect((await app.call('pupils.list', { balance: 'zero' }, 'operatore')).total).toBe(1);
    await app.call('ledger.setLowBalanceThreshold', { version: app.version('lowBalance'), thresholdCents: 2000 }, 'supervisore');
    const under = await app.call('pupils.list', { balance: 'sotto_soglia', sort: 'balance' }, 'operatore');
    expect(under.rows.map((r) => r.id)).toEqual([poor, zero, rich]);
    expect(under.total).toBe(3);
  });

  it("P1: l'esportazione degli alunni scrive i saldi come numeri con formato in euro", async () => {
    const file = await app.call('pupils.export', { sort: 'balance' }, 'operatore');
    const { ws, col } = await readExport(file.contentBase64);
    const c = ws.getRow(2).getCell(col('Saldo mensa'));
    expect(c.value).toBe(-6.18);
    expect(c.numFmt).toMatch(/€/);
    expect(ws.getRow(4).getCell(col('Saldo totale')).value).toBe(28.82);
  });

  it('P1: i paganti hanno il saldo dei loro alunni, filtro e esportazione numerica', async () => {
    const list = await app.call('payers.list', {}, 'operatore');
    expect(list.rows.map((r) => [r.balanceCents, r.totalBalanceCents])).toEqual([[1882 - 618, 2882 - 618]]);
    expect((await app.call('payers.list', { balance: 'debito' }, 'operatore')).total).toBe(0);
    expect((await app.call('payers.list', { balance: 'credito' }, 'operatore')).total).toBe(1);
    const file = await app.call('payers.export', {}, 'operatore');
    const { ws, col } = await readExport(file.contentBase64);
    expect(ws.getRow(2).getCell(col('Saldo mensa')).value).toBe(12.64);
    expect(ws.getRow(2).getCell(col('Saldo mensa')).numFmt).toMatch(/€/);
  });
});
