import { describe, expect, it } from 'vitest';
import { bpToInput, centsToInput, formatBp, formatCents, parseEuroToCents, parsePercentToBp } from '../../../renderer/src/format/money';
import { formatDate, formatWeekdays, parseItalianDate } from '../../../renderer/src/format/dates';

describe('interfaccia, importi: solo centesimi interi, it-IT ai bordi', () => {
  it('«6,18» sono 618 centesimi e si mostra come 6,18 €', () => {
    expect(parseEuroToCents('6,18')).toBe(618);
    expect(formatCents(618)).toBe('6,18\u00a0€');
    expect(centsToInput(618)).toBe('6,18');
  });

  it('legge gli importi come li scrive un ufficio, senza numeri in virgola mobile', () => {
    expect(parseEuroToCents('6')).toBe(600);
    expect(parseEuroToCents('6,1')).toBe(610);
    expect(parseEuroToCents('0,05')).toBe(5);
    expect(parseEuroToCents('1.234,56')).toBe(123456);
    expect(parseEuroToCents('6.18')).toBe(618);
    expect(parseEuroToCents('1.234')).toBe(123400);
    expect(parseEuroToCents(' 6,18 € ')).toBe(618);
    expect(parseEuroToCents('-2,50')).toBe(-250);
    // 0.1 + 0.2 style traps never happen: 0,29 is exactly 29
    expect(parseEuroToCents('0,29')).toBe(29);
  });

  it('rifiuta ciò che non è un importo con al più due decimali', () => {
    for (const bad of ['', 'abc', '6,185', '6,1,8', '1.23.4,5', '6..18', ',', '6,-1']) expect(parseEuroToCents(bad)).toBeNull();
  });

  it('formatta importi grandi e negativi con i separatori italiani', () => {
    expect(formatCents(123456789)).toBe('1.234.567,89\u00a0€');
    expect(formatCents(-618)).toBe('-6,18\u00a0€');
    expect(formatCents(0)).toBe('0,00\u00a0€');
  });

  it("aliquota IVA in punti base: 4% = 400", () => {
    expect(parsePercentToBp('4')).toBe(400);
    expect(parsePercentToBp('4,5')).toBe(450);
    expect(parsePercentToBp('22%')).toBe(2200);
    expect(formatBp(400)).toBe('4 %');
    expect(formatBp(450)).toBe('4,5 %');
    expect(formatBp(1025)).toBe('10,25 %');
    expect(bpToInput(450)).toBe('4,5');
  });
});

describe('interfaccia, date: gg/mm/aaaa a schermo, AAAA-MM-GG al backend', () => {
  it('formatta e legge con il giorno per primo', () => {
    expect(formatDate('2026-07-06')).toBe('06/07/2026');
    expect(parseItalianDate('06/07/2026')).toBe('2026-07-06');
    expect(parseItalianDate('6/7/2026')).toBe('2026-07-06');
    expect(parseItalianDate('06-07-2026')).toBe('2026-07-06');
    expect(parseItalianDate('06.07.2026')).toBe('2026-07-06');
  });

  it('rifiuta le date impossibili invece di farle scivolare', () => {
    expect(parseItalianDate('31/02/2026')).toBeNull();
    expect(parseItalianDate('29/02/2025')).toBeNull();
    expect(parseItalianDate('29/02/2024')).toBe('2024-02-29');
    expect(parseItalianDate('2026-07-06')).toBeNull();
  });

  it('giorni della settimana con i nomi brevi italiani', () => {
    expect(formatWeekdays([1, 3, 5])).toBe('Lun Mer Ven');
  });
});
