/**
 * Turning the bytes of an uploaded spreadsheet into rows of trimmed texts: the first sheet of an
 * .xlsx, or a .csv separated by ';' (Italian Excel), ',' or tab. Dates become 'YYYY-MM-DD'. Rows keep
 * their spreadsheet row number so the preview can point at them.
 *
 * This is what the parsing worker runs (`spreadsheet-worker.ts`); the rest of the program calls
 * `readSheet` / `readGrid` in `spreadsheet.ts`, which run it off the main thread. Every limit of
 * `sheet-limits.ts` is checked here, whatever the caller.
 */
import Papa from 'papaparse';
import type ExcelJS from 'exceljs';
import { refusals, sheetLimits, sheetRefused, type SheetLimits } from './sheet-limits';
import { readXlsx, type GridLines } from './xlsx-reader';
import { checkZip } from './zip-entries';

export interface SheetRow {
  /** row number as the operator sees it in Excel (header = the first row with two or more names) */
  row: number;
  cells: string[];
}

export interface Sheet {
  columns: string[];
  rows: SheetRow[];
}

export interface Grid {
  /** [spreadsheet row number, cells] of the rows that have at least one non-empty cell */
  lines: GridLines;
}

/** What the worker is asked to do. */
export interface ParseRequest {
  fileName: string;
  content: Uint8Array;
  /** 'sheet': header and data rows (pupil import and most imports); 'grid': the raw rows (closure import) */
  shape: 'sheet' | 'grid';
  /** data rows allowed below the header */
  maxRows: number;
  limits?: Partial<SheetLimits>;
}

/** Lines above the header (titles, export dates) allowed besides the data rows. */
const PREAMBLE_ROWS = 100;

export function fileKind(fileName: string): 'xlsx' | 'csv' {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xls') throw sheetRefused('Il formato .xls (Excel 97-2003) non è supportato: salvare il file come .xlsx (Cartella di lavoro di Excel) e riprovare');
  if (ext === 'ods') throw sheetRefused('Il formato .ods non è supportato: salvare il file come .xlsx o .csv');
  throw sheetRefused('Formato non supportato: caricare un file .xlsx o .csv');
}

export async function parseSpreadsheet(req: ParseRequest): Promise<Sheet | Grid> {
  const content = Buffer.from(req.content.buffer, req.content.byteOffset, req.content.byteLength);
  if (content.length === 0) throw sheetRefused('Il file è vuoto');
  const kind = fileKind(req.fileName);
  const limits = sheetLimits({ maxRows: req.maxRows + PREAMBLE_ROWS, ...req.limits });
  const grid: Grid = kind === 'xlsx' ? { lines: await readXlsx(content, limits) } : readCsv(content, limits);
  return req.shape === 'grid' ? grid : toSheet(grid, req.maxRows, limits);
}

/** UTF-8 (with or without BOM); a file that is not valid UTF-8 is read as Windows-1252, as Excel saves CSV on Windows. */
export function decodeText(content: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    text = new TextDecoder('windows-1252').decode(content);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** ';' or ',' (or tab): the one that splits the header line into the most fields outside quotes. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, 10_000).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  let best = ';';
  let bestCount = -1;
  for (const d of [';', ',', '\t']) {
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Record by record (Papa's step), so that a file of a million empty lines never becomes a million arrays. */
export function readCsv(content: Buffer, limits: SheetLimits = sheetLimits()): Grid {
  const text = decodeText(content);
  const lines: GridLines = [];
  let line = 1;
  let cellsHeld = 0;
  let failure: Error | null = null;
  Papa.parse<string[]>(text, {
    delimiter: detectDelimiter(text),
    skipEmptyLines: false,
    step: (results, parser) => {
      const record = results.data;
      const startLine = line;
      let nonEmpty = false;
      let breaks = 0;
      for (const c of record) {
        if (c !== '' && c.trim() !== '') nonEmpty = true;
        // a quoted cell may span lines: count them so row numbers match what a text editor shows
        for (let i = c.indexOf('\n'); i >= 0; i = c.indexOf('\n', i + 1)) breaks++;
      }
      line += 1 + breaks;
      if (!nonEmpty) return;
      if (record.length > limits.maxColumns) failure = refusals.tooManyColumns(limits.maxColumns);
      else if (lines.length >= limits.maxRows) failure = refusals.tooManyRows(limits.maxRows);
      else if ((cellsHeld += record.length) > limits.maxCells) failure = refusals.tooManyCells(limits.maxCells);
      if (failure) {
        parser.abort();
        return;
      }
      lines.push([startLine, record.map((c) => (c ?? '').trim())]);
    },
  });
  // set inside the parser's callback: TypeScript cannot see it, so widen it back before the check
  const refused = failure as Error | null;
  if (refused) throw refused;
  return { lines };
}

/** The header (the first row with at least two names) and the data rows under it, as wide as the header. */
export function toSheet(grid: Grid, maxRows: number, limits: SheetLimits = sheetLimits()): Sheet {
  const headerIdx = grid.lines.findIndex(([, cells]) => cells.filter((c) => c !== '').length >= 2);
  if (headerIdx < 0) throw sheetRefused('Il file non contiene una riga di intestazione con i nomi delle colonne');
  const rawHeader = grid.lines[headerIdx][1];
  let last = rawHeader.length;
  while (last > 0 && rawHeader[last - 1] === '') last--;
  const seen = new Map<string, number>();
  const columns = rawHeader.slice(0, last).map((h, i) => {
    const base = h || `Colonna ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
  const dataLines = grid.lines.length - headerIdx - 1;
  if (dataLines > maxRows) {
    throw sheetRefused(`Il file ha ${dataLines.toLocaleString('it-IT')} righe: al massimo ${maxRows.toLocaleString('it-IT')} per importazione, dividerlo in più file`);
  }
  if (dataLines * columns.length > limits.maxCells) throw refusals.tooManyCells(limits.maxCells);
  const rows: SheetRow[] = [];
  for (let i = headerIdx + 1; i < grid.lines.length; i++) {
    const [row, cells] = grid.lines[i];
    const trimmed = cells.slice(0, columns.length);
    if (trimmed.every((c) => c === '')) continue;
    while (trimmed.length < columns.length) trimmed.push('');
    rows.push({ row, cells: trimmed });
  }
  if (rows.length === 0) throw sheetRefused("Il file non contiene righe di dati sotto l'intestazione");
  return { columns, rows };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** An Excel date cell (exceljs gives it at UTC midnight) as 'YYYY-MM-DD'. */
function isoOf(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'VERO' : 'FALSO';
  if (v instanceof Date) return isoOf(v);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('').trim();
    if ('formula' in v || 'sharedFormula' in v || 'result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v && typeof (v as { text: unknown }).text === 'string') return (v as { text: string }).text.trim();
    if ('error' in v) return '';
    return '';
  }
  return String(v).trim();
}

/**
 * The first sheet read by exceljs: the complete reader, used as the reference the equivalence
 * tests compare the SAX reader with. exceljs inflates the zip on its own and without limits, so the
 * file is first inflated here under the same limits (`checkZip`), and the sheet's size is checked
 * before its cells are walked.
 */
export async function readXlsxWithExcelJs(content: Buffer, limits: SheetLimits = sheetLimits()): Promise<Grid> {
  await checkZip(content, limits);
  const mod = await import('exceljs');
  const Workbook = (mod.default ?? mod).Workbook;
  const wb = new Workbook();
  try {
    await wb.xlsx.load(content as unknown as ExcelJS.Buffer);
  } catch {
    throw sheetRefused('Il file non è un foglio Excel .xlsx leggibile (è danneggiato o di un altro formato?)');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw sheetRefused('Il file Excel non contiene fogli');
  if (ws.columnCount > limits.maxColumns) throw refusals.tooManyColumns(limits.maxColumns);
  if (ws.actualRowCount > limits.maxRows) throw refusals.tooManyRows(limits.maxRows);
  const lines: GridLines = [];
  let cellsHeld = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const text = cellText(cell.value);
      if (text === '') return;
      if (col > limits.maxColumns) throw refusals.tooManyColumns(limits.maxColumns);
      cellsHeld += Math.max(0, col - cells.length);
      if (cellsHeld > limits.maxCells) throw refusals.tooManyCells(limits.maxCells);
      while (cells.length < col - 1) cells.push('');
      cells[col - 1] = text;
    });
    if (cells.length) lines.push([rowNumber, cells]);
  });
  return { lines };
}
