/**
 * Meal charges (T1, P1): at day close every recorded meal is charged to the pupil's 'mensa' account
 * of that school year, at the published gross price snapshotted on the meal, with the tariff's net
 * and VAT beside it as entered. Set-based: two statements for the whole day, inside the close's
 * transaction. A presence corrected after the close produces its own charge or the reversal of the
 * charge in force (the original entries stay).
 */
import type Database from 'better-sqlite3';
import { and, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { enrollments, ledgerAccounts, ledgerEntries, tariffs } from '../../db/schema';
import { romeDateOf } from '../calendar/rome-time';
import { accountFor, postEntry, type LedgerEntryRow } from './entries';

export const MEAL_SERVICE = 'mensa';

export interface DayTariff {
  id: number;
  grossCents: number;
  netCents: number;
  vatRateBp: number;
}

const prepared = new WeakMap<Database.Database, { accounts: Database.Statement; charges: Database.Statement }>();

function statements(sqlite: Database.Database) {
  let s = prepared.get(sqlite);
  if (!s) {
    s = {
      // one account per pupil eating that day (mensa, the day's school year), created on first use
      accounts: sqlite.prepare(
        `INSERT INTO ledger_accounts (pupil_id, service, school_year_id, balance_cents, created_at)
         SELECT m.pupil_id, '${MEAL_SERVICE}', @schoolYearId, 0, @at
         FROM meals m
         WHERE m.date = @date AND m.municipality_id = @municipalityId AND m.day_closure_id = @dayClosureId AND m.price_cents IS NOT NULL
         ON CONFLICT (pupil_id, service, school_year_id) DO NOTHING`,
      ),
      charges: sqlite.prepare(
        `INSERT INTO ledger_entries (account_id, kind, amount_cents, booked_on, meal_id, service_date, tariff_id,
                                     gross_cents, net_cents, vat_cents, vat_rate_bp, reason, created_by, created_at)
         SELECT a.id, 'addebito_pasto', -m.price_cents, m.date, m.id, m.date, m.tariff_id,
                m.price_cents, @netCents, m.price_cents - @netCents, @vatRateBp, '', @userId, @at
         FROM meals m
         JOIN ledger_accounts a ON a.pupil_id = m.pupil_id AND a.service = '${MEAL_SERVICE}' AND a.school_year_id = @schoolYearId
         WHERE m.date = @date AND m.municipality_id = @municipalityId AND m.day_closure_id = @dayClosureId AND m.price_cents IS NOT NULL`,
      ),
    };
    prepared.set(sqlite, s);
  }
  return s;
}

/**
 * Charges the meals a day close just recorded (must run in the close's transaction). Meals without
 * a price (no tariff entered for that day) are not charged: `uncharged` counts them.
 */
export function chargeMealsOfDay(
  sqlite: Database.Database,
  day: { date: string; municipalityId: number; dayClosureId: number; schoolYearId: number | null; tariff: DayTariff | null; at: Date; userId: number | null },
): { charged: number; uncharged: number } {
  const total = (
    sqlite.prepare('SELECT count(*) AS n FROM meals WHERE date = ? AND municipality_id = ? AND day_closure_id = ?').get(day.date, day.municipalityId, day.dayClosureId) as {
      n: number;
    }
  ).n;
  if (!day.tariff || day.schoolYearId === null || total === 0) return { charged: 0, uncharged: total };
  const s = statements(sqlite);
  const params = {
    date: day.date,
    municipalityId: day.municipalityId,
    dayClosureId: day.dayClosureId,
    schoolYearId: day.schoolYearId,
    at: day.at.toISOString(),
    userId: day.userId,
    netCents: Math.min(day.tariff.netCents, day.tariff.grossCents),
    vatRateBp: day.tariff.vatRateBp,
  };
  s.accounts.run(params);
  const charged = s.charges.run(params).changes;
  return { charged, uncharged: total - charged };
}

/** The meal charge of a pupil's day still in force (not reversed), if any. */
export function chargeInForce(db: AppDb, pupilId: number, date: string): LedgerEntryRow | null {
  const reversed = db
    .select({ id: ledgerEntries.reversalOf })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.kind, 'storno_pasto'), eq(ledgerEntries.serviceDate, date)));
  return (
    db
      .select(getTableColumns(ledgerEntries))
      .from(ledgerEntries)
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
      .where(
        and(
          eq(ledgerAccounts.pupilId, pupilId),
          eq(ledgerAccounts.service, MEAL_SERVICE),
          eq(ledgerEntries.kind, 'addebito_pasto'),
          eq(ledgerEntries.serviceDate, date),
          sql`${ledgerEntries.id} NOT IN ${reversed}`,
        ),
      )
      .orderBy(desc(ledgerEntries.id))
      .get() ?? null
  );
}

export interface CorrectionForCharge {
  id: number;
  pupilId: number;
  date: string;
  present: boolean;
  enrollmentId: number;
  tariffId: number | null;
  priceCents: number | null;
}

/**
 * The money side of a presence corrected after the close: absent → the charge in force is
 * reversed; present → a charge at the price snapshotted on the correction, unless one is in force.
 * Returns the entry written, or null when the money does not change (e.g. plain ↔ normal meal).
 */
export function chargeCorrection(db: AppDb, c: CorrectionForCharge, at: Date, userId: number | null): LedgerEntryRow | null {
  const inForce = chargeInForce(db, c.pupilId, c.date);
  const bookedOn = romeDateOf(at);
  if (!c.present) {
    if (!inForce) return null;
    return postEntry(db, {
      accountId: inForce.accountId,
      kind: 'storno_pasto',
      amountCents: -inForce.amountCents,
      bookedOn,
      reversalOf: inForce.id,
      correctionId: c.id,
      mealId: inForce.mealId,
      serviceDate: c.date,
      tariffId: inForce.tariffId,
      grossCents: inForce.grossCents,
      netCents: inForce.netCents,
      vatCents: inForce.vatCents,
      vatRateBp: inForce.vatRateBp,
      reason: 'Presenza rettificata: assente',
      createdBy: userId,
      at,
    });
  }
  if (inForce || c.priceCents === null || c.priceCents <= 0) return null;
  const e = db.select({ schoolYearId: enrollments.schoolYearId }).from(enrollments).where(eq(enrollments.id, c.enrollmentId)).get();
  if (!e) return null;
  const t = c.tariffId === null ? null : db.select().from(tariffs).where(eq(tariffs.id, c.tariffId)).get();
  const net = Math.min(t?.netCents ?? c.priceCents, c.priceCents);
  const accountId = accountFor(db, { pupilId: c.pupilId, service: MEAL_SERVICE, schoolYearId: e.schoolYearId }, at);
  return postEntry(db, {
    accountId,
    kind: 'addebito_pasto',
    amountCents: -c.priceCents,
    bookedOn,
    correctionId: c.id,
    serviceDate: c.date,
    tariffId: c.tariffId,
    grossCents: c.priceCents,
    netCents: net,
    vatCents: c.priceCents - net,
    vatRateBp: t?.vatRateBp ?? 0,
    reason: 'Presenza rettificata: presente',
    createdBy: userId,
    at,
  });
}

/** Meal charges in force per (pupil, date) of a set of pupils: for checks and tests. */
export function mealChargesInForce(db: AppDb, pupilIds: number[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!pupilIds.length) return out;
  const rows = db
    .select({ pupilId: ledgerAccounts.pupilId, date: ledgerEntries.serviceDate, total: sql<number>`sum(${ledgerEntries.amountCents})`.mapWith(Number) })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(and(inArray(ledgerAccounts.pupilId, pupilIds), inArray(ledgerEntries.kind, ['addebito_pasto', 'storno_pasto']), sql`${ledgerEntries.serviceDate} IS NOT NULL`))
    .groupBy(ledgerAccounts.pupilId, ledgerEntries.serviceDate)
    .all();
  for (const r of rows) if (r.total !== 0) out.set(`${r.pupilId}:${r.date}`, r.total);
  return out;
}

