import path from 'node:path';
import { openRuntime, type Runtime } from '../host/runtime';
import { PRODUCT_NAME, defaultDatabaseFile } from '../platform/paths';
import { ClockOptionError, practiceClockSetting, type PracticeClock } from '../platform/clock';
import { RealDataError } from '../../db/real-data';
import type { BrowserWindowInstance, ElectronApi } from './electron-api';
import { bindContract, type IpcBinding } from './ipc';
import { broadcastNotices, type NoticeBroadcast } from './notices';
import { buildMenuTemplate, saveBackupInteractively, showAbout } from './menu';
import { registerAppScheme } from './protocol';
import { createMainWindow, trustedUrlCheck } from './window';

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
    runtime?.stop();
    runtime = null;
  });

  handle.ready = app.whenReady().then(() => {
    const target = databaseTarget(argv, env, app.getPath('userData'));
    try {
      runtime = openRuntime({ dbFile: target.dbFile, dataDir: target.dataDir, practiceClock: clockArgument(argv, env) });
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
    const devServerUrl = (!app.isPackaged && env.ELECTRON_RENDERER_URL) || undefined;
    const isTrusted = trustedUrlCheck(devServerUrl);
    binding = bindContract(ipcMain, current.backend, { isTrustedSender: (url) => isTrusted(url) });
    // every change (the office's, the scheduler's) reaches every open window
    noticeBroadcast = broadcastNotices(electron.BrowserWindow, current.backend, { isTrustedUrl: (url) => isTrusted(url) });

    const menu = buildMenuTemplate(
      {
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
      },
      { development: !app.isPackaged },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu));

    const appPath = app.getAppPath();
    mainWindow = createMainWindow(electron, {
      preloadPath: path.join(appPath, 'out', 'preload', 'index.cjs'),
      rendererDir: path.join(appPath, 'out', 'renderer'),
      devServerUrl,
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  }).catch((err: unknown) => {
    dialog.showErrorBox(
      'Rette Mensa non può avviarsi',
      `Errore imprevisto durante l'avvio: ${err instanceof Error ? err.message : String(err)}`,
    );
    app.quit();
  });
  return handle;
}
