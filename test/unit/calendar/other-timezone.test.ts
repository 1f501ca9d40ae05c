import { afterAll, describe, expect, it, vi } from 'vitest';

// Force a non-Rome machine time zone before anything else runs (vi.hoisted goes above the
// imports). New York changes DST on other dates (2026-03-08, 2026-11-01) than Rome
// (2026-03-29, 2026-10-25), so any use of the machine's zone would show up here.
const previousTz = vi.hoisted(() => {
  const previous = process.env.TZ;
  process.env.TZ = 'America/New_York';
  return previous;
});

import { cutoffCases, romeTimeCases } from './calendar-cases';

afterAll(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe('fuso orario della macchina: America/New_York', () => {
  it('l’impostazione è in vigore (i casi qui sotto girano davvero fuori da Roma)', () => {
    expect(new Date(2026, 0, 15, 12).getTimezoneOffset()).toBe(300);
    expect(new Date(2026, 6, 15, 12).getTimezoneOffset()).toBe(240);
  });
});

romeTimeCases();
cutoffCases();
