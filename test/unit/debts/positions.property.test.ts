/**
 * Property test of the debt positions (issue 11): hundreds of random histories of day closes (meal
 * charges), presence corrections (meal reversals), dated charges, payments, payment reversals, SDD
 * collections and their returns (insoluti), and the year-end carry-over. After every history and
 * for several "today" dates, for every pupil and service:
 * - the debt equals minus the ledger's balance (the accounts' own cached sum) once the SDD meals
 *   not yet due are left out, or zero when that is not negative;
 * - the oldest unpaid date is the one an independent computation finds: reversal pairs removed,
 *   then walking the charges from the NEWEST back until they add up to the debt (the charges the
 *   credits do not cover are the latest ones under FIFO);
 * - the family positions add up the pupils' debts.
 * Each history runs inside a savepoint that is rolled back, so all runs share one database.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { AppError } from '../../../electron/contract/errors';
import { closeMunicipalityDay, correctPresence } from '../../../electron/attendance/day-close';
import { reversePayment } from '../../../electron/ledger/payments';
import { carryOver } from '../../../electron/ledger/carry-over';
import { accountFor, postEntry, schoolYearOf } from '../../../electron/ledger/entries';
import { familyPositions, pupilPositions } from '../../../electron/debts/positions';
import { addFamily, charge, pay, sddDebitPool, seedAttendance, type Base } from './fixtures';

const DAYS = ['2026-10-12', '2026-10-13', '2026-10-14', '2026-11-09', '2026-11-10', '2026-12-01'];
const BOOKED = ['2026-09-20', '2026-10-05', '2026-10-15', '2026-11-02', '2026-11-25', '2026-12-03'];
const TODAYS = ['2026-10-20', '2026-11-20', '2026-12-05', '2027-01-15', '2027-08-01'];
const DURING = new Date('2026-12-10T12:00:00Z');
const AFTER_YEAR = new Date('2027-07-15T12:00:00Z');

let app: TestApp;
let base: Base;
const pupilIds: number[] = [];
const payerIds: number[] = [];
let debits: number[][] = [];

beforeAll(async () => {
  app = await createTestApp('2026-10-12T08:00:00Z');
  base = await seedAttendance(app);
  const a = await addFamily(app, base, { paymentMethod: 'prepagato', pupils: 2 });
  const b = await addFamily(app, base, { paymentMethod: 'sdd' });
  pupilIds.push(...a.pupilIds, ...b.pupilIds);
  payerIds.push(a.payerId, b.payerId);
  debits = [...sddDebitPool(app, a.payerId, a.pupilIds, 16), ...sddDebitPool(app, b.payerId, b.pupilIds, 16)];
}, 60_000);
afterAll(() => app.close());

const P = 3;
const op = fc.oneof(
  fc.record({ t: fc.constant('chiusura' as const), d: fc.nat(DAYS.length - 1) }),
  fc.record({ t: fc.constant('assenza' as const), p: fc.nat(P - 1), d: fc.nat(DAYS.length - 1) }),
  fc.record({ t: fc.constant('addebito' as const), p: fc.nat(P - 1), cents: fc.integer({ min: 1, max: 3_000 }), b: fc.nat(BOOKED.length - 1) }),
  fc.record({ t: fc.constant('pagamento' as const), p: fc.nat(P - 1), cents: fc.integer({ min: 1, max: 4_000 }), b: fc.nat(BOOKED.length - 1) }),
  fc.record({ t: fc.constant('storno' as const), k: fc.nat(50) }),
  fc.record({ t: fc.constant('sdd' as const), p: fc.nat(P - 1), cents: fc.integer({ min: 1, max: 4_000 }), b: fc.nat(BOOKED.length - 1), returned: fc.boolean(), r: fc.nat(BOOKED.length - 1) }),
  fc.record({ t: fc.constant('riporto' as const) }),
);

interface Row {
  id: number;
  kind: string;
  amount: number;
  bookedOn: string;
  serviceDate: string | null;
  reversalOf: number | null;
  counterpartId: number | null;
  sddDebitId: number | null;
  pupilId: number;
  service: string;
  method: string | null;
  billedDue: string | null;
}

const endOfNextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10);
};

/** The independent computation, in plain code over the raw entries. */
function expected(rows: Row[], today: string) {
  const out = new Map<string, { notDue: number; owed: number; oldest: string | null }>();
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.pupilId}/${r.service}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const [k, list] of groups) {
    const notDue = (r: Row) =>
      (r.kind === 'addebito_pasto' || r.kind === 'storno_pasto') && r.method === 'sdd' && (r.billedDue ?? endOfNextMonth(r.serviceDate!.slice(0, 7))) >= today;
    const counted = list.filter((r) => !notDue(r));
    const byId = new Map(counted.map((r) => [r.id, r]));
    const dropped = new Set<number>();
    for (const r of counted) {
      const target = r.reversalOf ?? r.counterpartId ?? (r.kind === 'insoluto' ? counted.find((x) => x.kind === 'incasso_sdd' && x.sddDebitId === r.sddDebitId)?.id : undefined);
      if (target === undefined || !byId.has(target)) continue;
      expect(r.amount + byId.get(target)!.amount).toBe(0); // the pairs of these histories cancel exactly
      dropped.add(r.id).add(target);
    }
    const rest = counted.filter((r) => !dropped.has(r.id));
    const owed = Math.max(0, -rest.reduce((s, r) => s + r.amount, 0));
    let oldest: string | null = null;
    if (owed > 0) {
      const charges = rest.filter((r) => r.amount < 0).sort((a, b) => (a.bookedOn === b.bookedOn ? b.id - a.id : a.bookedOn < b.bookedOn ? 1 : -1));
      let acc = 0;
      for (const c of charges) {
        acc += -c.amount;
        if (acc >= owed) {
          oldest = c.bookedOn;
          break;
        }
      }
    }
    out.set(k, { notDue: list.filter(notDue).reduce((s, r) => s + r.amount, 0), owed, oldest });
  }
  return out;
}

describe('posizioni debitorie: proprietà su storie casuali del libro contabile', () => {
  it("il debito è sempre il saldo del libro (tolti i pasti SDD non ancora scaduti) e l'età quella del più vecchio addebito non coperto", () => {
    const { db, sqlite } = app.database;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 16 }), (ops) => {
        sqlite.exec('SAVEPOINT seq');
        try {
          const paymentIds: number[] = [];
          const used = pupilIds.map(() => 0);
          for (const o of ops) {
            try {
              sqlite.transaction(() => {
                const at = { userId: null, at: DURING };
                switch (o.t) {
                  case 'chiusura':
                    closeMunicipalityDay(db, sqlite, { municipalityId: base.clusone.id, date: DAYS[o.d], at: DURING, userId: null, mode: 'manuale' });
                    break;
                  case 'assenza':
                    correctPresence(db, { pupilId: pupilIds[o.p], date: DAYS[o.d], present: false, plain: false, reason: 'prova', origin: 'rettifica' }, DURING, null);
                    break;
                  case 'addebito':
                    charge(app, pupilIds[o.p], o.cents, BOOKED[o.b]);
                    break;
                  case 'pagamento':
                    paymentIds.push(pay(app, pupilIds[o.p], o.cents, BOOKED[o.b], DURING).payment.id);
                    break;
                  case 'storno':
                    if (!paymentIds.length) return;
                    reversePayment(db, { paymentId: paymentIds[o.k % paymentIds.length], reason: 'storno di prova' }, at);
                    break;
                  case 'sdd': {
                    const id = debits[o.p][used[o.p]++];
                    const bookedOn = BOOKED[o.b];
                    const accountId = accountFor(db, { pupilId: pupilIds[o.p], service: 'mensa', schoolYearId: schoolYearOf(db, bookedOn).id }, DURING);
                    postEntry(db, { accountId, kind: 'incasso_sdd', amountCents: o.cents, bookedOn, settledOn: bookedOn, channel: 'sdd', sddDebitId: id, createdBy: null, at: DURING });
                    if (o.returned) {
                      const on = BOOKED[Math.max(o.b, o.r)];
                      postEntry(db, { accountId, kind: 'insoluto', amountCents: -o.cents, bookedOn: on, settledOn: on, channel: 'sdd', sddDebitId: id, reasonCode: 'AM04', createdBy: null, at: DURING });
                    }
                    break;
                  }
                  case 'riporto':
                    carryOver(db, sqlite, { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, { userId: null, at: AFTER_YEAR });
                    break;
                }
              })();
            } catch (e) {
              // a refused operation (a correction that changes nothing, a second reversal…) leaves nothing
              if (!(e instanceof AppError)) throw e;
            }
          }
          const rows = sqlite
            .prepare(
              `SELECT le.id, le.kind, le.amount_cents AS amount, le.booked_on AS bookedOn, le.service_date AS serviceDate, le.reversal_of AS reversalOf,
                      le.counterpart_id AS counterpartId, le.sdd_debit_id AS sddDebitId, a.pupil_id AS pupilId, a.service,
                      (SELECT e.payment_method FROM enrollments e WHERE e.pupil_id = a.pupil_id AND e.school_year_id = a.school_year_id) AS method,
                      (SELECT b.due_date FROM sdd_billed_months bm JOIN sdd_debits d ON d.id = bm.debit_id JOIN sdd_batches b ON b.id = d.batch_id
                        WHERE bm.pupil_id = a.pupil_id AND bm.service = a.service AND bm.month = substr(le.service_date, 1, 7)) AS billedDue
               FROM ledger_entries le JOIN ledger_accounts a ON a.id = le.account_id ORDER BY le.id`,
            )
            .all() as Row[];
          const cached = new Map(
            (sqlite.prepare('SELECT pupil_id AS p, service AS s, sum(balance_cents) AS b FROM ledger_accounts GROUP BY pupil_id, service').all() as { p: number; s: string; b: number }[]).map((r) => [`${r.p}/${r.s}`, r.b]),
          );
          for (const today of TODAYS) {
            const want = expected(rows, today);
            const got = pupilPositions(db, today);
            expect(got.length).toBe(want.size);
            for (const p of got) {
              const k = `${p.pupilId}/${p.service}`;
              const w = want.get(k)!;
              expect(p.balanceCents).toBe(cached.get(k));
              expect(p.notYetDueCents).toBe(w.notDue);
              expect(p.owedCents).toBe(Math.max(0, -(cached.get(k)! - w.notDue)));
              expect(p.owedCents).toBe(w.owed);
              expect(p.oldestUnpaidOn).toBe(w.oldest);
            }
            const families = familyPositions(db, today);
            const byPayer = new Map(families.map((f) => [f.payerId, f.owedCents]));
            const pupilsOf = (payer: number) => (payer === payerIds[0] ? pupilIds.slice(0, 2) : pupilIds.slice(2));
            for (const payer of payerIds) {
              const sum = got.filter((p) => pupilsOf(payer).includes(p.pupilId)).reduce((s, p) => s + p.owedCents, 0);
              expect(byPayer.get(payer) ?? 0).toBe(sum);
            }
          }
        } finally {
          sqlite.exec('ROLLBACK TO seq; RELEASE seq');
        }
      }),
      { numRuns: 150 },
    );
  }, 240_000);
});
