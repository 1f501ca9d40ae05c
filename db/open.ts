import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
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
      const db = drizzle(sqlite, { schema });
      migrate(db, { migrationsFolder: folder });
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
