import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { acquireDatabaseLock, openDatabase, DatabaseBusyError } from '../../../db/open';
import { backupTo, restoreFrom, backupsDirOf } from '../../../db/backup';
import { migrationsDir } from '../../../electron/platform/paths';

// child processes compile TypeScript with tsx on start: generous on a loaded 2-core machine
vi.setConfig({ testTimeout: 90_000 });

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
function tmp() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-restore-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** sha256 of the database file and of each sidecar that exists (-wal, -shm, -journal). */
/**
 * What the database holds: the file, its WAL and its rollback journal. The `-shm` wal-index is left
 * out: it is shared memory that any process with the database open rewrites as it reads (read marks),
 * rebuilt from the WAL, never data (https://sqlite.org/walformat.html).
 */
function fingerprint(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const suffix of ['', '-wal', '-journal']) {
    if (fs.existsSync(file + suffix)) out[suffix || 'db'] = createHash('sha256').update(fs.readFileSync(file + suffix)).digest('hex');
  }
  return out;
}

function settingKeys(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT key FROM settings ORDER BY key').all() as { key: string }[]).map((r) => r.key);
  } finally {
    db.close();
  }
}

/** A live database with one row, closed (no -wal left), and a valid backup of it with another row. */
async function office(dir: string) {
  const live = path.join(dir, 'rette.sqlite');
  const db = openDatabase(live);
  db.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('archivio', 'vivo')").run();
  const copy = path.join(dir, 'copia.sqlite');
  await backupTo(db.sqlite, copy);
  db.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('dopo-la-copia', 'x')").run();
  db.close();
  return { live, copy };
}

/** Starts the WAL writer child; resolves once its rows are committed (it then waits to be killed). */
function startWriter(file: string, rows: number, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/unit/db/wal-writer.child.ts'), file, String(rows), prefix], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('COMMITTED')) resolve(child);
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => reject(new Error(`il processo figlio è uscito (${code}): ${err}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function expectRefusedUntouched(live: string, run: () => Promise<unknown>, message: RegExp | typeof DatabaseBusyError) {
  const before = fingerprint(live);
  const filesBefore = fs.readdirSync(path.dirname(live)).sort();
  await expect(run()).rejects.toThrow(message);
  expect(fingerprint(live)).toEqual(before);
  // no safety copy, no temporary file left behind
  expect(fs.readdirSync(path.dirname(live)).sort()).toEqual(filesBefore);
}

describe('ripristino: il database in uso non si perde mai', () => {
  it('una copia di una versione più recente è rifiutata prima di toccare il database', async () => {
    const dir = tmp();
    const { live, copy } = await office(dir);
    const raw = new Database(copy);
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('futura', Date.now() + 10_000_000);
    raw.close();
    await expectRefusedUntouched(live, () => restoreFrom(copy, live), /versione più recente/);
    expect(settingKeys(live)).toEqual(['archivio', 'dopo-la-copia']);
  });

  it('una copia con migrazioni diverse da quelle di questo programma è rifiutata', async () => {
    const dir = tmp();
    const { live, copy } = await office(dir);
    const raw = new Database(copy);
    raw.prepare('UPDATE __drizzle_migrations SET hash = ? WHERE created_at = (SELECT min(created_at) FROM __drizzle_migrations)').run('altra');
    raw.close();
    await expectRefusedUntouched(live, () => restoreFrom(copy, live), /non corrisponde/);
  });

  it('un file che non è un database, un database SQLite estraneo e un file mancante sono rifiutati', async () => {
    const dir = tmp();
    const { live } = await office(dir);
    const text = path.join(dir, 'testo.sqlite');
    fs.writeFileSync(text, 'non sono un database '.repeat(500));
    await expectRefusedUntouched(live, () => restoreFrom(text, live), /non è una copia di sicurezza leggibile/);

    const foreign = path.join(dir, 'estraneo.sqlite');
    const other = new Database(foreign);
    other.exec("CREATE TABLE clienti (nome TEXT); INSERT INTO clienti VALUES ('Rossi')");
    other.close();
    await expectRefusedUntouched(live, () => restoreFrom(foreign, live), /non è una copia di sicurezza di Rette Mensa/);

    // another program that also uses drizzle: a migrations table, but none of ours applied
    const drizzleOther = path.join(dir, 'drizzle-altro.sqlite');
    const d = new Database(drizzleOther);
    d.exec('CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC)');
    d.close();
    await expectRefusedUntouched(live, () => restoreFrom(drizzleOther, live), /non è una copia di sicurezza di Rette Mensa/);

    await expectRefusedUntouched(live, () => restoreFrom(path.join(dir, 'non-esiste.sqlite'), live), /non trovata/);
    await expectRefusedUntouched(live, () => restoreFrom(live, live), /database in uso/);
  });

  it('una copia danneggiata (integrity_check) è rifiutata', async () => {
    const dir = tmp();
    const { live, copy } = await office(dir);
    const raw = new Database(copy);
    const insert = raw.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    raw.transaction(() => {
      for (let i = 0; i < 400; i++) insert.run(`chiave-${i}`, 'x'.repeat(60));
    })();
    const { rootpage } = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'settings'").get() as { rootpage: number };
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    // scribble over the settings table's root page (its b-tree header and cell pointers)
    const fd = fs.openSync(copy, 'r+');
    fs.writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (rootpage - 1) * pageSize + 8);
    fs.closeSync(fd);
    await expectRefusedUntouched(live, () => restoreFrom(copy, live), /danneggiata|non è una copia di sicurezza leggibile/);
  });

  it('rifiuta il ripristino mentre un altro processo ha il database aperto, poi riesce quando è chiuso', async () => {
    const dir = tmp();
    const { live, copy } = await office(dir);
    const writer = await startWriter(live, 3, 'aperto');
    await expectRefusedUntouched(live, () => restoreFrom(copy, live), DatabaseBusyError);
    await expectRefusedUntouched(live, () => restoreFrom(copy, live), /aperto da Rette Mensa/);
    await killHard(writer); // the OS releases the lock of a killed process: no stale lock file
    const r = await restoreFrom(copy, live);
    expect(r.safetyCopy).not.toBeNull();
    expect(settingKeys(live)).toEqual(['archivio']);
  });

  it('rifiuta il ripristino mentre lo stesso processo ha il database aperto', async () => {
    const dir = tmp();
    const { live, copy } = await office(dir);
    const open = openDatabase(live);
    await expectRefusedUntouched(live, () => restoreFrom(copy, live), DatabaseBusyError);
    open.close();
    await restoreFrom(copy, live);
    expect(settingKeys(live)).toEqual(['archivio']);
  });

  it('durante il ripristino nessuno può aprire il database', () => {
    const dir = tmp();
    const live = path.join(dir, 'rette.sqlite');
    openDatabase(live).close();
    const exclusive = acquireDatabaseLock(live, 'exclusive');
    try {
      const started = Date.now();
      expect(() => openDatabase(live)).toThrow(/ripristino del database/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4000); // it waited (busy timeout) before giving up
    } finally {
      exclusive.release();
    }
    openDatabase(live).close();
  });

  it('la copia di sicurezza contiene le righe confermate rimaste nel -wal dopo un crash (SIGKILL prima del checkpoint)', async () => {
    const dir = tmp();
    const { live, copy } = await office(dir);
    const writer = await startWriter(live, 50, 'confermata');
    await killHard(writer);

    // the premise: the committed rows are only in the -wal file, the main file alone lacks them
    expect(fs.statSync(`${live}-wal`).size).toBeGreaterThan(0);
    const mainOnly = path.join(tmp(), 'solo-file-principale.sqlite');
    fs.copyFileSync(live, mainOnly);
    expect(settingKeys(mainOnly).filter((k) => k.startsWith('confermata'))).toHaveLength(0);

    const r = await restoreFrom(copy, live);
    const saved = settingKeys(r.safetyCopy!);
    expect(saved.filter((k) => k.startsWith('confermata'))).toHaveLength(50);
    expect(saved).toContain('dopo-la-copia');
    // the restored database is the copy, with no stale -wal replayed onto it
    expect(settingKeys(live)).toEqual(['archivio']);
    const reopened = openDatabase(live);
    expect(reopened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();
  });

  it('ogni ripristino salva il database sostituito in un file nuovo: una copia precedente non viene mai sovrascritta', async () => {
    const dir = tmp();
    const { live, copy } = await office(dir);
    const at = new Date('2026-11-29T10:00:00.000Z'); // same moment twice: the names must still differ
    const first = await restoreFrom(copy, live, { at });
    const firstHash = fingerprint(first.safetyCopy!);
    const db = openDatabase(live);
    db.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('secondo-giro', 'x')").run();
    db.close();
    const second = await restoreFrom(copy, live, { at });
    expect(second.safetyCopy).not.toBe(first.safetyCopy);
    expect(fingerprint(first.safetyCopy!)).toEqual(firstHash);
    expect(settingKeys(first.safetyCopy!)).toEqual(['archivio', 'dopo-la-copia']);
    expect(settingKeys(second.safetyCopy!)).toEqual(['archivio', 'secondo-giro']);
    expect(path.dirname(first.safetyCopy!)).toBe(backupsDirOf(live));
  });

  it('una copia di una versione precedente viene aggiornata sul file temporaneo e poi messa al suo posto', async () => {
    const dir = tmp();
    const { live } = await office(dir);
    // an older program: the same migrations minus the last one
    const olderFolder = path.join(dir, 'migrazioni-vecchie');
    fs.cpSync(migrationsDir(), olderFolder, { recursive: true });
    const journalFile = path.join(olderFolder, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
    expect(journal.entries.length).toBeGreaterThan(1);
    journal.entries.pop();
    fs.writeFileSync(journalFile, JSON.stringify(journal));
    const old = path.join(dir, 'vecchia.sqlite');
    const o = openDatabase(old, { migrationsFolder: olderFolder });
    o.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('vecchia', 'x')").run();
    o.close();

    const r = await restoreFrom(old, live);
    expect(r.migrated).toBe(1);
    expect(settingKeys(live)).toEqual(['vecchia']);
    const reopened = openDatabase(live, { migrate: false }); // already fully migrated: nothing pending
    reopened.close();
    expect(fs.readdirSync(dir).filter((f) => f.includes('ripristino') && f.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('il database ripristinato e la copia di sicurezza sono leggibili solo dal proprietario', async () => {
    const dir = tmp();
    const { live, copy } = await office(dir);
    fs.chmodSync(copy, 0o644);
    const r = await restoreFrom(copy, live);
    expect(fs.statSync(live).mode & 0o777).toBe(0o600);
    expect(fs.statSync(r.safetyCopy!).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(r.safetyCopy!)).mode & 0o777).toBe(0o700);
  });
});
