/**
 * Failed sign-ins per network address (issue 14, server mode). The users area already slows down
 * and locks a USERNAME after wrong passwords (electron/users/sign-in.ts); this adds the other axis:
 * one address trying many usernames (password spraying) is slowed down too.
 *
 * - the first `freeFailures` failures cost nothing;
 * - then each attempt from that address must wait 1 s, 2 s, 4 s… up to `maxWaitMs`;
 * - a successful sign-in clears the address; failures older than `forgetAfterMs` are forgotten.
 * Kept in memory (a restart forgets it; the username lockout is in the database and survives).
 */
export interface AddressThrottlePolicy {
  freeFailures: number;
  baseWaitMs: number;
  maxWaitMs: number;
  forgetAfterMs: number;
  /** addresses remembered at most (the oldest are dropped first) */
  maxAddresses: number;
}

export const ADDRESS_THROTTLE_POLICY: AddressThrottlePolicy = {
  freeFailures: 10,
  baseWaitMs: 1000,
  maxWaitMs: 5 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
  maxAddresses: 10_000,
};

interface Entry {
  failures: number;
  lastAt: number;
}

export class AddressThrottle {
  private readonly entries = new Map<string, Entry>();
  readonly policy: AddressThrottlePolicy;

  constructor(policy: Partial<AddressThrottlePolicy> = {}) {
    this.policy = { ...ADDRESS_THROTTLE_POLICY, ...policy };
  }

  private waitAfter(failures: number): number {
    const p = this.policy;
    if (failures < p.freeFailures) return 0;
    return Math.min(p.baseWaitMs * 2 ** (failures - p.freeFailures), p.maxWaitMs);
  }

  private current(address: string, now: number): Entry | null {
    const e = this.entries.get(address);
    if (!e) return null;
    if (now - e.lastAt > this.policy.forgetAfterMs) {
      this.entries.delete(address);
      return null;
    }
    return e;
  }

  /** Milliseconds the address must still wait before its next attempt (0: it may try now). */
  waitLeft(address: string, now: number): number {
    const e = this.current(address, now);
    if (!e) return 0;
    return Math.max(0, e.lastAt + this.waitAfter(e.failures) - now);
  }

  recordFailure(address: string, now: number): number {
    const e = this.current(address, now);
    const next = { failures: (e?.failures ?? 0) + 1, lastAt: now };
    this.entries.delete(address); // re-inserted last: the Map's order is the age order
    this.entries.set(address, next);
    while (this.entries.size > this.policy.maxAddresses) this.entries.delete(this.entries.keys().next().value!);
    return next.failures;
  }

  recordSuccess(address: string): void {
    this.entries.delete(address);
  }
}

/** '3 secondi', '1 minuto', '5 minuti' */
export function itWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return s === 1 ? '1 secondo' : `${s} secondi`;
  const m = Math.ceil(s / 60);
  return m === 1 ? '1 minuto' : `${m} minuti`;
}
