/** IT60X0542811101000000123456 → "IT60 X054 2811 1010 0000 0123 456" (display only; the backend validates). */
export function formatIbanText(iban: string): string {
  return iban.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}
