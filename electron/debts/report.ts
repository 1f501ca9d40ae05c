/**
 * D1: the municipality's file of persistent debtors, for forced collection (ingiunzione or tax
 * roll). A persistent debtor is a family that still owes and whose current debt already went
 * through the LAST step of the municipality's ladder (the formal notice) with its days to pay
 * passed. Excel with three sheets: the debtors (payer, codice fiscale, address, pupils, amount,
 * oldest unpaid date, last step and its delivery), the amounts by pupil and school year, every step
 * taken with its delivery date, receipt number and the SHA-256 of the letter and of the evidence.
 * The list can be restricted to some school years (only the debt of those years counts, and a
 * family with none is left out). Each amount sheet ends with a bold total row. Supervisors only,
 * and every export is audited (procedures.ts, report-procedures.ts).
 */
import type { AppDb } from '../../db/open';
import { dateIt } from '../documents/format';
import { addSheet, newWorkbook, workbookBytes } from '../exports/xlsx';
import { CHANNEL_LABELS, getLadder } from './ladder';
import { daysBetween, familyPositions } from './positions';
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

export interface SchoolYearAmount {
  schoolYearId: number;
  schoolYearLabel: string;
  owedCents: number;
}

export interface PersistentDebtorsReport {
  municipalityName: string;
  lastStepName: string;
  /** the school years of the debts in the list (oldest first): the Excel's per-year columns */
  schoolYears: { id: number; label: string }[];
  debtors: PersistentDebtor[];
  totalCents: number;
}

/** The amounts of a debtor by school year, oldest first. */
export function amountsByYear(d: Pick<PersistentDebtor, 'lines'>): SchoolYearAmount[] {
  const by = new Map<number, SchoolYearAmount>();
  for (const l of d.lines) {
    const a = by.get(l.schoolYearId) ?? { schoolYearId: l.schoolYearId, schoolYearLabel: l.schoolYearLabel, owedCents: 0 };
    a.owedCents += l.owedCents;
    by.set(l.schoolYearId, a);
  }
  return [...by.values()].sort((a, b) => a.schoolYearLabel.localeCompare(b.schoolYearLabel));
}

export function persistentDebtors(db: AppDb, today: string, municipalityId: number, schoolYearIds?: readonly number[]): PersistentDebtorsReport {
  const ladder = getLadder(db, municipalityId);
  const last = ladder.steps[ladder.steps.length - 1];
  const positions = familyPositions(db, today, { municipalityId });
  const infos = payerInfo(db, positions.map((p) => p.payerId));
  const debtors: PersistentDebtor[] = [];
  for (const p of positions) {
    const history = familySteps(db, p.payerId, municipalityId);
    const steps = episodeSteps(history, p);
    if (!steps.some((s) => s.stepPosition >= last.position && s.payBy < today)) continue;
    const lines = schoolYearIds?.length ? p.lines.filter((l) => schoolYearIds.includes(l.schoolYearId)) : p.lines;
    if (!lines.length) continue;
    const owedCents = lines.reduce((t, l) => t + l.owedCents, 0);
    const oldestUnpaidOn = lines.reduce((m, l) => (l.oldestUnpaidOn < m ? l.oldestUnpaidOn : m), lines[0].oldestUnpaidOn);
    debtors.push({ payer: infos.get(p.payerId)!, owedCents, oldestUnpaidOn, ageDays: daysBetween(oldestUnpaidOn, today), lines: nameLines(db, lines), steps, history });
  }
  debtors.sort((a, b) => a.payer.name.localeCompare(b.payer.name, 'it'));
  const years = new Map<number, string>();
  for (const d of debtors) for (const l of d.lines) years.set(l.schoolYearId, l.schoolYearLabel);
  return {
    municipalityName: ladder.municipalityName,
    lastStepName: last.name,
    schoolYears: [...years].map(([id, label]) => ({ id, label })).sort((a, b) => a.label.localeCompare(b.label)),
    debtors,
    totalCents: debtors.reduce((t, d) => t + d.owedCents, 0),
  };
}

export async function persistentDebtorsXlsx(db: AppDb, today: string, municipalityId: number, schoolYearIds?: readonly number[]): Promise<{ buffer: Buffer; rows: number; municipalityName: string }> {
  const r = persistentDebtors(db, today, municipalityId, schoolYearIds);
  const wb = newWorkbook(`Morosi persistenti - Comune di ${r.municipalityName} al ${dateIt(today)}`);
  type DebtorRow = PersistentDebtor | { total: true };
  const isTotal = (d: DebtorRow): d is { total: true } => 'total' in d;
  const lastOf = (d: PersistentDebtor) => d.steps[d.steps.length - 1];
  const on = <T,>(f: (d: PersistentDebtor) => T) => (d: DebtorRow) => (isTotal(d) ? null : f(d));
  const byYear = new Map(r.debtors.map((d) => [d, new Map(amountsByYear(d).map((a) => [a.schoolYearId, a.owedCents]))]));
  const yearTotals = new Map(r.schoolYears.map((y) => [y.id, r.debtors.reduce((t, d) => t + (byYear.get(d)!.get(y.id) ?? 0), 0)]));
  addSheet<DebtorRow>(
    wb,
    'Morosi',
    [
      { header: 'Pagante', width: 26, value: (d) => (isTotal(d) ? `Totale (${r.debtors.length} ${r.debtors.length === 1 ? 'famiglia' : 'famiglie'})` : d.payer.name) },
      { header: 'Codice fiscale', type: 'text', width: 20, value: on((d) => d.payer.taxCode) },
      { header: 'Indirizzo', width: 40, value: on((d) => d.payer.address) },
      { header: 'E-mail', width: 26, value: on((d) => d.payer.email) },
      { header: 'Alunni', width: 40, value: on((d) => [...new Map(d.lines.map((l) => [l.pupilId, `${l.pupilName} (${l.pupilTaxCode})`])).values()].join('; ')) },
      ...r.schoolYears.map((y) => ({
        header: `Dovuto ${y.label}`,
        type: 'euro' as const,
        width: 16,
        value: (d: DebtorRow) => (isTotal(d) ? yearTotals.get(y.id) : (byYear.get(d)!.get(y.id) ?? null)),
      })),
      { header: 'Importo dovuto', type: 'euro', width: 16, value: (d) => (isTotal(d) ? r.totalCents : d.owedCents) },
      { header: 'Non pagato dal', type: 'date', value: on((d) => d.oldestUnpaidOn) },
      { header: 'Giorni', type: 'number', value: on((d) => d.ageDays) },
      { header: 'Ultimo passo', width: 24, value: on((d) => lastOf(d).stepName) },
      { header: 'Inviato il', type: 'date', value: on((d) => lastOf(d).reachedOn) },
      { header: 'Mezzo', width: 22, value: on((d) => CHANNEL_LABELS[lastOf(d).channel]) },
      { header: 'Consegnato il', type: 'date', value: on((d) => lastOf(d).deliveredOn) },
      { header: 'Ricevuta n.', type: 'text', value: on((d) => lastOf(d).receiptNumber) },
      { header: 'Termine di pagamento', type: 'date', value: on((d) => lastOf(d).payBy) },
    ],
    [...r.debtors, { total: true }],
    isTotal,
  );
  type AmountRow = { d: PersistentDebtor; l: NamedLine } | { total: number };
  const amountRows: AmountRow[] = r.debtors.flatMap((d) => d.lines.map((l) => ({ d, l })));
  amountRows.push({ total: r.totalCents });
  const line = <T,>(f: (x: { d: PersistentDebtor; l: NamedLine }) => T) => (x: AmountRow) => ('total' in x ? null : f(x));
  addSheet(
    wb,
    'Importi per anno',
    [
      { header: 'Pagante', width: 26, value: (x: AmountRow) => ('total' in x ? 'Totale' : x.d.payer.name) },
      { header: 'Codice fiscale pagante', type: 'text', width: 20, value: line((x) => x.d.payer.taxCode) },
      { header: 'Alunno', width: 26, value: line((x) => x.l.pupilName) },
      { header: 'Codice fiscale alunno', type: 'text', width: 20, value: line((x) => x.l.pupilTaxCode) },
      { header: 'Anno scolastico', value: line((x) => x.l.schoolYearLabel) },
      { header: 'Servizio', value: line((x) => x.l.serviceName) },
      { header: 'Importo', type: 'euro', width: 14, value: (x) => ('total' in x ? x.total : x.l.owedCents) },
      { header: 'Non pagato dal', type: 'date', value: line((x) => x.l.oldestUnpaidOn) },
    ],
    amountRows,
    (x) => 'total' in x,
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
  return { buffer: await workbookBytes(wb), rows: r.debtors.length, municipalityName: r.municipalityName };
}
