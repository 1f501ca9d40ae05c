import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import { buildXlsx, type ExportColumn } from '../../../electron/exports/xlsx';
import { readGrid } from '../../../electron/imports/spreadsheet';
import { convertWithSoffice, tempDir } from '../../fixtures/office-sheets';

/**
 * Issue 7, "Exports": a text that begins with =, +, - or @ stays text when the export is opened,
 * re-saved or converted to CSV; amounts (negative ones too) stay numbers.
 */
interface Row {
  name: string;
  note: string;
  cents: number;
}
const columns: ExportColumn<Row>[] = [
  { header: 'Nome', value: (r) => r.name },
  { header: 'Nota', type: 'text', value: (r) => r.note },
  { header: 'Importo', type: 'euro', value: (r) => r.cents },
];
const rows: Row[] = [
  { name: '=1+1', note: '+39 347 1234567', cents: -1250 },
  { name: '@SOMMA(A1)', note: '-3', cents: 500 },
  { name: 'Rossi', note: '-nota', cents: -1 },
  { name: '+HYPERLINK("http://esempio")', note: 'ok', cents: 0 },
];

const dir = tempDir('rette-export-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Style index → { quotePrefix, numFmtId }, and cell reference → style index, from the file's XML. */
async function cellStyles(xlsx: Buffer): Promise<Map<string, { quotePrefix: boolean; numFmtId: number; type: string }>> {
  const zip = await JSZip.loadAsync(xlsx);
  const xfs: { quotePrefix: boolean; numFmtId: number }[] = [];
  let inCellXfs = false;
  const styles = new SaxesParser();
  styles.on('opentag', (t) => {
    const local = t.name.replace(/^.*:/, '');
    if (local === 'cellXfs') inCellXfs = true;
    else if (local === 'xf' && inCellXfs) xfs.push({ quotePrefix: ['1', 'true'].includes(String(t.attributes.quotePrefix)), numFmtId: Number(t.attributes.numFmtId ?? 0) });
  });
  styles.on('closetag', (t) => {
    if (t.name.replace(/^.*:/, '') === 'cellXfs') inCellXfs = false;
  });
  styles.write(await zip.file('xl/styles.xml')!.async('string')).close();
  const out = new Map<string, { quotePrefix: boolean; numFmtId: number; type: string }>();
  const sheet = new SaxesParser();
  sheet.on('opentag', (t) => {
    if (t.name.replace(/^.*:/, '') !== 'c') return;
    const xf = xfs[Number(t.attributes.s ?? 0)];
    out.set(String(t.attributes.r), { ...xf, type: String(t.attributes.t ?? 'n') });
  });
  sheet.write(await zip.file('xl/worksheets/sheet1.xml')!.async('string')).close();
  return out;
}

describe('esportazioni: i testi che sembrano formule restano testi', () => {
  it('le celle di testo che iniziano con = + - @ hanno il prefisso apostrofo (quotePrefix) e il formato Testo; gli importi restano numeri', async () => {
    const { buffer } = await buildXlsx('Prova', columns, rows);
    const styles = await cellStyles(buffer);
    for (const ref of ['A2', 'A3', 'A5', 'B2', 'B3', 'B4']) expect(styles.get(ref), ref).toMatchObject({ quotePrefix: true, numFmtId: 49 });
    expect(styles.get('A4')).toMatchObject({ quotePrefix: false });
    for (const ref of ['C2', 'C3', 'C4']) expect(styles.get(ref), ref).toMatchObject({ quotePrefix: false, type: 'n' });
    expect(styles.get('C2')!.numFmtId).not.toBe(49);
  });

  it('convertito in CSV da LibreOffice e riletto, ogni testo è quello esportato, non il risultato di una formula', async () => {
    const { buffer } = await buildXlsx('Prova', columns, rows);
    const xlsx = path.join(dir, 'esportazione.xlsx');
    fs.writeFileSync(xlsx, buffer);
    const [csv] = convertWithSoffice([xlsx], 'csv:Text - txt - csv (StarCalc):59,34,76,1', dir);
    const grid = await readGrid('esportazione.csv', fs.readFileSync(csv));
    expect(grid.lines.map(([, cells]) => cells.slice(0, 2))).toEqual([['Nome', 'Nota'], ...rows.map((r) => [r.name, r.note])]);
    // the amounts were numbers in the export: LibreOffice writes them as its euro format shows them
    expect(grid.lines.slice(1).map(([, cells]) => cells[2])).toEqual(['-12.50 €', '5.00 €', '-0.01 €', '0.00 €']);
  });

  it('salvato di nuovo da LibreOffice come .xlsx, le celle sono ancora testi e gli importi numeri', async () => {
    const { buffer } = await buildXlsx('Prova', columns, rows);
    const input = path.join(dir, 'da-risalvare.xlsx');
    fs.writeFileSync(input, buffer);
    const outDir = path.join(dir, 'risalvato');
    fs.mkdirSync(outDir);
    const [resaved] = convertWithSoffice([input], 'xlsx:Calc Office Open XML', outDir);
    const file = fs.readFileSync(resaved);
    const grid = await readGrid('risalvato.xlsx', file);
    expect(grid.lines.slice(1).map(([, cells]) => cells.slice(0, 3))).toEqual([
      ['=1+1', '+39 347 1234567', '-12.5'],
      ['@SOMMA(A1)', '-3', '5'],
      ['Rossi', '-nota', '-0.01'],
      ['+HYPERLINK("http://esempio")', 'ok', '0'],
    ]);
    const styles = await cellStyles(file);
    for (const ref of ['A2', 'A3', 'B3']) expect(styles.get(ref)!.type, ref).toBe('s');
    expect(styles.get('C2')!.type).toBe('n');
  });
});
