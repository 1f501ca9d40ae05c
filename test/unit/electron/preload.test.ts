import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  return { ...fake, default: fake };
});

import * as electronModule from 'electron';
import type { FakeElectron } from './fake-electron';
import type { RetteBridge } from '../../../electron/preload/bridge';

const fake = electronModule as unknown as FakeElectron;
let bridge: RetteBridge;

beforeAll(async () => {
  await import('../../../electron/preload/index');
  bridge = fake.contextBridge.exposed.get('rette') as RetteBridge;
});

describe('preload: un ponte stretto', () => {
  it('espone soltanto window.rette con i soli metodi invoke, onNotice e connection (la scelta della connessione)', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['rette']);
    expect(Object.keys(bridge)).toEqual(['invoke', 'onNotice', 'connection']);
    expect(bridge.invoke).toBeTypeOf('function');
    expect(Object.isFrozen(bridge)).toBe(true);
    // nothing of ipcRenderer leaks: no send/on/invoke-on-any-channel
    expect(bridge).not.toHaveProperty('send');
    expect(bridge).not.toHaveProperty('on');
    expect(Object.values(bridge)).not.toContain(fake.ipcRenderer);
  });

  it('invoke manda nome, dati e sessione sull’unico canale rette:invoke e restituisce la busta', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { righe: 3 } });
    const result = await bridge.invoke('pupils.list', { page: 1 }, 'sessione-1');
    expect(result).toEqual({ ok: true, value: { righe: 3 } });
    expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith('rette:invoke', {
      procedure: 'pupils.list',
      input: { page: 1 },
      session: 'sessione-1',
    });
    await bridge.invoke('auth.status', {}, null);
    expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith('rette:invoke', { procedure: 'auth.status', input: {}, session: null });
  });

  it('rifiuta un nome di procedura non valido con una busta VALIDATION, senza toccare l’IPC', async () => {
    fake.ipcRenderer.invoke.mockClear();
    for (const name of ['', 42, null, { procedure: 'x' }]) {
      const result = await bridge.invoke(name as unknown as string, {}, null);
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('se il processo principale non risponde restituisce una busta di errore, mai un’eccezione', async () => {
    fake.ipcRenderer.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    const result = await bridge.invoke('pupils.create', { foto: () => 1 }, 's');
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', issues: [] } });
    expect((result as { ok: false; error: { message: string } }).error.message).toMatch(/Comunicazione con il programma/);
  });

  it('a runtime importa soltanto electron (un preload in sandbox non può caricare altri moduli)', () => {
    const dir = path.resolve('electron/preload');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const spec of runtimeImports) expect(['electron', './bridge'], `${file}: ${spec}`).toContain(spec);
    }
  });
});
