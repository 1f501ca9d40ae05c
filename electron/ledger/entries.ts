/**
 * The ledger's core: accounts (pupil + service + school year) and entries. Everything that moves
 * money writes through `postEntry` (or, for the day close, one set-based INSERT in charges.ts); the
 * database refuses an entry whose kind, sign, dates or origin break a rule (db/schema/ledger.ts)
 * and refuses any UPDATE or DELETE of an entry (triggers in db/migrations/0004_ledger_rules.sql).
 */
import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { ledgerAccounts, ledgerEntries, schoolYears, services, type LedgerKind, type PaymentChannel } from '../../db/schema';
import { invalidField, notFound } from '../contract/errors';
import { formatDateIt } from '../calendar/rome-time';

export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;

/** The service must exist and be active (P7). */
export function requireService(db: AppDb, code: string, field = 'service'): { code: string; name: string } {
  const s = db.select().from(services).where(eq(services.code, code)).get();
  if (!s) throw invalidField(field, `Servizio sconosciuto: «${code}»`);
  if (!s.active) throw invalidField(field, `Il servizio «${s.name}» non è più attivo`);
  return { code: s.code, name: s.name };
}

export function listServices(db: AppDb) {
  return db.select().from(services).orderBy(asc(services.code)).all();
}

/**
 * The school year a money event of `date` belongs to: the year containing it; in the summer gap,
 * the next year (a top-up in August is for September); else the last year that ended before it.
 */
export function schoolYearOf(db: AppDb, date: string, field = 'date'): { id: number; label: string } {
  const containing = db
    .select({ id: schoolYears.id, label: schoolYears.label })
    .from(schoolYears)
    .where(and(lte(schoolYears.startsOn, date), gte(schoolYears.endsOn, date)))
    .orderBy(desc(schoolYears.startsOn))
    .get();
  if (containing) return containing;
  const next = db
    .select({ id: schoolYears.id, label: schoolYears.label })
    .from(schoolYears)
    .where(sql`${schoolYears.startsOn} > ${date}`)
    .orderBy(asc(schoolYears.startsOn))
    .get();
  if (next) return next;
  const last = db
    .select({ id: schoolYears.id, label: schoolYears.label })
    .from(schoolYears)
    .where(sql`${schoolYears.endsOn} < ${date}`)
    .orderBy(desc(schoolYears.endsOn))
    .get();
  if (last) return last;
  throw invalidField(field, `Nessun anno scolastico comprende il ${formatDateIt(date)}: crearlo nelle anagrafiche`);
}

/** The account of a pupil for a service in a school year, created on first use. */
export function accountFor(db: AppDb, key: { pupilId: number; service: string; schoolYearId: number }, at: Date): number {
  const found = db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.pupilId, key.pupilId), eq(ledgerAccounts.service, key.service), eq(ledgerAccounts.schoolYearId, key.schoolYearId)))
    .get();
  if (found) return found.id;
  return db
    .insert(ledgerAccounts)
    .values({ pupilId: key.pupilId, service: key.service, schoolYearId: key.schoolYearId, balanceCents: 0, createdAt: at.toISOString() })
    .returning({ id: ledgerAccounts.id })
    .get().id;
}

export interface EntryInput {
  accountId: number;
  kind: LedgerKind;
  amountCents: number;
  bookedOn: string;
  settledOn?: string | null;
  channel?: PaymentChannel | null;
  payerId?: number | null;
  paymentId?: number | null;
  mealId?: number | null;
  correctionId?: number | null;
  sddDebitId?: number | null;
  externalRef?: string | null;
  reasonCode?: string | null;
  reversalOf?: number | null;
  counterpartId?: number | null;
  serviceDate?: string | null;
  tariffId?: number | null;
  grossCents?: number | null;
  netCents?: number | null;
  vatCents?: number | null;
  vatRateBp?: number | null;
  reason?: string;
  createdBy: number | null;
  at: Date;
}

/** Appends one entry (inside the caller's transaction) and returns it. */
export function postEntry(db: AppDb, e: EntryInput): LedgerEntryRow {
  if (!Number.isSafeInteger(e.amountCents) || e.amountCents === 0) {
    throw invalidField('amountCents', "L'importo deve essere un numero intero di centesimi diverso da zero");
  }
  const { at, ...values } = e;
  return db
    .insert(ledgerEntries)
    .values({ ...values, reason: e.reason ?? '', createdAt: at.toISOString() })
    .returning()
    .get();
}

/** Balance of one account: the sum of its entries (read from the cache the trigger keeps). */
export function accountBalance(db: AppDb, accountId: number): number {
  const a = db.select({ b: ledgerAccounts.balanceCents }).from(ledgerAccounts).where(eq(ledgerAccounts.id, accountId)).get();
  if (!a) throw notFound('Conto');
  return a.b;
}

export interface ServiceBalance {
  service: string;
  serviceName: string;
  balanceCents: number;
}

/** P7: a pupil's balance per service, over all school years (a carry-over pair sums to zero). */
export function pupilBalances(db: AppDb, pupilId: number): ServiceBalance[] {
  return db
    .select({
      service: services.code,
      serviceName: services.name,
      balanceCents: sql<number>`coalesce(sum(${ledgerAccounts.balanceCents}), 0)`.mapWith(Number),
    })
    .from(services)
    .leftJoin(ledgerAccounts, and(eq(ledgerAccounts.service, services.code), eq(ledgerAccounts.pupilId, pupilId)))
    .groupBy(services.code)
    .orderBy(asc(services.code))
    .all();
}

/** Balance of a pupil for one service over all school years. */
export function pupilServiceBalance(db: AppDb, pupilId: number, service: string): number {
  const r = db
    .select({ b: sql<number>`coalesce(sum(${ledgerAccounts.balanceCents}), 0)`.mapWith(Number) })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.pupilId, pupilId), eq(ledgerAccounts.service, service)))
    .get();
  return r?.b ?? 0;
}

/**
 * Recomputes every account's balance from its entries and returns the accounts whose cache
 * disagrees (should be none: the trigger keeps it; this is the check a supervisor can run).
 */
export function verifyBalances(db: AppDb): { accountId: number; cachedCents: number; entriesCents: number }[] {
  return db.all(sql`
    SELECT a.id AS accountId, a.balance_cents AS cachedCents, coalesce(s.total, 0) AS entriesCents
    FROM ledger_accounts a
    LEFT JOIN (SELECT account_id, sum(amount_cents) AS total FROM ledger_entries GROUP BY account_id) s ON s.account_id = a.id
    WHERE a.balance_cents <> coalesce(s.total, 0)`);
}
