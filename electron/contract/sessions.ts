import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock';
import type { SessionUser } from './procedure';

const IDLE_MS = 12 * 60 * 60 * 1000;

/** Logged-in sessions of this process, by opaque random token. */
export class SessionStore {
  private readonly sessions = new Map<string, { user: SessionUser; lastSeen: number }>();
  constructor(private readonly clock: Clock) {}

  create(user: SessionUser): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, { user, lastSeen: this.clock.now().getTime() });
    return token;
  }

  get(token: string | null | undefined): SessionUser | null {
    if (!token) return null;
    const s = this.sessions.get(token);
    if (!s) return null;
    const now = this.clock.now().getTime();
    if (now - s.lastSeen > IDLE_MS) {
      this.sessions.delete(token);
      return null;
    }
    s.lastSeen = now;
    return s.user;
  }

  destroy(token: string | null | undefined): void {
    if (token) this.sessions.delete(token);
  }

  /** A user's role or activation changed: their open sessions end. */
  destroyForUser(userId: number): void {
    for (const [token, s] of this.sessions) if (s.user.id === userId) this.sessions.delete(token);
  }
}
