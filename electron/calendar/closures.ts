/**
 * Closures of the service calendar (A5, A7): strikes, polling days, trips, local holidays, school
 * holidays. Entered one at a time or as a range (one action, with a preview of the bookings it
 * removes), imported from a spreadsheet, or copied from the previous school year.
 */
import type Database from 'better-sqlite3';
import { aliasedTable, and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { calendarClosures, classes, dayClosures, municipalities, pupils, schoolYears, schools, users } from '../../db/schema';
import { conflict, invalidField, notFound } from '../contract/errors';
import { countExpected, listExpected } from '../attendance/bookings';
import { addDays, compareDates, eachDate, formatDateIt } from './rome-time';
import { CLOSURE_KIND_LABELS, ServiceCalendar, type ClosureKind, type ClosureScope } from './service-calendar';

/** Longest closure that can be entered at once (a whole school year fits). */
export const MAX_CLOSURE_DAYS = 366;

export interface ClosureInput {
  scope: ClosureScope;
  municipalityId?: number | null;
  schoolId?: number | null;
  classId?: number | null;
  from: string;
  to: string;
  kind: ClosureKind;
  reason: string;
}

export interface ClosureTarget {
  scope: ClosureScope;
  municipalityId: number;
  municipalityName: string;
  schoolId: number | null;
  schoolName: string | null;
  classId: number | null;
  className: string | null;
  schoolYearId: number;
  schoolYearLabel: string;
  from: string;
  to: string;
  /** "Comune di Clusone", "Primaria Clusone", "classe 3A – Primaria Clusone" */
  label: string;
}

/** Validates what a closure applies to and when; every problem on its own field, in Italian. */
export function resolveClosureTarget(db: AppDb, input: ClosureInput, path: (string | number)[] = []): ClosureTarget {
  const at = (f: string) => [...path, f];
  if (compareDates(input.from, input.to) > 0) throw invalidField(at('to'), 'La data finale precede quella iniziale');
  if (eachDate(input.from, input.to).length > MAX_CLOSURE_DAYS) throw invalidField(at('to'), `Al massimo ${MAX_CLOSURE_DAYS} giorni per chiusura`);
  let municipalityId = input.municipalityId ?? null;
  let schoolId: number | null = null;
  let classId: number | null = null;
  let schoolName: string | null = null;
  let className: string | null = null;
  let classYearId: number | null = null;
  if (input.scope === 'classe') {
    if (!input.classId) throw invalidField(at('classId'), 'Indicare la classe');
    const c = db.select().from(classes).where(eq(classes.id, input.classId)).get();
    if (!c) throw invalidField(at('classId'), 'Classe inesistente');
    classId = c.id;
    className = c.name;
    classYearId = c.schoolYearId;
    schoolId = c.schoolId;
    if (input.schoolId && input.schoolId !== c.schoolId) throw invalidField(at('classId'), 'La classe non è della scuola indicata');
  } else if (input.scope === 'scuola') {
    if (!input.schoolId) throw invalidField(at('schoolId'), 'Indicare la scuola');
    schoolId = input.schoolId;
  } else if (!municipalityId) {
    throw invalidField(at('municipalityId'), 'Indicare il comune');
  }
  if (schoolId !== null) {
    const s = db.select().from(schools).where(eq(schools.id, schoolId)).get();
    if (!s) throw invalidField(at('schoolId'), 'Scuola inesistente');
    if (municipalityId && municipalityId !== s.municipalityId) throw invalidField(at('schoolId'), 'La scuola non è del comune indicato');
    municipalityId = s.municipalityId;
    schoolName = s.name;
  }
  const m = db.select().from(municipalities).where(eq(municipalities.id, municipalityId!)).get();
  if (!m) throw invalidField(at('municipalityId'), 'Comune inesistente');
  const year = db
    .select()
    .from(schoolYears)
    .where(and(lte(schoolYears.startsOn, input.from), gte(schoolYears.endsOn, input.to)))
    .get();
  if (!year) {
    const fromYear = db.select().from(schoolYears).where(and(lte(schoolYears.startsOn, input.from), gte(schoolYears.endsOn, input.from))).get();
    if (!fromYear) throw invalidField(at('from'), `Il ${formatDateIt(input.from)} non cade in alcun anno scolastico`);
    throw invalidField(at('to'), `Il periodo deve cadere in un solo anno scolastico: il ${fromYear.label} finisce il ${formatDateIt(fromYear.endsOn)}`);
  }
  if (classYearId !== null && classYearId !== year.id) {
    throw invalidField(at('classId'), `La classe ${className} non è dell'anno scolastico ${year.label}`);
  }
  const label = classId ? `classe ${className} – ${schoolName}` : schoolId ? schoolName! : `Comune di ${m.name}`;
  return {
    scope: input.scope,
    municipalityId: m.id,
    municipalityName: m.name,
    schoolId,
    schoolName,
    classId,
    className,
    schoolYearId: year.id,
    schoolYearLabel: year.label,
    from: input.from,
    to: input.to,
    label,
  };
}

/** Recorded meals (closed days) that a closure of `t` would contradict, per day. */
export function recordedMealsInScope(sqlite: Database.Database, t: ClosureTarget): { date: string; meals: number }[] {
  return sqlite
    .prepare(
      `SELECT date, count(*) AS meals FROM meals
       WHERE date BETWEEN @from AND @to AND municipality_id = @m
         ${t.schoolId !== null ? 'AND school_id = @s' : ''} ${t.classId !== null ? 'AND class_id = @c' : ''}
       GROUP BY date ORDER BY date`,
    )
    .all({ from: t.from, to: t.to, m: t.municipalityId, ...(t.schoolId !== null ? { s: t.schoolId } : {}), ...(t.classId !== null ? { c: t.classId } : {}) }) as {
    date: string;
    meals: number;
  }[];
}

export interface PreviewDay {
  date: string;
  /** the day is a service day for the target today (before the closure) */
  service: boolean;
  /** bookings the closure removes that day */
  bookings: number;
  /** the day is already closed: its meals are recorded and cannot be removed by a closure */
  dayClosed: boolean;
  recordedMeals: number;
}

export interface PreviewBooking {
  date: string;
  pupilId: number;
  pupilName: string;
  userCode: string;
  schoolName: string;
  className: string | null;
  plain: boolean;
}

export const PREVIEW_LIST_LIMIT = 2000;

/**
 * What a closure would remove: per day, the bookings of the target that would no longer be made,
 * and (up to PREVIEW_LIST_LIMIT) the pupils concerned. Days already closed are listed apart: a
 * closure cannot unmake their recorded meals.
 */
export function closurePreview(db: AppDb, sqlite: Database.Database, input: ClosureInput, options: { list?: boolean } = {}) {
  const wantList = options.list ?? true;
  const t = resolveClosureTarget(db, input);
  const cal = ServiceCalendar.load(db, { from: t.from, to: t.to, municipalityId: t.municipalityId });
  const closed = new Set(
    db
      .select({ d: dayClosures.date })
      .from(dayClosures)
      .where(and(eq(dayClosures.municipalityId, t.municipalityId), gte(dayClosures.date, t.from), lte(dayClosures.date, t.to)))
      .all()
      .map((r) => r.d),
  );
  const recorded = new Map(recordedMealsInScope(sqlite, t).map((r) => [r.date, r.meals]));
  const filter = { municipalityId: t.municipalityId, ...(t.schoolId !== null ? { schoolId: t.schoolId } : {}), ...(t.classId !== null ? { classId: t.classId } : {}) };
  const days: PreviewDay[] = [];
  const list: { date: string; pupilId: number; plain: boolean; schoolId: number; classId: number | null }[] = [];
  let total = 0;
  for (const date of eachDate(t.from, t.to)) {
    const plan = cal.dayPlan(date, t.municipalityId);
    const service = t.schoolId === null ? plan.servedSchoolIds.length > 0 : cal.isServiceDay(t.schoolId, t.classId, date);
    let bookings = 0;
    if (!closed.has(date) && service) {
      bookings = countExpected(sqlite, plan, filter).reduce((n, r) => n + r.meals, 0);
      if (wantList && bookings > 0 && list.length < PREVIEW_LIST_LIMIT) {
        for (const b of listExpected(sqlite, plan, filter).slice(0, PREVIEW_LIST_LIMIT - list.length)) {
          list.push({ date, pupilId: b.pupilId, plain: b.plain, schoolId: b.schoolId, classId: b.classId });
        }
      }
    }
    total += bookings;
    days.push({ date, service, bookings, dayClosed: closed.has(date), recordedMeals: recorded.get(date) ?? 0 });
  }
  const names = namesFor(db, list);
  const bookings: PreviewBooking[] = list.map((b) => ({
    date: b.date,
    pupilId: b.pupilId,
    pupilName: names.pupils.get(b.pupilId)?.name ?? '',
    userCode: names.pupils.get(b.pupilId)?.userCode ?? '',
    schoolName: names.schools.get(b.schoolId) ?? '',
    className: b.classId !== null ? (names.classes.get(b.classId) ?? null) : null,
    plain: b.plain,
  }));
  const conflicts = days.filter((d) => d.recordedMeals > 0).map((d) => ({ date: d.date, meals: d.recordedMeals }));
  return { target: t, days, totalBookings: total, bookings, truncated: total > bookings.length, conflicts };
}

/** Names of pupils, schools and classes for lists (one query each). */
export function namesFor(db: AppDb, rows: { pupilId: number; schoolId: number; classId: number | null }[]) {
  const pupilIds = [...new Set(rows.map((r) => r.pupilId))];
  const schoolIds = [...new Set(rows.map((r) => r.schoolId))];
  const classIds = [...new Set(rows.map((r) => r.classId).filter((c): c is number => c !== null))];
  const pupilMap = new Map<number, { name: string; userCode: string }>();
  for (let i = 0; i < pupilIds.length; i += 500) {
    for (const p of db
      .select({ id: pupils.id, name: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`, userCode: pupils.userCode })
      .from(pupils)
      .where(inArray(pupils.id, pupilIds.slice(i, i + 500)))
      .all()) {
      pupilMap.set(p.id, { name: p.name, userCode: p.userCode });
    }
  }
  const schoolMap = new Map(schoolIds.length ? db.select({ id: schools.id, name: schools.name }).from(schools).where(inArray(schools.id, schoolIds)).all().map((s) => [s.id, s.name]) : []);
  const classMap = new Map(classIds.length ? db.select({ id: classes.id, name: classes.name }).from(classes).where(inArray(classes.id, classIds)).all().map((c) => [c.id, c.name]) : []);
  return { pupils: pupilMap, schools: schoolMap, classes: classMap };
}

function sameClosure(db: AppDb, t: ClosureTarget, kind: ClosureKind) {
  return db
    .select({ id: calendarClosures.id })
    .from(calendarClosures)
    .where(
      and(
        eq(calendarClosures.municipalityId, t.municipalityId),
        t.schoolId === null ? isNull(calendarClosures.schoolId) : eq(calendarClosures.schoolId, t.schoolId),
        t.classId === null ? isNull(calendarClosures.classId) : eq(calendarClosures.classId, t.classId),
        eq(calendarClosures.fromDate, t.from),
        eq(calendarClosures.toDate, t.to),
        eq(calendarClosures.kind, kind),
        isNull(calendarClosures.cancelledAt),
      ),
    )
    .get();
}

/**
 * A7: creates a closure (one day or a range, for a municipality, a school or a class). Refused if
 * it would contradict meals already recorded on closed days (those are corrected one by one).
 */
export function createClosure(
  db: AppDb,
  sqlite: Database.Database,
  input: ClosureInput,
  by: { userId: number | null; at: Date; origin: 'manuale' | 'importazione' | 'copia' },
  path: (string | number)[] = [],
) {
  const t = resolveClosureTarget(db, input, path);
  const recorded = recordedMealsInScope(sqlite, t);
  if (recorded.length) {
    const list = recorded.map((r) => `${formatDateIt(r.date)} (${r.meals} pasti)`).join(', ');
    throw conflict(
      `Giornate già chiuse con pasti registrati: ${list}. I pasti registrati si correggono con le rettifiche; inserire la chiusura dal giorno successivo.`,
      [...path, 'from'],
    );
  }
  if (sameClosure(db, t, input.kind)) throw conflict(`Esiste già questa chiusura per ${t.label} dal ${formatDateIt(t.from)} al ${formatDateIt(t.to)}`, [...path, 'from']);
  const row = db
    .insert(calendarClosures)
    .values({
      schoolYearId: t.schoolYearId,
      scope: t.scope,
      municipalityId: t.municipalityId,
      schoolId: t.schoolId,
      classId: t.classId,
      fromDate: t.from,
      toDate: t.to,
      kind: input.kind,
      reason: input.reason,
      origin: by.origin,
      createdBy: by.userId,
      createdAt: by.at.toISOString(),
    })
    .returning()
    .get();
  return { row, target: t };
}

/** Cancels (soft-deletes) a closure. Days already closed keep what was recorded: the warning says so. */
export function cancelClosure(db: AppDb, id: number, reason: string, by: { userId: number | null; at: Date }) {
  const before = db.select().from(calendarClosures).where(eq(calendarClosures.id, id)).get();
  if (!before) throw notFound('Chiusura');
  if (before.cancelledAt) throw conflict('La chiusura è già annullata');
  const after = db
    .update(calendarClosures)
    .set({ cancelledAt: by.at.toISOString(), cancelledBy: by.userId, cancelReason: reason })
    .where(eq(calendarClosures.id, id))
    .returning()
    .get();
  const closedDays = db
    .select({ d: dayClosures.date })
    .from(dayClosures)
    .where(and(eq(dayClosures.municipalityId, before.municipalityId), gte(dayClosures.date, before.fromDate), lte(dayClosures.date, before.toDate)))
    .orderBy(asc(dayClosures.date))
    .all()
    .map((r) => r.d);
  const warnings = closedDays.length
    ? [
        `Le giornate dal ${formatDateIt(closedDays[0])} al ${formatDateIt(closedDays[closedDays.length - 1])} sono già chiuse: per esse non vengono aggiunti pasti (usare le rettifiche se necessario)`,
      ]
    : [];
  return { before, after, warnings };
}

const creator = aliasedTable(users, 'creator');
const canceller = aliasedTable(users, 'canceller');

export interface ClosureFilter {
  schoolYearId?: number;
  municipalityId?: number;
  schoolId?: number;
  classId?: number;
  from?: string;
  to?: string;
  kind?: ClosureKind;
  includeCancelled?: boolean;
}

export function listClosures(db: AppDb, f: ClosureFilter) {
  const c = [];
  if (f.schoolYearId) c.push(eq(calendarClosures.schoolYearId, f.schoolYearId));
  if (f.municipalityId) c.push(eq(calendarClosures.municipalityId, f.municipalityId));
  if (f.classId) {
    // what concerns the class: its municipality, its school, itself
    const cls = db.select({ schoolId: classes.schoolId, m: schools.municipalityId }).from(classes).innerJoin(schools, eq(schools.id, classes.schoolId)).where(eq(classes.id, f.classId)).get();
    if (!cls) return [];
    c.push(eq(calendarClosures.municipalityId, cls.m));
    c.push(or(isNull(calendarClosures.schoolId), eq(calendarClosures.schoolId, cls.schoolId)));
    c.push(or(isNull(calendarClosures.classId), eq(calendarClosures.classId, f.classId)));
  } else if (f.schoolId) {
    // what concerns the school: its municipality, itself, and its classes (the exceptions)
    const s = db.select({ m: schools.municipalityId }).from(schools).where(eq(schools.id, f.schoolId)).get();
    if (!s) return [];
    c.push(eq(calendarClosures.municipalityId, s.m));
    c.push(or(isNull(calendarClosures.schoolId), eq(calendarClosures.schoolId, f.schoolId)));
  }
  if (f.from) c.push(gte(calendarClosures.toDate, f.from));
  if (f.to) c.push(lte(calendarClosures.fromDate, f.to));
  if (f.kind) c.push(eq(calendarClosures.kind, f.kind));
  if (!f.includeCancelled) c.push(isNull(calendarClosures.cancelledAt));
  return db
    .select({
      id: calendarClosures.id,
      schoolYearId: calendarClosures.schoolYearId,
      schoolYearLabel: schoolYears.label,
      scope: calendarClosures.scope,
      municipalityId: calendarClosures.municipalityId,
      municipalityName: municipalities.name,
      schoolId: calendarClosures.schoolId,
      schoolName: schools.name,
      classId: calendarClosures.classId,
      className: classes.name,
      from: calendarClosures.fromDate,
      to: calendarClosures.toDate,
      kind: calendarClosures.kind,
      reason: calendarClosures.reason,
      origin: calendarClosures.origin,
      createdAt: calendarClosures.createdAt,
      createdByName: creator.displayName,
      cancelledAt: calendarClosures.cancelledAt,
      cancelledByName: canceller.displayName,
      cancelReason: calendarClosures.cancelReason,
    })
    .from(calendarClosures)
    .innerJoin(schoolYears, eq(schoolYears.id, calendarClosures.schoolYearId))
    .innerJoin(municipalities, eq(municipalities.id, calendarClosures.municipalityId))
    .leftJoin(schools, eq(schools.id, calendarClosures.schoolId))
    .leftJoin(classes, eq(classes.id, calendarClosures.classId))
    .leftJoin(creator, eq(creator.id, calendarClosures.createdBy))
    .leftJoin(canceller, eq(canceller.id, calendarClosures.cancelledBy))
    .where(c.length ? and(...c) : undefined)
    .orderBy(asc(calendarClosures.fromDate), asc(calendarClosures.id))
    .all()
    .map((r) => ({ ...r, kindLabel: CLOSURE_KIND_LABELS[r.kind], days: eachDate(r.from, r.to).length }));
}

// ---------------------------------------------------------------------------------------------
// Copy the pattern of the previous school year
// ---------------------------------------------------------------------------------------------

/** Kinds that recur every year; strikes, trips and polling days are one-off events and are not copied. */
export const RECURRING_KINDS: ReadonlySet<ClosureKind> = new Set(['chiusura', 'vacanza', 'festivita_locale', 'altro']);

function sameDayOtherYear(date: string, yearShift: number): string {
  const y = Number(date.slice(0, 4)) + yearShift;
  const md = date.slice(5);
  const candidate = `${String(y).padStart(4, '0')}-${md}`;
  // 29 February of a year that has none becomes 28 February
  return md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? `${String(y).padStart(4, '0')}-02-28` : candidate;
}

/**
 * The dates of a closure in the target year.
 * - 'data' (default): same day and month (local holidays and school breaks are fixed by date in
 *   the regional school calendars: patron saint 24/06, Christmas 23/12–06/01);
 * - 'giorno_settimana': the same weekday, the nearest to the same date (a whole number of weeks),
 *   for closures tied to a weekday (a "ponte" on a Friday).
 * The length of the range is kept.
 */
export function shiftClosure(from: string, to: string, yearShift: number, alignment: 'data' | 'giorno_settimana'): { from: string; to: string } {
  const length = eachDate(from, to).length - 1;
  const byDate = sameDayOtherYear(from, yearShift);
  if (alignment === 'data') return { from: byDate, to: addDays(byDate, length) };
  const delta = eachDate(from, byDate).length - 1;
  const weeks = Math.round(delta / 7);
  const shifted = addDays(from, weeks * 7);
  return { from: shifted, to: addDays(shifted, length) };
}

export interface CopyResult {
  created: { sourceId: number; id: number | null; from: string; to: string; label: string; kind: ClosureKind; reason: string }[];
  skipped: { sourceId: number; from: string; to: string; label: string; reason: string }[];
}

/** Copies the recurring closures of a school year into another (dryRun: only says what it would do). */
export function copyClosuresFromYear(
  db: AppDb,
  sqlite: Database.Database,
  input: { fromSchoolYearId: number; toSchoolYearId: number; municipalityId?: number; alignment: 'data' | 'giorno_settimana'; dryRun: boolean },
  by: { userId: number | null; at: Date },
): CopyResult {
  const fromYear = db.select().from(schoolYears).where(eq(schoolYears.id, input.fromSchoolYearId)).get();
  const toYear = db.select().from(schoolYears).where(eq(schoolYears.id, input.toSchoolYearId)).get();
  if (!fromYear) throw invalidField('fromSchoolYearId', 'Anno scolastico di partenza inesistente');
  if (!toYear) throw invalidField('toSchoolYearId', 'Anno scolastico di destinazione inesistente');
  if (fromYear.id === toYear.id) throw invalidField('toSchoolYearId', "L'anno di destinazione deve essere diverso da quello di partenza");
  const yearShift = Number(toYear.startsOn.slice(0, 4)) - Number(fromYear.startsOn.slice(0, 4));
  const source = listClosures(db, { schoolYearId: fromYear.id, municipalityId: input.municipalityId });
  const out: CopyResult = { created: [], skipped: [] };
  for (const c of source) {
    const label = c.className ? `classe ${c.className} – ${c.schoolName}` : (c.schoolName ?? `Comune di ${c.municipalityName}`);
    const shifted = shiftClosure(c.from, c.to, yearShift, input.alignment);
    const skip = (reason: string) => out.skipped.push({ sourceId: c.id, from: shifted.from, to: shifted.to, label, reason });
    if (!RECURRING_KINDS.has(c.kind)) {
      skip(`${CLOSURE_KIND_LABELS[c.kind]}: evento non ricorrente, non copiato`);
      continue;
    }
    if (c.scope === 'classe') {
      skip('Chiusura di una classe: le classi cambiano ogni anno, non copiata');
      continue;
    }
    if (shifted.from < toYear.startsOn || shifted.to > toYear.endsOn) {
      skip(`Fuori dall'anno scolastico ${toYear.label}`);
      continue;
    }
    const ci: ClosureInput = { scope: c.scope, municipalityId: c.municipalityId, schoolId: c.schoolId, from: shifted.from, to: shifted.to, kind: c.kind, reason: c.reason };
    try {
      if (input.dryRun) {
        const t = resolveClosureTarget(db, ci);
        if (sameClosure(db, t, c.kind)) throw conflict('Già presente');
        if (recordedMealsInScope(sqlite, t).length) throw conflict('Giornate già chiuse con pasti registrati');
        out.created.push({ sourceId: c.id, id: null, from: shifted.from, to: shifted.to, label, kind: c.kind, reason: c.reason });
      } else {
        const { row } = createClosure(db, sqlite, ci, { ...by, origin: 'copia' });
        out.created.push({ sourceId: c.id, id: row.id, from: shifted.from, to: shifted.to, label, kind: c.kind, reason: c.reason });
      }
    } catch (err) {
      skip(err instanceof Error ? (err.message.startsWith('Esiste già') ? 'Già presente' : err.message) : String(err));
    }
  }
  return out;
}

