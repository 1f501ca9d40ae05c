import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  return { ...fake, default: fake };
});

import * as electronModule from 'electron';
import { FakeBrowserWindow, type FakeElectron } from './fake-electron';

const fake = electronModule as unknown as FakeElectron;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-index-'));

afterAll(() => {
  fake.app.emit('will-quit');
  vi.unstubAllEnvs();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('electron/main/index.ts (punto d’ingresso)', () => {
  it('caricato con Electron avvia l’app: schema app://, database in userData, IPC, finestra sicura', async () => {
    vi.stubEnv('RETTE_DB', '');
    vi.stubEnv('ELECTRON_RENDERER_URL', '');
    fake.state.appData = tmp;
    // this computer's own database was chosen at the first start
    fs.mkdirSync(path.join(tmp, 'Rette Mensa'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'Rette Mensa', 'connection.json'), JSON.stringify({ mode: 'locale', chosenAt: '2026-09-01T08:00:00Z' }));
    await import('../../../electron/main/index');
    expect(fake.protocol.privilegedBeforeReady).toBe(true);
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();

    fake.app.makeReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));
    expect(fs.existsSync(path.join(tmp, 'Rette Mensa', 'rette.sqlite'))).toBe(true);
    expect(fake.ipcMain.handlers.has('rette:invoke')).toBe(true);
    const win = FakeBrowserWindow.instances[0];
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(win.loadedUrl).toBe('app://rette/index.html');
    expect(win.webContents.windowOpenHandler!({ url: 'https://esempio.it/' })).toEqual({ action: 'deny' });
  });
});
