/**
 * Counts and words on screen, the Italian way: thousands always separated ("1.234", also with
 * four digits, where it-IT's default leaves "1234"), the noun agreeing with the count ("1 riga",
 * "2 righe") and the adjective with the pupil's sex ("iscritto", "iscritta").
 */

const COUNT = new Intl.NumberFormat('it-IT', { useGrouping: 'always', maximumFractionDigits: 0 });

/** 1234 → "1.234"; 5 → "5" */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** The count and its noun: plural(1, 'riga', 'righe') → "1 riga"; plural(1234, …) → "1.234 righe". */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The noun alone, by count: noun(2, 'giorno', 'giorni') → "giorni". */
export function noun(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

export type Sex = 'M' | 'F';

/**
 * An adjective or participle agreeing with a person's sex, from the masculine form ending in -o:
 * agree('F', 'iscritto') → "iscritta". Unknown sex keeps the masculine (the Italian default).
 */
export function agree(sex: Sex | null | undefined, masculine: string): string {
  return sex === 'F' && masculine.endsWith('o') ? `${masculine.slice(0, -1)}a` : masculine;
}

/** The formatter of counts (thousands always separated), for code that calls `.format(n)`. */
export const countFormat = COUNT;
