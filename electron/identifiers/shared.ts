/**
 * Small helpers shared by the identifier validators. Pure: no Electron, React or DB imports.
 */

/** Outcome of every validator in this folder. `value` is the normalized identifier. */
export type IdentifierResult = { ok: true; value: string } | { ok: false; message: string };

export function ok(value: string): IdentifierResult {
  return { ok: true, value };
}

export function fail(message: string): IdentifierResult {
  return { ok: false, message };
}

/**
 * Values of the characters in odd (1st, 3rd, …) positions, shared by the codice fiscale check
 * character (DM 23/12/1976, allegato) and the Italian bank CIN. Digits count as the letters
 * A–J (0 → A, 1 → B, …).
 */
const ODD_LETTER_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
] as const;

const CODE_0 = '0'.charCodeAt(0);
const CODE_A = 'A'.charCodeAt(0);

function alnumIndex(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= CODE_0 && c <= CODE_0 + 9) return c - CODE_0;
  if (c >= CODE_A && c <= CODE_A + 25) return c - CODE_A;
  throw new RangeError(`Carattere non alfanumerico: ${JSON.stringify(ch)}`);
}

/**
 * The odd/even-table check letter used by both the codice fiscale and the Italian CIN:
 * characters in odd 1-based positions are worth ODD_LETTER_VALUES, those in even positions
 * their ordinal (0–9, A=0 … Z=25); the sum modulo 26 is the letter.
 * `s` must be uppercase alphanumeric.
 */
export function oddEvenCheckLetter(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const idx = alnumIndex(s[i]);
    sum += i % 2 === 0 ? ODD_LETTER_VALUES[idx] : idx;
  }
  return String.fromCharCode(CODE_A + (sum % 26));
}

/**
 * ISO 7064 MOD 97-10 remainder of an uppercase alphanumeric string, letters expanded to
 * two digits (A=10 … Z=35), computed piecewise so no big integers are needed.
 */
export function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    let digits: string;
    if (c >= CODE_0 && c <= CODE_0 + 9) digits = ch;
    else if (c >= CODE_A && c <= CODE_A + 25) digits = String(c - CODE_A + 10);
    else throw new RangeError(`Carattere non alfanumerico: ${JSON.stringify(ch)}`);
    for (const d of digits) rem = (rem * 10 + (d.charCodeAt(0) - CODE_0)) % 97;
  }
  return rem;
}

/** Two-digit ISO 7064 MOD 97-10 check digits for `body` (already rearranged, ending in '00'). */
export function mod97CheckDigits(bodyWithZeros: string): string {
  return String(98 - mod97(bodyWithZeros)).padStart(2, '0');
}

/** Removes every kind of whitespace (including NBSP) and uppercases. */
export function compactUpper(input: string): string {
  return input.replace(/[\s\u00a0\u2007\u202f]+/g, '').toUpperCase();
}
