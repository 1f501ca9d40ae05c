import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock';
import type { SessionUser } from './procedure';

/**
 * Session lifetime (issue 7). Idle: an office PC left unattended (lunch) asks for the password
 * again; absolute: a session never outlives a working day, even when used all the time.
 */
export const SESSION_POLICY = {
  idleMs: 30 * 60 * 1000,
  absoluteMs: 10 * 60 * 60 * 1000,
  /** expired sessions are swept at most this often (on any call) */
  sweepEveryMs: 60 * 1000,
} as const;

/**
 * What the users table says about a session's user now: null when the user is gone. `stamp` is
 * the row's `updated_at` and password hash, which change with every change of role, activation or
 * password: a
 * session whose stamp no longer matches is over, also when the change was made by another process
 * on the same database (the desktop app and `rette serve`).
 */
export interface UserState {
  active: boolean;
  role: SessionUser['role'];
  stamp: string;
}

interface Session {
  user: SessionUser;
  createdAt: number;
  lastSeen: number;
  stamp: string | null;
  /** false for the command line's stand-in user of a database without users (no row to follow) */
  followsRow: boolean;
}

/** Logged-in sessions of this process, by opaque random token. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private lastSweep = 0;

  constructor(
    private readonly clock: Clock,
    /** reads the user's current state (the backend passes a query on `users`); none in bare tests */
    private readonly userState: ((userId: number) => UserState | null) | null = null,
  ) {}

  create(user: SessionUser): string {
    this.sweepIfDue();
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    const state = this.userState?.(user.id) ?? null;
    this.sessions.set(token, { user, createdAt: now, lastSeen: now, stamp: state?.stamp ?? null, followsRow: state !== null });
    return token;
  }

  private expired(s: Session, now: number): boolean {
    return now - s.lastSeen > SESSION_POLICY.idleMs || now - s.createdAt > SESSION_POLICY.absoluteMs;
  }

  get(token: string | null | undefined): SessionUser | null {
    return this.lookup(token, true);
  }

  /**
   * The session's user if it is still valid, WITHOUT counting as activity: a stream of change
   * notices left open in a window must not keep an unattended session alive.
   */
  peek(token: string | null | undefined): SessionUser | null {
    return this.lookup(token, false);
  }

  private lookup(token: string | null | undefined, touch: boolean): SessionUser | null {
    if (!token || typeof token !== 'string') return null;
    this.sweepIfDue();
    const s = this.sessions.get(token);
    if (!s) return null;
    const now = this.clock.now().getTime();
    if (this.expired(s, now)) {
      this.sessions.delete(token);
      return null;
    }
    if (this.userState && s.followsRow) {
      const state = this.userState(s.user.id);
      if (!state || !state.active || state.role !== s.user.role || (s.stamp !== null && state.stamp !== s.stamp)) {
        this.sessions.delete(token);
        return null;
      }
    }
    if (touch) s.lastSeen = now;
    return s.user;
  }

  destroy(token: string | null | undefined): void {
    if (token) this.sessions.delete(token);
  }

  /**
   * A user's role, activation or password changed, or they asked to leave everywhere: their open
   * sessions end (except `keep`, the caller's own). Returns how many ended.
   */
  destroyForUser(userId: number, keep: string | null = null): number {
    let closed = 0;
    for (const [token, s] of this.sessions) {
      if (s.user.id === userId && token !== keep) {
        this.sessions.delete(token);
        closed++;
      }
    }
    return closed;
  }

  /** After a change that must not end them (display name, own password), the user's remaining sessions follow the row. */
  refreshUser(userId: number, user?: Partial<Pick<SessionUser, 'displayName'>>): void {
    const stamp = this.userState?.(userId)?.stamp ?? null;
    for (const s of this.sessions.values()) {
      if (s.user.id !== userId) continue;
      s.stamp = stamp;
      if (user?.displayName !== undefined) s.user = { ...s.user, displayName: user.displayName };
    }
  }

  /** Drops every expired session; returns how many were dropped. */
  sweep(): number {
    const now = this.clock.now().getTime();
    this.lastSweep = now;
    let dropped = 0;
    for (const [token, s] of this.sessions) {
      if (this.expired(s, now)) {
        this.sessions.delete(token);
        dropped++;
      }
    }
    return dropped;
  }

  private sweepIfDue(): void {
    const now = this.clock.now().getTime();
    if (now - this.lastSweep >= SESSION_POLICY.sweepEveryMs || now < this.lastSweep) this.sweep();
  }

  /** Open sessions (expired ones may still count until the next sweep). */
  get size(): number {
    return this.sessions.size;
  }
}
