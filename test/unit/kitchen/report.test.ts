import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../support/backend';
import { enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';

let app: TestApp;
let base: Base;
beforeEach(async () => {
  app = await createTestApp('2026-10-05T06:00:00Z');
  base = await seedAttendance(app);
});
afterEach(() => app.close());

describe('riepilogo pasti per la cucina', () => {
  it('conta i pasti per Comune, scuola e classe con i pasti in bianco; provvisorio prima della chiusura, definitivo dopo', async () => {
    const fifth = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '5B' });
    const a = await enrollPupil(app, base);
    const b = await enrollPupil(app, base);
    await enrollPupil(app, base, { classId: fifth.id });
    const late = await enrollPupil(app, base, { classId: fifth.id });
    await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    await app.travel('2026-10-12T05:00:00Z'); // 07:00
    await app.call('attendance.plainMeal', { pupilId: a.pupil.id, date: '2026-10-12' }, 'operatore');
    await app.call('attendance.cancelDay', { pupilId: b.pupil.id, date: '2026-10-12' }, 'operatore');

    const early = await app.call('kitchen.report', {}, 'operatore'); // today, as on the dashboard
    expect(early.date).toBe('2026-10-12');
    expect(early).toMatchObject({ provisional: true, meals: 4, plain: 1 });
    const clusone = early.municipalities.find((m) => m.municipalityName === 'Clusone')!;
    expect(clusone).toMatchObject({ provisional: true, closed: false, cutoffPassed: false, cutoffTime: '09:30', meals: 3, plain: 1 });
    expect(clusone.schools).toEqual([
      {
        schoolId: base.school.id,
        schoolName: 'Primaria Clusone',
        meals: 3,
        plain: 1,
        classes: [
          { classId: base.cls.id, className: '3A', meals: 1, plain: 1, diets: [], dietPupils: [] },
          { classId: fifth.id, className: '5B', meals: 2, plain: 0, diets: [], dietPupils: [] },
        ],
      },
    ]);

    await app.travel('2026-10-12T07:45:00Z'); // after both cutoffs: a late cancellation changes nothing
    await app.call('attendance.cancelDay', { pupilId: late.pupil.id, date: '2026-10-12' }, 'operatore');
    await app.call('attendance.closeDay', { date: '2026-10-12' });
    const final = await app.call('kitchen.report', { date: '2026-10-12' });
    expect(final).toMatchObject({ provisional: false, meals: 4, plain: 1 });
    expect(final.municipalities.every((m) => m.closed && !m.provisional)).toBe(true);
    expect(final.municipalities.find((m) => m.municipalityName === 'Cassino')!.schools[0].classes[0]).toMatchObject({ classId: null, className: 'Senza classe', meals: 1 });
  });

  it('A7: una classe in gita esce dal riepilogo, il resto della scuola resta', async () => {
    const fifth = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '5B' });
    await enrollPupil(app, base);
    await enrollPupil(app, base, { classId: fifth.id });
    await app.call('calendar.closures.create', { scope: 'classe', classId: fifth.id, from: '2026-10-13', to: '2026-10-13', kind: 'gita', reason: '' });
    const r = await app.call('kitchen.report', { date: '2026-10-13', municipalityId: base.clusone.id });
    expect(r.municipalities[0].schools[0].classes.map((c) => c.className)).toEqual(['3A']);
  });

  it('esporta il riepilogo in Excel, una riga per classe, segnato provvisorio o definitivo', async () => {
    await enrollPupil(app, base);
    await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    await app.travel('2026-10-12T07:10:00Z'); // Cassino closed at 09:00, Clusone still open
    await app.call('attendance.closeDay', { date: '2026-10-12' });
    const file = await app.call('kitchen.export', { date: '2026-10-12' }, 'operatore');
    expect(file).toMatchObject({ fileName: 'riepilogo-pasti-2026-10-12.xlsx', rows: 2 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    // each school's class rows, then its total; no "nessuna" where a class has no diet
    const rows = [2, 4].map((n) => [2, 3, 4, 5, 6, 7, 8].map((c) => ws.getRow(n).getCell(c).value));
    expect(rows).toEqual([
      ['Cassino', 'Infanzia Cassino', 'Senza classe', 1, 0, null, 'Definitivo'],
      ['Clusone', 'Primaria Clusone', '3A', 1, 0, null, 'Provvisorio'],
    ]);
    expect(ws.getRow(3).getCell(4).value).toBe('Totale scuola');
    expect(ws.getRow(6).getCell(2).value).toBe('Totale generale');
  });
});
