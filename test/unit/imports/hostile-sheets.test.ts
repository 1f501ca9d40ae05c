import path from 'node:path';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readGrid, readSheet, readXlsxWithExcelJs } from '../../../electron/imports/spreadsheet';
import { SpreadsheetThread, DEFAULT_THREAD_OPTIONS } from '../../../electron/imports/spreadsheet-thread';
import { AppError } from '../../../electron/contract/errors';
import { legacyRows, toCsv, toXlsx } from '../../fixtures/import-sheet';
import {
  DATE_STYLES,
  MAIN_NS,
  REL_NS,
  ROOT_RELS,
  lieAboutSize,
  sharedStringsXml,
  sheetXml,
  workbookRels,
  xlsxFromParts,
  zipBomb,
} from '../../fixtures/hostile-sheets';

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION');
    expect((err as AppError).issues[0].path).toEqual(['fileName']);
    return (err as AppError).message;
  }
  throw new Error('doveva rifiutare il file');
}

/** After each hostile file, the same reader still reads a good one: nothing was taken down. */
async function stillReads(): Promise<void> {
  const sheet = await readSheet('buono.csv', Buffer.from('Cognome;Nome\nRossi;Maria\n'));
  expect(sheet.rows).toEqual([{ row: 2, cells: ['Rossi', 'Maria'] }]);
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const header = `<row r="1">${inline('A1', 'Cognome')}${inline('B1', 'Nome')}</row>`;

describe('fogli ostili o insoliti: ogni file riceve un messaggio in italiano e il processo resta in piedi', () => {
  it('una bomba zip (200 MB da un file di pochi kB) è fermata mentre si decomprime', { timeout: 120_000 }, async () => {
    const bomb = await zipBomb(200);
    expect(bomb.length).toBeLessThan(400_000);
    expect(await refusal(readSheet('bomba.xlsx', bomb))).toMatch(/si decomprime più di 250 volte/);
    // the same limits hold on the exceljs path: it never gets the file
    expect(await refusal(readXlsxWithExcelJs(bomb).catch(rethrowAsApp))).toMatch(/si decomprime più di 250 volte/);
    await stillReads();
  });

  it('la dimensione dichiarata nello zip non conta: si contano i byte davvero decompressi', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `<row r="${i + 2}">${inline(`A${i + 2}`, `Rossi${i}`)}${inline(`B${i + 2}`, `Maria${i}`)}</row>`).join('');
    const file = await xlsxFromParts({ sheet: sheetXml(header + rows) });
    // declared: 100 bytes, real: about 200 kB. yauzl stops the entry at the 101st byte
    const liar = lieAboutSize(file, 'xl/worksheets/sheet1.xml', 100);
    expect(await refusal(readSheet('bugiardo.xlsx', liar))).toMatch(/sheet1\.xml» non si decomprime correttamente/);
    // and the bytes are counted by the reader itself, against its own limit, as they come
    expect(await refusal(readSheet('onesto.xlsx', file, { limits: { maxEntryBytes: 64 * 1024 } }))).toMatch(/decompresso, supera 64 kB \(parte «xl\/worksheets\/sheet1\.xml»\)/);
    expect((await readSheet('onesto.xlsx', file)).rows).toHaveLength(3000);
  });

  it('il totale decompresso di tutte le parti ha un limite', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `<row r="${i + 2}">${inline(`A${i + 2}`, `R${i}`)}${inline(`B${i + 2}`, `M${i}`)}</row>`).join('');
    const file = await xlsxFromParts({ sheet: sheetXml(header + rows) });
    expect(await refusal(readSheet('grande.xlsx', file, { limits: { maxTotalBytes: 50 * 1024 } }))).toMatch(/supera in tutto/);
  });

  it('un riferimento di cella enorme (ZZZZZZ2) è rifiutato senza creare 321 milioni di celle', async () => {
    const file = await xlsxFromParts({ sheet: sheetXml(`${header}<row r="2"><c r="ZZZZZZ2"><v>1</v></c></row>`) });
    expect(file.length).toBeLessThan(2000);
    expect(await refusal(readSheet('riferimento.xlsx', file))).toMatch(/«ZZZZZZ2», oltre l'ultima colonna di Excel \(XFD/);
    expect(await refusal(readXlsxWithExcelJs(file).catch(rethrowAsApp))).toMatch(/non è un foglio Excel \.xlsx leggibile/);
    const xfe = await xlsxFromParts({ sheet: sheetXml(`${header}<row r="2"><c r="XFE2"><v>1</v></c></row>`) });
    expect(await refusal(readSheet('xfe.xlsx', xfe))).toMatch(/oltre l'ultima colonna/);
    const farRow = await xlsxFromParts({ sheet: sheetXml(`${header}<row r="1048577"><c r="A1048577"><v>1</v></c></row>`) });
    expect(await refusal(readSheet('riga.xlsx', farRow))).toMatch(/oltre l'ultima riga di Excel/);
    await stillReads();
  });

  it('celle lontane su molte righe non riempiono la memoria: il foglio troppo largo è rifiutato', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `<row r="${i + 2}"><c r="XFD${i + 2}"><v>1</v></c></row>`).join('');
    const file = await xlsxFromParts({ sheet: sheetXml(header + rows) });
    expect(await refusal(readSheet('largo.xlsx', file))).toMatch(/troppo grande \(oltre 6\.000\.000 celle/);
  });

  it('troppe righe: il file è fermato durante la lettura, .xlsx e .csv', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `<row r="${i + 2}">${inline(`A${i + 2}`, 'x')}</row>`).join('');
    const file = await xlsxFromParts({ sheet: sheetXml(header + rows) });
    expect(await refusal(readSheet('righe.xlsx', file, { maxRows: 10, limits: { maxRows: 20 } }))).toMatch(/più di 20 righe con dati/);
    expect(await refusal(readSheet('righe.xlsx', file, { maxRows: 10 }))).toMatch(/ha 40 righe: al massimo 10/);
    const csv = Buffer.from('Cognome;Nome\n' + 'Rossi;Maria\n'.repeat(200));
    expect(await refusal(readSheet('righe.csv', csv, { maxRows: 100 }))).toMatch(/più di 200 righe con dati/);
    // a million empty lines are not rows
    const empty = Buffer.from('Cognome;Nome\nRossi;Maria\n' + '\n'.repeat(1_000_000));
    expect((await readSheet('vuote.csv', empty)).rows).toHaveLength(1);
    const wide = Buffer.from(`${'x;'.repeat(20_000)}x\n1;2\n`);
    expect(await refusal(readSheet('larga.csv', wide))).toMatch(/più di 16\.384 colonne/);
  });

  it('attributi tra apici singoli (t=\'s\'): si legge «Rossi», non l\'indice del testo condiviso', async () => {
    const file = await xlsxFromParts({
      sheet: sheetXml(`<row r='1'><c r='A1' t='s'><v>0</v></c><c r='B1' t='s'><v>1</v></c></row><row r='2'><c r='A2' t='s'><v>3</v></c><c r='B2' t='s'><v>2</v></c></row>`),
      sharedStrings: sharedStringsXml(['Cognome', 'Nome', 'Maria', 'Rossi']),
    });
    const sheet = await readSheet('apici.xlsx', file);
    expect(sheet.columns).toEqual(['Cognome', 'Nome']);
    expect(sheet.rows).toEqual([{ row: 2, cells: ['Rossi', 'Maria'] }]);
  });

  it('tag con prefisso di namespace (x:row, x:c): le righe si leggono', async () => {
    const sheet = `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="${MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Cognome</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Nome</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:r><x:t>Ma</x:t></x:r><x:r><x:t>ria</x:t></x:r></x:is></x:c></x:row></x:sheetData></x:worksheet>`;
    const workbook = `<?xml version="1.0"?><s:workbook xmlns:s="${MAIN_NS}" xmlns:rel="${REL_NS}"><s:sheets><s:sheet name="A" sheetId="1" rel:id="rId1"/></s:sheets></s:workbook>`;
    const sst = `<?xml version="1.0"?><p:sst xmlns:p="${MAIN_NS}"><p:si><p:t>Rossi</p:t></p:si></p:sst>`;
    const file = await xlsxFromParts({ sheet, workbook, sharedStrings: sst });
    expect((await readSheet('prefissi.xlsx', file)).rows).toEqual([{ row: 2, cells: ['Rossi', 'Maria'] }]);
    // tags in a namespace that is not SpreadsheetML: a clear message, not an empty sheet
    const foreign = await xlsxFromParts({ sheet: sheetXml(header, 'urn:altro') });
    expect(await refusal(readSheet('estraneo.xlsx', foreign))).toMatch(/il primo foglio non è una tabella di celle/);
  });

  it('testi in linea, testi ricchi con indicazioni fonetiche, formule con risultato testo, valori logici ed errori', async () => {
    const file = await xlsxFromParts({
      sheet: sheetXml(
        `${header}<row r="2">${inline('A2', ' Rossi ')}<c r="B2" t="inlineStr"><is><r><t>Ma</t></r><r><t xml:space="preserve">ria</t></r><rPh sb="0" eb="1"><t>マ</t></rPh></is></c>` +
          `<c r="C2" t="str"><f>A2&amp;"x"</f><v>Rossix</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#DIV/0!</v></c><c r="F2"><v>3471234567</v></c></row>`,
      ),
    });
    const grid = await readGrid('testi.xlsx', file);
    expect(grid.lines[1]).toEqual([2, ['Rossi', 'Maria', 'Rossix', 'VERO', '', '3471234567']]);
  });

  it('date: numeri seriali con formato data (1900 e 1904), testo, ISO (t="d"); senza formato resta il numero', async () => {
    const sheet = sheetXml(
      `${header}<row r="2"><c r="A2" s="1"><v>43529</v></c><c r="B2" s="2"><v>46328</v></c><c r="C2" t="inlineStr"><is><t>05/03/2019</t></is></c><c r="D2" t="d"><v>2019-03-05T00:00:00</v></c><c r="E2"><v>43529</v></c></row>`,
    );
    const grid = await readGrid('date.xlsx', await xlsxFromParts({ sheet, styles: DATE_STYLES }));
    expect(grid.lines[1][1]).toEqual(['2019-03-05', '2026-11-02', '05/03/2019', '2019-03-05', '43529']);
    const wb1904 = `<?xml version="1.0"?><workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr date1904="1"/><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    const g1904 = await readGrid('1904.xlsx', await xlsxFromParts({ sheet, styles: DATE_STYLES, workbook: wb1904 }));
    expect(g1904.lines[1][1][0]).toBe('2023-03-06');
  });

  it('ciò che un foglio non ha è rifiutato a voce alta: DOCTYPE, XML rotto, tipi sconosciuti, rimandi inesistenti, righe fuori ordine', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>`;
    expect(await refusal(readSheet('risate.xlsx', await xlsxFromParts({ sheet: laughs })))).toMatch(/DOCTYPE/);
    expect(await refusal(readSheet('rotto.xlsx', await xlsxFromParts({ sheet: sheetXml(`${header}<row r="2"><c r="A2"><v>1</v></row>`) })))).toMatch(/XML non valido/);
    expect(await refusal(readSheet('tipo.xlsx', await xlsxFromParts({ sheet: sheetXml(`${header}<row r="2"><c r="A2" t="zz"><v>1</v></c></row>`) })))).toMatch(
      /tipo di cella sconosciuto «zz» in A2/,
    );
    const missing = await xlsxFromParts({ sheet: sheetXml(`${header}<row r="2"><c r="A2" t="s"><v>7</v></c></row>`), sharedStrings: sharedStringsXml(['a']) });
    expect(await refusal(readSheet('rimando.xlsx', missing))).toMatch(/la cella A2 rimanda a un testo che non esiste/);
    const order = await xlsxFromParts({ sheet: sheetXml(`${header}<row r="3">${inline('A3', 'x')}</row><row r="2">${inline('A2', 'y')}</row>`) });
    expect(await refusal(readSheet('ordine.xlsx', order))).toMatch(/la riga 2 viene dopo la riga 3/);
    const notNumber = await xlsxFromParts({ sheet: sheetXml(`${header}<row r="2"><c r="A2"><v>12abc</v></c></row>`) });
    expect(await refusal(readSheet('numero.xlsx', notNumber))).toMatch(/la cella numerica A2 contiene «12abc»/);
    const strict = await xlsxFromParts({ sheet: sheetXml(header, 'http://purl.oclc.org/ooxml/spreadsheetml/main') });
    expect(await refusal(readSheet('strict.xlsx', strict))).toMatch(/Strict Open XML/);
    const noWorkbook = await xlsxFromParts({ sheet: sheetXml(header), rootRels: ROOT_RELS.replace('xl/workbook.xml', 'xl/manca.xml') });
    expect(await refusal(readSheet('incompleto.xlsx', noWorkbook))).toMatch(/incompleto/);
    const noSheet = await xlsxFromParts({ sheet: sheetXml(header), workbookRels: workbookRels().replace('worksheets/sheet1.xml', 'worksheets/sheet9.xml') });
    expect(await refusal(readSheet('senzafoglio.xlsx', noSheet))).toMatch(/il primo foglio non si trova/);
    expect(await refusal(readSheet('finto.xlsx', Buffer.from('non sono un file excel')))).toMatch(/non è un foglio Excel/);
    await stillReads();
  });
});

function rethrowAsApp(err: unknown): never {
  // the exceljs reader runs in this thread in the test: its refusals become AppErrors as the worker's do
  if (err instanceof Error && err.name === 'SheetRefusal') throw new AppError('VALIDATION', err.message, [{ path: ['fileName'], message: err.message }]);
  throw err;
}

describe('il lavoro di lettura fuori dal thread principale', () => {
  const threads: SpreadsheetThread[] = [];
  afterAll(async () => {
    for (const t of threads) await t.close();
  });

  it('un file che richiede troppa memoria uccide il worker, non il processo; il worker successivo riparte', async () => {
    const thread = new SpreadsheetThread({ ...DEFAULT_THREAD_OPTIONS, resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } });
    threads.push(thread);
    const big = toCsv(legacyRows(20_000));
    const request = { fileName: 'grande.csv', content: big, shape: 'sheet' as const, maxRows: 50_000 };
    const message = await refusal(thread.parse(request));
    expect(message).toMatch(/^La lettura del file richiedeva troppa memoria ed è stata interrotta/);
    const small = await thread.parse({ ...request, content: toCsv(legacyRows(3)) });
    expect((small as { rows: unknown[] }).rows).toHaveLength(3);
    expect(thread.started).toBe(2);
  });

  it('un file che richiede troppo tempo è interrotto con un messaggio', async () => {
    const thread = new SpreadsheetThread({ ...DEFAULT_THREAD_OPTIONS, timeoutMs: 1 });
    threads.push(thread);
    const file = await toXlsx(legacyRows(2000));
    const message = await refusal(thread.parse({ fileName: 'lento.xlsx', content: file, shape: 'sheet', maxRows: 50_000 }));
    expect(message).toMatch(/^La lettura del file ha superato \d+ secondi ed è stata interrotta/);
  });

  it('più file insieme sono letti uno alla volta, ciascuno con il suo risultato', async () => {
    const files = await Promise.all([1, 2, 3].map(async (n) => [n, await toXlsx(legacyRows(n * 5, { seed: n }))] as const));
    const sheets = await Promise.all(files.map(([n, f]) => readSheet(`f${n}.xlsx`, f)));
    expect(sheets.map((s) => s.rows.length)).toEqual([5, 10, 15]);
    expect(sheets[1].rows[0].cells[0]).toBe(legacyRows(10, { seed: 2 })[0].Cognome);
  });

  it('il worker compilato da electron-vite (out/main/spreadsheet-worker.cjs) legge i file e rifiuta le bombe', async () => {
    const built = path.resolve(__dirname, '../../../out/main/spreadsheet-worker.cjs');
    if (!fs.existsSync(built)) throw new Error(`${built} non esiste: compilare prima con «npx electron-vite build» (npm test lo fa da sé)`);
    const thread = new SpreadsheetThread(DEFAULT_THREAD_OPTIONS, built);
    threads.push(thread);
    const good = (await thread.parse({ fileName: 'a.xlsx', content: await toXlsx(legacyRows(4)), shape: 'sheet', maxRows: 100 })) as { rows: unknown[] };
    expect(good.rows).toHaveLength(4);
    expect(await refusal(thread.parse({ fileName: 'bomba.xlsx', content: await zipBomb(50), shape: 'sheet', maxRows: 100 }))).toMatch(/si decomprime più di/);
  });
});
