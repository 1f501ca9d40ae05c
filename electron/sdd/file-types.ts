/**
 * The data a bank file is made from, and what a bank outcome file says: the seam between the batch
 * (electron/sdd/batches.ts, which reads the database) and the file formats (electron/sdd/xml/*,
 * electron/sdd/returns-file.ts, which know nothing of the database).
 */

/** Structured postal address (PAYMENTS.md §1 "Postal addresses": unstructured ones are refused from Nov 2026). */
export interface SddAddress {
  street: string;
  buildingNumber: string;
  postcode: string;
  town: string;
  /** province code, e.g. 'BG' (CtrySubDvsn), optional */
  province: string;
  /** ISO 3166 alpha-2 */
  country: string;
}

export interface SddCreditorData {
  name: string;
  address: SddAddress;
  /** SEPA Creditor Identifier, e.g. IT04ZZZ0000012345678903 */
  creditorId: string;
  iban: string;
  /** ABI of the creditor's bank (5 digits) */
  abi: string;
  /** BIC, '' when not known */
  bic: string;
  /** CBI company code (8 characters) */
  cuc: string;
  batchBooking: boolean;
}

/** Amendment information the collection carries (AmdmntInd = true). */
export interface SddAmendmentInfo {
  /** the IBAN changed at the same bank: OrgnlDbtrAcct = this IBAN */
  originalIban?: string;
  /** the IBAN changed to another (or unknown) bank: OrgnlDbtrAgt/FinInstnId/Othr/Id = SMNDA */
  smnda?: boolean;
  /** the creditor renumbered the mandate: OrgnlMndtId */
  originalMandateId?: string;
}

export interface SddTransaction {
  /** EndToEndId, also used as InstrId; ≤ 35 characters of the EPC set */
  endToEndId: string;
  amountCents: number;
  mandateId: string;
  /** 'YYYY-MM-DD' */
  mandateSignedOn: string;
  amendment: SddAmendmentInfo | null;
  debtorName: string;
  /** structured address, or null when not sent (EEA debtor) */
  debtorAddress: SddAddress | null;
  debtorIban: string;
  /** '' when not known (required outside the EEA) */
  debtorBic: string;
  /** RmtInf/Ustrd, ≤ 140 characters */
  remittance: string;
}

/** One PmtInf block: a due date and a sequence type. */
export interface SddPaymentBlock {
  paymentInfoId: string;
  sequenceType: 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';
  /** ReqdColltnDt, 'YYYY-MM-DD' */
  dueDate: string;
  transactions: SddTransaction[];
}

export interface SddBatchFile {
  /** GrpHdr/MsgId, ≤ 35 */
  messageId: string;
  /** GrpHdr/CreDtTm, an ISO moment */
  createdAt: string;
  creditor: SddCreditorData;
  blocks: SddPaymentBlock[];
}

/** One transaction's outcome as reported by the bank (status report / pain.002, or an Excel of returns). */
export interface SddReturnLine {
  /** OrgnlEndToEndId: the key */
  endToEndId: string;
  /** StsRsnInf/Rsn/Cd, e.g. 'AM04' */
  reasonCode: string;
  /** OrgnlTxRef/Amt/InstdAmt in cents when the file gives it (cross-check), else null */
  amountCents: number | null;
  /** the date the bank reports for the return, 'YYYY-MM-DD', or null */
  returnedOn: string | null;
  /** OrgnlMsgId of the batch, when the file gives it */
  originalMessageId: string | null;
}

export interface SddReturnsFile {
  format: 'cbi-status-report' | 'pain.002' | 'excel';
  lines: SddReturnLine[];
}
