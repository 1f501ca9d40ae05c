/**
 * IBAN validation (ISO 13616) with the extra Italian CIN check.
 *
 * ibantools checks the country format and the ISO 7064 mod-97 check digits, but for IT and SM
 * it does not verify the CIN (the letter at position 5, the national check on ABI + CAB +
 * account number), so an IBAN with a wrong CIN and recomputed check digits passes. Italian banks
 * reject those, so the CIN is verified here with the standard odd/even tables.
 */
import {
  composeIBAN,
  electronicFormatIBAN,
  isValidIBAN,
  validateIBAN,
  ValidationErrorsIBAN,
} from 'ibantools';
import { fail, ok, oddEvenCheckLetter, type IdentifierResult } from './shared';

/** Countries whose BBAN starts with the Italian-style CIN. */
const CIN_COUNTRIES: Record<string, string> = { IT: 'italiano', SM: 'sammarinese' };

/** Spaces (any kind) removed, uppercased; the electronic form of the IBAN. */
export function normalizeIban(input: string): string {
  const compact = input.replace(/[\s\u00a0\u2007\u202f]+/g, '').toUpperCase();
  return electronicFormatIBAN(compact) ?? compact;
}

/** CIN letter for an Italian/Sammarinese ABI (5 digits) + CAB (5 digits) + account (12 alnum). */
export function computeCin(abi: string, cab: string, account: string): string {
  const bban = `${abi}${cab}${account}`.toUpperCase();
  if (!/^\d{10}[A-Z0-9]{12}$/.test(bban)) {
    throw new RangeError('Per il CIN servono ABI e CAB di 5 cifre e un conto di 12 caratteri');
  }
  return oddEvenCheckLetter(bban);
}

/**
 * Validates an IBAN of any country; IT and SM IBANs must also have the right CIN.
 * On success `value` is the electronic form (no spaces, uppercase).
 */
export function validateIban(input: string): IdentifierResult {
  const iban = normalizeIban(input);
  if (iban.length === 0) return fail("L'IBAN è obbligatorio");
  if (!/^[A-Z0-9]+$/.test(iban)) return fail("L'IBAN contiene caratteri non validi");

  if (!isValidIBAN(iban)) {
    const codes = validateIBAN(iban).errorCodes;
    if (codes.includes(ValidationErrorsIBAN.NoIBANCountry)) {
      return fail(`IBAN non valido: codice paese "${iban.slice(0, 2)}" sconosciuto`);
    }
    if (codes.includes(ValidationErrorsIBAN.WrongBBANLength)) {
      return fail('IBAN di lunghezza errata');
    }
    if (codes.includes(ValidationErrorsIBAN.ChecksumNotNumber)) {
      return fail('IBAN non valido: le cifre di controllo (posizioni 3-4) devono essere numeriche');
    }
    if (codes.includes(ValidationErrorsIBAN.WrongBBANFormat)) {
      return fail('IBAN non valido: formato non corrispondente al paese');
    }
    if (codes.includes(ValidationErrorsIBAN.WrongIBANChecksum)) {
      return fail('IBAN non valido: cifre di controllo errate');
    }
    if (codes.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum)) {
      return fail('IBAN non valido: codice di controllo nazionale errato');
    }
    return fail('IBAN non valido');
  }

  const country = iban.slice(0, 2);
  const adjective = CIN_COUNTRIES[country];
  if (adjective !== undefined) {
    // IT/SM BBAN: CIN (1 letter) + ABI (5) + CAB (5) + account (12), format already checked.
    const cin = iban[4];
    if (computeCin(iban.slice(5, 10), iban.slice(10, 15), iban.slice(15, 27)) !== cin) {
      return fail(`IBAN ${adjective} con CIN errato`);
    }
  }
  return ok(iban);
}

/**
 * Builds a valid Italian IBAN (correct CIN and check digits) from ABI, CAB and account
 * number. For demo data; throws RangeError on malformed parts.
 */
export function buildItalianIban(abi: string, cab: string, account: string): string {
  if (!/^\d{5}$/.test(abi)) throw new RangeError(`ABI non valido: ${abi} (attese 5 cifre)`);
  if (!/^\d{5}$/.test(cab)) throw new RangeError(`CAB non valido: ${cab} (attese 5 cifre)`);
  const acct = account.toUpperCase();
  if (!/^[A-Z0-9]{12}$/.test(acct)) {
    throw new RangeError(`Numero di conto non valido: ${account} (attesi 12 caratteri alfanumerici)`);
  }
  const bban = computeCin(abi, cab, acct) + abi + cab + acct;
  const iban = composeIBAN({ countryCode: 'IT', bban });
  if (iban === null) throw new RangeError(`BBAN non valido: ${bban}`);
  return iban;
}

/** IBAN in groups of four characters for display ('IT60 X054 2811 …'). */
export function formatIban(iban: string): string {
  return normalizeIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}
