import type { Session, WebContents } from 'electron';
import type { BrowserWindowInstance, ElectronApi } from './electron-api';
import { APP_ENTRY_URL, isAppUrl, serveRenderer } from './protocol';
import { CONTENT_SECURITY_POLICY } from '../platform/renderer-files';

export const WINDOW_TITLE = 'Rette Mensa';

export interface MainWindowOptions {
  /** the built preload (out/preload/index.cjs); none in client mode (the server's page talks https, not IPC) */
  preloadPath?: string;
  /** the built renderer folder (out/renderer), served on app://rette */
  rendererDir: string;
  /** electron-vite's dev server (development only, never when packaged) */
  devServerUrl?: string;
  /** client mode: the office server's origin (`https://host:port`), loaded instead of app://rette */
  remoteOrigin?: string;
  /** the first address to load (default: the dev server, the server's origin or app://rette/index.html) */
  entryUrl?: string;
  icon?: string;
}

/** The only web permission the office screens use: writing to the clipboard (copy buttons). */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

function isHttps(raw: string): boolean {
  try {
    return new URL(raw).protocol === 'https:';
  } catch {
    return false;
  }
}

function originOf(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return new URL(raw).origin;
  } catch {
    return null;
  }
}

/** Whether a URL belongs to the app: app://rette, the dev server while developing, the office server in client mode. */
export function trustedUrlCheck(devServerUrl?: string, remoteOrigin?: string): (url: string | null | undefined) => boolean {
  const devOrigin = originOf(devServerUrl);
  const remote = originOf(remoteOrigin);
  return (url) =>
    isAppUrl(url) ||
    (typeof url === 'string' && ((devOrigin !== null && originOf(url) === devOrigin) || (remote !== null && originOf(url) === remote)));
}

/**
 * Every response gets the strict CSP, whatever served it (the app:// handler sets it too). The dev
 * server is left alone: its hot-reload preamble is an inline script.
 */
export function installContentSecurityPolicy(session: Session, devServerUrl?: string): void {
  const devOrigin = originOf(devServerUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (devOrigin !== null && originOf(details.url) === devOrigin) {
      callback({});
      return;
    }
    const headers: Record<string, string[] | string> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

/** Camera, microphone, geolocation, notifications…: the app needs none of them. */
export function installPermissionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}

/**
 * The page may never leave the app: navigations elsewhere are cancelled, new windows are refused,
 * <webview> cannot be attached. An https link the user clicks opens in the system browser instead
 * (only https: never file:, javascript:, smb: or custom schemes that start programs).
 */
export function hardenWebContents(
  shell: ElectronApi['shell'],
  contents: WebContents,
  isTrusted: (url: string) => boolean,
): void {
  const openOutside = (url: string) => {
    if (isHttps(url)) void shell.openExternal(url).catch(() => undefined);
  };
  contents.on('will-navigate', (event) => {
    if (isTrusted(event.url)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isTrusted(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}

/** The one window of the app: sandboxed, isolated, no Node, loading the renderer from app://rette. */
export function createMainWindow(electron: ElectronApi, options: MainWindowOptions): BrowserWindowInstance {
  const { BrowserWindow, protocol, session, shell } = electron;
  serveRenderer(protocol, options.rendererDir);
  installContentSecurityPolicy(session.defaultSession, options.devServerUrl);
  installPermissionPolicy(session.defaultSession);

  const win = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#ffffff',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      ...(options.preloadPath ? { preload: options.preloadPath } : {}),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // surnames and tax codes would be underlined everywhere
      spellcheck: false,
    },
  });
  hardenWebContents(shell, win.webContents, trustedUrlCheck(options.devServerUrl, options.remoteOrigin));
  win.once('ready-to-show', () => win.show());
  const entry = options.entryUrl ?? options.devServerUrl ?? (options.remoteOrigin ? `${options.remoteOrigin}/` : APP_ENTRY_URL);
  win.loadURL(entry).catch((err: unknown) => {
    // client mode answers the failure itself (did-fail-load: warning page, retry)
    if (!options.remoteOrigin) console.error('[rette] Interfaccia non caricata', err);
  });
  return win;
}
