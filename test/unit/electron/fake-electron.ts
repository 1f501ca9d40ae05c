/**
 * A stand-in for the `electron` module (the Electron runtime cannot be launched on CI): just enough
 * of app, BrowserWindow, ipcMain, protocol, session, shell, dialog, Menu, contextBridge and
 * ipcRenderer to load main and preload and record what they ask Electron to do.
 */
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

type Listener = (...args: any[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, fn: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: Listener) {
    const wrapped: Listener = (...args) => {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((f) => f !== wrapped));
      return fn(...args);
    };
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]) {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
}

/** An event as Electron passes it to will-navigate & co. */
export function navigationEvent(url: string) {
  return { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

export class FakeWebContents extends Emitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  /** test only: what main pushed to the page (channel, payload) */
  readonly sent: { channel: string; payload: unknown }[] = [];
  url = '';
  destroyed = false;
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  getURL() { return this.url; }
  isDestroyed() { return this.destroyed; }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends Emitter {
  static instances: FakeBrowserWindow[] = [];
  /** test only: called as each window is constructed */
  static onCreate: ((win: FakeBrowserWindow) => void) | null = null;
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  shown = false;
  constructor(readonly options: Record<string, any>) {
    super();
    FakeBrowserWindow.instances.push(this);
    FakeBrowserWindow.onCreate?.(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  static getAllWindows() { return [...FakeBrowserWindow.instances]; }
  show() { this.shown = true; }
  focus() {}
  restore() {}
  isMinimized() { return false; }
  isDestroyed() { return false; }
}

export function createFakeElectron() {
  const state = {
    ready: false,
    readyResolve: null as null | (() => void),
    // tests point this at their own temp folder; nothing is created here unless a test uses it
    appData: path.join(os.tmpdir(), `rette-fake-electron-${process.pid}`),
    appPath: process.cwd(),
    paths: new Map<string, string>(),
    singleInstance: true,
    isPackaged: false,
  };
  let readyPromise = new Promise<void>((r) => (state.readyResolve = r));

  const app = Object.assign(new Emitter(), {
    get isPackaged() { return state.isPackaged; },
    whenReady: () => readyPromise,
    isReady: () => state.ready,
    getPath: (name: string) => state.paths.get(name) ?? (name === 'appData' ? state.appData : path.join(state.appData, name)),
    setPath: vi.fn((name: string, value: string) => { state.paths.set(name, value); }),
    getAppPath: () => state.appPath,
    getVersion: () => '0.1.0-test',
    requestSingleInstanceLock: vi.fn(() => state.singleInstance),
    enableSandbox: vi.fn(),
    setAppUserModelId: vi.fn(),
    quit: vi.fn(),
    /** test only: fire 'ready' */
    makeReady() {
      state.ready = true;
      state.readyResolve?.();
    },
  });

  const ipcMain = {
    handlers: new Map<string, Listener>(),
    handle: vi.fn((channel: string, fn: Listener) => {
      if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcMain.handlers.set(channel, fn);
    }),
    removeHandler: vi.fn((channel: string) => { ipcMain.handlers.delete(channel); }),
  };

  const protocol = {
    privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
    privilegedBeforeReady: null as boolean | null,
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged: vi.fn((schemes: { scheme: string; privileges: Record<string, boolean> }[]) => {
      protocol.privileged.push(...schemes);
      protocol.privilegedBeforeReady = !state.ready;
    }),
    handle: vi.fn((scheme: string, fn: (request: Request) => Promise<Response>) => { protocol.handlers.set(scheme, fn); }),
    isProtocolHandled: (scheme: string) => protocol.handlers.has(scheme),
    unhandle: (scheme: string) => { protocol.handlers.delete(scheme); },
  };

  const defaultSession = {
    headersListener: null as null | ((details: any, cb: (r: any) => void) => void),
    permissionRequest: null as null | ((wc: unknown, permission: string, cb: (granted: boolean) => void, details?: unknown) => void),
    permissionCheck: null as null | ((wc: unknown, permission: string) => boolean),
    webRequest: {
      onHeadersReceived: vi.fn((fn: any) => { defaultSession.headersListener = fn; }),
    },
    setPermissionRequestHandler: vi.fn((fn: any) => { defaultSession.permissionRequest = fn; }),
    setPermissionCheckHandler: vi.fn((fn: any) => { defaultSession.permissionCheck = fn; }),
  };

  const menuState = { application: null as null | { template: any[] } };
  const Menu = {
    buildFromTemplate: vi.fn((template: any[]) => ({ template })),
    setApplicationMenu: vi.fn((menu: { template: any[] } | null) => { menuState.application = menu; }),
  };

  const fake = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    protocol,
    session: { defaultSession },
    shell: { openExternal: vi.fn(async (_url: string) => {}) },
    // the operating system's protection, as on a machine without a keyring (portal credential: issue 13)
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: (_text: string): Buffer => {
        throw new Error('safeStorage non disponibile');
      },
      decryptString: (_data: Buffer): string => {
        throw new Error('safeStorage non disponibile');
      },
    },
    dialog: {
      showErrorBox: vi.fn((_title: string, _content: string) => {}),
      showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: undefined as string | undefined })),
      showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
    },
    Menu,
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld: vi.fn((key: string, api: unknown) => { fake.contextBridge.exposed.set(key, api); }),
    },
    ipcRenderer: {
      invoke: vi.fn(async (_channel: string, _payload: unknown): Promise<unknown> => ({ ok: true, value: null })),
      send: vi.fn(),
      on: vi.fn(),
      removeListener: vi.fn(),
    },
    /** test only */
    state,
    menuState,
    reset() {
      state.ready = false;
      readyPromise = new Promise<void>((r) => (state.readyResolve = r));
      state.paths.clear();
      state.singleInstance = true;
      state.isPackaged = false;
      app.listeners.clear();
      ipcMain.handlers.clear();
      protocol.privileged.length = 0;
      protocol.privilegedBeforeReady = null;
      protocol.handlers.clear();
      defaultSession.headersListener = null;
      defaultSession.permissionRequest = null;
      defaultSession.permissionCheck = null;
      menuState.application = null;
      FakeBrowserWindow.instances.length = 0;
      FakeBrowserWindow.onCreate = null;
      fake.contextBridge.exposed.clear();
      vi.clearAllMocks();
    },
  };
  return fake;
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
