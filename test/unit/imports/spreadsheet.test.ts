import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSheet, readXlsxWithExcelJs, detectDelimiter, decodeText } from '../../../electron/imports/spreadsheet';
import { readXlsx } from '../../../electron/imports/xlsx-reader';
import { sheetLimits } from '../../../electron/imports/sheet-limits';
import { AppError } from '../../../electron/contract/errors';

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).message;
  }
  throw new Error('doveva rifiutare il file');
}

describe('lettura del foglio di calcolo', () => {
  it('CSV con ";" (Excel italiano), BOM, celle tra virgolette e una riga vuota', async () => {
    const text = '\ufeffCognome;Nome;Note\r\nRossi;Maria;"a; b"\r\n\r\nBianchi;"Luca ""il piccolo""";"riga1\nriga2"\r\nVerdi;Anna;\r\n';
    const sheet = await readSheet('iscritti.csv', Buffer.from(text, 'utf8'));
    expect(sheet.columns).toEqual(['Cognome', 'Nome', 'Note']);
    expect(sheet.rows).toEqual([
      { row: 2, cells: ['Rossi', 'Maria', 'a; b'] },
      { row: 4, cells: ['Bianchi', 'Luca "il piccolo"', 'riga1\nriga2'] },
      { row: 6, cells: ['Verdi', 'Anna', ''] },
    ]);
  });

  it('CSV con "," e senza BOM; il testo Windows-1252 (accenti) è decodificato', async () => {
    const sheet = await readSheet('a.CSV', Buffer.from('Cognome,Nome\nRossi,Maria\n'));
    expect(sheet.rows[0].cells).toEqual(['Rossi', 'Maria']);
    const latin1 = Buffer.from([...Buffer.from('Cognome;Nome\nD'), 0x27, ...Buffer.from('Ambrosio;Nicol'), 0xf2, 0x0a]);
    const s2 = await readSheet('vecchio.csv', latin1);
    expect(s2.rows[0].cells).toEqual(["D'Ambrosio", 'Nicolò']);
    expect(detectDelimiter('"a;b",c,d\n1,2,3')).toBe(',');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(decodeText(Buffer.from('\ufeffciao', 'utf8'))).toBe('ciao');
  });

  it("l'intestazione è la prima riga con almeno due nomi; i doppioni si distinguono", async () => {
    const sheet = await readSheet('a.csv', Buffer.from('Esportazione del 01/07/2026\n\nCognome;Nome;Cognome\nRossi;Maria;Bianchi\n'));
    expect(sheet.columns).toEqual(['Cognome', 'Nome', 'Cognome (2)']);
    expect(sheet.rows).toEqual([{ row: 4, cells: ['Rossi', 'Maria', 'Bianchi'] }]);
  });

  it("rifiuta in italiano ciò che non sa leggere", async () => {
    expect(await refusal(readSheet('vecchio.xls', Buffer.from('x')))).toMatch(/\.xls.*non è supportato.*\.xlsx/);
    expect(await refusal(readSheet('foglio.ods', Buffer.from('x')))).toMatch(/\.ods/);
    expect(await refusal(readSheet('foto.jpg', Buffer.from('x')))).toMatch(/Formato non supportato/);
    expect(await refusal(readSheet('vuoto.csv', Buffer.alloc(0)))).toMatch(/vuoto/);
    expect(await refusal(readSheet('solo-intestazione.csv', Buffer.from('Cognome;Nome\n')))).toMatch(/non contiene righe di dati/);
    expect(await refusal(readSheet('finto.xlsx', Buffer.from('non sono un file excel')))).toMatch(/non è un foglio Excel/);
  });

  it("xlsx: il primo foglio, date come date, numeri, testo formattato, formule, booleani", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Iscritti');
    wb.addWorksheet('Altro').addRow(['non', 'letto']);
    ws.addRow(['Cognome', 'Nome', 'Nato il', 'Cellulare', 'Note', 'Totale', 'SDD']);
    ws.addRow(['  Rossi ', { richText: [{ text: 'Ma' }, { text: 'ria', font: { bold: true } }] }, new Date(Date.UTC(2019, 2, 5)), 3471234567, 'a & b <c>', { formula: '1+1', result: 2 }, true]);
    ws.getCell('C2').numFmt = 'dd/mm/yyyy';
    ws.addRow([]);
    ws.addRow(['Bianchi', 'Luca', null, null, null, null, false]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const sheet = await readSheet('iscritti.xlsx', buf);
    expect(sheet.columns).toEqual(['Cognome', 'Nome', 'Nato il', 'Cellulare', 'Note', 'Totale', 'SDD']);
    expect(sheet.rows).toEqual([
      { row: 2, cells: ['Rossi', 'Maria', '2019-03-05', '3471234567', 'a & b <c>', '2', 'VERO'] },
      { row: 4, cells: ['Bianchi', 'Luca', '', '', '', '', 'FALSO'] },
    ]);
  });

  it("il lettore xlsx veloce dà esattamente ciò che dà exceljs (cartelle generate)", async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('Niccolò', "D'Angelo", 'a & b', '<tag>', '"virgolette"', ' spazi ', 'riga\nnuova', 'émoji 😀', '_x000D_'),
    );
    const cell = fc.oneof(
      text,
      fc.integer({ min: -1e9, max: 1e10 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.boolean(),
      fc.date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2030, 11, 31)), noInvalidDate: true }).map((d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))),
      fc.constant(null),
      text.map((t) => ({ richText: [{ text: t }, { text: 'x', font: { italic: true } }] })),
      // (exceljs drops a formula result of 0 when reading: the fast reader keeps it, so 0 is left out here)
      fc.integer({ min: 1, max: 99 }).map((n) => ({ formula: `${n}*2`, result: n * 2 })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { maxLength: 6 }), { minLength: 1, maxLength: 8 }), fc.boolean(), async (rows, sharedStrings) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('Foglio');
        for (const r of rows) ws.addRow(r);
        const buf = Buffer.from(await wb.xlsx.writeBuffer({ useSharedStrings: sharedStrings }));
        const fast = (await readXlsx(buf, sheetLimits())).filter(([, cells]) => cells.some((c) => c !== ''));
        const slow = (await readXlsxWithExcelJs(buf)).lines
          .map(([n, cells]) => [n, trimEnd(cells)] as [number, string[]])
          .filter(([, cells]) => cells.some((c) => c !== ''));
        expect(fast.map(([n, cells]) => [n, trimEnd(cells)])).toEqual(slow);
      }),
      { numRuns: 60 },
    );
  });
});

function trimEnd(cells: string[]): string[] {
  const out = [...cells];
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}
