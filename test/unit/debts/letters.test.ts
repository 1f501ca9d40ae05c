/**
 * The letters are produced inside a mutation's synchronous transaction: `finishSync` must give the
 * very bytes the usual asynchronous `finish()` gives for the same document.
 */
import { describe, expect, it } from 'vitest';
import { PdfWriter } from '../../../electron/documents/pdf';
import { fillTemplate, finishSync, letterPdf, type LetterData } from '../../../electron/debts/letters';
import { DEFAULT_STEPS, unknownPlaceholders } from '../../../electron/debts/ladder';
import { pdfText } from '../statements/pdf-text';

const at = new Date('2026-11-21T09:00:00Z');
const write = () => {
  const w = new PdfWriter({ title: 'Prova', createdAt: at, footer: 'Gestore' });
  w.title('Diffida e messa in mora');
  for (let i = 0; i < 120; i++) w.paragraph(`Riga ${i}: importo dovuto per il servizio di refezione scolastica.`);
  return w;
};

const data: LetterData = {
  stepName: 'Diffida e messa in mora',
  channel: 'pec',
  template: DEFAULT_STEPS[2].template,
  daysToPay: 15,
  payBy: '2026-12-06',
  issuedOn: '2026-11-21',
  issuedAt: at,
  municipalityName: 'Clusone',
  payer: { name: 'Verdi Alba', taxCode: 'VRDLBA80A01C800X', address: 'Via Garibaldi 1, 24023 Clusone (BG)', email: 'a@example.it' },
  owedCents: 6500,
  lines: [
    { pupilName: 'Verdi Dario', pupilTaxCode: 'VRDDRA17A21C800X', schoolYearLabel: '2025/2026', serviceName: 'Mensa', owedCents: 1500 },
    { pupilName: 'Verdi Dario', pupilTaxCode: 'VRDDRA17A21C800X', schoolYearLabel: '2026/2027', serviceName: 'Mensa', owedCents: 5000 },
  ],
};

describe('lettere della procedura di recupero', () => {
  it('il PDF chiuso in modo sincrono è identico, byte per byte, a quello chiuso in modo asincrono, anche su più pagine', async () => {
    const sync = finishSync(write());
    const async = await write().finish();
    expect(sync.length).toBeGreaterThan(1000);
    expect(sync.equals(async)).toBe(true);
    expect(pdfText(sync)).toContain('Riga 119');
  });

  it('la lettera riporta i segnaposto compilati, gli importi per anno scolastico, il mezzo e il termine', () => {
    expect(DEFAULT_STEPS.flatMap((s) => unknownPlaceholders(s.template))).toEqual([]);
    expect(fillTemplate('{pagante} deve {importo} entro il {scadenza} ({giorni} giorni), Comune di {comune}, {gestore}, {data} {altro}', data, null)).toBe(
      'Verdi Alba deve 65,00 € entro il 06/12/2026 (15 giorni), Comune di Clusone, il gestore del servizio, 21/11/2026 {altro}',
    );
    const text = pdfText(letterPdf(data, null)).replace(/\s+/g, ' ');
    expect(text).toContain("l'importo di 65,00 €");
    expect(text).toContain('2025/2026');
    expect(text).toContain('15,00 €');
    expect(text).toContain('50,00 €');
    expect(text).toContain('Inviata con PEC');
    expect(text).toContain('entro il 06/12/2026 (15 giorni)');
  });
});
