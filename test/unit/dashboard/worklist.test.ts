import { describe, expect, it } from 'vitest';
import { VALID_PAYER, type TestApp } from '../../support/backend';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { count, enrollPupil, useAttendanceApp, type Base } from '../attendance/fixtures';

let app: TestApp;
let base: Base;
// Thursday 10 September 2026: the pupils are enrolled (activated) before the service starts on the 14th
useAttendanceApp((a, b) => {
  app = a;
  base = b;
}, '2026-09-10T08:00:00Z');

/** Monday 12 October 2026, 10:00 in Rome: both cutoffs passed, nothing ever closed. */
const MONDAY = '2026-10-12T08:00:00Z';
const closures = () => app.database.sqlite.prepare('SELECT date FROM day_closures ORDER BY date').pluck().all() as string[];

describe('lista del giorno: giornate passate da chiudere', () => {
  it('conta per comune i giorni di servizio passati non chiusi, dal primo iscritto a oggi (orario limite superato)', async () => {
    await enrollPupil(app, base);
    await app.travel(MONDAY);
    const w = await app.call('dashboard.worklist', {}, 'operatore');
    // 14 Sep – 12 Oct: 21 weekdays, no holiday; Cassino has no pupil enrolled: nothing to close there
    expect(w.arrears.days).toBe(21);
    expect(w.arrears.municipalities).toEqual([
      { municipalityId: base.clusone.id, municipalityName: 'Clusone', days: 21, from: '2026-09-14', to: '2026-10-12', schools: ['Primaria Clusone'] },
    ]);
    // before the cutoff, today is not yet due
    await app.travel('2026-10-12T07:00:00Z');
    expect((await app.call('dashboard.worklist', {}, 'operatore')).arrears.days).toBe(20);
  });

  it('chiude tutte le giornate arretrate in ordine, ciascuna registrata nel registro; poi non resta nulla da chiudere', async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel(MONDAY);
    const r = await app.call('dashboard.closeArrears', {}, 'operatore');
    expect(r).toMatchObject({ closedDays: 21, meals: 21, failure: null });
    expect(r.message).toBe('Chiuse 21 giornate arretrate, 21 pasti registrati.');
    expect(r.byMunicipality).toEqual([{ municipalityId: base.clusone.id, municipalityName: 'Clusone', days: 21, meals: 21, from: '2026-09-14', to: '2026-10-12' }]);
    const days = closures();
    expect(days).toHaveLength(21);
    expect(days[0]).toBe('2026-09-14');
    // each day charged once to the pupil, each close on record in order
    expect(count(app, "SELECT count(*) AS n FROM ledger_entries l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.pupil_id = ? AND l.kind = 'addebito_pasto'", pupil.id)).toBe(21);
    const audited = app.database.sqlite
      .prepare("SELECT entity_id FROM audit_log WHERE procedure = 'dashboard.closeArrears' AND action = 'chiusura giornata arretrata' ORDER BY id")
      .pluck()
      .all() as string[];
    expect(audited.map((id) => id.split(':')[1])).toEqual(days);
    expect((await app.call('dashboard.worklist', {}, 'operatore')).arrears.days).toBe(0);
    const again = await app.call('dashboard.closeArrears', {}, 'operatore');
    expect(again).toMatchObject({ closedDays: 0, message: 'Nessuna giornata arretrata da chiudere.' });
  });

  it('si ferma alla prima giornata che non riesce: le precedenti restano chiuse, quella e le successive no, con il motivo in italiano', async () => {
    await enrollPupil(app, base);
    await app.travel(MONDAY);
    app.database.sqlite.exec(
      "CREATE TEMP TRIGGER blocca BEFORE INSERT ON day_closures WHEN NEW.date = '2026-10-01' BEGIN SELECT RAISE(ABORT, 'Giornata bloccata per prova'); END",
    );
    const r = await app.call('dashboard.closeArrears', {}, 'operatore');
    expect(r.closedDays).toBe(13); // 14 Sep – 30 Sep
    expect(r.failure).toEqual({ municipalityId: base.clusone.id, municipalityName: 'Clusone', date: '2026-10-01', message: 'Giornata bloccata per prova' });
    expect(r.message).toBe(
      'Chiuse 13 giornate arretrate, 13 pasti registrati. Chiusura interrotta al 01/10/2026 (Comune di Clusone): Giornata bloccata per prova. Le giornate successive restano da chiudere.',
    );
    expect(closures().at(-1)).toBe('2026-09-30');
    expect(count(app, "SELECT count(*) AS n FROM meals WHERE date >= '2026-10-01'")).toBe(0);
    app.database.sqlite.exec('DROP TRIGGER blocca');
    expect((await app.call('dashboard.closeArrears', {}, 'operatore')).closedDays).toBe(8);
  });

  it('la chiusura delle giornate arretrate ha il ruolo della chiusura a mano: nessuna sessione, nessuna chiusura', async () => {
    await enrollPupil(app, base);
    await app.travel(MONDAY);
    const refused = await app.backend.call('dashboard.closeArrears', {}, null);
    expect(refused.ok).toBe(false);
    expect(closures()).toEqual([]);
  });
});

describe('lista del giorno: le altre voci', () => {
  it('conta avvisi, disdette di oggi e tardive, bozze, paganti SDD senza mandato, distinta del mese, vacanze mancanti; le diete solo al supervisore', async () => {
    const a = await enrollPupil(app, base);
    const b = await enrollPupil(app, base);
    await enrollPupil(app, base, { activate: false });
    await app.travel('2026-10-12T07:00:00Z'); // 09:00 in Rome: Clusone's cutoff is 09:30
    await app.call('attendance.cancelDay', { pupilId: a.pupil.id, date: '2026-10-12' }, 'operatore');
    await app.travel('2026-10-12T07:45:00Z');
    await app.call('attendance.cancelDay', { pupilId: b.pupil.id, date: '2026-10-12' }, 'operatore');
    const w = await app.call('dashboard.worklist', {}, 'operatore');
    expect(w).toMatchObject({
      today: '2026-10-12',
      unreadNotices: 0,
      cancellationsToday: 1,
      lateCancellationsToday: 1,
      draftEnrollments: 1,
      // the fixtures' enrollments are SDD, and the payer has no mandate
      sddWithoutMandate: 1,
      sddBatchMonth: '2026-09',
      dietsToApprove: null,
    });
    expect(w.missingBreaks.filter((m) => m.schoolYearLabel === '2026/2027').map((m) => [m.municipalityName, m.christmas, m.easter])).toEqual([
      ['Cassino', true, true],
      ['Clusone', true, true],
    ]);
    expect((await app.call('dashboard.worklist', {}, 'supervisore')).dietsToApprove).toBe(0);
    // P5: the item opens the payers list filtered on the same rule and year: the same payers
    const missing = await app.call('payers.list', { sddWithoutMandateYearId: w.sddWithoutMandateYearId! }, 'operatore');
    expect(missing.total).toBe(w.sddWithoutMandate);
    expect(missing.rows.map((r) => r.id)).toEqual([base.payerId]);
    // a payer without SDD enrollments is not among them
    const other = await app.call(
      'payers.create',
      { ...VALID_PAYER, firstName: 'Luca', lastName: 'Neri', taxCode: buildCodiceFiscale({ lastName: 'Neri', firstName: 'Luca', birthDate: '1984-02-03', sex: 'M', belfiore: 'C800' }), iban: null, ibanHolder: null },
      'operatore',
    );
    expect((await app.call('payers.list', {}, 'operatore')).rows.map((r) => r.id)).toContain(other.id);
    expect((await app.call('payers.list', { sddWithoutMandateYearId: w.sddWithoutMandateYearId! }, 'operatore')).total).toBe(1);
    // a Christmas break for the whole municipality of Clusone: only Easter is missing there
    await app.call('calendar.closures.create', { scope: 'comune', municipalityId: base.clusone.id, from: '2026-12-24', to: '2027-01-06', kind: 'vacanza', reason: 'Natale' }, 'amministratore');
    const after = await app.call('dashboard.worklist', {}, 'operatore');
    expect(after.missingBreaks.find((m) => m.municipalityName === 'Clusone' && m.schoolYearLabel === '2026/2027')).toMatchObject({ christmas: false, easter: true });
  });
});
