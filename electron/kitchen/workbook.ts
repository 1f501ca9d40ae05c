/**
 * The kitchen report in Excel (issue 12): one row per class, then after each school a «Totale
 * scuola» row and at the bottom a «Totale generale» row. The totals are formulas,
 * SUBTOTAL(9, …), with their values stored (the file reads right before any recalculation, and
 * a program that only reads values sees them): SUBTOTAL leaves out the other SUBTOTALs, so the
 * grand total counts every class once, and it follows the filter (filtering one municipality
 * gives that municipality's total). The filter covers the class and school rows; the grand total
 * stays below it, always visible. A second sheet lists the pupils with a special diet.
 *
 * D3: the kitchen sees meals and diets, nothing about debts or their reasons.
 */
import type ExcelJS from 'exceljs';
import { addSheet, newWorkbook, nothingToExport, workbookBytes } from '../exports/xlsx';
import type { KitchenReport } from './report';

export const KITCHEN_HEADERS = ['Data', 'Comune', 'Scuola', 'Classe', 'Pasti', 'Di cui in bianco', 'Diete speciali', 'Stato'] as const;
const WIDTHS = [12, 18, 36, 18, 10, 16, 44, 14];
export const SCHOOL_TOTAL = 'Totale scuola';
export const GRAND_TOTAL = 'Totale generale';

function toExcelDate(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF1F3F5' } };

function mealsSheet(wb: ExcelJS.Workbook, r: KitchenReport): number {
  const ws = wb.addWorksheet('Riepilogo pasti');
  ws.columns = KITCHEN_HEADERS.map((header, i) => ({ header, width: WIDTHS[i], style: i === 0 ? { numFmt: 'dd/mm/yyyy' } : i === 4 || i === 5 ? { numFmt: '#,##0' } : {} }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7F0FA' } };
  const date = toExcelDate(r.date);
  let classes = 0;
  for (const m of r.municipalities) {
    const state = m.provisional ? 'Provvisorio' : 'Definitivo';
    for (const s of m.schools) {
      const first = ws.rowCount + 1;
      for (const c of s.classes) {
        ws.addRow([date, m.municipalityName, s.schoolName, c.className, c.meals, c.plain, c.diets.map((d) => `${d.diet}: ${d.meals}`).join('; ') || null, state]);
        classes++;
      }
      const last = ws.rowCount;
      const total = ws.addRow([
        date,
        m.municipalityName,
        s.schoolName,
        SCHOOL_TOTAL,
        { formula: `SUBTOTAL(9,E${first}:E${last})`, result: s.meals },
        { formula: `SUBTOTAL(9,F${first}:F${last})`, result: s.plain },
        null,
        state,
      ]);
      total.font = { bold: true };
      total.eachCell((cell) => (cell.fill = TOTAL_FILL));
    }
  }
  const lastData = ws.rowCount;
  if (classes > 0) {
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastData, column: KITCHEN_HEADERS.length } };
    const grand = ws.addRow([
      date,
      GRAND_TOTAL,
      null,
      null,
      { formula: `SUBTOTAL(9,E2:E${lastData})`, result: r.meals },
      { formula: `SUBTOTAL(9,F2:F${lastData})`, result: r.plain },
      null,
      r.provisional ? 'Provvisorio' : 'Definitivo',
    ]);
    grand.font = { bold: true };
    grand.eachCell((cell) => {
      cell.fill = TOTAL_FILL;
      cell.border = { top: { style: 'medium' } };
    });
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  // printed: one page wide, the header row on every page
  ws.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9, printTitlesRow: '1:1' };
  return classes;
}

/** The report's .xlsx; refused when the day has no meal at all (nothing for the kitchen to read). */
export async function kitchenWorkbook(r: KitchenReport): Promise<{ fileName: string; contentBase64: string; rows: number }> {
  const wb = newWorkbook('Riepilogo pasti');
  const count = mealsSheet(wb, r);
  if (count === 0) throw nothingToExport('Nessun pasto in questo giorno: nessun file creato');
  const dietRows = r.municipalities.flatMap((m) => m.schools.flatMap((s) => s.classes.flatMap((c) => c.dietPupils.map((p) => ({ m, s, c, p })))));
  addSheet(wb, 'Diete speciali', [
    { header: 'Data', type: 'date', value: () => r.date },
    { header: 'Comune', width: 18, value: (x) => x.m.municipalityName },
    { header: 'Scuola', width: 36, value: (x) => x.s.schoolName },
    { header: 'Classe', width: 14, value: (x) => x.c.className },
    { header: 'Alunno', width: 28, value: (x) => x.p.pupilName },
    { header: 'Dieta', width: 36, value: (x) => x.p.diets.join(', ') },
    { header: 'Allergeni', width: 30, value: (x) => x.p.allergens.join(', ') },
    { header: 'Note', width: 30, value: (x) => x.p.details },
    { header: 'Segnalazione', width: 16, value: (x) => [x.p.isNew ? 'NUOVA' : '', x.p.renewalPending ? 'da rinnovare' : ''].filter(Boolean).join(', ') },
  ], dietRows);
  // named after the day of the report, not the day of the export
  return { fileName: `riepilogo-pasti-${r.date}.xlsx`, contentBase64: (await workbookBytes(wb)).toString('base64'), rows: count };
}
