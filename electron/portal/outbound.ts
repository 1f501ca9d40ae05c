/**
 * What the office publishes to the parent portal (issue 13, outbound side of contract.ts): the
 * producers. Each reads through the existing domain reads (the service calendar, the expected
 * bookings, the ledger, the pagoPA notices, the 730 rows) and queues events in the outbox
 * (outbox.ts), where an unchanged content adds nothing. Large volumes are set-based: a day's
 * bookings of 50,000 pupils are one expected-bookings query, one query of the year's enrollments
 * and one of the day's absences, then one loop of prepared statements in one transaction.
 *
 * D3: nothing about debts leaves the office. A suspended enrollment is published only as
 * 'servizio_sospeso' (never why, never the debt); a suspended day's meal as 'non_previsto'; the
 * movements of a balance carry the kind of movement and never the reason an operator typed.
 */
import type Database from 'better-sqlite3';
import { and, asc, eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { municipalities, schoolYears, schools } from '../../db/schema';
import type { LedgerKind } from '../../db/schema/ledger';
import { LEDGER_KIND_LABEL } from '../contract/vocabulary/ledger-kinds';
import { addDays, eachDate, romeDateOf } from '../calendar/rome-time';
import { ServiceCalendar } from '../calendar/service-calendar';
import { listExpected } from '../attendance/bookings';
import { listNotices } from '../debts/notices';
import { tax730Rows } from '../tax730/rules';
import { currentSchoolYear } from '../contract/vocabulary/school-year';
import { enqueueOutbound, type EnqueueResult, type OutboundDraft } from './outbox';

export interface ProduceDeps {
  db: AppDb;
  sqlite: Database.Database;
  /** the moment of publication */
  at: Date;
}

export const PUBLISH_SCOPES = ['calendar', 'meals', 'balances', 'notices', 'enrollments', 'tax730', 'news', 'all'] as const;
export type PublishScope = (typeof PUBLISH_SCOPES)[number];

export type ProduceCounts = Record<string, EnqueueResult>;

const sum = (a: EnqueueResult, b: EnqueueResult): EnqueueResult => ({ added: a.added + b.added, superseded: a.superseded + b.superseded, unchanged: a.unchanged + b.unchanged });
export const NOTHING: EnqueueResult = { added: 0, superseded: 0, unchanged: 0 };

// ---------------------------------------------------------------------------------------------
// Calendar (A5/A7): each school's service days and closures for its current school year
// ---------------------------------------------------------------------------------------------

/** The school year the portal shows: the one containing today, else the next one, else the last. */
function publishedYear(db: AppDb, today: string) {
  const years = db.select().from(schoolYears).orderBy(asc(schoolYears.startsOn)).all();
  return currentSchoolYear(years, today) ?? years.find((y) => y.startsOn > today) ?? years.at(-1) ?? null;
}

export function calendarDrafts(db: AppDb, today: string, schoolIds?: number[]): OutboundDraft[] {
  const year = publishedYear(db, today);
  if (!year) return [];
  const cal = ServiceCalendar.load(db, { from: year.startsOn, to: year.endsOn, ...(schoolIds ? { schoolIds } : {}) });
  const rows = db
    .select({ id: schools.id, name: schools.name, municipalityId: schools.municipalityId, cutoff: municipalities.cutoffTime })
    .from(schools)
    .innerJoin(municipalities, eq(municipalities.id, schools.municipalityId))
    .where(and(eq(schools.active, true), eq(municipalities.active, true)))
    .orderBy(asc(schools.id))
    .all()
    .filter((s) => !schoolIds || schoolIds.includes(s.id));
  const dates = eachDate(year.startsOn, year.endsOn);
  return rows.map((s): OutboundDraft => {
    const serviceDays: string[] = [];
    const closures: { date: string; reason: string }[] = [];
    const weekdays = cal.school(s.id)?.weekdays ?? new Set<number>();
    for (const date of dates) {
      const info = cal.dayInfo(s.id, null, date);
      if (info.service) serviceDays.push(date);
      else if (info.weekday <= 5 && weekdays.has(info.weekday)) {
        // a day the school would serve: a holiday or a closure (strike, trip, polling station)
        const reason = info.reasons
          .filter((r) => r.kind === 'festivita' || r.kind === 'chiusura')
          .map((r) => r.label)
          .join('; ');
        if (reason) closures.push({ date, reason: reason.slice(0, 200) });
      }
    }
    return {
      type: 'calendar',
      key: `calendario:${s.id}:${year.label}`,
      municipalityId: s.municipalityId,
      schoolId: s.id,
      schoolName: s.name,
      cutoffTime: s.cutoff,
      from: year.startsOn,
      to: year.endsOn,
      serviceDays,
      closures,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Meals (A1/A8): each pupil's meal of a day, booked before the close, recorded and charged after
// ---------------------------------------------------------------------------------------------

type MealState = 'prenotato' | 'disdetto' | 'in_bianco' | 'consumato' | 'assente' | 'non_previsto';

export function mealKey(pupilId: number, date: string): string {
  return `pasti:${pupilId}:${date}`;
}

interface Candidate {
  pupilId: number;
  taxCode: string;
}

/**
 * The meals of one municipality's day, one draft per pupil enrolled that school year (not a draft
 * enrollment). A pupil with no meal that day (weekday not chosen, a closure, a suspension, withdrawn)
 * is 'non_previsto': queued only when the portal was told something else before (`onlyIfKnown`).
 */
export function mealDrafts(sqlite: Database.Database, db: AppDb, municipalityId: number, date: string, pupilIds?: readonly number[]): OutboundDraft[] {
  const cal = ServiceCalendar.load(db, { from: date, to: date, municipalityId });
  const plan = cal.dayPlan(date, municipalityId);
  const year = plan.schoolYearId ?? (sqlite.prepare('SELECT id FROM school_years WHERE starts_on <= ? AND ends_on >= ?').get(date, date) as { id: number } | undefined)?.id ?? null;
  if (year === null) return [];
  const only = pupilIds ? JSON.stringify(pupilIds) : null;
  const candidates = sqlite
    .prepare(
      `SELECT e.pupil_id AS pupilId, p.tax_code AS taxCode
       FROM enrollments e JOIN schools s ON s.id = e.school_id JOIN pupils p ON p.id = e.pupil_id
       WHERE e.school_year_id = ? AND s.municipality_id = ? AND e.status <> 'bozza'
         ${only ? 'AND e.pupil_id IN (SELECT value FROM json_each(?))' : ''}
       ORDER BY e.pupil_id`,
    )
    .all(...(only ? [year, municipalityId, only] : [year, municipalityId])) as Candidate[];
  if (!candidates.length) return [];
  const closed = sqlite.prepare('SELECT 1 FROM day_closures WHERE municipality_id = ? AND date = ?').get(municipalityId, date) !== undefined;
  // the day's requests in force: a cancelled day, a prolonged absence covering it
  const off = new Map<number, 'disdetto' | 'assente'>();
  for (const a of sqlite
    .prepare(
      `SELECT pupil_id AS pupilId, kind FROM absences
       WHERE status = 'attiva' AND ((kind = 'giorno' AND date = @date) OR (kind = 'prolungata' AND date <= @date AND (reactivated_on IS NULL OR reactivated_on > @date)))`,
    )
    .all({ date }) as { pupilId: number; kind: string }[]) {
    if (!off.has(a.pupilId) || a.kind === 'giorno') off.set(a.pupilId, a.kind === 'giorno' ? 'disdetto' : 'assente');
  }

  const state = new Map<number, { state: MealState; chargedCents: number | null }>();
  if (closed) {
    // what was recorded at the close, then the latest correction of each pupil (present or not)
    for (const m of sqlite
      .prepare('SELECT pupil_id AS pupilId, plain, price_cents AS price FROM meals WHERE municipality_id = ? AND date = ?')
      .all(municipalityId, date) as { pupilId: number; plain: number; price: number | null }[]) {
      state.set(m.pupilId, { state: m.plain ? 'in_bianco' : 'consumato', chargedCents: m.price ?? 0 });
    }
    for (const c of sqlite
      .prepare(
        `SELECT c.pupil_id AS pupilId, c.present, c.plain, c.price_cents AS price FROM meal_corrections c
         WHERE c.municipality_id = ? AND c.date = ? AND c.id = (SELECT max(c2.id) FROM meal_corrections c2 WHERE c2.pupil_id = c.pupil_id AND c2.date = c.date)`,
      )
      .all(municipalityId, date) as { pupilId: number; present: number; plain: number; price: number | null }[]) {
      const before = state.get(c.pupilId);
      if (c.present) state.set(c.pupilId, { state: c.plain ? 'in_bianco' : 'consumato', chargedCents: c.price ?? before?.chargedCents ?? 0 });
      else state.set(c.pupilId, { state: off.get(c.pupilId) ?? 'assente', chargedCents: 0 });
    }
  } else {
    for (const b of listExpected(sqlite, plan, { municipalityId, ...(pupilIds ? { pupilIds: [...pupilIds] } : {}) })) {
      state.set(b.pupilId, { state: b.plain ? 'in_bianco' : 'prenotato', chargedCents: null });
    }
  }
  return candidates.map((c): OutboundDraft => {
    const s = state.get(c.pupilId) ?? { state: off.get(c.pupilId) ?? 'non_previsto', chargedCents: closed ? 0 : null };
    // a request on a day the pupil has no service (a closure, a weekday not chosen) is not a meal
    const st: MealState = (s.state === 'disdetto' || s.state === 'assente') && !closed && !plan.servedSchoolIds.length ? 'non_previsto' : s.state;
    return { type: 'meals', key: mealKey(c.pupilId, date), pupilId: c.pupilId, pupilTaxCode: c.taxCode, date, state: st, closed, chargedCents: s.chargedCents };
  });
}

/** Queues a day's meals for every municipality (or one), or for some pupils. */
export function produceMeals(deps: ProduceDeps, date: string, scope: { municipalityId?: number; pupilIds?: readonly number[] } = {}): EnqueueResult {
  const ids =
    scope.municipalityId !== undefined
      ? [scope.municipalityId]
      : deps.db.select({ id: municipalities.id }).from(municipalities).where(eq(municipalities.active, true)).all().map((m) => m.id);
  let out = NOTHING;
  for (const m of ids) {
    const drafts = mealDrafts(deps.sqlite, deps.db, m, date, scope.pupilIds);
    out = sum(out, enqueueOutbound(deps.sqlite, drafts, deps.at, { onlyIfKnown: (d) => d.type === 'meals' && d.state === 'non_previsto' }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Balances (P1/P7): each account's balance and its latest movements (the statement)
// ---------------------------------------------------------------------------------------------

export const MOVEMENTS_PER_BALANCE = 20;

const MOVEMENT_LABELS: Record<LedgerKind, string> = LEDGER_KIND_LABEL;

/** The balances of some accounts (or of every account of the school years not ended before `today`). */
export function balanceDrafts(sqlite: Database.Database, today: string, accountIds?: readonly number[]): OutboundDraft[] {
  const only = accountIds ? JSON.stringify(accountIds) : null;
  const accounts = sqlite
    .prepare(
      `SELECT a.id, a.pupil_id AS pupilId, p.tax_code AS taxCode, a.service, y.label AS schoolYear, a.balance_cents AS balanceCents
       FROM ledger_accounts a JOIN pupils p ON p.id = a.pupil_id JOIN school_years y ON y.id = a.school_year_id
       WHERE ${only ? 'a.id IN (SELECT value FROM json_each(@only))' : 'y.ends_on >= @today'}
       ORDER BY a.id`,
    )
    .all({ only, today }) as { id: number; pupilId: number; taxCode: string; service: string; schoolYear: string; balanceCents: number }[];
  if (!accounts.length) return [];
  // the latest movements of each account through its (account, booked_on) index: LIMIT per account,
  // never a scan of the year's entries
  const latestOf = sqlite.prepare(
    `SELECT booked_on AS date, kind, service_date AS serviceDate, amount_cents AS amountCents FROM ledger_entries
     WHERE account_id = ? ORDER BY booked_on DESC, id DESC LIMIT ${MOVEMENTS_PER_BALANCE}`,
  );
  const movementsOf = (accountId: number) =>
    (latestOf.all(accountId) as { date: string; kind: string; serviceDate: string | null; amountCents: number }[]).map((m) => {
      const label = MOVEMENT_LABELS[m.kind as LedgerKind] ?? m.kind;
      return { date: m.date, description: m.serviceDate && m.kind.endsWith('pasto') ? `${label} del ${m.serviceDate.split('-').reverse().join('/')}` : label, amountCents: m.amountCents };
    });
  return accounts.map((a): OutboundDraft => {
    const movements = movementsOf(a.id);
    return {
      type: 'balance',
      key: `saldo:${a.pupilId}:${a.service}:${a.schoolYear}`,
      pupilId: a.pupilId,
      pupilTaxCode: a.taxCode,
      service: a.service,
      schoolYear: a.schoolYear,
      balanceCents: a.balanceCents,
      // the day of the latest movement: an unchanged balance is not published again the next day
      asOf: movements[0]?.date ?? today,
      movements,
    };
  });
}

/** The accounts with a movement recorded after the entry `afterEntryId` (what a change touched). */
export function accountsChangedSince(sqlite: Database.Database, afterEntryId: number): { accountIds: number[]; lastEntryId: number } {
  const rows = sqlite.prepare('SELECT DISTINCT account_id AS id FROM ledger_entries WHERE id > ?').all(afterEntryId) as { id: number }[];
  const last = (sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM ledger_entries').get() as { id: number }).id;
  return { accountIds: rows.map((r) => r.id), lastEntryId: last };
}

// ---------------------------------------------------------------------------------------------
// pagoPA notices (P6), enrollment status (E1/E6, D3), 730 statements (F1)
// ---------------------------------------------------------------------------------------------

const NOTICE_STATUS = { da_pagare: 'emesso', pagato: 'pagato', annullato: 'annullato' } as const;

export function noticeDrafts(db: AppDb, today: string): OutboundDraft[] {
  return listNotices(db, today).map((n): OutboundDraft => ({
    type: 'pagopaNotice',
    key: `avviso:${n.id}`,
    pupilId: n.pupilId,
    pupilTaxCode: n.pupilTaxCode,
    noticeNumber: n.noticeNumber,
    amountCents: n.amountCents,
    dueDate: n.dueOn,
    description: n.description,
    status: NOTICE_STATUS[n.status],
  }));
}

/**
 * Every enrollment of the school years not ended before `today`. D3: a suspension (the recorded
 * decision covering today, or the office's 'sospesa' status) is 'servizio_sospeso' and nothing
 * else: the reason and the debt stay in the office.
 */
export function enrollmentDrafts(sqlite: Database.Database, today: string): OutboundDraft[] {
  const rows = sqlite
    .prepare(
      `SELECT e.id, e.pupil_id AS pupilId, p.tax_code AS taxCode, y.label AS schoolYear, e.school_id AS schoolId, e.status,
              EXISTS (SELECT 1 FROM service_suspensions ss WHERE ss.enrollment_id = e.id AND ss.starts_on <= @today AND (ss.lifted_on IS NULL OR ss.lifted_on > @today)) AS suspended
       FROM enrollments e JOIN pupils p ON p.id = e.pupil_id JOIN school_years y ON y.id = e.school_year_id
       WHERE y.ends_on >= @today ORDER BY e.id`,
    )
    .all({ today }) as { id: number; pupilId: number; taxCode: string; schoolYear: string; schoolId: number; status: string; suspended: number }[];
  // the portal's enrollment request each enrollment answers, when it came from the portal
  const requests = new Map(
    (
      sqlite
        .prepare("SELECT enrollment_id AS enrollmentId, external_id AS externalId FROM portal_inbound_events WHERE type = 'enrollment' AND enrollment_id IS NOT NULL ORDER BY id")
        .all() as { enrollmentId: number; externalId: string }[]
    ).map((r) => [r.enrollmentId, r.externalId]),
  );
  return rows.map((e): OutboundDraft => ({
    type: 'enrollmentStatus',
    key: `iscrizione:${e.id}`,
    pupilId: e.pupilId,
    pupilTaxCode: e.taxCode,
    enrollmentId: e.id,
    schoolYear: e.schoolYear,
    schoolId: e.schoolId,
    status: e.status === 'ritirata' ? 'ritirata' : e.suspended || e.status === 'sospesa' ? 'servizio_sospeso' : e.status === 'bozza' ? 'in_lavorazione' : 'attiva',
    requestId: requests.get(e.id) ?? null,
  }));
}

/** The 730 statements of a calendar year (meal service), one per pupil and payer; the PDF is added when the event is sent (outbound-documents.ts). */
export function tax730Drafts(db: AppDb, year: number): OutboundDraft[] {
  return tax730Rows(db, year, 'mensa')
    .filter((r) => r.payerId !== null && r.amountCents > 0)
    .map((r): OutboundDraft => ({
      type: 'tax730',
      key: `730:${year}:${r.pupilId}:${r.payerId}`,
      pupilId: r.pupilId,
      pupilTaxCode: r.pupilTaxCode,
      year,
      payerTaxCode: r.payerTaxCode,
      amountCents: r.amountCents,
      pdfBase64: null,
    }));
}

/** The 730's PDF is printed with the moment it is made: it does not make the statement's content. */
export const TAX730_HASH_EXCLUDE = ['pdfBase64'] as const;

// ---------------------------------------------------------------------------------------------
// "Publish now" (portal.publish) and what a change triggers
// ---------------------------------------------------------------------------------------------

export interface PublishRequest {
  scope: PublishScope;
  /** meals: the day (default today) */
  date?: string;
  /** tax730: the calendar year (default the previous one) */
  year?: number;
}

/** Queues everything a scope covers; unchanged content adds nothing. Runs inside the caller's transaction. */
export function publishScope(deps: ProduceDeps, req: PublishRequest, newsDrafts: () => OutboundDraft[]): ProduceCounts {
  const today = romeDateOf(deps.at);
  const out: ProduceCounts = {};
  const all = req.scope === 'all';
  if (all || req.scope === 'calendar') out.calendar = enqueueOutbound(deps.sqlite, calendarDrafts(deps.db, today), deps.at);
  if (all || req.scope === 'meals') out.meals = produceMeals(deps, req.date ?? today);
  if (all || req.scope === 'balances') out.balances = enqueueOutbound(deps.sqlite, balanceDrafts(deps.sqlite, today), deps.at);
  if (all || req.scope === 'notices') out.notices = enqueueOutbound(deps.sqlite, noticeDrafts(deps.db, today), deps.at);
  if (all || req.scope === 'enrollments') out.enrollments = enqueueOutbound(deps.sqlite, enrollmentDrafts(deps.sqlite, today), deps.at);
  if (all || req.scope === 'news') out.news = enqueueOutbound(deps.sqlite, newsDrafts(), deps.at);
  if (all || req.scope === 'tax730') {
    const year = req.year ?? Number(today.slice(0, 4)) - 1;
    out.tax730 = enqueueOutbound(deps.sqlite, tax730Drafts(deps.db, year), deps.at, { hashExclude: TAX730_HASH_EXCLUDE });
  }
  return out;
}

/** Days closed after a moment (the day close triggers that day's meals). */
export function daysClosedSince(sqlite: Database.Database, since: string): { municipalityId: number; date: string }[] {
  return sqlite.prepare('SELECT municipality_id AS municipalityId, date FROM day_closures WHERE closed_at >= ? ORDER BY date').all(since) as { municipalityId: number; date: string }[];
}

/**
 * Pupils and days a family request or a correction touched after a moment: the cancellation
 * attempts (every request through any channel) and the corrections of closed days.
 */
export function requestsSince(sqlite: Database.Database, since: string, today: string): Map<string, Set<number>> {
  const byDate = new Map<string, Set<number>>();
  const add = (date: string | null, pupilId: number) => {
    if (!date) return;
    const set = byDate.get(date) ?? new Set<number>();
    set.add(pupilId);
    byDate.set(date, set);
  };
  for (const r of sqlite
    .prepare(`SELECT pupil_id AS pupilId, target_date AS date FROM cancellation_attempts WHERE recorded_at >= ? AND target_date >= ?`)
    .all(since, addDays(today, -60)) as { pupilId: number; date: string | null }[]) add(r.date, r.pupilId);
  for (const r of sqlite.prepare('SELECT pupil_id AS pupilId, date FROM meal_corrections WHERE created_at >= ?').all(since) as { pupilId: number; date: string }[]) add(r.date, r.pupilId);
  return byDate;
}

/** The municipality of a pupil's enrollment on a day (the meals of a request are queued for it). */
export function municipalitiesOfPupils(sqlite: Database.Database, date: string, pupilIds: number[]): Map<number, number[]> {
  const rows = sqlite
    .prepare(
      `SELECT e.pupil_id AS pupilId, s.municipality_id AS municipalityId FROM enrollments e JOIN schools s ON s.id = e.school_id
       JOIN school_years y ON y.id = e.school_year_id
       WHERE y.starts_on <= ? AND y.ends_on >= ? AND e.pupil_id IN (SELECT value FROM json_each(?))`,
    )
    .all(date, date, JSON.stringify(pupilIds)) as { pupilId: number; municipalityId: number }[];
  const out = new Map<number, number[]>();
  for (const r of rows) out.set(r.municipalityId, [...(out.get(r.municipalityId) ?? []), r.pupilId]);
  return out;
}

