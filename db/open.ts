import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import * as schema from './schema';
import { migrationsDir } from '../electron/platform/paths';

export type Schema = typeof schema;
export type AppDb = BetterSQLite3Database<Schema>;

export interface OpenDatabase {
  /** drizzle over the connection. */
  db: AppDb;
  /** the raw better-sqlite3 connection (backups, pragmas, hot paths). */
  sqlite: Database.Database;
  file: string;
  close(): void;
}

export class MigrationMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationMismatchError';
  }
}

function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

interface AppliedMigration {
  hash: string;
  created_at: number;
}

function appliedMigrations(sqlite: Database.Database): AppliedMigration[] {
  const exists = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'")
    .get();
  if (!exists) return [];
  return sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all() as AppliedMigration[];
}

/**
 * Migrations fail closed: a database that has applied a migration this build does not know (a newer
 * version of the app wrote it) or whose applied hashes differ from the files is refused, rather than
 * being half-understood. Returns how many migrations are pending.
 */
export function checkMigrations(sqlite: Database.Database, folder = migrationsDir()): number {
  const files = readMigrationFiles({ migrationsFolder: folder });
  const applied = appliedMigrations(sqlite);
  if (applied.length > files.length) {
    throw new MigrationMismatchError(
      `Il database è stato aggiornato da una versione più recente del programma (${applied.length} migrazioni applicate, ${files.length} conosciute): aggiornare il programma.`,
    );
  }
  applied.forEach((row, i) => {
    if (row.hash !== files[i].hash) {
      throw new MigrationMismatchError(
        `Il database non corrisponde alle migrazioni di questa versione (migrazione ${i + 1} diversa): non viene aperto.`,
      );
    }
  });
  return files.length - applied.length;
}

/**
 * Applies the pending migrations in one transaction, as drizzle's migrator does (same
 * `__drizzle_migrations` bookkeeping), with foreign keys off: drizzle-kit changes a SQLite table by
 * recreating it (new table, copy, drop, rename), its own `PRAGMA foreign_keys=OFF` is a no-op inside
 * a transaction, and dropping a referenced table with foreign keys on fails. Before committing,
 * `PRAGMA foreign_key_check` must find nothing: a migration that leaves a dangling reference is
 * rolled back (fail closed).
 */
export function applyMigrations(sqlite: Database.Database, folder = migrationsDir()): number {
  const files = readMigrationFiles({ migrationsFolder: folder });
  sqlite.exec('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
  const last = sqlite.prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1').get() as
    | { created_at: number | string }
    | undefined;
  const pending = files.filter((m) => !last || Number(last.created_at) < m.folderMillis);
  if (pending.length === 0) return 0;
  const fkWasOn = sqlite.pragma('foreign_keys', { simple: true }) === 1;
  sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.exec('BEGIN');
    try {
      // a recreated AUTOINCREMENT table restarts its counter from its highest id: ids of deleted rows
      // would come back (the audit log names rows by id), so the counters are carried over
      const hasSeq = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get();
      const seqBefore = hasSeq ? (sqlite.prepare('SELECT name, seq FROM sqlite_sequence').all() as { name: string; seq: number }[]) : [];
      const record = sqlite.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
      for (const m of pending) {
        for (const stmt of m.sql) if (stmt.trim()) sqlite.exec(stmt);
        record.run(m.hash, m.folderMillis);
      }
      const raise = sqlite.prepare('UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?');
      for (const { name, seq } of seqBefore) raise.run(seq, name, seq);
      const dangling = sqlite.pragma('foreign_key_check') as { table: string }[];
      if (dangling.length > 0) {
        throw new MigrationMismatchError(
          `L'aggiornamento del database lascerebbe ${dangling.length} riferimenti non validi (tabella ${dangling[0].table}): annullato, il database resta com'era.`,
        );
      }
      sqlite.exec('COMMIT');
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw err;
    }
  } finally {
    if (fkWasOn) sqlite.pragma('foreign_keys = ON');
  }
  return pending.length;
}

export interface OpenOptions {
  /** apply pending migrations (default true). */
  migrate?: boolean;
  /** back up a non-empty database before applying migrations to it (default true). */
  backupBeforeMigrate?: boolean;
  migrationsFolder?: string;
  readonly?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): OpenDatabase {
  const { migrate: doMigrate = true, backupBeforeMigrate = true } = options;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file, { readonly: options.readonly ?? false });
  try {
    applyPragmas(sqlite);
    const folder = options.migrationsFolder ?? migrationsDir();
    const pending = checkMigrations(sqlite, folder);
    if (pending > 0 && doMigrate) {
      const hasData = appliedMigrations(sqlite).length > 0;
      if (hasData && backupBeforeMigrate && file !== ':memory:') {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const target = path.join(path.dirname(path.resolve(file)), 'backups', `pre-migrazione-${stamp}.sqlite`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        sqlite.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
      }
      applyMigrations(sqlite, folder);
    }
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = drizzle(sqlite, { schema });
  return {
    db,
    sqlite,
    file,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
