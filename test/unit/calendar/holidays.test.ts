import { describe, expect, it } from 'vitest';
import {
  easterSunday,
  holidaysInRange,
  isItalianPublicHoliday,
  italianPublicHolidays,
} from '../../../electron/calendar/holidays';

describe('Pasqua (algoritmo gregoriano anonimo)', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2000, '2000-04-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [1818, '1818-03-22'], // earliest possible date
    [2038, '2038-04-25'], // latest possible date
  ])('Easter %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('rifiuta anni fuori dal calendario gregoriano o non interi', () => {
    expect(() => easterSunday(1582)).toThrow(RangeError);
    expect(() => easterSunday(2026.5)).toThrow(RangeError);
  });
});

describe('festività nazionali italiane', () => {
  it('elenca le 12 festività nazionali del 2025, in ordine di data, con i nomi italiani', () => {
    expect(italianPublicHolidays(2025)).toEqual([
      { date: '2025-01-01', name: 'Capodanno' },
      { date: '2025-01-06', name: 'Epifania' },
      { date: '2025-04-20', name: 'Pasqua' },
      { date: '2025-04-21', name: "Lunedì dell'Angelo" },
      { date: '2025-04-25', name: 'Festa della Liberazione' },
      { date: '2025-05-01', name: 'Festa dei Lavoratori' },
      { date: '2025-06-02', name: 'Festa della Repubblica' },
      { date: '2025-08-15', name: 'Ferragosto' },
      { date: '2025-11-01', name: 'Ognissanti' },
      { date: '2025-12-08', name: 'Immacolata Concezione' },
      { date: '2025-12-25', name: 'Natale' },
      { date: '2025-12-26', name: 'Santo Stefano' },
    ]);
  });

  it("dal 2026 comprende il 4 ottobre, San Francesco d’Assisi (legge 151/2025)", () => {
    const h2026 = italianPublicHolidays(2026);
    expect(h2026).toHaveLength(13);
    expect(h2026).toContainEqual({ date: '2026-10-04', name: "San Francesco d'Assisi, patrono d'Italia" });
    expect(italianPublicHolidays(2027).map((h) => h.date)).toContain('2027-10-04');
    expect(italianPublicHolidays(2025).map((h) => h.date)).not.toContain('2025-10-04');
  });

  it("comprende il lunedì dell'Angelo di ogni anno", () => {
    expect(italianPublicHolidays(2024)).toContainEqual({ date: '2024-04-01', name: "Lunedì dell'Angelo" });
    expect(italianPublicHolidays(2026)).toContainEqual({ date: '2026-04-06', name: "Lunedì dell'Angelo" });
    expect(italianPublicHolidays(2027)).toContainEqual({ date: '2027-03-29', name: "Lunedì dell'Angelo" });
  });

  it('tiene entrambi i nomi quando il lunedì dell’Angelo cade il 25 aprile (2011)', () => {
    const onApril25 = italianPublicHolidays(2011).filter((h) => h.date === '2011-04-25');
    expect(onApril25.map((h) => h.name).sort()).toEqual(['Festa della Liberazione', "Lunedì dell'Angelo"]);
  });

  it('è in ordine di data', () => {
    const dates = italianPublicHolidays(2026).map((h) => h.date);
    expect([...dates].sort()).toEqual(dates);
  });

  it('isItalianPublicHoliday', () => {
    expect(isItalianPublicHoliday('2026-04-06')).toBe(true);
    expect(isItalianPublicHoliday('2026-10-04')).toBe(true);
    expect(isItalianPublicHoliday('2025-10-04')).toBe(false);
    expect(isItalianPublicHoliday('2026-10-12')).toBe(false);
  });

  it('holidaysInRange attraversa gli anni e comprende entrambi gli estremi', () => {
    expect(holidaysInRange('2026-12-25', '2027-01-06').map((h) => h.date)).toEqual([
      '2026-12-25',
      '2026-12-26',
      '2027-01-01',
      '2027-01-06',
    ]);
    expect(holidaysInRange('2026-09-01', '2027-06-30').map((h) => h.name)).toEqual([
      "San Francesco d'Assisi, patrono d'Italia",
      'Ognissanti',
      'Immacolata Concezione',
      'Natale',
      'Santo Stefano',
      'Capodanno',
      'Epifania',
      'Pasqua',
      "Lunedì dell'Angelo",
      'Festa della Liberazione',
      'Festa dei Lavoratori',
      'Festa della Repubblica',
    ]);
    expect(holidaysInRange('2026-10-05', '2026-10-31')).toEqual([]);
    expect(holidaysInRange('2027-01-01', '2026-12-31')).toEqual([]);
    expect(() => holidaysInRange('2026-02-30', '2026-03-31')).toThrow(RangeError);
  });
});
