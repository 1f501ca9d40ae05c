import { describe, expect, it } from 'vitest';
import { ClockOptionError, fixedClock, parseMoment, practiceClock, practiceClockSetting } from '../../../electron/platform/clock';

describe('orologio di prova: lettura dell’istante', () => {
  it.each([
    ['2026-11-16T08:30:00+01:00', '2026-11-16T07:30:00.000Z'],
    ['2026-11-16T08:30+01:00', '2026-11-16T07:30:00.000Z'],
    ['2026-05-18T09:10:00+02:00', '2026-05-18T07:10:00.000Z'],
    ['2026-11-16T07:30:00Z', '2026-11-16T07:30:00.000Z'],
    ['2026-11-16t07:30:00z', '2026-11-16T07:30:00.000Z'],
    [' 2026-11-15T18:30:00+01:00 ', '2026-11-15T17:30:00.000Z'],
    ['2026-11-16T07:30:04.635Z', '2026-11-16T07:30:04.635Z'],
  ])('accetta %s come %s', (text, iso) => {
    expect(parseMoment(text).toISOString()).toBe(iso);
  });

  it.each([
    ['2026-11-16T08:30:00', /fuso/],
    ['2026-11-16', /fuso/],
    ['16/11/2026 08:30', /non è un istante valido/],
    ['2026-02-30T08:00:00+01:00', /il giorno 30\/02\/2026 non esiste/],
    ['2026-11-16T24:00:00+01:00', /l’ora 24:00:00 non esiste/],
    ['2026-11-16T08:60+01:00', /l’ora 08:60 non esiste/],
    ['2026-11-16T08:30:00+15:00', /il fuso \+15:00 non esiste/],
    ['2026-11-16T08:30:00.5000Z', /non è un istante valido/],
    ['', /non è un istante valido/],
  ])('rifiuta «%s» con un messaggio in italiano', (text, message) => {
    expect(() => parseMoment(text)).toThrow(ClockOptionError);
    expect(() => parseMoment(text)).toThrow(message);
  });
});

describe('orologio di prova: opzioni e variabili d’ambiente', () => {
  it('senza opzioni né variabili resta l’orologio reale', () => {
    expect(practiceClockSetting({}, {})).toBeNull();
    expect(practiceClockSetting({}, { RETTE_CLOCK: '', RETTE_CLOCK_FROM: '' })).toBeNull();
  });

  it('--clock è fermo, --clock-from parte e scorre', () => {
    expect(practiceClockSetting({ clock: '2026-11-16T08:30:00+01:00' })).toEqual({ mode: 'fisso', from: '2026-11-16T07:30:00.000Z' });
    expect(practiceClockSetting({ clockFrom: '2026-11-16T09:10:00+01:00' })).toEqual({ mode: 'in-corsa', from: '2026-11-16T08:10:00.000Z' });
  });

  it('le variabili RETTE_CLOCK e RETTE_CLOCK_FROM valgono quando mancano le opzioni', () => {
    expect(practiceClockSetting({}, { RETTE_CLOCK: '2026-11-16T08:30:00+01:00' })).toEqual({ mode: 'fisso', from: '2026-11-16T07:30:00.000Z' });
    expect(practiceClockSetting({}, { RETTE_CLOCK_FROM: '2026-11-16T08:30:00+01:00' })).toEqual({ mode: 'in-corsa', from: '2026-11-16T07:30:00.000Z' });
  });

  it('le opzioni della riga di comando prevalgono sulle variabili, per intero', () => {
    const env = { RETTE_CLOCK: '2026-01-01T00:00:00Z' };
    expect(practiceClockSetting({ clockFrom: '2026-11-16T08:30:00+01:00' }, env)).toEqual({ mode: 'in-corsa', from: '2026-11-16T07:30:00.000Z' });
  });

  it('chiedere insieme l’orologio fermo e quello che scorre è un errore, non una scelta silenziosa', () => {
    expect(() => practiceClockSetting({ clock: '2026-11-16T08:30:00Z', clockFrom: '2026-11-16T08:30:00Z' })).toThrow(/--clock \(fermo\) oppure --clock-from/);
    expect(() => practiceClockSetting({}, { RETTE_CLOCK: '2026-11-16T08:30:00Z', RETTE_CLOCK_FROM: '2026-11-16T08:30:00Z' })).toThrow(/RETTE_CLOCK \(fermo\) oppure RETTE_CLOCK_FROM/);
  });

  it('un istante a più di dieci anni dalla data reale è un errore di battitura, non un orologio', () => {
    const real = fixedClock('2026-11-29T20:00:00Z');
    expect(() => practiceClockSetting({ clock: '2062-11-16T08:30:00+01:00' }, {}, real)).toThrow(/l’anno 2062 è a più di 10 anni dalla data reale \(2026\)/);
    expect(() => practiceClockSetting({}, { RETTE_CLOCK_FROM: '2016-11-16T08:30:00+01:00' }, real)).toThrow(/\(RETTE_CLOCK_FROM\): l’anno 2016/);
    expect(practiceClockSetting({ clock: '2019-06-03T08:30:00+02:00' }, {}, real)).toEqual({ mode: 'fisso', from: '2019-06-03T06:30:00.000Z' });
  });

  it('l’errore nomina l’opzione o la variabile sbagliata', () => {
    expect(() => practiceClockSetting({ clockFrom: 'domani' })).toThrow(/Orologio di prova \(--clock-from\): «domani»/);
    expect(() => practiceClockSetting({}, { RETTE_CLOCK: '2026-13-01T08:00:00Z' })).toThrow(/Orologio di prova \(RETTE_CLOCK\): il giorno 01\/13\/2026 non esiste/);
  });
});

describe('orologio di prova: come scorre il tempo', () => {
  it('fermo: resta all’istante scelto qualunque cosa faccia l’orologio reale', () => {
    const real = fixedClock('2030-01-01T00:00:00Z');
    const clock = practiceClock({ mode: 'fisso', from: '2026-11-16T07:30:00.000Z' }, real);
    expect(clock.now().toISOString()).toBe('2026-11-16T07:30:00.000Z');
    real.advance(3 * 60 * 60 * 1000);
    expect(clock.now().toISOString()).toBe('2026-11-16T07:30:00.000Z');
    expect(clock.practice).toEqual({ mode: 'fisso', from: '2026-11-16T07:30:00.000Z' });
  });

  it('in corsa: parte dall’istante scelto e avanza quanto l’orologio reale', () => {
    const real = fixedClock('2030-01-01T00:00:00Z');
    const clock = practiceClock({ mode: 'in-corsa', from: '2026-11-16T07:30:00.000Z' }, real);
    expect(clock.now().toISOString()).toBe('2026-11-16T07:30:00.000Z');
    real.advance(20 * 60 * 1000 + 1);
    expect(clock.now().toISOString()).toBe('2026-11-16T07:50:00.001Z');
    expect(clock.practice).toEqual({ mode: 'in-corsa', from: '2026-11-16T07:30:00.000Z' });
  });

  it('ogni lettura è una data nuova: chi la modifica non sposta l’orologio', () => {
    const clock = practiceClock({ mode: 'fisso', from: '2026-11-16T07:30:00.000Z' });
    clock.now().setUTCFullYear(2000);
    expect(clock.now().toISOString()).toBe('2026-11-16T07:30:00.000Z');
  });
});
