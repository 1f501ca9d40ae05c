/**
 * Inter-bank business days (TARGET calendar) and the SDD dates that depend on them
 * (PAYMENTS.md §1 "Dates"): Monday to Friday except 1 January, Good Friday, Easter Monday,
 * 1 May, 25 and 26 December. Italian-only holidays (6 Jan, 25 Apr, 2 Jun, 15 Aug, 1 Nov, 8 Dec)
 * ARE TARGET days. A collection's due date should be a TARGET day; the P4 pattern collects month
 * M's meals on the last TARGET day of month M+1.
 */
import { addDays, isWeekend } from '../calendar/rome-time';
import { easterSunday } from '../calendar/holidays';

/** The TARGET closing days of a year that fall on weekdays or not: all six. */
export function targetHolidays(year: number): string[] {
  const y = String(year).padStart(4, '0');
  const easter = easterSunday(year);
  return [`${y}-01-01`, addDays(easter, -2), addDays(easter, 1), `${y}-05-01`, `${y}-12-25`, `${y}-12-26`];
}

/** Is `date` an inter-bank business day? */
export function isTargetDay(date: string): boolean {
  if (isWeekend(date)) return false;
  return !targetHolidays(Number(date.slice(0, 4))).includes(date);
}

/** 'YYYY-MM' → the month after, 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The last calendar day of 'YYYY-MM'. */
export function lastDayOfMonth(month: string): string {
  return addDays(`${nextMonth(month)}-01`, -1);
}

/** The last TARGET day of a month. */
export function lastTargetDayOf(month: string): string {
  let d = lastDayOfMonth(month);
  while (!isTargetDay(d)) d = addDays(d, -1);
  return d;
}

/** P4: the default due date of the batch of month M's meals: the last TARGET day of M+1. */
export function defaultDueDate(mealsMonth: string): string {
  return lastTargetDayOf(nextMonth(mealsMonth));
}

/** The TARGET day `n` inter-bank business days before `date` (n ≥ 1). */
export function targetDaysBefore(date: string, n: number): string {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, -1);
    if (isTargetDay(d)) left--;
  }
  return d;
}

/**
 * The window in which the collection must reach the debtor's bank: from 14 calendar days before the
 * due date up to one TARGET day before it (D-1, Core since 2016).
 */
export function presentationWindow(dueDate: string): { earliest: string; latest: string } {
  return { earliest: addDays(dueDate, -14), latest: targetDaysBefore(dueDate, 1) };
}
