import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, securePrivateFile } from '../../db/open';
import type { SecretStore } from '../host/runtime';

/**
 * The portal's credential on the desktop (issue 13): encrypted with Electron's safeStorage (DPAPI
 * on Windows, the keychain on macOS, the secret service on Linux) and kept as a 0600 file in the
 * data folder. Only the encrypted bytes are on disk; the database never holds it.
 *
 * safeStorage is handed in (not imported) so that this stays testable with a stand-in, and so that
 * the backend, which only sees the SecretStore interface, never loads Electron.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no real protection (a hard-coded key) */
  getSelectedStorageBackend?(): string;
}

export const DESKTOP_CREDENTIAL_FILE = path.join('portale', 'credenziale-portale.cifrata');

export function safeStorageSecretStore(storage: () => SafeStorageLike, dataDir: string): SecretStore {
  const file = path.join(dataDir, DESKTOP_CREDENTIAL_FILE);
  const protectedStorage = (): SafeStorageLike => {
    const s = storage();
    if (!s.isEncryptionAvailable()) throw new Error('La protezione delle credenziali del sistema operativo non è disponibile su questo computer');
    if (process.platform === 'linux' && s.getSelectedStorageBackend?.() === 'basic_text') {
      throw new Error('Su questo computer manca un portachiavi del sistema (GNOME Keyring o KWallet): la credenziale non sarebbe protetta');
    }
    return s;
  };
  return {
    description: 'protetta dal sistema operativo (cifrata con le credenziali di Windows o il portachiavi del sistema)',
    get() {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      const text = protectedStorage().decryptString(bytes);
      return text === '' ? null : text;
    },
    set(secret) {
      const encrypted = protectedStorage().encryptString(secret);
      ensurePrivateDir(path.dirname(file));
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, encrypted, { mode: 0o600 });
      securePrivateFile(tmp);
      fs.renameSync(tmp, file);
    },
    clear() {
      fs.rmSync(file, { force: true });
    },
  };
}
