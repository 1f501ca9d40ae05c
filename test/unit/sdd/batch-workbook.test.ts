/**
 * The bank office's Excel of a batch: one row per debit with the columns the office works from,
 * amounts as euro numbers, dates as dates, a bold totals row, and a sheet of the excluded debits.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildBatchWorkbook, type SddWorkbookRow } from '../../../electron/sdd/batch-workbook';

const row = (o: Partial<SddWorkbookRow>): SddWorkbookRow => ({
  payerName: 'Bianchi Anna',
  payerTaxCode: 'RSSMRA85T10A562S',
  holderName: 'Anna Bianchi',
  iban: 'IT60X0542811101000000123456',
  mandateId: 'RM-MND-000123',
  mandateSignedOn: '2025-09-01',
  amountCents: 6280,
  mealCount: 10,
  mealsCents: 6180,
  commissionCents: 100,
  pupilName: 'Bianchi Luca',
  school: 'Primaria Clusone',
  month: 'ottobre 2026',
  endToEndId: 'RM-2026-10-000002',
  dueDate: '2026-11-30',
  sequenceType: 'RCUR',
  exclusionReason: '',
  ...o,
});

const batch = { id: 7, month: '2026-10', dueDate: '2026-11-30', status: 'approvato', msgId: 'RM-SDD-2026-10-001' };

async function sheets(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const read = (ws: ExcelJS.Worksheet) => {
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    return rows;
  };
  return { wb, debits: read(wb.getWorksheet('Addebiti')!), excluded: read(wb.getWorksheet('Esclusi')!) };
}

describe("Excel della distinta per l'ufficio banca", () => {
  it('esempio B: due fratelli, 62,80 + 50,44; riga dei totali 113,24 in grassetto; importi numeri in euro, date vere date, IBAN a gruppi come testo', async () => {
    const included = [row({}), row({ pupilName: 'Bianchi Sara', amountCents: 5044, mealCount: 8, mealsCents: 4944, endToEndId: 'RM-2026-10-000003' })];
    const { wb, debits } = await sheets(await buildBatchWorkbook({ batch, included, excluded: [] }));
    expect(debits[0]).toEqual([
      'Pagatore', 'Codice fiscale pagatore', 'Intestatario del conto', 'IBAN', 'Mandato (UMR)', 'Firma del mandato', 'Alunno', 'Scuola', 'Mese',
      'Pasti', 'Importo pasti', 'Commissione', 'Importo addebito', 'EndToEndId', 'Scadenza', 'Sequenza',
    ]);
    expect(debits[1]).toEqual([
      'Bianchi Anna', 'RSSMRA85T10A562S', 'Anna Bianchi', 'IT60 X054 2811 1010 0000 0123 456', 'RM-MND-000123', new Date(Date.UTC(2025, 8, 1)), 'Bianchi Luca', 'Primaria Clusone', 'ottobre 2026',
      10, 61.8, 1, 62.8, 'RM-2026-10-000002', new Date(Date.UTC(2026, 10, 30)), 'RCUR',
    ]);
    const total = debits[3];
    expect(total[0]).toBe('Totale: 2 addebiti');
    expect(total.slice(9, 13)).toEqual([18, 111.24, 2, 113.24]);
    const ws = wb.getWorksheet('Addebiti')!;
    expect(ws.getRow(4).font?.bold).toBe(true);
    expect(ws.getCell('M2').numFmt).toContain('€');
    expect(ws.getCell('F2').numFmt).toBe('dd/mm/yyyy');
    expect(ws.getCell('D2').numFmt).toBe('@');
    expect(wb.title).toBe('Distinta SDD n. 7 - 2026-10 - RM-SDD-2026-10-001');
  });

  it('il foglio «Esclusi» elenca gli addebiti lasciati fuori con il motivo e il loro totale', async () => {
    const excluded = [row({ iban: '', mandateId: '', mandateSignedOn: null, exclusionReason: 'Nessun mandato attivo', endToEndId: 'RM-2026-10-000009' })];
    const { excluded: rows, debits } = await sheets(await buildBatchWorkbook({ batch, included: [row({})], excluded }));
    expect(rows[0]).toEqual(['Pagatore', 'Codice fiscale pagatore', 'Alunno', 'Scuola', 'Mese', 'Pasti', 'Importo non addebitato', "Motivo dell'esclusione", 'IBAN', 'Mandato (UMR)']);
    expect(rows[1]).toEqual(['Bianchi Anna', 'RSSMRA85T10A562S', 'Bianchi Luca', 'Primaria Clusone', 'ottobre 2026', 10, 62.8, 'Nessun mandato attivo']);
    expect(rows[2][0]).toBe('Totale: 1 escluso');
    expect(debits[2][0]).toBe('Totale: 1 addebito');
  });

  it('una distinta senza esclusi ha il foglio «Esclusi» con la sola intestazione; un nome che sembra una formula resta testo', async () => {
    const { excluded, debits, wb } = await sheets(await buildBatchWorkbook({ batch, included: [row({ payerName: '=HYPERLINK("x")' })], excluded: [] }));
    expect(excluded).toHaveLength(1);
    expect(debits[1][0]).toBe('=HYPERLINK("x")');
    expect(wb.getWorksheet('Addebiti')!.getCell('A2').numFmt).toBe('@');
  });
});
