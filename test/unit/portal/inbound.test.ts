/**
 * Inbound events from the parent portal (issue 13): recorded once, applied through the areas'
 * own rules at the family's moment, or put in the office's review queue with the reason in
 * Italian — never dropped, never thrown.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyInbound, type InboundEnv } from '../../../electron/portal/inbound';
import { buildNumeroAvviso } from '../../../electron/identifiers/pagopa-notice';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { readCursor, writeCursor } from '../../../electron/portal/state';
import { createTestApp, VALID_PAYER, type TestApp } from '../../support/backend';
import { count, enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';

let app: TestApp;
let base: Base;
let env: InboundEnv;

/** Monday 12 October 2026, 08:00 in Rome (Clusone's cutoff is 09:30). */
const MONDAY_8 = '2026-10-12T06:00:00Z';

beforeEach(async () => {
  app = await createTestApp(MONDAY_8);
  base = await seedAttendance(app);
  env = { db: app.database.db, sqlite: app.database.sqlite, clock: app.clock };
});
afterEach(() => app.close());

const receive = (ev: unknown) => applyInbound(env, ev, app.clock.now());
const row = (eventId: number | null) => app.database.sqlite.prepare('SELECT * FROM portal_inbound_events WHERE id = ?').get(eventId) as Record<string, unknown>;
const one = <T>(sql: string, ...p: unknown[]) => app.database.sqlite.prepare(sql).get(...p) as T;

let seq = 0;
const evId = () => `ev-${++seq}`;

async function pupil() {
  const { pupil: p } = await enrollPupil(app, base);
  return p;
}

describe('idempotenza', () => {
  it("lo stesso evento ricevuto due volte è applicato una volta sola: la seconda volta è «duplicato» e non cambia nulla", async () => {
    const p = await pupil();
    const ev = { id: 'disdetta-1', type: 'cancellation', occurredAt: '2026-10-12T07:00:00+02:00', channel: 'portale', pupilTaxCode: p.taxCode, date: '2026-10-13' };
    const first = receive(ev);
    expect(first).toMatchObject({ status: 'applicato', recorded: true });
    const second = receive(structuredClone(ev));
    expect(second).toMatchObject({ status: 'duplicato', recorded: true, eventId: first.eventId });
    expect(second.message).toMatch(/già ricevuto/);
    expect(count(app, 'SELECT count(*) AS n FROM portal_inbound_events')).toBe(1);
    expect(count(app, 'SELECT count(*) AS n FROM absences')).toBe(1);
    expect(count(app, 'SELECT count(*) AS n FROM cancellation_attempts')).toBe(1);
  });

  it('il cursore del portale è conservato nel database', () => {
    expect(readCursor(app.database.db)).toBeNull();
    writeCursor(app.database.db, 'c-42', app.clock.now());
    writeCursor(app.database.db, 'c-43', app.clock.now());
    expect(readCursor(app.database.db)).toBe('c-43');
    expect(readCursor(app.database.db, 'altro-portale')).toBeNull();
  });
});

describe('disdette giudicate al momento della famiglia', () => {
  it('A2: una disdetta fatta in tempo (09:10) e arrivata dopo la chiusura della giornata rettifica il pasto, con avviso e registro', async () => {
    const p = await pupil();
    await app.travel('2026-10-12T08:00:00Z'); // 10:00, cutoff passed
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
    expect(count(app, "SELECT count(*) AS n FROM meals WHERE pupil_id = ? AND date = '2026-10-12'", p.id)).toBe(1);
    await app.travel('2026-10-12T13:00:00Z'); // 15:00: the portal's sync arrives late
    const r = receive({ id: evId(), type: 'cancellation', occurredAt: '2026-10-12T09:10:00+02:00', channel: 'app', pupilTaxCode: p.taxCode, date: '2026-10-12' });
    expect(r.status).toBe('applicato');
    expect(r.message).toMatch(/già chiusa.*rettificata/);
    const correction = one<{ present: number; origin: string }>("SELECT present, origin FROM meal_corrections WHERE pupil_id = ? AND date = '2026-10-12'", p.id);
    expect(correction).toMatchObject({ present: 0, origin: 'disdetta_in_tempo' });
    expect(count(app, "SELECT count(*) AS n FROM attendance_notices WHERE kind = 'richiesta_dopo_chiusura'")).toBe(1);
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE username = 'portale' AND entity = 'rettifica_pasto'")).toBe(1);
    expect(one<{ outcome: string; channel: string }>('SELECT outcome, channel FROM cancellation_attempts WHERE external_id = ?', row(r.eventId).external_id)).toMatchObject({ outcome: 'accettata', channel: 'app' });
  });

  it('A2: una disdetta fatta dopo l\'orario limite (09:40) è registrata come tardiva e il pasto resta addebitato', async () => {
    const p = await pupil();
    await app.travel('2026-10-12T08:00:00Z');
    await app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: base.clusone.id }, 'operatore');
    await app.travel('2026-10-12T13:00:00Z');
    const r = receive({ id: evId(), type: 'cancellation', occurredAt: '2026-10-12T09:40:00+02:00', channel: 'portale', pupilTaxCode: p.taxCode, date: '2026-10-12' });
    expect(r.status).toBe('applicato');
    expect(r.message).toMatch(/^Tardiva/);
    expect(one<{ outcome: string }>('SELECT outcome FROM cancellation_attempts WHERE pupil_id = ?', p.id).outcome).toBe('tardiva');
    expect(count(app, 'SELECT count(*) AS n FROM meal_corrections')).toBe(0);
    expect(count(app, 'SELECT count(*) AS n FROM absences')).toBe(0);
    expect(count(app, "SELECT count(*) AS n FROM meals WHERE pupil_id = ? AND date = '2026-10-12'", p.id)).toBe(1);
  });

  it('A6: una disdetta per SMS del venerdì sera, arrivata il lunedì mattina, cade sul lunedì, il primo giorno utile (registrata come telefonica, canale vero sull\'evento)', async () => {
    const p = await pupil();
    const r = receive({ id: evId(), type: 'nextDayCancellation', occurredAt: '2026-10-09T19:00:00+02:00', channel: 'sms', pupilTaxCode: p.taxCode });
    expect(r.status).toBe('applicato');
    expect(one<{ target_date: string; channel: string; outcome: string }>('SELECT target_date, channel, outcome FROM cancellation_attempts WHERE pupil_id = ?', p.id)).toEqual({
      target_date: '2026-10-12',
      channel: 'telefono',
      outcome: 'accettata',
    });
    expect(row(r.eventId).channel).toBe('sms');
  });

  it("A6: un SMS delle 08:00 di lunedì arrivato alle 10:00 disdice il lunedì (giudicato al momento della famiglia), non il martedì", async () => {
    const p = await pupil();
    await app.travel('2026-10-12T08:00:00Z');
    const r = receive({ id: evId(), type: 'nextDayCancellation', occurredAt: '2026-10-12T08:00:00+02:00', channel: 'sms', pupilTaxCode: p.taxCode });
    expect(r.status).toBe('applicato');
    expect(one<{ target_date: string; outcome: string }>('SELECT target_date, outcome FROM cancellation_attempts WHERE pupil_id = ?', p.id)).toEqual({ target_date: '2026-10-12', outcome: 'accettata' });
  });

  it("A6: una disdetta telefonica fatta lunedì alle 12:00 (dopo l'orario limite, prima delle 18:00) è rifiutata come fuori orario, anche se arriva alle 19:00", async () => {
    const p = await pupil();
    await app.travel('2026-10-12T17:00:00Z');
    const r = receive({ id: evId(), type: 'nextDayCancellation', occurredAt: '2026-10-12T12:00:00+02:00', channel: 'telefono', pupilTaxCode: p.taxCode });
    expect(r.status).toBe('applicato');
    expect(r.message).toMatch(/^Rifiutata: fuori orario telefonico/);
    expect(one<{ outcome: string }>('SELECT outcome FROM cancellation_attempts WHERE pupil_id = ?', p.id).outcome).toBe('rifiutata_fuori_orario');
    expect(count(app, 'SELECT count(*) AS n FROM absences')).toBe(0);
  });
});

describe('variazioni dei dati (E7)', () => {
  async function payerOf() {
    const p = await pupil();
    const payer = one<{ id: number; email: string; version: number }>('SELECT id, email, version FROM payers WHERE id = ?', base.payerId);
    return { p, payer };
  }
  const officeEdit = async (id: number, email: string) => {
    const v = one<{ version: number }>('SELECT version FROM payers WHERE id = ?', id).version;
    await app.call('payers.update', { id, version: v, ...VALID_PAYER, email }, 'operatore');
  };

  it("E7: la modifica dell'ufficio vince su una variazione del portale più vecchia: in revisione con i due valori, entrambe nel registro", async () => {
    const { p, payer } = await payerOf();
    await app.travel('2026-10-12T08:00:00Z');
    await officeEdit(payer.id, 'ufficio@example.it');
    await app.travel('2026-10-12T09:00:00Z');
    const r = receive({ id: evId(), type: 'personalData', occurredAt: '2026-10-12T09:30:00+02:00', channel: 'portale', pupilTaxCode: p.taxCode, payer: { taxCode: VALID_PAYER.taxCode, email: 'portale@example.it' } });
    expect(r.status).toBe('in_revisione');
    expect(r.message).toMatch(/vale la modifica dell'ufficio/);
    expect(r.message).toContain('ufficio «ufficio@example.it», portale «portale@example.it»');
    expect(one<{ email: string }>('SELECT email FROM payers WHERE id = ?', payer.id).email).toBe('ufficio@example.it');
    const refused = one<{ username: string; after_json: string }>("SELECT username, after_json FROM audit_log WHERE entity = 'pagante' AND action LIKE 'variazione dal portale non applicata%'");
    expect(refused.username).toBe('portale');
    expect(JSON.parse(refused.after_json)).toEqual({ email: 'portale@example.it' });
  });

  it("E7: una variazione del portale più recente della modifica dell'ufficio è applicata e registrata come «portale»", async () => {
    const { p, payer } = await payerOf();
    await app.travel('2026-10-12T08:00:00Z');
    await officeEdit(payer.id, 'ufficio@example.it');
    await app.travel('2026-10-12T09:00:00Z');
    const r = receive({ id: evId(), type: 'personalData', occurredAt: '2026-10-12T10:45:00+02:00', channel: 'app', pupilTaxCode: p.taxCode, payer: { taxCode: VALID_PAYER.taxCode, email: 'portale@example.it', mobile: '+39 348 765 4321' } });
    expect(r).toMatchObject({ status: 'applicato' });
    const after = one<{ email: string; mobile: string; version: number }>('SELECT email, mobile, version FROM payers WHERE id = ?', payer.id);
    expect(after.email).toBe('portale@example.it');
    expect(after.mobile).toBe('+393487654321');
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE entity = 'pagante' AND username = 'portale' AND action LIKE 'modifica dal portale%'")).toBe(1);
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE entity = 'pagante' AND username = 'operatore' AND action = 'modifica'")).toBe(1);
  });

  it('una variazione con un dato non valido va in revisione con il motivo e non cambia nulla', async () => {
    const { p, payer } = await payerOf();
    const r = receive({ id: evId(), type: 'personalData', occurredAt: '2026-10-12T07:00:00+02:00', channel: 'portale', pupilTaxCode: p.taxCode, payer: { taxCode: VALID_PAYER.taxCode, email: 'non-una-email' } });
    expect(r.status).toBe('in_revisione');
    expect(r.message).toMatch(/e-mail/);
    expect(one<{ email: string }>('SELECT email FROM payers WHERE id = ?', payer.id).email).toBe(payer.email);
  });
});

describe('ricariche pagoPA (P2)', () => {
  it('P2: una ricarica dal portale accredita il credito; la stessa ricevuta (IUV) con un altro id è «duplicato», non un errore', async () => {
    const p = await pupil();
    const iuv = buildNumeroAvviso({ auxDigit: 3, segregationCode: '12', iuvBase: '2026000000042' });
    const r1 = receive({ id: evId(), type: 'topUp', occurredAt: '2026-10-11T18:00:00+02:00', channel: 'app', pupilTaxCode: p.taxCode, iuv, amountCents: 5000, payerTaxCode: VALID_PAYER.taxCode, paidAt: '2026-10-11T18:00:00+02:00' });
    expect(r1.status).toBe('applicato');
    const e = row(r1.eventId);
    expect(e.ledger_entry_id).not.toBeNull();
    expect(one<{ source: string; amount_cents: number; paid_on: string }>('SELECT source, amount_cents, paid_on FROM payments WHERE id = ?', e.payment_id)).toEqual({ source: 'portale', amount_cents: 5000, paid_on: '2026-10-11' });
    const r2 = receive({ id: evId(), type: 'topUp', occurredAt: '2026-10-11T18:05:00+02:00', channel: 'portale', pupilTaxCode: p.taxCode, iuv, amountCents: 5000, payerTaxCode: VALID_PAYER.taxCode, paidAt: '2026-10-11T18:00:00+02:00' });
    expect(r2.status).toBe('duplicato');
    expect(r2.message).toMatch(/già registrata/);
    expect(row(r2.eventId).status).toBe('duplicato');
    expect(count(app, 'SELECT count(*) AS n FROM payments')).toBe(1);
    expect(count(app, "SELECT count(*) AS n FROM ledger_entries WHERE kind = 'ricarica'")).toBe(1);
  });

  it('una ricevuta con un numero avviso errato (controllo mod 93) va in revisione con il motivo', async () => {
    const p = await pupil();
    const good = buildNumeroAvviso({ auxDigit: 3, segregationCode: '12', iuvBase: '2026000000043' });
    const bad = `${good.slice(0, 16)}${String((Number(good.slice(16)) + 1) % 93).padStart(2, '0')}`;
    const r = receive({ id: evId(), type: 'topUp', occurredAt: '2026-10-11T18:00:00+02:00', channel: 'app', pupilTaxCode: p.taxCode, iuv: bad, amountCents: 1000, payerTaxCode: VALID_PAYER.taxCode, paidAt: '2026-10-11T18:00:00+02:00' });
    expect(r.status).toBe('in_revisione');
    expect(count(app, 'SELECT count(*) AS n FROM payments')).toBe(0);
  });
});

describe('segnalazioni (F4)', () => {
  it("F4: una segnalazione dal portale arriva all'operatore, che la chiude con una nota", async () => {
    const p = await pupil();
    const r = receive({ id: evId(), type: 'supportRequest', occurredAt: '2026-10-12T07:30:00+02:00', channel: 'portale', pupilTaxCode: p.taxCode, contact: 'mario.rossi@example.it', subject: 'Saldo non aggiornato', message: 'Ho pagato ieri.\nGrazie' });
    expect(r.status).toBe('applicato');
    const list = await app.call('portal.support.list', { status: 'aperta' }, 'operatore');
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({ subject: 'Saldo non aggiornato', pupilId: p.id, status: 'aperta', inboundEventId: r.eventId });
    await app.call('portal.support.close', { id: list.rows[0].id, note: 'Ricarica accreditata, saldo corretto' }, 'operatore');
    const closed = await app.call('portal.support.list', {}, 'operatore');
    expect(closed.rows[0]).toMatchObject({ status: 'chiusa', closingNote: 'Ricarica accreditata, saldo corretto', closedByName: 'operatore' });
    const again = await app.fail('portal.support.close', { id: list.rows[0].id, note: 'di nuovo' }, 'operatore');
    expect(again.code).toBe('CONFLICT');
  });
});

describe('coda di revisione', () => {
  it("un alunno sconosciuto va in revisione con il motivo in italiano; registrato l'alunno, «Riprova» applica l'evento", async () => {
    const taxCode = buildCodiceFiscale({ lastName: 'Nuovi', firstName: 'Nina', birthDate: '2017-05-04', sex: 'F', belfiore: 'C800' });
    const r = receive({ id: evId(), type: 'cancellation', occurredAt: '2026-10-12T07:00:00+02:00', channel: 'portale', pupilTaxCode: taxCode, date: '2026-10-13' });
    expect(r.status).toBe('in_revisione');
    expect(r.message).toBe(`Nessun alunno registrato con il codice fiscale ${taxCode}: registrare l'alunno (o correggere il suo codice fiscale) e poi riprovare`);
    const queue = await app.call('portal.review.list', { status: 'in_revisione' }, 'operatore');
    expect(queue.rows.map((x) => x.id)).toEqual([r.eventId]);
    expect(queue.rows[0]).toMatchObject({ typeLabel: 'Disdetta del pasto', summary: `Disdetta del pasto del 13/10/2026 — alunno ${taxCode}` });
    expect(queue.counts.in_revisione).toBe(1);

    const still = await app.call('portal.review.retry', { id: r.eventId! }, 'operatore');
    expect(still.status).toBe('in_revisione');
    const p = await app.call('pupils.create', { firstName: 'Nina', lastName: 'Nuovi', birthDate: '2017-05-04', taxCode, schoolId: base.school.id, classId: base.cls.id }, 'operatore');
    await app.call('enrollments.create', { pupilId: p.id, schoolYearId: base.year.id, payerId: base.payerId, schoolId: base.school.id, classId: base.cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'sdd', startsOn: '2026-09-14' }, 'operatore');
    const done = await app.call('portal.review.retry', { id: r.eventId! }, 'operatore');
    expect(done.status).toBe('applicato');
    expect(row(r.eventId)).toMatchObject({ status: 'applicato', attempts: 3, pupil_id: p.id });
    expect(count(app, "SELECT count(*) AS n FROM absences WHERE pupil_id = ? AND date = '2026-10-13'", p.id)).toBe(1);
    // judged at the family's moment (07:00, in time), even though retried later by the office
    expect(one<{ outcome: string }>('SELECT outcome FROM cancellation_attempts WHERE pupil_id = ?', p.id).outcome).toBe('accettata');
    const retried = await app.fail('portal.review.retry', { id: r.eventId! }, 'operatore');
    expect(retried.code).toBe('CONFLICT');
  });

  it('un codice fiscale non valido va in revisione con il motivo; nulla è applicato', async () => {
    await pupil();
    const r = receive({ id: evId(), type: 'plainMeal', occurredAt: '2026-10-12T07:00:00+02:00', channel: 'portale', pupilTaxCode: 'RSSMRA85T10A562X', date: '2026-10-13', plain: true });
    expect(r.status).toBe('in_revisione');
    expect(r.message).toMatch(/^Codice fiscale dell'alunno non valido \(«RSSMRA85T10A562X»\): Carattere di controllo/);
    expect(count(app, 'SELECT count(*) AS n FROM absences')).toBe(0);
  });

  it('un evento malformato va in revisione con i problemi in italiano; un supervisore lo scarta con un motivo, un operatore no', async () => {
    const r = receive({ id: 'rotto-1', type: 'cancellation', occurredAt: 'ieri mattina', channel: 'piccione', pupilTaxCode: 'X' });
    expect(r.status).toBe('in_revisione');
    expect(r.message).toMatch(/^Evento non leggibile secondo il contratto del portale: /);
    expect(r.message).toMatch(/occurredAt/);
    expect(r.message).toMatch(/date: Campo obbligatorio/);
    expect(row(r.eventId)).toMatchObject({ type: 'cancellation', external_id: 'rotto-1', occurred_at: null, channel: null });
    const denied = await app.fail('portal.review.dismiss', { id: r.eventId!, reason: 'Evento di prova' }, 'operatore');
    expect(denied.code).toBe('FORBIDDEN');
    await app.call('portal.review.dismiss', { id: r.eventId!, reason: 'Evento di prova del fornitore' }, 'supervisore');
    expect(row(r.eventId)).toMatchObject({ status: 'scartato_dall_ufficio', dismiss_reason: 'Evento di prova del fornitore' });
    const list = await app.call('portal.review.list', { status: 'scartato_dall_ufficio' }, 'operatore');
    expect(list.rows[0]).toMatchObject({ handledByName: 'supervisore', dismissReason: 'Evento di prova del fornitore' });
  });

  it('un evento registrato non si cancella e il suo contenuto non cambia', async () => {
    const r = receive({ id: 'x-1', type: 'supportRequest', occurredAt: '2026-10-12T07:00:00+02:00', channel: 'portale', subject: 'Aiuto', message: 'Non riesco ad accedere' });
    expect(() => app.database.sqlite.prepare('DELETE FROM portal_inbound_events WHERE id = ?').run(r.eventId)).toThrow(/non si cancella/);
    expect(() => app.database.sqlite.prepare("UPDATE portal_inbound_events SET payload = '{}' WHERE id = ?").run(r.eventId)).toThrow(/non cambia/);
    expect(() => app.database.sqlite.prepare("UPDATE portal_inbound_events SET status = 'in_revisione', applied_at = NULL WHERE id = ?").run(r.eventId)).toThrow(/definitivo/);
  });
});

describe('iscrizioni dal portale', () => {
  const taxCode = buildCodiceFiscale({ lastName: 'Verdi', firstName: 'Leo', birthDate: '2019-02-11', sex: 'M', belfiore: 'C800' });
  const payerCf = buildCodiceFiscale({ lastName: 'Verdi', firstName: 'Giulia', birthDate: '1986-07-20', sex: 'F', belfiore: 'C800' });
  const enrollment = (extra: Record<string, unknown> = {}) => ({
    id: evId(),
    type: 'enrollment',
    occurredAt: '2026-10-12T07:00:00+02:00',
    channel: 'portale',
    renewal: false,
    schoolYear: '2026/2027',
    pupil: { firstName: 'Leo', lastName: 'Verdi', taxCode },
    schoolId: base.school.id,
    className: '3a',
    weekdays: [1, 3, 5],
    payer: { firstName: 'Giulia', lastName: 'Verdi', taxCode: payerCf, email: 'giulia.verdi@example.it', mobile: '333 1234567' },
    paymentMethod: 'prepagato',
    diets: [{ category: 'etico_religiosa', dietCodes: ['vegetariana'] }],
    ...extra,
  });

  it("E1/E3/DI1: un'iscrizione nuova registra alunno, pagante, iscrizione attiva e la richiesta di dieta del portale", () => {
    const r = receive(enrollment());
    expect(r.status, r.message).toBe('applicato');
    const e = row(r.eventId);
    const enr = one<{ status: string; weekdays: string; class_id: number; payment_method: string }>('SELECT status, weekdays, class_id, payment_method FROM enrollments WHERE id = ?', e.enrollment_id);
    expect(enr).toEqual({ status: 'attiva', weekdays: '1,3,5', class_id: base.cls.id, payment_method: 'prepagato' });
    expect(one<{ birth_date: string }>('SELECT birth_date FROM pupils WHERE tax_code = ?', taxCode).birth_date).toBe('2019-02-11');
    expect(one<{ mobile: string }>('SELECT mobile FROM payers WHERE tax_code = ?', payerCf).mobile).toBe('3331234567');
    expect(one<{ source: string; status: string }>('SELECT source, status FROM diet_requests WHERE pupil_id = ?', e.pupil_id)).toEqual({ source: 'portale', status: 'in_attesa' });
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE username = 'portale' AND entity IN ('alunno', 'pagante', 'iscrizione', 'richiesta_dieta')")).toBe(4);
  });

  it("P5: un'iscrizione con SDD senza mandato registrato va in revisione («mandato da registrare in ufficio») e non registra nulla", () => {
    const r = receive(enrollment({ paymentMethod: 'sdd', sdd: { iban: 'IT60X0542811101000000123456', holderName: 'Giulia Verdi', holderTaxCode: payerCf } }));
    expect(r.status).toBe('in_revisione');
    expect(r.message).toMatch(/mandato da registrare in ufficio/);
    expect(count(app, 'SELECT count(*) AS n FROM pupils WHERE tax_code = ?', taxCode)).toBe(0);
    expect(count(app, 'SELECT count(*) AS n FROM payers WHERE tax_code = ?', payerCf)).toBe(0);
  });

  it("P5: registrati in ufficio pagante e mandato sullo stesso IBAN, «Riprova» applica l'iscrizione con SDD (registrata a nome di chi riprova)", async () => {
    const sdd = { iban: 'IT60X0542811101000000123456', holderName: 'Giulia Verdi', holderTaxCode: payerCf };
    const r = receive(enrollment({ paymentMethod: 'sdd', sdd }));
    expect(r.status).toBe('in_revisione');
    const payer = await app.call('payers.create', { ...VALID_PAYER, firstName: 'Giulia', lastName: 'Verdi', taxCode: payerCf, email: 'giulia.verdi@example.it', iban: null, ibanHolder: null }, 'operatore');
    await app.call('sdd.mandates.create', { payerId: payer.id, iban: sdd.iban, holderName: sdd.holderName, holderTaxCode: payerCf, signedOn: '2026-10-10' }, 'operatore');
    const done = await app.call('portal.review.retry', { id: r.eventId! }, 'operatore');
    expect(done.status, done.message).toBe('applicato');
    expect(one<{ payment_method: string; payer_id: number; status: string }>('SELECT payment_method, payer_id, status FROM enrollments WHERE id = ?', row(r.eventId).enrollment_id)).toEqual({ payment_method: 'sdd', payer_id: payer.id, status: 'attiva' });
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE entity = 'iscrizione' AND username = 'operatore' AND procedure = 'portal.review.retry'")).toBe(1);
  });

  it("E2: un rinnovo per l'anno successivo è collegato all'iscrizione dell'anno prima", async () => {
    const first = receive(enrollment());
    expect(first.status, first.message).toBe('applicato');
    const r = receive(enrollment({ renewal: true, schoolYear: '2027/2028', className: '4A', diets: [] }));
    expect(r.status, r.message).toBe('applicato');
    const renewed = one<{ renewed_from_id: number; class_id: number }>('SELECT renewed_from_id, class_id FROM enrollments WHERE id = ?', row(r.eventId).enrollment_id);
    expect(renewed).toEqual({ renewed_from_id: row(first.eventId).enrollment_id, class_id: base.nextCls.id });
    expect(count(app, 'SELECT count(*) AS n FROM pupils WHERE tax_code = ?', taxCode)).toBe(1);
  });

  it("la coda mostra il contenuto leggibile di un'iscrizione con certificato, senza i byte del certificato (dati sanitari)", async () => {
    const pdf = Buffer.from('%PDF-1.4\n% certificato di prova\n');
    const attachment = { kind: 'certificato_medico', fileName: 'certificato.pdf', mediaType: 'application/pdf', sha256: createHash('sha256').update(pdf).digest('hex'), contentBase64: pdf.toString('base64') };
    const r = receive(enrollment({ paymentMethod: 'sdd', sdd: { iban: 'IT60X0542811101000000123456', holderName: 'Giulia Verdi', holderTaxCode: payerCf }, diets: [{ category: 'medica', dietCodes: ['celiachia'], attachments: [attachment] }] }));
    expect(r.status).toBe('in_revisione');
    const list = await app.call('portal.review.list', { type: 'enrollment' }, 'operatore');
    expect(list.rows[0].summary).toBe(`Iscrizione 2026/2027 di Verdi Leo — alunno ${taxCode} (SDD)`);
    expect(list.rows[0].payload).toContain(`"contentBase64": "[file di ${pdf.length} byte, conservato a parte]"`);
    expect(list.rows[0].payload).not.toContain(attachment.contentBase64);
    // F5: the certificate is kept apart from the payload while the event may be applied, then dropped
    expect(row(r.eventId).payload).not.toContain(attachment.contentBase64);
    expect(count(app, 'SELECT count(*) AS n FROM portal_inbound_files WHERE inbound_event_id = ?', r.eventId)).toBe(1);
    await app.call('portal.review.dismiss', { id: r.eventId!, reason: 'Iscrizione rifatta in ufficio' }, 'supervisore');
    expect(count(app, 'SELECT count(*) AS n FROM portal_inbound_files')).toBe(0);
  });

  it("F5: applicata l'iscrizione, il certificato resta solo nella richiesta di dieta (controllato dal contenuto), non nell'evento", () => {
    const pdf = Buffer.from('%PDF-1.4\n% certificato di prova\n');
    const b64 = pdf.toString('base64');
    const attachment = { kind: 'certificato_medico', fileName: 'certificato.pdf', mediaType: 'application/pdf', sha256: createHash('sha256').update(pdf).digest('hex'), contentBase64: `${b64.slice(0, 10)}\n${b64.slice(10)}` };
    const r = receive(enrollment({ diets: [{ category: 'medica', dietCodes: ['celiachia'], attachments: [attachment] }] }));
    expect(r.status, r.message).toBe('applicato');
    expect(count(app, 'SELECT count(*) AS n FROM portal_inbound_files')).toBe(0);
    expect(row(r.eventId).payload).not.toContain(b64.slice(10));
    const stored = one<{ sha256: string; mime_type: string }>('SELECT sha256, mime_type FROM diet_attachments');
    expect(stored).toEqual({ sha256: attachment.sha256, mime_type: 'application/pdf' });
  });

  it('un codice di dieta sconosciuto annulla tutta l\'iscrizione e la mette in revisione', () => {
    const r = receive(enrollment({ diets: [{ category: 'medica', dietCodes: ['kryptonite'] }] }));
    expect(r.status).toBe('in_revisione');
    expect(r.message).toMatch(/kryptonite/);
    expect(count(app, 'SELECT count(*) AS n FROM enrollments')).toBe(0);
    expect(count(app, 'SELECT count(*) AS n FROM pupils WHERE tax_code = ?', taxCode)).toBe(0);
  });
});
