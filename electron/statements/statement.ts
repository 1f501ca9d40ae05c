/**
 * Estratto conto (issue 6, "Statements and documents"): for a pupil, or for a payer's family (all
 * the children the payer enrolled), over any period: per service (P7, never mixed) the opening
 * balance, every movement with its date and Italian description and the running balance, the
 * closing balance; and the VAT breakdown of the meal charges of the period (T1: net, VAT and gross
 * summed as entered on each charge, per VAT rate, reversals subtracted).
 *
 * Entries are listed by their booking date (`booked_on`), which is what the ledger defines for
 * statements; a balance is always the sum of the entries (never a stored figure).
 */
import { and, asc, eq, inArray, lt, lte, gte, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { classes, enrollments, ledgerAccounts, ledgerEntries, payers, payments, pupils, schools, services, type LedgerKind, type PaymentChannel } from '../../db/schema';
import { invalidField, notFound } from '../contract/errors';
import { dateIt } from '../documents/format';

export const CHANNEL_LABEL: Record<PaymentChannel, string> = {
  pagopa: 'pagoPA',
  bonifico: 'bonifico',
  contanti: 'contanti',
  pos: 'POS',
  assegno: 'assegno',
  sdd: 'addebito SDD',
};

export interface MovementSource {
  kind: LedgerKind;
  channel: PaymentChannel | null;
  serviceDate: string | null;
  reason: string;
  reasonCode: string | null;
  externalRef: string | null;
  iuv: string | null;
  paymentReference: string | null;
}

/** The Italian line a family reads for each kind of entry. */
export function describeMovement(m: MovementSource): string {
  const via = m.channel ? CHANNEL_LABEL[m.channel] : '';
  const why = m.reason ? ` – ${m.reason}` : '';
  switch (m.kind) {
    case 'ricarica':
      return `Ricarica ${via || 'pagoPA'}${m.iuv ? ` (IUV ${m.iuv})` : ''}${why}`;
    case 'pagamento':
      return `Pagamento ${m.channel === 'contanti' ? 'in contanti' : `con ${via}`}${m.paymentReference ? ` (rif. ${m.paymentReference})` : ''}${why}`;
    case 'addebito_pasto':
      return `Pasto del ${m.serviceDate ? dateIt(m.serviceDate) : '—'}${why}`;
    case 'storno_pasto':
      return `Storno del pasto del ${m.serviceDate ? dateIt(m.serviceDate) : '—'}${why}`;
    case 'incasso_sdd':
      return `Addebito SDD incassato${m.externalRef ? ` (${m.externalRef})` : ''}${why}`;
    case 'commissione_sdd':
      return `Commissione bancaria dell'addebito SDD${why}`;
    case 'insoluto':
      return `Addebito SDD insoluto, restituito dalla banca${m.reasonCode ? ` (${m.reasonCode})` : ''}${why}`;
    case 'rimborso':
      return `Rimborso alla famiglia${via ? ` con ${via}` : ''}${why}`;
    case 'storno_pagamento':
      return `Storno di un pagamento${why}`;
    case 'rettifica':
      return `Rettifica${why}`;
    case 'riporto_uscita':
      return `Saldo riportato all'anno scolastico successivo${why}`;
    case 'riporto_entrata':
      return `Saldo riportato dall'anno scolastico precedente${why}`;
  }
}

export interface StatementMovement {
  entryId: number;
  date: string;
  kind: LedgerKind;
  description: string;
  channel: PaymentChannel | null;
  amountCents: number;
  balanceCents: number;
}

export interface VatLine {
  vatRateBp: number;
  meals: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
}

export interface ServiceStatement {
  service: string;
  serviceName: string;
  openingCents: number;
  creditsCents: number;
  debitsCents: number;
  closingCents: number;
  movements: StatementMovement[];
  vat: VatLine[];
}

export interface PupilStatement {
  pupilId: number;
  pupilName: string;
  pupilTaxCode: string;
  userCode: string;
  schoolName: string;
  className: string | null;
  services: ServiceStatement[];
}

export interface Statement {
  kind: 'alunno' | 'famiglia';
  from: string;
  to: string;
  /** the person the statement is addressed to: the pupil, or the payer for a family */
  holderName: string;
  holderTaxCode: string;
  payer: { id: number; name: string; taxCode: string; address: string } | null;
  pupils: PupilStatement[];
  /** the VAT breakdown summed over every pupil and service of the statement */
  vatTotal: VatLine[];
}

export function checkPeriod(from: string, to: string): void {
  if (from > to) throw invalidField('to', 'La fine del periodo precede il suo inizio');
}

function pupilHeader(db: AppDb, pupilId: number) {
  const p = db
    .select({
      id: pupils.id,
      firstName: pupils.firstName,
      lastName: pupils.lastName,
      taxCode: pupils.taxCode,
      userCode: pupils.userCode,
      schoolName: schools.name,
      className: classes.name,
    })
    .from(pupils)
    .innerJoin(schools, eq(schools.id, pupils.schoolId))
    .leftJoin(classes, eq(classes.id, pupils.classId))
    .where(eq(pupils.id, pupilId))
    .get();
  if (!p) throw notFound('Alunno');
  return p;
}

/** Sum of meal charges minus their reversals, per VAT rate, as entered on each entry (T1). */
export function vatBreakdown(db: AppDb, accountIds: number[], from: string, to: string): VatLine[] {
  if (accountIds.length === 0) return [];
  const sign = sql`CASE WHEN ${ledgerEntries.kind} = 'storno_pasto' THEN -1 ELSE 1 END`;
  return db
    .select({
      vatRateBp: sql<number>`coalesce(${ledgerEntries.vatRateBp}, 0)`.mapWith(Number),
      meals: sql<number>`sum(${sign})`.mapWith(Number),
      netCents: sql<number>`sum(${sign} * ${ledgerEntries.netCents})`.mapWith(Number),
      vatCents: sql<number>`sum(${sign} * ${ledgerEntries.vatCents})`.mapWith(Number),
      grossCents: sql<number>`sum(${sign} * ${ledgerEntries.grossCents})`.mapWith(Number),
    })
    .from(ledgerEntries)
    .where(
      and(
        inArray(ledgerEntries.accountId, accountIds),
        inArray(ledgerEntries.kind, ['addebito_pasto', 'storno_pasto']),
        gte(ledgerEntries.bookedOn, from),
        lte(ledgerEntries.bookedOn, to),
      ),
    )
    .groupBy(sql`coalesce(${ledgerEntries.vatRateBp}, 0)`)
    .orderBy(sql`coalesce(${ledgerEntries.vatRateBp}, 0)`)
    .all();
}

export function sumVat(lines: VatLine[]): VatLine[] {
  const by = new Map<number, VatLine>();
  for (const l of lines) {
    const t = by.get(l.vatRateBp) ?? { vatRateBp: l.vatRateBp, meals: 0, netCents: 0, vatCents: 0, grossCents: 0 };
    t.meals += l.meals;
    t.netCents += l.netCents;
    t.vatCents += l.vatCents;
    t.grossCents += l.grossCents;
    by.set(l.vatRateBp, t);
  }
  return [...by.values()].sort((a, b) => a.vatRateBp - b.vatRateBp);
}

/** P7: one statement per service of the pupil, each with its own balances. */
export function pupilStatement(db: AppDb, pupilId: number, from: string, to: string): PupilStatement {
  checkPeriod(from, to);
  const p = pupilHeader(db, pupilId);
  const accounts = db
    .select({ id: ledgerAccounts.id, service: ledgerAccounts.service, serviceName: services.name })
    .from(ledgerAccounts)
    .innerJoin(services, eq(services.code, ledgerAccounts.service))
    .where(eq(ledgerAccounts.pupilId, pupilId))
    .orderBy(asc(ledgerAccounts.service))
    .all();
  const byService = new Map<string, { name: string; ids: number[] }>();
  for (const a of accounts) {
    const s = byService.get(a.service) ?? { name: a.serviceName, ids: [] };
    s.ids.push(a.id);
    byService.set(a.service, s);
  }
  const result: ServiceStatement[] = [];
  for (const [service, { name, ids }] of byService) {
    const opening =
      db
        .select({ s: sql<number>`coalesce(sum(${ledgerEntries.amountCents}), 0)`.mapWith(Number) })
        .from(ledgerEntries)
        .where(and(inArray(ledgerEntries.accountId, ids), lt(ledgerEntries.bookedOn, from)))
        .get()?.s ?? 0;
    const rows = db
      .select({
        entryId: ledgerEntries.id,
        date: ledgerEntries.bookedOn,
        kind: ledgerEntries.kind,
        channel: ledgerEntries.channel,
        amountCents: ledgerEntries.amountCents,
        serviceDate: ledgerEntries.serviceDate,
        reason: ledgerEntries.reason,
        reasonCode: ledgerEntries.reasonCode,
        externalRef: ledgerEntries.externalRef,
        iuv: payments.iuv,
        paymentReference: payments.reference,
      })
      .from(ledgerEntries)
      .leftJoin(payments, eq(payments.id, ledgerEntries.paymentId))
      .where(and(inArray(ledgerEntries.accountId, ids), gte(ledgerEntries.bookedOn, from), lte(ledgerEntries.bookedOn, to)))
      .orderBy(asc(ledgerEntries.bookedOn), asc(ledgerEntries.id))
      .all();
    let balance = opening;
    let credits = 0;
    let debits = 0;
    const movements: StatementMovement[] = rows.map((r) => {
      balance += r.amountCents;
      if (r.amountCents > 0) credits += r.amountCents;
      else debits += r.amountCents;
      return {
        entryId: r.entryId,
        date: r.date,
        kind: r.kind,
        channel: r.channel,
        amountCents: r.amountCents,
        balanceCents: balance,
        description: describeMovement({ ...r, paymentReference: r.paymentReference || null }),
      };
    });
    result.push({ service, serviceName: name, openingCents: opening, creditsCents: credits, debitsCents: debits, closingCents: balance, movements, vat: vatBreakdown(db, ids, from, to) });
  }
  return {
    pupilId: p.id,
    pupilName: `${p.lastName} ${p.firstName}`,
    pupilTaxCode: p.taxCode,
    userCode: p.userCode,
    schoolName: p.schoolName,
    className: p.className,
    services: result,
  };
}

function payerAddress(p: { street: string; streetNumber: string; postcode: string; town: string; province: string }): string {
  const line1 = `${p.street}${p.streetNumber ? ` ${p.streetNumber}` : ''}`.trim();
  const line2 = `${p.postcode} ${p.town}${p.province ? ` (${p.province})` : ''}`.trim();
  return [line1, line2].filter(Boolean).join(', ');
}

export function statementForPupil(db: AppDb, pupilId: number, from: string, to: string): Statement {
  const ps = pupilStatement(db, pupilId, from, to);
  return {
    kind: 'alunno',
    from,
    to,
    holderName: ps.pupilName,
    holderTaxCode: ps.pupilTaxCode,
    payer: null,
    pupils: [ps],
    vatTotal: sumVat(ps.services.flatMap((s) => s.vat)),
  };
}

/** A payer's family: every pupil the payer is (or was) the payer of, in name order. */
export function statementForFamily(db: AppDb, payerId: number, from: string, to: string): Statement {
  checkPeriod(from, to);
  const payer = db.select().from(payers).where(eq(payers.id, payerId)).get();
  if (!payer) throw notFound('Pagante');
  const children = db
    .selectDistinct({ id: pupils.id, lastName: pupils.lastName, firstName: pupils.firstName })
    .from(enrollments)
    .innerJoin(pupils, eq(pupils.id, enrollments.pupilId))
    .where(eq(enrollments.payerId, payerId))
    .orderBy(asc(pupils.lastName), asc(pupils.firstName), asc(pupils.id))
    .all();
  const list = children.map((c) => pupilStatement(db, c.id, from, to));
  return {
    kind: 'famiglia',
    from,
    to,
    holderName: `${payer.lastName} ${payer.firstName}`,
    holderTaxCode: payer.taxCode,
    payer: { id: payer.id, name: `${payer.lastName} ${payer.firstName}`, taxCode: payer.taxCode, address: payerAddress(payer) },
    pupils: list,
    vatTotal: sumVat(list.flatMap((p) => p.services.flatMap((s) => s.vat))),
  };
}
