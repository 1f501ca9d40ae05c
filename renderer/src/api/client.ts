import type { ProcedureName, ProcInput, ProcOutput } from '../../../electron/contract/registry';
import type { RetteBridge } from '../../../electron/preload/bridge';
import { isUnavailableStatus, reportReachable, reportUnreachable, UNREACHABLE_MESSAGE } from './reachability';

export type { ProcedureName, ProcInput, ProcOutput };
export type { ConnectionAnswer, ConnectionRequest, ConnectionStatus } from '../../../electron/preload/bridge';

export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export interface ErrorShape {
  code: string;
  message: string;
  issues: FieldIssue[];
  /** a save on a stale version (issue 14): who saved in between, when, the version now */
  details?: ConflictDetails;
}

export interface ConflictDetails {
  changedBy: string | null;
  changedAt: string | null;
  currentVersion: number;
}

type Envelope = { ok: true; value: unknown } | { ok: false; error: ErrorShape };

declare global {
  interface Window {
    /** The Electron preload bridge (electron/preload): one typed `invoke`, nothing else. Absent in browser mode. */
    rette?: RetteBridge;
  }
}

/** A structured backend error: a stable code, an Italian message, the fields at fault. */
export class ApiError extends Error {
  readonly code: string;
  readonly issues: FieldIssue[];
  readonly details: ConflictDetails | undefined;
  constructor(shape: ErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.issues = shape.issues ?? [];
    this.details = shape.details;
  }
}

const LAUNCH_TOKEN_KEY = 'rette.launchToken';
const SESSION_KEY = 'rette.session';

/**
 * Browser mode: the launch token arrives once in the URL (`?token=…`). It is kept for this tab in
 * sessionStorage and removed from the visible address, so it is not left in history or screenshots.
 */
export function captureLaunchToken(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token) {
    sessionStorage.setItem(LAUNCH_TOKEN_KEY, token);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  }
}

/** Browser mode: this tab's launch token (null in the desktop app). */
export function launchToken(): string | null {
  return sessionStorage.getItem(LAUNCH_TOKEN_KEY);
}

export function getSession(): string | null {
  return sessionStorage.getItem(SESSION_KEY);
}

export function setSession(token: string | null): void {
  if (token) sessionStorage.setItem(SESSION_KEY, token);
  else sessionStorage.removeItem(SESSION_KEY);
}

let unauthenticatedHandler: (() => void) | null = null;

/** Who to tell when a session expires or is closed on the backend (the session context: back to login). */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticatedHandler = handler;
}

const SESSION_FREE: string[] = ['auth.status', 'auth.login', 'auth.setup'];

async function httpInvoke(name: string, input: unknown, session: string | null): Promise<Envelope> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const launch = sessionStorage.getItem(LAUNCH_TOKEN_KEY);
  if (launch) headers.Authorization = `Bearer ${launch}`;
  if (session) headers['X-Rette-Session'] = session;
  let res: Response;
  try {
    res = await fetch(`./api/${encodeURIComponent(name)}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
  } catch {
    // the network: the banner says so and retries (reachability.ts); the caller's form stays as typed
    reportUnreachable('nessuna risposta');
    return { ok: false, error: { code: 'UNREACHABLE', message: UNREACHABLE_MESSAGE, issues: [] } };
  }
  try {
    const envelope = (await res.json()) as Envelope;
    reportReachable();
    return envelope;
  } catch {
    if (isUnavailableStatus(res.status)) {
      reportUnreachable(`HTTP ${res.status}`);
      return { ok: false, error: { code: 'UNREACHABLE', message: UNREACHABLE_MESSAGE, issues: [] } };
    }
    return { ok: false, error: { code: 'INTERNAL', message: `Risposta non valida dal programma (HTTP ${res.status})`, issues: [] } };
  }
}

/** Calls one procedure of the contract; its input and output types come from the registry. */
export async function call<N extends ProcedureName>(name: N, input: ProcInput<N>): Promise<ProcOutput<N>> {
  const session = getSession();
  const result: Envelope = window.rette ? await window.rette.invoke(name, input, session) : await httpInvoke(name, input, session);
  if (result.ok) return result.value as ProcOutput<N>;
  const error = new ApiError(result.error);
  if (error.code === 'UNAUTHENTICATED' && !SESSION_FREE.includes(name)) {
    setSession(null);
    unauthenticatedHandler?.();
  }
  throw error;
}

/** Any error as the one Italian line to show the user. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
