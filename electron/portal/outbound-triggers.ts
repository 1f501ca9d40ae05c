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
import { enqueueOutbound, pruneOutbox, type EnqueueResult } from './outbox';
import { yieldToLoop } from '../contract/jobs';
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

interface Step {
  name: string;
  run(): EnqueueResult;
}

const plus = (a: EnqueueResult, b: EnqueueResult): EnqueueResult => ({ added: a.added + b.added, superseded: a.superseded + b.superseded, unchanged: a.unchanged + b.unchanged });

/**
 * The steps of one production pass, read at the pass's moment `at`: what changed since the
 * previous pass (`since`), or the whole picture on the first one. The last step moves the
 * watermark to `at`. Every step is idempotent (an unchanged content adds nothing), so a pass cut
 * short is simply done again.
 */
function passSteps(deps: ProduceChangesDeps, producers: Set<Producer>, at: Date): Step[] {
  const { db, sqlite } = deps.database;
  const today = romeDateOf(at);
  const p = { db, sqlite, at };
  const since = readState(db, PRODUCED_UNTIL_KEY);
  const steps: Step[] = [];
  const scope = (name: string, run: () => ProduceCounts) => steps.push({ name, run: () => Object.values(run()).reduce(plus, NOTHING) });
  if (since === null) {
    scope('calendar', () => publishScope(p, { scope: 'calendar' }, () => []));
    scope('meals', () => publishScope(p, { scope: 'meals', date: today }, () => []));
    scope('balances', () => {
      const r = publishScope(p, { scope: 'balances' }, () => []);
      writeState(db, LAST_ENTRY_KEY, String(accountsChangedSince(sqlite, Number.MAX_SAFE_INTEGER).lastEntryId), at);
      return r;
    });
    scope('notices', () => publishScope(p, { scope: 'notices' }, () => []));
    scope('enrollments', () => publishScope(p, { scope: 'enrollments' }, () => []));
    scope('news', () => publishScope(p, { scope: 'news' }, () => allNewsDrafts(db)));
  } else {
    if (producers.has('meals')) {
      steps.push({
        name: 'meals',
        run: () => {
          let meals = NOTHING;
          const closed = daysClosedSince(sqlite, since);
          const whole = new Set(closed.map((d) => `${d.municipalityId}:${d.date}`));
          for (const d of closed) meals = plus(meals, produceMeals(p, d.date, { municipalityId: d.municipalityId }));
          for (const [date, pupils] of requestsSince(sqlite, since, today)) {
            for (const [municipalityId, ids] of municipalitiesOfPupils(sqlite, date, [...pupils])) {
              if (!whole.has(`${municipalityId}:${date}`)) meals = plus(meals, produceMeals(p, date, { municipalityId, pupilIds: ids }));
            }
          }
          return meals;
        },
      });
    }
    if (producers.has('balances')) {
      steps.push({
        name: 'balances',
        run: () => {
          const changed = accountsChangedSince(sqlite, Number(readState(db, LAST_ENTRY_KEY) ?? '0'));
          const r = changed.accountIds.length ? enqueueOutbound(sqlite, balanceDrafts(sqlite, today, changed.accountIds), at) : NOTHING;
          writeState(db, LAST_ENTRY_KEY, String(changed.lastEntryId), at);
          return r;
        },
      });
    }
    if (producers.has('calendar')) steps.push({ name: 'calendar', run: () => enqueueOutbound(sqlite, calendarDrafts(db, today), at) });
    if (producers.has('enrollments')) steps.push({ name: 'enrollments', run: () => enqueueOutbound(sqlite, enrollmentDrafts(sqlite, today), at) });
    if (producers.has('notices')) steps.push({ name: 'notices', run: () => enqueueOutbound(sqlite, noticeDrafts(db, today), at) });
  }
  steps.push({
    name: 'watermark',
    run: () => {
      writeState(db, PRODUCED_UNTIL_KEY, at.toISOString(), at);
      return NOTHING;
    },
  });
  return steps;
}

const collect = (out: ProduceCounts, step: Step, r: EnqueueResult) => {
  if (step.name !== 'watermark') out[step.name] = plus(out[step.name] ?? NOTHING, r);
};

/** One production pass in one transaction (tests, the command line). Returns what was queued, by producer. */
export function produceChanges(deps: ProduceChangesDeps, producers: Set<Producer>): ProduceCounts {
  const at = deps.clock.now();
  return deps.database.sqlite.transaction((): ProduceCounts => {
    const out: ProduceCounts = {};
    for (const step of passSteps(deps, producers, at)) collect(out, step, step.run());
    return out;
  })();
}

/**
 * The same pass for the running program: each producer in its own transaction, the event loop
 * free between them (a first pass over 50,000 pupils never freezes the windows for its whole length).
 */
export async function produceChangesInSteps(deps: ProduceChangesDeps, producers: Set<Producer>, stopped: () => boolean = () => false): Promise<ProduceCounts> {
  const at = deps.clock.now();
  const out: ProduceCounts = {};
  const steps = deps.database.sqlite.transaction(() => passSteps(deps, producers, at))();
  for (const step of steps) {
    if (stopped()) break;
    collect(out, step, deps.database.sqlite.transaction(() => step.run())());
    await yieldToLoop();
  }
  return out;
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
  let running: Promise<ProduceCounts | null> | null = null;
  const pass = async (): Promise<ProduceCounts | null> => {
    timer = null;
    if (stopped) return null;
    const producers = producersFor(areas);
    areas.clear();
    try {
      if (readPortalSettings(deps.database.db).adapter === 'nessuno') return null;
      if (producers.size === 0 && readState(deps.database.db, PRODUCED_UNTIL_KEY) !== null) return null;
      const counts = await produceChangesInSteps(deps, producers, () => stopped);
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
  /** one pass at a time: a pass asked for while one runs follows it */
  const run = (): Promise<ProduceCounts | null> => {
    const next = (running ?? Promise.resolve(null)).then(pass);
    const tail = next.catch(() => null);
    running = tail;
    void tail.then(() => {
      if (running === tail) running = null;
    });
    return next;
  };
  const schedule = () => {
    if (!timer && !stopped) {
      timer = setTimeout(() => void run(), options.debounceMs ?? 1_500);
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
    void run();
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
    runNow: (): Promise<ProduceCounts | null> => {
      if (timer) clearTimeout(timer);
      timer = null;
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
