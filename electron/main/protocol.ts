import fs from 'node:fs';
import type { ElectronApi } from './electron-api';
// the resolver, MIME table and CSP shared with the browser-mode host (no server code imported here)
import { CONTENT_SECURITY_POLICY, contentTypeOf, resolveRendererPath, type RendererFile } from '../platform/renderer-files';

export type { RendererFile };

/**
 * The renderer is served from `app://rette/…` rather than `file://`: a standard, secure scheme gives
 * the page a real origin (so the CSP's 'self' and the IPC sender check mean something) and confines
 * what it can load to the built renderer folder.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'rette';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

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

/**
 * Maps an `app://rette/<path>` URL to a file inside `root` (see resolveRendererPath): anything that
 * would resolve outside it, or a malformed URL or escape, is refused with a status, never thrown.
 */
export function resolveRendererFile(root: string, requestUrl: string): RendererFile {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400, reason: 'indirizzo non valido' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 404, reason: 'origine sconosciuta' };
  return resolveRendererPath(root, url.pathname);
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
  const plain = (status: number, text: string) =>
    new Response(text, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
  // nothing a page asks for may throw out of the handler (it runs in the main process)
  return async (request) => {
    try {
      return await answer(request);
    } catch {
      return plain(500, 'Risorsa non disponibile');
    }
  };
  async function answer(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Metodo non ammesso');
    const found = resolveRendererFile(root, request.url);
    if (found.status !== 200) return plain(found.status, `Risorsa non disponibile: ${found.reason}`);
    let body: Buffer;
    try {
      body = await fs.promises.readFile(found.file);
    } catch {
      return plain(404, 'Risorsa non disponibile: file non leggibile');
    }
    const headers = { ...securityHeaders(), 'Content-Type': contentTypeOf(found.file) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  }
}

/** Serves the renderer on `app://rette` (after the app is ready; once per process). */
export function serveRenderer(protocol: ElectronApi['protocol'], root: string): void {
  if (protocol.isProtocolHandled(APP_SCHEME)) return;
  protocol.handle(APP_SCHEME, createRendererHandler(root));
}
