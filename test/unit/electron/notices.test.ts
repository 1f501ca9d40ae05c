import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  return { ...fake, default: fake };
});

import * as electronModule from 'electron';
import type { FakeElectron } from './fake-electron';
import type { ElectronApi } from '../../../electron/main/electron-api';
import { broadcastNotices } from '../../../electron/main/notices';
import { RETTE_NOTICE_CHANNEL, type RetteBridge } from '../../../electron/preload/bridge';
import { ChangeNotices, type ChangeNotice } from '../../../electron/contract/notices';
import { fixedClock } from '../../../electron/platform/clock';
import { silentLogger } from '../../support/backend';

const fake = electronModule as unknown as FakeElectron;
const electron = fake as unknown as ElectronApi;

beforeEach(() => fake.reset());

function windowAt(url: string) {
  const win = new fake.BrowserWindow({});
  void win.loadURL(url);
  return win;
}

describe('desktop: gli avvisi di modifica a ogni finestra', () => {
  it('ogni avviso va, sul canale rette:notice, a ogni finestra aperta dell’app; non a una pagina estranea né a una distrutta', () => {
    const notices = new ChangeNotices(fixedClock('2026-11-16T08:00:00Z'));
    const a = windowAt('app://rette/index.html');
    const b = windowAt('app://rette/index.html#/chiusura-giornata');
    const foreign = windowAt('https://example.com/');
    const gone = windowAt('app://rette/index.html');
    gone.webContents.destroyed = true;
    const broadcast = broadcastNotices(electron.BrowserWindow, { notices, logger: silentLogger });
    const n = notices.emit({ procedure: 'attendance.closeDay', areas: ['attendance'], user: 'operatore' });
    expect(broadcast.lastSentTo).toBe(2);
    for (const w of [a, b]) expect(w.webContents.sent).toEqual([{ channel: RETTE_NOTICE_CHANNEL, payload: n }]);
    expect(foreign.webContents.sent).toEqual([]);
    expect(gone.webContents.sent).toEqual([]);
    // a window opened later hears the next notice too
    const c = windowAt('app://rette/index.html');
    notices.emit({ procedure: 'attendance.scheduler', areas: ['attendance'], user: 'sistema' });
    expect(c.webContents.sent).toHaveLength(1);
    broadcast.dispose();
    notices.emit({ procedure: 'x.y', areas: ['x'] });
    expect(a.webContents.sent).toHaveLength(2);
    expect(notices.listenerCount).toBe(0);
  });
});

describe('preload: onNotice', () => {
  let bridge: RetteBridge;
  beforeAll(async () => {
    await import('../../../electron/preload/index');
    bridge = fake.contextBridge.exposed.get('rette') as RetteBridge;
  });

  it('ascolta solo rette:notice, passa alla pagina l’avviso e non l’evento IPC, e smette quando richiesto', () => {
    const got: ChangeNotice[] = [];
    const stop = bridge.onNotice((n) => got.push(n));
    expect(fake.ipcRenderer.on).toHaveBeenCalledTimes(1);
    const [channel, relay] = fake.ipcRenderer.on.mock.calls[0] as unknown as [string, (event: unknown, notice: unknown) => void];
    expect(channel).toBe(RETTE_NOTICE_CHANNEL);
    const notice = { boot: 'b', seq: 1, at: '2026-11-16T08:00:00.000Z', procedure: 'x.y', areas: ['x'], entities: [], user: null };
    relay({ sender: 'ipc interno' }, notice);
    expect(got).toEqual([notice]);
    stop();
    expect(fake.ipcRenderer.removeListener).toHaveBeenCalledWith(RETTE_NOTICE_CHANNEL, relay);
  });
});
