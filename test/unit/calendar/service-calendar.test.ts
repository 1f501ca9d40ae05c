import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../support/backend';
import { isServiceDay, ServiceCalendar, firstServiceDayAfter } from '../../../electron/calendar/service-calendar';
import { shiftClosure } from '../../../electron/calendar/closures';
import { kindFromText, parseDateCell } from '../../../electron/calendar/closure-import';
import { count, enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';

let app: TestApp;
let base: Base;
beforeEach(async () => {
  app = await createTestApp('2026-10-05T08:00:00Z'); // Monday 5 October 2026, 10:00 in Rome
  base = await seedAttendance(app);
});
afterEach(() => app.close());

const db = () => app.database.db;

describe('calendario del servizio (A1, A5, A7)', () => {
  it('A5: sabati, domeniche, festività nazionali (anche il lunedì dell’Angelo) e giorni fuori dall’anno scolastico sono senza servizio', () => {
    const cal = ServiceCalendar.load(db(), { from: '2026-08-31', to: '2027-04-30', schoolIds: [base.school.id] });
    expect(cal.isServiceDay(base.school.id, null, '2026-10-12')).toBe(true); // Monday
    expect(cal.dayInfo(base.school.id, null, '2026-10-17').reasons.map((r) => r.kind)).toEqual(['weekend']);
    expect(cal.dayInfo(base.school.id, null, '2026-12-08').reasons[0]).toMatchObject({ kind: 'festivita', label: 'Immacolata Concezione' });
    expect(cal.dayInfo(base.school.id, null, '2027-03-29').reasons[0]).toMatchObject({ kind: 'festivita', label: "Lunedì dell'Angelo" });
    expect(cal.dayInfo(base.school.id, null, '2026-08-31').reasons[0].kind).toBe('fuori_anno');
    // 4 October 2026 is a Sunday and San Francesco: both reasons are kept
    expect(cal.dayInfo(base.school.id, null, '2026-10-04').reasons.map((r) => r.kind)).toEqual(['weekend', 'festivita']);
  });

  it("A1: una scuola serve il pasto solo nei suoi giorni settimanali di servizio (infanzia di Cassino: lunedì e mercoledì)", () => {
    expect(isServiceDay(db(), { schoolId: base.cassinoSchool.id }, '2026-10-12')).toBe(true);
    expect(isServiceDay(db(), { schoolId: base.cassinoSchool.id }, '2026-10-13')).toBe(false);
    expect(isServiceDay(db(), { schoolId: base.cassinoSchool.id }, '2026-10-14')).toBe(true);
    const info = ServiceCalendar.load(db(), { from: '2026-10-13', to: '2026-10-13' }).dayInfo(base.cassinoSchool.id, null, '2026-10-13');
    expect(info.reasons[0]).toMatchObject({ kind: 'giorno_senza_mensa', label: 'La scuola non ha servizio mensa il martedì' });
  });

  it('A7: una chiusura del Comune chiude ogni scuola; quella di una scuola chiude solo quella scuola', async () => {
    await app.call('calendar.closures.create', { scope: 'comune', municipalityId: base.clusone.id, from: '2026-10-13', to: '2026-10-13', kind: 'festivita_locale', reason: 'Patrono' }, 'operatore');
    await app.call('calendar.closures.create', { scope: 'scuola', schoolId: base.cassinoSchool.id, from: '2026-10-14', to: '2026-10-14', kind: 'sciopero', reason: 'Sciopero del personale' }, 'operatore');
    expect(isServiceDay(db(), { schoolId: base.school.id }, '2026-10-13')).toBe(false);
    expect(isServiceDay(db(), { schoolId: base.cassinoSchool.id }, '2026-10-14')).toBe(false);
    expect(isServiceDay(db(), { schoolId: base.school.id }, '2026-10-14')).toBe(true);
  });

  it('A7: una classe in gita non mangia, il resto della scuola sì (eccezione per classe)', async () => {
    const other = await app.call('classes.create', { schoolId: base.school.id, schoolYearId: base.year.id, name: '5B' });
    await app.call('calendar.closures.create', { scope: 'classe', classId: base.cls.id, from: '2026-10-15', to: '2026-10-15', kind: 'gita', reason: 'Gita a Bergamo' }, 'operatore');
    expect(isServiceDay(db(), { schoolId: base.school.id, classId: base.cls.id }, '2026-10-15')).toBe(false);
    expect(isServiceDay(db(), { schoolId: base.school.id, classId: other.id }, '2026-10-15')).toBe(true);
    expect(isServiceDay(db(), { schoolId: base.school.id }, '2026-10-15')).toBe(true);
    const month = await app.call('calendar.get', { schoolId: base.school.id, from: '2026-10-01', to: '2026-10-31' });
    const day = month.days.find((d) => d.date === '2026-10-15')!;
    expect(day.service).toBe(true);
    expect(day.classExceptions).toEqual([expect.objectContaining({ classId: base.cls.id, className: '3A', kind: 'gita', label: 'Gita / uscita didattica: Gita a Bergamo' })]);
    const forClass = await app.call('calendar.get', { schoolId: base.school.id, classId: base.cls.id, from: '2026-10-15', to: '2026-10-15' });
    expect(forClass.days[0]).toMatchObject({ service: false, reasons: [expect.objectContaining({ kind: 'chiusura', closureKind: 'gita', scope: 'classe' })] });
  });

  it('calendar.get restituisce ogni giorno del mese con festività e chiusure, per react-big-calendar', async () => {
    await app.call('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-12-23', to: '2027-01-06', kind: 'vacanza', reason: 'Vacanze di Natale' }, 'operatore');
    const r = await app.call('calendar.get', { schoolId: base.school.id, from: '2026-12-01', to: '2026-12-31' });
    expect(r.days).toHaveLength(31);
    expect(r.days.find((d) => d.date === '2026-12-08')).toMatchObject({ service: false, holiday: 'Immacolata Concezione' });
    expect(r.days.find((d) => d.date === '2026-12-22')).toMatchObject({ service: true, reasons: [] });
    expect(r.days.find((d) => d.date === '2026-12-23')?.reasons[0]).toMatchObject({ kind: 'chiusura', label: 'Vacanza scolastica: Vacanze di Natale (scuola)' });
    expect(r.closures).toHaveLength(1);
    expect(r.closures[0]).toMatchObject({ kind: 'vacanza', days: 15, schoolName: 'Primaria Clusone' });
  });

  it('A6: firstServiceDayAfter salta fine settimana, chiusure e i giorni in cui l’alunno non mangia', async () => {
    const { pupil } = await enrollPupil(app, base, { weekdays: [1, 3, 5] });
    await app.call('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-10-14', to: '2026-10-14', kind: 'sciopero', reason: '' });
    // Monday 12/10 at 10:00 (after the 09:30 cutoff): Tuesday is not one of the pupil's days,
    // Wednesday is a strike, so Friday
    expect(firstServiceDayAfter(db(), '2026-10-12T08:00:00Z', pupil.id)).toBe('2026-10-16');
    // Monday 12/10 at 09:29:59: still Monday
    expect(firstServiceDayAfter(db(), '2026-10-12T07:29:59Z', pupil.id)).toBe('2026-10-12');
  });
});

describe('A7: chiusure: anteprima, creazione, annullamento', () => {
  it('una chiusura di più giorni di una scuola mostra le prenotazioni che toglie prima della conferma', async () => {
    const a = await enrollPupil(app, base);
    await enrollPupil(app, base, { weekdays: [1] });
    await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    const input = { scope: 'scuola' as const, schoolId: base.school.id, from: '2026-10-12', to: '2026-10-18', kind: 'seggio_elettorale' as const, reason: 'Elezioni' };
    const preview = await app.call('calendar.closurePreview', input, 'operatore');
    expect(preview.target).toMatchObject({ scope: 'scuola', label: 'Primaria Clusone', schoolYearLabel: '2026/2027' });
    // pupil a eats Monday–Friday (5), the other only on Monday (1); Cassino is not touched
    expect(preview.totalBookings).toBe(6);
    expect(preview.days.map((d) => d.bookings)).toEqual([2, 1, 1, 1, 1, 0, 0]);
    expect(preview.bookings.filter((b) => b.pupilId === a.pupil.id)).toHaveLength(5);
    expect(preview.bookings[0]).toMatchObject({ date: '2026-10-12', schoolName: 'Primaria Clusone', className: '3A' });
    expect(count(app, 'SELECT count(*) AS n FROM calendar_closures')).toBe(0); // the preview saves nothing
    const created = await app.call('calendar.closures.create', input, 'operatore');
    expect(created.removedBookings).toBe(6);
    expect(created.closure).toMatchObject({ kind: 'seggio_elettorale', kindLabel: 'Seggio elettorale', origin: 'manuale', createdByName: 'operatore' });
    const expected = await app.call('attendance.expected', { date: '2026-10-12', municipalityId: base.clusone.id });
    expect(expected.total).toBe(0);
  });

  it('rifiuta intervalli e destinatari errati con messaggi in italiano sui campi', async () => {
    let err = await app.fail('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-10-14', to: '2026-10-12', kind: 'chiusura' });
    expect(err.issues[0]).toMatchObject({ path: ['to'], message: 'La data finale precede quella iniziale' });
    err = await app.fail('calendar.closures.create', { scope: 'scuola', from: '2026-10-12', to: '2026-10-12', kind: 'chiusura' });
    expect(err.issues[0]).toMatchObject({ path: ['schoolId'], message: 'Indicare la scuola' });
    err = await app.fail('calendar.closures.create', { scope: 'comune', municipalityId: base.clusone.id, from: '2027-06-20', to: '2027-09-10', kind: 'vacanza' });
    expect(err.issues[0].message).toMatch(/un solo anno scolastico/);
    err = await app.fail('calendar.closures.create', { scope: 'classe', classId: base.nextCls.id, from: '2026-10-12', to: '2026-10-12', kind: 'gita' });
    expect(err.issues[0]).toMatchObject({ path: ['classId'], message: "La classe 4A non è dell'anno scolastico 2026/2027" });
    await app.call('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-10-12', to: '2026-10-12', kind: 'sciopero' });
    err = await app.fail('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-10-12', to: '2026-10-12', kind: 'sciopero' });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/Esiste già/);
  });

  it('una chiusura si annulla, non si cancella: il giorno torna di servizio e lo storico la conserva', async () => {
    const { closure } = await app.call('calendar.closures.create', { scope: 'comune', municipalityId: base.clusone.id, from: '2026-10-13', to: '2026-10-13', kind: 'chiusura', reason: 'Errore' });
    const r = await app.call('calendar.closures.cancel', { id: closure.id, reason: 'Inserita per errore' }, 'operatore');
    expect(r.closure).toMatchObject({ cancelledByName: 'operatore', cancelReason: 'Inserita per errore' });
    expect(isServiceDay(db(), { schoolId: base.school.id }, '2026-10-13')).toBe(true);
    expect(await app.call('calendar.closures.list', { municipalityId: base.clusone.id })).toHaveLength(0);
    expect(await app.call('calendar.closures.list', { municipalityId: base.clusone.id, includeCancelled: true })).toHaveLength(1);
    expect((await app.fail('calendar.closures.cancel', { id: closure.id, reason: 'di nuovo' })).message).toMatch(/già annullata/);
    const audit = await app.call('audit.list', { entity: 'chiusura_calendario' });
    expect(JSON.stringify(audit)).toMatch(/annullamento/);
  });
});

describe('chiusure da un foglio di calcolo', () => {
  it('importa un CSV (Excel italiano, punto e virgola): l’anteprima controlla ogni riga, la conferma salva tutto', async () => {
    const csv = [
      'Dal;Al;Scuola;Classe;Motivo',
      '02/11/2026;;;;Ponte dei Santi',
      '23/12/2026;06/01/2027;Primaria Clusone;;Vacanze di Natale',
      '15/10/2026;;Primaria Clusone;3A;Gita al museo',
      '31/02/2026;;;;Data sbagliata',
      '16/10/2026;;Scuola che non esiste;;Sciopero',
    ].join('\r\n');
    const preview = await app.call('calendar.closures.importPreview', { municipalityId: base.clusone.id, fileName: 'chiusure.csv', contentBase64: Buffer.from(csv).toString('base64') }, 'operatore');
    expect(preview.rows.map((r) => [r.line, r.scope, r.kind, r.errors.length])).toEqual([
      [2, 'comune', 'chiusura', 0],
      [3, 'scuola', 'vacanza', 0],
      [4, 'classe', 'gita', 0],
      [5, 'comune', 'chiusura', 1],
      [6, 'scuola', 'sciopero', 1],
    ]);
    expect(preview.rows[3].errors[0]).toMatch(/Data iniziale non valida: «31\/02\/2026»/);
    expect(preview.rows[4].errors[0]).toBe('Scuola «Scuola che non esiste» non trovata nel Comune di Clusone');
    const good = preview.rows.filter((r) => r.errors.length === 0).map((r) => ({ line: r.line, from: r.from!, to: r.to!, schoolId: r.schoolId, classId: r.classId, kind: r.kind, reason: r.reason }));
    const r = await app.call('calendar.closures.importCommit', { municipalityId: base.clusone.id, fileName: 'chiusure.csv', rows: good }, 'operatore');
    expect(r.created).toBe(3);
    const list = await app.call('calendar.closures.list', { municipalityId: base.clusone.id });
    expect(list.map((c) => [c.from, c.to, c.origin])).toEqual([
      ['2026-10-15', '2026-10-15', 'importazione'],
      ['2026-11-02', '2026-11-02', 'importazione'],
      ['2026-12-23', '2027-01-06', 'importazione'],
    ]);
  });

  it('importa un file Excel con vere celle data; la conferma è tutto o niente', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Chiusure');
    ws.addRow(['Data', 'Al', 'Motivo', 'Tipo']);
    ws.addRow([new Date(Date.UTC(2026, 10, 2)), null, 'Ponte', 'chiusura']);
    ws.addRow(['24/06/2027', '', 'San Giovanni', 'festività locale']);
    const contentBase64 = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const preview = await app.call('calendar.closures.importPreview', { municipalityId: base.clusone.id, fileName: 'chiusure.xlsx', contentBase64 });
    expect(preview.rows.map((r) => [r.from, r.to, r.kind, r.errors])).toEqual([
      ['2026-11-02', '2026-11-02', 'chiusura', []],
      ['2027-06-24', '2027-06-24', 'festivita_locale', []],
    ]);
    // the second row is now a duplicate of a closure entered meanwhile: nothing is saved
    await app.call('calendar.closures.create', { scope: 'comune', municipalityId: base.clusone.id, from: '2027-06-24', to: '2027-06-24', kind: 'festivita_locale' });
    const rows = preview.rows.map((r) => ({ line: r.line, from: r.from!, to: r.to!, schoolId: null, classId: null, kind: r.kind, reason: r.reason }));
    const err = await app.fail('calendar.closures.importCommit', { municipalityId: base.clusone.id, rows });
    expect(err.message).toMatch(/^Riga 3: Esiste già/);
    expect(count(app, "SELECT count(*) AS n FROM calendar_closures WHERE origin = 'importazione'")).toBe(0);
  });

  it('rifiuta in italiano un file senza colonna delle date', async () => {
    const err = await app.fail('calendar.closures.importPreview', { municipalityId: base.clusone.id, fileName: 'x.csv', contentBase64: Buffer.from('foo;bar\n1;2').toString('base64') });
    expect(err.issues[0].message).toMatch(/Manca la colonna della data/);
  });

  it('legge date e tipi come li scrivono gli uffici', () => {
    expect(parseDateCell('2/11/2026')).toBe('2026-11-02');
    expect(parseDateCell('02.11.26')).toBe('2026-11-02');
    expect(parseDateCell('2026-11-02')).toBe('2026-11-02');
    expect(parseDateCell(46328)).toBe('2026-11-02');
    expect(parseDateCell('30/02/2026')).toBeNull();
    expect(kindFromText('Sciopero generale')).toBe('sciopero');
    expect(kindFromText('Elezioni regionali')).toBe('seggio_elettorale');
    expect(kindFromText('Festa del Santo Patrono')).toBe('festivita_locale');
    expect(kindFromText('Uscita didattica')).toBe('gita');
    expect(kindFromText('qualcosa')).toBeNull();
  });
});

describe('copia lo schema dell’anno scolastico precedente', () => {
  it('copia per data (predefinito) le chiusure ricorrenti e salta gli eventi singoli e le chiusure di classe', async () => {
    await app.call('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-12-23', to: '2027-01-06', kind: 'vacanza', reason: 'Natale' });
    await app.call('calendar.closures.create', { scope: 'comune', municipalityId: base.clusone.id, from: '2027-06-24', to: '2027-06-24', kind: 'festivita_locale', reason: 'Patrono' });
    await app.call('calendar.closures.create', { scope: 'comune', municipalityId: base.clusone.id, from: '2026-10-16', to: '2026-10-16', kind: 'sciopero', reason: '' });
    await app.call('calendar.closures.create', { scope: 'classe', classId: base.cls.id, from: '2026-10-15', to: '2026-10-15', kind: 'gita', reason: '' });
    const dry = await app.call('calendar.closures.copyFromYear', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id, dryRun: true }, 'operatore');
    expect(dry.created.map((c) => [c.from, c.to, c.id])).toEqual([
      ['2027-12-23', '2028-01-06', null],
      ['2028-06-24', '2028-06-24', null],
    ]);
    expect(dry.skipped.map((s) => s.reason)).toEqual(['Gita / uscita didattica: evento non ricorrente, non copiato', 'Sciopero: evento non ricorrente, non copiato']);
    expect(count(app, 'SELECT count(*) AS n FROM calendar_closures WHERE school_year_id = ?', base.nextYear.id)).toBe(0);
    const done = await app.call('calendar.closures.copyFromYear', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id });
    expect(done.created.every((c) => c.id !== null)).toBe(true);
    // running it again copies nothing twice
    const again = await app.call('calendar.closures.copyFromYear', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id });
    expect(again.created).toEqual([]);
    expect(again.skipped.filter((s) => s.reason === 'Già presente')).toHaveLength(2);
  });

  it('l’allineamento per giorno della settimana mantiene il giorno, alla data più vicina', () => {
    // Friday 30/10/2026 → Friday 29/10/2027 (a whole number of weeks, nearest to the same date)
    expect(shiftClosure('2026-10-30', '2026-10-30', 1, 'giorno_settimana')).toEqual({ from: '2027-10-29', to: '2027-10-29' });
    expect(shiftClosure('2026-10-30', '2026-11-02', 1, 'data')).toEqual({ from: '2027-10-30', to: '2027-11-02' });
    expect(shiftClosure('2028-02-29', '2028-02-29', 1, 'data')).toEqual({ from: '2029-02-28', to: '2029-02-28' });
  });
});
