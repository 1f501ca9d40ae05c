/**
 * Multi-sheet Excel workbooks for documents (statements, 730 list): the same sheet writer as the
 * list exports (electron/exports/xlsx.ts), so amounts are numbers in euro, dates Excel dates, codes
 * and formula-like texts Text cells that stay text when the file is re-saved.
 */
import { addSheet, newWorkbook, workbookBytes, type ExportColumn } from '../exports/xlsx';

export class Workbook {
  readonly wb: ReturnType<typeof newWorkbook>;

  constructor(title: string) {
    this.wb = newWorkbook(title);
  }

  /** A sheet with a bold, frozen, filterable header; `bold` marks total rows. */
  sheet<T>(name: string, columns: ExportColumn<T>[], rows: Iterable<T>, bold?: (row: T) => boolean): number {
    return addSheet(this.wb, name, columns, rows, bold);
  }

  async toBuffer(): Promise<Buffer> {
    return workbookBytes(this.wb);
  }
}
