import type { IpcMainInvokeEvent } from 'electron';
import type { Backend } from '../contract/backend';
import { toErrorShape } from '../contract/backend';
import { localWorkstation } from '../host/workstation';
import type { ErrorShape, Result } from '../contract/errors';
import { RETTE_INVOKE_CHANNEL, type InvokePayload } from '../preload/bridge';
import type { ElectronApi } from './electron-api';
import { isAppUrl } from './protocol';

export interface IpcBinding {
  channel: string;
  /** every procedure name reachable through the channel: all of `backend.procedures` */
  procedures: string[];
  /** the function registered with ipcMain.handle (exposed for tests) */
  handler(event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>>;
  dispose(): void;
}

export interface BindOptions {
  /** which sender frames may call; default: only pages of app://rette */
  isTrustedSender?: (url: string | null) => boolean;
}

const MAX_NAME = 200;

function failure(code: ErrorShape['code'], message: string): Result<unknown> {
  return { ok: false, error: { code, message, issues: [] } };
}

/** The URL of the frame that sent the message, or null when it is gone (navigated away, closed). */
function senderUrl(event: IpcMainInvokeEvent): string | null {
  try {
    const url = event?.senderFrame?.url;
    return typeof url === 'string' ? url : null;
  } catch {
    return null;
  }
}

function parsePayload(payload: unknown): InvokePayload | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const p = payload as Record<string, unknown>;
  if (typeof p.procedure !== 'string' || p.procedure === '' || p.procedure.length > MAX_NAME) return null;
  if (p.session !== null && p.session !== undefined && typeof p.session !== 'string') return null;
  return { procedure: p.procedure, input: p.input, session: typeof p.session === 'string' ? p.session : null };
}

/**
 * Binds the whole contract to ONE IPC channel. The transport is thin: it checks who is calling and the
 * payload's shape, then hands name, input and session to `backend.call`, which does everything else
 * (role, zod validation, transaction, audit). It always answers with a result envelope, never a throw,
 * so the renderer sees the same errors it would see over HTTP.
 */
export function bindContract(ipcMain: ElectronApi['ipcMain'], backend: Backend, options: BindOptions = {}): IpcBinding {
  const isTrusted = options.isTrustedSender ?? ((url: string | null) => isAppUrl(url));

  async function handler(event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>> {
    const from = senderUrl(event);
    if (!isTrusted(from)) {
      backend.logger.warn(`Chiamata IPC rifiutata: mittente non autorizzato (${from ?? 'sconosciuto'})`);
      return failure('FORBIDDEN', 'Richiesta rifiutata: non proviene dalla finestra di Rette Mensa');
    }
    const call = parsePayload(payload);
    if (!call) {
      return failure('VALIDATION', 'Richiesta non valida: servono il nome della procedura, i dati e la sessione');
    }
    try {
      return await backend.call(call.procedure, call.input, call.session, { workstation: localWorkstation() });
    } catch (err) {
      return { ok: false, error: toErrorShape(err, call.procedure, backend.logger) };
    }
  }

  ipcMain.handle(RETTE_INVOKE_CHANNEL, handler);
  return {
    channel: RETTE_INVOKE_CHANNEL,
    procedures: [...backend.procedures.keys()],
    handler,
    dispose: () => ipcMain.removeHandler(RETTE_INVOKE_CHANNEL),
  };
}
