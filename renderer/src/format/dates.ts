import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import 'dayjs/locale/it';

dayjs.extend(customParseFormat);
dayjs.locale('it');

/** '2026-07-06' → '06/07/2026' */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A UTC moment shown in Rome time: '2026-10-12T08:00:00Z' → '12/10/2026 10:00' */
export function formatMoment(isoMoment: string | null | undefined): string {
  if (!isoMoment) return '';
  const d = new Date(isoMoment);
  if (Number.isNaN(d.getTime())) return isoMoment;
  return new Intl.DateTimeFormat('it-IT', {
    timeZone: 'Europe/Rome',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(d).replace(',', '');
}

/** Parses what the user types in a date box, day first: '6/7/2026', '06/07/2026', '06-07-2026', '06.07.2026'. */
export function parseItalianDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export const WEEKDAYS = [
  { value: 1, short: 'Lun', label: 'Lunedì' },
  { value: 2, short: 'Mar', label: 'Martedì' },
  { value: 3, short: 'Mer', label: 'Mercoledì' },
  { value: 4, short: 'Gio', label: 'Giovedì' },
  { value: 5, short: 'Ven', label: 'Venerdì' },
] as const;

export function formatWeekdays(days: number[]): string {
  return days.map((d) => WEEKDAYS.find((w) => w.value === d)?.short ?? String(d)).join(' ');
}
