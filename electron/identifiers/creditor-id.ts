/**
 * SEPA Creditor Identifier (EPC262-08, "Creditor Identifier Overview").
 *
 * Layout: country code (2 letters) + check digits (2) + Creditor Business Code (3, free, 'ZZZ'
 * when unused) + national identifier (up to 28 alphanumerics). The check digits are ISO 7064
 * MOD 97-10 over national identifier + country code + '00', with letters as 10–35; the
 * business code is excluded, so it can change without changing the check digits.
 *
 * Italy: the national identifier is the creditor's 16-character codice fiscale, or the 11-digit
 * codice fiscale / partita IVA left-padded with five zeros, so an Italian CI has 23 characters.
 */
import { compactUpper, fail, mod97, mod97CheckDigits, ok, type IdentifierResult } from './shared';

/** Exact lengths for countries where we know the national layout. */
const COUNTRY_LENGTHS: Record<string, number> = { IT: 23 };

function checkDigitsFor(country: string, nationalId: string): string {
  return mod97CheckDigits(nationalId + country + '00');
}

/** Validates a SEPA creditor identifier; on success `value` has no spaces and is uppercase. */
export function validateCreditorId(input: string): IdentifierResult {
  const ci = compactUpper(input);
  if (ci.length === 0) return fail("L'identificativo del creditore è obbligatorio");
  if (!/^[A-Z0-9]+$/.test(ci)) {
    return fail("L'identificativo del creditore contiene caratteri non validi");
  }
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/.test(ci)) {
    return fail(
      "Identificativo del creditore non valido: atteso codice paese, 2 cifre di controllo, " +
        'codice attività di 3 caratteri e identificativo nazionale',
    );
  }
  const country = ci.slice(0, 2);
  const expectedLength = COUNTRY_LENGTHS[country];
  if (expectedLength !== undefined && ci.length !== expectedLength) {
    return fail(
      `Identificativo del creditore di lunghezza errata: per ${country} deve avere ` +
        `${expectedLength} caratteri (ne ha ${ci.length})`,
    );
  }
  // Equivalent to comparing with checkDigitsFor(): national id + country + check digits ≡ 1.
  if (mod97(ci.slice(7) + country + ci.slice(2, 4)) !== 1) {
    return fail('Identificativo del creditore non valido: cifre di controllo errate');
  }
  return ok(ci);
}

/**
 * Builds a creditor identifier from country, national identifier and business code
 * (default 'ZZZ'). For demo data; throws RangeError on malformed parts.
 */
export function buildCreditorId(country: string, nationalId: string, businessCode = 'ZZZ'): string {
  const cc = country.toUpperCase();
  const nid = compactUpper(nationalId);
  const bc = businessCode.toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc)) throw new RangeError(`Codice paese non valido: ${country}`);
  if (!/^[A-Z0-9]{3}$/.test(bc)) throw new RangeError(`Codice attività non valido: ${businessCode}`);
  if (!/^[A-Z0-9]{1,28}$/.test(nid)) {
    throw new RangeError(`Identificativo nazionale non valido: ${nationalId}`);
  }
  const ci = cc + checkDigitsFor(cc, nid) + bc + nid;
  const expectedLength = COUNTRY_LENGTHS[cc];
  if (expectedLength !== undefined && ci.length !== expectedLength) {
    throw new RangeError(`Per ${cc} l'identificativo del creditore deve avere ${expectedLength} caratteri`);
  }
  return ci;
}
