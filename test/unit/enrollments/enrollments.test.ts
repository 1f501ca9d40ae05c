import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedBasics, VALID_PAYER, type TestApp } from '../../support/backend';

let app: TestApp;
let base: Awaited<ReturnType<typeof seedBasics>>;
beforeEach(async () => {
  app = await createTestApp('2026-07-10T08:00:00Z');
  base = await seedBasics(app);
});
afterEach(() => app.close());

async function pupilAndPayer() {
  const payer = await app.call('payers.create', VALID_PAYER, 'operatore');
  const pupil = await app.call('pupils.create', { firstName: 'Maria', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: 'MRNMIA02E45L219X', schoolId: base.school.id, classId: base.cls.id }, 'operatore');
  return { payer, pupil };
}

describe('enrollments', () => {
  it('E5: a pupil gets a permanent badge and a different phone-cancellation code', async () => {
    const { pupil } = await pupilAndPayer();
    expect(pupil.userCode).toMatch(/^\d{8}$/);
    expect(pupil.phoneCode).toMatch(/^\d{6}$/);
    expect(pupil.phoneCode).not.toBe(pupil.userCode);
    const updated = await app.call('pupils.update', { id: pupil.id, firstName: 'Maria Luisa', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: pupil.taxCode, schoolId: base.school.id, classId: null });
    expect(updated.userCode).toBe(pupil.userCode);
  });

  it('E3: a wrong codice fiscale is refused on its field with an Italian message', async () => {
    const err = await app.fail('pupils.create', { firstName: 'A', lastName: 'B', birthDate: '1985-12-10', taxCode: 'RSSMRA85T10A562T', schoolId: base.school.id });
    expect(err.code).toBe('VALIDATION');
    expect(err.issues[0].path).toEqual(['taxCode']);
    expect(err.issues[0].message).toMatch(/controllo/);
  });

  it('E3: the payer needs a valid e-mail and mobile', async () => {
    const err = await app.fail('payers.create', { ...VALID_PAYER, email: 'non-una-mail', mobile: '' });
    expect(err.code).toBe('VALIDATION');
    expect(err.issues.map((i) => i.path[0]).sort()).toEqual(['email', 'mobile']);
  });

  it('E1/E4: enrollment in the window is active, weekdays follow the school service days', async () => {
    const { payer, pupil } = await pupilAndPayer();
    const { enrollment, warnings } = await app.call('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, classId: base.cls.id, weekdays: [1, 3, 5], paymentMethod: 'sdd' });
    expect(enrollment.status).toBe('attiva');
    expect(enrollment.weekdays).toEqual([1, 3, 5]);
    expect(warnings).toEqual([]);
    const dup = await app.fail('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1], paymentMethod: 'prepagato' });
    expect(dup.issues[0].message).toMatch(/già iscritto/);
  });

  it('E4: a weekday the school does not serve is refused', async () => {
    const { payer, pupil } = await pupilAndPayer();
    const err = await app.fail('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.cassinoSchool.id, weekdays: [1, 2], paymentMethod: 'prepagato' });
    expect(err.issues[0]).toMatchObject({ path: ['weekdays'] });
    expect(err.issues[0].message).toMatch(/martedì/);
  });

  it('E1: outside the municipality window the office may enroll, with a warning', async () => {
    await app.travel('2026-09-15T08:00:00Z');
    const { payer, pupil } = await pupilAndPayer();
    const r = await app.call('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato' });
    expect(r.warnings[0]).toMatch(/fuori dalla finestra/);
    expect(r.enrollment.startsOn).toBe('2026-09-15');
  });

  it('P5: SDD without IBAN cannot be activated; the message names the field', async () => {
    const payer = await app.call('payers.create', { ...VALID_PAYER, iban: null, ibanHolder: null });
    const pupil = await app.call('pupils.create', { firstName: 'Maria', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: 'MRNMIA02E45L219X', schoolId: base.school.id });
    const err = await app.fail('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1], paymentMethod: 'sdd' });
    expect(err.issues).toEqual([{ path: ['payer', 'iban'], message: expect.stringMatching(/IBAN/) }]);
    const count = await app.call('enrollments.list', {});
    expect(count.total).toBe(0);
  });

  it('E2: renewal copies last year prefilled, as drafts, class moved up; E6 withdrawn ones are not renewed', async () => {
    const { payer, pupil } = await pupilAndPayer();
    const { enrollment } = await app.call('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, classId: base.cls.id, weekdays: [2, 4], paymentMethod: 'sdd' });
    const other = await app.call('pupils.create', { firstName: 'Gino', lastName: 'Verdi', birthDate: '1980-01-01', taxCode: 'RSSMRA80A01H501U', schoolId: base.school.id });
    const { enrollment: e2 } = await app.call('enrollments.create', { pupilId: other.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1], paymentMethod: 'prepagato' });
    const w = await app.call('enrollments.withdraw', { id: e2.id, date: '2026-12-01', reason: 'trasferimento' });
    expect(w.status).toBe('ritirata');
    expect(w.withdrawnOn).toBe('2026-12-01');
    const r = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, 'operatore');
    expect(r).toMatchObject({ created: 1, skipped: 0 });
    const renewed = await app.call('enrollments.get', { id: r.createdIds[0] });
    expect(renewed).toMatchObject({ status: 'bozza', weekdays: [2, 4], paymentMethod: 'sdd', payerId: payer.id, classId: base.nextCls.id, renewedFromId: enrollment.id, startsOn: '2027-09-01' });
    const again = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id });
    expect(again).toMatchObject({ created: 0, skipped: 1 });
    const act = await app.call('enrollments.activate', { id: renewed.id });
    expect(act.status).toBe('attiva');
  });

  it('T1, P7: the Clusone tariff 5.95 + 4% = 6.18 is kept as entered with no warning; each service has its own tariff; a real disagreement warns', async () => {
    const t = await app.call('tariffs.create', { municipalityId: base.clusone.id, validFrom: '2026-09-01', grossCents: 618, netCents: 595, vatRateBp: 400 });
    expect(t).toMatchObject({ grossCents: 618, netCents: 595, vatRateBp: 400, warning: null });
    const overlap = await app.fail('tariffs.create', { municipalityId: base.clusone.id, validFrom: '2027-01-01', grossCents: 650, netCents: 625, vatRateBp: 400 });
    expect(overlap.issues[0].message).toMatch(/sovrappone/);
    const bus = await app.call('tariffs.create', { municipalityId: base.clusone.id, service: 'trasporto', validFrom: '2026-09-01', grossCents: 630, netCents: 595, vatRateBp: 400 });
    expect(bus.warning).toMatch(/almeno un centesimo/);
  });

  it('E7: a change of personal data is saved and every mutation writes an audit record with user, procedure and before/after', async () => {
    const { pupil } = await pupilAndPayer();
    await app.call('pupils.update', { id: pupil.id, firstName: 'Mara', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: pupil.taxCode, schoolId: base.school.id, classId: null }, 'operatore');
    const log = await app.call('audit.list', { entity: 'alunno', entityId: String(pupil.id) }, 'supervisore');
    expect(log.rows.map((r) => r.action)).toEqual(['modifica', 'creazione']);
    expect(log.rows[0]).toMatchObject({ username: 'operatore', procedure: 'pupils.update' });
    expect(JSON.parse(log.rows[0].before!).firstName).toBe('Maria');
    expect(JSON.parse(log.rows[0].after!).firstName).toBe('Mara');
  });
});
