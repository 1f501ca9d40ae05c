import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Module, { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, FakeBrowserWindow } from './fake-electron';
import { CONTENT_SECURITY_POLICY } from '../../../electron/host/http-host';

/**
 * The bundles electron-vite writes (out/main/index.cjs, out/preload/index.cjs) loaded as Electron
 * would load them, with `require('electron')` answered by the stand-in. Catches what the TypeScript
 * sources cannot: CommonJS output, import.meta.url shims, externals, the migrations folder lookup.
 * `npm test` builds before the unit tests; run alone on a tree without out/, this file builds
 * the app first (electron-vite build), and fails if the build does. It never skips.
 */
const root = path.resolve(__dirname, '../../..');
const mainBundle = path.join(root, 'out', 'main', 'index.cjs');
const preloadBundle = path.join(root, 'out', 'preload', 'index.cjs');
const rendererIndex = path.join(root, 'out', 'renderer', 'index.html');
const isBuilt = () => fs.existsSync(mainBundle) && fs.existsSync(preloadBundle) && fs.existsSync(rendererIndex);

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };

function withFakeElectron<T>(fake: unknown, load: () => T): T {
  const original = moduleInternals._load;
  moduleInternals._load = function (this: unknown, request, parent, isMain) {
    if (request === 'electron') return fake;
    return original.call(this, request, parent, isMain);
  };
  try {
    return load();
  } finally {
    moduleInternals._load = original;
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-bundle-'));
const fake = createFakeElectron();
afterAll(() => {
  fake.app.emit('will-quit');
  vi.unstubAllEnvs();
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeAll(() => {
  if (isBuilt()) return;
  const build = spawnSync('npx', ['--no-install', 'electron-vite', 'build'], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  if (build.status !== 0 || !isBuilt()) {
    throw new Error(`electron-vite build non riuscito (codice ${build.status}):\n${build.stdout}\n${build.stderr}`);
  }
}, 600_000);

describe('bundle compilato (out/)', () => {
  it('out/main/index.cjs avvia l’app e serve l’interfaccia compilata su app:// con la CSP', async () => {
    vi.stubEnv('RETTE_DB', '');
    vi.stubEnv('ELECTRON_RENDERER_URL', '');
    fake.state.appData = tmp;
    fake.state.appPath = root;
    // "this computer only" already chosen at the first start (issue 14: otherwise the app asks first)
    fs.mkdirSync(path.join(tmp, 'Rette Mensa'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'Rette Mensa', 'connection.json'), JSON.stringify({ mode: 'locale', chosenAt: '2026-09-01T08:00:00Z' }));
    const require = createRequire(import.meta.url);
    withFakeElectron(fake, () => require(mainBundle));
    expect(fake.protocol.privilegedBeforeReady).toBe(true);
    fake.app.makeReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));

    const win = FakeBrowserWindow.instances[0];
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: preloadBundle });
    expect(fs.existsSync(path.join(tmp, 'Rette Mensa', 'rette.sqlite'))).toBe(true);

    const handler = fake.ipcMain.handlers.get('rette:invoke')!;
    const status = (await handler({ senderFrame: { url: 'app://rette/index.html' } }, { procedure: 'auth.status', input: {}, session: null })) as { ok: boolean };
    expect(status.ok).toBe(true);

    const serve = fake.protocol.handlers.get('app')!;
    const page = await serve(new Request(win.loadedUrl!));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await page.text();
    expect(html).toContain('id="root"');
    // every script and stylesheet the page names is served from app://rette too
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const res = await serve(new Request(new URL(asset, win.loadedUrl!).href));
      expect(res.status, asset).toBe(200);
    }
  });

  it('out/preload/index.cjs espone soltanto window.rette.invoke, onNotice e connection (la scelta del primo avvio)', () => {
    const require = createRequire(import.meta.url);
    withFakeElectron(fake, () => require(preloadBundle));
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['rette']);
    expect(Object.keys(fake.contextBridge.exposed.get('rette') as object)).toEqual(['invoke', 'onNotice', 'connection']);
    // a sandboxed preload can require only electron: the bundle must not require anything else
    const requires = [...fs.readFileSync(preloadBundle, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(requires)]).toEqual(['electron']);
  });
});
