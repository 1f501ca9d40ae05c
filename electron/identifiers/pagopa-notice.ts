/**
 * pagoPA "numero avviso" (codice avviso), 18 digits: <aux digit><17 digits>.
 *
 * From the SACI ("Specifiche attuative dei codici identificativi di versamento") and the pagoPA
 * SANP "Avviso di pagamento" section:
 *   aux 0: 0 + application code (2) + IUV base (13) + check (2)   — IUV = last 15 digits
 *   aux 1: 1 + IUV (17), no check digits                          — IUV = last 17 digits
 *   aux 2: 2 + IUV base (15) + check (2)                           — IUV = last 17 digits
 *   aux 3: 3 + segregation code (2) + IUV base (13) + check (2)    — IUV = last 17 digits
 * For aux 0, 2 and 3 the check digits are the remainder modulo 93 of the number made by all
 * the preceding digits, i.e. int(first 16 digits) mod 93 (aux digit included), zero-padded.
 * All the test vectors (aux 0, 2 and 3) follow this single rule.
 */
import { fail, ok, type IdentifierResult } from './shared';

export type AuxDigit = 0 | 1 | 2 | 3;

export interface ParsedNumeroAvviso {
  auxDigit: AuxDigit;
  /** Aux 0 only. */
  applicationCode?: string;
  /** Aux 3 only. */
  segregationCode?: string;
  /** The IUV: 15 digits for aux 0, 17 otherwise. */
  iuv: string;
}

/** Check digits (2, zero-padded) for the first 16 digits of a numero avviso. */
export function computeNumeroAvvisoCheckDigits(first16: string): string {
  if (!/^\d{16}$/.test(first16)) {
    throw new RangeError('Per le cifre di controllo servono le prime 16 cifre del numero avviso');
  }
  let rem = 0;
  for (const ch of first16) rem = (rem * 10 + Number(ch)) % 93;
  return String(rem).padStart(2, '0');
}

/** Validates a numero avviso; spaces are ignored, `value` is the 18 bare digits. */
export function validateNumeroAvviso(input: string): IdentifierResult {
  const n = input.replace(/[\s\u00a0\u2007\u202f]+/g, '');
  if (n.length === 0) return fail('Il numero avviso è obbligatorio');
  if (!/^\d+$/.test(n)) return fail('Il numero avviso deve contenere solo cifre');
  if (n.length !== 18) return fail(`Il numero avviso deve avere 18 cifre (ne ha ${n.length})`);
  const aux = Number(n[0]);
  if (aux > 3) {
    return fail(`Cifra ausiliaria del numero avviso non valida: ${aux} (ammesse 0, 1, 2, 3)`);
  }
  if (aux !== 1 && computeNumeroAvvisoCheckDigits(n.slice(0, 16)) !== n.slice(16)) {
    return fail('Cifre di controllo del numero avviso errate');
  }
  return ok(n);
}

/** Splits a valid numero avviso into its parts; throws Error with the Italian message if invalid. */
export function parseNumeroAvviso(input: string): ParsedNumeroAvviso {
  const result = validateNumeroAvviso(input);
  if (!result.ok) throw new Error(result.message);
  const n = result.value;
  const auxDigit = Number(n[0]) as AuxDigit;
  switch (auxDigit) {
    case 0:
      return { auxDigit, applicationCode: n.slice(1, 3), iuv: n.slice(3) };
    case 3:
      return { auxDigit, segregationCode: n.slice(1, 3), iuv: n.slice(1) };
    default:
      return { auxDigit, iuv: n.slice(1) };
  }
}

export type NumeroAvvisoParts =
  | { auxDigit: 0; applicationCode: string; iuvBase: string /* 13 digits */ }
  | { auxDigit: 1; iuv: string /* 17 digits */ }
  | { auxDigit: 2; iuvBase: string /* 15 digits */ }
  | { auxDigit: 3; segregationCode: string; iuvBase: string /* 13 digits */ };

/** Builds a numero avviso with the right check digits. For demo data; throws RangeError. */
export function buildNumeroAvviso(parts: NumeroAvvisoParts): string {
  const need = (value: string, len: number, what: string) => {
    if (!new RegExp(`^\\d{${len}}$`).test(value)) {
      throw new RangeError(`${what} non valido: ${value} (attese ${len} cifre)`);
    }
  };
  let first16: string;
  switch (parts.auxDigit) {
    case 0:
      need(parts.applicationCode, 2, 'Codice applicativo');
      need(parts.iuvBase, 13, 'IUV base');
      first16 = `0${parts.applicationCode}${parts.iuvBase}`;
      break;
    case 1:
      need(parts.iuv, 17, 'IUV');
      return `1${parts.iuv}`;
    case 2:
      need(parts.iuvBase, 15, 'IUV base');
      first16 = `2${parts.iuvBase}`;
      break;
    case 3:
      need(parts.segregationCode, 2, 'Codice di segregazione');
      need(parts.iuvBase, 13, 'IUV base');
      first16 = `3${parts.segregationCode}${parts.iuvBase}`;
      break;
    default:
      throw new RangeError('Cifra ausiliaria non valida');
  }
  return first16 + computeNumeroAvvisoCheckDigits(first16);
}
