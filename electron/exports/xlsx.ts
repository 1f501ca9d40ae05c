import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { z } from 'zod';
import { AppError } from '../contract/errors';

export interface ExportColumn<T> {
  header: string;
  width?: number;
  /**
   * date: 'YYYY-MM-DD' written as an Excel date shown dd/mm/yyyy; datetime: an ISO moment written as
   * an Excel date-time in Rome time (dd/mm/yyyy hh:mm:ss); euro: integer cents written as euros.
   */
  type?: 'text' | 'date' | 'datetime' | 'euro' | 'number';
  value: (row: T) => string | number | null | undefined;
}

export const exportFileOut = z.object({
  fileName: z.string(),
  /** the .xlsx file, base64: the same bytes on every transport */
  contentBase64: z.string(),
  rows: z.number().int(),
});

/** Amounts: euros with two decimals and the euro sign, as numbers (never text). */
export const EURO_FORMAT = '#,##0.00 "€"';

function toExcelDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

const ROME_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * An ISO moment as an Excel date-time showing the Rome wall-clock time: Excel cells have no time
 * zone, so the cell holds the Rome date and time (what the office reads), not UTC.
 */
export function toExcelRomeDateTime(iso: string): Date {
  const parts = Object.fromEntries(ROME_PARTS.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)));
}

export const DATETIME_FORMAT = 'dd/mm/yyyy hh:mm:ss';

/**
 * An export that would hold no row is refused with this message (issue 12): the office is told
 * there is nothing to export instead of receiving a file with only the headings.
 */
export function nothingToExport(message = 'Nessuna riga da esportare con questi filtri: nessun file creato'): AppError {
  return new AppError('NOT_FOUND', message);
}

/** A new workbook with this program's deterministic metadata. */
export function newWorkbook(title?: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rette Mensa';
  wb.created = new Date(0); // deterministic file metadata
  if (title) wb.title = title;
  return wb;
}

/**
 * Adds one sheet with a bold, frozen, filterable header: what the office expects to open in Excel.
 * Amounts are numbers in euro, dates Excel dates, codes and formula-like texts Text cells.
 * `bold` marks rows (totals) to print in bold. Returns the number of rows written.
 */
export function addSheet<T>(wb: ExcelJS.Workbook, sheetName: string, columns: ExportColumn<T>[], rows: Iterable<T>, bold?: (row: T) => boolean): number {
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.columns = columns.map((c) => ({
    header: c.header,
    width: c.width ?? Math.max(12, c.header.length + 2),
    style: c.type === 'date' ? { numFmt: 'dd/mm/yyyy' } : c.type === 'datetime' ? { numFmt: DATETIME_FORMAT } : c.type === 'euro' ? { numFmt: EURO_FORMAT } : c.type === 'text' ? { numFmt: '@' } : {},
  }));
  let count = 0;
  for (const row of rows) {
    const added = ws.addRow(
      columns.map((c) => {
        const v = c.value(row);
        if (v === null || v === undefined || v === '') return null;
        if (c.type === 'date' && typeof v === 'string') return toExcelDate(v);
        if (c.type === 'datetime' && typeof v === 'string') return toExcelRomeDateTime(v);
        if (c.type === 'euro' && typeof v === 'number') return v / 100;
        return v;
      }),
    );
    // a text that looks like a formula stays text (see `quotePrefixTextStyles`); numbers, negative amounts included, stay numbers
    added.eachCell((cell) => {
      if (typeof cell.value === 'string' && FORMULA_LIKE.test(cell.value)) cell.numFmt = '@';
    });
    if (bold?.(row)) added.font = { bold: true };
    count++;
  }
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7F0FA' } };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  if (columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + count, column: columns.length } };
  return count;
}

/** The workbook's bytes, with every Text cell quote-prefixed (it stays text when re-saved). */
export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return quotePrefixTextStyles(Buffer.from(await wb.xlsx.writeBuffer()));
}

/** A one-sheet workbook (the list exports). */
export async function buildXlsx<T>(sheetName: string, columns: ExportColumn<T>[], rows: Iterable<T>, title?: string): Promise<{ buffer: Buffer; count: number }> {
  const wb = newWorkbook(title);
  const count = addSheet(wb, sheetName, columns, rows);
  return { buffer: await workbookBytes(wb), count };
}

/** Text that a spreadsheet would take for a formula if it were typed, re-entered or read from a CSV. */
export const FORMULA_LIKE = /^[=+\-@]/;

/**
 * Every cell style with the Text number format ('@', built-in id 49: text columns, and the cells
 * of `FORMULA_LIKE` text) gets `quotePrefix="1"`, as Excel writes a cell typed with a leading
 * apostrophe: the cell stays text when it is edited, re-saved or exported, and is never evaluated.
 * exceljs cannot write that attribute, so it is added to the styles part exceljs wrote (its own,
 * known output: `<xf numFmtId="49" …>`); a change in that output fails the export tests.
 */
async function quotePrefixTextStyles(xlsx: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const part = zip.file('xl/styles.xml');
  if (!part) throw new Error('esportazione: styles.xml mancante nel file scritto da exceljs');
  const styles = await part.async('string');
  if (!styles.includes('<xf numFmtId="49" ')) return xlsx;
  zip.file('xl/styles.xml', styles.replaceAll('<xf numFmtId="49" ', '<xf numFmtId="49" quotePrefix="1" '));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/** A list export: one sheet named `<baseName>-<today>.xlsx`; refused when there is no row (`nothingToExport`). */
export async function exportFile<T>(baseName: string, today: string, sheet: string, columns: ExportColumn<T>[], rows: Iterable<T>) {
  const { buffer, count } = await buildXlsx(sheet, columns, rows);
  if (count === 0) throw nothingToExport();
  return { fileName: `${baseName}-${today}.xlsx`, contentBase64: buffer.toString('base64'), rows: count };
}
