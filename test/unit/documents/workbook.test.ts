/**
 * The documents' workbooks (statements, 730 list) use the list exports' sheet writer: a text that
 * looks like a formula stays text (issue 7, "Exports"), amounts stay numbers in euro.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { Workbook } from '../../../electron/documents/workbook';

describe('cartelle Excel dei documenti', () => {
  it('un testo che comincia con = + - @ resta testo (formato Testo e prefisso apostrofo), gli importi restano numeri in euro', async () => {
    const wb = new Workbook('Prova');
    wb.sheet('Movimenti', [
      { header: 'Descrizione', value: (r: { d: string; c: number }) => r.d },
      { header: 'Importo', type: 'euro', value: (r: { d: string; c: number }) => r.c },
    ], [
      { d: '=HYPERLINK("http://x","y")', c: -618 },
      { d: 'Pasto del 10/11/2026', c: 5000 },
    ]);
    const bytes = await wb.toBuffer();
    const styles = await (await JSZip.loadAsync(bytes)).file('xl/styles.xml')!.async('string');
    expect(styles).toContain('quotePrefix="1"');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = back.getWorksheet('Movimenti')!;
    expect(ws.getCell('A2').value).toBe('=HYPERLINK("http://x","y")');
    expect(ws.getCell('A2').numFmt).toBe('@');
    expect(ws.getCell('B2').value).toBe(-6.18);
    expect(ws.getCell('B2').numFmt).toContain('€');
    expect(ws.getCell('A3').numFmt).not.toBe('@');
  });
});
