import type { ProcOutput } from '../api/client';

export type HistoryDay = ProcOutput<'attendance.history'>['days'][number];
export type HistoryStatus = HistoryDay['status'];
export type Attempt = ProcOutput<'attendance.attempts'>[number];
export type Outcome = Attempt['outcome'];
export type Source = Attempt['channel'];
export type RequestResult = ProcOutput<'attendance.cancelDay'>;

export const SOURCE_OPTIONS: { value: Source; label: string }[] = [
  { value: 'ufficio', label: 'Ufficio' },
  { value: 'portale', label: 'Portale Genitori' },
  { value: 'app', label: 'App' },
  { value: 'telefono', label: 'Telefono' },
];

/** Short text and colour of each day of the presence history (A8), for the calendar and its legend. */
export const STATUS_LOOK: Record<HistoryStatus, { short: string; color: string; legend: string } | null> = {
  prenotato: { short: 'Prenotato', color: 'var(--mantine-color-blue-6)', legend: 'Pasto prenotato' },
  da_chiudere: { short: 'Da chiudere', color: 'var(--mantine-color-orange-5)', legend: 'Giornata passata da chiudere: pasto non ancora registrato né addebitato' },
  consumato: { short: 'Pasto', color: 'var(--mantine-color-green-7)', legend: 'Pasto registrato (giornata chiusa)' },
  disdetto: { short: 'Disdetto', color: 'var(--mantine-color-yellow-7)', legend: 'Disdetto in tempo' },
  disdetta_tardiva: { short: 'Tardiva', color: 'var(--mantine-color-orange-8)', legend: 'Disdetta tardiva: pasto addebitato' },
  assente: { short: 'Assente', color: 'var(--mantine-color-violet-6)', legend: 'Assenza prolungata' },
  rettificato_assente: { short: 'Assente (rettifica)', color: 'var(--mantine-color-grape-7)', legend: 'Assente per rettifica' },
  non_registrato: { short: 'Nessun pasto', color: 'var(--mantine-color-gray-6)', legend: 'Nessun pasto registrato' },
  chiuso: { short: 'Chiusura', color: 'var(--mantine-color-red-7)', legend: 'Servizio non erogato (chiusura)' },
  non_servizio: null,
  non_fruito: { short: 'Non scelto', color: 'var(--mantine-color-gray-5)', legend: "Giorno non scelto all'iscrizione" },
  non_iscritto: null,
  ritirato: { short: 'Ritirato', color: 'var(--mantine-color-dark-4)', legend: 'Ritirato dal servizio' },
  sospeso: { short: 'Sospeso', color: 'var(--mantine-color-dark-4)', legend: 'Servizio sospeso' },
};

export const PLAIN_LOOK = { short: 'In bianco', color: 'var(--mantine-color-cyan-7)', legend: 'Pasto in bianco' };

export const OUTCOME_COLOR: Record<Outcome, string> = {
  accettata: 'green',
  accettata_con_deroga: 'teal',
  tardiva: 'orange',
  rifiutata_non_servizio: 'red',
  rifiutata_fuori_orario: 'red',
  rifiutata: 'red',
  gia_registrata: 'gray',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  accettata: 'Accettata',
  accettata_con_deroga: 'Accettata con deroga',
  tardiva: 'Tardiva: non accettata',
  rifiutata_non_servizio: 'Rifiutata: giorno senza servizio',
  rifiutata_fuori_orario: 'Rifiutata: fuori orario telefonico',
  rifiutata: 'Rifiutata',
  gia_registrata: 'Già registrata',
};
