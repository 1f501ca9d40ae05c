/**
 * From an approved batch in the database to the data its bank files are made of (file-types.ts):
 * the XML for the bank (CBI or pain.008) and the Excel for the bank office. The debits carry the
 * mandate as it was when the batch was prepared, which is what the families were pre-notified of.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { payers, pupils, sddBatches, sddDebits, sddMandates } from '../../db/schema';
import { conflict, notFound } from '../contract/errors';
import { monthLabel } from '../contract/vocabulary/months';
import type { SddAddress, SddAmendmentInfo, SddBatchFile, SddPaymentBlock } from './file-types';
import { requireSddCreditor } from './creditor';
import { schoolNames } from './batches';
import type { SddWorkbookRow } from './batch-workbook';

function debitsOf(db: AppDb, batchId: number, included: boolean) {
  return db
    .select({
      d: sddDebits,
      pupilFirst: pupils.firstName,
      pupilLast: pupils.lastName,
      payerFirst: payers.firstName,
      payerLast: payers.lastName,
      payerTaxCode: payers.taxCode,
      street: payers.street,
      streetNumber: payers.streetNumber,
      postcode: payers.postcode,
      town: payers.town,
      province: payers.province,
      country: payers.country,
      holderTaxCode: sddMandates.holderTaxCode,
    })
    .from(sddDebits)
    .innerJoin(pupils, eq(pupils.id, sddDebits.pupilId))
    .innerJoin(payers, eq(payers.id, sddDebits.payerId))
    .leftJoin(sddMandates, eq(sddMandates.id, sddDebits.mandateId))
    .where(and(eq(sddDebits.batchId, batchId), eq(sddDebits.included, included)))
    .orderBy(asc(pupils.lastName), asc(pupils.firstName), asc(sddDebits.id))
    .all();
}

function requireLockedBatch(db: AppDb, batchId: number) {
  const b = db.select().from(sddBatches).where(eq(sddBatches.id, batchId)).get();
  if (!b) throw notFound('Distinta SDD');
  if (b.status === 'bozza') throw conflict('Approvare la distinta prima di produrre il file per la banca');
  if (b.status === 'annullato') throw conflict('La distinta è annullata: il suo file non va inviato alla banca');
  return b;
}

/**
 * The debtor's structured address, sent only when the account holder is the payer (whose address we
 * keep) and it is complete; for EEA debtors the address is optional (PAYMENTS.md §1 "Postal addresses").
 */
function debtorAddress(r: ReturnType<typeof debitsOf>[number]): SddAddress | null {
  if (r.holderTaxCode !== r.payerTaxCode) return null;
  if (!r.street.trim() || !r.town.trim() || !r.postcode.trim()) return null;
  return { street: r.street, buildingNumber: r.streetNumber, postcode: r.postcode, town: r.town, province: r.province, country: r.country };
}

/** The bank file's data of an approved batch: one payment block per sequence type. */
export function batchFileOf(db: AppDb, batchId: number, at: Date): SddBatchFile {
  const b = requireLockedBatch(db, batchId);
  const creditor = requireSddCreditor(db);
  const blocks = new Map<string, SddPaymentBlock>();
  for (const r of debitsOf(db, batchId, true)) {
    const d = r.d;
    const seq = d.sequenceType ?? 'RCUR';
    let block = blocks.get(seq);
    if (!block) {
      block = { paymentInfoId: `${b.msgId}-${seq}`, sequenceType: seq, dueDate: b.dueDate, transactions: [] };
      blocks.set(seq, block);
    }
    block.transactions.push({
      endToEndId: d.endToEndId,
      amountCents: d.amountCents,
      mandateId: d.umr!,
      mandateSignedOn: d.mandateSignedOn!,
      amendment: d.amendment ? (JSON.parse(d.amendment) as SddAmendmentInfo) : null,
      debtorName: d.holderName!,
      debtorAddress: debtorAddress(r),
      debtorIban: d.iban!,
      debtorBic: d.bic,
      remittance: d.remittance,
    });
  }
  return { messageId: b.msgId!, createdAt: at.toISOString(), creditor, blocks: [...blocks.values()] };
}

/** The rows of the bank office's Excel: included and excluded debits. */
export function batchWorkbookRows(db: AppDb, batchId: number): { batch: typeof sddBatches.$inferSelect; included: SddWorkbookRow[]; excluded: SddWorkbookRow[] } {
  const b = db.select().from(sddBatches).where(eq(sddBatches.id, batchId)).get();
  if (!b) throw notFound('Distinta SDD');
  const inc = debitsOf(db, batchId, true);
  const exc = debitsOf(db, batchId, false);
  const schoolsOf = schoolNames(db, [...inc, ...exc].map((r) => r.d.pupilId));
  const toRow = (r: ReturnType<typeof debitsOf>[number]): SddWorkbookRow => ({
    payerName: `${r.payerLast} ${r.payerFirst}`,
    payerTaxCode: r.payerTaxCode,
    holderName: r.d.holderName ?? '',
    iban: r.d.iban ?? '',
    mandateId: r.d.umr ?? '',
    mandateSignedOn: r.d.mandateSignedOn,
    amountCents: r.d.amountCents,
    mealCount: r.d.mealCount,
    mealsCents: r.d.mealsCents,
    commissionCents: r.d.commissionCents,
    pupilName: `${r.pupilLast} ${r.pupilFirst}`,
    school: schoolsOf.get(r.d.pupilId) ?? '',
    month: monthLabel(b.month),
    endToEndId: r.d.endToEndId,
    dueDate: b.dueDate,
    sequenceType: r.d.sequenceType ?? '',
    exclusionReason: r.d.exclusionReason ?? '',
  });
  return { batch: b, included: inc.map(toRow), excluded: exc.map(toRow) };
}
