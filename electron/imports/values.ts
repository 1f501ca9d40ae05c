/**
 * Reading the values the previous system wrote, in the forms Italian offices type them:
 * dates as gg/mm/aaaa, weekdays as "LMMGV" or "lun,mer,ven", "2026/27" for a school year.
 * Each reader returns the value, or an Italian message saying what was expected.
 */
import { EMAIL_RE, compactMobile, isMobile } from '../contract/fields';
import { isRealDate } from '../contract/vocabulary/dates';
import { weekdayName } from '../contract/vocabulary/weekdays';

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = <T>(message: string): Read<T> => ({ ok: false, message });

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD', 'gg/mm/aaaa' (also with '-' or '.'), or an Excel serial day number. */
export function readDate(s: string): Read<string> {
  const t = s.trim();
  let iso: string | null = null;
  let m: RegExpMatchArray | null;
  if ((m = t.match(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/))) iso = `${m[1]}-${pad2(Number(m[2]))}-${pad2(Number(m[3]))}`;
  else if ((m = t.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: .*)?$/))) iso = `${m[3]}-${pad2(Number(m[2]))}-${pad2(Number(m[1]))}`;
  else if (/^\d{5}$/.test(t)) {
    // an Excel serial date left unformatted: days since 1899-12-30
    const d = new Date(Date.UTC(1899, 11, 30) + Number(t) * 86_400_000);
    iso = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  }
  if (!iso || iso < '1900' || !isRealDate(iso)) return no(`Data non valida: «${t}» (usare gg/mm/aaaa)`);
  return ok(iso);
}

/** '2026/2027', '2026-2027', '2026/27', '26/27', 'A.S. 2026/2027' → '2026/2027'. */
export function readSchoolYear(s: string): Read<string> {
  const t = s.trim().replace(/^a\.?\s*s\.?\s*/i, '');
  const m = t.match(/^(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$/);
  if (!m) return no(`Anno scolastico non valido: «${s.trim()}» (es. 2026/2027)`);
  const first = m[1].length === 2 ? 2000 + Number(m[1]) : Number(m[1]);
  const second = m[2].length === 2 ? Math.floor(first / 100) * 100 + Number(m[2]) : Number(m[2]);
  const fixedSecond = second < first ? second + 100 : second;
  if (fixedSecond !== first + 1) return no(`Anno scolastico non valido: «${s.trim()}» (il secondo anno deve seguire il primo, es. 2026/2027)`);
  return ok(`${first}/${fixedSecond}`);
}

const DAY_WORDS: Record<string, number> = {
  lunedi: 1, lun: 1, lu: 1, l: 1, '1': 1, mon: 1, monday: 1,
  martedi: 2, mar: 2, ma: 2, '2': 2, tue: 2, tuesday: 2,
  mercoledi: 3, mer: 3, me: 3, '3': 3, wed: 3, wednesday: 3,
  giovedi: 4, gio: 4, gi: 4, g: 4, '4': 4, thu: 4, thursday: 4,
  venerdi: 5, ven: 5, ve: 5, v: 5, '5': 5, fri: 5, friday: 5,
};

/** Lower case, accents dropped, anything but letters and digits turned into single spaces: how a file's column names and codes are compared. */
export function plainWords(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

const WEEKDAYS_HELP = '(es. LMMGV, L-M-V, lun,mer,ven o 1,3,5)';

/**
 * E4: the service weekdays, Monday (1) to Friday (5). Accepted forms:
 *  - five positions, a letter or a placeholder ('-', '_', '.', '*') each: "LMMGV", "L-M-V", "L---V";
 *  - a list of names, abbreviations or numbers separated by ',', ';', '/', '+', spaces: "lun,mer,ven";
 *  - a range of two days: "lun-ven", "L-V", "1-5"; "tutti", "tutti i giorni", "dal lunedì al venerdì";
 *  - digits together: "135".
 * A lone "M" is ambiguous (martedì or mercoledì) and refused.
 */
export function readWeekdays(s: string): Read<number[]> {
  const raw = s.trim();
  const t = fold(raw);
  if (!t) return no('Giorni di fruizione mancanti');
  if (/^(tutti( i giorni)?|tutta la settimana|(dal )?lunedi (al|a) venerdi|da lunedi a venerdi)$/.test(t)) return ok([1, 2, 3, 4, 5]);
  // positional: exactly five slots
  if (/^[l\-_.*][m\-_.*][m\-_.*][g\-_.*][v\-_.*]$/.test(t) && /[lmgv]/.test(t)) {
    const days: number[] = [];
    for (let i = 0; i < 5; i++) if (/[lmgv]/.test(t[i])) days.push(i + 1);
    return ok(days);
  }
  if (/^[1-5]{1,5}$/.test(t)) return ok([...new Set(t.split('').map(Number))].sort());
  // range "lun-ven", "1-5", "lunedì - venerdì"
  const range = t.match(/^([a-z0-9]+)\s*[-–]\s*([a-z0-9]+)$/);
  if (range && DAY_WORDS[range[1]] && DAY_WORDS[range[2]]) {
    const a = DAY_WORDS[range[1]];
    const b = DAY_WORDS[range[2]];
    if (a < b) return ok(Array.from({ length: b - a + 1 }, (_, i) => a + i));
  }
  const tokens = t.split(/[\s,;/+\-–]+/).filter(Boolean);
  const days = new Set<number>();
  for (const tok of tokens) {
    if (tok === 'm') return no(`Giorni di fruizione ambigui: «M» può essere martedì o mercoledì ${WEEKDAYS_HELP}`);
    const d = DAY_WORDS[tok] ?? DAY_WORDS[tok.replace(/[.']/g, '')];
    if (d) {
      days.add(d);
      continue;
    }
    if (/^(sab|sabato|dom|domenica|6|7)$/.test(tok)) return no(`Giorni di fruizione: solo da lunedì a venerdì, non «${tok}»`);
    return no(`Giorni di fruizione non validi: «${raw}» ${WEEKDAYS_HELP}`);
  }
  if (days.size === 0) return no(`Giorni di fruizione non validi: «${raw}» ${WEEKDAYS_HELP}`);
  return ok([...days].sort());
}

export function weekdayNames(days: number[]): string {
  return days.map(weekdayName).join(', ');
}

/** P1/P4: prepaid credit (PagoPA top-ups) or SEPA direct debit. */
export function readPaymentMethod(s: string): Read<'prepagato' | 'sdd'> {
  const t = fold(s).replace(/[^a-z]+/g, ' ').trim();
  if (/^(prepagat[oa]|prepagamento|ricaric[ah]e?|credito|pago ?pa|pagopa|pre pagato|prepagato pagopa|anticipato|avviso pagopa|bollettino)$/.test(t)) return ok('prepagato');
  if (/^(sdd|sepa|sepa sdd|sdd sepa|rid|addebito|addebito (diretto|in conto|sul conto|bancario|sepa)|domiciliazione( bancaria)?|postpagato|post pagato|posticipato|mandato sepa)$/.test(t)) return ok('sdd');
  return no(`Modalità di pagamento non riconosciuta: «${s.trim()}» (prepagato oppure SDD)`);
}

/** "3 a" → "3A", "3^A" → "3A", "sez. b" → "Sez. B": class names compared case-insensitively anyway. */
export function readClassName(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  const m = t.match(/^(\d)\s*[°^ª]?\s*([a-z]{1,2})$/i);
  if (m) return `${m[1]}${m[2].toUpperCase()}`;
  return t;
}

/** "Via Roma 12/A" → street "Via Roma", number "12/A" (SEPA wants them apart); otherwise unchanged. */
const HOUSE_NUMBER_AT_END = /[\s,]+(?:n\.?\s*)?(\d+[a-z]?(?:\s*\/\s*[a-z0-9]+)?|snc|s\.n\.c\.)$/i;

export function splitStreet(s: string): { street: string; number: string } {
  const t = s.trim().replace(/\s+/g, ' ');
  const m = HOUSE_NUMBER_AT_END.exec(t);
  if (m) {
    const street = t.slice(0, m.index).replace(/,$/, '');
    // the street keeps a letter at its end ("Corso 22 Marzo 4" → "Corso 22 Marzo"), and a name
    if (street.length >= 3 && /[a-zà-ÿ'.]$/i.test(street)) return { street, number: m[1].replace(/\s+/g, '') };
  }
  return { street: t, number: '' };
}

/** Mobile as the payer form stores it: the rule of `contract/fields.ts` (`mobile`), one home for both. */
export function readMobile(s: string): Read<string> {
  const compact = compactMobile(s);
  if (isMobile(compact)) return ok(compact);
  return no(`Numero di cellulare non valido: «${s.trim()}» (es. 3471234567)`);
}

/** The e-mail rule of `contract/fields.ts`, re-exported for the row checks. */
export { EMAIL_RE };

/** '24023', or a postcode Excel turned into a number and lost its leading zero (100 → 00100). */
export function readPostcode(s: string): Read<string> {
  const t = s.trim();
  if (/^\d{5}$/.test(t)) return ok(t);
  if (/^\d{3,4}$/.test(t)) return ok(t.padStart(5, '0'));
  return no(`CAP non valido: «${t}» (5 cifre)`);
}
