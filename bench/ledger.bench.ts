/**
 * The ledger over a school year (issue 6): 50,000 pupils, a recorded meal and its charge for every
 * enrollment on every service day (about 9 million entries), three payments per pupil. Compared
 * with raw better-sqlite3 floors on the same data:
 * - balances of the 50,000 accounts: the app's list of every pupil's balance (`ledger.lowBalances`
 *   with a threshold above everyone, so all 50,000 rows, with pupil, school and payer), against the
 *   raw sum of every account's entries; and the full recomputation of every balance from the
 *   entries checked against the cache (`ledger.verify`) against the same raw sum;
 * - a family's statement over the whole year (`statements.get` for a payer with two pupils),
 *   against the raw query of that family's entries in date order.
 */
import type Database from 'better-sqlite3';
import { compare, type BenchSuite } from './harness';
import { createBenchApp, freshFile } from './env';
import { schoolYearDays, seedAttendanceData, seedRecordedYear } from './attendance-data';

const PUPILS = 50_000;
const NOW = '2027-07-10T08:00:00Z';

/**
 * Accounts, payments and one charge per recorded meal, written with the ledger's indexes and its
 * balance trigger dropped (rebuilt afterwards, the cache set by one UPDATE): a bulk load like the
 * one of the recorded year, not the path the office takes.
 */
function seedLedgerYear(sqlite: Database.Database): number {
  const saved = sqlite
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'ledger_entries' AND sql IS NOT NULL AND type IN ('index', 'trigger')")
    .all() as { type: string; name: string; sql: string }[];
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('synchronous = OFF');
  for (const o of saved) sqlite.exec(`DROP ${o.type.toUpperCase()} ${o.name}`);
  sqlite.transaction(() => {
    sqlite.exec(`
      INSERT INTO ledger_accounts (pupil_id, service, school_year_id, balance_cents, created_at)
        SELECT pupil_id, 'mensa', 1, 0, '${NOW}' FROM enrollments;
      INSERT INTO payments (channel, pupil_id, service, municipality_id, amount_cents, paid_at, paid_on, payer_id, payer_name, reference, source, created_at)
        SELECT 'bonifico', e.pupil_id, 'mensa', s.municipality_id, 40000, d.day || 'T10:00:00.000Z', d.day, e.payer_id, 'Genitore', 'CRO', 'manuale', '${NOW}'
        FROM enrollments e JOIN schools s ON s.id = e.school_id
        CROSS JOIN (SELECT '2026-09-10' AS day UNION ALL SELECT '2027-01-08' UNION ALL SELECT '2027-04-02') d;
      INSERT INTO ledger_entries (account_id, kind, amount_cents, booked_on, settled_on, channel, payer_id, payment_id, reason, created_at)
        SELECT a.id, 'pagamento', p.amount_cents, p.paid_on, p.paid_on, 'bonifico', p.payer_id, p.id, '', '${NOW}'
        FROM payments p JOIN ledger_accounts a ON a.pupil_id = p.pupil_id AND a.service = 'mensa' AND a.school_year_id = 1;
      INSERT INTO ledger_entries (account_id, kind, amount_cents, booked_on, meal_id, service_date, tariff_id, gross_cents, net_cents, vat_cents, vat_rate_bp, reason, created_at)
        SELECT a.id, 'addebito_pasto', -m.price_cents, m.date, m.id, m.date, m.tariff_id, m.price_cents,
               CASE m.price_cents WHEN 618 THEN 595 ELSE 433 END, m.price_cents - CASE m.price_cents WHEN 618 THEN 595 ELSE 433 END, 400, '', '${NOW}'
        FROM meals m JOIN ledger_accounts a ON a.pupil_id = m.pupil_id AND a.service = 'mensa' AND a.school_year_id = 1
        ORDER BY m.date, m.id;
      UPDATE ledger_accounts SET balance_cents = (SELECT sum(amount_cents) FROM ledger_entries e WHERE e.account_id = ledger_accounts.id);
    `);
  })();
  for (const o of saved) sqlite.exec(o.sql);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return (sqlite.prepare('SELECT count(*) AS n FROM ledger_entries').get() as { n: number }).n;
}

export const ledgerBench: BenchSuite = {
  id: 'ledger',
  title: `Libro contabile: ${PUPILS.toLocaleString('it-IT')} conti su un anno scolastico di movimenti`,
  async run(ctx) {
    const app = await createBenchApp(freshFile(ctx.tmpDir, 'ledger'), NOW);
    try {
      const sqlite = app.database.sqlite;
      const t0 = performance.now();
      seedAttendanceData(sqlite, PUPILS, '2026-10-12');
      const meals = seedRecordedYear(sqlite, schoolYearDays());
      const entries = seedLedgerYear(sqlite);
      ctx.log(`${meals.toLocaleString('it-IT')} pasti e ${entries.toLocaleString('it-IT')} movimenti creati in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const rawBalances = sqlite.prepare('SELECT account_id, sum(amount_cents) AS b FROM ledger_entries GROUP BY account_id');
      let rows = 0;
      const balances = await compare(
        this.title,
        'saldi di tutti i 50.000 alunni (ledger.lowBalances, soglia sopra tutti)',
        { fn: () => (rows = rawBalances.all().length) },
        {
          fn: async () => {
            const r = (await app.call('ledger.lowBalances', { thresholdCents: 10_000_000, limit: 50_000 })) as { rows: unknown[] };
            if (r.rows.length !== rows) throw new Error(`saldi: ${r.rows.length} righe invece di ${rows}`);
          },
        },
        { runs: Math.max(ctx.runs, 5), warmup: 1, target: 3 },
      );
      balances.note = `${rows.toLocaleString('it-IT')} saldi con alunno, scuola e pagante; l'app legge il saldo tenuto dal trigger, il minimo somma i ${entries.toLocaleString('it-IT')} movimenti`;

      const verify = await compare(
        this.title,
        'ricalcolo di ogni saldo dai movimenti e confronto (ledger.verify)',
        { fn: () => rawBalances.all() },
        {
          fn: async () => {
            const r = (await app.call('ledger.verify', {})) as { mismatches: unknown[] };
            if (r.mismatches.length) throw new Error('saldi che non tornano');
          },
        },
        { runs: Math.max(ctx.runs, 5), warmup: 1, target: 2 },
      );

      // a family: payer 1 pays for pupils 1 and 2 (bench/attendance-data.ts)
      const rawStatement = sqlite.prepare(
        `SELECT e.*, a.pupil_id, a.service FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
         WHERE a.pupil_id IN (SELECT pupil_id FROM enrollments WHERE payer_id = ?) AND e.booked_on BETWEEN ? AND ?
         ORDER BY e.booked_on, e.id`,
      );
      let lines = 0;
      const statement = await compare(
        this.title,
        "estratto conto di una famiglia (2 alunni) sull'intero anno (statements.get)",
        { fn: () => (lines = rawStatement.all(1, '2026-09-01', '2027-06-30').length) },
        {
          fn: async () => {
            await app.call('statements.get', { payerId: 1, from: '2026-09-01', to: '2027-06-30' });
          },
        },
        { runs: Math.max(ctx.runs, 7), warmup: 1, target: 3 },
      );
      statement.note = `${lines} movimenti della famiglia; l'app aggiunge saldi iniziali e finali, IVA dei pasti e riepiloghi`;
      return [balances, verify, statement];
    } finally {
      app.close();
    }
  },
};
