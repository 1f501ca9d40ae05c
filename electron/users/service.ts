import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { users } from '../../db/schema';
import { AppError, conflict, invalidField, notFound } from '../contract/errors';
import type { SessionUser } from '../contract/procedure';
import type { Role } from '../contract/roles';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 } as const;

export function hashPassword(password: string, salt = randomBytes(16).toString('hex')): { hash: string; salt: string } {
  const hash = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }).toString('hex');
  return { hash, salt };
}

export function verifyPassword(password: string, hash: string, salt: string): boolean {
  const candidate = Buffer.from(hashPassword(password, salt).hash, 'hex');
  const stored = Buffer.from(hash, 'hex');
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}

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
): UserRow {
  const username = input.username.trim().toLowerCase();
  if (findUserByUsername(db, username)) throw conflict(`Il nome utente «${username}» è già in uso`, 'username');
  const { hash, salt } = hashPassword(input.password);
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

export function authenticate(db: AppDb, username: string, password: string): UserRow {
  const u = findUserByUsername(db, username);
  // same message whether the user or the password is wrong: do not reveal which users exist
  if (!u || !verifyPassword(password, u.passwordHash, u.salt)) {
    throw new AppError('UNAUTHENTICATED', 'Nome utente o password errati');
  }
  if (!u.active) throw new AppError('FORBIDDEN', 'Utente disattivato: rivolgersi all\'amministratore');
  return u;
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
