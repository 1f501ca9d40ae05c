/**
 * (a) Importing 10,000 pupils (with their payers and enrollments) from a spreadsheet through
 * `imports.preview` (the job: read, map, check every row) and `imports.commit` (one transaction),
 * against the floor: a raw prepared-statement insert of the same rows in one transaction.
 */
import type Database from 'better-sqlite3';
import { legacyRows, toCsv, toXlsx, type LegacyRow } from '../test/fixtures/import-sheet';
import { compare, type BenchSuite, type Comparison } from './harness';
import { createBenchApp, freshFile, removeDb, type BenchApp } from './env';
import { openDatabase } from '../db/open';

const ROWS = 10_000;
const NOW = '2026-07-10T08:00:00.000Z';

/** The master data the file refers to: Clusone, «Primaria Clusone», 2026/2027 and two of its classes. */
function seedMasterData(sqlite: Database.Database): void {
  sqlite.exec(`
    INSERT INTO municipalities (name, province, cutoff_time, created_at, updated_at) VALUES ('Clusone', 'BG', '09:30', '${NOW}', '${NOW}');
    INSERT INTO school_years (label, starts_on, ends_on, created_at) VALUES ('2026/2027', '2026-09-01', '2027-06-30', '${NOW}');
    INSERT INTO schools (municipality_id, name, kind, created_at, updated_at) VALUES (1, 'Primaria Clusone', 'primaria', '${NOW}', '${NOW}');
    INSERT INTO classes (school_id, school_year_id, name, created_at) VALUES (1, 1, '3A', '${NOW}'), (1, 1, '3B', '${NOW}'), (1, 1, '4A', '${NOW}');
  `);
}

const iso = (it: string) => it.split('/').reverse().join('-');

/** The floor: the same pupils, payers (siblings share one) and enrollments, inserted with raw prepared statements. */
function rawInsert(sqlite: Database.Database, rows: readonly LegacyRow[]): void {
  const insPayer = sqlite.prepare(
    `INSERT INTO payers (first_name, last_name, tax_code, email, mobile, street, street_number, postcode, town, province, country, iban, iban_holder, search_text, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, 'IT', ?, ?, ?, ?, ?)`,
  );
  const insPupil = sqlite.prepare(
    `INSERT INTO pupils (first_name, last_name, birth_date, tax_code, user_code, phone_code, school_id, class_id, notes, search_text, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, '', ?, ?, ?)`,
  );
  const insEnrollment = sqlite.prepare(
    `INSERT INTO enrollments (pupil_id, school_year_id, payer_id, school_id, class_id, weekdays, payment_method, status, starts_on, activated_on, notes, created_at, updated_at)
     VALUES (?, 1, ?, 1, ?, '1,2,3,4,5', ?, 'attiva', '2026-09-01', '2026-07-10', '', ?, ?)`,
  );
  const classIds: Record<string, number> = { '3A': 1, '3B': 2, '4A': 3 };
  sqlite.transaction(() => {
    const payers = new Map<string, number>();
    rows.forEach((r, i) => {
      let payerId = payers.get(r['CF genitore']);
      if (payerId === undefined) {
        payerId = Number(
          insPayer.run(
            r['Nome genitore'], r['Cognome genitore'], r['CF genitore'], r['E-mail'], r.Cellulare, r.Indirizzo, r.CAP, r['Città'], r.Provincia,
            r.IBAN || null, r['Intestatario conto'] || null, `${r['Cognome genitore']} ${r['Nome genitore']}`.toLowerCase(), NOW, NOW,
          ).lastInsertRowid,
        );
        payers.set(r['CF genitore'], payerId);
      }
      const userCode = String(10_000_001 + i);
      const pupilId = Number(
        insPupil.run(r.Nome, r.Cognome, iso(r['Data di nascita']), r['Codice fiscale'], userCode, String(100_000 + i), classIds[r.Classe], `${r.Cognome} ${r.Nome}`.toLowerCase(), NOW, NOW)
          .lastInsertRowid,
      );
      insEnrollment.run(pupilId, payerId, classIds[r.Classe], r['Modalità di pagamento'] === 'SDD' ? 'sdd' : 'prepagato', NOW, NOW);
    });
  })();
}

async function importThroughContract(app: BenchApp, fileName: string, contentBase64: string): Promise<void> {
  const { jobId } = (await app.call('imports.preview', { fileName, contentBase64 })) as { jobId: string };
  const job = await app.waitJob(jobId);
  if (job.state !== 'completato') throw new Error(`anteprima: ${JSON.stringify(job.error)}`);
  const preview = job.result as { errorRows: number; totalRows: number };
  if (preview.errorRows !== 0 || preview.totalRows !== ROWS) throw new Error(`anteprima inattesa: ${preview.errorRows} righe con errori`);
  const done = (await app.call('imports.commit', { previewId: jobId })) as { newPupils: number };
  if (done.newPupils !== ROWS) throw new Error(`importati ${done.newPupils} alunni invece di ${ROWS}`);
}

export const importsBench: BenchSuite = {
  id: 'imports',
  title: `Importazione di ${ROWS.toLocaleString('it-IT')} alunni (anteprima + conferma)`,
  async run(ctx) {
    const rows = legacyRows(ROWS, { classes: ['3A', '3B', '4A'] });
    const csv = toCsv(rows).toString('base64');
    const xlsx = (await toXlsx(rows)).toString('base64');
    ctx.log(`file: CSV ${(csv.length / 1.33 / 1024).toFixed(0)} kB, XLSX ${(xlsx.length / 1.33 / 1024).toFixed(0)} kB`);

    const floor = {
      setup: () => {
        const file = freshFile(ctx.tmpDir, 'floor');
        const db = openDatabase(file);
        seedMasterData(db.sqlite);
        return { db, file };
      },
      fn: ({ db }: { db: ReturnType<typeof openDatabase> }) => rawInsert(db.sqlite, rows),
      teardown: ({ db, file }: { db: ReturnType<typeof openDatabase>; file: string }) => {
        db.close();
        removeDb(file);
      },
    };
    const viaContract = (fileName: string, content: string) => ({
      setup: async () => {
        const app = await createBenchApp(freshFile(ctx.tmpDir, 'app'));
        seedMasterData(app.database.sqlite);
        return app;
      },
      fn: (app: BenchApp) => importThroughContract(app, fileName, content),
      teardown: (app: BenchApp) => app.close(),
    });

    const out: Comparison[] = [];
    out.push(await compare(this.title, 'file CSV', floor, viaContract('iscritti.csv', csv), { runs: ctx.runs }));
    out.push(await compare(this.title, 'file Excel .xlsx', floor, viaContract('iscritti.xlsx', xlsx), { runs: ctx.runs }));
    return out;
  },
};
