/**
 * The demo office, judged by what the office sees through the contract (the same procedures the
 * screens call), not by the generator's own constants: a demo is good when every screen works on
 * it and every record passes the checks a real one must pass.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { addDays, isoWeekday, romeDateOf } from '../../../electron/calendar/rome-time';

let app: TestApp;
const TODAY = '2027-01-15';
beforeEach(async () => {
  // in the school year 2026/2027, after this year's activations and the autumn withdrawals
  app = await createTestApp(`${TODAY}T08:00:00Z`);
});
afterEach(() => app.close());

const n = (t: TestApp, sql: string) => t.database.sqlite.prepare(sql).pluck().get() as number;

/** Every row of a paged list, through the contract. */
async function all<T>(fetch: (offset: number) => Promise<{ rows: T[]; total: number }>): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const page = await fetch(out.length);
    out.push(...page.rows);
    if (page.rows.length === 0 || out.length >= page.total) return out;
  }
}

/** The last weekday before `date` that is not a weekend (the demo's most recent school day). */
function previousWeekday(date: string): string {
  let d = addDays(date, -1);
  while (isoWeekday(d) >= 6) d = addDays(d, -1);
  return d;
}

/** What an office user sees right after the seed, for one clock. */
async function officeOnTheDay(t: TestApp, today: string) {
  const years = await t.call('schoolYears.list', {});
  const municipalities = await t.call('municipalities.list', {});
  const tariffs = await t.call('tariffs.list', {});
  const schools = await t.call('schools.list', {});
  const current = years.find((y) => y.startsOn <= today && today <= y.endsOn);
  return { years, municipalities, tariffs, schools, current };
}

describe('ufficio dimostrativo', () => {
  it('è deterministico: lo stesso seme scrive le stesse righe in due database', async () => {
    await app.call('demo.seed', { pupils: 150, seed: 9 });
    const other = await createTestApp('2027-01-01T10:00:00Z');
    try {
      await other.call('demo.seed', { pupils: 150, seed: 9 });
      const rows = (t: TestApp, sql: string) => t.database.sqlite.prepare(sql).all();
      for (const sql of [
        'SELECT id, first_name, last_name, birth_date, tax_code, user_code, phone_code, school_id, class_id FROM pupils ORDER BY id',
        'SELECT id, first_name, last_name, tax_code, email, mobile, street, street_number, iban FROM payers ORDER BY id',
        'SELECT id, pupil_id, payer_id, school_year_id, class_id, weekdays, payment_method, status, activated_on, withdrawn_on, renewed_from_id FROM enrollments ORDER BY id',
      ]) {
        expect(rows(other, sql)).toEqual(rows(app, sql));
      }
      // another seed, another office
      const third = await createTestApp('2027-01-01T10:00:00Z');
      try {
        await third.call('demo.seed', { pupils: 150, seed: 10 });
        expect(rows(third, 'SELECT tax_code FROM pupils ORDER BY id')).not.toEqual(rows(app, 'SELECT tax_code FROM pupils ORDER BY id'));
      } finally {
        third.close();
      }
    } finally {
      other.close();
    }
  });

  it('ogni comune ha il suo orario limite e una tariffa in vigore oggi; l’anno scolastico di oggi esiste', async () => {
    const out = await app.call('demo.seed', { pupils: 300 });
    const office = await officeOnTheDay(app, TODAY);
    expect(out).toMatchObject({ replaced: false, pupils: 300, municipalities: office.municipalities.length, schoolYears: office.years.length });
    expect(office.municipalities.length).toBeGreaterThan(0);
    expect(office.current).toBeDefined();
    for (const m of office.municipalities) {
      expect(m.cutoffTime, m.name).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      const inForce = office.tariffs.filter((t) => t.municipalityName === m.name && t.validFrom <= TODAY && (t.validTo === null || t.validTo >= TODAY));
      expect(inForce.length, `tariffa in vigore a ${m.name}`).toBeGreaterThan(0);
      for (const t of inForce) {
        expect(Number.isInteger(t.grossCents) && t.grossCents > 0).toBe(true);
        expect(t.warning, m.name).toBeNull();
      }
    }
    // every school is in a listed municipality, has pupils, and serves on school days only (E4)
    const names = new Set(office.municipalities.map((m) => m.name));
    for (const s of office.schools) {
      expect(names.has(s.municipalityName), s.name).toBe(true);
      expect(s.pupils, s.name).toBeGreaterThan(0);
      expect(s.serviceWeekdays.every((d) => d >= 1 && d <= 5), s.name).toBe(true);
    }
  });

  it('E3/E5: ogni alunno e ogni pagatore si apre e si salva senza errori (codice fiscale, data di nascita, IBAN); il codice utente resta', async () => {
    await app.call('demo.seed', { pupils: 200, seed: 3 });
    const pupils = await all((offset) => app.call('pupils.list', { offset, limit: 500 }));
    expect(pupils).toHaveLength(200);
    for (const p of pupils) {
      // the form's own check (E3: the birth date is the one the codice fiscale encodes) runs on save
      const saved = await app.call('pupils.update', { id: p.id, version: app.version('pupil', p.id), firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, taxCode: p.taxCode, schoolId: p.schoolId, classId: p.classId, notes: p.notes });
      expect(saved.taxCode).toBe(p.taxCode);
      expect(saved.userCode).toBe(p.userCode);
    }
    expect(new Set(pupils.map((p) => p.userCode)).size).toBe(pupils.length);
    const payers = await all((offset) => app.call('payers.list', { offset, limit: 500 }));
    expect(payers.length).toBeGreaterThan(0);
    // siblings share their payer
    expect(payers.length).toBeLessThan(pupils.length);
    for (const p of payers) {
      const full = await app.call('payers.get', { id: p.id });
      const { id, version, firstName, lastName, taxCode, email, mobile, street, streetNumber, postcode, town, province, country, iban, ibanHolder } = full;
      const delegates = full.delegates.map((d) => ({ firstName: d.firstName, lastName: d.lastName, taxCode: d.taxCode }));
      await app.call('payers.update', { id, version, firstName, lastName, taxCode, email, mobile, street, streetNumber, postcode, town, province, country, iban, ibanHolder, delegates });
    }
    const cfs = [...pupils.map((p) => p.taxCode), ...payers.map((p) => p.taxCode)];
    expect(new Set(cfs).size).toBe(cfs.length);
  });

  it('le iscrizioni dell’anno corrente: per lo più attive, SDD con IBAN, bozze e ritiri datati, nulla dopo oggi; E4: i giorni scelti sono giorni di servizio della scuola', async () => {
    await app.call('demo.seed', { pupils: 400, seed: 5 });
    const { current } = await officeOnTheDay(app, TODAY);
    const rows = await all((offset) => app.call('enrollments.list', { schoolYearId: current!.id, offset, limit: 500 }));
    expect(rows).toHaveLength(400);
    const by = (status: string) => rows.filter((r) => r.status === status);
    expect(by('attiva').length / rows.length).toBeGreaterThan(0.8);
    expect(by('bozza').length).toBeGreaterThan(0);
    expect(by('ritirata').length).toBeGreaterThan(0);
    for (const r of by('ritirata')) {
      expect(r.withdrawnOn, r.pupilName).not.toBeNull();
      expect(r.withdrawalReason, r.pupilName).not.toBeNull();
    }
    for (const r of by('attiva')) expect(r.activatedOn, r.pupilName).not.toBeNull();
    expect(rows.filter((r) => (r.activatedOn ?? '') > TODAY || (r.withdrawnOn ?? '') > TODAY)).toEqual([]);
    // an active SDD enrollment has a payer with an IBAN
    const sdd = by('attiva').filter((r) => r.paymentMethod === 'sdd').slice(0, 40);
    expect(sdd.length).toBeGreaterThan(0);
    for (const r of sdd) expect((await app.call('payers.get', { id: r.payerId })).iban, r.payerName).not.toBeNull();
    // E4: the chosen weekdays are days the school serves
    const schools = new Map((await app.call('schools.list', {})).map((s) => [s.id, s.serviceWeekdays]));
    expect(rows.filter((r) => r.weekdays.some((d) => !schools.get(r.schoolId)!.includes(d)))).toEqual([]);
  });

  it('A1: sul giorno di scuola appena passato ci sono pasti prenotati e il riepilogo cucina li conta', async () => {
    await app.call('demo.seed', { pupils: 300, seed: 2 });
    const day = previousWeekday(TODAY);
    const expected = await app.call('attendance.expected', { date: day, limit: 1 });
    expect(expected.total).toBeGreaterThan(0);
    const report = await app.call('kitchen.report', { date: day });
    expect(report.meals).toBe(expected.total);
  });

  it('l’anno scolastico segue l’orologio: seminato il 10/02/2029 l’ufficio è quello del 2028/2029, con nulla datato dopo oggi', async () => {
    const today = '2029-02-10';
    const later = await createTestApp(`${today}T10:00:00Z`);
    try {
      await later.call('demo.seed', { pupils: 300, seed: 9 });
      expect(romeDateOf(later.clock.now())).toBe(today);
      const office = await officeOnTheDay(later, today);
      expect(office.current?.label).toBe('2028/2029');
      expect(office.years.every((y) => y.startsOn <= today)).toBe(true);
      // the tariffs in force today exist for each municipality; none starts after today
      for (const m of office.municipalities) {
        expect(office.tariffs.some((t) => t.municipalityName === m.name && t.validFrom <= today && (t.validTo === null || t.validTo >= today)), m.name).toBe(true);
      }
      const rows = await all((offset) => later.call('enrollments.list', { schoolYearId: office.current!.id, offset, limit: 500 }));
      expect(rows.length).toBe(300);
      expect(rows.filter((r) => (r.activatedOn ?? '') > today || (r.withdrawnOn ?? '') > today)).toEqual([]);
      expect(rows.filter((r) => r.withdrawnOn !== null && (r.withdrawnOn < r.startsOn || (r.activatedOn !== null && r.withdrawnOn < r.activatedOn)))).toEqual([]);
      const day = previousWeekday(today);
      expect((await later.call('attendance.expected', { date: day, limit: 1 })).total).toBeGreaterThan(0);
    } finally {
      later.close();
    }
  });

  it('seminato a luglio, prima della chiusura delle iscrizioni, nessuna attivazione è dopo oggi e nessuno si è ancora ritirato', async () => {
    const today = '2026-07-15';
    const july = await createTestApp(`${today}T08:00:00Z`);
    try {
      await july.call('demo.seed', { pupils: 300, seed: 9 });
      const office = await officeOnTheDay(july, today);
      // in July the school year that has not started yet is the one the enrollments are for
      const next = office.years.find((y) => y.startsOn > today)!;
      expect(next).toBeDefined();
      const rows = await all((offset) => july.call('enrollments.list', { schoolYearId: next.id, offset, limit: 500 }));
      expect(rows.length).toBe(300);
      expect(rows.filter((r) => r.status === 'ritirata')).toEqual([]);
      expect(rows.filter((r) => (r.activatedOn ?? '') > today)).toEqual([]);
    } finally {
      july.close();
    }
  });

  it('non scrive mai su dati reali, con o senza force', async () => {
    await app.call('municipalities.create', { name: 'Bergamo', province: 'BG', cutoffTime: '09:15' });
    for (const force of [false, true]) {
      const err = await app.fail('demo.seed', { pupils: 10, force });
      expect(err.code).toBe('CONFLICT');
      expect(err.message).toMatch(/contiene già dati reali/);
    }
    expect(n(app, 'SELECT count(*) FROM pupils')).toBe(0);
    expect((await app.call('municipalities.list', {})).map((m) => m.name)).toEqual(['Bergamo']);
  });

  it('force ricrea un ufficio che è ancora solo dimostrativo; aggiunti dati reali, rifiuta', async () => {
    // without money: a demo with a money history cannot be wiped (the ledger is append-only, see demo-money.test.ts)
    await app.call('demo.seed', { pupils: 50, seed: 2, money: false });
    const again = await app.fail('demo.seed', { pupils: 50 });
    expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/già presenti.*--force/) });
    const redo = await app.call('demo.seed', { pupils: 80, seed: 4, force: true });
    expect(redo).toMatchObject({ replaced: true, pupils: 80 });
    expect((await app.call('pupils.list', { limit: 1 })).total).toBe(80);
    const demoMunicipalities = (await app.call('municipalities.list', {})).length;

    // a real municipality added to the demo office: force must not wipe it
    await app.call('municipalities.create', { name: 'Rovetta', province: 'BG', cutoffTime: '09:30' });
    const refused = await app.fail('demo.seed', { pupils: 50, force: true });
    expect(refused).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/altri dati: non vengono cancellati/) });
    expect((await app.call('municipalities.list', {})).length).toBe(demoMunicipalities + 1);
  });

  it('è riservato all’amministratore, valida l’input e lascia un solo record di audit', async () => {
    expect((await app.fail('demo.seed', {}, 'supervisore')).code).toBe('FORBIDDEN');
    expect((await app.fail('demo.seed', { pupils: 100_001 })).issues[0]).toMatchObject({ path: ['pupils'], message: 'Al massimo 100.000 alunni' });
    expect((await app.fail('demo.seed', { pupils: 0 })).code).toBe('VALIDATION');
    const before = n(app, 'SELECT count(*) FROM audit_log');
    await app.call('demo.seed', { pupils: 20 });
    expect(n(app, 'SELECT count(*) FROM audit_log')).toBe(before + 1);
    expect((await app.call('pupils.list', { limit: 5 })).total).toBe(20);
  });
});
