/**
 * Issue 12: the kitchen report's Excel has a total per school and a grand total, as SUBTOTAL
 * formulas with their values, readable column widths and a filter; a day without meals gives no
 * file but a message.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { TestApp } from '../../support/backend';
import { enrollPupil, useAttendanceApp, type Base } from '../attendance/fixtures';

let app: TestApp;
let base: Base;
useAttendanceApp((a, b) => {
  app = a;
  base = b;
});

/**
 * The sheet, each formula cell read as { formula, result } with the value stored in the file's XML
 * (exceljs reads a stored 0 as no value).
 */
async function sheetOf(base64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  const xml = await (await JSZip.loadAsync(Buffer.from(base64, 'base64'))).file('xl/worksheets/sheet1.xml')!.async('string');
  const value = (address: string): unknown => {
    const v = ws.getCell(address).value;
    if (!v || typeof v !== 'object' || !('formula' in v)) return v;
    const stored = new RegExp(`<c r="${address}"[^>]*><f>[^<]*</f><v>([^<]*)</v>`).exec(xml);
    return { formula: v.formula, result: stored ? Number(stored[1]) : undefined };
  };
  return { ws, value };
}

type Formula = { formula: string; result: number };
const isFormula = (v: unknown): v is Formula => !!v && typeof v === 'object' && 'formula' in v;

/** What SUBTOTAL(9, Xa:Xb) gives on the sheet as read: the plain numbers of the range (SUBTOTAL leaves out other SUBTOTALs). */
function subtotal(value: (address: string) => unknown, formula: string): number {
  const m = /^SUBTOTAL\(9,([A-Z])(\d+):\1(\d+)\)$/.exec(formula);
  if (!m) throw new Error(`formula inattesa: ${formula}`);
  let sum = 0;
  for (let row = Number(m[2]); row <= Number(m[3]); row++) {
    const v = value(`${m[1]}${row}`);
    if (typeof v === 'number') sum += v;
    else if (!isFormula(v)) throw new Error(`cella ${m[1]}${row} non numerica: ${JSON.stringify(v)}`);
  }
  return sum;
}

describe("l'Excel del riepilogo pasti", () => {
  it('totale per scuola e totale generale: formule SUBTOTAL con il valore, che riletti tornano con le classi', async () => {
    const fifth = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '5B' });
    const media = await app.call('schools.create', { municipalityId: base.clusone.id, name: 'Secondaria Clusone', kind: 'secondaria', serviceWeekdays: [1, 2, 3, 4, 5] });
    const firstA = await app.call('classes.create', { schoolId: media.id, schoolYearId: base.year.id, name: '1A' });
    const a = await enrollPupil(app, base);
    await enrollPupil(app, base);
    await enrollPupil(app, base, { classId: fifth.id });
    await enrollPupil(app, base, { schoolId: media.id, classId: firstA.id });
    await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    await app.travel('2026-10-12T05:00:00Z'); // Monday 07:00 in Rome
    await app.call('attendance.plainMeal', { pupilId: a.pupil.id, date: '2026-10-12' }, 'operatore');

    const file = await app.call('kitchen.export', { date: '2026-10-12' }, 'operatore');
    expect(file.rows).toBe(4); // class rows
    const { ws, value } = await sheetOf(file.contentBase64);
    const row = (n: number) => ['B', 'C', 'D', 'E', 'F'].map((c) => value(`${c}${n}`));
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['Data', 'Comune', 'Scuola', 'Classe', 'Pasti', 'Di cui in bianco', 'Diete speciali', 'Stato']);
    expect(row(2)).toEqual(['Cassino', 'Infanzia Cassino', 'Senza classe', 1, 0]);
    expect(row(3)).toEqual(['Cassino', 'Infanzia Cassino', 'Totale scuola', { formula: 'SUBTOTAL(9,E2:E2)', result: 1 }, { formula: 'SUBTOTAL(9,F2:F2)', result: 0 }]);
    expect(row(4)).toEqual(['Clusone', 'Primaria Clusone', '3A', 2, 1]);
    expect(row(5)).toEqual(['Clusone', 'Primaria Clusone', '5B', 1, 0]);
    expect(row(6)).toEqual(['Clusone', 'Primaria Clusone', 'Totale scuola', { formula: 'SUBTOTAL(9,E4:E5)', result: 3 }, { formula: 'SUBTOTAL(9,F4:F5)', result: 1 }]);
    expect(row(7)).toEqual(['Clusone', 'Secondaria Clusone', '1A', 1, 0]);
    expect(row(8)).toEqual(['Clusone', 'Secondaria Clusone', 'Totale scuola', { formula: 'SUBTOTAL(9,E7:E7)', result: 1 }, { formula: 'SUBTOTAL(9,F7:F7)', result: 0 }]);
    expect(row(9)).toEqual(['Totale generale', null, null, { formula: 'SUBTOTAL(9,E2:E8)', result: 5 }, { formula: 'SUBTOTAL(9,F2:F8)', result: 1 }]);
    expect(ws.rowCount).toBe(9);
    // every stored total is what its formula computes on the sheet
    for (let n = 2; n <= 9; n++) {
      for (const col of ['E', 'F']) {
        const v = value(`${col}${n}`);
        if (isFormula(v)) expect(subtotal(value, v.formula)).toBe(v.result);
      }
    }
    // totals in bold; dates real dates; readable widths; the filter above the grand total
    expect(ws.getRow(6).font?.bold).toBe(true);
    expect(ws.getCell('A2').value).toEqual(new Date(Date.UTC(2026, 9, 12)));
    expect(ws.getCell('A2').numFmt).toBe('dd/mm/yyyy');
    expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(30);
    expect(ws.getColumn(6).width).toBeGreaterThanOrEqual('Di cui in bianco'.length);
    expect(ws.getColumn(7).width).toBeGreaterThanOrEqual(30);
    expect(ws.autoFilter).toBe('A1:H8');
  });

  it('un giorno senza pasti non dà un file vuoto ma un messaggio', async () => {
    await enrollPupil(app, base);
    // Sunday: no service
    expect(await app.fail('kitchen.export', { date: '2026-10-11' }, 'operatore')).toMatchObject({ code: 'NOT_FOUND', message: 'Nessun pasto in questo giorno: nessun file creato' });
  });
});
