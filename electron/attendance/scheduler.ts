/**
 * The automatic day close: while the program runs, each municipality's day closes itself at its
 * cutoff (checked every minute, on the injected clock); a day whose cutoff passed while the program
 * was not running is closed at the next start, with a notice for the office.
 *
 * Where it starts: a municipality that was never closed starts from the first day whose cutoff
 * comes after the scheduler first ran on this database (or after the municipality was created, if
 * later). Earlier days are the old system's and are closed by hand if wanted (`rette close-day`).
 */
import { and, eq, max } from 'drizzle-orm';
import type { OpenDatabase } from '../../db/open';
import { dayClosures, municipalities, settings } from '../../db/schema';
import type { Logger } from '../contract/procedure';
import type { ChangeNotices } from '../contract/notices';
import { yieldToLoop } from '../contract/jobs';
import type { Clock } from '../platform/clock';
import { addDays, formatDateIt, romeDateOf } from '../calendar/rome-time';
import { addNotice, canCloseDay, closeMunicipalityDay, dayCloseOpensAt, type DayCloseResult } from './day-close';
import { prepareAuditWriter } from '../audit/writer';

export const SCHEDULER_START_KEY = 'presenze.chiusuraAutomaticaDal';
/** A close this long after the cutoff was not made by the running program at the cutoff: it is a catch-up. */
export const LATE_CLOSE_MS = 5 * 60 * 1000;

export interface SchedulerDeps {
  database: OpenDatabase;
  clock: Clock;
  logger: Logger;
  /** the backend's change notices: every open window hears of a day closed here (issue 12) */
  notices?: ChangeNotices;
}

/** The areas a day close changes: presences and meals, and the charges in the ledger. */
export const DAY_CLOSE_AREAS = ['attendance', 'ledger'];

export interface DueDay {
  municipalityId: number;
  municipalityName: string;
  date: string;
}

/** The (municipality, day) pairs whose cutoff has passed and that are not closed yet, in date order. */
export function dueDays(deps: SchedulerDeps): DueDay[] {
  const { db } = deps.database;
  const now = deps.clock.now();
  db.insert(settings).values({ key: SCHEDULER_START_KEY, value: now.toISOString() }).onConflictDoNothing().run();
  const firstRun = db.select().from(settings).where(eq(settings.key, SCHEDULER_START_KEY)).get()!.value;
  const today = romeDateOf(now);
  const out: DueDay[] = [];
  for (const m of db.select().from(municipalities).where(eq(municipalities.active, true)).all()) {
    const last = db
      .select({ d: max(dayClosures.date) })
      .from(dayClosures)
      .where(eq(dayClosures.municipalityId, m.id))
      .get()?.d;
    const latestDue = canCloseDay(today, m.cutoffTime, now) ? today : addDays(today, -1);
    let start: string;
    if (last) start = addDays(last, 1);
    else {
      const anchor = new Date(Math.max(new Date(firstRun).getTime(), new Date(m.createdAt).getTime()));
      const anchorDay = romeDateOf(anchor);
      start = canCloseDay(anchorDay, m.cutoffTime, anchor) ? addDays(anchorDay, 1) : anchorDay;
    }
    for (let d = start; d <= latestDue; d = addDays(d, 1)) out.push({ municipalityId: m.id, municipalityName: m.name, date: d });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.municipalityId - b.municipalityId));
}

/** Closes one due day in its own transaction, audited as "sistema"; a late close leaves a notice. */
export function closeDueDay(deps: SchedulerDeps, due: DueDay): DayCloseResult | null {
  const { db, sqlite } = deps.database;
  const now = deps.clock.now();
  const writeAudit = prepareAuditWriter(sqlite);
  try {
    const closed = sqlite.transaction(() => {
      const m = db.select({ cutoffTime: municipalities.cutoffTime }).from(municipalities).where(eq(municipalities.id, due.municipalityId)).get()!;
      const late = now.getTime() - dayCloseOpensAt(due.date, m.cutoffTime).getTime() > LATE_CLOSE_MS;
      const r = closeMunicipalityDay(db, sqlite, { municipalityId: due.municipalityId, date: due.date, at: now, userId: null, mode: late ? 'recupero' : 'automatica' });
      if (r.alreadyClosed) return r;
      writeAudit({
        at: now.toISOString(),
        userId: null,
        username: 'sistema',
        procedure: 'attendance.scheduler',
        entity: 'giornata',
        entityId: `${due.municipalityId}:${due.date}`,
        action: late ? 'chiusura giornata al riavvio' : 'chiusura giornata automatica',
        before: null,
        after: JSON.stringify(r),
      });
      if (late && r.meals > 0) {
        addNotice(db, {
          at: now,
          kind: 'chiusura_in_ritardo',
          municipalityId: due.municipalityId,
          date: due.date,
          message: `La giornata del ${formatDateIt(due.date)} del Comune di ${due.municipalityName} è stata chiusa alla riapertura del programma (all'orario limite il programma non era in funzione): ${r.meals} pasti registrati${r.plainMeals ? `, di cui ${r.plainMeals} in bianco` : ''}.`,
        });
      }
      return r;
    })();
    // after the commit, as the dispatcher does for the office's own changes
    if (!closed.alreadyClosed) deps.notices?.emit({ procedure: 'attendance.scheduler', areas: DAY_CLOSE_AREAS, entities: ['giornata'], user: 'sistema' });
    return closed;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.logger.error(`Chiusura automatica della giornata ${due.date} (comune ${due.municipalityId}) non riuscita: ${message}`);
    try {
      const already = db
        .select({ id: dayClosures.id })
        .from(dayClosures)
        .where(and(eq(dayClosures.municipalityId, due.municipalityId), eq(dayClosures.date, due.date)))
        .get();
      if (!already) {
        addNotice(db, {
          at: now,
          kind: 'chiusura_non_riuscita',
          municipalityId: due.municipalityId,
          date: due.date,
          message: `La chiusura automatica della giornata del ${formatDateIt(due.date)} del Comune di ${due.municipalityName} non è riuscita: ${message}. Verrà ritentata; in alternativa chiuderla a mano.`,
        });
        deps.notices?.emit({ procedure: 'attendance.scheduler', areas: ['attendance'], entities: ['avviso_presenze'], user: 'sistema' });
      }
    } catch {
      // the notice is best effort: the error is already in the log
    }
    return null;
  }
}

/** Closes every due day now (synchronously). Returns what was closed. */
export function runDueDayCloses(deps: SchedulerDeps): DayCloseResult[] {
  const out: DayCloseResult[] = [];
  const failed = new Set<number>();
  for (const due of dueDays(deps)) {
    if (failed.has(due.municipalityId)) continue; // keep the days of a municipality in order
    const r = closeDueDay(deps, due);
    if (r) out.push(r);
    else failed.add(due.municipalityId);
  }
  return out;
}

/**
 * Starts the scheduler: a first pass shortly after start (the catch-up), then one check a minute.
 * Between days it yields to the event loop, so a long catch-up never freezes the program.
 */
export function startDayCloseScheduler(deps: SchedulerDeps, options: { intervalMs?: number; firstDelayMs?: number } = {}): { stop(): void } {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const failed = new Set<number>();
      for (const due of dueDays(deps)) {
        if (stopped) break;
        if (failed.has(due.municipalityId)) continue;
        const r = closeDueDay(deps, due);
        if (!r) failed.add(due.municipalityId);
        else if (!r.alreadyClosed) deps.logger.info(`Giornata ${due.date} chiusa (${due.municipalityName}): ${r.meals} pasti`);
        await yieldToLoop();
      }
    } catch (err) {
      deps.logger.error('Controllo delle chiusure giornaliere non riuscito', err);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), options.firstDelayMs ?? 2_000);
  const every = setInterval(() => void tick(), options.intervalMs ?? 60_000);
  first.unref?.();
  every.unref?.();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
