/**
 * The parent portal, inbound side (issue 13; rules A2, A6, E7, P2, F4 in ../shared/DOMAIN.md).
 *
 * - `portal_inbound_events`: every event the portal sent, as received (the raw JSON, never
 *   changed), with the office's outcome: 'applicato', 'in_revisione' (the review queue: the reason
 *   in Italian, until the office retries or dismisses it), 'scartato_dall_ufficio' (a supervisor
 *   dismissed it with a reason), 'duplicato' (a pagoPA receipt whose IUV was already credited).
 *   The portal's id is unique per portal: the same id received twice is recorded once (idempotency).
 *   What the event created is linked (the attempt and absence of a cancellation, the enrollment,
 *   the ledger entry of a top-up, the diet requests, the support request). Triggers (hand-written
 *   in the migration): no DELETE; what was received never changes; an event no longer in review
 *   is final.
 * - `portal_support_requests` (F4): a request a family opened from the portal's virtual assistant;
 *   it reaches the operator, who closes it with a note. Never deleted; closed once.
 * - `portal_inbound_files`: the contents of the files an event carried (a diet's medical
 *   certificate: health data, F5), kept apart from the event's payload (which holds each file's
 *   name, type and SHA-256, and in place of its content «[file di N byte, conservato a parte]")
 *   only while the event may still be applied; deleted once the event is applied, a duplicate or
 *   dismissed (the diet request keeps its own copy).
 * - `portal_state`: the sync's own values (the inbound cursor, …), key → value.
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { c, cleanTexts, isoMoment, oneOf } from './checks';
import { payers, pupils, enrollments } from './people';
import { absences, cancellationAttempts } from './attendance';
import { ledgerEntries, payments } from './ledger';
import { users } from './users';

/** What became of an inbound event. */
export const PORTAL_INBOUND_STATUSES = ['applicato', 'in_revisione', 'scartato_dall_ufficio', 'duplicato'] as const;
export type PortalInboundStatus = (typeof PORTAL_INBOUND_STATUSES)[number];
/** Where the family acted (the contract's channels, electron/portal/contract.ts). */
export const PORTAL_EVENT_CHANNELS = ['portale', 'app', 'telefono', 'sms'] as const;
export const PORTAL_SUPPORT_STATUSES = ['aperta', 'chiusa'] as const;

export const portalInboundEvents = sqliteTable(
  'portal_inbound_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** which portal sent it (one per installation today; the id is unique per portal) */
    portal: text('portal').notNull(),
    /** the portal's id of the event (or 'senza-id:<sha256 of the payload>' when it had none) */
    externalId: text('external_id').notNull(),
    /** the event's type as sent ('?' when unreadable) */
    type: text('type').notNull(),
    /** the channel the family used, when readable */
    channel: text('channel', { enum: PORTAL_EVENT_CHANNELS }),
    /** the moment the family acted (UTC), when readable: A2 and A6 are judged on it */
    occurredAt: text('occurred_at'),
    /** the pupil's codice fiscale as sent, when present (to find the events of a pupil) */
    pupilTaxCode: text('pupil_tax_code'),
    /** the event exactly as received (JSON) */
    payload: text('payload').notNull(),
    /** when the sync received it from the portal, and when the office recorded it */
    receivedAt: text('received_at').notNull(),
    recordedAt: text('recorded_at').notNull(),
    status: text('status', { enum: PORTAL_INBOUND_STATUSES }).notNull(),
    /** the outcome in Italian: what was done, or why it is in review */
    message: text('message').notNull(),
    /** structured details of the outcome (the zod issues, both values of a conflict), JSON */
    detailsJson: text('details_json'),
    // --- what it concerns and what it created ---
    pupilId: integer('pupil_id').references(() => pupils.id),
    payerId: integer('payer_id').references(() => payers.id),
    attemptId: integer('attempt_id').references(() => cancellationAttempts.id),
    absenceId: integer('absence_id').references(() => absences.id),
    enrollmentId: integer('enrollment_id').references(() => enrollments.id),
    paymentId: integer('payment_id').references(() => payments.id),
    ledgerEntryId: integer('ledger_entry_id').references(() => ledgerEntries.id),
    /** the diet requests an enrollment created, JSON array of ids */
    dietRequestIds: text('diet_request_ids'),
    supportRequestId: integer('support_request_id').references((): AnySQLiteColumn => portalSupportRequests.id),
    appliedAt: text('applied_at'),
    /** how many times it was applied (1 on arrival, +1 on each retry by the office) */
    attempts: integer('attempts').notNull().default(1),
    lastAttemptAt: text('last_attempt_at').notNull(),
    /** the office user who retried or dismissed it last */
    handledBy: integer('handled_by').references(() => users.id),
    handledAt: text('handled_at'),
    dismissReason: text('dismiss_reason'),
  },
  (t) => [
    uniqueIndex('portal_inbound_external_uq').on(t.portal, t.externalId),
    index('portal_inbound_status_idx').on(t.status, t.receivedAt),
    index('portal_inbound_pupil_idx').on(t.pupilId),
    oneOf('portal_inbound_events', t.status, PORTAL_INBOUND_STATUSES),
    oneOf('portal_inbound_events', t.channel, PORTAL_EVENT_CHANNELS),
    check('portal_inbound_events_external_id_lunghezza', sql`length(${c(t.externalId)}) BETWEEN 1 AND 200`),
    check('portal_inbound_events_type_lunghezza', sql`length(${c(t.type)}) BETWEEN 1 AND 40`),
    check('portal_inbound_events_attempts_intervallo', sql`typeof(${c(t.attempts)}) = 'integer' AND ${c(t.attempts)} >= 1`),
    // applied ⇔ the moment it was applied; dismissed ⇔ a reason
    check('portal_inbound_events_applicato', sql`(${c(t.status)} = 'applicato') = (${c(t.appliedAt)} IS NOT NULL)`),
    check('portal_inbound_events_scartato', sql`(${c(t.status)} = 'scartato_dall_ufficio') = (${c(t.dismissReason)} IS NOT NULL)`),
    isoMoment('portal_inbound_events', t.occurredAt),
    isoMoment('portal_inbound_events', t.receivedAt),
    isoMoment('portal_inbound_events', t.recordedAt),
    isoMoment('portal_inbound_events', t.appliedAt),
    isoMoment('portal_inbound_events', t.lastAttemptAt),
    isoMoment('portal_inbound_events', t.handledAt),
    ...cleanTexts('portal_inbound_events', t, { multiline: ['message', 'dismiss_reason'], json: ['payload', 'details_json', 'diet_request_ids', 'external_id', 'type', 'pupil_tax_code'] }),
  ],
);

/** F4: a family's support request from the portal; the operator closes it with a note. */
export const portalSupportRequests = sqliteTable(
  'portal_support_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inboundEventId: integer('inbound_event_id')
      .notNull()
      .references((): AnySQLiteColumn => portalInboundEvents.id),
    /** who wrote, as the portal says; the pupil and payer resolved when their codici fiscali are known */
    pupilTaxCode: text('pupil_tax_code'),
    payerTaxCode: text('payer_tax_code'),
    contact: text('contact').notNull().default(''),
    pupilId: integer('pupil_id').references(() => pupils.id),
    payerId: integer('payer_id').references(() => payers.id),
    channel: text('channel', { enum: PORTAL_EVENT_CHANNELS }).notNull(),
    subject: text('subject').notNull(),
    message: text('message').notNull(),
    /** when the family opened it, when the office received it */
    openedAt: text('opened_at').notNull(),
    receivedAt: text('received_at').notNull(),
    status: text('status', { enum: PORTAL_SUPPORT_STATUSES }).notNull().default('aperta'),
    closedAt: text('closed_at'),
    closedBy: integer('closed_by').references(() => users.id),
    closingNote: text('closing_note'),
  },
  (t) => [
    uniqueIndex('portal_support_event_uq').on(t.inboundEventId),
    index('portal_support_status_idx').on(t.status, t.openedAt),
    oneOf('portal_support_requests', t.status, PORTAL_SUPPORT_STATUSES),
    oneOf('portal_support_requests', t.channel, PORTAL_EVENT_CHANNELS),
    check('portal_support_requests_chiusura', sql`(${c(t.status)} = 'chiusa') = (${c(t.closedAt)} IS NOT NULL AND ${c(t.closingNote)} IS NOT NULL)`),
    isoMoment('portal_support_requests', t.openedAt),
    isoMoment('portal_support_requests', t.receivedAt),
    isoMoment('portal_support_requests', t.closedAt),
    ...cleanTexts('portal_support_requests', t, { multiline: ['message', 'closing_note'] }),
  ],
);

/** The contents of an event's files while the event may still be applied (see above). */
export const portalInboundFiles = sqliteTable(
  'portal_inbound_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inboundEventId: integer('inbound_event_id')
      .notNull()
      .references(() => portalInboundEvents.id),
    /** where the content was in the event (JSON path, e.g. diets.0.attachments.1.contentBase64) */
    path: text('path').notNull(),
    /** the content as received (base64) */
    content: text('content').notNull(),
  },
  (t) => [uniqueIndex('portal_inbound_files_uq').on(t.inboundEventId, t.path), ...cleanTexts('portal_inbound_files', t, { json: ['path', 'content'] })],
);

/** The sync's own values (electron/portal/state.ts): the inbound cursor and the like. */
export const portalState = sqliteTable(
  'portal_state',
  {
    key: text('key').primaryKey(),
    value: text('value').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [isoMoment('portal_state', t.updatedAt), ...cleanTexts('portal_state', t, { json: ['value'] })],
);
