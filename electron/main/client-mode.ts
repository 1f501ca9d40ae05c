import os from 'node:os';
import type { BrowserWindowInstance, ElectronApi } from './electron-api';
import {
  certificateChangedPage,
  certificateDecision,
  formatServerAddress,
  serverOrigin,
  serverUnreachablePage,
  type ConnectionChoice,
  type VerifyRequest,
} from './connection-config';
import { createMainWindow } from './window';

type ServerChoice = Extract<ConnectionChoice, { mode: 'server' }>;

/** The part of a session the pin needs (Electron's `Session`, or a test's stand-in). */
export interface PinnableSession {
  setCertificateVerifyProc(proc: ((request: VerifyRequest, callback: (result: number) => void) => void) | null): void;
}

export interface CertificatePin {
  /** the fingerprint the server presented when it was refused (null: no refusal so far) */
  refused(): { presented: string | null } | null;
}

/**
 * Chromium asks this for every certificate the window's session meets: the office server is
 * accepted only with the pinned certificate (a self-signed one included); a different one is
 * refused and remembered, so the window can say why it did not connect.
 */
export function installCertificatePin(session: PinnableSession, choice: ServerChoice): CertificatePin {
  let refusal: { presented: string | null } | null = null;
  session.setCertificateVerifyProc((request, callback) => {
    const decision = certificateDecision({ host: choice.host, fingerprint: choice.fingerprint }, request);
    if (decision.reason === 'certificato-cambiato') refusal = { presented: decision.presented };
    callback(decision.result);
  });
  return { refused: () => refusal };
}

/** The part of `session.webRequest` that names the workstation. */
interface HeaderSession {
  webRequest: {
    onBeforeSendHeaders(
      filter: { urls: string[] },
      listener: (details: { requestHeaders: Record<string, string> }, callback: (response: { requestHeaders: Record<string, string> }) => void) => void,
    ): void;
  };
}

/** This computer's name as the server's audit log shows it (letters, digits, '.', '-', '_'; ≤ 64). */
export function workstationName(hostname: string): string {
  return hostname.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64) || 'desktop';
}

/**
 * Every request the window sends to the server declares this desktop as its workstation
 * (`X-Rette-Workstation`): the server's audit log names it beside the address.
 */
export function declareWorkstation(session: HeaderSession, origin: string, name: string): void {
  session.webRequest.onBeforeSendHeaders({ urls: [`${origin}/*`] }, (details, callback) => {
    callback({ requestHeaders: { ...details.requestHeaders, [WORKSTATION_HEADER_NAME]: name } });
  });
}

const WORKSTATION_HEADER_NAME = 'X-Rette-Workstation';

export interface ClientWindowOptions {
  /** the built renderer folder (unused by the server's page, kept for the app:// scheme) */
  rendererDir: string;
  /** seconds between attempts while the server cannot be reached */
  retrySeconds?: number;
  /** the name this desktop declares to the server (default: the computer's host name) */
  workstation?: string;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface ClientWindow {
  window: BrowserWindowInstance;
  pin: CertificatePin;
  /** 'collegato' once the server's page loaded; 'certificato-cambiato' stops for good; 'in-attesa' while retrying */
  state(): 'in-caricamento' | 'collegato' | 'in-attesa' | 'certificato-cambiato';
  dispose(): void;
}

/** Chromium's "navigation replaced by another one": not a failure. */
const ERR_ABORTED = -3;

/**
 * Client mode: the window loads the office server's https page (the renderer served by the
 * server, talking to it over https with the user's own session). No preload, no IPC, no local
 * database. If the certificate is not the pinned one, an Italian warning page and no connection;
 * if the server cannot be reached, a page that says so and a new attempt every few seconds.
 */
export function openClientWindow(electron: ElectronApi, choice: ServerChoice, options: ClientWindowOptions): ClientWindow {
  const origin = serverOrigin(choice);
  const address = formatServerAddress(choice);
  const retrySeconds = options.retrySeconds ?? 5;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  const pin = installCertificatePin(electron.session.defaultSession, choice);
  declareWorkstation(electron.session.defaultSession, origin, options.workstation ?? workstationName(os.hostname()));
  const win = createMainWindow(electron, { rendererDir: options.rendererDir, remoteOrigin: origin });
  let state: ReturnType<ClientWindow['state']> = 'in-caricamento';
  let timer: unknown = null;

  const contents = win.webContents;
  contents.on('did-fail-load', (_event: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => {
    if (!isMainFrame || errorCode === ERR_ABORTED || state === 'certificato-cambiato') return;
    if (!String(validatedURL).startsWith(origin)) return;
    const refusal = pin.refused();
    if (refusal) {
      state = 'certificato-cambiato';
      void win.loadURL(certificateChangedPage({ address, pinned: choice.fingerprint, presented: refusal.presented })).catch(() => undefined);
      win.show();
      return;
    }
    state = 'in-attesa';
    void win.loadURL(serverUnreachablePage({ address, reason: errorDescription || `errore ${errorCode}`, retrySeconds })).catch(() => undefined);
    win.show();
    if (timer !== null) clearTimer(timer);
    timer = setTimer(() => {
      timer = null;
      if (state === 'in-attesa' && !win.isDestroyed()) {
        state = 'in-caricamento';
        void win.loadURL(`${origin}/`).catch(() => undefined);
      }
    }, retrySeconds * 1000);
  });
  contents.on('did-finish-load', () => {
    if (state === 'in-caricamento' && String(contents.getURL()).startsWith(origin)) state = 'collegato';
  });

  return {
    window: win,
    pin,
    state: () => state,
    dispose() {
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
