/**
 * Special diets (DI1–DI6, F5): the catalogue of diet types, the families' requests per pupil and
 * school year, and their attachments (medical certificates, self-declarations).
 *
 * - A request belongs to one pupil and one school year (DI1): nothing carries over.
 * - Its source is the enrollment, the portal or an e-mail to the office (DI5); paper handed to a
 *   school is not a source (DI4), so there is no such value.
 * - Attachments are kept INSIDE the database (a BLOB), so backups, restore and the office server
 *   carry them; each is stored once with its SHA-256, never overwritten and never deleted: the
 *   retention purge only empties the content and records who purged it and when (F5).
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, blob, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/sqlite-core';
import { bool, c, cleanTexts, intBetween, isoDate, isoMoment, oneOf } from './checks';
import { schoolYears } from './master-data';
import { pupils } from './people';
import { users } from './users';

export const DIET_CATEGORIES = ['medica', 'etico_religiosa'] as const;
export const DIET_KINDS = ['allergene', 'intolleranza', 'metabolica', 'etica', 'altro'] as const;
/** DI5: enrollment, family portal, e-mail to the fees office. DI4: no "paper at school". */
export const DIET_SOURCES = ['iscrizione', 'portale', 'email'] as const;
export const DIET_STATUSES = ['in_attesa', 'approvata', 'respinta', 'revocata', 'sostituita'] as const;
export const DIET_ATTACHMENT_KINDS = ['certificato_medico', 'autodichiarazione'] as const;
export const DIET_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
/** The largest attachment: 5 MiB. */
export const DIET_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** Tipi di dieta: medical (allergens, intolerances, metabolic diseases, other) and ethical-religious. */
export const dietTypes = sqliteTable(
  'diet_types',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    category: text('category', { enum: DIET_CATEGORIES }).notNull(),
    kind: text('kind', { enum: DIET_KINDS }).notNull(),
    /** the request must say what, in its details ("Altro (testo libero)") */
    freeText: integer('free_text', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('diet_types_code_uq').on(t.code),
    uniqueIndex('diet_types_name_uq').on(t.name),
    check('diet_types_name_vuoto', sql`length(trim(${c(t.name)})) > 0`),
    check('diet_types_code_forma', sql`${c(t.code)} GLOB '[a-z]*' AND ${c(t.code)} NOT GLOB '*[^a-z0-9_]*' AND length(${c(t.code)}) <= 40`),
    check('diet_types_categoria_tipo', sql`(${c(t.category)} = 'medica' AND ${c(t.kind)} <> 'etica') OR (${c(t.category)} = 'etico_religiosa' AND ${c(t.kind)} IN ('etica', 'altro'))`),
    oneOf('diet_types', t.category, DIET_CATEGORIES),
    oneOf('diet_types', t.kind, DIET_KINDS),
    bool('diet_types', t.freeText),
    bool('diet_types', t.active),
    intBetween('diet_types', t.sortOrder, 0, 10_000),
    isoMoment('diet_types', t.createdAt),
    isoMoment('diet_types', t.updatedAt),
    ...cleanTexts('diet_types', t),
  ],
);

/** Richiesta di dieta speciale: one pupil, one school year (DI1). Never deleted (health data, F5). */
export const dietRequests = sqliteTable(
  'diet_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    schoolYearId: integer('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    category: text('category', { enum: DIET_CATEGORIES }).notNull(),
    source: text('source', { enum: DIET_SOURCES }).notNull(),
    receivedOn: text('received_on').notNull(),
    /** what the family asks, in words (required for a free-text type) */
    details: text('details').notNull().default(''),
    /** the certificate's end date, when earlier than the school year's end */
    validUntil: text('valid_until'),
    status: text('status', { enum: DIET_STATUSES }).notNull(),
    /** the operator handling the request (may open its certificates) */
    handledBy: integer('handled_by').references(() => users.id),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
    decidedAt: text('decided_at'),
    decidedBy: integer('decided_by').references(() => users.id),
    /** Rome date of the approval: the kitchen marks the diet as new for its first service days */
    approvedOn: text('approved_on'),
    /** rejection or revocation reason */
    reason: text('reason'),
  },
  (t) => [
    index('diet_requests_year_status_idx').on(t.schoolYearId, t.status),
    index('diet_requests_pupil_idx').on(t.pupilId, t.schoolYearId),
    oneOf('diet_requests', t.category, DIET_CATEGORIES),
    oneOf('diet_requests', t.source, DIET_SOURCES),
    oneOf('diet_requests', t.status, DIET_STATUSES),
    isoDate('diet_requests', t.receivedOn),
    isoDate('diet_requests', t.validUntil),
    isoDate('diet_requests', t.approvedOn),
    isoMoment('diet_requests', t.createdAt),
    isoMoment('diet_requests', t.decidedAt),
    check('diet_requests_decisione', sql`(${c(t.status)} = 'in_attesa') = (${c(t.decidedAt)} IS NULL)`),
    check('diet_requests_motivo', sql`${c(t.status)} NOT IN ('respinta', 'revocata') OR length(trim(${c(t.reason)})) > 0`),
    check('diet_requests_approvazione', sql`(${c(t.approvedOn)} IS NULL) = (${c(t.status)} IN ('in_attesa', 'respinta'))`),
    ...cleanTexts('diet_requests', t, { multiline: ['details', 'reason'] }),
  ],
);

/** The diet types a request asks for (all of the request's category). */
export const dietRequestItems = sqliteTable(
  'diet_request_items',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => dietRequests.id),
    dietTypeId: integer('diet_type_id')
      .notNull()
      .references(() => dietTypes.id),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.dietTypeId] }), index('diet_request_items_type_idx').on(t.dietTypeId)],
);

/**
 * Allegati: the certificate (or self-declaration) as the app stored it, with its SHA-256. The
 * content never changes; the retention purge empties it (content NULL) and records who and when.
 */
export const dietAttachments = sqliteTable(
  'diet_attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => dietRequests.id),
    kind: text('kind', { enum: DIET_ATTACHMENT_KINDS }).notNull(),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type', { enum: DIET_MIME_TYPES }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: blob('content', { mode: 'buffer' }),
    uploadedAt: text('uploaded_at').notNull(),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    purgedAt: text('purged_at'),
    purgedBy: integer('purged_by').references(() => users.id),
  },
  (t) => [
    index('diet_attachments_request_idx').on(t.requestId),
    oneOf('diet_attachments', t.kind, DIET_ATTACHMENT_KINDS),
    oneOf('diet_attachments', t.mimeType, DIET_MIME_TYPES),
    intBetween('diet_attachments', t.sizeBytes, 1, DIET_MAX_ATTACHMENT_BYTES),
    check('diet_attachments_sha256_forma', sql`length(${c(t.sha256)}) = 64 AND ${c(t.sha256)} NOT GLOB '*[^0-9a-f]*'`),
    check('diet_attachments_file_name_vuoto', sql`length(trim(${c(t.fileName)})) > 0`),
    check('diet_attachments_contenuto', sql`(${c(t.content)} IS NULL) = (${c(t.purgedAt)} IS NOT NULL) AND (${c(t.content)} IS NULL OR (typeof(${c(t.content)}) = 'blob' AND length(${c(t.content)}) = ${c(t.sizeBytes)}))`),
    isoMoment('diet_attachments', t.uploadedAt),
    isoMoment('diet_attachments', t.purgedAt),
    ...cleanTexts('diet_attachments', t),
  ],
);
