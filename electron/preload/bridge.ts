import type { Result } from '../contract/errors';
import type { ChangeNotice } from '../contract/notices';

/**
 * The one IPC channel between the window and the backend. Main binds it (electron/main/ipc.ts),
 * the preload calls it; nothing else crosses the process boundary.
 */
export const RETTE_INVOKE_CHANNEL = 'rette:invoke';

/**
 * The one channel the other way: main pushes each change notice (contract/notices.ts) to every
 * window; the page listens through `window.rette.onNotice`, never on the channel itself.
 */
export const RETTE_NOTICE_CHANNEL = 'rette:notice';

/** What travels on `rette:invoke`: a procedure name, its untrusted JSON input, the session token. */
export interface InvokePayload {
  procedure: string;
  input: unknown;
  session: string | null;
}

/**
 * The desktop's choice of connection (electron/main/connection-setup.ts): this computer's own
 * database or the office server. Only the setup screen uses it; main checks every request.
 */
export const RETTE_CONNECTION_CHANNEL = 'rette:connection';

export type ConnectionRequest =
  | { action: 'status' }
  | { action: 'verifyAdmin'; username: string; password: string }
  | { action: 'probe'; address: string }
  | { action: 'chooseLocal' }
  | { action: 'chooseServer'; address: string; fingerprint: string }
  | { action: 'cancel' };

export interface ConnectionStatus {
  /** the setup screen is to be shown (first start, or an administrator asked to change the choice) */
  open: boolean;
  /** 'primo-avvio': nothing chosen yet; 'cambio': changing an existing choice (administrator first) */
  purpose: 'primo-avvio' | 'cambio' | null;
  /** an administrator has still to sign in before a choice is accepted */
  adminRequired: boolean;
  /** why the screen is shown again (e.g. an unreadable connection.json) */
  reason: string | null;
  current: { mode: 'locale' } | { mode: 'server'; address: string; fingerprint: string } | null;
  defaultPort: number;
}

export type ConnectionAnswer = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * What the preload exposes to the page as `window.rette`: one typed `invoke`, never raw
 * `ipcRenderer`. The renderer imports this as a type only.
 */
export interface RetteBridge {
  invoke(procedure: string, input: unknown, session: string | null): Promise<Result<unknown>>;
  /** Calls `listener` with every change notice main pushes; returns the function that stops it. */
  onNotice(listener: (notice: ChangeNotice) => void): () => void;
  /** the choice of connection (setup screen only) */
  connection?: (request: ConnectionRequest) => Promise<ConnectionAnswer>;
}
