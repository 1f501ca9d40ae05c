/**
 * Whether the backend answers (browser mode, the desktop as client of the office server). The
 * contract client reports each call's outcome: a network failure or a 502/503/504 from a proxy
 * marks the server unreachable, any answer from the backend marks it reachable again. The offline
 * banner (renderer/src/connection/offline-banner.tsx) shows it and retries; nothing typed in a form
 * is touched: the form's save simply failed and stays open.
 */
export interface Reachability {
  reachable: boolean;
  /** consecutive failed attempts since the last answer (the banner's back-off) */
  failures: number;
  /** why, in Italian (e.g. the network error) */
  reason: string | null;
}

type Listener = (state: Reachability) => void;

let state: Reachability = { reachable: true, failures: 0, reason: null };
const listeners = new Set<Listener>();

function set(next: Reachability): void {
  state = next;
  for (const l of [...listeners]) l(state);
}

export function reportUnreachable(reason: string): void {
  set({ reachable: false, failures: state.failures + 1, reason });
}

export function reportReachable(): void {
  if (state.reachable && state.failures === 0) return;
  set({ reachable: true, failures: 0, reason: null });
}

export function reachability(): Reachability {
  return state;
}

export function subscribeReachability(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Seconds before the next automatic attempt: 5, 10, 20, then every 30. */
export function retryDelaySeconds(failures: number): number {
  return Math.min(30, 5 * 2 ** Math.max(0, Math.min(failures - 1, 3)));
}

/** The statuses a proxy or a stopping server answers with while the backend is not there. */
export function isUnavailableStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

export const UNREACHABLE_MESSAGE = 'Server non raggiungibile: quanto inserito resta nel modulo, riprovare tra poco';
