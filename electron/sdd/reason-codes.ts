/**
 * Reason codes of SDD R-transactions (rejects, refusals, returns, refunds, reversals): the Italian
 * meaning shown to the office and what the office does next (PAYMENTS.md §1 "Refund rights and
 * R-transactions"). The codes, ISO names and scheme types are those of
 * ../shared/standards/sdd-r-transaction-reason-codes.csv (EPC173-14); a test checks that this table
 * and the CSV list the same codes with the same names and types.
 *
 * Follow-up (`SDD_FOLLOW_UPS`), decided from the "what the office does" table:
 * - `da_incassare`: the mandate is fine, the money was not collected: debt to chase (new
 *   pre-notified collection or a pagoPA notice, P6). AM04, MS02, MS03 (first treated as AM04),
 *   MD06, and AC06 / SL01 (the family blocked direct debits or set a limit at its bank: they must
 *   unblock it; meanwhile the debt stands).
 * - `correggere_mandato`: the account or the mandate is wrong or gone: no collection on this mandate
 *   until it is amended or replaced. AC01, AC04, MD01, MD07, and AC13 / AG01 / DNOR (an account or
 *   bank that cannot take SDD Core: another account is needed).
 * - `correggere_dati`: our file or our data were wrong (format, creditor, BIC, mandate data, address):
 *   fix and present again; nothing is owed because of the family. AG02, AM05 (duplicate: check the
 *   batch, never present again), BE05, CNOR, FF01, FF05, MD02, RC01, RR01-RR04.
 *
 * Return type: a `refund` code (MD06 within 8 weeks, MD01 unauthorised within 13 months) after
 * settlement is a 'rimborso'; any other code after settlement a 'storno'; before settlement (a
 * status report with TxSts RJCT, or no collection booked yet) a 'rifiuto'. See `returnKind`.
 */
import type { SDD_FOLLOW_UPS, SDD_RETURN_TYPES } from '../../db/schema';

export type SddFollowUp = (typeof SDD_FOLLOW_UPS)[number];
export type SddReturnType = (typeof SDD_RETURN_TYPES)[number];
export type RTransactionType = 'reject' | 'return' | 'refund' | 'refusal' | 'reversal';

export interface ReturnReason {
  code: string;
  /** ISO 20022 name, e.g. InsufficientFunds */
  isoName: string;
  /** what the code means, in Italian, for the office and the family */
  italian: string;
  /** what the office does next, in Italian */
  action: string;
  followUp: SddFollowUp;
  /** a refund code (MD06, MD01): after settlement the return is a 'rimborso' */
  refund: boolean;
  /** the R-transactions the code may come with (EPC173-14) */
  types: readonly RTransactionType[];
}

type Row = [isoName: string, types: string, followUp: SddFollowUp, italian: string, action: string];

const ROWS: Record<string, Row> = {
  AC01: ['IncorrectAccountNumber', 'reject;return', 'correggere_mandato', 'IBAN errato o conto inesistente', "Bloccare il mandato e chiedere l'IBAN corretto (modifica del mandato); intanto debito e avviso pagoPA"],
  AC04: ['ClosedAccountNumber', 'reject;return', 'correggere_mandato', 'Conto estinto', 'Chiedere il nuovo IBAN (modifica con SMNDA) o un nuovo mandato; intanto avviso pagoPA'],
  AC06: ['BlockedAccount', 'reject;return', 'da_incassare', 'Conto bloccato, o addebiti diretti bloccati dal debitore', 'Contattare la famiglia; non ripresentare finché non conferma, altrimenti avviso pagoPA'],
  AC13: ['InvalidDebtorAccountType', 'reject;return', 'correggere_mandato', 'Conto non abilitato a questo tipo di addebito (solo SDD B2B)', 'Chiedere un altro conto e un nuovo mandato'],
  AG01: ['TransactionForbidden', 'reject;return', 'correggere_mandato', 'Addebito diretto non ammesso su questo conto per motivi normativi', 'Chiedere un altro conto e un nuovo mandato'],
  AG02: ['InvalidBankOperationCode', 'reject;return', 'correggere_dati', 'Codice operazione errato o formato del file non valido', 'Verificare il file con la banca e ripresentare'],
  AM04: ['InsufficientFunds', 'reject;return', 'da_incassare', 'Fondi insufficienti', 'Debito da recuperare: nuovo addebito preavvisato (nuovo EndToEndId) o avviso pagoPA'],
  AM05: ['Duplication', 'reject;return;reversal', 'correggere_dati', 'Addebito duplicato', 'Controllare la distinta; non ripresentare'],
  BE05: ['UnrecognisedInitiatingParty', 'reject;return', 'correggere_dati', 'Identificativo del creditore errato', "Correggere l'identificativo del creditore nei dati della ditta e ripresentare"],
  CNOR: ['CreditorBankIsNotRegistered', 'reject', 'correggere_dati', 'Banca del creditore non raggiungibile nel circuito SDD', 'Verificare con la propria banca e ripresentare'],
  DNOR: ['DebtorBankIsNotRegistered', 'reject', 'correggere_mandato', 'Banca del debitore non raggiungibile nel circuito SDD', 'Chiedere alla famiglia un conto presso una banca che accetta addebiti SDD'],
  FF01: ['InvalidFileFormat', 'reject', 'correggere_dati', 'Formato del file non valido', 'Verificare il file con la banca e ripresentare'],
  FF05: ['InvalidLocalInstrumentCode', 'reject;return', 'correggere_dati', 'Tipo di addebito diretto errato', 'Verificare il tipo di addebito (CORE) con la banca e ripresentare'],
  MD01: ['NoMandateOrUnauthorised', 'reject;return;refund', 'correggere_mandato', 'Mandato assente o non valido, operazione non autorizzata', 'Sospendere il mandato, verificare la copia firmata, chiedere un nuovo mandato'],
  MD02: ['MissingMandatoryInformationInMandate', 'reject;return', 'correggere_dati', 'Dati del mandato mancanti o errati', 'Correggere i dati del mandato e ripresentare'],
  MD06: ['RefundRequestByEndCustomer', 'refund', 'da_incassare', 'Rimborso chiesto dal debitore (entro 8 settimane)', 'Debito ripristinato: contattare la famiglia (il rimborso non è contestabile)'],
  MD07: ['EndCustomerDeceased', 'reject;return', 'correggere_mandato', 'Debitore deceduto', "Revocare il mandato; contattare l'altro genitore per un nuovo pagatore"],
  MS02: ['NotSpecifiedReasonCustomerGenerated', 'reject;return;refusal', 'da_incassare', 'Rifiutato dal debitore, senza motivo', "Debito da recuperare; chiedere alla famiglia se mantiene l'addebito SDD"],
  MS03: ['NotSpecifiedReasonAgentGenerated', 'reject;return;reversal', 'da_incassare', 'Motivo non comunicato dalla banca', 'La prima volta come fondi insufficienti; se si ripete, come conto estinto'],
  RC01: ['BankIdentifierIncorrect', 'reject;return', 'correggere_dati', 'Codice della banca (BIC) errato', 'Correggere il BIC e ripresentare'],
  RR01: ['MissingDebtorAccountOrIdentification', 'reject;return', 'correggere_dati', 'Conto o identificativo del debitore mancante (motivi normativi)', 'Completare i dati del debitore e ripresentare'],
  RR02: ['MissingDebtorNameOrAddress', 'reject;return', 'correggere_dati', 'Nome o indirizzo del debitore mancante o non valido', "Completare nome e indirizzo strutturato del debitore e ripresentare"],
  RR03: ['MissingCreditorNameOrAddress', 'reject;return', 'correggere_dati', 'Nome o indirizzo del creditore mancante o non valido', 'Completare nome e indirizzo della ditta e ripresentare'],
  RR04: ['RegulatoryReason', 'reject;return', 'correggere_dati', 'Motivi normativi', 'Chiedere alla banca il dettaglio e ripresentare'],
  SL01: ['SpecificServiceOfferedByDebtorAgent', 'reject;return', 'da_incassare', 'Servizio della banca del debitore: addebiti bloccati, creditori ammessi o limite di importo', 'La famiglia deve autorizzare il creditore (o alzare il limite) presso la sua banca; intanto debito'],
};

const REFUND_CODES = new Set(['MD06', 'MD01']);

export const RETURN_REASONS: ReadonlyMap<string, ReturnReason> = new Map(
  Object.entries(ROWS).map(([code, [isoName, types, followUp, italian, action]]) => [
    code,
    { code, isoName, italian, action, followUp, refund: REFUND_CODES.has(code), types: types.split(';') as RTransactionType[] },
  ]),
);

/** The reason code as a bank writes it ('am04', ' AM04 - Fondi insufficienti') → 'AM04'; '' if none. */
export function normalizeReasonCode(text: string): string {
  const first = text.trim().toUpperCase().split(/[^A-Z0-9]+/)[0] ?? '';
  return /^[A-Z0-9]{4}$/.test(first) ? first : '';
}

/** The reason for `code`, or null for a code that is not an SDD R-transaction code. */
export function returnReason(code: string): ReturnReason | null {
  return RETURN_REASONS.get(normalizeReasonCode(code)) ?? null;
}

/**
 * What kind of R-transaction a line is: 'rifiuto' when the bank refused it before settlement (the
 * status report's TxSts RJCT), else 'rimborso' for a refund code, else 'storno'. A code that only
 * comes as a refund (MD06) is a 'rimborso' whatever the file says.
 */
export function returnKind(code: string, rejectedBeforeSettlement: boolean): SddReturnType {
  const reason = returnReason(code);
  if (reason && reason.types.length === 1 && reason.types[0] === 'refund') return 'rimborso';
  if (rejectedBeforeSettlement) return 'rifiuto';
  return reason?.refund ? 'rimborso' : 'storno';
}
