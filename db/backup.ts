import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Online backup with better-sqlite3's backup API: safe while the app is writing (WAL), and the copy
 * is a complete, consistent database file.
 */
export async function backupTo(sqlite: Database.Database, target: string): Promise<{ file: string; bytes: number }> {
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = `${target}.partial`;
  if (fs.existsSync(tmp)) fs.rmSync(tmp);
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
  return { file: target, bytes: fs.statSync(target).size };
}

export const DAILY_PREFIX = 'rette-giornaliero-';

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
  const target = path.join(dir, `${DAILY_PREFIX}${today}.sqlite`);
  if (fs.existsSync(target)) return null;
  await backupTo(sqlite, target);
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(DAILY_PREFIX) && f.endsWith('.sqlite'))
    .sort();
  const removed = all.slice(0, Math.max(0, all.length - keep));
  for (const f of removed) fs.rmSync(path.join(dir, f));
  return { file: target, removed };
}

/**
 * Restore: replaces the database file with a backup copy. The app must not have the file open.
 * The current file is kept beside it as `<file>.prima-del-ripristino` so a wrong restore can be undone.
 */
export function restoreFrom(backupFile: string, dbFile: string): { previous: string | null } {
  if (!fs.existsSync(backupFile)) throw new Error(`Copia di sicurezza non trovata: ${backupFile}`);
  let check: Database.Database;
  try {
    check = new Database(backupFile, { readonly: true, fileMustExist: true });
  } catch {
    throw new Error(`Il file ${backupFile} non è una copia di sicurezza leggibile`);
  }
  try {
    const ok = check.pragma('integrity_check', { simple: true }) === 'ok';
    const isOurs = check.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
    if (!ok || !isOurs) throw new Error(`Il file ${backupFile} non è una copia di sicurezza integra di Rette Mensa`);
  } catch (err) {
    throw err instanceof Error && err.message.includes('Rette') ? err : new Error(`Il file ${backupFile} non è una copia di sicurezza leggibile`);
  } finally {
    check.close();
  }
  let previous: string | null = null;
  if (fs.existsSync(dbFile)) {
    previous = `${dbFile}.prima-del-ripristino`;
    fs.copyFileSync(dbFile, previous);
  }
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(dbFile + suffix)) fs.rmSync(dbFile + suffix);
  fs.copyFileSync(backupFile, dbFile);
  return { previous };
}
