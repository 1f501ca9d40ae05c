/**
 * The office's side of the inbound events (issue 13): the review queue (what could not be applied,
 * with the reason in Italian; retried after the office fixed the cause, or dismissed by a
 * supervisor with a reason) and the families' support requests (F4).
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { AppDb } from '../../db/open';
import { payers, pupils, users } from '../../db/schema';
import { portalInboundEvents, portalSupportRequests, type PortalInboundStatus } from '../../db/schema/portal';
import { conflict, notFound } from '../contract/errors';
import { likePattern } from '../contract/fields';
import { formatDateIt } from '../calendar/rome-time';
import { formatMomentIt } from '../contract/vocabulary/dates';
import type { InboundEvent } from './contract';
import { applyRecorded, dropFiles, STATUS_LABELS, TYPE_LABELS, type ApplyOutcome } from './inbound';
import type { ApplyEnv } from './apply-common';

export const CHANNEL_LABELS: Record<string, string> = { portale: 'Portale Genitori', app: 'App', telefono: 'Telefono', sms: 'SMS' };

export interface ReviewFilter {
  status?: PortalInboundStatus;
  type?: string;
  search?: string;
}

/** The size of a base64 content, without decoding it. */
function base64Bytes(b64: string): number {
  const t = b64.replace(/\s+/g, '');
  return Math.max(0, Math.floor((t.length * 3) / 4) - (t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0));
}

/** Attachment contents are replaced by their size: the screen shows what was sent, not a certificate's bytes. */
function readablePayload(payload: string): string {
  try {
    const v: unknown = JSON.parse(payload);
    return JSON.stringify(
      v,
      (k, x: unknown) => (k === 'contentBase64' && typeof x === 'string' && !x.startsWith('[file di ') ? `[file di ${base64Bytes(x)} byte]` : x),
      2,
    );
  } catch {
    return payload;
  }
}

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const day = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDateIt(v) : str(v));

/** One Italian line saying what the family asked (read leniently: also for a malformed event). */
export function summarize(payload: string): string {
  let raw: Record<string, unknown>;
  try {
    raw = obj(JSON.parse(payload));
  } catch {
    return 'Contenuto non leggibile';
  }
  const type = str(raw.type) as InboundEvent['type'];
  const label = TYPE_LABELS[type] ?? `Evento di tipo sconosciuto («${str(raw.type).slice(0, 40)}»)`;
  const cf = str(raw.pupilTaxCode) || str(obj(raw.pupil).taxCode);
  const who = cf ? ` — alunno ${cf.slice(0, 32)}` : '';
  switch (type) {
    case 'cancellation':
    case 'cancellationUndo':
    case 'plainMeal':
      return `${label} del ${day(raw.date)}${type === 'plainMeal' && raw.plain === false ? ' (annullamento)' : ''}${who}`;
    case 'prolongedAbsence':
    case 'reactivation':
      return `${label} dal ${day(raw.from)}${who}`;
    case 'enrollment': {
      const p = obj(raw.pupil);
      return `${raw.renewal === true ? 'Rinnovo' : 'Iscrizione'} ${str(raw.schoolYear)} di ${str(p.lastName)} ${str(p.firstName)}${who} (${raw.paymentMethod === 'sdd' ? 'SDD' : 'prepagato'})`;
    }
    case 'topUp':
      return `${label} di ${typeof raw.amountCents === 'number' ? `${(raw.amountCents / 100).toFixed(2).replace('.', ',')} €` : '?'}, IUV ${str(raw.iuv).slice(0, 40)}${who}`;
    case 'supportRequest':
      return `${label}: «${str(raw.subject).slice(0, 120)}»`;
    default:
      return `${label}${who}`;
  }
}

const handler = alias(users, 'handler');

export function listInbound(db: AppDb, f: ReviewFilter, pageOpt: { offset: number; limit: number }) {
  const c: SQL[] = [];
  if (f.status) c.push(eq(portalInboundEvents.status, f.status));
  if (f.type) c.push(eq(portalInboundEvents.type, f.type));
  if (f.search) {
    const p = likePattern(f.search);
    c.push(
      sql`(lower(${portalInboundEvents.externalId}) LIKE ${p} ESCAPE '\\' OR lower(coalesce(${portalInboundEvents.pupilTaxCode}, '')) LIKE ${p} ESCAPE '\\' OR lower(${portalInboundEvents.message}) LIKE ${p} ESCAPE '\\')`,
    );
  }
  const w = c.length ? and(...c) : undefined;
  const total = db.select({ n: sql<number>`count(*)` }).from(portalInboundEvents).where(w).get()!.n;
  const rows = db
    .select({
      e: portalInboundEvents,
      pupilName: sql<string | null>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      handledByName: handler.displayName,
    })
    .from(portalInboundEvents)
    .leftJoin(pupils, eq(pupils.id, portalInboundEvents.pupilId))
    .leftJoin(handler, eq(handler.id, portalInboundEvents.handledBy))
    .where(w)
    .orderBy(desc(portalInboundEvents.receivedAt), desc(portalInboundEvents.id))
    .limit(pageOpt.limit)
    .offset(pageOpt.offset)
    .all();
  return {
    total,
    rows: rows.map(({ e, pupilName, handledByName }) => ({
      id: e.id,
      portal: e.portal,
      externalId: e.externalId,
      type: e.type,
      typeLabel: TYPE_LABELS[e.type as InboundEvent['type']] ?? 'Evento non leggibile',
      channel: e.channel,
      channelLabel: e.channel ? CHANNEL_LABELS[e.channel] : null,
      occurredAt: e.occurredAt,
      receivedAt: e.receivedAt,
      recordedAt: e.recordedAt,
      status: e.status,
      statusLabel: STATUS_LABELS[e.status],
      message: e.message,
      summary: summarize(e.payload),
      payload: readablePayload(e.payload),
      details: e.detailsJson,
      pupilId: e.pupilId,
      pupilName,
      pupilTaxCode: e.pupilTaxCode,
      payerId: e.payerId,
      attemptId: e.attemptId,
      absenceId: e.absenceId,
      enrollmentId: e.enrollmentId,
      paymentId: e.paymentId,
      ledgerEntryId: e.ledgerEntryId,
      dietRequestIds: e.dietRequestIds ? (JSON.parse(e.dietRequestIds) as number[]) : [],
      supportRequestId: e.supportRequestId,
      attempts: e.attempts,
      lastAttemptAt: e.lastAttemptAt,
      appliedAt: e.appliedAt,
      handledByName,
      handledAt: e.handledAt,
      dismissReason: e.dismissReason,
    })),
  };
}

/** How many events are in each status (the sync screen's counters). */
export function inboundCounts(db: AppDb): Record<PortalInboundStatus, number> {
  const out: Record<PortalInboundStatus, number> = { applicato: 0, in_revisione: 0, scartato_dall_ufficio: 0, duplicato: 0 };
  for (const r of db.select({ s: portalInboundEvents.status, n: sql<number>`count(*)` }).from(portalInboundEvents).groupBy(portalInboundEvents.status).all()) out[r.s] = r.n;
  return out;
}

function inReview(db: AppDb, id: number) {
  const row = db.select().from(portalInboundEvents).where(eq(portalInboundEvents.id, id)).get();
  if (!row) throw notFound('Evento del portale');
  if (row.status !== 'in_revisione') throw conflict(`L'evento non è in revisione (${STATUS_LABELS[row.status].toLowerCase()}): non c'è nulla da riprovare o scartare`, 'id');
  return row;
}

/** Applies an event of the review queue again (after the office fixed the cause). Runs in the dispatcher's transaction. */
export function retryInbound(env: ApplyEnv, id: number): ApplyOutcome {
  return applyRecorded(env, inReview(env.db, id), { retry: true });
}

/** A supervisor dismisses an event of the review queue, with a reason; it stays on record. */
export function dismissInbound(db: AppDb, id: number, reason: string, userId: number | null, at: Date) {
  const before = inReview(db, id);
  const after = db
    .update(portalInboundEvents)
    .set({ status: 'scartato_dall_ufficio', dismissReason: reason, handledBy: userId, handledAt: at.toISOString() })
    .where(eq(portalInboundEvents.id, id))
    .returning()
    .get();
  dropFiles(db, id);
  return { before, after };
}

// ---------------------------------------------------------------------------------------------
// Support requests (F4)
// ---------------------------------------------------------------------------------------------

const closer = alias(users, 'closer');

export function listSupport(db: AppDb, f: { status?: 'aperta' | 'chiusa'; search?: string }, pageOpt: { offset: number; limit: number }) {
  const c: SQL[] = [];
  if (f.status) c.push(eq(portalSupportRequests.status, f.status));
  if (f.search) {
    const p = likePattern(f.search);
    c.push(sql`(lower(${portalSupportRequests.subject}) LIKE ${p} ESCAPE '\\' OR lower(${portalSupportRequests.message}) LIKE ${p} ESCAPE '\\' OR lower(${portalSupportRequests.contact}) LIKE ${p} ESCAPE '\\')`);
  }
  const w = c.length ? and(...c) : undefined;
  const total = db.select({ n: sql<number>`count(*)` }).from(portalSupportRequests).where(w).get()!.n;
  const rows = db
    .select({
      s: portalSupportRequests,
      pupilName: sql<string | null>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      payerName: sql<string | null>`${payers.lastName} || ' ' || ${payers.firstName}`,
      closedByName: closer.displayName,
    })
    .from(portalSupportRequests)
    .leftJoin(pupils, eq(pupils.id, portalSupportRequests.pupilId))
    .leftJoin(payers, eq(payers.id, portalSupportRequests.payerId))
    .leftJoin(closer, eq(closer.id, portalSupportRequests.closedBy))
    .where(w)
    .orderBy(sql`${portalSupportRequests.status} = 'chiusa'`, desc(portalSupportRequests.openedAt), desc(portalSupportRequests.id))
    .limit(pageOpt.limit)
    .offset(pageOpt.offset)
    .all();
  return {
    total,
    rows: rows.map(({ s, pupilName, payerName, closedByName }) => ({
      id: s.id,
      inboundEventId: s.inboundEventId,
      subject: s.subject,
      message: s.message,
      contact: s.contact,
      channel: s.channel,
      channelLabel: CHANNEL_LABELS[s.channel],
      pupilId: s.pupilId,
      pupilName,
      pupilTaxCode: s.pupilTaxCode,
      payerId: s.payerId,
      payerName,
      payerTaxCode: s.payerTaxCode,
      openedAt: s.openedAt,
      receivedAt: s.receivedAt,
      status: s.status,
      closedAt: s.closedAt,
      closedByName,
      closingNote: s.closingNote,
    })),
  };
}

export function closeSupport(db: AppDb, id: number, note: string, userId: number | null, at: Date) {
  const before = db.select().from(portalSupportRequests).where(eq(portalSupportRequests.id, id)).get();
  if (!before) throw notFound('Segnalazione');
  if (before.status === 'chiusa') throw conflict(`La segnalazione è già stata chiusa il ${formatMomentIt(before.closedAt!)}`, 'id');
  const after = db
    .update(portalSupportRequests)
    .set({ status: 'chiusa', closedAt: at.toISOString(), closedBy: userId, closingNote: note })
    .where(eq(portalSupportRequests.id, id))
    .returning()
    .get();
  return { before, after };
}
