/** Money is integer euro cents everywhere; it becomes text only here, at the edge (it-IT). */
const INTEGER = new Intl.NumberFormat('it-IT', { maximumFractionDigits: 0, useGrouping: 'always' });

/** 618 → "6,18 €" */
export function formatCents(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  // integer arithmetic keeps exact cents; Intl only groups the thousands of the whole euros
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${INTEGER.format(Math.trunc(abs / 100))},${String(abs % 100).padStart(2, '0')}\u00a0€`;
}

/** 618 → "6,18" (for an input box) */
export function centsToInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses a decimal typed the Italian way into an integer number of hundredths, without floats:
 * "6,18" → 618, "6" → 600, "1.234,5" → 123450, "6.18" (dot as decimal, no comma) → 618.
 * Returns null when the text is not a number with at most two decimals.
 */
export function parseHundredths(text: string): number | null {
  let s = text.trim().replace(/\s|€|%/g, '');
  if (!s) return null;
  let sign = 1;
  if (s.startsWith('-')) {
    sign = -1;
    s = s.slice(1);
  }
  let intPart: string;
  let decPart = '';
  if (s.includes(',')) {
    const [a, b, ...more] = s.split(',');
    if (more.length) return null;
    // dots before the comma are thousands separators: 1.234,56
    if (!/^\d{1,3}(\.\d{3})*$|^\d+$/.test(a)) return null;
    intPart = a.replace(/\./g, '');
    decPart = b;
  } else if (/^\d+\.\d{1,2}$/.test(s)) {
    [intPart, decPart] = s.split('.');
  } else if (/^\d{1,3}(\.\d{3})+$/.test(s)) {
    intPart = s.replace(/\./g, '');
  } else {
    intPart = s;
  }
  if (!/^\d+$/.test(intPart) || !/^\d{0,2}$/.test(decPart)) return null;
  const value = Number(intPart) * 100 + Number(decPart.padEnd(2, '0') || '0');
  return Number.isSafeInteger(value) ? sign * value : null;
}

/** "6,18" → 618 cents; null when not a valid amount. */
export function parseEuroToCents(text: string): number | null {
  return parseHundredths(text);
}

/** VAT rate as basis points: "4" → 400, "4,5" → 450, "22%" → 2200. */
export function parsePercentToBp(text: string): number | null {
  return parseHundredths(text);
}

/** 400 → "4 %", 450 → "4,5 %" */
export function formatBp(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const rest = bp % 100;
  if (rest === 0) return `${whole} %`;
  return `${whole},${String(rest).padStart(2, '0').replace(/0$/, '')} %`;
}

/** 400 → "4", 450 → "4,5" (for an input box) */
export function bpToInput(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '';
  return formatBp(bp).replace(' %', '');
}
