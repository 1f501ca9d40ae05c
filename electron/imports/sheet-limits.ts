/**
 * The limits every spreadsheet read by the program is held to (pupil import, closure import, the
 * exceljs reader, any future import): a file that goes past one is refused with an Italian message
 * before it can fill the memory or keep the processor busy. They are checked while the file is
 * read (bytes as they are inflated, cells as they are met), never from what the file declares.
 */

export interface SheetLimits {
  /** rows with at least one non-empty cell (header and title lines included) */
  maxRows: number;
  /** Excel's last column is XFD, the 16,384th */
  maxColumns: number;
  /** cells held in memory once rows are padded to their last cell: rows × width */
  maxCells: number;
  /** bytes one zip entry may inflate to */
  maxEntryBytes: number;
  /** bytes all the entries read may inflate to together */
  maxTotalBytes: number;
  /** inflated / compressed, checked once an entry has inflated past `ratioFreeBytes` */
  maxRatio: number;
  ratioFreeBytes: number;
  /** entries in the zip's directory */
  maxEntries: number;
}

/** Excel's own limits: 1,048,576 rows, 16,384 columns (A…XFD). */
export const EXCEL_MAX_ROW = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

export const DEFAULT_SHEET_LIMITS: SheetLimits = {
  maxRows: 60_000,
  maxColumns: EXCEL_MAX_COLUMNS,
  maxCells: 6_000_000,
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 400 * 1024 * 1024,
  // real sheets compress 5–30 times; a sheet of identical empty cells reaches ~100; bombs go past 1,000
  maxRatio: 250,
  ratioFreeBytes: 2 * 1024 * 1024,
  maxEntries: 10_000,
};

export function sheetLimits(partial: Partial<SheetLimits> = {}): SheetLimits {
  return { ...DEFAULT_SHEET_LIMITS, ...partial };
}

const MB = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024)).toLocaleString('it-IT')} MB` : `${Math.round(n / 1024).toLocaleString('it-IT')} kB`);
const it = (n: number) => n.toLocaleString('it-IT');

/**
 * A spreadsheet the program refuses to read, with a message the office can act on. A plain error
 * (not the contract's AppError, which brings zod) so the parsing worker stays light to start; the
 * caller of the worker turns it into a VALIDATION error on `fileName`.
 */
export class SheetRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SheetRefusal';
  }
}

export function sheetRefused(message: string): SheetRefusal {
  return new SheetRefusal(message);
}

export const refusals = {
  tooManyRows: (max: number) => sheetRefused(`Il file ha più di ${it(max)} righe con dati: al massimo ${it(max)} per importazione, dividerlo in più file`),
  columnBeyondExcel: (ref: string) =>
    sheetRefused(`Il foglio contiene la cella «${ref.slice(0, 20)}», oltre l'ultima colonna di Excel (XFD, la ${it(EXCEL_MAX_COLUMNS)}ª): il file è danneggiato o non è stato salvato da Excel`),
  rowBeyondExcel: (ref: string) => sheetRefused(`Il foglio contiene la riga «${ref.slice(0, 20)}», oltre l'ultima riga di Excel (${it(EXCEL_MAX_ROW)}): il file è danneggiato`),
  tooManyColumns: (max: number) => sheetRefused(`Il foglio ha più di ${it(max)} colonne: al massimo ${it(max)}`),
  tooManyCells: (max: number) => sheetRefused(`Il foglio è troppo grande (oltre ${it(max)} celle tra righe e colonne): togliere le colonne e le righe che non servono o dividerlo in più file`),
  entryTooBig: (name: string, max: number) => sheetRefused(`Il file Excel, decompresso, supera ${MB(max)} (parte «${name.slice(0, 60)}»): è troppo grande o costruito per bloccare il programma`),
  totalTooBig: (max: number) => sheetRefused(`Il file Excel, decompresso, supera in tutto ${MB(max)}: è troppo grande o costruito per bloccare il programma`),
  ratio: (name: string, max: number) =>
    sheetRefused(`Il file Excel si decomprime più di ${it(max)} volte la sua dimensione (parte «${name.slice(0, 60)}»): non è un foglio normale, è costruito per bloccare il programma`),
  tooManyEntries: (max: number) => sheetRefused(`Il file Excel contiene più di ${it(max)} parti: non è un foglio normale`),
};
