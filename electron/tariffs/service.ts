/**
 * T1: the charged price is the published VAT-inclusive figure; net and VAT rate are kept as
 * entered. We only warn when net × (1 + VAT) differs from the published gross by a cent or more
 * (Clusone: 5.95 × 1.04 = 6.188 against 6.18 published: 0.8 cents, no warning).
 */
export function tariffDisagreement(grossCents: number, netCents: number, vatRateBp: number): { computedHundredthsOfCent: number; diffCents: number } {
  // exact integer arithmetic: net (cents) × (10000 + bp) / 10000, in hundredths of a cent
  const computedHundredths = (netCents * (10_000 + vatRateBp)) / 100; // hundredths of a cent, exact for integer bp
  const diff = Math.abs(computedHundredths - grossCents * 100) / 100;
  return { computedHundredthsOfCent: computedHundredths, diffCents: diff };
}

export function tariffWarning(grossCents: number, netCents: number, vatRateBp: number): string | null {
  const { computedHundredthsOfCent, diffCents } = tariffDisagreement(grossCents, netCents, vatRateBp);
  if (diffCents < 1) return null;
  const computed = (computedHundredthsOfCent / 10_000).toLocaleString('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  const gross = (grossCents / 100).toLocaleString('it-IT', { minimumFractionDigits: 2 });
  return `Attenzione: imponibile + IVA = ${computed} €, diverso dal prezzo pubblicato ${gross} € di almeno un centesimo`;
}
