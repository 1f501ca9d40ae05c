import { describe, expect, it } from 'vitest';
import { agree, formatCount, noun, plural } from '../../../renderer/src/format/words';
import { formatCents } from '../../../renderer/src/format/money';
import { taxCodeFacts } from '../../../electron/contract/vocabulary/tax-code';

describe('interfaccia, parole: conteggi, plurali e accordo in italiano', () => {
  it('i conteggi hanno sempre il separatore delle migliaia, anche con quattro cifre', () => {
    expect(formatCount(5)).toBe('5');
    expect(formatCount(1234)).toBe('1.234');
    expect(formatCount(50000)).toBe('50.000');
    expect(formatCents(123456)).toBe('1.234,56\u00a0€');
  });

  it('il nome segue il numero: «1 riga», «2 righe», «0 righe»', () => {
    expect(plural(1, 'riga', 'righe')).toBe('1 riga');
    expect(plural(2, 'riga', 'righe')).toBe('2 righe');
    expect(plural(0, 'riga', 'righe')).toBe('0 righe');
    expect(plural(1234, 'pasto', 'pasti')).toBe('1.234 pasti');
    expect(noun(1, 'giorno', 'giorni')).toBe('giorno');
    expect(noun(3, 'giorno', 'giorni')).toBe('giorni');
  });

  it("l'aggettivo si accorda con il sesso dell'alunno; se non è noto resta il maschile", () => {
    expect(agree('F', 'iscritto')).toBe('iscritta');
    expect(agree('M', 'iscritto')).toBe('iscritto');
    expect(agree(null, 'ritirato')).toBe('ritirato');
  });

  it('dal codice fiscale: data di nascita e sesso (anche con omocodia); un codice malformato non dice nulla', () => {
    // RSSMRA85T10A562S: Mario Rossi, 10/12/1985, male
    expect(taxCodeFacts('RSSMRA85T10A562S', 2026)).toEqual({ birthDate: '1985-12-10', sex: 'M' });
    // day 52 = girl born on the 12th; century from the reference year
    expect(taxCodeFacts('bnclra18a52f205x', 2026)).toEqual({ birthDate: '2018-01-12', sex: 'F' });
    // omocodia: 1 → M, 8 → U in the year
    expect(taxCodeFacts('BNCLRAMUA52F205X', 2026)).toEqual({ birthDate: '2018-01-12', sex: 'F' });
    expect(taxCodeFacts('RSSMRA85T10A56', 2026)).toBeNull();
    expect(taxCodeFacts('RSSMRA85Z10A562S', 2026)).toBeNull();
    expect(taxCodeFacts('RSSMRA85T99A562S', 2026)).toBeNull();
  });
});
