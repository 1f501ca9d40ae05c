/** Money and dates as the office reads them (it-IT), computed from integer cents without floats. */

/** 123456 → "1.234,56 €"; -618 → "-6,18 €". Plain spaces, so the text reads back the same. */
export function euro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const units = Math.trunc(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${units},${String(abs % 100).padStart(2, '0')} €`;
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy'. */
export function dateIt(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** VAT rate in basis points → "4%", "10%", "5,5%". */
export function vatRate(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const rest = bp % 100;
  return rest === 0 ? `${whole}%` : `${whole},${String(rest).padStart(2, '0').replace(/0$/, '')}%`;
}

/** A file-name-safe fragment: letters, digits and dashes, accents folded. */
export function fileSafe(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
