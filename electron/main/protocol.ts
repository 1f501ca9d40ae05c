import fs from 'node:fs';
import path from 'node:path';
import type { ElectronApi } from './electron-api';
import { CONTENT_SECURITY_POLICY } from '../host/http-host';

/**
 * The renderer is served from `app://rette/…` rather than `file://`: a standard, secure scheme gives
 * the page a real origin (so the CSP's 'self' and the IPC sender check mean something) and confines
 * what it can load to the built renderer folder.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'rette';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Must run before the app is ready: Chromium fixes the scheme list at start-up. */
export function registerAppScheme(protocol: ElectronApi['protocol']): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true },
    },
  ]);
}

/** True only for URLs of our own origin `app://rette`. */
export function isAppUrl(raw: string | null | undefined): boolean {
  if (typeof raw !== 'string' || raw === '') return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

export type RendererFile = { status: 200; file: string } | { status: 400 | 403 | 404; reason: string };

/**
 * Maps an `app://rette/<path>` URL to a file inside `root`, refusing anything that would resolve
 * outside it (`..`, encoded separators, absolute paths, NUL bytes). Paths without an extension that
 * match no file get index.html (the renderer is a single-page app).
 */
export function resolveRendererFile(root: string, requestUrl: string): RendererFile {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400, reason: 'indirizzo non valido' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 404, reason: 'origine sconosciuta' };
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return { status: 400, reason: 'percorso non valido' };
  }
  if (relative.includes('\0')) return { status: 400, reason: 'percorso non valido' };
  const base = path.resolve(root);
  const file = path.resolve(base, `.${path.sep}${relative.replace(/^[/\\]+/, '')}`);
  const inside = path.relative(base, file);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return { status: 403, reason: 'percorso fuori dalla cartella' };

  const isFile = (p: string) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (isFile(file)) return { status: 200, file };
  if (inside === '' || path.extname(file) === '') {
    const index = path.join(base, 'index.html');
    if (isFile(index)) return { status: 200, file: index };
  }
  return { status: 404, reason: 'file non trovato' };
}

/** Headers every app:// answer carries. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

/** The `app://` handler: GET/HEAD of files from the built renderer folder, nothing else. */
export function createRendererHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const plain = (status: number, text: string) =>
      new Response(text, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Metodo non ammesso');
    const found = resolveRendererFile(root, request.url);
    if (found.status !== 200) return plain(found.status, `Risorsa non disponibile: ${found.reason}`);
    let body: Buffer;
    try {
      body = await fs.promises.readFile(found.file);
    } catch {
      return plain(404, 'Risorsa non disponibile: file non leggibile');
    }
    const headers = {
      ...securityHeaders(),
      'Content-Type': MIME[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream',
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** Serves the renderer on `app://rette` (after the app is ready; once per process). */
export function serveRenderer(protocol: ElectronApi['protocol'], root: string): void {
  if (protocol.isProtocolHandled(APP_SCHEME)) return;
  protocol.handle(APP_SCHEME, createRendererHandler(root));
}
