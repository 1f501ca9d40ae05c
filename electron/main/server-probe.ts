import os from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import { derFingerprint, formatServerAddress, serverOrigin, type ServerAddress } from './connection-config';
import { CertificateMismatchError, pinnedRequest } from '../host/tls-pin';
import { workstationName } from './client-mode';
import { WORKSTATION_HEADER } from '../host/workstation';

/**
 * The desktop's own TLS look-ups of the office server, made from main with Node (the window's
 * requests go through Chromium and the session's verify proc instead):
 * - `readServerFingerprint`: the certificate the server presents now, read without trusting it,
 *   for the person to compare with the one the server printed (trust on first use);
 * - `pinnedLogin`: an administrator's sign-in on the server, accepted only from the pinned
 *   certificate (before the choice of connection is changed).
 */
export class ServerProbeError extends Error {}

function reasonOf(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'il server non accetta collegamenti su quella porta: Rette Mensa è avviato sul server?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'nome del server sconosciuto in rete';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'il server non risponde';
    case 'ECONNRESET':
    case 'EPROTO':
      return 'il server non parla https su quella porta';
    default:
      return err.message;
  }
}

/** The SHA-256 fingerprint (`AB:CD:…`) of the certificate the server presents. */
export function readServerFingerprint(address: ServerAddress, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: address.host,
      port: address.port,
      // the certificate is read, not trusted: the person compares it with the server's
      rejectUnauthorized: false,
      ...(net.isIP(address.host) ? {} : { servername: address.host }),
      timeout: timeoutMs,
    });
    const fail = (message: string) => {
      socket.destroy();
      reject(new ServerProbeError(`Impossibile leggere il certificato di ${formatServerAddress(address)}: ${message}`));
    };
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert?.raw) return fail('il server non ha presentato un certificato');
      resolve(derFingerprint(cert.raw));
    });
    socket.once('timeout', () => fail('il server non risponde'));
    socket.once('error', (err: NodeJS.ErrnoException) => fail(reasonOf(err)));
  });
}

export interface PinnedLoginResult {
  ok: boolean;
  /** the role of the user signed in (when ok) */
  role: string | null;
  message: string;
}

/**
 * POSTs `auth.login` to the pinned server through the host's pinned agent (electron/host/tls-pin.ts):
 * the request is written only after the certificate matched the pin, so the password never reaches
 * another server.
 */
export async function pinnedLogin(
  address: ServerAddress,
  fingerprint: string,
  credentials: { username: string; password: string },
  timeoutMs = 10_000,
): Promise<PinnedLoginResult> {
  let res;
  try {
    res = await pinnedRequest(`${serverOrigin(address)}/api/auth.login`, {
      fingerprint,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [WORKSTATION_HEADER]: workstationName(os.hostname()) },
      body: JSON.stringify(credentials),
      timeoutMs,
    });
  } catch (err) {
    if (err instanceof CertificateMismatchError) {
      throw new ServerProbeError('Il server ha presentato un certificato diverso da quello confermato: accesso non inviato');
    }
    throw new ServerProbeError(reasonOf(err as NodeJS.ErrnoException));
  }
  try {
    const parsed = JSON.parse(res.body) as { ok: true; value: { user: { role: string } } } | { ok: false; error: { message: string } };
    return parsed.ok ? { ok: true, role: parsed.value.user.role, message: '' } : { ok: false, role: null, message: parsed.error.message };
  } catch {
    throw new ServerProbeError(`Risposta non valida dal server (HTTP ${res.status})`);
  }
}
