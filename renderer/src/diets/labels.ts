import type { ProcInput, ProcOutput } from '../api/client';
import { DIET_CATEGORY_LABEL, DIET_SOURCE_LABEL, DIET_STATUS_LABEL } from '../../../electron/contract/vocabulary/diets';

export type DietRequest = ProcOutput<'diets.list'>[number];
export type DietDetail = ProcOutput<'diets.get'>;
export type DietCategory = DietRequest['category'];
export type DietSource = DietRequest['source'];
export type DietStatus = DietRequest['status'];
export type AttachmentKind = ProcInput<'diets.create'>['attachments'] extends (infer A)[] | undefined ? (A extends { kind: infer K } ? K : never) : never;

export const CATEGORY_LABELS: Record<DietCategory, string> = DIET_CATEGORY_LABEL;
export const SOURCE_LABELS: Record<DietSource, string> = DIET_SOURCE_LABEL;
export const STATUS_LABELS: Record<DietStatus, string> = DIET_STATUS_LABEL;
export const STATUS_COLORS: Record<DietStatus, string> = { in_attesa: 'orange', approvata: 'green', respinta: 'red', revocata: 'gray', sostituita: 'gray' };
export const ATTACHMENT_LABELS: Record<AttachmentKind, string> = { certificato_medico: 'Certificato medico', autodichiarazione: 'Autodichiarazione' };
export const KIND_LABELS: Record<ProcOutput<'diets.catalogue'>[number]['kind'], string> = {
  allergene: 'Allergene (Reg. UE 1169/2011)',
  intolleranza: 'Intolleranza',
  metabolica: 'Malattia metabolica',
  etica: 'Etico-religiosa',
  altro: 'Altro (testo libero)',
};

export function options<K extends string>(labels: Record<K, string>) {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

export function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} kB` : `${(n / 1048576).toFixed(1).replace('.', ',')} MB`;
}

/** The bytes of a base64 text as a Blob URL (the viewer and the download use it). */
export function blobUrl(base64: string, mime: string): string {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: mime }));
}
