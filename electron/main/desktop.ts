import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { openRuntime, type Runtime } from '../host/runtime';
import { PRODUCT_NAME, defaultDatabaseFile } from '../platform/paths';
import { ClockOptionError, practiceClockSetting, type PracticeClock } from '../platform/clock';
import { RealDataError } from '../../db/real-data';
import type { BrowserWindowInstance, ElectronApi } from './electron-api';
import { bindContract, type IpcBinding } from './ipc';
import { broadcastNotices, type NoticeBroadcast } from './notices';
import { buildMenuTemplate, saveBackupInteractively, showAbout } from './menu';
import { createMainWindow, trustedUrlCheck } from './window';
import { APP_ENTRY_URL, registerAppScheme } from './protocol';
import { readConnection, serverOrigin, writeConnection, type ConnectionChoice, type StoredConnection } from './connection-config';
import { createConnectionSetup } from './connection-setup';
import { openClientWindow, type ClientWindow } from './client-mode';
import { pinnedLogin, readServerFingerprint } from './server-probe';
import { RETTE_CONNECTION_CHANNEL } from '../preload/bridge';
import { safeStorageSecretStore } from './portal-secrets';

export const APP_USER_MODEL_ID = 'it.rette.mensa';

export interface DesktopOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface Desktop {
  /** resolves once the database is open and the window created (or start-up failed and the app quits) */
  ready: Promise<void>;
  runtime(): Runtime | null;
  window(): BrowserWindowInstance | null;
  binding(): IpcBinding | null;
}

/** `--<name> <value>` or `--<name>=<value>` on the command line (npm start passes them through). */
export function commandLineOption(argv: readonly string[], name: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${name}` && i + 1 < argv.length) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3) || null;
  }
  return null;
}

/** `--db <file>` or `--db=<file>` on the command line. */
export function databaseArgument(argv: readonly string[]): string | null {
  return commandLineOption(argv, 'db');
}

/**
 * The practice clock of a training session or a test: `--clock <moment>` (fixed) or
 * `--clock-from <moment>` (starts there and runs) on the command line, else the variables
 * RETTE_CLOCK / RETTE_CLOCK_FROM; null for the real clock. Throws ClockOptionError (Italian).
 */
export function clockArgument(argv: readonly string[], env: NodeJS.ProcessEnv): PracticeClock | null {
  const clock = commandLineOption(argv, 'clock') ?? undefined;
  const clockFrom = commandLineOption(argv, 'clock-from') ?? undefined;
  return practiceClockSetting({ clock, clockFrom }, env);
}

/**
 * Where the database is: `--db`, else RETTE_DB, else rette.sqlite in Electron's userData folder
 * (the same folder the CLI and browser mode use). Backups go beside a database chosen explicitly,
 * or in userData.
 */
export function databaseTarget(argv: readonly string[], env: NodeJS.ProcessEnv, userData: string): { dbFile: string; dataDir: string } {
  const explicit = databaseArgument(argv) ?? env.RETTE_DB ?? null;
  if (explicit) {
    const dbFile = path.resolve(explicit);
    return { dbFile, dataDir: path.dirname(dbFile) };
  }
  return { dbFile: defaultDatabaseFile(userData), dataDir: userData };
}

/**
 * The desktop app: one instance, the database opened and migrated before any window exists (a
 * database that cannot be opened stops the app with an Italian message), then the contract bound to
 * IPC, the menu and the window.
 */
export function startDesktop(electron: ElectronApi, options: DesktopOptions = {}): Desktop {
  const { app, dialog, ipcMain, Menu, protocol } = electron;
  const argv = options.argv ?? process.argv;
  const env = options.env ?? process.env;
  let runtime: Runtime | null = null;
  let mainWindow: BrowserWindowInstance | null = null;
  let binding: IpcBinding | null = null;
  let noticeBroadcast: NoticeBroadcast | null = null;
  let clientWindow: ClientWindow | null = null;
  let connectionChannel = false;

  const handle: Desktop = {
    ready: Promise.resolve(),
    runtime: () => runtime,
    window: () => mainWindow,
    binding: () => binding,
  };

  // before ready: the scheme list, the sandbox for every renderer and the data folder are fixed at start
  registerAppScheme(protocol);
  app.enableSandbox();
  app.setPath('userData', path.join(app.getPath('appData'), PRODUCT_NAME));
  // taskbar grouping and notifications on Windows (the method exists only there)
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  if (!app.requestSingleInstanceLock()) {
    // Rette Mensa is already open: that window gets the focus (second-instance), this process leaves
    app.quit();
    return handle;
  }

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    binding?.dispose();
    binding = null;
    noticeBroadcast?.dispose();
    noticeBroadcast = null;
    clientWindow?.dispose();
    clientWindow = null;
    if (connectionChannel) ipcMain.removeHandler(RETTE_CONNECTION_CHANNEL);
    connectionChannel = false;
    runtime?.stop();
    runtime = null;
  });

  const userData = () => app.getPath('userData');
  const devServerUrl = (!app.isPackaged && env.ELECTRON_RENDERER_URL) || undefined;
  const appPath = () => app.getAppPath();
  const preloadPath = () => path.join(appPath(), 'out', 'preload', 'index.cjs');
  const rendererDir = () => path.join(appPath(), 'out', 'renderer');
  let choice: ConnectionChoice | null = null;
  let setupWindow: BrowserWindowInstance | null = null;

  const setup = createConnectionSetup({
    current: () => choice,
    verifyAdmin: (username, password) => verifyAdministrator(username, password),
    probe: (address) => readServerFingerprint(address),
    now: () => new Date(),
    chosen: (next) => {
      const first = choice === null;
      writeConnection(userData(), next);
      choice = next;
      if (first) {
        // first start: straight into the chosen mode
        const closing = setupWindow;
        setupWindow = null;
        startIn(next);
        closing?.close();
      } else {
        // a change: the local database and its timers, or the server's window, go away cleanly
        app.relaunch();
        app.quit();
      }
    },
    cancelled: () => {
      const closing = setupWindow;
      setupWindow = null;
      closing?.close();
    },
  });

  /** an administrator's sign-in, where the data is: the local database or the office server (pinned) */
  async function verifyAdministrator(username: string, password: string): Promise<{ ok: boolean; message: string }> {
    const notAdmin = { ok: false, message: 'Solo un amministratore può cambiare la connessione di questo computer' };
    if (choice?.mode === 'server') {
      try {
        const r = await pinnedLogin(choice, choice.fingerprint, { username, password });
        if (!r.ok) return { ok: false, message: r.message };
        return r.role === 'amministratore' ? { ok: true, message: '' } : notAdmin;
      } catch (err) {
        return { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    }
    if (!runtime) return { ok: false, message: 'Database non aperto' };
    const r = await runtime.backend.call('auth.login', { username, password }, null);
    if (!r.ok) return { ok: false, message: r.error.message };
    const value = r.value as { session: string; user: { role: string } };
    // the sign-in only proves who is asking: its session is closed at once
    await runtime.backend.call('auth.logout', {}, value.session);
    return value.user.role === 'amministratore' ? { ok: true, message: '' } : notAdmin;
  }

  /** the setup screen's requests: only from the app's own pages (never from the server's page) */
  function bindConnectionChannel(): void {
    if (connectionChannel) return;
    connectionChannel = true;
    const isAppPage = trustedUrlCheck(devServerUrl);
    ipcMain.handle(RETTE_CONNECTION_CHANNEL, async (event: IpcMainInvokeEvent, request: unknown) => {
      let from: string | null = null;
      try {
        from = event?.senderFrame?.url ?? null;
      } catch {
        from = null;
      }
      if (!isAppPage(from)) return { ok: false, message: 'Richiesta rifiutata: non proviene dalla finestra di Rette Mensa' };
      return setup.handle(request);
    });
  }

  /** The setup screen (app://rette with the preload): first start, or an administrator's change. */
  function openSetupWindow(purpose: 'primo-avvio' | 'cambio', reason: string | null = null): void {
    setup.open(purpose, reason);
    bindConnectionChannel();
    if (setupWindow && !setupWindow.isDestroyed()) {
      setupWindow.focus();
      return;
    }
    const win = createMainWindow(electron, {
      preloadPath: preloadPath(),
      rendererDir: rendererDir(),
      devServerUrl,
      entryUrl: `${devServerUrl ?? APP_ENTRY_URL}#/connessione`,
    });
    setupWindow = win;
    win.on('closed', () => {
      if (setupWindow !== win) return;
      setupWindow = null;
      setup.close();
      // closing the first-start screen without a choice leaves nothing to run
      if (choice === null) app.quit();
    });
  }

  function installMenu(actions: { backup?: () => void; about: () => void }): void {
    const menu = buildMenuTemplate({ ...actions, connection: () => openSetupWindow('cambio') }, { development: !app.isPackaged });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  }

  function startIn(next: ConnectionChoice): void {
    if (next.mode === 'server') startClient(next);
    else startLocal();
  }

  /** Client mode: no local database, no timers; the window shows the office server's page. */
  function startClient(server: Extract<ConnectionChoice, { mode: 'server' }>): void {
    const client = openClientWindow(electron, server, { rendererDir: rendererDir() });
    clientWindow = client;
    mainWindow = client.window;
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    installMenu({
      about: () => {
        void showAbout(dialog, mainWindow, {
          version: app.getVersion(),
          databaseFile: `sul server dell’ufficio ${serverOrigin(server)}`,
          dataDir: userData(),
        });
      },
    });
  }

  function startLocal(): void {
    const target = databaseTarget(argv, env, userData());
    try {
      runtime = openRuntime({
        dbFile: target.dbFile,
        dataDir: target.dataDir,
        practiceClock: clockArgument(argv, env),
        // the parent portal's credential, encrypted by the operating system (issue 13)
        portalSecrets: safeStorageSecretStore(() => electron.safeStorage, target.dataDir),
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof ClockOptionError || err instanceof RealDataError) {
        // the database is fine: the practice clock asked for cannot be used with it
        dialog.showErrorBox(
          'Rette Mensa non può avviarsi con l’orologio di prova',
          `${reason}\n\nFile: ${target.dbFile}\n\nPer lavorare con la data reale avviare il programma senza --clock / --clock-from ` +
            'e senza le variabili RETTE_CLOCK / RETTE_CLOCK_FROM.',
        );
        app.quit();
        return;
      }
      dialog.showErrorBox(
        'Rette Mensa non può avviarsi',
        `Il database non può essere aperto o aggiornato, quindi il programma verrà chiuso.\n\n` +
          `Motivo: ${reason}\n\nFile: ${target.dbFile}\n\n` +
          `Se il problema continua, rivolgersi all'assistenza indicando questo messaggio.`,
      );
      app.quit();
      return;
    }
    const current = runtime;
    const isTrusted = trustedUrlCheck(devServerUrl);
    binding = bindContract(ipcMain, current.backend, { isTrustedSender: (url) => isTrusted(url) });
    // every change (the office's, the scheduler's) reaches every open window
    noticeBroadcast = broadcastNotices(electron.BrowserWindow, current.backend, { isTrustedUrl: (url) => isTrusted(url) });

    installMenu({
      backup: () => {
        void saveBackupInteractively(dialog, {
          sqlite: current.database.sqlite,
          dataDir: current.dataDir,
          now: current.backend.clock.now(),
          window: mainWindow,
        });
      },
      about: () => {
        void showAbout(dialog, mainWindow, {
          version: app.getVersion(),
          databaseFile: current.database.file,
          dataDir: current.dataDir,
        });
      },
    });

    mainWindow = createMainWindow(electron, {
      preloadPath: preloadPath(),
      rendererDir: rendererDir(),
      devServerUrl,
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  }

  handle.ready = app.whenReady().then(() => {
    // a database named on the command line (--db, RETTE_DB) is this computer's own: nothing to ask
    const explicit = databaseArgument(argv) ?? env.RETTE_DB ?? null;
    const stored: StoredConnection = explicit ? { state: 'scelta', choice: { mode: 'locale', chosenAt: '' } } : readConnection(userData());
    if (stored.state !== 'scelta') {
      openSetupWindow('primo-avvio', stored.state === 'non-valida' ? `La scelta salvata non è utilizzabile (${stored.reason}): sceglierla di nuovo.` : null);
      return;
    }
    choice = stored.choice;
    startIn(stored.choice);
  }).catch((err: unknown) => {
    dialog.showErrorBox(
      'Rette Mensa non può avviarsi',
      `Errore imprevisto durante l'avvio: ${err instanceof Error ? err.message : String(err)}`,
    );
    app.quit();
  });
  return handle;
}
