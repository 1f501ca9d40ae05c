import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { TestApp } from '../../support/backend';
import { enrollPupil, useAttendanceApp, type Base } from './fixtures';

let app: TestApp;
let base: Base;
// Monday 5 October 2026, 08:00 in Rome
useAttendanceApp((a, b) => {
  app = a;
  base = b;
});

describe('A8: storico delle presenze', () => {
  it('A8: mostra giorni prenotati, disdetti, disdetti in ritardo, in bianco, chiusi, assenti e senza servizio, e il riepilogo del mese', async () => {
    const { pupil } = await enrollPupil(app, base, { weekdays: [1, 2, 3, 4] }); // not on Fridays
    await app.call('calendar.closures.create', { scope: 'classe', classId: base.cls.id, from: '2026-10-14', to: '2026-10-14', kind: 'gita', reason: 'Gita al lago' });
    await app.travel('2026-10-12T05:00:00Z'); // Monday 07:00
    await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-13', source: 'portale' }, 'operatore');
    await app.call('attendance.plainMeal', { pupilId: pupil.id, date: '2026-10-15' }, 'operatore');
    await app.call('attendance.startProlonged', { pupilId: pupil.id, from: '2026-10-19' }, 'operatore');
    await app.call('attendance.reactivate', { pupilId: pupil.id, from: '2026-10-21' }, 'operatore');
    await app.travel('2026-10-12T07:45:00Z'); // 09:45: today's cancellation is late
    await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12', source: 'app' }, 'operatore');
    await app.call('attendance.closeDay', { date: '2026-10-12' });

    const h = await app.call('attendance.history', { pupilId: pupil.id, from: '2026-10-12', to: '2026-10-21' });
    expect(h.days.map((d) => [d.date, d.status, d.charged, d.plain])).toEqual([
      ['2026-10-12', 'disdetta_tardiva', true, false], // late: charged (A2)
      ['2026-10-13', 'disdetto', false, false],
      ['2026-10-14', 'chiuso', false, false], // the class trip (A7)
      ['2026-10-15', 'prenotato', true, true],
      ['2026-10-16', 'non_fruito', false, false], // Friday not chosen (E4)
      ['2026-10-17', 'non_servizio', false, false],
      ['2026-10-18', 'non_servizio', false, false],
      ['2026-10-19', 'assente', false, false],
      ['2026-10-20', 'assente', false, false],
      ['2026-10-21', 'prenotato', true, false], // reactivated (A3)
    ]);
    expect(h.days[0]).toMatchObject({ dayClosed: true, recorded: true, lateCancellation: true, attempts: 1, label: 'Disdetta tardiva: pasto addebitato' });
    expect(h.days[2].noService).toBe('Gita / uscita didattica: Gita al lago (classe)');
    expect(h.months).toEqual([
      { month: '2026-10', serviceDays: 6, meals: 3, plain: 1, cancelled: 1, lateCancelled: 1, absent: 2, closed: 1, corrected: 0, toClose: 0 },
    ]);
  });

  it('A8: un giorno rettificato mostra la rettifica, e lo storico si esporta in Excel: fino a oggi, con il nome dell’alunno nel file e nell’intestazione', async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T08:00:00Z');
    await app.call('attendance.closeDay', { date: '2026-10-12' });
    await app.call('attendance.correctMeal', { pupilId: pupil.id, date: '2026-10-12', present: false, reason: 'Assente, disdetta telefonica non registrata' }, 'operatore');
    const h = await app.call('attendance.history', { pupilId: pupil.id, from: '2026-10-12', to: '2026-10-12' });
    expect(h.days[0]).toMatchObject({ status: 'rettificato_assente', charged: false, recorded: true, correction: { present: false, reason: 'Assente, disdetta telefonica non registrata' } });
    const file = await app.call('attendance.historyExport', { pupilId: pupil.id, from: '2026-10-01', to: '2026-10-31' });
    // 1 – 12 October: the days after today are not history
    expect(file.rows).toBe(12);
    const slug = `${pupil.lastName} ${pupil.firstName}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    expect(file.fileName).toBe(`presenze-${slug}-2026-10-01-2026-10-12.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe(`Storico presenze di ${pupil.lastName} ${pupil.firstName} (codice utente ${pupil.userCode})`);
    expect(ws.getRow(2).getCell(1).value).toBe('dal 01/10/2026 al 12/10/2026 (fino a oggi)');
    expect(ws.getRow(4).getCell(1).value).toBe('Data');
    expect(ws.rowCount).toBe(4 + 12);
    const row = ws.getRow(4 + 12); // 12 October
    expect(row.getCell(3).value).toBe('Assente (rettifica)');
    expect(row.getCell(7).value).toBe('assente: Assente, disdetta telefonica non registrata');
    // a period that starts after today: nothing to export, said in Italian
    const err = await app.fail('attendance.historyExport', { pupilId: pupil.id, from: '2026-10-13', to: '2026-10-31' });
    expect(err.message).toBe('Lo storico presenze si esporta fino a oggi (12/10/2026): il periodo scelto inizia dopo');
  });

  it('una giornata passata non ancora chiusa è «da chiudere»: non conta fra i pasti addebitati finché non si chiude', async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-07T07:45:00Z'); // Wednesday 09:45: Clusone's cutoff (09:30) passed, nothing closed
    const h = await app.call('attendance.history', { pupilId: pupil.id, from: '2026-10-05', to: '2026-10-08' });
    expect(h.days.map((d) => [d.date, d.status, d.charged])).toEqual([
      ['2026-10-05', 'da_chiudere', false],
      ['2026-10-06', 'da_chiudere', false],
      ['2026-10-07', 'da_chiudere', false], // today, after the cutoff
      ['2026-10-08', 'prenotato', true], // tomorrow: still open to requests
    ]);
    expect(h.days[0].label).toBe('Da chiudere: prenotato, non ancora registrato né addebitato');
    expect(h.months[0]).toMatchObject({ meals: 1, toClose: 3 });
    await app.call('attendance.closeDay', { date: '2026-10-05' });
    const after = await app.call('attendance.history', { pupilId: pupil.id, from: '2026-10-05', to: '2026-10-05' });
    expect(after.days[0]).toMatchObject({ status: 'consumato', charged: true });
  });

  it('refuses more than 400 days at once', async () => {
    const { pupil } = await enrollPupil(app, base);
    const err = await app.fail('attendance.history', { pupilId: pupil.id, from: '2026-01-01', to: '2027-12-31' });
    expect(err.issues[0]).toMatchObject({ path: ['to'], message: 'Al massimo 400 giorni per volta' });
  });
});
