import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

type Found = { cli: string; binary: string } | null;
const script = path.resolve(__dirname, '../../../scripts/start.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-start-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm start: Electron solo se il runtime è davvero installato', () => {
  it('riconosce il binario da path.txt senza caricare il pacchetto electron (che lo scaricherebbe)', async () => {
    const { installedElectron } = (await import(pathToFileURL(script).href)) as {
      installedElectron(root: string, env: Record<string, string>): Found;
    };
    const pkg = path.join(tmp, 'node_modules', 'electron');
    fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'cli.js'), '');
    expect(installedElectron(tmp, {})).toBeNull(); // no path.txt: the download never happened
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(installedElectron(tmp, {})).toBeNull(); // path.txt but no binary
    fs.writeFileSync(path.join(pkg, 'dist', 'electron'), '');
    expect(installedElectron(tmp, {})).toEqual({ cli: path.join(pkg, 'cli.js'), binary: path.join(pkg, 'dist', 'electron') });
    expect(installedElectron(tmp, { ELECTRON_OVERRIDE_DIST_PATH: path.join(tmp, 'altrove') })).toBeNull();
  });

  it('senza runtime lo scarica una volta con lo script di Electron; se non riesce lo dice in una riga, avvia la modalità browser e non riprova per un giorno', async () => {
    const { ensureElectron } = (await import(pathToFileURL(script).href)) as {
      ensureElectron(root: string, env: Record<string, string>): { electron: Found; reason: string | null };
    };
    const project = fs.mkdtempSync(path.join(tmp, 'senza-rete-'));
    const pkg = path.join(project, 'node_modules', 'electron');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'cli.js'), '');
    const calls = path.join(project, 'chiamate.txt');
    // Electron's install script where the network is closed
    fs.writeFileSync(
      path.join(pkg, 'install.js'),
      `require('fs').appendFileSync(${JSON.stringify(calls)}, 'x'); console.error('RequestError: getaddrinfo ENOTFOUND github.com'); process.exit(1);`,
    );
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const first = ensureElectron(project, {});
      expect(first.electron).toBeNull();
      expect(first.reason).toBe('scaricamento non riuscito: RequestError: getaddrinfo ENOTFOUND github.com');
      expect(fs.readFileSync(calls, 'utf8')).toBe('x');
      const again = ensureElectron(project, {});
      expect(again.reason).toMatch(/^scaricamento non riuscito .* UTC: RequestError/);
      expect(fs.readFileSync(calls, 'utf8')).toBe('x'); // not tried again today
      ensureElectron(project, { RETTE_ELECTRON_DOWNLOAD: '1' });
      expect(fs.readFileSync(calls, 'utf8')).toBe('xx');
      expect(ensureElectron(project, { RETTE_ELECTRON_DOWNLOAD: '0' }).reason).toBe('scaricamento disattivato');

      // a machine with internet: the script unpacks the runtime and writes path.txt; then it opens
      fs.writeFileSync(
        path.join(pkg, 'install.js'),
        "const fs=require('fs');fs.mkdirSync('dist',{recursive:true});fs.writeFileSync('dist/electron','');fs.writeFileSync('path.txt','electron');",
      );
      expect(ensureElectron(project, { RETTE_ELECTRON_DOWNLOAD: '1' })).toEqual({ electron: { cli: path.join(pkg, 'cli.js'), binary: path.join(pkg, 'dist', 'electron') }, reason: null });
    } finally {
      log.mockRestore();
    }
  });

  it('la riga della modalità browser dice perché, in italiano, e avvia serve passando --db; npm ci non scarica nulla', () => {
    const source = fs.readFileSync(script, 'utf8');
    expect(source).toContain('console.log(`Runtime Electron non disponibile su questa macchina (${reason}): avvio in modalità browser.`);');
    expect(source).toMatch(/'bin', 'rette\.mjs'\), 'serve', \.\.\.args/);
    expect(source).not.toMatch(/require\(['"]electron['"]\)|import\(['"]electron['"]\)|from ['"]electron['"]/);
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.keys(pkg.scripts)).not.toContain('postinstall');
  });
});
