import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openRuntime, type Runtime } from '../../../electron/host/runtime';
import { RealDataError } from '../../../db/real-data';
import { SCHEDULER_START_KEY } from '../../../electron/attendance/scheduler';
import { silentLogger } from '../../support/backend';

let dir: string;
let runtime: Runtime | null = null;
afterEach(() => {
  runtime?.stop();
  runtime = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

function fresh() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-practice-'));
  return path.join(dir, 'rette.sqlite');
}

async function ok<T>(r: Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const x = await r;
  if (!x.ok) throw new Error(JSON.stringify(x.error));
  return x.value as T;
}

describe('orologio di prova nel backend (rette serve e app desktop)', () => {
  it('il contratto, il registro delle modifiche e la chiusura automatica usano lo stesso orologio di prova', async () => {
    const dbFile = fresh();
    // Monday 16 November 2026, 08:30 in Rome, standing still
    runtime = openRuntime({ dbFile, practiceClock: { mode: 'fisso', from: '2026-11-16T07:30:00.000Z' }, logger: silentLogger });
    const backend = runtime.backend;
    expect(await ok(backend.call('system.clock', {}))).toEqual({
      now: '2026-11-16T07:30:00.000Z',
      today: '2026-11-16',
      practice: { mode: 'fisso', from: '2026-11-16T07:30:00.000Z' },
    });
    const { session } = await ok<{ session: string }>(backend.call('auth.setup', { username: 'admin', displayName: 'Admin', password: 'password-admin' }));
    await ok(backend.call('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30' }, session));
    expect(runtime.database.sqlite.prepare('SELECT created_at FROM municipalities').pluck().all()).toEqual(['2026-11-16T07:30:00.000Z']);
    const info = await ok<{ today: string }>(backend.call('system.info', {}, session));
    expect(info.today).toBe('2026-11-16');
    const audit = runtime.database.sqlite.prepare("SELECT DISTINCT at FROM audit_log").pluck().all();
    expect(audit).toEqual(['2026-11-16T07:30:00.000Z']);
    // the day-close scheduler's first pass (2 s after start) records when it first ran: on the practice clock
    const started = () => runtime!.database.sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(SCHEDULER_START_KEY);
    await vi.waitFor(() => expect(started()).toBe('2026-11-16T07:30:00.000Z'), { timeout: 15_000, interval: 200 });
  });

  it('senza orologio di prova system.clock dice l’ora reale e nessun orologio di prova', async () => {
    runtime = openRuntime({ dbFile: fresh(), timers: false, logger: silentLogger });
    const before = Date.now();
    const c = await ok<{ now: string; practice: unknown }>(runtime.backend.call('system.clock', {}));
    expect(c.practice).toBeNull();
    expect(Math.abs(new Date(c.now).getTime() - before)).toBeLessThan(5_000);
  });

  it('un database con dati reali rifiuta l’orologio di prova, resta chiuso e intatto, e si riapre con l’orologio reale', async () => {
    const dbFile = fresh();
    runtime = openRuntime({ dbFile, timers: false, logger: silentLogger });
    const { session } = await ok<{ session: string }>(runtime.backend.call('auth.setup', { username: 'admin', displayName: 'Admin', password: 'password-admin' }));
    await ok(runtime.backend.call('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30' }, session));
    runtime.stop();
    runtime = null;

    for (const mode of ['fisso', 'in-corsa'] as const) {
      expect(() => openRuntime({ dbFile, timers: false, logger: silentLogger, practiceClock: { mode, from: '2026-11-16T07:30:00.000Z' } })).toThrow(RealDataError);
    }
    expect(() => openRuntime({ dbFile, timers: false, logger: silentLogger, practiceClock: { mode: 'fisso', from: '2026-11-16T07:30:00.000Z' } })).toThrow(
      /contiene dati reali \(1 comune\)/,
    );
    // the refused opening closed its connection (a WAL file left open would keep -wal/-shm and locks)
    runtime = openRuntime({ dbFile, timers: false, logger: silentLogger });
    const settings = runtime.database.sqlite.prepare("SELECT key FROM settings WHERE key LIKE 'orologio%'").pluck().all();
    expect(settings).toEqual([]);
    const c = await ok<{ practice: unknown }>(runtime.backend.call('system.clock', {}));
    expect(c.practice).toBeNull();
  });
});
