/**
 * SEPA Direct Debit (issue 9; rules P4-P6, P8 in ../shared/DOMAIN.md; facts in ../shared/PAYMENTS.md §1-2).
 *
 * - `sdd_creditor`: the creditor's bank settings (one row). Name and address are the caterer's own
 *   record (settings key 'caterer'), kept in one place.
 * - `sdd_mandates`: a payer's mandate (UMR, debtor IBAN, account holder, signature date). At most one
 *   active mandate per payer; it covers every sibling the payer pays for. A changed IBAN or holder
 *   name is an amendment (`sdd_mandate_amendments`, with the original value the next collection
 *   must carry); a different account holder is a new mandate.
 * - `sdd_batches` / `sdd_debits`: the monthly batch (P4). A draft can be prepared again; approval
 *   locks it: its debits can no longer change (triggers) and each included pupil-month is written
 *   to `sdd_billed_months`, whose primary key makes a second debit for the same pupil, service and
 *   month impossible (the double-billing guard lives in the database).
 * - `sdd_findings`: the billing checks of a draft, each acknowledged with who and why before approval.
 * - `sdd_returns`: R-transactions from the bank, matched by EndToEndId, one per debit (importing the
 *   same file twice changes nothing).
 * - `sdd_pagopa_exceptions`: P6, a payer allowed to pay by pagoPA notice instead of SDD.
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/sqlite-core';
import { bool, c, cents, cleanTexts, intBetween, isoDate, isoMoment, oneOf } from './checks';
import { payers, pupils } from './people';
import { schoolYears } from './master-data';
import { services } from './ledger';
import { users } from './users';

/** SEPA sequence-type policy: RCUR from the first debit (allowed since 2016), or FRST for a mandate's first collection. */
export const SDD_SEQUENCE_POLICIES = ['rcur', 'frst_poi_rcur'] as const;
export const SDD_SEQUENCE_TYPES = ['FRST', 'RCUR', 'OOFF', 'FNAL'] as const;
export const SDD_MANDATE_STATUSES = ['attivo', 'revocato'] as const;
export const SDD_AMENDMENT_KINDS = ['iban', 'intestatario'] as const;
export const SDD_BATCH_STATUSES = ['bozza', 'approvato', 'esportato', 'incassato', 'annullato'] as const;
export const SDD_RETURN_TYPES = ['rifiuto', 'storno', 'rimborso'] as const;
/** What the office does after a return: chase the debt, or fix the mandate before anything else. */
export const SDD_FOLLOW_UPS = ['da_incassare', 'correggere_mandato', 'correggere_dati'] as const;

const ibanForm = (col: Parameters<typeof c>[0]) =>
  sql`length(${c(col)}) BETWEEN 15 AND 34 AND ${c(col)} GLOB '[A-Z][A-Z][0-9][0-9]*' AND ${c(col)} NOT GLOB '*[^A-Z0-9]*'`;
/** EPC basic Latin set for identifiers that travel to the bank (UMR, EndToEndId, MsgId): no spaces, no '//' nor leading/trailing '/'. */
const sepaId = (col: Parameters<typeof c>[0]) =>
  sql`length(${c(col)}) BETWEEN 1 AND 35 AND ${c(col)} NOT GLOB '*[^A-Za-z0-9/?:().,''+-]*' AND ${c(col)} NOT GLOB '/*' AND ${c(col)} NOT GLOB '*/' AND instr(${c(col)}, '//') = 0`;
const MONTH = sql.raw(`'[0-9][0-9][0-9][0-9]-[0-1][0-9]'`);

/** The creditor's bank settings (one row, id = 1). */
export const sddCreditor = sqliteTable(
  'sdd_creditor',
  {
    id: integer('id').primaryKey(),
    /** SEPA Creditor Identifier (IT + check digits + business code + national id), 23 characters for Italy */
    creditorId: text('creditor_id').notNull(),
    /** the account the collections are credited to */
    creditorIban: text('creditor_iban').notNull(),
    /** ABI of the creditor's bank (IBAN positions 6-10): CdtrAgt in the CBI file */
    abi: text('abi').notNull(),
    /** BIC of the creditor's bank, optional */
    bic: text('bic').notNull().default(''),
    /** CBI company code (CUC), 8 characters, from the bank contract: InitgPty in the CBI file */
    cuc: text('cuc').notNull(),
    sequencePolicy: text('sequence_policy', { enum: SDD_SEQUENCE_POLICIES }).notNull().default('rcur'),
    /** P4: the bank commission charged per pupil per debit */
    commissionCents: integer('commission_cents').notNull().default(100),
    /** P8: calendar days between the pre-notification (approval) and the due date; 14 unless agreed shorter */
    prenotificationDays: integer('prenotification_days').notNull().default(14),
    /** BtchBookg: one cumulative credit per payment block */
    batchBooking: integer('batch_booking', { mode: 'boolean' }).notNull().default(true),
    updatedAt: text('updated_at').notNull(),
    updatedBy: integer('updated_by').references(() => users.id),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('sdd_creditor_una_riga', sql`${c(t.id)} = 1`),
    check('sdd_creditor_ci_forma', sql`length(${c(t.creditorId)}) BETWEEN 8 AND 35 AND ${c(t.creditorId)} GLOB '[A-Z][A-Z][0-9][0-9]*' AND ${c(t.creditorId)} NOT GLOB '*[^A-Z0-9]*'`),
    check('sdd_creditor_iban_forma', ibanForm(t.creditorIban)),
    check('sdd_creditor_abi', sql`length(${c(t.abi)}) = 5 AND ${c(t.abi)} NOT GLOB '*[^0-9]*'`),
    check('sdd_creditor_cuc', sql`length(${c(t.cuc)}) = 8 AND ${c(t.cuc)} NOT GLOB '*[^A-Z0-9]*'`),
    oneOf('sdd_creditor', t.sequencePolicy, SDD_SEQUENCE_POLICIES),
    cents('sdd_creditor', t.commissionCents, 0, 10_000),
    intBetween('sdd_creditor', t.prenotificationDays, 1, 60),
    bool('sdd_creditor', t.batchBooking),
    isoMoment('sdd_creditor', t.updatedAt),
    ...cleanTexts('sdd_creditor', t),
  ],
);

/** Mandato SDD of a payer (P5). */
export const sddMandates = sqliteTable(
  'sdd_mandates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    /** Unique Mandate Reference (MndtId) */
    umr: text('umr').notNull(),
    iban: text('iban').notNull(),
    /** BIC of the debtor bank: needed outside the EEA (SM, CH, MC…) */
    bic: text('bic').notNull().default(''),
    holderName: text('holder_name').notNull(),
    holderTaxCode: text('holder_tax_code').notNull(),
    signedOn: text('signed_on').notNull(),
    status: text('status', { enum: SDD_MANDATE_STATUSES }).notNull(),
    revokedOn: text('revoked_on'),
    revokeReason: text('revoke_reason'),
    /** set by a return that says the mandate or account is wrong (AC01, AC04, MD01, MD07…): no collection until amended */
    blockedReason: text('blocked_reason'),
    blockedAt: text('blocked_at'),
    /** Rome date of the last collection presented under this mandate (36-month lapse; FRST policy) */
    lastCollectionOn: text('last_collection_on'),
    notes: text('notes').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('sdd_mandates_umr_uq').on(t.umr),
    uniqueIndex('sdd_mandates_payer_active_uq').on(t.payerId).where(sql`${t.status} = 'attivo'`),
    check('sdd_mandates_umr_forma', sepaId(t.umr)),
    check('sdd_mandates_iban_forma', ibanForm(t.iban)),
    check('sdd_mandates_bic_forma', sql`${c(t.bic)} = '' OR (length(${c(t.bic)}) IN (8, 11) AND ${c(t.bic)} NOT GLOB '*[^A-Z0-9]*')`),
    check('sdd_mandates_titolare', sql`length(trim(${c(t.holderName)})) BETWEEN 1 AND 70 AND length(${c(t.holderTaxCode)}) IN (11, 16)`),
    oneOf('sdd_mandates', t.status, SDD_MANDATE_STATUSES),
    check('sdd_mandates_revoca', sql`(${c(t.status)} = 'revocato') = (${c(t.revokedOn)} IS NOT NULL)`),
    check('sdd_mandates_blocco', sql`(${c(t.blockedReason)} IS NULL) = (${c(t.blockedAt)} IS NULL)`),
    isoDate('sdd_mandates', t.signedOn),
    isoDate('sdd_mandates', t.revokedOn),
    isoDate('sdd_mandates', t.lastCollectionOn),
    isoMoment('sdd_mandates', t.blockedAt),
    isoMoment('sdd_mandates', t.createdAt),
    isoMoment('sdd_mandates', t.updatedAt),
    ...cleanTexts('sdd_mandates', t, { multiline: ['notes', 'revoke_reason', 'blocked_reason'] }),
  ],
);

/**
 * Modifica del mandato: the original value the next collection must report (AmdmntInfDtls).
 * `reported_debit_id` is set when a collection carried it; until then every new debit carries it.
 */
export const sddMandateAmendments = sqliteTable(
  'sdd_mandate_amendments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    mandateId: integer('mandate_id')
      .notNull()
      .references(() => sddMandates.id),
    kind: text('kind', { enum: SDD_AMENDMENT_KINDS }).notNull(),
    originalIban: text('original_iban'),
    newIban: text('new_iban'),
    /** the new account is at the same bank (OrgnlDbtrAcct = old IBAN) or another/unknown (OrgnlDbtrAgt = SMNDA) */
    sameBank: integer('same_bank', { mode: 'boolean' }),
    originalHolderName: text('original_holder_name'),
    newHolderName: text('new_holder_name'),
    effectiveOn: text('effective_on').notNull(),
    reason: text('reason').notNull().default(''),
    reportedDebitId: integer('reported_debit_id'),
    createdAt: text('created_at').notNull(),
    createdBy: integer('created_by').references(() => users.id),
  },
  (t) => [
    index('sdd_mandate_amendments_mandate_idx').on(t.mandateId),
    oneOf('sdd_mandate_amendments', t.kind, SDD_AMENDMENT_KINDS),
    check(
      'sdd_mandate_amendments_valori',
      sql`(${c(t.kind)} <> 'iban' OR (${c(t.originalIban)} IS NOT NULL AND ${c(t.newIban)} IS NOT NULL AND ${c(t.originalIban)} <> ${c(t.newIban)} AND ${c(t.sameBank)} IN (0, 1)))
          AND (${c(t.kind)} <> 'intestatario' OR (${c(t.originalHolderName)} IS NOT NULL AND ${c(t.newHolderName)} IS NOT NULL))`,
    ),
    isoDate('sdd_mandate_amendments', t.effectiveOn),
    isoMoment('sdd_mandate_amendments', t.createdAt),
    ...cleanTexts('sdd_mandate_amendments', t, { multiline: ['reason'] }),
  ],
);

/** Distinta SDD: the debits of one month of meals for one service (P4). */
export const sddBatches = sqliteTable(
  'sdd_batches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    service: text('service')
      .notNull()
      .references(() => services.code),
    /** the month of the meals, 'YYYY-MM' */
    month: text('month').notNull(),
    schoolYearId: integer('school_year_id').references(() => schoolYears.id),
    /** ReqdColltnDt: a TARGET day, by default the last of the month after */
    dueDate: text('due_date').notNull(),
    status: text('status', { enum: SDD_BATCH_STATUSES }).notNull(),
    /** GrpHdr/MsgId, fixed at approval: every export of the batch carries the same one */
    msgId: text('msg_id'),
    debitCount: integer('debit_count').notNull().default(0),
    totalCents: integer('total_cents').notNull().default(0),
    excludedCount: integer('excluded_count').notNull().default(0),
    preparedAt: text('prepared_at').notNull(),
    preparedBy: integer('prepared_by').references(() => users.id),
    approvedAt: text('approved_at'),
    approvedBy: integer('approved_by').references(() => users.id),
    /** P8: the Rome date the families were pre-notified (the approval date) */
    prenotifiedOn: text('prenotified_on'),
    firstExportedAt: text('first_exported_at'),
    collectedAt: text('collected_at'),
    collectedBy: integer('collected_by').references(() => users.id),
    cancelledAt: text('cancelled_at'),
    cancelReason: text('cancel_reason'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('sdd_batches_msg_id_uq').on(t.msgId).where(sql`${t.msgId} IS NOT NULL`),
    /** one draft per service and month */
    uniqueIndex('sdd_batches_draft_uq').on(t.service, t.month).where(sql`${t.status} = 'bozza'`),
    index('sdd_batches_month_idx').on(t.month, t.service),
    check('sdd_batches_month_forma', sql`${c(t.month)} GLOB ${MONTH} AND date(${c(t.month)} || '-01') IS (${c(t.month)} || '-01')`),
    oneOf('sdd_batches', t.status, SDD_BATCH_STATUSES),
    check('sdd_batches_msg_id_forma', sql`${c(t.msgId)} IS NULL OR (${sepaId(t.msgId)})`),
    check('sdd_batches_approvazione', sql`${c(t.status)} IN ('bozza') OR (${c(t.approvedAt)} IS NOT NULL AND ${c(t.msgId)} IS NOT NULL AND ${c(t.prenotifiedOn)} IS NOT NULL)`),
    check('sdd_batches_annullamento', sql`(${c(t.status)} = 'annullato') = (${c(t.cancelledAt)} IS NOT NULL)`),
    check('sdd_batches_scadenza_dopo_mese', sql`${c(t.dueDate)} > ${c(t.month)} || '-31'`),
    intBetween('sdd_batches', t.debitCount, 0, 1_000_000),
    intBetween('sdd_batches', t.excludedCount, 0, 1_000_000),
    cents('sdd_batches', t.totalCents, 0, 100_000_000_000),
    isoDate('sdd_batches', t.dueDate),
    isoDate('sdd_batches', t.prenotifiedOn),
    isoMoment('sdd_batches', t.preparedAt),
    isoMoment('sdd_batches', t.approvedAt),
    isoMoment('sdd_batches', t.firstExportedAt),
    isoMoment('sdd_batches', t.collectedAt),
    isoMoment('sdd_batches', t.cancelledAt),
    isoMoment('sdd_batches', t.createdAt),
    ...cleanTexts('sdd_batches', t, { multiline: ['cancel_reason'] }),
  ],
);

/**
 * Addebito: one pupil's debit in a batch (meals of the month at their charged price + the
 * commission), or a pupil excluded from it with the reason. Mandate data are copied at preparation
 * (what the file says is what the family was pre-notified of).
 */
export const sddDebits = sqliteTable(
  'sdd_debits',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    batchId: integer('batch_id')
      .notNull()
      .references(() => sddBatches.id),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    mandateId: integer('mandate_id').references(() => sddMandates.id),
    /** copies of the mandate as it was when the batch was prepared */
    umr: text('umr'),
    iban: text('iban'),
    bic: text('bic').notNull().default(''),
    holderName: text('holder_name'),
    mandateSignedOn: text('mandate_signed_on'),
    sequenceType: text('sequence_type', { enum: SDD_SEQUENCE_TYPES }),
    /** amendment the collection reports (JSON: original IBAN / SMNDA / original holder), null when none */
    amendment: text('amendment'),
    mealCount: integer('meal_count').notNull(),
    mealsCents: integer('meals_cents').notNull(),
    commissionCents: integer('commission_cents').notNull(),
    amountCents: integer('amount_cents').notNull(),
    included: integer('included', { mode: 'boolean' }).notNull(),
    exclusionReason: text('exclusion_reason'),
    /** EndToEndId (and InstrId): unique forever, comes back in every R-transaction */
    endToEndId: text('end_to_end_id').notNull(),
    remittance: text('remittance').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('sdd_debits_e2e_uq').on(t.endToEndId),
    uniqueIndex('sdd_debits_batch_pupil_uq').on(t.batchId, t.pupilId),
    index('sdd_debits_payer_idx').on(t.payerId, t.batchId),
    index('sdd_debits_mandate_idx').on(t.mandateId),
    check('sdd_debits_e2e_forma', sepaId(t.endToEndId)),
    check('sdd_debits_importo', sql`${c(t.amountCents)} = ${c(t.mealsCents)} + ${c(t.commissionCents)}`),
    cents('sdd_debits', t.mealsCents, -100_000_000, 100_000_000),
    cents('sdd_debits', t.commissionCents, 0, 10_000),
    intBetween('sdd_debits', t.mealCount, 0, 31 * 3),
    check(
      'sdd_debits_incluso',
      sql`(${c(t.included)} = 1) = (${c(t.exclusionReason)} IS NULL)
          AND (${c(t.included)} = 0 OR (${c(t.amountCents)} > 0 AND ${c(t.mandateId)} IS NOT NULL AND ${c(t.umr)} IS NOT NULL
               AND ${c(t.iban)} IS NOT NULL AND ${c(t.holderName)} IS NOT NULL AND ${c(t.mandateSignedOn)} IS NOT NULL AND ${c(t.sequenceType)} IS NOT NULL))`,
    ),
    check('sdd_debits_remittance', sql`length(${c(t.remittance)}) BETWEEN 1 AND 140`),
    oneOf('sdd_debits', t.sequenceType, SDD_SEQUENCE_TYPES),
    bool('sdd_debits', t.included),
    isoDate('sdd_debits', t.mandateSignedOn),
    isoMoment('sdd_debits', t.createdAt),
    ...cleanTexts('sdd_debits', t, { json: ['amendment'], multiline: ['exclusion_reason'] }),
  ],
);

/**
 * The double-billing guard: one row per pupil, service and month that an approved batch debits.
 * The primary key refuses a second; a row goes away only when its batch is cancelled (trigger).
 */
export const sddBilledMonths = sqliteTable(
  'sdd_billed_months',
  {
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    service: text('service')
      .notNull()
      .references(() => services.code),
    month: text('month').notNull(),
    debitId: integer('debit_id')
      .notNull()
      .references(() => sddDebits.id),
  },
  (t) => [primaryKey({ columns: [t.pupilId, t.service, t.month] }), uniqueIndex('sdd_billed_months_debit_uq').on(t.debitId)],
);

export const SDD_FINDING_KINDS = [
  /** a meal recorded on a day without service for the pupil's school */
  'pasto_senza_servizio',
  /** a meal after the enrollment's withdrawal */
  'pasto_dopo_ritiro',
  /** a meal while the enrollment is suspended */
  'pasto_in_sospensione',
  /** more meals than the month's service days */
  'pasti_oltre_giorni',
  /** an SDD pupil without an active mandate */
  'senza_mandato',
  /** the mandate's IBAN differs from the one of the last batch */
  'iban_cambiato',
  /** an amount far above the family's usual */
  'importo_anomalo',
] as const;

/** Controllo di fatturazione of a draft batch, acknowledged (who, when, why) before approval. */
export const sddFindings = sqliteTable(
  'sdd_findings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    batchId: integer('batch_id')
      .notNull()
      .references(() => sddBatches.id),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    kind: text('kind', { enum: SDD_FINDING_KINDS }).notNull(),
    /** what exactly (a date, the two IBANs, the amounts): also what makes an acknowledgement carry over a new preparation */
    detailKey: text('detail_key').notNull(),
    message: text('message').notNull(),
    acknowledgedAt: text('acknowledged_at'),
    acknowledgedBy: integer('acknowledged_by').references(() => users.id),
    acknowledgeReason: text('acknowledge_reason'),
  },
  (t) => [
    uniqueIndex('sdd_findings_uq').on(t.batchId, t.pupilId, t.kind, t.detailKey),
    oneOf('sdd_findings', t.kind, SDD_FINDING_KINDS),
    check(
      'sdd_findings_presa_visione',
      sql`(${c(t.acknowledgedAt)} IS NULL) = (${c(t.acknowledgedBy)} IS NULL) AND (${c(t.acknowledgedAt)} IS NULL) = (${c(t.acknowledgeReason)} IS NULL)
          AND (${c(t.acknowledgeReason)} IS NULL OR length(trim(${c(t.acknowledgeReason)})) >= 3)`,
    ),
    isoMoment('sdd_findings', t.acknowledgedAt),
    ...cleanTexts('sdd_findings', t, { multiline: ['acknowledge_reason', 'message'] }),
  ],
);

/** Insoluto / R-transaction of one debit (P6 follow-up). */
export const sddReturns = sqliteTable(
  'sdd_returns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    debitId: integer('debit_id')
      .notNull()
      .references(() => sddDebits.id),
    reasonCode: text('reason_code').notNull(),
    returnType: text('return_type', { enum: SDD_RETURN_TYPES }).notNull(),
    followUp: text('follow_up', { enum: SDD_FOLLOW_UPS }).notNull(),
    amountCents: integer('amount_cents').notNull(),
    /** the date the bank reports (or the import date) */
    returnedOn: text('returned_on').notNull(),
    /** the ledger entry that reversed the collection (null: nothing had been collected yet) */
    ledgerEntryId: integer('ledger_entry_id'),
    /** the file it came from (name + SHA-256) */
    source: text('source').notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: integer('created_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('sdd_returns_debit_uq').on(t.debitId),
    index('sdd_returns_follow_up_idx').on(t.followUp),
    check('sdd_returns_codice', sql`length(${c(t.reasonCode)}) = 4 AND ${c(t.reasonCode)} NOT GLOB '*[^A-Z0-9]*'`),
    oneOf('sdd_returns', t.returnType, SDD_RETURN_TYPES),
    oneOf('sdd_returns', t.followUp, SDD_FOLLOW_UPS),
    cents('sdd_returns', t.amountCents, 1, 100_000_000),
    isoDate('sdd_returns', t.returnedOn),
    isoMoment('sdd_returns', t.createdAt),
    ...cleanTexts('sdd_returns', t),
  ],
);

/** P6: a payer allowed to pay by pagoPA notice instead of SDD (no bank account, or returned debits). */
export const sddPagopaExceptions = sqliteTable(
  'sdd_pagopa_exceptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    ground: text('ground', { enum: ['senza_conto', 'insoluti'] }).notNull(),
    reason: text('reason').notNull(),
    grantedOn: text('granted_on').notNull(),
    grantedBy: integer('granted_by').references(() => users.id),
    endedOn: text('ended_on'),
    endedBy: integer('ended_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('sdd_pagopa_exceptions_open_uq').on(t.payerId).where(sql`${t.endedOn} IS NULL`),
    oneOf('sdd_pagopa_exceptions', t.ground, ['senza_conto', 'insoluti']),
    check('sdd_pagopa_exceptions_motivo', sql`length(trim(${c(t.reason)})) >= 3`),
    isoDate('sdd_pagopa_exceptions', t.grantedOn),
    isoDate('sdd_pagopa_exceptions', t.endedOn),
    isoMoment('sdd_pagopa_exceptions', t.createdAt),
    ...cleanTexts('sdd_pagopa_exceptions', t, { multiline: ['reason'] }),
  ],
);
