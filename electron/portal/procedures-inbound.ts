/**
 * Procedures of the inbound side of the portal (issue 13): the review queue and the families'
 * support requests (F4). The sync screen (renderer/src/portal) calls them.
 */
import { z } from 'zod';
import { PORTAL_INBOUND_STATUSES, PORTAL_SUPPORT_STATUSES, PORTAL_EVENT_CHANNELS } from '../../db/schema/portal';
import { id, listQuery, multilineText, page } from '../contract/fields';
import { auditUserId, currentUser, procedure, type Ctx } from '../contract/procedure';
import { INBOUND_EVENT_TYPES } from './inbound';
import { closeSupport, dismissInbound, inboundCounts, listInbound, listSupport, retryInbound } from './review';
import type { ApplyEnv } from './apply-common';

const reason = multilineText().trim().min(3, { message: 'Indicare il motivo (almeno 3 caratteri)' }).max(1000, { message: 'Al massimo 1000 caratteri' });
const note = multilineText().trim().min(3, { message: 'Indicare una nota di chiusura (almeno 3 caratteri)' }).max(2000, { message: 'Al massimo 2000 caratteri' });

export const inboundRowOut = z.object({
  id: z.number(),
  portal: z.string(),
  externalId: z.string(),
  /** the type as sent ('?' when unreadable) and its Italian label */
  type: z.string(),
  typeLabel: z.string(),
  channel: z.enum(PORTAL_EVENT_CHANNELS).nullable(),
  channelLabel: z.string().nullable(),
  /** the family's moment (UTC ISO), null when unreadable */
  occurredAt: z.string().nullable(),
  receivedAt: z.string(),
  recordedAt: z.string(),
  status: z.enum(PORTAL_INBOUND_STATUSES),
  statusLabel: z.string(),
  /** the outcome, or the reason it is in review, in Italian */
  message: z.string(),
  /** one Italian line saying what the family asked */
  summary: z.string(),
  /** the event as received, indented JSON (attachment contents replaced by their size) */
  payload: z.string(),
  /** structured details of the outcome (zod issues, both values of an E7 conflict), JSON or null */
  details: z.string().nullable(),
  pupilId: z.number().nullable(),
  pupilName: z.string().nullable(),
  pupilTaxCode: z.string().nullable(),
  payerId: z.number().nullable(),
  attemptId: z.number().nullable(),
  absenceId: z.number().nullable(),
  enrollmentId: z.number().nullable(),
  paymentId: z.number().nullable(),
  ledgerEntryId: z.number().nullable(),
  dietRequestIds: z.array(z.number()),
  supportRequestId: z.number().nullable(),
  attempts: z.number(),
  lastAttemptAt: z.string(),
  appliedAt: z.string().nullable(),
  handledByName: z.string().nullable(),
  handledAt: z.string().nullable(),
  dismissReason: z.string().nullable(),
});

export const supportRowOut = z.object({
  id: z.number(),
  inboundEventId: z.number(),
  subject: z.string(),
  message: z.string(),
  contact: z.string(),
  channel: z.enum(PORTAL_EVENT_CHANNELS),
  channelLabel: z.string(),
  pupilId: z.number().nullable(),
  pupilName: z.string().nullable(),
  pupilTaxCode: z.string().nullable(),
  payerId: z.number().nullable(),
  payerName: z.string().nullable(),
  payerTaxCode: z.string().nullable(),
  openedAt: z.string(),
  receivedAt: z.string(),
  status: z.enum(PORTAL_SUPPORT_STATUSES),
  closedAt: z.string().nullable(),
  closedByName: z.string().nullable(),
  closingNote: z.string().nullable(),
});

function applyEnv(ctx: Ctx): ApplyEnv {
  const user = currentUser(ctx);
  return { db: ctx.db, sqlite: ctx.sqlite, now: ctx.clock.now(), userId: auditUserId(user), username: user.username, audit: (e) => ctx.audit(e) };
}

export const portalInboundProcedures = [
  procedure({
    name: 'portal.review.list',
    title: 'Eventi ricevuti dal portale delle famiglie: la coda di revisione (motivo in italiano) e lo storico, con i filtri per stato e tipo',
    role: 'operatore',
    kind: 'query',
    input: z.object({
      status: z.enum(PORTAL_INBOUND_STATUSES, { error: 'Stato non valido' }).optional(),
      type: z.enum([...INBOUND_EVENT_TYPES, '?'], { error: 'Tipo di evento non valido' }).optional(),
      search: listQuery.search,
      offset: listQuery.offset,
      limit: listQuery.limit,
    }),
    output: page(inboundRowOut).extend({
      counts: z.object({ applicato: z.number(), in_revisione: z.number(), scartato_dall_ufficio: z.number(), duplicato: z.number() }),
    }),
    handler: (ctx, f) => ({ ...listInbound(ctx.db, f, { offset: f.offset, limit: f.limit }), counts: inboundCounts(ctx.db) }),
  }),
  procedure({
    name: 'portal.review.retry',
    title: "Applica di nuovo un evento in revisione, dopo che l'ufficio ne ha risolto la causa (es. registrato l'alunno o il mandato)",
    role: 'operatore',
    kind: 'mutation',
    changes: ['attendance', 'ledger', 'pupils', 'payers', 'enrollments', 'diets'],
    input: z.object({ id }),
    output: z.object({ id: z.number(), status: z.enum(['applicato', 'in_revisione', 'duplicato']), message: z.string() }),
    handler: (ctx, { id: eventId }) => {
      const r = retryInbound(applyEnv(ctx), eventId);
      ctx.audit({ entity: 'evento_portale', entityId: eventId, action: `nuovo tentativo: ${r.status}`, after: { esito: r.status, messaggio: r.message } });
      return { id: eventId, status: r.status, message: r.message };
    },
  }),
  procedure({
    name: 'portal.review.dismiss',
    title: "Scarta un evento in revisione, con il motivo: resta registrato come «scartato dall'ufficio»",
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ id, reason }),
    output: z.object({ id: z.number(), status: z.literal('scartato_dall_ufficio'), dismissReason: z.string() }),
    handler: (ctx, { id: eventId, reason: why }) => {
      const { before, after } = dismissInbound(ctx.db, eventId, why, auditUserId(ctx.user), ctx.clock.now());
      ctx.audit({ entity: 'evento_portale', entityId: eventId, action: 'scartato dall\'ufficio', before: { stato: before.status, messaggio: before.message }, after: { stato: after.status, motivo: why } });
      return { id: eventId, status: 'scartato_dall_ufficio' as const, dismissReason: why };
    },
  }),
  procedure({
    name: 'portal.support.list',
    title: 'Segnalazioni delle famiglie dal portale (F4): prima le aperte',
    role: 'operatore',
    kind: 'query',
    input: z.object({
      status: z.enum(PORTAL_SUPPORT_STATUSES, { error: 'Stato non valido' }).optional(),
      search: listQuery.search,
      offset: listQuery.offset,
      limit: listQuery.limit,
    }),
    output: page(supportRowOut),
    handler: (ctx, f) => listSupport(ctx.db, f, { offset: f.offset, limit: f.limit }),
  }),
  procedure({
    name: 'portal.support.close',
    title: 'Chiude una segnalazione di una famiglia con la nota di chiusura (F4)',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ id, note }),
    output: z.object({ id: z.number(), status: z.literal('chiusa'), closedAt: z.string(), closingNote: z.string() }),
    handler: (ctx, { id: requestId, note: text }) => {
      const { before, after } = closeSupport(ctx.db, requestId, text, auditUserId(ctx.user), ctx.clock.now());
      ctx.audit({ entity: 'segnalazione', entityId: requestId, action: 'chiusura', before, after });
      return { id: requestId, status: 'chiusa' as const, closedAt: after.closedAt!, closingNote: after.closingNote! };
    },
  }),
];
