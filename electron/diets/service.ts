/**
 * Special diets (DI1–DI6, F5): the catalogue, the families' requests and their attachments, the
 * decisions, who may open a certificate.
 *
 * - DI1: a request names one pupil and one school year; nothing carries over (see validity.ts).
 * - DI2: a medical request is refused without a medical certificate (PDF, JPEG, PNG by content).
 * - DI3: an ethical-religious request needs none (a self-declaration may be attached).
 * - DI4/DI5: the source is the enrollment, the portal or an e-mail; there is no "paper at school".
 * - DI6: a medical request is decided by a supervisor; an ethical-religious one by an operator.
 * - F5: certificates are opened only by supervisors and by the operator handling the request.
 */
import { and, asc, desc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import {
  DIET_CATEGORIES,
  DIET_KINDS,
  DIET_SOURCES,
  DIET_STATUSES,
  DIET_ATTACHMENT_KINDS,
  dietAttachments,
  dietRequestItems,
  dietRequests,
  dietTypes,
  pupils,
  schoolYears,
  schools,
  classes,
  enrollments,
  users,
} from '../../db/schema';
import { conflict, forbidden, invalid, invalidField, notFound, type FieldIssue } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import type { SessionUser } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { roleAllows } from '../contract/roles';
import { checkAttachment } from './files';
import { DIET_CATEGORY_LABEL, DIET_SOURCE_LABEL, DIET_STATUS_LABEL } from '../contract/vocabulary/diets';

export type DietCategory = (typeof DIET_CATEGORIES)[number];
export type DietKind = (typeof DIET_KINDS)[number];
export type DietSource = (typeof DIET_SOURCES)[number];
export type DietStatus = (typeof DIET_STATUSES)[number];
export type AttachmentKind = (typeof DIET_ATTACHMENT_KINDS)[number];

export const CATEGORY_LABELS: Record<DietCategory, string> = DIET_CATEGORY_LABEL;
export const SOURCE_LABELS: Record<DietSource, string> = DIET_SOURCE_LABEL;
export const STATUS_LABELS: Record<DietStatus, string> = DIET_STATUS_LABEL;

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

export type DietTypeRow = typeof dietTypes.$inferSelect;

export function listDietTypes(db: AppDb, onlyActive = false): DietTypeRow[] {
  return db
    .select()
    .from(dietTypes)
    .where(onlyActive ? eq(dietTypes.active, true) : undefined)
    .orderBy(asc(dietTypes.category), asc(dietTypes.sortOrder), asc(dietTypes.name))
    .all();
}

export interface DietTypeInput {
  id?: number;
  name: string;
  category: DietCategory;
  kind: DietKind;
  freeText: boolean;
  active: boolean;
}

function codeFor(name: string): string {
  const base = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  return /^[a-z]/.test(base) ? base : `dieta_${base}`;
}

/** Creates or changes a catalogue entry (administrator). A type in use keeps its category. */
export function saveDietType(db: AppDb, input: DietTypeInput, at: Date): { before: DietTypeRow | null; after: DietTypeRow } {
  if (input.category === 'etico_religiosa' && !['etica', 'altro'].includes(input.kind)) {
    throw invalidField('kind', 'Una dieta etico-religiosa è di tipo «etica» o «altro»');
  }
  if (input.category === 'medica' && input.kind === 'etica') throw invalidField('kind', 'Una dieta medica non può essere di tipo «etica»');
  const now = at.toISOString();
  const clash = db.select({ id: dietTypes.id }).from(dietTypes).where(sql`lower(${dietTypes.name}) = lower(${input.name})`).get();
  if (clash && clash.id !== input.id) throw conflict('Esiste già una dieta con questo nome', 'name');
  if (input.id === undefined) {
    let code = codeFor(input.name);
    for (let n = 2; db.select({ id: dietTypes.id }).from(dietTypes).where(eq(dietTypes.code, code)).get(); n++) code = `${codeFor(input.name).slice(0, 30)}_${n}`;
    const last = db.select({ n: sql<number>`coalesce(max(${dietTypes.sortOrder}), 0)` }).from(dietTypes).get()!.n;
    const row = db
      .insert(dietTypes)
      .values({ code, name: input.name, category: input.category, kind: input.kind, freeText: input.freeText, active: input.active, sortOrder: Math.min(10_000, last + 10), createdAt: now, updatedAt: now })
      .returning()
      .get();
    return { before: null, after: row };
  }
  const before = db.select().from(dietTypes).where(eq(dietTypes.id, input.id)).get();
  if (!before) throw notFound('Tipo di dieta');
  if (before.category !== input.category) {
    const used = db.select({ n: sql<number>`count(*)` }).from(dietRequestItems).where(eq(dietRequestItems.dietTypeId, input.id)).get()!.n;
    if (used > 0) throw invalidField('category', 'La dieta è già usata da alcune richieste: la categoria non si cambia (crearne una nuova)');
  }
  const after = db
    .update(dietTypes)
    .set({ name: input.name, category: input.category, kind: input.kind, freeText: input.freeText, active: input.active, updatedAt: now, version: nextVersion(dietTypes.version) })
    .where(eq(dietTypes.id, input.id))
    .returning()
    .get();
  return { before, after };
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

export interface AttachmentInput {
  fileName: string;
  contentBase64: string;
  kind: AttachmentKind;
}

export interface CreateRequestInput {
  pupilId: number;
  schoolYearId: number;
  category: DietCategory;
  dietTypeIds: number[];
  source: DietSource;
  receivedOn: string;
  details: string;
  validUntil: string | null;
  attachments: AttachmentInput[];
}

function storeAttachment(db: AppDb, requestId: number, a: AttachmentInput, index: number, userId: number | null, at: Date) {
  const file = checkAttachment(a.fileName, a.contentBase64, ['attachments', index, 'contentBase64']);
  return db
    .insert(dietAttachments)
    .values({
      requestId,
      kind: a.kind,
      fileName: file.fileName,
      mimeType: file.mimeType,
      sizeBytes: file.bytes.length,
      sha256: file.sha256,
      content: file.bytes,
      uploadedAt: at.toISOString(),
      uploadedBy: userId,
    })
    .returning({ id: dietAttachments.id, fileName: dietAttachments.fileName, mimeType: dietAttachments.mimeType, sizeBytes: dietAttachments.sizeBytes, sha256: dietAttachments.sha256, kind: dietAttachments.kind })
    .get();
}

/** DI1–DI5: records a family's request with its attachments; nothing is saved if anything is wrong. */
export function createRequest(db: AppDb, input: CreateRequestInput, user: SessionUser, at: Date) {
  const issues: FieldIssue[] = [];
  const pupil = db.select({ id: pupils.id }).from(pupils).where(eq(pupils.id, input.pupilId)).get();
  if (!pupil) issues.push({ path: ['pupilId'], message: 'Alunno non trovato' });
  const year = db.select().from(schoolYears).where(eq(schoolYears.id, input.schoolYearId)).get();
  if (!year) issues.push({ path: ['schoolYearId'], message: 'Anno scolastico non trovato' });
  const ids = [...new Set(input.dietTypeIds)];
  const types = ids.length ? db.select().from(dietTypes).where(inArray(dietTypes.id, ids)).all() : [];
  if (!ids.length) issues.push({ path: ['dietTypeIds'], message: 'Scegliere almeno una dieta' });
  else if (types.length !== ids.length) issues.push({ path: ['dietTypeIds'], message: 'Dieta non trovata nel catalogo' });
  else {
    if (types.some((t) => t.category !== input.category)) {
      issues.push({ path: ['dietTypeIds'], message: `Le diete scelte devono essere tutte della categoria «${CATEGORY_LABELS[input.category]}»` });
    }
    if (types.some((t) => !t.active)) issues.push({ path: ['dietTypeIds'], message: 'Una delle diete scelte non è più attiva nel catalogo' });
    if (types.some((t) => t.freeText) && !input.details.trim()) issues.push({ path: ['details'], message: 'Descrivere la dieta richiesta (voce a testo libero)' });
  }
  if (year && input.validUntil && input.validUntil < year.startsOn) {
    issues.push({ path: ['validUntil'], message: "La validità del certificato termina prima dell'inizio dell'anno scolastico" });
  }
  if (input.category === 'etico_religiosa' && input.validUntil) {
    issues.push({ path: ['validUntil'], message: 'Una dieta etico-religiosa non ha un certificato con scadenza' });
  }
  if (input.receivedOn > romeDateOf(at)) issues.push({ path: ['receivedOn'], message: 'La data di ricevimento non può essere nel futuro' });
  // DI2: a medical diet needs a medical certificate; DI3: an ethical one needs none
  const certificates = input.attachments.filter((a) => a.kind === 'certificato_medico');
  if (input.category === 'medica' && certificates.length === 0) {
    issues.push({ path: ['attachments'], message: 'Una dieta medica richiede il certificato medico (DI2): allegare il certificato (PDF, JPEG o PNG)' });
  }
  if (input.category === 'etico_religiosa' && certificates.length > 0) {
    issues.push({ path: ['attachments'], message: "A una dieta etico-religiosa si allega al più l'autodichiarazione della famiglia" });
  }
  if (input.attachments.length > 5) issues.push({ path: ['attachments'], message: 'Al massimo 5 allegati per richiesta' });
  if (issues.length) throw invalid(issues);
  // the content of every file is checked before anything is written
  input.attachments.forEach((a, i) => checkAttachment(a.fileName, a.contentBase64, ['attachments', i, 'contentBase64']));

  const userId = user.id > 0 ? user.id : null;
  const row = db
    .insert(dietRequests)
    .values({
      pupilId: input.pupilId,
      schoolYearId: input.schoolYearId,
      category: input.category,
      source: input.source,
      receivedOn: input.receivedOn,
      details: input.details,
      validUntil: input.validUntil,
      status: 'in_attesa',
      handledBy: userId,
      createdBy: userId,
      createdAt: at.toISOString(),
    })
    .returning()
    .get();
  for (const t of ids) db.insert(dietRequestItems).values({ requestId: row.id, dietTypeId: t }).run();
  const stored = input.attachments.map((a, i) => storeAttachment(db, row.id, a, i, userId, at));
  return { request: row, dietTypeIds: ids, attachments: stored };
}

/** Adds an attachment to a request still waiting for its decision (never replaces one). */
export function addAttachment(db: AppDb, requestId: number, a: AttachmentInput, user: SessionUser, at: Date) {
  const r = db.select().from(dietRequests).where(eq(dietRequests.id, requestId)).get();
  if (!r) throw notFound('Richiesta di dieta');
  if (r.status !== 'in_attesa') throw conflict('Si allegano documenti solo a una richiesta in attesa di decisione');
  if (r.category === 'etico_religiosa' && a.kind === 'certificato_medico') {
    throw invalidField('kind', "A una dieta etico-religiosa si allega al più l'autodichiarazione della famiglia");
  }
  const n = db.select({ n: sql<number>`count(*)` }).from(dietAttachments).where(eq(dietAttachments.requestId, requestId)).get()!.n;
  if (n >= 5) throw conflict('Al massimo 5 allegati per richiesta');
  return storeAttachment(db, requestId, a, 0, user.id > 0 ? user.id : null, at);
}

export interface DecisionInput {
  id: number;
  decision: 'approvata' | 'respinta';
  reason: string;
  /** medical: the certificate's end date, when the supervisor reads one on it */
  validUntil?: string | null;
}

/**
 * Approves or rejects a request (DI6): a medical request only by a supervisor, with its certificate
 * still there; an ethical-religious one by an operator too. Approving supersedes the pupil's
 * earlier approved request of the same year and category (a changed diet).
 */
export function decideRequest(db: AppDb, input: DecisionInput, user: SessionUser, at: Date, medicalProcedure: boolean) {
  const before = db.select().from(dietRequests).where(eq(dietRequests.id, input.id)).get();
  if (!before) throw notFound('Richiesta di dieta');
  if (before.category === 'medica' && !medicalProcedure) {
    throw forbidden('Le diete mediche le approva o respinge un supervisore, dopo aver visto il certificato (DI6)');
  }
  if (before.category === 'medica' && !roleAllows(user.role, 'supervisore')) {
    throw forbidden('Le diete mediche le approva o respinge un supervisore, dopo aver visto il certificato (DI6)');
  }
  if (before.status !== 'in_attesa') throw conflict(`La richiesta è già stata decisa (${STATUS_LABELS[before.status].toLowerCase()})`);
  const now = at.toISOString();
  const userId = user.id > 0 ? user.id : null;
  if (input.decision === 'respinta') {
    if (input.reason.trim().length < 3) throw invalidField('reason', 'Indicare il motivo del rifiuto');
    const after = db.update(dietRequests).set({ status: 'respinta', decidedAt: now, decidedBy: userId, reason: input.reason.trim() }).where(eq(dietRequests.id, input.id)).returning().get();
    return { before, after, superseded: [] as number[] };
  }
  let validUntil = before.validUntil;
  if (before.category === 'medica') {
    const available = db
      .select({ n: sql<number>`count(*)` })
      .from(dietAttachments)
      .where(and(eq(dietAttachments.requestId, input.id), eq(dietAttachments.kind, 'certificato_medico'), sql`${dietAttachments.content} IS NOT NULL`))
      .get()!.n;
    if (available === 0) throw conflict('La richiesta non ha un certificato medico da approvare (DI2)');
    if (input.validUntil !== undefined) validUntil = input.validUntil;
  }
  const year = db.select().from(schoolYears).where(eq(schoolYears.id, before.schoolYearId)).get()!;
  if (validUntil && validUntil < year.startsOn) throw invalidField('validUntil', "La validità del certificato termina prima dell'inizio dell'anno scolastico");
  const earlier = db
    .select({ id: dietRequests.id })
    .from(dietRequests)
    .where(and(eq(dietRequests.pupilId, before.pupilId), eq(dietRequests.schoolYearId, before.schoolYearId), eq(dietRequests.category, before.category), eq(dietRequests.status, 'approvata')))
    .all()
    .map((r) => r.id);
  if (earlier.length) db.update(dietRequests).set({ status: 'sostituita' }).where(inArray(dietRequests.id, earlier)).run();
  const after = db
    .update(dietRequests)
    .set({ status: 'approvata', decidedAt: now, decidedBy: userId, approvedOn: romeDateOf(at), validUntil, reason: input.reason.trim() || null })
    .where(eq(dietRequests.id, input.id))
    .returning()
    .get();
  return { before, after, superseded: earlier };
}

/** The family withdraws an approved diet (e-mail to the office, DI5): it leaves the kitchen report. */
export function revokeRequest(db: AppDb, id: number, reason: string, user: SessionUser, at: Date) {
  const before = db.select().from(dietRequests).where(eq(dietRequests.id, id)).get();
  if (!before) throw notFound('Richiesta di dieta');
  if (before.status !== 'approvata') throw conflict('Si revoca solo una dieta approvata');
  const after = db
    .update(dietRequests)
    .set({ status: 'revocata', reason: reason.trim(), decidedAt: at.toISOString(), decidedBy: user.id > 0 ? user.id : null })
    .where(eq(dietRequests.id, id))
    .returning()
    .get();
  return { before, after };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export interface RequestFilter {
  schoolYearId?: number;
  status?: DietStatus;
  category?: DietCategory;
  schoolId?: number;
  search?: string;
  pupilId?: number;
  id?: number;
}

const itemsOf = (db: AppDb, requestIds: number[]) => {
  const map = new Map<number, { id: number; name: string; kind: DietKind }[]>();
  for (let i = 0; i < requestIds.length; i += 500) {
    const chunk = requestIds.slice(i, i + 500);
    const rows = db
      .select({ requestId: dietRequestItems.requestId, id: dietTypes.id, name: dietTypes.name, kind: dietTypes.kind, sortOrder: dietTypes.sortOrder })
      .from(dietRequestItems)
      .innerJoin(dietTypes, eq(dietTypes.id, dietRequestItems.dietTypeId))
      .where(inArray(dietRequestItems.requestId, chunk))
      .orderBy(asc(dietTypes.sortOrder))
      .all();
    for (const r of rows) {
      const list = map.get(r.requestId) ?? [];
      list.push({ id: r.id, name: r.name, kind: r.kind });
      map.set(r.requestId, list);
    }
  }
  return map;
};

export function listRequests(db: AppDb, f: RequestFilter) {
  const conds: SQL[] = [];
  if (f.schoolYearId !== undefined) conds.push(eq(dietRequests.schoolYearId, f.schoolYearId));
  if (f.status) conds.push(eq(dietRequests.status, f.status));
  if (f.category) conds.push(eq(dietRequests.category, f.category));
  if (f.pupilId !== undefined) conds.push(eq(dietRequests.pupilId, f.pupilId));
  if (f.id !== undefined) conds.push(eq(dietRequests.id, f.id));
  if (f.schoolId !== undefined) conds.push(eq(sql`coalesce(${enrollments.schoolId}, ${pupils.schoolId})`, f.schoolId));
  if (f.search?.trim()) {
    const q = `%${f.search.trim().toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    conds.push(or(sql`${pupils.searchText} LIKE ${q} ESCAPE '\\'`, like(pupils.taxCode, q.toUpperCase()))!);
  }
  const handler = sql<string | null>`(SELECT u.display_name FROM users u WHERE u.id = ${dietRequests.handledBy})`;
  const rows = db
    .select({
      id: dietRequests.id,
      pupilId: dietRequests.pupilId,
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      taxCode: pupils.taxCode,
      schoolYearId: dietRequests.schoolYearId,
      schoolYearLabel: schoolYears.label,
      schoolName: sql<string | null>`coalesce((SELECT s.name FROM schools s WHERE s.id = ${enrollments.schoolId}), (SELECT s.name FROM schools s WHERE s.id = ${pupils.schoolId}))`,
      className: sql<string | null>`(SELECT c.name FROM classes c WHERE c.id = coalesce(${enrollments.classId}, ${pupils.classId}))`,
      category: dietRequests.category,
      source: dietRequests.source,
      receivedOn: dietRequests.receivedOn,
      details: dietRequests.details,
      validUntil: dietRequests.validUntil,
      status: dietRequests.status,
      handledBy: dietRequests.handledBy,
      handledByName: handler,
      createdAt: dietRequests.createdAt,
      decidedAt: dietRequests.decidedAt,
      approvedOn: dietRequests.approvedOn,
      reason: dietRequests.reason,
      attachments: sql<number>`(SELECT count(*) FROM diet_attachments a WHERE a.request_id = ${dietRequests.id})`,
      yearEndsOn: schoolYears.endsOn,
    })
    .from(dietRequests)
    .innerJoin(pupils, eq(pupils.id, dietRequests.pupilId))
    .innerJoin(schoolYears, eq(schoolYears.id, dietRequests.schoolYearId))
    .leftJoin(enrollments, and(eq(enrollments.pupilId, dietRequests.pupilId), eq(enrollments.schoolYearId, dietRequests.schoolYearId)))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(sql`${dietRequests.status} = 'in_attesa'`), desc(dietRequests.createdAt), desc(dietRequests.id))
    .limit(5000)
    .all();
  const items = itemsOf(db, rows.map((r) => r.id));
  return rows.map(({ yearEndsOn, ...r }) => {
    const diets = items.get(r.id) ?? [];
    return {
      ...r,
      diets: diets.map((d) => d.name),
      allergens: diets.filter((d) => d.kind === 'allergene').map((d) => d.name),
      validTo: r.validUntil && r.validUntil < yearEndsOn ? r.validUntil : yearEndsOn,
    };
  });
}

export function getRequest(db: AppDb, id: number) {
  const [row] = listRequests(db, { id });
  if (!row) throw notFound('Richiesta di dieta');
  return withDetail(db, row);
}

function withDetail(db: AppDb, row: ReturnType<typeof listRequests>[number]) {
  const items = db
    .select({ id: dietTypes.id })
    .from(dietRequestItems)
    .innerJoin(dietTypes, eq(dietTypes.id, dietRequestItems.dietTypeId))
    .where(eq(dietRequestItems.requestId, row.id))
    .all()
    .map((r) => r.id);
  const attachments = db
    .select({
      id: dietAttachments.id,
      kind: dietAttachments.kind,
      fileName: dietAttachments.fileName,
      mimeType: dietAttachments.mimeType,
      sizeBytes: dietAttachments.sizeBytes,
      sha256: dietAttachments.sha256,
      uploadedAt: dietAttachments.uploadedAt,
      purgedAt: dietAttachments.purgedAt,
    })
    .from(dietAttachments)
    .where(eq(dietAttachments.requestId, row.id))
    .orderBy(asc(dietAttachments.id))
    .all();
  const decidedByName = row.decidedAt
    ? (db.select({ name: users.displayName }).from(users).innerJoin(dietRequests, eq(dietRequests.decidedBy, users.id)).where(eq(dietRequests.id, row.id)).get()?.name ?? null)
    : null;
  return { ...row, dietTypeIds: items, attachments, decidedByName };
}

/** F5: who may open a request's attachments: supervisors and above, and the operator handling it. */
export function mayOpenAttachments(user: SessionUser, handledBy: number | null): boolean {
  return roleAllows(user.role, 'supervisore') || (handledBy !== null && handledBy === user.id);
}

/** Opens one attachment (an audited read: see procedures.ts). Refused to anyone else (F5). */
export function openAttachment(db: AppDb, attachmentId: number, user: SessionUser) {
  const row = db
    .select({
      id: dietAttachments.id,
      requestId: dietAttachments.requestId,
      fileName: dietAttachments.fileName,
      mimeType: dietAttachments.mimeType,
      sha256: dietAttachments.sha256,
      content: dietAttachments.content,
      purgedAt: dietAttachments.purgedAt,
      handledBy: dietRequests.handledBy,
      pupilId: dietRequests.pupilId,
    })
    .from(dietAttachments)
    .innerJoin(dietRequests, eq(dietRequests.id, dietAttachments.requestId))
    .where(eq(dietAttachments.id, attachmentId))
    .get();
  if (!row) throw notFound('Allegato');
  if (!mayOpenAttachments(user, row.handledBy)) {
    throw forbidden("Il certificato è un dato sanitario: lo aprono solo i supervisori e l'operatore che gestisce la richiesta");
  }
  if (!row.content) throw conflict(`Il contenuto dell'allegato è stato eliminato il ${romeDateOf(row.purgedAt!).split('-').reverse().join('/')} alla scadenza della conservazione`);
  return {
    id: row.id,
    requestId: row.requestId,
    pupilId: row.pupilId,
    fileName: row.fileName,
    mimeType: row.mimeType,
    sha256: row.sha256,
    contentBase64: row.content.toString('base64'),
  };
}

/** The school and class of a pupil in a school year (enrollment, else the pupil's record). */
export function placeOf(db: AppDb, pupilId: number, schoolYearId: number) {
  return db
    .select({ schoolName: schools.name, className: classes.name })
    .from(enrollments)
    .innerJoin(schools, eq(schools.id, enrollments.schoolId))
    .leftJoin(classes, eq(classes.id, enrollments.classId))
    .where(and(eq(enrollments.pupilId, pupilId), eq(enrollments.schoolYearId, schoolYearId)))
    .get();
}
