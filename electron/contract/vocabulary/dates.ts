/**
 * Calendar dates as the office writes them: one definition for the backend and the renderer.
 * Dependency-free on purpose (see eslint.config.js, VOCABULARY_FILES).
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True iff `date` is a real calendar date written 'YYYY-MM-DD' (e.g. not 2026-02-30). */
export function isRealDate(date: string): boolean {
  if (typeof date !== 'string') return false;
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear avoids that.
  probe.setUTCFullYear(y);
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy', the Italian format of the screens and of every message. */
export function formatDateIt(date: string): string {
  if (!isRealDate(date)) throw new RangeError(`data non valida: ${String(date)} (atteso AAAA-MM-GG)`);
  const [y, mo, d] = date.split('-');
  return `${d}/${mo}/${y}`;
}
