import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { AppDb } from '../../db/open';
import { delegates, enrollments, payers } from '../../db/schema';
import { invalidField, notFound } from '../contract/errors';
import { likePattern } from '../contract/fields';
import { outer } from '../../db/sql';
import { payerBalanceOf, thresholdSql } from '../ledger/balances';

export const PAYER_SORTS = ['lastName', 'taxCode', 'town', 'createdAt', 'balance'] as const;
/** P1 list filters on the mensa balance of the payer's pupils: debt, under the threshold, credit, zero. */
export const PAYER_BALANCE_FILTERS = ['debito', 'sotto_soglia', 'credito', 'zero'] as const;

export interface PayerFilter {
  search?: string;
  hasIban?: boolean;
  balance?: (typeof PAYER_BALANCE_FILTERS)[number];
  /** only payers with an SDD enrollment in this school year and no active mandate (sddWithoutMandate) */
  sddWithoutMandateYearId?: number;
  sort?: (typeof PAYER_SORTS)[number];
  sortDir?: 'asc' | 'desc';
}

export interface PayerInput {
  firstName: string;
  lastName: string;
  taxCode: string;
  email: string;
  mobile: string;
  street: string;
  streetNumber: string;
  postcode: string;
  town: string;
  province: string;
  country: string;
  iban: string | null;
  ibanHolder: string | null;
}

export function payerSearchText(p: { lastName: string; firstName: string; taxCode: string; email: string }): string {
  return `${p.lastName} ${p.firstName} ${p.taxCode} ${p.email}`.toLowerCase();
}

const cols = {
  id: payers.id,
  firstName: payers.firstName,
  lastName: payers.lastName,
  taxCode: payers.taxCode,
  email: payers.email,
  mobile: payers.mobile,
  street: payers.street,
  streetNumber: payers.streetNumber,
  postcode: payers.postcode,
  town: payers.town,
  province: payers.province,
  country: payers.country,
  iban: payers.iban,
  ibanHolder: payers.ibanHolder,
  version: payers.version,
  // outer(): the payer of the outer row, qualified (an unqualified "id" would bind to enrollments.id)
  pupils: sql<number>`(SELECT count(DISTINCT ${enrollments.pupilId}) FROM ${enrollments} WHERE ${enrollments.payerId} = ${outer(payers.id)})`,
  /** P1: mensa balance of the pupils this payer pays for (any school year), and over all services (cents) */
  balanceCents: payerBalanceOf(payers.id).mapWith(Number),
  totalBalanceCents: payerBalanceOf(payers.id, null).mapWith(Number),
};

/**
 * P5: a payer with an SDD enrollment (draft or active) in the school year and no active, unblocked
 * mandate: no debit can go out for them. One definition for the payers list filter and the
 * dashboard's count (electron/dashboard/worklist.ts).
 */
export function sddWithoutMandate(payerId: SQLiteColumn, schoolYearId: number): SQL {
  return sql`EXISTS (SELECT 1 FROM enrollments e WHERE e.payer_id = ${outer(payerId)} AND e.school_year_id = ${schoolYearId}
      AND e.payment_method = 'sdd' AND e.status IN ('bozza', 'attiva'))
    AND NOT EXISTS (SELECT 1 FROM sdd_mandates m WHERE m.payer_id = ${outer(payerId)} AND m.status = 'attivo' AND m.blocked_reason IS NULL)`;
}

export function listPayers(db: AppDb, f: PayerFilter, pageOpt: { offset: number; limit: number } | null) {
  const conds: SQL[] = [];
  if (f.search) for (const w of f.search.split(/\s+/).filter(Boolean)) conds.push(sql`${payers.searchText} LIKE ${likePattern(w)} ESCAPE '\\'`);
  if (f.hasIban === true) conds.push(sql`${payers.iban} IS NOT NULL`);
  if (f.hasIban === false) conds.push(sql`${payers.iban} IS NULL`);
  if (f.balance === 'debito') conds.push(sql`${payerBalanceOf(payers.id)} < 0`);
  if (f.balance === 'credito') conds.push(sql`${payerBalanceOf(payers.id)} > 0`);
  if (f.balance === 'zero') conds.push(sql`${payerBalanceOf(payers.id)} = 0`);
  if (f.balance === 'sotto_soglia') conds.push(sql`${payerBalanceOf(payers.id)} < ${thresholdSql()}`);
  if (f.sddWithoutMandateYearId !== undefined) conds.push(sddWithoutMandate(payers.id, f.sddWithoutMandateYearId));
  const w = conds.length ? and(...conds) : undefined;
  const dir = f.sortDir === 'desc' ? desc : asc;
  const order =
    f.sort === 'taxCode' ? [dir(payers.taxCode)] : f.sort === 'town' ? [dir(payers.town), asc(payers.lastName)] : f.sort === 'createdAt' ? [dir(payers.id)] : f.sort === 'balance' ? [dir(payerBalanceOf(payers.id)), asc(payers.lastName), asc(payers.id)] : [dir(payers.lastName), dir(payers.firstName), asc(payers.id)];
  const total = db.select({ n: sql<number>`count(*)` }).from(payers).where(w).get()!.n;
  const q = db.select(cols).from(payers).where(w).orderBy(...order);
  return { rows: pageOpt ? q.limit(pageOpt.limit).offset(pageOpt.offset).all() : q.all(), total };
}

export function getPayer(db: AppDb, id: number) {
  const p = db.select(cols).from(payers).where(eq(payers.id, id)).get();
  if (!p) throw notFound('Pagante');
  const dels = db
    .select({ id: delegates.id, firstName: delegates.firstName, lastName: delegates.lastName, taxCode: delegates.taxCode })
    .from(delegates)
    .where(eq(delegates.payerId, id))
    .orderBy(asc(delegates.lastName))
    .all();
  return { ...p, delegates: dels };
}

export function checkPayer(db: AppDb, input: PayerInput, exceptId?: number): void {
  const dup = db.select({ id: payers.id }).from(payers).where(eq(payers.taxCode, input.taxCode)).get();
  if (dup && dup.id !== exceptId) throw invalidField('taxCode', 'Codice fiscale già registrato per un altro pagante');
  if (input.iban && !input.ibanHolder) throw invalidField('ibanHolder', "Indicare l'intestatario del conto");
  if (!input.iban && input.ibanHolder) throw invalidField('iban', "Indicare l'IBAN del conto");
}

export function insertPayer(db: AppDb, nowIso: string, input: PayerInput) {
  return db
    .insert(payers)
    .values({ ...input, searchText: payerSearchText(input), createdAt: nowIso, updatedAt: nowIso })
    .returning()
    .get();
}

export function replaceDelegates(db: AppDb, payerId: number, payerTaxCode: string, list: { firstName: string; lastName: string; taxCode: string }[], nowIso: string) {
  const seen = new Set<string>();
  list.forEach((d, i) => {
    if (d.taxCode === payerTaxCode) throw invalidField(['delegates', i, 'taxCode'], 'Il delegato non può essere il pagante stesso');
    if (seen.has(d.taxCode)) throw invalidField(['delegates', i, 'taxCode'], 'Delegato indicato due volte');
    seen.add(d.taxCode);
  });
  db.delete(delegates).where(eq(delegates.payerId, payerId)).run();
  for (const d of list) db.insert(delegates).values({ ...d, payerId, createdAt: nowIso }).run();
}

void and;
