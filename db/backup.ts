import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  acquireDatabaseLock,
  checkMigrations,
  createUniqueFile,
  ensurePrivateDir,
  fileStamp,
  MigrationMismatchError,
  openDatabase,
  securePrivateFile,
} from './open';
import { migrationsDir } from '../electron/platform/paths';

/** The backups folder of a database: `<folder of the database>/backups` (owner-only). */
export function backupsDirOf(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), 'backups');
}

/**
 * Online backup with better-sqlite3's backup API: safe while the app is writing (WAL), and the copy
 * is a complete, consistent database file that includes what is committed in the -wal file.
 * The copy is written to `<target>.partial`, verified, and only then renamed onto `target`; it is
 * readable only by its owner.
 */
export async function backupTo(sqlite: Database.Database, target: string): Promise<{ file: string; bytes: number }> {
  const dir = path.dirname(path.resolve(target));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${target}.partial`;
  for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  fs.closeSync(fs.openSync(tmp, 'w', 0o600));
  securePrivateFile(tmp);
  try {
    await sqlite.backup(tmp);
    // a self-contained single file (no -wal/-shm beside it), verified before it replaces the previous
    // copy: a backup that cannot be opened is no backup
    const check = new Database(tmp);
    try {
      check.pragma('journal_mode = DELETE');
      const res = check.pragma('integrity_check', { simple: true });
      if (res !== 'ok') throw new Error(`Copia di sicurezza non integra: ${String(res)}`);
    } finally {
      check.close();
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  securePrivateFile(target);
  return { file: target, bytes: fs.statSync(target).size };
}

export const DAILY_PREFIX = 'rette-giornaliero-';
export const MANUAL_PREFIX = 'rette-manuale-';
/** Manual copies kept in the backups folder (the newest ones; older ones are removed). */
export const MANUAL_KEEP = 30;

/** Keeps the newest `keep` files named `<prefix>….sqlite` in `dir` (names sort by date); returns the removed ones. */
function rotate(dir: string, prefix: string, keep: number): string[] {
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.sqlite'))
    .sort();
  const removed = all.slice(0, Math.max(0, all.length - keep));
  for (const f of removed) fs.rmSync(path.join(dir, f));
  return removed;
}

/**
 * The daily automatic backup: one file per Rome day in `dir`, keeping the newest `keep` files.
 * Returns null when today's copy already exists.
 */
export async function dailyBackup(
  sqlite: Database.Database,
  dir: string,
  today: string,
  keep = 14,
): Promise<{ file: string; removed: string[] } | null> {
  ensurePrivateDir(dir);
  const target = path.join(dir, `${DAILY_PREFIX}${today}.sqlite`);
  if (fs.existsSync(target)) return null;
  await backupTo(sqlite, target);
  return { file: target, removed: rotate(dir, DAILY_PREFIX, keep) };
}

/**
 * A manual backup into the backups folder (`rette-manuale-<moment>.sqlite`, never overwriting an
 * earlier one), keeping the newest `keep` manual copies like the daily ones. Copies saved elsewhere
 * by the user (menu "Salva copia…", `rette backup <file>`) are theirs and never removed.
 */
export async function manualBackup(
  sqlite: Database.Database,
  dir: string,
  at: Date,
  keep = MANUAL_KEEP,
): Promise<{ file: string; bytes: number; removed: string[] }> {
  ensurePrivateDir(dir);
  const target = createUniqueFile(dir, `${MANUAL_PREFIX}${fileStamp(at)}`, '.sqlite');
  try {
    const r = await backupTo(sqlite, target);
    return { ...r, removed: rotate(dir, MANUAL_PREFIX, keep) };
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw err;
  }
}

/** A restore refused before the live database was touched; the message is for the office. */
export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

export interface RestoreOptions {
  migrationsFolder?: string;
  /** the moment in the safety copy's name (default: now) */
  at?: Date;
}

export interface RestoreResult {
  /** the copy of the database that was replaced (null when there was none) */
  safetyCopy: string | null;
  /** migrations applied to bring an older copy up to this version */
  migrated: number;
}

function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.ino !== 0 && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

function removeWithSidecars(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

/**
 * Copies the candidate into `temp` with the backup API (so a candidate in WAL mode brings its -wal
 * too) and checks it completely: a readable SQLite file, integrity_check and foreign_key_check clean,
 * a Rette Mensa database whose applied migrations are all known to this program and not newer; an
 * older copy is migrated here, on the temporary file. Returns the migrations applied.
 */
async function prepareCandidate(candidate: string, temp: string, folder: string): Promise<number> {
  const unreadable = () => new RestoreRefusedError(`Il file ${candidate} non è una copia di sicurezza leggibile (non è un database SQLite).`);
  let src: Database.Database;
  try {
    src = new Database(candidate, { readonly: true, fileMustExist: true });
  } catch {
    throw unreadable();
  }
  try {
    src.pragma('schema_version'); // reads the header: "file is not a database" surfaces here
    await src.backup(temp);
  } catch {
    throw unreadable();
  } finally {
    src.close();
  }
  securePrivateFile(temp);

  let pending: number;
  const t = new Database(temp);
  try {
    try {
      t.pragma('journal_mode = DELETE');
      const integrity = t.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new RestoreRefusedError(`La copia ${candidate} è danneggiata (integrity_check: ${String(integrity)}).`);
    } catch (err) {
      if (err instanceof RestoreRefusedError) throw err;
      throw new RestoreRefusedError(`La copia ${candidate} è danneggiata: ${err instanceof Error ? err.message : String(err)}.`);
    }
    const isOurs = t.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
    const applied = isOurs ? (t.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
    if (!isOurs || applied === 0) throw new RestoreRefusedError(`Il file ${candidate} non è una copia di sicurezza di Rette Mensa.`);
    try {
      pending = checkMigrations(t, folder);
    } catch (err) {
      if (err instanceof MigrationMismatchError) throw new RestoreRefusedError(`Copia ${candidate} rifiutata: ${err.message}`);
      throw err;
    }
    const fk = t.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) throw new RestoreRefusedError(`La copia ${candidate} ha ${fk.length} riferimenti non validi tra tabelle: non viene ripristinata.`);
  } finally {
    t.close();
  }

  if (pending > 0) {
    try {
      // the temporary file is private to this restore: no "in use" lock, no pre-migration copy
      const migrated = openDatabase(temp, { lock: false, backupBeforeMigrate: false, migrationsFolder: folder });
      migrated.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      migrated.sqlite.pragma('journal_mode = DELETE');
      migrated.close();
    } catch (err) {
      throw new RestoreRefusedError(
        `La copia ${candidate} è di una versione precedente e non si lascia aggiornare: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return pending;
}

/**
 * The safety copy of the database about to be replaced, with the backup API (committed rows still
 * in the -wal file are in it) into a new, uniquely named file in the backups folder. Then the old
 * database is checkpointed and closed so that no -wal of it is left to be replayed onto the new one.
 * If SQLite cannot read the old file at all (it is damaged: that may be why the office restores),
 * its files are copied byte for byte instead: nothing is ever thrown away.
 */
async function safetyCopyOf(dbFile: string, at: Date): Promise<string> {
  const dir = backupsDirOf(dbFile);
  ensurePrivateDir(dir);
  const target = createUniqueFile(dir, `prima-del-ripristino-${fileStamp(at)}`, '.sqlite');
  let live: Database.Database | null = null;
  try {
    live = new Database(dbFile, { fileMustExist: true, timeout: 5000 });
    await backupTo(live, target);
    const [cp] = live.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (cp && cp.busy !== 0) {
      throw new RestoreRefusedError('Il database è in uso da un altro programma (checkpoint impossibile): chiuderlo e riprovare.');
    }
    live.close();
    live = null;
    return target;
  } catch (err) {
    live?.close();
    if (err instanceof RestoreRefusedError) {
      fs.rmSync(target, { force: true });
      throw err;
    }
    // unreadable old database: keep its files exactly as they are
    fs.copyFileSync(dbFile, target);
    for (const suffix of ['-wal', '-shm', '-journal']) {
      if (fs.existsSync(dbFile + suffix)) fs.copyFileSync(dbFile + suffix, target + suffix, fs.constants.COPYFILE_EXCL);
    }
    for (const suffix of ['', '-wal', '-shm', '-journal']) securePrivateFile(target + suffix);
    return target;
  }
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there; NTFS journals the rename
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // best effort: some file systems refuse fsync on a directory
  }
}

/**
 * Restore: replaces the database with a backup copy, and never loses the archive.
 * 1. The candidate is checked completely on a temporary copy beside the database (and migrated
 *    there if it is older) BEFORE anything is touched; every refusal leaves the live files as they were.
 * 2. Refused while any Rette Mensa process has the database open (the "in use" lock, see
 *    acquireDatabaseLock), and nothing can open it until the restore is over.
 * 3. The database being replaced is saved with the backup API into a new, uniquely named
 *    `backups/prima-del-ripristino-<moment>.sqlite` (never overwriting an earlier one).
 * 4. The checked copy is put in place by rename (atomic), after the old -wal/-shm are gone.
 */
export async function restoreFrom(backupFile: string, dbFile: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const candidate = path.resolve(backupFile);
  const target = path.resolve(dbFile);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(candidate);
  } catch {
    throw new RestoreRefusedError(`Copia di sicurezza non trovata: ${backupFile}`);
  }
  if (!stat.isFile()) throw new RestoreRefusedError(`${backupFile} non è un file`);
  if (sameFile(candidate, target)) throw new RestoreRefusedError('La copia indicata è il database in uso: sceglierne un\'altra.');
  const folder = options.migrationsFolder ?? migrationsDir();
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  const lock = acquireDatabaseLock(target, 'exclusive');
  let temp: string | null = null;
  try {
    temp = createUniqueFile(dir, `.${path.basename(target)}.ripristino-${fileStamp(new Date())}`, '.tmp');
    const migrated = await prepareCandidate(candidate, temp, folder);
    const safetyCopy = fs.existsSync(target) ? await safetyCopyOf(target, options.at ?? new Date()) : null;
    // the old database was checkpointed and closed by the last connection: a -wal or -shm still there
    // is empty or stale and must not be replayed onto the new file
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(target + suffix, { force: true });
    fs.renameSync(temp, target);
    temp = null;
    fsyncDir(dir);
    securePrivateFile(target);
    return { safetyCopy, migrated };
  } finally {
    if (temp) removeWithSidecars(temp);
    lock.release();
  }
}
