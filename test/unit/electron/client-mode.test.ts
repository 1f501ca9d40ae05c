import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  return { ...fake, default: fake };
});

import * as electronModule from 'electron';
import { FakeBrowserWindow, type FakeElectron } from './fake-electron';
import type { ElectronApi } from '../../../electron/main/electron-api';
import {
  VERIFY_ACCEPT,
  VERIFY_CHROMIUM,
  VERIFY_REFUSE,
  certificateDecision,
  connectionFile,
  electronFingerprintToHex,
  normalizeFingerprint,
  parseServerAddress,
  pemFingerprint,
  readConnection,
  writeConnection,
} from '../../../electron/main/connection-config';
import { createConnectionSetup, type SetupDeps } from '../../../electron/main/connection-setup';
import { openClientWindow, workstationName } from '../../../electron/main/client-mode';
import { pinnedLogin, readServerFingerprint } from '../../../electron/main/server-probe';
import { startDesktop, type Desktop } from '../../../electron/main/desktop';

const fake = electronModule as unknown as FakeElectron;
const electron = fake as unknown as ElectronApi;

type Pem = { cert: string; key: string };
async function certificate(name: string): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: name }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' });
  return { cert: pems.cert, key: pems.private };
}
/** Electron's `certificate.fingerprint` of a PEM: 'sha256/' + base64 of the SHA-256 of the DER */
function electronStyle(pem: string): string {
  return `sha256/${createHash('sha256').update(new X509Certificate(pem).raw).digest('base64')}`;
}

let serverCert: Pem;
let otherCert: Pem;
let pinned: string;
beforeAll(async () => {
  serverCert = await certificate('server-ufficio');
  otherCert = await certificate('server-ufficio');
  pinned = new X509Certificate(serverCert.cert).fingerprint256;
});

describe('impronta del certificato: da Electron (sha256/base64) alla forma stampata dal server', () => {
  it('la conversione dà la stessa impronta di Node e openssl, in maiuscolo con i due punti', () => {
    const converted = electronFingerprintToHex(electronStyle(serverCert.cert));
    expect(converted).toBe(pinned);
    expect(converted).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(pemFingerprint(serverCert.cert)).toBe(pinned);
    // every usual spelling of the same digest
    expect(normalizeFingerprint(pinned.toLowerCase())).toBe(pinned);
    expect(normalizeFingerprint(pinned.replace(/:/g, ''))).toBe(pinned);
    expect(normalizeFingerprint(`SHA256 Fingerprint=${pinned}`)).toBe(pinned);
    // not a SHA-256 fingerprint: never a match
    expect(electronFingerprintToHex('sha1/' + Buffer.alloc(20).toString('base64'))).toBeNull();
    expect(normalizeFingerprint('sha256/AAAA')).toBeNull();
    expect(normalizeFingerprint(pinned.slice(3))).toBeNull();
  });

  it('il server fissato è accettato solo con il certificato fissato; un certificato cambiato è rifiutato; altri host restano a Chromium', () => {
    const pin = { host: '192.168.1.20', fingerprint: pinned };
    expect(certificateDecision(pin, { hostname: '192.168.1.20', certificate: { fingerprint: electronStyle(serverCert.cert), data: serverCert.cert } }).result).toBe(VERIFY_ACCEPT);
    // only Electron's fingerprint (no PEM data): the conversion decides
    expect(certificateDecision(pin, { hostname: '192.168.1.20', certificate: { fingerprint: electronStyle(serverCert.cert) } }).result).toBe(VERIFY_ACCEPT);
    const changed = certificateDecision(pin, { hostname: '192.168.1.20', certificate: { fingerprint: electronStyle(otherCert.cert), data: otherCert.cert } });
    expect(changed).toEqual({ result: VERIFY_REFUSE, reason: 'certificato-cambiato', presented: new X509Certificate(otherCert.cert).fingerprint256 });
    expect(certificateDecision(pin, { hostname: '192.168.1.20', certificate: {} }).result).toBe(VERIFY_REFUSE);
    expect(certificateDecision(pin, { hostname: 'esempio.it', certificate: { data: otherCert.cert } }).result).toBe(VERIFY_CHROMIUM);
  });
});

describe('indirizzo del server e file connection.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-conn-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('legge «server:porta» come lo scrive una persona; rifiuta http e indirizzi storti con messaggi in italiano', () => {
    expect(parseServerAddress('192.168.1.20:8443')).toEqual({ host: '192.168.1.20', port: 8443 });
    expect(parseServerAddress(' https://Server-Ufficio/ ')).toEqual({ host: 'server-ufficio', port: 8443 });
    expect(parseServerAddress('[fd00::20]:9000')).toEqual({ host: 'fd00::20', port: 9000 });
    expect(() => parseServerAddress('http://server:8443')).toThrow(/solo in https/);
    expect(() => parseServerAddress('server:99999')).toThrow(/porta/);
    expect(() => parseServerAddress('fd00::20')).toThrow(/parentesi quadre/);
    expect(() => parseServerAddress('server/percorso')).toThrow(/Indirizzo non valido/);
    expect(() => parseServerAddress('')).toThrow(/Scrivere l'indirizzo/);
  });

  it('la scelta è salvata in userData/connection.json leggibile solo dal proprietario; un file alterato fa chiedere di nuovo', () => {
    expect(readConnection(dir)).toEqual({ state: 'da-scegliere' });
    const choice = { mode: 'server' as const, host: '192.168.1.20', port: 8443, fingerprint: pinned, chosenAt: '2026-11-16T08:00:00.000Z' };
    writeConnection(dir, choice);
    expect(readConnection(dir)).toEqual({ state: 'scelta', choice });
    if (process.platform !== 'win32') expect(fs.statSync(connectionFile(dir)).mode & 0o777).toBe(0o600);
    fs.writeFileSync(connectionFile(dir), JSON.stringify({ ...choice, fingerprint: 'qualsiasi' }));
    expect(readConnection(dir)).toMatchObject({ state: 'non-valida' });
    fs.writeFileSync(connectionFile(dir), '{');
    expect(readConnection(dir)).toMatchObject({ state: 'non-valida', reason: expect.stringMatching(/JSON/) });
  });
});

describe('schermata di scelta della connessione (main)', () => {
  function deps(over: Partial<SetupDeps> = {}): SetupDeps & { chosen: ReturnType<typeof vi.fn> } {
    return {
      current: () => null,
      verifyAdmin: async () => ({ ok: false, message: 'Nome utente o password errati' }),
      probe: async () => pinned,
      now: () => new Date('2026-11-16T08:00:00Z'),
      chosen: vi.fn(),
      cancelled: vi.fn(),
      ...over,
    } as SetupDeps & { chosen: ReturnType<typeof vi.fn> };
  }

  it('al primo avvio il server è accettato solo con l’impronta letta da main e confermata, non con una qualsiasi', async () => {
    const d = deps();
    const setup = createConnectionSetup(d);
    setup.open('primo-avvio');
    expect(await setup.handle({ action: 'chooseServer', address: '192.168.1.20', fingerprint: pinned })).toEqual({ ok: false, message: expect.stringMatching(/Leggere prima/) });
    expect(await setup.handle({ action: 'probe', address: '192.168.1.20' })).toEqual({ ok: true, value: { address: '192.168.1.20:8443', fingerprint: pinned } });
    const other = new X509Certificate(otherCert.cert).fingerprint256;
    expect(await setup.handle({ action: 'chooseServer', address: '192.168.1.20:8443', fingerprint: other })).toMatchObject({ ok: false });
    expect(d.chosen).not.toHaveBeenCalled();
    expect(await setup.handle({ action: 'chooseServer', address: '192.168.1.20:8443', fingerprint: pinned.toLowerCase() })).toMatchObject({ ok: true });
    expect(d.chosen).toHaveBeenCalledWith({ mode: 'server', host: '192.168.1.20', port: 8443, fingerprint: pinned, chosenAt: '2026-11-16T08:00:00.000Z' });
    // the primo avvio cannot be cancelled: there is nothing to go back to
    setup.open('primo-avvio');
    expect(await setup.handle({ action: 'cancel' })).toMatchObject({ ok: false });
  });

  it('un cambio chiede prima l’accesso di un amministratore: senza, nessuna scelta è accettata', async () => {
    const verifyAdmin = vi.fn(async (username: string) =>
      username === 'admin' ? { ok: true, message: '' } : { ok: false, message: 'Solo un amministratore può cambiare la connessione di questo computer' },
    );
    const d = deps({ current: () => ({ mode: 'locale', chosenAt: '' }), verifyAdmin });
    const setup = createConnectionSetup(d);
    expect(await setup.handle({ action: 'chooseLocal' })).toMatchObject({ ok: false });
    setup.open('cambio');
    expect(setup.status()).toMatchObject({ open: true, purpose: 'cambio', adminRequired: true, current: { mode: 'locale' } });
    expect(await setup.handle({ action: 'probe', address: '192.168.1.20' })).toMatchObject({ ok: false, message: expect.stringMatching(/amministratore/) });
    expect(await setup.handle({ action: 'chooseLocal' })).toMatchObject({ ok: false });
    expect(await setup.handle({ action: 'verifyAdmin', username: 'operatore', password: 'x' })).toMatchObject({ ok: false, message: expect.stringMatching(/Solo un amministratore/) });
    expect(await setup.handle({ action: 'verifyAdmin', username: 'admin', password: 'password-admin' })).toMatchObject({ ok: true, value: { adminRequired: false } });
    expect(await setup.handle({ action: 'chooseLocal' })).toMatchObject({ ok: true });
    expect(d.chosen).toHaveBeenCalledTimes(1);
    // after the choice the screen is closed again: a second request needs a new sign-in
    expect(await setup.handle({ action: 'chooseLocal' })).toMatchObject({ ok: false });
  });
});

describe('lettura del certificato e accesso con il certificato fissato (TLS vero su 127.0.0.1)', () => {
  let server: https.Server;
  let port: number;
  let presented: Pem;
  beforeAll(async () => {
    presented = serverCert;
    server = https.createServer({ SNICallback: undefined, cert: serverCert.cert, key: serverCert.key }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const { username } = JSON.parse(body) as { username: string };
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(username === 'admin' ? { ok: true, value: { session: 's', user: { role: 'amministratore' } } } : { ok: false, error: { message: 'Nome utente o password errati' } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('main legge l’impronta del certificato presentato; l’accesso passa con l’impronta fissata ed è rifiutato, senza inviare nulla, con un’altra', async () => {
    expect(await readServerFingerprint({ host: '127.0.0.1', port })).toBe(pinned);
    expect(await pinnedLogin({ host: '127.0.0.1', port }, pinned, { username: 'admin', password: 'p' })).toEqual({ ok: true, role: 'amministratore', message: '' });
    expect(await pinnedLogin({ host: '127.0.0.1', port }, pinned, { username: 'operatore', password: 'p' })).toMatchObject({ ok: false, message: 'Nome utente o password errati' });
    const other = new X509Certificate(otherCert.cert).fingerprint256;
    let requests = 0;
    server.on('request', () => requests++);
    await expect(pinnedLogin({ host: '127.0.0.1', port }, other, { username: 'admin', password: 'p' })).rejects.toThrow(/certificato diverso/);
    expect(requests).toBe(0);
    expect(presented).toBe(serverCert);
  });

  it('un server spento è detto in italiano', async () => {
    const closed = https.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const freePort = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    await expect(readServerFingerprint({ host: '127.0.0.1', port: freePort })).rejects.toThrow(/non accetta collegamenti/);
  });
});

describe('finestra in modalità client', () => {
  let tmp: string;
  let desktop: Desktop | null = null;
  let verifyProc: ((request: { hostname: string; certificate: { fingerprint?: string; data?: string } }, cb: (r: number) => void) => void) | null = null;
  const choice = { mode: 'server' as const, host: '192.168.1.20', port: 8443, fingerprint: '', chosenAt: '2026-11-16T08:00:00.000Z' };
  let sendHeaders: {
    filter: { urls: string[] };
    fn: (details: { requestHeaders: Record<string, string> }, cb: (r: { requestHeaders: Record<string, string> }) => void) => void;
  } | null = null;

  beforeEach(() => {
    fake.reset();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-client-'));
    fake.state.appData = tmp;
    choice.fingerprint = pinned;
    verifyProc = null;
    sendHeaders = null;
    Object.assign(fake.session.defaultSession, { setCertificateVerifyProc: vi.fn((p: typeof verifyProc) => (verifyProc = p)) });
    Object.assign(fake.session.defaultSession.webRequest, {
      onBeforeSendHeaders: vi.fn((filter: { urls: string[] }, fn: NonNullable<typeof sendHeaders>['fn']) => (sendHeaders = { filter, fn })),
    });
    Object.assign(fake.app, { relaunch: vi.fn() });
  });
  afterEach(() => {
    fake.app.emit('will-quit');
    desktop = null;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function start(): Promise<Desktop> {
    desktop = startDesktop(electron, { argv: [], env: {} });
    fake.app.makeReady();
    await desktop.ready;
    return desktop;
  }

  it('con la scelta «server» non apre nessun database né lavori pianificati: la finestra carica l’https del server, senza preload', async () => {
    writeConnection(path.join(tmp, 'Rette Mensa'), choice);
    const d = await start();
    expect(d.runtime()).toBeNull();
    expect(fs.existsSync(path.join(tmp, 'Rette Mensa', 'rette.sqlite'))).toBe(false);
    expect(fake.ipcMain.handlers.has('rette:invoke')).toBe(false);
    const win = FakeBrowserWindow.instances[0];
    expect(win.loadedUrl).toBe('https://192.168.1.20:8443/');
    expect(win.options.webPreferences).not.toHaveProperty('preload');
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    // the pin: the server's certificate accepted, another refused
    const answer = (cert: Pem) =>
      new Promise<number>((r) => verifyProc!({ hostname: '192.168.1.20', certificate: { fingerprint: electronStyle(cert.cert), data: cert.cert } }, r));
    expect(await answer(serverCert)).toBe(0);
    expect(await answer(otherCert)).toBe(-2);
    // every request to the server names this desktop as its workstation (the server's audit log)
    expect(sendHeaders!.filter).toEqual({ urls: ['https://192.168.1.20:8443/*'] });
    const sent = await new Promise<Record<string, string>>((r) => sendHeaders!.fn({ requestHeaders: { Accept: '*/*' } }, (x) => r(x.requestHeaders)));
    expect(sent).toEqual({ Accept: '*/*', 'X-Rette-Workstation': workstationName(os.hostname()) });
    expect(workstationName('PC Segreteria (2)')).toBe('PCSegreteria2');
    // the menu: no backup of a database that is not here, the administrator's connection item
    const file = fake.menuState.application!.template[0].submenu.filter((i: any) => i.type !== 'separator').map((i: any) => i.label);
    expect(file).toEqual(['Connessione al server dell’ufficio…', 'Esci']);
  });

  it('un certificato cambiato: pagina di avviso in italiano, nessun nuovo tentativo, nessuna nuova impronta salvata', async () => {
    let retry: (() => void) | null = null;
    const client = openClientWindow(electron, { ...choice }, { rendererDir: tmp, setTimer: (fn) => (retry = fn), clearTimer: () => {} });
    const win = client.window as unknown as FakeBrowserWindow;
    verifyProc!({ hostname: '192.168.1.20', certificate: { data: otherCert.cert } }, () => {});
    win.webContents.emit('did-fail-load', {}, -200, 'ERR_CERT_INVALID', 'https://192.168.1.20:8443/', true);
    expect(client.state()).toBe('certificato-cambiato');
    const page = decodeURIComponent(win.loadedUrl!.replace(/^data:text\/html;charset=utf-8,/, ''));
    expect(page).toMatch(/il certificato del server dell’ufficio è cambiato/);
    expect(page).toMatch(/non si è collegato/);
    expect(page).toContain(pinned.split(':').slice(0, 8).join(':'));
    expect(retry).toBeNull();
    expect(fs.existsSync(connectionFile(tmp))).toBe(false);
  });

  it('server spento: «Server non raggiungibile: nuovo tentativo tra 5 s», poi la finestra riprova da sola', async () => {
    let retry: (() => void) | null = null;
    const client = openClientWindow(electron, { ...choice }, { rendererDir: tmp, setTimer: (fn) => (retry = fn), clearTimer: () => {} });
    const win = client.window as unknown as FakeBrowserWindow;
    win.webContents.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', 'https://192.168.1.20:8443/', true);
    expect(client.state()).toBe('in-attesa');
    expect(decodeURIComponent(win.loadedUrl!)).toMatch(/Server non raggiungibile: nuovo tentativo tra 5 s/);
    expect(retry).not.toBeNull();
    retry!();
    expect(win.loadedUrl).toBe('https://192.168.1.20:8443/');
    win.webContents.emit('did-finish-load');
    expect(client.state()).toBe('collegato');
  });

  it('primo avvio senza scelta: la finestra di scelta (app://rette#/connessione) e nessun database; scelto «Solo questo computer» il database si apre', async () => {
    const d = await start();
    expect(d.runtime()).toBeNull();
    const setupWin = FakeBrowserWindow.instances[0];
    expect(setupWin.loadedUrl).toBe('app://rette/index.html#/connessione');
    const handler = fake.ipcMain.handlers.get('rette:connection')!;
    expect(await handler({ senderFrame: { url: 'https://altro.sito/' } }, { action: 'chooseLocal' })).toMatchObject({ ok: false });
    expect(await handler({ senderFrame: { url: 'app://rette/index.html#/connessione' } }, { action: 'status' })).toMatchObject({ ok: true, value: { open: true, purpose: 'primo-avvio', adminRequired: false } });
    Object.assign(setupWin, { close: vi.fn() });
    expect(await handler({ senderFrame: { url: 'app://rette/index.html#/connessione' } }, { action: 'chooseLocal' })).toMatchObject({ ok: true });
    expect(readConnection(path.join(tmp, 'Rette Mensa'))).toMatchObject({ state: 'scelta', choice: { mode: 'locale' } });
    expect(d.runtime()).not.toBeNull();
    expect(fake.ipcMain.handlers.has('rette:invoke')).toBe(true);
    expect(FakeBrowserWindow.instances[1].loadedUrl).toBe('app://rette/index.html');
  });
});
