import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type TestApp } from '../../support/backend';
import { useBasicsApp, type Basics } from '../../support/basics-app';
import { legacyRows, toCsv, toXlsx, LEGACY_HEADERS, type LegacyRow } from '../../fixtures/import-sheet';
import type { ImportPreviewResult } from '../../../electron/imports/procedures';
import { proposeMapping, suggestMapping, IMPORT_TARGETS } from '../../../electron/imports/targets';
import { layoutFingerprint, resolveYearChoice, yearChoiceOf } from '../../../electron/imports/layouts';
import { TEMPLATE_HEADERS, TEMPLATE_LISTS_SHEET, TEMPLATE_SHEET } from '../../../electron/imports/template';
import { EXAMPLE_PUPIL_TAX_CODE } from '../../../electron/imports/example-row';
import { readSheet } from '../../../electron/imports/spreadsheet';

/**
 * Issue 12, «imports that help to fix the file»: the choices kept per file layout, the ambiguous
 * columns, the valid rows imported on their own, the rejected rows as a spreadsheet to fix and
 * import again, the template.
 */
let app: TestApp;
let base: Basics;
useBasicsApp('2026-07-10T08:00:00Z', (a, b) => {
  app = a;
  base = b;
});

type Job = { state: string; result: unknown; error: { code: string; message: string } | null };

async function preview(fileName: string, content: Buffer, extra: Record<string, unknown> = {}) {
  const { jobId } = await app.call('imports.preview', { fileName, contentBase64: content.toString('base64'), ...extra });
  for (;;) {
    const j = (await app.call('jobs.get', { id: jobId })) as Job;
    if (j.state !== 'in_corso') return { job: j, previewId: jobId, result: j.result as ImportPreviewResult };
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function counts() {
  const n = (t: string) => app.database.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  return { pupils: n('pupils'), payers: n('payers'), enrollments: n('enrollments'), classes: n('classes') };
}

const auditOf = (entity: string) =>
  app.database.sqlite.prepare('SELECT action, entity_id AS entityId, before_json AS before, after_json AS after FROM audit_log WHERE entity = ? ORDER BY id').all(entity) as {
    action: string;
    entityId: string;
    before: string | null;
    after: string | null;
  }[];

const wrongCheck = (cf: string) => cf.slice(0, 15) + (cf[15] === 'A' ? 'B' : 'A');

/** A sheet read back with exceljs: header and rows as text. */
async function readBack(base64: string): Promise<{ headers: string[]; rows: string[][]; wb: ExcelJS.Workbook }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const text = (c: ExcelJS.Cell) => (c.value instanceof Date ? c.value.toISOString().slice(0, 10) : c.text);
  const headers = Array.from({ length: ws.columnCount }, (_, i) => text(ws.getRow(1).getCell(i + 1)));
  const rows: string[][] = [];
  for (let r = 2; r <= ws.rowCount; r++) rows.push(headers.map((_, i) => text(ws.getRow(r).getCell(i + 1))));
  return { headers, rows, wb };
}

/** 8 rows of which 3 (rows 2, 5, 8 of the sheet) are good. */
function eightRows(): { rows: LegacyRow[]; bad: Map<number, RegExp> } {
  const rows = legacyRows(8, { seed: 31, classes: ['3A'] }).map((r) => ({ ...r, IBAN: '', 'Intestatario conto': '', 'Modalità di pagamento': 'Prepagato' }));
  const bad = new Map<number, RegExp>();
  const edit = (i: number, patch: Partial<LegacyRow>, message: RegExp) => {
    rows[i] = { ...rows[i], ...patch };
    bad.set(i + 2, message);
  };
  edit(1, { 'Codice fiscale': wrongCheck(rows[1]['Codice fiscale']) }, /^Codice fiscale dell'alunno non valido/);
  edit(2, { 'E-mail': '' }, /^Manca l'e-mail del pagante/);
  edit(4, { Scuola: 'Primaria Clusone Vecchia' }, /^Scuola «Primaria Clusone Vecchia» non trovata/);
  edit(5, { Cellulare: '12' }, /^Numero di cellulare non valido/);
  edit(7, { 'Giorni di fruizione': 'sab' }, /solo da lunedì a venerdì/);
  return { rows, bad };
}

describe('importazione: le scelte per tracciato del file', () => {
  it("le scelte memorizzate (colonne, risposte, anno) tornano per un file con le stesse intestazioni, anche scritte diversamente; la modifica è registrata", async () => {
    const rows = legacyRows(2, { seed: 40 });
    const headers = LEGACY_HEADERS.filter((h) => h !== 'Anno scolastico');
    const first = await preview('a.csv', toCsv(rows, headers));
    expect(first.result.layout).toEqual({ remembered: false, updatedAt: null });
    expect(first.result.schoolYear).toMatchObject({ id: base.year.id, source: 'corrente' });

    // the operator leaves the codice fiscale of the payer out and picks next year
    const mapping = { ...first.result.mapping, 'payer.province': '' };
    const saved = await app.call('imports.rememberLayout', { columns: first.result.columns, mapping, answers: {}, schoolYearId: base.nextYear.id });
    expect(saved).toEqual({ fingerprint: layoutFingerprint(headers), changed: true });
    const records = auditOf('tracciato_importazione');
    expect(records).toHaveLength(1);
    expect(records[0].action).toBe('creazione');
    expect(JSON.parse(records[0].after!)).toMatchObject({ yearChoice: 'successivo', schoolYearId: null, mapping: { 'payer.taxCode': 'cf genitore' } });

    // same headers in capitals, as a .xlsx: same layout, the kept choices
    const upper = headers.map((h) => h.toUpperCase());
    const again = await preview('b.xlsx', await toXlsx(rows.map((r) => Object.fromEntries(headers.map((h, i) => [upper[i], r[h]]))), upper));
    expect(again.result.layout.remembered).toBe(true);
    expect(again.result.schoolYear).toEqual({ id: base.nextYear.id, label: '2027/2028', source: 'memorizzato' });
    expect(again.result.mapping['payer.province']).toBeUndefined();
    expect(again.result.mapping['payer.taxCode']).toBe('CF GENITORE');

    // confirming the same choices changes nothing (no new version of the layout)
    const same = await app.call('imports.rememberLayout', { columns: first.result.columns, mapping, answers: {}, schoolYearId: base.nextYear.id });
    expect(same.changed).toBe(false);
    expect(app.database.sqlite.prepare('SELECT count(*) FROM import_layouts').pluck().get()).toBe(1);

    // a different layout is not touched
    const other = await preview('c.csv', toCsv(rows, LEGACY_HEADERS));
    expect(other.result.layout.remembered).toBe(false);
    expect(other.result.mapping['payer.province']).toBe('Provincia');
  });

  it("l'importazione memorizza le scelte con cui è stata fatta; una colonna «Errore» aggiunta non cambia il tracciato", async () => {
    expect(layoutFingerprint(['Cognome', 'Nome', 'Errore'])).toBe(layoutFingerprint(['COGNOME', 'nome']));
    expect(layoutFingerprint(['Cognome', 'Nome'])).not.toBe(layoutFingerprint(['Nome', 'Cognome']));
    const rows = legacyRows(2, { seed: 41 });
    const p = await preview('a.csv', toCsv(rows), { schoolYearId: base.year.id });
    await app.call('imports.commit', { previewId: p.previewId });
    const entry = auditOf('importazione').at(-1)!;
    expect(JSON.parse(entry.after!).tracciato.dopo).toMatchObject({ yearChoice: 'corrente' });
    expect(app.database.sqlite.prepare('SELECT year_choice FROM import_layouts').pluck().all()).toEqual(['corrente']);
  });

  it("l'anno corrente e il successivo sono ricordati come tali: una scelta fatta a giugno vale l'anno dopo per l'anno che verrà", () => {
    const years = [
      { id: 1, label: '2025/2026', startsOn: '2025-09-01', endsOn: '2026-06-30' },
      { id: 2, label: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-06-30' },
      { id: 3, label: '2027/2028', startsOn: '2027-09-01', endsOn: '2028-06-30' },
    ];
    // 10 June 2026, the office imports next year's enrollments
    expect(yearChoiceOf(years, '2026-06-10', 2)).toEqual({ choice: 'successivo', schoolYearId: null });
    expect(yearChoiceOf(years, '2026-06-10', 1)).toEqual({ choice: 'corrente', schoolYearId: null });
    expect(resolveYearChoice(years, '2027-06-10', 'successivo', null)?.label).toBe('2027/2028');
    // in July the current year is the one about to start
    expect(resolveYearChoice(years, '2026-07-10', 'corrente', null)?.label).toBe('2026/2027');
    // an older year is kept as that year
    expect(yearChoiceOf(years, '2027-01-10', 1)).toEqual({ choice: 'anno', schoolYearId: 1 });
    expect(resolveYearChoice(years, '2028-01-10', 'anno', 1)?.label).toBe('2025/2026');
  });

  it('una scelta di colonna o una risposta che il file non ha è rifiutata in italiano', async () => {
    const err = await app.fail('imports.rememberLayout', { columns: ['Cognome'], mapping: { 'pupil.lastName': 'Nome' }, answers: {}, schoolYearId: null });
    expect(err).toMatchObject({ code: 'VALIDATION', message: 'La colonna «Nome» non è tra le intestazioni del file' });
    const rows = legacyRows(1, { seed: 42 });
    const bad = await preview('a.csv', toCsv(rows), { answers: { Cognome: 'payer.town' } });
    expect(bad.job.error).toEqual({ code: 'VALIDATION', message: 'La colonna «Cognome» non è nel file o non richiede una scelta' });
  });
});

describe('importazione: colonne per significato', () => {
  it("«COMUNE» da solo è ambiguo: è chiesto, e finché non si risponde non si importa; con «Città» è il comune della scuola", () => {
    const alone = proposeMapping(['Cognome', 'Nome', 'COMUNE', 'Scuola']);
    expect(alone.mapping['pupil.municipality']).toBeUndefined();
    expect(alone.mapping['payer.town']).toBeUndefined();
    expect(alone.questions).toEqual([{ column: 'COMUNE', fields: ['payer.town', 'pupil.municipality'], answer: null }]);
    const withTown = suggestMapping(['Cognome', 'Comune', 'Città']);
    expect(withTown).toMatchObject({ 'pupil.municipality': 'Comune', 'payer.town': 'Città' });
    expect(proposeMapping(['Cognome', 'Comune', 'Città']).questions).toEqual([]);
    const withSchoolTown = suggestMapping(['Cognome', 'Comune', 'Comune scuola']);
    expect(withSchoolTown).toMatchObject({ 'pupil.municipality': 'Comune scuola', 'payer.town': 'Comune' });
    const answered = proposeMapping(['Cognome', 'COMUNE'], null, { COMUNE: 'payer.town' });
    expect(answered.mapping['payer.town']).toBe('COMUNE');
    expect(answered.questions[0].answer).toBe('payer.town');
    expect(proposeMapping(['Cognome', 'COMUNE'], null, { COMUNE: 'nessuno' }).mapping).not.toHaveProperty('payer.town');
  });

  it("un «COMUNE» di residenza del pagante non dà più falsi errori sul comune della scuola: l'operatore sceglie, l'anteprima mostra la scelta", async () => {
    const rows = legacyRows(3, { seed: 43 }).map((r) => ({ ...r, Comune: 'Rovetta' }));
    const headers = LEGACY_HEADERS.filter((h) => h !== 'Città');
    const asked = await preview('a.csv', toCsv(rows, headers));
    expect(asked.result.questions).toEqual([{ column: 'Comune', fields: ['payer.town', 'pupil.municipality'], answer: null }]);
    expect(asked.result.errorRows).toBe(0);
    const refused = await app.fail('imports.commit', { previewId: asked.previewId });
    expect(refused).toMatchObject({ code: 'VALIDATION', message: 'Indicare che cosa contiene la colonna «Comune» prima di importare' });

    // the old behaviour, the school's municipality: every row fails on «Rovetta»
    const school = await preview('a.csv', toCsv(rows, headers), { answers: { Comune: 'pupil.municipality' } });
    expect(school.result.errorRows).toBe(3);
    expect(school.result.rows[0].errors).toEqual([{ field: 'pupil.municipality', message: 'Comune «Rovetta» non registrato' }]);

    const town = await preview('a.csv', toCsv(rows, headers), { answers: { Comune: 'payer.town' } });
    expect(town.result.errorRows).toBe(0);
    expect(town.result.mapping['payer.town']).toBe('Comune');
    expect(town.result.questions[0].answer).toBe('payer.town');
    expect(town.result.rows[0].values['payer.town']).toBe('Rovetta');
    const done = await app.call('imports.commit', { previewId: town.previewId });
    expect(done.importedRows).toBe(3);
    expect(app.database.sqlite.prepare('SELECT DISTINCT town FROM payers').pluck().all()).toEqual(['Rovetta']);
  });
});

describe('importazione: solo le righe valide, le righe scartate da correggere', () => {
  it('un file con 3 righe valide su 8: «tutte» è rifiutato, «solo le valide» chiede il numero confermato e importa le 3 in una transazione registrata', async () => {
    const { rows, bad } = eightRows();
    const p = await preview('iscritti.xlsx', await toXlsx(rows, LEGACY_HEADERS, { dateCells: true }));
    expect(p.result).toMatchObject({ totalRows: 8, errorRows: 5, validRows: 3 });
    for (const [row, message] of bad) expect(p.result.rows.find((r) => r.row === row)!.errors[0].message).toMatch(message);
    expect(p.result.summary).toMatchObject({ newPupils: 3, enrollments: 3 });
    const before = counts();

    const all = await app.fail('imports.commit', { previewId: p.previewId });
    expect(all.message).toMatch(/^L'importazione contiene 5 righe con errori: nessun dato è stato salvato/);
    const unconfirmed = await app.fail('imports.commit', { previewId: p.previewId, rows: 'valide' });
    expect(unconfirmed).toMatchObject({ code: 'VALIDATION', message: 'Confermare il numero di righe valide da importare' });
    const stale = await app.fail('imports.commit', { previewId: p.previewId, rows: 'valide', confirmedValidRows: 4 });
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toMatch(/^Le righe valide ora sono 3, non 4/);
    expect(counts()).toEqual(before);

    const done = await app.call('imports.commit', { previewId: p.previewId, rows: 'valide', confirmedValidRows: 3 });
    expect(done).toMatchObject({ totalRows: 8, importedRows: 3, rejectedRows: 5, newPupils: 3, enrollments: 3 });
    expect(counts().pupils).toBe(before.pupils + 3);
    const taxCodes = app.database.sqlite.prepare('SELECT tax_code FROM pupils ORDER BY id').pluck().all();
    expect(taxCodes).toEqual([rows[0], rows[3], rows[6]].map((r) => r['Codice fiscale']));
    const entry = auditOf('importazione').at(-1)!;
    expect(entry.action).toBe('importazione_righe_valide');
    expect(JSON.parse(entry.after!)).toMatchObject({ righe: 'valide', righeImportate: '2,5,8', righeScartate: '3-4,6-7,9', totalRows: 8 });
    // the preview is spent: a second commit is refused
    expect((await app.fail('imports.commit', { previewId: p.previewId, rows: 'valide', confirmedValidRows: 3 })).code).toBe('NOT_FOUND');
  });

  it("una riga valida che dipende da una riga scartata (l'IBAN del fratello) resta fuori, con il motivo", async () => {
    const [a, b, c] = legacyRows(3, { seed: 44 });
    const payer = { 'Cognome genitore': a['Cognome genitore'], 'Nome genitore': a['Nome genitore'], 'CF genitore': a['CF genitore'], 'E-mail': a['E-mail'], Cellulare: a.Cellulare };
    const iban = 'IT60X0542811101000000123456';
    // row 2 carries the IBAN but its pupil's code is wrong; row 3 (SDD) relies on it
    const rows = [
      { ...a, ...payer, 'Codice fiscale': wrongCheck(a['Codice fiscale']), IBAN: iban, 'Intestatario conto': '', 'Modalità di pagamento': 'SDD' },
      { ...b, ...payer, IBAN: '', 'Intestatario conto': '', 'Modalità di pagamento': 'SDD' },
      { ...c, IBAN: '', 'Intestatario conto': '', 'Modalità di pagamento': 'Prepagato' },
    ];
    const p = await preview('a.csv', toCsv(rows));
    expect(p.result).toMatchObject({ errorRows: 2, validRows: 1 });
    expect(p.result.rows[1].errors).toEqual([{ field: 'payer.iban', message: "Senza le righe scartate: per l'addebito SDD serve l'IBAN del pagante" }]);
    const done = await app.call('imports.commit', { previewId: p.previewId, rows: 'valide', confirmedValidRows: 1 });
    expect(done).toMatchObject({ importedRows: 1, newPayers: 1 });
    // the payer of the rejected rows was not written
    expect(app.database.sqlite.prepare('SELECT tax_code FROM payers').pluck().all()).toEqual([c['CF genitore']]);
  });

  it("un fratello senza e-mail o con il cellulare errato ha il suo errore, non anche l'avviso «dati del pagante diversi»", async () => {
    const [a, b, c] = legacyRows(3, { seed: 47 });
    const payer = {
      'Cognome genitore': a['Cognome genitore'], 'Nome genitore': a['Nome genitore'], 'CF genitore': a['CF genitore'], 'E-mail': a['E-mail'], Cellulare: a.Cellulare,
      IBAN: a.IBAN, 'Intestatario conto': a['Intestatario conto'], 'Modalità di pagamento': a['Modalità di pagamento'],
    };
    const rows = [{ ...a, ...payer }, { ...b, ...payer, 'E-mail': '' }, { ...c, ...payer, Cellulare: '12' }];
    const p = await preview('a.csv', toCsv(rows));
    expect(p.result.rows[1].errors.map((e) => e.field)).toEqual(['payer.email']);
    expect(p.result.rows[2].errors.map((e) => e.field)).toEqual(['payer.mobile']);
    expect(p.result.rows[1].warnings.filter((w) => w.startsWith('Dati del pagante diversi'))).toEqual([]);
    expect(p.result.rows[2].warnings.filter((w) => w.startsWith('Dati del pagante diversi'))).toEqual([]);
  });

  it("le righe scartate si scaricano (colonne del file + «Errore»), si correggono e si reimportano; reimportare lo stesso file non duplica nulla", async () => {
    const { rows } = eightRows();
    const p = await preview('iscritti.xlsx', await toXlsx(rows, LEGACY_HEADERS, { dateCells: true }));
    await app.call('imports.commit', { previewId: p.previewId, rows: 'valide', confirmedValidRows: 3 });
    const file = await app.call('imports.rejectedRows', { previewId: p.previewId });
    expect(file).toMatchObject({ fileName: 'iscritti-righe-scartate.xlsx', rows: 5 });
    expect(auditOf('importazione').at(-1)).toMatchObject({ action: 'esportazione delle righe scartate', entityId: p.previewId });

    const back = await readBack(file.contentBase64);
    expect(back.headers).toEqual([...LEGACY_HEADERS, 'Errore']);
    expect(back.rows.map((r) => r[3])).toEqual([1, 2, 4, 5, 7].map((i) => rows[i]['Codice fiscale']));
    const err = back.headers.indexOf('Errore');
    expect(back.rows[0][err]).toMatch(/^Codice fiscale dell'alunno non valido/);
    expect(back.rows[2][err]).toMatch(/^Scuola «Primaria Clusone Vecchia» non trovata/);
    // codes stay text, the birth date a real date
    const ws = back.wb.worksheets[0];
    expect(ws.getRow(2).getCell(LEGACY_HEADERS.indexOf('Cellulare') + 1).value).toBe(rows[1].Cellulare);
    expect(ws.getRow(2).getCell(3).value).toBeInstanceOf(Date);
    expect(ws.getRow(2).getCell(3).numFmt).toBe('dd/mm/yyyy');

    // the office fixes the school of one row and imports the file again
    ws.getRow(4).getCell(LEGACY_HEADERS.indexOf('Scuola') + 1).value = 'Primaria Clusone';
    const fixed = Buffer.from(await back.wb.xlsx.writeBuffer());
    const again = await preview(file.fileName, fixed);
    expect(again.result.columns.at(-1)).toBe('Errore');
    expect(again.result.layout.remembered).toBe(true);
    expect(again.result).toMatchObject({ totalRows: 5, errorRows: 4, validRows: 1 });
    expect(again.result.rows.find((r) => r.errors.length === 0)!.values['pupil.taxCode']).toBe(rows[4]['Codice fiscale']);
    const done = await app.call('imports.commit', { previewId: again.previewId, rows: 'valide', confirmedValidRows: 1 });
    expect(done).toMatchObject({ importedRows: 1, newPupils: 1, rejectedRows: 4 });
    // its own rejected rows: the old «Errore» column replaced, not repeated
    const second = await readBack((await app.call('imports.rejectedRows', { previewId: again.previewId })).contentBase64);
    expect(second.headers).toEqual([...LEGACY_HEADERS, 'Errore']);
    expect(second.rows).toHaveLength(4);

    // the whole original file again (its row 6 still wrong): the 3 rows imported first are recognised, nothing is duplicated
    const before = counts();
    const whole = await preview('iscritti.xlsx', await toXlsx(rows, LEGACY_HEADERS, { dateCells: true }));
    expect(whole.result.validRows).toBe(3);
    expect(whole.result.summary).toMatchObject({ newPupils: 0, existingPupils: 3, newPayers: 0, enrollments: 0, skippedEnrollments: 3 });
    expect(whole.result.rows.find((r) => r.row === 2)!.warnings).toContain("L'alunno è già iscritto per l'anno 2026/2027: l'iscrizione del file non viene importata");
    await app.call('imports.commit', { previewId: whole.previewId, rows: 'valide', confirmedValidRows: 3 });
    expect(counts()).toEqual(before);
  });

  it('le righe scartate di un file tutto valido: nessun file, con il motivo', async () => {
    const p = await preview('a.csv', toCsv(legacyRows(2, { seed: 45 })));
    const err = await app.fail('imports.rejectedRows', { previewId: p.previewId });
    expect(err).toMatchObject({ code: 'VALIDATION', message: 'Nessuna riga scartata: tutte le righe del file sono valide' });
    expect((await app.fail('imports.rejectedRows', { previewId: 'inesistente' })).code).toBe('NOT_FOUND');
  });
});

describe('importazione: il modello da scaricare', () => {
  it("il modello ha una colonna per campo, abbinata senza domande, gli elenchi dell'ufficio e la convalida dei dati; la riga di esempio è riconosciuta", async () => {
    const t = await app.call('imports.template', {});
    expect(t.fileName).toBe('modello-importazione-iscritti.xlsx');
    const content = Buffer.from(t.contentBase64, 'base64');
    const sheet = await readSheet(t.fileName, content);
    expect(sheet.columns).toEqual(IMPORT_TARGETS.map((x) => TEMPLATE_HEADERS[x.field]));
    const { mapping, questions } = proposeMapping(sheet.columns);
    expect(questions).toEqual([]);
    expect(mapping).toEqual(Object.fromEntries(IMPORT_TARGETS.map((x) => [x.field, TEMPLATE_HEADERS[x.field]])));

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(content as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(TEMPLATE_SHEET)!;
    const col = (field: keyof typeof TEMPLATE_HEADERS) => IMPORT_TARGETS.findIndex((x) => x.field === field) + 1;
    expect(ws.getRow(2).getCell(col('pupil.taxCode')).value).toBe(EXAMPLE_PUPIL_TAX_CODE);
    expect(ws.getRow(2).getCell(col('pupil.school')).value).toBe('Infanzia Cassino');
    expect(ws.getRow(2).getCell(col('enrollment.schoolYear')).value).toBe('2026/2027');
    expect(ws.getRow(500).getCell(col('enrollment.paymentMethod')).dataValidation).toMatchObject({ type: 'list' });
    expect(ws.getRow(3).getCell(col('pupil.school')).dataValidation).toMatchObject({ type: 'list', formulae: [`${TEMPLATE_LISTS_SHEET}!$A$2:$A$3`] });
    expect(ws.getRow(3).getCell(col('pupil.taxCode')).dataValidation).toMatchObject({ type: 'textLength', operator: 'equal', formulae: [16] });
    expect(ws.getRow(3).getCell(col('pupil.birthDate')).dataValidation).toMatchObject({ type: 'date' });
    const lists = wb.getWorksheet(TEMPLATE_LISTS_SHEET)!;
    expect([lists.getCell('A2').value, lists.getCell('A3').value]).toEqual(['Infanzia Cassino', 'Primaria Clusone']);
    expect([lists.getCell('C2').value, lists.getCell('C3').value]).toEqual(['2026/2027', '2027/2028']);

    // the example left in is refused on its row; replaced by a real pupil, the template imports
    const asIs = await preview(t.fileName, content);
    expect(asIs.result.rows[0].errors).toEqual([{ field: 'pupil.taxCode', message: 'Riga di esempio del modello: sostituirla con i dati di un alunno o cancellarla' }]);
    const [real] = legacyRows(1, { seed: 46 });
    const fill: Record<string, string> = {
      'pupil.lastName': real.Cognome, 'pupil.firstName': real.Nome, 'pupil.taxCode': real['Codice fiscale'], 'pupil.school': 'Primaria Clusone', 'pupil.municipality': 'Clusone',
      'payer.lastName': real['Cognome genitore'], 'payer.firstName': real['Nome genitore'], 'payer.taxCode': real['CF genitore'], 'payer.email': real['E-mail'], 'payer.mobile': real.Cellulare,
    };
    for (const [field, value] of Object.entries(fill)) ws.getRow(2).getCell(col(field as keyof typeof TEMPLATE_HEADERS)).value = value;
    const [d, m, y] = real['Data di nascita'].split('/').map(Number);
    ws.getRow(2).getCell(col('pupil.birthDate')).value = new Date(Date.UTC(y, m - 1, d));
    const filled = await preview('modello.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(filled.result.errorRows).toBe(0);
    expect(filled.result.rows[0].values['pupil.birthDate']).toBe(real['Data di nascita']);
    expect(await app.call('imports.commit', { previewId: filled.previewId })).toMatchObject({ newPupils: 1, enrollments: 1 });
  });
});
