import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Backend } from '../contract/backend';

/**
 * Browser mode: a loopback-only HTTP host for the contract. It only moves a procedure name and a
 * JSON payload; all rules live behind `backend.call`.
 *
 *   GET  /                 the built renderer (index.html, assets)
 *   GET  /api              every procedure with its role and input/output JSON Schema
 *   POST /api/<procedure>  body: the input as JSON; answer: { ok, value } | { ok: false, error }
 *
 * Every /api request carries the launch token (`Authorization: Bearer <token>`), created at each
 * launch and printed in the URL `?token=…`; the renderer reads it from there. The logged-in user's
 * session travels in `X-Rette-Session`. Host headers other than loopback are refused (DNS rebinding).
 */
export interface HttpHostOptions {
  backend: Backend;
  port?: number;
  staticDir?: string;
  token?: string;
  maxBodyBytes?: number;
}

export interface HttpHost {
  url: string;
  /** the URL to open, with the launch token */
  openUrl: string;
  token: string;
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

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

/** The same CSP the Electron window uses: nothing but our own origin. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

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
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function error(res: http.ServerResponse, status: number, code: string, message: string) {
  send(res, status, { ok: false, error: { code, message, issues: [] } });
}

export function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const { backend } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const staticDir = options.staticDir;
  let schemaCache: unknown = null;

  const server = http.createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
      error(res, 421, 'FORBIDDEN', 'Accesso consentito solo da questo computer');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');

    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !sameToken(auth.slice(7), token)) {
        error(res, 401, 'UNAUTHENTICATED', 'Token di avvio mancante o errato: aprire l\'indirizzo stampato all\'avvio');
        return;
      }
      if (url.pathname === '/api' && req.method === 'GET') {
        schemaCache ??= { procedures: describeProcedures(backend) };
        send(res, 200, schemaCache);
        return;
      }
      if (req.method !== 'POST') {
        error(res, 405, 'VALIDATION', 'Usare POST per chiamare una procedura');
        return;
      }
      const name = decodeURIComponent(url.pathname.slice('/api/'.length));
      const chunks: Buffer[] = [];
      let size = 0;
      let aborted = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBody && !aborted) {
          aborted = true;
          error(res, 413, 'VALIDATION', 'Richiesta troppo grande');
          req.destroy();
          return;
        }
        if (!aborted) chunks.push(c);
      });
      req.on('end', () => {
        if (aborted) return;
        let input: unknown = {};
        const text = Buffer.concat(chunks).toString('utf8');
        if (text.trim()) {
          try {
            input = JSON.parse(text);
          } catch {
            error(res, 400, 'VALIDATION', 'Il corpo della richiesta non è JSON valido');
            return;
          }
        }
        const session = req.headers['x-rette-session'];
        backend
          .call(name, input, typeof session === 'string' ? session : null)
          .then((result) => send(res, result.ok ? 200 : (STATUS[result.error.code] ?? 500), result))
          .catch((err) => {
            backend.logger.error(`Errore del trasporto HTTP su ${name}`, err);
            error(res, 500, 'INTERNAL', 'Errore interno del programma');
          });
      });
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      error(res, 405, 'VALIDATION', 'Metodo non ammesso');
      return;
    }
    serveStatic(staticDir, url.pathname, res);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      const url = `http://127.0.0.1:${port}/`;
      resolve({
        url,
        openUrl: `${url}?token=${token}`,
        token,
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

function serveStatic(dir: string | undefined, pathname: string, res: http.ServerResponse) {
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end("Interfaccia non compilata: eseguire 'npm run build' e riavviare");
    return;
  }
  const root = path.resolve(dir);
  let file = path.resolve(root, `.${decodeURIComponent(pathname)}`);
  if (!file.startsWith(root + path.sep) && file !== root) {
    res.writeHead(403).end();
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html'); // single-page app
  const ext = path.extname(file);
  const headers: Record<string, string> = {
    'Content-Type': MIME[ext] ?? 'application/octet-stream',
    'Cache-Control': ext === '.html' ? 'no-store' : 'public, max-age=3600',
  };
  if (ext === '.html') {
    headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    headers['X-Frame-Options'] = 'DENY';
  }
  res.writeHead(200, headers);
  fs.createReadStream(file).pipe(res);
}
