/**
 * Day close for 50,000 pupils through `attendance.closeDay` (the service calendar of the day, the
 * tariff, one INSERT … SELECT applying every booking rule, the day_closures row, the audit), against
 * the floor: one raw better-sqlite3 INSERT … SELECT writing a meal for every enrollment into the
 * same table (same indexes and foreign keys), with no rule at all. Target: within 2x.
 */
import { compare, type BenchSuite } from './harness';
import { createBenchApp, freshFile } from './env';
import { seedAttendanceData } from './attendance-data';

const PUPILS = 50_000;
const DAY = '2026-10-12'; // a Monday
const AFTER_CUTOFF = '2026-10-12T09:00:00Z'; // 11:00 in Rome: both municipalities' cutoffs have passed

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

      const reset = () => {
        sqlite.prepare('DELETE FROM meals WHERE date = ?').run(DAY);
        sqlite.prepare('DELETE FROM day_closures WHERE date = ?').run(DAY);
      };
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
        'chiusura della giornata (tutti i comuni)',
        {
          setup: reset,
          fn: () =>
            sqlite.transaction(() => {
              const id = floorClosure.run(DAY, AFTER_CUTOFF).lastInsertRowid;
              floorRows = floorInsert.run(DAY, id).changes;
            })(),
        },
        {
          setup: reset,
          fn: async () => {
            const r = (await app.call('attendance.closeDay', { date: DAY })) as { results: { status: string; meals: number }[] };
            if (r.results.some((x) => x.status !== 'chiusa')) throw new Error(`giornata non chiusa: ${JSON.stringify(r.results)}`);
            appRows = r.results.reduce((n, x) => n + x.meals, 0);
          },
        },
        { runs: Math.max(ctx.runs, 7), warmup: 1, target: 2 },
      );
      // idempotence on the real volume: a second close writes nothing
      const again = (await app.call('attendance.closeDay', { date: DAY })) as { results: { status: string }[] };
      if (again.results.some((x) => x.status !== 'gia_chiusa')) throw new Error('la seconda chiusura ha registrato pasti');
      ctx.log(`pasti registrati: ${appRows} dalla procedura (regole applicate), ${floorRows} dal minimo (tutte le iscrizioni)`);
      result.note = `${appRows.toLocaleString('it-IT')} pasti registrati in ${result.app.medianMs.toFixed(0)} ms; il minimo scrive ${floorRows.toLocaleString('it-IT')} righe senza regole`;

      // the dashboard before the cutoff: the provisional kitchen report, derived from the bookings
      const floorCount = sqlite.prepare(
        `SELECT e.school_id, e.class_id, count(*) FROM enrollments e JOIN schools s ON s.id = e.school_id
         WHERE s.municipality_id = ? AND e.status = 'attiva' GROUP BY e.school_id, e.class_id`,
      );
      let provisionalMeals = 0;
      const provisional = await compare(
        this.title,
        'riepilogo pasti provvisorio (prima della chiusura)',
        { setup: reset, fn: () => [floorCount.all(1), floorCount.all(2)] },
        {
          setup: reset,
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
