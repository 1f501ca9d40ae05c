/**
 * Issue 7, "Roles, sign-in and the audit trail": sign-in rules (backoff and lock after wrong
 * passwords, the same cost for unknown users, self-describing scrypt hashes upgraded at the next
 * sign-in) and session rules (revocation, idle and absolute lifetime, sweeping).
 */
import { scryptSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../electron/contract/backend';
import { procedures } from '../../../electron/contract/registry';
import { SESSION_POLICY } from '../../../electron/contract/sessions';
import { CURRENT_SCRYPT, hashPasswordSync, maxmemFor, needsUpgrade, parseStoredHash } from '../../../electron/users/passwords';
import { SIGN_IN_POLICY, waitAfter } from '../../../electron/users/sign-in';
import { createTestApp, silentLogger, type TestApp } from '../../support/backend';

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp('2026-10-12T08:00:00Z');
});
afterEach(() => app.close());

const login = (backend: Backend, username: string, password: string) => backend.call('auth.login', { username, password });
const row = (username: string) =>
  app.database.sqlite.prepare('SELECT id, password_hash AS hash, salt, updated_at AS updatedAt FROM users WHERE username = ?').get(username) as {
    id: number;
    hash: string;
    salt: string;
    updatedAt: string;
  };
const auditRows = (where: string, ...params: unknown[]) =>
  app.database.sqlite.prepare(`SELECT username, procedure, entity, entity_id AS entityId, action, after_json AS after FROM audit_log WHERE ${where} ORDER BY id`).all(...params) as {
    username: string;
    procedure: string;
    entity: string;
    entityId: string | null;
    action: string;
    after: string | null;
  }[];

/** A second backend (another process) on the same database file, with its own sessions. */
function secondBackend(passwordHashing = { N: 2 ** 10, r: 8, p: 1 }) {
  return createBackend({ database: app.database, clock: app.clock, procedures, dataDir: app.dir, logger: silentLogger, passwordHashing });
}

describe('hash della password autodescrittivi (scrypt)', () => {
  it('il hash dichiara i suoi parametri e il sale; i parametri correnti sono quelli indicati da OWASP', () => {
    expect(CURRENT_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const h = hashPasswordSync('una password lunga', CURRENT_SCRYPT);
    expect(h.passwordHash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const parsed = parseStoredHash(h.passwordHash, h.salt)!;
    expect(parsed.params).toEqual(CURRENT_SCRYPT);
    expect(needsUpgrade(parsed)).toBe(false);
    // Node refuses these parameters with its default memory ceiling: maxmem must be raised
    expect(() => scryptSync('x', 'sale', 32, { N: 2 ** 17, r: 8, p: 1 })).toThrow();
    expect(maxmemFor(CURRENT_SCRYPT)).toBeGreaterThan(128 * 2 ** 17 * 8);
  });

  it('un utente creato dal programma ha un hash nel nuovo formato; un hash alterato non è mai accettato', async () => {
    expect(row('operatore').hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(parseStoredHash('$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '')).toBeNull();
    app.database.sqlite.prepare("UPDATE users SET password_hash = 'rotto', version = version + 1 WHERE username = 'operatore'").run();
    expect(await login(app.backend, 'operatore', 'password-operatore')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('un hash del formato precedente (esadecimale, N=2^14) funziona ancora ed è aggiornato al primo accesso', async () => {
    const salt = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const legacy = scryptSync('password-vecchia', salt, 64, { N: 16384, r: 8, p: 1 }).toString('hex');
    const before = row('operatore');
    app.database.sqlite.prepare("UPDATE users SET password_hash = ?, salt = ?, version = version + 1 WHERE username = 'operatore'").run(legacy, salt);
    expect(needsUpgrade(parseStoredHash(legacy, salt)!)).toBe(true);

    expect(await login(app.backend, 'operatore', 'sbagliata')).toMatchObject({ ok: false });
    expect(row('operatore').hash).toBe(legacy); // a wrong password changes nothing
    expect(await login(app.backend, 'operatore', 'password-vecchia')).toMatchObject({ ok: true });
    const after = row('operatore');
    expect(after.hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(after.updatedAt).toBe(before.updatedAt); // not a change of password: sessions go on
    expect(await login(app.backend, 'operatore', 'password-vecchia')).toMatchObject({ ok: true });
    expect(auditRows("action = 'aggiornamento dei parametri della password'")).toEqual([
      expect.objectContaining({ username: 'operatore', entity: 'utente', entityId: String(after.id) }),
    ]);
  });

  it('un hash sotto i parametri correnti è rifatto con i parametri correnti al primo accesso riuscito', async () => {
    const stronger = secondBackend({ N: 2 ** 12, r: 8, p: 1 });
    expect(row('supervisore').hash).toMatch(/^\$scrypt\$ln=10,/);
    expect(await login(stronger, 'supervisore', 'password-supervisore')).toMatchObject({ ok: true });
    expect(row('supervisore').hash).toMatch(/^\$scrypt\$ln=12,r=8,p=1\$/);
    // the old backend (lower target) still accepts the stronger hash and does not downgrade it
    expect(await login(app.backend, 'supervisore', 'password-supervisore')).toMatchObject({ ok: true });
    expect(row('supervisore').hash).toMatch(/^\$scrypt\$ln=12,/);
  });

  it('un nome utente sconosciuto costa quanto una password errata (stesso lavoro scrypt, stessa risposta)', async () => {
    // a cost high enough to dominate the measurement, low enough for a test
    const timed = secondBackend({ N: 2 ** 14, r: 8, p: 1 });
    await timed.call('users.create', { username: 'misurato', displayName: 'M', role: 'operatore', password: 'password-misurata' }, timed.sessionFor({ id: 1, username: 'admin', displayName: 'A', role: 'amministratore' }));
    const median = async (username: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        app.database.sqlite.prepare("DELETE FROM settings WHERE key LIKE 'accesso.tentativi.%'").run();
        const t = process.hrtime.bigint();
        const r = await login(timed, username, 'sbagliata-davvero');
        ms.push(Number(process.hrtime.bigint() - t) / 1e6);
        expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Nome utente o password errati' } });
      }
      return ms.sort((a, b) => a - b)[1];
    };
    const known = await median('misurato');
    const unknown = await median('nessuno-cosi');
    // before issue 7 an unknown user answered about 20 times faster
    expect(unknown).toBeGreaterThan(known * 0.4);
    expect(unknown).toBeLessThan(known * 2.5);
  });
});

describe('attesa crescente e blocco dopo password errate', () => {
  it('dopo 3 errori si attende (1 s, 2 s, 4 s…); a 10 errori il nome utente è bloccato per 15 minuti, anche con la password giusta', async () => {
    expect([1, 2, 3, 4, 5, 9, 10].map(waitAfter)).toEqual([0, 0, 1000, 2000, 4000, 60_000, 15 * 60_000]);
    for (let i = 0; i < 3; i++) expect(await login(app.backend, 'operatore', 'errata')).toMatchObject({ ok: false, error: { message: 'Nome utente o password errati' } });
    // immediately after the third failure: refused without even checking the password
    const wait = await login(app.backend, 'operatore', 'password-operatore');
    expect(wait).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Troppi tentativi di accesso errati: attendere 1 secondo prima di riprovare' } });
    // failures go on, each after its wait, up to the lock
    for (let i = 4; i <= SIGN_IN_POLICY.lockAfter; i++) {
      app.clock.advance(waitAfter(i - 1));
      expect(await login(app.backend, 'operatore', 'errata')).toMatchObject({ ok: false, error: { message: 'Nome utente o password errati' } });
    }
    app.clock.advance(14 * 60_000);
    expect(await login(app.backend, 'operatore', 'password-operatore')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Troppi tentativi di accesso errati: nome utente bloccato, riprovare tra 1 minuto' },
    });
    // other users are not affected
    expect(await login(app.backend, 'supervisore', 'password-supervisore')).toMatchObject({ ok: true });
    app.clock.advance(60_000);
    expect(await login(app.backend, 'operatore', 'password-operatore')).toMatchObject({ ok: true });
    // a success clears the count: the next wrong password is free again
    expect(await login(app.backend, 'operatore', 'errata')).toMatchObject({ ok: false, error: { message: 'Nome utente o password errati' } });
    expect(await login(app.backend, 'operatore', 'password-operatore')).toMatchObject({ ok: true });
  });

  it('il blocco è nel database: sopravvive al riavvio del programma; la nuova password data dall’amministratore lo toglie', async () => {
    for (let i = 1; i <= SIGN_IN_POLICY.lockAfter; i++) {
      expect(await login(app.backend, 'operatore', 'errata')).toMatchObject({ ok: false, error: { message: 'Nome utente o password errati' } });
      app.clock.advance(waitAfter(i));
    }
    app.clock.advance(-1000);
    const restarted = secondBackend();
    expect(await login(restarted, 'operatore', 'password-operatore')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/bloccato/) } });
    const admin = await login(restarted, 'admin', 'password-admin');
    const session = admin.ok ? (admin.value as { session: string }).session : '';
    expect(await restarted.call('users.resetPassword', { id: row('operatore').id, password: 'nuova-password-1' }, session)).toMatchObject({ ok: true });
    expect(await login(restarted, 'operatore', 'nuova-password-1')).toMatchObject({ ok: true });
  });

  it('un nome utente inesistente riceve le stesse risposte, attesa compresa', async () => {
    const answers = async (username: string) => {
      const out = [];
      for (let i = 0; i < 4; i++) out.push(await login(app.backend, username, 'errata'));
      return out;
    };
    const known = await answers('operatore');
    const unknown = await answers('fantasma');
    expect(unknown).toEqual(known);
    expect(unknown[3]).toMatchObject({ ok: false, error: { message: expect.stringMatching(/attendere/) } });
  });
});

describe('registro degli accessi', () => {
  it('accessi riusciti, password errate e accessi in attesa sono registrati, senza mai la password', async () => {
    // the audit log is append-only: read only what this test adds
    const { last } = app.database.sqlite.prepare('SELECT coalesce(max(id), 0) AS last FROM audit_log').get() as { last: number };
    await login(app.backend, 'supervisore', 'password-supervisore');
    for (let i = 0; i < 4; i++) await login(app.backend, 'operatore', 'segreto-sbagliato');
    await login(app.backend, 'Nome Strano\u202e', 'x');
    const rows = auditRows("procedure = 'auth.login' AND id > ?", last);
    expect(rows.map((r) => [r.username, r.action])).toEqual([
      ['supervisore', 'accesso'],
      ['operatore', 'accesso non riuscito'],
      ['operatore', 'accesso non riuscito'],
      ['operatore', 'accesso non riuscito'],
      ['operatore', 'accesso non riuscito'],
      ['(nome non valido)', 'accesso non riuscito'],
    ]);
    expect(JSON.parse(rows[1].after!)).toEqual({ esito: 'UNAUTHENTICATED', messaggio: 'Nome utente o password errati', dettagli: { username: 'operatore' } });
    expect(JSON.parse(rows[4].after!).messaggio).toMatch(/attendere/);
    const all = JSON.stringify(app.database.sqlite.prepare('SELECT * FROM audit_log').all());
    expect(all).not.toMatch(/segreto-sbagliato|password-supervisore|session/);
  });
});

describe('sessioni: revoca, scadenza, pulizia', () => {
  async function newSession(username: string, password: string) {
    const r = await login(app.backend, username, password);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return (r.value as { session: string }).session;
  }
  const alive = async (session: string, backend: Backend = app.backend) => (await backend.call('system.info', {}, session)).ok;

  it('cambiare la propria password chiude le altre sessioni dell’utente e lascia aperta quella in uso', async () => {
    const here = await newSession('operatore', 'password-operatore');
    const elsewhere = await newSession('operatore', 'password-operatore');
    const other = await newSession('supervisore', 'password-supervisore');
    expect(await app.backend.call('auth.changePassword', { current: 'password-operatore', next: 'password-nuova' }, here)).toMatchObject({ ok: true });
    expect(await alive(here)).toBe(true);
    expect(await alive(elsewhere)).toBe(false);
    expect(await alive(other)).toBe(true);
    expect(await login(app.backend, 'operatore', 'password-operatore')).toMatchObject({ ok: false });
    expect(await login(app.backend, 'operatore', 'password-nuova')).toMatchObject({ ok: true });
  });

  it('nuova password, nuovo ruolo o disattivazione chiudono le sessioni anche in un altro processo; il solo nome visualizzato no', async () => {
    const other = secondBackend();
    const remote = async () => {
      const r = await login(other, 'operatore', 'password-operatore');
      return r.ok ? (r.value as { session: string }).session : '';
    };
    const id = row('operatore').id;
    let s = await remote();
    await app.call('users.update', { id, version: app.version('user', id), displayName: 'Operatrice Anna', role: 'operatore', active: true });
    const local = await newSession('operatore', 'password-operatore');
    expect(await alive(local)).toBe(true);
    await app.call('users.update', { id, version: app.version('user', id), displayName: 'Operatrice Anna B.', role: 'operatore', active: true });
    expect(await alive(local)).toBe(true); // same process: a new display name keeps the session
    s = await remote();
    await app.call('users.update', { id, version: app.version('user', id), displayName: 'Operatrice', role: 'supervisore', active: true });
    expect(await alive(s, other)).toBe(false);
    await app.call('users.update', { id, version: app.version('user', id), displayName: 'Operatrice', role: 'operatore', active: true });
    s = await remote();
    await app.call('users.resetPassword', { id, password: 'password-operatore' });
    expect(await alive(s, other)).toBe(false);
    s = await remote();
    await app.call('users.update', { id, version: app.version('user', id), displayName: 'Operatrice', role: 'operatore', active: false });
    expect(await alive(s, other)).toBe(false);
  });

  it('una sessione scade dopo 30 minuti di inattività e, anche se usata, dopo 10 ore', async () => {
    expect(SESSION_POLICY).toMatchObject({ idleMs: 30 * 60_000, absoluteMs: 10 * 3_600_000 });
    const idle = await newSession('operatore', 'password-operatore');
    const busy = await newSession('supervisore', 'password-supervisore');
    app.clock.advance(30 * 60_000);
    expect(await alive(busy)).toBe(true);
    app.clock.advance(1000);
    expect(await alive(idle)).toBe(false);
    for (let h = 0; h < 20; h++) {
      app.clock.advance(29 * 60_000);
      if (!(await alive(busy))) break;
    }
    const ageMs = app.clock.now().getTime() - new Date('2026-10-12T08:00:00Z').getTime();
    expect(ageMs).toBeGreaterThan(10 * 3_600_000);
    expect(ageMs).toBeLessThan(10 * 3_600_000 + 30 * 60_000);
    expect(await alive(busy)).toBe(false);
  });

  it('le sessioni scadute sono tolte dalla memoria anche se nessuno le usa più', async () => {
    for (let i = 0; i < 5; i++) await newSession('operatore', 'password-operatore');
    const before = app.backend.sessions.size;
    expect(before).toBeGreaterThanOrEqual(5);
    app.clock.advance(31 * 60_000);
    const fresh = await newSession('supervisore', 'password-supervisore');
    expect(app.backend.sessions.size).toBe(1);
    expect(await alive(fresh)).toBe(true);
  });

  it('auth.logout è una mutazione: chiude la sessione e resta nel registro', async () => {
    expect(procedures.find((p) => p.name === 'auth.logout')?.kind).toBe('mutation');
    const s = await newSession('operatore', 'password-operatore');
    expect(await app.backend.call('auth.logout', {}, s)).toEqual({ ok: true, value: { ok: true } });
    expect(await alive(s)).toBe(false);
    expect(auditRows("procedure = 'auth.logout'")).toEqual([expect.objectContaining({ username: 'operatore', action: 'uscita' })]);
  });
});
