/** Italian and SEPA identifiers: pure validators and demo-data builders. */
export type { IdentifierResult } from './shared';
export {
  OMOCODIA_LETTERS,
  MONTH_LETTERS,
  NUMERIC_POSITIONS,
  validateCodiceFiscale,
  decodeCodiceFiscale,
  birthDateMismatch,
  computeCheckChar,
  buildCodiceFiscale,
  type DecodedCodiceFiscale,
  type CodiceFiscaleData,
} from './codice-fiscale';
export { validateIban, normalizeIban, computeCin, buildItalianIban, formatIban } from './iban';
export { validateCreditorId, buildCreditorId } from './creditor-id';
export {
  validateNumeroAvviso,
  parseNumeroAvviso,
  computeNumeroAvvisoCheckDigits,
  buildNumeroAvviso,
  type AuxDigit,
  type ParsedNumeroAvviso,
  type NumeroAvvisoParts,
} from './pagopa-notice';
