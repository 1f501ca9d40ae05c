import type { ProcOutput } from '../api/client';
import { monthLabel } from '../../../electron/contract/vocabulary/months';

export type SddBatch = ProcOutput<'sdd.batches.list'>[number];
export type BatchStatus = SddBatch['status'];
export type FindingKind = ProcOutput<'sdd.batches.get'>['findings'][number]['kind'];
export type FollowUp = ProcOutput<'sdd.returns.list'>['rows'][number]['followUp'];
export type ReturnType = ProcOutput<'sdd.returns.list'>['rows'][number]['returnType'];
export type ReturnOutcome = ProcOutput<'sdd.returns.preview'>['checks'][number]['outcome'];

/** How the office reads a batch's status (a distinta is feminine: approvata, incassata). */
export const BATCH_STATUS_LABEL: Record<BatchStatus, string> = {
  bozza: 'bozza',
  approvato: 'approvata',
  esportato: 'inviata alla banca',
  incassato: 'incassata',
  annullato: 'annullata',
};

export const BATCH_STATUS_COLOR: Record<BatchStatus, string> = {
  bozza: 'gray',
  approvato: 'blue',
  esportato: 'indigo',
  incassato: 'green',
  annullato: 'red',
};

export const BATCH_STATUS_OPTIONS = (Object.keys(BATCH_STATUS_LABEL) as BatchStatus[]).map((value) => ({ value, label: BATCH_STATUS_LABEL[value] }));

/** The billing checks of a draft, as group titles. */
export const FINDING_KIND_LABEL: Record<FindingKind, string> = {
  pasto_senza_servizio: 'Pasti in giorni senza servizio',
  pasto_dopo_ritiro: 'Pasti dopo il ritiro',
  pasto_in_sospensione: 'Pasti durante la sospensione',
  pasti_oltre_giorni: 'Più pasti dei giorni di servizio',
  senza_mandato: 'Alunni SDD senza mandato attivo',
  iban_cambiato: "IBAN cambiato dall'ultima distinta",
  importo_anomalo: 'Importi molto più alti del solito',
};

/** The order the groups are shown in: first what excludes a family, then the meals, then the amounts. */
export const FINDING_KIND_ORDER: FindingKind[] = ['senza_mandato', 'iban_cambiato', 'importo_anomalo', 'pasto_senza_servizio', 'pasto_dopo_ritiro', 'pasto_in_sospensione', 'pasti_oltre_giorni'];

/** Reasons the office usually gives when it acknowledges a check (several may be chosen). */
export const ACK_REASONS = [
  'Verificato con la famiglia',
  'Pasti confermati dal registro della scuola',
  'Correzione delle presenze già chiesta alla scuola',
  'Mandato richiesto alla famiglia: escluso da questa distinta',
  'IBAN cambiato su richiesta della famiglia',
  'Importo giustificato (più giorni di servizio, rientri)',
] as const;

export const FOLLOW_UP_LABEL: Record<FollowUp, string> = {
  da_incassare: 'da incassare',
  correggere_mandato: 'correggere il mandato',
  correggere_dati: 'correggere i dati',
};

export const FOLLOW_UP_COLOR: Record<FollowUp, string> = {
  da_incassare: 'orange',
  correggere_mandato: 'red',
  correggere_dati: 'grape',
};

export const FOLLOW_UP_OPTIONS = (Object.keys(FOLLOW_UP_LABEL) as FollowUp[]).map((value) => ({ value, label: FOLLOW_UP_LABEL[value] }));

export const RETURN_TYPE_LABEL: Record<ReturnType, string> = {
  rifiuto: 'respinto prima dell’incasso',
  storno: 'stornato dopo l’incasso',
  rimborso: 'rimborso chiesto dalla famiglia',
};

export const RETURN_OUTCOME_LABEL: Record<ReturnOutcome, string> = {
  nuovo: 'nuovo',
  gia_registrato: 'già registrato',
  errore: 'errore',
};

export const RETURN_OUTCOME_COLOR: Record<ReturnOutcome, string> = {
  nuovo: 'blue',
  gia_registrato: 'gray',
  errore: 'red',
};

/** The kind of outcome file the bank sent, as the preview names it. */
export const RETURNS_FORMAT_LABEL: Record<string, string> = {
  'cbi-status-report': 'esito CBI',
  'pain.002': 'pain.002',
  excel: 'Excel',
};

export const SEQUENCE_LABEL: Record<string, string> = {
  FRST: 'primo',
  RCUR: 'ricorrente',
  OOFF: 'singolo',
  FNAL: 'ultimo',
};

/** '2026-10' → 'Ottobre 2026' (the list's first column). */
export function monthTitle(month: string): string {
  const label = monthLabel(month);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Plural nouns for counts in sentences: 1 famiglia, 2 famiglie (the one helper of format/words). */
export { plural } from '../format/words';
