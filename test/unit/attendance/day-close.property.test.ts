/**
 * Property tests: for random calendars (closures of a municipality, a school or a class), random
 * enrollments (weekdays, withdrawals, recorded suspensions (D2): one period, lifted or not, and
 * maybe a second one after the lift) and random absences (single days, prolonged
 * with or without reactivation, plain meals, some undone):
 * - the set-based expected list (SQL) and the per-pupil derivation (PupilCalendar + absences, used
 *   by the presence history) agree, day by day;
 * - closing a day twice records exactly what closing it once records, and the number of recorded
 *   meals equals the expected list (with the same plain flags).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../../support/backend';
import { addDays, eachDate } from '../../../electron/calendar/rome-time';
import { ServiceCalendar } from '../../../electron/calendar/service-calendar';
import { countExpectedFlagging, listExpected } from '../../../electron/attendance/bookings';
import { closeMunicipalityDay } from '../../../electron/attendance/day-close';
import { pupilHistory } from '../../../electron/attendance/history';
import { enrollPupil, seedAttendance, type Base } from './fixtures';

const FIRST_DAY = '2026-10-12';
const DAYS = 14;
const WINDOW = eachDate(FIRST_DAY, addDays(FIRST_DAY, DAYS - 1));

let app: TestApp;
let base: Base;
let classIds: number[];
let secondSchool: { id: number; municipalityId: number };
let pupils: { pupilId: number; enrollmentId: number; cassino: boolean }[];
const PUPILS = 14;

beforeAll(async () => {
  app = await createTestApp('2026-10-01T06:00:00Z');
  base = await seedAttendance(app);
  const fifth = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '5B' });
  const cassinoClass = await app.call('classes.create', { schoolId: base.cassinoSchool.id, schoolYearId: base.year.id, name: 'Sezione A' });
  // a second school in Clusone, so a school closure leaves the municipality partly served
  secondSchool = await app.call('schools.create', { municipalityId: base.clusone.id, name: 'Secondaria Clusone', kind: 'secondaria', serviceWeekdays: [1, 2, 3, 4, 5] });
  const secondClass = await app.call('classes.create', { schoolId: secondSchool.id, schoolYearId: base.year.id, name: '1A' });
  classIds = [base.cls.id, fifth.id, cassinoClass.id, secondClass.id];
  pupils = [];
  for (let i = 0; i < PUPILS; i++) {
    const cassino = i % 4 === 3;
    const where = cassino
      ? { schoolId: base.cassinoSchool.id, classId: cassinoClass.id }
      : i >= 12
        ? { schoolId: secondSchool.id, classId: secondClass.id }
        : { classId: i % 2 ? base.cls.id : fifth.id };
    const { pupil, enrollment } = await enrollPupil(app, base, { ...where, weekdays: cassino ? [1, 3] : [1, 2, 3, 4, 5] });
    pupils.push({ pupilId: pupil.id, enrollmentId: enrollment.id, cassino });
  }
}, 60_000);
afterAll(() => app.close());

const day = fc.integer({ min: 0, max: DAYS - 1 }).map((i) => WINDOW[i]);
const scenario = fc.record({
  closures: fc.array(
    fc.record({ scope: fc.constantFrom('comune', 'scuola', 'classe'), target: fc.nat(5), from: day, length: fc.integer({ min: 0, max: 3 }), cancelled: fc.boolean() }),
    { maxLength: 4 },
  ),
  enrollments: fc.array(
    fc.record({
      weekdays: fc.subarray([1, 2, 3, 4, 5], { minLength: 1 }),
      withdrawn: fc.option(day, { nil: null }),
      suspended: fc.option(
        fc.record({ from: day, liftAfter: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }), againAfter: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }) }),
        { nil: null },
      ),
    }),
    { minLength: PUPILS, maxLength: PUPILS },
  ),
  absences: fc.array(
    fc.record({
      pupil: fc.nat(PUPILS - 1),
      kind: fc.constantFrom('giorno', 'prolungata', 'in_bianco'),
      date: day,
      reactivatedAfter: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
      status: fc.constantFrom('attiva', 'attiva', 'attiva', 'annullata'),
    }),
    { maxLength: 25 },
  ),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function load(s: Scenario) {
  const { sqlite } = app.database;
  // each run starts from the seeded office: the caller rolls the previous run back (recorded meals,
  // corrections, attempts, closures and ledger entries refuse DELETE: the database keeps them)
  const at = '2026-10-01T06:00:00.000Z';
  const insertClosure = sqlite.prepare(
    `INSERT INTO calendar_closures (school_year_id, scope, municipality_id, school_id, class_id, from_date, to_date, kind, reason, created_at, cancelled_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'chiusura', '', ?, ?)`,
  );
  for (const c of s.closures) {
    const to = addDays(c.from, c.length);
    const cancelledAt = c.cancelled ? at : null;
    if (c.scope === 'comune') {
      const m = c.target % 2 ? base.cassino.id : base.clusone.id;
      insertClosure.run(base.year.id, 'comune', m, null, null, c.from, to, at, cancelledAt);
    } else if (c.scope === 'scuola') {
      const school = [base.school, base.cassinoSchool, secondSchool][c.target % 3];
      insertClosure.run(base.year.id, 'scuola', school.municipalityId, school.id, null, c.from, to, at, cancelledAt);
    } else {
      const classId = classIds[c.target % classIds.length];
      const school = classId === classIds[2] ? base.cassinoSchool : classId === classIds[3] ? secondSchool : base.school;
      insertClosure.run(base.year.id, 'classe', school.municipalityId, school.id, classId, c.from, to, at, cancelledAt);
    }
  }
  const updateEnrollment = sqlite.prepare(`UPDATE enrollments SET weekdays = ?, status = ?, withdrawn_on = ?, version = version + 1 WHERE id = ?`);
  // D2: the periods are what the calendar reads (origin 'pregressa': no notice needed in this test)
  const insertSuspension = sqlite.prepare(
    `INSERT INTO service_suspensions (enrollment_id, pupil_id, payer_id, municipality_id, starts_on, reason, origin, decided_at)
     VALUES (?, ?, ?, ?, ?, 'Morosità', 'pregressa', ?) RETURNING id`,
  );
  const liftSuspension = sqlite.prepare(`UPDATE service_suspensions SET lifted_on = ?, lift_reason = 'pagamento', lift_note = '', lifted_at = ? WHERE id = ?`);
  s.enrollments.forEach((e, i) => {
    const p = pupils[i];
    const weekdays = p.cassino ? e.weekdays.filter((d) => d === 1 || d === 3) : e.weekdays;
    const open = e.suspended !== null && (e.suspended.liftAfter === null || e.suspended.againAfter !== null);
    const status = e.withdrawn ? 'ritirata' : open ? 'sospesa' : 'attiva';
    updateEnrollment.run((weekdays.length ? weekdays : [1]).join(','), status, e.withdrawn, p.enrollmentId);
    if (e.suspended) {
      const m = p.cassino ? base.cassino.id : base.clusone.id;
      const first = insertSuspension.get(p.enrollmentId, p.pupilId, base.payerId, m, e.suspended.from, at) as { id: number };
      if (e.suspended.liftAfter !== null) {
        const liftedOn = addDays(e.suspended.from, e.suspended.liftAfter);
        liftSuspension.run(liftedOn, at, first.id);
        if (e.suspended.againAfter !== null) insertSuspension.get(p.enrollmentId, p.pupilId, base.payerId, m, addDays(liftedOn, e.suspended.againAfter), at);
      }
    }
  });
  const insertAbsence = sqlite.prepare(
    `INSERT OR IGNORE INTO absences (pupil_id, kind, date, reactivated_on, source, acted_at, status, created_at)
     VALUES (?, ?, ?, ?, 'ufficio', ?, ?, ?)`,
  );
  for (const a of s.absences) {
    const reactivatedOn = a.kind === 'prolungata' && a.reactivatedAfter !== null ? addDays(a.date, a.reactivatedAfter) : null;
    insertAbsence.run(pupils[a.pupil].pupilId, a.kind, a.date, reactivatedOn, at, a.status, at);
  }
}

function expectedOf(date: string) {
  const { db, sqlite } = app.database;
  return [base.clusone.id, base.cassino.id].flatMap((m) => {
    const plan = ServiceCalendar.load(db, { from: date, to: date, municipalityId: m }).dayPlan(date, m);
    return listExpected(sqlite, plan, { municipalityId: m }).map((r) => `${r.pupilId}:${date}:${r.plain ? 'B' : 'N'}`);
  });
}

function historyBooked(status: 'prenotato' | 'consumato') {
  const out: string[] = [];
  for (const p of pupils) {
    for (const d of pupilHistory(app.database.db, p.pupilId, WINDOW[0], WINDOW[WINDOW.length - 1]).days) {
      if (d.status === status || (status === 'prenotato' && d.status === 'disdetta_tardiva')) out.push(`${p.pupilId}:${d.date}:${d.plain ? 'B' : 'N'}`);
    }
  }
  return out.sort();
}

function closeAll(): number {
  const { db, sqlite } = app.database;
  let written = 0;
  for (const date of WINDOW) {
    for (const m of [base.clusone.id, base.cassino.id]) {
      const r = sqlite.transaction(() => closeMunicipalityDay(db, sqlite, { municipalityId: m, date, at: new Date('2026-11-01T12:00:00Z'), userId: null, mode: 'manuale' }))();
      if (!r.alreadyClosed) written += r.meals;
    }
  }
  return written;
}

const mealRows = () =>
  (app.database.sqlite.prepare('SELECT pupil_id AS p, date AS d, plain FROM meals ORDER BY pupil_id, date').all() as { p: number; d: string; plain: number }[]).map(
    (r) => `${r.p}:${r.d}:${r.plain ? 'B' : 'N'}`,
  );

/**
 * Loads a scenario and runs `body` inside a savepoint rolled back afterwards: the ledger and the
 * closures are append-only (they refuse DELETE), so each run leaves the database as it found it.
 */
function inRolledBackRun(s: Scenario, body: (sqlite: typeof app.database.sqlite) => void): void {
  const { sqlite } = app.database;
  sqlite.exec('SAVEPOINT run');
  try {
    load(s);
    body(sqlite);
  } finally {
    sqlite.exec('ROLLBACK TO run; RELEASE run');
  }
}

describe('chiusura della giornata: proprietà su calendari e assenze casuali', () => {
  it('A1/A5/A7/E4/E6: l’elenco atteso (SQL) e la derivazione per alunno (storico) concordano ogni giorno', () => {
    fc.assert(
      fc.property(scenario, (s) =>
        inRolledBackRun(s, () => {
          const sql = WINDOW.flatMap(expectedOf).sort();
          expect(historyBooked('prenotato')).toEqual(sql);
        }),
      ),
      { numRuns: 40 },
    );
  });

  it('il conteggio di tutti i comuni in una passata (riepilogo provvisorio) concorda con l’elenco atteso di ogni comune, diete comprese', () => {
    fc.assert(
      fc.property(scenario, (s) =>
        inRolledBackRun(s, (sqlite) => {
          const { db } = app.database;
          // the flagged pupils: every other one (the kitchen flags its diet pupils)
          const flagged = pupils.filter((_, i) => i % 2 === 0).map((p) => p.pupilId);
          for (const date of WINDOW) {
            const calendar = ServiceCalendar.load(db, { from: date, to: date });
            const plan = calendar.dayPlan(date);
            const combined = countExpectedFlagging(sqlite, plan, { municipalityIds: [base.clusone.id, base.cassino.id] }, flagged)
              .map((c) => ({ ...c, flagged: [...c.flagged].sort((a, b) => a - b) }))
              .sort((a, b) => a.schoolId - b.schoolId || (a.classId ?? 0) - (b.classId ?? 0));
            const perMunicipality = [base.clusone.id, base.cassino.id].flatMap((m) => {
              const rows = listExpected(sqlite, ServiceCalendar.load(db, { from: date, to: date, municipalityId: m }).dayPlan(date, m), { municipalityId: m });
              const groups = new Map<string, { municipalityId: number; schoolId: number; classId: number | null; meals: number; plain: number; flagged: number[] }>();
              for (const r of rows) {
                const key = `${r.schoolId}:${r.classId}`;
                const g = groups.get(key) ?? { municipalityId: m, schoolId: r.schoolId, classId: r.classId, meals: 0, plain: 0, flagged: [] };
                g.meals += 1;
                g.plain += r.plain ? 1 : 0;
                if (flagged.includes(r.pupilId)) g.flagged.push(r.pupilId);
                groups.set(key, g);
              }
              return [...groups.values()];
            });
            perMunicipality.forEach((g) => g.flagged.sort((a, b) => a - b));
            perMunicipality.sort((a, b) => a.schoolId - b.schoolId || (a.classId ?? 0) - (b.classId ?? 0));
            expect(combined).toEqual(perMunicipality);
          }
        }),
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('chiudere i giorni due volte = chiuderli una volta, e i pasti registrati sono esattamente l’elenco atteso', () => {
    fc.assert(
      fc.property(scenario, (s) =>
        inRolledBackRun(s, (sqlite) => {
          const expected = WINDOW.flatMap(expectedOf).sort();
          const first = closeAll();
          const afterFirst = mealRows();
          const second = closeAll();
          expect(second).toBe(0);
          expect(mealRows()).toEqual(afterFirst);
          expect(first).toBe(expected.length);
          expect([...afterFirst].sort()).toEqual(expected);
          // once closed, the history reads the recorded meals: the same days
          expect(historyBooked('consumato')).toEqual(expected);
          // D2: no meal is recorded inside a suspension period
          const suspendedMeals = sqlite
            .prepare(`SELECT count(*) AS n FROM meals m JOIN service_suspensions ss ON ss.enrollment_id = m.enrollment_id WHERE m.date >= ss.starts_on AND (ss.lifted_on IS NULL OR m.date < ss.lifted_on)`)
            .get() as { n: number };
          expect(suspendedMeals.n).toBe(0);
          // T1: each priced meal (Clusone has a tariff, Cassino none) is charged once, at its price
          const money = sqlite
            .prepare(
              `SELECT (SELECT count(*) FROM meals WHERE price_cents IS NOT NULL) AS priced, count(*) AS charges,
                      coalesce(sum(amount_cents), 0) AS cents, (SELECT coalesce(sum(price_cents), 0) FROM meals) AS prices
               FROM ledger_entries WHERE kind = 'addebito_pasto'`,
            )
            .get() as { priced: number; charges: number; cents: number; prices: number };
          expect(money.charges).toBe(money.priced);
          expect(money.cents).toBe(-money.prices);
        }),
      ),
      { numRuns: 30 },
    );
  }, 120_000); // 30 runs of 14 day closes each: ~15 s alone, more on a shared machine
});
