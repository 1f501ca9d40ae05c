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

/** A UTC moment shown in Rome time, 'dd/mm/yyyy hh:mm:ss': '2026-10-12T08:00:00Z' → '12/10/2026 10:00:00' (text that is not a moment is returned as it is). */
export function formatMomentIt(isoMoment: string): string {
  const d = new Date(isoMoment);
  if (Number.isNaN(d.getTime())) return isoMoment;
  return new Intl.DateTimeFormat('it-IT', {
    timeZone: 'Europe/Rome',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
    .format(d)
    .replace(',', '');
}
