import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procedures } from '../../../electron/contract/registry';
import { ROLES, roleAllows, type Role } from '../../../electron/contract/roles';
import { createTestApp, type TestApp } from '../../support/backend';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe('roles are checked in the contract for every procedure', () => {
  it('every procedure declares a role, a title and zod schemas; names are unique', () => {
    const names = procedures.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of procedures) {
      expect(['pubblico', ...ROLES]).toContain(p.role);
      expect(p.title.length).toBeGreaterThan(5);
      expect(typeof p.input.safeParse).toBe('function');
      expect(typeof p.output.safeParse).toBe('function');
    }
  });

  const cases: { name: string; required: string; role: Role }[] = [];
  for (const p of procedures) {
    if (p.role === 'pubblico') continue;
    for (const role of ROLES) if (!roleAllows(role, p.role)) cases.push({ name: p.name, required: p.role, role });
  }

  it('there is at least one procedure refused to each lower role', () => {
    expect(cases.some((c) => c.role === 'operatore')).toBe(true);
    expect(cases.some((c) => c.role === 'supervisore')).toBe(true);
  });

  it.each(cases)('$role is refused $name (needs $required) with FORBIDDEN', async ({ name, role }) => {
    // the payload does not matter: the role is checked before the input
    const r = await app.backend.call(name, {}, app.sessions[role]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('FORBIDDEN');
      expect(r.error.message).toMatch(/riservata/);
    }
  });

  it.each(procedures.filter((p) => p.role !== 'pubblico').map((p) => ({ name: p.name })))(
    'without a session $name answers UNAUTHENTICATED',
    async ({ name }) => {
      const r = await app.backend.call(name, {}, null);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    },
  );

  it('an unknown procedure is NOT_FOUND with an Italian message', async () => {
    const r = await app.backend.call('pupils.drop', {}, app.sessions.amministratore);
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/sconosciuta/) } });
  });

  it('a deactivated user loses the session and cannot log in', async () => {
    const u = await app.call('users.create', { username: 'temp', displayName: 'Temp', role: 'operatore', password: 'password-temp' });
    const login = await app.backend.call('auth.login', { username: 'temp', password: 'password-temp' });
    expect(login.ok).toBe(true);
    await app.call('users.update', { id: u.id, displayName: 'Temp', role: 'operatore', active: false });
    const session = login.ok ? (login.value as { session: string }).session : '';
    expect(await app.backend.call('system.info', {}, session)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await app.backend.call('auth.login', { username: 'temp', password: 'password-temp' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('wrong password and unknown user give the same message', async () => {
    const a = await app.backend.call('auth.login', { username: 'admin', password: 'sbagliata' });
    const b = await app.backend.call('auth.login', { username: 'nessuno', password: 'sbagliata' });
    expect(a).toEqual(b);
    expect(a).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Nome utente o password errati' } });
  });

  it('the last administrator cannot be demoted', async () => {
    const err = await app.fail('users.update', { id: 1, displayName: 'Admin', role: 'operatore', active: true });
    expect(err.issues[0].message).toMatch(/almeno un amministratore/);
  });

  it('auth.setup is refused once an administrator exists', async () => {
    const r = await app.backend.call('auth.setup', { username: 'altro', displayName: 'Altro', password: 'password-x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
