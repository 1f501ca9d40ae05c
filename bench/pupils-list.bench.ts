/**
 * (b) Listing and filtering 50,000 pupils through `pupils.list` (first page sorted by name, a
 * search, a school filter), against the floor: the equivalent raw SELECTs (the page and its total)
 * prepared once with better-sqlite3. The office is the demo one (`demo.seed`), 50,000 pupils.
 */
import { compare, type BenchSuite, type Comparison } from './harness';
import { createBenchApp, freshFile } from './env';

const PUPILS = 50_000;
const PAGE = 100;

const COLUMNS = `p.id, p.first_name AS firstName, p.last_name AS lastName, p.birth_date AS birthDate, p.tax_code AS taxCode, p.user_code AS userCode,
  p.phone_code AS phoneCode, p.school_id AS schoolId, s.name AS schoolName, s.municipality_id AS municipalityId, m.name AS municipalityName,
  p.class_id AS classId, c.name AS className, p.notes`;
const FROM = `FROM pupils p JOIN schools s ON s.id = p.school_id JOIN municipalities m ON m.id = s.municipality_id LEFT JOIN classes c ON c.id = p.class_id`;
const ORDER = 'ORDER BY p.last_name, p.first_name, p.id LIMIT ? OFFSET 0';

export const pupilsListBench: BenchSuite = {
  id: 'pupils-list',
  title: `Elenco di ${PUPILS.toLocaleString('it-IT')} alunni (pupils.list)`,
  async run(ctx) {
    const app = await createBenchApp(freshFile(ctx.tmpDir, 'list'));
    try {
      const t0 = performance.now();
      await app.call('demo.seed', { pupils: PUPILS, seed: 1 });
      ctx.log(`ufficio dimostrativo con ${PUPILS} alunni creato in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const sqlite = app.database.sqlite;
      const school = sqlite.prepare("SELECT id FROM schools WHERE name = 'Scuola primaria Dante Alighieri'").pluck().get() as number;

      const firstPage = {
        page: sqlite.prepare(`SELECT ${COLUMNS} ${FROM} ${ORDER}`),
        count: sqlite.prepare('SELECT count(*) FROM pupils p JOIN schools s ON s.id = p.school_id').pluck(),
      };
      const search = {
        page: sqlite.prepare(`SELECT ${COLUMNS} ${FROM} WHERE p.search_text LIKE ? ESCAPE '\\' ${ORDER}`),
        count: sqlite.prepare("SELECT count(*) FROM pupils p JOIN schools s ON s.id = p.school_id WHERE p.search_text LIKE ? ESCAPE '\\'").pluck(),
      };
      const bySchool = {
        page: sqlite.prepare(`SELECT ${COLUMNS} ${FROM} WHERE p.school_id = ? ${ORDER}`),
        count: sqlite.prepare('SELECT count(*) FROM pupils p JOIN schools s ON s.id = p.school_id WHERE p.school_id = ?').pluck(),
      };

      const expectRows = (v: unknown, n: number) => {
        const rows = (v as { rows: unknown[] }).rows;
        if (rows.length !== n) throw new Error(`attese ${n} righe, avute ${rows.length}`);
      };
      const searchWord = 'ross';
      const searchHits = Math.min(PAGE, search.count.get(`%${searchWord}%`) as number);
      const out: Comparison[] = [];
      const opts = { runs: Math.max(ctx.runs, 15), warmup: 3 };
      out.push(
        await compare(
          this.title,
          'prima pagina per cognome e nome',
          { fn: () => [firstPage.count.get(), firstPage.page.all(PAGE)] },
          { fn: async () => expectRows(await app.call('pupils.list', { limit: PAGE }), PAGE) },
          opts,
        ),
      );
      out.push(
        await compare(
          this.title,
          `ricerca «${searchWord}»`,
          { fn: () => [search.count.get(`%${searchWord}%`), search.page.all(`%${searchWord}%`, PAGE)] },
          { fn: async () => expectRows(await app.call('pupils.list', { search: searchWord, limit: PAGE }), searchHits) },
          opts,
        ),
      );
      out.push(
        await compare(
          this.title,
          'filtro per scuola',
          { fn: () => [bySchool.count.get(school), bySchool.page.all(school, PAGE)] },
          { fn: async () => expectRows(await app.call('pupils.list', { schoolId: school, limit: PAGE }), PAGE) },
          opts,
        ),
      );
      return out;
    } finally {
      app.close();
    }
  },
};
