import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';

export interface AppServer {
  url: string;
  token: string;
  dataDir: string;
  dbFile: string;
  /** runs the CLI against this server's database (e.g. seed data); the server keeps running (WAL) */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

// the package is an ES module: no __dirname
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'rette.mjs');

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

/** Starts `rette serve` on a fresh data folder (one per test) and waits for its URL. */
async function startServer(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string; token: string }> {
  const dbFile = path.join(dataDir, 'rette.sqlite');
  const env = { ...process.env, RETTE_DB: dbFile, RETTE_DATA_DIR: dataDir, ...extraEnv };
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: ROOT, env });
  const openUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`rette serve non è partito:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`rette serve è uscito (${code}):\n${out}`)));
  });
  const u = new URL(openUrl);
  return { child, url: openUrl, token: u.searchParams.get('token')! };
}

export const test = base.extend<{ app: AppServer; screenshotDir: string }>({
  app: async ({}, use, testInfo) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-e2e-'));
    const { child, url, token } = await startServer(dataDir);
    const env = { ...process.env, RETTE_DB: path.join(dataDir, 'rette.sqlite'), RETTE_DATA_DIR: dataDir };
    await use({ url, token, dataDir, dbFile: path.join(dataDir, 'rette.sqlite'), cli: (args) => run(args, env) });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (testInfo.status === testInfo.expectedStatus) fs.rmSync(dataDir, { recursive: true, force: true });
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
