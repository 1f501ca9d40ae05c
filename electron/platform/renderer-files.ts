import fs from 'node:fs';
import path from 'node:path';

/**
 * The built renderer served as files: one resolver, one MIME table and one CSP shared by the
 * Electron `app://` protocol (electron/main/protocol.ts) and the browser-mode HTTP host
 * (electron/host/http-host.ts). Plain node:fs and node:path only, so the Electron side imports no
 * server code and the host no Electron.
 */

/**
 * Nothing but our own origin (the Electron window and browser mode use the same policy). `blob:`
 * frames and images: the certificate viewer shows a PDF or an image the backend sent, from a blob
 * URL made in the page (never a remote address).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-src 'self' blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const MIME: Readonly<Record<string, string>> = {
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

/** The Content-Type of a renderer file, by extension; unknown ones are opaque bytes (with nosniff). */
export function contentTypeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type RendererFile = { status: 200; file: string } | { status: 400 | 403 | 404; reason: string };

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Maps the percent-encoded path of a request (`/assets/app.js`) to a file inside `root`, refusing
 * anything that would resolve outside it (`..`, encoded separators, absolute paths, NUL bytes) and
 * malformed escapes (`%FF`, `%E0%A4%A`) with a 400 instead of an exception. Paths without an
 * extension that match no file get index.html (the renderer is a single-page app); a missing asset
 * is a 404.
 */
export function resolveRendererPath(root: string, encodedPathname: string): RendererFile {
  let relative: string;
  try {
    relative = decodeURIComponent(encodedPathname);
  } catch {
    return { status: 400, reason: 'percorso non valido' };
  }
  if (relative.includes('\0')) return { status: 400, reason: 'percorso non valido' };
  const base = path.resolve(root);
  const file = path.resolve(base, `.${path.sep}${relative.replace(/^[/\\]+/, '')}`);
  const inside = path.relative(base, file);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return { status: 403, reason: 'percorso fuori dalla cartella' };
  if (isFile(file)) return { status: 200, file };
  if (inside === '' || path.extname(file) === '') {
    const index = path.join(base, 'index.html');
    if (isFile(index)) return { status: 200, file: index };
  }
  return { status: 404, reason: 'file non trovato' };
}

/** True when the renderer has been built into `root` (index.html present). */
export function rendererBuilt(root: string | undefined): root is string {
  return !!root && isFile(path.join(root, 'index.html'));
}
