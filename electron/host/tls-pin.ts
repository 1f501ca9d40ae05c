import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

/**
 * Certificate pinning for the clients of an office server (issue 14): trust on first use. The
 * server's certificate is usually self-signed (generated at setup), so no authority vouches for it;
 * the client shows the fingerprint, the user compares it with the one the server printed, and from
 * then on only a server presenting exactly that certificate is spoken to.
 *
 * Pure Node (no Electron): the desktop client uses `sameFingerprint`/`normalizeFingerprint` in
 * Electron's setCertificateVerifyProc, the load test and the command line use `pinnedAgent` and
 * `pinnedRequest`.
 */

/** The SHA-256 fingerprint of a certificate as Node and browsers print it: 'AA:BB:…' (32 pairs). */
export type Fingerprint = string;

const COLON_FORM = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

export class FingerprintError extends Error {}

/** 'AA:BB:…' from the DER bytes of a certificate's SHA-256 digest. */
export function formatFingerprint(digest: Buffer): Fingerprint {
  if (digest.length !== 32) throw new FingerprintError('Impronta SHA-256 non valida: servono 32 byte');
  return [...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/**
 * Any usual spelling of a SHA-256 fingerprint, as 'AA:BB:…': with or without colons or spaces,
 * upper or lower case, or Electron's 'sha256/<base64>'. Throws (Italian message) otherwise.
 */
export function normalizeFingerprint(text: string): Fingerprint {
  const raw = text.trim();
  if (raw.toLowerCase().startsWith('sha256/')) {
    const bytes = Buffer.from(raw.slice('sha256/'.length), 'base64');
    if (bytes.length === 32) return formatFingerprint(bytes);
    throw new FingerprintError('Impronta del certificato non valida');
  }
  const hex = raw.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new FingerprintError("Impronta del certificato non valida: servono 64 cifre esadecimali (es. 'AB:12:…', 32 coppie)");
  }
  const out = hex.match(/../g)!.join(':');
  if (!COLON_FORM.test(out)) throw new FingerprintError('Impronta del certificato non valida');
  return out;
}

/** True when the two spellings name the same fingerprint (a malformed one never matches). */
export function sameFingerprint(a: string, b: string): boolean {
  try {
    return normalizeFingerprint(a) === normalizeFingerprint(b);
  } catch {
    return false;
  }
}

/** The fingerprint of a PEM certificate (the first one, when the file holds a chain). */
export function fingerprintOfPem(pem: string | Buffer): Fingerprint {
  return normalizeFingerprint(new X509Certificate(pem).fingerprint256);
}

function endpoint(url: string | URL): { host: string; port: number; servername?: string } {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'https:') throw new FingerprintError("L'indirizzo del server deve iniziare con https://");
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  // SNI carries host names only, never an IP address (RFC 6066)
  return { host, port: u.port ? Number(u.port) : 443, servername: net.isIP(host) ? undefined : host };
}

/**
 * Connects with TLS and returns the certificate the server presents, WITHOUT trusting it: nothing
 * is sent on the connection, it is closed as soon as the handshake ends. For the first connection
 * (show the fingerprint to the user) and to tell "the certificate changed" from "unreachable".
 */
export function fetchServerFingerprint(url: string | URL, options: { timeoutMs?: number } = {}): Promise<Fingerprint> {
  const { host, port, servername } = endpoint(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new FingerprintError(`Il server ${host}:${port} non risponde (nessuna risposta in ${Math.round(timeoutMs / 1000)} secondi)`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert?.fingerprint256) reject(new FingerprintError('Il server non ha presentato un certificato'));
      else resolve(normalizeFingerprint(cert.fingerprint256));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new FingerprintError(`Connessione a ${host}:${port} non riuscita: ${err.code ?? err.message}`));
    });
  });
}

/** The refusal of a server whose certificate is not the pinned one. */
export class CertificateMismatchError extends Error {
  readonly code = 'RETTE_CERT_MISMATCH';
  constructor(
    readonly expected: Fingerprint,
    readonly actual: Fingerprint | null,
  ) {
    super(
      actual
        ? `Il certificato del server è cambiato: impronta attesa ${expected}, ricevuta ${actual}. Connessione interrotta: verificare con l'amministratore prima di fidarsi del nuovo certificato.`
        : 'Il server non ha presentato un certificato: connessione interrotta',
    );
  }
}

/**
 * An https.Agent that speaks only to a server presenting the certificate with `fingerprint`. The
 * certificate chain and name are not checked (a self-signed certificate has no authority; the pin
 * is stronger than both), and the socket is handed to the request only AFTER the fingerprint has
 * been compared: not a byte of the request (password, session) reaches another server.
 */
export function pinnedAgent(fingerprint: string, options: https.AgentOptions = {}): https.Agent {
  const expected = normalizeFingerprint(fingerprint);
  class PinnedAgent extends https.Agent {
    // Node's Agent accepts the socket through the callback (documented form of createConnection)
    override createConnection(opts: https.RequestOptions, done?: (err: Error | null, stream: Duplex) => void): undefined {
      const callback = (err: Error | null, stream?: Duplex) => done?.(err, stream as Duplex);
      const socket = tls.connect({ ...(opts as tls.ConnectionOptions), rejectUnauthorized: false });
      const onError = (err: Error) => callback(err);
      socket.once('error', onError);
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        const actual = cert?.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : null;
        if (actual !== expected) {
          socket.off('error', onError);
          socket.on('error', () => {});
          socket.destroy();
          callback(new CertificateMismatchError(expected, actual));
          return;
        }
        socket.off('error', onError);
        callback(null, socket);
      });
      return undefined;
    }
  }
  // no TLS session resumption: every connection shows its certificate again
  return new PinnedAgent({ keepAlive: true, maxCachedSessions: 0, ...options });
}

export interface PinnedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request through a pinned agent (tests, load test, scripts): the whole answer as text. */
export function pinnedRequest(
  url: string | URL,
  init: { fingerprint?: string; agent?: https.Agent; method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number },
): Promise<PinnedResponse> {
  const agent = init.agent ?? pinnedAgent(init.fingerprint ?? '');
  const own = !init.agent;
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, agent, timeout: init.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (own) agent.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('Il server non ha risposto in tempo')));
    req.on('error', (err) => {
      if (own) agent.destroy();
      reject(err);
    });
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}
