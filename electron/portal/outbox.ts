/**
 * The outbox of what the office publishes to the parent portal (issue 13; table `portal_outbox`,
 * db/schema/portal-outbox.ts). Producers (outbound.ts, news.ts) enqueue events; the sync runner
 * (runner.ts) takes the pending ones with `pendingOutbound`, sends them as batches and marks them
 * with `markPublished` (or `recordFailure`). Offline nothing is lost: the queue grows and drains
 * at the next successful run.
 *
 * Ids are stable for the content: `<key>~<16 hex of SHA-256>` over the canonical JSON of the body
 * (keys sorted, `id` and `publishedAt` left out) and the id of the key's previous version. So:
 * - producing the same content again adds nothing (the latest version of the key has that id);
 * - a changed content gets a new id and supersedes: an older version not yet sent is never sent,
 *   one already sent is replaced on the portal (same key);
 * - going back to an earlier content (A → B → A) is a new event (its previous version differs),
 *   so the portal never keeps B by mistake.
 * Some bodies carry a part that does not make their content (the 730's PDF, rebuilt with the
 * moment it is printed): `hashExclude` leaves it out of the id.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AppDb } from '../../db/open';
import { outboundEvent, type OutboundEvent, type OutboundEventType } from './contract';

/** An event as a producer builds it: everything but its id and the moment of publication. */
export type OutboundDraft = OutboundEvent extends infer E ? (E extends OutboundEvent ? Omit<E, 'id' | 'publishedAt'> : never) : never;

/** Canonical JSON: object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The id of a version of a key: stable for the same content after the same previous version. */
export function outboundEventId(draft: OutboundDraft, previousId: string | null, hashExclude: readonly string[] = []): string {
  const content: Record<string, unknown> = { ...(draft as Record<string, unknown>) };
  for (const k of hashExclude) delete content[k];
  const digest = createHash('sha256')
    .update(canonicalJson(content))
    .update('\n')
    .update(previousId ?? '')
    .digest('hex')
    .slice(0, 16);
  return `${draft.key}~${digest}`;
}

export interface EnqueueResult {
  /** new versions queued */
  added: number;
  /** unsent older versions that will never be sent (a newer content took their place) */
  superseded: number;
  /** drafts whose content the portal already has (or is queued): nothing to do */
  unchanged: number;
}

export interface EnqueueOptions {
  /** body fields left out of the id (see the header) */
  hashExclude?: readonly string[];
  /**
   * drafts queued only to correct what the portal was told before (a meal no longer expected):
   * skipped when the key was never queued
   */
  onlyIfKnown?: (draft: OutboundDraft) => boolean;
}

/** Prepared statements of one connection (reused across calls: a day's 50,000 meals are one loop). */
const statements = new WeakMap<Database.Database, ReturnType<typeof prepare>>();
function prepare(sqlite: Database.Database) {
  return {
    latest: sqlite.prepare(
      'SELECT event_id AS eventId, previous_event_id AS previousId, published_at IS NULL AND superseded_at IS NULL AS pending FROM portal_outbox WHERE key = ? ORDER BY seq DESC LIMIT 1',
    ),
    supersede: sqlite.prepare('UPDATE portal_outbox SET superseded_at = ? WHERE key = ? AND published_at IS NULL AND superseded_at IS NULL'),
    insert: sqlite.prepare('INSERT INTO portal_outbox (event_id, key, type, body, previous_event_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING'),
    pending: sqlite.prepare(
      'SELECT seq, event_id AS eventId, body, created_at AS createdAt FROM portal_outbox WHERE published_at IS NULL AND superseded_at IS NULL ORDER BY seq LIMIT ?',
    ),
    publish: sqlite.prepare('UPDATE portal_outbox SET published_at = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = NULL WHERE event_id = ? AND published_at IS NULL AND superseded_at IS NULL'),
    fail: sqlite.prepare("UPDATE portal_outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = substr(?, 1, 1000) WHERE event_id = ? AND published_at IS NULL"),
  };
}
function stmts(sqlite: Database.Database) {
  let s = statements.get(sqlite);
  if (!s) {
    s = prepare(sqlite);
    statements.set(sqlite, s);
  }
  return s;
}

/**
 * Queues the drafts (in one transaction, nested in the caller's when there is one). Each draft is
 * checked against the contract's schema before it is queued: an event the portal would refuse is a
 * bug of its producer and fails loudly here, not on the portal.
 */
export function enqueueOutbound(sqlite: Database.Database, drafts: Iterable<OutboundDraft>, at: Date, options: EnqueueOptions = {}): EnqueueResult {
  const s = stmts(sqlite);
  const when = at.toISOString();
  const result: EnqueueResult = { added: 0, superseded: 0, unchanged: 0 };
  sqlite.transaction(() => {
    for (const draft of drafts) {
      const latest = s.latest.get(draft.key) as { eventId: string; previousId: string | null; pending: number } | undefined;
      // the id over the same previous version as the latest's: the latest itself if the content is unchanged
      if (!latest && options.onlyIfKnown?.(draft)) {
        result.unchanged++;
        continue;
      }
      if (latest && outboundEventId(draft, latest.previousId, options.hashExclude) === latest.eventId) {
        result.unchanged++;
        continue;
      }
      const id = outboundEventId(draft, latest?.eventId ?? null, options.hashExclude);
      const event = { ...draft, id, publishedAt: when };
      const checked = outboundEvent.safeParse(event);
      if (!checked.success) throw new Error(`Evento per il portale non conforme al contratto (${draft.key}): ${checked.error.message}`);
      // only a pending latest version can be waiting (an older pending one was superseded when this one came)
      if (latest?.pending) result.superseded += s.supersede.run(when, draft.key).changes;
      const { id: _id, publishedAt: _p, ...body } = checked.data;
      result.added += s.insert.run(id, draft.key, draft.type, JSON.stringify(body), latest?.eventId ?? null, when).changes;
    }
  })();
  return result;
}

/**
 * The next events to send, oldest first, at most `limit`: the pending versions (not sent, not
 * superseded). `publishedAt` is the moment the office published the event (its row's creation),
 * the same at every retry. Called by the sync runner.
 */
export function pendingOutbound(db: AppDb | Database.Database, limit: number): OutboundEvent[] {
  const sqlite = clientOf(db);
  const rows = stmts(sqlite).pending.all(Math.max(0, Math.floor(limit))) as { seq: number; eventId: string; body: string; createdAt: string }[];
  return rows.map((r) => ({ ...(JSON.parse(r.body) as Omit<OutboundEvent, 'id' | 'publishedAt'>), id: r.eventId, publishedAt: r.createdAt }) as OutboundEvent);
}

/** The portal holds these events now (its answer listed them as accepted). */
export function markPublished(db: AppDb | Database.Database, ids: string[], at: Date): number {
  const sqlite = clientOf(db);
  const s = stmts(sqlite);
  const when = at.toISOString();
  let n = 0;
  sqlite.transaction(() => {
    for (const id of ids) n += s.publish.run(when, when, id).changes;
  })();
  return n;
}

/** A send failed (the portal refused the events, or did not answer): counted, with the reason, for the sync screen. */
export function recordFailure(db: AppDb | Database.Database, ids: string[], error: string, at: Date): number {
  const sqlite = clientOf(db);
  const s = stmts(sqlite);
  const when = at.toISOString();
  let n = 0;
  sqlite.transaction(() => {
    for (const id of ids) n += s.fail.run(when, error, id).changes;
  })();
  return n;
}

/** The connection under drizzle (its `$client`), or the connection itself. */
function clientOf(db: AppDb | Database.Database): Database.Database {
  return 'prepare' in db ? db : (db as unknown as { $client: Database.Database }).$client;
}

/**
 * Keeps the queue from growing without end: the versions the portal no longer needs (published or
 * superseded before `before`, with a newer version of the same key) are removed. The latest version
 * of every key stays: it is what "unchanged" is judged against and what the next version's id builds on.
 */
export function pruneOutbox(sqlite: Database.Database, before: Date): number {
  const when = before.toISOString();
  return sqlite
    .prepare(
      `DELETE FROM portal_outbox
       WHERE (published_at < @when OR superseded_at < @when)
         AND seq < (SELECT max(o2.seq) FROM portal_outbox o2 WHERE o2.key = portal_outbox.key)`,
    )
    .run({ when }).changes;
}

export interface OutboxCounts {
  pending: number;
  published: number;
  superseded: number;
  failing: number;
  oldestPendingAt: string | null;
  lastPublishedAt: string | null;
}

/** How the queue stands (sync screen). */
export function outboxCounts(sqlite: Database.Database): OutboxCounts {
  return sqlite
    .prepare(
      `SELECT
         coalesce(sum(published_at IS NULL AND superseded_at IS NULL), 0) AS pending,
         coalesce(sum(published_at IS NOT NULL), 0) AS published,
         coalesce(sum(superseded_at IS NOT NULL), 0) AS superseded,
         coalesce(sum(published_at IS NULL AND superseded_at IS NULL AND last_error IS NOT NULL), 0) AS failing,
         min(CASE WHEN published_at IS NULL AND superseded_at IS NULL THEN created_at END) AS oldestPendingAt,
         max(published_at) AS lastPublishedAt
       FROM portal_outbox`,
    )
    .get() as OutboxCounts;
}

export const OUTBOX_STATES = ['in_attesa', 'pubblicato', 'sostituito'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxRow {
  seq: number;
  eventId: string;
  key: string;
  type: OutboundEventType;
  state: OutboxState;
  createdAt: string;
  publishedAt: string | null;
  attempts: number;
  lastError: string | null;
  /** a short Italian line about the content */
  summary: string;
}

/** The latest rows of the queue, newest first (sync screen), by state and type. */
export function listOutbox(sqlite: Database.Database, f: { state?: OutboxState; type?: OutboundEventType; limit?: number } = {}): OutboxRow[] {
  const where = ['1'];
  if (f.state === 'in_attesa') where.push('published_at IS NULL AND superseded_at IS NULL');
  if (f.state === 'pubblicato') where.push('published_at IS NOT NULL');
  if (f.state === 'sostituito') where.push('superseded_at IS NOT NULL');
  if (f.type) where.push('type = @type');
  const rows = sqlite
    .prepare(
      `SELECT seq, event_id AS eventId, key, type, body, created_at AS createdAt, published_at AS publishedAt, superseded_at AS supersededAt,
              attempts, last_error AS lastError
       FROM portal_outbox WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit`,
    )
    .all({ type: f.type ?? null, limit: f.limit ?? 200 }) as (Omit<OutboxRow, 'state' | 'summary'> & { body: string; supersededAt: string | null })[];
  return rows.map(({ body, supersededAt, ...r }) => ({
    ...r,
    state: r.publishedAt ? 'pubblicato' : supersededAt ? 'sostituito' : 'in_attesa',
    summary: summarize(JSON.parse(body) as OutboundEvent),
  }));
}

const MEAL_STATES: Record<string, string> = {
  prenotato: 'prenotato',
  disdetto: 'disdetto',
  in_bianco: 'in bianco',
  consumato: 'consumato',
  assente: 'assente',
  non_previsto: 'non previsto',
};

/** One Italian line about an event (what the sync screen lists). */
export function summarize(e: OutboundEvent): string {
  const euro = (c: number) => `${(c / 100).toFixed(2).replace('.', ',')} €`;
  const day = (d: string) => d.split('-').reverse().join('/');
  switch (e.type) {
    case 'calendar':
      return `Calendario di ${e.schoolName}: ${e.serviceDays.length} giorni di servizio, ${e.closures.length} chiusure (orario limite ${e.cutoffTime})`;
    case 'meals':
      return `Pasto del ${day(e.date)}, alunno ${e.pupilTaxCode}: ${MEAL_STATES[e.state] ?? e.state}${e.closed ? ', giornata chiusa' : ''}${e.chargedCents !== null ? `, ${euro(e.chargedCents)}` : ''}`;
    case 'balance':
      return `Saldo ${e.service} ${e.schoolYear}, alunno ${e.pupilTaxCode}: ${euro(e.balanceCents)} (${e.movements.length === 1 ? '1 movimento' : `${e.movements.length} movimenti`})`;
    case 'pagopaNotice':
      return `Avviso pagoPA ${e.noticeNumber}, alunno ${e.pupilTaxCode}: ${euro(e.amountCents)}, ${e.status}`;
    case 'news':
      return `${e.withdrawn ? 'Ritirata: ' : ''}«${e.title}»`;
    case 'tax730':
      return `Dichiarazione 730 del ${e.year}, alunno ${e.pupilTaxCode}: ${euro(e.amountCents)}${e.pdfBase64 ? ' (con PDF)' : ''}`;
    case 'enrollmentStatus':
      return `Iscrizione ${e.schoolYear}, alunno ${e.pupilTaxCode}: ${e.status.replace('_', ' ')}`;
  }
}
