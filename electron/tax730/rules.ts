/**
 * The 730 statement (F1; PAYMENTS.md §4 and worked example F): for a calendar year and a service,
 * per payer and pupil, what the family actually paid by traceable means in that year.
 *
 * - Cash basis: an entry counts in the year of its settlement date (the pagoPA payment date, the
 *   SDD settlement date, the transfer's value date).
 * - Traceable means only: pagoPA, bank transfer, SDD, POS, cheque. Cash (`contanti`) is left out.
 * - Returned debits are excluded: an SDD collection the bank returned (an `insoluto` naming the
 *   same debit, by debit id or EndToEndId) counts zero, whatever year the return arrived in; a
 *   return that matches no collection is subtracted in its own year.
 * - A reversed payment (`storno_pagamento`, e.g. a revoked pagoPA receipt) counts zero.
 * - Refunds to the family (`rimborso`) in the year are subtracted (whatever the channel: the
 *   statement never claims more than the family bore).
 * - The EUR 1.00 SDD bank commission (P4) pays for the collection, not the meals: by default it is
 *   subtracted (setting `includeSddCommission`, PAYMENTS.md: "keep it a setting").
 * - The total never goes below zero.
 * - The payer is the one the money came from (`ledger_entries.payer_id`), else the payer of the
 *   pupil's enrollment of that school year. Where the family asked the statement to name the
 *   pupil, the amount is shared between the payer and the second parent by the recorded
 *   percentages (the payer's share rounded to the cent, the other share the rest: they sum exactly).
 */
import { and, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { AppDb } from '../../db/open';
import {
  enrollmentParents,
  enrollments,
  ledgerAccounts,
  ledgerEntries,
  municipalities,
  payers,
  pupils,
  schools,
  services,
  settings,
  type PaymentChannel,
} from '../../db/schema';
import { invalidField } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import { validateCodiceFiscale } from '../identifiers/codice-fiscale';
import { CHANNEL_LABEL } from '../statements/statement';

export const TRACEABLE_CHANNELS: readonly PaymentChannel[] = ['pagopa', 'bonifico', 'sdd', 'pos', 'assegno'];
const COUNTED_KINDS = ['ricarica', 'pagamento', 'incasso_sdd', 'insoluto', 'rimborso', 'commissione_sdd'] as const;
export const INCLUDE_COMMISSION_SETTING = 'tax730.includeSddCommission';

export interface Tax730Settings {
  includeSddCommission: boolean;
}

export function getTax730Settings(db: AppDb): Tax730Settings {
  const row = db.select().from(settings).where(eq(settings.key, INCLUDE_COMMISSION_SETTING)).get();
  return { includeSddCommission: row?.value === 'true' };
}

export function saveTax730Settings(db: AppDb, s: Tax730Settings): void {
  const value = String(s.includeSddCommission);
  db.insert(settings).values({ key: INCLUDE_COMMISSION_SETTING, value }).onConflictDoUpdate({ target: settings.key, set: { value, version: nextVersion(settings.version) } }).run();
}

export interface Share {
  payerId: number;
  name: string;
  taxCode: string;
  pct: number;
  amountCents: number;
}

export interface Tax730Row {
  year: number;
  service: string;
  serviceName: string;
  payerId: number | null;
  payerName: string;
  payerTaxCode: string;
  pupilId: number;
  pupilName: string;
  pupilTaxCode: string;
  schoolName: string;
  municipalityId: number;
  municipalityName: string;
  /** what the statement certifies */
  amountCents: number;
  /** traceable money received in the year, before returns, refunds and commissions */
  traceableCents: number;
  /** returned SDD debits left out (amount of the collections) */
  returnedCents: number;
  refundedCents: number;
  /** SDD commissions left out (0 when the setting includes them) */
  commissionCents: number;
  /** cash received in the year, not counted */
  cashCents: number;
  channels: string[];
  /** the statement names the pupil and the parents share it */
  namesPupil: boolean;
  shares: Share[];
}

interface Acc {
  payerId: number | null;
  pupilId: number;
  schoolYearId: number;
  lastDate: string;
  traceable: number;
  returned: number;
  unmatchedReturns: number;
  refunded: number;
  commission: number;
  cash: number;
  channels: Set<PaymentChannel>;
}

export function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalidField('year', 'Anno non valido');
}

/** Splits an amount by percentages so that the parts sum exactly to the amount. */
export function splitByShares(amountCents: number, payerPct: number): [number, number] {
  const first = Math.round((amountCents * payerPct) / 100);
  return [first, amountCents - first];
}

/** Every pupil-payer pair with money in the year, for one service. */
export function tax730Rows(db: AppDb, year: number, service: string, filter: { payerId?: number; pupilId?: number; municipalityId?: number } = {}): Tax730Row[] {
  checkYear(year);
  const svc = db.select().from(services).where(eq(services.code, service)).get();
  if (!svc) throw invalidField('service', `Servizio sconosciuto: «${service}»`);
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const { includeSddCommission } = getTax730Settings(db);
  const day = sql<string>`coalesce(${ledgerEntries.settledOn}, ${ledgerEntries.bookedOn})`;

  // returns (insoluti) of this service, any year: the collections they name count zero
  const returns = db
    .select({ id: ledgerEntries.id, accountId: ledgerEntries.accountId, sddDebitId: ledgerEntries.sddDebitId, externalRef: ledgerEntries.externalRef })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(and(eq(ledgerEntries.kind, 'insoluto'), eq(ledgerAccounts.service, service)))
    .all();
  const returnedDebit = new Map<string, number>();
  for (const r of returns) {
    if (r.sddDebitId !== null) returnedDebit.set(`${r.accountId}#d${r.sddDebitId}`, r.id);
    if (r.externalRef) returnedDebit.set(`${r.accountId}#r${r.externalRef}`, r.id);
  }
  const matchedReturns = new Set<number>();
  // collections of any year that a return names (so a return in another year is still matched)
  const collections = returns.length
    ? db
        .select({ id: ledgerEntries.id, accountId: ledgerEntries.accountId, sddDebitId: ledgerEntries.sddDebitId, externalRef: ledgerEntries.externalRef })
        .from(ledgerEntries)
        .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
        .where(and(eq(ledgerEntries.kind, 'incasso_sdd'), eq(ledgerAccounts.service, service)))
        .all()
    : [];
  const returnedCollections = new Set<number>();
  for (const c of collections) {
    const byDebit = c.sddDebitId !== null ? returnedDebit.get(`${c.accountId}#d${c.sddDebitId}`) : undefined;
    const byRef = c.externalRef ? returnedDebit.get(`${c.accountId}#r${c.externalRef}`) : undefined;
    const ret = byDebit ?? byRef;
    if (ret !== undefined && !matchedReturns.has(ret)) {
      matchedReturns.add(ret);
      returnedCollections.add(c.id);
    }
  }
  // payments reversed (storno_pagamento) count zero
  const reversed = new Set(
    db
      .select({ r: ledgerEntries.reversalOf })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.kind, 'storno_pagamento'), isNotNull(ledgerEntries.reversalOf)))
      .all()
      .map((x) => x.r!),
  );

  const conditions = [eq(ledgerAccounts.service, service), inArray(ledgerEntries.kind, [...COUNTED_KINDS]), gte(day, from), lte(day, to)];
  if (filter.pupilId !== undefined) conditions.push(eq(ledgerAccounts.pupilId, filter.pupilId));
  const entries = db
    .select({
      id: ledgerEntries.id,
      kind: ledgerEntries.kind,
      amountCents: ledgerEntries.amountCents,
      channel: ledgerEntries.channel,
      date: day,
      entryPayerId: ledgerEntries.payerId,
      enrollmentPayerId: enrollments.payerId,
      pupilId: ledgerAccounts.pupilId,
      schoolYearId: ledgerAccounts.schoolYearId,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .leftJoin(enrollments, and(eq(enrollments.pupilId, ledgerAccounts.pupilId), eq(enrollments.schoolYearId, ledgerAccounts.schoolYearId)))
    .where(and(...conditions))
    .all();

  const pairs = new Map<string, Acc>();
  for (const e of entries) {
    const payerId = e.entryPayerId ?? e.enrollmentPayerId ?? null;
    const key = `${payerId ?? 'x'}:${e.pupilId}`;
    let a = pairs.get(key);
    if (!a) {
      a = { payerId, pupilId: e.pupilId, schoolYearId: e.schoolYearId, lastDate: e.date, traceable: 0, returned: 0, unmatchedReturns: 0, refunded: 0, commission: 0, cash: 0, channels: new Set() };
      pairs.set(key, a);
    }
    if (e.date >= a.lastDate) {
      a.lastDate = e.date;
      a.schoolYearId = e.schoolYearId;
    }
    switch (e.kind) {
      case 'ricarica':
      case 'pagamento':
      case 'incasso_sdd':
        if (reversed.has(e.id)) break;
        if (e.channel === 'contanti') {
          a.cash += e.amountCents;
          break;
        }
        if (e.kind === 'incasso_sdd' && returnedCollections.has(e.id)) {
          a.returned += e.amountCents;
          break;
        }
        a.traceable += e.amountCents;
        if (e.channel) a.channels.add(e.channel);
        break;
      case 'insoluto':
        if (!matchedReturns.has(e.id)) a.unmatchedReturns += -e.amountCents;
        break;
      case 'rimborso':
        a.refunded += -e.amountCents;
        break;
      case 'commissione_sdd':
        if (!includeSddCommission) a.commission += -e.amountCents;
        break;
    }
  }

  const rows: Tax730Row[] = [];
  const second = alias(payers, 'second_parent');
  for (const a of pairs.values()) {
    if (filter.payerId !== undefined && a.payerId !== filter.payerId) continue;
    const amount = Math.max(0, a.traceable - a.unmatchedReturns - a.refunded - a.commission);
    if (a.traceable === 0 && a.cash === 0 && a.returned === 0) continue;
    const pupil = db
      .select({ firstName: pupils.firstName, lastName: pupils.lastName, taxCode: pupils.taxCode, schoolId: pupils.schoolId })
      .from(pupils)
      .where(eq(pupils.id, a.pupilId))
      .get()!;
    const enrollment = db
      .select({ id: enrollments.id, schoolId: enrollments.schoolId, payerId: enrollments.payerId })
      .from(enrollments)
      .where(and(eq(enrollments.pupilId, a.pupilId), eq(enrollments.schoolYearId, a.schoolYearId)))
      .get();
    const school = db
      .select({ name: schools.name, municipalityId: municipalities.id, municipality: municipalities.name })
      .from(schools)
      .innerJoin(municipalities, eq(municipalities.id, schools.municipalityId))
      .where(eq(schools.id, enrollment?.schoolId ?? pupil.schoolId))
      .get()!;
    if (filter.municipalityId !== undefined && school.municipalityId !== filter.municipalityId) continue;
    const payer = a.payerId === null ? undefined : db.select().from(payers).where(eq(payers.id, a.payerId)).get();
    // whom the statement names: the choice recorded on that year's enrollment, when this payer pays it
    const parents =
      enrollment && enrollment.payerId === a.payerId
        ? db
            .select({
              names: enrollmentParents.taxStatementNames,
              payerPct: enrollmentParents.payerSharePct,
              secondPct: enrollmentParents.secondParentSharePct,
              secondId: second.id,
              secondFirst: second.firstName,
              secondLast: second.lastName,
              secondTaxCode: second.taxCode,
            })
            .from(enrollmentParents)
            .leftJoin(second, eq(second.id, enrollmentParents.secondParentId))
            .where(eq(enrollmentParents.enrollmentId, enrollment.id))
            .get()
        : undefined;
    const payerName = payer ? `${payer.lastName} ${payer.firstName}` : '';
    const namesPupil = parents?.names === 'alunno' && parents.secondId !== null && payer !== undefined;
    let shares: Share[] = [];
    if (namesPupil && payer && parents) {
      const [mine, theirs] = splitByShares(amount, parents.payerPct);
      shares = [
        { payerId: payer.id, name: payerName, taxCode: payer.taxCode, pct: parents.payerPct, amountCents: mine },
        { payerId: parents.secondId!, name: `${parents.secondLast} ${parents.secondFirst}`, taxCode: parents.secondTaxCode!, pct: parents.secondPct, amountCents: theirs },
      ];
    }
    rows.push({
      year,
      service,
      serviceName: svc.name,
      payerId: a.payerId,
      payerName,
      payerTaxCode: payer?.taxCode ?? '',
      pupilId: a.pupilId,
      pupilName: `${pupil.lastName} ${pupil.firstName}`,
      pupilTaxCode: pupil.taxCode,
      schoolName: school.name,
      municipalityId: school.municipalityId,
      municipalityName: school.municipality,
      amountCents: amount,
      traceableCents: a.traceable,
      returnedCents: a.returned + a.unmatchedReturns,
      refundedCents: a.refunded,
      commissionCents: a.commission,
      cashCents: a.cash,
      channels: [...a.channels].sort().map((c) => CHANNEL_LABEL[c]),
      namesPupil,
      shares,
    });
  }
  return rows.sort((x, y) => x.payerName.localeCompare(y.payerName, 'it') || x.pupilName.localeCompare(y.pupilName, 'it') || x.pupilId - y.pupilId);
}

export interface Tax730Issue {
  kind: 'ditta' | 'pagante' | 'alunno' | 'secondo_genitore';
  personId: number | null;
  /** for a payment without payer: whose payments */
  pupilId: number | null;
  name: string;
  taxCode: string;
  message: string;
}

/**
 * F1: before generating, the codici fiscali of payers, pupils and (where the statement names the
 * pupil) second parents are checked; a payment without a payer is listed too, and so is missing
 * caterer data. Each person appears once.
 */
export function tax730Issues(rows: Tax730Row[], catererConfigured: boolean): Tax730Issue[] {
  const issues: Tax730Issue[] = [];
  const seen = new Set<string>();
  const add = (i: Tax730Issue) => {
    const key = `${i.kind}:${i.personId ?? `alunno${i.pupilId}`}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push(i);
  };
  if (!catererConfigured) {
    add({ kind: 'ditta', personId: null, pupilId: null, name: 'Dati della ditta', taxCode: '', message: 'Mancano ragione sociale, indirizzo, partita IVA o codice fiscale della ditta (Anagrafiche › Dati della ditta)' });
  }
  const cf = (s: string) => validateCodiceFiscale(s);
  for (const r of rows) {
    if (r.amountCents === 0) continue;
    if (r.payerId === null) {
      add({ kind: 'pagante', personId: null, pupilId: r.pupilId, name: `Pagamenti di ${r.pupilName}`, taxCode: '', message: `Pagamenti di ${r.pupilName} senza pagante: indicare il pagante dell'iscrizione` });
    } else {
      const c = cf(r.payerTaxCode);
      if (!c.ok) add({ kind: 'pagante', personId: r.payerId, pupilId: null, name: r.payerName, taxCode: r.payerTaxCode, message: `Codice fiscale del pagante ${r.payerName}: ${c.message}` });
    }
    const p = cf(r.pupilTaxCode);
    if (!p.ok) add({ kind: 'alunno', personId: r.pupilId, pupilId: r.pupilId, name: r.pupilName, taxCode: r.pupilTaxCode, message: `Codice fiscale dell'alunno ${r.pupilName}: ${p.message}` });
    for (const s of r.shares.slice(1)) {
      const c = cf(s.taxCode);
      if (!c.ok) add({ kind: 'secondo_genitore', personId: s.payerId, pupilId: null, name: s.name, taxCode: s.taxCode, message: `Codice fiscale del secondo genitore ${s.name}: ${c.message}` });
    }
  }
  return issues;
}

/** The issues that concern one pair (to refuse its single PDF). */
export function rowIssues(r: Tax730Row, all: Tax730Issue[]): Tax730Issue[] {
  return all.filter(
    (i) =>
      i.kind === 'ditta' ||
      (i.kind === 'pagante' && (i.personId === null ? r.payerId === null && i.pupilId === r.pupilId : i.personId === r.payerId)) ||
      (i.kind === 'alunno' && i.personId === r.pupilId) ||
      (i.kind === 'secondo_genitore' && r.shares.some((s) => s.payerId === i.personId)),
  );
}
