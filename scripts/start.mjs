#!/usr/bin/env node
// `npm start [-- --db file]`: builds the app, then opens it in Electron when the Electron runtime is
// installed on this machine; otherwise (as on CI machines, where it cannot be downloaded) it says so
// in one line and starts browser mode, which prints the address to open, with its launch token.
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

  const electron = installedElectron();
  if (electron) {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // with it set, Electron would start as plain Node
    return run(process.execPath, [electron.cli, '.', ...args], { env });
  }
  console.log('Runtime Electron non installato su questa macchina: avvio in modalità browser.');
  return run(process.execPath, [path.join(root, 'bin', 'rette.mjs'), 'serve', ...args]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
