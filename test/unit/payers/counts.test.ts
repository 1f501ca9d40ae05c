/**
 * Issue 7, "Wrong numbers on screen": the counts beside payers and classes come from correlated
 * subqueries; with an unqualified outer id they counted the wrong rows (2 pupils for every payer,
 * 1 for every class). Here every payer and every class has a different number of pupils, and the
 * ids are chosen so that a subquery bound to the inner table would give other numbers.
 */
import { describe, expect, it } from 'vitest';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { VALID_PAYER, type TestApp } from '../../support/backend';
import { useBasicsApp, type Basics } from '../../support/basics-app';

let app: TestApp;
let base: Basics;
useBasicsApp('2026-07-10T08:00:00Z', (a, b) => {
  app = a;
  base = b;
});

const NAMES = ['Anna', 'Luca', 'Sara', 'Marco', 'Giulia', 'Paolo', 'Elena'];
let n = 0;
async function pupil(classId: number | null) {
  const i = n++;
  const firstName = NAMES[i % NAMES.length];
  const lastName = `Verdi${'x'.repeat(i)}`;
  const birthDate = `2017-0${(i % 9) + 1}-1${i % 10}`;
  const taxCode = buildCodiceFiscale({ lastName, firstName, birthDate, sex: 'F', belfiore: 'C800' });
  return app.call('pupils.create', { firstName, lastName, birthDate, taxCode, schoolId: base.school.id, classId }, 'operatore');
}

async function payer(k: number) {
  const lastName = `Neri${'y'.repeat(k)}`;
  const taxCode = buildCodiceFiscale({ lastName, firstName: 'Giovanni', birthDate: `1980-01-1${k}`, sex: 'M', belfiore: 'C800' });
  return app.call('payers.create', { ...VALID_PAYER, lastName, taxCode }, 'operatore');
}

async function enroll(pupilId: number, payerId: number, classId: number | null, schoolYearId = base.year.id) {
  await app.call('enrollments.create', { pupilId, schoolYearId, payerId, schoolId: base.school.id, classId, weekdays: [1, 2, 3], paymentMethod: 'prepagato', activate: false }, 'operatore');
}

describe('conteggi negli elenchi (issue 7: numeri sbagliati a schermo)', () => {
  it('payers.list e payers.get contano gli alunni di ciascun pagante, diversi da pagante a pagante', async () => {
    const a = await payer(1);
    const b = await payer(2);
    const c = await payer(3);
    const cls2 = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '5B' });
    // a: 3 pupils (one of them enrolled in two years: still one pupil), b: 1, c: 0
    const p1 = await pupil(base.cls.id);
    const p2 = await pupil(base.cls.id);
    const p3 = await pupil(cls2.id);
    const p4 = await pupil(null);
    await enroll(p1.id, a.id, base.cls.id);
    await enroll(p2.id, a.id, base.cls.id);
    await enroll(p3.id, a.id, cls2.id);
    await enroll(p1.id, a.id, base.nextCls.id, base.nextYear.id);
    await enroll(p4.id, b.id, null);

    const list = await app.call('payers.list', {}, 'operatore');
    const byId = new Map(list.rows.map((r) => [r.id, r.pupils]));
    expect([byId.get(a.id), byId.get(b.id), byId.get(c.id)]).toEqual([3, 1, 0]);
    expect((await app.call('payers.get', { id: a.id }, 'operatore')).pupils).toBe(3);
    expect((await app.call('payers.get', { id: b.id }, 'operatore')).pupils).toBe(1);
    expect((await app.call('payers.get', { id: c.id }, 'operatore')).pupils).toBe(0);
    // the export carries the same numbers (column "Alunni")
    expect((await app.call('payers.list', { search: a.lastName }, 'operatore')).rows[0].pupils).toBe(3);
  });

  it('classes.list conta gli alunni iscritti in ciascuna classe; schools.list e il filtro per anno di pupils.list sono coerenti', async () => {
    const payerRow = await payer(4);
    const cls2 = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '5B' });
    const cls3 = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '1C' });
    const pupils = [];
    for (let i = 0; i < 4; i++) pupils.push(await pupil(null));
    // 3A: 3 pupils, 5B: 1, 1C: 0
    await enroll(pupils[0].id, payerRow.id, base.cls.id);
    await enroll(pupils[1].id, payerRow.id, base.cls.id);
    await enroll(pupils[2].id, payerRow.id, base.cls.id);
    await enroll(pupils[3].id, payerRow.id, cls2.id);

    const classes = await app.call('classes.list', { schoolId: base.school.id, schoolYearId: base.year.id }, 'operatore');
    const counts = Object.fromEntries(classes.map((c) => [c.name, c.pupils]));
    expect(counts).toEqual({ '1C': 0, '3A': 3, '5B': 1 });
    void cls3;

    const schools = await app.call('schools.list', {}, 'operatore');
    expect(schools.find((s) => s.id === base.school.id)?.pupils).toBe(4);
    expect(schools.find((s) => s.id === base.cassinoSchool.id)?.pupils).toBe(0);

    // pupils.list filtered by school year: only the pupils enrolled in that year
    await enroll((await pupil(null)).id, payerRow.id, base.nextCls.id, base.nextYear.id);
    expect((await app.call('pupils.list', { schoolYearId: base.year.id }, 'operatore')).total).toBe(4);
    expect((await app.call('pupils.list', { schoolYearId: base.nextYear.id }, 'operatore')).total).toBe(1);
  });
});
