/**
 * The Italian CBI SDD request, `CBISDDReqLogMsg.00.01.01` (mandatory since 17 March 2024), optionally
 * inside its physical envelope `CBIBdySDDReq.00.01.01` (PAYMENTS.md §2). Element order and types
 * follow the XSDs in resources/sdd-schemas; the CBI rules on top of ISO:
 *
 * - GrpHdr: NbOfTxs and CtrlSum (two decimals, the sum of every InstdAmt) are mandatory; InitgPty is
 *   the CUC with Issr `CBI`. PmtInf carries no totals.
 * - PmtInf: PmtTpInf with SvcLvl `SEPA`, LclInstrm `CORE`, the block's SeqTp; CdtrAgt is the ABI
 *   (ClrSysMmbId/MmbId); ChrgBr `SLEV`; CdtrSchmeId is here (not on the transaction) with
 *   SchmeNm/Prtry `SEPA`.
 * - Transaction: InstrId = EndToEndId; MndtId and DtOfSgntr mandatory; amendment details when the
 *   mandate changed; DbtrAgt only with a BIC (its only form in CBI); structured debtor address when
 *   given (required outside the EEA, checked before building).
 *
 * The file is built with fast-xml-parser's XMLBuilder and validated against the XSD by the caller
 * (`validateSddXml`) before it is written.
 */
import type { SddBatchFile, SddPaymentBlock, SddTransaction } from '../file-types';
import { assertBatchFile, batchTotals, creationDateTime, creditorAddress, directDebitTransaction, sepaName, writeXml } from './common';
import { centsToDecimal } from '../sepa-text';

export const CBI_LOGICAL_NS = 'urn:CBI:xsd:CBISDDReqLogMsg.00.01.01';
export const CBI_ENVELOPE_NS = 'urn:CBI:xsd:CBIBdySDDReq.00.01.01';
/** PhyMsgTpCd of an SDD Core request */
export const CBI_CORE_PHYSICAL_TYPE = 'INC-SDDC-01';

export interface CbiOptions {
  /** wrap the logical message in the CBIBdySDDReq physical envelope (PhyMsgTpCd INC-SDDC-01) */
  envelope: boolean;
}

const transaction = (tx: SddTransaction) => directDebitTransaction(tx, tx.debtorBic ? { FinInstnId: { BICFI: tx.debtorBic } } : null);

function paymentBlock(file: SddBatchFile, block: SddPaymentBlock): Record<string, unknown> {
  const c = file.creditor;
  const address = creditorAddress(file);
  return {
    PmtInfId: block.paymentInfoId,
    PmtMtd: 'DD',
    BtchBookg: c.batchBooking ? 'true' : 'false',
    PmtTpInf: { SvcLvl: { Cd: 'SEPA' }, LclInstrm: { Cd: 'CORE' }, SeqTp: block.sequenceType },
    ReqdColltnDt: block.dueDate,
    Cdtr: { Nm: sepaName(c.name), ...(address ? { PstlAdr: address } : {}) },
    CdtrAcct: { Id: { IBAN: c.iban } },
    CdtrAgt: { FinInstnId: { ClrSysMmbId: { MmbId: c.abi } } },
    ChrgBr: 'SLEV',
    CdtrSchmeId: { Id: { PrvtId: { Othr: { Id: c.creditorId, SchmeNm: { Prtry: 'SEPA' } } } } },
    DrctDbtTxInf: block.transactions.map(transaction),
  };
}

/** GrpHdr and PmtInf blocks: the content of `CBISDDReqLogMsg`. */
function logicalContent(file: SddBatchFile): Record<string, unknown> {
  const totals = batchTotals(file);
  return {
    GrpHdr: {
      MsgId: file.messageId,
      CreDtTm: creationDateTime(file.createdAt),
      NbOfTxs: String(totals.count),
      CtrlSum: centsToDecimal(totals.cents),
      InitgPty: { Nm: sepaName(file.creditor.name), Id: { OrgId: { Othr: { Id: file.creditor.cuc, Issr: 'CBI' } } } },
    },
    PmtInf: file.blocks.map((b) => paymentBlock(file, b)),
  };
}

/**
 * The CBI SDD request as XML text (UTF-8). Throws an AppError `VALIDATION` listing every problem of
 * the data (identifiers, IBANs, amounts, non-EEA debtors without BIC or address) before building.
 * In the envelope the physical elements carry the `BODY:` prefix and the logical message is in the
 * default namespace, so its content is the same text in both forms.
 */
export function buildCbiXml(file: SddBatchFile, options: CbiOptions = { envelope: false }): string {
  assertBatchFile(file, 'cbi');
  const content = logicalContent(file);
  if (!options.envelope) {
    return writeXml({ CBISDDReqLogMsg: { '@_xmlns': CBI_LOGICAL_NS, ...content } });
  }
  return writeXml({
    'BODY:CBIBdySDDReq': {
      '@_xmlns:BODY': CBI_ENVELOPE_NS,
      '@_xmlns': CBI_LOGICAL_NS,
      'BODY:PhyMsgInf': { 'BODY:PhyMsgTpCd': CBI_CORE_PHYSICAL_TYPE, 'BODY:NbOfLogMsg': '1' },
      'BODY:CBIEnvelSDDReqLogMsg': { 'BODY:CBISDDReqLogMsg': content },
    },
  });
}
