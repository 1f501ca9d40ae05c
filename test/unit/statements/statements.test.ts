/**
 * Estratto conto: opening balance, movements with Italian descriptions, closing balance, per
 * service (P7); the VAT breakdown of meal charges kept as entered (T1); Excel with real euro
 * numbers; PDF read back with pdftotext.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';
import { enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';
import { chargeMeals, closeDays, mealCharges, pay, reverseMeal } from './money-fixtures';
import { pdfFontsOf, pdfText } from './pdf-text';

let app: TestApp;
let base: Base;
let anna: number;
let luca: number;

beforeAll(async () => {
  app = await createTestApp();
  base = await seedAttendance(app);
  anna = (await enrollPupil(app, base)).pupil.id;
  luca = (await enrollPupil(app, base)).pupil.id;
  await closeDays(app, ['2026-10-13', '2026-10-14', '2026-10-15']);
  chargeMeals(app, anna);
  chargeMeals(app, luca);
  pay(app, { pupilId: anna, payerId: base.payerId, amountCents: 5000, paidOn: '2026-10-01', channel: 'pagopa' });
  pay(app, { pupilId: luca, payerId: base.payerId, amountCents: 3000, paidOn: '2026-10-02', channel: 'bonifico' });
  // the meal of 15 October is corrected to absent after the close: its charge is reversed
  const annaCharges = mealCharges(app, anna);
  reverseMeal(app, annaCharges.find((c) => c.serviceDate === '2026-10-15')!, '2026-10-16');
  // a second service (school bus) keeps its own credit (P7)
  pay(app, { pupilId: anna, payerId: base.payerId, amountCents: 2000, paidOn: '2026-10-20', channel: 'pagopa', service: 'trasporto' });
}, 120_000);
afterAll(() => app.close());

const period = { from: '2026-10-14', to: '2026-10-31' };

describe('estratto conto', () => {
  it('T1: il riepilogo IVA dei pasti somma imponibile 5,95, IVA e totale 6,18 come inseriti (non 6,188)', async () => {
    const all = await app.call('statements.get', { pupilId: luca, from: '2026-10-01', to: '2026-10-31' }, 'operatore');
    const mensa = all.pupils[0].services.find((s) => s.service === 'mensa')!;
    expect(mensa.vat).toEqual([{ vatRateBp: 400, meals: 3, netCents: 3 * 595, vatCents: 3 * 23, grossCents: 3 * 618 }]);
    // each charge is the published gross price, with net and VAT beside it as entered
    for (const c of mealCharges(app, luca)) expect([c.grossCents, c.netCents, c.vatCents]).toEqual([618, 595, 23]);
  });

  it('saldo iniziale, movimenti in italiano con saldo progressivo, saldo finale; gli storni tolgono il pasto dal riepilogo IVA', async () => {
    const s = await app.call('statements.get', { pupilId: anna, ...period }, 'operatore');
    expect(s.kind).toBe('alunno');
    const mensa = s.pupils[0].services.find((x) => x.service === 'mensa')!;
    // before 14 October: top-up 50,00 and the meal of 13 October
    expect(mensa.openingCents).toBe(5000 - 618);
    expect(mensa.movements.map((m) => [m.date, m.description, m.amountCents, m.balanceCents])).toEqual([
      ['2026-10-14', 'Pasto del 14/10/2026', -618, 5000 - 2 * 618],
      ['2026-10-15', 'Pasto del 15/10/2026', -618, 5000 - 3 * 618],
      ['2026-10-16', 'Storno del pasto del 15/10/2026 – presenza rettificata', 618, 5000 - 2 * 618],
    ]);
    expect(mensa.closingCents).toBe(5000 - 2 * 618);
    expect(mensa.creditsCents + mensa.debitsCents).toBe(mensa.closingCents - mensa.openingCents);
    expect(mensa.vat).toEqual([{ vatRateBp: 400, meals: 1, netCents: 595, vatCents: 23, grossCents: 618 }]);
  });

  it('P7: ogni servizio ha il proprio estratto conto e la ricarica del trasporto non entra nel saldo della mensa', async () => {
    const s = await app.call('statements.get', { pupilId: anna, ...period }, 'operatore');
    const services = s.pupils[0].services;
    expect(services.map((x) => x.service)).toEqual(['mensa', 'trasporto']);
    const bus = services.find((x) => x.service === 'trasporto')!;
    expect(bus.openingCents).toBe(0);
    expect(bus.movements.map((m) => [m.description.startsWith('Ricarica pagoPA (IUV '), m.amountCents])).toEqual([[true, 2000]]);
    expect(bus.closingCents).toBe(2000);
    expect(bus.vat).toEqual([]);
    expect(services.find((x) => x.service === 'mensa')!.closingCents).toBe(5000 - 2 * 618);
  });

  it('estratto conto della famiglia: tutti i figli del pagante, riepilogo IVA complessivo', async () => {
    const s = await app.call('statements.get', { payerId: base.payerId, ...period }, 'operatore');
    expect(s.kind).toBe('famiglia');
    expect(s.payer?.taxCode).toBe('RSSMRA85T10A562S');
    expect(s.pupils.map((p) => p.pupilId).sort()).toEqual([anna, luca].sort());
    // Anna: 1 meal net of the reversal; Luca: 2 meals in the period
    expect(s.vatTotal).toEqual([{ vatRateBp: 400, meals: 3, netCents: 3 * 595, vatCents: 3 * 23, grossCents: 3 * 618 }]);
  });

  it('Excel: importi come numeri in euro (non testo), date come date, foglio IVA', async () => {
    const out = await app.call('statements.xlsx', { pupilId: anna, ...period }, 'operatore');
    expect(out.mimeType).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(out.contentBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Movimenti')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['Alunno', 'Codice fiscale', 'Servizio', 'Data', 'Descrizione', 'Importo', 'Saldo']);
    const meal = ws.getRow(3);
    expect(meal.getCell(5).value).toBe('Pasto del 14/10/2026');
    expect(meal.getCell(6).value).toBe(-6.18);
    expect(meal.getCell(6).numFmt).toContain('€');
    expect(meal.getCell(4).value).toBeInstanceOf(Date);
    expect(ws.getRow(2).getCell(7).value).toBe(43.82);
    const vat = wb.getWorksheet('IVA pasti')!;
    expect((vat.getRow(2).values as unknown[]).slice(3)).toEqual(['4%', 1, 5.95, 0.23, 6.18]);
  });

  it('PDF: testo leggibile con accenti e simbolo dell\'euro, carattere incorporato', async () => {
    await app.call('caterer.update', { ...TEST_CATERER, version: app.version('caterer') });
    const out = await app.call('statements.pdf', { payerId: base.payerId, ...period }, 'operatore');
    expect(out.mimeType).toBe('application/pdf');
    const pdf = Buffer.from(out.contentBase64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Ristorazione Città Alta S.r.l.');
    expect(text).toContain('Estratto conto della famiglia');
    expect(text).toContain('dal 14/10/2026 al 31/10/2026');
    expect(text).toMatch(/Saldo iniziale\s+43,82 €/);
    expect(text).toContain('Storno del pasto del 15/10/2026');
    expect(text).toMatch(/4%\s+1\s+5,95 €\s+0,23 €\s+6,18 €/);
    expect(text).toContain('Servizio: Trasporto');
    expect(pdfFontsOf(pdf).every((f) => f.embedded && f.name.includes('DejaVuSans'))).toBe(true);
  });

  it('periodo invertito o nessun soggetto: errore sul campo, in italiano', async () => {
    const inverted = await app.fail('statements.get', { pupilId: anna, from: '2026-10-31', to: '2026-10-01' }, 'operatore');
    expect(inverted.issues).toContainEqual({ path: ['to'], message: 'La fine del periodo precede il suo inizio' });
    const none = await app.fail('statements.get', { from: '2026-10-01', to: '2026-10-31' }, 'operatore');
    expect(none.issues[0].path).toEqual(['pupilId']);
  });
});
