/**
 * Inbound events from the parent portal (issue 13): recorded, then applied, one transaction each.
 *
 * `applyInbound(env, rawEvent, receivedAt)` is what the sync runner calls for every event of a
 * batch, in order. In ONE transaction:
 * 1. the event is recorded in `portal_inbound_events` exactly as received (idempotent by the
 *    portal's id: the same id twice → 'duplicato', nothing changes);
 * 2. it is read with the contract's `inboundEvent` schema (a malformed event goes to the review
 *    queue with the zod issues in Italian);
 * 3. it is applied by type through the areas' own functions (attendance, pupils, payers,
 *    enrollments, diets, ledger), audited as the system user «portale». Whatever the areas refuse
 *    (unknown pupil, invalid codice fiscale, a debt block, a day without service that is an error
 *    there) rolls back what was applied of it and leaves the event in the review queue with the
 *    reason in Italian. Nothing is ever dropped.
 *
 * It never throws (it runs in the main process): if even recording fails (a full disk), the answer
 * says `recorded: false` and the runner must not move its cursor past the event.
 *
 * The office's retry (`portal.review.retry`) applies the recorded payload again through
 * `applyRecorded`, inside the dispatcher's transaction, audited as the office user.
 */
import { createHash } from 'node:crypto';
import type { ZodError } from 'zod';
import { and, eq } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { AppDb } from '../../db/open';
import { portalInboundEvents, portalInboundFiles, type PortalInboundStatus } from '../../db/schema/portal';
import { prepareAuditWriter, type AuditRecord } from '../audit/writer';
import { AppError, installItalianZodMessages, zodIssues } from '../contract/errors';
import { hasForbiddenChars, FORBIDDEN_CHARS_MESSAGE } from '../contract/fields';
import type { ChangeNotices } from '../contract/notices';
import type { Logger } from '../contract/procedure';
import { formatMomentIt } from '../contract/vocabulary/dates';
import type { Clock } from '../platform/clock';
import { inboundEvent, type InboundEvent } from './contract';
import { PORTAL_USERNAME, ReviewNeeded, type Applied, type ApplyEnv, type Links } from './apply-common';
import { applyAttendance } from './apply-attendance';
import { applyTopUp } from './apply-money';
import { applySupportRequest } from './apply-support';
import { applyPersonalData } from './apply-personal-data';
import { applyEnrollment } from './apply-enrollment';

installItalianZodMessages();

/** What the runner gives: the open database, the clock, and optionally the portal's name, a logger and the change notices. */
export interface InboundEnv {
  db: AppDb;
  sqlite: Database.Database;
  clock: Clock;
  /** the portal's name: ids are unique per portal (default 'portale') */
  portal?: string;
  logger?: Logger;
  /** every open window hears, after the commit, that portal data changed */
  notices?: ChangeNotices;
}

export interface InboundResult {
  status: 'applicato' | 'in_revisione' | 'duplicato';
  /** what happened, in Italian */
  message: string;
  /** the row in portal_inbound_events (null only when not recorded) */
  eventId: number | null;
  /** false only when the event could not even be recorded: do not move the cursor past it */
  recorded: boolean;
}

export const DEFAULT_PORTAL = 'portale';
/** A family's moment may be ahead of the office's clock by this much (clock skew), not more. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export const STATUS_LABELS: Record<PortalInboundStatus, string> = {
  applicato: 'Applicato',
  in_revisione: 'In revisione',
  scartato_dall_ufficio: "Scartato dall'ufficio",
  duplicato: 'Duplicato',
};

/** Every inbound type of the contract ('?' in the table: unreadable). */
export const INBOUND_EVENT_TYPES = [
  'enrollment',
  'cancellation',
  'cancellationUndo',
  'nextDayCancellation',
  'prolongedAbsence',
  'reactivation',
  'plainMeal',
  'personalData',
  'topUp',
  'supportRequest',
] as const satisfies readonly InboundEvent['type'][];

export const TYPE_LABELS: Record<InboundEvent['type'], string> = {
  enrollment: 'Iscrizione o rinnovo',
  cancellation: 'Disdetta del pasto',
  cancellationUndo: 'Annullamento della disdetta',
  nextDayCancellation: 'Disdetta per il primo giorno utile',
  prolongedAbsence: 'Assenza prolungata',
  reactivation: 'Riattivazione',
  plainMeal: 'Pasto in bianco',
  personalData: 'Variazione dei dati',
  topUp: 'Ricarica pagoPA',
  supportRequest: 'Segnalazione',
};

/** The areas whose data an event type changes (the change notice's areas). */
const AREAS: Record<InboundEvent['type'], string[]> = {
  enrollment: ['pupils', 'payers', 'enrollments', 'diets'],
  cancellation: ['attendance', 'ledger'],
  cancellationUndo: ['attendance', 'ledger'],
  nextDayCancellation: ['attendance', 'ledger'],
  prolongedAbsence: ['attendance', 'ledger'],
  reactivation: ['attendance', 'ledger'],
  plainMeal: ['attendance', 'ledger'],
  personalData: ['pupils', 'payers'],
  topUp: ['ledger'],
  supportRequest: [],
};

type EventRow = typeof portalInboundEvents.$inferSelect;
/** What applying needs of a recorded event. */
export type RecordedRow = Pick<EventRow, 'id' | 'payload' | 'attempts'>;

// ---------------------------------------------------------------------------------------------
// The envelope, read leniently (a malformed event is recorded too)
// ---------------------------------------------------------------------------------------------

function payloadJson(raw: unknown): string {
  try {
    const s = JSON.stringify(raw);
    return s === undefined ? 'null' : s;
  } catch {
    return JSON.stringify('[contenuto non rappresentabile in JSON]');
  }
}

/** Sets an own property (also one named «__proto__», as JSON.parse does). */
function setOwn(o: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/**
 * The files an event carries (a diet's certificate: health data) are kept apart from its payload
 * (table portal_inbound_files) and deleted once the event is final; the payload keeps each file's
 * name, type, SHA-256 and «[file di N byte, conservato a parte]» in place of the content.
 */
function splitFiles(payload: string): { stored: string; files: { path: string; content: string }[] } {
  if (!payload.includes('"contentBase64"')) return { stored: payload, files: [] };
  const files: { path: string; content: string }[] = [];
  const walk = (v: unknown, path: string[]): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'contentBase64' && typeof x === 'string' && BASE64_TEXT.test(x) && files.length < 50) {
        const content = x.replace(/\s+/g, '');
        files.push({ path: [...path, k].join('.'), content });
        const bytes = Math.max(0, Math.floor((content.length * 3) / 4) - (content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0));
        setOwn(out, k, `[file di ${bytes} byte, conservato a parte]`);
      } else setOwn(out, k, walk(x, [...path, k]));
    }
    return out;
  };
  const stored = walk(JSON.parse(payload), []);
  return files.length ? { stored: JSON.stringify(stored), files } : { stored: payload, files: [] };
}

/** The event as received: its payload with its files put back. */
function joinFiles(db: AppDb, eventId: number, payload: string): unknown {
  const raw: unknown = JSON.parse(payload);
  if (!payload.includes(FILE_KEPT_APART)) return raw;
  const files = db.select().from(portalInboundFiles).where(eq(portalInboundFiles.inboundEventId, eventId)).all();
  for (const f of files) {
    const keys = f.path.split('.');
    let at: unknown = raw;
    for (const k of keys.slice(0, -1)) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
    if (at !== null && typeof at === 'object') setOwn(at as Record<string, unknown>, keys[keys.length - 1], f.content);
  }
  return raw;
}

/** Once an event is final its files are no longer needed here (a diet request keeps its own copy). */
export function dropFiles(db: AppDb, eventId: number): void {
  db.delete(portalInboundFiles).where(eq(portalInboundFiles.inboundEventId, eventId)).run();
}

const field = (raw: unknown, key: string): unknown => (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)[key] : undefined);

interface Envelope {
  externalId: string;
  type: string;
  channel: EventRow['channel'];
  occurredAt: string | null;
  pupilTaxCode: string | null;
}

function envelope(raw: unknown, payload: string): Envelope {
  const id = field(raw, 'id');
  const externalId =
    typeof id === 'string' && id.length >= 1 && id.length <= 100 && !hasForbiddenChars(id)
      ? id
      : `senza-id:${createHash('sha256').update(payload).digest('hex')}`;
  const type = field(raw, 'type');
  const channel = field(raw, 'channel');
  const occurred = field(raw, 'occurredAt');
  let occurredAt: string | null = null;
  if (typeof occurred === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(occurred)) {
    const d = new Date(occurred);
    if (!Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1000 && d.getUTCFullYear() <= 9999) occurredAt = d.toISOString();
  }
  const cf = field(raw, 'pupilTaxCode') ?? field(field(raw, 'pupil'), 'taxCode');
  return {
    externalId,
    type: typeof type === 'string' && /^[A-Za-z]{1,40}$/.test(type) ? type : '?',
    channel: channel === 'portale' || channel === 'app' || channel === 'telefono' || channel === 'sms' ? channel : null,
    occurredAt,
    pupilTaxCode: typeof cf === 'string' && /^[A-Za-z0-9]{1,32}$/.test(cf.trim()) ? cf.trim().toUpperCase() : null,
  };
}

/** No text of the event may hold control, bidi or zero-width characters (as for every input of the office). */
function forbiddenPaths(value: unknown, path: (string | number)[] = [], out: string[] = []): string[] {
  if (out.length >= 5) return out;
  if (typeof value === 'string') {
    const multiline = path[path.length - 1] === 'message' || path[path.length - 1] === 'details';
    if (hasForbiddenChars(value, multiline)) out.push(path.join('.'));
  } else if (Array.isArray(value)) value.forEach((v, i) => forbiddenPaths(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) forbiddenPaths(v, [...path, k], out);
  return out;
}

/** The zod issues of a malformed event, in Italian, on one line. */
function malformedMessage(error: ZodError): string {
  const issues = zodIssues(error).slice(0, 8);
  const parts = issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  return `Evento non leggibile secondo il contratto del portale: ${parts.join('; ')}${error.issues.length > issues.length ? ' …' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Applying a recorded event (on arrival and on the office's retry)
// ---------------------------------------------------------------------------------------------

function dispatch(env: ApplyEnv, e: InboundEvent, row: RecordedRow): Applied {
  switch (e.type) {
    case 'cancellation':
    case 'cancellationUndo':
    case 'nextDayCancellation':
    case 'prolongedAbsence':
    case 'reactivation':
    case 'plainMeal':
      return applyAttendance(env, e);
    case 'enrollment':
      return applyEnrollment(env, e);
    case 'personalData':
      return applyPersonalData(env, e);
    case 'topUp':
      return applyTopUp(env, e);
    case 'supportRequest':
      return applySupportRequest(env, e, row.id);
  }
}

function parseRecorded(db: AppDb, row: RecordedRow): InboundEvent {
  let raw: unknown;
  try {
    raw = joinFiles(db, row.id, row.payload);
  } catch {
    throw new ReviewNeeded('Evento non leggibile: il contenuto ricevuto non è JSON');
  }
  const parsed = inboundEvent.safeParse(raw);
  if (!parsed.success) throw new ReviewNeeded(malformedMessage(parsed.error), { details: { problemi: zodIssues(parsed.error).slice(0, 50) } });
  const hidden = forbiddenPaths(parsed.data);
  if (hidden.length) throw new ReviewNeeded(`${FORBIDDEN_CHARS_MESSAGE} (campi: ${hidden.join(', ')})`);
  return parsed.data;
}

/** The hot path's statements, prepared once per connection (the sync applies thousands of events). */
interface Statements {
  prev: Database.Statement<[string, string], { id: number; status: PortalInboundStatus; recordedAt: string }>;
  insert: Database.Statement<[Record<string, unknown>], { id: number }>;
  update: Database.Statement<[Record<string, unknown>]>;
  dropFiles: Database.Statement<[number]>;
  exists: Map<string, Database.Statement<[number]>>;
}
const statementCache = new WeakMap<Database.Database, Statements>();
function statements(sqlite: Database.Database): Statements {
  let st = statementCache.get(sqlite);
  if (!st) {
    st = {
      prev: sqlite.prepare('SELECT id, status, recorded_at AS recordedAt FROM portal_inbound_events WHERE portal = ? AND external_id = ?'),
      insert: sqlite.prepare(
        `INSERT INTO portal_inbound_events (portal, external_id, type, channel, occurred_at, pupil_tax_code, payload, received_at, recorded_at, status, message, attempts, last_attempt_at)
         VALUES (@portal, @externalId, @type, @channel, @occurredAt, @pupilTaxCode, @payload, @receivedAt, @recordedAt, 'in_revisione', 'In lavorazione', 1, @recordedAt) RETURNING id`,
      ),
      update: sqlite.prepare(
        `UPDATE portal_inbound_events SET status = @status, message = @message, details_json = @detailsJson,
           pupil_id = @pupilId, payer_id = @payerId, attempt_id = @attemptId, absence_id = @absenceId, enrollment_id = @enrollmentId,
           payment_id = @paymentId, ledger_entry_id = @ledgerEntryId, diet_request_ids = @dietRequestIds, support_request_id = @supportRequestId,
           applied_at = @appliedAt, attempts = @attempts, last_attempt_at = @lastAttemptAt,
           handled_by = CASE WHEN @retry = 1 THEN @handledBy ELSE handled_by END,
           handled_at = CASE WHEN @retry = 1 THEN @lastAttemptAt ELSE handled_at END
         WHERE id = @id`,
      ),
      dropFiles: sqlite.prepare('DELETE FROM portal_inbound_files WHERE inbound_event_id = ?'),
      exists: new Map(),
    };
    statementCache.set(sqlite, st);
  }
  return st;
}

/** The marker a stored payload holds in place of a file kept apart. */
const FILE_KEPT_APART = 'conservato a parte]';

/** The links of a refused event keep only rows that exist (what the refused application created was rolled back). */
function existingLinks(sqlite: Database.Database, l: Links): Links {
  const st = statements(sqlite).exists;
  const has = (table: string, id: number | null | undefined) => {
    if (typeof id !== 'number') return null;
    let q = st.get(table);
    if (!q) st.set(table, (q = sqlite.prepare(`SELECT 1 FROM ${table} WHERE id = ?`)));
    return q.get(id) !== undefined ? id : null;
  };
  return {
    pupilId: has('pupils', l.pupilId),
    payerId: has('payers', l.payerId),
    attemptId: has('cancellation_attempts', l.attemptId),
    absenceId: has('absences', l.absenceId),
    enrollmentId: has('enrollments', l.enrollmentId),
    paymentId: has('payments', l.paymentId),
    ledgerEntryId: has('ledger_entries', l.ledgerEntryId),
    dietRequestIds: (l.dietRequestIds ?? []).filter((id) => has('diet_requests', id) !== null),
    supportRequestId: has('portal_support_requests', l.supportRequestId),
  };
}

function linkColumns(l: Links) {
  return {
    pupilId: l.pupilId ?? null,
    payerId: l.payerId ?? null,
    attemptId: l.attemptId ?? null,
    absenceId: l.absenceId ?? null,
    enrollmentId: l.enrollmentId ?? null,
    paymentId: l.paymentId ?? null,
    ledgerEntryId: l.ledgerEntryId ?? null,
    dietRequestIds: l.dietRequestIds?.length ? JSON.stringify(l.dietRequestIds) : null,
    supportRequestId: l.supportRequestId ?? null,
  };
}

/** Strips what no text column may hold (a message may quote what the portal sent). */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').slice(0, 4000);

const detailsJson = (d: unknown) => (d === undefined || d === null ? null : payloadJson(d));

export interface ApplyOutcome {
  status: 'applicato' | 'in_revisione' | 'duplicato';
  message: string;
  /** the event's type, when readable (for the change notice) */
  type: InboundEvent['type'] | null;
  entities: string[];
}

/**
 * Applies a recorded event (status 'in_revisione': just recorded, or in the review queue) and
 * stores the outcome on its row. Must run inside a transaction (the caller's); the application
 * itself runs in a savepoint, so a refusal undoes all of it and only the outcome is written.
 */
export function applyRecorded(env: ApplyEnv, row: RecordedRow, opts: { retry: boolean } = { retry: false }): ApplyOutcome {
  const entities = new Set<string>();
  const trackingEnv: ApplyEnv = {
    ...env,
    audit: (a) => {
      entities.add(a.entity);
      env.audit(a);
    },
  };
  let type: InboundEvent['type'] | null = null;
  let outcome: { status: ApplyOutcome['status']; message: string; details: unknown; links: Links };
  try {
    outcome = env.sqlite.transaction(() => {
      const e = parseRecorded(env.db, row);
      type = e.type;
      if (new Date(e.occurredAt).getTime() > env.now.getTime() + FUTURE_TOLERANCE_MS) {
        throw new ReviewNeeded(`Il momento dell'evento (${formatMomentIt(e.occurredAt)}) è nel futuro rispetto all'orologio dell'ufficio: verificare l'orologio del portale`);
      }
      const a = dispatch(trackingEnv, e, row);
      return { status: a.status, message: a.message, details: a.details ?? null, links: a.links };
    })();
  } catch (err) {
    entities.clear();
    if (err instanceof ReviewNeeded) {
      for (const a of err.audit) {
        entities.add(a.entity);
        env.audit(a);
      }
      outcome = { status: 'in_revisione', message: err.message, details: err.details, links: existingLinks(env.sqlite, err.links) };
    } else if (err instanceof AppError) {
      const issues = err.issues.filter((i) => i.message !== err.message).map((i) => i.message);
      outcome = {
        status: 'in_revisione',
        message: `${err.message}${issues.length ? ` (${issues.join('; ')})` : ''}`,
        details: { codice: err.code, problemi: err.issues },
        links: {},
      };
    } else {
      const m = err instanceof Error ? err.message : String(err);
      outcome = { status: 'in_revisione', message: `Errore imprevisto nell'applicare l'evento: ${m}. Segnalarlo all'assistenza; l'evento resta in revisione`, details: null, links: {} };
    }
  }
  const nowIso = env.now.toISOString();
  const st = statements(env.sqlite);
  st.update.run({
    id: row.id,
    status: outcome.status,
    message: clean(outcome.message) || '—',
    detailsJson: detailsJson(outcome.details),
    ...linkColumns(outcome.links),
    appliedAt: outcome.status === 'applicato' ? nowIso : null,
    attempts: opts.retry ? row.attempts + 1 : row.attempts,
    lastAttemptAt: nowIso,
    retry: opts.retry ? 1 : 0,
    handledBy: env.userId,
  });
  if (outcome.status !== 'in_revisione' && row.payload.includes(FILE_KEPT_APART)) st.dropFiles.run(row.id);
  return { status: outcome.status, message: outcome.message, type, entities: [...entities] };
}

// ---------------------------------------------------------------------------------------------
// The runner's entry point
// ---------------------------------------------------------------------------------------------

const writers = new WeakMap<Database.Database, (r: AuditRecord) => void>();
function auditWriter(sqlite: Database.Database) {
  let w = writers.get(sqlite);
  if (!w) {
    w = prepareAuditWriter(sqlite);
    writers.set(sqlite, w);
  }
  return w;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * Records and applies one inbound event, in one transaction. Never throws.
 * `receivedAt`: when the sync received it from the portal (kept on the row).
 */
export function applyInbound(env: InboundEnv, rawEvent: unknown, receivedAt: Date): InboundResult {
  const portal = env.portal ?? DEFAULT_PORTAL;
  try {
    const now = env.clock.now();
    const nowIso = now.toISOString();
    const write = auditWriter(env.sqlite);
    const applyEnv: ApplyEnv = {
      db: env.db,
      sqlite: env.sqlite,
      now,
      userId: null,
      username: PORTAL_USERNAME,
      audit: (a) =>
        write({
          at: nowIso,
          userId: null,
          username: PORTAL_USERNAME,
          procedure: 'portal.inbound',
          entity: a.entity,
          entityId: a.entityId === undefined || a.entityId === null ? null : String(a.entityId),
          action: a.action,
          before: json(a.before),
          after: json(a.after),
          workstation: null,
        }),
    };
    const payload = payloadJson(rawEvent);
    const env0 = envelope(rawEvent, payload);
    const split = splitFiles(payload);
    const received = Number.isNaN(receivedAt.getTime()) ? now : receivedAt;
    const r = env.sqlite.transaction((): InboundResult & { outcome: ApplyOutcome | null } => {
      const st = statements(env.sqlite);
      const prev = st.prev.get(portal, env0.externalId);
      if (prev) {
        return {
          status: 'duplicato',
          message: `Evento già ricevuto il ${formatMomentIt(prev.recordedAt)} (${STATUS_LABELS[prev.status].toLowerCase()}): nessuna modifica`,
          eventId: prev.id,
          recorded: true,
          outcome: null,
        };
      }
      const { id } = st.insert.get({
        portal,
        externalId: env0.externalId,
        type: env0.type,
        channel: env0.channel,
        occurredAt: env0.occurredAt,
        pupilTaxCode: env0.pupilTaxCode,
        payload: split.stored,
        receivedAt: received.toISOString(),
        recordedAt: nowIso,
      })!;
      const row: RecordedRow = { id, payload: split.stored, attempts: 1 };
      for (const f of split.files) env.db.insert(portalInboundFiles).values({ inboundEventId: row.id, ...f }).run();
      const outcome = applyRecorded(applyEnv, row);
      return { status: outcome.status, message: outcome.message, eventId: row.id, recorded: true, outcome };
    })();
    if (r.outcome && env.notices) {
      try {
        env.notices.emit({ procedure: 'portal.inbound', areas: ['portal', ...(r.outcome.type && r.outcome.status === 'applicato' ? AREAS[r.outcome.type] : [])], entities: r.outcome.entities, user: PORTAL_USERNAME });
      } catch {
        // a listener's failure never undoes a committed event
      }
    }
    return { status: r.status, message: r.message, eventId: r.eventId, recorded: r.recorded };
  } catch (err) {
    const m = err instanceof Error ? err.message : String(err);
    try {
      env.logger?.error(`Portale: evento non applicato (${m})`);
    } catch {
      // nothing more to do
    }
    // a second, simpler attempt: the event recorded in review with the error, so that one event the
    // program cannot handle does not hold back the sync forever
    const kept = recordInReview(env, portal, rawEvent, receivedAt, m);
    if (kept) return kept;
    return {
      status: 'in_revisione',
      message: `Evento non registrato per un errore del database (${m}): sarà richiesto di nuovo al portale`,
      eventId: null,
      recorded: false,
    };
  }
}

/** Records an event in review with the error that stopped its application; null if even that fails. */
function recordInReview(env: InboundEnv, portal: string, rawEvent: unknown, receivedAt: Date, error: string): InboundResult | null {
  try {
    const now = env.clock.now();
    const nowIso = now.toISOString();
    const payload = payloadJson(rawEvent);
    const env0 = envelope(rawEvent, payload);
    const split = splitFiles(payload);
    return env.sqlite.transaction((): InboundResult => {
      const prev = env.db
        .select({ id: portalInboundEvents.id })
        .from(portalInboundEvents)
        .where(and(eq(portalInboundEvents.portal, portal), eq(portalInboundEvents.externalId, env0.externalId)))
        .get();
      if (prev) return { status: 'duplicato', message: 'Evento già ricevuto: nessuna modifica', eventId: prev.id, recorded: true };
      const message = clean(`Errore imprevisto nell'applicare l'evento: ${error}. Segnalarlo all'assistenza; l'evento resta in revisione`);
      const row = env.db
        .insert(portalInboundEvents)
        .values({
          portal,
          externalId: env0.externalId,
          type: env0.type,
          channel: env0.channel,
          occurredAt: env0.occurredAt,
          pupilTaxCode: env0.pupilTaxCode,
          payload: split.stored,
          receivedAt: (Number.isNaN(receivedAt.getTime()) ? now : receivedAt).toISOString(),
          recordedAt: nowIso,
          status: 'in_revisione',
          message,
          attempts: 1,
          lastAttemptAt: nowIso,
        })
        .returning({ id: portalInboundEvents.id })
        .get();
      for (const f of split.files) env.db.insert(portalInboundFiles).values({ inboundEventId: row.id, ...f }).run();
      return { status: 'in_revisione', message, eventId: row.id, recorded: true };
    })();
  } catch {
    return null;
  }
}
