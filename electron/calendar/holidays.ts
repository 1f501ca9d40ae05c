/**
 * Italian national public holidays ("festività nazionali").
 *
 * Only the holidays fixed by national law are here. A town's patron saint day, school
 * holidays, strikes, polling days and trips are not: they reach the service calendar of each
 * school as closures (A7), so this list is a starting point for that calendar, not all of it.
 */
import { addDays, compareDates } from './rome-time';

/** Years the Gregorian computus and the 'YYYY' date format both cover. */
function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`Anno non valido: ${year} (atteso un intero tra 1583 e 9999)`);
  }
}

export interface PublicHoliday {
  /** 'YYYY-MM-DD' */
  date: string;
  /** Italian name, as shown to the office. */
  name: string;
}

/**
 * Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm
 * (Meeus/Jones/Butcher).
 */
export function easterSunday(year: number): string {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The national public holidays of `year`, in date order. */
export function italianPublicHolidays(year: number): PublicHoliday[] {
  assertYear(year);
  const y = String(year).padStart(4, '0');
  const easter = easterSunday(year);
  const list: PublicHoliday[] = [
    { date: `${y}-01-01`, name: 'Capodanno' },
    { date: `${y}-01-06`, name: 'Epifania' },
    { date: easter, name: 'Pasqua' },
    { date: addDays(easter, 1), name: "Lunedì dell'Angelo" },
    { date: `${y}-04-25`, name: 'Festa della Liberazione' },
    { date: `${y}-05-01`, name: 'Festa dei Lavoratori' },
    { date: `${y}-06-02`, name: 'Festa della Repubblica' },
    { date: `${y}-08-15`, name: 'Ferragosto' },
    { date: `${y}-11-01`, name: 'Ognissanti' },
    { date: `${y}-12-08`, name: 'Immacolata Concezione' },
    { date: `${y}-12-25`, name: 'Natale' },
    { date: `${y}-12-26`, name: 'Santo Stefano' },
  ];
  if (year >= 2026) {
    // Legge 8 ottobre 2025, n. 151 (G.U. n. 236 del 10/10/2025, in vigore dal 01/01/2026)
    // restores 4 October as the national holiday of San Francesco d'Assisi, patron of Italy,
    // adding it to art. 2 of legge 27 maggio 1949, n. 260. Schools and offices close.
    list.push({ date: `${y}-10-04`, name: "San Francesco d'Assisi, patrono d'Italia" });
  }
  // Easter falls between 22 March and 25 April, so Easter Monday may share 25 April with
  // the Liberation day (e.g. 2011): both entries are kept, each with its own name.
  return list.sort((p, q) => compareDates(p.date, q.date));
}

/** True iff `date` is a national public holiday. */
export function isItalianPublicHoliday(date: string): boolean {
  compareDates(date, date); // validates
  return italianPublicHolidays(Number(date.slice(0, 4))).some((h) => h.date === date);
}

/** The national public holidays from `from` to `to`, both included, in date order. */
export function holidaysInRange(from: string, to: string): PublicHoliday[] {
  if (compareDates(from, to) > 0) return []; // also validates both dates
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  const out: PublicHoliday[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    for (const h of italianPublicHolidays(year)) {
      if (h.date >= from && h.date <= to) out.push(h);
    }
  }
  return out;
}
