import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';

/**
 * The moment a test runs at: every end-to-end test stands at a chosen moment, never on the real
 * date. The server gets it as its practice clock (`rette serve --clock-from` or `--clock`), the
 * browser as Playwright's clock, the command line as `--clock` at the server's current moment.
 */
export interface TestClock {
  /** ISO 8601 with the Rome offset, e.g. '2026-11-16T08:30:00+01:00' */
  at: string;
  /** 'in-corsa' (default): starts at `at` and runs, so cutoffs and the day close come as on that day; 'fisso': stands still */
  mode?: 'in-corsa' | 'fisso';
}

/**
 * Monday 16 November 2026, 08:30 in Rome: a school day in the middle of the 2026/2027 school year,
 * before both cutoffs (Cassino 09:00, Clusone 09:30); the last service day before it is Friday 13.
 */
export const DEFAULT_CLOCK: TestClock = { at: '2026-11-16T08:30:00+01:00', mode: 'in-corsa' };

export interface AppServer {
  url: string;
  token: string;
  dataDir: string;
  dbFile: string;
  clock: Required<TestClock>;
  /** the server's current moment (its practice clock) */
  now(): Promise<Date>;
  /** the server's today in Rome, 'YYYY-MM-DD' */
  today(): Promise<string>;
  /**
   * Runs the CLI against this server's database (e.g. seed data); the server keeps running (WAL).
   * Commands that run on a clock (call, close-day, seed-demo) get `--clock` at the server's moment.
   */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

// the package is an ES module: no __dirname
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'rette.mjs');
const CLOCKED = new Set(['call', 'close-day', 'seed-demo']);

/** The environment of the server and of the CLI: this test's database, and no practice clock inherited from the shell. */
function testEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, RETTE_DB: path.join(dataDir, 'rette.sqlite'), RETTE_DATA_DIR: dataDir };
  delete env.RETTE_CLOCK;
  delete env.RETTE_CLOCK_FROM;
  return env;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * Starts `rette serve` with the practice clock on a fresh data folder (one per test) and waits for
 * its URL. Everything the server prints goes to serve.log in the data folder (kept when a test fails).
 */
async function startServer(dataDir: string, clock: Required<TestClock>): Promise<{ child: ChildProcess; url: string; token: string }> {
  const clockArgs = [clock.mode === 'fisso' ? '--clock' : '--clock-from', clock.at];
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...clockArgs], { cwd: ROOT, env: testEnv(dataDir) });
  const log = fs.createWriteStream(path.join(dataDir, 'serve.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.on('exit', (code, signal) => log.end(`\n[rette serve uscito: ${code ?? signal}]\n`));
  const openUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    // tsx compiles the backend at start: slow on a loaded machine
    const timer = setTimeout(() => reject(new Error(`rette serve non è partito:\n${out}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`rette serve è uscito (${code}):\n${out}`)));
  });
  const u = new URL(openUrl);
  return { child, url: openUrl, token: u.searchParams.get('token')! };
}

async function serverClock(url: string, token: string): Promise<{ now: string; today: string }> {
  const res = await fetch(`${new URL(url).origin}/api/system.clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: '{}',
  });
  const body = (await res.json()) as { ok: boolean; value: { now: string; today: string } };
  if (!body.ok) throw new Error(`system.clock: ${JSON.stringify(body)}`);
  return body.value;
}

export const test = base.extend<{ clock: TestClock; app: AppServer; screenshotDir: string }>({
  /** `test.use({ clock: { at: '2026-11-15T18:30:00+01:00' } })` moves a file's tests to another moment */
  clock: [DEFAULT_CLOCK, { option: true }],
  app: async ({ clock }, use, testInfo) => {
    const chosen: Required<TestClock> = { at: clock.at, mode: clock.mode ?? 'in-corsa' };
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-e2e-'));
    const { child, url, token } = await startServer(dataDir, chosen);
    const env = testEnv(dataDir);
    const now = async () => new Date((await serverClock(url, token)).now);
    await use({
      url,
      token,
      dataDir,
      dbFile: path.join(dataDir, 'rette.sqlite'),
      clock: chosen,
      now,
      today: async () => (await serverClock(url, token)).today,
      cli: async (args) => (CLOCKED.has(args[0]) ? run([...args, '--clock', (await now()).toISOString()], env) : run(args, env)),
    });
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (testInfo.status === testInfo.expectedStatus) fs.rmSync(dataDir, { recursive: true, force: true });
    else await testInfo.attach('serve.log', { path: path.join(dataDir, 'serve.log'), contentType: 'text/plain' });
  },
  // the browser's clock is the server's: the calendars' "today" and every date the page computes
  page: async ({ page, app }, use) => {
    const now = await app.now();
    if (app.clock.mode === 'fisso') await page.clock.setFixedTime(now);
    else await page.clock.install({ time: now });
    await use(page);
  },
  screenshotDir: async ({}, use) => {
    const dir = path.join(ROOT, 'test-results', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await use(dir);
  },
});

/** Saves a full-page screenshot under test-results/screenshots/<name>.png (kept as a CI artifact). */
export async function snap(page: Page, dir: string, name: string) {
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

export { expect };
