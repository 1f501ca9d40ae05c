/**
 * Suspension of the service (issue 11, D2) through the contract: a recorded decision that follows
 * a formal notice delivered to the family at least the notice's days before its start; refused
 * for exempt families and where the regulation does not allow it; its days are never booked nor
 * charged, whether closed before or after the lift, also by the catch-up close at the next start;
 * the presence history shows them as suspended; the kitchen sees only "no meal" (D3); a pupil may
 * be suspended and readmitted several times. And the refusal of next year's enrollment.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { romeMoment } from '../../../electron/calendar/rome-time';
import { runDueDayCloses } from '../../../electron/attendance/scheduler';
import { createTestApp, silentLogger, type TestApp } from '../../support/backend';
import { closeDays } from '../statements/money-fixtures';
import { addFamily, pay, seedAttendance, type Base, type Family } from './fixtures';
import { allowSuspension, deliveredNotice } from './suspension-fixtures';

let app: TestApp;
let base: Base;
let rossi: Family; // two pupils, owes money
let clusone: number;

// Monday 5 October 2026, 08:00 in Rome
beforeEach(async () => {
  app = await createTestApp('2026-10-05T06:00:00Z');
  base = await seedAttendance(app);
  clusone = base.clusone.id;
  rossi = await addFamily(app, base, { pupils: 2 });
});
afterEach(() => app.close());

const family = () => ({ payerId: rossi.payerId, municipalityId: clusone });
const create = (startsOn: string, pupilIds = rossi.pupilIds, role: 'supervisore' | 'operatore' = 'supervisore') =>
  app.call('debts.suspensions.create', { ...family(), pupilIds, startsOn, reason: 'Morosità persistente dopo la diffida' }, role);
const createFails = (startsOn: string, pupilIds = rossi.pupilIds) => app.fail('debts.suspensions.create', { ...family(), pupilIds, startsOn, reason: 'Morosità persistente dopo la diffida' }, 'supervisore');
const mealsOf = (pupilId: number) => (app.database.sqlite.prepare('SELECT date FROM meals WHERE pupil_id = ? ORDER BY date').all(pupilId) as { date: string }[]).map((r) => r.date);
const chargesOf = (pupilId: number) =>
  (
    app.database.sqlite
      .prepare("SELECT le.service_date AS d FROM ledger_entries le JOIN ledger_accounts a ON a.id = le.account_id WHERE a.pupil_id = ? AND le.kind = 'addebito_pasto' ORDER BY le.service_date")
      .all(pupilId) as { d: string }[]
  ).map((r) => r.d);

describe('D2: quando si può sospendere', () => {
  it('D2: una sospensione che inizia prima della consegna della diffida più i suoi giorni è rifiutata, e il motivo è detto in italiano', async () => {
    await allowSuspension(app, clusone, { daysToPay: 7 });
    // no notice yet: refused
    const none = await app.call('debts.suspensions.check', { ...family(), startsOn: '2026-10-19' }, 'operatore');
    expect(none.allowed).toBe(false);
    expect(none.problems.map((p) => p.message)).toEqual(['La famiglia non ha debiti verso il servizio mensa di Clusone: non c\'è motivo di sospendere']);
    // the family comes to owe 60 €; the notice is sent and delivered today
    const notice = await deliveredNotice(app, { ...family(), pupilId: rossi.pupilIds[0], deliveredOn: '2026-10-05' });
    const early = await createFails('2026-10-09');
    expect(early).toMatchObject({ code: 'VALIDATION' });
    expect(early.issues).toContainEqual({ path: ['startsOn'], message: 'La diffida «Diffida e messa in mora» è stata consegnata il 05/10/2026 con 7 giorni per pagare: la sospensione può iniziare al più presto il 12/10/2026' });
    expect(app.database.sqlite.prepare('SELECT count(*) AS n FROM service_suspensions').get()).toEqual({ n: 0 });
    // the preview says the same and proposes the first possible date
    const check = await app.call('debts.suspensions.check', { ...family(), startsOn: '2026-10-09' }, 'operatore');
    expect(check).toMatchObject({ allowed: false, earliestStart: '2026-10-12', owedCents: 6000 });
    // the database refuses it too, whoever writes
    const e = rossiEnrollment(rossi.pupilIds[0]);
    expect(() =>
      app.database.sqlite
        .prepare("INSERT INTO service_suspensions (enrollment_id, pupil_id, payer_id, municipality_id, starts_on, reason, notice_step_id, decided_at) VALUES (?, ?, ?, ?, '2026-10-09', 'Prova', ?, '2026-10-05T08:00:00.000Z')")
        .run(e, rossi.pupilIds[0], rossi.payerId, clusone, notice.id),
    ).toThrow(/segue una diffida consegnata/);
    // from delivery + 7 days: recorded, following that notice
    const rows = await create('2026-10-12');
    expect(rows.map((r) => r.pupilId).sort()).toEqual([...rossi.pupilIds].sort());
    for (const r of rows) expect([r.startsOn, r.status, r.notice?.stepId, r.notice?.deliveredOn, r.reason]).toEqual(['2026-10-12', 'programmata', notice.id, '2026-10-05', 'Morosità persistente dopo la diffida']);
  });

  it('D2: una diffida in attesa della ricevuta di consegna, o un regolamento che non lo consente, rifiutano la sospensione', async () => {
    await allowSuspension(app, clusone, { allowed: false });
    const [pupil] = rossi.pupilIds;
    const { charge } = await import('./fixtures');
    charge(app, pupil, 6000, '2026-10-01');
    await app.call('debts.steps.record', { stepPosition: 1, families: [family()] }, 'operatore');
    const r = await createFails('2026-10-26');
    expect(r.issues?.map((i) => i.message)).toEqual([
      'Il regolamento del comune di Clusone non consente la sospensione del servizio (impostazione della procedura di recupero)',
      'La diffida del 05/10/2026 (Raccomandata con ricevuta di ritorno) è in attesa della prova di consegna: si sospende solo dopo una diffida consegnata',
    ]);
  });

  it('D2: una famiglia esente (seguita dai servizi sociali) non può essere sospesa', async () => {
    await allowSuspension(app, clusone);
    await deliveredNotice(app, { ...family(), pupilId: rossi.pupilIds[0] });
    await app.call('debts.exemptions.grant', { payerId: rossi.payerId, reason: 'Nucleo seguito dai servizi sociali', reference: 'Prot. 123/2026' }, 'supervisore');
    const r = await createFails('2026-10-19');
    expect(r.issues).toEqual([{ path: ['payerId'], message: 'La famiglia è seguita dai servizi sociali (esente dal 05/10/2026, rif. Prot. 123/2026): non può essere sospesa' }]);
    expect(app.database.sqlite.prepare('SELECT count(*) AS n FROM service_suspensions').get()).toEqual({ n: 0 });
  });

  it('solo il supervisore sospende e revoca; un alunno senza iscrizione attiva di quel comune non si sospende', async () => {
    await allowSuspension(app, clusone);
    await deliveredNotice(app, { ...family(), pupilId: rossi.pupilIds[0] });
    expect((await app.fail('debts.suspensions.create', { ...family(), pupilIds: rossi.pupilIds, startsOn: '2026-10-19', reason: 'Morosità' }, 'operatore')).code).toBe('FORBIDDEN');
    const other = await addFamily(app, base);
    const r = await createFails('2026-10-19', [other.pupilIds[0]]);
    expect(r.issues).toEqual([{ path: ['pupilIds', 0], message: "L'alunno non è un figlio di questa famiglia iscritto nel comune di Clusone" }]);
    await app.call('enrollments.withdraw', { id: rossiEnrollment(rossi.pupilIds[1]), date: '2026-10-16', reason: 'Trasferimento' }, 'operatore');
    const w = await createFails('2026-10-19', [rossi.pupilIds[1]]);
    expect(w.issues?.[0].message).toMatch(/: ritirato dal servizio dal 16\/10\/2026$/);
  });
});

function rossiEnrollment(pupilId: number): number {
  return (app.database.sqlite.prepare('SELECT id FROM enrollments WHERE pupil_id = ? ORDER BY id LIMIT 1').get(pupilId) as { id: number }).id;
}

describe('D2: i giorni sospesi', () => {
  it("D2: i giorni di una sospensione non sono mai prenotati né addebitati, chiusi prima o dopo la revoca, anche dalla chiusura di recupero all'avvio successivo", async () => {
    await allowSuspension(app, clusone);
    await deliveredNotice(app, { ...family(), pupilId: rossi.pupilIds[0] });
    const [suspended, sibling] = rossi.pupilIds;
    const [s] = await create('2026-10-12', [suspended]);
    // Monday and Tuesday are closed during the suspension
    await closeDays(app, ['2026-10-12', '2026-10-13']);
    // the program is off on Wednesday; on Thursday morning, before the cutoff, the family has paid and the supervisor lifts
    await app.travel(romeMoment('2026-10-15', '08:00').toISOString());
    pay(app, suspended, 6000, '2026-10-15');
    const [lifted] = await app.call('debts.suspensions.lift', { suspensionIds: [s.id], reason: 'pagamento', note: 'Bonifico del 15/10' }, 'supervisore');
    expect(lifted).toMatchObject({ liftedOn: '2026-10-15', liftReason: 'pagamento', liftedBy: 'supervisore' });
    // the catch-up close of Wednesday runs after the lift: still no meal for the suspended pupil
    await app.travel(romeMoment('2026-10-15', '11:00').toISOString());
    const closed = runDueDayCloses({ database: app.database, clock: app.clock, logger: silentLogger });
    expect(closed.filter((r) => r.municipalityName === 'Clusone').map((r) => [r.date, r.mode])).toEqual([
      ['2026-10-14', 'recupero'],
      ['2026-10-15', 'recupero'],
    ]);
    await closeDays(app, ['2026-10-16']);
    expect(mealsOf(suspended)).toEqual(['2026-10-15', '2026-10-16']);
    expect(chargesOf(suspended)).toEqual(['2026-10-15', '2026-10-16']);
    expect(mealsOf(sibling)).toEqual(['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16']);
    // the presence history shows the suspended days as such
    const history = await app.call('attendance.history', { pupilId: suspended, from: '2026-10-12', to: '2026-10-16' }, 'operatore');
    expect(history.days.map((d) => [d.date, d.status, d.charged])).toEqual([
      ['2026-10-12', 'sospeso', false],
      ['2026-10-13', 'sospeso', false],
      ['2026-10-14', 'sospeso', false],
      ['2026-10-15', 'consumato', true],
      ['2026-10-16', 'consumato', true],
    ]);
  });

  it('D2: lo storico delle presenze mostra come sospesi i giorni futuri della sospensione, e una disdetta dice che non c\'è pasto', async () => {
    await allowSuspension(app, clusone);
    await deliveredNotice(app, { ...family(), pupilId: rossi.pupilIds[0] });
    await create('2026-10-14', [rossi.pupilIds[0]]);
    const history = await app.call('attendance.history', { pupilId: rossi.pupilIds[0], from: '2026-10-12', to: '2026-10-18' }, 'operatore');
    expect(history.days.map((d) => [d.date, d.status])).toEqual([
      ['2026-10-12', 'prenotato'],
      ['2026-10-13', 'prenotato'],
      ['2026-10-14', 'sospeso'],
      ['2026-10-15', 'sospeso'],
      ['2026-10-16', 'sospeso'],
      ['2026-10-17', 'non_servizio'],
      ['2026-10-18', 'non_servizio'],
    ]);
    expect(history.days[2].label).toBe('Servizio sospeso');
    const r = await app.call('attendance.cancelDay', { pupilId: rossi.pupilIds[0], date: '2026-10-15' }, 'operatore');
    expect(r.message).toBe('Il servizio è sospeso dal 14/10/2026: nessun pasto prenotato');
  });

  it('D3: il riepilogo della cucina e il suo Excel mostrano solo un pasto in meno: mai il motivo né il debito', async () => {
    await allowSuspension(app, clusone);
    await deliveredNotice(app, { ...family(), pupilId: rossi.pupilIds[0] });
    await create('2026-10-12', [rossi.pupilIds[0]]);
    await app.travel(romeMoment('2026-10-12', '08:00').toISOString());
    const report = await app.call('kitchen.report', { date: '2026-10-12', municipalityId: clusone }, 'operatore');
    expect(report.meals).toBe(1); // the sibling only
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/sospes|moros|debit|diffid|insolut|60,00|6000/i);
    const file = await app.call('kitchen.export', { date: '2026-10-12', municipalityId: clusone }, 'operatore');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.text)))));
    expect(cells.length).toBeGreaterThan(5);
    expect(cells.filter((c) => /sospes|moros|debit|diffid|insolut/i.test(c))).toEqual([]);
    // the expected list of the day (the classes' list) simply leaves the pupil out
    const expected = await app.call('attendance.expected', { date: '2026-10-12' }, 'operatore');
    expect(JSON.stringify(expected)).not.toMatch(/sospes|moros|debit/i);
    expect(expected.rows.map((r) => r.pupilId)).toEqual([rossi.pupilIds[1]]);
  });
});

describe('D2: storia delle sospensioni', () => {
  it('D2: un alunno sospeso e riammesso più volte nello stesso anno: la storia resta, e non si cancella né si riscrive', async () => {
    await allowSuspension(app, clusone);
    await deliveredNotice(app, { ...family(), pupilId: rossi.pupilIds[0] });
    const [pupil] = rossi.pupilIds;
    const [first] = await create('2026-10-12', [pupil]);
    await app.travel(romeMoment('2026-10-19', '08:00').toISOString());
    await app.call('debts.suspensions.lift', { suspensionIds: [first.id], reason: 'decisione', note: 'Colloquio con la famiglia' }, 'supervisore');
    const [second] = await create('2026-10-26', [pupil]);
    // overlapping suspensions: refused by the contract and by the database
    const overlap = await createFails('2026-11-02', [pupil]);
    expect(overlap.issues?.[0].message).toMatch(/già sospeso dal 26\/10\/2026/);
    expect(() =>
      app.database.sqlite
        .prepare("INSERT INTO service_suspensions (enrollment_id, pupil_id, payer_id, municipality_id, starts_on, reason, origin, decided_at) VALUES (?, ?, ?, ?, '2026-10-15', 'Prova', 'pregressa', '2026-10-19T06:00:00.000Z')")
        .run(rossiEnrollment(pupil), pupil, rossi.payerId, clusone),
    ).toThrow(/già una sospensione in quel periodo/);
    await app.travel(romeMoment('2026-11-09', '08:00').toISOString());
    await app.call('debts.suspensions.lift', { suspensionIds: [second.id], liftedOn: '2026-11-10', reason: 'piano' }, 'supervisore');
    const list = await app.call('debts.suspensions.list', { payerId: rossi.payerId }, 'operatore');
    expect(list.map((s) => [s.startsOn, s.liftedOn, s.liftReason, s.status])).toEqual([
      ['2026-10-26', '2026-11-10', 'piano', 'in_corso'],
      ['2026-10-12', '2026-10-19', 'decisione', 'revocata'],
    ]);
    expect((await app.call('debts.suspensions.list', { payerId: rossi.payerId, currentOnly: true }, 'operatore')).map((s) => s.id)).toEqual([second.id]);
    const history = await app.call('attendance.history', { pupilId: pupil, from: '2026-10-16', to: '2026-11-10' }, 'operatore');
    const byDate = new Map(history.days.map((d) => [d.date, d.status]));
    expect([byDate.get('2026-10-16'), byDate.get('2026-10-26'), byDate.get('2026-11-09'), byDate.get('2026-11-10')]).toEqual(['sospeso', 'sospeso', 'sospeso', 'prenotato']);
    // between the two suspensions the pupil was booked again (past days never closed in this test: booked, to be closed)
    for (const d of ['2026-10-19', '2026-10-23']) expect(['prenotato', 'da_chiudere']).toContain(byDate.get(d));
    const db = app.database.sqlite;
    expect(() => db.prepare('DELETE FROM service_suspensions WHERE id = ?').run(first.id)).toThrow(/non si cancella/);
    expect(() => db.prepare("UPDATE service_suspensions SET lifted_on = '2026-10-20' WHERE id = ?").run(first.id)).toThrow(/non si modifica/);
    expect(() => db.prepare("UPDATE service_suspensions SET reason = 'Altro motivo' WHERE id = ?").run(second.id)).toThrow(/non si modifica/);
    const audit = db.prepare("SELECT procedure, action FROM audit_log WHERE entity = 'sospensione' ORDER BY id").all();
    expect(audit).toEqual([
      { procedure: 'debts.suspensions.create', action: 'sospensione del servizio dal 2026-10-12' },
      { procedure: 'debts.suspensions.lift', action: 'revoca della sospensione dal 2026-10-19' },
      { procedure: 'debts.suspensions.create', action: 'sospensione del servizio dal 2026-10-26' },
      { procedure: 'debts.suspensions.lift', action: 'revoca della sospensione dal 2026-11-10' },
    ]);
  });

  it("la revoca non è retroattiva e non riapre giorni già chiusi né il giorno il cui orario limite è passato", async () => {
    await allowSuspension(app, clusone);
    await deliveredNotice(app, { ...family(), pupilId: rossi.pupilIds[0] });
    const [s] = await create('2026-10-12', [rossi.pupilIds[0]]);
    await closeDays(app, ['2026-10-12', '2026-10-13']);
    const past = await app.fail('debts.suspensions.lift', { suspensionIds: [s.id], liftedOn: '2026-10-12', reason: 'pagamento' }, 'supervisore');
    expect(past.issues).toEqual([{ path: ['liftedOn'], message: 'La revoca non può essere retroattiva: i giorni passati sono rimasti senza pasto' }]);
    const closed = await app.fail('debts.suspensions.lift', { suspensionIds: [s.id], liftedOn: '2026-10-13', reason: 'pagamento' }, 'supervisore');
    // 11:00, the 13th is closed and its cutoff passed: the kitchen has the list
    expect(closed.issues).toEqual([{ path: ['liftedOn'], message: "L'orario limite di oggi (09:30) è passato e la cucina ha già l'elenco dei pasti: i pasti possono riprendere dal 14/10/2026" }]);
    const [ok] = await app.call('debts.suspensions.lift', { suspensionIds: [s.id], reason: 'pagamento' }, 'supervisore');
    expect(ok.liftedOn).toBe('2026-10-14');
    // a suspension cannot start today after the cutoff either
    const late = await app.fail('debts.suspensions.create', { ...family(), pupilIds: [rossi.pupilIds[0]], startsOn: '2026-10-13', reason: 'Morosità' }, 'supervisore');
    expect(late.issues).toContainEqual({ path: ['startsOn'], message: "L'orario limite di oggi (09:30) è passato e la cucina ha già l'elenco dei pasti: la sospensione può iniziare dal 14/10/2026" });
  });
});

describe("D2: diniego dell'iscrizione all'anno successivo", () => {
  it("dove il regolamento lo prevede, una famiglia con debiti non si iscrive all'anno successivo; il rinnovo lo mostra; il supervisore concede una deroga con un motivo", async () => {
    await allowSuspension(app, clusone, { enrollmentRefusal: true });
    const { charge } = await import('./fixtures');
    charge(app, rossi.pupilIds[0], 3200, '2026-10-01');
    const other = await addFamily(app, base);
    const renew = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, 'operatore');
    expect(renew.created).toBe(1); // the other family's pupil, not the Rossi children
    expect(renew.blocked.map((b) => [b.pupilId, b.message])).toEqual(
      rossi.pupilIds.map((p) => [
        p,
        "Iscrizione all'anno 2027/2028 non consentita: la famiglia " + rossi.payerName + " ha un debito di 32,00 € verso il servizio mensa di Clusone e il regolamento del comune nega l'iscrizione finché non è saldato (un supervisore può concedere una deroga)",
      ]),
    );
    expect(renew.createdIds).toHaveLength(renew.created);
    // creating one by hand is refused the same way
    const direct = await app.fail(
      'enrollments.create',
      { pupilId: rossi.pupilIds[0], schoolYearId: base.nextYear.id, payerId: rossi.payerId, schoolId: base.school.id, classId: base.nextCls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato', activate: false },
      'operatore',
    );
    expect(direct.issues).toEqual([{ path: ['payerId'], message: expect.stringMatching(/^Iscrizione all'anno 2027\/2028 non consentita/) }]);
    // the list of blocked families, and the waiver (supervisor only, with a reason, audited)
    const blocked = await app.call('debts.enrollmentBlocks.list', { schoolYearId: base.nextYear.id }, 'operatore');
    expect(blocked.map((b) => [b.payerId, b.owedCents, b.waiver])).toEqual([[rossi.payerId, 3200, null]]);
    const waive = { payerId: rossi.payerId, municipalityId: clusone, schoolYearId: base.nextYear.id, reason: 'Piano concordato con i servizi del comune' };
    expect((await app.fail('debts.enrollmentBlocks.waive', waive, 'operatore')).code).toBe('FORBIDDEN');
    const w = await app.call('debts.enrollmentBlocks.waive', waive, 'supervisore');
    expect(w.waiver).toMatchObject({ reason: 'Piano concordato con i servizi del comune', grantedBy: 'supervisore' });
    const again = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, 'operatore');
    expect([again.created, again.skipped, again.blocked]).toEqual([2, 1, []]);
    expect(app.database.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE procedure = 'debts.enrollmentBlocks.waive'").get()).toEqual({ n: 1 });
    expect(other.pupilIds).toHaveLength(1);
  });

  it("senza la regola del comune, o per il debito saldato, l'iscrizione all'anno successivo è libera; una bozza non si attiva finché c'è il debito", async () => {
    const { charge } = await import('./fixtures');
    charge(app, rossi.pupilIds[0], 3200, '2026-10-01');
    const r1 = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id, enrollmentIds: [rossiEnrollment(rossi.pupilIds[0])] }, 'operatore');
    expect([r1.created, r1.blocked]).toEqual([1, []]);
    await allowSuspension(app, clusone, { enrollmentRefusal: true });
    // the draft renewed before the rule is not activated while the debt is there
    const draft = r1.createdIds[0];
    const refused = await app.fail('enrollments.activate', { id: draft }, 'operatore');
    expect(refused.issues).toEqual([{ path: ['id'], message: expect.stringMatching(/^Iscrizione all'anno 2027\/2028 non consentita: la famiglia .* ha un debito di 32,00 €/) }]);
    pay(app, rossi.pupilIds[0], 3200, '2026-10-05');
    expect((await app.call('enrollments.activate', { id: draft }, 'operatore')).status).toBe('attiva');
    const r2 = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id, enrollmentIds: [rossiEnrollment(rossi.pupilIds[1])] }, 'operatore');
    expect([r2.created, r2.blocked]).toEqual([1, []]);
  });
});
