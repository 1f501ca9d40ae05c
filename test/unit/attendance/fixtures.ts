/**
 * Fixtures for the calendar / attendance / kitchen tests: the basic master data of seedBasics plus
 * pupils enrolled through the contract (so every rule of enrollments applies), and a helper that
 * counts rows straight from SQLite.
 */
import { afterEach, beforeEach } from 'vitest';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { createTestApp, seedBasics, VALID_PAYER, type TestApp } from '../../support/backend';

export type Base = Awaited<ReturnType<typeof seedBasics>> & { payerId: number };

export async function seedAttendance(app: TestApp): Promise<Base> {
  const base = await seedBasics(app);
  const payer = await app.call('payers.create', VALID_PAYER, 'operatore');
  // T1: Clusone's published price, valid for the whole school year
  await app.call('tariffs.create', { municipalityId: base.clusone.id, validFrom: '2026-09-01', grossCents: 618, netCents: 595, vatRateBp: 400 });
  return { ...base, payerId: payer.id };
}

/**
 * For each test of a file: a fresh test app at `at` (by default Monday 5 October 2026, 08:00 in
 * Rome) with the attendance master data, handed to `ready`; closed after the test.
 */
export function useAttendanceApp(ready: (app: TestApp, base: Base) => void, at = '2026-10-05T06:00:00Z'): void {
  let app: TestApp | null = null;
  beforeEach(async () => {
    app = await createTestApp(at);
    ready(app, await seedAttendance(app));
  });
  afterEach(() => app?.close());
}

const FIRST = ['Anna', 'Luca', 'Sara', 'Marco', 'Giulia', 'Paolo', 'Elena', 'Davide', 'Chiara', 'Matteo', 'Irene', 'Pietro', 'Marta', 'Simone', 'Alice', 'Tommaso'];
const LAST = ['Bianchi', 'Ferrari', 'Esposito', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'Costa', 'Giordano', 'Mancini', 'Rizzo', 'Lombardi'];
let counter = 0;

export interface EnrollOptions {
  schoolId?: number;
  classId?: number | null;
  weekdays?: number[];
  startsOn?: string;
  activate?: boolean;
}

/** A pupil of Clusone's primary school, class 3A, eating Monday to Friday, unless told otherwise. */
export async function enrollPupil(app: TestApp, base: Base, o: EnrollOptions = {}) {
  const n = counter++;
  const firstName = FIRST[n % FIRST.length];
  const lastName = `${LAST[Math.floor(n / FIRST.length) % LAST.length]}${'x'.repeat(Math.floor(n / (FIRST.length * LAST.length)))}`;
  const birthDate = `2017-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 27) + 1).padStart(2, '0')}`;
  const taxCode = buildCodiceFiscale({ lastName, firstName, birthDate, sex: n % 2 ? 'M' : 'F', belfiore: 'C800' });
  const schoolId = o.schoolId ?? base.school.id;
  const classId = o.classId === undefined ? (schoolId === base.school.id ? base.cls.id : null) : o.classId;
  const pupil = await app.call('pupils.create', { firstName, lastName, birthDate, taxCode, schoolId, classId }, 'operatore');
  const { enrollment } = await app.call(
    'enrollments.create',
    {
      pupilId: pupil.id,
      schoolYearId: base.year.id,
      payerId: base.payerId,
      schoolId,
      classId,
      weekdays: o.weekdays ?? (schoolId === base.school.id ? [1, 2, 3, 4, 5] : [1, 3]),
      paymentMethod: 'sdd',
      startsOn: o.startsOn ?? '2026-09-14',
      activate: o.activate ?? true,
    },
    'operatore',
  );
  return { pupil, enrollment };
}

export function count(app: TestApp, sql: string, ...params: unknown[]): number {
  return (app.database.sqlite.prepare(sql).get(...params) as { n: number }).n;
}
