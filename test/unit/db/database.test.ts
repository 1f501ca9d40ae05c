import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase, MigrationMismatchError } from '../../../db/open';
import { backupTo, dailyBackup, manualBackup, restoreFrom } from '../../../db/backup';
import { openRuntime } from '../../../electron/host/runtime';
import { backupsDir, certificatesDir, migrationsDir } from '../../../electron/platform/paths';

const dirs: string[] = [];
function tmp() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-db-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('database', () => {
  it('si apre in WAL, con chiavi esterne e busy timeout, e applica tutte le migrazioni', () => {
    const db = openDatabase(path.join(tmp(), 'r.sqlite'));
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir(), 'meta', '_journal.json'), 'utf8'));
    const applied = db.sqlite.prepare('SELECT count(*) n FROM __drizzle_migrations').get() as { n: number };
    expect(applied.n).toBe(journal.entries.length);
    db.close();
  });

  it('le migrazioni falliscono chiuse: un database di una versione più recente è rifiutato', () => {
    const file = path.join(tmp(), 'r.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('futura', Date.now() + 10_000_000);
    raw.close();
    expect(() => openDatabase(file)).toThrow(MigrationMismatchError);
    expect(() => openDatabase(file)).toThrow(/versione più recente/);
  });

  it('le migrazioni falliscono chiuse: un database con una migrazione applicata diversa è rifiutato', () => {
    const file = path.join(tmp(), 'r.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.prepare('UPDATE __drizzle_migrations SET hash = ? WHERE created_at = (SELECT min(created_at) FROM __drizzle_migrations)').run('alterata');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/non corrisponde/);
  });

  it('SQLite rifiuta una chiave esterna non valida', () => {
    const db = openDatabase(path.join(tmp(), 'r.sqlite'));
    expect(() =>
      db.sqlite
        .prepare("INSERT INTO schools (municipality_id, name, kind, created_at, updated_at) VALUES (999, 'X', 'primaria', '2026-10-01T06:00:00.000Z', '2026-10-01T06:00:00.000Z')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('copia a programma aperto, poi il ripristino riporta i dati (il database sostituito resta in una copia)', async () => {
    const dir = tmp();
    const file = path.join(dir, 'r.sqlite');
    const db = openDatabase(file);
    db.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('prova', 'prima')").run();
    const backup = path.join(dir, 'copia.sqlite');
    const r = await backupTo(db.sqlite, backup);
    expect(r.bytes).toBeGreaterThan(0);
    db.sqlite.prepare("UPDATE settings SET value = 'dopo' WHERE key = 'prova'").run();
    db.close();
    const { safetyCopy } = await restoreFrom(backup, file);
    expect(safetyCopy && fs.existsSync(safetyCopy)).toBeTruthy();
    const again = openDatabase(file);
    expect(again.sqlite.prepare("SELECT value FROM settings WHERE key='prova'").get()).toEqual({ value: 'prima' });
    again.close();
  });

  it('la copia giornaliera scrive una copia al giorno e toglie le più vecchie', async () => {
    const dir = tmp();
    const db = openDatabase(path.join(dir, 'r.sqlite'));
    const backups = path.join(dir, 'backups');
    for (const day of ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04']) {
      expect(await dailyBackup(db.sqlite, backups, day, 3)).not.toBeNull();
    }
    expect(await dailyBackup(db.sqlite, backups, '2026-10-04', 3)).toBeNull();
    expect(fs.readdirSync(backups).sort()).toEqual([
      'rette-giornaliero-2026-10-02.sqlite',
      'rette-giornaliero-2026-10-03.sqlite',
      'rette-giornaliero-2026-10-04.sqlite',
    ]);
    db.close();
  });

  it('il ripristino rifiuta un file che non è una copia del database', async () => {
    const dir = tmp();
    const bogus = path.join(dir, 'x.sqlite');
    fs.writeFileSync(bogus, 'non sono un database');
    await expect(restoreFrom(bogus, path.join(dir, 'r.sqlite'))).rejects.toThrow(/non è una copia di sicurezza leggibile/);
  });
});

describe('durata e permessi dei file', () => {
  it('WAL con synchronous=FULL: ogni conferma è scritta sul disco prima di rispondere', () => {
    const db = openDatabase(path.join(tmp(), 'r.sqlite'));
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL (1 = NORMAL)
    db.close();
  });

  it.skipIf(process.platform === 'win32')('database, -wal, -shm, copie e cartelle sono leggibili solo dal proprietario', async () => {
    const dir = tmp();
    const file = path.join(dir, 'dati', 'r.sqlite');
    const db = openDatabase(file);
    db.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(path.dirname(file))).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.lock`]) expect(mode(f), f).toBe(0o600);
    const backups = path.join(dir, 'dati', 'backups');
    fs.mkdirSync(backups, { mode: 0o755 });
    fs.chmodSync(backups, 0o755); // a folder left open by an older version is closed again
    const daily = await dailyBackup(db.sqlite, backups, '2026-10-01');
    expect(mode(backups)).toBe(0o700);
    expect(mode(daily!.file)).toBe(0o600);
    const manual = await manualBackup(db.sqlite, backups, new Date('2026-10-01T08:00:00Z'));
    expect(mode(manual.file)).toBe(0o600);
    const chosen = await backupTo(db.sqlite, path.join(dir, 'altrove', 'copia.sqlite'));
    expect(mode(chosen.file)).toBe(0o600);
    db.close();
  });

  it.skipIf(process.platform === 'win32')('un database esistente con permessi larghi viene chiuso al proprietario all\'apertura', () => {
    const dir = tmp();
    const file = path.join(dir, 'r.sqlite');
    openDatabase(file).close();
    fs.chmodSync(file, 0o644);
    const db = openDatabase(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    db.close();
  });

  it.skipIf(process.platform === 'win32')('il programma crea le cartelle dei backup e dei certificati solo per il proprietario', () => {
    const dir = tmp();
    const runtime = openRuntime({ dbFile: path.join(dir, 'rette.sqlite'), timers: false });
    try {
      expect(fs.statSync(backupsDir(dir)).mode & 0o777).toBe(0o700);
      expect(fs.statSync(certificatesDir(dir)).mode & 0o777).toBe(0o700);
    } finally {
      runtime.stop();
    }
  });

  it('le copie manuali hanno nomi unici e si conservano le più recenti, come quelle giornaliere', async () => {
    const dir = tmp();
    const db = openDatabase(path.join(dir, 'r.sqlite'));
    const backups = path.join(dir, 'backups');
    const other = path.join(backups, 'rette-giornaliero-2026-10-01.sqlite');
    await backupTo(db.sqlite, other);
    const at = (h: number) => new Date(Date.UTC(2026, 9, 1, h));
    const made: string[] = [];
    for (const h of [8, 9, 10, 11]) made.push((await manualBackup(db.sqlite, backups, at(h), 3)).file);
    // the same moment twice: a second file, never the first one overwritten
    const same = await manualBackup(db.sqlite, backups, at(11), 3);
    expect(same.file).not.toBe(made[3]);
    expect(same.removed).toEqual(['rette-manuale-2026-10-01T09-00-00-000Z.sqlite']);
    const left = fs.readdirSync(backups).sort();
    expect(left).toEqual([
      'rette-giornaliero-2026-10-01.sqlite', // other kinds of copies are not touched by the manual rule
      'rette-manuale-2026-10-01T10-00-00-000Z.sqlite',
      'rette-manuale-2026-10-01T11-00-00-000Z-2.sqlite',
      'rette-manuale-2026-10-01T11-00-00-000Z.sqlite',
    ]);
    db.close();
  });
});
