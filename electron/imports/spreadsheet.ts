/**
 * Reads the spreadsheet exported by the previous system: the first sheet of an .xlsx, or a .csv
 * separated by ';' (Italian Excel) or ','. Every cell becomes a trimmed string; dates become
 * 'YYYY-MM-DD'. Rows keep their spreadsheet row number so the preview can point at them.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { AppError } from '../contract/errors';
import { readXlsxFast } from './xlsx-reader';

export interface SheetRow {
  /** row number as the operator sees it in Excel (header = the first non-empty row) */
  row: number;
  cells: string[];
}

export interface Sheet {
  columns: string[];
  rows: SheetRow[];
}

/** A file bigger than this is refused: split it. */
export const MAX_IMPORT_ROWS = 50_000;

function refuse(message: string): AppError {
  return new AppError('VALIDATION', message, [{ path: ['fileName'], message }]);
}

export function fileKind(fileName: string): 'xlsx' | 'csv' {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xls') throw refuse('Il formato .xls (Excel 97-2003) non è supportato: salvare il file come .xlsx (Cartella di lavoro di Excel) e riprovare');
  if (ext === 'ods') throw refuse('Il formato .ods non è supportato: salvare il file come .xlsx o .csv');
  throw refuse('Formato non supportato: caricare un file .xlsx o .csv');
}

export async function readSheet(fileName: string, content: Buffer): Promise<Sheet> {
  if (content.length === 0) throw refuse('Il file è vuoto');
  const kind = fileKind(fileName);
  const grid = kind === 'xlsx' ? await readXlsx(content) : readCsv(content);
  return toSheet(grid);
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
  }
  return String(v).trim();
}

export interface Grid {
  /** [spreadsheet row number, cells] */
  lines: [number, string[]][];
}

async function readXlsx(content: Buffer): Promise<Grid> {
  try {
    return { lines: readXlsxFast(content) };
  } catch {
    // UnsupportedXlsx, or a damaged file: exceljs reads it or says it cannot
  }
  return readXlsxWithExcelJs(content);
}

/** The complete reader: slower, used when the fast one meets a workbook it does not handle. */
export async function readXlsxWithExcelJs(content: Buffer): Promise<Grid> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ExcelJS.Buffer);
  } catch {
    throw refuse('Il file non è un foglio Excel .xlsx leggibile (è danneggiato o di un altro formato?)');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw refuse('Il file Excel non contiene fogli');
  const lines: [number, string[]][] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const values = row.values as ExcelJS.CellValue[]; // 1-based, index 0 unused
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
    lines.push([rowNumber, cells]);
  });
  return { lines };
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

function readCsv(content: Buffer): Grid {
  const text = decodeText(content);
  const parsed = Papa.parse<string[]>(text, { delimiter: detectDelimiter(text), skipEmptyLines: false });
  const lines: [number, string[]][] = [];
  let line = 1;
  for (const record of parsed.data) {
    const cells = record.map((c) => (c ?? '').trim());
    if (cells.some((c) => c !== '')) lines.push([line, cells]);
    // a quoted cell may span lines: count them so row numbers match what a text editor shows
    line += 1 + cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
  }
  return { lines };
}

function toSheet(grid: Grid): Sheet {
  const headerIdx = grid.lines.findIndex(([, cells]) => cells.filter((c) => c !== '').length >= 2);
  if (headerIdx < 0) throw refuse('Il file non contiene una riga di intestazione con i nomi delle colonne');
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
  const rows: SheetRow[] = [];
  for (let i = headerIdx + 1; i < grid.lines.length; i++) {
    const [row, cells] = grid.lines[i];
    const trimmed = cells.slice(0, columns.length);
    if (trimmed.every((c) => c === '')) continue;
    while (trimmed.length < columns.length) trimmed.push('');
    rows.push({ row, cells: trimmed });
  }
  if (rows.length === 0) throw refuse('Il file non contiene righe di dati sotto l\'intestazione');
  if (rows.length > MAX_IMPORT_ROWS) {
    throw refuse(`Il file ha ${rows.length.toLocaleString('it-IT')} righe: al massimo ${MAX_IMPORT_ROWS.toLocaleString('it-IT')} per importazione, dividerlo in più file`);
  }
  return { columns, rows };
}
