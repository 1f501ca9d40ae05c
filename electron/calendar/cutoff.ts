/**
 * Cutoff rules for cancelling a meal (rules A2, A4, A6 of shared/DOMAIN.md; A5, a day without service,
 * is judged by the attendance area on the service calendar: electron/attendance/absences.ts).
 *
 * Pure functions: the moment of the action is always passed in, the service calendar is a
 * predicate supplied by the caller (it already combines the school's calendar, closures,
 * holidays, weekends and, where relevant, the pupil's weekly service days).
 * All times are Europe/Rome wall-clock times, whatever the machine's time zone.
 */
import {
  addDays,
  formatDateIt,
  isoWeekday,
  parseTimeOfDay,
  romeDateOf,
  romeMoment,
  toInstant,
  type Moment,
} from './rome-time';
import { weekdayName } from '../contract/vocabulary/weekdays';

/** A6: the phone line takes cancellations from this Rome time of the day before. */
export const PHONE_WINDOW_OPENS_AT = '18:00';

/** How far the phone rule looks for a service day, forwards and backwards, by default. */
export const DEFAULT_PHONE_HORIZON_DAYS = 60;

/** 'HH:MM' for messages ('09:30'), keeping seconds only when they are not zero. */
function displayTime(time: string): string {
  const { hours, minutes, seconds } = parseTimeOfDay(time);
  const hm = `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
  return seconds === 0 ? hm : `${hm}:${String(seconds).padStart(2, '0')}`;
}

/** 'giovedì 15/10/2026' */
function dayAndDateIt(date: string): string {
  return `${weekdayName(isoWeekday(date))} ${formatDateIt(date)}`;
}

/** The instant of the cutoff of `serviceDate` ('HH:MM' Rome time on that day). */
export function cutoffMoment(serviceDate: string, cutoff: string): Date {
  return romeMoment(serviceDate, cutoff);
}

/**
 * A2 + A4: a cancellation of the meal of `serviceDate` is on time iff it was made strictly
 * before that day's cutoff, Rome time. With a 09:30 cutoff, 09:29:59 is on time and 09:30:00
 * is late. Any earlier day is on time too (A4: cancellations may be made in advance); a day
 * after the service date is always late.
 */
export function isBeforeCutoff(actedAt: Moment, serviceDate: string, cutoff: string): boolean {
  return toInstant(actedAt).getTime() < cutoffMoment(serviceDate, cutoff).getTime();
}

/**
 * A2: the Italian message for a late cancellation, e.g.
 * "Disdetta non accettata: l'orario limite delle 09:30 del 12/10/2026 è superato; il pasto resta addebitato."
 */
export function describeCutoffRefusal(serviceDate: string, cutoff: string): string {
  return `Disdetta non accettata: l'orario limite delle ${displayTime(cutoff)} del ${formatDateIt(serviceDate)} è superato; il pasto resta addebitato.`;
}

export type PhoneCancellationResult =
  | { ok: true; date: string }
  | { ok: false; reason: 'FUORI_ORARIO' | 'NESSUN_GIORNO'; message: string };

/**
 * A6: the service day a phone cancellation made at `actedAt` applies to.
 *
 * The seed (Cassino manual) says: by phone a cancellation is taken "from 18:00 of the day
 * before until the cutoff of the morning of the absence", and it applies to "the first useful
 * day" of the service calendar, which skips weekends, holidays and closures. Its examples:
 * on Monday, cancelling for tomorrow when Tuesday and Wednesday are closures lands on Thursday;
 * a cancellation made on Friday lands on Monday (not on Saturday or Sunday).
 *
 * The rule implemented, with T = `actedAt` read in Rome time and D = T's Rome date:
 *
 * 1. Target X (the first useful day):
 *    - if D is a service day and T is strictly before D's cutoff, X = D;
 *    - otherwise X is the first service day strictly after D (looked for within `horizonDays`
 *      days; none → NESSUN_GIORNO).
 * 2. "The day before" X is P, the last service day before X: X's previous calendar day, moved
 *    further back over every non-service day (weekend, holiday, closure) that precedes X. So
 *    everything strictly between P and X is without service. If no service day is found within
 *    `horizonDays` days before X, P is the day just beyond that horizon (the whole closure
 *    counts as "before").
 * 3. The call is accepted iff 18:00 Rome of P <= T < cutoff Rome of X; else FUORI_ORARIO.
 *
 * Consequences (all tested):
 * - Monday 07:00, Monday a service day → Monday (before the cutoff).
 * - Monday 12:00, after the cutoff, before 18:00 → refused, FUORI_ORARIO: today's meal is
 *   already charged (A2) and tomorrow's window has not opened yet.
 * - Monday 18:00 or later, Tuesday and Wednesday closed → Thursday (P = Monday).
 * - Friday from 18:00, Saturday and Sunday at any time → Monday (P = Friday).
 * - During a holiday or a closure, any time → the first service day after it.
 * Given how X is chosen, a refusal only ever happens on a service day between its cutoff and
 * 18:00.
 *
 * `isServiceDay` must say whether a meal is served to this pupil on a date: service calendar,
 * closures, holidays and weekends (and, if the caller wants it, the pupil's weekly days).
 */
export function phoneCancellationTarget(
  actedAt: Moment,
  cutoff: string,
  isServiceDay: (date: string) => boolean,
  horizonDays: number = DEFAULT_PHONE_HORIZON_DAYS,
): PhoneCancellationResult {
  if (!Number.isInteger(horizonDays) || horizonDays < 1) {
    throw new RangeError(`Orizzonte non valido: ${horizonDays} (atteso un intero positivo)`);
  }
  parseTimeOfDay(cutoff); // validates before any work
  const t = toInstant(actedAt).getTime();
  const today = romeDateOf(actedAt);

  // 1. The first useful day.
  let target: string | undefined;
  if (isServiceDay(today) && t < cutoffMoment(today, cutoff).getTime()) {
    target = today;
  } else {
    for (let i = 1; i <= horizonDays; i++) {
      const candidate = addDays(today, i);
      if (isServiceDay(candidate)) {
        target = candidate;
        break;
      }
    }
  }
  if (target === undefined) {
    return {
      ok: false,
      reason: 'NESSUN_GIORNO',
      message: `Disdetta telefonica non applicabile: nessun giorno di servizio mensa nei ${horizonDays} giorni successivi al ${formatDateIt(today)}.`,
    };
  }

  // 2. "The day before" the target: back over the non-service days that precede it.
  let dayBefore = addDays(target, -1);
  for (let back = 1; back <= horizonDays && !isServiceDay(dayBefore); back++) {
    dayBefore = addDays(dayBefore, -1);
  }

  // 3. The window.
  const opensAt = romeMoment(dayBefore, PHONE_WINDOW_OPENS_AT).getTime();
  const closesAt = cutoffMoment(target, cutoff).getTime();
  if (t >= opensAt && t < closesAt) return { ok: true, date: target };

  return {
    ok: false,
    reason: 'FUORI_ORARIO',
    message:
      `Disdetta telefonica accettata dalle ${PHONE_WINDOW_OPENS_AT} del giorno precedente fino alle ` +
      `${displayTime(cutoff)} del giorno di servizio. ` +
      (dayBefore === today
        ? `L'orario limite di oggi ${formatDateIt(today)} è superato; per ${dayAndDateIt(target)} ` +
          `la disdetta telefonica è accettata dalle ${PHONE_WINDOW_OPENS_AT} di oggi.`
        : `Per ${dayAndDateIt(target)} la disdetta telefonica è accettata dalle ` +
          `${PHONE_WINDOW_OPENS_AT} del ${formatDateIt(dayBefore)}.`),
  };
}
