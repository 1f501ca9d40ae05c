/**
 * Insolvencies, first part (issue 11; rules D1, D2, D3, F5 in ../shared/DOMAIN.md).
 *
 * What is owed is NEVER stored here: debt positions are computed from the ledger's entries every
 * time (electron/debts/positions.ts). These tables hold only what the office decides and does:
 *
 * - `debt_settings`: per municipality, what its regulation allows (suspension of the service,
 *   refusal of next year's enrollment for families with debts).
 * - `debt_ladder_steps`: the municipality's procedure, step by step (threshold in euros and/or in
 *   meals beyond credit, minimum days since the previous step, channel, letter text, days given to
 *   pay). Edited by a supervisor; a municipality without steps gets the defaults on first use.
 * - `debt_steps`: the history of each family (payer, municipality): the step reached, when, who, the
 *   letter sent (the PDF itself, a BLOB with its SHA-256) and, recorded later and only once, the
 *   delivery evidence (receipt number, delivery date, scanned receipt or PEC receipt file + SHA-256).
 *   Append-only: triggers refuse DELETE and any UPDATE but the one-time delivery record.
 * - `debt_plans` / `debt_plan_instalments`: instalment plans agreed with a family; whether a plan
 *   is respected is computed from the ledger (money received since its start).
 * - `debt_exemptions`: families followed by social services (supervisor, reason, reference).
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, blob, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/sqlite-core';
import { bool, c, cents, cleanTexts, intBetween, isoDate, isoMoment, oneOf, MAX_AMOUNT_CENTS } from './checks';
import { municipalities } from './master-data';
import { payers } from './people';
import { users } from './users';

/** e-mail / SMS through the portal, ordinary letter, registered letter with return receipt, PEC. */
export const DEBT_CHANNELS = ['email_sms', 'lettera', 'raccomandata_ar', 'pec'] as const;
export type DebtChannel = (typeof DEBT_CHANNELS)[number];
/** Channels whose delivery leaves evidence (the return receipt, the PEC delivery receipt). */
export const DEBT_RECEIPT_CHANNELS = ['raccomandata_ar', 'pec'] as const satisfies readonly DebtChannel[];
export const DEBT_EVIDENCE_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'message/rfc822', 'application/xml'] as const;
/** The largest stored letter or evidence file: 5 MiB. */
export const DEBT_MAX_FILE_BYTES = 5 * 1024 * 1024;

const sha256Form = (col: Parameters<typeof c>[0]) => sql`length(${c(col)}) = 64 AND ${c(col)} NOT GLOB '*[^0-9a-f]*'`;

/** What a municipality's regulation allows against families with debts (D2). One row per municipality. */
export const debtSettings = sqliteTable(
  'debt_settings',
  {
    municipalityId: integer('municipality_id')
      .primaryKey()
      .references(() => municipalities.id),
    /** the regulation allows suspending the service during the school year, after a delivered notice */
    suspensionAllowed: integer('suspension_allowed', { mode: 'boolean' }).notNull().default(false),
    /** the regulation allows refusing next year's enrollment to families with debts */
    enrollmentRefusalAllowed: integer('enrollment_refusal_allowed', { mode: 'boolean' }).notNull().default(false),
    updatedAt: text('updated_at').notNull(),
    updatedBy: integer('updated_by').references(() => users.id),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [bool('debt_settings', t.suspensionAllowed), bool('debt_settings', t.enrollmentRefusalAllowed), isoMoment('debt_settings', t.updatedAt), ...cleanTexts('debt_settings', t)],
);

/** Un gradino della procedura di recupero di un comune. */
export const debtLadderSteps = sqliteTable(
  'debt_ladder_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    /** 1, 2, 3…: the order of the steps */
    position: integer('position').notNull(),
    name: text('name').notNull(),
    /** reached when the family owes at least this much (null: no euro threshold) */
    thresholdCents: integer('threshold_cents'),
    /** reached when the family owes at least this many meals beyond its credit (null: no meal threshold) */
    thresholdMeals: integer('threshold_meals'),
    /** days that must have passed since the previous step (the first step: since the oldest unpaid amount) */
    minDaysSincePrevious: integer('min_days_since_previous').notNull(),
    channel: text('channel', { enum: DEBT_CHANNELS }).notNull(),
    /** the letter's text, Italian, with placeholders {pagante} {importo} {scadenza} {giorni} {comune} {gestore} {data} */
    template: text('template').notNull(),
    /** days the family is given to pay */
    daysToPay: integer('days_to_pay').notNull(),
    updatedAt: text('updated_at').notNull(),
    updatedBy: integer('updated_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('debt_ladder_steps_position_uq').on(t.municipalityId, t.position),
    intBetween('debt_ladder_steps', t.position, 1, 20),
    check('debt_ladder_steps_nome', sql`length(trim(${c(t.name)})) BETWEEN 1 AND 120`),
    check('debt_ladder_steps_soglia', sql`${c(t.thresholdCents)} IS NOT NULL OR ${c(t.thresholdMeals)} IS NOT NULL`),
    cents('debt_ladder_steps', t.thresholdCents, 1, MAX_AMOUNT_CENTS),
    intBetween('debt_ladder_steps', t.thresholdMeals, 1, 1000),
    intBetween('debt_ladder_steps', t.minDaysSincePrevious, 0, 365),
    intBetween('debt_ladder_steps', t.daysToPay, 1, 180),
    oneOf('debt_ladder_steps', t.channel, DEBT_CHANNELS),
    check('debt_ladder_steps_testo', sql`length(trim(${c(t.template)})) BETWEEN 10 AND 10000`),
    isoMoment('debt_ladder_steps', t.updatedAt),
    ...cleanTexts('debt_ladder_steps', t, { multiline: ['template'] }),
  ],
);

/**
 * Storia della procedura di una famiglia: one row per step reached. The step's name, channel and
 * days are copied (the ladder may change later; the letter sent does not). The letter is kept as
 * the PDF that was produced; the delivery evidence is added once, later, and never changed.
 */
export const debtSteps = sqliteTable(
  'debt_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    stepPosition: integer('step_position').notNull(),
    stepName: text('step_name').notNull(),
    channel: text('channel', { enum: DEBT_CHANNELS }).notNull(),
    daysToPay: integer('days_to_pay').notNull(),
    /** what the family owed on that day (the letter's amount) */
    amountCents: integer('amount_cents').notNull(),
    /** Rome date the step was taken */
    reachedOn: text('reached_on').notNull(),
    /** the date by which the family is asked to pay (the letter's deadline) */
    payBy: text('pay_by').notNull(),
    note: text('note').notNull().default(''),
    recordedAt: text('recorded_at').notNull(),
    recordedBy: integer('recorded_by').references(() => users.id),
    // --- the letter sent ---
    documentFileName: text('document_file_name').notNull(),
    documentSha256: text('document_sha256').notNull(),
    documentSizeBytes: integer('document_size_bytes').notNull(),
    document: blob('document', { mode: 'buffer' }).notNull(),
    // --- delivery evidence, recorded once ---
    receiptNumber: text('receipt_number'),
    deliveredOn: text('delivered_on'),
    evidenceFileName: text('evidence_file_name'),
    evidenceMimeType: text('evidence_mime_type', { enum: DEBT_EVIDENCE_MIME_TYPES }),
    evidenceSha256: text('evidence_sha256'),
    evidenceSizeBytes: integer('evidence_size_bytes'),
    evidence: blob('evidence', { mode: 'buffer' }),
    deliveryRecordedAt: text('delivery_recorded_at'),
    deliveryRecordedBy: integer('delivery_recorded_by').references(() => users.id),
  },
  (t) => [
    index('debt_steps_family_idx').on(t.payerId, t.municipalityId, t.reachedOn),
    index('debt_steps_municipality_idx').on(t.municipalityId, t.reachedOn),
    intBetween('debt_steps', t.stepPosition, 1, 20),
    check('debt_steps_nome', sql`length(trim(${c(t.stepName)})) BETWEEN 1 AND 120`),
    oneOf('debt_steps', t.channel, DEBT_CHANNELS),
    intBetween('debt_steps', t.daysToPay, 1, 180),
    cents('debt_steps', t.amountCents, 1, MAX_AMOUNT_CENTS),
    isoDate('debt_steps', t.reachedOn),
    isoDate('debt_steps', t.payBy),
    check('debt_steps_scadenza', sql`${c(t.payBy)} > ${c(t.reachedOn)}`),
    isoMoment('debt_steps', t.recordedAt),
    check('debt_steps_documento', sql`${sha256Form(t.documentSha256)} AND typeof(${c(t.document)}) = 'blob' AND length(${c(t.document)}) = ${c(t.documentSizeBytes)}`),
    intBetween('debt_steps', t.documentSizeBytes, 1, DEBT_MAX_FILE_BYTES),
    check(
      'debt_steps_consegna',
      sql`(${c(t.deliveredOn)} IS NULL) = (${c(t.deliveryRecordedAt)} IS NULL)
          AND (${c(t.deliveredOn)} IS NOT NULL OR (${c(t.receiptNumber)} IS NULL AND ${c(t.evidence)} IS NULL))
          AND (${c(t.deliveredOn)} IS NULL OR ${c(t.deliveredOn)} >= ${c(t.reachedOn)})
          AND (${c(t.receiptNumber)} IS NULL OR length(trim(${c(t.receiptNumber)})) BETWEEN 1 AND 80)`,
    ),
    check(
      'debt_steps_prova',
      sql`(${c(t.evidence)} IS NULL) = (${c(t.evidenceSha256)} IS NULL)
          AND (${c(t.evidence)} IS NULL) = (${c(t.evidenceFileName)} IS NULL)
          AND (${c(t.evidence)} IS NULL) = (${c(t.evidenceMimeType)} IS NULL)
          AND (${c(t.evidence)} IS NULL) = (${c(t.evidenceSizeBytes)} IS NULL)
          AND (${c(t.evidence)} IS NULL OR (typeof(${c(t.evidence)}) = 'blob' AND length(${c(t.evidence)}) = ${c(t.evidenceSizeBytes)} AND ${sha256Form(t.evidenceSha256)}))`,
    ),
    oneOf('debt_steps', t.evidenceMimeType, DEBT_EVIDENCE_MIME_TYPES),
    intBetween('debt_steps', t.evidenceSizeBytes, 1, DEBT_MAX_FILE_BYTES),
    isoDate('debt_steps', t.deliveredOn),
    isoMoment('debt_steps', t.deliveryRecordedAt),
    ...cleanTexts('debt_steps', t, { multiline: ['note'] }),
  ],
);

/** Piano di rientro: instalments agreed with a family. Cancelled, never deleted. */
export const debtPlans = sqliteTable(
  'debt_plans',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    /** money received from this date on counts towards the instalments */
    startsOn: text('starts_on').notNull(),
    note: text('note').notNull().default(''),
    createdAt: text('created_at').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    cancelledAt: text('cancelled_at'),
    cancelledBy: integer('cancelled_by').references(() => users.id),
    cancelReason: text('cancel_reason'),
  },
  (t) => [
    index('debt_plans_family_idx').on(t.payerId, t.municipalityId),
    uniqueIndex('debt_plans_open_uq').on(t.payerId, t.municipalityId).where(sql`${t.cancelledAt} IS NULL`),
    isoDate('debt_plans', t.startsOn),
    isoMoment('debt_plans', t.createdAt),
    isoMoment('debt_plans', t.cancelledAt),
    check('debt_plans_annullamento', sql`(${c(t.cancelledAt)} IS NULL) = (${c(t.cancelReason)} IS NULL) AND (${c(t.cancelReason)} IS NULL OR length(trim(${c(t.cancelReason)})) >= 3)`),
    ...cleanTexts('debt_plans', t, { multiline: ['note', 'cancel_reason'] }),
  ],
);

export const debtPlanInstalments = sqliteTable(
  'debt_plan_instalments',
  {
    planId: integer('plan_id')
      .notNull()
      .references(() => debtPlans.id),
    seq: integer('seq').notNull(),
    dueOn: text('due_on').notNull(),
    amountCents: integer('amount_cents').notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.seq] }), intBetween('debt_plan_instalments', t.seq, 1, 120), isoDate('debt_plan_instalments', t.dueOn), cents('debt_plan_instalments', t.amountCents, 1, MAX_AMOUNT_CENTS)],
);

/** Esenzione: a family followed by social services (supervisor, reason, reference); it stops suspension. */
export const debtExemptions = sqliteTable(
  'debt_exemptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    reason: text('reason').notNull(),
    /** the social services' reference (protocol number, case worker) */
    reference: text('reference').notNull(),
    startsOn: text('starts_on').notNull(),
    grantedAt: text('granted_at').notNull(),
    grantedBy: integer('granted_by').references(() => users.id),
    endedOn: text('ended_on'),
    endedAt: text('ended_at'),
    endedBy: integer('ended_by').references(() => users.id),
    endReason: text('end_reason'),
  },
  (t) => [
    uniqueIndex('debt_exemptions_open_uq').on(t.payerId).where(sql`${t.endedOn} IS NULL`),
    check('debt_exemptions_motivo', sql`length(trim(${c(t.reason)})) >= 3 AND length(trim(${c(t.reference)})) >= 1`),
    check(
      'debt_exemptions_fine',
      sql`(${c(t.endedOn)} IS NULL) = (${c(t.endedAt)} IS NULL) AND (${c(t.endedOn)} IS NULL) = (${c(t.endReason)} IS NULL) AND (${c(t.endedOn)} IS NULL OR ${c(t.endedOn)} >= ${c(t.startsOn)})`,
    ),
    isoDate('debt_exemptions', t.startsOn),
    isoDate('debt_exemptions', t.endedOn),
    isoMoment('debt_exemptions', t.grantedAt),
    isoMoment('debt_exemptions', t.endedAt),
    ...cleanTexts('debt_exemptions', t, { multiline: ['reason', 'end_reason'] }),
  ],
);
