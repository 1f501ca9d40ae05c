/**
 * Debt positions (issue 11), DERIVED from the ledger every time: no stored number that could drift.
 *
 * The rules, in order:
 * 1. What counts. Every entry of the pupil's accounts counts, except the meals of an SDD pupil
 *    (enrollment of the account's school year paid by SDD) for a month that is not yet due: until
 *    the due date of the batch that debits the month (`sdd_billed_months` → debit → batch
 *    `due_date`) has passed, or, for a month no approved batch debits, until the end of the month
 *    after the meals (the latest the default due date can fall): the family has not been asked to
 *    pay them yet. A returned SDD debit is an `insoluto` entry and counts like any other. The
 *    charges and reversals of those meals are left out together.
 * 2. Pairs cancel. A reversal and the entry it reverses (`reversal_of`), the two halves of a
 *    year-end carry-over (`counterpart_id`) and a returned debit with its collection (same SDD debit)
 *    are netted into the original entry, which keeps its date: a reversed payment uncovers the old
 *    charges it had paid, a returned debit uncovers the meals it had paid.
 * 3. FIFO. What is left per pupil and service is credits (positive) and charges (negative). The
 *    credits settle the oldest charges first (booking date, then entry id). The debt is the part of
 *    the charges the credits do not cover; it equals minus the sum of the counted entries when that
 *    is negative, zero otherwise. Its age is today minus the booking date of the oldest charge not
 *    (fully) covered. A debt line is the uncovered part per pupil, service and school year.
 * 4. The family. A debt line belongs to the payer of the pupil's enrollment of that school year
 *    (else the pupil's latest enrollment) and to the municipality of that enrollment's school (else
 *    the pupil's school). A family position is a payer in a municipality: the ladder is the
 *    municipality's.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { addDays } from '../calendar/rome-time';
import { unpaidNoticesByFamily, type UnpaidNotice } from './notices';

/** 'YYYY-MM-DD' → the first day of the month before. */
function firstOfPreviousMonth(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}

/**
 * SQL predicate: entry `le` of account `a` is an SDD pupil's meal (or its reversal) not yet due on
 * `today`. For a month no approved batch debits, "due after the end of the month after" is the same
 * as "the meal is older than the first day of the month before today's", a plain text comparison.
 * The SDD accounts are found once (an uncorrelated subquery), not once per entry.
 */
export function notYetDueSdd(today: string): SQL {
  return sql`(le.kind IN ('addebito_pasto', 'storno_pasto') AND le.service_date IS NOT NULL
    AND a.id IN (SELECT sa.id FROM ledger_accounts sa JOIN enrollments se ON se.pupil_id = sa.pupil_id AND se.school_year_id = sa.school_year_id WHERE se.payment_method = 'sdd')
    AND coalesce(
      (SELECT b.due_date >= ${today} FROM sdd_billed_months bm JOIN sdd_debits d ON d.id = bm.debit_id JOIN sdd_batches b ON b.id = d.batch_id
        WHERE bm.pupil_id = a.pupil_id AND bm.service = a.service AND bm.month = substr(le.service_date, 1, 7)),
      le.service_date >= ${firstOfPreviousMonth(today)}))`;
}

export interface DebtScope {
  /** only the pupils this payer pays (or paid) for */
  payerId?: number;
  pupilId?: number;
}

function scopeSql(scope: DebtScope): SQL {
  const parts: SQL[] = [];
  if (scope.payerId !== undefined) parts.push(sql`a.pupil_id IN (SELECT e.pupil_id FROM enrollments e WHERE e.payer_id = ${scope.payerId})`);
  if (scope.pupilId !== undefined) parts.push(sql`a.pupil_id = ${scope.pupilId}`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`1`;
}

/**
 * The uncovered charges (rules 1-3): one row per charge that credits do not fully cover, with the
 * uncovered part. Every debt figure is an aggregate of these rows.
 *
 * Only the pupils and services whose ledger balance (the sum of the accounts' cached balances, kept
 * by the ledger's trigger and checked by `ledger.verify`) is negative are read: what rule 1 leaves
 * out is SDD meals with their reversals, never more credit than charge, so the counted sum is never
 * below the balance, and a balance of zero or more owes nothing. Most families are in credit: this
 * reads their entries not at all (bench/debts.bench.ts).
 */
function uncoveredCte(today: string, scope: DebtScope): SQL {
  return sql`
    owing AS MATERIALIZED (
      SELECT oa.id FROM ledger_accounts oa
      WHERE (oa.pupil_id, oa.service) IN (SELECT a.pupil_id, a.service FROM ledger_accounts a WHERE ${scopeSql(scope)} GROUP BY a.pupil_id, a.service HAVING sum(a.balance_cents) < 0)
    ),
    pointers AS MATERIALIZED (
      SELECT le.id, le.amount_cents AS amount,
        CASE WHEN t.id IS NOT NULL AND t.reversal_of IS NULL AND t.counterpart_id IS NULL AND t.kind <> 'insoluto' THEN t.id END AS target
      FROM owing o
      CROSS JOIN ledger_entries le ON le.account_id = o.id
      JOIN ledger_accounts a ON a.id = le.account_id
      LEFT JOIN ledger_entries t ON t.id = CASE
          WHEN le.reversal_of IS NOT NULL THEN le.reversal_of
          WHEN le.counterpart_id IS NOT NULL THEN le.counterpart_id
          ELSE (SELECT i.id FROM ledger_entries i WHERE i.sdd_debit_id = le.sdd_debit_id AND i.kind = 'incasso_sdd')
        END
      WHERE (le.reversal_of IS NOT NULL OR le.counterpart_id IS NOT NULL OR le.kind = 'insoluto')
        AND ${scopeSql(scope)} AND NOT ${notYetDueSdd(today)}
    ),
    absorbed AS MATERIALIZED (SELECT target, sum(amount) AS total FROM pointers WHERE target IS NOT NULL GROUP BY target),
    lines AS NOT MATERIALIZED (
      SELECT le.id, le.amount_cents + coalesce(ab.total, 0) AS eff, le.kind, le.booked_on, a.pupil_id, a.service, a.school_year_id
      FROM owing o
      CROSS JOIN ledger_entries le ON le.account_id = o.id
      JOIN ledger_accounts a ON a.id = le.account_id
      LEFT JOIN absorbed ab ON ab.target = le.id
      WHERE ${scopeSql(scope)} AND NOT ${notYetDueSdd(today)}
        AND le.id NOT IN (SELECT p.id FROM pointers p WHERE p.target IS NOT NULL)
        AND le.amount_cents + coalesce(ab.total, 0) <> 0
    ),
    sums AS MATERIALIZED (
      SELECT pupil_id, service, sum(CASE WHEN eff > 0 THEN eff ELSE 0 END) AS total, sum(eff) AS net
      FROM lines GROUP BY pupil_id, service
    ),
    credits AS (SELECT pupil_id, service, total FROM sums WHERE net < 0),
    charges AS (
      SELECT l.*, -l.eff AS amt, sum(-l.eff) OVER (PARTITION BY l.pupil_id, l.service ORDER BY l.booked_on, l.id ROWS UNBOUNDED PRECEDING) AS cum
      FROM lines l JOIN credits d ON d.pupil_id = l.pupil_id AND d.service = l.service
      WHERE l.eff < 0
    ),
    uncovered AS (
      SELECT ch.id, ch.kind, ch.booked_on, ch.pupil_id, ch.service, ch.school_year_id,
        min(ch.amt, ch.cum - cr.total) AS open
      FROM charges ch JOIN credits cr ON cr.pupil_id = ch.pupil_id AND cr.service = ch.service
      WHERE ch.cum > cr.total
    ),
    debt_lines AS (
      SELECT u.pupil_id, u.service, u.school_year_id, sum(u.open) AS owed,
        sum(CASE WHEN u.kind = 'addebito_pasto' THEN 1 ELSE 0 END) AS meals, min(u.booked_on) AS oldest
      FROM uncovered u GROUP BY u.pupil_id, u.service, u.school_year_id
    ),
    owners AS (
      SELECT dl.*,
        coalesce(ey.payer_id, el.payer_id) AS payer_id,
        coalesce(sy.municipality_id, sl.municipality_id, sp.municipality_id) AS municipality_id
      FROM debt_lines dl
      JOIN pupils p ON p.id = dl.pupil_id
      JOIN schools sp ON sp.id = p.school_id
      LEFT JOIN enrollments ey ON ey.pupil_id = dl.pupil_id AND ey.school_year_id = dl.school_year_id
      LEFT JOIN schools sy ON sy.id = ey.school_id
      LEFT JOIN enrollments el ON ey.id IS NULL AND el.id = (SELECT e2.id FROM enrollments e2 JOIN school_years y2 ON y2.id = e2.school_year_id
                                                             WHERE e2.pupil_id = dl.pupil_id ORDER BY y2.starts_on DESC LIMIT 1)
      LEFT JOIN schools sl ON sl.id = el.school_id
    )`;
}

export interface DebtLine {
  pupilId: number;
  service: string;
  schoolYearId: number;
  schoolYearLabel: string;
  payerId: number | null;
  municipalityId: number;
  owedCents: number;
  /** uncovered meal charges */
  meals: number;
  oldestUnpaidOn: string;
}

/** Every debt line (pupil, service, school year) with its family, as of `today`. */
export function debtLines(db: AppDb, today: string, scope: DebtScope = {}): DebtLine[] {
  return db.all<DebtLine>(sql`
    WITH ${uncoveredCte(today, scope)}
    SELECT o.pupil_id AS pupilId, o.service, o.school_year_id AS schoolYearId, y.label AS schoolYearLabel, o.payer_id AS payerId,
      o.municipality_id AS municipalityId, o.owed AS owedCents, o.meals, o.oldest AS oldestUnpaidOn
    FROM owners o JOIN school_years y ON y.id = o.school_year_id
    ORDER BY o.payer_id, o.pupil_id, o.service, y.starts_on`);
}

/** Whole days from `from` to `to` (dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const AGE_BANDS = ['0-30', '31-90', 'oltre_90'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export function ageBandOf(ageDays: number): AgeBand {
  return ageDays <= 30 ? '0-30' : ageDays <= 90 ? '31-90' : 'oltre_90';
}
/** The oldest-unpaid date range of an age band, as of `today` (both ends included; null: open). */
export function ageBandRange(band: AgeBand, today: string): { from: string | null; to: string | null } {
  if (band === '0-30') return { from: addDays(today, -30), to: null };
  if (band === '31-90') return { from: addDays(today, -90), to: addDays(today, -31) };
  return { from: null, to: addDays(today, -91) };
}

export interface PupilPosition {
  pupilId: number;
  service: string;
  /** the ledger balance of the service, all school years, every entry */
  balanceCents: number;
  /** SDD meals not yet due (rule 1), already in the balance */
  notYetDueCents: number;
  owedCents: number;
  meals: number;
  oldestUnpaidOn: string | null;
  ageDays: number | null;
}

/** Position of each pupil and service in scope that has entries: balance, what is not yet due, debt and age. */
export function pupilPositions(db: AppDb, today: string, scope: DebtScope = {}): PupilPosition[] {
  const rows = db.all<{ pupilId: number; service: string; balanceCents: number; notYetDueCents: number }>(sql`
    SELECT a.pupil_id AS pupilId, a.service, sum(le.amount_cents) AS balanceCents,
      coalesce(sum(CASE WHEN ${notYetDueSdd(today)} THEN le.amount_cents END), 0) AS notYetDueCents
    FROM ledger_entries le JOIN ledger_accounts a ON a.id = le.account_id
    WHERE ${scopeSql(scope)}
    GROUP BY a.pupil_id, a.service ORDER BY a.pupil_id, a.service`);
  const debts = new Map<string, { owed: number; meals: number; oldest: string }>();
  for (const l of debtLines(db, today, scope)) {
    const k = `${l.pupilId}/${l.service}`;
    const d = debts.get(k) ?? { owed: 0, meals: 0, oldest: l.oldestUnpaidOn };
    d.owed += l.owedCents;
    d.meals += l.meals;
    if (l.oldestUnpaidOn < d.oldest) d.oldest = l.oldestUnpaidOn;
    debts.set(k, d);
  }
  return rows.map((r) => {
    const d = debts.get(`${r.pupilId}/${r.service}`);
    return {
      ...r,
      owedCents: d?.owed ?? 0,
      meals: d?.meals ?? 0,
      oldestUnpaidOn: d?.oldest ?? null,
      ageDays: d ? daysBetween(d.oldest, today) : null,
    };
  });
}

export interface FamilyPosition {
  payerId: number;
  municipalityId: number;
  owedCents: number;
  meals: number;
  oldestUnpaidOn: string;
  ageDays: number;
  lines: DebtLine[];
  /** the family's unpaid pagoPA notices (P6), shown beside the debt: they add none (the debt is the ledger's) */
  notices: UnpaidNotice[];
}

/** Positions per family (payer, municipality) owing something, from the debt lines. */
export function familyPositions(db: AppDb, today: string, scope: DebtScope & { municipalityId?: number } = {}): FamilyPosition[] {
  const byFamily = new Map<string, FamilyPosition>();
  for (const l of debtLines(db, today, scope)) {
    if (l.payerId === null) continue;
    if (scope.municipalityId !== undefined && l.municipalityId !== scope.municipalityId) continue;
    const k = `${l.payerId}/${l.municipalityId}`;
    let f = byFamily.get(k);
    if (!f) {
      f = { payerId: l.payerId, municipalityId: l.municipalityId, owedCents: 0, meals: 0, oldestUnpaidOn: l.oldestUnpaidOn, ageDays: 0, lines: [], notices: [] };
      byFamily.set(k, f);
    }
    f.owedCents += l.owedCents;
    f.meals += l.meals;
    if (l.oldestUnpaidOn < f.oldestUnpaidOn) f.oldestUnpaidOn = l.oldestUnpaidOn;
    f.lines.push(l);
  }
  const out = [...byFamily.values()];
  const notices = out.length ? unpaidNoticesByFamily(db, today, { payerId: scope.payerId, municipalityId: scope.municipalityId }) : new Map<string, UnpaidNotice[]>();
  for (const f of out) {
    f.ageDays = daysBetween(f.oldestUnpaidOn, today);
    f.notices = notices.get(`${f.payerId}/${f.municipalityId}`) ?? [];
  }
  return out;
}

/** One family's position (zero when it owes nothing in that municipality). */
export function familyPosition(db: AppDb, today: string, payerId: number, municipalityId: number): FamilyPosition {
  const found = familyPositions(db, today, { payerId, municipalityId }).find((f) => f.payerId === payerId);
  return found ?? { payerId, municipalityId, owedCents: 0, meals: 0, oldestUnpaidOn: today, ageDays: 0, lines: [], notices: unpaidNoticesByFamily(db, today, { payerId, municipalityId }).get(`${payerId}/${municipalityId}`) ?? [] };
}

/** Totals by municipality and age band (dashboard): families and amounts. */
export function debtTotals(db: AppDb, today: string) {
  const totals = new Map<number, Record<AgeBand, { families: number; owedCents: number }>>();
  for (const f of familyPositions(db, today)) {
    const t = totals.get(f.municipalityId) ?? { '0-30': { families: 0, owedCents: 0 }, '31-90': { families: 0, owedCents: 0 }, oltre_90: { families: 0, owedCents: 0 } };
    const band = t[ageBandOf(f.ageDays)];
    band.families++;
    band.owedCents += f.owedCents;
    totals.set(f.municipalityId, t);
  }
  return totals;
}
