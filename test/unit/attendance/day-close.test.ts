import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { silentLogger, type TestApp } from '../../support/backend';
import { runDueDayCloses, startDayCloseScheduler } from '../../../electron/attendance/scheduler';
import { main as rette } from '../../../electron/cli/rette';
import { count, enrollPupil, useAttendanceApp, type Base } from './fixtures';
import { suspend } from '../debts/suspension-fixtures';

let app: TestApp;
let base: Base;
// Monday 5 October 2026, 08:00 in Rome
useAttendanceApp((a, b) => {
  app = a;
  base = b;
});

const meals = (date: string) =>
  app.database.sqlite.prepare('SELECT pupil_id AS pupilId, plain, price_cents AS price, tariff_id AS tariffId FROM meals WHERE date = ? ORDER BY pupil_id').all(date) as {
    pupilId: number;
    plain: number;
    price: number | null;
    tariffId: number | null;
  }[];
const deps = () => ({ database: app.database, clock: app.clock, logger: silentLogger });

describe('pasti attesi di un giorno (A1, E4, E6)', () => {
  it('A1: ogni alunno iscritto è prenotato in ogni giorno di servizio della sua classe; E4: solo nei giorni scelti', async () => {
    const all = await enrollPupil(app, base);
    const monWed = await enrollPupil(app, base, { weekdays: [1, 3] });
    const cassino = await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    const draft = await enrollPupil(app, base, { activate: false });
    const ids = async (date: string) => (await app.call('attendance.expected', { date })).rows.map((r) => r.pupilId).sort((a, b) => a - b);
    expect(await ids('2026-10-12')).toEqual([all.pupil.id, monWed.pupil.id, cassino.pupil.id]); // Monday
    expect(await ids('2026-10-13')).toEqual([all.pupil.id]); // Tuesday: Cassino's school does not serve
    expect(await ids('2026-10-14')).toEqual([all.pupil.id, monWed.pupil.id, cassino.pupil.id]);
    expect(await ids('2026-10-17')).toEqual([]); // Saturday
    expect(await ids('2026-12-08')).toEqual([]); // holiday
    expect(await ids('2026-10-12')).not.toContain(draft.pupil.id);
    const page = await app.call('attendance.expected', { date: '2026-10-12', schoolId: base.school.id });
    expect(page.rows[0]).toMatchObject({ schoolName: 'Primaria Clusone', className: '3A', plain: false });
    expect(page.total).toBe(2);
  });

  it('E6: dalla data del ritiro nessun pasto è prenotato; una sospensione ferma le prenotazioni dalla sua data', async () => {
    const w = await enrollPupil(app, base);
    const s = await enrollPupil(app, base);
    await app.call('enrollments.withdraw', { id: w.enrollment.id, date: '2026-10-14', reason: 'Trasferimento' }, 'operatore');
    const [suspension] = await suspend(app, { payerId: base.payerId, municipalityId: base.clusone.id, pupilIds: [s.pupil.id], startsOn: '2026-10-15' });
    const ids = async (date: string) => (await app.call('attendance.expected', { date })).rows.map((r) => r.pupilId);
    expect(await ids('2026-10-13')).toEqual(expect.arrayContaining([w.pupil.id, s.pupil.id]));
    expect(await ids('2026-10-14')).not.toContain(w.pupil.id);
    expect(await ids('2026-10-14')).toContain(s.pupil.id);
    expect(await ids('2026-10-15')).not.toContain(s.pupil.id);
    // lifted from its start: booked again
    await app.call('debts.suspensions.lift', { suspensionIds: [suspension.id], reason: 'pagamento' }, 'supervisore');
    expect(await ids('2026-10-15')).toContain(s.pupil.id);
    // E6 also for cancellations: nothing to cancel after the withdrawal
    const r = await app.call('attendance.cancelDay', { pupilId: w.pupil.id, date: '2026-10-16' }, 'operatore');
    expect(r.message).toMatch(/ritirato dal servizio dal 14\/10\/2026: nessun pasto/);
  });
});

describe('chiusura della giornata', () => {
  it('trasforma le prenotazioni in pasti registrati con il prezzo del giorno; eseguita due volte non registra nulla due volte', async () => {
    const a = await enrollPupil(app, base);
    const b = await enrollPupil(app, base);
    const c = await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    await app.travel('2026-10-12T06:00:00Z');
    await app.call('attendance.plainMeal', { pupilId: a.pupil.id, date: '2026-10-12' }, 'operatore');
    await app.call('attendance.cancelDay', { pupilId: b.pupil.id, date: '2026-10-12' }, 'operatore');
    await app.travel('2026-10-12T07:40:00Z'); // 09:40: both cutoffs passed
    const first = await app.call('attendance.closeDay', { date: '2026-10-12' }, 'operatore');
    expect(first.results.map((r) => [r.municipalityName, r.status, r.meals, r.plainMeals])).toEqual([
      ['Cassino', 'chiusa', 1, 0],
      ['Clusone', 'chiusa', 1, 1],
    ]);
    expect(meals('2026-10-12')).toEqual([
      { pupilId: a.pupil.id, plain: 1, price: 618, tariffId: expect.any(Number) },
      { pupilId: c.pupil.id, plain: 0, price: null, tariffId: null }, // no Cassino tariff yet
    ]);
    const second = await app.call('attendance.closeDay', { date: '2026-10-12' }, 'operatore');
    expect(second.results.every((r) => r.status === 'gia_chiusa')).toBe(true);
    expect(second.results[1].message).toMatch(/nulla è stato registrato di nuovo/);
    expect(count(app, 'SELECT count(*) AS n FROM meals')).toBe(2);
    expect(count(app, 'SELECT count(*) AS n FROM day_closures')).toBe(2);
    const status = await app.call('attendance.dayStatus', { date: '2026-10-12' });
    expect(status.find((s) => s.municipalityName === 'Clusone')).toMatchObject({ closed: true, mode: 'manuale', meals: 1, cutoffAt: '2026-10-12T07:30:00.000Z', cutoffPassed: true });
  });

  it('A2: un giorno non si chiude prima del suo orario limite (le famiglie possono ancora disdire); senza Comune si chiudono gli altri', async () => {
    await enrollPupil(app, base);
    await app.travel('2026-10-12T07:10:00Z'); // 09:10: Cassino (09:00) passed, Clusone (09:30) not
    const err = await app.fail('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/si chiude dall'orario limite delle 09:30/);
    const r = await app.call('attendance.closeDay', { date: '2026-10-12' }, 'operatore');
    expect(r.results.map((x) => [x.municipalityName, x.status])).toEqual([
      ['Cassino', 'chiusa'],
      ['Clusone', 'non_ancora'],
    ]);
  });

  it('dopo la chiusura una rettifica si registra a parte, con audit, e il pasto originale resta', async () => {
    const a = await enrollPupil(app, base);
    const b = await enrollPupil(app, base, { weekdays: [2, 3, 4, 5] }); // not booked on Monday
    await app.travel('2026-10-12T08:00:00Z');
    // before the close there is nothing to correct
    expect((await app.fail('attendance.correctMeal', { pupilId: a.pupil.id, date: '2026-10-12', present: false, reason: 'Assente' }, 'operatore')).message).toMatch(/non è ancora chiusa/);
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id });
    const absent = await app.call('attendance.correctMeal', { pupilId: a.pupil.id, date: '2026-10-12', present: false, reason: 'Uscito prima di pranzo, avvisato entro le 9' }, 'operatore');
    expect(absent.before).toEqual({ present: true, plain: false });
    expect(absent.correction).toMatchObject({ present: false, origin: 'rettifica', priceCents: 618, mealId: expect.any(Number) });
    const present = await app.call('attendance.correctMeal', { pupilId: b.pupil.id, date: '2026-10-12', present: true, reason: 'Si è fermato a mangiare' }, 'operatore');
    expect(present.correction).toMatchObject({ present: true, mealId: null, priceCents: 618, schoolId: base.school.id, classId: base.cls.id });
    expect(count(app, 'SELECT count(*) AS n FROM meals WHERE date = ?', '2026-10-12')).toBe(1); // the original is untouched
    const again = await app.fail('attendance.correctMeal', { pupilId: a.pupil.id, date: '2026-10-12', present: false, reason: 'di nuovo' }, 'operatore');
    expect(again.message).toMatch(/Nessuna modifica/);
    const audit = app.database.sqlite.prepare("SELECT username, action, before_json AS b FROM audit_log WHERE entity = 'rettifica_pasto' ORDER BY id").all() as { username: string; action: string; b: string }[];
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ username: 'operatore', action: 'rettifica presenza' });
    expect(JSON.parse(audit[0].b)).toEqual({ present: true, plain: false });
    const report = await app.call('kitchen.report', { date: '2026-10-12', municipalityId: base.clusone.id });
    expect(report.meals).toBe(1); // a out, b in
    const corrections = await app.call('attendance.corrections', { from: '2026-10-12', to: '2026-10-12' });
    expect(corrections).toHaveLength(2);
    // each row names its pupil, so the list needs no call per pupil
    for (const [c, p] of [[corrections[0], a.pupil], [corrections[1], b.pupil]] as const) {
      expect(c).toMatchObject({ pupilId: p.id, pupilName: `${p.lastName} ${p.firstName}`, userCode: p.userCode });
    }
    expect((await app.fail('attendance.correctMeal', { pupilId: a.pupil.id, date: '2026-10-12', present: true, reason: 'x' }, 'operatore')).issues[0].path).toEqual(['reason']);
  });

  it('una disdetta in tempo che arriva in ufficio dopo la chiusura è rispettata: il pasto è rettificato e l’ufficio avvisato', async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T07:31:00Z');
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id });
    // a moment typed by the office after the cutoff counts only as a supervisor's override (issue 7)
    const r = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12', source: 'portale', actedAt: '2026-10-12T07:29:00Z', override: { reason: 'Disdetta dal portale delle 09:29' } }, 'supervisore');
    expect(r.accepted).toBe(true);
    expect(r.outcome).toBe('accettata_con_deroga');
    expect(r.warnings).toEqual(['La giornata del 12/10/2026 era già chiusa: la presenza registrata è stata rettificata']);
    const [c] = await app.call('attendance.corrections', { pupilId: pupil.id });
    expect(c).toMatchObject({ present: false, origin: 'disdetta_in_tempo' });
    const notices = await app.call('attendance.notices', {});
    expect(notices[0]).toMatchObject({ kind: 'richiesta_dopo_chiusura', date: '2026-10-12' });
  });
});

describe('la chiusura automatica (scheduler)', () => {
  it("chiude la giornata di ogni Comune al suo orario limite mentre il programma è in funzione", async () => {
    await enrollPupil(app, base);
    await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    await app.travel('2026-10-12T06:00:00Z');
    expect(runDueDayCloses(deps())).toEqual([]); // first run: starts from today, nothing due before the cutoffs
    await app.travel('2026-10-12T07:00:30Z'); // 09:00:30: Cassino
    expect(runDueDayCloses(deps()).map((r) => [r.municipalityName, r.date, r.mode, r.meals])).toEqual([['Cassino', '2026-10-12', 'automatica', 1]]);
    await app.travel('2026-10-12T07:30:00Z'); // 09:30:00: Clusone
    expect(runDueDayCloses(deps()).map((r) => [r.municipalityName, r.mode, r.meals])).toEqual([['Clusone', 'automatica', 1]]);
    expect(runDueDayCloses(deps())).toEqual([]);
    expect(await app.call('attendance.notices', {})).toEqual([]);
    const audit = app.database.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE username = 'sistema' AND procedure = 'attendance.scheduler'").get() as { n: number };
    expect(audit.n).toBe(2);
  });

  it('un giorno in cui il programma era spento si chiude all’avvio successivo, con un avviso', async () => {
    await enrollPupil(app, base);
    await app.travel('2026-10-12T06:00:00Z');
    runDueDayCloses(deps()); // the program ran on Monday morning…
    await app.travel('2026-10-14T10:00:00Z'); // …and is started again on Wednesday at noon
    const closed = runDueDayCloses(deps());
    expect(closed.filter((r) => r.municipalityName === 'Clusone').map((r) => [r.date, r.mode, r.meals])).toEqual([
      ['2026-10-12', 'recupero', 1],
      ['2026-10-13', 'recupero', 1],
      ['2026-10-14', 'recupero', 1],
    ]);
    const notices = await app.call('attendance.notices', {}, 'operatore');
    expect(notices.map((n) => n.date)).toEqual(['2026-10-14', '2026-10-13', '2026-10-12']);
    expect(notices[2].message).toBe(
      "La giornata del 12/10/2026 del Comune di Clusone è stata chiusa alla riapertura del programma (all'orario limite il programma non era in funzione): 1 pasti registrati.",
    );
    const read = await app.call('attendance.markNoticesRead', { ids: notices.map((n) => n.id) }, 'operatore');
    expect(read.marked).toBe(3);
    expect(await app.call('attendance.notices', {})).toEqual([]);
    expect(await app.call('attendance.notices', { unreadOnly: false })).toHaveLength(3);
  });

  it('il timer esegue il recupero poco dopo l’avvio e si ferma in modo pulito', async () => {
    await enrollPupil(app, base);
    await app.travel('2026-10-12T06:00:00Z');
    runDueDayCloses(deps());
    await app.travel('2026-10-13T10:00:00Z');
    const s = startDayCloseScheduler(deps(), { firstDelayMs: 1, intervalMs: 60_000 });
    const closed = () => count(app, 'SELECT count(*) AS n FROM day_closures WHERE municipality_id = ?', base.clusone.id);
    for (let waited = 0; closed() < 2 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    s.stop();
    expect(closed()).toBe(2);
  });

  it('rette close-day --date chiude la giornata dalla riga di comando', async () => {
    await enrollPupil(app, base);
    await app.travel('2026-10-12T08:00:00Z');
    const file = path.join(app.dir, 'rette.sqlite');
    // the CLI opens its own connection on the real clock: close a day well in the past
    await app.call('calendar.closures.list', {});
    const log: string[] = [];
    const orig = console.log;
    console.log = (m: string) => log.push(m);
    try {
      expect(await rette(['close-day', '--date', '2026-10-12', '--db', file])).toBe(0);
      expect(await rette(['close-day', '--date', '2026-10-12', '--comune', String(base.clusone.id), '--db', file])).toBe(0);
    } finally {
      console.log = orig;
    }
    const first = JSON.parse(log[0]) as { results: { municipalityName: string; status: string; meals: number }[] };
    expect(first.results.find((r) => r.municipalityName === 'Clusone')).toMatchObject({ status: 'chiusa', meals: 1 });
    expect(JSON.parse(log[1]).results[0].status).toBe('gia_chiusa');
    expect(count(app, 'SELECT count(*) AS n FROM meals')).toBe(1);
  });
});
