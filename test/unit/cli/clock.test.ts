import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../db/open';

// each test starts the CLI (tsx compiles on start): generous on a loaded 2-core machine
vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-cli-clock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function rette(db: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env };
  delete clean.RETTE_CLOCK;
  delete clean.RETTE_CLOCK_FROM;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 100_000,
    env: { ...clean, RETTE_DB: path.join(dir, db), RETTE_DATA_DIR: dir, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('rette: orologio di prova dalla riga di comando', () => {
  it('--clock ferma il programma all’istante scelto; RETTE_CLOCK_FROM lo fa partire da lì', () => {
    const fixed = rette('nuovo.sqlite', ['call', 'system.clock', '--clock', '2026-11-16T08:30:00+01:00']);
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.out)).toEqual({ now: '2026-11-16T07:30:00.000Z', today: '2026-11-16', practice: { mode: 'fisso', from: '2026-11-16T07:30:00.000Z' } });
    const running = rette('nuovo.sqlite', ['call', 'system.clock'], { RETTE_CLOCK_FROM: '2026-11-15T18:30:00+01:00' });
    expect(running.code).toBe(0);
    const out = JSON.parse(running.out);
    expect(out.practice).toEqual({ mode: 'in-corsa', from: '2026-11-15T17:30:00.000Z' });
    expect(out.today).toBe('2026-11-15');
    expect(Date.parse(out.now) - Date.parse('2026-11-15T17:30:00Z')).toBeGreaterThanOrEqual(0);
    expect(Date.parse(out.now) - Date.parse('2026-11-15T17:30:00Z')).toBeLessThan(60_000);
  });

  it('un istante sbagliato o l’opzione su un comando che non la usa: uscita 2 con il motivo in italiano', () => {
    const bad = rette('nuovo.sqlite', ['call', 'system.clock', '--clock-from', '2026-11-16 08:30']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Orologio di prova (--clock-from): «2026-11-16 08:30» non è un istante valido');
    const migrate = rette('nuovo.sqlite', ['migrate', '--clock', '2026-11-16T08:30:00+01:00']);
    expect(migrate.code).toBe(2);
    expect(migrate.err).toContain("L'orologio di prova (--clock, --clock-from) vale solo per: serve, call, close-day, seed-demo");
  });

  it('su un database con dati reali call e serve rifiutano l’orologio di prova (uscita 1), senza l’orologio call funziona', () => {
    // the office's database: one municipality, written without any practice clock
    const office = openDatabase(path.join(dir, 'ufficio.sqlite'));
    office.sqlite
      .prepare("INSERT INTO municipalities (name, province, cutoff_time, notes, active, created_at, updated_at) VALUES ('Clusone', 'BG', '09:30', '', 1, ?, ?)")
      .run('2026-09-01T08:00:00.000Z', '2026-09-01T08:00:00.000Z');
    office.close();
    const call = rette('ufficio.sqlite', ['call', 'municipalities.list', '--clock', '2026-11-16T08:30:00+01:00']);
    expect(call.code).toBe(1);
    expect(call.err).toMatch(/Orologio di prova rifiutato: il database .*ufficio\.sqlite contiene dati reali \(1 comune\)/);
    const serve = rette('ufficio.sqlite', ['serve', '--port', '0'], { RETTE_CLOCK_FROM: '2026-11-16T08:30:00+01:00' });
    expect(serve.code).toBe(1);
    expect(serve.err).toContain('contiene dati reali (1 comune)');
    expect(serve.out).not.toContain('modalità browser');
    const plain = rette('ufficio.sqlite', ['call', 'system.clock']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out).practice).toBeNull();
  });
});
