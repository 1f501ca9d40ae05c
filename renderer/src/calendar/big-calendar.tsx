/**
 * react-big-calendar set up the Italian way, shared by the service calendar and the pupil's
 * presence history: dayjs localizer with the Italian locale (weeks start on Monday), Italian
 * toolbar labels, dd/mm/yyyy dates.
 */
import 'react-big-calendar/lib/css/react-big-calendar.css';
import './big-calendar.css';
import dayjs from 'dayjs';
import 'dayjs/locale/it';
import { dayjsLocalizer, type Formats, type Messages } from 'react-big-calendar';
import '../format/dates';
import { programNow } from '../app/program-clock';

dayjs.locale('it');

export const localizer = dayjsLocalizer(dayjs);

export const CULTURE = 'it';

export const MESSAGES: Messages = {
  date: 'Data',
  time: 'Ora',
  event: 'Evento',
  allDay: 'Tutto il giorno',
  week: 'Settimana',
  work_week: 'Settimana lavorativa',
  day: 'Giorno',
  month: 'Mese',
  previous: 'Indietro',
  next: 'Avanti',
  yesterday: 'Ieri',
  tomorrow: 'Domani',
  today: 'Oggi',
  agenda: 'Agenda',
  noEventsInRange: 'Nessun evento in questo periodo',
  showMore: (n: number) => `+${n} ${n === 1 ? 'altro' : 'altri'}`,
};

const d = (x: Date, f: string) => dayjs(x).locale('it').format(f);
const range = ({ start, end }: { start: Date; end: Date }) => `${d(start, 'DD/MM/YYYY')} – ${d(end, 'DD/MM/YYYY')}`;

export const FORMATS: Formats = {
  dateFormat: 'D',
  dayFormat: (x: Date) => d(x, 'ddd DD/MM'),
  weekdayFormat: (x: Date) => d(x, 'dddd'),
  monthHeaderFormat: (x: Date) => d(x, 'MMMM YYYY'),
  dayHeaderFormat: (x: Date) => d(x, 'dddd DD/MM/YYYY'),
  dayRangeHeaderFormat: range,
  agendaHeaderFormat: range,
  agendaDateFormat: (x: Date) => d(x, 'ddd DD/MM/YYYY'),
  agendaTimeFormat: 'HH:mm',
  timeGutterFormat: 'HH:mm',
  eventTimeRangeFormat: ({ start, end }: { start: Date; end: Date }) => `${d(start, 'HH:mm')}–${d(end, 'HH:mm')}`,
  selectRangeFormat: ({ start, end }: { start: Date; end: Date }) => `${d(start, 'HH:mm')}–${d(end, 'HH:mm')}`,
};

/** A local Date (the calendar's cells) as 'YYYY-MM-DD'. */
export function isoOf(date: Date): string {
  return dayjs(date).format('YYYY-MM-DD');
}

/** 'YYYY-MM-DD' as a local midnight (what the calendar's cells hold). */
export function dateOf(iso: string): Date {
  const [y, m, day] = iso.split('-').map(Number);
  return new Date(y, m - 1, day);
}

export function addDaysIso(iso: string, n: number): string {
  return dayjs(iso).add(n, 'day').format('YYYY-MM-DD');
}

/** The days a view shows: the month grid (whole weeks, Monday first), the week, or 30 days of agenda. */
export function visibleRange(view: string, date: Date): { from: string; to: string } {
  const x = dayjs(date);
  if (view === 'week') return { from: x.startOf('week').format('YYYY-MM-DD'), to: x.endOf('week').format('YYYY-MM-DD') };
  if (view === 'day') return { from: x.format('YYYY-MM-DD'), to: x.format('YYYY-MM-DD') };
  if (view === 'agenda') return { from: x.format('YYYY-MM-DD'), to: x.add(29, 'day').format('YYYY-MM-DD') };
  return { from: x.startOf('month').startOf('week').format('YYYY-MM-DD'), to: x.endOf('month').endOf('week').format('YYYY-MM-DD') };
}

/** The props every calendar of the program shares: Italian labels and formats, and the program's clock for «today». */
export const CALENDAR_BASE = { localizer, culture: CULTURE, messages: MESSAGES, formats: FORMATS, getNow: programNow };
