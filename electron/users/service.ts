import { and, eq, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { users } from '../../db/schema';
import { AppError, conflict, invalidField, notFound } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import type { SessionUser } from '../contract/procedure';
import type { Role } from '../contract/roles';
import {
  CURRENT_SCRYPT,
  burnEquivalentWork,
  hashPassword,
  hashPasswordSync,
  needsUpgrade,
  parseStoredHash,
  verifyPassword,
  verifyPasswordSync,
  type ScryptParams,
} from './passwords';
import { clearFailures, recordFailure, signInBlocked } from './sign-in';

/** Same shape as the username field of the forms: only such names can exist. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,40}$/;

export type UserRow = typeof users.$inferSelect;

export function toSessionUser(u: UserRow): SessionUser {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role };
}

export function publicUser(u: UserRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    active: u.active,
    createdAt: u.createdAt,
    version: u.version,
  };
}

export function countUsers(db: AppDb): number {
  return db.select({ n: sql<number>`count(*)` }).from(users).get()!.n;
}

export function findUserByUsername(db: AppDb, username: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.username, username.trim().toLowerCase())).get();
}

export function createUser(
  db: AppDb,
  now: Date,
  input: { username: string; displayName: string; role: Role; password: string },
  params: ScryptParams = CURRENT_SCRYPT,
): UserRow {
  const username = input.username.trim().toLowerCase();
  if (findUserByUsername(db, username)) throw conflict(`Il nome utente «${username}» è già in uso`, 'username');
  const { passwordHash: hash, salt } = hashPasswordSync(input.password, params);
  const ts = now.toISOString();
  return db
    .insert(users)
    .values({
      username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: hash,
      salt,
      active: true,
      createdAt: ts,
      updatedAt: ts,
    })
    .returning()
    .get();
}

export const WRONG_CREDENTIALS = 'Nome utente o password errati';

export interface SignInResult {
  user: UserRow;
  /** the stored hash was re-hashed with the current parameters */
  upgraded: boolean;
}

/**
 * Sign-in (issue 7): refused while the username must wait after repeated failures (sign-in.ts);
 * the same scrypt work and the same answer for an unknown user as for a wrong password; a hash
 * below the current parameters is replaced, now that the password is known.
 */
export async function signIn(db: AppDb, now: Date, username: string, password: string, params: ScryptParams = CURRENT_SCRYPT): Promise<SignInResult> {
  const name = username.trim().toLowerCase();
  const blocked = signInBlocked(db, name, now);
  if (blocked) throw new AppError('UNAUTHENTICATED', blocked);
  const u = USERNAME_PATTERN.test(name) ? findUserByUsername(db, name) : undefined;
  const stored = u ? parseStoredHash(u.passwordHash, u.salt) : null;
  const ok = stored ? await verifyPassword(password, stored) : await burnEquivalentWork(password, params);
  if (!u || !stored || !ok) {
    // unknown usernames are counted too (only well-formed ones: no other name can exist)
    if (USERNAME_PATTERN.test(name)) recordFailure(db, name, now);
    throw new AppError('UNAUTHENTICATED', WRONG_CREDENTIALS);
  }
  if (!u.active) throw new AppError('FORBIDDEN', 'Utente disattivato: rivolgersi all\'amministratore');
  clearFailures(db, name);
  let upgraded = false;
  if (needsUpgrade(stored, params)) {
    const next = await hashPassword(password, params);
    // only if nobody changed the password meanwhile; updated_at stays: this is not a change of the password
    const r = db
      .update(users)
      .set({ passwordHash: next.passwordHash, salt: next.salt, version: nextVersion(users.version) })
      .where(and(eq(users.id, u.id), eq(users.passwordHash, u.passwordHash)))
      .run();
    upgraded = r.changes === 1;
  }
  return { user: u, upgraded };
}

/** Checks a user's current password (change of password: synchronous, inside the mutation). */
export function passwordMatches(u: UserRow, password: string): boolean {
  const stored = parseStoredHash(u.passwordHash, u.salt);
  return stored !== null && verifyPasswordSync(password, stored);
}

export function getUser(db: AppDb, id: number): UserRow {
  const u = db.select().from(users).where(eq(users.id, id)).get();
  if (!u) throw notFound('Utente');
  return u;
}

export function ensureNotLastAdmin(db: AppDb, changing: UserRow, next: { role: Role; active: boolean }): void {
  if (changing.role !== 'amministratore' || (next.role === 'amministratore' && next.active)) return;
  const admins = db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(sql`${users.role} = 'amministratore' AND ${users.active} = 1`)
    .get()!.n;
  if (admins <= 1) throw invalidField('role', "Deve restare almeno un amministratore attivo");
}
