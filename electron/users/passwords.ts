/**
 * Password hashes: scrypt, self-describing, upgradable.
 *
 * A stored hash names its own parameters and salt, in the PHC string format used by other scrypt
 * libraries: `$scrypt$ln=17,r=8,p=1$<salt base64>$<hash base64>` (ln = log2 N). So the cost can be
 * raised later without breaking old passwords: each hash is checked with its own parameters and,
 * after a successful sign-in, re-hashed with the current ones when it is weaker (`needsUpgrade`).
 *
 * Hashes written before this format (issue 7) are hex strings of 64 bytes made with N=2^14, r=8,
 * p=1 and the hex salt of the `salt` column used as text: they are still accepted, and upgraded at
 * the next sign-in.
 *
 * Cost: OWASP's Password Storage Cheat Sheet asks for scrypt with N=2^17, r=8, p=1 (128 MiB, about
 * 0.5 s on the office PCs). Node refuses scrypt above `maxmem` (32 MiB by default), so maxmem is
 * set from the parameters (twice 128·N·r).
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet (scrypt): N=2^17 (128 MiB), block size 8, parallelism 1. */
export const CURRENT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** The parameters of the hashes written before the self-describing format. */
export const LEGACY_SCRYPT: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
const LEGACY_KEY_BYTES = 64;

/** What a stored hash says about itself. */
export type StoredHash =
  | { format: 'phc'; params: ScryptParams; salt: Buffer; hash: Buffer }
  | { format: 'legacy'; params: ScryptParams; salt: string; hash: Buffer };

/** The memory ceiling Node must allow for these parameters (its default, 32 MiB, is below N=2^15). */
export function maxmemFor(q: ScryptParams): number {
  return 2 * 128 * q.N * q.r + 128 * q.r * q.p + 1024 * 1024;
}

function options(q: ScryptParams) {
  return { N: q.N, r: q.r, p: q.p, maxmem: maxmemFor(q) };
}

function b64(buf: Buffer): string {
  return buf.toString('base64').replace(/=+$/, '');
}

export function encodeHash(params: ScryptParams, salt: Buffer, hash: Buffer): string {
  return `$scrypt$ln=${Math.log2(params.N)},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{43,88})$/;

/**
 * Reads a stored hash (`password_hash`, with the `salt` column for the legacy format). Null for
 * anything else, including parameters outside sane bounds: such a row can never match.
 */
export function parseStoredHash(passwordHash: string, saltColumn: string): StoredHash | null {
  const m = PHC.exec(passwordHash);
  if (m) {
    const ln = Number(m[1]);
    const r = Number(m[2]);
    const p = Number(m[3]);
    if (ln < 10 || ln > 22 || r < 1 || r > 32 || p < 1 || p > 16) return null;
    return { format: 'phc', params: { N: 2 ** ln, r, p }, salt: Buffer.from(m[4], 'base64'), hash: Buffer.from(m[5], 'base64') };
  }
  if (/^[0-9a-f]{128}$/.test(passwordHash) && saltColumn.length > 0) {
    return { format: 'legacy', params: LEGACY_SCRYPT, salt: saltColumn, hash: Buffer.from(passwordHash, 'hex') };
  }
  return null;
}

/** What the `users` row stores: the self-describing hash, and its salt again in the `salt` column. */
export interface NewHash {
  passwordHash: string;
  salt: string;
}

/** Hashes a new password (synchronous: mutations run inside one transaction). */
export function hashPasswordSync(password: string, params: ScryptParams = CURRENT_SCRYPT): NewHash {
  const salt = randomBytes(SALT_BYTES);
  const hash = scryptSync(password, salt, KEY_BYTES, options(params));
  return { passwordHash: encodeHash(params, salt, hash), salt: b64(salt) };
}

function scryptAsync(password: string, salt: Buffer | string, keylen: number, q: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options(q), (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes off the main thread (sign-in: the window keeps answering during the half second). */
export async function hashPassword(password: string, params: ScryptParams = CURRENT_SCRYPT): Promise<NewHash> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(password, salt, KEY_BYTES, params);
  return { passwordHash: encodeHash(params, salt, hash), salt: b64(salt) };
}

function matches(candidate: Buffer, stored: Buffer): boolean {
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}

export async function verifyPassword(password: string, stored: StoredHash): Promise<boolean> {
  const candidate = await scryptAsync(password, stored.salt, stored.format === 'legacy' ? LEGACY_KEY_BYTES : stored.hash.length, stored.params);
  return matches(candidate, stored.hash);
}

export function verifyPasswordSync(password: string, stored: StoredHash): boolean {
  const keylen = stored.format === 'legacy' ? LEGACY_KEY_BYTES : stored.hash.length;
  return matches(scryptSync(password, stored.salt, keylen, options(stored.params)), stored.hash);
}

/** True when the hash is weaker than `target` (or in the legacy format): re-hash it at sign-in. */
export function needsUpgrade(stored: StoredHash, target: ScryptParams = CURRENT_SCRYPT): boolean {
  return stored.format === 'legacy' || stored.params.N < target.N || stored.params.r < target.r || stored.params.p < target.p || stored.hash.length < KEY_BYTES;
}

const dummySalt = randomBytes(SALT_BYTES);

/**
 * The same scrypt work as checking a real password, for a user who does not exist: the answer
 * then takes as long as for a known user with a wrong password, so timing does not tell which
 * usernames exist.
 */
export async function burnEquivalentWork(password: string, params: ScryptParams = CURRENT_SCRYPT): Promise<false> {
  await scryptAsync(password, dummySalt, KEY_BYTES, params);
  return false;
}
