import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import 'dayjs/locale/it';

import { formatDateIt, formatMomentIt, isRealDate } from '../../../electron/contract/vocabulary/dates';
import { weekdayLabel, weekdayShort } from '../../../electron/contract/vocabulary/weekdays';

dayjs.extend(customParseFormat);
dayjs.locale('it');

/** '2026-07-06' → '06/07/2026' */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const day = iso.slice(0, 10);
  return isRealDate(day) ? formatDateIt(day) : iso;
}

/** A UTC moment shown in Rome time: '2026-10-12T08:00:00Z' → '12/10/2026 10:00:00' */
export function formatMoment(isoMoment: string | null | undefined): string {
  return isoMoment ? formatMomentIt(isoMoment) : '';
}

/** Parses what the user types in a date box, day first: '6/7/2026', '06/07/2026', '06-07-2026', '06.07.2026'. */
export function parseItalianDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isRealDate(iso) ? iso : null;
}

/** The school days, Monday to Friday, for weekday checkboxes. */
export const WEEKDAYS = [1, 2, 3, 4, 5].map((value) => ({ value, short: weekdayShort(value), label: weekdayLabel(value) }));

/** [1, 3, 5] → 'Lun Mer Ven' */
export function formatWeekdays(days: number[]): string {
  return days.map((d) => (d >= 1 && d <= 7 ? weekdayShort(d) : String(d))).join(' ');
}
