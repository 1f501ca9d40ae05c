import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

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

  it('altrimenti lo dice in una riga in italiano e avvia la modalità browser, passando --db', () => {
    const source = fs.readFileSync(script, 'utf8');
    expect(source).toContain("console.log('Runtime Electron non installato su questa macchina: avvio in modalità browser.');");
    expect(source).toMatch(/'bin', 'rette\.mjs'\), 'serve', \.\.\.args/);
    expect(source).not.toMatch(/require\(['"]electron['"]\)|import\(['"]electron['"]\)|from ['"]electron['"]/);
  });
});
