import { useEffect, useRef } from 'react';
import { noticeConcerns, type ChangeNotice } from '../../../electron/contract/vocabulary/notices';
import { getSession, launchToken } from './client';
import { isUnavailableStatus, reportReachable, reportUnreachable, subscribeReachability } from './reachability';

export type { ChangeNotice };

/**
 * Change notices in the window (contract/notices.ts on the backend): ONE connection per window,
 * shared by every screen that listens. In the desktop app main pushes them over IPC
 * (`window.rette.onNotice`); in browser mode they arrive as Server-Sent Events from
 * `GET /api/events`, read with fetch (so the launch token and the session travel in headers, not
 * in the address) and reconnected with `Last-Event-ID` after a drop (at once when the server
 * answers again: reachability.ts; a stream that cannot connect shows the offline banner); a gap the backend can no
 * longer fill arrives as a `reset` notice, which every screen takes as "read everything again".
 */

type Listener = (notice: ChangeNotice) => void;

const listeners = new Set<Listener>();
let disconnect: (() => void) | null = null;

function deliver(notice: ChangeNotice): void {
  for (const l of [...listeners]) {
    try {
      l(notice);
    } catch {
      // one screen's failure does not stop the others from refreshing
    }
  }
}

/** Listens to every change notice; the connection opens with the first listener and closes with the last. */
export function subscribeNotices(listener: Listener): () => void {
  listeners.add(listener);
  if (!disconnect) disconnect = window.rette?.onNotice ? window.rette.onNotice(deliver) : openEventStream(deliver);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && disconnect) {
      disconnect();
      disconnect = null;
    }
  };
}

/**
 * Calls `refetch` when a change touches one of `areas` ('attendance', 'enrollments'…; '*' for any),
 * once for a burst of changes (`delayMs` after the last one). The screens that show state which
 * changes by itself or by another window use it: the dashboard, the day close, attendance, the
 * kitchen report, the lists.
 */
export function useChangeNotices(areas: readonly string[], refetch: () => unknown, delayMs = 250): void {
  const latest = useRef(refetch);
  latest.current = refetch;
  const key = areas.join(',');
  useEffect(() => {
    const wanted = key.split(',');
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = subscribeNotices((n) => {
      if (!noticeConcerns(n, wanted)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void latest.current();
      }, delayMs);
    });
    return () => {
      if (timer) clearTimeout(timer);
      off();
    };
  }, [key, delayMs]);
}

/** One event of a text/event-stream (the fields this channel uses). */
export interface StreamEvent {
  id: string | null;
  event: string;
  data: string;
  retry: number | null;
}

/**
 * Splits the text received so far into complete events (a blank line ends one) and the unfinished
 * rest, following the EventSource parsing rules: comment lines (`:`) are skipped, `data:` lines
 * join with a newline, one optional space after the colon is dropped, CRLF and CR end lines too.
 */
export function parseEventStream(buffer: string): { events: StreamEvent[]; rest: string } {
  const text = buffer.replace(/\r\n?/g, '\n');
  const events: StreamEvent[] = [];
  let start = 0;
  for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n', start)) {
    const block = text.slice(start, end);
    start = end + 2;
    const ev: StreamEvent = { id: null, event: 'message', data: '', retry: null };
    const data: string[] = [];
    let any = false;
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') ev.event = value;
      else if (field === 'id') ev.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) ev.retry = Number(value);
      else continue;
      any = true;
    }
    ev.data = data.join('\n');
    if (any) events.push(ev);
  }
  return { events, rest: text.slice(start) };
}

/** Browser mode: the SSE stream, reconnected (1 s, then doubling up to 30 s) with the last id seen. */
function openEventStream(onNotice: Listener): () => void {
  let closed = false;
  let lastId: string | null = null;
  let retryMs = 3000;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let abort: AbortController | null = null;

  const again = (ms: number) => {
    if (closed) return;
    timer = setTimeout(() => void connect(), ms);
  };
  // the server answers again (a save, «Riprova ora»): reconnect now rather than at the end of the back-off
  const offReachability = subscribeReachability((state) => {
    if (!state.reachable || closed || timer === null) return;
    clearTimeout(timer);
    failures = 0;
    timer = setTimeout(() => void connect(), 0);
  });

  async function connect(): Promise<void> {
    timer = null;
    const session = getSession();
    // not signed in (yet): look again shortly; the stream needs a session
    if (!session) return again(2000);
    abort = new AbortController();
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'X-Rette-Session': session };
    const token = launchToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (lastId) headers['Last-Event-ID'] = lastId;
    try {
      let res: Response;
      try {
        res = await fetch('./api/events', { headers, cache: 'no-store', signal: abort.signal });
      } catch (err) {
        // no answer at all: the server is unreachable (the banner says so and retries)
        if (!closed) reportUnreachable('avvisi di modifica interrotti');
        throw err;
      }
      if (!res.ok && isUnavailableStatus(res.status) && !(res.headers.get('content-type') ?? '').includes('json')) reportUnreachable(`HTTP ${res.status}`);
      else reportReachable();
      if (!res.ok || !res.body) {
        failures++;
        return again(res.status === 401 ? 3000 : Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
      }
      failures = 0;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const parsed = parseEventStream(buffer);
        buffer = parsed.rest;
        for (const ev of parsed.events) {
          if (ev.retry !== null) retryMs = ev.retry;
          if (ev.id !== null) lastId = ev.id;
          if (ev.event === 'change') {
            try {
              onNotice(JSON.parse(ev.data) as ChangeNotice);
            } catch {
              // a malformed notice is skipped; the next one still arrives
            }
          }
        }
      }
    } catch {
      if (closed) return;
      failures++;
    }
    again(failures ? Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)) : retryMs);
  }

  void connect();
  return () => {
    closed = true;
    offReachability();
    if (timer) clearTimeout(timer);
    abort?.abort();
  };
}
