/**
 * The rejected rows of an import as a spreadsheet to fix and import again: the file's own columns,
 * in its order and with its names (so the same layout, the same choices), the rows with errors as
 * the file had them, and an «Errore» column with the Italian messages. Codes stay text (a codice
 * fiscale or a CAP never becomes a number), the birth date is a real date shown gg/mm/aaaa.
 */
import type ExcelJS from 'exceljs';
import { addSheet, newWorkbook, workbookBytes, type ExportColumn } from '../exports/xlsx';
import { ERROR_COLUMN } from './layouts';
import type { RowError } from './row-checks';
import type { Sheet, SheetRow } from './spreadsheet';
import { TARGET_BY_FIELD, normalizeHeader, type ImportMapping } from './targets';
import { readDate } from './values';

/** "Codice fiscale dell'alunno: …" unless the message already names its field. */
export function describeError(e: RowError): string {
  const label = TARGET_BY_FIELD.get(e.field)?.label;
  if (!label || e.message.toLowerCase().includes(label.toLowerCase())) return e.message;
  return `${label}: ${e.message}`;
}

/** The messages of a row, one per line. */
export function describeErrors(errors: readonly RowError[]): string {
  return errors.map(describeError).join('\n');
}

/** «iscritti.xlsx» → «iscritti-righe-scartate.xlsx» (a file already named so keeps its name). */
export function rejectedFileName(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').replace(/-righe-scartate$/, '');
  return `${base}-righe-scartate.xlsx`;
}

/** The workbook of the rejected rows; `rows` in the file's order. */
export async function rejectedWorkbook(sheet: Sheet, mapping: ImportMapping, rejected: ReadonlyMap<number, readonly RowError[]>): Promise<{ buffer: Buffer; count: number }> {
  const errorKey = normalizeHeader(ERROR_COLUMN);
  // a file that is itself a rejected-rows file: its old «Errore» column is replaced, not repeated
  const kept = sheet.columns.map((header, index) => ({ header, index })).filter((c) => normalizeHeader(c.header) !== errorKey);
  const dateColumn = mapping['pupil.birthDate'];
  const columns: ExportColumn<SheetRow>[] = kept.map(({ header, index }) => {
    if (header === dateColumn) {
      return {
        header,
        width: 14,
        // a date the reader understands is written as a date (below); anything else as the file had it
        value: (r: SheetRow) => {
          const v = r.cells[index] ?? '';
          const d = v ? readDate(v) : null;
          return d?.ok ? d.value : v;
        },
      };
    }
    return { header, type: 'text', width: Math.max(12, Math.min(40, header.length + 4)), value: (r: SheetRow) => r.cells[index] ?? '' };
  });
  columns.push({ header: ERROR_COLUMN, type: 'text', width: 70, value: (r) => describeErrors(rejected.get(r.row) ?? []) });
  const wb = newWorkbook('Righe scartate');
  const rows = sheet.rows.filter((r) => rejected.has(r.row));
  const count = addSheet(wb, 'Righe scartate', columns, rows);
  const ws = wb.getWorksheet('Righe scartate') as ExcelJS.Worksheet;
  const dateIndex = kept.findIndex((c) => c.header === dateColumn);
  if (dateIndex >= 0) {
    ws.getColumn(dateIndex + 1).eachCell({ includeEmpty: false }, (cell, rowNumber) => {
      if (rowNumber === 1 || typeof cell.value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(cell.value)) return;
      const [y, m, d] = cell.value.split('-').map(Number);
      cell.value = new Date(Date.UTC(y, m - 1, d));
      cell.numFmt = 'dd/mm/yyyy';
    });
  }
  const errorCol = ws.getColumn(columns.length);
  errorCol.eachCell({ includeEmpty: false }, (cell, rowNumber) => {
    if (rowNumber === 1) return;
    cell.font = { color: { argb: 'FFC92A2A' } };
    cell.alignment = { wrapText: true, vertical: 'top' };
  });
  return { buffer: await workbookBytes(wb), count };
}
