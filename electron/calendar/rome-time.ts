/**
 * Calendar dates and Rome wall-clock time.
 *
 * Conventions (shared/ARCHITECTURE.md):
 * - a calendar date is a 'YYYY-MM-DD' string; it has no time zone;
 * - a moment is a UTC instant, given as a Date or as an ISO 8601 string that carries
 *   its offset ('Z' or '+hh:mm'): an offset-less string would be read in the machine's
 *   zone, which is exactly the mistake this module exists to prevent, so it is refused;
 * - every "today", cutoff and "day before at 18:00" rule is evaluated in Europe/Rome,
 *   whatever the machine's TZ.
 *
 * Nothing here reads the clock: callers pass the moment in.
 * Date arithmetic on calendar dates is done on UTC midnights, so it never meets a DST change.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';

export const ROME_TZ = 'Europe/Rome';

/** A UTC instant: a Date, or an ISO 8601 string with 'Z' or an explicit offset. */
export type Moment = Date | string;

import { formatDateIt, isRealDate } from '../contract/vocabulary/dates';

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const ISO_MOMENT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const DAY_MS = 86_400_000;

function assertDate(date: string, what = 'data'): void {
  if (!isRealDate(date)) throw new RangeError(`${what} non valida: ${String(date)} (atteso AAAA-MM-GG)`);
}

/** Epoch milliseconds of the UTC midnight of a calendar date. */
function utcMidnight(date: string): number {
  assertDate(date);
  const [y, mo, d] = date.split('-').map(Number);
  const probe = new Date(Date.UTC(2000, mo - 1, d));
  probe.setUTCFullYear(y);
  return probe.getTime();
}

function dateFromUtcMs(ms: number): string {
  const dt = new Date(ms);
  const y = String(dt.getUTCFullYear()).padStart(4, '0');
  const mo = String(dt.getUTCMonth() + 1).padStart(2, '0');
  const d = String(dt.getUTCDate()).padStart(2, '0');
  return `${y}-${mo}-${d}`;
}

/** Turns a moment into a valid Date; refuses offset-less strings and invalid dates. */
export function toInstant(moment: Moment): Date {
  if (moment instanceof Date) {
    if (Number.isNaN(moment.getTime())) throw new RangeError('Istante non valido');
    return new Date(moment.getTime());
  }
  if (typeof moment !== 'string' || !ISO_MOMENT_RE.test(moment)) {
    throw new RangeError(`Istante non valido: ${String(moment)} (atteso ISO 8601 con fuso, es. 2026-10-12T07:30:00Z)`);
  }
  const dt = new Date(moment);
  if (Number.isNaN(dt.getTime())) throw new RangeError(`Istante non valido: ${moment}`);
  return dt;
}

/** The Rome calendar date ('YYYY-MM-DD') of an instant. */
export function romeDateOf(moment: Moment): string {
  return format(new TZDate(toInstant(moment).getTime(), ROME_TZ), 'yyyy-MM-dd');
}

/** The Rome wall-clock time ('HH:MM:SS', 24h) of an instant. */
export function romeTimeOf(moment: Moment): string {
  return format(new TZDate(toInstant(moment).getTime(), ROME_TZ), 'HH:mm:ss');
}

/** Parses 'HH:MM' or 'HH:MM:SS' into seconds since midnight; throws RangeError otherwise. */
export function parseTimeOfDay(time: string): { hours: number; minutes: number; seconds: number } {
  const m = typeof time === 'string' ? TIME_RE.exec(time) : null;
  if (!m) throw new RangeError(`Orario non valido: ${String(time)} (atteso HH:MM o HH:MM:SS)`);
  return { hours: Number(m[1]), minutes: Number(m[2]), seconds: m[3] === undefined ? 0 : Number(m[3]) };
}

/**
 * The UTC instant at which Rome's wall clock shows `time` on `date`.
 *
 * Correct across DST: the offset is the one in force at that wall-clock time, not today's.
 * The two hours a year that are not one-to-one (never 09:00/09:30/18:00, the times this app
 * uses) are resolved like this:
 * - a time that does not exist (spring forward, e.g. 02:30 on 2026-03-29) is read with the
 *   offset in force before the change, i.e. it lands one hour later on the wall clock (03:30);
 * - a time that occurs twice (fall back, e.g. 02:30 on 2026-10-25) is the earlier occurrence.
 */
export function romeMoment(date: string, time: string): Date {
  const { hours, minutes, seconds } = parseTimeOfDay(time);
  const wallAsUtc = utcMidnight(date) + ((hours * 60 + minutes) * 60 + seconds) * 1000;
  // Rome's offset changes at most once within any 24 hours: the offsets half a day either side
  // are the only candidates.
  const offBefore = tzOffset(ROME_TZ, new Date(wallAsUtc - DAY_MS / 2));
  const offAfter = tzOffset(ROME_TZ, new Date(wallAsUtc + DAY_MS / 2));
  const candidates = [offBefore, offAfter]
    .map((off) => wallAsUtc - off * 60_000)
    .filter((instant) => wallAsUtc - tzOffset(ROME_TZ, new Date(instant)) * 60_000 === instant);
  if (candidates.length === 0) return new Date(wallAsUtc - offBefore * 60_000); // gap
  return new Date(Math.min(...candidates));
}

/** `date` moved by `n` calendar days (n may be negative). */
export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Numero di giorni non intero: ${n}`);
  return dateFromUtcMs(utcMidnight(date) + n * DAY_MS);
}

/** ISO weekday: Monday = 1 … Sunday = 7. */
export function isoWeekday(date: string): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  const day = new Date(utcMidnight(date)).getUTCDay(); // 0 = Sunday
  return (day === 0 ? 7 : day) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/** Saturday or Sunday. */
export function isWeekend(date: string): boolean {
  return isoWeekday(date) >= 6;
}

/** Every date from `from` to `to`, both included; empty when `from` is after `to`. */
export function eachDate(from: string, to: string): string[] {
  const start = utcMidnight(from);
  const end = utcMidnight(to);
  const out: string[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) out.push(dateFromUtcMs(ms));
  return out;
}

/** -1, 0 or 1, for sorting dates in calendar order. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  assertDate(a);
  assertDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy': the one formatter, shared with the renderer. */
export { formatDateIt };
