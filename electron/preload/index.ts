/**
 * The preload of the sandboxed window: it exposes `window.rette.invoke` and `onNotice` (the change
 * notices main pushes) and nothing else. A page that
 * got hold of `ipcRenderer` could send anything on any channel; this bridge only sends the payload
 * shape main expects, on the one channel main listens to.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../contract/errors';
import type { ChangeNotice } from '../contract/notices';
import {
  RETTE_CONNECTION_CHANNEL,
  RETTE_INVOKE_CHANNEL,
  RETTE_NOTICE_CHANNEL,
  type ConnectionAnswer,
  type ConnectionRequest,
  type InvokePayload,
  type RetteBridge,
} from './bridge';

function failure(code: 'VALIDATION' | 'INTERNAL', message: string): Result<unknown> {
  return { ok: false, error: { code, message, issues: [] } };
}

const bridge: RetteBridge = Object.freeze({
  invoke(procedure: string, input: unknown, session: string | null): Promise<Result<unknown>> {
    if (typeof procedure !== 'string' || procedure === '') {
      return Promise.resolve(failure('VALIDATION', 'Nome della procedura mancante o non valido'));
    }
    const payload: InvokePayload = { procedure, input, session: typeof session === 'string' ? session : null };
    // main never throws on this channel (it answers with an envelope); a rejection here means the
    // input could not be copied across processes or the main process is gone
    return (ipcRenderer.invoke(RETTE_INVOKE_CHANNEL, payload) as Promise<Result<unknown>>).catch(() =>
      failure('INTERNAL', 'Comunicazione con il programma non riuscita: riprovare o riavviare Rette Mensa'),
    );
  },
  onNotice(listener: (notice: ChangeNotice) => void): () => void {
    if (typeof listener !== 'function') return () => {};
    // the page gets the notice only, never the IPC event (which would expose the sender)
    const relay = (_event: unknown, notice: ChangeNotice) => listener(notice);
    ipcRenderer.on(RETTE_NOTICE_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(RETTE_NOTICE_CHANNEL, relay);
    };
  },
  connection(request: ConnectionRequest): Promise<ConnectionAnswer> {
    if (typeof request !== 'object' || request === null || typeof request.action !== 'string') {
      return Promise.resolve({ ok: false, message: 'Richiesta non valida' });
    }
    return (ipcRenderer.invoke(RETTE_CONNECTION_CHANNEL, request) as Promise<ConnectionAnswer>).catch(() => ({
      ok: false as const,
      message: 'Comunicazione con il programma non riuscita: riavviare Rette Mensa',
    }));
  },
});

contextBridge.exposeInMainWorld('rette', bridge);
