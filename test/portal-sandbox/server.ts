/**
 * The portal sandbox (issue 13): a small HTTP server speaking the REST side of the portal contract
 * (electron/portal/contract.ts), with families that act, and faults on request. The tests start it
 * in-process (`startSandbox`); the office can sync against it (`npm run rette -- portal-sandbox`).
 *
 *   GET  /inbound?after=<cursor>&limit=<n>   the families' events after a cursor (InboundBatch)
 *   POST /outbound                           the office's events (OutboundBatch → OutboundAck), idempotent by id
 * both with `Authorization: Bearer <token>`.
 *
 * Admin endpoints (no token; the sandbox listens on 127.0.0.1 only):
 *   POST /_sandbox/actions   {count, from, days?, seed?, kinds?} or {events: [...]}: families act;
 *                            `late: true` keeps them back until /_sandbox/release (a cancellation
 *                            made at 09:10 that reaches the office hours later: occurredAt stays 09:10)
 *   POST /_sandbox/release   delivers the events kept back
 *   POST /_sandbox/faults    {delayMs, hangEvery, hangProbability, failEvery, failProbability,
 *                            duplicateProbability, shuffle, seed, rateLimit}
 *   GET  /_sandbox/generated every distinct event the families produced (what the office must record once)
 *   GET  /_sandbox/received  what the office published (by id) and how many batches
 *   GET  /_sandbox/state     counters
 */
import http from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { inboundEvent, outboundBatch } from '../../electron/portal/contract';
import { mulberry32, type Random } from '../../electron/demo/random';
import { generateActions, syntheticFamilies, type ActionKind, type SandboxFamily } from './families';
import type { InboundEvent, OutboundEvent } from './types';

export interface SandboxFaults {
  /** every answer waits this long */
  delayMs: number;
  /** every Nth request to the API never gets an answer (0: never) */
  hangEvery: number;
  hangProbability: number;
  /** every Nth request to the API gets a 500 (0: never) */
  failEvery: number;
  failProbability: number;
  /** each event served may be appended again to the feed (the portal sends it twice) */
  duplicateProbability: number;
  /** the events of a page come in a shuffled order */
  shuffle: boolean;
  /** the seed of the probabilities (same seed, same misbehaviour) */
  seed: number;
  /** token bucket: requests per second (burst = 2×); 0 = no limit */
  rateLimit: number;
}

export const NO_FAULTS: SandboxFaults = {
  delayMs: 0,
  hangEvery: 0,
  hangProbability: 0,
  failEvery: 0,
  failProbability: 0,
  duplicateProbability: 0,
  shuffle: false,
  seed: 1,
  rateLimit: 0,
};

const faultsInput = z
  .object({
    delayMs: z.number().int().min(0).max(600_000),
    hangEvery: z.number().int().min(0),
    hangProbability: z.number().min(0).max(1),
    failEvery: z.number().int().min(0),
    failProbability: z.number().min(0).max(1),
    duplicateProbability: z.number().min(0).max(1),
    shuffle: z.boolean(),
    seed: z.number().int(),
    rateLimit: z.number().min(0).max(100_000),
  })
  .partial()
  .strict();

const actionsInput = z.union([
  z.object({ events: z.array(z.unknown()).min(1).max(100_000), late: z.boolean().optional() }).strict(),
  z
    .object({
      count: z.number().int().min(1).max(100_000),
      from: z.iso.date(),
      days: z.number().int().min(1).max(200).optional(),
      seed: z.number().int().optional(),
      kinds: z.array(z.string()).optional(),
      late: z.boolean().optional(),
    })
    .strict(),
]);

export interface SandboxOptions {
  port?: number;
  /** the credential the office must send (default: random) */
  token?: string;
  families?: SandboxFamily[];
  faults?: Partial<SandboxFaults>;
  /** largest page served, whatever the client asks (default 500) */
  maxPage?: number;
  /** a hook after each page is served: (events served so far) */
  onServed?: (served: number) => void;
}

export interface Sandbox {
  url: string;
  port: number;
  token: string;
  families: SandboxFamily[];
  /** families act: events appended to the feed (or kept back with `late`) */
  enqueue(events: InboundEvent[] | unknown[], options?: { late?: boolean }): void;
  /** `count` mixed actions of the families (see families.ts) */
  act(count: number, from: string, options?: { days?: number; seed?: number; kinds?: ActionKind[]; late?: boolean }): InboundEvent[];
  /** the events kept back reach the feed now */
  release(): number;
  setFaults(f: Partial<SandboxFaults>): void;
  /** every distinct event generated (by id) */
  generated(): Map<string, unknown>;
  /** what the office published, by id */
  received(): Map<string, OutboundEvent>;
  stats(): { requests: number; served: number; feed: number; held: number; duplicatesServed: number; failures: number; hangs: number; batches: number };
  close(): Promise<void>;
}

const encodeCursor = (seq: number) => Buffer.from(`sandbox:${seq}`).toString('base64url');
function decodeCursor(cursor: string): number | null {
  const m = /^sandbox:(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

const sha = (s: string) => createHash('sha256').update(s).digest();

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const families = options.families ?? syntheticFamilies(40, 1);
  const maxPage = options.maxPage ?? 500;
  let faults: SandboxFaults = { ...NO_FAULTS, ...options.faults };
  let rnd: Random = mulberry32(faults.seed);

  const feed: { seq: number; event: unknown }[] = [];
  let seq = 0;
  const held: unknown[] = [];
  const generated = new Map<string, unknown>();
  const duplicated = new Set<string>();
  const received = new Map<string, OutboundEvent>();
  const counters = { requests: 0, served: 0, duplicatesServed: 0, failures: 0, hangs: 0, batches: 0 };
  let bucket = { tokens: 0, at: Date.now() };
  const hanging = new Set<http.ServerResponse>();

  const append = (event: unknown) => feed.push({ seq: ++seq, event });
  const idOf = (e: unknown) => (e && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string' ? (e as { id: string }).id : null);

  function enqueue(events: unknown[], o: { late?: boolean } = {}) {
    for (const e of events) {
      const id = idOf(e);
      if (id && !generated.has(id)) generated.set(id, e);
      if (o.late) held.push(e);
      else append(e);
    }
  }

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.writableEnded || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(text);
  };

  function authorized(req: http.IncomingMessage): boolean {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(h);
    return m !== null && timingSafeEqual(sha(m[1]), sha(token));
  }

  function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          resolve(null);
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', () => resolve(null));
    });
  }

  async function jsonBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): Promise<unknown> {
    const text = await readBody(req, limit);
    if (text === null) {
      send(res, 413, { error: 'troppo_grande', message: 'Richiesta troppo grande' });
      return undefined;
    }
    try {
      return JSON.parse(text === '' ? '{}' : text);
    } catch {
      send(res, 400, { error: 'json_non_valido', message: 'Il corpo della richiesta non è JSON valido' });
      return undefined;
    }
  }

  /** The faults of one API request: true when the answer was already decided (hang, 500, 429). */
  function misbehave(res: http.ServerResponse): boolean {
    counters.requests++;
    if (faults.rateLimit > 0) {
      const now = Date.now();
      bucket = { tokens: Math.min(faults.rateLimit * 2, bucket.tokens + ((now - bucket.at) / 1000) * faults.rateLimit), at: now };
      if (bucket.tokens < 1) {
        send(res, 429, { error: 'troppe_richieste', message: 'Troppe richieste: riprovare tra poco' }, { 'retry-after': '1' });
        return true;
      }
      bucket.tokens -= 1;
    }
    if ((faults.hangEvery > 0 && counters.requests % faults.hangEvery === 0) || (faults.hangProbability > 0 && rnd.chance(faults.hangProbability))) {
      counters.hangs++;
      hanging.add(res);
      return true; // never answered: the client's deadline must save it
    }
    if ((faults.failEvery > 0 && counters.requests % faults.failEvery === 0) || (faults.failProbability > 0 && rnd.chance(faults.failProbability))) {
      counters.failures++;
      send(res, 500, { error: 'errore_interno', message: 'Errore interno del portale di prova' });
      return true;
    }
    return false;
  }

  function inbound(url: URL, res: http.ServerResponse) {
    const after = url.searchParams.get('after');
    const limitText = url.searchParams.get('limit') ?? '100';
    if (!/^\d{1,6}$/.test(limitText) || Number(limitText) < 1) {
      send(res, 400, { error: 'limite_non_valido', message: 'limit deve essere un numero intero positivo' });
      return;
    }
    const from = after === null || after === '' ? 0 : decodeCursor(after);
    if (from === null) {
      send(res, 400, { error: 'cursore_non_valido', message: 'Cursore sconosciuto' });
      return;
    }
    const limit = Math.min(Number(limitText), maxPage);
    const start = feed.findIndex((f) => f.seq > from);
    const page = start < 0 ? [] : feed.slice(start, start + limit);
    const events = page.map((f) => f.event);
    for (const e of events) {
      const id = idOf(e);
      if (id && faults.duplicateProbability > 0 && !duplicated.has(id) && rnd.chance(faults.duplicateProbability)) {
        duplicated.add(id);
        counters.duplicatesServed++;
        append(e); // the portal will send it again later
      }
    }
    if (faults.shuffle) {
      for (let i = events.length - 1; i > 0; i--) {
        const j = Math.floor(rnd.next() * (i + 1));
        [events[i], events[j]] = [events[j], events[i]];
      }
    }
    counters.served += events.length;
    const last = page.at(-1)?.seq;
    const hasMore = last !== undefined && feed.at(-1)!.seq > last;
    send(res, 200, { events, nextCursor: last === undefined ? null : encodeCursor(last), hasMore });
    options.onServed?.(counters.served);
  }

  async function outbound(req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await jsonBody(req, res, 50_000_000);
    if (body === undefined) return;
    const parsed = outboundBatch.safeParse(body);
    if (!parsed.success) {
      // a valid envelope with single bad events: those are rejected, the others accepted
      const events = (body as { events?: unknown }).events;
      if (typeof (body as { batchId?: unknown }).batchId === 'string' && Array.isArray(events) && events.length > 0) {
        const accepted: string[] = [];
        const rejected: { id: string; reason: string }[] = [];
        const { outboundEvent } = await import('../../electron/portal/contract');
        for (const e of events) {
          const one = outboundEvent.safeParse(e);
          const id = idOf(e) ?? '?';
          if (one.success) {
            received.set(one.data.id, one.data);
            accepted.push(one.data.id);
          } else rejected.push({ id, reason: one.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300) });
        }
        counters.batches++;
        send(res, 200, { accepted, rejected });
        return;
      }
      send(res, 400, { error: 'lotto_non_valido', message: 'Il lotto non rispetta il contratto' });
      return;
    }
    counters.batches++;
    for (const e of parsed.data.events) received.set(e.id, e);
    send(res, 200, { accepted: parsed.data.events.map((e) => e.id), rejected: [] });
  }

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /_sandbox/generated':
        return send(res, 200, { events: [...generated.values()] });
      case 'GET /_sandbox/received':
        return send(res, 200, { events: [...received.values()], batches: counters.batches });
      case 'GET /_sandbox/state':
        return send(res, 200, { ...sandbox.stats(), faults });
      case 'POST /_sandbox/release':
        return send(res, 200, { released: sandbox.release() });
      case 'POST /_sandbox/faults': {
        const body = await jsonBody(req, res, 100_000);
        if (body === undefined) return;
        const f = faultsInput.safeParse(body);
        if (!f.success) return send(res, 400, { error: 'guasti_non_validi', message: f.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        sandbox.setFaults(f.data);
        return send(res, 200, { faults });
      }
      case 'POST /_sandbox/actions': {
        const body = await jsonBody(req, res, 50_000_000);
        if (body === undefined) return;
        const a = actionsInput.safeParse(body);
        if (!a.success) return send(res, 400, { error: 'azioni_non_valide', message: a.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        if ('events' in a.data) {
          sandbox.enqueue(a.data.events, { late: a.data.late });
          return send(res, 200, { enqueued: a.data.events.length });
        }
        const made = sandbox.act(a.data.count, a.data.from, { days: a.data.days, seed: a.data.seed, kinds: a.data.kinds as ActionKind[] | undefined, late: a.data.late });
        return send(res, 200, { enqueued: made.length, ids: made.map((e) => e.id) });
      }
      default:
        return send(res, 404, { error: 'sconosciuto', message: `Indirizzo sconosciuto: ${url.pathname}` });
    }
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://sandbox');
      } catch {
        return send(res, 400, { error: 'indirizzo_non_valido' });
      }
      if (url.pathname.startsWith('/_sandbox/')) return admin(req, res, url);
      if (!authorized(req)) return send(res, 401, { error: 'non_autorizzato', message: 'Credenziale mancante o errata' }, { 'www-authenticate': 'Bearer' });
      const api = `${req.method} ${url.pathname}`;
      if (api !== 'GET /inbound' && api !== 'POST /outbound') return send(res, 404, { error: 'sconosciuto', message: `Indirizzo sconosciuto: ${url.pathname}` });
      if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
      if (misbehave(res)) return;
      if (api === 'GET /inbound') return inbound(url, res);
      return outbound(req, res);
    })().catch((err: unknown) => {
      // the sandbox never falls over: a bug answers 500
      send(res, 500, { error: 'errore_interno', message: err instanceof Error ? err.message : String(err) });
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const sandbox: Sandbox = {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    families,
    enqueue,
    act(count, from, o = {}) {
      const made = generateActions(families, count, { from, days: o.days, seed: o.seed, kinds: o.kinds, idPrefix: `fam-${generated.size + 1}-` });
      enqueue(made, { late: o.late });
      return made;
    },
    release() {
      const n = held.length;
      for (const e of held.splice(0)) append(e);
      return n;
    },
    setFaults(f) {
      faults = { ...faults, ...f };
      if (f.seed !== undefined) rnd = mulberry32(f.seed);
    },
    generated: () => new Map(generated),
    received: () => new Map(received),
    stats: () => ({ ...counters, feed: feed.length, held: held.length }),
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return sandbox;
}

/** Checks an event against the contract (the sandbox's admin endpoint accepts broken ones on purpose, for the review queue). */
export function isContractEvent(e: unknown): boolean {
  return inboundEvent.safeParse(e).success;
}
