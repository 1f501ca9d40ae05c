import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase, MigrationMismatchError } from '../../../db/open';
import { backupTo, dailyBackup, restoreFrom } from '../../../db/backup';
import { migrationsDir } from '../../../electron/platform/paths';

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
  it('opens with WAL, foreign keys and a busy timeout, and applies all migrations', () => {
    const db = openDatabase(path.join(tmp(), 'r.sqlite'));
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir(), 'meta', '_journal.json'), 'utf8'));
    const applied = db.sqlite.prepare('SELECT count(*) n FROM __drizzle_migrations').get() as { n: number };
    expect(applied.n).toBe(journal.entries.length);
    db.close();
  });

  it('migrations fail closed: a database from a newer version is refused', () => {
    const file = path.join(tmp(), 'r.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('futura', Date.now() + 10_000_000);
    raw.close();
    expect(() => openDatabase(file)).toThrow(MigrationMismatchError);
    expect(() => openDatabase(file)).toThrow(/versione più recente/);
  });

  it('migrations fail closed: a database whose applied migration differs is refused', () => {
    const file = path.join(tmp(), 'r.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.prepare('UPDATE __drizzle_migrations SET hash = ? WHERE created_at = (SELECT min(created_at) FROM __drizzle_migrations)').run('alterata');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/non corrisponde/);
  });

  it('a foreign key violation is refused by SQLite', () => {
    const db = openDatabase(path.join(tmp(), 'r.sqlite'));
    expect(() =>
      db.sqlite
        .prepare("INSERT INTO schools (municipality_id, name, kind, created_at, updated_at) VALUES (999, 'X', 'primaria', '2026-10-01T06:00:00.000Z', '2026-10-01T06:00:00.000Z')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('online backup while writing, then restore brings the data back (the replaced file is kept)', async () => {
    const dir = tmp();
    const file = path.join(dir, 'r.sqlite');
    const db = openDatabase(file);
    db.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('prova', 'prima')").run();
    const backup = path.join(dir, 'copia.sqlite');
    const r = await backupTo(db.sqlite, backup);
    expect(r.bytes).toBeGreaterThan(0);
    db.sqlite.prepare("UPDATE settings SET value = 'dopo' WHERE key = 'prova'").run();
    db.close();
    const { previous } = restoreFrom(backup, file);
    expect(previous && fs.existsSync(previous)).toBeTruthy();
    const again = openDatabase(file);
    expect(again.sqlite.prepare("SELECT value FROM settings WHERE key='prova'").get()).toEqual({ value: 'prima' });
    again.close();
  });

  it('daily backup writes one copy per day and rotates old ones', async () => {
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

  it('restore refuses a file that is not a database copy', () => {
    const dir = tmp();
    const bogus = path.join(dir, 'x.sqlite');
    fs.writeFileSync(bogus, 'non sono un database');
    expect(() => restoreFrom(bogus, path.join(dir, 'r.sqlite'))).toThrow();
  });
});
