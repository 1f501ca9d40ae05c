/**
 * Multi-sheet Excel workbooks for documents (statements, 730 list), with the same conventions as
 * the list exports (electron/exports/xlsx.ts): amounts are real numbers in euro with a euro number
 * format (never text), dates are Excel dates shown dd/mm/yyyy, codes are text.
 */
import ExcelJS from 'exceljs';
import type { ExportColumn } from '../exports/xlsx';

export const EURO_FORMAT = '#,##0.00 "€"';

function excelDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export class Workbook {
  readonly wb = new ExcelJS.Workbook();

  constructor(title: string) {
    this.wb.creator = 'Rette Mensa';
    this.wb.created = new Date(0); // deterministic file metadata
    this.wb.title = title;
  }

  /** A sheet with a bold, frozen, filterable header; `bold` marks total rows. */
  sheet<T>(name: string, columns: ExportColumn<T>[], rows: Iterable<T>, bold?: (row: T) => boolean): number {
    const ws = this.wb.addWorksheet(name.slice(0, 31));
    ws.columns = columns.map((c) => ({
      header: c.header,
      width: c.width ?? Math.max(12, c.header.length + 2),
      style: c.type === 'date' ? { numFmt: 'dd/mm/yyyy' } : c.type === 'euro' ? { numFmt: EURO_FORMAT } : c.type === 'text' ? { numFmt: '@' } : {},
    }));
    let count = 0;
    for (const row of rows) {
      const added = ws.addRow(
        columns.map((c) => {
          const v = c.value(row);
          if (v === null || v === undefined || v === '') return null;
          if (c.type === 'date' && typeof v === 'string') return excelDate(v);
          if (c.type === 'euro' && typeof v === 'number') return v / 100;
          return v;
        }),
      );
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

  async toBuffer(): Promise<Buffer> {
    return Buffer.from(await this.wb.xlsx.writeBuffer());
  }
}
