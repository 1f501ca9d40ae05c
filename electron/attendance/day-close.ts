/**
 * Day close and corrections.
 *
 * At a municipality's cutoff (A2) the day's bookings become recorded meals (`meals`), with the
 * tariff of the day as a price snapshot: one INSERT … SELECT in one transaction, so a crash leaves
 * the day either closed or open, and the (municipality, day) row in `day_closures` makes it
 * idempotent (a second close records nothing).
 *
 * After the close, presences are corrected, never edited: `meal_corrections` is append-only and the
 * pupil's effective state for a day is the latest correction, else the recorded meal.
 */
import type Database from 'better-sqlite3';
import { and, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { attendanceNotices, dayClosures, mealCorrections, meals, municipalities, pupils, tariffs } from '../../db/schema';
import { conflict, invalidField, notFound } from '../contract/errors';
import { cutoffMoment } from '../calendar/cutoff';
import { formatDateIt, romeTimeOf } from '../calendar/rome-time';
import { PupilCalendar, ServiceCalendar } from '../calendar/service-calendar';
import { insertMealsOfDay, tariffOn } from './bookings';
import { chargeCorrection, chargeMealsOfDay } from '../ledger/meal-charges';

export type CloseMode = 'automatica' | 'recupero' | 'manuale';

export interface DayCloseResult {
  municipalityId: number;
  municipalityName: string;
  date: string;
  alreadyClosed: boolean;
  dayClosureId: number;
  closedAt: string;
  mode: CloseMode;
  meals: number;
  plainMeals: number;
  /** meal charges written to the ledger by this close (0 when already closed) */
  charged: number;
  /** meals recorded without a price (no tariff for that day): not charged */
  uncharged: number;
}

/**
 * The one home of the day close's cutoff rule (A2): a municipality's day can be closed from its
 * cutoff moment (Rome time) on, never before, since until then families may still cancel. The
 * manual close, the scheduler and the close itself all ask here.
 */
export function dayCloseOpensAt(date: string, cutoffTime: string): Date {
  return cutoffMoment(date, cutoffTime);
}

export function canCloseDay(date: string, cutoffTime: string, at: Date): boolean {
  return at.getTime() >= dayCloseOpensAt(date, cutoffTime).getTime();
}

/** The Italian refusal for a close attempted before the cutoff. */
export function closeTooEarlyMessage(date: string, municipalityName: string, cutoffTime: string): string {
  return `La giornata del ${formatDateIt(date)} del Comune di ${municipalityName} si chiude dall'orario limite delle ${cutoffTime}: fino ad allora le famiglie possono ancora disdire`;
}

export function dayClosure(db: AppDb, municipalityId: number, date: string) {
  return db
    .select()
    .from(dayClosures)
    .where(and(eq(dayClosures.municipalityId, municipalityId), eq(dayClosures.date, date)))
    .get() ?? null;
}

/**
 * Closes one municipality's day. Must run inside a transaction (a mutation, or the scheduler's own).
 * Refused before the cutoff: until then families may still cancel (A2).
 */
export function closeMunicipalityDay(
  db: AppDb,
  sqlite: Database.Database,
  input: { municipalityId: number; date: string; at: Date; userId: number | null; mode: CloseMode },
): DayCloseResult {
  const m = db.select().from(municipalities).where(eq(municipalities.id, input.municipalityId)).get();
  if (!m) throw notFound('Comune');
  const existing = dayClosure(db, m.id, input.date);
  if (existing) {
    return {
      municipalityId: m.id,
      municipalityName: m.name,
      date: input.date,
      alreadyClosed: true,
      dayClosureId: existing.id,
      closedAt: existing.closedAt,
      mode: existing.mode,
      meals: existing.meals,
      plainMeals: existing.plainMeals,
      charged: 0,
      uncharged: 0,
    };
  }
  if (!canCloseDay(input.date, m.cutoffTime, input.at)) throw conflict(closeTooEarlyMessage(input.date, m.name, m.cutoffTime), 'date');
  const calendar = ServiceCalendar.load(db, { from: input.date, to: input.date, municipalityId: m.id });
  const plan = calendar.dayPlan(input.date, m.id);
  const tariff = tariffOn(db, m.id, input.date);
  const closedAt = input.at.toISOString();
  const row = db
    .insert(dayClosures)
    .values({ municipalityId: m.id, date: input.date, closedAt, closedBy: input.userId, mode: input.mode, meals: 0, plainMeals: 0 })
    .returning({ id: dayClosures.id })
    .get();
  insertMealsOfDay(sqlite, plan, { municipalityId: m.id }, { dayClosureId: row.id, tariffId: tariff?.id ?? null, priceCents: tariff?.grossCents ?? null });
  const counts = sqlite
    .prepare('SELECT count(*) AS meals, coalesce(sum(plain), 0) AS plain FROM meals WHERE date = ? AND municipality_id = ?')
    .get(input.date, m.id) as { meals: number; plain: number };
  db.update(dayClosures).set({ meals: counts.meals, plainMeals: counts.plain }).where(eq(dayClosures.id, row.id)).run();
  // T1/P1: the same transaction charges every recorded meal at the day's published gross price
  const t = tariff ? db.select().from(tariffs).where(eq(tariffs.id, tariff.id)).get() : undefined;
  const money = chargeMealsOfDay(sqlite, {
    date: input.date,
    municipalityId: m.id,
    dayClosureId: row.id,
    schoolYearId: plan.schoolYearId,
    tariff: t ? { id: t.id, grossCents: t.grossCents, netCents: t.netCents, vatRateBp: t.vatRateBp } : null,
    at: input.at,
    userId: input.userId,
  });
  return {
    municipalityId: m.id,
    municipalityName: m.name,
    date: input.date,
    alreadyClosed: false,
    dayClosureId: row.id,
    closedAt,
    mode: input.mode,
    meals: counts.meals,
    plainMeals: counts.plain,
    charged: money.charged,
    uncharged: money.uncharged,
  };
}

// ---------------------------------------------------------------------------------------------
// Effective presence of a pupil on a closed day, and corrections
// ---------------------------------------------------------------------------------------------

export type MealRow = typeof meals.$inferSelect;
export type CorrectionRow = typeof mealCorrections.$inferSelect;

export interface EffectiveDay {
  meal: MealRow | null;
  correction: CorrectionRow | null;
  present: boolean;
  plain: boolean;
}

export function effectiveDay(db: AppDb, pupilId: number, date: string): EffectiveDay {
  const meal = db.select().from(meals).where(and(eq(meals.pupilId, pupilId), eq(meals.date, date))).get() ?? null;
  const correction =
    db
      .select()
      .from(mealCorrections)
      .where(and(eq(mealCorrections.pupilId, pupilId), eq(mealCorrections.date, date)))
      .orderBy(desc(mealCorrections.id))
      .get() ?? null;
  if (correction) return { meal, correction, present: correction.present, plain: correction.present && correction.plain };
  return { meal, correction: null, present: meal !== null, plain: meal?.plain ?? false };
}

/** The latest correction of each pupil corrected on a municipality's day, with the original meal. */
export function correctionsOfDay(sqlite: Database.Database, date: string, municipalityId: number) {
  return sqlite
    .prepare(
      `SELECT c.pupil_id AS pupilId, c.present, c.plain, c.school_id AS schoolId, c.class_id AS classId,
              m.id AS mealId, m.plain AS mealPlain, m.school_id AS mealSchoolId, m.class_id AS mealClassId
       FROM meal_corrections c
       LEFT JOIN meals m ON m.pupil_id = c.pupil_id AND m.date = c.date
       WHERE c.date = ? AND c.municipality_id = ?
         AND c.id = (SELECT max(c2.id) FROM meal_corrections c2 WHERE c2.pupil_id = c.pupil_id AND c2.date = c.date)`,
    )
    .all(date, municipalityId) as {
    pupilId: number;
    present: number;
    plain: number;
    schoolId: number;
    classId: number | null;
    mealId: number | null;
    mealPlain: number | null;
    mealSchoolId: number | null;
    mealClassId: number | null;
  }[];
}

export interface CorrectionInput {
  pupilId: number;
  date: string;
  present: boolean;
  plain: boolean;
  reason: string;
  origin: 'rettifica' | 'disdetta_in_tempo';
}

/**
 * Records a correction of a pupil's presence on a closed day. Refused when the day is not closed
 * (before the close, cancellations and plain meals are what change a booking), when nothing would
 * change, and when the day had no service for the pupil's class.
 */
export function correctPresence(db: AppDb, input: CorrectionInput, at: Date, userId: number | null) {
  const cal = PupilCalendar.load(db, input.pupilId, input.date, input.date);
  const day = cal.day(input.date);
  const e = day.enrollment;
  if (!e || e.status === 'bozza' || e.activatedOn === null) {
    throw invalidField('date', `Il ${formatDateIt(input.date)} l'alunno non è iscritto al servizio mensa: nessuna presenza da rettificare`);
  }
  const closure = dayClosure(db, e.municipalityId, input.date);
  if (!closure) {
    throw conflict(
      `La giornata del ${formatDateIt(input.date)} non è ancora chiusa: fino alla chiusura si registrano disdette e pasti in bianco, non rettifiche`,
      'date',
    );
  }
  const current = effectiveDay(db, input.pupilId, input.date);
  if (input.present && day.info && !day.info.service) {
    throw invalidField('present', `Il ${formatDateIt(input.date)} il servizio mensa non è stato erogato (${day.info.reasons.map((r) => r.label).join('; ')})`);
  }
  if (current.present === input.present && (!input.present || current.plain === input.plain)) {
    throw conflict(
      input.present
        ? `Nessuna modifica: il ${formatDateIt(input.date)} il pasto${input.plain ? ' in bianco' : ''} è già registrato`
        : `Nessuna modifica: il ${formatDateIt(input.date)} non risulta alcun pasto registrato`,
    );
  }
  const snap = current.meal
    ? {
        enrollmentId: current.meal.enrollmentId,
        municipalityId: current.meal.municipalityId,
        schoolId: current.meal.schoolId,
        classId: current.meal.classId,
        tariffId: current.meal.tariffId,
        priceCents: current.meal.priceCents,
      }
    : (() => {
        const t = tariffOn(db, e.municipalityId, input.date);
        return { enrollmentId: e.id, municipalityId: e.municipalityId, schoolId: e.schoolId, classId: e.classId, tariffId: t?.id ?? null, priceCents: t?.grossCents ?? null };
      })();
  const row = db
    .insert(mealCorrections)
    .values({
      pupilId: input.pupilId,
      date: input.date,
      mealId: current.meal?.id ?? null,
      replacesId: current.correction?.id ?? null,
      present: input.present,
      plain: input.present && input.plain,
      ...snap,
      reason: input.reason,
      origin: input.origin,
      createdBy: userId,
      createdAt: at.toISOString(),
    })
    .returning()
    .get();
  // the money follows the presence: a charge, or the reversal of the charge in force
  const ledgerEntry = chargeCorrection(db, row, at, userId);
  return { correction: row, before: { present: current.present, plain: current.plain }, ledgerEntry };
}

/** Corrections in date order, each with the pupil's name ('Cognome Nome') and user code, for the lists. */
export function listCorrections(db: AppDb, f: { pupilId?: number; from?: string; to?: string; municipalityId?: number }) {
  const c = [];
  if (f.pupilId) c.push(eq(mealCorrections.pupilId, f.pupilId));
  if (f.from) c.push(sql`${mealCorrections.date} >= ${f.from}`);
  if (f.to) c.push(sql`${mealCorrections.date} <= ${f.to}`);
  if (f.municipalityId) c.push(eq(mealCorrections.municipalityId, f.municipalityId));
  return db
    .select({
      ...getTableColumns(mealCorrections),
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      userCode: pupils.userCode,
    })
    .from(mealCorrections)
    .innerJoin(pupils, eq(pupils.id, mealCorrections.pupilId))
    .where(c.length ? and(...c) : undefined)
    .orderBy(mealCorrections.date, mealCorrections.id)
    .all();
}

export function addNotice(
  db: AppDb,
  n: { at: Date; kind: 'chiusura_in_ritardo' | 'chiusura_non_riuscita' | 'richiesta_dopo_chiusura'; municipalityId: number | null; date: string | null; message: string },
) {
  return db
    .insert(attendanceNotices)
    .values({ createdAt: n.at.toISOString(), kind: n.kind, municipalityId: n.municipalityId, date: n.date, message: n.message })
    .returning({ id: attendanceNotices.id })
    .get();
}

export function markNoticesRead(db: AppDb, ids: number[], at: Date, userId: number | null): number {
  if (!ids.length) return 0;
  return db
    .update(attendanceNotices)
    .set({ readAt: at.toISOString(), readBy: userId })
    .where(and(inArray(attendanceNotices.id, ids), sql`${attendanceNotices.readAt} IS NULL`))
    .run().changes;
}

/** "09:31" of an instant, Rome time, for messages. */
export function romeHm(at: Date | string): string {
  return romeTimeOf(at).slice(0, 5);
}
