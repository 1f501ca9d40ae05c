import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type HttpHost } from '../../../electron/host/http-host';
import type { ChangeNotice } from '../../../electron/contract/notices';
import { parseEventStream, type StreamEvent } from '../../../renderer/src/api/notices';
import { createTestApp, type TestApp } from '../../support/backend';

let app: TestApp;
let host: HttpHost;

beforeAll(async () => {
  app = await createTestApp();
  host = await startHttpHost({ backend: app.backend, limits: { heartbeatMs: 50, maxEventStreams: 3 } });
});
afterAll(async () => {
  await host.close();
  app.close();
});

interface Stream {
  status: number;
  contentType: string | null;
  /** waits until `until` holds for the events received so far (or fails after 3 s) */
  read(until: (events: StreamEvent[], raw: string) => boolean): Promise<StreamEvent[]>;
  close(): void;
}

async function open(headers: Record<string, string>): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${host.url}api/events`, { headers, signal: abort.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let raw = '';
  let ended = false;
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    async read(until) {
      const deadline = Date.now() + 3000;
      for (;;) {
        const events = parseEventStream(raw).events;
        if (until(events, raw)) return events;
        if (ended || Date.now() > deadline) throw new Error(`flusso finito o scaduto: ${raw}`);
        const { value, done } = await reader.read();
        if (done) ended = true;
        else raw += value;
      }
    },
    close: () => abort.abort(),
  };
}

const auth = (session: string | null, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${host.token}`,
  ...(session ? { 'X-Rette-Session': session } : {}),
  ...extra,
});
const changes = (events: StreamEvent[]) => events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data) as ChangeNotice);

describe('GET /api/events: gli avvisi di modifica come Server-Sent Events', () => {
  it('senza token di avvio o senza una sessione valida è rifiutato (401), nulla in ascolto', async () => {
    const noToken = await fetch(`${host.url}api/events`, { headers: { 'X-Rette-Session': app.sessions.operatore } });
    expect(noToken.status).toBe(401);
    const noSession = await fetch(`${host.url}api/events`, { headers: auth(null) });
    expect(noSession.status).toBe(401);
    expect((await noSession.json()).error.message).toMatch(/Sessione scaduta o assente/);
    const wrongSession = await fetch(`${host.url}api/events`, { headers: auth('sessione-inventata') });
    expect(wrongSession.status).toBe(401);
    expect(app.backend.notices.listenerCount).toBe(0);
    // another site may not open it either (same rule as every /api call)
    const foreign = await fetch(`${host.url}api/events`, { headers: auth(app.sessions.operatore, { Origin: 'http://evil.example' }) });
    expect(foreign.status).toBe(403);
  });

  it('consegna ogni modifica riuscita con id <avvio>:<numero>, e un battito regolare', async () => {
    const s = await open(auth(app.sessions.operatore));
    try {
      expect(s.status).toBe(200);
      expect(s.contentType).toMatch(/^text\/event-stream/);
      await s.read((_e, raw) => raw.includes('retry: 3000'));
      await app.call('municipalities.create', { name: 'Lovere', province: 'BG', cutoffTime: '09:00' });
      const events = await s.read((ev) => changes(ev).length >= 1);
      const [n] = changes(events);
      expect(n).toMatchObject({ procedure: 'municipalities.create', areas: ['municipalities'], user: 'admin' });
      expect(events.find((e) => e.event === 'change')!.id).toBe(`${n.boot}:${n.seq}`);
      await s.read((_e, raw) => raw.includes(': ping'));
    } finally {
      s.close();
    }
  });

  it('riconnesso con Last-Event-ID riceve subito ciò che ha perso, nell’ordine', async () => {
    const last = app.backend.notices;
    const fromId = `${last.boot}:${last.lastSeq}`;
    await app.call('municipalities.create', { name: 'Rovetta', province: 'BG', cutoffTime: '09:00' });
    await app.call('municipalities.create', { name: 'Castione', province: 'BG', cutoffTime: '09:00' });
    const s = await open(auth(app.sessions.operatore, { 'Last-Event-ID': fromId }));
    try {
      const got = changes(await s.read((ev) => changes(ev).length >= 2));
      expect(got.map((n) => n.procedure)).toEqual(['municipalities.create', 'municipalities.create']);
      expect(got.map((n) => n.seq)).toEqual([last.lastSeq - 1, last.lastSeq]);
      // an id of another start of the backend: one 'ripresa' notice, read everything again
      const other = await open(auth(app.sessions.operatore, { 'Last-Event-ID': 'altroavvio:7' }));
      try {
        const [reset] = changes(await other.read((ev) => changes(ev).length >= 1));
        expect(reset).toMatchObject({ reset: true, areas: ['*'] });
      } finally {
        other.close();
      }
    } finally {
      s.close();
    }
  });

  it('la sessione chiusa termina il flusso con «event: session», senza che il battito la tenga viva', async () => {
    const login = await app.backend.call('auth.login', { username: 'operatore', password: 'password-operatore' });
    if (!login.ok) throw new Error(login.error.message);
    const session = (login.value as { session: string }).session;
    const s = await open(auth(session));
    await s.read((_e, raw) => raw.includes('retry:'));
    app.backend.sessions.destroy(session);
    const events = await s.read((ev) => ev.some((e) => e.event === 'session'));
    expect(JSON.parse(events.find((e) => e.event === 'session')!.data)).toEqual({ code: 'UNAUTHENTICATED' });
    s.close();
  });

  it('oltre il numero massimo di flussi aperti risponde 503 con un messaggio in italiano', async () => {
    const open3 = [await open(auth(app.sessions.operatore)), await open(auth(app.sessions.operatore)), await open(auth(app.sessions.operatore))];
    try {
      const r = await fetch(`${host.url}api/events`, { headers: auth(app.sessions.operatore) });
      expect(r.status).toBe(503);
      expect((await r.json()).error.message).toMatch(/Troppe finestre/);
    } finally {
      for (const s of open3) s.close();
    }
  });
});

describe('lettura del flusso nel renderer (parseEventStream)', () => {
  it('separa gli eventi completi dal resto, salta i commenti, unisce le righe data e accetta CRLF', () => {
    const { events, rest } = parseEventStream(': ping\n\nid: a:1\nevent: change\ndata: {"x":\ndata: 1}\n\nretry: 3000\r\n\r\nid: a:2\nevent: chan');
    expect(events).toEqual([
      { id: 'a:1', event: 'change', data: '{"x":\n1}', retry: null },
      { id: null, event: 'message', data: '', retry: 3000 },
    ]);
    expect(rest).toBe('id: a:2\nevent: chan');
  });
});
