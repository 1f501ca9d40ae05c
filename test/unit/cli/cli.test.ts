import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it, vi } from 'vitest';

// each test starts the CLI several times (tsx compiles on start): generous on a loaded 2-core machine
vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-cli-'));
const db = path.join(dir, 'rette.sqlite');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function rette(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RETTE_DB: db, RETTE_DATA_DIR: dir },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('riga di comando rette (come la esegue `npm run rette -- …`)', () => {
  it('stampa la guida in italiano', () => {
    const r = rette('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Comandi:');
    expect(r.out).toContain('seed-demo');
  });

  it('migrate crea il database; call esegue le procedure come primo amministratore', () => {
    expect(rette('migrate').code).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
    const setup = rette('call', 'auth.setup', JSON.stringify({ username: 'admin', displayName: 'Admin', password: 'password-admin' }));
    expect(setup.code).toBe(0);
    const m = rette('call', 'municipalities.create', JSON.stringify({ name: 'Clusone', province: 'BG', cutoffTime: '09:30' }));
    expect(m.code).toBe(0);
    expect(JSON.parse(m.out)).toMatchObject({ name: 'Clusone', cutoffTime: '09:30' });
    const list = rette('call', 'municipalities.list');
    expect(JSON.parse(list.out)).toHaveLength(1);
  });

  it('un input errato esce con 1 e l’errore strutturato in italiano su stderr', () => {
    const r = rette('call', 'municipalities.create', '{"name":"","cutoffTime":"9.30"}');
    expect(r.code).toBe(1);
    const body = JSON.parse(r.err);
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.issues.length).toBe(2);
  });

  it('--user agisce con il ruolo di quell’utente (FORBIDDEN per uno inferiore)', () => {
    rette('call', 'users.create', JSON.stringify({ username: 'oper', displayName: 'Op', role: 'operatore', password: 'password-op' }));
    const r = rette('call', 'users.list', '{}', '--user', 'oper');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.err).error.code).toBe('FORBIDDEN');
    expect(rette('call', 'users.list', '{}', '--user', 'nessuno').code).toBe(2);
  });

  it('backup scrive una copia e restore la riporta', () => {
    const copy = path.join(dir, 'copia.sqlite');
    const b = rette('backup', copy);
    expect(b.code).toBe(0);
    expect(b.out).toContain('Copia di sicurezza scritta');
    rette('call', 'municipalities.create', JSON.stringify({ name: 'Cassino', province: 'FR', cutoffTime: '09:00' }));
    expect(JSON.parse(rette('call', 'municipalities.list').out)).toHaveLength(2);
    const r = rette('restore', copy);
    expect(r.code).toBe(0);
    expect(JSON.parse(rette('call', 'municipalities.list').out)).toHaveLength(1);
  });

  it('comandi sconosciuti e JSON non valido sono rifiutati con codice 2', () => {
    expect(rette('boh').code).toBe(2);
    expect(rette('call', 'municipalities.list', '{non json').code).toBe(2);
  });
});

describe('rette seed-demo su un database nuovo', () => {
  it('crea l’ufficio dimostrativo senza utenti, e il programma chiede ancora l’amministratore', () => {
    const fresh = path.join(dir, 'demo.sqlite');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), ...args, '--db', fresh], { cwd: ROOT, encoding: 'utf8' });
    const r = run('seed-demo', '--pupils', '50');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ pupils: 50 });
    expect(JSON.parse(run('call', 'auth.status').stdout)).toMatchObject({ needsSetup: true });
    const again = run('seed-demo', '--pupils', '50');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/CONFLICT/);
  });
});
