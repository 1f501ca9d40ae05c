/**
 * The Excel the bank office works from (issue 9 "Exports"): one row per debit of the batch with
 * payer, account holder, IBAN, mandate and its signature date, pupil, month, meals, commission and
 * amount, EndToEndId, due date and sequence type, then a totals row; a second sheet lists the debits
 * left out of the batch with the reason. Amounts are numbers in euro (`EURO_FORMAT`), dates Excel
 * dates, IBANs (in groups of four) and identifiers text cells (electron/exports/xlsx.ts).
 *
 * The rows come from the database (`batchWorkbookRows` in batch-files.ts); this file only lays them out.
 */
import { addSheet, newWorkbook, workbookBytes, type ExportColumn } from '../exports/xlsx';
import { formatIban } from '../identifiers';

export interface SddWorkbookRow {
  payerName: string;
  payerTaxCode: string;
  holderName: string;
  iban: string;
  mandateId: string;
  /** 'YYYY-MM-DD', or null when the debit has no mandate (an excluded one) */
  mandateSignedOn: string | null;
  amountCents: number;
  mealCount: number;
  mealsCents: number;
  commissionCents: number;
  pupilName: string;
  school: string;
  /** the month of the meals, as shown ('ottobre 2026') */
  month: string;
  endToEndId: string;
  /** 'YYYY-MM-DD' */
  dueDate: string;
  sequenceType: string;
  /** why the debit is not in the batch ('' for an included one) */
  exclusionReason: string;
}

/** What the workbook needs of the batch (a `sdd_batches` row fits). */
export interface SddWorkbookBatch {
  id: number;
  /** 'YYYY-MM' */
  month: string;
  dueDate: string;
  status: string;
  msgId: string | null;
}

type Line = SddWorkbookRow & { total?: boolean };

const INCLUDED_COLUMNS: ExportColumn<Line>[] = [
  { header: 'Pagatore', width: 28, type: 'text', value: (r) => r.payerName },
  { header: 'Codice fiscale pagatore', width: 20, type: 'text', value: (r) => r.payerTaxCode },
  { header: 'Intestatario del conto', width: 28, type: 'text', value: (r) => r.holderName },
  { header: 'IBAN', width: 30, type: 'text', value: (r) => (r.iban ? formatIban(r.iban) : '') },
  { header: 'Mandato (UMR)', width: 20, type: 'text', value: (r) => r.mandateId },
  { header: 'Firma del mandato', width: 14, type: 'date', value: (r) => r.mandateSignedOn },
  { header: 'Alunno', width: 26, type: 'text', value: (r) => r.pupilName },
  { header: 'Scuola', width: 24, type: 'text', value: (r) => r.school },
  { header: 'Mese', width: 14, type: 'text', value: (r) => r.month },
  { header: 'Pasti', width: 8, type: 'number', value: (r) => r.mealCount },
  { header: 'Importo pasti', width: 14, type: 'euro', value: (r) => r.mealsCents },
  { header: 'Commissione', width: 13, type: 'euro', value: (r) => r.commissionCents },
  { header: 'Importo addebito', width: 16, type: 'euro', value: (r) => r.amountCents },
  { header: 'EndToEndId', width: 22, type: 'text', value: (r) => r.endToEndId },
  { header: 'Scadenza', width: 12, type: 'date', value: (r) => r.dueDate },
  { header: 'Sequenza', width: 10, type: 'text', value: (r) => r.sequenceType },
];

const EXCLUDED_COLUMNS: ExportColumn<Line>[] = [
  { header: 'Pagatore', width: 28, type: 'text', value: (r) => r.payerName },
  { header: 'Codice fiscale pagatore', width: 20, type: 'text', value: (r) => r.payerTaxCode },
  { header: 'Alunno', width: 26, type: 'text', value: (r) => r.pupilName },
  { header: 'Scuola', width: 24, type: 'text', value: (r) => r.school },
  { header: 'Mese', width: 14, type: 'text', value: (r) => r.month },
  { header: 'Pasti', width: 8, type: 'number', value: (r) => r.mealCount },
  { header: 'Importo non addebitato', width: 20, type: 'euro', value: (r) => r.amountCents },
  { header: "Motivo dell'esclusione", width: 48, type: 'text', value: (r) => r.exclusionReason },
  { header: 'IBAN', width: 30, type: 'text', value: (r) => (r.iban ? formatIban(r.iban) : '') },
  { header: 'Mandato (UMR)', width: 20, type: 'text', value: (r) => r.mandateId },
];

/** The totals row: counts and sums (integer cents) under the amount columns. */
function totalLine(rows: SddWorkbookRow[], label: string): Line {
  let mealCount = 0;
  let mealsCents = 0;
  let commissionCents = 0;
  let amountCents = 0;
  for (const r of rows) {
    mealCount += r.mealCount;
    mealsCents += r.mealsCents;
    commissionCents += r.commissionCents;
    amountCents += r.amountCents;
  }
  return {
    total: true,
    payerName: label,
    payerTaxCode: '',
    holderName: '',
    iban: '',
    mandateId: '',
    mandateSignedOn: null,
    amountCents,
    mealCount,
    mealsCents,
    commissionCents,
    pupilName: '',
    school: '',
    month: '',
    endToEndId: '',
    dueDate: '',
    sequenceType: '',
    exclusionReason: '',
  };
}

const debits = (n: number) => (n === 1 ? '1 addebito' : `${n} addebiti`);

/** The .xlsx bytes: sheet «Addebiti» (with the totals row) and sheet «Esclusi». */
export async function buildBatchWorkbook(input: { batch: SddWorkbookBatch; included: SddWorkbookRow[]; excluded: SddWorkbookRow[] }): Promise<Buffer> {
  const { batch, included, excluded } = input;
  const wb = newWorkbook(`Distinta SDD n. ${batch.id} - ${batch.month}${batch.msgId ? ` - ${batch.msgId}` : ''}`);
  const bold = (r: Line) => r.total === true;
  addSheet<Line>(wb, 'Addebiti', INCLUDED_COLUMNS, [...included, totalLine(included, `Totale: ${debits(included.length)}`)], bold);
  addSheet<Line>(
    wb,
    'Esclusi',
    EXCLUDED_COLUMNS,
    excluded.length > 0 ? [...excluded, totalLine(excluded, `Totale: ${excluded.length === 1 ? '1 escluso' : `${excluded.length} esclusi`}`)] : [],
    bold,
  );
  return workbookBytes(wb);
}
