import ExcelJS from 'exceljs';
import { z } from 'zod';

export interface ExportColumn<T> {
  header: string;
  width?: number;
  /** date: 'YYYY-MM-DD' written as an Excel date shown dd/mm/yyyy; euro: integer cents written as euros. */
  type?: 'text' | 'date' | 'euro' | 'number';
  value: (row: T) => string | number | null | undefined;
}

export const exportFileOut = z.object({
  fileName: z.string(),
  /** the .xlsx file, base64: the same bytes on every transport */
  contentBase64: z.string(),
  rows: z.number().int(),
});

function toExcelDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** One sheet with a bold, frozen, filterable header: what the office expects to open in Excel. */
export async function buildXlsx<T>(sheetName: string, columns: ExportColumn<T>[], rows: Iterable<T>, title?: string): Promise<{ buffer: Buffer; count: number }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rette Mensa';
  wb.created = new Date(0); // deterministic file metadata
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.columns = columns.map((c) => ({
    header: c.header,
    width: c.width ?? Math.max(12, c.header.length + 2),
    style:
      c.type === 'date'
        ? { numFmt: 'dd/mm/yyyy' }
        : c.type === 'euro'
          ? { numFmt: '#,##0.00 "€"' }
          : c.type === 'text'
            ? { numFmt: '@' }
            : {},
  }));
  let count = 0;
  for (const row of rows) {
    ws.addRow(
      columns.map((c) => {
        const v = c.value(row);
        if (v === null || v === undefined || v === '') return null;
        if (c.type === 'date' && typeof v === 'string') return toExcelDate(v);
        if (c.type === 'euro' && typeof v === 'number') return v / 100;
        return v;
      }),
    );
    count++;
  }
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7F0FA' } };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  if (columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + count, column: columns.length } };
  if (title) wb.title = title;
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, count };
}

export async function exportFile<T>(baseName: string, today: string, sheet: string, columns: ExportColumn<T>[], rows: Iterable<T>) {
  const { buffer, count } = await buildXlsx(sheet, columns, rows);
  return { fileName: `${baseName}-${today}.xlsx`, contentBase64: buffer.toString('base64'), rows: count };
}
