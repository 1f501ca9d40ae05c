/**
 * The kitchen report of one day over a whole school year of recorded meals (about 10 million rows)
 * through `kitchen.report` (both municipalities, per school and class, plain meals, corrections
 * applied, names), against the floor: the raw GROUP BY of that day's meals. Target: under 100 ms
 * (the report reads only the covering index meals(date, municipality, school, class, plain)).
 */
import { compare, type BenchSuite } from './harness';
import { createBenchApp, freshFile } from './env';
import { schoolYearDays, seedAttendanceData, seedRecordedYear } from './attendance-data';

const PUPILS = 50_000;
const TARGET_MS = 100;

export const kitchenBench: BenchSuite = {
  id: 'kitchen',
  title: `Riepilogo pasti su un anno di pasti registrati (kitchen.report)`,
  async run(ctx) {
    const app = await createBenchApp(freshFile(ctx.tmpDir, 'kitchen'), '2027-07-01T08:00:00Z');
    try {
      const sqlite = app.database.sqlite;
      const t0 = performance.now();
      seedAttendanceData(sqlite, PUPILS, '2026-10-12');
      const days = schoolYearDays();
      const rows = seedRecordedYear(sqlite, days);
      ctx.log(`${rows.toLocaleString('it-IT')} pasti registrati su ${days.length} giorni creati in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const plan = sqlite
        .prepare('EXPLAIN QUERY PLAN SELECT school_id, class_id, count(*), sum(plain) FROM meals WHERE date = ? AND municipality_id = ? GROUP BY school_id, class_id')
        .all('2027-03-10', 1) as { detail: string }[];
      ctx.log(`piano della query: ${plan.map((p) => p.detail).join(' | ')}`);

      const floor = sqlite.prepare(
        'SELECT school_id, class_id, count(*) AS meals, sum(plain) AS plain FROM meals WHERE date = ? AND municipality_id = ? GROUP BY school_id, class_id',
      );
      // a different day each run, so no run is served by the previous one's pages alone
      let i = 0;
      const pick = () => days[(37 + 11 * i++) % days.length];
      let mealsSeen = 0;
      const result = await compare(
        this.title,
        `riepilogo di un giorno (${(rows / 1e6).toFixed(1)} milioni di pasti nell'anno)`,
        {
          fn: () => {
            const d = pick();
            return [floor.all(d, 1), floor.all(d, 2)];
          },
        },
        {
          fn: async () => {
            const r = (await app.call('kitchen.report', { date: pick() })) as { meals: number; provisional: boolean };
            if (r.provisional) throw new Error('il riepilogo di una giornata chiusa non deve essere provvisorio');
            mealsSeen = r.meals;
          },
        },
        { runs: Math.max(ctx.runs, 15), warmup: 3, target: 4 },
      );
      const underTarget = result.app.medianMs < TARGET_MS;
      result.pass = result.pass && underTarget;
      result.targetLabel = `≤ ${result.target}x, < ${TARGET_MS} ms`;
      result.note = `obiettivo assoluto: sotto ${TARGET_MS} ms, mediana ${result.app.medianMs.toFixed(1)} ms (${underTarget ? 'rispettato' : 'NON rispettato'}); ${mealsSeen.toLocaleString('it-IT')} pasti nel giorno`;
      return [result];
    } finally {
      app.close();
    }
  },
};
