/**
 * D1: the municipality's file of persistent debtors, for forced collection (ingiunzione or tax
 * roll). A persistent debtor is a family that still owes and whose current debt already went
 * through the LAST step of the municipality's ladder (the formal notice) with its days to pay
 * passed. Excel with three sheets: the debtors (payer, codice fiscale, address, pupils, amount,
 * oldest unpaid date, last step and its delivery), the amounts by pupil and school year, every step
 * taken with its delivery date, receipt number and the SHA-256 of the letter and of the evidence.
 * Supervisors only, and every export is audited (procedures.ts).
 */
import type { AppDb } from '../../db/open';
import { dateIt } from '../documents/format';
import { addSheet, newWorkbook, workbookBytes } from '../exports/xlsx';
import { CHANNEL_LABELS, getLadder } from './ladder';
import { familyPositions } from './positions';
import { episodeSteps, familySteps, nameLines, payerInfo, type NamedLine, type PayerInfo, type StepRow } from './steps';

export interface PersistentDebtor {
  payer: PayerInfo;
  owedCents: number;
  oldestUnpaidOn: string;
  ageDays: number;
  lines: NamedLine[];
  /** the steps of the current debt, oldest first */
  steps: StepRow[];
  /** every step ever taken for the family in the municipality */
  history: StepRow[];
}

export function persistentDebtors(db: AppDb, today: string, municipalityId: number): { municipalityName: string; lastStepName: string; debtors: PersistentDebtor[] } {
  const ladder = getLadder(db, municipalityId);
  const last = ladder.steps[ladder.steps.length - 1];
  const positions = familyPositions(db, today, { municipalityId });
  const infos = payerInfo(db, positions.map((p) => p.payerId));
  const debtors: PersistentDebtor[] = [];
  for (const p of positions) {
    const history = familySteps(db, p.payerId, municipalityId);
    const steps = episodeSteps(history, p);
    if (!steps.some((s) => s.stepPosition >= last.position && s.payBy < today)) continue;
    debtors.push({ payer: infos.get(p.payerId)!, owedCents: p.owedCents, oldestUnpaidOn: p.oldestUnpaidOn, ageDays: p.ageDays, lines: nameLines(db, p.lines), steps, history });
  }
  debtors.sort((a, b) => a.payer.name.localeCompare(b.payer.name, 'it'));
  return { municipalityName: ladder.municipalityName, lastStepName: last.name, debtors };
}

export async function persistentDebtorsXlsx(db: AppDb, today: string, municipalityId: number): Promise<{ buffer: Buffer; rows: number; municipalityName: string }> {
  const r = persistentDebtors(db, today, municipalityId);
  const wb = newWorkbook(`Morosi persistenti - Comune di ${r.municipalityName} al ${dateIt(today)}`);
  const lastOf = (d: PersistentDebtor) => d.steps[d.steps.length - 1];
  const rows = addSheet(
    wb,
    'Morosi',
    [
      { header: 'Pagante', width: 26, value: (d: PersistentDebtor) => d.payer.name },
      { header: 'Codice fiscale', type: 'text', width: 20, value: (d) => d.payer.taxCode },
      { header: 'Indirizzo', width: 40, value: (d) => d.payer.address },
      { header: 'E-mail', width: 26, value: (d) => d.payer.email },
      { header: 'Alunni', width: 40, value: (d) => [...new Map(d.lines.map((l) => [l.pupilId, `${l.pupilName} (${l.pupilTaxCode})`])).values()].join('; ') },
      { header: 'Importo dovuto', type: 'euro', width: 16, value: (d) => d.owedCents },
      { header: 'Non pagato dal', type: 'date', value: (d) => d.oldestUnpaidOn },
      { header: 'Giorni', type: 'number', value: (d) => d.ageDays },
      { header: 'Ultimo passo', width: 24, value: (d) => lastOf(d).stepName },
      { header: 'Inviato il', type: 'date', value: (d) => lastOf(d).reachedOn },
      { header: 'Mezzo', width: 22, value: (d) => CHANNEL_LABELS[lastOf(d).channel] },
      { header: 'Consegnato il', type: 'date', value: (d) => lastOf(d).deliveredOn },
      { header: 'Ricevuta n.', type: 'text', value: (d) => lastOf(d).receiptNumber },
      { header: 'Termine di pagamento', type: 'date', value: (d) => lastOf(d).payBy },
    ],
    r.debtors,
  );
  type AmountRow = { d: PersistentDebtor; l: NamedLine };
  addSheet(
    wb,
    'Importi per anno',
    [
      { header: 'Pagante', width: 26, value: (x: AmountRow) => x.d.payer.name },
      { header: 'Codice fiscale pagante', type: 'text', width: 20, value: (x) => x.d.payer.taxCode },
      { header: 'Alunno', width: 26, value: (x) => x.l.pupilName },
      { header: 'Codice fiscale alunno', type: 'text', width: 20, value: (x) => x.l.pupilTaxCode },
      { header: 'Anno scolastico', value: (x) => x.l.schoolYearLabel },
      { header: 'Servizio', value: (x) => x.l.serviceName },
      { header: 'Importo', type: 'euro', width: 14, value: (x) => x.l.owedCents },
      { header: 'Non pagato dal', type: 'date', value: (x) => x.l.oldestUnpaidOn },
    ],
    r.debtors.flatMap((d) => d.lines.map((l) => ({ d, l }))),
  );
  type StepLine = { d: PersistentDebtor; s: StepRow };
  addSheet(
    wb,
    'Passi e consegne',
    [
      { header: 'Pagante', width: 26, value: (x: StepLine) => x.d.payer.name },
      { header: 'Codice fiscale', type: 'text', width: 20, value: (x) => x.d.payer.taxCode },
      { header: 'Passo', width: 24, value: (x) => x.s.stepName },
      { header: 'Mezzo', width: 22, value: (x) => CHANNEL_LABELS[x.s.channel] },
      { header: 'Inviato il', type: 'date', value: (x) => x.s.reachedOn },
      { header: 'Importo richiesto', type: 'euro', width: 16, value: (x) => x.s.amountCents },
      { header: 'Termine di pagamento', type: 'date', value: (x) => x.s.payBy },
      { header: 'Consegnato il', type: 'date', value: (x) => x.s.deliveredOn },
      { header: 'Ricevuta n.', type: 'text', value: (x) => x.s.receiptNumber },
      { header: 'SHA-256 lettera', type: 'text', width: 66, value: (x) => x.s.documentSha256 },
      { header: 'SHA-256 prova di consegna', type: 'text', width: 66, value: (x) => x.s.evidenceSha256 },
    ],
    r.debtors.flatMap((d) => d.history.map((s) => ({ d, s }))),
  );
  return { buffer: await workbookBytes(wb), rows, municipalityName: r.municipalityName };
}
