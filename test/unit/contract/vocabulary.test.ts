import { describe, expect, it } from 'vitest';
import { formatDateIt, isRealDate } from '../../../electron/contract/vocabulary/dates';
import { weekdayLabel, weekdayName, weekdayShort } from '../../../electron/contract/vocabulary/weekdays';
import { currentSchoolYear } from '../../../electron/contract/vocabulary/school-year';
import { isoWeekday } from '../../../electron/calendar/rome-time';

describe('vocabolario condiviso fra backend e interfaccia', () => {
  it('i giorni della settimana in italiano seguono la numerazione ISO del calendario', () => {
    // 12/10/2026 is a Monday: the names follow the calendar's own numbering, day by day
    const week = ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16', '2026-10-17', '2026-10-18'];
    expect(week.map((d) => weekdayName(isoWeekday(d)))).toEqual(['lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato', 'domenica']);
    expect(weekdayLabel(3)).toBe('Mercoledì');
    expect(weekdayShort(5)).toBe('Ven');
    for (const bad of [0, 8, 1.5, -1]) expect(() => weekdayName(bad), String(bad)).toThrow(RangeError);
  });

  it('le date si scrivono gg/mm/aaaa; una data impossibile è un errore, non un testo sbagliato', () => {
    expect(formatDateIt('2026-10-12')).toBe('12/10/2026');
    expect(formatDateIt('2024-02-29')).toBe('29/02/2024');
    expect(() => formatDateIt('2026-02-29')).toThrow(RangeError);
    expect(() => formatDateIt('12/10/2026')).toThrow(RangeError);
    expect(isRealDate('0099-01-01')).toBe(true); // years below 100 are not shifted to 19xx
  });

  it('l’anno scolastico corrente: quello che contiene il giorno, altrimenti il prossimo, altrimenti l’ultimo', () => {
    const years = [
      { id: 2, startsOn: '2026-09-01', endsOn: '2027-06-30' },
      { id: 1, startsOn: '2025-09-01', endsOn: '2026-06-30' },
    ];
    expect(currentSchoolYear(years, '2026-09-01')?.id).toBe(2);
    expect(currentSchoolYear(years, '2026-06-30')?.id).toBe(1);
    // summer between two years: the one about to start
    expect(currentSchoolYear(years, '2026-07-15')?.id).toBe(2);
    // before the first: the first; after the last: the last
    expect(currentSchoolYear(years, '2020-01-01')?.id).toBe(1);
    expect(currentSchoolYear(years, '2030-01-01')?.id).toBe(2);
    expect(currentSchoolYear([], '2026-10-12')).toBeUndefined();
  });
});
