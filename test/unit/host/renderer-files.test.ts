import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, resolveRendererPath } from '../../../electron/platform/renderer-files';
import { resolveRendererFile } from '../../../electron/main/protocol';
import { startHttpHost, type HttpHost } from '../../../electron/host/http-host';
import { createTestApp, type TestApp } from '../../support/backend';

let root: string;
let renderer: string;
let app: TestApp;
let host: HttpHost;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-files-'));
  renderer = path.join(root, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Rette Mensa</title>');
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'segreto.txt'), 'non deve uscire');
  app = await createTestApp();
  host = await startHttpHost({ backend: app.backend, staticDir: renderer });
});
afterAll(async () => {
  await host.close();
  app.close();
  fs.rmSync(root, { recursive: true, force: true });
});

// [encoded path, expected status, expected file relative to the renderer folder]
const CASES: [string, number, string | null][] = [
  ['/', 200, 'index.html'],
  ['/assets/app.js', 200, 'assets/app.js'],
  ['/alunni/12', 200, 'index.html'], // a route of the single-page app
  ['/assets/manca.js', 404, null], // a missing asset is not the page
  ['/%FF', 400, null],
  ['/%E0%A4%A', 400, null],
  ['/index.html%00.js', 400, null],
  ['/..%2fsegreto.txt', 403, null],
  ['/assets/..%2f..%2fsegreto.txt', 403, null],
  ['/%2e%2e/segreto.txt', 403, null],
];

describe('un solo risolutore dei file dell’interfaccia per il protocollo app:// e per la modalità browser', () => {
  it('stesse risposte per gli stessi percorsi, senza mai uscire dalla cartella', async () => {
    for (const [encoded, status, file] of CASES) {
      const direct = resolveRendererPath(renderer, encoded);
      expect(direct.status, encoded).toBe(status);
      if (file) expect(direct.status === 200 && direct.file, encoded).toBe(path.join(renderer, file));
      // a URL parser folds `%2e%2e` into `..` and removes it before the resolver sees it (then: 404, still inside)
      const folded = new URL(`app://rette${encoded}`).pathname !== encoded;
      const viaProtocol = resolveRendererFile(renderer, `app://rette${encoded}`);
      if (folded) expect(viaProtocol.status, encoded).toBe(404);
      else expect(viaProtocol, encoded).toEqual(direct);
      const res = await fetch(`${host.url}${encoded.slice(1)}`);
      expect(res.status, encoded).toBe(folded ? 404 : status);
      expect(await res.text(), encoded).not.toContain('non deve uscire');
    }
  });

  it('un solo elenco dei tipi MIME', () => {
    expect(contentTypeOf('x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('x/APP.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('x/font.woff2')).toBe('font/woff2');
    expect(contentTypeOf('x/ignoto.bin')).toBe('application/octet-stream');
  });

  it('il lato Electron e il lato server non si importano a vicenda', () => {
    const source = (p: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../../..', p), 'utf8');
    const imports = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports(source('electron/platform/renderer-files.ts')).sort()).toEqual(['node:fs', 'node:path']);
    expect(imports(source('electron/main/protocol.ts')).filter((i) => i.includes('host/') || i === 'node:http')).toEqual([]);
    expect(imports(source('electron/main/window.ts')).filter((i) => i.includes('host/') || i === 'node:http')).toEqual([]);
    expect(imports(source('electron/host/http-host.ts')).filter((i) => i.includes('electron') && !i.startsWith('.'))).toEqual([]);
    expect(imports(source('electron/host/http-host.ts')).some((i) => i.includes('/main/'))).toBe(false);
  });
});
