/**
 * Money in and out by hand (P2, P7): pagoPA receipts (numero avviso checked mod 93, IUV unique),
 * manual payments (bank transfer, cash at the desk, POS, cheque), refunds, supervisor adjustments
 * with a reason and reversals of a payment. Each writes one payments row where it is a payment and
 * one ledger entry on the pupil's account for the named service.
 */
import { and, eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { enrollments, ledgerEntries, payers, payments, pupils, schools, type PaymentChannel } from '../../db/schema';
import { conflict, invalidField, notFound } from '../contract/errors';
import { formatDateIt, romeDateOf } from '../calendar/rome-time';
import { validateCodiceFiscale } from '../identifiers/codice-fiscale';
import { parseNumeroAvviso, validateNumeroAvviso } from '../identifiers/pagopa-notice';
import { accountFor, postEntry, pupilServiceBalance, requireService, schoolYearOf, type LedgerEntryRow } from './entries';

export type PaymentRow = typeof payments.$inferSelect;

export interface Actor {
  userId: number | null;
  at: Date;
}

function pupilOf(db: AppDb, pupilId: number) {
  const p = db
    .select({ id: pupils.id, firstName: pupils.firstName, lastName: pupils.lastName, taxCode: pupils.taxCode, municipalityId: schools.municipalityId })
    .from(pupils)
    .innerJoin(schools, eq(schools.id, pupils.schoolId))
    .where(eq(pupils.id, pupilId))
    .get();
  if (!p) throw invalidField('pupilId', 'Alunno inesistente');
  return p;
}

/** The payer of the pupil's enrollment in that school year (the 730 names the payer), if any. */
function enrollmentPayer(db: AppDb, pupilId: number, schoolYearId: number): number | null {
  return (
    db
      .select({ payerId: enrollments.payerId })
      .from(enrollments)
      .where(and(eq(enrollments.pupilId, pupilId), eq(enrollments.schoolYearId, schoolYearId)))
      .get()?.payerId ?? null
  );
}

function payerRow(db: AppDb, payerId: number) {
  const p = db.select().from(payers).where(eq(payers.id, payerId)).get();
  if (!p) throw invalidField('payerId', 'Pagante inesistente');
  return p;
}

/** Normalises and checks a payer's codice fiscale from a receipt; '' means absent. */
export function receiptTaxCode(input: string | null | undefined, field = 'payerTaxCode'): string | null {
  const v = (input ?? '').trim().toUpperCase();
  if (!v) return null;
  // companies pay with an 11-digit fiscal code
  if (/^\d{11}$/.test(v)) return v;
  const r = validateCodiceFiscale(v);
  if (!r.ok) throw invalidField(field, `Codice fiscale del pagante non valido: ${r.message}`);
  return r.value;
}

export interface PagopaReceiptInput {
  pupilId: number;
  service: string;
  noticeNumber: string;
  amountCents: number;
  paidAt: string;
  payerTaxCode?: string | null;
  payerName?: string;
  payerId?: number | null;
  iur?: string | null;
  creditorFiscalCode?: string | null;
  psp?: string | null;
  note?: string;
  source?: 'manuale' | 'importazione' | 'portale';
  importRef?: string | null;
}

/** The IUV inside a numero avviso, validated; Italian message on `field` when not valid. */
export function iuvOfNotice(noticeNumber: string, field = 'noticeNumber'): { noticeNumber: string; iuv: string } {
  const v = validateNumeroAvviso(noticeNumber);
  if (!v.ok) throw invalidField(field, v.message);
  return { noticeNumber: v.value, iuv: parseNumeroAvviso(v.value).iuv };
}

export function existingIuv(db: AppDb, iuv: string): PaymentRow | null {
  return db.select().from(payments).where(eq(payments.iuv, iuv)).get() ?? null;
}

export function duplicateIuvMessage(iuv: string, p: PaymentRow): string {
  return `Ricevuta già registrata: lo IUV ${iuv} è stato accreditato il ${formatDateIt(p.paidOn)} (${(p.amountCents / 100).toFixed(2).replace('.', ',')} €); la stessa ricevuta non si registra due volte`;
}

function checkAmount(cents: number, field = 'amountCents') {
  if (!Number.isSafeInteger(cents) || cents <= 0) throw invalidField(field, "L'importo deve essere maggiore di zero");
  if (cents > 10_000_000) throw invalidField(field, "L'importo supera il massimo ammesso (100.000 €)");
}

function checkMoment(at: string, now: Date, field = 'paidAt'): Date {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw invalidField(field, 'Data e ora del pagamento non valide');
  if (d.getTime() > now.getTime() + 5 * 60_000) throw invalidField(field, 'Il pagamento non può essere nel futuro');
  return d;
}

/**
 * Stores a payment and its entry on the pupil's account for the service and school year. The entry
 * is booked on the day the family paid (its value date), not the day the office typed it: a receipt
 * entered a week late must not show a debt in the statement that never existed.
 */
function bookPayment(
  db: AppDb,
  actor: Actor,
  schoolYearId: number,
  kind: 'ricarica' | 'pagamento',
  externalRef: string | null,
  values: Omit<typeof payments.$inferInsert, 'createdBy' | 'createdAt'>,
): { payment: PaymentRow; entry: LedgerEntryRow } {
  const payment = db
    .insert(payments)
    .values({ ...values, createdBy: actor.userId, createdAt: actor.at.toISOString() })
    .returning()
    .get();
  const entry = postEntry(db, {
    accountId: accountFor(db, { pupilId: payment.pupilId, service: payment.service, schoolYearId }, actor.at),
    kind,
    amountCents: payment.amountCents,
    bookedOn: payment.paidOn,
    settledOn: payment.paidOn,
    channel: payment.channel,
    payerId: payment.payerId,
    paymentId: payment.id,
    externalRef,
    createdBy: actor.userId,
    at: actor.at,
  });
  return { payment, entry };
}

/** P2: a pagoPA receipt becomes a top-up of the named service (P7). A second receipt with the same IUV is refused. */
export function registerPagopaReceipt(db: AppDb, input: PagopaReceiptInput, actor: Actor): { payment: PaymentRow; entry: LedgerEntryRow } {
  const service = requireService(db, input.service);
  const pupil = pupilOf(db, input.pupilId);
  const { noticeNumber, iuv } = iuvOfNotice(input.noticeNumber);
  checkAmount(input.amountCents);
  const paidAt = checkMoment(input.paidAt, actor.at);
  const dup = existingIuv(db, iuv);
  if (dup) throw conflict(duplicateIuvMessage(iuv, dup), 'noticeNumber');
  const creditor = (input.creditorFiscalCode ?? '').trim();
  if (creditor && !/^\d{11}$/.test(creditor)) throw invalidField('creditorFiscalCode', "Codice fiscale dell'ente creditore non valido (11 cifre)");
  const paidOn = romeDateOf(paidAt);
  const year = schoolYearOf(db, paidOn, 'paidAt');
  const payerId = input.payerId ?? enrollmentPayer(db, pupil.id, year.id);
  const payerTaxCode = receiptTaxCode(input.payerTaxCode) ?? (payerId ? payerRow(db, payerId).taxCode : null);
  return bookPayment(db, actor, year.id, 'ricarica', iuv, {
    channel: 'pagopa',
    pupilId: pupil.id,
    service: service.code,
    municipalityId: pupil.municipalityId,
    amountCents: input.amountCents,
    paidAt: paidAt.toISOString(),
    paidOn,
    noticeNumber,
    iuv,
    iur: input.iur?.trim() || null,
    creditorFiscalCode: creditor || null,
    psp: input.psp?.trim() || null,
    payerId,
    payerTaxCode,
    payerName: input.payerName?.trim() ?? '',
    reference: '',
    source: input.source ?? 'manuale',
    importRef: input.importRef ?? null,
    note: input.note?.trim() ?? '',
  });
}

export const MANUAL_CHANNELS = ['bonifico', 'contanti', 'pos', 'assegno'] as const satisfies readonly PaymentChannel[];

export interface ManualPaymentInput {
  pupilId: number;
  service: string;
  channel: (typeof MANUAL_CHANNELS)[number];
  amountCents: number;
  paidOn: string;
  payerId?: number | null;
  payerTaxCode?: string | null;
  payerName?: string;
  reference?: string;
  note?: string;
}

/** A bank transfer, cash at the desk, POS or cheque: money in on the pupil's account for the service. */
export function registerManualPayment(db: AppDb, input: ManualPaymentInput, actor: Actor): { payment: PaymentRow; entry: LedgerEntryRow } {
  const service = requireService(db, input.service);
  const pupil = pupilOf(db, input.pupilId);
  checkAmount(input.amountCents);
  const today = romeDateOf(actor.at);
  if (input.paidOn > today) throw invalidField('paidOn', 'Il pagamento non può essere nel futuro');
  const year = schoolYearOf(db, input.paidOn, 'paidOn');
  const payerId = input.payerId ?? enrollmentPayer(db, pupil.id, year.id);
  const payer = payerId ? payerRow(db, payerId) : null;
  const payerTaxCode = receiptTaxCode(input.payerTaxCode) ?? payer?.taxCode ?? null;
  const payerName = input.payerName?.trim() || (payer ? `${payer.lastName} ${payer.firstName}` : '');
  const reference = input.reference?.trim() ?? '';
  if (input.channel === 'bonifico' && reference === '') throw invalidField('reference', 'Indicare il CRO/TRN del bonifico (serve alla riconciliazione con la banca)');
  return bookPayment(db, actor, year.id, 'pagamento', reference || null, {
    channel: input.channel,
    pupilId: pupil.id,
    service: service.code,
    municipalityId: pupil.municipalityId,
    amountCents: input.amountCents,
    // a date without a time: midnight in UTC of that Rome day is not that day; noon is, all year
    paidAt: `${input.paidOn}T10:00:00.000Z`,
    paidOn: input.paidOn,
    payerId,
    payerTaxCode,
    payerName,
    reference,
    source: 'manuale',
    note: input.note?.trim() ?? '',
  });
}

/** The account a pupil's current money goes to for a service: the school year of `date`. */
function currentAccount(db: AppDb, pupilId: number, service: string, date: string, at: Date): { accountId: number; schoolYearId: number } {
  const year = schoolYearOf(db, date);
  return { accountId: accountFor(db, { pupilId, service, schoolYearId: year.id }, at), schoolYearId: year.id };
}

export interface RefundInput {
  pupilId: number;
  service: string;
  amountCents: number;
  channel: 'bonifico' | 'contanti' | 'assegno';
  paidOn: string;
  payerId?: number | null;
  reference?: string;
  reason: string;
}

/** Rimborso: credit paid back to the family. Refused beyond the available credit of that service. */
export function registerRefund(db: AppDb, input: RefundInput, actor: Actor): LedgerEntryRow {
  requireService(db, input.service);
  pupilOf(db, input.pupilId);
  checkAmount(input.amountCents);
  if (input.paidOn > romeDateOf(actor.at)) throw invalidField('paidOn', 'Il rimborso non può essere nel futuro');
  const balance = pupilServiceBalance(db, input.pupilId, input.service);
  if (input.amountCents > balance) {
    throw invalidField(
      'amountCents',
      balance > 0
        ? `Si può rimborsare al massimo il credito disponibile: ${(balance / 100).toFixed(2).replace('.', ',')} €`
        : 'Nessun credito da rimborsare su questo servizio',
    );
  }
  const acc = currentAccount(db, input.pupilId, input.service, input.paidOn, actor.at);
  return postEntry(db, {
    accountId: acc.accountId,
    kind: 'rimborso',
    amountCents: -input.amountCents,
    bookedOn: input.paidOn,
    settledOn: input.paidOn,
    channel: input.channel,
    payerId: input.payerId ?? enrollmentPayer(db, input.pupilId, acc.schoolYearId),
    externalRef: input.reference?.trim() || null,
    reason: input.reason.trim(),
    createdBy: actor.userId,
    at: actor.at,
  });
}

export interface AdjustmentInput {
  pupilId: number;
  service: string;
  amountCents: number;
  reason: string;
  schoolYearId?: number;
}

/** Rettifica (supervisor only, checked by the contract): a signed correction with a mandatory reason. */
export function registerAdjustment(db: AppDb, input: AdjustmentInput, actor: Actor): LedgerEntryRow {
  requireService(db, input.service);
  pupilOf(db, input.pupilId);
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents === 0) throw invalidField('amountCents', "L'importo della rettifica deve essere diverso da zero");
  if (Math.abs(input.amountCents) > 10_000_000) throw invalidField('amountCents', "L'importo supera il massimo ammesso (100.000 €)");
  if (input.reason.trim().length < 3) throw invalidField('reason', 'Indicare il motivo della rettifica');
  const today = romeDateOf(actor.at);
  const schoolYearId = input.schoolYearId ?? schoolYearOf(db, today).id;
  return postEntry(db, {
    accountId: accountFor(db, { pupilId: input.pupilId, service: input.service, schoolYearId }, actor.at),
    kind: 'rettifica',
    amountCents: input.amountCents,
    bookedOn: today,
    reason: input.reason.trim(),
    createdBy: actor.userId,
    at: actor.at,
  });
}

/** Storno of a payment (pagoPA revoked, transfer entered twice): a new entry for its exact opposite. */
export function reversePayment(db: AppDb, input: { paymentId: number; reason: string }, actor: Actor): LedgerEntryRow {
  const original = db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.paymentId, input.paymentId))
    .all()
    .find((e) => e.kind === 'ricarica' || e.kind === 'pagamento');
  if (!original) throw notFound('Incasso');
  const already = db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.reversalOf, original.id)).get();
  if (already) throw conflict('Questo incasso è già stato stornato');
  if (input.reason.trim().length < 3) throw invalidField('reason', 'Indicare il motivo dello storno');
  const today = romeDateOf(actor.at);
  return postEntry(db, {
    accountId: original.accountId,
    kind: 'storno_pagamento',
    amountCents: -original.amountCents,
    bookedOn: today,
    settledOn: today,
    channel: original.channel,
    payerId: original.payerId,
    paymentId: input.paymentId,
    reversalOf: original.id,
    externalRef: original.externalRef,
    reason: input.reason.trim(),
    createdBy: actor.userId,
    at: actor.at,
  });
}
