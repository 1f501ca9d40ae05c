#!/usr/bin/env node
/**
 * The one test command (`npm test`): type-check, lint boundary, build, unit + integration tests
 * (vitest) and end-to-end tests (Playwright on Debian's Chromium, installed with apt-get if missing
 * and possible). Type-check and lint are single-threaded and need nothing else: they run in the
 * background while the build and then vitest run (their output is printed when they are done, not
 * mixed with vitest's). Prints each step's duration, then ends with the plain summary line
 * `N passed, N failed`.
 */
import { spawn, spawnSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
fs.mkdirSync('test-results', { recursive: true });
const only = process.argv[2]; // optional: 'unit' or 'e2e'

let passed = 0;
let failed = 0;
const lines = [];
const started = Date.now();
/** how long each step took, printed in the summary */
const timings = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ms = Date.now() - t0;
  timings.push([name, ms]);
  console.log(`=== ${name}: ${seconds(ms)}`);
  return r.status === 0;
}

/**
 * Starts a step in the background: its output is kept and printed by report() when it is done, so
 * that steps running at the same time do not mix their lines.
 */
function start({ name, cmd, args }) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const chunks = [];
    const child = spawn(cmd, args, { env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    child.on('error', (err) => chunks.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code) => resolve({ name, cmd, args, ok: code === 0, ms: Date.now() - t0, output: Buffer.concat(chunks) }));
  });
}

/** Prints a background step's output and duration. */
function report(r, note = '') {
  console.log(`\n=== ${r.name}: ${r.cmd} ${r.args.join(' ')}`);
  process.stdout.write(r.output);
  timings.push([`${r.name}${note}`, r.ms]);
  console.log(`=== ${r.name}: ${seconds(r.ms)}`);
  return r.ok;
}

/** Like step(), without blocking: the background steps keep reading their output meanwhile. */
function stepLive(name, cmd, args, note = '') {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => {
      const ms = Date.now() - t0;
      timings.push([`${name}${note}`, ms]);
      console.log(`=== ${name}: ${seconds(ms)}`);
      resolve(code === 0);
    });
  });
}

function check(name, ok) {
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (ok) passed++;
  else failed++;
}

function findChromium() {
  if (process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const p = execSync(`command -v ${name}`, { encoding: 'utf8', shell: '/bin/sh' }).trim();
      if (p) return p;
    } catch {
      /* not found */
    }
  }
  return null;
}

/** Debian packages the tests use: a command each one provides, and the package that brings it. */
const DEBIAN_TOOLS = [
  ['chromium', 'chromium'], // end-to-end tests (Playwright drives Debian's Chromium)
  ['pdftotext', 'poppler-utils'], // generated PDFs are read back as text
  ['xmllint', 'libxml2-utils'], // generated bank XML checked against the XSD a second time
  ['soffice', 'libreoffice-calc-nogui'], // spreadsheets made the way an office makes them
  ['faketime', 'faketime'], // a process started at a chosen moment
];

function has(cmd) {
  try {
    return execSync(`command -v ${cmd}`, { encoding: 'utf8', shell: '/bin/sh' }).trim() !== '';
  } catch {
    return false;
  }
}

/** Installs with apt-get the Debian packages whose commands are missing (root or passwordless sudo). */
function ensureDebianTools() {
  const missing = DEBIAN_TOOLS.filter(([cmd]) => !(cmd === 'chromium' ? findChromium() : has(cmd))).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = isRoot ? [] : ['sudo', '-n'];
  console.log(`\nPacchetti Debian mancanti, installazione con apt-get: ${missing.join(' ')}…`);
  const run = (args) => spawnSync(sudo.length ? sudo[0] : args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...missing]);
}

const npx = (args) => ['npx', ['--no-install', ...args]];

ensureDebianTools();

const TYPECHECK = { name: 'Typecheck', cmd: 'npx', args: ['--no-install', 'tsc', '-p', 'tsconfig.json', '--noEmit'] };
// the whole tree, the same command as `npm run lint`
const LINT = { name: 'Lint', cmd: 'npx', args: ['--no-install', 'eslint', '.'] };
const BUILD = { name: 'Build (electron-vite)', cmd: 'npx', args: ['--no-install', 'electron-vite', 'build'] };

const withChecks = !only || only === 'unit';
// Type-check and lint (single-threaded, the lint of the whole tree is the longest) run in the
// background from the start; vitest starts as soon as the build is there (a few tests read the
// built bundle), so that no core waits for the lint.
const TOGETHER = ' (in parallelo)';
const typechecking = withChecks ? start(TYPECHECK) : null;
const linting = withChecks ? start(LINT) : null;
const built = report(await start(BUILD), withChecks ? TOGETHER : '');
let vitestLines = [];
if (withChecks) {
  const out = 'test-results/unit-results.json';
  fs.rmSync(out, { force: true });
  await stepLive('Unit and integration tests (vitest)', 'npx', ['--no-install', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], TOGETHER);
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed += r.numPassedTests;
    // a file that fails to load has no failed assertion of its own: count it as one failure
    const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
    failed += r.numFailedTests + brokenFiles;
    vitestLines = [`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed (${r.numFailedTestSuites ?? 0} file(s) failed)`];
  } else {
    vitestLines = null;
  }
  check('typecheck (tsc --noEmit)', report(await typechecking, TOGETHER));
  check('lint: boundaries by folder and type-aware rules, whole tree (npm run lint)', report(await linting, TOGETHER));
}
check('build: electron-vite build (main, preload, renderer)', built);
if (vitestLines) lines.push(...vitestLines);
else check('vitest produced its report', false);

if ((!only || only === 'e2e') && built) {
  const chromium = findChromium();
  if (!chromium) {
    console.error('Chromium non disponibile e non installabile qui: i test end-to-end non possono girare.');
    check('e2e: Chromium available', false);
  } else {
    const out = 'test-results/e2e-results.json';
    fs.rmSync(out, { force: true });
    step('End-to-end tests (Playwright + Debian Chromium)', ...npx(['playwright', 'test']), { CHROMIUM_PATH: chromium });
    if (fs.existsSync(out)) {
      const s = JSON.parse(fs.readFileSync(out, 'utf8')).stats;
      passed += s.expected + (s.flaky ?? 0);
      failed += s.unexpected;
      lines.push(`playwright: ${s.expected} passed, ${s.unexpected} failed, ${s.flaky ?? 0} flaky, ${s.skipped} skipped`);
    } else {
      check('playwright produced its report', false);
    }
  }
}

console.log('\n=== Tempi');
for (const [name, ms] of timings) console.log(`${seconds(ms).padStart(9)}  ${name}`);
console.log(`${seconds(Date.now() - started).padStart(9)}  totale`);
console.log('\n=== Riepilogo');
for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
