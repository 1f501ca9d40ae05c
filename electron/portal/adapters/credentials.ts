import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, securePrivateFile } from '../../../db/open';

/**
 * Where the portal's credential (the REST API's bearer token) is kept: never in the database, never
 * in a log. The backend sees only this interface; which store is used is chosen by the transport:
 * - desktop: Electron's safeStorage (DPAPI on Windows, the keychain elsewhere), implemented in
 *   electron/main/portal-secrets.ts, because no module the CLI or the tests load may import Electron;
 * - browser and server mode, the command line: a file in the data folder readable only by the
 *   account that runs the service (0600), `fileSecretStore` below.
 */
export interface SecretStore {
  /** where the secret lives, said to the office (never the secret itself) */
  readonly description: string;
  get(): string | null;
  set(secret: string): void;
  clear(): void;
}

/** The name of the credential file in the data folder. */
export const CREDENTIAL_FILE = path.join('portale', 'credenziale-portale');

/** A file readable only by its owner (0600) inside an owner-only folder (0700). */
export function fileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, CREDENTIAL_FILE);
  return {
    description: `file protetto nella cartella dei dati (${file}), leggibile solo dall'utente del servizio`,
    get() {
      try {
        const text = fs.readFileSync(file, 'utf8').trim();
        return text === '' ? null : text;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    set(secret) {
      ensurePrivateDir(path.dirname(file));
      // written beside and renamed: a crash never leaves half a token; created 0600 before any byte is written
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, secret, { mode: 0o600 });
      securePrivateFile(tmp);
      fs.renameSync(tmp, file);
    },
    clear() {
      fs.rmSync(file, { force: true });
    },
  };
}

/** A store in memory (tests; a credential typed for one run). */
export function memorySecretStore(initial: string | null = null): SecretStore {
  let value = initial;
  return {
    description: 'in memoria (solo per questa esecuzione)',
    get: () => value,
    set(secret) {
      value = secret;
    },
    clear() {
      value = null;
    },
  };
}

/** The credential as the office may see it: never more than its last 4 characters. */
export function maskSecret(secret: string | null): string | null {
  if (!secret) return null;
  return secret.length <= 8 ? '••••' : `••••${secret.slice(-4)}`;
}

/**
 * Removes the credential from a text that may reach a log, the sync log in the database or a
 * screen (an error message that quoted a header, a URL with the token in it).
 */
export function redactSecret(text: string, secret: string | null): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[credenziale nascosta]');
}
