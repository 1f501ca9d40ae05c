import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type Socket } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Backend } from '../contract/backend';
import type { CallOrigin } from '../contract/procedure';
import { noticeId, type ChangeNotice } from '../contract/notices';
import { CONTENT_SECURITY_POLICY, contentTypeOf, rendererBuilt, resolveRendererPath } from '../platform/renderer-files';
import { AddressThrottle, itWait, type AddressThrottlePolicy } from './address-throttle';
import { HEALTH_PATH, healthReport } from './health';
import { declaredWorkstation, localWorkstation, networkWorkstation, WORKSTATION_HEADER, WorkstationNameError } from './workstation';

// one definition, shared with the Electron protocol (kept exported here for existing importers)
export { CONTENT_SECURITY_POLICY };

/**
 * Browser mode: a loopback-only HTTP host for the contract. It only moves a procedure name and a
 * JSON payload; all rules live behind `backend.call`.
 *
 *   GET  /                 the built renderer (index.html, assets)
 *   GET  /api              every procedure with its role and input/output JSON Schema
 *   POST /api/<procedure>  body: the input as JSON; answer: { ok, value } | { ok: false, error }
 *   GET  /api/events       change notices as Server-Sent Events (contract/notices.ts): one
 *                          `event: change` per committed change, `id: <boot>:<seq>`, a comment as
 *                          heartbeat; `Last-Event-ID` replays what a reconnecting window missed.
 *                          Needs the launch token AND a valid session; ends when the session does.
 *
 * Every /api request carries the launch token (`Authorization: Bearer <token>`), created at each
 * launch and printed in the URL `?token=…`; the renderer reads it from there. The logged-in user's
 * session travels in `X-Rette-Session`.
 *
 * Any web page open on the same computer can send requests here, so the host is defensive:
 * - Host headers other than loopback are refused (DNS rebinding); a request sent by another site
 *   (`Sec-Fetch-Site` other than same-origin, or a foreign `Origin`) is refused on /api;
 * - a malformed request (bad escapes such as `/%FF`, an absolute-form target such as
 *   `http://[`) gets 400, and nothing can throw out of the handler: the host runs in the same
 *   process as the backend (Electron's main process in the desktop app);
 * - explicit header, request (whole body) and idle timeouts, so a slowly trickled request is cut;
 * - a small body limit for every procedure, except those that declare a larger one because they
 *   receive a file (`maxInputBytes` on the procedure: imports today, certificates later);
 * - a cap on simultaneous connections.
 *
 * Server mode (issue 14, `rette serve --listen`, option `server`): the same host on the office
 * network, over HTTPS (plain HTTP only on a loopback address). There is no launch token: the
 * renderer is served to anyone, and every procedure except sign-in needs a real session. The Host
 * header must be one of the configured names or addresses (DNS rebinding), the Origin (when
 * present) the server's own; failed sign-ins are counted per address (address-throttle.ts); the
 * first administrator cannot be created over the network (only from the server itself).
 *
 *   GET  /health           no sign-in, no personal data: status, version, database, time, uptime (health.ts)
 *
 * In both modes the audit log names the workstation: the name a client declares in
 * `X-Rette-Workstation` (checked, ≤ 64 characters) plus the address the request came from.
 */
export interface HttpHostOptions {
  backend: Backend;
  port?: number;
  staticDir?: string;
  token?: string;
  /** body limit of a procedure that declares no `maxInputBytes` (default DEFAULT_MAX_BODY_BYTES) */
  maxBodyBytes?: number;
  limits?: Partial<HostLimits>;
  /** server mode on the network (issue 14); absent: loopback browser mode with a launch token */
  server?: ServerHostOptions;
}

export interface ServerHostOptions {
  /** the IP address to listen on ('0.0.0.0', '::', '192.168.1.10', '127.0.0.1') */
  address: string;
  /** the Host header values accepted: names and IP addresses, lower case, without port or brackets */
  hostNames: readonly string[];
  /** certificate and key (PEM); null: plain HTTP, refused unless `address` is loopback */
  tls: { cert: string; key: string } | null;
  /** the version /health reports (default: package.json's) */
  version?: string;
  /** failed sign-ins per address (default ADDRESS_THROTTLE_POLICY) */
  loginThrottle?: Partial<AddressThrottlePolicy>;
}

export interface HostLimits {
  /** time to receive the request line and headers */
  headersTimeoutMs: number;
  /** time to receive the whole request, body included (a trickled body is cut here) */
  requestTimeoutMs: number;
  /** an idle keep-alive connection is closed after this */
  keepAliveTimeoutMs: number;
  /** a connection with no traffic at all is closed after this */
  idleTimeoutMs: number;
  /** how often Node checks the header and request timeouts */
  checkIntervalMs: number;
  /** simultaneous connections; more are closed at once (a browser opens about six per host) */
  maxConnections: number;
  /** a comment line on every change-notice stream this often (keeps it open, finds dead sessions) */
  heartbeatMs: number;
  /** simultaneous change-notice streams (one per open tab) */
  maxEventStreams: number;
}

export const DEFAULT_LIMITS: HostLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 120_000,
  checkIntervalMs: 1_000,
  maxConnections: 32,
  heartbeatMs: 15_000,
  maxEventStreams: 16,
};

/**
 * Server mode serves a whole office (issue 14): every workstation keeps a few connections and one
 * change-notice stream per open window, so the caps are those of a small server, not of one PC.
 */
export const SERVER_LIMITS: Pick<HostLimits, 'maxConnections' | 'maxEventStreams'> = {
  maxConnections: 512,
  maxEventStreams: 256,
};

/** The change-notice stream (Server-Sent Events). */
export const EVENTS_PATH = '/api/events';

/** A procedure's JSON input is small; only file uploads declare more (see ProcedureDef.maxInputBytes). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface HttpHost {
  url: string;
  /** the URL to open: with the launch token in browser mode, the plain URL in server mode */
  openUrl: string;
  /** the launch token ('' in server mode, which has none) */
  token: string;
  /** 'locale': loopback browser mode with a launch token; 'server': the office network (issue 14) */
  mode: 'locale' | 'server';
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

const STATUS: Record<string, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL: 500,
};

/** An answer decided before the procedure runs (bad request, too large, refused…). */
class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // the body may be unread: the connection is not reused after a refusal
    readonly closeConnection = true,
  ) {
    super(message);
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function describeProcedures(backend: Backend) {
  return [...backend.procedures.values()].map((p) => ({
    name: p.name,
    title: p.title,
    role: p.role,
    kind: p.kind,
    input: z.toJSONSchema(p.input, { io: 'input', unrepresentable: 'any' }),
    output: z.toJSONSchema(p.output, { io: 'output', unrepresentable: 'any' }),
  }));
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function error(res: http.ServerResponse, status: number, code: string, message: string, closeConnection = false) {
  send(res, status, { ok: false, error: { code, message, issues: [] } }, closeConnection ? { Connection: 'close' } : {});
  // after refusing a body we will not read, the connection cannot be reused
  if (closeConnection) res.once('finish', () => res.socket?.destroy());
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The name in a Host header, without port, lower case, IPv6 without brackets ('[::1]:8443' → '::1'). */
function hostOfHeader(raw: string | undefined): string {
  const h = (raw ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  return h.replace(/:\d+$/, '');
}

/** 'https://rette-server:8443', 'https://[::1]:8443', 'https://rette-server' (default port) */
function originOf(scheme: 'http' | 'https', host: string, port: number): string {
  const h = net.isIPv6(host) ? `[${host}]` : host;
  const defaultPort = scheme === 'https' ? 443 : 80;
  return `${scheme}://${h}${port === defaultPort ? '' : `:${port}`}`;
}

/** The path of an origin-form request target (`/a/b?c`), or null for anything else (`http://[`, `*`). */
function requestPath(raw: string | undefined): string | null {
  if (!raw || raw[0] !== '/' || raw.startsWith('//')) return null;
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}

/**
 * Refuses /api requests that a browser says come from another site. Tools without these headers
 * pass (they still need the token in browser mode, a session in server mode).
 */
function checkSameOrigin(req: http.IncomingMessage, allowed: ReadonlySet<string>): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw new HttpRefusal(403, 'FORBIDDEN', 'Richiesta da un altro sito: rifiutata');
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed.has(origin.toLowerCase())) throw new HttpRefusal(403, 'FORBIDDEN', 'Richiesta da un altro sito: rifiutata');
}

/** Reads the body up to `limit` bytes; a larger one is refused without reading the rest. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpRefusal(413, 'VALIDATION', 'Richiesta troppo grande per questa operazione');
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.pause();
        finish(tooLarge());
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => finish(null));
    req.on('error', (err) => finish(err));
    req.on('close', () => finish(new HttpRefusal(400, 'VALIDATION', 'Richiesta interrotta')));
  });
}

function isJson(req: http.IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json';
}

export function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const { backend } = options;
  const serverMode = options.server ?? null;
  if (serverMode && !serverMode.tls && !isLoopbackIp(serverMode.address)) {
    return Promise.reject(new Error(`HTTP in chiaro è ammesso solo su un indirizzo di loopback, non su ${serverMode.address}: serve HTTPS`));
  }
  const scheme = serverMode?.tls ? 'https' : 'http';
  // browser mode: the launch token of this start; server mode: none (sessions only)
  const token = serverMode ? '' : (options.token ?? randomBytes(24).toString('base64url'));
  const allowedHosts: ReadonlySet<string> = serverMode ? new Set(serverMode.hostNames.map((h) => h.toLowerCase())) : new Set();
  let allowedOrigins: ReadonlySet<string> = new Set();
  const throttle = serverMode ? new AddressThrottle(serverMode.loginThrottle) : null;
  const thisComputer = localWorkstation();
  const defaultMaxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limits: HostLimits = { ...DEFAULT_LIMITS, ...(serverMode ? SERVER_LIMITS : {}), ...options.limits };
  const staticDir = options.staticDir;
  let schemaCache: unknown = null;
  let port = 0;
  let streams = 0;

  /** The Host header must name this server: loopback in browser mode, a configured name in server mode (DNS rebinding). */
  function checkHost(req: http.IncomingMessage): void {
    if (!serverMode) {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!LOOPBACK_HOSTS.has(host)) throw new HttpRefusal(421, 'FORBIDDEN', 'Accesso consentito solo da questo computer');
      return;
    }
    if (!allowedHosts.has(hostOfHeader(req.headers.host))) {
      throw new HttpRefusal(421, 'FORBIDDEN', "Nome del server non riconosciuto: usare uno dei nomi configurati (hostNames) per raggiungere Rette Mensa");
    }
  }

  /** Where the call comes from, for the audit log: the declared name (checked) and the peer address. */
  function originOfCall(req: http.IncomingMessage): CallOrigin {
    let declared: string | null;
    try {
      declared = declaredWorkstation(req.headers[WORKSTATION_HEADER]);
    } catch (err) {
      if (err instanceof WorkstationNameError) throw new HttpRefusal(400, 'VALIDATION', err.message, false);
      throw err;
    }
    // browser mode: the browser runs on this computer, which it does not name
    return { workstation: networkWorkstation(declared ?? (serverMode ? null : thisComputer), req.socket.remoteAddress) };
  }

  /** A procedure call, with the server mode's guards around sign-in. */
  async function callProcedure(req: http.IncomingMessage, name: string, input: unknown, session: string | null) {
    const origin = originOfCall(req);
    const address = req.socket.remoteAddress ?? '';
    if (serverMode && name === 'auth.setup' && !isLoopbackIp(address)) {
      throw new HttpRefusal(403, 'FORBIDDEN', "Il primo amministratore si crea sul server stesso (https://127.0.0.1:…) o con la riga di comando, non da un'altra postazione", false);
    }
    if (throttle && name === 'auth.login') {
      const wait = throttle.waitLeft(address, backend.clock.now().getTime());
      if (wait > 0) {
        throw new HttpRefusal(429, 'UNAUTHENTICATED', `Troppi tentativi di accesso errati da questa postazione: attendere ${itWait(wait)} prima di riprovare`, false);
      }
      const result = await backend.call(name, input, session, origin);
      if (result.ok) throttle.recordSuccess(address);
      else if (result.error.code === 'UNAUTHENTICATED') throttle.recordFailure(address, backend.clock.now().getTime());
      return result;
    }
    return backend.call(name, input, session, origin);
  }

  /**
   * The change-notice stream of one window (Server-Sent Events). The session is checked when the
   * stream opens and again before every notice and heartbeat, without counting as activity
   * (`sessions.peek`): an expired or closed session ends the stream with `event: session`.
   */
  function openEventStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    const raw = req.headers['x-rette-session'];
    const session = typeof raw === 'string' ? raw : null;
    if (!backend.sessions.get(session)) throw new HttpRefusal(401, 'UNAUTHENTICATED', 'Sessione scaduta o assente: accedere di nuovo', false);
    if (streams >= limits.maxEventStreams) throw new HttpRefusal(503, 'CONFLICT', 'Troppe finestre aperte in ascolto degli aggiornamenti: chiuderne qualcuna', false);
    streams++;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // a stream carries no request body and may stay open for hours: no idle cut while it lives
    req.socket.setTimeout(0);
    let ended = false;
    const alive = (): boolean => {
      if (ended) return false;
      if (backend.sessions.peek(session)) return true;
      res.write('event: session\ndata: {"code":"UNAUTHENTICATED"}\n\n');
      end();
      return false;
    };
    const write = (n: ChangeNotice) => {
      if (alive()) res.write(`id: ${noticeId(n)}\nevent: change\ndata: ${JSON.stringify(n)}\n\n`);
    };
    const heartbeat = setInterval(() => {
      if (alive()) res.write(': ping\n\n');
    }, limits.heartbeatMs);
    heartbeat.unref?.();
    const unsubscribe = backend.notices.subscribe(write);
    function end() {
      if (ended) return;
      ended = true;
      streams--;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
    }
    res.on('close', end);
    // the client's reconnection delay, then whatever it missed since the last notice it saw
    res.write(`retry: 3000\n: flusso degli avvisi di modifica (ultimo ${backend.notices.boot}:${backend.notices.lastSeq})\n\n`);
    const last = req.headers['last-event-id'];
    for (const n of backend.notices.missedSince(typeof last === 'string' ? last : null)) write(n);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    checkHost(req);
    const pathname = requestPath(req.url);
    if (pathname === null) throw new HttpRefusal(400, 'VALIDATION', 'Indirizzo della richiesta non valido');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (serverMode?.tls) res.setHeader('Strict-Transport-Security', 'max-age=31536000');

    if (pathname === HEALTH_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'VALIDATION', 'Usare GET per il controllo di salute');
      const report = healthReport(backend, serverMode?.version);
      if (req.method === 'HEAD') {
        res.writeHead(report.status, { 'Cache-Control': 'no-store' });
        res.end();
      } else send(res, report.status, report.body);
      return;
    }

    if (pathname === '/api' || pathname.startsWith('/api/')) {
      checkSameOrigin(req, allowedOrigins);
      if (!serverMode) {
        const auth = req.headers.authorization ?? '';
        if (!auth.startsWith('Bearer ') || !sameToken(auth.slice(7), token)) {
          throw new HttpRefusal(401, 'UNAUTHENTICATED', "Token di avvio mancante o errato: aprire l'indirizzo stampato all'avvio");
        }
      } else if (pathname === '/api' && !backend.sessions.peek(typeof req.headers['x-rette-session'] === 'string' ? req.headers['x-rette-session'] : null)) {
        // the list of procedures is for signed-in users (there is no launch token on the network)
        throw new HttpRefusal(401, 'UNAUTHENTICATED', 'Sessione scaduta o assente: accedere di nuovo', false);
      }
      if (pathname === '/api' && req.method === 'GET') {
        schemaCache ??= { procedures: describeProcedures(backend) };
        send(res, 200, schemaCache);
        return;
      }
      if (pathname === EVENTS_PATH && req.method === 'GET') {
        openEventStream(req, res);
        return;
      }
      if (req.method !== 'POST') throw new HttpRefusal(405, 'VALIDATION', 'Usare POST per chiamare una procedura');
      let name: string;
      try {
        name = decodeURIComponent(pathname.slice('/api/'.length));
      } catch {
        throw new HttpRefusal(400, 'VALIDATION', 'Nome della procedura non valido');
      }
      const limit = backend.procedures.get(name)?.maxInputBytes ?? defaultMaxBody;
      const body = await readBody(req, limit);
      let input: unknown = {};
      const text = body.toString('utf8');
      if (text.trim()) {
        // a JSON content type also means a browser must ask (CORS preflight) before sending it cross-site
        if (!isJson(req)) throw new HttpRefusal(415, 'VALIDATION', 'Il corpo della richiesta deve essere JSON (Content-Type: application/json)');
        try {
          input = JSON.parse(text);
        } catch {
          throw new HttpRefusal(400, 'VALIDATION', 'Il corpo della richiesta non è JSON valido');
        }
      }
      const session = req.headers['x-rette-session'];
      const result = await callProcedure(req, name, input, typeof session === 'string' ? session : null);
      send(res, result.ok ? 200 : (STATUS[result.error.code] ?? 500), result);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'VALIDATION', 'Metodo non ammesso');
    serveStatic(staticDir, pathname, req, res);
  }

  const serverOptions: http.ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
    maxHeaderSize: 16 * 1024,
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
      // nothing a request does may throw out of here: every failure becomes an answer
      handle(req, res).catch((err: unknown) => {
        if (err instanceof HttpRefusal) {
          error(res, err.status, err.code, err.message, err.closeConnection);
          return;
        }
        backend.logger.error(`Errore del trasporto HTTP su ${String(req.url).slice(0, 200)}`, err);
        if (res.headersSent) res.destroy();
        else error(res, 500, 'INTERNAL', 'Errore interno del programma', true);
      });
  };
  const server: http.Server = serverMode?.tls
    ? https.createServer({ ...serverOptions, cert: serverMode.tls.cert, key: serverMode.tls.key, minVersion: 'TLSv1.2' }, onRequest)
    : http.createServer(serverOptions, onRequest);
  server.timeout = limits.idleTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // malformed HTTP that Node's parser rejects before any handler runs: answer and close, never throw
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && !socket.destroyed) {
      const status =
        err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  // a failed TLS handshake (a scanner, a client that refuses the certificate) is not an error of ours
  server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());

  const listenAddress = serverMode?.address ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, listenAddress, () => {
      server.off('error', reject);
      server.on('error', (err) => backend.logger.error('Errore del server HTTP', err));
      port = (server.address() as { port: number }).port;
      allowedOrigins = serverMode
        ? new Set([...allowedHosts].map((h) => originOf(scheme, h, port)))
        : new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);
      // the address to print: the listening one, or this computer's name when listening on all
      const shown = !serverMode ? '127.0.0.1' : listenAddress === '0.0.0.0' || listenAddress === '::' ? ([...allowedHosts][0] ?? 'localhost') : listenAddress;
      const url = `${originOf(scheme, shown, port)}/`;
      resolve({
        url,
        openUrl: serverMode ? url : `${url}?token=${token}`,
        token,
        mode: serverMode ? 'server' : 'locale',
        port,
        server,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** 127.0.0.0/8 and ::1 (also as ::ffff:127.x.y.z). */
function isLoopbackIp(address: string): boolean {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || (net.isIPv4(a) && a.startsWith('127.'));
}

function serveStatic(dir: string | undefined, pathname: string, req: http.IncomingMessage, res: http.ServerResponse) {
  if (!rendererBuilt(dir)) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end("Interfaccia non compilata: eseguire 'npm run build' e riavviare");
    return;
  }
  const found = resolveRendererPath(dir, pathname);
  if (found.status !== 200) {
    res.writeHead(found.status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`Risorsa non disponibile: ${found.reason}`);
    return;
  }
  const type = contentTypeOf(found.file);
  const isHtml = type.startsWith('text/html');
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Cache-Control': isHtml ? 'no-store' : 'public, max-age=3600',
  };
  if (isHtml) {
    headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    headers['X-Frame-Options'] = 'DENY';
  }
  if (req.method === 'HEAD') {
    res.writeHead(200, headers);
    res.end();
    return;
  }
  const stream = fs.createReadStream(found.file);
  stream.once('open', () => {
    res.writeHead(200, headers);
    stream.pipe(res);
  });
  stream.once('error', () => {
    if (res.headersSent) res.destroy();
    else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Risorsa non disponibile: file non leggibile');
    }
  });
}
