/**
 * What a codice fiscale says about a person: birth date and sex. One decoding for the backend
 * (electron/identifiers/codice-fiscale.ts, which also checks the control character) and the
 * screens (the birth date filled from the code, "iscritto" / "iscritta").
 * Dependency-free on purpose (see eslint.config.js, VOCABULARY_FILES).
 */

/** Letters replacing the digits 0–9 in omocodic codes. */
export const OMOCODIA_LETTERS = 'LMNPQRSTUV';
/** Month letters, January to December. */
export const MONTH_LETTERS = 'ABCDEHLMPRST';
/** Indices of the seven numeric positions, left to right. */
export const NUMERIC_POSITIONS: readonly number[] = [6, 7, 9, 10, 12, 13, 14];

const LAYOUT = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** Replaces omocodia letters with their digits in the seven numeric positions. */
export function deomocode(cf: string): string {
  const chars = cf.split('');
  for (const i of NUMERIC_POSITIONS) {
    const k = OMOCODIA_LETTERS.indexOf(chars[i]);
    if (k >= 0) chars[i] = String(k);
  }
  return chars.join('');
}

export interface TaxCodeFacts {
  /** 'YYYY-MM-DD'; the day as encoded (its calendar validity is the caller's check) */
  birthDate: string;
  sex: 'M' | 'F';
}

/**
 * Birth date and sex encoded in a codice fiscale laid out as one (16 characters, letters and
 * digits where they belong; the control character is not checked here), else null. The two-digit
 * year goes to the latest year not after `referenceYear` (the caller's current year).
 */
export function taxCodeFacts(code: string, referenceYear: number): TaxCodeFacts | null {
  const cf = code.trim().toUpperCase();
  if (!LAYOUT.test(cf)) return null;
  const plain = deomocode(cf);
  let day = Number(plain.slice(9, 11));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return null;
  const sex: 'M' | 'F' = day > 40 ? 'F' : 'M';
  if (sex === 'F') day -= 40;
  let year = Math.floor(referenceYear / 100) * 100 + Number(plain.slice(6, 8));
  if (year > referenceYear) year -= 100;
  const month = MONTH_LETTERS.indexOf(plain[8]) + 1;
  const pad2 = (n: number) => String(n).padStart(2, '0');
  return { birthDate: `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`, sex };
}
