import { describe, expect, it } from 'vitest';
import { parseCellRef } from '../../../electron/imports/xlsx-reader';

describe('riferimenti di cella del foglio', () => {
  it('lettere e numero di riga diventano colonna (da 0) e riga, con o senza $ e minuscole', () => {
    expect(parseCellRef('A1', 'p')).toEqual([0, 1]);
    expect(parseCellRef('Z10', 'p')).toEqual([25, 10]);
    expect(parseCellRef('AA2', 'p')).toEqual([26, 2]);
    expect(parseCellRef('XFD1048576', 'p')).toEqual([16383, 1048576]);
    expect(parseCellRef('A01', 'p')).toEqual([0, 1]);
    expect(parseCellRef('$B$3', 'p')).toEqual([1, 3]);
    expect(parseCellRef('c4', 'p')).toEqual([2, 4]);
  });

  it('oltre la griglia di Excel o scritti male: rifiutati', () => {
    for (const bad of ['XFE1', 'ZZZZZZ2', 'A0', 'A1048577', 'A12345678', '', '1A', 'A', 'A1B', 'A-1', 'A 1']) {
      expect(() => parseCellRef(bad, 'p'), bad).toThrow();
    }
  });
});
