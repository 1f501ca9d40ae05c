/** Italian month names and the 'YYYY-MM' month of the office (SDD batches, statements): one home for both sides. */
export const MONTH_NAMES_IT = ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'] as const;

/** A month 'YYYY-MM' that exists. */
export function isMonth(month: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m !== null && Number(m[1]) >= 2000 && Number(m[1]) <= 2100 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** '2026-10' → 'ottobre 2026'. */
export function monthLabel(month: string): string {
  if (!isMonth(month)) throw new RangeError(`Mese non valido: ${month}`);
  return `${MONTH_NAMES_IT[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}
