/**
 * Property test of the ledger: hundreds of random sequences of top-ups, manual payments, day
 * closes, presence corrections, refunds, adjustments, payment reversals and year-end carry-overs.
 * After every sequence:
 * - the sum of all balances equals the money in (as the test itself counted it) minus the meals
 *   charged, computed independently from the recorded meals and their latest corrections × price;
 * - every account's cached balance equals the sum of its entries;
 * - no entry was ever updated or deleted (the entries seen earlier are still there, unchanged),
 *   and the database refuses an UPDATE or DELETE of any entry;
 * - every carry-over pair sums to zero.
 * Each sequence runs inside a savepoint that is rolled back, so all runs share one database.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { seedAttendance, enrollPupil, type Base } from '../attendance/fixtures';
import { AppError } from '../../../electron/contract/errors';
import { closeMunicipalityDay, correctPresence } from '../../../electron/attendance/day-close';
import { registerAdjustment, registerManualPayment, registerPagopaReceipt, registerRefund, reversePayment } from '../../../electron/ledger/payments';
import { carryOver } from '../../../electron/ledger/carry-over';
import { buildNumeroAvviso } from '../../../electron/identifiers/pagopa-notice';

const DAYS = ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16', '2026-10-19', '2026-10-20', '2026-10-21'];
const PUPILS = 3;
const DURING = new Date('2026-11-30T12:00:00Z');
const AFTER_YEAR = new Date('2027-07-15T12:00:00Z');

let app: TestApp;
let base: Base;
const pupilIds: number[] = [];

beforeAll(async () => {
  app = await createTestApp('2026-10-12T08:00:00Z');
  base = await seedAttendance(app);
  for (let i = 0; i < PUPILS; i++) pupilIds.push((await enrollPupil(app, base)).pupil.id);
}, 60_000);
afterAll(() => app.close());

const op = fc.oneof(
  fc.record({ t: fc.constant('ricarica' as const), p: fc.nat(PUPILS - 1), cents: fc.integer({ min: 1, max: 20_000 }), trasporto: fc.boolean() }),
  fc.record({ t: fc.constant('pagamento' as const), p: fc.nat(PUPILS - 1), cents: fc.integer({ min: 1, max: 20_000 }), channel: fc.constantFrom('contanti' as const, 'bonifico' as const, 'pos' as const) }),
  fc.record({ t: fc.constant('chiusura' as const), d: fc.nat(DAYS.length - 1) }),
  fc.record({ t: fc.constant('rettifica_presenza' as const), p: fc.nat(PUPILS - 1), d: fc.nat(DAYS.length - 1), present: fc.boolean(), plain: fc.boolean() }),
  fc.record({ t: fc.constant('rimborso' as const), p: fc.nat(PUPILS - 1), cents: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ t: fc.constant('rettifica' as const), p: fc.nat(PUPILS - 1), cents: fc.integer({ min: -5_000, max: 5_000 }).filter((c) => c !== 0) }),
  fc.record({ t: fc.constant('storno' as const), k: fc.nat(50) }),
  fc.record({ t: fc.constant('riporto' as const) }),
);

type Entry = Record<string, unknown> & { id: number };

describe('libro contabile: proprietà su sequenze casuali', () => {
  it('la somma dei saldi è sempre il denaro entrato meno i pasti addebitati, al centesimo; nessun movimento è mai modificato o cancellato', () => {
    const { db, sqlite } = app.database;
    let iuv = 1;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 14 }), (ops) => {
        sqlite.exec('SAVEPOINT seq');
        try {
          let moneyIn = 0;
          const payments: { id: number; cents: number }[] = [];
          let seen: Entry[] = [];
          for (const o of ops) {
            const before = moneyIn;
            try {
              sqlite.transaction(() => {
                const at = { userId: null, at: DURING };
                switch (o.t) {
                  case 'ricarica': {
                    const nav = buildNumeroAvviso({ auxDigit: 3, segregationCode: '12', iuvBase: String(2026000000000 + iuv++) });
                    const r = registerPagopaReceipt(db, { pupilId: pupilIds[o.p], service: o.trasporto ? 'trasporto' : 'mensa', noticeNumber: nav, amountCents: o.cents, paidAt: '2026-10-10T09:00:00Z' }, at);
                    payments.push({ id: r.payment.id, cents: o.cents });
                    moneyIn += o.cents;
                    break;
                  }
                  case 'pagamento': {
                    const r = registerManualPayment(db, { pupilId: pupilIds[o.p], service: 'mensa', channel: o.channel, amountCents: o.cents, paidOn: '2026-10-11', reference: 'CRO 1' }, at);
                    payments.push({ id: r.payment.id, cents: o.cents });
                    moneyIn += o.cents;
                    break;
                  }
                  case 'chiusura':
                    closeMunicipalityDay(db, sqlite, { municipalityId: base.clusone.id, date: DAYS[o.d], at: DURING, userId: null, mode: 'manuale' });
                    break;
                  case 'rettifica_presenza':
                    correctPresence(db, { pupilId: pupilIds[o.p], date: DAYS[o.d], present: o.present, plain: o.plain, reason: 'prova', origin: 'rettifica' }, DURING, null);
                    break;
                  case 'rimborso':
                    registerRefund(db, { pupilId: pupilIds[o.p], service: 'mensa', amountCents: o.cents, channel: 'bonifico', paidOn: '2026-10-12', reason: 'rimborso di prova' }, at);
                    moneyIn -= o.cents;
                    break;
                  case 'rettifica':
                    registerAdjustment(db, { pupilId: pupilIds[o.p], service: 'mensa', amountCents: o.cents, reason: 'rettifica di prova' }, at);
                    moneyIn += o.cents;
                    break;
                  case 'storno': {
                    if (!payments.length) return;
                    const p = payments[o.k % payments.length];
                    reversePayment(db, { paymentId: p.id, reason: 'storno di prova' }, at);
                    moneyIn -= p.cents;
                    break;
                  }
                  case 'riporto':
                    carryOver(db, sqlite, { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, { userId: null, at: AFTER_YEAR });
                    break;
                }
              })();
            } catch (e) {
              // a refused operation (refund above the credit, correction that changes nothing…) leaves nothing
              if (!(e instanceof AppError)) throw e;
              moneyIn = before;
            }
            // append-only: every entry seen before is still there, unchanged
            const now = sqlite.prepare('SELECT * FROM ledger_entries ORDER BY id').all() as Entry[];
            expect(now.slice(0, seen.length)).toEqual(seen);
            seen = now;
          }
          const charged = (
            sqlite
              .prepare(
                `WITH days AS (SELECT pupil_id, date FROM meals UNION SELECT pupil_id, date FROM meal_corrections),
                      eff AS (
                        SELECT d.pupil_id, d.date,
                               coalesce((SELECT CASE WHEN c.present THEN c.price_cents ELSE 0 END FROM meal_corrections c
                                         WHERE c.pupil_id = d.pupil_id AND c.date = d.date ORDER BY c.id DESC LIMIT 1),
                                        (SELECT m.price_cents FROM meals m WHERE m.pupil_id = d.pupil_id AND m.date = d.date), 0) AS price
                        FROM days d)
                 SELECT coalesce(sum(price), 0) AS c FROM eff`,
              )
              .get() as { c: number }
          ).c;
          const sums = sqlite.prepare('SELECT (SELECT coalesce(sum(balance_cents), 0) FROM ledger_accounts) AS cached, (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries) AS entries').get() as {
            cached: number;
            entries: number;
          };
          expect(sums.entries).toBe(moneyIn - charged);
          expect(sums.cached).toBe(sums.entries);
          expect(sqlite.prepare('SELECT a.id FROM ledger_accounts a WHERE a.balance_cents <> (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries e WHERE e.account_id = a.id)').all()).toEqual([]);
          expect(
            sqlite.prepare("SELECT i.id FROM ledger_entries i JOIN ledger_entries o ON o.id = i.counterpart_id WHERE i.kind = 'riporto_entrata' AND i.amount_cents + o.amount_cents <> 0").all(),
          ).toEqual([]);
          if (seen.length) {
            const victim = seen[seen.length - 1].id;
            expect(() => sqlite.prepare('UPDATE ledger_entries SET reason = ? WHERE id = ?').run('x', victim)).toThrow(/non si modificano/);
            expect(() => sqlite.prepare('DELETE FROM ledger_entries WHERE id = ?').run(victim)).toThrow(/non si cancellano/);
          }
        } finally {
          sqlite.exec('ROLLBACK TO seq; RELEASE seq');
        }
      }),
      { numRuns: 250 },
    );
  }, 600_000);
});
