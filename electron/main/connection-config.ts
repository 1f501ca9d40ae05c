import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the desktop app works: "Solo questo computer" (the embedded database, as always) or
 * "Collegati al server dell'ufficio" (the window loads the office server's https address, no local
 * database, no scheduled work). The choice lives in `connection.json` in Electron's userData folder
 * (owner-only, 0600); it is asked on the first start and changed later only by an administrator.
 *
 * The server's certificate is trusted on first use: the app reads the server's SHA-256 certificate
 * fingerprint, shows it, and the person setting up the desktop compares it with the one the server
 * printed at setup. The fingerprint confirmed is pinned here; a server presenting another
 * certificate is refused with a warning page, never re-pinned silently.
 *
 * Everything here is pure or plain file I/O: no `electron` import, so vitest loads it as is.
 */
export const CONNECTION_FILE = 'connection.json';

/** The port `rette serve --listen` uses when the address names none. */
export const DEFAULT_SERVER_PORT = 8443;

export interface ServerAddress {
  /** a host name, an IPv4 address or an IPv6 address without brackets */
  host: string;
  port: number;
}

export type ConnectionChoice =
  | { mode: 'locale'; chosenAt: string }
  | {
      mode: 'server';
      host: string;
      port: number;
      /** SHA-256 of the server certificate (DER), upper-case hex pairs joined by ':' (as `openssl x509 -fingerprint -sha256` and the server print it) */
      fingerprint: string;
      chosenAt: string;
    };

export class ConnectionConfigError extends Error {}

const HEX_FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * Reads "server:porta" as typed by a person: `server-ufficio`, `192.168.1.20:8443`,
 * `https://server-ufficio:8443/`, `[fd00::20]:8443`. Throws ConnectionConfigError (Italian).
 */
export function parseServerAddress(raw: string, defaultPort = DEFAULT_SERVER_PORT): ServerAddress {
  let text = raw.trim();
  if (text === '') throw new ConnectionConfigError("Scrivere l'indirizzo del server dell'ufficio, per esempio 192.168.1.20:8443");
  if (/^http:\/\//i.test(text)) throw new ConnectionConfigError('Il server dell’ufficio si raggiunge solo in https: togliere «http://»');
  text = text.replace(/^https:\/\//i, '').replace(/\/+$/, '');
  if (text.includes('/') || text.includes('@') || /\s/.test(text)) {
    throw new ConnectionConfigError('Indirizzo non valido: scrivere solo nome o indirizzo IP del server e la porta (es. 192.168.1.20:8443)');
  }
  let host: string;
  let portText: string | null = null;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2] ?? null;
    if (!IPV6.test(host) || !host.includes(':')) throw new ConnectionConfigError('Indirizzo IPv6 non valido');
  } else {
    const colons = text.split(':').length - 1;
    if (colons > 1) throw new ConnectionConfigError('Un indirizzo IPv6 va scritto tra parentesi quadre, es. [fd00::20]:8443');
    [host, portText = null] = colons === 1 ? (text.split(':') as [string, string]) : [text, null];
    if (!IPV4.test(host) && !(HOST_NAME.test(host) && !/^[\d.]+$/.test(host))) {
      throw new ConnectionConfigError(`Nome del server non valido: «${host}»`);
    }
    host = host.toLowerCase();
  }
  let port = defaultPort;
  if (portText !== null) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new ConnectionConfigError('La porta è un numero da 1 a 65535');
    }
    port = Number(portText);
  }
  return { host, port };
}

/** `host:port` as written back to a person (IPv6 in brackets). */
export function formatServerAddress(address: ServerAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

/** The origin the client window loads: `https://host:port`. */
export function serverOrigin(address: ServerAddress): string {
  return `https://${formatServerAddress(address)}`;
}

function hexPairs(bytes: Buffer): string {
  return [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/**
 * Any spelling of a SHA-256 certificate fingerprint as the canonical upper-case `AB:CD:…` form, or
 * null when it is not one:
 * - Electron's `certificate.fingerprint`: `sha256/<base64 of the 32 bytes>`;
 * - Node's `fingerprint256` / openssl: `ab:cd:…` (any case), also with spaces or without separators;
 * - openssl's `SHA256 Fingerprint=AB:CD:…` line.
 */
export function normalizeFingerprint(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  const electron = /^sha256\/([A-Za-z0-9+/]{43}=)$/.exec(text);
  if (electron) {
    const bytes = Buffer.from(electron[1], 'base64');
    return bytes.length === 32 ? hexPairs(bytes) : null;
  }
  const hex = text.replace(/^sha-?256\s*fingerprint\s*=\s*/i, '').replace(/[:\s-]/g, '');
  if (!/^[0-9A-Fa-f]{64}$/.test(hex)) return null;
  return hexPairs(Buffer.from(hex, 'hex'));
}

/** Electron's `sha256/<base64>` fingerprint as `AB:CD:…` (null if it is not a SHA-256 one). */
export function electronFingerprintToHex(fingerprint: string): string | null {
  return /^sha256\//.test(fingerprint) ? normalizeFingerprint(fingerprint) : null;
}

/** SHA-256 of a PEM certificate (what Electron also hands over, as `certificate.data`). */
export function pemFingerprint(pem: string): string | null {
  try {
    return new X509Certificate(pem).fingerprint256.toUpperCase();
  } catch {
    return null;
  }
}

/** SHA-256 of a DER certificate (node:tls `getPeerCertificate().raw`). */
export function derFingerprint(der: Buffer): string {
  return hexPairs(createHash('sha256').update(der).digest());
}

/** Checks a parsed connection.json; null when it is not a valid choice. */
export function validConnection(value: unknown): ConnectionChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const chosenAt = typeof v.chosenAt === 'string' ? v.chosenAt : '';
  if (v.mode === 'locale') return { mode: 'locale', chosenAt };
  if (v.mode !== 'server') return null;
  if (typeof v.host !== 'string' || typeof v.port !== 'number' || typeof v.fingerprint !== 'string') return null;
  let address: ServerAddress;
  try {
    address = parseServerAddress(formatServerAddress({ host: v.host, port: v.port }));
  } catch {
    return null;
  }
  if (address.port !== v.port || !HEX_FINGERPRINT.test(v.fingerprint)) return null;
  return { mode: 'server', host: address.host, port: address.port, fingerprint: v.fingerprint, chosenAt };
}

export function connectionFile(userData: string): string {
  return path.join(userData, CONNECTION_FILE);
}

export type StoredConnection =
  | { state: 'scelta'; choice: ConnectionChoice }
  /** first start: nothing chosen yet */
  | { state: 'da-scegliere' }
  /** the file is there but unreadable or altered: asked again (and said why) rather than guessed */
  | { state: 'non-valida'; reason: string };

export function readConnection(userData: string): StoredConnection {
  const file = connectionFile(userData);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'da-scegliere' };
    return { state: 'non-valida', reason: `il file ${file} non si legge (${(err as Error).message})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { state: 'non-valida', reason: `il file ${file} non è JSON valido` };
  }
  const choice = validConnection(parsed);
  return choice ? { state: 'scelta', choice } : { state: 'non-valida', reason: `il file ${file} contiene una scelta non valida` };
}

/** Writes the choice atomically (temp file + rename), readable and writable only by its owner. */
export function writeConnection(userData: string, choice: ConnectionChoice): void {
  if (!validConnection(choice)) throw new ConnectionConfigError('Scelta della connessione non valida');
  fs.mkdirSync(userData, { recursive: true });
  const file = connectionFile(userData);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(choice, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** What `setCertificateVerifyProc` answers: 0 accepts, -2 refuses, -3 leaves it to Chromium. */
export const VERIFY_ACCEPT = 0;
export const VERIFY_REFUSE = -2;
export const VERIFY_CHROMIUM = -3;

export interface VerifyRequest {
  hostname: string;
  certificate: { fingerprint?: string; data?: string };
}

export type CertificateDecision =
  | { result: typeof VERIFY_ACCEPT; reason: 'certificato-fissato' }
  | { result: typeof VERIFY_REFUSE; reason: 'certificato-cambiato'; presented: string | null }
  | { result: typeof VERIFY_CHROMIUM; reason: 'altro-host' };

/** The fingerprint of the certificate Electron shows the verify proc, from its PEM data or its `sha256/…` fingerprint. */
export function presentedFingerprint(certificate: VerifyRequest['certificate']): string | null {
  return (certificate.data ? pemFingerprint(certificate.data) : null) ?? (certificate.fingerprint ? electronFingerprintToHex(certificate.fingerprint) : null);
}

/**
 * The pinned server's host is accepted only with the pinned certificate (self-signed or not: the pin
 * is the trust); with any other certificate it is refused. Other hosts (none are loaded by the
 * window: navigation away is blocked) keep Chromium's own verification.
 */
export function certificateDecision(pinned: { host: string; fingerprint: string }, request: VerifyRequest): CertificateDecision {
  const host = request.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host !== pinned.host.toLowerCase()) return { result: VERIFY_CHROMIUM, reason: 'altro-host' };
  const presented = presentedFingerprint(request.certificate);
  if (presented !== null && presented === normalizeFingerprint(pinned.fingerprint)) return { result: VERIFY_ACCEPT, reason: 'certificato-fissato' };
  return { result: VERIFY_REFUSE, reason: 'certificato-cambiato', presented };
}

/** Groups a fingerprint for reading aloud and comparing: `AB:CD:EF:01 23:45:…` (8 bytes per group). */
export function readableFingerprint(fingerprint: string): string {
  const pairs = (normalizeFingerprint(fingerprint) ?? fingerprint).split(':');
  const groups: string[] = [];
  for (let i = 0; i < pairs.length; i += 8) groups.push(pairs.slice(i, i + 8).join(':'));
  return groups.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, body: string): string {
  const html =
    `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">' +
    '<style>body{font-family:system-ui,sans-serif;max-width:720px;margin:48px auto;padding:0 24px;color:#1a1b1e;line-height:1.5}' +
    'h1{font-size:22px}pre{background:#f1f3f5;padding:12px;border-radius:4px;white-space:pre-wrap}.avviso{border-left:4px solid #e03131;padding-left:16px}</style>' +
    `</head><body>${body}</body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/** The page shown when the server presents a certificate other than the pinned one. No connection is made. */
export function certificateChangedPage(info: { address: string; pinned: string; presented: string | null }): string {
  return page(
    'Certificato del server cambiato',
    '<div class="avviso"><h1>Attenzione: il certificato del server dell’ufficio è cambiato</h1>' +
      `<p>Il server <b>${escapeHtml(info.address)}</b> ha presentato un certificato diverso da quello confermato ` +
      'quando questo computer è stato collegato. Rette Mensa <b>non si è collegato</b> e non ha inviato nessun dato.</p></div>' +
      `<p>Impronta confermata:</p><pre>${escapeHtml(readableFingerprint(info.pinned))}</pre>` +
      `<p>Impronta presentata adesso:</p><pre>${escapeHtml(info.presented ? readableFingerprint(info.presented) : 'non leggibile')}</pre>` +
      '<p>Se il certificato del server è stato rinnovato di proposito, un amministratore può ricollegare questo computer dal menu ' +
      '<b>File › Connessione al server dell’ufficio…</b> confrontando la nuova impronta con quella stampata dal server. ' +
      'Altrimenti qualcuno potrebbe fingersi il server: avvisare subito il responsabile informatico.</p>',
  );
}

/** The page shown while the server cannot be reached; main tries again every `retrySeconds`. */
export function serverUnreachablePage(info: { address: string; reason: string; retrySeconds: number }): string {
  return page(
    'Server non raggiungibile',
    `<h1>Server non raggiungibile: nuovo tentativo tra ${info.retrySeconds} s</h1>` +
      `<p>Rette Mensa non riesce a collegarsi al server dell’ufficio <b>${escapeHtml(info.address)}</b> (${escapeHtml(info.reason)}).</p>` +
      '<p>Verificare che il computer del server sia acceso e che questo computer sia collegato alla rete dell’ufficio. ' +
      'La finestra riprova da sola.</p>',
  );
}
