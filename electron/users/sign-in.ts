/**
 * Sign-in rules (issue 7): wrong passwords slow down and then lock the username for a while; the
 * state lives in the database (`settings`, one row per username with recent failures), so a
 * restart of the program does not reset it.
 *
 * - the first FREE_FAILURES wrong passwords in a row cost nothing more;
 * - after that, each next attempt must wait: 1 s, 2 s, 4 s, ... up to 1 minute (backoff);
 * - at LOCK_AFTER failures in a row the username is locked for LOCK_MINUTES; every further
 *   failure after the lock locks it again;
 * - a correct password clears the count; a refused-because-waiting attempt is not counted (the
 *   password is not even checked) but it is audited like any failed sign-in.
 * Unknown usernames are counted the same way, so the answers do not reveal which users exist.
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { settings } from '../../db/schema';

export const SIGN_IN_POLICY = {
  freeFailures: 3,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  lockAfter: 10,
  lockMinutes: 15,
  /** failures older than this are forgotten */
  forgetAfterMs: 24 * 60 * 60 * 1000,
} as const;

const PREFIX = 'accesso.tentativi.';
/** the first key after every `accesso.tentativi.*` key ('/' follows '.' in ASCII) */
const PREFIX_END = 'accesso.tentativi/';

interface FailureState {
  failures: number;
  /** UTC ISO of the last failure */
  lastAt: string;
}

function keyOf(username: string): string {
  return PREFIX + username;
}

function read(db: AppDb, username: string): FailureState | null {
  const row = db.select().from(settings).where(eq(settings.key, keyOf(username))).get();
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as FailureState;
    if (typeof v.failures === 'number' && typeof v.lastAt === 'string') return v;
  } catch {
    // a damaged row counts as no failure
  }
  return null;
}

/** How long after the last of `failures` failures the next attempt must wait. */
export function waitAfter(failures: number): number {
  const p = SIGN_IN_POLICY;
  if (failures >= p.lockAfter) return p.lockMinutes * 60_000;
  if (failures < p.freeFailures) return 0;
  return Math.min(p.backoffBaseMs * 2 ** (failures - p.freeFailures), p.backoffMaxMs);
}

function itDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return s === 1 ? '1 secondo' : `${s} secondi`;
  const m = Math.ceil(s / 60);
  return m === 1 ? '1 minuto' : `${m} minuti`;
}

/** The Italian refusal when the username must still wait, else null. */
export function signInBlocked(db: AppDb, username: string, now: Date): string | null {
  const state = read(db, username);
  if (!state) return null;
  const until = new Date(state.lastAt).getTime() + waitAfter(state.failures);
  const left = until - now.getTime();
  if (left <= 0) return null;
  return state.failures >= SIGN_IN_POLICY.lockAfter
    ? `Troppi tentativi di accesso errati: nome utente bloccato, riprovare tra ${itDuration(left)}`
    : `Troppi tentativi di accesso errati: attendere ${itDuration(left)} prima di riprovare`;
}

/** Counts one more wrong password for the username (and forgets other usernames' old failures). */
export function recordFailure(db: AppDb, username: string, now: Date): number {
  const prev = read(db, username);
  const stale = prev && now.getTime() - new Date(prev.lastAt).getTime() > SIGN_IN_POLICY.forgetAfterMs;
  const next: FailureState = { failures: (stale || !prev ? 0 : prev.failures) + 1, lastAt: now.toISOString() };
  db.insert(settings)
    .values({ key: keyOf(username), value: JSON.stringify(next) })
    .onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(next) } })
    .run();
  const forgetBefore = new Date(now.getTime() - SIGN_IN_POLICY.forgetAfterMs).toISOString();
  db.delete(settings)
    .where(and(gte(settings.key, PREFIX), lt(settings.key, PREFIX_END), sql`json_extract(${settings.value}, '$.lastAt') < ${forgetBefore}`))
    .run();
  return next.failures;
}

export function clearFailures(db: AppDb, username: string): void {
  db.delete(settings).where(eq(settings.key, keyOf(username))).run();
}

export function failuresOf(db: AppDb, username: string): number {
  return read(db, username)?.failures ?? 0;
}
