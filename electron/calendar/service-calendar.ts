/**
 * The service calendar (A1, A5, A7): the one place that answers "is day D a service day for this
 * class?". Everything else (cancellations, the phone rule, day close, the kitchen report, the
 * presence history, the calendar screen) asks it.
 *
 * A day is a service day for class C of school S (municipality M) iff:
 * - it falls inside a school year (school_years.starts_on … ends_on);
 * - it is not Saturday or Sunday;
 * - it is not an Italian national public holiday (computed, holidays.ts);
 * - its weekday is one of the school's service weekdays (schools.service_weekdays: some schools
 *   eat only on their afternoon-return days);
 * - no closure in force covers it for M, for S, or for C (a trip closes a class, not the school).
 *
 * The weekly service days are the school's, not per school year: a change for next year is made
 * on the school when the year starts. Past days are not affected by such a change because closed
 * days are read from the recorded meals, never re-derived.
 */
import { and, eq, gte, inArray, isNull, lte, type SQL } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { calendarClosures, enrollments, municipalities, schoolYears, schools, serviceSuspensions } from '../../db/schema';
import { weekdaysFromText } from '../contract/fields';
import { italianPublicHolidays } from './holidays';
import { addDays, compareDates, formatDateIt, isoWeekday, romeDateOf, toInstant, type Moment } from './rome-time';
import { WEEKDAY_NAMES_IT } from '../contract/vocabulary/weekdays';
import { cutoffMoment } from './cutoff';

/** Declared once, in db/schema. */
export const CLOSURE_KINDS = calendarClosures.kind.enumValues;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];
export const CLOSURE_SCOPES = calendarClosures.scope.enumValues;
export type ClosureScope = (typeof CLOSURE_SCOPES)[number];

export const CLOSURE_KIND_LABELS: Record<ClosureKind, string> = {
  chiusura: 'Chiusura',
  vacanza: 'Vacanza scolastica',
  festivita_locale: 'Festività locale',
  sciopero: 'Sciopero',
  gita: 'Gita / uscita didattica',
  seggio_elettorale: 'Seggio elettorale',
  altro: 'Altro',
};


export interface CalendarSchool {
  id: number;
  name: string;
  municipalityId: number;
  weekdays: ReadonlySet<number>;
}

export interface CalendarYear {
  id: number;
  label: string;
  startsOn: string;
  endsOn: string;
}

export interface CalendarClosure {
  id: number;
  schoolYearId: number;
  scope: ClosureScope;
  municipalityId: number;
  schoolId: number | null;
  classId: number | null;
  fromDate: string;
  toDate: string;
  kind: ClosureKind;
  reason: string;
}

/** Why a day is not a service day; a day may have several reasons at once. */
export type NoServiceReason =
  | { kind: 'fuori_anno'; label: string }
  | { kind: 'weekend'; label: string }
  | { kind: 'festivita'; label: string }
  | { kind: 'giorno_senza_mensa'; label: string }
  | { kind: 'chiusura'; label: string; closureId: number; scope: ClosureScope; closureKind: ClosureKind; reason: string };

export interface DayInfo {
  date: string;
  weekday: number;
  service: boolean;
  schoolYearId: number | null;
  reasons: NoServiceReason[];
}

function closureLabel(c: CalendarClosure): string {
  const scope = c.scope === 'classe' ? ' (classe)' : c.scope === 'scuola' ? ' (scuola)' : ' (comune)';
  return `${CLOSURE_KIND_LABELS[c.kind]}${c.reason ? `: ${c.reason}` : ''}${scope}`;
}

/**
 * A precomputed service calendar over a date range: load it once (a handful of small queries) and
 * ask it about any school, class and day of the range without touching the database again.
 */
export class ServiceCalendar {
  readonly from: string;
  readonly to: string;
  private readonly schools: Map<number, CalendarSchool>;
  private readonly years: CalendarYear[];
  private readonly closures: CalendarClosure[];
  private readonly holidays = new Map<string, string>();

  constructor(data: { from: string; to: string; schools: CalendarSchool[]; years: CalendarYear[]; closures: CalendarClosure[] }) {
    compareDates(data.from, data.to); // validates both
    this.from = data.from;
    this.to = data.to;
    this.schools = new Map(data.schools.map((s) => [s.id, s]));
    this.years = [...data.years].sort((a, b) => compareDates(a.startsOn, b.startsOn));
    this.closures = data.closures;
    const firstYear = Number(data.from.slice(0, 4));
    const lastYear = Number(data.to.slice(0, 4));
    for (let y = firstYear; y <= lastYear; y++) {
      for (const h of italianPublicHolidays(y)) {
        const prev = this.holidays.get(h.date);
        this.holidays.set(h.date, prev ? `${prev} e ${h.name}` : h.name);
      }
    }
  }

  /**
   * Loads the calendar of [from, to] for the schools of one municipality, for some schools, or for
   * all of them.
   */
  static load(db: AppDb, range: { from: string; to: string; municipalityId?: number; schoolIds?: number[] }): ServiceCalendar {
    const { from, to } = range;
    const schoolConds: SQL[] = [];
    if (range.municipalityId !== undefined) schoolConds.push(eq(schools.municipalityId, range.municipalityId));
    if (range.schoolIds) schoolConds.push(inArray(schools.id, range.schoolIds.length ? range.schoolIds : [-1]));
    const schoolRows = db
      .select({ id: schools.id, name: schools.name, municipalityId: schools.municipalityId, weekdays: schools.serviceWeekdays })
      .from(schools)
      .where(schoolConds.length ? and(...schoolConds) : undefined)
      .all();
    const municipalityIds = [...new Set(schoolRows.map((s) => s.municipalityId))];
    const years = db
      .select({ id: schoolYears.id, label: schoolYears.label, startsOn: schoolYears.startsOn, endsOn: schoolYears.endsOn })
      .from(schoolYears)
      .where(and(lte(schoolYears.startsOn, to), gte(schoolYears.endsOn, from)))
      .all();
    const closures = municipalityIds.length
      ? (db
          .select({
            id: calendarClosures.id,
            schoolYearId: calendarClosures.schoolYearId,
            scope: calendarClosures.scope,
            municipalityId: calendarClosures.municipalityId,
            schoolId: calendarClosures.schoolId,
            classId: calendarClosures.classId,
            fromDate: calendarClosures.fromDate,
            toDate: calendarClosures.toDate,
            kind: calendarClosures.kind,
            reason: calendarClosures.reason,
          })
          .from(calendarClosures)
          .where(
            and(
              inArray(calendarClosures.municipalityId, municipalityIds),
              lte(calendarClosures.fromDate, to),
              gte(calendarClosures.toDate, from),
              isNull(calendarClosures.cancelledAt),
            ),
          )
          .all() as CalendarClosure[])
      : [];
    return new ServiceCalendar({
      from,
      to,
      schools: schoolRows.map((s) => ({ id: s.id, name: s.name, municipalityId: s.municipalityId, weekdays: new Set(weekdaysFromText(s.weekdays)) })),
      years,
      closures,
    });
  }

  private assertInRange(date: string): void {
    if (date < this.from || date > this.to) {
      throw new RangeError(`Data ${date} fuori dal calendario caricato (${this.from}…${this.to})`);
    }
  }

  school(schoolId: number): CalendarSchool | undefined {
    return this.schools.get(schoolId);
  }

  schoolIds(municipalityId?: number): number[] {
    return [...this.schools.values()].filter((s) => municipalityId === undefined || s.municipalityId === municipalityId).map((s) => s.id);
  }

  schoolYearOf(date: string): CalendarYear | null {
    return this.years.find((y) => y.startsOn <= date && y.endsOn >= date) ?? null;
  }

  holidayName(date: string): string | null {
    return this.holidays.get(date) ?? null;
  }

  /** The closures in force on `date` that concern class `classId` of school `schoolId` (or the school, when classId is null). */
  closuresOn(schoolId: number, classId: number | null, date: string): CalendarClosure[] {
    const school = this.schools.get(schoolId);
    if (!school) return [];
    return this.closures.filter(
      (c) =>
        c.municipalityId === school.municipalityId &&
        c.fromDate <= date &&
        c.toDate >= date &&
        (c.schoolId === null || c.schoolId === schoolId) &&
        (c.classId === null || (classId !== null && c.classId === classId)),
    );
  }

  /** Class-level closures of the school's classes on `date` (the exceptions the calendar screen shows). */
  classClosuresOfSchool(schoolId: number, date: string): CalendarClosure[] {
    return this.closures.filter((c) => c.schoolId === schoolId && c.classId !== null && c.fromDate <= date && c.toDate >= date);
  }

  /** Every closure loaded (in force, overlapping the range). */
  allClosures(): readonly CalendarClosure[] {
    return this.closures;
  }

  /**
   * The answer for one day: service or not, and every reason why not. `classId` null asks about
   * the school as a whole (class-level closures do not close the school).
   */
  dayInfo(schoolId: number, classId: number | null, date: string): DayInfo {
    this.assertInRange(date);
    const weekday = isoWeekday(date);
    const reasons: NoServiceReason[] = [];
    const year = this.schoolYearOf(date);
    if (!year) reasons.push({ kind: 'fuori_anno', label: "Fuori dall'anno scolastico" });
    if (weekday >= 6) reasons.push({ kind: 'weekend', label: weekday === 6 ? 'Sabato' : 'Domenica' });
    const holiday = this.holidays.get(date);
    if (holiday) reasons.push({ kind: 'festivita', label: holiday });
    const school = this.schools.get(schoolId);
    if (!school) throw new RangeError(`Scuola ${schoolId} non presente nel calendario caricato`);
    if (weekday <= 5 && !school.weekdays.has(weekday)) {
      reasons.push({ kind: 'giorno_senza_mensa', label: `La scuola non ha servizio mensa il ${WEEKDAY_NAMES_IT[weekday]}` });
    }
    for (const c of this.closuresOn(schoolId, classId, date)) {
      reasons.push({ kind: 'chiusura', label: closureLabel(c), closureId: c.id, scope: c.scope, closureKind: c.kind, reason: c.reason });
    }
    return { date, weekday, service: reasons.length === 0, schoolYearId: year?.id ?? null, reasons };
  }

  isServiceDay(schoolId: number, classId: number | null, date: string): boolean {
    return this.dayInfo(schoolId, classId, date).service;
  }

  /**
   * The day's plan for the set-based queries (day close, expected list, kitchen report): the schools
   * of the municipality that serve on `date` as a whole, and the classes of those schools closed by
   * a class-level closure. A class is served iff its school is served and it is not closed.
   */
  dayPlan(date: string, municipalityId?: number): DayPlan {
    this.assertInRange(date);
    const servedSchoolIds = this.schoolIds(municipalityId).filter((id) => this.isServiceDay(id, null, date));
    const served = new Set(servedSchoolIds);
    const closedClassIds = this.closures
      .filter((c) => c.classId !== null && c.schoolId !== null && served.has(c.schoolId) && c.fromDate <= date && c.toDate >= date)
      .map((c) => c.classId as number);
    return {
      date,
      weekday: isoWeekday(date),
      schoolYearId: this.schoolYearOf(date)?.id ?? null,
      servedSchoolIds,
      allSchoolsServed: municipalityId !== undefined && servedSchoolIds.length === this.schoolIds(municipalityId).length,
      closedClassIds: [...new Set(closedClassIds)],
    };
  }
}

export interface DayPlan {
  date: string;
  weekday: number;
  /** the school year containing the date (no school year: no school is served) */
  schoolYearId: number | null;
  servedSchoolIds: number[];
  /** every school of the municipality serves that day (the common case: no school filter needed) */
  allSchoolsServed: boolean;
  closedClassIds: number[];
}

/**
 * THE question (A1, A5, A7): is `date` a service day for this class (or, with classId null, for the
 * school)? For many days or classes load a ServiceCalendar once instead.
 */
export function isServiceDay(db: AppDb, where: { schoolId: number; classId?: number | null }, date: string): boolean {
  return ServiceCalendar.load(db, { from: date, to: date, schoolIds: [where.schoolId] }).isServiceDay(where.schoolId, where.classId ?? null, date);
}

// ---------------------------------------------------------------------------------------------
// The pupil's view: the calendar of their class, their weekdays (E4), their enrollment dates (E6).
// ---------------------------------------------------------------------------------------------

export interface PupilEnrollment {
  id: number;
  schoolYearId: number;
  schoolId: number;
  classId: number | null;
  municipalityId: number;
  cutoffTime: string;
  weekdays: ReadonlySet<number>;
  status: 'bozza' | 'attiva' | 'sospesa' | 'ritirata';
  startsOn: string;
  activatedOn: string | null;
  withdrawnOn: string | null;
  yearStartsOn: string;
  yearEndsOn: string;
  /** D2: the recorded suspensions of this enrollment, [startsOn, liftedOn): no meal is booked inside */
  suspensions: SuspensionPeriod[];
}

/** A suspension of the service (db/schema/suspensions.ts): from startsOn, until the day before liftedOn (null: not lifted). */
export interface SuspensionPeriod {
  startsOn: string;
  liftedOn: string | null;
}

/** The suspension covering `date`, if any. */
export function suspensionOn(periods: readonly SuspensionPeriod[], date: string): SuspensionPeriod | null {
  return periods.find((p) => p.startsOn <= date && (p.liftedOn === null || p.liftedOn > date)) ?? null;
}

export type PupilDayReason = 'non_iscritto' | 'ritirato' | 'sospeso' | 'non_servizio' | 'non_fruito';

export interface PupilDay {
  date: string;
  enrollment: PupilEnrollment | null;
  /** the calendar of the pupil's class on that day (null when no enrollment covers the day) */
  info: DayInfo | null;
  /** true iff a meal is booked by default for the pupil (before absences) */
  mealDay: boolean;
  /** why not, when mealDay is false */
  reason: PupilDayReason | null;
  message: string | null;
}

export function loadPupilEnrollments(db: AppDb, pupilId: number): PupilEnrollment[] {
  const periods = new Map<number, SuspensionPeriod[]>();
  for (const s of db
    .select({ enrollmentId: serviceSuspensions.enrollmentId, startsOn: serviceSuspensions.startsOn, liftedOn: serviceSuspensions.liftedOn })
    .from(serviceSuspensions)
    .where(eq(serviceSuspensions.pupilId, pupilId))
    .all()) {
    periods.set(s.enrollmentId, [...(periods.get(s.enrollmentId) ?? []), { startsOn: s.startsOn, liftedOn: s.liftedOn }]);
  }
  return db
    .select({
      id: enrollments.id,
      schoolYearId: enrollments.schoolYearId,
      schoolId: enrollments.schoolId,
      classId: enrollments.classId,
      municipalityId: schools.municipalityId,
      cutoffTime: municipalities.cutoffTime,
      weekdays: enrollments.weekdays,
      status: enrollments.status,
      startsOn: enrollments.startsOn,
      activatedOn: enrollments.activatedOn,
      withdrawnOn: enrollments.withdrawnOn,
      yearStartsOn: schoolYears.startsOn,
      yearEndsOn: schoolYears.endsOn,
    })
    .from(enrollments)
    .innerJoin(schools, eq(schools.id, enrollments.schoolId))
    .innerJoin(municipalities, eq(municipalities.id, schools.municipalityId))
    .innerJoin(schoolYears, eq(schoolYears.id, enrollments.schoolYearId))
    .where(eq(enrollments.pupilId, pupilId))
    .all()
    .map((e) => ({ ...e, weekdays: new Set(weekdaysFromText(e.weekdays)), suspensions: periods.get(e.id) ?? [] }))
    .sort((a, b) => compareDates(a.yearStartsOn, b.yearStartsOn));
}

/**
 * A pupil's calendar over a range: for each day, whether a meal is booked by default (A1) —
 * service day for the class (A5, A7), weekday chosen at enrollment (E4), enrollment active that day
 * (not before its start or activation, not from its withdrawal (E6)), and no recorded suspension
 * (D2, db/schema/suspensions.ts) covers it: from a suspension's start to the day before its lift.
 * Absences come on top of this (attendance/absences.ts).
 *
 * The same rules, set-based, are in attendance/bookings.ts (the SQL of the expected meals); the
 * property tests check that the two agree.
 */
export class PupilCalendar {
  readonly pupilId: number;
  readonly enrollments: PupilEnrollment[];
  readonly calendar: ServiceCalendar;

  constructor(pupilId: number, enrollmentsOfPupil: PupilEnrollment[], calendar: ServiceCalendar) {
    this.pupilId = pupilId;
    this.enrollments = enrollmentsOfPupil;
    this.calendar = calendar;
  }

  static load(db: AppDb, pupilId: number, from: string, to: string): PupilCalendar {
    const list = loadPupilEnrollments(db, pupilId);
    const schoolIds = [...new Set(list.map((e) => e.schoolId))];
    return new PupilCalendar(pupilId, list, ServiceCalendar.load(db, { from, to, schoolIds }));
  }

  get from(): string {
    return this.calendar.from;
  }

  get to(): string {
    return this.calendar.to;
  }

  enrollmentOn(date: string): PupilEnrollment | null {
    return this.enrollments.find((e) => e.yearStartsOn <= date && e.yearEndsOn >= date) ?? null;
  }

  day(date: string): PupilDay {
    const e = this.enrollmentOn(date);
    const it = formatDateIt(date);
    if (!e) {
      return { date, enrollment: null, info: null, mealDay: false, reason: 'non_iscritto', message: `Il ${it} l'alunno non è iscritto al servizio mensa` };
    }
    const info = this.calendar.dayInfo(e.schoolId, e.classId, date);
    const no = (reason: PupilDayReason, message: string): PupilDay => ({ date, enrollment: e, info, mealDay: false, reason, message });
    if (e.status === 'bozza' || e.activatedOn === null || e.startsOn > date || e.activatedOn > date) {
      return no('non_iscritto', `Il ${it} l'iscrizione al servizio mensa non è ancora attiva`);
    }
    if (e.withdrawnOn !== null && e.withdrawnOn <= date) {
      return no('ritirato', `L'alunno è ritirato dal servizio dal ${formatDateIt(e.withdrawnOn)}: nessun pasto prenotato`);
    }
    if (!info.service) {
      return no('non_servizio', `Il ${it} il servizio mensa non è erogato (${info.reasons.map((r) => r.label).join('; ')}): non c'è un pasto da disdire`);
    }
    if (!e.weekdays.has(info.weekday)) {
      return no('non_fruito', `Il ${it} (${WEEKDAY_NAMES_IT[info.weekday]}) non è un giorno di fruizione scelto all'iscrizione: non c'è un pasto prenotato`);
    }
    // D2: a day that would have had a meal, inside a recorded suspension
    const suspension = suspensionOn(e.suspensions, date);
    if (suspension) {
      return no('sospeso', `Il servizio è sospeso dal ${formatDateIt(suspension.startsOn)}: nessun pasto prenotato`);
    }
    return { date, enrollment: e, info, mealDay: true, reason: null, message: null };
  }

  isMealDay(date: string): boolean {
    return date >= this.from && date <= this.to && this.day(date).mealDay;
  }

  /**
   * A6, the first useful day after moment M: the first day on or after M's Rome date on which the
   * pupil has a meal booked by default and whose cutoff has not passed at M. Null when none within
   * the loaded range.
   */
  firstServiceDayAfter(moment: Moment): string | null {
    const t = toInstant(moment).getTime();
    for (let d = romeDateOf(moment); d <= this.to; d = addDays(d, 1)) {
      if (d < this.from || !this.isMealDay(d)) continue;
      const e = this.enrollmentOn(d)!;
      if (t < cutoffMoment(d, e.cutoffTime).getTime()) return d;
    }
    return null;
  }
}

/** How far around a moment the pupil's calendar is loaded for the phone rule (A6). */
export const PHONE_HORIZON_DAYS = 60;

/**
 * A6: the first service day after moment `moment` for the pupil (see PupilCalendar.firstServiceDayAfter),
 * looking up to PHONE_HORIZON_DAYS ahead.
 */
export function firstServiceDayAfter(db: AppDb, moment: Moment, pupilId: number): string | null {
  const today = romeDateOf(moment);
  return PupilCalendar.load(db, pupilId, today, addDays(today, PHONE_HORIZON_DAYS)).firstServiceDayAfter(moment);
}
