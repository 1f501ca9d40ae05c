/**
 * ISO 20022 `pain.008.001.08` (customer direct debit initiation), for banks that take the ISO file
 * instead of the CBI one. Same data and checks as `cbi.ts`, with the EPC implementation guidelines'
 * choices where ISO leaves options:
 *
 * - GrpHdr: NbOfTxs and CtrlSum; InitgPty with the creditor's name and the CUC (Issr `CBI`).
 * - PmtInf: its own NbOfTxs and CtrlSum; PmtTpInf SvcLvl `SEPA`, LclInstrm `CORE`, SeqTp;
 *   CdtrAgt the creditor bank's BIC, or `NOTPROVIDED` (FinInstnId/Othr/Id) when unknown;
 *   ChrgBr `SLEV`; CdtrSchmeId in PmtInf (SchmeNm/Prtry `SEPA`).
 * - Transaction: InstrId = EndToEndId; MndtRltdInf with MndtId, DtOfSgntr and the amendment;
 *   DbtrAgt is mandatory in pain.008: the BIC, or `NOTPROVIDED` (EPC IG) when not known.
 */
import type { SddBatchFile, SddPaymentBlock, SddTransaction } from '../file-types';
import { assertBatchFile, batchTotals, blockTotals, creationDateTime, creditorAddress, directDebitTransaction, sepaName, writeXml } from './common';
import { centsToDecimal } from '../sepa-text';

export const PAIN008_NS = 'urn:iso:std:iso:20022:tech:xsd:pain.008.001.08';

const agent = (bic: string) => ({ FinInstnId: bic ? { BICFI: bic } : { Othr: { Id: 'NOTPROVIDED' } } });

const transaction = (tx: SddTransaction) => directDebitTransaction(tx, agent(tx.debtorBic));

function paymentBlock(file: SddBatchFile, block: SddPaymentBlock): Record<string, unknown> {
  const c = file.creditor;
  const totals = blockTotals(block.transactions);
  const address = creditorAddress(file);
  return {
    PmtInfId: block.paymentInfoId,
    PmtMtd: 'DD',
    BtchBookg: c.batchBooking ? 'true' : 'false',
    NbOfTxs: String(totals.count),
    CtrlSum: centsToDecimal(totals.cents),
    PmtTpInf: { SvcLvl: { Cd: 'SEPA' }, LclInstrm: { Cd: 'CORE' }, SeqTp: block.sequenceType },
    ReqdColltnDt: block.dueDate,
    Cdtr: { Nm: sepaName(c.name), ...(address ? { PstlAdr: address } : {}) },
    CdtrAcct: { Id: { IBAN: c.iban } },
    CdtrAgt: agent(c.bic),
    ChrgBr: 'SLEV',
    CdtrSchmeId: { Id: { PrvtId: { Othr: { Id: c.creditorId, SchmeNm: { Prtry: 'SEPA' } } } } },
    DrctDbtTxInf: block.transactions.map(transaction),
  };
}

/** The pain.008.001.08 file as XML text (UTF-8); throws an AppError `VALIDATION` on bad data, like `buildCbiXml`. */
export function buildPain008Xml(file: SddBatchFile): string {
  assertBatchFile(file, 'pain.008');
  const totals = batchTotals(file);
  const initiator = file.creditor.cuc ? { Id: { OrgId: { Othr: { Id: file.creditor.cuc, Issr: 'CBI' } } } } : {};
  return writeXml({
    Document: {
      '@_xmlns': PAIN008_NS,
      CstmrDrctDbtInitn: {
        GrpHdr: {
          MsgId: file.messageId,
          CreDtTm: creationDateTime(file.createdAt),
          NbOfTxs: String(totals.count),
          CtrlSum: centsToDecimal(totals.cents),
          InitgPty: { Nm: sepaName(file.creditor.name), ...initiator },
        },
        PmtInf: file.blocks.map((b) => paymentBlock(file, b)),
      },
    },
  });
}
