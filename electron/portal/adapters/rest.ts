import { inboundBatch, outboundAck, portalError, type OutboundAck, type OutboundBatch } from '../contract';
import { PortalTransportError, type InboundPage, type PortalAdapter } from './adapter';
import { redactSecret, type SecretStore } from './credentials';

/**
 * The REST adapter: a client for a portal that offers the HTTP API of the contract
 * (GET /inbound?after=&limit=, POST /outbound), with Node's own fetch.
 *
 * - TLS is verified by Node's default agent: this module never passes a dispatcher, an agent or
 *   `rejectUnauthorized`, and plain http is accepted only for this computer (the portal sandbox);
 * - every request has a deadline (AbortSignal.timeout): a portal that never answers costs one
 *   timeout, then the runner's backoff;
 * - the credential is read from the SecretStore for each request and sent only in the
 *   Authorization header; no message this module produces contains it (redactSecret).
 */
export interface RestAdapterOptions {
  baseUrl: string;
  secrets: SecretStore;
  /** deadline of one request (default 20 s) */
  timeoutMs?: number;
  /** for tests: another fetch (the default is the global one) */
  fetch?: typeof fetch;
  /** the largest answer read (default MAX_PORTAL_ANSWER_BYTES) */
  maxAnswerBytes?: number;
}

/** http is allowed only towards this computer; anything else must be https. */
export function checkPortalUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "L'indirizzo del portale non è valido (es. https://portale.example.it/api)";
  }
  if (u.username || u.password) return "L'indirizzo del portale non deve contenere nome utente o password: la credenziale si inserisce a parte";
  if (u.search || u.hash) return "L'indirizzo del portale non deve contenere parametri (?…) né ancore (#…)";
  if (u.protocol === 'https:') return null;
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol === 'http:' && loopback) return null;
  return 'Il portale deve usare https (http è ammesso solo verso questo computer, per il portale di prova)';
}

const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * The largest answer read from the portal. The sync runs in the desktop's main process: a portal
 * that sends without end must not fill its memory. A page of events with diet certificates stays
 * well below this; a larger one asks for fewer events per page.
 */
export const MAX_PORTAL_ANSWER_BYTES = 100 * 1024 * 1024;

class AnswerTooLarge extends Error {}

/** The body as text, refused past `max` bytes (declared or received), without reading the rest. */
async function boundedText(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new AnswerTooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function retryAfter(res: Response): number | null {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  const seconds = Number(h);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(h);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - Date.now()), MAX_RETRY_AFTER_MS);
}

export function restAdapter(options: RestAdapterOptions): PortalAdapter {
  const problem = checkPortalUrl(options.baseUrl);
  if (problem) throw new PortalTransportError(problem, false);
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const doFetch = options.fetch ?? fetch;

  async function request(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<unknown> {
    const secret = options.secrets.get();
    if (!secret) throw new PortalTransportError('Manca la credenziale del portale: inserirla nelle impostazioni della sincronizzazione', false);
    let res: Response;
    try {
      res = await doFetch(`${base}${pathAndQuery}`, {
        method,
        headers: {
          authorization: `Bearer ${secret}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new PortalTransportError(`Il portale non ha risposto entro ${Math.round(timeoutMs / 1000)} secondi`, true);
      }
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
      throw new PortalTransportError(redactSecret(`Portale non raggiungibile (${detail})`, secret), true);
    }
    let text: string;
    try {
      text = await boundedText(res, options.maxAnswerBytes ?? MAX_PORTAL_ANSWER_BYTES);
    } catch (err) {
      if (err instanceof AnswerTooLarge) {
        const mb = Math.round((options.maxAnswerBytes ?? MAX_PORTAL_ANSWER_BYTES) / (1024 * 1024));
        throw new PortalTransportError(`La risposta del portale supera ${mb} MB: non è stata letta (ridurre gli eventi per pagina nelle impostazioni)`, false, res.status);
      }
      throw new PortalTransportError('La risposta del portale si è interrotta', true, res.status);
    }
    if (!res.ok) {
      let said = '';
      try {
        const e = portalError.safeParse(JSON.parse(text));
        if (e.success) said = `: ${e.data.message ?? e.data.error}`.slice(0, 300);
      } catch {
        // not JSON: the status says enough
      }
      said = redactSecret(said, secret);
      if (res.status === 401 || res.status === 403) {
        throw new PortalTransportError(`Il portale ha rifiutato la credenziale (HTTP ${res.status})${said}`, false, res.status);
      }
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      throw new PortalTransportError(`Il portale ha risposto HTTP ${res.status}${said}`, retryable, res.status, retryAfter(res));
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new PortalTransportError('Il portale ha risposto con dati non leggibili (non JSON)', true, res.status);
    }
  }

  return {
    kind: 'rest',
    async fetchInbound(cursor, limit): Promise<InboundPage> {
      const q = new URLSearchParams({ limit: String(limit) });
      if (cursor) q.set('after', cursor);
      const parsed = inboundBatch.safeParse(await request('GET', `/inbound?${q.toString()}`));
      if (!parsed.success) {
        // the envelope is broken: the page is refused whole and asked again at the next run
        throw new PortalTransportError('Il portale ha inviato un lotto che non rispetta il contratto (busta non valida)', false);
      }
      const { events, nextCursor, hasMore } = parsed.data;
      if (hasMore && (nextCursor === null || nextCursor === cursor)) {
        throw new PortalTransportError('Il portale dice che ci sono altri eventi ma non fa avanzare il cursore', false);
      }
      return { events, nextCursor, hasMore, label: `dopo ${cursor ?? 'inizio'}` };
    },
    async publish(batch: OutboundBatch): Promise<OutboundAck> {
      const parsed = outboundAck.safeParse(await request('POST', '/outbound', batch));
      if (!parsed.success) throw new PortalTransportError('Il portale ha risposto alla pubblicazione con una conferma non valida', false);
      return parsed.data;
    },
  };
}
