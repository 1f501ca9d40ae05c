/**
 * What an audit snapshot may keep (issue 7): the audit log is kept for years and read by
 * supervisors, so it never holds a full bank account number or a password.
 *
 * - IBANs are masked to their country, check digits and last four characters
 *   (IT60X0542811101000000123456 → "IT60 **** **** 3456"), wherever they appear: under a key
 *   that names an IBAN (payer.iban, newIban…), and inside any text (notes, messages) where a
 *   valid IBAN is written, compact or in groups of four;
 * - values under keys that name a password, a hash or a salt are dropped.
 */
import { isValidIBAN } from 'ibantools';

export function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (compact.length < 8) return '****';
  return `${compact.slice(0, 4)} **** **** ${compact.slice(-4)}`;
}

/** A candidate IBAN in text: 2 letters, 2 digits, then 11-30 letters/digits, maybe in groups of 4. */
const IBAN_IN_TEXT = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g;

/** The longest valid IBAN at the start of a candidate (it may have run into the next word). */
function leadingIban(candidate: string): { iban: string; length: number } | null {
  let compact = '';
  const ends: number[] = [];
  for (let i = 0; i < candidate.length; i++) {
    if (candidate[i] === ' ') continue;
    compact += candidate[i];
    ends.push(i + 1);
  }
  for (let n = Math.min(compact.length, 34); n >= 15; n--) {
    const end = ends[n - 1];
    // a match must end at a word boundary of the text
    if (end < candidate.length && candidate[end] !== ' ') continue;
    if (isValidIBAN(compact.slice(0, n))) return { iban: compact.slice(0, n), length: end };
  }
  return null;
}

export function maskIbansInText(text: string): string {
  if (text.length < 15) return text;
  return text.replace(IBAN_IN_TEXT, (m) => {
    const found = leadingIban(m);
    return found ? maskIban(found.iban) + m.slice(found.length) : m;
  });
}

const IBAN_KEY = /iban/i;
const NOT_AN_IBAN_KEY = /holder|intestat|name|nome/i;
const SECRET_KEY = /password|passwd|^salt$|secret/i;

/** A copy of the value with IBANs masked and secrets dropped (plain JSON values in, plain JSON out). */
export function maskSnapshot(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (IBAN_KEY.test(key) && !NOT_AN_IBAN_KEY.test(key)) return value.trim() === '' ? value : maskIban(value);
    return maskIbansInText(value);
  }
  if (Array.isArray(value)) return value.map((v) => maskSnapshot(v, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k)) continue;
      out[k] = maskSnapshot(v, k);
    }
    return out;
  }
  return value;
}

/** The same on a JSON text (the form the audit writer receives); text that is not JSON is masked as text. */
export function maskSnapshotJson(json: string | null): string | null {
  if (json === null) return null;
  try {
    return JSON.stringify(maskSnapshot(JSON.parse(json)));
  } catch {
    return maskIbansInText(json);
  }
}
