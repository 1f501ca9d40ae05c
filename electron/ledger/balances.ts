/**
 * Reading the money (P1, P7): balances per pupil and service, the movements of an account with a
 * running balance (the documents build statements on `movements`), pupils under the office's
 * threshold, and families to remind before the first month of a prepaid enrollment.
 */
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { outer } from '../../db/sql';
import type { AppDb } from '../../db/open';
import { enrollments, ledgerAccounts, ledgerEntries, municipalities, payers, payments, pupils, schoolYears, schools, services, settings, tariffs } from '../../db/schema';
import { invalidField } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import { addDays, eachDate, isoWeekday } from '../calendar/rome-time';
import { MEAL_SERVICE } from './meal-charges';

/** Setting: pupils whose balance of a service is below this many cents are listed for a reminder. */
export const LOW_BALANCE_SETTING = 'saldo.sogliaAvvisoCentesimi';
export const DEFAULT_LOW_BALANCE_CENTS = 0;

export function lowBalanceThreshold(db: AppDb): number {
  const v = db.select().from(settings).where(eq(settings.key, LOW_BALANCE_SETTING)).get()?.value;
  const n = v === undefined ? NaN : Number(v);
  return Number.isSafeInteger(n) ? n : DEFAULT_LOW_BALANCE_CENTS;
}

export function setLowBalanceThreshold(db: AppDb, cents: number): { before: number; after: number } {
  if (!Number.isSafeInteger(cents) || Math.abs(cents) > 10_000_000) throw invalidField('thresholdCents', 'Soglia non valida (centesimi, al massimo 100.000 €)');
  const before = lowBalanceThreshold(db);
  db.insert(settings).values({ key: LOW_BALANCE_SETTING, value: String(cents) }).onConflictDoUpdate({ target: settings.key, set: { value: String(cents), version: nextVersion(settings.version) } }).run();
  return { before, after: cents };
}

/**
 * SQL: a pupil's balance of one service (null: all services), all school years, for lists; uses the
 * accounts' unique index. The pupil column is the outer row's (outer(): see db/sql.ts).
 */
export function balanceOf(pupilIdColumn: SQLiteColumn, service: string | null = MEAL_SERVICE): SQL<number> {
  const pupilId = outer(pupilIdColumn);
  return service === null
    ? sql<number>`(SELECT coalesce(sum(la.balance_cents), 0) FROM ledger_accounts la WHERE la.pupil_id = ${pupilId})`
    : sql<number>`(SELECT coalesce(sum(la.balance_cents), 0) FROM ledger_accounts la WHERE la.pupil_id = ${pupilId} AND la.service = ${service})`;
}

/** SQL: the balance of every pupil a payer pays for (enrollments of any year), one service or all. */
export function payerBalanceOf(payerIdColumn: SQLiteColumn, service: string | null = MEAL_SERVICE): SQL<number> {
  const payerId = outer(payerIdColumn);
  return service === null
    ? sql<number>`(SELECT coalesce(sum(la.balance_cents), 0) FROM ledger_accounts la
         WHERE la.pupil_id IN (SELECT e.pupil_id FROM enrollments e WHERE e.payer_id = ${payerId}))`
    : sql<number>`(SELECT coalesce(sum(la.balance_cents), 0) FROM ledger_accounts la
         WHERE la.service = ${service} AND la.pupil_id IN (SELECT e.pupil_id FROM enrollments e WHERE e.payer_id = ${payerId}))`;
}

/** SQL: the office's low-balance threshold (settings), for list filters. */
export function thresholdSql(): SQL<number> {
  return sql<number>`coalesce((SELECT CAST(s.value AS INTEGER) FROM settings s WHERE s.key = ${LOW_BALANCE_SETTING}), ${DEFAULT_LOW_BALANCE_CENTS})`;
}

export interface MovementFilter {
  pupilId: number;
  service?: string;
  from?: string;
  to?: string;
  schoolYearId?: number;
  limit?: number;
}

/**
 * The movements of a pupil (one service or all), oldest first, each with the running balance of
 * its service, plus the opening balance before `from`. `limit` keeps only the latest ones.
 */
export function movements(db: AppDb, f: MovementFilter) {
  const base: SQL[] = [eq(ledgerAccounts.pupilId, f.pupilId)];
  if (f.service) base.push(eq(ledgerAccounts.service, f.service));
  if (f.schoolYearId) base.push(eq(ledgerAccounts.schoolYearId, f.schoolYearId));
  const opening = f.from
    ? db
        .select({ service: ledgerAccounts.service, total: sql<number>`sum(${ledgerEntries.amountCents})`.mapWith(Number) })
        .from(ledgerEntries)
        .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
        .where(and(...base, sql`${ledgerEntries.bookedOn} < ${f.from}`))
        .groupBy(ledgerAccounts.service)
        .all()
    : [];
  const period: SQL[] = [...base];
  if (f.from) period.push(gte(ledgerEntries.bookedOn, f.from));
  if (f.to) period.push(lte(ledgerEntries.bookedOn, f.to));
  const rows = db
    .select({
      id: ledgerEntries.id,
      accountId: ledgerEntries.accountId,
      service: ledgerAccounts.service,
      schoolYearId: ledgerAccounts.schoolYearId,
      schoolYearLabel: schoolYears.label,
      kind: ledgerEntries.kind,
      amountCents: ledgerEntries.amountCents,
      bookedOn: ledgerEntries.bookedOn,
      settledOn: ledgerEntries.settledOn,
      channel: ledgerEntries.channel,
      payerId: ledgerEntries.payerId,
      paymentId: ledgerEntries.paymentId,
      mealId: ledgerEntries.mealId,
      correctionId: ledgerEntries.correctionId,
      sddDebitId: ledgerEntries.sddDebitId,
      externalRef: ledgerEntries.externalRef,
      reasonCode: ledgerEntries.reasonCode,
      reversalOf: ledgerEntries.reversalOf,
      counterpartId: ledgerEntries.counterpartId,
      serviceDate: ledgerEntries.serviceDate,
      tariffId: ledgerEntries.tariffId,
      grossCents: ledgerEntries.grossCents,
      netCents: ledgerEntries.netCents,
      vatCents: ledgerEntries.vatCents,
      vatRateBp: ledgerEntries.vatRateBp,
      reason: ledgerEntries.reason,
      createdBy: ledgerEntries.createdBy,
      createdAt: ledgerEntries.createdAt,
      noticeNumber: payments.noticeNumber,
      iuv: payments.iuv,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .innerJoin(schoolYears, eq(schoolYears.id, ledgerAccounts.schoolYearId))
    .leftJoin(payments, eq(payments.id, ledgerEntries.paymentId))
    .where(and(...period))
    .orderBy(asc(ledgerEntries.bookedOn), asc(ledgerEntries.id))
    .all();
  const running = new Map<string, number>(opening.map((o) => [o.service, o.total]));
  const withBalance = rows.map((r) => {
    const b = (running.get(r.service) ?? 0) + r.amountCents;
    running.set(r.service, b);
    return { ...r, balanceAfterCents: b };
  });
  return {
    openingCents: opening.reduce((s, o) => s + o.total, 0),
    openingByService: opening.map((o) => ({ service: o.service, cents: o.total })),
    closingCents: [...running.values()].reduce((s, v) => s + v, 0),
    entries: f.limit ? withBalance.slice(-f.limit) : withBalance,
  };
}

export interface LowBalanceFilter {
  service: string;
  thresholdCents?: number;
  municipalityId?: number;
  schoolYearId?: number;
  /** prepaid families only (an SDD family's negative balance before its monthly debit is not yet a debt) */
  paymentMethod?: 'prepagato' | 'sdd';
  limit?: number;
}

/**
 * P1: pupils whose balance of a service is below the threshold (default: the office's setting),
 * lowest first, with the payer of their latest enrollment. A negative balance is a debt.
 */
export function lowBalances(db: AppDb, f: LowBalanceFilter) {
  const threshold = f.thresholdCents ?? lowBalanceThreshold(db);
  const rows = db.all<{
    pupilId: number;
    pupilName: string;
    userCode: string;
    schoolName: string;
    municipalityId: number;
    municipalityName: string;
    balanceCents: number;
    payerId: number | null;
    payerName: string | null;
    payerEmail: string | null;
    payerMobile: string | null;
    paymentMethod: 'prepagato' | 'sdd' | null;
  }>(sql`
    WITH b AS (
      SELECT pupil_id, sum(balance_cents) AS balance FROM ledger_accounts
      WHERE service = ${f.service} GROUP BY pupil_id HAVING sum(balance_cents) < ${threshold}
    )
    SELECT p.id AS pupilId, p.last_name || ' ' || p.first_name AS pupilName, p.user_code AS userCode,
           s.name AS schoolName, m.id AS municipalityId, m.name AS municipalityName, b.balance AS balanceCents,
           py.id AS payerId, py.last_name || ' ' || py.first_name AS payerName, py.email AS payerEmail, py.mobile AS payerMobile,
           e.payment_method AS paymentMethod
    FROM b
    JOIN pupils p ON p.id = b.pupil_id
    JOIN schools s ON s.id = p.school_id
    JOIN municipalities m ON m.id = s.municipality_id
    LEFT JOIN enrollments e ON e.id = (SELECT e2.id FROM enrollments e2 JOIN school_years y ON y.id = e2.school_year_id
                                        WHERE e2.pupil_id = p.id ORDER BY y.starts_on DESC LIMIT 1)
    LEFT JOIN payers py ON py.id = e.payer_id
    WHERE (${f.municipalityId ?? null} IS NULL OR m.id = ${f.municipalityId ?? null})
      AND (${f.paymentMethod ?? null} IS NULL OR e.payment_method = ${f.paymentMethod ?? null})
      AND (${f.schoolYearId ?? null} IS NULL OR EXISTS (SELECT 1 FROM enrollments e3 WHERE e3.pupil_id = p.id AND e3.school_year_id = ${f.schoolYearId ?? null}))
    ORDER BY b.balance ASC, p.last_name, p.first_name
    LIMIT ${f.limit ?? 5000}`);
  return { thresholdCents: threshold, rows: rows.map((r) => ({ ...r, debt: r.balanceCents < 0 })) };
}

/** Service days of an enrollment in the month from `from` (its chosen weekdays; closures not subtracted: an estimate). */
export function expectedMealsOfMonth(from: string, weekdays: number[]): number {
  const to = addDays(from, 29);
  return eachDate(from, to).filter((d) => weekdays.includes(isoWeekday(d))).length;
}

/**
 * P1: prepaid families to remind before the first month: active or draft prepaid enrollments of a
 * school year whose mensa credit is below one month of expected meals at the tariff of their first day.
 */
export function firstMonthReminders(db: AppDb, f: { schoolYearId: number; municipalityId?: number }) {
  const rows = db
    .select({
      enrollmentId: enrollments.id,
      pupilId: enrollments.pupilId,
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      userCode: pupils.userCode,
      payerId: payers.id,
      payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`,
      payerEmail: payers.email,
      payerMobile: payers.mobile,
      municipalityId: schools.municipalityId,
      municipalityName: municipalities.name,
      schoolName: schools.name,
      startsOn: enrollments.startsOn,
      weekdays: enrollments.weekdays,
      balanceCents: balanceOf(enrollments.pupilId).mapWith(Number),
    })
    .from(enrollments)
    .innerJoin(pupils, eq(pupils.id, enrollments.pupilId))
    .innerJoin(payers, eq(payers.id, enrollments.payerId))
    .innerJoin(schools, eq(schools.id, enrollments.schoolId))
    .innerJoin(municipalities, eq(municipalities.id, schools.municipalityId))
    .where(
      and(
        eq(enrollments.schoolYearId, f.schoolYearId),
        eq(enrollments.paymentMethod, 'prepagato'),
        inArray(enrollments.status, ['attiva', 'bozza']),
        f.municipalityId ? eq(schools.municipalityId, f.municipalityId) : undefined,
      ),
    )
    .orderBy(asc(pupils.lastName), asc(pupils.firstName))
    .all();
  const priceCache = new Map<string, number | null>();
  const priceOn = (municipalityId: number, date: string) => {
    const k = `${municipalityId}:${date}`;
    if (!priceCache.has(k)) {
      const t = db
        .select({ gross: tariffs.grossCents })
        .from(tariffs)
        .where(and(eq(tariffs.municipalityId, municipalityId), eq(tariffs.service, MEAL_SERVICE), lte(tariffs.validFrom, date), sql`(${tariffs.validTo} IS NULL OR ${tariffs.validTo} >= ${date})`))
        .orderBy(desc(tariffs.validFrom), desc(tariffs.id))
        .get();
      priceCache.set(k, t?.gross ?? null);
    }
    return priceCache.get(k)!;
  };
  return rows.flatMap((r) => {
    const price = priceOn(r.municipalityId, r.startsOn);
    if (price === null) return [];
    const meals = expectedMealsOfMonth(r.startsOn, r.weekdays.split(',').map(Number));
    const requiredCents = meals * price;
    if (r.balanceCents >= requiredCents) return [];
    const { weekdays: _w, ...rest } = r;
    return [{ ...rest, expectedMeals: meals, priceCents: price, requiredCents, missingCents: requiredCents - r.balanceCents }];
  });
}

/** P7: the services with their totals over all pupils (dashboard). */
export function serviceTotals(db: AppDb) {
  return db
    .select({
      service: services.code,
      serviceName: services.name,
      creditCents: sql<number>`coalesce(sum(CASE WHEN ${ledgerAccounts.balanceCents} > 0 THEN ${ledgerAccounts.balanceCents} END), 0)`.mapWith(Number),
      debtCents: sql<number>`coalesce(-sum(CASE WHEN ${ledgerAccounts.balanceCents} < 0 THEN ${ledgerAccounts.balanceCents} END), 0)`.mapWith(Number),
      accounts: sql<number>`count(${ledgerAccounts.id})`.mapWith(Number),
    })
    .from(services)
    .leftJoin(ledgerAccounts, eq(ledgerAccounts.service, services.code))
    .groupBy(services.code)
    .orderBy(asc(services.code))
    .all();
}
