import { describe, expect, it } from 'vitest';
import { count, enrollPupil, useAttendanceApp, type Base } from '../attendance/fixtures';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import type { TestApp } from '../../support/backend';

/**
 * Issue 12: "the class a pupil attends is stated once". The enrollment of the current school year
 * says where the pupil is; the pupils list, the pupil's sheet (the attendance header reads it) and
 * the day's bookings agree, also after an enrollment at another school.
 */
describe("scuola e classe dell'alunno dall'iscrizione (issue 12)", () => {
  let app: TestApp;
  let base: Base;
  useAttendanceApp((a, b) => {
    app = a;
    base = b;
  });

  async function registered() {
    const taxCode = buildCodiceFiscale({ lastName: 'Moro', firstName: 'Ettore', birthDate: '2017-04-02', sex: 'M', belfiore: 'C800' });
    // registered at Clusone's primary school, class 3A, before any enrollment
    return app.call('pupils.create', { lastName: 'Moro', firstName: 'Ettore', birthDate: '2017-04-02', taxCode, schoolId: base.school.id, classId: base.cls.id }, 'operatore');
  }

  it("dopo l'iscrizione a un'altra scuola, elenco, scheda (intestazione delle presenze) e prenotazioni dicono la stessa scuola", async () => {
    const p = await registered();
    await app.call('enrollments.create', { pupilId: p.id, schoolYearId: base.year.id, payerId: base.payerId, schoolId: base.cassinoSchool.id, classId: null, weekdays: [1, 3], paymentMethod: 'sdd', startsOn: '2026-09-14', activate: true }, 'operatore');

    const row = (await app.call('pupils.list', { search: 'moro ettore' }, 'operatore')).rows[0];
    expect(row).toMatchObject({ id: p.id, schoolId: base.cassinoSchool.id, schoolName: 'Infanzia Cassino', classId: null, className: null, municipalityName: 'Cassino' });
    const sheet = await app.call('pupils.get', { id: p.id }, 'operatore');
    expect(sheet).toMatchObject({ schoolId: base.cassinoSchool.id, schoolName: 'Infanzia Cassino', classId: null, municipalityName: 'Cassino' });
    // Wednesday 7 October 2026: a Cassino service day (Monday and Wednesday)
    const booked = (await app.call('attendance.expected', { date: '2026-10-07' }, 'operatore')).rows.find((r) => r.pupilId === p.id);
    expect(booked).toMatchObject({ schoolId: base.cassinoSchool.id, schoolName: 'Infanzia Cassino', classId: null });

    // the filters follow the enrollment too: the pupil is among Cassino's, no longer among Clusone's
    expect((await app.call('pupils.list', { schoolId: base.cassinoSchool.id }, 'operatore')).rows.map((r) => r.id)).toEqual([p.id]);
    expect((await app.call('pupils.list', { schoolId: base.school.id }, 'operatore')).rows.map((r) => r.id)).not.toContain(p.id);
    expect((await app.call('pupils.list', { classId: base.cls.id }, 'operatore')).rows.map((r) => r.id)).not.toContain(p.id);
    // and the pupil's own columns, read by statements, SDD and 730, follow it as well
    expect(count(app, 'SELECT count(*) AS n FROM pupils WHERE id = ? AND school_id = ? AND class_id IS NULL', p.id, base.cassinoSchool.id)).toBe(1);
  });

  it("un cambio di classe nell'iscrizione cambia la classe nell'elenco e nella scheda", async () => {
    const { pupil, enrollment } = await enrollPupil(app, base);
    const cls3b = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '3B' }, 'amministratore');
    const e = await app.call('enrollments.get', { id: enrollment.id }, 'operatore');
    await app.call('enrollments.update', { id: e.id, version: app.version('enrollment', e.id), pupilId: e.pupilId, schoolYearId: e.schoolYearId, payerId: e.payerId, schoolId: e.schoolId, classId: cls3b.id, weekdays: e.weekdays, paymentMethod: e.paymentMethod, notes: e.notes }, 'operatore');
    expect((await app.call('pupils.get', { id: pupil.id }, 'operatore')).className).toBe('3B');
    expect((await app.call('pupils.list', { classId: cls3b.id }, 'operatore')).rows.map((r) => r.id)).toEqual([pupil.id]);
    const booked = (await app.call('attendance.expected', { date: '2026-10-07', classId: cls3b.id }, 'operatore')).rows.map((r) => r.pupilId);
    expect(booked).toEqual([pupil.id]);
  });

  it("la bozza dell'anno prossimo (rinnovo) non sposta l'alunno dalla classe dell'anno in corso", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, 'operatore');
    const sheet = await app.call('pupils.get', { id: pupil.id }, 'operatore');
    expect(sheet.className).toBe('3A');
    // asked for next year, the list reads next year's enrollment (the renewal moved the pupil to 4A)
    const next = (await app.call('pupils.list', { schoolYearId: base.nextYear.id, search: pupil.taxCode }, 'operatore')).rows[0];
    expect(next.className).toBe('4A');
  });

  it("scuola e classe di un alunno iscritto non si cambiano dalla sua scheda: restano quelle dell'iscrizione", async () => {
    const { pupil } = await enrollPupil(app, base);
    const updated = await app.call('pupils.update', { id: pupil.id, version: app.version('pupil', pupil.id), firstName: pupil.firstName, lastName: pupil.lastName, birthDate: pupil.birthDate, taxCode: pupil.taxCode, schoolId: base.cassinoSchool.id, classId: null, notes: 'nota' }, 'operatore');
    expect(updated).toMatchObject({ schoolId: base.school.id, className: '3A', notes: 'nota' });
  });

  it("prima di ogni iscrizione la scuola data alla registrazione si può correggere", async () => {
    const p = await registered();
    const updated = await app.call('pupils.update', { id: p.id, version: app.version('pupil', p.id), firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, taxCode: p.taxCode, schoolId: base.cassinoSchool.id, classId: null, notes: '' }, 'operatore');
    expect(updated).toMatchObject({ schoolId: base.cassinoSchool.id, schoolName: 'Infanzia Cassino', classId: null });
  });
});
