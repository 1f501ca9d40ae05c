/**
 * What the office publishes to the parent portal (issue 13), queued: `portal_outbox`, one row per
 * outbound event (electron/portal/contract.ts). Producers (electron/portal/outbound.ts) add rows;
 * the sync runner sends the pending ones in batches and marks them published; offline the queue
 * just grows and drains later.
 *
 * - `event_id` is stable for the content (key + a short SHA-256 of the canonical body and of the
 *   key's previous version): producing the same content again adds nothing, sending it again
 *   changes nothing on the portal.
 * - `key` says what the event describes (pasti:<alunno>:<giorno>): a new content of a key gets a
 *   new id and supersedes the older version; an older version not yet sent is never sent
 *   (`superseded_at`), one already sent is replaced on the portal by key.
 * - `body` is the event's JSON without `publishedAt`, which is `created_at` (the moment the office
 *   published it, the same at every retry).
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { c, cleanTexts, intBetween, isoMoment, oneOf } from './checks';

export const OUTBOX_EVENT_TYPES = ['calendar', 'meals', 'balance', 'pagopaNotice', 'news', 'tax730', 'enrollmentStatus'] as const;

export const portalOutbox = sqliteTable(
  'portal_outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    eventId: text('event_id').notNull(),
    key: text('key').notNull(),
    type: text('type', { enum: OUTBOX_EVENT_TYPES }).notNull(),
    body: text('body').notNull(),
    /** the id of the key's version before this one (part of this id's hash) */
    previousEventId: text('previous_event_id'),
    createdAt: text('created_at').notNull(),
    publishedAt: text('published_at'),
    supersededAt: text('superseded_at'),
    attempts: integer('attempts').notNull().default(0),
    lastAttemptAt: text('last_attempt_at'),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('portal_outbox_event_uq').on(t.eventId),
    index('portal_outbox_key_idx').on(t.key, t.seq),
    index('portal_outbox_pending_idx').on(t.seq).where(sql`${t.publishedAt} IS NULL AND ${t.supersededAt} IS NULL`),
    oneOf('portal_outbox', t.type, OUTBOX_EVENT_TYPES),
    check('portal_outbox_body_json', sql`json_valid(${c(t.body)})`),
    isoMoment('portal_outbox', t.createdAt),
    isoMoment('portal_outbox', t.publishedAt),
    isoMoment('portal_outbox', t.supersededAt),
    isoMoment('portal_outbox', t.lastAttemptAt),
    intBetween('portal_outbox', t.attempts, 0, 1_000_000, 'tentativi'),
    check('portal_outbox_pubblicato_o_sostituito', sql`${c(t.publishedAt)} IS NULL OR ${c(t.supersededAt)} IS NULL`),
    ...cleanTexts('portal_outbox', t, { multiline: ['last_error'], json: ['body'] }),
  ],
);
