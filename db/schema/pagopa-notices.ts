/**
 * pagoPA notices issued by the fees office (issue 11; rule P6 in ../shared/DOMAIN.md, facts in
 * ../shared/PAYMENTS.md §3). Only families allowed by P6 (no bank account, an open P6 exception or a
 * returned SDD debit) get one, for a pupil's service account: the family pays it at a bank, a post
 * office or a tobacconist, and the receipt comes back as an ordinary pagoPA top-up with the same IUV.
 *
 * A notice is NOT a debt: the debt is the negative balance the ledger already shows. Its status is
 * derived, never stored: paid when a pagoPA receipt with its IUV is in `payments` (and not reversed),
 * cancelled when the office cancelled it (once, with a reason), otherwise unpaid. Rows are never
 * deleted and never changed but for the one-time cancellation (triggers in the migration).
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { c, cents, cleanTexts, isoDate, isoMoment, MAX_AMOUNT_CENTS } from './checks';
import { municipalities } from './master-data';
import { services } from './ledger';
import { payers, pupils } from './people';
import { users } from './users';

export const pagopaNotices = sqliteTable(
  'pagopa_notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    service: text('service')
      .notNull()
      .references(() => services.code),
    /** the municipality of the pupil's enrollment when issued (the family's debt procedure) */
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    amountCents: integer('amount_cents').notNull(),
    dueOn: text('due_on').notNull(),
    /** numero avviso: 18 digits, aux digit 3, mod-93 check digits */
    noticeNumber: text('notice_number').notNull(),
    /** the IUV inside the notice number (17 digits) */
    iuv: text('iuv').notNull(),
    /** the creditor institution's fiscal code (11 digits) registered on pagoPA */
    creditorFiscalCode: text('creditor_fiscal_code').notNull(),
    /** causale (remittance information), at most 140 characters */
    description: text('description').notNull(),
    issuedOn: text('issued_on').notNull(),
    issuedAt: text('issued_at').notNull(),
    issuedBy: integer('issued_by').references(() => users.id),
    cancelledAt: text('cancelled_at'),
    cancelledBy: integer('cancelled_by').references(() => users.id),
    cancelReason: text('cancel_reason'),
  },
  (t) => [
    uniqueIndex('pagopa_notices_number_uq').on(t.creditorFiscalCode, t.noticeNumber),
    uniqueIndex('pagopa_notices_iuv_uq').on(t.iuv),
    index('pagopa_notices_payer_idx').on(t.payerId, t.municipalityId),
    cents('pagopa_notices', t.amountCents, 1, MAX_AMOUNT_CENTS),
    isoDate('pagopa_notices', t.dueOn),
    isoDate('pagopa_notices', t.issuedOn),
    check('pagopa_notices_scadenza', sql`${c(t.dueOn)} >= ${c(t.issuedOn)}`),
    check('pagopa_notices_numero', sql`length(${c(t.noticeNumber)}) = 18 AND ${c(t.noticeNumber)} NOT GLOB '*[^0-9]*' AND substr(${c(t.noticeNumber)}, 1, 1) = '3'`),
    check('pagopa_notices_iuv', sql`${c(t.iuv)} = substr(${c(t.noticeNumber)}, 2)`),
    check('pagopa_notices_ente', sql`length(${c(t.creditorFiscalCode)}) = 11 AND ${c(t.creditorFiscalCode)} NOT GLOB '*[^0-9]*'`),
    check('pagopa_notices_causale', sql`length(trim(${c(t.description)})) BETWEEN 3 AND 140`),
    isoMoment('pagopa_notices', t.issuedAt),
    isoMoment('pagopa_notices', t.cancelledAt),
    check('pagopa_notices_annullamento', sql`(${c(t.cancelledAt)} IS NULL) = (${c(t.cancelReason)} IS NULL) AND (${c(t.cancelReason)} IS NULL OR length(trim(${c(t.cancelReason)})) >= 3)`),
    ...cleanTexts('pagopa_notices', t, { multiline: ['cancel_reason'] }),
  ],
);
