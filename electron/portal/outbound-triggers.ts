/**
 * When the office publishes (issue 13): after changes. The producers listen to the change-notice
 * channel (`backend.notices`, contract/notices.ts), the same one the open windows listen to: a
 * burst of notices (a day close, a cancellation, a payment, a correction, what the sync itself
 * applied) becomes one production pass a moment later, outside any procedure's transaction.
 *
 * A pass queues only what changed since the previous pass (watermarks in `portal_state`):
 * - the meals of the days closed since then (the day close: that day's meals, recorded and charged);
 * - the meals of the pupils and days a request or a correction touched since then;
 * - the balances of the accounts with a new movement;
 * - the calendars, the enrollment statuses and the pagoPA notices when their areas changed
 *   (recomputed whole: an unchanged content adds nothing to the outbox).
 * Nothing is produced while the portal is switched off (adapter 'nessuno'); the watermarks stay,
 * so switching it on publishes what changed meanwhile. The first pass on a database publishes
 * the whole picture (calendars, today's meals, balances, notices, enrollments, news).
 */
import type { OpenDatabase } from '../../db/open';
import type { Logger } from '../contract/procedure';
import { ALL_AREAS, type ChangeNotices } from '../contract/notices';
import type { Clock } from '../platform/clock';
import { romeDateOf } from '../calendar/rome-time';
import { enqueueOutbound, pruneOutbox } from './outbox';
import {
  accountsChangedSince,
  balanceDrafts,
  calendarDrafts,
  daysClosedSince,
  enrollmentDrafts,
  municipalitiesOfPupils,
  noticeDrafts,
  NOTHING,
  produceMeals,
  publishScope,
  requestsSince,
  type ProduceCounts,
} from './outbound';
import { allNewsDrafts } from './news';
import { readState, writeState } from './state';
import { readPortalSettings } from './settings';

export const PRODUCED_UNTIL_KEY = 'uscita.prodottoFino';
export const LAST_ENTRY_KEY = 'uscita.ultimoMovimento';
/** How long a published or replaced version stays in the queue (the latest of each key always stays). */
export const OUTBOX_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Which producers an area's change concerns. */
const AREA_PRODUCERS: Record<string, readonly Producer[]> = {
  attendance: ['meals', 'balances'],
  ledger: ['balances', 'notices'],
  calendar: ['calendar', 'meals'],
  schools: ['calendar'],
  municipalities: ['calendar'],
  enrollments: ['enrollments', 'meals'],
  debts: ['enrollments', 'meals'],
  pagopa: ['notices'],
  portal: ['meals', 'balances', 'enrollments', 'notices'],
  pupils: ['enrollments'],
};
type Producer = 'meals' | 'balances' | 'calendar' | 'enrollments' | 'notices';

export function producersFor(areas: Iterable<string>): Set<Producer> {
  const out = new Set<Producer>();
  for (const a of areas) {
    if (a === ALL_AREAS) return new Set<Producer>(['meals', 'balances', 'calendar', 'enrollments', 'notices']);
    for (const p of AREA_PRODUCERS[a] ?? []) out.add(p);
  }
  return out;
}

export interface ProduceChangesDeps {
  database: OpenDatabase;
  clock: Pick<Clock, 'now'>;
}

/**
 * One production pass for what changed since the previous one, in one transaction (the
 * watermarks move with what they cover). Returns what was queued.
 */
export function produceChanges(deps: ProduceChangesDeps, producers: Set<Producer>): ProduceCounts {
  const { db, sqlite } = deps.database;
  const at = deps.clock.now();
  const today = romeDateOf(at);
  const p = { db, sqlite, at };
  return sqlite.transaction((): ProduceCounts => {
    const since = readState(db, PRODUCED_UNTIL_KEY);
    const out: ProduceCounts = {};
    if (since === null) {
      // the first pass: the whole picture
      Object.assign(out, publishScope(p, { scope: 'calendar' }, () => []));
      Object.assign(out, publishScope(p, { scope: 'meals', date: today }, () => []));
      Object.assign(out, publishScope(p, { scope: 'balances' }, () => []));
      Object.assign(out, publishScope(p, { scope: 'notices' }, () => []));
      Object.assign(out, publishScope(p, { scope: 'enrollments' }, () => []));
      Object.assign(out, publishScope(p, { scope: 'news' }, () => allNewsDrafts(db)));
      writeState(db, LAST_ENTRY_KEY, String(accountsChangedSince(sqlite, Number.MAX_SAFE_INTEGER).lastEntryId), at);
    } else {
      if (producers.has('meals')) {
        let meals = NOTHING;
        const add = (r: typeof NOTHING) => (meals = { added: meals.added + r.added, superseded: meals.superseded + r.superseded, unchanged: meals.unchanged + r.unchanged });
        const closed = daysClosedSince(sqlite, since);
        const whole = new Set(closed.map((d) => `${d.municipalityId}:${d.date}`));
        for (const d of closed) add(produceMeals(p, d.date, { municipalityId: d.municipalityId }));
        for (const [date, pupils] of requestsSince(sqlite, since, today)) {
          for (const [municipalityId, ids] of municipalitiesOfPupils(sqlite, date, [...pupils])) {
            if (!whole.has(`${municipalityId}:${date}`)) add(produceMeals(p, date, { municipalityId, pupilIds: ids }));
          }
        }
        out.meals = meals;
      }
      if (producers.has('balances')) {
        const lastEntry = Number(readState(db, LAST_ENTRY_KEY) ?? '0');
        const changed = accountsChangedSince(sqlite, lastEntry);
        out.balances = changed.accountIds.length ? enqueueOutbound(sqlite, balanceDrafts(sqlite, today, changed.accountIds), at) : NOTHING;
        writeState(db, LAST_ENTRY_KEY, String(changed.lastEntryId), at);
      }
      if (producers.has('calendar')) out.calendar = enqueueOutbound(sqlite, calendarDrafts(db, today), at);
      if (producers.has('enrollments')) out.enrollments = enqueueOutbound(sqlite, enrollmentDrafts(sqlite, today), at);
      if (producers.has('notices')) out.notices = enqueueOutbound(sqlite, noticeDrafts(db, today), at);
    }
    writeState(db, PRODUCED_UNTIL_KEY, at.toISOString(), at);
    return out;
  })();
}

export interface OutboundProducersDeps extends ProduceChangesDeps {
  logger: Logger;
  notices: ChangeNotices;
}

/**
 * Starts listening: notices are gathered for `debounceMs`, then one pass runs (never two at once).
 * Also one pass shortly after start (what changed while the program was closed), and one every
 * `everyMs` (a calendar that moves on with the days). Returns stop() and a way to run a pass now.
 */
export function startOutboundProducers(deps: OutboundProducersDeps, options: { debounceMs?: number; everyMs?: number; firstDelayMs?: number } = {}) {
  const areas = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const run = (): ProduceCounts | null => {
    timer = null;
    if (stopped) return null;
    const producers = producersFor(areas);
    areas.clear();
    try {
      if (readPortalSettings(deps.database.db).adapter === 'nessuno') return null;
      if (producers.size === 0 && readState(deps.database.db, PRODUCED_UNTIL_KEY) !== null) return null;
      const counts = produceChanges(deps, producers);
      const added = Object.values(counts).reduce((n, c) => n + c.added, 0);
      if (added > 0) {
        deps.logger.info(`Portale: ${added} aggiornamenti da pubblicare`);
        deps.notices.emit({ procedure: 'portal.producers', areas: ['portal'], user: 'sistema' });
      }
      return counts;
    } catch (err) {
      deps.logger.error('Portale: preparazione di ciò che si pubblica non riuscita', err);
      return null;
    }
  };
  const schedule = () => {
    if (!timer && !stopped) {
      timer = setTimeout(run, options.debounceMs ?? 1_500);
      timer.unref?.();
    }
  };
  const unsubscribe = deps.notices.subscribe((n) => {
    if (n.procedure === 'portal.producers' || n.procedure.startsWith('portal.outbox')) return;
    for (const a of n.areas) areas.add(a);
    if (n.reset) areas.add(ALL_AREAS);
    schedule();
  });
  const first = setTimeout(() => {
    areas.add(ALL_AREAS);
    run();
  }, options.firstDelayMs ?? 5_000);
  first.unref?.();
  const every = setInterval(() => {
    areas.add('calendar');
    areas.add('enrollments');
    schedule();
    // versions the portal no longer needs: published or replaced more than 30 days ago
    try {
      const removed = pruneOutbox(deps.database.sqlite, new Date(deps.clock.now().getTime() - OUTBOX_RETENTION_MS));
      if (removed > 0) deps.logger.info(`Portale: ${removed} versioni vecchie tolte dalla coda`);
    } catch (err) {
      deps.logger.error('Portale: pulizia della coda non riuscita', err);
    }
  }, options.everyMs ?? 60 * 60 * 1000);
  every.unref?.();
  return {
    runNow: () => {
      if (timer) clearTimeout(timer);
      return run();
    },
    stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
