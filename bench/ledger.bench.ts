/**
 * The ledger over a school year (issue 6): 50,000 pupils, a recorded meal and its charge for every
 * enrollment on every service day (about 10 million entries), three payments per pupil. Compared
 * with raw better-sqlite3 floors on the same data:
 * - balances of the 50,000 accounts: the app's list of every pupil's balance (`ledger.lowBalances`
 *   with a threshold above everyone, so all 50,000 rows, with pupil, school and payer), against one
 *   raw join returning the same rows; and the full recomputation of every balance from the entries
 *   checked against the cache (`ledger.verify`) against the raw sum of every account's entries;
 * - a family's statement over the whole year (`statements.get` for a payer with two pupils),
 *   against the raw query of that family's entries in date order.
 */
import type Database from 'better-sqlite3';
import { compare, type BenchSuite } from './harness';
import { createBenchApp, freshFile } from './env';
import { schoolYearDays, seedAttendanceData, seedRecordedYear } from './attendance-data';

const PUPILS = 50_000;
const NOW = '2027-07-10T08:00:00.000Z';

/**
 * Accounts, payments and one charge per recorded meal, written as a bulk load (not the path the
 * office takes): no journal, the ledger's indexes and triggers dropped and rebuilt afterwards (a sort
 * is much faster than 9 million random index insertions), the charges inserted in the meals' order
 * (date, then id: they were written day by day) and the balance cache set by one UPDATE from the
 * entries' sums, as the trigger would have left it.
 */
function seedLedgerYear(sqlite: Database.Database, log: (m: string) => void): number {
  // the triggers, the full indexes and those keyed by account go and come back after the load; the
  // other partial indexes stay (a charge is not in them, or lands at their end: meal ids only grow)
  const saved = (
    sqlite
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'ledger_entries' AND sql IS NOT NULL AND type IN ('index', 'trigger')")
      .all() as { type: string; name: string; sql: string }[]
  ).filter((o) => o.type === 'trigger' || !/\bWHERE\b/i.test(o.sql) || /\(\s*[`"]?account_id/.test(o.sql));
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('ignore_check_constraints = ON'); // the rows are built valid; 9 million CHECKs cost more than the inserts
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -524288'); // 512 MB for the index sorts
  for (const o of saved) sqlite.exec(`DROP ${o.type.toUpperCase()} ${o.name}`);
  let t = performance.now();
  const lap = (what: string) => {
    log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
  };
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
        FROM payments p CROSS JOIN ledger_accounts a ON a.pupil_id = p.pupil_id AND a.service = 'mensa' AND a.school_year_id = 1;
    `);
    lap('conti e pagamenti');
    // CROSS JOIN keeps meals as the outer loop: the charges follow the meals' rowid order (date, id)
    sqlite.exec(`
      INSERT INTO ledger_entries (account_id, kind, amount_cents, booked_on, meal_id, service_date, tariff_id, gross_cents, net_cents, vat_cents, vat_rate_bp, reason, created_at)
        SELECT a.id, 'addebito_pasto', -m.price_cents, m.date, m.id, m.date, m.tariff_id, m.price_cents,
               CASE m.price_cents WHEN 618 THEN 595 ELSE 433 END, m.price_cents - CASE m.price_cents WHEN 618 THEN 595 ELSE 433 END, 400, '', '${NOW}'
        FROM meals m CROSS JOIN ledger_accounts a ON a.pupil_id = m.pupil_id AND a.service = 'mensa' AND a.school_year_id = 1;
    `);
    lap('addebiti dei pasti');
    sqlite.exec(`
      CREATE TEMP TABLE bench_balances (account_id INTEGER PRIMARY KEY, total INTEGER NOT NULL);
      INSERT INTO bench_balances SELECT account_id, sum(amount_cents) FROM ledger_entries GROUP BY account_id;
      UPDATE ledger_accounts SET balance_cents = b.total FROM bench_balances b WHERE b.account_id = ledger_accounts.id;
      DROP TABLE bench_balances;
    `);
    lap('saldi');
  })();
  for (const o of saved) sqlite.exec(o.sql);
  lap('indici e trigger del libro contabile');
  sqlite.pragma(`cache_size = ${cacheSize}`);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('ignore_check_constraints = OFF');
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
      // BENCH_LEDGER_DAYS=n keeps only the first n service days (a quicker run on a busy machine)
      const limit = Number(process.env.BENCH_LEDGER_DAYS ?? '') || Infinity;
      const days = schoolYearDays().slice(0, limit);
      const meals = seedRecordedYear(sqlite, days);
      ctx.log(`  alunni e pasti dell'anno: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const entries = seedLedgerYear(sqlite, (m) => ctx.log(m));
      ctx.log(`${days.length} giorni di servizio: ${meals.toLocaleString('it-IT')} pasti e ${entries.toLocaleString('it-IT')} movimenti creati in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      // the same 50,000 rows the app returns (pupil, school, municipality, balance, payer, payment
      // method, lowest balance first), read with one raw join from the balance the trigger keeps
      const rawList = sqlite.prepare(
        `SELECT p.id, p.last_name || ' ' || p.first_name AS pupilName, p.user_code, s.name AS schoolName, m.id AS municipalityId, m.name AS municipalityName,
                a.balance_cents, py.id AS payerId, py.last_name || ' ' || py.first_name AS payerName, py.email, py.mobile, e.payment_method
         FROM ledger_accounts a JOIN pupils p ON p.id = a.pupil_id JOIN schools s ON s.id = p.school_id JOIN municipalities m ON m.id = s.municipality_id
         JOIN enrollments e ON e.pupil_id = a.pupil_id AND e.school_year_id = a.school_year_id JOIN payers py ON py.id = e.payer_id
         WHERE a.service = 'mensa' ORDER BY a.balance_cents, p.last_name, p.first_name`,
      );
      let rows = 0;
      const balances = await compare(
        this.title,
        'saldi di tutti i 50.000 alunni (ledger.lowBalances, soglia sopra tutti)',
        { fn: () => (rows = rawList.all().length) },
        {
          fn: async () => {
            const r = (await app.call('ledger.lowBalances', { thresholdCents: 10_000_000, limit: 50_000 })) as { rows: unknown[] };
            if (r.rows.length !== rows) throw new Error(`saldi: ${r.rows.length} righe invece di ${rows}`);
          },
        },
        { runs: Math.max(ctx.runs, 5), warmup: 1, target: 3 },
      );
      balances.note = `${rows.toLocaleString('it-IT')} saldi con alunno, scuola, comune e pagante, dal più basso; entrambi leggono il saldo tenuto dal trigger sui ${entries.toLocaleString('it-IT')} movimenti`;

      // the full recomputation: every account's sum over the whole year of entries (about 13 s a run
      // on the 2-core machine, so at most 3 timed runs)
      const rawBalances = sqlite.prepare('SELECT account_id, sum(amount_cents) AS b FROM ledger_entries GROUP BY account_id');
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
        { runs: Math.min(ctx.runs, 3), warmup: 1, target: 2 },
      );
      verify.note = `la somma di ognuno dei ${entries.toLocaleString('it-IT')} movimenti per conto, confrontata con il saldo tenuto dal trigger; il minimo fa la stessa somma`;

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
