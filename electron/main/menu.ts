import path from 'node:path';
import type { MenuItemConstructorOptions, SaveDialogOptions } from 'electron';
import type Database from 'better-sqlite3';
import { backupTo } from '../../db/backup';
import { romeDateOf } from '../host/runtime';
import type { BrowserWindowInstance, ElectronApi } from './electron-api';

export interface MenuActions {
  /** File › Copia di sicurezza… (only with the local database: a client's data is on the server) */
  backup?(): void;
  /** File › Connessione al server dell'ufficio… (an administrator changes where this desktop works) */
  connection?(): void;
  about(): void;
}

export interface MenuOptions {
  /** development build: adds reload and the developer tools */
  development: boolean;
}

export const CONNECTION_MENU_LABEL = 'Connessione al server dell’ufficio…';

/** The application menu, in Italian. */
export function buildMenuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'zoomIn', label: 'Ingrandisci' },
    { role: 'zoomOut', label: 'Riduci' },
    { role: 'resetZoom', label: 'Dimensioni originali' },
    { type: 'separator' },
    { role: 'togglefullscreen', label: 'Schermo intero' },
  ];
  if (options.development) {
    view.push(
      { type: 'separator' },
      { role: 'reload', label: 'Ricarica' },
      { role: 'toggleDevTools', label: 'Strumenti per sviluppatori' },
    );
  }
  return [
    {
      label: 'File',
      submenu: [
        ...(actions.backup ? [{ label: 'Copia di sicurezza…', accelerator: 'CmdOrCtrl+Shift+B', click: () => actions.backup?.() }] : []),
        ...(actions.connection ? [{ label: CONNECTION_MENU_LABEL, click: () => actions.connection?.() }] : []),
        { type: 'separator' },
        { role: 'quit', label: 'Esci' },
      ],
    },
    {
      label: 'Modifica',
      submenu: [
        { role: 'undo', label: 'Annulla' },
        { role: 'redo', label: 'Ripeti' },
        { type: 'separator' },
        { role: 'cut', label: 'Taglia' },
        { role: 'copy', label: 'Copia' },
        { role: 'paste', label: 'Incolla' },
        { role: 'selectAll', label: 'Seleziona tutto' },
      ],
    },
    { label: 'Visualizza', submenu: view },
    {
      label: 'Aiuto',
      submenu: [{ label: 'Informazioni su Rette Mensa', click: () => actions.about() }],
    },
  ];
}

export interface BackupDeps {
  sqlite: Database.Database;
  /** the data folder: the dialog proposes its backups/ subfolder */
  dataDir: string;
  now: Date;
  window: BrowserWindowInstance | null;
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('it-IT')} kB`;
  return `${(bytes / (1024 * 1024)).toLocaleString('it-IT', { maximumFractionDigits: 1 })} MB`;
}

/**
 * File › Copia di sicurezza…: asks where to save, then takes an online copy of the database (safe
 * while the app is writing) and verifies it. Returns the file written, or null if the user cancelled
 * or the copy failed (the user has been told why).
 */
export async function saveBackupInteractively(dialog: ElectronApi['dialog'], deps: BackupDeps): Promise<string | null> {
  const suggested = path.join(deps.dataDir, 'backups', `rette-copia-${romeDateOf(deps.now)}.sqlite`);
  const options: SaveDialogOptions = {
    title: 'Salva una copia di sicurezza del database',
    defaultPath: suggested,
    buttonLabel: 'Salva copia',
    filters: [{ name: 'Database Rette Mensa', extensions: ['sqlite'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const choice = deps.window ? await dialog.showSaveDialog(deps.window, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return null;
  const target = choice.filePath.toLowerCase().endsWith('.sqlite') ? choice.filePath : `${choice.filePath}.sqlite`;

  if (path.resolve(target) === path.resolve(deps.sqlite.name)) {
    dialog.showErrorBox('Copia di sicurezza non eseguita', 'Scegliere un file diverso dal database in uso.');
    return null;
  }
  try {
    const done = await backupTo(deps.sqlite, target);
    const message = {
      type: 'info' as const,
      title: 'Copia di sicurezza',
      message: 'Copia di sicurezza salvata e verificata.',
      detail: `${done.file}\n${formatSize(done.bytes)}`,
      buttons: ['OK'],
    };
    if (deps.window) await dialog.showMessageBox(deps.window, message);
    else await dialog.showMessageBox(message);
    return done.file;
  } catch (err) {
    dialog.showErrorBox(
      'Copia di sicurezza non riuscita',
      `Non è stato possibile salvare la copia in ${target}.\n${err instanceof Error ? err.message : String(err)}`,
    );
    return null;
  }
}

export interface AboutInfo {
  version: string;
  databaseFile: string;
  dataDir: string;
}

/** Aiuto › Informazioni su Rette Mensa. */
export async function showAbout(dialog: ElectronApi['dialog'], window: BrowserWindowInstance | null, info: AboutInfo): Promise<void> {
  const versions = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
  const message = {
    type: 'info' as const,
    title: 'Informazioni su Rette Mensa',
    message: `Rette Mensa ${info.version}`,
    detail: [
      "Gestionale dell'ufficio rette per la refezione scolastica.",
      '',
      `Database: ${info.databaseFile}`,
      `Cartella dei dati: ${info.dataDir}`,
      `Electron ${versions.electron ?? '-'} · Chromium ${versions.chrome ?? '-'} · Node ${versions.node}`,
    ].join('\n'),
    buttons: ['OK'],
  };
  if (window) await dialog.showMessageBox(window, message);
  else await dialog.showMessageBox(message);
}
