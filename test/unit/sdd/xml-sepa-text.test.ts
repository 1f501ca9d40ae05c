/**
 * Texts for the bank: names and remittance in the EPC basic Latin set (EPC217-08), identifiers
 * checked (never rewritten), amounts written from integer cents.
 */
import { describe, expect, it } from 'vitest';
import { centsToDecimal, isSepaId, sepaIdProblem, toSepaText } from '../../../electron/sdd/sepa-text';

describe('testo SEPA (EPC217-08)', () => {
  it('toglie gli accenti italiani e tiene l\'apostrofo', () => {
    expect(toSepaText("Niccolò D'Angelo", 70)).toBe("Niccolo D'Angelo");
    expect(toSepaText('Perché è così: à è é ì ò ù À È Ì Ò Ù', 140)).toBe('Perche e cosi: a e e i o u A E I O U');
  });

  it('traslittera le lettere che non si scompongono e l\'apostrofo tipografico', () => {
    expect(toSepaText('Straße Øster Łódź Æther', 70)).toBe('Strasse Oster Lodz AEther');
    expect(toSepaText('Sant\u2019Alessandro \u2013 via', 70)).toBe("Sant'Alessandro - via");
  });

  it('sostituisce con uno spazio gli altri caratteri, poi comprime gli spazi e li toglie ai lati', () => {
    expect(toSepaText('  Rossi & Figli  «mensa»  €10 ', 70)).toBe('Rossi Figli mensa 10');
    expect(toSepaText('a\tb\nc', 70)).toBe('a b c');
    expect(toSepaText('★☆', 70)).toBe('');
  });

  it('taglia alla lunghezza del campo senza lasciare uno spazio in fondo', () => {
    expect(toSepaText('Mario Rossi', 6)).toBe('Mario');
    expect(toSepaText('x'.repeat(200), 140)).toHaveLength(140);
  });
});

describe('identificativi SEPA', () => {
  it('accetta lettere, cifre e / - ? : ( ) . , \' + fino a 35 caratteri', () => {
    expect(isSepaId('RM-2026-10-000001')).toBe(true);
    expect(isSepaId("A/B-C?D:E(F).G,H'I+J")).toBe(true);
    expect(isSepaId('X'.repeat(35))).toBe(true);
  });

  it('rifiuta vuoto, 36 caratteri, spazi, accenti, «/» ai lati e «//», con il motivo in italiano', () => {
    expect(sepaIdProblem('')).toBe('è vuoto');
    expect(sepaIdProblem('X'.repeat(36))).toBe('è lungo 36 caratteri (al massimo 35)');
    expect(sepaIdProblem('RM 1')).toBe('contiene spazi');
    expect(sepaIdProblem('RMÈ1')).toContain('«È»');
    expect(sepaIdProblem('RM_1')).toContain('«_»');
    expect(sepaIdProblem('/RM1')).toBe('inizia o finisce con «/»');
    expect(sepaIdProblem('RM1/')).toBe('inizia o finisce con «/»');
    expect(sepaIdProblem('RM//1')).toBe('contiene «//»');
  });
});

describe('importi', () => {
  it('scrive i centesimi con due decimali senza passare per i numeri in virgola', () => {
    expect(centsToDecimal(11224)).toBe('112.24');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(100)).toBe('1.00');
    expect(centsToDecimal(99_999_999_999)).toBe('999999999.99');
    expect(() => centsToDecimal(1.5)).toThrow(RangeError);
  });
});
