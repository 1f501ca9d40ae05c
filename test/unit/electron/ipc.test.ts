import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  return { ...fake, default: fake };
});

import * as electronModule from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import type { FakeElectron } from './fake-electron';
import type { ElectronApi } from '../../../electron/main/electron-api';
import { bindContract, type IpcBinding } from '../../../electron/main/ipc';
import { RETTE_INVOKE_CHANNEL } from '../../../electron/preload/bridge';
import { procedures } from '../../../electron/contract/registry';
import type { Backend } from '../../../electron/contract/backend';
import { createTestApp, silentLogger, type TestApp } from '../../support/backend';

const fake = electronModule as unknown as FakeElectron;
const electron = fake as unknown as ElectronApi;

/** An ipcMain.handle event as Electron builds it: what matters is the sending frame's URL. */
function eventFrom(url: string | null): IpcMainInvokeEvent {
  return { senderFrame: url === null ? null : { url } } as unknown as IpcMainInvokeEvent;
}
const fromApp = eventFrom('app://rette/index.html');

let app: TestApp;
let binding: IpcBinding;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());
beforeEach(() => {
  fake.reset();
  binding = bindContract(electron.ipcMain, app.backend);
});

describe('IPC: un solo canale rette:invoke', () => {
  it('registra un unico gestore sul canale rette:invoke', () => {
    expect(binding.channel).toBe('rette:invoke');
    // the preload invokes on the same channel the main process handles
    expect(RETTE_INVOKE_CHANNEL).toBe(binding.channel);
    expect([...fake.ipcMain.handlers.keys()]).toEqual(['rette:invoke']);
    expect(fake.ipcMain.handlers.get('rette:invoke')).toBe(binding.handler);
    binding.dispose();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('lega ogni procedura del contratto, nessuna esclusa: ognuna raggiunge il dispatcher attraverso il canale', async () => {
    expect(procedures.length).toBeGreaterThan(0);
    for (const p of procedures) {
      // no session: a known procedure answers (result or a refusal of role/input), never "unknown"
      const r = (await binding.handler(fromApp, { procedure: p.name, input: {}, session: null })) as { ok: boolean; error?: { code: string } };
      expect(r.ok ? 'ok' : r.error!.code, p.name).not.toBe('NOT_FOUND');
    }
    const unknown = (await binding.handler(fromApp, { procedure: 'nessuna.procedura', input: {}, session: null })) as { ok: boolean; error?: { code: string } };
    expect(unknown.error?.code).toBe('NOT_FOUND');
  });

  it('ogni procedura del contratto è raggiungibile attraverso il gestore IPC', async () => {
    const handler = fake.ipcMain.handlers.get('rette:invoke')!;
    const admin = app.backend.sessions.get(app.sessions.amministratore)!;
    expect(admin).toBeTruthy();
    for (const p of procedures) {
      // a fresh session per call: auth.logout and friends may end the one they are called with
      const session = app.backend.sessionFor(admin);
      const result: any = await handler(fromApp, { procedure: p.name, input: {}, session });
      expect(result, p.name).toHaveProperty('ok');
      if (!result.ok) {
        expect(result.error.message, p.name).not.toMatch(/^Operazione sconosciuta/);
        expect(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED', 'INTERNAL'], p.name).toContain(result.error.code);
      }
    }
    // control: a name outside the contract is what "unreachable" looks like
    const unknown: any = await handler(fromApp, { procedure: 'pupils.drop', input: {}, session: null });
    expect(unknown).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Operazione sconosciuta: pupils.drop', issues: [] } });
    }, 120_000); // every procedure of the contract really runs (some build files): minutes on a loaded machine

  it('restituisce l’esito del backend così com’è (stessa busta dell’HTTP)', async () => {
    const info: any = await binding.handler(fromApp, { procedure: 'system.info', input: {}, session: app.sessions.operatore });
    expect(info.ok).toBe(true);
    expect(info.value.counts).toBeTypeOf('object');

    const anonymous: any = await binding.handler(fromApp, { procedure: 'system.info', input: {}, session: null });
    expect(anonymous).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });

    const wrongRole: any = await binding.handler(fromApp, { procedure: 'users.list', input: {}, session: app.sessions.operatore });
    expect(wrongRole).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const invalid: any = await binding.handler(fromApp, { procedure: 'auth.login', input: { username: '' }, session: null });
    expect(invalid.ok).toBe(false);
    expect(invalid.error.code).toBe('VALIDATION');
    expect(invalid.error.issues.length).toBeGreaterThan(0);
  });
});

describe('IPC: controllo del mittente', () => {
  it('rifiuta con FORBIDDEN (senza eccezioni) le chiamate che non vengono da app://', async () => {
    const session = app.sessions.amministratore;
    for (const url of [
      'https://malevolo.example/',
      'http://127.0.0.1:5173/',
      'file:///C:/Users/ufficio/Desktop/pagina.html',
      'app://altro/index.html',
      'about:blank',
      '',
      null,
    ]) {
      const result = await binding.handler(eventFrom(url), { procedure: 'users.list', input: {}, session });
      expect(result, String(url)).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Richiesta rifiutata: non proviene dalla finestra di Rette Mensa', issues: [] },
      });
    }
    // an event without senderFrame at all (frame destroyed) or whose getter throws
    expect(await binding.handler({} as IpcMainInvokeEvent, { procedure: 'users.list', input: {}, session })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const throwing = { get senderFrame() { throw new Error('Render frame was disposed'); } } as unknown as IpcMainInvokeEvent;
    expect(await binding.handler(throwing, { procedure: 'users.list', input: {}, session })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('rifiuta un contenuto malformato con VALIDATION, senza chiamare il backend', async () => {
    for (const payload of [null, undefined, 'users.list', 42, [], { input: {} }, { procedure: '' }, { procedure: 7 }, { procedure: 'x'.repeat(201) }, { procedure: 'system.info', session: 123 }]) {
      const result: any = await binding.handler(fromApp, payload);
      expect(result.ok, JSON.stringify(payload)).toBe(false);
      expect(result.error.code).toBe('VALIDATION');
      expect(result.error.message).toMatch(/Richiesta non valida/);
    }
  });

  it('un errore imprevisto del backend diventa una busta INTERNAL, mai un’eccezione', async () => {
    fake.reset();
    const broken = {
      procedures: new Map([['system.info', {}]]),
      logger: silentLogger,
      call: () => Promise.reject(new Error('disco pieno')),
    } as unknown as Backend;
    const b = bindContract(electron.ipcMain, broken);
    const result: any = await b.handler(fromApp, { procedure: 'system.info', input: {}, session: null });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('disco pieno');
    expect(b.procedures).toEqual(['system.info']);
  });

  it('accetta un mittente di fiducia diverso solo se indicato (server di sviluppo)', async () => {
    fake.reset();
    const dev = bindContract(electron.ipcMain, app.backend, { isTrustedSender: (url) => url === 'http://localhost:5173/' });
    const ok: any = await dev.handler(eventFrom('http://localhost:5173/'), { procedure: 'auth.status', input: {}, session: null });
    expect(ok.ok).toBe(true);
    const no: any = await dev.handler(eventFrom('https://malevolo.example/'), { procedure: 'auth.status', input: {}, session: null });
    expect(no.error.code).toBe('FORBIDDEN');
  });
});
