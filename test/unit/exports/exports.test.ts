import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedBasics, VALID_PAYER, type TestApp } from '../../support/backend';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp('2026-07-10T08:00:00Z');
  const base = await seedBasics(app);
  const payer = await app.call('payers.create', VALID_PAYER);
  const pupil = await app.call('pupils.create', { firstName: 'Maria', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: 'MRNMIA02E45L219X', schoolId: base.school.id, classId: base.cls.id });
  await app.call('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'sdd' });
});
afterAll(() => app.close());

async function read(base64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return { ws, rows };
}

describe('esportazioni Excel degli elenchi', () => {
  it("pupils.export: intestazioni, codici come testo, data di nascita come vera data", async () => {
    const f = await app.call('pupils.export', { search: 'rossi' }, 'operatore');
    expect(f.fileName).toBe('alunni-2026-07-10.xlsx');
    expect(f.rows).toBe(1);
    const { ws, rows } = await read(f.contentBase64);
    expect(rows[0]).toEqual(['Cognome', 'Nome', 'Data di nascita', 'Codice fiscale', 'Codice utente', 'Codice disdetta', 'Comune', 'Scuola', 'Classe', 'Saldo mensa', 'Saldo totale']);
    expect(rows[1].slice(0, 2)).toEqual(['Rossi', 'Maria']);
    expect(rows[1][2]).toEqual(new Date(Date.UTC(2002, 4, 5)));
    expect(ws.getCell('C2').numFmt).toBe('dd/mm/yyyy');
    expect(rows[1][3]).toBe('MRNMIA02E45L219X');
    // balances are numbers in euro with a euro format, not text (no movement yet: 0)
    expect(rows[1][9]).toBe(0);
    expect(ws.getCell('J2').numFmt).toContain('€');
  });

  it("l'esportazione segue i filtri: nessun risultato → nessun file, un messaggio in italiano", async () => {
    const exports = () => app.database.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE procedure = 'pupils.export'").get();
    const before = exports();
    expect(await app.fail('pupils.export', { search: 'nessuno' })).toMatchObject({ code: 'NOT_FOUND', message: 'Nessuna riga da esportare con questi filtri: nessun file creato' });
    // and the refused export is not on record as an export
    expect(exports()).toEqual(before);
  });

  it("payers.export mostra l'IBAN a gruppi di quattro", async () => {
    const { rows } = await read((await app.call('payers.export', {})).contentBase64);
    expect(rows[1]).toContain('IT60 X054 2811 1010 0000 0123 456');
  });

  it("enrollments.export e audit.export", async () => {
    const e = await read((await app.call('enrollments.export', { status: 'attiva' })).contentBase64);
    expect(e.rows[1]).toContain('SDD');
    expect(e.rows[1]).toContain('Lun Mar Mer Gio Ven');
    const a = await read((await app.call('audit.export', { entity: 'alunno' }, 'supervisore')).contentBase64);
    expect(a.rows[0][0]).toBe('Quando (ora di Roma)');
    // the log also holds the audited read of the pupils' export above: the pupil's creation is among the rows
    expect(a.rows.slice(1).flat()).toContain('creazione');
  });
});
