/**
 * The expected meals of a day (A1): derived, never stored before the day is closed.
 *
 * A pupil has a meal booked on day D iff
 * - their enrollment for the school year containing D is not a draft, was activated on or before D
 *   and starts on or before D;
 * - it is not withdrawn on or before D (E6: from the withdrawal date no meal is booked);
 * - no recorded suspension of it covers D (D2: from the suspension's start to the day before its
 *   lift; db/schema/suspensions.ts);
 * - D's weekday is one of the weekdays chosen at enrollment (E4);
 * - D is a service day for the pupil's class (A1, A5, A7: from the ServiceCalendar's day plan);
 * - the pupil is not on a prolonged absence covering D, and has not cancelled D (A2, A3).
 * The plain-meal flag ("in bianco") rides on the booking.
 *
 * This is the set-based form of PupilCalendar.day() + absences, used by the day close (one
 * INSERT … SELECT), the expected list, the closure preview and the provisional kitchen report.
 */
import type Database from 'better-sqlite3';
import { and, desc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { tariffs } from '../../db/schema';
import type { DayPlan } from '../calendar/service-calendar';

export interface BookingFilter {
  municipalityId: number;
  schoolId?: number;
  classId?: number;
  /** only these pupils (the kitchen's special diets: which of them eat that day) */
  pupilIds?: number[];
}

/**
 * The day's absences, one row per pupil: `off` when the meal is cancelled (a single-day
 * cancellation, or a prolonged absence covering the day), `plain` when a plain meal is asked.
 * Materialized once, then joined: one lookup per enrollment instead of one per kind of absence.
 */
const DAY_ABSENCES = `WITH d AS MATERIALIZED (
  SELECT a.pupil_id, max(a.kind = 'in_bianco') AS plain, max(a.kind <> 'in_bianco') AS off
  FROM absences a
  WHERE a.status = 'attiva'
    AND ((a.kind IN ('giorno', 'in_bianco') AND a.date = @date)
      OR (a.kind = 'prolungata' AND a.date <= @date AND (a.reactivated_on IS NULL OR a.reactivated_on > @date)))
  GROUP BY a.pupil_id)`;

const PLAIN = 'coalesce(d.plain, 0)';

/**
 * The rules as FROM … WHERE, to follow DAY_ABSENCES. Driven by the school year's enrollments (index
 * on school_year_id: rows come in table order), or, for a list of pupils (the kitchen's diet pupils),
 * by those pupils' enrollments (unique index on pupil_id, school_year_id; the '+' keeps the planner
 * off the year index); the school and class lists are left out when they
 * filter nothing. Weekdays are stored as '1,3,5' (single digits), so a digit search is exact.
 */
function whereClause(f: BookingFilter | MunicipalitiesFilter, plan: DayPlan): string {
  return `
  FROM enrollments e
  JOIN schools s ON s.id = e.school_id
  LEFT JOIN d ON d.pupil_id = e.pupil_id
  WHERE ${'pupilIds' in f && f.pupilIds !== undefined ? '+' : ''}e.school_year_id = @schoolYearId
    ${plan.allSchoolsServed ? '' : 'AND +e.school_id IN (SELECT value FROM json_each(@servedSchools))'}
    AND ${'municipalityIds' in f ? 's.municipality_id IN (SELECT value FROM json_each(@municipalityIds))' : 's.municipality_id = @municipalityId'}
    AND e.status <> 'bozza'
    AND e.activated_on IS NOT NULL AND e.activated_on <= @date
    AND e.starts_on <= @date
    AND (e.withdrawn_on IS NULL OR e.withdrawn_on > @date)
    AND e.id NOT IN (SELECT ss.enrollment_id FROM service_suspensions ss WHERE ss.starts_on <= @date AND (ss.lifted_on IS NULL OR ss.lifted_on > @date))
    AND instr(e.weekdays, @weekday) > 0
    ${plan.closedClassIds.length ? 'AND (e.class_id IS NULL OR e.class_id NOT IN (SELECT value FROM json_each(@closedClasses)))' : ''}
    AND d.off IS NOT 1
    ${'schoolId' in f && f.schoolId !== undefined ? 'AND e.school_id = @schoolId' : ''}
    ${'classId' in f && f.classId !== undefined ? 'AND e.class_id = @classId' : ''}
    ${'pupilIds' in f && f.pupilIds !== undefined ? 'AND e.pupil_id IN (SELECT value FROM json_each(@pupilIds))' : ''}`;
}

/**
 * Several municipalities' day in one scan, with a plan of all of them (`ServiceCalendar.dayPlan`
 * without a municipality): the plan's conditions are per school and class, and each school belongs
 * to one municipality, so this is the same as one query per municipality.
 */
export interface MunicipalitiesFilter {
  municipalityIds: number[];
}

function params(plan: DayPlan, f: BookingFilter | MunicipalitiesFilter, extra: Record<string, unknown> = {}) {
  return {
    date: plan.date,
    schoolYearId: plan.schoolYearId,
    ...('municipalityIds' in f ? { municipalityIds: JSON.stringify(f.municipalityIds) } : { municipalityId: f.municipalityId }),
    servedSchools: JSON.stringify(plan.servedSchoolIds),
    closedClasses: JSON.stringify(plan.closedClassIds),
    weekday: String(plan.weekday),
    ...('schoolId' in f && f.schoolId !== undefined ? { schoolId: f.schoolId } : {}),
    ...('classId' in f && f.classId !== undefined ? { classId: f.classId } : {}),
    ...('pupilIds' in f && f.pupilIds !== undefined ? { pupilIds: JSON.stringify(f.pupilIds) } : {}),
    ...extra,
  };
}

export interface ExpectedBooking {
  pupilId: number;
  enrollmentId: number;
  municipalityId: number;
  schoolId: number;
  classId: number | null;
  plain: boolean;
}

/** The expected bookings of one municipality's day, one row per pupil. */
export function listExpected(sqlite: Database.Database, plan: DayPlan, f: BookingFilter): ExpectedBooking[] {
  if (plan.servedSchoolIds.length === 0 || plan.schoolYearId === null) return [];
  const rows = sqlite
    .prepare(
      `${DAY_ABSENCES}
       SELECT e.pupil_id AS pupilId, e.id AS enrollmentId, s.municipality_id AS municipalityId, e.school_id AS schoolId,
              e.class_id AS classId, (${PLAIN}) AS plain ${whereClause(f, plan)}
       ORDER BY e.school_id, e.class_id, e.pupil_id`,
    )
    .all(params(plan, f)) as (Omit<ExpectedBooking, 'plain'> & { plain: number })[];
  return rows.map((r) => ({ ...r, plain: r.plain === 1 }));
}

export interface BookingCount {
  schoolId: number;
  classId: number | null;
  meals: number;
  plain: number;
}

/** The expected bookings counted per school and class (provisional kitchen report). */
export function countExpected(sqlite: Database.Database, plan: DayPlan, f: BookingFilter): BookingCount[] {
  return countExpectedFlagging(sqlite, plan, f, []).map(({ schoolId, classId, meals, plain }) => ({ schoolId, classId, meals, plain }));
}

export interface FlaggedBookingCount extends BookingCount {
  municipalityId: number;
  /** which of the flagged pupils have a booking in this school and class */
  flagged: number[];
}

/**
 * countExpected, and in the same pass which of `flagPupilIds` are among each group's bookings (the
 * kitchen's diet pupils): one scan of the year's enrollments instead of a second query per
 * municipality (issue 10's 100 ms for the provisional report).
 */
export function countExpectedFlagging(
  sqlite: Database.Database,
  plan: DayPlan,
  f: BookingFilter | MunicipalitiesFilter,
  flagPupilIds: number[],
): FlaggedBookingCount[] {
  if (plan.servedSchoolIds.length === 0 || plan.schoolYearId === null) return [];
  const flag = flagPupilIds.length
    ? 'group_concat(CASE WHEN e.pupil_id IN (SELECT value FROM json_each(@flagPupilIds)) THEN e.pupil_id END)'
    : 'NULL';
  const rows = sqlite
    .prepare(
      `${DAY_ABSENCES}
       SELECT s.municipality_id AS municipalityId, e.school_id AS schoolId, e.class_id AS classId, count(*) AS meals,
              coalesce(sum(${PLAIN}), 0) AS plain, ${flag} AS flagged
       ${whereClause(f, plan)} GROUP BY e.school_id, e.class_id`,
    )
    .all(params(plan, f, flagPupilIds.length ? { flagPupilIds: JSON.stringify(flagPupilIds) } : {})) as (Omit<FlaggedBookingCount, 'flagged'> & { flagged: string | null })[];
  return rows.map((r) => ({ ...r, flagged: r.flagged ? r.flagged.split(',').map(Number) : [] }));
}

/**
 * Day close, set-based: the day's bookings become recorded meals in one INSERT … SELECT, with the
 * tariff of the day as a price snapshot. ON CONFLICT keeps it idempotent even if a pupil's meal of
 * the day is already there. Returns how many meals were written.
 */
export function insertMealsOfDay(
  sqlite: Database.Database,
  plan: DayPlan,
  f: BookingFilter,
  snapshot: { dayClosureId: number; tariffId: number | null; priceCents: number | null },
): number {
  if (plan.servedSchoolIds.length === 0 || plan.schoolYearId === null) return 0;
  const r = sqlite
    .prepare(
      `${DAY_ABSENCES}
       INSERT INTO meals (pupil_id, date, enrollment_id, municipality_id, school_id, class_id, plain, tariff_id, price_cents, day_closure_id)
       SELECT e.pupil_id, @date, e.id, s.municipality_id, e.school_id, e.class_id, (${PLAIN}), @tariffId, @priceCents, @dayClosureId
       ${whereClause(f, plan)}
       ON CONFLICT (pupil_id, date) DO NOTHING`,
    )
    .run(params(plan, f, snapshot));
  return r.changes;
}

/** The municipality's meal tariff valid on `date` (the latest starting on or before it), if any. */
export function tariffOn(db: AppDb, municipalityId: number, date: string): { id: number; grossCents: number } | null {
  return (
    db
      .select({ id: tariffs.id, grossCents: tariffs.grossCents })
      .from(tariffs)
      .where(
        and(
          eq(tariffs.municipalityId, municipalityId),
          eq(tariffs.service, 'mensa'),
          lte(tariffs.validFrom, date),
          or(isNull(tariffs.validTo), gte(tariffs.validTo, date)),
        ),
      )
      .orderBy(desc(tariffs.validFrom), desc(tariffs.id))
      .get() ?? null
  );
}
