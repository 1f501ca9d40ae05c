/**
 * Test cases shared by the calendar test files, so the same expectations run once in the
 * machine's own time zone and once under a forced foreign TZ (other-timezone.test.ts):
 * Rome-time rules must not depend on where the app runs.
 */
import { describe, expect, it } from 'vitest';
import {
  describeCutoffRefusal,
  isBeforeCutoff,
  phoneCancellationTarget,
} from '../../../electron/calendar/cutoff';
import { italianPublicHolidays } from '../../../electron/calendar/holidays';
import { isoWeekday, romeDateOf, romeMoment, romeTimeOf } from '../../../electron/calendar/rome-time';

/** A service calendar: Monday–Friday, no national holiday, none of `closures`. */
export function serviceCalendar(closures: string[] = []): (date: string) => boolean {
  const closed = new Set(closures);
  return (date) => {
    if (isoWeekday(date) >= 6 || closed.has(date)) return false;
    const year = Number(date.slice(0, 4));
    return !italianPublicHolidays(year).some((h) => h.date === date);
  };
}

export const CLUSONE = '09:30';
export const CASSINO = '09:00';

/** [label, service date, cutoff, UTC instant of that cutoff] */
const CUTOFF_INSTANTS: [string, string, string, string][] = [
  ['12/10/2026, ora legale (CEST, UTC+2), a Clusone', '2026-10-12', CLUSONE, '2026-10-12T07:30:00.000Z'],
  ['12/10/2026, ora legale (CEST, UTC+2), a Cassino', '2026-10-12', CASSINO, '2026-10-12T07:00:00.000Z'],
  ['16/11/2026, ora solare (CET, UTC+1), a Clusone', '2026-11-16', CLUSONE, '2026-11-16T08:30:00.000Z'],
  ['16/11/2026, ora solare (CET, UTC+1), a Cassino', '2026-11-16', CASSINO, '2026-11-16T08:00:00.000Z'],
  ['28/03/2026, vigilia del passaggio all’ora legale, a Clusone', '2026-03-28', CLUSONE, '2026-03-28T08:30:00.000Z'],
  ['29/03/2026, giorno del passaggio all’ora legale, a Clusone', '2026-03-29', CLUSONE, '2026-03-29T07:30:00.000Z'],
  ['29/03/2026, giorno del passaggio all’ora legale, a Cassino', '2026-03-29', CASSINO, '2026-03-29T07:00:00.000Z'],
  ['30/03/2026, il giorno dopo il passaggio all’ora legale, a Cassino', '2026-03-30', CASSINO, '2026-03-30T07:00:00.000Z'],
  ['24/10/2026, vigilia del ritorno all’ora solare, a Clusone', '2026-10-24', CLUSONE, '2026-10-24T07:30:00.000Z'],
  ['25/10/2026, giorno del ritorno all’ora solare, a Clusone', '2026-10-25', CLUSONE, '2026-10-25T08:30:00.000Z'],
  ['25/10/2026, giorno del ritorno all’ora solare, a Cassino', '2026-10-25', CASSINO, '2026-10-25T08:00:00.000Z'],
  ['26/10/2026, il giorno dopo il ritorno all’ora solare, a Clusone', '2026-10-26', CLUSONE, '2026-10-26T08:30:00.000Z'],
];

const minus1s = (iso: string) => new Date(new Date(iso).getTime() - 1000).toISOString();

export function romeTimeCases(): void {
  describe('ora di Roma di un istante, qualunque sia il fuso della macchina', () => {
    it.each([
      ['2026-10-11T21:59:59Z', '2026-10-11', '23:59:59'],
      ['2026-10-11T22:00:00Z', '2026-10-12', '00:00:00'],
      ['2026-11-15T22:59:59Z', '2026-11-15', '23:59:59'],
      ['2026-11-15T23:00:00Z', '2026-11-16', '00:00:00'],
      ['2026-03-29T00:59:59Z', '2026-03-29', '01:59:59'],
      ['2026-03-29T01:00:00Z', '2026-03-29', '03:00:00'],
      ['2026-10-25T00:30:00Z', '2026-10-25', '02:30:00'],
      ['2026-10-25T01:30:00Z', '2026-10-25', '02:30:00'],
      ['2026-12-31T23:00:00Z', '2027-01-01', '00:00:00'],
      ['2026-10-12T09:29:59+02:00', '2026-10-12', '09:29:59'],
    ])('%s a Roma è il %s alle %s', (instant, date, time) => {
      expect(romeDateOf(instant)).toBe(date);
      expect(romeTimeOf(instant)).toBe(time);
      expect(romeDateOf(new Date(instant))).toBe(date);
      expect(romeTimeOf(new Date(instant))).toBe(time);
    });

    it('romeMoment dà l’istante UTC di un’ora di Roma, con lo scarto di quel giorno', () => {
      for (const [, date, cutoff, utc] of CUTOFF_INSTANTS) {
        expect(romeMoment(date, cutoff).toISOString()).toBe(utc);
      }
      expect(romeMoment('2026-10-12', '18:00').toISOString()).toBe('2026-10-12T16:00:00.000Z');
      expect(romeMoment('2026-11-16', '18:00:30').toISOString()).toBe('2026-11-16T17:00:30.000Z');
      expect(romeMoment('2026-03-28', '18:00').toISOString()).toBe('2026-03-28T17:00:00.000Z');
      expect(romeMoment('2026-10-24', '18:00').toISOString()).toBe('2026-10-24T16:00:00.000Z');
    });

    it('romeMoment risolve il salto dell’ora legale in avanti e la sovrapposizione all’istante precedente', () => {
      // 02:30 does not exist on 2026-03-29 (02:00 → 03:00): read as 03:30 CEST.
      expect(romeMoment('2026-03-29', '02:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
      // 02:30 happens twice on 2026-10-25 (03:00 → 02:00): the first one, still CEST.
      expect(romeMoment('2026-10-25', '02:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
      expect(romeMoment('2026-10-25', '03:00').toISOString()).toBe('2026-10-25T02:00:00.000Z');
      expect(romeMoment('2026-10-25', '01:59:59').toISOString()).toBe('2026-10-24T23:59:59.000Z');
    });

    it('romeMoment fa andata e ritorno su ogni quarto d’ora dei due giorni di cambio d’ora (fuori dal salto di primavera)', () => {
      for (const date of ['2026-03-29', '2026-10-25', '2026-03-28', '2026-10-26']) {
        for (let q = 0; q < 96; q++) {
          const time = `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}:00`;
          if (date === '2026-03-29' && time.startsWith('02:')) continue;
          const instant = romeMoment(date, time);
          expect(romeDateOf(instant)).toBe(date);
          expect(romeTimeOf(instant)).toBe(time);
        }
      }
    });
  });
}

export function cutoffCases(): void {
  describe('A2/A4: orario limite dello stesso giorno, ora di Roma', () => {
    for (const [label, date, cutoff, utc] of CUTOFF_INSTANTS) {
      it(`A2: il ${label}, un secondo prima delle ${cutoff} è in tempo e alle ${cutoff}:00 è tardi`, () => {
        expect(isBeforeCutoff(minus1s(utc), date, cutoff)).toBe(true);
        expect(isBeforeCutoff(new Date(minus1s(utc)), date, cutoff)).toBe(true);
        expect(isBeforeCutoff(utc, date, cutoff)).toBe(false);
        expect(isBeforeCutoff(new Date(utc), date, cutoff)).toBe(false);
      });
    }

    it('A2: Clusone 09:30 il 12/10/2026 — 09:29:59 in tempo, 09:30:00 tardi (stringhe con scarto)', () => {
      expect(isBeforeCutoff('2026-10-12T09:29:59+02:00', '2026-10-12', CLUSONE)).toBe(true);
      expect(isBeforeCutoff('2026-10-12T09:29:59.999+02:00', '2026-10-12', CLUSONE)).toBe(true);
      expect(isBeforeCutoff('2026-10-12T09:30:00+02:00', '2026-10-12', CLUSONE)).toBe(false);
      expect(isBeforeCutoff('2026-10-12T15:00:00+02:00', '2026-10-12', CLUSONE)).toBe(false);
    });

    it('A2: Cassino 09:00 è prima di Clusone 09:30 — alle 09:15 è tardi a Cassino, in tempo a Clusone', () => {
      const at = '2026-11-16T08:15:00Z'; // 09:15 CET
      expect(isBeforeCutoff(at, '2026-11-16', CASSINO)).toBe(false);
      expect(isBeforeCutoff(at, '2026-11-16', CLUSONE)).toBe(true);
    });

    it('A4: una disdetta fatta in qualunque giorno precedente è in tempo, anche a tarda sera', () => {
      expect(isBeforeCutoff('2026-10-11T21:59:59Z', '2026-10-12', CASSINO)).toBe(true); // Sun 23:59:59
      expect(isBeforeCutoff('2026-10-11T22:00:00Z', '2026-10-12', CASSINO)).toBe(true); // Mon 00:00
      expect(isBeforeCutoff('2026-09-01T10:00:00Z', '2026-12-21', CLUSONE)).toBe(true);
      expect(isBeforeCutoff('2026-10-24T20:00:00Z', '2026-10-26', CLUSONE)).toBe(true); // across DST
    });

    it('A2: una disdetta fatta dopo il giorno di servizio è tardiva', () => {
      expect(isBeforeCutoff('2026-10-13T06:00:00Z', '2026-10-12', CLUSONE)).toBe(false);
    });

    it('A2: il messaggio di rifiuto nomina in italiano l’orario limite e la data', () => {
      expect(describeCutoffRefusal('2026-10-12', CLUSONE)).toBe(
        "Disdetta non accettata: l'orario limite delle 09:30 del 12/10/2026 è superato; il pasto resta addebitato.",
      );
      expect(describeCutoffRefusal('2026-03-29', CASSINO)).toBe(
        "Disdetta non accettata: l'orario limite delle 09:00 del 29/03/2026 è superato; il pasto resta addebitato.",
      );
    });
  });

  describe('A6: disdetta telefonica, dalle 18:00 del giorno prima all’orario limite, sul primo giorno utile', () => {
    // Monday 12/10/2026, with Tuesday 13 and Wednesday 14 entered as closures. Summer time (UTC+2).
    const closedTueWed = serviceCalendar(['2026-10-13', '2026-10-14']);
    const weekdays = serviceCalendar();

    it('A6: lunedì, disdire «per domani» con martedì e mercoledì chiusi vale per giovedì', () => {
      expect(phoneCancellationTarget('2026-10-12T16:00:00Z', CASSINO, closedTueWed)).toEqual({ ok: true, date: '2026-10-15' }); // Mon 18:00
      expect(phoneCancellationTarget('2026-10-12T19:30:00Z', CASSINO, closedTueWed)).toEqual({ ok: true, date: '2026-10-15' }); // Mon 21:30
      expect(phoneCancellationTarget('2026-10-13T10:00:00Z', CASSINO, closedTueWed)).toEqual({ ok: true, date: '2026-10-15' }); // Tue 12:00
      expect(phoneCancellationTarget('2026-10-15T06:59:59Z', CASSINO, closedTueWed)).toEqual({ ok: true, date: '2026-10-15' }); // Thu 08:59:59
    });

    it('A6: una disdetta fatta di venerdì vale per lunedì', () => {
      // Friday 16/10/2026 from 18:00, and Saturday or Sunday at any hour, lands on Monday 19/10.
      for (const at of ['2026-10-16T16:00:00Z', '2026-10-16T21:59:59Z', '2026-10-17T08:00:00Z', '2026-10-17T15:00:00Z', '2026-10-18T05:00:00Z', '2026-10-18T21:00:00Z']) {
        expect(phoneCancellationTarget(at, CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-10-19' });
      }
    });

    it('A6: prima dell’orario limite la telefonata disdice lo stesso giorno (Clusone 09:29:59 sì, 09:30:00 no)', () => {
      expect(phoneCancellationTarget('2026-10-12T05:00:00Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-10-12' });
      expect(phoneCancellationTarget('2026-10-12T07:29:59Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-10-12' });
      expect(phoneCancellationTarget('2026-10-12T07:30:00Z', CLUSONE, weekdays)).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
    });

    it('A6: subito dopo la mezzanotte di Roma la telefonata vale per quel giorno (in UTC è ancora il giorno prima)', () => {
      expect(phoneCancellationTarget('2026-10-11T22:30:00Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-10-12' }); // Mon 00:30
      expect(phoneCancellationTarget('2026-10-12T22:30:00Z', CLUSONE, closedTueWed)).toEqual({ ok: true, date: '2026-10-15' }); // Tue 00:30
    });

    it('A6: lunedì dopo l’orario limite e prima delle 18:00 la telefonata è rifiutata come FUORI_ORARIO', () => {
      const res = phoneCancellationTarget('2026-10-12T10:00:00Z', CLUSONE, closedTueWed); // Mon 12:00
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.reason).toBe('FUORI_ORARIO');
      expect(res.message).toContain(
        'Disdetta telefonica accettata dalle 18:00 del giorno precedente fino alle 09:30 del giorno di servizio',
      );
      expect(res.message).toContain('giovedì 15/10/2026');
      expect(res.message).toContain('12/10/2026');
      // one second before 18:00 refused, 18:00:00 accepted
      expect(phoneCancellationTarget('2026-10-12T15:59:59Z', CLUSONE, closedTueWed)).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
      expect(phoneCancellationTarget('2026-10-12T16:00:00Z', CLUSONE, closedTueWed)).toEqual({ ok: true, date: '2026-10-15' });
    });

    it('A6: venerdì dopo l’orario limite e prima delle 18:00 è rifiutata; il messaggio di Cassino dice 09:00', () => {
      const res = phoneCancellationTarget('2026-10-16T13:00:00Z', CASSINO, weekdays); // Fri 15:00
      expect(res).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
      if (!res.ok) {
        expect(res.message).toContain('fino alle 09:00 del giorno di servizio');
        expect(res.message).toContain('lunedì 19/10/2026');
      }
    });

    it('A6: le festività nazionali si saltano (lunedì 07/12/2026 sera → mercoledì, l’08/12 è l’Immacolata)', () => {
      expect(phoneCancellationTarget('2026-12-07T18:00:00Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-12-09' }); // Mon 19:00 CET
      expect(phoneCancellationTarget('2026-12-08T10:00:00Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-12-09' }); // holiday, any hour
      expect(phoneCancellationTarget('2026-06-01T17:00:00Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-06-03' }); // 02/06 Festa della Repubblica
    });

    it('A6: durante la chiusura di Natale ogni telefonata vale per il primo giorno di rientro; l’ultimo giorno prima apre alle 18:00', () => {
      const xmas = serviceCalendar(['2026-12-23', '2026-12-24', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-04', '2027-01-05']);
      expect(phoneCancellationTarget('2026-12-28T09:00:00Z', CLUSONE, xmas)).toEqual({ ok: true, date: '2027-01-07' });
      expect(phoneCancellationTarget('2027-01-06T20:00:00Z', CLUSONE, xmas)).toEqual({ ok: true, date: '2027-01-07' });
      expect(phoneCancellationTarget('2026-12-22T17:00:00Z', CLUSONE, xmas)).toEqual({ ok: true, date: '2027-01-07' }); // Tue 18:00
      expect(phoneCancellationTarget('2026-12-22T16:59:59Z', CLUSONE, xmas)).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
    });

    it('A6: a cavallo del cambio d’ora d’autunno — venerdì 23/10 dalle 18:00 CEST vale per lunedì 26/10, limite 09:00 CET', () => {
      expect(phoneCancellationTarget('2026-10-23T15:59:59Z', CASSINO, weekdays)).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
      expect(phoneCancellationTarget('2026-10-23T16:00:00Z', CASSINO, weekdays)).toEqual({ ok: true, date: '2026-10-26' });
      expect(phoneCancellationTarget('2026-10-25T01:30:00Z', CASSINO, weekdays)).toEqual({ ok: true, date: '2026-10-26' }); // the repeated 02:30
      expect(phoneCancellationTarget('2026-10-26T07:59:59Z', CASSINO, weekdays)).toEqual({ ok: true, date: '2026-10-26' });
      expect(phoneCancellationTarget('2026-10-26T08:00:00Z', CASSINO, weekdays)).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
      expect(phoneCancellationTarget('2026-10-26T17:00:00Z', CASSINO, weekdays)).toEqual({ ok: true, date: '2026-10-27' }); // 18:00 CET
      expect(phoneCancellationTarget('2026-10-26T16:59:59Z', CASSINO, weekdays)).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
    });

    it('A6: a cavallo del cambio d’ora di primavera — venerdì 27/03 dalle 18:00 CET vale per lunedì 30/03, limite 09:30 CEST', () => {
      expect(phoneCancellationTarget('2026-03-27T16:59:59Z', CLUSONE, weekdays)).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
      expect(phoneCancellationTarget('2026-03-27T17:00:00Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-03-30' });
      expect(phoneCancellationTarget('2026-03-29T01:00:00Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-03-30' }); // 03:00 CEST
      expect(phoneCancellationTarget('2026-03-30T07:29:59Z', CLUSONE, weekdays)).toEqual({ ok: true, date: '2026-03-30' });
      expect(phoneCancellationTarget('2026-03-30T07:30:00Z', CLUSONE, weekdays)).toMatchObject({ ok: false, reason: 'FUORI_ORARIO' });
    });

    it('A6: senza giorni di servizio entro l’orizzonte la telefonata è rifiutata come NESSUN_GIORNO', () => {
      // Summer holidays: service only from Monday 14/09/2026.
      const summer = (date: string) => date >= '2026-09-14' && weekdays(date);
      const res = phoneCancellationTarget('2026-07-01T10:00:00Z', CLUSONE, summer);
      expect(res).toMatchObject({ ok: false, reason: 'NESSUN_GIORNO' });
      if (!res.ok) expect(res.message).toContain('60 giorni');
      expect(phoneCancellationTarget('2026-07-01T10:00:00Z', CLUSONE, summer, 90)).toEqual({ ok: true, date: '2026-09-14' });
    });

    it('un input non valido per la regola telefonica è un errore di programmazione (RangeError)', () => {
      expect(() => phoneCancellationTarget('2026-10-12T10:00:00', CLUSONE, weekdays)).toThrow(RangeError); // no offset
      expect(() => phoneCancellationTarget('2026-10-12T10:00:00Z', '9:30', weekdays)).toThrow(RangeError);
      expect(() => phoneCancellationTarget('2026-10-12T10:00:00Z', CLUSONE, weekdays, 0)).toThrow(RangeError);
      expect(() => isBeforeCutoff(new Date(Number.NaN), '2026-10-12', CLUSONE)).toThrow(RangeError);
      expect(() => isBeforeCutoff('2026-10-12T10:00:00Z', '2026-02-30', CLUSONE)).toThrow(RangeError);
    });
  });
}
