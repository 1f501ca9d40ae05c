/**
 * A backend on a fresh SQLite file, as the app builds it (same contract, same migrations), with an
 * administrator logged in: benchmarks call procedures exactly as the UI does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type OpenDatabase } from '../db/open';
import { createBackend, type Backend } from '../electron/contract/backend';
import { procedures } from '../electron/contract/registry';
import { fixedClock } from '../electron/platform/clock';

const silent = { info() {}, warn() {}, error() {} };

export interface BenchApp {
  backend: Backend;
  database: OpenDatabase;
  session: string;
  /** calls a procedure as the administrator; throws on an error result */
  call(name: string, input: unknown): Promise<unknown>;
  /** waits for a job started by a procedure, checking every millisecond (as the UI polls; a busy loop would take a core from the job's worker) */
  waitJob(jobId: string): Promise<{ state: string; result: unknown; error: unknown }>;
  close(): void;
}

let counter = 0;

export function freshFile(tmpDir: string, name: string): string {
  const file = path.join(tmpDir, `${name}-${process.pid}-${++counter}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return file;
}

export function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

export async function createBenchApp(file: string, at = '2026-07-10T08:00:00Z'): Promise<BenchApp> {
  const database = openDatabase(file);
  const backend = createBackend({ database, clock: fixedClock(at), procedures, dataDir: path.dirname(file), logger: silent });
  const setup = await backend.call('auth.setup', { username: 'admin', displayName: 'Amministratore', password: 'password-admin' });
  if (!setup.ok) throw new Error(JSON.stringify(setup.error));
  const session = (setup.value as { session: string }).session;
  const call = async (name: string, input: unknown) => {
    const r = await backend.call(name, input, session);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error).slice(0, 500)}`);
    return r.value;
  };
  return {
    backend,
    database,
    session,
    call,
    async waitJob(jobId) {
      for (;;) {
        const j = (await call('jobs.get', { id: jobId })) as { state: string; result: unknown; error: unknown };
        if (j.state !== 'in_corso') return j;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    close() {
      database.close();
      removeDb(file);
    },
  };
}
