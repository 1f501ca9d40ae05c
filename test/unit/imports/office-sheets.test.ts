import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGrid, readXlsxWithExcelJs } from '../../../electron/imports/spreadsheet';
import type { ImportPreviewResult } from '../../../electron/imports/procedures';
import { createTestApp, seedBasics, type TestApp } from '../../support/backend';
import { legacyRows, toCsv } from '../../fixtures/import-sheet';
import { convertWithSoffice, fods, tempDir, type OfficeCell } from '../../fixtures/office-sheets';

/**
 * Files saved by LibreOffice Calc (made at test time, see test/fixtures/office-sheets.ts): the
 * reader gives what exceljs gives, and what the office typed.
 */
const dir = tempDir('rette-office-');
const RANDOM_FILES = 8;
let typed: Buffer;
let legacy: Buffer;
let randomFiles: Buffer[];

const TYPED_ROWS: OfficeCell[][] = [
  [{ text: 'Cognome' }, { text: 'Nome' }, { text: 'Nato il' }, { text: 'Importo' }, { text: 'Cellulare' }, { text: 'Note' }, { text: 'Formula' }, { text: 'SDD' }],
  [{ text: '  Rossi ' }, { text: 'Niccolò' }, { date: '2019-03-05' }, { number: -12.5 }, { number: 3471234567 }, { text: 'a & b <c> "d"' }, { formula: 'of:=CONCATENATE("Ros";"si")' }, { bool: true }],
  [],
  [{ text: "D'Angelo" }, { text: 'Zoë' }, { text: '05/03/2019' }, { number: 0.1 }, { text: '+39 347 1234567' }, null, { formula: 'of:=2*21' }, { bool: false }],
  [{ text: '=1+1' }, { text: '@nome' }, { date: '2026-11-02' }, { number: 1e-7 }, null, { text: 'riga 5' }, null, null],
];

beforeAll(() => {
  const sources: string[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    sources.push(file);
  };
  write('tipizzato.fods', fods(TYPED_ROWS, [[[{ text: 'non' }, { text: 'letto' }]]]));
  const safeChar = fc.constantFrom(...'abcxyzàèéìòù ABCXYZ0123456789&<>"\'-=+@_/.,;'.split(''));
  const cell: fc.Arbitrary<OfficeCell> = fc.oneof(
    fc.string({ unit: safeChar, maxLength: 14 }).map((text) => ({ text })),
    fc.integer({ min: -1e9, max: 1e10 }).map((number) => ({ number })),
    fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((number) => ({ number: Number(number.toPrecision(12)) })),
    fc.date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2030, 11, 31)), noInvalidDate: true }).map((d) => ({ date: d.toISOString().slice(0, 10) })),
    fc.boolean().map((bool) => ({ bool })),
    fc.constant(null),
    fc.integer({ min: 1, max: 99 }).map((n) => ({ formula: `of:=${n}*2` })),
  );
  const sheets = fc.sample(fc.array(fc.array(cell, { maxLength: 7 }), { minLength: 1, maxLength: 12 }), { numRuns: RANDOM_FILES, seed: 20261129 });
  sheets.forEach((rows, i) => write(`casuale-${i}.fods`, fods(rows)));
  const outs = convertWithSoffice(sources, 'xlsx', dir);
  typed = fs.readFileSync(outs[0]);
  randomFiles = outs.slice(1).map((f) => fs.readFileSync(f));

  // the previous system's export as a CSV, opened and saved as .xlsx by an Italian LibreOffice:
  // dates become date cells, codes that look like numbers become numbers
  const csv = path.join(dir, 'iscritti.csv');
  fs.writeFileSync(csv, toCsv(legacyRows(12, { seed: 21 }), undefined, { bom: false }));
  const [xlsx] = convertWithSoffice([csv], 'xlsx', dir, { infilter: 'CSV:59,34,76,1,,1040' });
  legacy = fs.readFileSync(xlsx);
}, 240_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const trimEnd = (cells: string[]) => {
  const out = [...cells];
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
};

describe('fogli salvati da LibreOffice Calc', () => {
  it('testi, date, numeri, formule come li ha scritti l’ufficio (LibreOffice salva i valori logici come 1 e 0); il secondo foglio non è letto', async () => {
    const grid = await readGrid('tipizzato.xlsx', typed);
    expect(grid.lines.map(([n, cells]) => [n, trimEnd(cells)])).toEqual([
      [1, ['Cognome', 'Nome', 'Nato il', 'Importo', 'Cellulare', 'Note', 'Formula', 'SDD']],
      [2, ['Rossi', 'Niccolò', '2019-03-05', '-12.5', '3471234567', 'a & b <c> "d"', 'Rossi', '1']],
      [4, ["D'Angelo", 'Zoë', '05/03/2019', '0.1', '+39 347 1234567', '', '42', '0']],
      [5, ['=1+1', '@nome', '2026-11-02', '1e-7', '', 'riga 5']],
    ]);
  });

  it('il lettore dà esattamente ciò che dà exceljs, su fogli casuali salvati da LibreOffice', async () => {
    expect(randomFiles).toHaveLength(RANDOM_FILES);
    for (const [i, file] of [typed, ...randomFiles].entries()) {
      const ours = (await readGrid(`f${i}.xlsx`, file)).lines.map(([n, cells]) => [n, trimEnd(cells)]);
      const reference = (await readXlsxWithExcelJs(file)).lines.map(([n, cells]) => [n, trimEnd(cells)]).filter(([, cells]) => (cells as string[]).length > 0);
      expect(ours, `file ${i}`).toEqual(reference);
    }
  });

  it('E3: l’esportazione del sistema precedente, aperta e salvata con LibreOffice, si importa senza errori', async () => {
    const app: TestApp = await createTestApp('2026-07-10T08:00:00Z');
    try {
      await seedBasics(app);
      const { jobId } = await app.call('imports.preview', { fileName: 'iscritti.xlsx', contentBase64: legacy.toString('base64') }, 'operatore');
      let job: { state: string; result: unknown; error: unknown };
      do {
        await new Promise((r) => setTimeout(r, 20));
        job = (await app.call('jobs.get', { id: jobId }, 'operatore'));
      } while (job.state === 'in_corso');
      expect(job.error).toBeNull();
      const result = job.result as ImportPreviewResult;
      expect(result.totalRows).toBe(12);
      expect(result.rows.flatMap((r) => r.errors)).toEqual([]);
      const expected = legacyRows(12, { seed: 21 });
      // the birth date was a date cell in LibreOffice's file; it reaches the preview as the same day, gg/mm/aaaa
      expect(result.rows.map((r) => r.values['pupil.birthDate'])).toEqual(expected.map((r) => r['Data di nascita']));
      const done = await app.call('imports.commit', { previewId: jobId }, 'operatore');
      expect(done.newPupils).toBe(12);
    } finally {
      app.close();
    }
  });
});
