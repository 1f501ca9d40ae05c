import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { TestApp } from '../../support/backend';
import { count, enrollPupil, useAttendanceApp, type Base } from './fixtures';

let app: TestApp;
let base: Base;
// Monday 5 October 2026, 08:00 in Rome
useAttendanceApp((a, b) => {
  app = a;
  base = b;
});

const expectedIds = async (date: string, municipalityId?: number) =>
  (await app.call('attendance.expected', { date, municipalityId, limit: 5000 })).rows.map((r) => r.pupilId);

describe("A2: l'orario limite, giudicato sul momento in cui la famiglia ha agito, in ora di Roma", () => {
  it.each([
    ['ora legale (CEST)', 'Clusone', '2026-10-12', '2026-10-12T07:30:00Z', '09:30'],
    ['ora legale (CEST)', 'Cassino', '2026-10-12', '2026-10-12T07:00:00Z', '09:00'],
    ['ora solare (CET)', 'Clusone', '2026-11-16', '2026-11-16T08:30:00Z', '09:30'],
    ['ora solare (CET)', 'Cassino', '2026-11-16', '2026-11-16T08:00:00Z', '09:00'],
  ])("A2: con l'%s a %s un secondo prima dell'orario limite è in tempo; esattamente all'orario limite è tardi e il pasto resta addebitato", async (_season, town, date, cutoffUtc, hhmm) => {
    const schoolId = town === 'Clusone' ? base.school.id : base.cassinoSchool.id;
    const municipalityId = town === 'Clusone' ? base.clusone.id : base.cassino.id;
    const onTime = await enrollPupil(app, base, { schoolId });
    const late = await enrollPupil(app, base, { schoolId });
    const oneSecondBefore = new Date(new Date(cutoffUtc).getTime() - 1000).toISOString();

    await app.travel(oneSecondBefore);
    const ok = await app.call('attendance.cancelDay', { pupilId: onTime.pupil.id, date, source: 'portale' }, 'operatore');
    expect(ok).toMatchObject({ accepted: true, outcome: 'accettata', date });

    await app.travel(cutoffUtc);
    const ko = await app.call('attendance.cancelDay', { pupilId: late.pupil.id, date, source: 'app' }, 'operatore');
    expect(ko.accepted).toBe(false);
    expect(ko.outcome).toBe('tardiva');
    const [y, m, d] = date.split('-');
    expect(ko.message).toBe(`Disdetta non accettata: l'orario limite delle ${hhmm} del ${d}/${m}/${y} è superato; il pasto resta addebitato.`);

    // the late attempt is evidence: recorded with its moment and channel
    const attempts = await app.call('attendance.attempts', { pupilId: late.pupil.id });
    expect(attempts).toEqual([expect.objectContaining({ outcome: 'tardiva', channel: 'app', actedAt: new Date(cutoffUtc).toISOString(), targetDate: date })]);

    // at the close the late one is charged, the on-time one is not
    await app.call('attendance.closeDay', { date, municipalityId }, 'operatore');
    expect(count(app, 'SELECT count(*) AS n FROM meals WHERE date = ? AND pupil_id = ?', date, late.pupil.id)).toBe(1);
    expect(count(app, 'SELECT count(*) AS n FROM meals WHERE date = ? AND pupil_id = ?', date, onTime.pupil.id)).toBe(0);
  });

  it("A2: un momento retrodatato dall'ufficio non rende in tempo una disdetta registrata dopo l'orario limite: l'operatore è respinto, nulla è registrato", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T07:33:00Z'); // 09:33 in Rome, cutoff 09:30
    for (const source of ['ufficio', 'telefono', 'portale', 'app'] as const) {
      const err = await app.fail('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12', source, actedAt: '2026-10-12T07:28:00Z', externalId: `X-${source}` }, 'operatore');
      expect(err.code).toBe('FORBIDDEN');
      expect(err.message).toBe("Il momento indicato (12/10/2026 alle 09:28) è prima dell'orario limite delle 09:30 del 12/10/2026, ma la richiesta è registrata dopo: solo un supervisore può accettarla, come deroga con motivo");
      expect(err.issues[0].path).toEqual(['actedAt']);
    }
    // the same by phone: the typed moment would have landed on today
    expect((await app.fail('attendance.phoneCancel', { pupilId: pupil.id, actedAt: '2026-10-12T07:29:00Z' }, 'operatore')).code).toBe('FORBIDDEN');
    expect(count(app, 'SELECT count(*) AS n FROM absences WHERE pupil_id = ?', pupil.id)).toBe(0);
    expect(count(app, 'SELECT count(*) AS n FROM cancellation_attempts WHERE pupil_id = ?', pupil.id)).toBe(0);
    // without a typed moment the request is simply late, and on record as such
    const late = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12' }, 'operatore');
    expect(late.outcome).toBe('tardiva');
  });

  it('A2: lo stesso momento retrodatato da un supervisore vale solo come deroga con motivo, mai come richiesta in tempo', async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T07:33:00Z');
    const noReason = await app.fail('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12', source: 'portale', actedAt: '2026-10-12T07:29:59Z', externalId: 'PG-1' }, 'supervisore');
    expect(noReason.issues[0]).toMatchObject({ path: ['override'], message: expect.stringMatching(/motivo della deroga/) });
    const r = await app.call(
      'attendance.cancelDay',
      { pupilId: pupil.id, date: '2026-10-12', source: 'portale', actedAt: '2026-10-12T07:29:59Z', externalId: 'PG-1', override: { reason: 'E-mail delle 09:29 letta in ritardo' } },
      'supervisore',
    );
    expect(r).toMatchObject({ accepted: true, outcome: 'accettata_con_deroga' });
    const [a] = await app.call('attendance.attempts', { pupilId: pupil.id });
    expect(a).toMatchObject({ actedAt: '2026-10-12T07:29:59.000Z', recordedAt: '2026-10-12T07:33:00.000Z', outcome: 'accettata_con_deroga', overrideReason: 'E-mail delle 09:29 letta in ritardo' });
  });

  it("A2: dopo una disdetta tardiva e la chiusura, l'operatore non può togliere il pasto con una rettifica; il supervisore sì", async () => {
    const { pupil } = await enrollPupil(app, base);
    const other = await enrollPupil(app, base);
    await app.travel('2026-10-12T07:45:00Z');
    expect((await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12' }, 'operatore')).outcome).toBe('tardiva');
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id });
    const err = await app.fail('attendance.correctMeal', { pupilId: pupil.id, date: '2026-10-12', present: false, reason: 'Non ha mangiato' }, 'operatore');
    expect(err).toMatchObject({ code: 'FORBIDDEN', issues: [{ path: ['present'] }] });
    expect(count(app, 'SELECT count(*) AS n FROM meal_corrections WHERE pupil_id = ?', pupil.id)).toBe(0);
    // a pupil without a late cancellation: the operator corrects as before
    await app.call('attendance.correctMeal', { pupilId: other.pupil.id, date: '2026-10-12', present: false, reason: 'Uscito prima di pranzo' }, 'operatore');
    const ok = await app.call('attendance.correctMeal', { pupilId: pupil.id, date: '2026-10-12', present: false, reason: 'Ricovero in mattinata' }, 'supervisore');
    expect(ok.correction).toMatchObject({ present: false, origin: 'rettifica' });
  });

  it("A2: un momento retrodatato di qualche minuto resta ammesso per l'operatore quando anche la registrazione è in tempo", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T07:29:00Z');
    const r = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12', source: 'telefono', actedAt: '2026-10-12T07:26:00Z' }, 'operatore');
    expect(r.outcome).toBe('accettata');
    const [a] = await app.call('attendance.attempts', { pupilId: pupil.id });
    expect(a.actedAt).toBe('2026-10-12T07:26:00.000Z');
  });

  it("A2: un supervisore può accettare una disdetta tardiva con un motivo (registrato nel log); un operatore no", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T07:45:00Z');
    const denied = await app.fail('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12', override: { reason: 'Ricovero urgente' } }, 'operatore');
    expect(denied.code).toBe('FORBIDDEN');
    expect(denied.issues[0].path).toEqual(['override']);
    const r = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12', override: { reason: 'Ricovero urgente' } }, 'supervisore');
    expect(r).toMatchObject({ accepted: true, outcome: 'accettata_con_deroga' });
    expect(r.message).toMatch(/deroga: Ricovero urgente/);
    const [a] = await app.call('attendance.attempts', { pupilId: pupil.id });
    expect(a.overrideReason).toBe('Ricovero urgente');
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE username = 'supervisore' AND procedure = 'attendance.cancelDay'")).toBeGreaterThan(0);
    // after the close a derogation no longer applies: presences are corrected instead
    const other = await enrollPupil(app, base);
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id });
    const closed = await app.fail('attendance.cancelDay', { pupilId: other.pupil.id, date: '2026-10-12', override: { reason: 'Ricovero' } }, 'supervisore');
    expect(closed.code).toBe('CONFLICT');
    expect(closed.message).toMatch(/già chiusa/);
  });

  it("il momento della richiesta non è mai nel futuro; retrodatato di oltre 5 minuti solo da un supervisore", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T06:00:00Z');
    let err = await app.fail('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-13', actedAt: '2026-10-12T06:05:00Z' }, 'operatore');
    expect(err.issues[0]).toMatchObject({ path: ['actedAt'], message: 'Il momento della richiesta non può essere nel futuro' });
    err = await app.fail('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-13', actedAt: '2026-10-12T05:50:00Z' }, 'operatore');
    expect(err.code).toBe('FORBIDDEN');
    const within = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-13', actedAt: '2026-10-12T05:57:00Z', source: 'telefono' }, 'operatore');
    expect(within.accepted).toBe(true);
    const byBoss = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-14', actedAt: '2026-10-11T18:00:00Z' }, 'supervisore');
    expect(byBoss.accepted).toBe(true);
    err = await app.fail('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-14', actedAt: '2026-10-12T06:00:00' }, 'operatore');
    expect(err.issues[0].path).toEqual(['actedAt']);
  });
});

describe('A4, A5: quali giorni si possono disdire', () => {
  it("A4: qualunque giorno futuro si disdice in anticipo, fino al suo orario limite", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T06:00:00Z');
    const r = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-11-20' }, 'operatore');
    expect(r).toMatchObject({ accepted: true, date: '2026-11-20' });
    expect(r.message).toBe('Disdetta registrata: il pasto di venerdì 20/11/2026 non sarà preparato né addebitato.');
    expect(await expectedIds('2026-11-20')).not.toContain(pupil.id);
    expect(await expectedIds('2026-11-19')).toContain(pupil.id);
  });

  it("A5: un giorno senza servizio (fine settimana, festività, chiusura) non si disdice, e il rifiuto è registrato", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.call('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-10-21', to: '2026-10-21', kind: 'sciopero', reason: 'Sciopero' });
    await app.travel('2026-10-12T06:00:00Z');
    for (const date of ['2026-10-17', '2026-12-08', '2026-10-21']) {
      const r = await app.call('attendance.cancelDay', { pupilId: pupil.id, date }, 'operatore');
      expect(r).toMatchObject({ accepted: false, outcome: 'rifiutata_non_servizio' });
      expect(r.message).toMatch(/il servizio mensa non è erogato/);
    }
    expect((await app.call('attendance.attempts', { pupilId: pupil.id })).map((a) => a.outcome)).toEqual(['rifiutata_non_servizio', 'rifiutata_non_servizio', 'rifiutata_non_servizio']);
  });

  it("E4: in un giorno della settimana non scelto dalla famiglia non c'è un pasto da disdire", async () => {
    const { pupil } = await enrollPupil(app, base, { weekdays: [1, 3] });
    await app.travel('2026-10-12T06:00:00Z');
    const r = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-13' }, 'operatore');
    expect(r).toMatchObject({ accepted: false, outcome: 'rifiutata' });
    expect(r.message).toMatch(/martedì\) non è un giorno di fruizione/);
  });

  it("una disdetta ricevuta due volte con lo stesso identificativo esterno è registrata una volta sola (sincronizzazione del portale)", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T06:00:00Z');
    const first = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-14', source: 'portale', externalId: 'PG-77' }, 'operatore');
    const second = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-14', source: 'portale', externalId: 'PG-77' }, 'operatore');
    expect(second).toMatchObject({ replayed: true, accepted: true, attemptId: first.attemptId, absenceId: first.absenceId });
    expect(count(app, 'SELECT count(*) AS n FROM absences WHERE pupil_id = ?', pupil.id)).toBe(1);
    expect(count(app, 'SELECT count(*) AS n FROM cancellation_attempts WHERE pupil_id = ?', pupil.id)).toBe(1);
    // the same day cancelled again from another channel is "already registered", nothing changes
    const third = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-14', source: 'app' }, 'operatore');
    expect(third).toMatchObject({ accepted: true, outcome: 'gia_registrata' });
    expect(third.message).toMatch(/già disdetto \(Portale Genitori/);
  });

  it("un alunno sconosciuto è un errore di input e non registra nulla", async () => {
    const err = await app.fail('attendance.cancelDay', { pupilId: 999, date: '2026-10-14' }, 'operatore');
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'Alunno non trovato' });
    expect(count(app, 'SELECT count(*) AS n FROM cancellation_attempts')).toBe(0);
  });
});

describe('A6: disdette telefoniche', () => {
  it("A6: il lunedì, disdire «per domani» con martedì e mercoledì chiusi vale per giovedì", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.call('calendar.closures.create', { scope: 'comune', municipalityId: base.clusone.id, from: '2026-10-13', to: '2026-10-14', kind: 'chiusura', reason: 'Disinfestazione' });
    await app.travel('2026-10-12T17:00:00Z'); // Monday 19:00 in Rome
    const r = await app.call('attendance.phoneCancel', { pupilId: pupil.id }, 'operatore');
    expect(r).toMatchObject({ accepted: true, outcome: 'accettata', date: '2026-10-15' });
    expect(await expectedIds('2026-10-15')).not.toContain(pupil.id);
    const [a] = await app.call('attendance.attempts', { pupilId: pupil.id });
    expect(a).toMatchObject({ channel: 'telefono', channelLabel: 'Telefono', targetDate: '2026-10-15' });
  });

  it("A6: una disdetta fatta di venerdì (o di sabato) vale per lunedì", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-16T16:30:00Z'); // Friday 18:30 in Rome
    expect((await app.call('attendance.phoneCancel', { pupilId: pupil.id }, 'operatore')).date).toBe('2026-10-19');
    const other = await enrollPupil(app, base);
    await app.travel('2026-10-17T09:00:00Z'); // Saturday
    expect((await app.call('attendance.phoneCancel', { pupilId: other.pupil.id }, 'operatore')).date).toBe('2026-10-19');
  });

  it("A6: prima dell'orario limite la telefonata disdice oggi; tra l'orario limite e le 18:00 è rifiutata e registrata", async () => {
    const a = await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    await app.travel('2026-10-12T06:59:59Z'); // Monday 08:59:59 in Rome, Cassino cutoff 09:00
    expect((await app.call('attendance.phoneCancel', { pupilId: a.pupil.id }, 'operatore')).date).toBe('2026-10-12');
    await app.travel('2026-10-12T12:00:00Z'); // 14:00
    const r = await app.call('attendance.phoneCancel', { pupilId: a.pupil.id }, 'operatore');
    expect(r).toMatchObject({ accepted: false, outcome: 'rifiutata_fuori_orario', date: null });
    // Cassino's infant school eats on Monday and Wednesday: the next useful day is Wednesday
    expect(r.message).toMatch(/per mercoledì 14\/10\/2026 la disdetta telefonica è accettata dalle 18:00 di oggi/);
  });

  it("A6: prima della telefonata il programma dice su quale giorno cadrà la disdetta (o perché sarebbe rifiutata), senza registrare nulla", async () => {
    const a = await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    await app.travel('2026-10-12T06:59:59Z'); // Monday 08:59:59 in Rome, Cassino cutoff 09:00
    expect(await app.call('attendance.phoneLanding', { pupilId: a.pupil.id }, 'operatore')).toEqual({ date: '2026-10-12', refusal: null });
    await app.travel('2026-10-12T12:00:00Z'); // 14:00: between the cutoff and 18:00
    const refused = await app.call('attendance.phoneLanding', { pupilId: a.pupil.id }, 'operatore');
    expect(refused.date).toBeNull();
    expect(refused.refusal).toMatch(/per mercoledì 14\/10\/2026 la disdetta telefonica è accettata dalle 18:00 di oggi/);
    await app.travel('2026-10-12T17:00:00Z'); // 19:00: the next useful day, Wednesday (Cassino's infant school)
    const landing = await app.call('attendance.phoneLanding', { pupilId: a.pupil.id }, 'operatore');
    expect(landing).toEqual({ date: '2026-10-14', refusal: null });
    expect((await app.call('attendance.phoneCancel', { pupilId: a.pupil.id }, 'operatore')).date).toBe(landing.date);
    expect(await app.call('attendance.attempts', { pupilId: a.pupil.id })).toHaveLength(1);
  });

  it("A6: una disdetta telefonica si annulla per telefono, prima dell'orario limite di quel giorno", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T17:00:00Z'); // Monday 19:00
    expect((await app.call('attendance.phoneCancel', { pupilId: pupil.id, externalId: 'TEL-1' }, 'operatore')).date).toBe('2026-10-13');
    await app.travel('2026-10-13T05:00:00Z'); // Tuesday 07:00
    const undo = await app.call('attendance.phoneUndo', { pupilId: pupil.id, externalId: 'TEL-2' }, 'operatore');
    expect(undo).toMatchObject({ accepted: true, outcome: 'accettata', date: '2026-10-13' });
    expect(await expectedIds('2026-10-13')).toContain(pupil.id);
    const attempts = await app.call('attendance.attempts', { pupilId: pupil.id, date: '2026-10-13' });
    expect(attempts.map((a) => [a.action, a.outcome, a.currentState])).toEqual([
      ['ripristino', 'accettata', 'In vigore'],
      ['disdetta', 'accettata', 'Annullata in seguito'],
    ]);
  });

  it("A6: per telefono si annulla solo una disdetta telefonica", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T17:00:00Z');
    await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-13', source: 'portale' }, 'operatore');
    const r = await app.call('attendance.phoneUndo', { pupilId: pupil.id }, 'operatore');
    expect(r).toMatchObject({ accepted: false, outcome: 'rifiutata' });
    expect(r.message).toMatch(/solo una disdetta fatta per telefono/);
    // the office can
    expect((await app.call('attendance.undoCancel', { pupilId: pupil.id, date: '2026-10-13' }, 'operatore')).accepted).toBe(true);
  });

  it("annullare dopo l'orario limite è tardi: il pasto resta disdetto", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T06:00:00Z');
    await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-12' }, 'operatore');
    await app.travel('2026-10-12T07:30:00Z');
    const r = await app.call('attendance.undoCancel', { pupilId: pupil.id, date: '2026-10-12' }, 'operatore');
    expect(r).toMatchObject({ accepted: false, outcome: 'tardiva' });
    expect(r.message).toMatch(/il pasto resta disdetto/);
    expect(await expectedIds('2026-10-12')).not.toContain(pupil.id);
  });
});

describe('A3: assenza prolungata, riattivazione, pasti in bianco', () => {
  it("A3: un'assenza prolungata dura fino alla riattivazione, obbligatoria per tornare prenotati", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T06:00:00Z');
    const start = await app.call('attendance.startProlonged', { pupilId: pupil.id, from: '2026-10-13', source: 'portale' }, 'operatore');
    expect(start).toMatchObject({ accepted: true, outcome: 'accettata' });
    expect(await expectedIds('2026-10-12')).toContain(pupil.id);
    for (const d of ['2026-10-13', '2026-10-20', '2026-11-30']) expect(await expectedIds(d)).not.toContain(pupil.id);
    const again = await app.call('attendance.startProlonged', { pupilId: pupil.id, from: '2026-10-20' }, 'operatore');
    expect(again.outcome).toBe('gia_registrata');
    const re = await app.call('attendance.reactivate', { pupilId: pupil.id, from: '2026-10-26', source: 'app' }, 'operatore');
    expect(re).toMatchObject({ accepted: true });
    expect(re.message).toBe('Riattivazione registrata: dal 26/10/2026 i pasti sono di nuovo prenotati.');
    expect(await expectedIds('2026-10-23')).not.toContain(pupil.id);
    expect(await expectedIds('2026-10-26')).toContain(pupil.id);
    const absences = await app.call('attendance.absences', { pupilId: pupil.id });
    expect(absences).toEqual([expect.objectContaining({ kind: 'prolungata', date: '2026-10-13', reactivatedOn: '2026-10-26', status: 'attiva' })]);
    expect((await app.call('attendance.reactivate', { pupilId: pupil.id, from: '2026-10-27' }, 'operatore')).message).toMatch(/non è in assenza prolungata/);
  });

  it("A3 + A2: un'assenza prolungata da oggi chiesta dopo l'orario limite è tardiva; così anche la riattivazione", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T08:00:00Z'); // 10:00, after 09:30
    const late = await app.call('attendance.startProlonged', { pupilId: pupil.id, from: '2026-10-12' }, 'operatore');
    expect(late.outcome).toBe('tardiva');
    expect(late.message).toMatch(/indicare come inizio il giorno successivo/);
    await app.call('attendance.startProlonged', { pupilId: pupil.id, from: '2026-10-13' }, 'operatore');
    await app.travel('2026-10-14T08:00:00Z'); // Wednesday 10:00
    const r = await app.call('attendance.reactivate', { pupilId: pupil.id, from: '2026-10-14' }, 'operatore');
    expect(r.outcome).toBe('tardiva');
    expect((await app.call('attendance.reactivate', { pupilId: pupil.id, from: '2026-10-15' }, 'operatore')).accepted).toBe(true);
  });

  it("A3: il pasto in bianco segue la prenotazione; oltre i giorni consecutivi senza certificato l'ufficio è avvisato", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T06:00:00Z');
    expect((await app.call('attendance.settings', {})).plainMealMaxDays).toBe(3);
    const days = ['2026-10-15', '2026-10-16', '2026-10-19']; // Thursday, Friday, Monday: consecutive service days
    for (const date of days) expect((await app.call('attendance.plainMeal', { pupilId: pupil.id, date }, 'operatore')).warnings).toEqual([]);
    const fourth = await app.call('attendance.plainMeal', { pupilId: pupil.id, date: '2026-10-14' }, 'operatore');
    expect(fourth.accepted).toBe(true);
    expect(fourth.warnings).toEqual([
      'Pasto in bianco per 4 giorni di servizio consecutivi (dal 14/10/2026 al 19/10/2026): oltre 3 giorni serve il certificato medico',
    ]);
    const expected = await app.call('attendance.expected', { date: '2026-10-15' });
    expect(expected.rows.find((r) => r.pupilId === pupil.id)?.plain).toBe(true);
    expect(expected.plain).toBe(1);
    // the limit is a setting of the supervisor
    expect((await app.fail('attendance.updateSettings', { version: app.version('plainMeal'), plainMealMaxDays: 5 }, 'operatore')).code).toBe('FORBIDDEN');
    await app.call('attendance.updateSettings', { version: app.version('plainMeal'), plainMealMaxDays: 5 }, 'supervisore');
    expect((await app.call('attendance.plainMeal', { pupilId: pupil.id, date: '2026-10-20' }, 'operatore')).warnings).toEqual([]);
    // withdrawn, and replaced by a cancellation
    expect((await app.call('attendance.plainMeal', { pupilId: pupil.id, date: '2026-10-20', plain: false }, 'operatore')).accepted).toBe(true);
    const cancel = await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-19' }, 'operatore');
    expect(cancel.warnings).toContain('La richiesta di pasto in bianco dello stesso giorno è sostituita dalla disdetta');
    const states = await app.call('attendance.attempts', { pupilId: pupil.id, date: '2026-10-19' });
    expect(states.find((a) => a.action === 'pasto_in_bianco')?.currentState).toBe('Sostituita in seguito');
    const refused = await app.call('attendance.plainMeal', { pupilId: pupil.id, date: '2026-10-19' }, 'operatore');
    expect(refused.message).toMatch(/è disdetto/);
  });
});

describe('prova delle disdette (ogni tentativo registrato)', () => {
  it("elenca ogni tentativo di un alunno e di un giorno con momento, canale ed esito, e lo esporta in Excel", async () => {
    const { pupil } = await enrollPupil(app, base);
    await app.travel('2026-10-12T05:00:00Z');
    await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-13', source: 'app' }, 'operatore');
    await app.call('attendance.undoCancel', { pupilId: pupil.id, date: '2026-10-13', source: 'app' }, 'operatore');
    await app.travel('2026-10-13T07:31:00Z'); // Tuesday 09:31: too late
    await app.call('attendance.cancelDay', { pupilId: pupil.id, date: '2026-10-13', source: 'portale' }, 'operatore');
    const attempts = await app.call('attendance.attempts', { pupilId: pupil.id, date: '2026-10-13' });
    expect(attempts.map((a) => [a.actionLabel, a.channelLabel, a.outcomeLabel, a.currentState])).toEqual([
      ['Disdetta del pasto', 'Portale Genitori', 'Tardiva: non accettata', 'Tardiva: non accettata'],
      ['Annullamento della disdetta', 'App', 'Accettata', 'In vigore'],
      ['Disdetta del pasto', 'App', 'Accettata', 'Annullata in seguito'],
    ]);
    const file = await app.call('attendance.attemptsExport', { pupilId: pupil.id }, 'operatore');
    expect(file.rows).toBe(3);
    expect(file.fileName).toBe(`prova-disdette-alunno-${pupil.id}-2026-10-13.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(6).value).toBe('Momento della richiesta (ora italiana)');
    expect(ws.getRow(2).getCell(6).value).toBe('13/10/2026 09:31:00');
    expect(ws.getRow(2).getCell(8).value).toBe('Tardiva: non accettata');
  });

  it("serve un alunno, un giorno o un periodo", async () => {
    const err = await app.fail('attendance.attempts', {}, 'operatore');
    expect(err.issues[0].message).toBe("Indicare l'alunno, il giorno o il periodo");
  });
});
