import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  return { ...fake, default: fake };
});

import * as electronModule from 'electron';
import { FakeBrowserWindow, type FakeElectron } from './fake-electron';
import type { ElectronApi } from '../../../electron/main/electron-api';
import { clockArgument, databaseArgument, databaseTarget, startDesktop, type Desktop } from '../../../electron/main/desktop';
import { buildMenuTemplate, saveBackupInteractively } from '../../../electron/main/menu';
import { openDatabase } from '../../../db/open';

const fake = electronModule as unknown as FakeElectron;
const electron = fake as unknown as ElectronApi;
const fromApp = { senderFrame: { url: 'app://rette/index.html' } };

let tmp: string;
let desktop: Desktop | null = null;

beforeEach(() => {
  fake.reset();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-desktop-'));
  fake.state.appData = tmp;
  fake.state.appPath = '/programmi/Rette Mensa/resources/app.asar';
  // this computer's own database was chosen at the first start (client mode: client-mode.test.ts)
  fs.mkdirSync(path.join(tmp, 'Rette Mensa'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'Rette Mensa', 'connection.json'), JSON.stringify({ mode: 'locale', chosenAt: '2026-09-01T08:00:00Z' }));
});
afterEach(() => {
  fake.app.emit('will-quit'); // closes the database and stops the backup timers
  desktop = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function start(argv: string[] = [], env: NodeJS.ProcessEnv = {}) {
  desktop = startDesktop(electron, { argv, env });
  fake.app.makeReady();
  await desktop.ready;
  return desktop;
}

function labels(items: any[]): string[] {
  return items.filter((i) => i.type !== 'separator').map((i) => i.label);
}

describe('avvio dell’app desktop', () => {
  it('prima di ready registra app:// come privilegiato, attiva la sandbox e fissa la cartella dati', () => {
    desktop = startDesktop(electron, { argv: [], env: {} });
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(fake.protocol.privilegedBeforeReady).toBe(true);
    expect(fake.protocol.privileged[0]).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', path.join(tmp, 'Rette Mensa'));
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('apre e migra il database in userData prima di creare la finestra, poi lega l’IPC e il menu', async () => {
    const dbFile = path.join(tmp, 'Rette Mensa', 'rette.sqlite');
    let migratedBeforeWindow = false;
    FakeBrowserWindow.onCreate = () => {
      const db = new Database(dbFile, { readonly: true });
      try {
        migratedBeforeWindow = (db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n > 0;
      } finally {
        db.close();
      }
    };
    const d = await start();
    expect(migratedBeforeWindow).toBe(true);
    expect(d.runtime()!.database.file).toBe(dbFile);

    const win = FakeBrowserWindow.instances[0];
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: path.join('/programmi/Rette Mensa/resources/app.asar', 'out', 'preload', 'index.cjs'),
    });
    expect(win.loadedUrl).toBe('app://rette/index.html');

    const handler = fake.ipcMain.handlers.get('rette:invoke')!;
    expect(await handler(fromApp, { procedure: 'auth.status', input: {}, session: null })).toMatchObject({ ok: true });

    const template = fake.menuState.application!.template;
    expect(labels(template)).toEqual(['File', 'Modifica', 'Visualizza', 'Aiuto']);
    expect(labels(template[0].submenu)).toEqual(['Copia di sicurezza…', 'Connessione al server dell’ufficio…', 'Esci']);
    expect(template[0].submenu.find((i: any) => i.label === 'Esci').role).toBe('quit');
    expect(labels(template[1].submenu)).toEqual(['Annulla', 'Ripeti', 'Taglia', 'Copia', 'Incolla', 'Seleziona tutto']);
    expect(labels(template[3].submenu)[0]).toMatch(/^Informazioni/);
  });

  it('ogni avviso di modifica del backend arriva alla finestra sul canale rette:notice, finché il programma non esce', async () => {
    const d = await start();
    const win = FakeBrowserWindow.instances[0];
    const notice = d.runtime()!.backend.notices.emit({ procedure: 'attendance.scheduler', areas: ['attendance'], user: 'sistema' });
    expect(win.webContents.sent).toEqual([{ channel: 'rette:notice', payload: notice }]);
    const backend = d.runtime()!.backend;
    fake.app.emit('will-quit');
    backend.notices.emit({ procedure: 'x.y', areas: ['x'] });
    expect(win.webContents.sent).toHaveLength(1);
    expect(backend.notices.listenerCount).toBe(0);
  });

  it('all’uscita scollega l’IPC e chiude il database', async () => {
    const d = await start();
    const runtime = d.runtime()!;
    fake.app.emit('will-quit');
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(runtime.database.sqlite.open).toBe(false);
    expect(d.runtime()).toBeNull();
  });

  it('usa il database indicato con --db (npm start -- --db file)', async () => {
    const file = path.join(tmp, 'altro', 'prova.sqlite');
    const d = await start(['/usr/bin/electron', '.', '--db', file]);
    expect(d.runtime()!.database.file).toBe(file);
    expect(d.runtime()!.dataDir).toBe(path.dirname(file));
    expect(fs.existsSync(file)).toBe(true);
  });

  it('se il database non si apre mostra un messaggio in italiano ed esce, senza finestra', async () => {
    const file = path.join(tmp, 'rotto.sqlite');
    fs.writeFileSync(file, 'questo non è un database SQLite '.repeat(200));
    await start(['--db', file]);
    expect(fake.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [title, content] = fake.dialog.showErrorBox.mock.calls[0];
    expect(title).toBe('Rette Mensa non può avviarsi');
    expect(content).toContain('Il database non può essere aperto o aggiornato');
    expect(content).toContain(file);
    expect(fake.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('rifiuta un database scritto da una versione più recente (le migrazioni falliscono chiuse)', async () => {
    const file = path.join(tmp, 'futuro.sqlite');
    const db = openDatabase(file);
    db.sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('futura', 9_999_999_999_999);
    db.close();
    await start(['--db', file]);
    const [, content] = fake.dialog.showErrorBox.mock.calls[0];
    expect(content).toMatch(/versione più recente del programma/);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('una seconda istanza esce subito e porta in primo piano la prima', async () => {
    fake.state.singleInstance = false;
    desktop = startDesktop(electron, { argv: [], env: {} });
    fake.app.makeReady();
    await desktop.ready;
    expect(fake.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);

    fake.reset();
    fake.state.appData = tmp;
    await start();
    const win = FakeBrowserWindow.instances[0];
    const focus = vi.spyOn(win, 'focus');
    fake.app.emit('second-instance');
    expect(focus).toHaveBeenCalled();
  });
});

describe('argomenti e percorsi', () => {
  it('legge --db nelle due forme, altrimenti RETTE_DB, altrimenti userData', () => {
    expect(databaseArgument(['electron', '.', '--db', 'a.sqlite'])).toBe('a.sqlite');
    expect(databaseArgument(['--db=b.sqlite'])).toBe('b.sqlite');
    expect(databaseArgument(['--db'])).toBeNull();
    expect(databaseArgument([])).toBeNull();
    expect(databaseTarget([], { RETTE_DB: '/dati/x.sqlite' }, '/ud')).toEqual({ dbFile: path.resolve('/dati/x.sqlite'), dataDir: path.resolve('/dati') });
    expect(databaseTarget([], {}, '/ud')).toEqual({ dbFile: path.join('/ud', 'rette.sqlite'), dataDir: '/ud' });
  });
});

describe('menu', () => {
  it('in sviluppo aggiunge Ricarica e gli strumenti per sviluppatori, nel pacchetto no', () => {
    const actions = { backup: vi.fn(), about: vi.fn() };
    const packaged = buildMenuTemplate(actions, { development: false });
    const dev = buildMenuTemplate(actions, { development: true });
    const viewOf = (t: any[]) => labels(t.find((m) => m.label === 'Visualizza').submenu);
    expect(viewOf(packaged)).not.toContain('Strumenti per sviluppatori');
    expect(viewOf(packaged)).not.toContain('Ricarica');
    expect(viewOf(dev)).toContain('Strumenti per sviluppatori');
    (packaged[0].submenu as any[])[0].click();
    expect(actions.backup).toHaveBeenCalled();
    (packaged[3].submenu as any[])[0].click();
    expect(actions.about).toHaveBeenCalled();
  });

  it('Copia di sicurezza… salva una copia verificata dove sceglie l’utente', async () => {
    const db = openDatabase(path.join(tmp, 'rette.sqlite'));
    try {
      const target = path.join(tmp, 'chiavetta', 'copia');
      fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
      const file = await saveBackupInteractively(electron.dialog, { sqlite: db.sqlite, dataDir: tmp, now: new Date('2026-10-12T22:30:00Z'), window: null });
      expect(file).toBe(`${target}.sqlite`);
      const options = fake.dialog.showSaveDialog.mock.calls[0][0] as { defaultPath: string };
      // 22:30 UTC is already the 13th in Rome
      expect(options.defaultPath).toBe(path.join(tmp, 'backups', 'rette-copia-2026-10-13.sqlite'));
      const copy = new Database(file!, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBeGreaterThan(0);
      copy.close();
      expect(fake.dialog.showMessageBox).toHaveBeenCalledTimes(1);
      expect((fake.dialog.showMessageBox.mock.calls[0][0] as { message: string }).message).toMatch(/Copia di sicurezza salvata/);

      // cancelled: nothing written, nothing said
      fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: undefined });
      expect(await saveBackupInteractively(electron.dialog, { sqlite: db.sqlite, dataDir: tmp, now: new Date(), window: null })).toBeNull();

      // the database itself is never the target
      fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path.join(tmp, 'rette.sqlite') });
      expect(await saveBackupInteractively(electron.dialog, { sqlite: db.sqlite, dataDir: tmp, now: new Date(), window: null })).toBeNull();
      expect(fake.dialog.showErrorBox).toHaveBeenCalledWith('Copia di sicurezza non eseguita', 'Scegliere un file diverso dal database in uso.');
    } finally {
      db.close();
    }
  });
});

describe('orologio di prova nell’app desktop', () => {
  it('--clock e --clock-from (anche nella forma --opzione=valore) o le variabili RETTE_CLOCK / RETTE_CLOCK_FROM', () => {
    expect(clockArgument(['/usr/bin/electron', '.'], {})).toBeNull();
    expect(clockArgument(['--clock', '2026-11-16T08:30:00+01:00'], {})).toEqual({ mode: 'fisso', from: '2026-11-16T07:30:00.000Z' });
    expect(clockArgument(['--clock-from=2026-11-16T08:30:00+01:00'], {})).toEqual({ mode: 'in-corsa', from: '2026-11-16T07:30:00.000Z' });
    expect(clockArgument([], { RETTE_CLOCK_FROM: '2026-11-16T09:10:00+01:00' })).toEqual({ mode: 'in-corsa', from: '2026-11-16T08:10:00.000Z' });
    expect(() => clockArgument(['--clock', 'lunedì'], {})).toThrow(/Orologio di prova \(--clock\): «lunedì» non è un istante valido/);
  });

  it('con RETTE_CLOCK_FROM su un database nuovo il backend, la chiusura automatica e la finestra partono con l’orologio di prova', async () => {
    const file = path.join(tmp, 'formazione.sqlite');
    const d = await start(['--db', file], { RETTE_CLOCK_FROM: '2026-11-16T08:30:00+01:00' });
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(d.runtime()!.backend.clock.practice).toEqual({ mode: 'in-corsa', from: '2026-11-16T07:30:00.000Z' });
    expect(Math.abs(d.runtime()!.backend.clock.now().getTime() - Date.parse('2026-11-16T07:30:00Z'))).toBeLessThan(60_000);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });

  it('su un database con dati reali l’orologio di prova è rifiutato: messaggio in italiano, nessuna finestra, database intatto', async () => {
    const file = path.join(tmp, 'ufficio.sqlite');
    const db = openDatabase(file);
    db.sqlite
      .prepare("INSERT INTO municipalities (name, province, cutoff_time, notes, active, created_at, updated_at) VALUES ('Clusone', 'BG', '09:30', '', 1, ?, ?)")
      .run('2026-09-01T08:00:00.000Z', '2026-09-01T08:00:00.000Z');
    db.close();
    await start(['--db', file, '--clock', '2026-11-16T08:30:00+01:00']);
    expect(fake.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [title, content] = fake.dialog.showErrorBox.mock.calls[0];
    expect(title).toBe('Rette Mensa non può avviarsi con l’orologio di prova');
    expect(content).toMatch(/Orologio di prova rifiutato: il database .* contiene dati reali \(1 comune\)/);
    expect(content).toContain('avviare il programma senza --clock');
    expect(fake.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
    const again = openDatabase(file);
    try {
      expect(again.sqlite.prepare("SELECT count(*) FROM settings WHERE key LIKE 'orologio%'").pluck().get()).toBe(0);
    } finally {
      again.close();
    }
  });

  it('un istante sbagliato in RETTE_CLOCK ferma l’avvio con il motivo, senza aprire il database', async () => {
    const file = path.join(tmp, 'mai-aperto.sqlite');
    await start(['--db', file], { RETTE_CLOCK: '2026-11-16 08:30' });
    const [title, content] = fake.dialog.showErrorBox.mock.calls[0];
    expect(title).toBe('Rette Mensa non può avviarsi con l’orologio di prova');
    expect(content).toContain('Orologio di prova (RETTE_CLOCK): «2026-11-16 08:30» non è un istante valido');
    expect(fs.existsSync(file)).toBe(false);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });
});
