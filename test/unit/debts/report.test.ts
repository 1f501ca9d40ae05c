/**
 * D1: what the municipality receives for forced collection. A family goes through the whole ladder
 * (three steps, the last by registered letter delivered with its scanned return receipt) with a debt
 * over two school years; the preview, the Excel (read back with exceljs: numbers, dates, per-year
 * columns, totals) and the family's evidence pack (read back with pdftotext: cover, statement, the
 * stored letters and receipts). Supervisors only, every export audited.
 */
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';
import { pdfText } from '../statements/pdf-text';
import { addFamily, charge, seedAttendance, type Base, type Family } from './fixtures';

let app: TestApp;
let base: Base;
let anna: Family; // through the whole ladder: a persistent debtor
let bruno: Family; // one reminder only
let clusone: number;
let pastYearId: number;
let receiptPdf: Buffer;

const T0 = '2026-10-20T08:00:00Z';
const T1 = '2026-11-05T08:00:00Z';
const T2 = '2026-11-21T08:00:00Z';
const T3 = '2026-12-10T08:00:00Z';

/** A 4×4 PNG (grey), built by hand: the scan of a postal receipt. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.concat(Array.from({ length: 4 }, () => Buffer.from([0, 90, 160, 90, 160])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

beforeAll(async () => {
  app = await createTestApp(T0);
  base = await seedAttendance(app);
  clusone = base.clusone.id;
  await app.call('caterer.update', { ...TEST_CATERER, version: app.version('caterer') });
  pastYearId = (await app.call('schoolYears.create', { label: '2025/2026', startsOn: '2025-09-01', endsOn: '2026-06-30' }, 'amministratore')).id;
  anna = await addFamily(app, base, { pupils: 2 });
  bruno = await addFamily(app, base);
  charge(app, anna.pupilIds[0], 2000, '2026-05-15'); // last school year
  charge(app, anna.pupilIds[0], 4000, '2026-10-01');
  charge(app, anna.pupilIds[1], 1000, '2026-10-02');
  charge(app, bruno.pupilIds[0], 2000, '2026-10-01');
  const receipt = await PDFDocument.create();
  const font = await receipt.embedFont(StandardFonts.Helvetica);
  receipt.addPage([420, 300]).drawText('CARTOLINA DI RITORNO RR 6123 4567 890', { x: 30, y: 200, size: 14, font });
  receiptPdf = Buffer.from(await receipt.save());

  const step = (stepPosition: number, families: Family[]) => app.call('debts.steps.record', { stepPosition, families: families.map((f) => ({ payerId: f.payerId, municipalityId: clusone })) }, 'operatore');
  await step(1, [anna, bruno]);
  await app.travel(T1);
  const [second] = await step(2, [anna]);
  await app.travel(T2);
  await app.call('debts.deliveries.record', { stepId: second.id, deliveredOn: '2026-11-07', receiptNumber: null, evidence: { fileName: 'ricevuta-posta.png', contentBase64: tinyPng().toString('base64') } }, 'operatore');
  const [third] = await step(3, [anna]);
  await app.call('debts.deliveries.record', { stepId: third.id, deliveredOn: '2026-11-21', receiptNumber: 'RR 6123 4567 890', evidence: { fileName: 'cartolina.pdf', contentBase64: receiptPdf.toString('base64') } }, 'operatore');
  await app.travel(T3);
}, 90_000);
afterAll(() => app.close());

const audits = (procedure: string) => app.database.sqlite.prepare('SELECT action, username FROM audit_log WHERE procedure = ? ORDER BY id').all(procedure) as { action: string; username: string }[];

async function workbook(contentBase64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(contentBase64, 'base64') as unknown as ArrayBuffer);
  return wb;
}

describe('D1: segnalazione dei morosi persistenti al comune', () => {
  it("solo il supervisore vede l'anteprima, scarica l'Excel e il fascicolo (D3: gli elenchi dei debitori vanno solo all'ufficio del comune)", async () => {
    for (const [name, input] of [
      ['debts.report.preview', { municipalityId: clusone }],
      ['debts.report.workbook', { municipalityId: clusone }],
      ['debts.evidencePack', { payerId: anna.payerId, municipalityId: clusone }],
    ] as const) {
      expect((await app.fail(name, input, 'operatore')).code).toBe('FORBIDDEN');
    }
    expect((await app.fail('debts.report.workbook', { municipalityId: 999 }, 'supervisore')).message).toBe('Comune inesistente');
    expect((await app.fail('debts.report.workbook', { municipalityId: clusone, schoolYearIds: [999] }, 'supervisore')).message).toBe('Anni scolastici inesistenti: 999');
  });

  it("D1: l'anteprima elenca i morosi persistenti con codice fiscale, alunni, importi per anno scolastico e passi con le date di consegna", async () => {
    const r = await app.call('debts.report.preview', { municipalityId: clusone }, 'supervisore');
    expect(r).toMatchObject({ municipalityName: 'Clusone', lastStepName: 'Diffida e messa in mora', rows: 1, totalCents: 7000 });
    expect(r.schoolYears.map((y) => y.label)).toEqual(['2025/2026', '2026/2027']);
    const [d] = r.debtors;
    expect(d).toMatchObject({ payerId: anna.payerId, payerName: anna.payerName, owedCents: 7000, oldestUnpaidOn: '2026-05-15' });
    expect(d.payerTaxCode).toMatch(/^[A-Z0-9]{16}$/);
    expect(d.pupils).toHaveLength(2);
    expect(d.amounts.map((a) => [a.schoolYearLabel, a.owedCents])).toEqual([
      ['2025/2026', 2000],
      ['2026/2027', 5000],
    ]);
    expect(d.steps.map((s) => [s.stepName, s.reachedOn, s.deliveredOn, s.receiptNumber, s.hasEvidence])).toEqual([
      ['Sollecito', '2026-10-20', null, null, false],
      ['Sollecito scritto', '2026-11-05', '2026-11-07', null, true],
      ['Diffida e messa in mora', '2026-11-21', '2026-11-21', 'RR 6123 4567 890', true],
    ]);
    // Bruno got only the first reminder
    expect(r.debtors.map((x) => x.payerId)).not.toContain(bruno.payerId);
    // one school year only: only that year's debt counts
    const past = await app.call('debts.report.preview', { municipalityId: clusone, schoolYearIds: [pastYearId] }, 'supervisore');
    expect(past.debtors.map((x) => [x.payerId, x.owedCents, x.oldestUnpaidOn])).toEqual([[anna.payerId, 2000, '2026-05-15']]);
    const current = await app.call('debts.report.preview', { municipalityId: clusone, schoolYearIds: [base.year.id] }, 'supervisore');
    expect(current.debtors.map((x) => [x.owedCents, x.oldestUnpaidOn])).toEqual([[5000, '2026-10-01']]);
  });

  it("D1: l'Excel del comune ha importi numerici in euro, date vere, una colonna per anno scolastico e la riga dei totali", async () => {
    const out = await app.call('debts.report.workbook', { municipalityId: clusone }, 'supervisore');
    expect(out).toMatchObject({ rows: 1, fileName: 'morosi-clusone-2026-12-10.xlsx' });
    const wb = await workbook(out.contentBase64);
    const ws = wb.getWorksheet('Morosi')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    expect(header).toEqual(expect.arrayContaining(['Pagante', 'Codice fiscale', 'Alunni', 'Dovuto 2025/2026', 'Dovuto 2026/2027', 'Importo dovuto', 'Consegnato il', 'Ricevuta n.']));
    const cell = (row: number, name: string) => ws.getRow(row).getCell(header.indexOf(name) + 1);
    expect(cell(2, 'Pagante').value).toBe(anna.payerName);
    expect(cell(2, 'Dovuto 2025/2026').value).toBe(20);
    expect(cell(2, 'Dovuto 2026/2027').value).toBe(50);
    expect(cell(2, 'Importo dovuto').value).toBe(70);
    expect(cell(2, 'Importo dovuto').numFmt).toContain('€');
    expect(cell(2, 'Non pagato dal').value).toEqual(new Date(Date.UTC(2026, 4, 15)));
    expect(cell(2, 'Consegnato il').value).toEqual(new Date(Date.UTC(2026, 10, 21)));
    expect(cell(2, 'Ricevuta n.').value).toBe('RR 6123 4567 890');
    // the totals row, in bold
    expect(cell(3, 'Pagante').value).toBe('Totale (1 famiglia)');
    expect(cell(3, 'Importo dovuto').value).toBe(70);
    expect(cell(3, 'Dovuto 2025/2026').value).toBe(20);
    expect(ws.getRow(3).font?.bold).toBe(true);
    expect(ws.getColumn(header.indexOf('Alunni') + 1).width).toBe(40);
    const amounts = wb.getWorksheet('Importi per anno')!;
    expect(amounts.getSheetValues().slice(2).map((r) => (r as unknown[])[7])).toEqual([20, 40, 10, 70]);
    const steps = wb.getWorksheet('Passi e consegne')!;
    expect(steps.rowCount).toBe(4);

    const past = await workbook((await app.call('debts.report.workbook', { municipalityId: clusone, schoolYearIds: [pastYearId] }, 'supervisore')).contentBase64);
    const pastHeader = (past.getWorksheet('Morosi')!.getRow(1).values as unknown[]).slice(1);
    expect(pastHeader).toContain('Dovuto 2025/2026');
    expect(pastHeader).not.toContain('Dovuto 2026/2027');
  });

  it('D1: il fascicolo della famiglia riunisce riepilogo, estratto conto, le lettere conservate e le prove di consegna', async () => {
    const out = await app.call('debts.evidencePack', { payerId: anna.payerId, municipalityId: clusone }, 'supervisore');
    expect(out).toMatchObject({ mimeType: 'application/pdf', count: 7 }); // cover, statement, 3 letters, 2 receipts
    expect(out.fileName).toMatch(/^fascicolo-clusone-.*-2026-12-10\.pdf$/);
    const bytes = Buffer.from(out.contentBase64, 'base64');
    const text = pdfText(bytes, false);
    expect(text).toContain('Fascicolo del debitore per la riscossione coattiva');
    expect(text).toContain('Estratto conto della famiglia');
    for (const name of ['Sollecito', 'Sollecito scritto', 'Diffida e messa in mora']) expect(text).toContain(name);
    expect(text).toContain('CARTOLINA DI RITORNO RR 6123 4567 890'); // the stored PDF receipt, appended
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Prova di consegna: Sollecito scritto del 05/11/2026'); // the scan, on its own page
    expect(flat).toContain('«ricevuta-posta.png»: immagine riportata su una pagina');
    const history = (await app.call('debts.family', { payerId: anna.payerId, municipalityId: clusone }, 'operatore')).history;
    for (const s of history) expect(text.replace(/\s+/g, '')).toContain(s.documentSha256);
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(7);
    expect(doc.getTitle()).toBe(`Fascicolo per la riscossione - ${anna.payerName}`);
  });

  it('ogni anteprima ed esportazione è registrata con chi e che cosa', () => {
    expect(audits('debts.report.preview').map((a) => [a.username, a.action])).toEqual(Array(3).fill(['supervisore', 'anteprima dei morosi persistenti per il comune']));
    expect(audits('debts.report.workbook').map((a) => [a.username, a.action])).toEqual(Array(2).fill(['supervisore', 'esportazione dei morosi persistenti per il comune']));
    expect(audits('debts.evidencePack')).toMatchObject([{ username: 'supervisore', action: 'fascicolo del debitore per il comune' }]);
  });
});
