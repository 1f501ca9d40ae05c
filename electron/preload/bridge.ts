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
 * What the preload exposes to the page as `window.rette`: one typed `invoke`, never raw
 * `ipcRenderer`. The renderer imports this as a type only.
 */
export interface RetteBridge {
  invoke(procedure: string, input: unknown, session: string | null): Promise<Result<unknown>>;
  /** Calls `listener` with every change notice main pushes; returns the function that stops it. */
  onNotice(listener: (notice: ChangeNotice) => void): () => void;
}
