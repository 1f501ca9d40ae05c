/**
 * Issue 7: an operator could undo a supervisor's suspension by "activating" the enrollment. Every
 * status change, who may make it and through which procedure, checked against a table written here
 * by hand (not read from the code). Since issue 11 (D2) a suspension is a recorded decision
 * (debts.suspensions.create / lift): the enrollment's status follows it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertTransition, ENROLLMENT_STATUSES } from '../../../electron/enrollments/service';
import { AppError } from '../../../electron/contract/errors';
import { ROLES, type Role } from '../../../electron/contract/roles';
import { createTestApp, seedBasics, VALID_PAYER, type TestApp } from '../../support/backend';
import { suspend } from '../debts/suspension-fixtures';

/** from → to: [procedure, least role]; every pair not listed is refused for everyone. */
const REVIEWED: Record<string, [string, Role]> = {
  'bozza→attiva': ['enrollments.activate', 'operatore'],
  'bozza→ritirata': ['enrollments.withdraw', 'operatore'],
  'attiva→sospesa': ['debts.suspensions.create', 'supervisore'],
  'attiva→ritirata': ['enrollments.withdraw', 'operatore'],
  'sospesa→attiva': ['debts.suspensions.lift', 'supervisore'],
  'sospesa→ritirata': ['enrollments.withdraw', 'operatore'],
};
const RANK: Record<Role, number> = { operatore: 1, supervisore: 2, amministratore: 3 };
const PROCS = ['enrollments.activate', 'debts.suspensions.lift', 'debts.suspensions.create', 'enrollments.withdraw'];

function outcome(from: (typeof ENROLLMENT_STATUSES)[number], to: (typeof ENROLLMENT_STATUSES)[number], proc: string, role: Role): string {
  try {
    assertTransition(from, to, proc, role);
    return 'ok';
  } catch (e) {
    return e instanceof AppError ? e.code : 'altro';
  }
}

describe('stati delle iscrizioni: ogni passaggio, con quale operazione e da quale ruolo', () => {
  it('la tabella rivista qui coincide con le regole del codice, per ogni coppia di stati, operazione e ruolo', () => {
    for (const from of ENROLLMENT_STATUSES)
      for (const to of ENROLLMENT_STATUSES)
        for (const proc of PROCS)
          for (const role of ROLES) {
            const rule = REVIEWED[`${from}→${to}`];
            const expected = !rule ? 'CONFLICT' : RANK[role] < RANK[rule[1]] ? 'FORBIDDEN' : rule[0] !== proc ? 'CONFLICT' : 'ok';
            expect(`${from}→${to} ${proc} ${role}: ${outcome(from, to, proc, role)}`).toBe(`${from}→${to} ${proc} ${role}: ${expected}`);
          }
  });
});

describe('sospensione e revoca attraverso il contratto', () => {
  let app: TestApp;
  let enrollmentId: number;
  let suspensionId: number;
  let pupilId: number;
  let payerId: number;
  let municipalityId: number;
  beforeEach(async () => {
    app = await createTestApp('2026-09-20T08:00:00Z');
    const base = await seedBasics(app);
    municipalityId = base.clusone.id;
    const payer = await app.call('payers.create', VALID_PAYER, 'operatore');
    payerId = payer.id;
    const pupil = await app.call('pupils.create', { firstName: 'Maria', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: 'MRNMIA02E45L219X', schoolId: base.school.id, classId: base.cls.id }, 'operatore');
    pupilId = pupil.id;
    const { enrollment } = await app.call(
      'enrollments.create',
      { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, classId: base.cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'sdd', activate: false },
      'operatore',
    );
    enrollmentId = enrollment.id;
    await app.call('enrollments.activate', { id: enrollmentId }, 'operatore');
    const [s] = await suspend(app, { payerId, municipalityId, pupilIds: [pupilId], startsOn: '2026-10-01' });
    suspensionId = s.id;
  });
  afterEach(() => app.close());

  it("un operatore non può togliere la sospensione decisa da un supervisore, né con «attiva» né con la revoca", async () => {
    const viaActivate = await app.fail('enrollments.activate', { id: enrollmentId }, 'operatore');
    expect(viaActivate).toMatchObject({ code: 'FORBIDDEN', message: "L'iscrizione è sospesa: solo un supervisore può revocare la sospensione" });
    const viaLift = await app.fail('debts.suspensions.lift', { suspensionIds: [suspensionId], reason: 'decisione' }, 'operatore');
    expect(viaLift.code).toBe('FORBIDDEN');
    const e = await app.call('enrollments.get', { id: enrollmentId }, 'operatore');
    expect(e).toMatchObject({ status: 'sospesa', suspendedOn: '2026-10-01' });
  });

  it('il supervisore revoca con «debts.suspensions.lift» (registrato come revoca); «attiva» serve solo alle bozze', async () => {
    expect((await app.fail('enrollments.activate', { id: enrollmentId }, 'supervisore')).code).toBe('CONFLICT');
    await app.call('debts.suspensions.lift', { suspensionIds: [suspensionId], reason: 'pagamento' }, 'supervisore');
    const e = await app.call('enrollments.get', { id: enrollmentId }, 'operatore');
    expect(e).toMatchObject({ status: 'attiva', suspendedOn: null });
    const audit = app.database.sqlite.prepare("SELECT username, action FROM audit_log WHERE procedure = 'debts.suspensions.lift'").all();
    expect(audit).toEqual([{ username: 'supervisore', action: 'revoca della sospensione dal 2026-10-01' }]);
    // a suspension is lifted once
    const again = await app.fail('debts.suspensions.lift', { suspensionIds: [suspensionId], reason: 'pagamento' }, 'supervisore');
    expect(again).toMatchObject({ code: 'VALIDATION', message: 'Revoca non possibile: Rossi Maria: la sospensione è già revocata dal 01/10/2026' });
  });

  it("l'operatore può ritirare un'iscrizione sospesa; la sospensione resta registrata e il ritiro è definitivo", async () => {
    const e = await app.call('enrollments.withdraw', { id: enrollmentId, date: '2026-11-02', reason: 'Trasferimento' }, 'operatore');
    expect(e).toMatchObject({ status: 'ritirata', suspendedOn: '2026-10-01', withdrawnOn: '2026-11-02' });
    // between the suspension and the withdrawal no meal is booked
    const day = await app.call('attendance.expected', { date: '2026-10-14' }, 'operatore');
    expect(day.rows.map((r) => r.pupilId)).toEqual([]);
    const again = await app.fail('debts.suspensions.create', { payerId, municipalityId, pupilIds: [pupilId], startsOn: '2026-12-01', reason: 'Prova' }, 'amministratore');
    expect(again.code).toBe('VALIDATION');
    expect(again.issues).toContainEqual({ path: ['pupilIds', 0], message: 'Rossi Maria: già sospeso dal 01/10/2026' });
  });

  it('un operatore non sospende', async () => {
    await app.call('debts.suspensions.lift', { suspensionIds: [suspensionId], reason: 'pagamento' }, 'supervisore');
    expect((await app.fail('debts.suspensions.create', { payerId, municipalityId, pupilIds: [pupilId], startsOn: '2026-10-05', reason: 'Prova' }, 'operatore')).code).toBe('FORBIDDEN');
  });
});
