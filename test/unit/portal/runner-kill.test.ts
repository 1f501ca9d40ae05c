/**
 * Kill and restart (issue 13): the runner in a child process (node + tsx) is killed with SIGKILL in
 * the middle of a page; the cursor has not moved past that page, so the restarted runner fetches it
 * again and the idempotency absorbs what was already recorded: every family request exactly once.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { fileSecretStore } from '../../../electron/portal/adapters/credentials';
import type { SyncRunRecord } from '../../../electron/portal/settings';
import type { Sandbox } from '../../portal-sandbox/server';
import { ACT_FROM, officeWithPupils, restSettings, sandboxFor, type SyncOffice } from './sync-fixtures';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHILD = path.join(ROOT, 'test', 'portal-sandbox', 'sync-child.ts');

let office: SyncOffice | null = null;
let sandbox: Sandbox | null = null;
afterEach(async () => {
  await sandbox?.close();
  office?.app.close();
  sandbox = null;
  office = null;
});

interface ChildResult {
  signal: NodeJS.Signals | null;
  code: number | null;
  recorded: number;
  run: SyncRunRecord | null;
}

/** Runs one sync in a child process; with `killAt`, SIGKILLs it as soon as it says it recorded that many events. */
function runChild(o: SyncOffice, killAt: number | null): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, o.dbFile, o.app.dir, killAt ? '40' : ''], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let recorded = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(/registrato (\d+)/g)) recorded = Math.max(recorded, Number(m[1]));
      if (killAt !== null && recorded >= killAt && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const line = /ESECUZIONE (.*)/.exec(out)?.[1];
      if (!killAt && code !== 0) reject(new Error(`il processo figlio è uscito con ${code}: ${err}`));
      resolve({ code, signal, recorded, run: line ? (JSON.parse(line) as SyncRunRecord) : null });
    });
  });
}

it('il sincronizzatore ucciso (SIGKILL) a metà pagina e riavviato registra ogni richiesta delle famiglie una volta sola', async () => {
  office = await officeWithPupils(4);
  sandbox = await sandboxFor(office);
  sandbox.act(60, ACT_FROM, { seed: 21 });
  restSettings(office, sandbox, { pageSize: 20, timeoutSeconds: 10 });
  fileSecretStore(office.app.dir).set(sandbox.token);
  const { sqlite } = office.app.database;
  const count = () => (sqlite.prepare('SELECT count(*) AS n FROM portal_inbound_events').get() as { n: number }).n;
  const cursor = () => (sqlite.prepare("SELECT value FROM portal_state WHERE key = 'cursore.entrata.portale'").get() as { value: string } | undefined)?.value ?? null;
  const decoded = (c: string | null) => (c ? Buffer.from(c, 'base64url').toString() : null);

  // killed after the 30th event: the 10th of the second page
  const killed = await runChild(office, 30);
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.run).toBeNull();
  const before = count();
  expect(before).toBeGreaterThanOrEqual(30);
  expect(before).toBeLessThan(40); // stopped inside the second page
  expect(decoded(cursor())).toBe('sandbox:20'); // the cursor covers the first page only

  const restarted = await runChild(office, null);
  expect(restarted.run).toMatchObject({ outcome: 'riuscita' });
  // the part of page 2 recorded before the kill came again and changed nothing
  expect(restarted.run!.inbound.duplicates).toBe(before - 20);
  expect(restarted.run!.inbound.received).toBe(60 - 20);
  expect(decoded(cursor())).toBe('sandbox:60');

  const check = new Database(office.dbFile, { readonly: true });
  try {
    const rows = check.prepare('SELECT external_id AS id, count(*) AS n FROM portal_inbound_events GROUP BY external_id').all() as { id: string; n: number }[];
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(sandbox.generated().keys()));
    expect(rows.every((r) => r.n === 1)).toBe(true);
  } finally {
    check.close();
  }
}, 120_000);

it('riga di comando: portal-sandbox avvia il portale di prova con le famiglie del database; portal-sync sincronizza e stampa l\'esito', async () => {
  office = await officeWithPupils(3);
  const portal = spawn(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), 'portal-sandbox', '--seed', office.dbFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      portal.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/Credenziale: \S+/.test(out) && /portal-sync/.test(out)) resolve();
      });
      portal.on('exit', (code) => reject(new Error(`portal-sandbox è uscito (${code}): ${out}`)));
    });
    expect(out).toMatch(/Famiglie: 3 \(dal database/);
    const url = /in ascolto su (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
    const token = /Credenziale: (\S+)/.exec(out)![1];
    await office.app.call('portal.settings.update', { adapter: 'rest', baseUrl: url, credential: token, version: 0 });
    const sync = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), 'portal-sync', '--db', office!.dbFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let o = '';
      c.stdout.on('data', (b: Buffer) => (o += b.toString()));
      c.on('exit', (code) => resolve({ code, out: o }));
    });
    expect(sync.code).toBe(0);
    const printed = JSON.parse(sync.out.slice(sync.out.indexOf('{'))) as { run: SyncRunRecord };
    expect(printed.run).toMatchObject({ outcome: 'riuscita', inbound: { received: 30 } });
    expect(sync.out).not.toContain(token);
    expect((office.app.database.sqlite.prepare('SELECT count(*) AS n FROM portal_inbound_events').get() as { n: number }).n).toBe(30);
  } finally {
    portal.kill('SIGTERM');
  }
}, 120_000);
