import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedBasics, type TestApp } from '../../support/backend';
import { legacyRows, toXlsx, LEGACY_HEADERS } from '../../fixtures/import-sheet';
import { convertWithSoffice, tempDir } from '../../fixtures/office-sheets';
import type { ImportPreviewResult } from '../../../electron/imports/procedures';
import { IMPORT_TARGETS } from '../../../electron/imports/targets';
import { TEMPLATE_HEADERS, TEMPLATE_SHEET } from '../../../electron/imports/template';

/**
 * The files the import hands out (the rejected rows, the template) opened and saved again by
 * LibreOffice Calc, as the office does: they come back with the same columns and are imported.
 * Needs `soffice` (Debian package libreoffice-calc-nogui): the tests fail, not skip, without it.
 */
const dir = tempDir('rette-office-reimport-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp('2026-07-10T08:00:00Z');
  await seedBasics(app);
});
afterEach(() => app.close());

async function preview(fileName: string, content: Buffer): Promise<{ previewId: string; result: ImportPreviewResult }> {
  const { jobId } = await app.call('imports.preview', { fileName, contentBase64: content.toString('base64') });
  for (;;) {
    const j = (await app.call('jobs.get', { id: jobId })) as { state: string; result: unknown; error: unknown };
    if (j.state !== 'in_corso') {
      expect(j.error).toBeNull();
      return { previewId: jobId, result: j.result as ImportPreviewResult };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Saves `content` as `name` and returns what LibreOffice writes when it saves it again as .xlsx. */
function throughLibreOffice(files: { name: string; content: Buffer }[]): Buffer[] {
  const src = fs.mkdtempSync(path.join(dir, 'in-'));
  const out = fs.mkdtempSync(path.join(dir, 'out-'));
  const paths = files.map((f) => {
    const p = path.join(src, f.name);
    fs.writeFileSync(p, f.content);
    return p;
  });
  return convertWithSoffice(paths, 'xlsx', out).map((p) => fs.readFileSync(p));
}

describe('righe scartate e modello salvati da LibreOffice', () => {
  it('le righe scartate, corrette e salvate con LibreOffice, si reimportano con le scelte del file di origine; il modello salvato con LibreOffice resta abbinato', async () => {
    const rows = legacyRows(6, { seed: 51, classes: ['3A'] }).map((r) => ({ ...r, IBAN: '', 'Intestatario conto': '', 'Modalità di pagamento': 'Prepagato' }));
    rows[1] = { ...rows[1], Scuola: 'Scuola sconosciuta' };
    rows[4] = { ...rows[4], 'E-mail': 'posta@' };
    const first = await preview('iscritti.xlsx', await toXlsx(rows, LEGACY_HEADERS, { dateCells: true }));
    expect(first.result).toMatchObject({ errorRows: 2, validRows: 4 });
    await app.call('imports.commit', { previewId: first.previewId, rows: 'valide', confirmedValidRows: 4 });
    const rejected = await app.call('imports.rejectedRows', { previewId: first.previewId });

    // the office fixes both rows (here with exceljs), then the file goes through LibreOffice
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(rejected.contentBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    ws.getRow(2).getCell(LEGACY_HEADERS.indexOf('Scuola') + 1).value = 'Primaria Clusone';
    ws.getRow(3).getCell(LEGACY_HEADERS.indexOf('E-mail') + 1).value = 'posta@example.it';
    const template = await app.call('imports.template', {});
    const [fixed, templateBack] = throughLibreOffice([
      { name: 'righe-scartate.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) },
      { name: 'modello.xlsx', content: Buffer.from(template.contentBase64, 'base64') },
    ]);

    const again = await preview('righe-scartate.xlsx', fixed);
    expect(again.result.columns).toEqual([...LEGACY_HEADERS, 'Errore']);
    expect(again.result.layout.remembered).toBe(true);
    expect(again.result).toMatchObject({ totalRows: 2, errorRows: 0 });
    // the birth date stayed a date through LibreOffice; the mobile and the codes stayed text
    expect(again.result.rows.map((r) => r.values['pupil.birthDate'])).toEqual([rows[1], rows[4]].map((r) => r['Data di nascita']));
    expect(again.result.rows.map((r) => r.values['payer.mobile'])).toEqual([rows[1], rows[4]].map((r) => r.Cellulare));
    const done = await app.call('imports.commit', { previewId: again.previewId });
    expect(done).toMatchObject({ importedRows: 2, newPupils: 2 });
    expect(app.database.sqlite.prepare('SELECT count(*) FROM pupils').pluck().get()).toBe(6);

    const t = await preview('modello.xlsx', templateBack);
    expect(t.result.questions).toEqual([]);
    expect(t.result.mapping).toEqual(Object.fromEntries(IMPORT_TARGETS.map((x) => [x.field, TEMPLATE_HEADERS[x.field]])));
    expect(t.result.rows[0].errors[0].message).toMatch(/^Riga di esempio del modello/);
    const saved = new ExcelJS.Workbook();
    await saved.xlsx.load(templateBack as unknown as ArrayBuffer);
    const school = IMPORT_TARGETS.findIndex((x) => x.field === 'pupil.school') + 1;
    expect(saved.getWorksheet(TEMPLATE_SHEET)!.getRow(10).getCell(school).dataValidation).toMatchObject({ type: 'list' });
  }, 240_000);
});
