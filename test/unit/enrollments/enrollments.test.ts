import { describe, expect, it } from 'vitest';
import { VALID_PAYER, type TestApp } from '../../support/backend';
import { useBasicsApp, type Basics } from '../../support/basics-app';

let app: TestApp;
let base: Basics;
useBasicsApp('2026-07-10T08:00:00Z', (a, b) => {
  app = a;
  base = b;
});

async function pupilAndPayer() {
  const payer = await app.call('payers.create', VALID_PAYER, 'operatore');
  const pupil = await app.call('pupils.create', { firstName: 'Maria', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: 'MRNMIA02E45L219X', schoolId: base.school.id, classId: base.cls.id }, 'operatore');
  return { payer, pupil };
}

describe('iscrizioni', () => {
  it("E5: l'alunno riceve un codice utente che resta dopo le modifiche e un codice per le disdette telefoniche diverso", async () => {
    const { pupil } = await pupilAndPayer();
    expect(pupil.userCode).toMatch(/^\d{8}$/);
    expect(pupil.phoneCode).toMatch(/^\d{6}$/);
    expect(pupil.phoneCode).not.toBe(pupil.userCode);
    const updated = await app.call('pupils.update', { id: pupil.id, version: app.version('pupil', pupil.id), firstName: 'Maria Luisa', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: pupil.taxCode, schoolId: base.school.id, classId: null });
    expect(updated.userCode).toBe(pupil.userCode);
  });

  it("E3: un codice fiscale errato è rifiutato sul suo campo con un messaggio in italiano", async () => {
    const err = await app.fail('pupils.create', { firstName: 'A', lastName: 'B', birthDate: '1985-12-10', taxCode: 'RSSMRA85T10A562T', schoolId: base.school.id });
    expect(err.code).toBe('VALIDATION');
    expect(err.issues[0].path).toEqual(['taxCode']);
    expect(err.issues[0].message).toMatch(/controllo/);
  });

  it("E3: il pagante deve avere un'e-mail e un cellulare validi", async () => {
    const err = await app.fail('payers.create', { ...VALID_PAYER, email: 'non-una-mail', mobile: '' });
    expect(err.code).toBe('VALIDATION');
    expect(err.issues.map((i) => i.path[0]).sort()).toEqual(['email', 'mobile']);
  });

  it("E1/E4: un'iscrizione nella finestra è attiva, senza avvisi, con i giorni di fruizione scelti; una seconda nello stesso anno è rifiutata", async () => {
    const { payer, pupil } = await pupilAndPayer();
    const { enrollment, warnings } = await app.call('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, classId: base.cls.id, weekdays: [1, 3, 5], paymentMethod: 'sdd' });
    expect(enrollment.status).toBe('attiva');
    expect(enrollment.weekdays).toEqual([1, 3, 5]);
    expect(warnings).toEqual([]);
    const dup = await app.fail('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1], paymentMethod: 'prepagato' });
    expect(dup.issues[0].message).toMatch(/già iscritto/);
  });

  it("E4: un giorno in cui la scuola non serve il pasto è rifiutato", async () => {
    const { payer, pupil } = await pupilAndPayer();
    const err = await app.fail('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.cassinoSchool.id, weekdays: [1, 2], paymentMethod: 'prepagato' });
    expect(err.issues[0]).toMatchObject({ path: ['weekdays'] });
    expect(err.issues[0].message).toMatch(/martedì/);
  });

  it("E1: fuori dalla finestra del comune l'ufficio può iscrivere, con un avviso", async () => {
    await app.travel('2026-09-15T08:00:00Z');
    const { payer, pupil } = await pupilAndPayer();
    const r = await app.call('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato' });
    expect(r.warnings[0]).toMatch(/fuori dalla finestra/);
    expect(r.enrollment.startsOn).toBe('2026-09-15');
  });

  it("P5: senza IBAN l'SDD non si attiva; il messaggio indica il campo e nulla è salvato", async () => {
    const payer = await app.call('payers.create', { ...VALID_PAYER, iban: null, ibanHolder: null });
    const pupil = await app.call('pupils.create', { firstName: 'Maria', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: 'MRNMIA02E45L219X', schoolId: base.school.id });
    const err = await app.fail('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1], paymentMethod: 'sdd' });
    expect(err.issues).toEqual([{ path: ['payer', 'iban'], message: expect.stringMatching(/IBAN/) }]);
    const count = await app.call('enrollments.list', {});
    expect(count.total).toBe(0);
  });

  it("E2: il rinnovo copia l'anno precedente in bozze precompilate, con la classe successiva; le iscrizioni ritirate non si rinnovano", async () => {
    const { payer, pupil } = await pupilAndPayer();
    const { enrollment } = await app.call('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, classId: base.cls.id, weekdays: [2, 4], paymentMethod: 'sdd' });
    const other = await app.call('pupils.create', { firstName: 'Gino', lastName: 'Verdi', birthDate: '1980-01-01', taxCode: 'RSSMRA80A01H501U', schoolId: base.school.id });
    const { enrollment: e2 } = await app.call('enrollments.create', { pupilId: other.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, weekdays: [1], paymentMethod: 'prepagato' });
    const w = await app.call('enrollments.withdraw', { id: e2.id, date: '2026-12-01', reason: 'trasferimento' });
    expect(w.status).toBe('ritirata');
    expect(w.withdrawnOn).toBe('2026-12-01');
    const r = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id }, 'operatore');
    expect(r).toMatchObject({ created: 1, skipped: 0 });
    const renewed = await app.call('enrollments.get', { id: r.createdIds[0] });
    expect(renewed).toMatchObject({ status: 'bozza', weekdays: [2, 4], paymentMethod: 'sdd', payerId: payer.id, classId: base.nextCls.id, renewedFromId: enrollment.id, startsOn: '2027-09-01' });
    const again = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id });
    expect(again).toMatchObject({ created: 0, skipped: 1 });
    const act = await app.call('enrollments.activate', { id: renewed.id });
    expect(act.status).toBe('attiva');
  });

  it("T1: la tariffa di Clusone 5,95 + 4% = 6,18 resta come inserita, senza avviso; un disaccordo di almeno un centesimo avvisa; ogni servizio ha le sue tariffe", async () => {
    const t = await app.call('tariffs.create', { municipalityId: base.clusone.id, validFrom: '2026-09-01', grossCents: 618, netCents: 595, vatRateBp: 400 });
    expect(t).toMatchObject({ grossCents: 618, netCents: 595, vatRateBp: 400, warning: null });
    const overlap = await app.fail('tariffs.create', { municipalityId: base.clusone.id, validFrom: '2027-01-01', grossCents: 650, netCents: 625, vatRateBp: 400 });
    expect(overlap.issues[0].message).toMatch(/sovrappone/);
    const bus = await app.call('tariffs.create', { municipalityId: base.clusone.id, service: 'trasporto', validFrom: '2026-09-01', grossCents: 630, netCents: 595, vatRateBp: 400 });
    expect(bus.warning).toMatch(/almeno un centesimo/);
  });

  it("una modifica dei dati anagrafici si salva e scrive nel registro utente, procedura, prima e dopo", async () => {
    const { pupil } = await pupilAndPayer();
    await app.call('pupils.update', { id: pupil.id, version: app.version('pupil', pupil.id), firstName: 'Mara', lastName: 'Rossi', birthDate: '2002-05-05', taxCode: pupil.taxCode, schoolId: base.school.id, classId: null }, 'operatore');
    const log = await app.call('audit.list', { entity: 'alunno', entityId: String(pupil.id) }, 'supervisore');
    expect(log.rows.map((r) => r.action)).toEqual(['modifica', 'creazione']);
    expect(log.rows[0]).toMatchObject({ username: 'operatore', procedure: 'pupils.update' });
    expect(JSON.parse(log.rows[0].before!).firstName).toBe('Maria');
    expect(JSON.parse(log.rows[0].after!).firstName).toBe('Mara');
  });
});
