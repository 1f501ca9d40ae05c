import type { ProcOutput } from '../api/client';

export type Closure = ProcOutput<'calendar.closures.list'>[number];
export type ClosureKind = Closure['kind'];
export type ClosureScope = Closure['scope'];

/** The kinds the office picks from (the backend's list, in the order of the form). */
export const KIND_OPTIONS: { value: ClosureKind; label: string }[] = [
  { value: 'chiusura', label: 'Chiusura' },
  { value: 'festivita_locale', label: 'Festività locale' },
  { value: 'sciopero', label: 'Sciopero' },
  { value: 'gita', label: 'Gita / uscita didattica' },
  { value: 'seggio_elettorale', label: 'Seggio elettorale' },
  { value: 'vacanza', label: 'Vacanza scolastica' },
  { value: 'altro', label: 'Altro' },
];

/** Short names for the calendar's cells ("Gita 3A"). */
export const KIND_SHORT: Record<ClosureKind, string> = {
  chiusura: 'Chiusura',
  vacanza: 'Vacanza',
  festivita_locale: 'Festività locale',
  sciopero: 'Sciopero',
  gita: 'Gita',
  seggio_elettorale: 'Seggio elettorale',
  altro: 'Chiusura',
};

export const SCOPE_LABELS: Record<ClosureScope, string> = { comune: 'Comune', scuola: 'Scuola', classe: 'Classe' };

export const ORIGIN_LABELS: Record<Closure['origin'], string> = { manuale: 'Inserita a mano', importazione: 'Importata', copia: "Copiata dall'anno precedente" };

/** "Gita 3A: Bergamo", "Sciopero (tutto il comune)", "Seggio elettorale". */
export function closureTitle(c: Pick<Closure, 'kind' | 'scope' | 'className' | 'reason' | 'municipalityName'>, withReason = true): string {
  let t = KIND_SHORT[c.kind];
  if (c.scope === 'classe' && c.className) t += ` ${c.className}`;
  if (c.scope === 'comune') t += ` (Comune di ${c.municipalityName})`;
  // "Seggio elettorale: Seggio elettorale" says it twice
  if (withReason && c.reason && c.reason.trim().toLowerCase() !== KIND_SHORT[c.kind].toLowerCase()) t += `: ${c.reason}`;
  return t;
}

export function scopeText(c: Pick<Closure, 'scope' | 'municipalityName' | 'schoolName' | 'className'>): string {
  if (c.scope === 'comune') return `Comune di ${c.municipalityName}`;
  if (c.scope === 'scuola') return c.schoolName ?? '';
  return `Classe ${c.className ?? ''} · ${c.schoolName ?? ''}`;
}
