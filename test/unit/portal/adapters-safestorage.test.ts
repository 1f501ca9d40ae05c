/**
 * The desktop's credential store (electron/main/portal-secrets.ts) with the Electron stand-in:
 * only safeStorage's encrypted bytes reach the disk, owner-only; no protection, no saving.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({ available: true, backend: 'gnome_libsecret' }));
vi.mock('electron', () => {
  // a stand-in for safeStorage: "encrypts" by reversing and prefixing, enough to tell bytes apart
  const safeStorage = {
    isEncryptionAvailable: () => state.available,
    getSelectedStorageBackend: () => state.backend,
    encryptString: (s: string) => Buffer.from(`cifrato:${[...s].reverse().join('')}`),
    decryptString: (b: Buffer) => [...b.toString().replace(/^cifrato:/, '')].reverse().join(''),
  };
  return { safeStorage, default: { safeStorage } };
});

import { safeStorage } from 'electron';
import { safeStorageSecretStore } from '../../../electron/main/portal-secrets';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('la credenziale del programma desktop è cifrata con safeStorage: sul disco solo byte cifrati, file 0600; senza protezione non si salva', () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-safestorage-'));
  const store = safeStorageSecretStore(() => safeStorage, dir);
  expect(store.get()).toBeNull();
  store.set('credenziale-del-portale-77');
  expect(store.get()).toBe('credenziale-del-portale-77');
  const file = path.join(dir, 'portale', 'credenziale-portale.cifrata');
  expect(fs.readFileSync(file).toString()).not.toContain('credenziale-del-portale-77');
  if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  state.available = false;
  expect(() => store.set('altra-credenziale-88')).toThrow(/non è disponibile/);
  state.available = true;
  if (process.platform === 'linux') {
    state.backend = 'basic_text';
    expect(() => store.set('altra-credenziale-88')).toThrow(/portachiavi/);
    state.backend = 'gnome_libsecret';
  }
  expect(store.get()).toBe('credenziale-del-portale-77');
  store.clear();
  expect(store.get()).toBeNull();
});
