import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenDatabase } from '../../db/open';
import { copyTemplateDatabase } from './template-db';
import { createBackend, type Backend } from '../../electron/contract/backend';
import { procedures, type ProcedureName, type ProcInput, type ProcOutput } from '../../electron/contract/registry';
import { fixedClock } from '../../electron/platform/clock';
import type { Role } from '../../electron/contract/roles';
import type { ErrorShape } from '../../electron/contract/errors';
import { currentVersion, type VersionedName } from '../../electron/contract/versions';

export const silentLogger = { info() {}, warn() {}, error() {} };

/** scrypt parameters for test backends (production: CURRENT_SCRYPT in electron/users/passwords.ts). */
export const TEST_PASSWORD_HASHING = { N: 2 ** 10, r: 8, p: 1 };

export interface TestApp {
  dir: string;
  database: OpenDatabase;
  backend: Backend;
  clock: ReturnType<typeof fixedClock>;
  /** session tokens by role, users created on start */
  sessions: Record<Role, string>;
  call<N extends ProcedureName>(name: N, input: ProcInput<N>, role?: Role): Promise<ProcOutput<N>>;
  fail(name: string, input: unknown, role?: Role): Promise<ErrorShape>;
  /** The version of an editable record now (issue 14): what a form that loaded it now would send back. */
  version(name: VersionedName, id?: number): number;
  /** Moves the clock (sessions expire after 30 idle minutes or 10 hours, so everyone logs in again). */
  travel(at: string): Promise<void>;
  close(): void;
}

/** A fresh SQLite file in a temp folder, migrated, with one user per role. */
export async function createTestApp(at = '2026-10-12T08:00:00Z'): Promise<TestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-test-'));
  const file = path.join(dir, 'rette.sqlite');
  // a copy of the run's migrated template rather than migrating again (see template-db.ts)
  copyTemplateDatabase(file);
  const database = openDatabase(file);
  const clock = fixedClock(at);
  // a cheap scrypt cost: six users' hashes per test app would otherwise cost seconds (the real cost,
  // OWASP's N=2^17, is tested in test/unit/users/)
  const backend = createBackend({ database, clock, procedures, dataDir: dir, logger: silentLogger, passwordHashing: TEST_PASSWORD_HASHING });
  const setup = await backend.call('auth.setup', { username: 'admin', displayName: 'Amministratore', password: 'password-admin' });
  if (!setup.ok) throw new Error(JSON.stringify(setup.error));
  const admin = (setup.value as { session: string }).session;
  const sessions = { amministratore: admin } as Record<Role, string>;
  for (const role of ['operatore', 'supervisore'] as const) {
    const r = await backend.call('users.create', { username: role, displayName: role, role, password: `password-${role}` }, admin);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  }
  const usernames: Record<Role, string> = { amministratore: 'admin', supervisore: 'supervisore', operatore: 'operatore' };
  async function loginAll() {
    for (const role of ['operatore', 'supervisore', 'amministratore'] as const) {
      const login = await backend.call('auth.login', { username: usernames[role], password: `password-${role === 'amministratore' ? 'admin' : role}` });
      if (!login.ok) throw new Error(JSON.stringify(login.error));
      sessions[role] = (login.value as { session: string }).session;
    }
  }
  await loginAll();
  return {
    dir,
    database,
    backend,
    clock,
    sessions,
    async call(name, input, role = 'amministratore') {
      const r = await backend.call(name, input, sessions[role]);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
      return r.value as never;
    },
    async fail(name, input, role = 'amministratore') {
      const r = await backend.call(name, input, sessions[role]);
      if (r.ok) throw new Error(`${name} doveva fallire, ha restituito ${JSON.stringify(r.value)}`);
      return r.error;
    },
    version(name, id) {
      return currentVersion(database, name, id ?? null) ?? 0;
    },
    async travel(to) {
      clock.set(to);
      await loginAll();
    },
    close() {
      database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Minimal master data: Clusone (09:30) with a school and a class in 2026/2027, and Cassino (09:00). */
export async function seedBasics(app: TestApp) {
  const clusone = await app.call('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30', enrollmentOpensOn: '2026-07-06', enrollmentClosesOn: '2026-07-31' });
  const cassino = await app.call('municipalities.create', { name: 'Cassino', province: 'FR', cutoffTime: '09:00' });
  const year = await app.call('schoolYears.create', { label: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-06-30' });
  const nextYear = await app.call('schoolYears.create', { label: '2027/2028', startsOn: '2027-09-01', endsOn: '2028-06-30' });
  const school = await app.call('schools.create', { municipalityId: clusone.id, name: 'Primaria Clusone', kind: 'primaria', address: 'Via Roma 1', serviceWeekdays: [1, 2, 3, 4, 5] });
  const cassinoSchool = await app.call('schools.create', { municipalityId: cassino.id, name: 'Infanzia Cassino', kind: 'infanzia', serviceWeekdays: [1, 3] });
  const cls = await app.call('classes.create', { schoolId: school.id, schoolYearId: year.id, name: '3A' });
  const nextCls = await app.call('classes.create', { schoolId: school.id, schoolYearId: nextYear.id, name: '4A' });
  return { clusone, cassino, year, nextYear, school, cassinoSchool, cls, nextCls };
}

export { VALID_PAYER } from './people';
