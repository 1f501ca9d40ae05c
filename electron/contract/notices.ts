/**
 * Change notices: the one channel from the backend to every open window (issue 12), and the one
 * the office server pushes other clerks' changes through (issue 14).
 *
 * After a mutation commits, the dispatcher emits a notice (`backend.ts`); work that runs outside
 * the dispatcher (the automatic day close of `attendance/scheduler.ts`) emits one too. A notice
 * says WHICH areas and entities changed, by which procedure and user, never the data itself:
 * a screen that shows one of those areas reads again through the contract, with its own session
 * and role. Transports deliver it: Server-Sent Events in browser mode (`host/http-host.ts`),
 * IPC to every window in the desktop app (`main/notices.ts`).
 *
 * Every notice has a sequence number within this process (`seq`) and the process's start id
 * (`boot`): a transport that reconnects says the last one it saw and gets what it missed from a
 * short memory, or a `reset` notice (everything may have changed) when the gap is too old or the
 * process restarted.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock';

import { ALL_AREAS, parseNoticeId, type ChangeNotice } from './vocabulary/notices';

export { ALL_AREAS, noticeConcerns, noticeId, parseNoticeId, type ChangeNotice } from './vocabulary/notices';

export type NoticeDraft = Pick<ChangeNotice, 'procedure' | 'areas'> & Partial<Pick<ChangeNotice, 'entities' | 'user' | 'reset'>>;

export type NoticeListener = (notice: ChangeNotice) => void;

/** How many notices are remembered for reconnecting listeners. */
export const NOTICE_MEMORY = 500;

export class ChangeNotices {
  readonly boot: string;
  private seq = 0;
  private readonly memory: ChangeNotice[] = [];
  private readonly listeners = new Set<NoticeListener>();

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly onListenerError: (err: unknown) => void = () => {},
    boot?: string,
  ) {
    this.boot = boot ?? randomBytes(6).toString('base64url');
  }

  /** The last sequence number given (0 before the first notice). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Records and delivers a notice to every listener; a failing listener never stops the others (nor the caller). */
  emit(draft: NoticeDraft): ChangeNotice {
    const notice: ChangeNotice = {
      boot: this.boot,
      seq: ++this.seq,
      at: this.clock.now().toISOString(),
      procedure: draft.procedure,
      areas: [...new Set(draft.areas)].sort(),
      entities: [...new Set(draft.entities ?? [])].sort(),
      user: draft.user ?? null,
      ...(draft.reset ? { reset: true } : {}),
    };
    this.memory.push(notice);
    if (this.memory.length > NOTICE_MEMORY) this.memory.splice(0, this.memory.length - NOTICE_MEMORY);
    for (const listener of [...this.listeners]) {
      try {
        listener(notice);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    return notice;
  }

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * What a listener that last saw `lastId` has missed: the notices after it, or one `reset` notice
   * (not numbered: it stands for "read everything again") when they are no longer all remembered
   * or the id belongs to another start of the process. Nothing for a listener that is up to date.
   */
  missedSince(lastId: string | null | undefined): ChangeNotice[] {
    const last = parseNoticeId(lastId);
    if (!last) return [];
    const resetNotice = (): ChangeNotice[] => [
      { boot: this.boot, seq: this.seq, at: this.clock.now().toISOString(), procedure: 'ripresa', areas: [ALL_AREAS], entities: [], user: null, reset: true },
    ];
    if (last.boot !== this.boot || last.seq > this.seq) return resetNotice();
    if (last.seq === this.seq) return [];
    const oldest = this.memory[0]?.seq ?? this.seq + 1;
    if (last.seq + 1 < oldest) return resetNotice();
    return this.memory.filter((n) => n.seq > last.seq);
  }
}

/**
 * Changes made by ANOTHER process on the same database file (the command line, a second app on
 * the same file): SQLite's `PRAGMA data_version` changes when another connection commits. Checked
 * every `intervalMs`; a change becomes one notice for every area.
 */
export function watchOtherProcesses(
  sqlite: { pragma(source: string, options: { simple: true }): unknown },
  notices: ChangeNotices,
  intervalMs = 2_000,
): { stop(): void; check(): boolean } {
  const version = () => Number(sqlite.pragma('data_version', { simple: true }));
  let last = version();
  const check = (): boolean => {
    let now: number;
    try {
      now = version();
    } catch {
      return false; // the database is closing
    }
    if (now === last) return false;
    last = now;
    notices.emit({ procedure: 'esterno', areas: [ALL_AREAS], user: null });
    return true;
  };
  const timer = setInterval(check, intervalMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer), check };
}
