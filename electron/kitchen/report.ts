/**
 * The kitchen report ("riepilogo pasti") of a day: meals per municipality, school and class, how
 * many plain, and (once the diets area exists) which special diets.
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
import { countExpected, type BookingCount } from '../attendance/bookings';
import { correctionsOfDay, dayClosure } from '../attendance/day-close';

/**
 * Special diets of a class: the diets area (DI1–DI6) is a later piece of work; until it exists no
 * pupil has a special diet, so every class reports an empty list (the screen says "nessuna dieta
 * speciale"). The shape is the one the diets area will fill: diet name and how many meals.
 */
export interface DietCount {
  diet: string;
  meals: number;
}

export interface KitchenClass {
  classId: number | null;
  className: string;
  meals: number;
  plain: number;
  diets: DietCount[];
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
  municipalities: KitchenMunicipality[];
}

/** Recorded meals of a closed day per school and class, corrections applied. */
export function recordedCounts(sqlite: Database.Database, date: string, municipalityId: number): BookingCount[] {
  const rows = sqlite
    .prepare(
      `SELECT school_id AS schoolId, class_id AS classId, count(*) AS meals, sum(plain) AS plain
       FROM meals WHERE date = ? AND municipality_id = ? GROUP BY school_id, class_id`,
    )
    .all(date, municipalityId) as BookingCount[];
  const corrections = correctionsOfDay(sqlite, date, municipalityId);
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

export function kitchenReport(db: AppDb, sqlite: Database.Database, date: string, now: Date, municipalityId?: number): KitchenReport {
  const list = municipalityId
    ? db.select().from(municipalities).where(eq(municipalities.id, municipalityId)).all()
    : db.select().from(municipalities).where(eq(municipalities.active, true)).orderBy(asc(municipalities.name)).all();
  if (municipalityId && !list.length) throw notFound('Comune');
  const out: KitchenMunicipality[] = [];
  for (const m of list) {
    const closure = dayClosure(db, m.id, date);
    const cutoffAt = cutoffMoment(date, m.cutoffTime);
    let counts: BookingCount[];
    if (closure) counts = recordedCounts(sqlite, date, m.id);
    else {
      const plan = ServiceCalendar.load(db, { from: date, to: date, municipalityId: m.id }).dayPlan(date, m.id);
      counts = countExpected(sqlite, plan, { municipalityId: m.id });
    }
    const schoolIds = [...new Set(counts.map((c) => c.schoolId))];
    const classIds = [...new Set(counts.map((c) => c.classId).filter((c): c is number => c !== null))];
    const schoolNames = new Map(schoolIds.length ? db.select({ id: schools.id, name: schools.name }).from(schools).where(inArray(schools.id, schoolIds)).all().map((s) => [s.id, s.name]) : []);
    const classNames = new Map(classIds.length ? db.select({ id: classes.id, name: classes.name }).from(classes).where(inArray(classes.id, classIds)).all().map((c) => [c.id, c.name]) : []);
    const bySchool = new Map<number, KitchenSchool>();
    for (const c of counts) {
      const s = bySchool.get(c.schoolId) ?? { schoolId: c.schoolId, schoolName: schoolNames.get(c.schoolId) ?? '', meals: 0, plain: 0, classes: [] };
      s.meals += c.meals;
      s.plain += c.plain;
      s.classes.push({
        classId: c.classId,
        className: c.classId !== null ? (classNames.get(c.classId) ?? '') : 'Senza classe',
        meals: c.meals,
        plain: c.plain,
        diets: [], // special diets: see DietCount
      });
      bySchool.set(c.schoolId, s);
    }
    const schoolList = [...bySchool.values()].sort((a, b) => a.schoolName.localeCompare(b.schoolName, 'it'));
    for (const s of schoolList) s.classes.sort((a, b) => a.className.localeCompare(b.className, 'it', { numeric: true }));
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
    municipalities: out,
  };
}
