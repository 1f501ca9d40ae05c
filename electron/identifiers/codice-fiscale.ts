/**
 * Codice fiscale of a natural person (DM 23 dicembre 1976 and later omocodia rules).
 *
 * Hand-written on purpose rather than taken from a library: the available packages ship large
 * municipality (Belfiore) tables we do not need, and some of them accept letters other than
 * L M N P Q R S T U V in the omocodia positions, so they would let malformed codes through.
 *
 * Layout (0-based indices):
 *   0-5   surname and first-name letters
 *   6-7   year of birth (last two digits)                 — digit or omocodia letter
 *   8     month letter (A B C D E H L M P R S T)
 *   9-10  day of birth, +40 for women (1-31 / 41-71)      — digit or omocodia letter
 *   11    first letter of the Belfiore code
 *   12-14 Belfiore code digits                            — digit or omocodia letter
 *   15    check character (odd/even tables, mod 26)
 *
 * Only the 16-character personal code is handled: the 11-digit numeric codes of legal entities
 * and the provisional codes are not accepted here.
 */
import { fail, ok, oddEvenCheckLetter, type IdentifierResult } from './shared';
import { MONTH_LETTERS, OMOCODIA_LETTERS, NUMERIC_POSITIONS, deomocode, taxCodeFacts } from '../contract/vocabulary/tax-code';

export { MONTH_LETTERS, OMOCODIA_LETTERS, NUMERIC_POSITIONS };

const LETTER_POSITIONS = [0, 1, 2, 3, 4, 5, 11];
const MONTH_POSITION = 8;

function isLetter(ch: string): boolean {
  return ch >= 'A' && ch <= 'Z';
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function invalidAt(index: number, expected: string): IdentifierResult {
  return fail(
    `Il codice fiscale contiene caratteri non validi in posizione ${index + 1}: ${expected}`,
  );
}

/**
 * Check character for the first 15 characters of a codice fiscale (uppercase, omocodia letters
 * allowed: the check is computed on the code as written).
 */
export function computeCheckChar(first15: string): string {
  const s = first15.toUpperCase();
  if (!/^[A-Z0-9]{15}$/.test(s)) {
    throw new RangeError('Per il carattere di controllo servono 15 caratteri alfanumerici');
  }
  return oddEvenCheckLetter(s);
}

/**
 * Validates a codice fiscale. The value is trimmed and uppercased; on success `value` is the
 * normalized code. Messages are in Italian, positions 1-based.
 */
export function validateCodiceFiscale(input: string): IdentifierResult {
  const cf = input.trim().toUpperCase();
  if (cf.length === 0) return fail('Il codice fiscale è obbligatorio');
  if (cf.length !== 16) {
    return fail(`Il codice fiscale deve avere 16 caratteri (ne ha ${cf.length})`);
  }

  for (let i = 0; i < 16; i++) {
    const ch = cf[i];
    if (LETTER_POSITIONS.includes(i) || i === 15) {
      if (!isLetter(ch)) return invalidAt(i, 'attesa una lettera');
    } else if (i === MONTH_POSITION) {
      if (!MONTH_LETTERS.includes(ch)) {
        return invalidAt(i, 'attesa la lettera del mese (A B C D E H L M P R S T)');
      }
    } else if (!isDigit(ch) && !OMOCODIA_LETTERS.includes(ch)) {
      return invalidAt(i, 'attesa una cifra o una lettera di omocodia (L M N P Q R S T U V)');
    }
  }

  const day = Number(deomocode(cf).slice(9, 11));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) {
    return fail('Giorno di nascita non valido nel codice fiscale (posizioni 10-11)');
  }

  if (oddEvenCheckLetter(cf.slice(0, 15)) !== cf[15]) {
    return fail('Carattere di controllo del codice fiscale errato');
  }
  return ok(cf);
}

export interface DecodedCodiceFiscale {
  /** 'YYYY-MM-DD'. The day is as encoded: the calendar validity of the date is not checked. */
  birthDate: string;
  sex: 'M' | 'F';
  /** Belfiore code of the municipality or foreign country, omocodia decoded (e.g. 'H501'). */
  belfiore: string;
}

/**
 * Decodes birth date, sex and Belfiore code. The two-digit year goes to the latest year not
 * after `referenceYear` (the caller's current year, from its injected clock: the code itself
 * does not say the century). Throws an Error with the Italian validation message when `cf` is
 * not a valid codice fiscale.
 */
export function decodeCodiceFiscale(cf: string, referenceYear: number): DecodedCodiceFiscale {
  if (!Number.isInteger(referenceYear) || referenceYear < 100 || referenceYear > 9999) {
    throw new RangeError(`Anno di riferimento non valido: ${referenceYear}`);
  }
  const result = validateCodiceFiscale(cf);
  if (!result.ok) throw new Error(result.message);
  // a valid code is laid out as one: the shared decoding answers
  const facts = taxCodeFacts(result.value, referenceYear)!;
  return { ...facts, belfiore: deomocode(result.value).slice(11, 15) };
}

/**
 * The one check that a codice fiscale encodes a birth date (pupil form, import, demo data).
 * The code holds only the last two digits of the year, so the century is taken from the date
 * itself. Returns null when they agree, else the date the code encodes ('YYYY-MM-DD', in the
 * century nearest the given date) for the message. `cf` must be a valid codice fiscale.
 */
export function birthDateMismatch(cf: string, birthDate: string): string | null {
  const year = Math.min(9949, Math.max(100, Number(birthDate.slice(0, 4))));
  if (decodeCodiceFiscale(cf, year).birthDate === birthDate) return null;
  return decodeCodiceFiscale(cf, year + 50).birthDate;
}

export interface CodiceFiscaleData {
  lastName: string;
  firstName: string;
  /** 'YYYY-MM-DD' */
  birthDate: string;
  sex: 'M' | 'F';
  /** Belfiore code: a letter and three digits (e.g. 'H501' for Roma, 'Z138' for a country). */
  belfiore: string;
  /**
   * Number of omocodia substitutions (0–7, default 0), applied from the rightmost numeric
   * position leftwards as the Agenzia delle Entrate does.
   */
  omocodia?: number;
}

const VOWELS = 'AEIOU';

/** Uppercase A–Z only: accents dropped (È → E), apostrophes, spaces and the rest removed. */
function lettersOnly(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

function splitLetters(name: string): { consonants: string; vowels: string } {
  let consonants = '';
  let vowels = '';
  for (const ch of lettersOnly(name)) {
    if (VOWELS.includes(ch)) vowels += ch;
    else consonants += ch;
  }
  return { consonants, vowels };
}

function nameCode(name: string, isFirstName: boolean, what: string): string {
  const { consonants, vowels } = splitLetters(name);
  if (consonants.length + vowels.length === 0) {
    throw new RangeError(`${what} non contiene lettere`);
  }
  if (isFirstName && consonants.length >= 4) {
    return consonants[0] + consonants[2] + consonants[3];
  }
  return (consonants + vowels + 'XXX').slice(0, 3);
}

/**
 * Builds the codice fiscale of a person from personal data (standard consonant/vowel rules).
 * Used by the demo-data generator; throws RangeError on malformed data.
 */
export function buildCodiceFiscale(data: CodiceFiscaleData): string {
  const surname = nameCode(data.lastName, false, 'Il cognome');
  const name = nameCode(data.firstName, true, 'Il nome');

  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(data.birthDate);
  if (!m) throw new RangeError(`Data di nascita non valida: ${data.birthDate}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) {
    throw new RangeError(`Data di nascita non valida: ${data.birthDate}`);
  }
  if (data.sex !== 'M' && data.sex !== 'F') {
    throw new RangeError(`Sesso non valido: ${String(data.sex)}`);
  }
  const belfiore = data.belfiore.trim().toUpperCase();
  if (!/^[A-Z]\d{3}$/.test(belfiore)) {
    throw new RangeError(`Codice catastale non valido: ${data.belfiore}`);
  }
  const omocodia = data.omocodia ?? 0;
  if (!Number.isInteger(omocodia) || omocodia < 0 || omocodia > 7) {
    throw new RangeError(`Livello di omocodia non valido: ${omocodia} (ammesso 0-7)`);
  }

  const chars = (
    surname +
    name +
    String(year % 100).padStart(2, '0') +
    MONTH_LETTERS[month - 1] +
    String(data.sex === 'F' ? day + 40 : day).padStart(2, '0') +
    belfiore
  ).split('');
  for (let k = 0; k < omocodia; k++) {
    const i = NUMERIC_POSITIONS[NUMERIC_POSITIONS.length - 1 - k];
    chars[i] = OMOCODIA_LETTERS[Number(chars[i])];
  }
  const first15 = chars.join('');
  return first15 + computeCheckChar(first15);
}
