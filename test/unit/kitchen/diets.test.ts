import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../support/backend';
import { enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';
import { ethicalRequest, medicalRequest } from '../diets/fixtures';

let app: TestApp;
let base: Base;
beforeEach(async () => {
  app = await createTestApp('2026-10-05T06:00:00Z'); // Monday 5 October 2026, 08:00 in Rome
  base = await seedAttendance(app);
});
afterEach(() => app.close());

type Report = Awaited<ReturnType<TestApp['call']>> & { municipalities: { schools: { classes: { className: string; dietPupils: { pupilName: string; diets: string[]; allergens: string[]; isNew: boolean; renewalPending: boolean }[]; diets: { diet: string; meals: number }[] }[] }[] }[] };

async function dietPupils(date: string) {
  const r = (await app.call('kitchen.report', { date, municipalityId: base.clusone.id }, 'operatore')) as Report;
  return r.municipalities.flatMap((m) => m.schools.flatMap((s) => s.classes.flatMap((c) => c.dietPupils.map((p) => ({ className: c.className, ...p })))));
}

async function approvedMedical(pupilId: number, validUntil: string | null = null) {
  const r = await medicalRequest(app, base, pupilId, { validUntil });
  await app.call('diets.decideMedical', { id: r.id, decision: 'approvata' }, 'supervisore');
  return r;
}

describe('riepilogo pasti con le diete speciali', () => {
  it('per scuola e classe: ogni alunno che mangia con una dieta approvata e in corso, con dieta e allergeni; non chi ha disdetto né chi è in attesa', async () => {
    const a = await enrollPupil(app, base);
    const b = await enrollPupil(app, base);
    const c = await enrollPupil(app, base);
    await enrollPupil(app, base); // no diet
    await approvedMedical(a.pupil.id);
    const eth = await ethicalRequest(app, base, b.pupil.id);
    await app.call('diets.decide', { id: eth.id, decision: 'approvata' }, 'operatore');
    await medicalRequest(app, base, c.pupil.id); // waiting for the supervisor: not cooked
    const today = await dietPupils('2026-10-06');
    expect(today.map((p) => ({ className: p.className, diets: p.diets, allergens: p.allergens }))).toEqual(
      expect.arrayContaining([
        { className: '3A', diets: ['Uova', 'Latte'], allergens: ['Uova', 'Latte'] },
        { className: '3A', diets: ['Senza carne di maiale'], allergens: [] },
      ]),
    );
    expect(today).toHaveLength(2);
    const r = (await app.call('kitchen.report', { date: '2026-10-06' })) as Report & { dietMeals: number };
    expect(r.dietMeals).toBe(2);
    expect(r.municipalities.find((m) => m.schools.length)!.schools[0].classes[0].diets).toEqual([
      { diet: 'Senza carne di maiale', meals: 1 },
      { diet: 'Uova, Latte', meals: 1 },
    ]);
    // a cancelled day: no meal, so no diet to cook
    await app.call('attendance.cancelDay', { pupilId: a.pupil.id, date: '2026-10-07' }, 'operatore');
    expect((await dietPupils('2026-10-07')).map((p) => p.diets)).toEqual([['Senza carne di maiale']]);
  });

  it('una dieta nuova è segnata «nuova» nei suoi primi 5 giorni di servizio, poi no', async () => {
    const a = await enrollPupil(app, base);
    await approvedMedical(a.pupil.id); // approved Monday 5/10
    expect((await dietPupils('2026-10-05'))[0].isNew).toBe(true);
    expect((await dietPupils('2026-10-09'))[0].isNew).toBe(true); // 5th service day
    expect((await dietPupils('2026-10-12'))[0].isNew).toBe(false); // 6th
  });

  it('DI1: la dieta scade a fine anno scolastico (o alla fine del certificato se prima); fino alla scadenza del rinnovo resta «da rinnovare», poi esce dal riepilogo', async () => {
    const a = await enrollPupil(app, base);
    const b = await enrollPupil(app, base);
    await approvedMedical(a.pupil.id);
    await approvedMedical(b.pupil.id, '2027-03-31');
    expect((await dietPupils('2027-03-31')).length).toBe(2);
    expect((await dietPupils('2027-04-01')).length).toBe(1); // b's certificate ended
    for (const p of [a, b]) {
      await app.call('enrollments.create', { pupilId: p.pupil.id, schoolYearId: base.nextYear.id, payerId: base.payerId, schoolId: base.school.id, classId: base.nextCls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'sdd', startsOn: '2027-09-13', activate: true }, 'operatore');
    }
    await app.travel('2027-09-14T06:00:00Z');
    const grace = await dietPupils('2027-09-15');
    expect(grace.map((p) => ({ className: p.className, renewalPending: p.renewalPending, isNew: p.isNew }))).toEqual([{ className: '4A', renewalPending: true, isNew: false }]);
    expect(await dietPupils('2027-10-01')).toEqual([]); // after the 30 September deadline
    // renewed and approved: back, and new
    const renewed = await medicalRequest(app, base, a.pupil.id, { schoolYearId: base.nextYear.id, receivedOn: '2027-09-14' });
    await app.call('diets.decideMedical', { id: renewed.id, decision: 'approvata' }, 'supervisore');
    expect((await dietPupils('2027-10-01')).map((p) => ({ renewalPending: p.renewalPending, isNew: p.isNew }))).toEqual([{ renewalPending: false, isNew: false }]);
    expect((await dietPupils('2027-09-15')).map((p) => ({ renewalPending: p.renewalPending, isNew: p.isNew }))).toEqual([{ renewalPending: false, isNew: true }]);
  });

  it('a giornata chiusa la dieta segue i pasti registrati e le rettifiche; l’Excel ha il foglio delle diete', async () => {
    const a = await enrollPupil(app, base);
    await approvedMedical(a.pupil.id);
    await app.travel('2026-10-05T08:00:00Z'); // after the cutoff
    await app.call('attendance.closeDay', { date: '2026-10-05' });
    expect((await dietPupils('2026-10-05')).map((p) => p.diets)).toEqual([['Uova', 'Latte']]);
    const file = await app.call('kitchen.export', { date: '2026-10-05', municipalityId: base.clusone.id }, 'operatore');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('Diete speciali')!;
    expect([5, 6, 7, 9].map((c) => ws.getRow(2).getCell(c).value)).toEqual([expect.any(String), 'Uova, Latte', 'Uova, Latte', 'NUOVA']);
    await app.call('attendance.correctMeal', { pupilId: a.pupil.id, date: '2026-10-05', present: false, plain: false, reason: 'Uscito prima di pranzo' }, 'operatore');
    expect(await dietPupils('2026-10-05')).toEqual([]);
  });

  it('elenco delle diete della scuola per l’anno, in Excel', async () => {
    const a = await enrollPupil(app, base);
    await approvedMedical(a.pupil.id);
    const list = await app.call('diets.schoolList', { schoolYearId: base.year.id, schoolId: base.school.id }, 'operatore');
    expect(list).toEqual([expect.objectContaining({ schoolName: 'Primaria Clusone', className: '3A', diets: 'Uova, Latte', allergens: 'Uova, Latte', validTo: '2027-06-30' })]);
    const file = await app.call('diets.schoolListExport', { schoolYearId: base.year.id }, 'operatore');
    expect(file).toMatchObject({ fileName: 'diete-2026-2027-2026-10-05.xlsx', rows: 1 });
  });
});
