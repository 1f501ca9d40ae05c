/**
 * The office's worklist (issue 12): what needs doing today, read in one pass so the dashboard can
 * say it on one card, each item with the screen that resolves it. And the one action the worklist
 * offers itself: closing the past service days left open, all of them, in order.
 *
 * Past service days not closed ("arretrati"): for each active municipality, the days of the
 * current school year from the first day a pupil of its schools was enrolled (activated) up to the
 * last day whose cutoff has passed, on which at least one of its schools served meals (service
 * calendar: weekends, holidays and closures do not count), and that have no day close. The
 * scheduler closes the days that follow its first run by itself; these are the ones before (an
 * office that started mid-year, the demo office) or missed by a failure.
 */
import type Database from 'better-sqlite3';
import { and, eq, gte, isNull, lte, ne, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { attendanceNotices, calendarClosures, dayClosures, dietRequests, enrollments, municipalities, payers, schools, schoolYears, sddBatches } from '../../db/schema';
import { sddWithoutMandate } from '../payers/service';
import { AppError } from '../contract/errors';
import type { Ctx } from '../contract/procedure';
import { actorOf } from '../contract/procedure';
import { addDays, formatDateIt, romeDateOf } from '../calendar/rome-time';
import { easterSunday } from '../calendar/holidays';
import { ServiceCalendar } from '../calendar/service-calendar';
import { canCloseDay, closeMunicipalityDay } from '../attendance/day-close';
import { worklist as debtWorklist } from '../debts/steps';

export interface ArrearDay {
  municipalityId: number;
  municipalityName: string;
  date: string;
  /** the schools of the municipality that served meals that day */
  schoolIds: number[];
}

/** The school year containing `today`, else the last one started before it. */
function currentSchoolYear(db: AppDb, today: string) {
  return (
    db.select().from(schoolYears).where(and(lte(schoolYears.startsOn, today), gte(schoolYears.endsOn, today))).get() ??
    db.select().from(schoolYears).where(lte(schoolYears.startsOn, today)).orderBy(sql`${schoolYears.startsOn} DESC`).get() ??
    null
  );
}

/** Past service days not closed yet, in date order (then municipality). */
export function arrearDays(db: AppDb, sqlite: Database.Database, now: Date): ArrearDay[] {
  const today = romeDateOf(now);
  const year = currentSchoolYear(db, today);
  if (!year) return [];
  const firstEnrolled = sqlite.prepare(
    `SELECT min(max(e.starts_on, e.activated_on)) FROM enrollments e JOIN schools s ON s.id = e.school_id
     WHERE s.municipality_id = ? AND e.school_year_id = ? AND e.activated_on IS NOT NULL`,
  );
  const out: ArrearDay[] = [];
  for (const m of db.select().from(municipalities).where(eq(municipalities.active, true)).all()) {
    const first = firstEnrolled.pluck().get(m.id, year.id) as string | null;
    if (!first) continue;
    const from = first > year.startsOn ? first : year.startsOn;
    const lastDue = canCloseDay(today, m.cutoffTime, now) ? today : addDays(today, -1);
    const to = lastDue < year.endsOn ? lastDue : year.endsOn;
    if (to < from) continue;
    const closed = new Set(
      db
        .select({ d: dayClosures.date })
        .from(dayClosures)
        .where(and(eq(dayClosures.municipalityId, m.id), gte(dayClosures.date, from), lte(dayClosures.date, to)))
        .all()
        .map((r) => r.d),
    );
    const calendar = ServiceCalendar.load(db, { from, to, municipalityId: m.id });
    const schoolIds = calendar.schoolIds(m.id);
    for (let d = from; d <= to; d = addDays(d, 1)) {
      if (closed.has(d)) continue;
      const serving = schoolIds.filter((s) => calendar.isServiceDay(s, null, d));
      if (serving.length) out.push({ municipalityId: m.id, municipalityName: m.name, date: d, schoolIds: serving });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.municipalityId - b.municipalityId));
}

export interface ArrearsGroup {
  municipalityId: number;
  municipalityName: string;
  days: number;
  from: string;
  to: string;
  schools: string[];
}

export function groupArrears(db: AppDb, days: ArrearDay[]): ArrearsGroup[] {
  const names = new Map(db.select({ id: schools.id, name: schools.name }).from(schools).all().map((s) => [s.id, s.name]));
  const groups = new Map<number, ArrearsGroup & { schoolIds: Set<number> }>();
  for (const d of days) {
    const g = groups.get(d.municipalityId) ?? { municipalityId: d.municipalityId, municipalityName: d.municipalityName, days: 0, from: d.date, to: d.date, schools: [], schoolIds: new Set<number>() };
    g.days++;
    if (d.date < g.from) g.from = d.date;
    if (d.date > g.to) g.to = d.date;
    for (const s of d.schoolIds) g.schoolIds.add(s);
    groups.set(d.municipalityId, g);
  }
  return [...groups.values()]
    .map(({ schoolIds, ...g }) => ({ ...g, schools: [...schoolIds].map((s) => names.get(s) ?? `#${s}`).sort((a, b) => a.localeCompare(b, 'it')) }))
    .sort((a, b) => a.municipalityName.localeCompare(b.municipalityName, 'it'));
}

export interface ArrearsCloseResult {
  closedDays: number;
  meals: number;
  byMunicipality: { municipalityId: number; municipalityName: string; days: number; meals: number; from: string; to: string }[];
  /** the day the close stopped at, with the reason; null when every day was closed */
  failure: { municipalityId: number; municipalityName: string; date: string; message: string } | null;
  /** what happened, in one Italian sentence */
  message: string;
}

/**
 * Closes every past service day left open, in date order, each day in its own savepoint of the
 * call's transaction: the days before a failure stay closed, the failing day records nothing, and
 * the close stops there (the days after it wait, so the order holds) with the reason in Italian.
 * Each day is closed by the same day close as the manual one and audited the same way.
 */
export function closeArrears(ctx: Ctx, filter: { municipalityId?: number }): ArrearsCloseResult {
  const { userId, at } = actorOf(ctx);
  const days = arrearDays(ctx.db, ctx.sqlite, at).filter((d) => !filter.municipalityId || d.municipalityId === filter.municipalityId);
  const by = new Map<number, ArrearsCloseResult['byMunicipality'][number]>();
  let meals = 0;
  let closedDays = 0;
  let failure: ArrearsCloseResult['failure'] = null;
  for (const d of days) {
    try {
      const r = ctx.sqlite.transaction(() => {
        const closed = closeMunicipalityDay(ctx.db, ctx.sqlite, { municipalityId: d.municipalityId, date: d.date, at, userId, mode: 'manuale' });
        if (!closed.alreadyClosed) ctx.audit({ entity: 'giornata', entityId: `${d.municipalityId}:${d.date}`, action: 'chiusura giornata arretrata', after: closed });
        return closed;
      })();
      if (r.alreadyClosed) continue;
      closedDays++;
      meals += r.meals;
      const g = by.get(d.municipalityId) ?? { municipalityId: d.municipalityId, municipalityName: d.municipalityName, days: 0, meals: 0, from: d.date, to: d.date };
      g.days++;
      g.meals += r.meals;
      g.to = d.date;
      by.set(d.municipalityId, g);
    } catch (err) {
      const reason = err instanceof AppError ? err.message : err instanceof Error && /CONSTRAINT/.test((err as { code?: string }).code ?? '') ? err.message : null;
      if (!reason) ctx.logger.error(`Chiusura della giornata arretrata ${d.date} (comune ${d.municipalityId}) non riuscita`, err);
      failure = { municipalityId: d.municipalityId, municipalityName: d.municipalityName, date: d.date, message: reason ?? 'errore interno del programma' };
      break;
    }
  }
  const done = closedDays
    ? `${closedDays === 1 ? 'Chiusa 1 giornata' : `Chiuse ${closedDays.toLocaleString('it-IT')} giornate`} arretrate, ${meals === 1 ? '1 pasto registrato' : `${meals.toLocaleString('it-IT')} pasti registrati`}`
    : 'Nessuna giornata chiusa';
  const message = failure
    ? `${done}. Chiusura interrotta al ${formatDateIt(failure.date)} (Comune di ${failure.municipalityName}): ${failure.message}. Le giornate successive restano da chiudere.`
    : days.length
      ? `${done}.`
      : 'Nessuna giornata arretrata da chiudere.';
  return { closedDays, meals, byMunicipality: [...by.values()], failure, message };
}

// ---------------------------------------------------------------------------------------------
// The other items of the worklist
// ---------------------------------------------------------------------------------------------

/** A school year's Christmas and Easter breaks: some closure of the whole municipality or of a school in these windows. */
export function missingBreaks(db: AppDb, today: string) {
  const years = db.select().from(schoolYears).where(gte(schoolYears.endsOn, today)).orderBy(schoolYears.startsOn).all();
  const active = db.select({ id: municipalities.id, name: municipalities.name }).from(municipalities).where(eq(municipalities.active, true)).orderBy(municipalities.name).all();
  const out: { schoolYearId: number; schoolYearLabel: string; municipalityId: number; municipalityName: string; christmas: boolean; easter: boolean }[] = [];
  for (const y of years) {
    const startYear = Number(y.startsOn.slice(0, 4));
    const christmas = { from: `${startYear}-12-23`, to: `${startYear + 1}-01-06` };
    const easterDay = easterSunday(startYear + 1);
    const easter = { from: addDays(easterDay, -4), to: addDays(easterDay, 2) };
    for (const m of active) {
      const covers = (w: { from: string; to: string }) =>
        db
          .select({ id: calendarClosures.id })
          .from(calendarClosures)
          .where(
            and(
              eq(calendarClosures.municipalityId, m.id),
              eq(calendarClosures.schoolYearId, y.id),
              isNull(calendarClosures.cancelledAt),
              ne(calendarClosures.scope, 'classe'),
              lte(calendarClosures.fromDate, w.to),
              gte(calendarClosures.toDate, w.from),
            ),
          )
          .get() !== undefined;
      // the windows that fall inside the year (a year ending before Easter is not asked for it)
      const needsChristmas = christmas.from <= y.endsOn && christmas.to >= y.startsOn;
      const needsEaster = easter.from <= y.endsOn && easter.to >= y.startsOn;
      const c = !needsChristmas || covers(christmas);
      const e = !needsEaster || covers(easter);
      if (!c || !e) out.push({ schoolYearId: y.id, schoolYearLabel: y.label, municipalityId: m.id, municipalityName: m.name, christmas: !c, easter: !e });
    }
  }
  return out;
}

function previousMonth(today: string): string {
  const [y, m] = today.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export interface Worklist {
  today: string;
  arrears: { days: number; municipalities: ArrearsGroup[] };
  unreadNotices: number;
  cancellationsToday: number;
  lateCancellationsToday: number;
  draftEnrollments: number;
  sddWithoutMandate: number;
  /** the school year of that count (the payers list filters on it) */
  sddWithoutMandateYearId: number | null;
  missingBreaks: ReturnType<typeof missingBreaks>;
  /** null for a user who cannot approve (supervisor's task) */
  dietsToApprove: number | null;
  /** the month ('YYYY-MM') whose SDD batch is still to prepare, or null */
  sddBatchMonth: string | null;
  sddBatchPayers: number;
  /** families the debt procedure asks to act on (new step reached, awaiting a delivery receipt) */
  debtActions: number;
}

export function buildWorklist(ctx: Ctx, canApproveDiets: boolean): Worklist {
  const now = ctx.clock.now();
  const today = romeDateOf(now);
  const { db, sqlite } = ctx;
  const days = arrearDays(db, sqlite, now);
  const year = currentSchoolYear(db, today);
  const count = (text: string, ...params: unknown[]) => (sqlite.prepare(text).pluck().get(...params) as number | null) ?? 0;

  const attempts = (outcomes: string) =>
    count(
      `SELECT count(DISTINCT pupil_id) FROM cancellation_attempts WHERE target_date = ? AND action IN ('disdetta', 'assenza_prolungata') AND outcome IN (${outcomes})`,
      today,
    );
  const sddWithoutMandateCount = year
    ? (db.select({ n: sql<number>`count(*)` }).from(payers).where(sddWithoutMandate(payers.id, year.id)).get()?.n ?? 0)
    : 0;
  const month = previousMonth(today);
  const sddPayers = count(
    `SELECT count(DISTINCT e.payer_id) FROM enrollments e JOIN school_years y ON y.id = e.school_year_id
     WHERE e.payment_method = 'sdd' AND e.status IN ('attiva', 'sospesa', 'ritirata') AND e.activated_on IS NOT NULL
       AND e.activated_on <= ? AND y.starts_on <= ? AND y.ends_on >= ?`,
    `${month}-31`,
    `${month}-31`,
    `${month}-01`,
  );
  const batchExists =
    db
      .select({ id: sddBatches.id })
      .from(sddBatches)
      .where(and(eq(sddBatches.month, month), ne(sddBatches.status, 'annullato')))
      .get() !== undefined;
  let debtActions = 0;
  try {
    const w = debtWorklist(db, today, {});
    debtActions = w.newSteps.length + w.awaitingDelivery.length;
  } catch (err) {
    // the debt area's own screen says what is wrong; the worklist still answers
    ctx.logger.warn('Lista del mattino: conteggio della morosità non disponibile', err);
  }
  return {
    today,
    arrears: { days: days.length, municipalities: groupArrears(db, days) },
    unreadNotices: db.select({ n: sql<number>`count(*)` }).from(attendanceNotices).where(isNull(attendanceNotices.readAt)).get()?.n ?? 0,
    cancellationsToday: attempts("'accettata', 'accettata_con_deroga'"),
    lateCancellationsToday: attempts("'tardiva'"),
    draftEnrollments: year
      ? (db.select({ n: sql<number>`count(*)` }).from(enrollments).where(and(eq(enrollments.schoolYearId, year.id), eq(enrollments.status, 'bozza'))).get()?.n ?? 0)
      : 0,
    sddWithoutMandate: sddWithoutMandateCount,
    sddWithoutMandateYearId: year?.id ?? null,
    missingBreaks: missingBreaks(db, today),
    dietsToApprove: canApproveDiets ? (db.select({ n: sql<number>`count(*)` }).from(dietRequests).where(eq(dietRequests.status, 'in_attesa')).get()?.n ?? 0) : null,
    sddBatchMonth: sddPayers > 0 && !batchExists ? month : null,
    sddBatchPayers: sddPayers,
    debtActions,
  };
}

