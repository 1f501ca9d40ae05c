/**
 * Debt positions and the morning worklist (issue 11) for 50,000 families over a school year of
 * ledger entries: 50,000 pupils, each with a payer of their own, a meal charge for every enrollment
 * on every service day (about 10 million entries) and three payments per pupil, but one family in five
 * pays only a first 50 € and owes from October on; a tenth of those already had a first reminder. Compared
 * with a raw better-sqlite3 floor on the same data, measured in the same run:
 * - the positions (`debts.positions`: every family owing, with amount and age of the oldest unpaid
 *   charge), against one raw query that takes the accounts in debt from the balance the trigger
 *   keeps and finds each one's oldest unpaid charge with a window over its charges (newest first),
 *   grouped by family (payer, municipality);
 * - the worklist (`debts.worklist`), against the same raw positions plus a read of every step taken.
 */
import type Database from 'better-sqlite3';
import { compare, type BenchSuite } from './harness';
import { createBenchApp, freshFile } from './env';
import { schoolYearDays, seedAttendanceData } from './attendance-data';

const FAMILIES = 50_000;
const NOW = '2027-07-10T08:00:00.000Z';

/**
 * The ledger of the year as a bulk load (as ledger.bench.ts): no journal, the ledger's triggers and
 * indexes dropped and rebuilt afterwards, the balance cache set from the entries' sums.
 */
function seedDebtYear(sqlite: Database.Database, days: string[], log: (m: string) => void): number {
  const saved = sqlite
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'ledger_entries' AND sql IS NOT NULL AND type IN ('index', 'trigger')")
    .all() as { type: string; name: string; sql: string }[];
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('ignore_check_constraints = ON');
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -524288');
  for (const o of saved) sqlite.exec(`DROP ${o.type.toUpperCase()} ${o.name}`);
  let t = performance.now();
  const lap = (what: string) => {
    log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
  };
  sqlite.transaction(() => {
    // a payer of their own for every pupil: 50,000 families
    sqlite.exec(`
      WITH RECURSIVE n(i) AS (SELECT (SELECT max(id) FROM payers) + 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${FAMILIES})
      INSERT INTO payers (id, first_name, last_name, tax_code, email, mobile, search_text, created_at, updated_at)
        SELECT i, 'Genitore', 'N' || i, 'PAYER' || printf('%011d', i), 'g' || i || '@example.it', '3470000000', 'n' || i, '${NOW}', '${NOW}' FROM n;
      UPDATE enrollments SET payer_id = pupil_id;
      CREATE TEMP TABLE bench_days (day TEXT PRIMARY KEY);
    `);
    const day = sqlite.prepare('INSERT INTO bench_days VALUES (?)');
    for (const d of days) day.run(d);
    sqlite.exec(`
      INSERT INTO ledger_accounts (pupil_id, service, school_year_id, balance_cents, created_at)
        SELECT pupil_id, 'mensa', 1, 0, '${NOW}' FROM enrollments;
      INSERT INTO payments (channel, pupil_id, service, municipality_id, amount_cents, paid_at, paid_on, payer_id, payer_name, reference, source, created_at)
        SELECT 'bonifico', e.pupil_id, 'mensa', s.municipality_id, CASE WHEN e.pupil_id % 5 = 0 THEN 5000 ELSE 45000 END,
               d.day || 'T10:00:00.000Z', d.day, e.payer_id, 'Genitore', 'CRO', 'manuale', '${NOW}'
        FROM enrollments e JOIN schools s ON s.id = e.school_id
        CROSS JOIN (SELECT '2026-09-10' AS day UNION ALL SELECT '2027-01-08' UNION ALL SELECT '2027-04-02') d
        WHERE e.pupil_id % 5 <> 0 OR d.day = '2026-09-10';
      INSERT INTO ledger_entries (account_id, kind, amount_cents, booked_on, settled_on, channel, payer_id, payment_id, reason, created_at)
        SELECT a.id, 'pagamento', p.amount_cents, p.paid_on, p.paid_on, 'bonifico', p.payer_id, p.id, '', '${NOW}'
        FROM payments p CROSS JOIN ledger_accounts a ON a.pupil_id = p.pupil_id AND a.service = 'mensa' AND a.school_year_id = 1;
    `);
    lap('famiglie, conti e pagamenti');
    // one charge per enrollment per service day, day by day (the order a real year writes them)
    sqlite.exec(`
      INSERT INTO ledger_entries (account_id, kind, amount_cents, booked_on, service_date, gross_cents, net_cents, vat_cents, vat_rate_bp, reason, created_at)
        SELECT a.id, 'addebito_pasto', CASE s.municipality_id WHEN 1 THEN -618 ELSE -450 END, d.day, d.day,
               CASE s.municipality_id WHEN 1 THEN 618 ELSE 450 END, CASE s.municipality_id WHEN 1 THEN 595 ELSE 433 END,
               CASE s.municipality_id WHEN 1 THEN 23 ELSE 17 END, 400, '', '${NOW}'
        FROM bench_days d CROSS JOIN ledger_accounts a JOIN enrollments e ON e.pupil_id = a.pupil_id AND e.school_year_id = 1 JOIN schools s ON s.id = e.school_id
        ORDER BY d.day, a.id;
    `);
    lap('addebiti dei pasti');
    sqlite.exec(`
      CREATE TEMP TABLE bench_balances (account_id INTEGER PRIMARY KEY, total INTEGER NOT NULL);
      INSERT INTO bench_balances SELECT account_id, sum(amount_cents) FROM ledger_entries GROUP BY account_id;
      UPDATE ledger_accounts SET balance_cents = b.total FROM bench_balances b WHERE b.account_id = ledger_accounts.id;
      DROP TABLE bench_balances;
      DROP TABLE bench_days;
    `);
    lap('saldi');
    // a first reminder for a tenth of the families in debt (their letter: a few stored bytes)
    sqlite.exec(`
      INSERT INTO debt_steps (payer_id, municipality_id, step_position, step_name, channel, days_to_pay, amount_cents, reached_on, pay_by, recorded_at,
                              document_file_name, document_sha256, document_size_bytes, document)
        SELECT e.payer_id, s.municipality_id, 1, 'Sollecito', 'email_sms', 15, -a.balance_cents, '2027-06-20', '2027-07-05', '${NOW}',
               'sollecito.pdf', '${'0'.repeat(64)}', 9, CAST('%PDF-1.4\n' AS BLOB)
        FROM ledger_accounts a JOIN enrollments e ON e.pupil_id = a.pupil_id AND e.school_year_id = 1 JOIN schools s ON s.id = e.school_id
        WHERE a.balance_cents < 0 AND a.pupil_id % 10 = 0;
    `);
    lap('passi della procedura');
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

/**
 * The raw floor of the positions: the accounts in debt from the cached balance, each one's charges
 * newest first with a running total, the oldest charge the balance does not cover, per family.
 */
const RAW_POSITIONS = `
  WITH owing AS (
    SELECT a.pupil_id, a.service, sum(a.balance_cents) AS balance FROM ledger_accounts a GROUP BY a.pupil_id, a.service HAVING sum(a.balance_cents) < 0
  ),
  charges AS (
    SELECT o.pupil_id, o.balance, le.booked_on,
      sum(-le.amount_cents) OVER (PARTITION BY o.pupil_id, o.service ORDER BY le.booked_on DESC, le.id DESC ROWS UNBOUNDED PRECEDING) + le.amount_cents AS newer
    FROM owing o JOIN ledger_accounts a ON a.pupil_id = o.pupil_id AND a.service = o.service JOIN ledger_entries le ON le.account_id = a.id
    WHERE le.amount_cents < 0
  ),
  pupil_debt AS (SELECT pupil_id, -min(balance) AS owed, min(booked_on) AS oldest FROM charges WHERE newer < -balance GROUP BY pupil_id)
  SELECT e.payer_id, s.municipality_id, sum(d.owed) AS owed, min(d.oldest) AS oldest
  FROM pupil_debt d JOIN enrollments e ON e.pupil_id = d.pupil_id AND e.school_year_id = 1 JOIN schools s ON s.id = e.school_id
  GROUP BY e.payer_id, s.municipality_id`;

export const debtsBench: BenchSuite = {
  id: 'debts',
  title: `Morosità: posizioni e lista del mattino di ${FAMILIES.toLocaleString('it-IT')} famiglie su un anno di movimenti`,
  async run(ctx) {
    const app = await createBenchApp(freshFile(ctx.tmpDir, 'debts'), NOW);
    try {
      const sqlite = app.database.sqlite;
      const t0 = performance.now();
      seedAttendanceData(sqlite, FAMILIES, '2026-10-12');
      // BENCH_DEBTS_DAYS=n keeps only the first n service days (a quicker run)
      const limit = Number(process.env.BENCH_DEBTS_DAYS ?? '') || Infinity;
      const days = schoolYearDays().slice(0, limit);
      const entries = seedDebtYear(sqlite, days, (m) => ctx.log(m));
      ctx.log(`${days.length} giorni di servizio: ${entries.toLocaleString('it-IT')} movimenti creati in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const raw = sqlite.prepare(RAW_POSITIONS);
      const rawSteps = sqlite.prepare('SELECT id, payer_id, municipality_id, step_position, step_name, channel, reached_on, pay_by, delivered_on FROM debt_steps ORDER BY reached_on, id');
      let families = 0;
      let appFamilies = 0;
      const positions = await compare(
        this.title,
        'posizioni debitorie di tutte le famiglie (debts.positions)',
        { fn: () => (families = raw.all().length) },
        {
          fn: async () => {
            const r = (await app.call('debts.positions', { limit: 1000 })) as { total: number };
            appFamilies = r.total;
          },
        },
        { runs: Math.max(ctx.runs, 3), warmup: 1, target: 3 },
      );
      positions.note = `${appFamilies.toLocaleString('it-IT')} famiglie in debito per l'app (${families.toLocaleString('it-IT')} per il minimo, che non esclude i pasti SDD non ancora scaduti) su ${entries.toLocaleString('it-IT')} movimenti`;

      let steps = 0;
      const worklist = await compare(
        this.title,
        'lista del mattino (debts.worklist)',
        {
          fn: () => {
            families = raw.all().length;
            steps = rawSteps.all().length;
          },
        },
        {
          fn: async () => {
            await app.call('debts.worklist', {});
          },
        },
        { runs: Math.max(ctx.runs, 3), warmup: 1, target: 3 },
      );
      worklist.note = `posizioni più i ${steps.toLocaleString('it-IT')} passi registrati, le procedure dei comuni, piani ed esenzioni; il minimo legge posizioni e passi`;
      return [positions, worklist];
    } finally {
      app.close();
    }
  },
};
