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

/** Thrown when the database is in use by another process (restore) or being restored (open). */
export class DatabaseBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseBusyError';
  }
}

const POSIX_MODES = process.platform !== 'win32';

/**
 * Owner-only permissions where the operating system has modes (0600 files, 0700 folders). On
 * Windows the per-user profile folder (%APPDATA%) is already private to its owner by its ACL; chmod
 * there only toggles the read-only flag, so it is skipped.
 */
export function securePrivateFile(file: string): void {
  if (!POSIX_MODES) return;
  try {
    fs.chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Creates `dir` (and parents) owner-only and makes an existing one owner-only too. Only for our own folders. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX_MODES) fs.chmodSync(dir, 0o700);
}

/**
 * Creates a new empty file (0600) named `<prefix><ext>`, or `<prefix>-2<ext>`, `-3`… when that name
 * is taken: the exclusive open ('wx') means an earlier copy is never overwritten, even by a
 * concurrent writer.
 */
export function createUniqueFile(dir: string, prefix: string, ext: string): string {
  for (let i = 1; ; i++) {
    const file = path.join(dir, `${prefix}${i === 1 ? '' : `-${i}`}${ext}`);
    try {
      fs.closeSync(fs.openSync(file, 'wx', 0o600));
      securePrivateFile(file);
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i > 10_000) throw err;
    }
  }
}

/** A file-system-safe moment for file names: 2026-11-29T19-50-00-000Z. */
export function fileStamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** The lock file beside the database (see DatabaseLock). */
export function lockFileOf(dbFile: string): string {
  return `${path.resolve(dbFile)}.lock`;
}

export interface DatabaseLock {
  file: string;
  release(): void;
}

/**
 * "Who has the database open" is kept with SQLite's own file locking, on a small side file
 * `<database>.lock` (never written, it stays empty):
 * - every process that opens the database (desktop app, `rette serve`, the CLI) holds a SHARED lock
 *   on it for as long as the database is open, by keeping a read transaction open;
 * - restore takes an EXCLUSIVE lock on it (without waiting), which SQLite grants only when nobody
 *   holds a SHARED lock, and keeps it until the new file is in place, so nothing opens the database
 *   half-way through.
 * Why this rather than a pid file or SQLite's locks on the database itself: the locks are the
 * operating system's (fcntl on Linux/macOS, LockFileEx on Windows), so they work on every platform
 * the office uses, they are released by the OS when a process dies, even by SIGKILL or a power cut
 * (no stale pid file, no pid reuse), and SQLite already handles several connections in one process.
 * The database itself cannot serve: in WAL mode an idle connection holds no lock on it, and a read
 * transaction kept open there would stop checkpoints. A program other than Rette Mensa (a SQLite
 * browser) is not seen by this lock.
 */
export function acquireDatabaseLock(dbFile: string, mode: 'shared' | 'exclusive'): DatabaseLock {
  const file = lockFileOf(dbFile);
  if (!fs.existsSync(file)) {
    try {
      fs.closeSync(fs.openSync(file, 'a', 0o600));
    } catch {
      // another process created it in the meantime, or the folder is not writable (SQLite says so below)
    }
  }
  securePrivateFile(file);
  let conn: Database.Database;
  try {
    conn = new Database(file, { timeout: mode === 'shared' ? 5000 : 0 });
  } catch (err) {
    throw new Error(`Impossibile aprire il file di blocco del database ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    if (mode === 'shared') {
      conn.exec('BEGIN');
      conn.prepare('SELECT count(*) FROM sqlite_master').get();
    } else {
      conn.exec('BEGIN EXCLUSIVE');
    }
  } catch (err) {
    conn.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DatabaseBusyError(
        mode === 'shared'
          ? 'È in corso un ripristino del database: riprovare fra qualche istante.'
          : 'Il database è aperto da Rette Mensa (finestra del programma, modalità browser o riga di comando): chiudere il programma e riprovare il ripristino.',
      );
    }
    throw err;
  }
  const lock: DatabaseLock = {
    file,
    release() {
      if (!HELD_LOCKS.delete(lock)) return;
      try {
        if (conn.inTransaction) conn.exec('ROLLBACK');
      } finally {
        conn.close();
      }
    },
  };
  HELD_LOCKS.add(lock);
  return lock;
}

/**
 * Every lock held by this process, until released. A lock's connection must not depend on its
 * caller keeping a reference: better-sqlite3 closes a connection that the garbage collector
 * reclaims, and with it SQLite drops the lock, so a process that dropped its reference (a script
 * whose database variable is no longer used) would look to a restore as if it had closed the
 * database. Seen as the intermittent "restore not refused" test of 06/12: the test's child process
 * held the database in a module variable that V8 no longer kept alive after its last use.
 */
const HELD_LOCKS = new Set<DatabaseLock>();

/**
 * WAL with synchronous=FULL: every commit (a day close, an import, a payment) is synced to the WAL
 * file before it is acknowledged, so it survives a power cut; NORMAL could lose the last commits
 * (see the README for the measured cost).
 */
function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
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
  /** hold the shared "in use" lock while open (default true; restore works on private files without it). */
  lock?: boolean;
}

/** Creates the database file owner-only before SQLite does (its -wal and -shm take the same mode). */
function prepareDatabaseFile(file: string): void {
  const dir = path.dirname(path.resolve(file));
  // a folder created here is private; an existing folder chosen with --db is left as it is
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) securePrivateFile(f);
}

export function openDatabase(file: string, options: OpenOptions = {}): OpenDatabase {
  const { migrate: doMigrate = true, backupBeforeMigrate = true } = options;
  const onDisk = file !== ':memory:' && file !== '';
  if (!onDisk && file === '') throw new Error('Nome del file del database mancante');
  if (onDisk && !options.readonly) prepareDatabaseFile(file);
  const lock = onDisk && options.lock !== false ? acquireDatabaseLock(file, 'shared') : null;
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    lock?.release();
    throw err;
  }
  try {
    applyPragmas(sqlite);
    const folder = options.migrationsFolder ?? migrationsDir();
    const pending = checkMigrations(sqlite, folder);
    if (pending > 0 && doMigrate) {
      const hasData = appliedMigrations(sqlite).length > 0;
      if (hasData && backupBeforeMigrate && onDisk) {
        const backups = path.join(path.dirname(path.resolve(file)), 'backups');
        ensurePrivateDir(backups);
        // VACUUM INTO fills an existing empty file, which keeps its 0600 mode and its unique name
        const target = createUniqueFile(backups, `pre-migrazione-${fileStamp(new Date())}`, '.sqlite');
        sqlite.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
      }
      applyMigrations(sqlite, folder);
    }
  } catch (err) {
    sqlite.close();
    lock?.release();
    throw err;
  }
  const db = drizzle(sqlite, { schema });
  return {
    db,
    sqlite,
    file,
    close: () => {
      if (sqlite.open) sqlite.close();
      lock?.release();
    },
  };
}
