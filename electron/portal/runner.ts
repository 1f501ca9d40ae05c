import os from 'node:os';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { AppDb } from '../../db/open';
import { settings } from '../../db/schema';
import type { Clock } from '../platform/clock';
import type { Logger } from '../contract/procedure';
import type { OutboundEvent } from './contract';
import { PortalTransportError, type PortalAdapter } from './adapters/adapter';
import { redactSecret, type SecretStore } from './adapters/credentials';
import { appendSyncRun, PORTAL_SYNC_LEASE_KEY, readPortalSettings, type PortalSettings, type SyncRunRecord } from './settings';

/**
 * The sync runner (issue 13): pulls the families' events from the portal and publishes the office's.
 *
 * Inbound, page after page by cursor: each event is handed to the inbound side (which records it,
 * applies it or puts it in the review queue, and answers 'duplicato' for an id already seen); the
 * cursor is saved ONLY after every event of the page is recorded. A crash in the middle of a page
 * means that page is fetched again at the next run, and the idempotency by external id absorbs
 * what was already recorded: nothing lost, nothing applied twice.
 *
 * Outbound: the pending events of the outbox, in batches; an event is marked published only when
 * the portal's answer names it. A timeout after the portal stored a batch means it is sent again,
 * with the same ids: the portal keeps one copy.
 *
 * Network errors, timeouts, 429 and 5xx answers are tried again with exponential backoff and jitter
 * (bounded); then the run ends, says why in the sync log, and the next run starts over. The office
 * keeps working meanwhile: nothing here blocks a procedure.
 *
 * One runner per database: a lease in `settings` (owner and expiry, renewed after every page); a
 * second process (the command line beside the server) is told the sync is already running.
 */

export interface InboundSide {
  /** records and applies one event (never throws); `recorded: false`: not even recorded, the cursor must not pass it */
  apply(raw: unknown, receivedAt: Date): { status: 'applicato' | 'in_revisione' | 'duplicato'; message: string; recorded?: boolean };
  readCursor(): string | null;
  writeCursor(cursor: string): void;
}

export interface OutboxSide {
  pending(limit: number): OutboundEvent[];
  /** completes the events of a batch just before it is sent (documents made asynchronously: a 730's PDF) */
  prepare?(events: OutboundEvent[]): Promise<OutboundEvent[]>;
  markPublished(ids: string[], at: Date): void;
  /** an attempt that failed (the portal refused the event, or the batch could not be sent) */
  recordFailure?(ids: string[], error: string, at: Date): void;
}

export interface RetryPolicy {
  /** attempts of one request, the first included */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 1000, maxMs: 60_000 };

/** The wait before attempt `attempt + 1`: base·2^attempt, capped, with "equal jitter" (half fixed, half random); a Retry-After is honoured. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs: number | null = null): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, 10 * policy.maxMs));
}

export interface RunnerOptions {
  db: AppDb;
  sqlite: Database.Database;
  clock: Clock;
  logger: Logger;
  secrets: SecretStore;
  /** builds the adapter of the installation's settings (null: the sync is off) */
  adapterFor(settings: PortalSettings, secrets: SecretStore): PortalAdapter | null;
  inbound: InboundSide;
  outbox: OutboxSide;
  retry?: Partial<RetryPolicy>;
  /** waits between attempts (tests: fake timers) */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** after each inbound event is recorded (tests: a crash in the middle of a page) */
  afterEventRecorded?: (count: number) => void;
  /** after a run that recorded or published something (the change notices of the open windows) */
  onChanged?: (run: SyncRunRecord) => void;
  /** the lease's owner name (default: host and process id) */
  owner?: string;
  /** outbound events per batch (default 500) */
  outboundBatchSize?: number;
}

export interface RunnerStatus {
  running: boolean;
  /** when the background loop runs next (null: not started, or the sync is off) */
  nextRunAt: string | null;
}

export interface PortalRunner {
  /** runs now, or joins the run in progress; null when the sync is off or another process holds it */
  runNow(trigger?: SyncRunRecord['trigger']): Promise<SyncRunRecord | null>;
  /** the background loop: first run after `firstDelayMs`, then every `intervalMinutes` of the settings */
  start(firstDelayMs?: number): void;
  stop(): Promise<void>;
  status(): RunnerStatus;
}

export class SyncBusyError extends Error {
  constructor() {
    super('La sincronizzazione con il portale è già in corso in un altro programma collegato a questo database');
    this.name = 'SyncBusyError';
  }
}

const LEASE_MS = 5 * 60_000;
const MAX_PAGES = 10_000;
const MAX_BATCHES = 1_000;

interface Lease {
  owner: string;
  until: string;
}

function processAlive(owner: string): boolean {
  const m = /^(.*)#(\d+)$/.exec(owner);
  if (!m || m[1] !== os.hostname()) return true; // another computer: trust the expiry only
  const pid = Number(m[2]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes (or renews) the database's sync lease; false when another live process holds it. */
export function acquireLease(sqlite: Database.Database, db: AppDb, owner: string, now: Date, ms = LEASE_MS): boolean {
  return sqlite
    .transaction(() => {
      const row = db.select().from(settings).where(eq(settings.key, PORTAL_SYNC_LEASE_KEY)).get();
      if (row) {
        let held: Lease | null = null;
        try {
          held = JSON.parse(row.value) as Lease;
        } catch {
          held = null;
        }
        if (held && held.owner !== owner && Date.parse(held.until) > now.getTime() && processAlive(held.owner)) return false;
      }
      const value = JSON.stringify({ owner, until: new Date(now.getTime() + ms).toISOString() } satisfies Lease);
      db.insert(settings).values({ key: PORTAL_SYNC_LEASE_KEY, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
      return true;
    })
    .immediate();
}

export function releaseLease(sqlite: Database.Database, owner: string): void {
  sqlite.prepare("DELETE FROM settings WHERE key = ? AND json_extract(value, '$.owner') = ?").run(PORTAL_SYNC_LEASE_KEY, owner);
}

/** A batch id stable for its content: the same pending events sent again after a timeout carry the same id. */
function batchIdOf(events: OutboundEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(e.id).update('\n');
  return `ufficio-${h.digest('hex').slice(0, 32)}`;
}

export function createRunner(options: RunnerOptions): PortalRunner {
  const { db, sqlite, clock, logger, secrets } = options;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  const random = options.random ?? Math.random;
  const owner = options.owner ?? `${os.hostname()}#${process.pid}`;
  const batchSize = options.outboundBatchSize ?? 500;

  let current: Promise<SyncRunRecord | null> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let nextRunAt: Date | null = null;
  let stopped = false;

  const clean = (text: string) => redactSecret(text, secrets.get());
  const messageOf = (err: unknown) => clean(err instanceof Error ? err.message : String(err));

  async function attempt<T>(fn: () => Promise<T>, rec: SyncRunRecord): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof PortalTransportError) || !err.retryable || i + 1 >= retry.attempts || stopped) throw err;
        const wait = backoffDelay(i, retry, random, err.retryAfterMs);
        rec.retries++;
        logger.warn(`Portale: ${messageOf(err)}; nuovo tentativo tra ${Math.round(wait / 1000)} s`);
        await sleep(wait);
      }
    }
  }

  async function pull(adapter: PortalAdapter, s: PortalSettings, rec: SyncRunRecord): Promise<void> {
    let cursor = options.inbound.readCursor();
    let recorded = 0;
    for (let page = 0; page < MAX_PAGES && !stopped; page++) {
      const p = await attempt(() => adapter.fetchInbound(cursor, s.pageSize), rec);
      const receivedAt = clock.now();
      rec.inbound.pages++;
      for (const w of p.warnings ?? []) rec.errors.push(clean(w));
      for (const raw of p.events) {
        const r = options.inbound.apply(raw, receivedAt);
        if (r.recorded === false) {
          // not recorded (a full disk…): stop here, the cursor stays before this page
          throw new Error(`Un evento ricevuto non è stato registrato (${r.message}): la pagina sarà richiesta di nuovo alla prossima sincronizzazione`);
        }
        rec.inbound.received++;
        if (r.status === 'applicato') rec.inbound.applied++;
        else if (r.status === 'in_revisione') rec.inbound.review++;
        else rec.inbound.duplicates++;
        options.afterEventRecorded?.(++recorded);
      }
      // every event of the page is recorded: now, and only now, the cursor moves
      if (p.nextCursor !== null && p.nextCursor !== cursor) {
        options.inbound.writeCursor(p.nextCursor);
        cursor = p.nextCursor;
      }
      await p.done?.();
      if (!acquireLease(sqlite, db, owner, clock.now())) throw new SyncBusyError();
      if (!p.hasMore) return;
    }
  }

  async function push(adapter: PortalAdapter, rec: SyncRunRecord): Promise<void> {
    // events the portal refused in this run are not sent again before the next run (nor do they block the rest)
    const refused = new Set<string>();
    for (let b = 0; b < MAX_BATCHES && !stopped; b++) {
      const events = options.outbox
        .pending(batchSize + refused.size)
        .filter((e) => !refused.has(e.id))
        .slice(0, batchSize);
      if (events.length === 0) return;
      const sent = new Set(events.map((e) => e.id));
      let ack;
      try {
        const ready = options.outbox.prepare ? await options.outbox.prepare(events) : events;
        ack = await attempt(() => adapter.publish({ batchId: batchIdOf(ready), events: ready }), rec);
      } catch (err) {
        options.outbox.recordFailure?.([...sent], messageOf(err), clock.now());
        throw err;
      }
      const accepted = ack.accepted.filter((id) => sent.has(id));
      if (accepted.length > 0) options.outbox.markPublished(accepted, clock.now());
      rec.outbound.batches++;
      rec.outbound.published += accepted.length;
      const rejected = ack.rejected.filter((r) => sent.has(r.id) && !accepted.includes(r.id));
      rec.outbound.rejected += rejected.length;
      for (const r of rejected) {
        refused.add(r.id);
        options.outbox.recordFailure?.([r.id], clean(`Rifiutato dal portale: ${r.reason}`.slice(0, 500)), clock.now());
      }
      for (const r of rejected.slice(0, 5)) rec.errors.push(clean(`Il portale ha rifiutato l'evento ${r.id}: ${r.reason}`.slice(0, 500)));
      // neither accepted nor refused: the portal ignored them; try again at the next run
      if (accepted.length + rejected.length === 0) return;
      if (!acquireLease(sqlite, db, owner, clock.now())) throw new SyncBusyError();
    }
  }

  async function run(trigger: SyncRunRecord['trigger']): Promise<SyncRunRecord | null> {
    const s = readPortalSettings(db);
    let adapter: PortalAdapter | null;
    try {
      adapter = options.adapterFor(s, secrets);
    } catch (err) {
      logger.error(`Portale: ${messageOf(err)}`);
      adapter = null;
      if (s.adapter === 'nessuno') return null;
      const at = clock.now().toISOString();
      const rec = emptyRecord(trigger, s.adapter, at);
      rec.finishedAt = at;
      rec.outcome = 'non_riuscita';
      rec.errors.push(messageOf(err));
      appendSyncRun(db, rec);
      return rec;
    }
    if (!adapter) return null;
    if (!acquireLease(sqlite, db, owner, clock.now())) throw new SyncBusyError();
    const rec = emptyRecord(trigger, adapter.kind, clock.now().toISOString());
    try {
      // the two directions are independent: a portal that refuses the outbound still delivers the inbound
      for (const [direction, step] of [
        ['ricezione', () => pull(adapter, s, rec)],
        ['pubblicazione', () => push(adapter, rec)],
      ] as const) {
        try {
          await step();
        } catch (err) {
          if (err instanceof SyncBusyError) throw err;
          const message = `${direction === 'ricezione' ? 'Ricezione' : 'Pubblicazione'}: ${messageOf(err)}`;
          rec.errors.push(message);
          logger.warn(`Portale: ${message}`);
          if (!(err instanceof PortalTransportError)) logger.error('Portale: errore imprevisto durante la sincronizzazione', clean(err instanceof Error ? (err.stack ?? err.message) : String(err)));
        }
      }
    } finally {
      releaseLease(sqlite, owner);
    }
    rec.finishedAt = clock.now().toISOString();
    const moved = rec.inbound.received + rec.outbound.published;
    rec.outcome = rec.errors.length === 0 ? 'riuscita' : moved > 0 ? 'parziale' : 'non_riuscita';
    appendSyncRun(db, rec);
    logger.info(
      `Portale: sincronizzazione ${rec.outcome.replace('_', ' ')}: ricevuti ${rec.inbound.received} (applicati ${rec.inbound.applied}, ` +
        `in revisione ${rec.inbound.review}, già ricevuti ${rec.inbound.duplicates}), pubblicati ${rec.outbound.published}`,
    );
    if (moved > 0) options.onChanged?.(rec);
    return rec;
  }

  function schedule(ms: number) {
    if (stopped) return;
    nextRunAt = new Date(clock.now().getTime() + ms);
    timer = setTimeout(() => {
      timer = null;
      nextRunAt = null;
      runner
        .runNow('automatica')
        .catch((err) => {
          if (!(err instanceof SyncBusyError)) logger.error(`Portale: ${messageOf(err)}`);
        })
        .finally(() => schedule(readPortalSettings(db).intervalMinutes * 60_000));
    }, ms);
    timer.unref();
  }

  const runner: PortalRunner = {
    runNow(trigger = 'manuale') {
      if (current) return current;
      current = run(trigger).finally(() => {
        current = null;
      });
      return current;
    },
    start(firstDelayMs = 15_000) {
      stopped = false;
      if (!timer) schedule(firstDelayMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      nextRunAt = null;
      await current?.catch(() => null);
    },
    status() {
      return { running: current !== null, nextRunAt: nextRunAt?.toISOString() ?? null };
    },
  };
  return runner;
}

function emptyRecord(trigger: SyncRunRecord['trigger'], adapter: 'rest' | 'file', startedAt: string): SyncRunRecord {
  return {
    startedAt,
    finishedAt: startedAt,
    trigger,
    adapter,
    outcome: 'riuscita',
    inbound: { received: 0, applied: 0, review: 0, duplicates: 0, pages: 0 },
    outbound: { published: 0, rejected: 0, batches: 0 },
    retries: 0,
    errors: [],
  };
}
