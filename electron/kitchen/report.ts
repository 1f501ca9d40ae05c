/**
 * The kitchen report ("riepilogo pasti") of a day: meals per municipality, school and class, how
 * many plain, and the special diets: each pupil with an approved, current diet (DI1–DI6) who eats
 * that day, with the diet and its allergens, marked «nuova» for its first service days and
 * «da rinnovare» while last year's diet waits for its renewal (until the renewal deadline).
 *
 * A municipality's closed day is read from its recorded meals (with corrections applied): final.
 * Before the close it is computed from the expected bookings and marked provisional, because until
 * the cutoff families may still cancel.
 */
import type Database from 'better-sqlite3';
import { asc, eq, inArray } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { classes, municipalities, schools } from '../../db/schema';
import { notFound } from '../contract/errors';
import { cutoffMoment } from '../calendar/cutoff';
import { ServiceCalendar } from '../calendar/service-calendar';
import { countExpectedFlagging, type BookingCount, type FlaggedBookingCount } from '../attendance/bookings';
import { correctionsOfDay, dayClosure } from '../attendance/day-close';
import { addDays, eachDate } from '../calendar/rome-time';
import { currentDiets, type CurrentDiet } from '../diets/validity';
import { dietSettings } from '../diets/settings';

/** How many meals of a class follow one diet (the same diets, as a label). */
export interface DietCount {
  diet: string;
  meals: number;
}

/** A pupil who eats that day with an approved, current special diet. */
export interface KitchenDietPupil {
  pupilId: number;
  pupilName: string;
  /** the diets, e.g. ["Uova", "Latte"] or ["Vegetariana"] */
  diets: string[];
  /** the EU allergens (Reg. 1169/2011) among them */
  allergens: string[];
  details: string;
  medical: boolean;
  /** approved in the last few service days (setting «giorni di nuova») */
  isNew: boolean;
  /** last year's diet, kept until the renewal deadline while the family renews it */
  renewalPending: boolean;
}

export interface KitchenClass {
  classId: number | null;
  className: string;
  meals: number;
  plain: number;
  diets: DietCount[];
  dietPupils: KitchenDietPupil[];
}

export interface KitchenSchool {
  schoolId: number;
  schoolName: string;
  meals: number;
  plain: number;
  classes: KitchenClass[];
}

export interface KitchenMunicipality {
  municipalityId: number;
  municipalityName: string;
  cutoffTime: string;
  cutoffAt: string;
  cutoffPassed: boolean;
  closed: boolean;
  closedAt: string | null;
  /** true until the day is closed: families may still cancel, or the close has not run yet */
  provisional: boolean;
  meals: number;
  plain: number;
  schools: KitchenSchool[];
}

export interface KitchenReport {
  date: string;
  generatedAt: string;
  provisional: boolean;
  meals: number;
  plain: number;
  /** meals with a special diet */
  dietMeals: number;
  municipalities: KitchenMunicipality[];
}

interface Eater {
  pupilId: number;
  schoolId: number;
  classId: number | null;
}

/** Which of `pupilIds` eat on a closed day: their recorded meals, the latest corrections applied. */
function recordedEaters(
  sqlite: Database.Database,
  date: string,
  municipalityId: number,
  pupilIds: number[],
  corrections: ReturnType<typeof correctionsOfDay>,
): Eater[] {
  const rows = sqlite
    .prepare(
      `SELECT pupil_id AS pupilId, school_id AS schoolId, class_id AS classId FROM meals
       WHERE pupil_id IN (SELECT value FROM json_each(?)) AND date = ? AND municipality_id = ?`,
    )
    .all(JSON.stringify(pupilIds), date, municipalityId) as Eater[];
  if (!corrections.length) return rows;
  const wanted = new Set(pupilIds);
  const map = new Map(rows.map((r) => [r.pupilId, r]));
  for (const c of corrections) {
    if (!wanted.has(c.pupilId)) continue;
    if (c.present) map.set(c.pupilId, { pupilId: c.pupilId, schoolId: c.schoolId, classId: c.classId });
    else map.delete(c.pupilId);
  }
  return [...map.values()];
}

/**
 * The diet pupils of one municipality's day, per school and class. `calendarFor` gives the
 * service calendar of the last weeks, loaded only when a diet is recent enough to be new.
 */
function dietPupilsOf(
  db: AppDb,
  sqlite: Database.Database,
  date: string,
  eaters: Eater[],
  diets: Map<number, CurrentDiet[]>,
  newDays: number,
  municipalityId: number,
): Map<string, KitchenDietPupil[]> {
  const out = new Map<string, KitchenDietPupil[]>();
  if (!eaters.length) return out;
  const names = new Map(
    (sqlite
      .prepare(`SELECT id, last_name || ' ' || first_name AS name FROM pupils WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(eaters.map((e) => e.pupilId))) as { id: number; name: string }[]).map((r) => [r.id, r.name]),
  );
  // a diet is new for its first `newDays` service days: look back far enough to count them
  const windowStart = addDays(date, -Math.max(21, newDays * 3));
  let calendar: ServiceCalendar | null = null;
  for (const e of eaters) {
    const list = diets.get(e.pupilId);
    if (!list) continue;
    let isNew = false;
    for (const d of list) {
      if (d.renewalPending || newDays === 0 || d.approvedOn < windowStart) continue;
      calendar ??= ServiceCalendar.load(db, { from: windowStart, to: date, municipalityId });
      const served = eachDate(d.approvedOn, date).filter((day) => calendar!.isServiceDay(e.schoolId, e.classId, day)).length;
      if (served <= newDays) isNew = true;
    }
    const key = `${e.schoolId}:${e.classId ?? ''}`;
    const pupils = out.get(key) ?? [];
    pupils.push({
      pupilId: e.pupilId,
      pupilName: names.get(e.pupilId) ?? '',
      diets: list.flatMap((d) => d.diets),
      allergens: list.flatMap((d) => d.allergens),
      details: list.map((d) => d.details).filter(Boolean).join('; '),
      medical: list.some((d) => d.category === 'medica'),
      isNew,
      renewalPending: list.some((d) => d.renewalPending),
    });
    out.set(key, pupils);
  }
  for (const list of out.values()) list.sort((a, b) => italian.compare(a.pupilName, b.pupilName));
  return out;
}

/** Italian collation, built once (String#localeCompare with a locale builds one per call: slow on thousands of names). */
const italian = new Intl.Collator('it');
const italianNumeric = new Intl.Collator('it', { numeric: true });

function countDiets(pupils: KitchenDietPupil[]): DietCount[] {
  const map = new Map<string, number>();
  for (const p of pupils) {
    const label = p.diets.join(', ');
    map.set(label, (map.get(label) ?? 0) + 1);
  }
  return [...map.entries()].map(([diet, meals]) => ({ diet, meals })).sort((a, b) => italian.compare(a.diet, b.diet));
}

/** Recorded meals of a closed day per school and class, corrections applied. */
export function recordedCounts(
  sqlite: Database.Database,
  date: string,
  municipalityId: number,
  corrections = correctionsOfDay(sqlite, date, municipalityId),
): BookingCount[] {
  const rows = sqlite
    .prepare(
      `SELECT school_id AS schoolId, class_id AS classId, count(*) AS meals, sum(plain) AS plain
       FROM meals WHERE date = ? AND municipality_id = ? GROUP BY school_id, class_id`,
    )
    .all(date, municipalityId) as BookingCount[];
  if (!corrections.length) return rows;
  const key = (s: number, c: number | null) => `${s}:${c ?? ''}`;
  const map = new Map(rows.map((r) => [key(r.schoolId, r.classId), { ...r }]));
  const bump = (schoolId: number, classId: number | null, meals: number, plain: number) => {
    const k = key(schoolId, classId);
    const r = map.get(k) ?? { schoolId, classId, meals: 0, plain: 0 };
    r.meals += meals;
    r.plain += plain;
    map.set(k, r);
  };
  for (const c of corrections) {
    if (c.mealId !== null) bump(c.mealSchoolId!, c.mealClassId, -1, c.mealPlain ? -1 : 0);
    if (c.present) bump(c.schoolId, c.classId, 1, c.plain ? 1 : 0);
  }
  return [...map.values()].filter((r) => r.meals > 0);
}

/**
 * Before the close: the expected bookings of the municipalities not closed yet, per school and
 * class, and which diet pupils eat in each, in one scan of the year's enrollments (one plan of all
 * schools: its conditions are per school and class).
 */
function provisionalCounts(db: AppDb, sqlite: Database.Database, date: string, municipalityIds: number[], dietPupilIds: number[]): FlaggedBookingCount[] {
  if (!municipalityIds.length) return [];
  const calendar = ServiceCalendar.load(db, { from: date, to: date });
  const plan = calendar.dayPlan(date);
  // every school served (the common day): no school filter in the query
  const allSchoolsServed = plan.servedSchoolIds.length === calendar.schoolIds().length;
  return countExpectedFlagging(sqlite, { ...plan, allSchoolsServed }, { municipalityIds }, dietPupilIds);
}

export function kitchenReport(db: AppDb, sqlite: Database.Database, date: string, now: Date, municipalityId?: number): KitchenReport {
  const list = municipalityId
    ? db.select().from(municipalities).where(eq(municipalities.id, municipalityId)).all()
    : db.select().from(municipalities).where(eq(municipalities.active, true)).orderBy(asc(municipalities.name)).all();
  if (municipalityId && !list.length) throw notFound('Comune');
  const settings = dietSettings(db);
  const diets = currentDiets(sqlite, date, settings);
  const dietPupilIds = [...diets.keys()];
  const closures = new Map(list.map((m) => [m.id, dayClosure(db, m.id, date)]));
  const forecast = provisionalCounts(
    db,
    sqlite,
    date,
    list.filter((m) => closures.get(m.id) === null).map((m) => m.id),
    dietPupilIds,
  );
  const out: KitchenMunicipality[] = [];
  for (const m of list) {
    const closure = closures.get(m.id) ?? null;
    const cutoffAt = cutoffMoment(date, m.cutoffTime);
    let counts: BookingCount[];
    let eaters: Eater[] = [];
    if (closure) {
      const corrections = correctionsOfDay(sqlite, date, m.id);
      counts = recordedCounts(sqlite, date, m.id, corrections);
      if (dietPupilIds.length) eaters = recordedEaters(sqlite, date, m.id, dietPupilIds, corrections);
    } else {
      const flaggedCounts = forecast.filter((c) => c.municipalityId === m.id);
      counts = flaggedCounts;
      eaters = flaggedCounts.flatMap((c) => c.flagged.map((pupilId) => ({ pupilId, schoolId: c.schoolId, classId: c.classId })));
    }
    const dietPupils = dietPupilsOf(db, sqlite, date, eaters, diets, settings.newDays, m.id);
    const schoolIds = [...new Set(counts.map((c) => c.schoolId))];
    const classIds = [...new Set(counts.map((c) => c.classId).filter((c): c is number => c !== null))];
    const schoolNames = new Map(schoolIds.length ? db.select({ id: schools.id, name: schools.name }).from(schools).where(inArray(schools.id, schoolIds)).all().map((s) => [s.id, s.name]) : []);
    const classNames = new Map(classIds.length ? db.select({ id: classes.id, name: classes.name }).from(classes).where(inArray(classes.id, classIds)).all().map((c) => [c.id, c.name]) : []);
    const bySchool = new Map<number, KitchenSchool>();
    for (const c of counts) {
      const s = bySchool.get(c.schoolId) ?? { schoolId: c.schoolId, schoolName: schoolNames.get(c.schoolId) ?? '', meals: 0, plain: 0, classes: [] };
      s.meals += c.meals;
      s.plain += c.plain;
      const pupils = dietPupils.get(`${c.schoolId}:${c.classId ?? ''}`) ?? [];
      s.classes.push({
        classId: c.classId,
        className: c.classId !== null ? (classNames.get(c.classId) ?? '') : 'Senza classe',
        meals: c.meals,
        plain: c.plain,
        diets: countDiets(pupils),
        dietPupils: pupils,
      });
      bySchool.set(c.schoolId, s);
    }
    const schoolList = [...bySchool.values()].sort((a, b) => italian.compare(a.schoolName, b.schoolName));
    for (const s of schoolList) s.classes.sort((a, b) => italianNumeric.compare(a.className, b.className));
    out.push({
      municipalityId: m.id,
      municipalityName: m.name,
      cutoffTime: m.cutoffTime,
      cutoffAt: cutoffAt.toISOString(),
      cutoffPassed: now.getTime() >= cutoffAt.getTime(),
      closed: closure !== null,
      closedAt: closure?.closedAt ?? null,
      provisional: closure === null,
      meals: schoolList.reduce((n, s) => n + s.meals, 0),
      plain: schoolList.reduce((n, s) => n + s.plain, 0),
      schools: schoolList,
    });
  }
  return {
    date,
    generatedAt: now.toISOString(),
    provisional: out.some((m) => m.provisional),
    meals: out.reduce((n, m) => n + m.meals, 0),
    plain: out.reduce((n, m) => n + m.plain, 0),
    dietMeals: out.reduce((n, m) => n + m.schools.reduce((k, s) => k + s.classes.reduce((j, c) => j + c.dietPupils.length, 0), 0), 0),
    municipalities: out,
  };
}
