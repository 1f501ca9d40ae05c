import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALID_PAYER, type TestApp } from '../../support/backend';
import { useBasicsApp, type Basics } from '../../support/basics-app';
import { legacyRows, toCsv, toXlsx, LEGACY_HEADERS, type LegacyRow } from '../../fixtures/import-sheet';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { buildItalianIban } from '../../../electron/identifiers/iban';
import type { ImportPreviewResult } from '../../../electron/imports/procedures';
import type { Role } from '../../../electron/contract/roles';

let app: TestApp;
let base: Basics;
useBasicsApp('2026-07-10T08:00:00Z', (a, b) => {
  app = a;
  base = b;
});

type Job = { state: string; done: number; total: number; result: unknown; error: { code: string; message: string } | null };

async function waitJob(jobId: string, role: Role = 'operatore', seen?: Job[]): Promise<Job> {
  for (;;) {
    const j = (await app.call('jobs.get', { id: jobId }, role)) as Job;
    seen?.push(j);
    if (j.state !== 'in_corso') return j;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function preview(fileName: string, content: Buffer, extra: Record<string, unknown> = {}, role: Role = 'operatore') {
  const { jobId, previewId } = await app.call('imports.preview', { fileName, contentBase64: content.toString('base64'), ...extra }, role);
  expect(previewId).toBe(jobId);
  const job = await waitJob(jobId, role);
  return { job, previewId, result: job.result as ImportPreviewResult };
}

function counts() {
  const n = (t: string) => app.database.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  return { pupils: n('pupils'), payers: n('payers'), enrollments: n('enrollments'), classes: n('classes'), audit: n('audit_log') };
}

const person = (lastName: string, firstName: string, birthDate: string, sex: 'M' | 'F' = 'F') =>
  buildCodiceFiscale({ lastName, firstName, birthDate, sex, belfiore: 'C800' });
const itDate = (iso: string) => iso.split('-').reverse().join('/');
const wrongCheck = (cf: string) => cf.slice(0, 15) + (cf[15] === 'A' ? 'B' : 'A');

describe('importazione: anteprima', () => {
  it("E3: ogni tipo di errore di riga è mostrato in italiano, sul suo campo, e nulla è salvato", async () => {
    const rows = legacyRows(21, { seed: 3, classes: ['3A'] });
    const stranger = { 'Cognome genitore': 'Verdi', 'Nome genitore': 'Giuseppe', 'CF genitore': buildCodiceFiscale({ lastName: 'Verdi', firstName: 'Giuseppe', birthDate: '1980-01-01', sex: 'M', belfiore: 'H501' }) };
    const registered = rows[17];
    await app.call('pupils.create', { firstName: 'Altro', lastName: registered.Cognome, birthDate: registered['Data di nascita'].split('/').reverse().join('-'), taxCode: registered['Codice fiscale'], schoolId: base.school.id });
    const edits: [number, Partial<LegacyRow>, string, RegExp][] = [
      [0, { 'Codice fiscale': wrongCheck(rows[0]['Codice fiscale']) }, 'pupil.taxCode', /^Codice fiscale dell'alunno non valido: carattere di controllo/],
      [1, { 'E-mail': '' }, 'payer.email', /^Manca l'e-mail del pagante: è obbligatoria$/],
      [2, { 'E-mail': 'mario@' }, 'payer.email', /^Indirizzo e-mail non valido: «mario@»$/],
      [3, { Cellulare: '' }, 'payer.mobile', /^Manca il numero di cellulare del pagante: è obbligatorio$/],
      [4, { Scuola: 'Scuola Inesistente' }, 'pupil.school', /^Scuola «Scuola Inesistente» non trovata nel Comune di Clusone/],
      [7, { 'Codice fiscale': rows[6]['Codice fiscale'] }, 'pupil.taxCode', /^Codice fiscale dell'alunno ripetuto: è già alla riga 8$/],
      [8, { 'Data di nascita': '01/01/2000' }, 'pupil.birthDate', /^La data di nascita 01\/01\/2000 non corrisponde al codice fiscale \(\d{2}\/\d{2}\/\d{4}\)$/],
      [9, { IBAN: 'IT60X0542811101000000123457', 'Modalità di pagamento': 'Prepagato' }, 'payer.iban', /IBAN/],
      [10, { ...stranger, IBAN: '', 'Intestatario conto': '', 'Modalità di pagamento': 'SDD' }, 'payer.iban', /^Per l'addebito SDD serve l'IBAN del pagante/],
      [11, { 'Anno scolastico': '2030/2031' }, 'enrollment.schoolYear', /^Anno scolastico 2030\/2031 non registrato/],
      [12, { 'Giorni di fruizione': 'lun,sab' }, 'enrollment.weekdays', /solo da lunedì a venerdì/],
      [13, { 'Modalità di pagamento': 'contanti' }, 'enrollment.paymentMethod', /^Modalità di pagamento non riconosciuta: «contanti»/],
      [14, { Comune: 'Bergamo' }, 'pupil.municipality', /^Comune «Bergamo» non registrato$/],
      [15, { Comune: 'Cassino', Scuola: 'infanzia CASSINO', Classe: '', 'Giorni di fruizione': 'LMMGV' }, 'enrollment.weekdays', /^La scuola «Infanzia Cassino» non ha servizio mensa di martedì, giovedì, venerdì/],
      [16, { 'CF genitore': rows[16]['Codice fiscale'] }, 'payer.taxCode', /^Il codice fiscale del pagante coincide con quello dell'alunno$/],
      [17, {}, 'pupil.taxCode', /^Codice fiscale già registrato per l'alunno .+ Altro con dati diversi \(nome\)$/],
      [18, { Cognome: '' }, 'pupil.lastName', /^Campo obbligatorio: Cognome dell'alunno$/],
      [19, { 'Giorni di fruizione': 'L M V' }, 'enrollment.weekdays', /ambigui/],
    ];
    for (const [i, patch] of edits) rows[i] = { ...rows[i], ...patch };
    rows[20] = { ...rows[20], Classe: '5Z' };
    const before = counts();
    const { job, result, previewId } = await preview('iscritti.xlsx', await toXlsx(rows));
    expect(job.state).toBe('completato');
    expect(result.totalRows).toBe(21);
    for (const [i, , field, message] of edits) {
      const row = result.rows.find((r) => r.row === i + 2)!;
      expect(row, `riga ${i + 2}`).toBeDefined();
      expect(row.errors.find((e) => e.field === field)?.message, `riga ${i + 2}: ${JSON.stringify(row.errors)}`).toMatch(message);
    }
    const clean = result.rows.filter((r) => r.errors.length === 0).map((r) => r.row);
    expect(clean).toEqual([7, 8, 22]); // rows left alone: index 5, 6 (the first of the repeated codes) and the last
    expect(result.errorRows).toBe(edits.length);
    expect(result.rows.find((r) => r.row === 22)!.warnings).toContain('La classe 5Z di «Primaria Clusone» (2026/2027) non esiste: verrà creata');
    expect(result.summary.newClasses).toEqual(['5Z di «Primaria Clusone» (2026/2027)']);

    const err = await app.fail('imports.commit', { previewId }, 'operatore');
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/^L'importazione contiene 18 righe con errori: nessun dato è stato salvato/);
    expect(err.issues[0]).toEqual({ path: ['rows', 2, 'pupil.taxCode'], message: expect.stringMatching(/^Riga 2: Codice fiscale dell'alunno non valido/) });
    expect(counts()).toEqual(before);
  });

  it("E3: un file con una riga errata non salva nulla (tutto o niente); lo stesso file corretto si importa", async () => {
    const rows = legacyRows(40, { seed: 5 });
    const bad = rows.map((r, i) => (i === 25 ? { ...r, 'Codice fiscale': wrongCheck(r['Codice fiscale']) } : r));
    const before = counts();
    const first = await preview('iscritti.csv', toCsv(bad));
    expect(first.result.errorRows).toBe(1);
    expect(first.result.rows.filter((r) => r.errors.length).map((r) => r.row)).toEqual([27]);
    const err = await app.fail('imports.commit', { previewId: first.previewId }, 'operatore');
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/1 riga con errori: nessun dato è stato salvato/);
    expect(counts()).toEqual(before);

    const second = await preview('iscritti.csv', toCsv(rows));
    expect(second.result.errorRows).toBe(0);
    const done = await app.call('imports.commit', { previewId: second.previewId }, 'operatore');
    expect(done).toMatchObject({ fileName: 'iscritti.csv', totalRows: 40, newPupils: 40, enrollments: 40, existingPupils: 0 });
    expect(counts().pupils).toBe(before.pupils + 40);
  });

  it("propone l'abbinamento dalle intestazioni, o usa quello indicato; un abbinamento a una colonna assente è rifiutato", async () => {
    const rows = legacyRows(3, { seed: 8 });
    const plain = await preview('a.xlsx', await toXlsx(rows));
    expect(plain.result.mapping['payer.taxCode']).toBe('CF genitore');
    expect(plain.result.unmappedRequired).toEqual([]);
    expect(plain.result.columns).toEqual([...LEGACY_HEADERS]);

    // the operator's own mapping wins: the CSV has columns named as nobody would guess
    const headers = LEGACY_HEADERS.map((_, i) => `Colonna${i + 1}`);
    const renamed = rows.map((r) => Object.fromEntries(LEGACY_HEADERS.map((h, i) => [headers[i], r[h]])));
    const mapping = Object.fromEntries(Object.entries(plain.result.mapping).map(([field, col]) => [field, headers[LEGACY_HEADERS.indexOf(col as (typeof LEGACY_HEADERS)[number])]]));
    const custom = await preview('a.csv', toCsv(renamed, headers, { delimiter: ',', bom: false }), { mapping });
    expect(custom.result.errorRows).toBe(0);
    expect(custom.result.summary.newPupils).toBe(3);

    const wrong = await preview('a.csv', toCsv(renamed, headers), { mapping: { ...mapping, 'pupil.lastName': 'Cognome' } });
    expect(wrong.job.state).toBe('errore');
    expect(wrong.job.error).toEqual({ code: 'VALIDATION', message: "La colonna «Cognome» scelta per «Cognome dell'alunno» non è nel file" });
    const notFound = await app.fail('imports.commit', { previewId: wrong.previewId }, 'operatore');
    expect(notFound.code).toBe('CONFLICT');
  });

  it("E3: una colonna obbligatoria assente dal file è nominata, e ogni riga dice che cosa le manca", async () => {
    const rows = legacyRows(2, { seed: 9 });
    const headers = LEGACY_HEADERS.filter((h) => h !== 'Cellulare');
    const { result } = await preview('a.csv', toCsv(rows, headers));
    expect(result.unmappedRequired).toEqual(['payer.mobile']);
    expect(result.errorRows).toBe(2);
    expect(result.rows[0].errors).toEqual([{ field: 'payer.mobile', message: 'Manca il numero di cellulare del pagante: è obbligatorio' }]);
  });

  it("P5: i fratelli condividono il pagante della loro prima riga; una riga SDD richiede che quel pagante abbia l'IBAN", async () => {
    const [a, b] = legacyRows(2, { seed: 12 });
    const payer = { 'Cognome genitore': a['Cognome genitore'], 'Nome genitore': a['Nome genitore'], 'CF genitore': a['CF genitore'], 'E-mail': a['E-mail'], Cellulare: a.Cellulare };
    const first = { ...a, IBAN: '', 'Intestatario conto': '', 'Modalità di pagamento': 'Prepagato' };
    const second = { ...b, ...payer, IBAN: buildItalianIban('03069', '11101', '000000123456'), 'Intestatario conto': '', 'Modalità di pagamento': 'SDD' };
    const { result } = await preview('a.csv', toCsv([first, second]));
    expect(result.rows[1].warnings).toContain('Dati del pagante diversi dalla riga 2 (IBAN): vengono usati quelli della riga 2');
    expect(result.rows[1].errors).toEqual([{ field: 'payer.iban', message: "Per l'addebito SDD serve l'IBAN del pagante" }]);
    const swapped = await preview('b.csv', toCsv([{ ...second, ...{ 'Codice fiscale': a['Codice fiscale'], Cognome: a.Cognome, Nome: a.Nome, 'Data di nascita': a['Data di nascita'] } }, { ...first, 'Codice fiscale': b['Codice fiscale'], Cognome: b.Cognome, Nome: b.Nome, 'Data di nascita': b['Data di nascita'] }]));
    expect(swapped.result.errorRows).toBe(0);
    expect(swapped.result.summary).toMatchObject({ newPayers: 1, enrollments: 2 });
  });

  it("l'anno scolastico si può scegliere per tutto il file; senza scelta è l'anno scolastico corrente secondo l'orologio", async () => {
    const rows = legacyRows(2, { seed: 10 });
    const headers = LEGACY_HEADERS.filter((h) => h !== 'Anno scolastico');
    const withYear = await preview('a.csv', toCsv(rows, headers), { schoolYearId: base.year.id });
    expect(withYear.result.errorRows).toBe(0);
    expect(withYear.result.schoolYear).toEqual({ id: base.year.id, label: '2026/2027', source: 'scelto' });
    // 10 July 2026: between two years, the current one is the next to start
    const without = await preview('a.csv', toCsv(rows, headers));
    expect(without.result.errorRows).toBe(0);
    expect(without.result.schoolYear).toEqual({ id: base.year.id, label: '2026/2027', source: 'corrente' });
    const unknown = await preview('a.csv', toCsv(rows, headers), { schoolYearId: 9999 });
    expect(unknown.job.error).toEqual({ code: 'VALIDATION', message: 'Anno scolastico scelto inesistente' });
  });
});

describe('importazione: i file di esempio (test/fixtures, usati dai test end-to-end)', () => {
  const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures', name));

  it("E3: import-riga-errata.xlsx mostra la sua unica riga errata (riga 6, carattere di controllo sbagliato) e non salva nulla", async () => {
    const before = counts();
    const { result, previewId } = await preview('import-riga-errata.xlsx', fixture('import-riga-errata.xlsx'));
    expect(result.totalRows).toBe(12);
    expect(result.errorRows).toBe(1);
    const bad = result.rows.find((r) => r.errors.length)!;
    expect(bad.row).toBe(6);
    expect(bad.errors[0]).toMatchObject({ field: 'pupil.taxCode', message: expect.stringMatching(/carattere di controllo/) });
    expect((await app.fail('imports.commit', { previewId }, 'operatore')).code).toBe('VALIDATION');
    expect(counts()).toEqual(before);
  });

  it("import-valido.xlsx e import-valido.csv contengono le stesse 12 righe e si importano", async () => {
    const x = await preview('import-valido.xlsx', fixture('import-valido.xlsx'));
    const c = await preview('import-valido.csv', fixture('import-valido.csv'));
    // the Excel date cells are shown as the CSV's text: gg/mm/aaaa
    expect(x.result.rows.map((r) => r.values)).toEqual(c.result.rows.map((r) => r.values));
    expect(x.result.rows[0].values['pupil.birthDate']).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(x.result.errorRows).toBe(0);
    const done = await app.call('imports.commit', { previewId: x.previewId }, 'operatore');
    expect(done).toMatchObject({ newPupils: 12, enrollments: 12 });
  });
});

describe('importazione: conferma', () => {
  it("E4/E5: un file Excel corretto importa alunni con codice utente e codice telefonico distinti, paganti con IBAN, iscrizioni attive con i giorni scelti e un solo record nel registro", async () => {
    const rows = legacyRows(30, { seed: 21 });
    const auditBefore = counts().audit;
    const { result, previewId } = await preview('iscritti 2026.xlsx', await toXlsx(rows, LEGACY_HEADERS, { dateCells: true }));
    expect(result.errorRows).toBe(0);
    const payerCount = new Set(rows.map((r) => r['CF genitore'])).size;
    expect(result.summary).toEqual({
      newPupils: 30,
      existingPupils: 0,
      newPayers: payerCount,
      existingPayers: 0,
      enrollments: 30,
      skippedEnrollments: 0,
      newClasses: ['3B di «Primaria Clusone» (2026/2027)', '4A di «Primaria Clusone» (2026/2027)'],
    });
    const done = await app.call('imports.commit', { previewId }, 'operatore');
    expect(done).toMatchObject({ newPupils: 30, newPayers: payerCount, enrollments: 30 });

    const pupils = await app.call('pupils.list', { schoolId: base.school.id, limit: 100 });
    expect(pupils.total).toBe(30);
    const r0 = rows[0];
    const p0 = pupils.rows.find((p) => p.taxCode === r0['Codice fiscale'])!;
    expect(p0).toMatchObject({ lastName: r0.Cognome, firstName: r0.Nome, birthDate: r0['Data di nascita'].split('/').reverse().join('-'), className: r0.Classe, municipalityName: 'Clusone' });
    expect(p0.userCode).toMatch(/^\d{8}$/);
    expect(p0.phoneCode).toMatch(/^\d{6}$/);
    expect(pupils.rows.every((p) => p.phoneCode !== p.userCode)).toBe(true);
    expect(new Set(pupils.rows.map((p) => p.userCode)).size).toBe(30);

    const enrollments = await app.call('enrollments.list', { schoolYearId: base.year.id, limit: 100 });
    expect(enrollments.total).toBe(30);
    expect(enrollments.rows.every((e) => e.status === 'attiva' && e.startsOn === '2026-09-01')).toBe(true);
    const e1 = enrollments.rows.find((e) => e.pupilTaxCode === rows[1]['Codice fiscale'])!;
    expect(e1.weekdays).toEqual([1, 3, 5]); // "lun,mer,ven"
    for (const e of enrollments.rows.filter((x) => x.paymentMethod === 'sdd')) {
      const enrollment = await app.call('enrollments.get', { id: e.id });
      expect(enrollment.activationIssues).toEqual([]);
    }
    const sddRow = rows.find((r) => r['Modalità di pagamento'] === 'SDD')!;
    const payer = (await app.call('payers.list', { search: sddRow['CF genitore'], limit: 5 })).rows[0];
    expect(payer).toMatchObject({ iban: sddRow.IBAN, ibanHolder: sddRow['Intestatario conto'], postcode: '24023', province: 'BG' });
    expect(payer.streetNumber).not.toBe('');

    const audit = await app.call('audit.list', { entity: 'importazione', limit: 10 }, 'supervisore');
    expect(counts().audit).toBe(auditBefore + 1);
    const entry = audit.rows[0];
    expect(entry.action).toBe('importazione');
    const after = JSON.parse(entry.after!) as Record<string, unknown>;
    expect(after).toMatchObject({ fileName: 'iscritti 2026.xlsx', totalRows: 30, newPupils: 30 });
    expect((after.ids as Record<string, string>).alunni).toMatch(/^\d+-\d+$/);

    const again = await app.fail('imports.commit', { previewId }, 'operatore');
    expect(again.code).toBe('NOT_FOUND');
    expect(again.message).toMatch(/già stata importata/);
  });

  it("paganti e alunni già presenti (stesso codice fiscale) si riusano senza sovrascriverli; un'iscrizione già presente si salta", async () => {
    const payer = await app.call('payers.create', { ...VALID_PAYER, iban: null, ibanHolder: null }, 'operatore');
    const enrolledCf = person('Rossi', 'Giulia', '2018-03-12');
    const knownCf = person('Rossi', 'Marco', '2019-11-02', 'M');
    const enrolled = await app.call('pupils.create', { firstName: 'Giulia', lastName: 'Rossi', birthDate: '2018-03-12', taxCode: enrolledCf, schoolId: base.school.id, classId: base.cls.id });
    await app.call('enrollments.create', { pupilId: enrolled.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1, 2], paymentMethod: 'prepagato' });
    const known = await app.call('pupils.create', { firstName: 'Marco', lastName: 'Rossi', birthDate: '2019-11-02', taxCode: knownCf, schoolId: base.school.id });
    const iban = buildItalianIban('03069', '11101', '000000123456');
    const row = (last: string, first: string, birth: string, cf: string, extra: Partial<LegacyRow> = {}): LegacyRow => ({
      ...legacyRows(1)[0],
      Cognome: last,
      Nome: first,
      'Data di nascita': itDate(birth),
      'Codice fiscale': cf,
      'Cognome genitore': 'ROSSI',
      'Nome genitore': 'mario',
      'CF genitore': VALID_PAYER.taxCode,
      'E-mail': 'altra.mail@example.com',
      Cellulare: VALID_PAYER.mobile,
      IBAN: '',
      'Intestatario conto': '',
      'Modalità di pagamento': 'Prepagato',
      Classe: '3A',
      ...extra,
    });
    const newCf = person('Rossi', 'Anna', '2020-06-30');
    const rows = [
      row('Rossi', 'Giulia', '2018-03-12', enrolledCf),
      row('rossi', 'MARCO', '2019-11-02', knownCf),
      row('Rossi', 'Anna', '2020-06-30', newCf, { IBAN: iban, 'Modalità di pagamento': 'SDD' }),
    ];
    const { result, previewId } = await preview('fratelli.csv', toCsv(rows));
    expect(result.errorRows).toBe(0);
    expect(result.summary).toMatchObject({ newPupils: 1, existingPupils: 2, newPayers: 0, existingPayers: 1, enrollments: 2, skippedEnrollments: 1 });
    expect(result.rows[0].warnings).toEqual(
      expect.arrayContaining([
        'Pagante già registrato: viene usata la sua scheda, senza modificarla (dati diversi nel file: e-mail)',
        "L'alunno è già iscritto per l'anno 2026/2027: l'iscrizione del file non viene importata",
      ]),
    );
    expect(result.rows[1].warnings).toContain(`Alunno già registrato (codice utente ${known.userCode}): viene usata la sua scheda`);
    expect(result.rows[2].warnings).toContain('Il pagante in archivio non ha IBAN: viene registrato quello del file');

    await app.call('imports.commit', { previewId }, 'operatore');
    const after = await app.call('payers.get', { id: payer.id });
    expect(after.email).toBe(VALID_PAYER.email); // not overwritten
    expect(after.iban).toBe(iban); // a missing IBAN is filled in (needed for SDD)
    const ens = await app.call('enrollments.list', { schoolYearId: base.year.id, limit: 10 });
    expect(ens.total).toBe(3);
    expect(ens.rows.find((e) => e.pupilId === enrolled.id)!.weekdays).toEqual([1, 2]); // the existing one is untouched
    expect(ens.rows.find((e) => e.pupilId === known.id)!.payerId).toBe(payer.id);
    const anna = ens.rows.find((e) => e.pupilTaxCode === newCf)!;
    expect(anna).toMatchObject({ paymentMethod: 'sdd', payerId: payer.id, status: 'attiva' });
  });

  it("la conferma ricontrolla le righe quando qualcuno ha salvato dati dopo l'anteprima", async () => {
    const rows = legacyRows(3, { seed: 31 });
    const first = await preview('a.csv', toCsv(rows));
    expect(first.result.errorRows).toBe(0);
    const r = rows[1];
    await app.call('pupils.create', { firstName: 'Diverso', lastName: r.Cognome, birthDate: r['Data di nascita'].split('/').reverse().join('-'), taxCode: r['Codice fiscale'], schoolId: base.school.id });
    const before = counts();
    const err = await app.fail('imports.commit', { previewId: first.previewId }, 'operatore');
    expect(err.code).toBe('VALIDATION');
    expect(err.issues[0].message).toMatch(/^Riga 3: Codice fiscale già registrato per l'alunno .+ Diverso con dati diversi \(nome\)/);
    expect(counts()).toEqual(before);

    // same data registered meanwhile: the commit reuses that pupil
    const second = await preview('b.csv', toCsv(legacyRows(2, { seed: 32 })));
    const s = legacyRows(2, { seed: 32 })[0];
    await app.call('pupils.create', { firstName: s.Nome, lastName: s.Cognome, birthDate: s['Data di nascita'].split('/').reverse().join('-'), taxCode: s['Codice fiscale'], schoolId: base.school.id });
    const done = await app.call('imports.commit', { previewId: second.previewId }, 'operatore');
    expect(done).toMatchObject({ newPupils: 1, existingPupils: 1, enrollments: 2 });
  });

  it("un alunno già registrato in un'altra scuola e iscritto dal file: scuola e classe dell'alunno seguono l'iscrizione (issue 12)", async () => {
    const rows = legacyRows(1, { seed: 33 });
    const r = rows[0];
    // registered by hand at Cassino's school, not enrolled yet
    const known = await app.call('pupils.create', { firstName: r.Nome, lastName: r.Cognome, birthDate: r['Data di nascita'].split('/').reverse().join('-'), taxCode: r['Codice fiscale'], schoolId: base.cassinoSchool.id });
    const { previewId } = await preview('a.csv', toCsv(rows));
    expect(await app.call('imports.commit', { previewId }, 'operatore')).toMatchObject({ existingPupils: 1, enrollments: 1 });
    const enrollment = (await app.call('enrollments.list', { schoolYearId: base.year.id, limit: 10 })).rows.find((e) => e.pupilId === known.id)!;
    expect(enrollment.schoolId).toBe(base.school.id);
    // the pupil's own columns (read by statements, SDD and the 730) say the school of the enrollment
    const place = app.database.sqlite.prepare('SELECT school_id AS schoolId, class_id AS classId FROM pupils WHERE id = ?').get(known.id);
    expect(place).toEqual({ schoolId: base.school.id, classId: enrollment.classId });
  });

  it("un'anteprima appartiene al suo utente, non si conferma mentre è in corso e si può annullare", async () => {
    const rows = legacyRows(4, { seed: 41 });
    const { previewId } = await preview('a.csv', toCsv(rows));
    const other = await app.fail('imports.commit', { previewId }, 'supervisore');
    expect(other.code).toBe('NOT_FOUND');
    expect((await app.backend.call('jobs.get', { id: previewId }, app.sessions.supervisore)).ok).toBe(false);

    const started = await app.call('imports.preview', { fileName: 'b.csv', contentBase64: toCsv(rows).toString('base64') }, 'operatore');
    const early = await app.fail('imports.commit', { previewId: started.previewId }, 'operatore');
    expect(early).toMatchObject({ code: 'CONFLICT', message: "L'anteprima è ancora in corso: attendere che finisca" });
    await waitJob(started.jobId);

    const big = await app.call('imports.preview', { fileName: 'c.csv', contentBase64: toCsv(legacyRows(3000, { seed: 42 })).toString('base64') }, 'operatore');
    await app.call('jobs.cancel', { id: big.jobId }, 'operatore');
    const job = await waitJob(big.jobId);
    expect(job.state).toBe('annullato');
    const cancelled = await app.fail('imports.commit', { previewId: big.previewId }, 'operatore');
    expect(cancelled.code).toBe('CONFLICT');
  });

  it('le anteprime sono conservate per utente: le nuove anteprime di un utente non cancellano quella di un altro', async () => {
    const theirs = await preview('supervisore.csv', toCsv(legacyRows(2, { seed: 71 })), {}, 'supervisore');
    const mine: string[] = [];
    for (let i = 0; i < 4; i++) mine.push((await preview(`op${i}.csv`, toCsv(legacyRows(2, { seed: 72 + i })))).previewId);
    // the operatore's oldest previews were evicted (at most two each), the supervisore's is still there
    expect((await app.fail('imports.commit', { previewId: mine[0] }, 'operatore')).code).toBe('NOT_FOUND');
    expect((await app.call('imports.commit', { previewId: mine[3] }, 'operatore')).newPupils).toBe(2);
    expect((await app.call('imports.commit', { previewId: theirs.previewId }, 'supervisore')).newPupils).toBe(2);
  });

  it("un'anteprima scade dopo 30 minuti", async () => {
    const { previewId } = await preview('a.csv', toCsv(legacyRows(2, { seed: 51 })));
    await app.travel('2026-07-10T08:31:00Z');
    const err = await app.fail('imports.commit', { previewId }, 'operatore');
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/scaduta/) });
  });

  it("10.000 righe passano per l'anteprima (con avanzamento, cedendo il turno) e la conferma in una sola transazione", async () => {
    const rows = legacyRows(10_000, { seed: 61 });
    const payers = new Set(rows.map((r) => r['CF genitore'])).size;
    const { jobId } = await app.call('imports.preview', { fileName: 'grande.csv', contentBase64: toCsv(rows).toString('base64') }, 'operatore');
    const seen: Job[] = [];
    const job = await waitJob(jobId, 'operatore', seen);
    expect(job.state).toBe('completato');
    expect(job.total).toBe(10_000);
    // the job yielded between chunks: someone polling saw it half way
    expect(seen.some((j) => j.state === 'in_corso' && j.done > 0 && j.done < 10_000)).toBe(true);
    const result = job.result as ImportPreviewResult;
    expect(result).toMatchObject({ totalRows: 10_000, errorRows: 0, rowsShown: 1000 });
    const done = await app.call('imports.commit', { previewId: jobId }, 'operatore');
    expect(done).toMatchObject({ totalRows: 10_000, newPupils: 10_000, newPayers: payers, enrollments: 10_000 });
    expect(counts()).toMatchObject({ pupils: 10_000, payers, enrollments: 10_000 });
    const codes = app.database.sqlite.prepare('SELECT count(DISTINCT phone_code) FROM pupils').pluck().get();
    expect(codes).toBe(10_000);
  });
});
