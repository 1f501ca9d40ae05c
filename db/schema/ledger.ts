/**
 * Money: services, pupils' credit accounts, the append-only ledger and the payments (receipts).
 *
 * Rules (../shared/DOMAIN.md): P1 prepaid credit (a negative balance is a debt), P2 top-ups from
 * pagoPA receipts, P3 residual credit carries over to the next school year, P7 one credit per
 * service, T1 the published gross price is what is charged. Amounts are integer cents.
 *
 * The ledger is append-only: triggers refuse UPDATE and DELETE on `ledger_entries`; a mistake is
 * corrected by a new entry (a reversal names the entry it reverses). A balance is the sum of an
 * account's entries; `ledger_accounts.balance_cents` is a cache of that sum kept by an AFTER
 * INSERT trigger (so lists can sort and filter 50,000 pupils by balance), and
 * `ledger.verifyBalances` recomputes it from the entries.
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { municipalities, schoolYears, tariffs } from './master-data';
import { payers, pupils } from './people';
import { mealCorrections, meals } from './attendance';
import { users } from './users';

/**
 * Servizi (P7): the services whose credit is kept apart (mensa, trasporto, …). Tariffs, accounts
 * and payments name a service by its code. 'mensa' and 'trasporto' are created by the migration.
 */
export const services = sqliteTable(
  'services',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
  },
  (t) => [check('services_code_ck', sql`${t.code} GLOB '[a-z]*' AND ${t.code} NOT GLOB '*[^a-z_]*' AND length(${t.code}) <= 40`)],
);

/** Kinds of ledger entries and the sign each one must have. */
export const LEDGER_KINDS = [
  /** top-up from a pagoPA receipt (P2) */
  'ricarica',
  /** manual payment: bank transfer, cash at the desk, POS, cheque */
  'pagamento',
  /** a recorded meal charged at the day's tariff (T1) */
  'addebito_pasto',
  /** reversal of a meal charge (presence corrected to absent after the close) */
  'storno_pasto',
  /** an SDD debit collected (money in, issue 9) */
  'incasso_sdd',
  /** the bank commission of an SDD debit (P4) */
  'commissione_sdd',
  /** an SDD debit returned unpaid (insoluto): the collected amount leaves again */
  'insoluto',
  /** money paid back to the family (rimborso) */
  'rimborso',
  /** reversal of a top-up or payment (pagoPA revoked, entered by mistake) */
  'storno_pagamento',
  /** supervisor adjustment with a mandatory reason (rettifica) */
  'rettifica',
  /** year-end carry-over, out of the old school year's account (P3) */
  'riporto_uscita',
  /** year-end carry-over, into the new school year's account (P3): the pair sums to zero */
  'riporto_entrata',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const CREDIT_KINDS = ['ricarica', 'pagamento', 'storno_pasto', 'incasso_sdd'] as const satisfies readonly LedgerKind[];
export const DEBIT_KINDS = ['addebito_pasto', 'commissione_sdd', 'insoluto', 'rimborso', 'storno_pagamento'] as const satisfies readonly LedgerKind[];
/** Kinds that move real money between the family and the caterer: they carry a channel and a settlement date. */
export const MONEY_KINDS = ['ricarica', 'pagamento', 'incasso_sdd', 'insoluto', 'rimborso', 'storno_pagamento'] as const satisfies readonly LedgerKind[];

/** How money moved. The 730 (F1) counts only traceable means: everything but 'contanti'. */
export const PAYMENT_CHANNELS = ['pagopa', 'bonifico', 'contanti', 'pos', 'assegno', 'sdd'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const ISO_DATE = sql.raw(`'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`);
const ISO_MOMENT = sql.raw(`'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'`);
/** Sane bound on a single entry: EUR 100,000. */
const MAX_CENTS = sql.raw('10000000');

/**
 * Conto: a pupil's credit for one service in one school year. The balance of a pupil for a service
 * is the sum over all its school years (a carry-over pair moves it between years and sums to zero).
 */
export const ledgerAccounts = sqliteTable(
  'ledger_accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    service: text('service')
      .notNull()
      .references(() => services.code),
    schoolYearId: integer('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    /** cache of sum(ledger_entries.amount_cents), kept by trigger */
    balanceCents: integer('balance_cents').notNull().default(0),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('ledger_accounts_pupil_service_year_uq').on(t.pupilId, t.service, t.schoolYearId),
    index('ledger_accounts_year_idx').on(t.schoolYearId, t.service),
  ],
);

/**
 * Incassi: pagoPA receipts and manual payments (bonifico, contanti, POS, assegno). Each becomes one
 * ledger entry ('ricarica' or 'pagamento') naming it. The payer's codice fiscale and name are kept
 * as received (the 730 names the payer). A pagoPA IUV is unique: the same receipt is never credited
 * twice. Receipts are never deleted nor have their amounts changed (triggers); `reported_on` is set
 * when the reporting flow (FdR) confirms the payment.
 */
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel', { enum: PAYMENT_CHANNELS }).notNull(),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    service: text('service')
      .notNull()
      .references(() => services.code),
    /** the municipality of the pupil's school when the payment was recorded (payment register) */
    municipalityId: integer('municipality_id').references(() => municipalities.id),
    amountCents: integer('amount_cents').notNull(),
    /** when the family paid (pagoPA paymentDateTime; transfer value date at 00:00 Rome) */
    paidAt: text('paid_at').notNull(),
    /** Rome date of paid_at: the cash-basis date of the 730 */
    paidOn: text('paid_on').notNull(),
    /** pagoPA: numero avviso (18 digits, checked mod 93) and IUV */
    noticeNumber: text('notice_number'),
    iuv: text('iuv'),
    /** pagoPA: receipt id (IUR) */
    iur: text('iur'),
    /** pagoPA: creditor institution's fiscal code (11 digits) */
    creditorFiscalCode: text('creditor_fiscal_code'),
    psp: text('psp'),
    payerId: integer('payer_id').references(() => payers.id),
    payerTaxCode: text('payer_tax_code'),
    payerName: text('payer_name').notNull().default(''),
    /** bank transfer CRO/TRN, cash receipt number… */
    reference: text('reference').notNull().default(''),
    /** how it was entered */
    source: text('source', { enum: ['manuale', 'importazione', 'portale'] }).notNull(),
    /** the import that brought it (file name and moment), for imports */
    importRef: text('import_ref'),
    reportedOn: text('reported_on'),
    note: text('note').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('payments_iuv_uq').on(t.iuv).where(sql`${t.iuv} IS NOT NULL`),
    uniqueIndex('payments_iur_uq').on(t.creditorFiscalCode, t.iur).where(sql`${t.iur} IS NOT NULL`),
    index('payments_paid_on_idx').on(t.paidOn, t.municipalityId, t.channel),
    index('payments_pupil_idx').on(t.pupilId, t.paidOn),
    index('payments_payer_idx').on(t.payerId, t.paidOn),
    check('payments_amount_ck', sql`${t.amountCents} > 0 AND ${t.amountCents} <= ${MAX_CENTS}`),
    check('payments_paid_on_ck', sql`${t.paidOn} GLOB ${ISO_DATE}`),
    check('payments_paid_at_ck', sql`${t.paidAt} GLOB ${ISO_MOMENT}`),
    check('payments_channel_ck', sql`${t.channel} IN (${inList(PAYMENT_CHANNELS)})`),
    check(
      'payments_pagopa_ck',
      sql`(${t.channel} = 'pagopa') = (${t.iuv} IS NOT NULL)
          AND (${t.iuv} IS NULL OR ((length(${t.iuv}) = 15 OR length(${t.iuv}) = 17) AND ${t.iuv} NOT GLOB '*[^0-9]*'))
          AND (${t.noticeNumber} IS NULL OR (length(${t.noticeNumber}) = 18 AND ${t.noticeNumber} NOT GLOB '*[^0-9]*'))
          AND (${t.creditorFiscalCode} IS NULL OR (length(${t.creditorFiscalCode}) = 11 AND ${t.creditorFiscalCode} NOT GLOB '*[^0-9]*'))`,
    ),
  ],
);

/**
 * Movimenti: the append-only ledger. One row per money event on one account; amount_cents is
 * signed (credit > 0, charge < 0), its sign fixed by the kind (CHECK). Never updated, never deleted.
 */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
    amountCents: integer('amount_cents').notNull(),
    /** Rome date the entry is booked on (statements list by it) */
    bookedOn: text('booked_on').notNull(),
    /** money kinds: Rome date the money actually moved (pagoPA payment date, SDD settlement): the 730's cash basis */
    settledOn: text('settled_on'),
    /** money kinds: how the money moved */
    channel: text('channel', { enum: PAYMENT_CHANNELS }),
    /** the payer the money came from / went to (730, SDD), when known */
    payerId: integer('payer_id').references(() => payers.id),
    // --- origin ---
    paymentId: integer('payment_id').references(() => payments.id),
    mealId: integer('meal_id').references(() => meals.id),
    correctionId: integer('correction_id').references(() => mealCorrections.id),
    /** SDD (issue 9): the debit this entry belongs to (table created by that issue) */
    sddDebitId: integer('sdd_debit_id'),
    /** external reference: SDD EndToEndId, bank TRN of a refund, … */
    externalRef: text('external_ref'),
    /** R-transaction reason code of an insoluto (AM04, MD06, …) */
    reasonCode: text('reason_code'),
    /** the entry this one reverses (storno_*) */
    reversalOf: integer('reversal_of').references((): AnySQLiteColumn => ledgerEntries.id),
    /** riporto_entrata: the riporto_uscita it pairs with */
    counterpartId: integer('counterpart_id').references((): AnySQLiteColumn => ledgerEntries.id),
    // --- meal charges (T1: the tariff's published figures, kept as entered) ---
    /** the day of the meal (meal charges and their reversals) */
    serviceDate: text('service_date'),
    tariffId: integer('tariff_id').references(() => tariffs.id),
    grossCents: integer('gross_cents'),
    netCents: integer('net_cents'),
    vatCents: integer('vat_cents'),
    vatRateBp: integer('vat_rate_bp'),
    /** why: mandatory for rettifica, optional otherwise */
    reason: text('reason').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('ledger_entries_account_idx').on(t.accountId, t.bookedOn),
    index('ledger_entries_booked_idx').on(t.bookedOn, t.kind),
    index('ledger_entries_settled_idx').on(t.settledOn).where(sql`${t.settledOn} IS NOT NULL`),
    index('ledger_entries_payer_idx').on(t.payerId, t.settledOn).where(sql`${t.payerId} IS NOT NULL`),
    uniqueIndex('ledger_entries_meal_charge_uq').on(t.mealId).where(sql`${t.kind} = 'addebito_pasto' AND ${t.correctionId} IS NULL`),
    uniqueIndex('ledger_entries_payment_uq').on(t.paymentId).where(sql`${t.kind} IN ('ricarica', 'pagamento')`),
    uniqueIndex('ledger_entries_reversal_uq').on(t.reversalOf).where(sql`${t.reversalOf} IS NOT NULL`),
    uniqueIndex('ledger_entries_counterpart_uq').on(t.counterpartId).where(sql`${t.counterpartId} IS NOT NULL`),
    index('ledger_entries_service_date_idx').on(t.accountId, t.serviceDate).where(sql`${t.serviceDate} IS NOT NULL`),
    index('ledger_entries_sdd_idx').on(t.sddDebitId).where(sql`${t.sddDebitId} IS NOT NULL`),
    /** an SDD debit is collected once, charged its commission once and returned once */
    uniqueIndex('ledger_entries_sdd_kind_uq').on(t.sddDebitId, t.kind).where(sql`${t.sddDebitId} IS NOT NULL`),
    check('ledger_kind_ck', sql`${t.kind} IN (${inList(LEDGER_KINDS)})`),
    check('ledger_amount_bounds_ck', sql`${t.amountCents} <> 0 AND abs(${t.amountCents}) <= ${MAX_CENTS}`),
    check(
      'ledger_sign_ck',
      sql`(${t.kind} NOT IN (${inList(CREDIT_KINDS)}) OR ${t.amountCents} > 0)
          AND (${t.kind} NOT IN (${inList(DEBIT_KINDS)}) OR ${t.amountCents} < 0)`,
    ),
    check('ledger_booked_on_ck', sql`${t.bookedOn} GLOB ${ISO_DATE}`),
    check('ledger_created_at_ck', sql`${t.createdAt} GLOB ${ISO_MOMENT}`),
    check(
      'ledger_money_ck',
      sql`(${t.kind} NOT IN (${inList(MONEY_KINDS)}) OR (${t.channel} IS NOT NULL AND ${t.settledOn} IS NOT NULL))
          AND (${t.settledOn} IS NULL OR ${t.settledOn} GLOB ${ISO_DATE})
          AND (${t.channel} IS NULL OR ${t.channel} IN (${inList(PAYMENT_CHANNELS)}))`,
    ),
    check('ledger_payment_ck', sql`${t.kind} NOT IN ('ricarica', 'pagamento') OR ${t.paymentId} IS NOT NULL`),
    check(
      'ledger_meal_ck',
      sql`${t.kind} NOT IN ('addebito_pasto', 'storno_pasto')
          OR (${t.serviceDate} GLOB ${ISO_DATE} AND ${t.grossCents} = abs(${t.amountCents})
              AND ${t.netCents} IS NOT NULL AND ${t.vatCents} IS NOT NULL AND ${t.netCents} >= 0 AND ${t.vatCents} >= 0
              AND (${t.mealId} IS NOT NULL OR ${t.correctionId} IS NOT NULL))`,
    ),
    check(
      'ledger_reversal_ck',
      sql`(${t.kind} IN ('storno_pasto', 'storno_pagamento')) = (${t.reversalOf} IS NOT NULL)`,
    ),
    check('ledger_counterpart_ck', sql`(${t.kind} = 'riporto_entrata') = (${t.counterpartId} IS NOT NULL)`),
    check('ledger_reason_ck', sql`${t.kind} <> 'rettifica' OR length(trim(${t.reason})) >= 3`),
  ],
);
