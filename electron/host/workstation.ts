import os from 'node:os';

/**
 * The workstation of a call, as the audit log names it (issue 14, `audit_log.workstation`):
 * - over the network: the name the client declares in `X-Rette-Workstation` plus the address the
 *   request came from, "PC-RETTE-2 (192.168.1.23)"; a browser declares nothing: "192.168.1.23";
 * - the desktop app on its own database: the computer's host name;
 * - the command line: "riga di comando su <host name>".
 * The declared name is the client's word, the address is the server's: both are kept.
 */

/** The header a client uses to say which workstation it is. */
export const WORKSTATION_HEADER = 'x-rette-workstation';

export const WORKSTATION_MAX_LENGTH = 64;

/** Letters, digits, space, dot, dash, underscore: a Windows or Linux computer name and a little more. */
const DECLARED_NAME = /^[A-Za-z0-9._ -]+$/;

export class WorkstationNameError extends Error {}

/**
 * The declared name, trimmed and with inner spaces collapsed; null when absent or blank. A name
 * that is too long or holds other characters (control, bidi, brackets, accents…) is refused, not
 * cut: the log must not name a workstation differently from how it called itself.
 */
export function declaredWorkstation(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  if (Array.isArray(raw)) throw new WorkstationNameError('Nome della postazione indicato più volte');
  const name = raw.trim().replace(/ {2,}/g, ' ');
  if (name === '') return null;
  if (name.length > WORKSTATION_MAX_LENGTH) {
    throw new WorkstationNameError(`Nome della postazione troppo lungo (al massimo ${WORKSTATION_MAX_LENGTH} caratteri)`);
  }
  if (!DECLARED_NAME.test(name)) {
    throw new WorkstationNameError('Nome della postazione non valido: solo lettere senza accenti, cifre, spazio, punto, trattino e trattino basso');
  }
  return name;
}

/** The peer's address as people write it: "::ffff:192.168.1.23" → "192.168.1.23". */
export function plainAddress(address: string | undefined): string {
  if (!address) return 'indirizzo sconosciuto';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/** "PC-RETTE-2 (192.168.1.23)", or the address alone when nothing was declared. */
export function networkWorkstation(declared: string | null, address: string | undefined): string {
  const addr = plainAddress(address);
  return declared ? `${declared} (${addr})` : addr;
}

/** This computer's host name, as the log keeps it (characters outside the declared-name set become '-'). */
export function localWorkstation(hostname: string = os.hostname()): string {
  const name = hostname.replace(/[^A-Za-z0-9._ -]/g, '-').trim().slice(0, WORKSTATION_MAX_LENGTH);
  return name || 'questo computer';
}

/** The command line on this computer. */
export function commandLineWorkstation(hostname: string = os.hostname()): string {
  return `riga di comando su ${localWorkstation(hostname)}`;
}
