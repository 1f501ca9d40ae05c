import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { demoSchoolYearStart, generateDemoOffice } from '../../../electron/demo/generate';
import { decodeCodiceFiscale, validateCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { validateIban } from '../../../electron/identifiers/iban';
import { activationIssues } from '../../../electron/enrollments/service';

let app: TestApp;
beforeEach(async () => {
  // in the school year 2026/2027, after this year's activations and the autumn withdrawals
  app = await createTestApp('2027-01-15T08:00:00Z');
});
afterEach(() => app.close());

const q = <T = Record<string, unknown>>(sql: string) => app.database.sqlite.prepare(sql).all() as T[];
const n = (sql: string) => app.database.sqlite.prepare(sql).pluck().get() as number;

describe('demo office', () => {
  it('is deterministic: the same seed gives the same office, another seed another one', () => {
    const a = generateDemoOffice(300, 5, '2027-01-15');
    const b = generateDemoOffice(300, 5, '2027-01-15');
    expect(b).toEqual(a);
    // any day of the same school year after the autumn withdrawals gives the same office
    expect(generateDemoOffice(300, 5, '2027-06-30')).toEqual(a);
    const c = generateDemoOffice(300, 6, '2027-01-15');
    expect(c.pupils.map((p) => p.taxCode)).not.toEqual(a.pupils.map((p) => p.taxCode));
    expect(a.pupils).toHaveLength(300);
  });

  it('the same seed writes the same rows into two databases', async () => {
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
    } finally {
      other.close();
    }
  });

  it('A2/T1/E1: Clusone and Cassino with their cutoffs, the Clusone tariff, two school years, about ten schools', async () => {
    const out = await app.call('demo.seed', {});
    expect(out).toMatchObject({ seed: 1, replaced: false, municipalities: 2, schoolYears: 2, pupils: 2000, enrollments: expect.any(Number) });
    const munis = await app.call('municipalities.list', {});
    expect(munis.map((m) => [m.name, m.province, m.cutoffTime, m.enrollmentOpensOn, m.enrollmentClosesOn])).toEqual([
      ['Cassino', 'FR', '09:00', null, null],
      ['Clusone', 'BG', '09:30', '2026-07-06', '2026-07-31'],
    ]);
    const tariffs = await app.call('tariffs.list', {});
    const clusone = tariffs.find((t) => t.municipalityName === 'Clusone' && t.validFrom === '2026-09-01')!;
    expect(clusone).toMatchObject({ service: 'mensa', grossCents: 618, netCents: 595, vatRateBp: 400, validTo: null, warning: null });
    expect(tariffs.some((t) => t.municipalityName === 'Cassino')).toBe(true);
    expect((await app.call('schoolYears.list', {})).map((y) => y.label)).toEqual(['2025/2026', '2026/2027']);
    const schools = await app.call('schools.list', {});
    expect(schools.length).toBeGreaterThanOrEqual(8);
    expect(schools.length).toBeLessThanOrEqual(12);
    expect(new Set(schools.map((s) => s.kind))).toEqual(new Set(['infanzia', 'primaria', 'secondaria']));
    expect(schools.some((s) => s.serviceWeekdays.join() === '1,3')).toBe(true); // afternoon-return days only
    expect(schools.every((s) => s.address.length > 10 && s.pupils > 0)).toBe(true);
    expect(n('SELECT count(*) FROM classes')).toBeGreaterThan(20);
  });

  it('E3/E5: every codice fiscale and IBAN is valid, codes are unique, the birth date matches the CF', async () => {
    await app.call('demo.seed', { pupils: 2000, seed: 3 });
    const pupils = q<{ tax_code: string; birth_date: string; user_code: string; phone_code: string }>('SELECT tax_code, birth_date, user_code, phone_code FROM pupils');
    const payers = q<{ tax_code: string; iban: string | null; iban_holder: string | null; email: string; mobile: string; postcode: string; province: string; street: string; street_number: string }>(
      'SELECT tax_code, iban, iban_holder, email, mobile, postcode, province, street, street_number FROM payers',
    );
    expect(pupils).toHaveLength(2000);
    for (const p of pupils) {
      expect(validateCodiceFiscale(p.tax_code)).toEqual({ ok: true, value: p.tax_code });
      expect(decodeCodiceFiscale(p.tax_code).birthDate).toBe(p.birth_date);
      expect(p.user_code).toMatch(/^\d{8}$/);
      expect(p.phone_code).toMatch(/^\d{6}$/);
    }
    const allCf = [...pupils.map((p) => p.tax_code), ...payers.map((p) => p.tax_code)];
    expect(new Set(allCf).size).toBe(allCf.length);
    expect(new Set(pupils.map((p) => p.user_code)).size).toBe(2000);
    expect(new Set(pupils.map((p) => p.phone_code)).size).toBe(2000);
    for (const p of payers) {
      expect(validateCodiceFiscale(p.tax_code).ok).toBe(true);
      expect(p.email).toMatch(/^[a-z]+\.[a-z]+\d*@example\.(com|org|net)$/);
      expect(p.mobile).toMatch(/^3\d{9}$/);
      expect(p.postcode).toMatch(/^(24023|03043)$/);
      expect(p.street).not.toBe('');
      expect(p.street_number).not.toBe('');
      if (p.iban !== null) {
        expect(validateIban(p.iban)).toEqual({ ok: true, value: p.iban });
        expect(p.iban.startsWith('IT')).toBe(true);
        expect(p.iban_holder).not.toBe('');
      }
    }
    // siblings share their payer
    expect(payers.length).toBeLessThan(pupils.length);
    expect(payers.filter((p) => p.iban).length).toBeGreaterThan(200);
  });

  it('E2/E3/E6: enrollments for both years, mostly active, SDD with IBAN, drafts and withdrawals with a date', async () => {
    await app.call('demo.seed', { pupils: 2000 });
    const current = q<{ status: string; payment_method: string; n: number }>(
      "SELECT e.status, e.payment_method, count(*) AS n FROM enrollments e JOIN school_years y ON y.id = e.school_year_id WHERE y.label = '2026/2027' GROUP BY 1, 2",
    );
    const total = current.reduce((s, r) => s + r.n, 0);
    expect(total).toBe(2000);
    const by = (status: string) => current.filter((r) => r.status === status).reduce((s, r) => s + r.n, 0);
    expect(by('attiva') / total).toBeGreaterThan(0.8);
    expect(by('bozza')).toBeGreaterThan(0);
    expect(by('ritirata')).toBeGreaterThan(0);
    expect(current.some((r) => r.payment_method === 'sdd')).toBe(true);
    expect(current.some((r) => r.payment_method === 'prepagato')).toBe(true);
    expect(n("SELECT count(*) FROM enrollments WHERE status = 'ritirata' AND (withdrawn_on IS NULL OR withdrawal_reason IS NULL)")).toBe(0);
    expect(n("SELECT count(*) FROM enrollments WHERE status = 'attiva' AND activated_on IS NULL")).toBe(0);
    expect(n("SELECT count(*) FROM enrollments e JOIN school_years y ON y.id = e.school_year_id WHERE y.label = '2025/2026'")).toBeGreaterThan(1000);
    // renewals point at last year's enrollment of the same pupil
    expect(n('SELECT count(*) FROM enrollments WHERE renewed_from_id IS NOT NULL')).toBeGreaterThan(500);
    expect(n('SELECT count(*) FROM enrollments e JOIN enrollments p ON p.id = e.renewed_from_id WHERE p.pupil_id <> e.pupil_id OR p.school_year_id = e.school_year_id')).toBe(0);
    // E4: weekdays are days the school serves
    const bad = q<{ weekdays: string; service_weekdays: string }>('SELECT e.weekdays, s.service_weekdays FROM enrollments e JOIN schools s ON s.id = e.school_id').filter(
      (r) => r.weekdays.split(',').some((d) => !r.service_weekdays.split(',').includes(d)),
    );
    expect(bad).toEqual([]);
    // E3: every active enrollment could be activated by hand too
    const active = q<{ pupilId: number; payerId: number; paymentMethod: string }>(
      "SELECT pupil_id AS pupilId, payer_id AS payerId, payment_method AS paymentMethod FROM enrollments WHERE status = 'attiva'",
    );
    for (const e of active.slice(0, 300)) expect(activationIssues(app.database.db, e)).toEqual([]);
    // the classes are those of the enrollment's year and school
    expect(n('SELECT count(*) FROM enrollments e JOIN classes c ON c.id = e.class_id WHERE c.school_year_id <> e.school_year_id OR c.school_id <> e.school_id')).toBe(0);
  });

  it('the current school year is that of the clock: from July the one starting in September', () => {
    expect(demoSchoolYearStart('2026-06-30')).toBe(2025);
    expect(demoSchoolYearStart('2026-07-01')).toBe(2026);
    expect(demoSchoolYearStart('2027-06-30')).toBe(2026);
    expect(demoSchoolYearStart('2029-02-10')).toBe(2028);
    expect(demoSchoolYearStart('2029-12-31')).toBe(2029);
    expect(() => demoSchoolYearStart('2029-02-30')).toThrow(/Data non valida/);
  });

  it('E1/T1/A1: seeded on 10/02/2029 the office is that of 2027/2028 and 2028/2029, with nothing dated after today and meals booked on the past days', async () => {
    const later = await createTestApp('2029-02-10T10:00:00Z');
    try {
      await later.call('demo.seed', { pupils: 600, seed: 9 });
      const one = <T>(sql: string) => later.database.sqlite.prepare(sql).get() as T;
      const count = (sql: string) => later.database.sqlite.prepare(sql).pluck().get() as number;
      const years = await later.call('schoolYears.list', {});
      expect(years.map((y) => [y.label, y.startsOn, y.endsOn])).toEqual([
        ['2027/2028', '2027-09-01', '2028-06-30'],
        ['2028/2029', '2028-09-01', '2029-06-30'],
      ]);
      const clusone = (await later.call('municipalities.list', {})).find((m) => m.name === 'Clusone')!;
      expect([clusone.enrollmentOpensOn, clusone.enrollmentClosesOn]).toEqual(['2028-07-06', '2028-07-31']);
      expect(clusone.notes).toContain('Iscrizioni 2028/2029 online dal 6 al 31 luglio 2028');
      const tariffs = (await later.call('tariffs.list', {})).filter((t) => t.municipalityName === 'Clusone');
      expect(tariffs.map((t) => [t.validFrom, t.validTo, t.grossCents]).sort()).toEqual([
        ['2027-09-01', '2028-08-31', 608],
        ['2028-09-01', null, 618],
      ]);
      // nothing activated or withdrawn after today; withdrawals from the start of the enrollment on (E6)
      expect(count("SELECT count(*) FROM enrollments WHERE activated_on > '2029-02-10' OR withdrawn_on > '2029-02-10'")).toBe(0);
      expect(count('SELECT count(*) FROM enrollments WHERE withdrawn_on < starts_on OR withdrawn_on < activated_on')).toBe(0);
      const current = one<{ n: number; active: number; withdrawn: number; first: string; last: string }>(
        `SELECT count(*) AS n, sum(e.status = 'attiva') AS active, sum(e.status = 'ritirata') AS withdrawn, min(e.activated_on) AS first, max(e.activated_on) AS last
         FROM enrollments e JOIN school_years y ON y.id = e.school_year_id WHERE y.label = '2028/2029'`,
      );
      expect(current).toMatchObject({ n: 600, first: expect.stringMatching(/^2028-07-/) });
      expect(current.last <= '2028-09-10').toBe(true);
      expect(current.active / current.n).toBeGreaterThan(0.8);
      expect(current.withdrawn).toBeGreaterThan(0);
      expect(count("SELECT count(*) FROM enrollments e JOIN school_years y ON y.id = e.school_year_id WHERE y.label = '2027/2028' AND e.activated_on NOT LIKE '2027-%'")).toBe(0);
      // the pupils' ages follow the year: first grade of primary school in 2028/2029, born in 2022
      const firstGrade = later.database.sqlite
        .prepare("SELECT DISTINCT substr(p.birth_date, 1, 4) FROM pupils p JOIN classes c ON c.id = p.class_id JOIN schools s ON s.id = p.school_id WHERE s.kind = 'primaria' AND c.name LIKE '1%'")
        .pluck()
        .all();
      expect(firstGrade).toEqual(['2022']);
      // the days before today have meals booked (Friday 9 February 2029, a school day)
      expect((await later.call('attendance.expected', { date: '2029-02-09', limit: 1 })).total).toBeGreaterThan(200);
      // the same seed in another school year: the same families, shifted by the years in between
      const before = generateDemoOffice(600, 9, '2027-01-15');
      const after = generateDemoOffice(600, 9, '2029-02-10');
      expect(after.pupils.map((p) => [p.lastName, p.firstName, p.userCode])).toEqual(before.pupils.map((p) => [p.lastName, p.firstName, p.userCode]));
      expect(after.enrollments.map((e) => e.status)).toEqual(before.enrollments.map((e) => e.status));
    } finally {
      later.close();
    }
  });

  it('E3/E6: seeded in July, before the enrollment window closes, no activation is after today and nobody has withdrawn from the new year yet', async () => {
    const july = await createTestApp('2026-07-15T08:00:00Z');
    try {
      await july.call('demo.seed', { pupils: 400, seed: 9 });
      await app.call('demo.seed', { pupils: 400, seed: 9 });
      const rows = (t: TestApp, sql: string) => t.database.sqlite.prepare(sql).all() as Record<string, unknown>[];
      expect((await july.call('schoolYears.list', {})).map((y) => y.label)).toEqual(['2025/2026', '2026/2027']);
      expect(rows(july, "SELECT * FROM enrollments WHERE activated_on > '2026-07-15' OR withdrawn_on > '2026-07-15'")).toEqual([]);
      const current = "SELECT e.id, e.status, e.activated_on AS activatedOn, e.withdrawn_on AS withdrawnOn FROM enrollments e JOIN school_years y ON y.id = e.school_year_id WHERE y.label = '2026/2027' ORDER BY e.id";
      const inJuly = rows(july, current);
      const inJanuary = rows(app, current);
      expect(inJuly.filter((e) => e.status === 'ritirata')).toEqual([]);
      expect(inJanuary.filter((e) => e.status === 'ritirata').length).toBeGreaterThan(0);
      // the same enrollments: those withdrawn later are still active, activated between 1 July and today
      expect(inJuly).toHaveLength(inJanuary.length);
      inJuly.forEach((e, i) => {
        const jan = inJanuary[i];
        expect(e.status).toBe(jan.status === 'ritirata' ? 'attiva' : jan.status);
        if (jan.activatedOn === null) expect(e.activatedOn).toBeNull();
        else expect(String(e.activatedOn)).toMatch(/^2026-07-(0[1-9]|1[0-5])$/);
      });
      // last year is untouched by the clock
      const previous = "SELECT e.status, e.activated_on, e.withdrawn_on FROM enrollments e JOIN school_years y ON y.id = e.school_year_id WHERE y.label = '2025/2026' ORDER BY e.id";
      expect(rows(july, previous)).toEqual(rows(app, previous));
      expect(rows(july, 'SELECT tax_code, birth_date, user_code FROM pupils ORDER BY id')).toEqual(rows(app, 'SELECT tax_code, birth_date, user_code FROM pupils ORDER BY id'));
    } finally {
      july.close();
    }
  });

  it('never runs over real data, with or without force', async () => {
    await app.call('municipalities.create', { name: 'Bergamo', province: 'BG', cutoffTime: '09:15' });
    for (const force of [false, true]) {
      const err = await app.fail('demo.seed', { pupils: 10, force });
      expect(err.code).toBe('CONFLICT');
      expect(err.message).toMatch(/contiene già dati reali/);
    }
    expect(n('SELECT count(*) FROM pupils')).toBe(0);
    expect(n('SELECT count(*) FROM municipalities')).toBe(1);
  });

  it('force re-creates an office that is still only the demo; once real data is added it refuses', async () => {
    await app.call('demo.seed', { pupils: 50, seed: 2 });
    const again = await app.fail('demo.seed', { pupils: 50 });
    expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/già presenti.*--force/) });
    const redo = await app.call('demo.seed', { pupils: 80, seed: 4, force: true });
    expect(redo).toMatchObject({ replaced: true, pupils: 80 });
    expect(n('SELECT count(*) FROM pupils')).toBe(80);
    expect(n('SELECT count(*) FROM municipalities')).toBe(2);

    // a real municipality added to the demo office: force must not wipe it
    await app.call('municipalities.create', { name: 'Rovetta', province: 'BG', cutoffTime: '09:30' });
    const refused = await app.fail('demo.seed', { pupils: 50, force: true });
    expect(refused).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/altri dati: non vengono cancellati/) });
    expect(n('SELECT count(*) FROM municipalities')).toBe(3);
  });

  it('is reserved to the administrator, validates its input and leaves one audit record', async () => {
    expect((await app.fail('demo.seed', {}, 'supervisore')).code).toBe('FORBIDDEN');
    expect((await app.fail('demo.seed', { pupils: 100_001 })).issues[0]).toMatchObject({ path: ['pupils'], message: 'Al massimo 100.000 alunni' });
    expect((await app.fail('demo.seed', { pupils: 0 })).code).toBe('VALIDATION');
    const before = n('SELECT count(*) FROM audit_log');
    await app.call('demo.seed', { pupils: 20 });
    expect(n('SELECT count(*) FROM audit_log')).toBe(before + 1);
    const list = await app.call('pupils.list', { limit: 5 });
    expect(list.total).toBe(20);
  });
});
