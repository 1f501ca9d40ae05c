/**
 * The shape of a change notice and the few rules both ends apply to it (the backend's channel is
 * contract/notices.ts; the renderer's hook is renderer/src/api/notices.ts). Dependency-free (see
 * eslint.config.js, VOCABULARY_FILES).
 */

/** Any area: the notice after a gap (reconnection, restart) and the one for changes made by another process. */
export const ALL_AREAS = '*';

export interface ChangeNotice {
  /** the backend process's start id: a different one means the numbering started again */
  boot: string;
  /** increasing within a boot, from 1 */
  seq: number;
  /** the moment of the change (ISO) */
  at: string;
  /** the procedure that changed data ('attendance.closeDay'), 'attendance.scheduler', or 'esterno' / 'ripresa' */
  procedure: string;
  /** the areas whose data changed ('attendance', 'ledger'…); ALL_AREAS for any */
  areas: string[];
  /** the audit entities written ('giornata', 'alunno'…), when known */
  entities: string[];
  /** who made the change (username), 'sistema' for scheduled work, null when unknown */
  user: string | null;
  /** true: the listener may have missed notices (reconnection gap, restart): read everything again */
  reset?: boolean;
}

/** The `id:` of a notice on the wire (SSE `id:`, `Last-Event-ID`): `<boot>:<seq>`. */
export function noticeId(n: Pick<ChangeNotice, 'boot' | 'seq'>): string {
  return `${n.boot}:${n.seq}`;
}

export function parseNoticeId(raw: string | null | undefined): { boot: string; seq: number } | null {
  if (typeof raw !== 'string') return null;
  const m = /^([A-Za-z0-9_-]{1,64}):(\d{1,15})$/.exec(raw.trim());
  return m ? { boot: m[1], seq: Number(m[2]) } : null;
}

/** Does a notice concern a screen that shows these areas? */
export function noticeConcerns(notice: Pick<ChangeNotice, 'areas' | 'reset'>, areas: readonly string[]): boolean {
  if (notice.reset || notice.areas.includes(ALL_AREAS) || areas.includes(ALL_AREAS)) return true;
  return notice.areas.some((a) => areas.includes(a));
}
