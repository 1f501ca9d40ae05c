import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// never the real module: requiring it would try to download the Electron runtime
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  return { ...fake, default: fake };
});

import * as electronModule from 'electron';
import { navigationEvent, type FakeElectron, FakeBrowserWindow } from './fake-electron';
import type { ElectronApi } from '../../../electron/main/electron-api';
import { createMainWindow, trustedUrlCheck } from '../../../electron/main/window';
import {
  APP_ENTRY_URL,
  createRendererHandler,
  isAppUrl,
  registerAppScheme,
  resolveRendererFile,
} from '../../../electron/main/protocol';
import { CONTENT_SECURITY_POLICY } from '../../../electron/host/http-host';

const fake = electronModule as unknown as FakeElectron;
const electron = fake as unknown as ElectronApi;

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-window-'));
  rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Rette Mensa</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'segreto.txt'), 'non deve uscire');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeEach(() => fake.reset());

function openWindow(devServerUrl?: string) {
  createMainWindow(electron, { preloadPath: '/app/out/preload/index.cjs', rendererDir, devServerUrl });
  expect(FakeBrowserWindow.instances).toHaveLength(1);
  return FakeBrowserWindow.instances[0];
}

describe('finestra principale', () => {
  it('è isolata e in sandbox, senza Node, con il preload compilato', () => {
    const win = openWindow();
    const prefs = win.options.webPreferences;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(win.options.title).toBe('Rette Mensa');
  });

  it('carica l’interfaccia da app:// e non da file://, e si mostra quando è pronta', () => {
    const win = openWindow();
    expect(win.loadedUrl).toBe(APP_ENTRY_URL);
    expect(win.loadedUrl!.startsWith('app://')).toBe(true);
    expect(fake.protocol.handlers.has('app')).toBe(true);
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('imposta la Content-Security-Policy rigorosa su ogni risposta, sostituendo quella ricevuta', () => {
    openWindow();
    const listener = fake.session.defaultSession.headersListener!;
    expect(listener).toBeTypeOf('function');
    let answer: any = null;
    listener(
      { url: 'app://rette/index.html', responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } },
      (r: unknown) => (answer = r),
    );
    expect(answer.responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(answer.responseHeaders['content-security-policy']).toBeUndefined();
    expect(answer.responseHeaders['Content-Type']).toEqual(['text/html']);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('nega la navigazione fuori da app:// e apre nel browser solo i link https', () => {
    const win = openWindow();
    const navigate = (url: string) => {
      const event = navigationEvent(url);
      win.webContents.emit('will-navigate', event, url);
      return event.defaultPrevented;
    };
    expect(navigate('app://rette/index.html#/alunni')).toBe(false);
    expect(navigate('https://www.agenziaentrate.gov.it/')).toBe(true);
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://www.agenziaentrate.gov.it/');
    fake.shell.openExternal.mockClear();
    for (const url of ['file:///C:/Windows/system32/calc.exe', 'http://esempio.it/', 'javascript:alert(1)', 'app://altro/index.html', 'smb://server/share']) {
      expect(navigate(url)).toBe(true);
    }
    expect(fake.shell.openExternal).not.toHaveBeenCalled();

    const redirect = navigationEvent('https://esempio.it/');
    win.webContents.emit('will-redirect', redirect, redirect.url);
    expect(redirect.defaultPrevented).toBe(true);

    const webview = navigationEvent('');
    win.webContents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('nega sempre le nuove finestre (https apre il browser di sistema, il resto nulla)', () => {
    const win = openWindow();
    const open = win.webContents.windowOpenHandler!;
    expect(open).toBeTypeOf('function');
    expect(open({ url: 'https://pagopa.gov.it/' })).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://pagopa.gov.it/');
    fake.shell.openExternal.mockClear();
    for (const url of ['app://rette/index.html', 'http://esempio.it/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank']) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
  });

  it('rifiuta i permessi web (fotocamera, posizione, notifiche) tranne la scrittura negli appunti', () => {
    openWindow();
    const { permissionRequest, permissionCheck } = fake.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'usb']) {
      const cb = vi.fn();
      permissionRequest!(null, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(permissionCheck!(null, permission)).toBe(false);
    }
    const cb = vi.fn();
    permissionRequest!(null, 'clipboard-sanitized-write', cb);
    expect(cb).toHaveBeenCalledWith(true);
  });

  it('in sviluppo accetta anche il server di electron-vite, senza imporgli la CSP', () => {
    const win = openWindow('http://localhost:5173/');
    expect(win.loadedUrl).toBe('http://localhost:5173/');
    const event = navigationEvent('http://localhost:5173/#/alunni');
    win.webContents.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented).toBe(false);
    let answer: any = null;
    fake.session.defaultSession.headersListener!({ url: 'http://localhost:5173/', responseHeaders: {} }, (r: unknown) => (answer = r));
    expect(answer).toEqual({});
    const trusted = trustedUrlCheck('http://localhost:5173/');
    expect(trusted('http://localhost:5174/')).toBe(false);
    expect(trustedUrlCheck(undefined)('http://localhost:5173/')).toBe(false);
  });
});

describe('protocollo app://', () => {
  it('è registrato come standard e sicuro', () => {
    registerAppScheme(electron.protocol);
    expect(fake.protocol.privileged).toHaveLength(1);
    expect(fake.protocol.privileged[0].scheme).toBe('app');
    expect(fake.protocol.privileged[0].privileges).toMatchObject({ standard: true, secure: true });
    expect(fake.protocol.privileged[0].privileges.bypassCSP).toBeUndefined();
  });

  it('riconosce solo l’origine app://rette', () => {
    expect(isAppUrl('app://rette/index.html')).toBe(true);
    expect(isAppUrl('app://rette/')).toBe(true);
    expect(isAppUrl('app://altro/index.html')).toBe(false);
    expect(isAppUrl('file:///app/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('https://rette/index.html')).toBe(false);
    expect(isAppUrl('')).toBe(false);
    expect(isAppUrl(null)).toBe(false);
    expect(isAppUrl('non un url')).toBe(false);
  });

  it('serve i file della cartella dell’interfaccia con la CSP e il tipo giusto', async () => {
    const handler = createRendererHandler(rendererDir);
    const index = await handler(new Request('app://rette/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('Rette Mensa');

    const js = await handler(new Request('app://rette/assets/app.js'));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');

    // single-page app: a route without extension gets index.html; a missing asset is a 404
    expect(await (await handler(new Request('app://rette/alunni/12'))).text()).toContain('Rette Mensa');
    expect((await handler(new Request('app://rette/assets/manca.js'))).status).toBe(404);
    expect((await handler(new Request('app://altro/index.html'))).status).toBe(404);
    expect((await handler(new Request('app://rette/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('non esce mai dalla cartella dell’interfaccia (path traversal)', async () => {
    const handler = createRendererHandler(rendererDir);
    for (const url of [
      'app://rette/../segreto.txt',
      'app://rette/%2e%2e/segreto.txt',
      'app://rette/..%2fsegreto.txt',
      'app://rette/assets/..%2f..%2fsegreto.txt',
      'app://rette/..%5csegreto.txt',
      'app://rette/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      `app://rette/${encodeURIComponent(path.join(root, 'segreto.txt'))}`,
      'app://rette/index.html%00.js',
    ]) {
      const res = await handler(new Request(url));
      expect(await res.text(), url).not.toContain('non deve uscire');
    }
    expect(resolveRendererFile(rendererDir, 'app://rette/..%2f..%2fsegreto.txt').status).toBe(403);
    expect(resolveRendererFile(rendererDir, 'app://rette/index.html%00').status).toBe(400);
    expect(resolveRendererFile(rendererDir, 'app://rette/%E0%A4%A').status).toBe(400);
  });
});
