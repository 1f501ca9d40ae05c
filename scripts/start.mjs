#!/usr/bin/env node
// `npm start [-- --db file]`: builds the app, then opens it in Electron. The Electron runtime is not
// part of `npm ci` (no install scripts run there): the first `npm start` on a machine with internet
// fetches it once, with Electron's own install script and a time limit. Where it cannot (as on CI
// machines) it says why in one line and starts browser mode, which prints the address to open; a
// failed download is not tried again for a day (RETTE_ELECTRON_DOWNLOAD=1 forces a new attempt,
// RETTE_ELECTRON_DOWNLOAD=0 never tries).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/**
 * The Electron binary, if it is really there. The electron package itself is never loaded here:
 * loading it without its binary starts a download.
 */
export function installedElectron(projectRoot = root, env = process.env) {
  const pkg = path.join(projectRoot, 'node_modules', 'electron');
  const cli = path.join(pkg, 'cli.js');
  const pathFile = path.join(pkg, 'path.txt');
  if (!fs.existsSync(cli) || !fs.existsSync(pathFile)) return null;
  const relative = fs.readFileSync(pathFile, 'utf8').trim();
  if (!relative) return null;
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkg, 'dist');
  const binary = path.join(dist, relative);
  try {
    if (!fs.statSync(binary).isFile()) return null;
  } catch {
    return null;
  }
  return { cli, binary };
}

/** How long the one download of the runtime may take (about 100 MB). */
export const DOWNLOAD_TIMEOUT_MS = 5 * 60 * 1000;
const RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

function markerFile(projectRoot) {
  return path.join(projectRoot, 'node_modules', '.cache', 'rette', 'electron-download.json');
}

/**
 * Whether to try fetching the runtime now: not when told not to, not when Electron's package is
 * missing, not within a day of a failed attempt (unless forced).
 */
export function shouldDownload(projectRoot = root, env = process.env, now = Date.now()) {
  if (env.RETTE_ELECTRON_DOWNLOAD === '0' || env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { ok: false, reason: 'scaricamento disattivato' };
  if (!fs.existsSync(path.join(projectRoot, 'node_modules', 'electron', 'install.js'))) return { ok: false, reason: 'pacchetto electron assente' };
  if (env.RETTE_ELECTRON_DOWNLOAD === '1') return { ok: true, reason: null };
  try {
    const last = JSON.parse(fs.readFileSync(markerFile(projectRoot), 'utf8'));
    if (now - Date.parse(last.at) < RETRY_AFTER_MS) return { ok: false, reason: `scaricamento non riuscito ${last.at.slice(0, 16).replace('T', ' ')} UTC: ${last.reason}` };
  } catch {
    // no earlier attempt
  }
  return { ok: true, reason: null };
}

/** Runs Electron's own install script (it downloads and unpacks the runtime), bounded in time. */
export function downloadElectron(projectRoot = root, env = process.env, timeoutMs = DOWNLOAD_TIMEOUT_MS) {
  const childEnv = { ...env };
  delete childEnv.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'node_modules', 'electron', 'install.js')], {
    cwd: path.join(projectRoot, 'node_modules', 'electron'),
    env: childEnv,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (r.error?.code === 'ETIMEDOUT') return { ok: false, reason: `tempo scaduto (${Math.round(timeoutMs / 1000)} s)` };
  if (r.error) return { ok: false, reason: r.error.message };
  if (r.status !== 0) {
    const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}`;
    const line = text.split('\n').map((l) => l.trim()).find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT|getaddrinfo|HTTPError/i.test(l));
    return { ok: false, reason: (line ?? `uscito con codice ${r.status}`).slice(0, 160) };
  }
  return { ok: true, reason: null };
}

function rememberFailure(projectRoot, reason) {
  try {
    fs.mkdirSync(path.dirname(markerFile(projectRoot)), { recursive: true });
    fs.writeFileSync(markerFile(projectRoot), JSON.stringify({ at: new Date().toISOString(), reason }));
  } catch {
    // only a convenience: the next start tries again
  }
}

/** The runtime, fetched now if needed and possible; otherwise null and the one-line reason. */
export function ensureElectron(projectRoot = root, env = process.env) {
  const present = installedElectron(projectRoot, env);
  if (present) return { electron: present, reason: null };
  const allowed = shouldDownload(projectRoot, env);
  if (!allowed.ok) return { electron: null, reason: allowed.reason };
  console.log('Primo avvio: scaricamento del runtime Electron (una volta sola)…');
  const got = downloadElectron(projectRoot, env);
  const after = got.ok ? installedElectron(projectRoot, env) : null;
  if (after) return { electron: after, reason: null };
  const reason = got.reason ?? 'runtime non trovato dopo lo scaricamento';
  rememberFailure(projectRoot, reason);
  return { electron: null, reason: `scaricamento non riuscito: ${reason}` };
}

function run(command, commandArgs, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
    const forward = (signal) => {
      if (child.exitCode === null) child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (err) => {
      console.error(`Impossibile avviare ${command}: ${err.message}`);
      resolve(1);
    });
  });
}

async function main() {
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (build.status !== 0) {
    console.error('Compilazione non riuscita: correggere gli errori sopra e riprovare.');
    return build.status ?? 1;
  }

  const { electron, reason } = ensureElectron();
  if (electron) {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // with it set, Electron would start as plain Node
    return run(process.execPath, [electron.cli, '.', ...args], { env });
  }
  console.log(`Runtime Electron non disponibile su questa macchina (${reason}): avvio in modalità browser.`);
  return run(process.execPath, [path.join(root, 'bin', 'rette.mjs'), 'serve', ...args]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
