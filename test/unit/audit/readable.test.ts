/**
 * Issue 12: the audit log reads for people. Italian names of operations, kinds of record and
 * fields (one vocabulary, contract/vocabulary/audit.ts), the pupils' and payers' names resolved at
 * read time, only the changed fields with formatted values, masking kept, and an Excel export with
 * real date-time cells in Rome time, one row per changed field.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { procedures } from '../../../electron/contract/registry';
import { OPERATION_LABEL, fieldLabel, operationLabel } from '../../../electron/contract/vocabulary/audit';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { buildItalianIban } from '../../../electron/identifiers/iban';
import { readableRows } from '../../../electron/audit/readable';
import { VALID_PAYER, type TestApp } from '../../support/backend';
import { useAttendanceApp, type Base } from '../attendance/fixtures';
import { medicalRequest, pdfBytes } from '../diets/fixtures';

let app: TestApp;
let base: Base;
useAttendanceApp((a, b) => {
  app = a;
  base = b;
}, '2026-10-12T08:00:00Z'); // 10:00 in Rome (summer time)

const MARIO = { firstName: 'Mario', lastName: 'Rossi', birthDate: '2017-03-04' };

async function enrollMario() {
  const taxCode = buildCodiceFiscale({ ...MARIO, sex: 'M', belfiore: 'C800' });
  const pupil = await app.call('pupils.create', { ...MARIO, taxCode, schoolId: base.school.id, classId: base.cls.id }, 'operatore');
  const { enrollment } = await app.call(
    'enrollments.create',
    { pupilId: pupil.id, schoolYearId: base.year.id, payerId: base.payerId, schoolId: base.school.id, classId: base.cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'sdd', startsOn: '2026-09-14', activate: true },
    'operatore',
  );
  return { pupil, enrollment, taxCode };
}

async function readSheet(base64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  return wb.worksheets[0];
}

describe('il registro delle modifiche in italiano', () => {
  it('ogni modifica e ogni lettura registrata del contratto ha il suo nome italiano nel vocabolario', () => {
    const audited = procedures.filter((p) => p.kind === 'mutation' || ('auditedRead' in p && p.auditedRead)).map((p) => p.name);
    expect(audited.filter((name) => !(name in OPERATION_LABEL))).toEqual([]);
    // a retired operation keeps its label: the old records still name it
    expect(operationLabel('enrollments.suspend')).toBe('Sospensione iscrizione');
    expect(operationLabel('attendance.scheduler')).toBe('Chiusura automatica della giornata');
    expect(operationLabel('pupils.update')).toBe('Modifica alunno');
    expect(fieldLabel('birthDate')).toBe('Data di nascita');
  });

  it("nomina l'alunno e il pagante (non «alunno #id»), con operazione, tipo di dato e ora di Roma", async () => {
    const { pupil, enrollment } = await enrollMario();
    await app.call('enrollments.withdraw', { id: enrollment.id, date: '2026-10-20', reason: 'trasferimento' }, 'operatore');
    const list = await app.call('audit.list', {}, 'supervisore');
    const created = list.rows.find((r) => r.procedure === 'pupils.create')!;
    expect(created).toMatchObject({ operation: 'Nuovo alunno', entityName: 'Alunno', entityId: String(pupil.id), subject: 'Mario Rossi' });
    expect(created.changes).toContainEqual({ field: 'birthDate', label: 'Data di nascita', before: '', after: '04/03/2017' });
    expect(list.rows.find((r) => r.procedure === 'payers.create')).toMatchObject({ operation: 'Nuovo pagante', entityName: 'Pagante', subject: 'Mario Rossi' });
    const withdrawn = list.rows.find((r) => r.procedure === 'enrollments.withdraw')!;
    // the enrollment is about its pupil; only the changed fields, formatted
    expect(withdrawn).toMatchObject({ operation: 'Ritiro dal servizio', entityName: 'Iscrizione', subject: 'Mario Rossi' });
    expect(withdrawn.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['status', 'withdrawnOn']));
    expect(withdrawn.changes.find((c) => c.field === 'withdrawnOn')).toEqual({ field: 'withdrawnOn', label: 'Ritirata il', before: '', after: '20/10/2026' });
    expect(withdrawn.changes.find((c) => c.field === 'status')).toMatchObject({ label: 'Stato', before: 'attiva', after: 'ritirata' });
    expect(withdrawn.changes.map((c) => c.field)).not.toContain('pupilId');
    // the enrollment's creation names the pupil, payer, school and class by name
    const enrolled = list.rows.find((r) => r.procedure === 'enrollments.create')!;
    expect(enrolled.changes.find((c) => c.field === 'pupilId')!.after).toBe('Mario Rossi');
    expect(enrolled.changes.find((c) => c.field === 'schoolId')!.after).toBe('Primaria Clusone');
    expect(enrolled.changes.find((c) => c.field === 'weekdays')!.after).toBe('Lun Mar Mer Gio Ven');
  });

  it('i nomi sono letti al momento: un alunno corretto dopo appare col nome di oggi anche nelle righe vecchie', async () => {
    const { pupil, taxCode } = await enrollMario();
    const before = (await app.call('audit.list', { procedure: 'pupils.create' }, 'supervisore')).rows[0];
    expect(before.subject).toBe('Mario Rossi');
    app.database.sqlite.prepare("UPDATE pupils SET first_name = 'Mariolino', version = version + 1 WHERE id = ?").run(pupil.id);
    const after = (await app.call('audit.list', { procedure: 'enrollments.create' }, 'supervisore')).rows[0];
    expect(after.subject).toBe('Mariolino Rossi');
    void taxCode;
  });

  it("la ricerca trova le righe di un alunno per nome, anche quelle della sua iscrizione", async () => {
    const { enrollment } = await enrollMario();
    await app.call('enrollments.withdraw', { id: enrollment.id, date: '2026-10-20', reason: 'trasferimento' }, 'operatore');
    const found = await app.call('audit.list', { search: 'rossi mario' }, 'supervisore');
    expect(found.rows.map((r) => r.procedure)).toEqual(expect.arrayContaining(['pupils.create', 'enrollments.create', 'enrollments.withdraw']));
    expect(found.rows.every((r) => r.subject?.includes('Rossi'))).toBe(true);
    expect((await app.call('audit.list', { search: 'Luigi Bianchi' }, 'supervisore')).total).toBe(0);
  });

  it("una richiesta di dieta nomina l'alunno e le diete; dell'allegato solo nome e tipo, mai il contenuto", async () => {
    const { pupil } = await enrollMario();
    await medicalRequest(app, base, pupil.id);
    const row = (await app.call('audit.list', { procedure: 'diets.create' }, 'supervisore')).rows[0];
    expect(row).toMatchObject({ operation: 'Nuova richiesta di dieta', entityName: 'Richiesta di dieta', subject: 'Mario Rossi' });
    expect(row.changes.find((c) => c.field === 'dietTypeIds')!.after).toMatch(/^(Uova, Latte|Latte, Uova)/i);
    expect(row.changes.find((c) => c.field === 'category')!.after).toBe('medica');
    const text = JSON.stringify(row.changes);
    expect(text).toContain('certificato.pdf');
    expect(text).not.toContain(pdfBytes().toString('base64').slice(0, 24));
  });

  it('importi in euro, sì/no, e solo i campi cambiati; gli IBAN restano mascherati anche nei nomi risolti', async () => {
    const second = buildItalianIban('12345', '12345', '123456789012');
    await app.call('payers.update', { ...VALID_PAYER, id: base.payerId, version: app.version('payer', base.payerId), iban: second, ibanHolder: 'Maria Rossi' }, 'operatore');
    const row = (await app.call('audit.list', { procedure: 'payers.update' }, 'supervisore')).rows[0];
    expect(row.subject).toBe('Mario Rossi');
    expect(row.changes.map((c) => c.label)).toEqual(expect.arrayContaining(['IBAN', 'Intestatario del conto']));
    expect(row.changes.find((c) => c.field === 'iban')).toMatchObject({ before: 'IT60 **** **** 3456', after: `${second.slice(0, 4)} **** **** 9012` });
    expect(row.changes.map((c) => c.field)).not.toContain('firstName'); // unchanged: not listed
    expect(JSON.stringify(row)).not.toContain(VALID_PAYER.iban);

    const tariff = (await app.call('audit.list', { procedure: 'tariffs.create' }, 'supervisore')).rows[0];
    expect(tariff.changes.find((c) => c.field === 'grossCents')).toMatchObject({ label: 'Lordo', after: '6,18\u00a0€' });
    expect(tariff.changes.find((c) => c.field === 'vatRateBp')!.after).toBe('4%');
    expect(tariff.changes.find((c) => c.field === 'municipalityId')!.after).toBe('Clusone');
  });

  it('un record scritto prima del mascheramento non mostra comunque IBAN interi né password', () => {
    const [r] = readableRows(app.database.sqlite, [
      { id: 1, at: '2026-01-15T11:00:00Z', username: 'vecchio', procedure: 'payers.update', entity: 'pagante', entityId: String(base.payerId), action: 'modifica', before: JSON.stringify({ iban: VALID_PAYER.iban, active: true }), after: JSON.stringify({ iban: null, active: false, password: 'segreta' }) },
    ]);
    expect(r.changes).toEqual([
      { field: 'iban', label: 'IBAN', before: 'IT60 **** **** 3456', after: '' },
      { field: 'active', label: 'Attivo', before: 'Sì', after: 'No' },
    ]);
    expect(JSON.stringify(r)).not.toContain('segreta');
    expect(JSON.stringify(r)).not.toContain(VALID_PAYER.iban);
  });

  it('una giornata chiusa nomina il comune e il giorno', async () => {
    await enrollMario();
    await app.travel('2026-10-12T08:00:00Z'); // Monday 10:00: both cutoffs passed
    await app.call('attendance.closeDay', { date: '2026-10-12' }, 'operatore');
    const rows = (await app.call('audit.list', { entity: 'giornata' }, 'supervisore')).rows;
    expect(rows.map((r) => r.subject)).toContain('Clusone, 12/10/2026');
  });

  it("l'Excel: data e ora vere in ora di Roma, una riga per campo cambiato, larghezze e filtro", async () => {
    const { enrollment } = await enrollMario();
    await app.travel('2026-12-01T15:30:00Z'); // 16:30 in Rome (winter time)
    await app.call('enrollments.withdraw', { id: enrollment.id, date: '2026-12-02', reason: 'trasferimento' }, 'operatore');
    const file = await app.call('audit.export', { procedure: 'enrollments.withdraw' }, 'supervisore');
    const ws = await readSheet(file.contentBase64);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 9)).toEqual(['Quando (ora di Roma)', 'Utente', 'Operazione', 'Tipo di dato', 'Riguarda', 'Azione', 'Campo', 'Prima', 'Dopo']);
    const rows = [];
    for (let i = 2; i <= ws.rowCount; i++) rows.push((ws.getRow(i).values as unknown[]).slice(1));
    expect(rows.length).toBe(file.rows);
    expect(rows.length).toBeGreaterThanOrEqual(2); // status and withdrawal date, at least
    for (const r of rows) {
      // a real date-time cell, holding the Rome wall-clock time (16:30, not 15:30 UTC)
      expect(r[0]).toBeInstanceOf(Date);
      expect((r[0] as Date).toISOString()).toBe('2026-12-01T16:30:00.000Z');
      expect(r.slice(1, 6)).toEqual(['operatore', 'Ritiro dal servizio', 'Iscrizione', 'Mario Rossi', 'ritiro']);
    }
    expect(ws.getCell('A2').numFmt).toBe('dd/mm/yyyy hh:mm:ss');
    expect(rows.map((r) => [r[6], r[7], r[8]])).toContainEqual(['Ritirata il', undefined, '02/12/2026']);
    expect(rows.map((r) => [r[6], r[7], r[8]])).toContainEqual(['Stato', 'attiva', 'ritirata']);
    expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(30);
    expect(ws.autoFilter).toBeTruthy();
  });

  it("un'esportazione senza righe è rifiutata con un messaggio, nessun file", async () => {
    const e = await app.fail('audit.export', { username: 'nessuno-così' }, 'supervisore');
    expect(e).toMatchObject({ code: 'NOT_FOUND', message: 'Nessuna riga da esportare con questi filtri: nessun file creato' });
  });
});
