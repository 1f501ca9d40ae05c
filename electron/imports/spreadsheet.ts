/**
 * Reading uploaded spreadsheets: the one door every import goes through (pupils, closures, any
 * future one). The first sheet of an .xlsx, or a .csv separated by ';' (Italian Excel), ',' or tab;
 * every cell becomes a trimmed string, dates 'YYYY-MM-DD'; rows keep their spreadsheet row number.
 *
 * The file is parsed in a worker thread (`spreadsheet-thread.ts`) with memory and time limits, under
 * the size limits of `sheet-limits.ts`; whatever goes wrong, the caller gets an AppError
 * `VALIDATION` on `fileName` with an Italian message, and the backend keeps running.
 */
import type { SheetLimits } from './sheet-limits';
import type { Grid, Sheet } from './spreadsheet-parse';
import { fileKind } from './spreadsheet-parse';
import { AppError } from '../contract/errors';
import { SheetRefusal } from './sheet-limits';
import { spreadsheetThread } from './spreadsheet-thread';

export type { Grid, Sheet, SheetRow } from './spreadsheet-parse';
export { decodeText, detectDelimiter, readXlsxWithExcelJs } from './spreadsheet-parse';

/** A file bigger than this is refused: split it. */
export const MAX_IMPORT_ROWS = 50_000;

export interface ReadOptions {
  /** data rows allowed under the header (default `MAX_IMPORT_ROWS`) */
  maxRows?: number;
  /** tighter limits than `DEFAULT_SHEET_LIMITS` (tests, small imports) */
  limits?: Partial<SheetLimits>;
}

/** The extension is checked here, before a worker is busied with a file of the wrong kind. */
function checkKind(fileName: string, content: Buffer): void {
  try {
    fileKind(fileName);
  } catch (err) {
    if (err instanceof SheetRefusal) throw new AppError('VALIDATION', err.message, [{ path: ['fileName'], message: err.message }]);
    throw err;
  }
  if (content.length === 0) throw new AppError('VALIDATION', 'Il file è vuoto', [{ path: ['fileName'], message: 'Il file è vuoto' }]);
}

/** Header (the first row with two or more names) and data rows, as wide as the header. */
export async function readSheet(fileName: string, content: Buffer, options: ReadOptions = {}): Promise<Sheet> {
  checkKind(fileName, content);
  return (await spreadsheetThread().parse({ fileName, content, shape: 'sheet', maxRows: options.maxRows ?? MAX_IMPORT_ROWS, limits: options.limits })) as Sheet;
}

/** The rows with content, untouched (for imports that find their header themselves). */
export async function readGrid(fileName: string, content: Buffer, options: ReadOptions = {}): Promise<Grid> {
  checkKind(fileName, content);
  return (await spreadsheetThread().parse({ fileName, content, shape: 'grid', maxRows: options.maxRows ?? MAX_IMPORT_ROWS, limits: options.limits })) as Grid;
}

export { fileKind };
