/**
 * The demo office's money history (issue 6), written through the same services the office uses,
 * so every money screen is populated on first start: the last school days closed (every meal
 * charged at its tariff), pagoPA top-ups for most prepaid families at the start of the year, some
 * bank transfers and cash at the desk, a few school-bus top-ups (P7), a refund, a supervisor
 * adjustment, and a few families left in debt. Deterministic for a seed.
 */
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema';
import type { AppDb } from '../../db/open';
import { addDays, isoWeekday, romeDateOf, romeMoment } from '../calendar/rome-time';
import { closeMunicipalityDay } from '../attendance/day-close';
import { buildNumeroAvviso } from '../identifiers/pagopa-notice';
import { schoolYearOf } from '../ledger/entries';
import { registerAdjustment, registerManualPayment, registerPagopaReceipt, registerRefund } from '../ledger/payments';
import { mulberry32 } from './random';
import { getCaterer, saveCaterer } from '../documents/caterer';

/** The demo caterer (fictional; the P.IVA has a valid check digit): statements and 730s have an issuer. */
const DEMO_CATERER = {
  companyName: 'Ristorazione Scolastica Dimostrativa S.r.l.',
  street: 'Via delle Mense',
  streetNumber: '12',
  postcode: '24023',
  town: 'Clusone',
  province: 'BG',
  vatNumber: '02468135799',
  taxCode: '02468135799',
  email: 'ufficio.rette@example.it',
  phone: '0346 000000',
};

/** How many past school days (weekdays) the demo closes. */
export const DEMO_CLOSED_DAYS = 20;

export interface DemoMoneyCounts {
  closedDays: number;
  meals: number;
  topUps: number;
  payments: number;
}

export function seedDemoMoney(sqlite: Database.Database, nowIso: string, seed: number): DemoMoneyCounts {
  const db = drizzle(sqlite, { schema }) as unknown as AppDb;
  if (!getCaterer(db)) saveCaterer(db, DEMO_CATERER);
  const now = new Date(nowIso);
  const today = romeDateOf(now);
  const r = mulberry32(seed ^ 0x6d6f6e79);
  let year: { id: number; label: string };
  try {
    year = schoolYearOf(db, today);
  } catch {
    return { closedDays: 0, meals: 0, topUps: 0, payments: 0 };
  }
  const y = sqlite.prepare('SELECT starts_on AS startsOn FROM school_years WHERE id = ?').get(year.id) as { startsOn: string };
  // the last school days before today, inside the current school year
  const days: string[] = [];
  for (let d = addDays(today, -1); days.length < DEMO_CLOSED_DAYS && d >= y.startsOn; d = addDays(d, -1)) {
    if (isoWeekday(d) <= 5) days.push(d);
  }
  days.reverse();
  const municipalities = sqlite.prepare('SELECT id FROM municipalities WHERE active = 1 ORDER BY id').pluck().all() as number[];
  const enrolled = sqlite
    .prepare(
      `SELECT e.pupil_id AS pupilId, e.payer_id AS payerId, e.payment_method AS method, e.starts_on AS startsOn
       FROM enrollments e WHERE e.school_year_id = ? AND e.status IN ('attiva', 'sospesa', 'ritirata') AND e.activated_on IS NOT NULL ORDER BY e.id`,
    )
    .all(year.id) as { pupilId: number; payerId: number; method: 'prepagato' | 'sdd'; startsOn: string }[];

  // top-ups first (families pay before the first month, P1), then the days are closed
  const firstDay = days[0] ?? today;
  const paidAtBefore = (date: string, daysBefore: number) => {
    const d = addDays(date, -daysBefore);
    const at = romeMoment(d < y.startsOn ? addDays(y.startsOn, -r.int(1, 10)) : d, `${String(r.int(8, 19)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:00`);
    return at.getTime() > now.getTime() ? now : at;
  };
  let iuv = 0;
  const nextNotice = () => buildNumeroAvviso({ auxDigit: 3, segregationCode: '47', iuvBase: `${String(seed % 1000).padStart(3, '0')}${String(++iuv).padStart(10, '0')}` });
  const actor = { userId: null, at: now };
  let topUps = 0;
  let payments = 0;
  const debtors = new Set<number>();
  for (const e of enrolled) {
    if (e.method !== 'prepagato') continue;
    if (r.chance(0.08)) {
      debtors.add(e.pupilId);
      continue;
    }
    const amount = r.weighted([
      [5000, 5],
      [10000, 3],
      [3000, 2],
      [15000, 1],
    ] as const);
    registerPagopaReceipt(db, { pupilId: e.pupilId, service: 'mensa', noticeNumber: nextNotice(), amountCents: amount, paidAt: paidAtBefore(firstDay, r.int(1, 12)).toISOString(), payerId: e.payerId, source: 'portale' }, actor);
    topUps++;
    if (r.chance(0.12)) {
      const channel = r.pick(['bonifico', 'contanti'] as const);
      const paidOn = romeDateOf(paidAtBefore(days[Math.floor(days.length / 2)] ?? today, r.int(0, 3)));
      registerManualPayment(db, { pupilId: e.pupilId, service: 'mensa', channel, amountCents: r.pick([2000, 2500, 4000]), paidOn, payerId: e.payerId, reference: channel === 'bonifico' ? `CRO ${r.digits(11)}` : `Ricevuta ${r.digits(5)}` }, actor);
      payments++;
    }
    if (r.chance(0.05)) {
      registerPagopaReceipt(db, { pupilId: e.pupilId, service: 'trasporto', noticeNumber: nextNotice(), amountCents: r.pick([3000, 6000]), paidAt: paidAtBefore(firstDay, r.int(1, 12)).toISOString(), payerId: e.payerId, source: 'portale' }, actor);
      topUps++;
    }
  }

  let meals = 0;
  for (const date of days) {
    for (const m of municipalities) {
      meals += closeMunicipalityDay(db, sqlite, { municipalityId: m, date, at: now, userId: null, mode: 'manuale' }).meals;
    }
  }

  // a refund and a supervisor adjustment, on families that still have credit
  const withCredit = enrolled.filter((e) => e.method === 'prepagato' && !debtors.has(e.pupilId));
  if (withCredit.length > 2) {
    const a = withCredit[r.int(0, withCredit.length - 1)];
    const credit = (sqlite.prepare("SELECT coalesce(sum(balance_cents), 0) FROM ledger_accounts WHERE pupil_id = ? AND service = 'mensa'").pluck().get(a.pupilId) as number) ?? 0;
    if (credit > 500) {
      registerRefund(db, { pupilId: a.pupilId, service: 'mensa', amountCents: Math.min(credit, 2000), channel: 'bonifico', paidOn: addDays(today, -1) < y.startsOn ? today : addDays(today, -1), payerId: a.payerId, reference: `TRN ${r.digits(12)}`, reason: 'Trasferimento in altra scuola: rimborso del credito' }, actor);
    }
    const b = withCredit[r.int(0, withCredit.length - 1)];
    registerAdjustment(db, { pupilId: b.pupilId, service: 'mensa', amountCents: 618, reason: 'Pasto addebitato in gita (uscita didattica con pranzo al sacco)' }, actor);
  }
  return { closedDays: days.length, meals, topUps, payments };
}
