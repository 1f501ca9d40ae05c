/**
 * What "real data" means, defined once. The demo seed refuses to write over real data, and a
 * practice clock (tests, training) is refused on a database that holds real data.
 *
 * - Office records are the rows of the office's own registers: municipalities, schools, school
 *   years, pupils, payers and enrollments. Everything else the office records (classes, tariffs,
 *   delegates, closures, absences, bookings, meals, corrections, ledger entries, payments) hangs
 *   off one of these, so a database without office records holds nothing of the office. Users,
 *   the audit log and settings are not office records.
 * - A database is a practice database when it was born as one: it carries the demo marker
 *   (`demo.seeded`, written by seed-demo, which only writes into a database without office
 *   records) or the practice-clock marker (`orologio.prova`, written when a practice clock first
 *   opens a database without office records). Whatever is recorded afterwards in a practice
 *   database (the trainees' pupils, the meals of the day closes) is practice data too.
 * - Real data: office records in a database that is not a practice database.
 */
import type Database from 'better-sqlite3';
import type { PracticeClock } from '../electron/platform/clock';

export const OFFICE_TABLES = ['municipalities', 'schools', 'school_years', 'pupils', 'payers', 'enrollments'] as const;
export type OfficeTable = (typeof OFFICE_TABLES)[number];

/** Italian names, singular and plural */
const OFFICE_TABLE_NAMES: Record<OfficeTable, [string, string]> = {
  municipalities: ['comune', 'comuni'],
  schools: ['scuola', 'scuole'],
  school_years: ['anno scolastico', 'anni scolastici'],
  pupils: ['alunno', 'alunni'],
  payers: ['pagante', 'paganti'],
  enrollments: ['iscrizione', 'iscrizioni'],
};

/** settings key of the demo marker (electron/demo/seed.ts writes it) */
export const DEMO_MARKER_KEY = 'demo.seeded';
/** settings key of the practice-clock marker */
export const PRACTICE_MARKER_KEY = 'orologio.prova';

export type DatabaseKind = 'vuoto' | 'dimostrativo' | 'prova' | 'reale';

/** Rows per office table. */
export function officeRecordCounts(sqlite: Database.Database): Record<OfficeTable, number> {
  const out = {} as Record<OfficeTable, number>;
  for (const t of OFFICE_TABLES) out[t] = (sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number) ?? 0;
  return out;
}

export function holdsOfficeRecords(sqlite: Database.Database): boolean {
  // one indexed probe per table, not a count
  return OFFICE_TABLES.some((t) => sqlite.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get() !== undefined);
}

function setting(sqlite: Database.Database, key: string): string | undefined {
  return sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
}

/**
 * 'vuoto': no office records; 'dimostrativo': born with the demo office; 'prova': born under a
 * practice clock; 'reale': office records in a database that was not born as a practice one.
 */
export function databaseKind(sqlite: Database.Database): DatabaseKind {
  if (!holdsOfficeRecords(sqlite)) return 'vuoto';
  if (setting(sqlite, DEMO_MARKER_KEY) !== undefined) return 'dimostrativo';
  if (setting(sqlite, PRACTICE_MARKER_KEY) !== undefined) return 'prova';
  return 'reale';
}

export function holdsRealData(sqlite: Database.Database): boolean {
  return databaseKind(sqlite) === 'reale';
}

/** What the office records of a database are, in Italian ("3 comuni, 120 alunni, …"). */
export function describeOfficeRecords(sqlite: Database.Database): string {
  const counts = officeRecordCounts(sqlite);
  return OFFICE_TABLES.filter((t) => counts[t] > 0)
    .map((t) => `${counts[t].toLocaleString('it-IT')} ${OFFICE_TABLE_NAMES[t][counts[t] === 1 ? 0 : 1]}`)
    .join(', ');
}

export class RealDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RealDataError';
  }
}

/**
 * Lets a practice clock use this database, or refuses it (RealDataError) when the database holds
 * real data. A database without office records becomes a practice database (its marker records
 * the clock and the real moment it was first used), so a later start with the same clock, or the
 * command line of the same test, finds it admitted.
 */
export function admitPracticeClock(sqlite: Database.Database, practice: PracticeClock, realNow: Date): DatabaseKind {
  const kind = databaseKind(sqlite);
  if (kind === 'reale') {
    throw new RealDataError(
      `Orologio di prova rifiutato: il database ${sqlite.name} contiene dati reali (${describeOfficeRecords(sqlite)}). ` +
        'L’orologio di prova si usa solo con un database nuovo o con i dati dimostrativi, mai con l’archivio dell’ufficio.',
    );
  }
  if (kind === 'vuoto' && setting(sqlite, PRACTICE_MARKER_KEY) === undefined) {
    sqlite
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING')
      .run(PRACTICE_MARKER_KEY, JSON.stringify({ mode: practice.mode, from: practice.from, realAt: realNow.toISOString() }));
  }
  return kind;
}
