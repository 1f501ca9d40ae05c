import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareDates,
  eachDate,
  formatDateIt,
  isWeekend,
  isoWeekday,
  romeDateOf,
  romeMoment,
  toInstant,
} from '../../../electron/calendar/rome-time';
import { isRealDate } from '../../../electron/contract/vocabulary/dates';
import { romeTimeCases } from './calendar-cases';

romeTimeCases();

describe('date di calendario (stringhe AAAA-MM-GG)', () => {
  it('isRealDate accetta solo date reali', () => {
    for (const ok of ['2026-10-12', '2024-02-29', '2000-02-29', '2026-12-31', '2026-01-01']) expect(isRealDate(ok)).toBe(true);
    for (const ko of ['2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '26-10-12', '2026-10-12T00:00:00Z', '', '12/10/2026']) {
      expect(isRealDate(ko)).toBe(false);
    }
  });

  it('addDays attraversa mesi, anni, giorni bisestili e cambi d’ora, nei due sensi', () => {
    expect(addDays('2026-10-12', 1)).toBe('2026-10-13');
    expect(addDays('2026-10-31', 1)).toBe('2026-11-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26');
    expect(addDays('2026-10-12', 0)).toBe('2026-10-12');
    expect(addDays('2026-10-12', -365)).toBe('2025-10-12');
    expect(() => addDays('2026-10-12', 1.5)).toThrow(RangeError);
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('isoWeekday vale 1 per lunedì … 7 per domenica', () => {
    expect(isoWeekday('2026-10-12')).toBe(1);
    expect(isoWeekday('2026-10-16')).toBe(5);
    expect(isoWeekday('2026-10-17')).toBe(6);
    expect(isoWeekday('2026-10-18')).toBe(7);
    expect(isoWeekday('2026-03-29')).toBe(7);
    expect(isWeekend('2026-10-17')).toBe(true);
    expect(isWeekend('2026-10-16')).toBe(false);
  });

  it('eachDate elenca entrambi gli estremi, e niente quando l’inizio è dopo la fine', () => {
    expect(eachDate('2026-10-23', '2026-10-27')).toEqual(['2026-10-23', '2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27']);
    expect(eachDate('2026-10-12', '2026-10-12')).toEqual(['2026-10-12']);
    expect(eachDate('2026-10-13', '2026-10-12')).toEqual([]);
    expect(eachDate('2026-09-01', '2027-08-31')).toHaveLength(365);
  });

  it('compareDates ordina secondo il calendario', () => {
    expect(compareDates('2026-10-12', '2026-10-13')).toBe(-1);
    expect(compareDates('2026-10-13', '2026-10-12')).toBe(1);
    expect(compareDates('2026-10-12', '2026-10-12')).toBe(0);
    expect(['2027-01-01', '2026-12-31', '2026-02-01'].sort(compareDates)).toEqual(['2026-02-01', '2026-12-31', '2027-01-01']);
  });

  it('formatDateIt writes dd/mm/yyyy', () => {
    expect(formatDateIt('2026-10-12')).toBe('12/10/2026');
    expect(formatDateIt('2027-01-06')).toBe('06/01/2027');
    expect(() => formatDateIt('2026-02-30')).toThrow(RangeError);
  });
});

describe('istanti', () => {
  it('accetta una Date o una stringa ISO con Z o scarto, e rifiuta le stringhe senza scarto', () => {
    expect(toInstant('2026-10-12T09:30:00+02:00').toISOString()).toBe('2026-10-12T07:30:00.000Z');
    expect(toInstant('2026-10-12T07:30:00.123Z').toISOString()).toBe('2026-10-12T07:30:00.123Z');
    expect(toInstant(new Date('2026-10-12T07:30:00Z')).toISOString()).toBe('2026-10-12T07:30:00.000Z');
    expect(() => toInstant('2026-10-12T09:30:00')).toThrow(RangeError);
    expect(() => toInstant('2026-10-12')).toThrow(RangeError);
    expect(() => toInstant('domani')).toThrow(RangeError);
    expect(() => romeDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('toInstant copia la Date che riceve', () => {
    const d = new Date('2026-10-12T07:30:00Z');
    expect(toInstant(d)).not.toBe(d);
  });

  it('romeMoment refuses malformed times', () => {
    for (const bad of ['9:30', '24:00', '09:60', '09:30:60', '0930', '']) {
      expect(() => romeMoment('2026-10-12', bad)).toThrow(RangeError);
    }
  });
});
