/**
 * Day close for 50,000 pupils through `attendance.closeDay` (the service calendar of the day, the
 * tariff, one INSERT … SELECT applying every booking rule, the day_closures row, the meal charges
 * in the ledger (issue 6: accounts created on first use, one entry per meal, the balance trigger),
 * the audit), against the floor: raw better-sqlite3 INSERT … SELECTs writing a meal for every
 * enrollment and its ledger charge into the same tables (same indexes, foreign keys and triggers),
 * with no rule at all. Target: within 2x.
 *
 * The ledger refuses DELETE (append-only), so each run is undone by rolling back a savepoint
 * opened in the untimed setup.
 */
import { compare, type BenchSuite } from './harness';
import { createBenchApp, freshFile } from './env';
import { seedAttendanceData } from './attendance-data';

const PUPILS = 50_000;
const DAY = '2026-10-12'; // a Monday
const AFTER_CUTOFF = '2026-10-12T09:00:00Z'; // 11:00 in Rome: both municipalities' cutoffs have passed
const AFTER_CUTOFF_STORED = '2026-10-12T09:00:00.000Z'; // the same moment as the database stores it (CHECK on moments)

export const dayCloseBench: BenchSuite = {
  id: 'day-close',
  title: `Chiusura della giornata per ${PUPILS.toLocaleString('it-IT')} alunni (attendance.closeDay)`,
  async run(ctx) {
    const app = await createBenchApp(freshFile(ctx.tmpDir, 'day-close'), AFTER_CUTOFF);
    try {
      const sqlite = app.database.sqlite;
      const t0 = performance.now();
      seedAttendanceData(sqlite, PUPILS, DAY);
      ctx.log(`${PUPILS} alunni, iscrizioni e assenze create in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      // each run inside a savepoint, rolled back afterwards (ledger entries cannot be deleted)
      const reset = () => {
        sqlite.exec('SAVEPOINT bench_run');
      };
      const undo = () => {
        sqlite.exec('ROLLBACK TO bench_run; RELEASE bench_run');
      };
      const floorAccounts = sqlite.prepare(
        `INSERT INTO ledger_accounts (pupil_id, service, school_year_id, balance_cents, created_at)
         SELECT pupil_id, 'mensa', 1, 0, ? FROM meals WHERE date = ? ON CONFLICT (pupil_id, service, school_year_id) DO NOTHING`,
      );
      const floorCharges = sqlite.prepare(
        `INSERT INTO ledger_entries (account_id, kind, amount_cents, booked_on, meal_id, service_date, tariff_id, gross_cents, net_cents, vat_cents, vat_rate_bp, reason, created_at)
         SELECT a.id, 'addebito_pasto', -m.price_cents, m.date, m.id, m.date, m.tariff_id, m.price_cents, 595, m.price_cents - 595, 400, '', ?
         FROM meals m JOIN ledger_accounts a ON a.pupil_id = m.pupil_id AND a.service = 'mensa' AND a.school_year_id = 1 WHERE m.date = ?`,
      );
      const floorInsert = sqlite.prepare(
        `INSERT INTO meals (pupil_id, date, enrollment_id, municipality_id, school_id, class_id, plain, tariff_id, price_cents, day_closure_id)
         SELECT e.pupil_id, ?, e.id, s.municipality_id, e.school_id, e.class_id, 0, 1, 618, ?
         FROM enrollments e JOIN schools s ON s.id = e.school_id`,
      );
      const floorClosure = sqlite.prepare("INSERT INTO day_closures (municipality_id, date, closed_at, mode, meals, plain_meals) VALUES (1, ?, ?, 'manuale', 0, 0)");
      let floorRows = 0;
      let appRows = 0;
      const result = await compare(
        this.title,
        'chiusura della giornata con addebito dei pasti (tutti i comuni)',
        {
          setup: reset,
          teardown: undo,
          fn: () =>
            sqlite.transaction(() => {
              const id = floorClosure.run(DAY, AFTER_CUTOFF_STORED).lastInsertRowid;
              floorRows = floorInsert.run(DAY, id).changes;
              floorAccounts.run(AFTER_CUTOFF_STORED, DAY);
              floorCharges.run(AFTER_CUTOFF_STORED, DAY);
            })(),
        },
        {
          setup: reset,
          teardown: undo,
          fn: async () => {
            const r = (await app.call('attendance.closeDay', { date: DAY })) as { results: { status: string; meals: number }[] };
            if (r.results.some((x) => x.status !== 'chiusa')) throw new Error(`giornata non chiusa: ${JSON.stringify(r.results)}`);
            appRows = r.results.reduce((n, x) => n + x.meals, 0);
          },
        },
        { runs: Math.max(ctx.runs, 7), warmup: 1, target: 2 },
      );
      // idempotence on the real volume: a second close writes nothing; every meal charged once
      reset();
      await app.call('attendance.closeDay', { date: DAY });
      const again = (await app.call('attendance.closeDay', { date: DAY })) as { results: { status: string }[] };
      if (again.results.some((x) => x.status !== 'gia_chiusa')) throw new Error('la seconda chiusura ha registrato pasti');
      const charged = sqlite.prepare("SELECT (SELECT count(*) FROM meals WHERE date = ?) AS meals, (SELECT count(*) FROM ledger_entries WHERE kind = 'addebito_pasto' AND service_date = ?) AS charges").get(DAY, DAY) as { meals: number; charges: number };
      if (charged.meals !== charged.charges) throw new Error(`pasti ${charged.meals}, addebiti ${charged.charges}`);
      undo();
      ctx.log(`pasti registrati: ${appRows} dalla procedura (regole applicate), ${floorRows} dal minimo (tutte le iscrizioni)`);
      result.note = `${appRows.toLocaleString('it-IT')} pasti registrati e addebitati in ${result.app.medianMs.toFixed(0)} ms; il minimo scrive ${floorRows.toLocaleString('it-IT')} righe senza regole`;

      // the dashboard before the cutoff: the provisional kitchen report, derived from the bookings
      const floorCount = sqlite.prepare(
        `SELECT e.school_id, e.class_id, count(*) FROM enrollments e JOIN schools s ON s.id = e.school_id
         WHERE s.municipality_id = ? AND e.status = 'attiva' GROUP BY e.school_id, e.class_id`,
      );
      let provisionalMeals = 0;
      const provisional = await compare(
        this.title,
        'riepilogo pasti provvisorio (prima della chiusura)',
        { fn: () => [floorCount.all(1), floorCount.all(2)] },
        {
          fn: async () => {
            const r = (await app.call('kitchen.report', { date: DAY })) as { provisional: boolean; meals: number };
            if (!r.provisional) throw new Error('il riepilogo prima della chiusura deve essere provvisorio');
            provisionalMeals = r.meals;
          },
        },
        { runs: Math.max(ctx.runs, 7), warmup: 1, target: 3 },
      );
      // issue 3's target for the kitchen report is absolute (under 100 ms); the floor here only counts
      // active enrollments with none of the booking rules, so the ratio is shown for information
      provisional.pass = provisional.app.medianMs < 100;
      provisional.targetLabel = '< 100 ms';
      provisional.note = `${provisionalMeals.toLocaleString('it-IT')} pasti prenotati contati con tutte le regole; il minimo conta le iscrizioni attive senza regole; giudicato sull'obiettivo assoluto di 100 ms`;
      return [result, provisional];
    } finally {
      app.close();
    }
  },
};
