import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { ADDRESS_THROTTLE_POLICY } from '../../../electron/host/address-throttle';
import { DEFAULT_LIMITS, SERVER_LIMITS } from '../../../electron/host/http-host';
import { startTestServer, type TestServer } from './server-host';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

const origin = () => `https://127.0.0.1:${server.host.port}`;

describe('server in rete: richieste da altri siti e nomi del server', () => {
  it('senza token di avvio: l’accesso con nome utente e password basta, e le procedure chiedono la sessione', async () => {
    expect(server.host.mode).toBe('server');
    expect(server.host.token).toBe('');
    const session = await server.login('operatore', 'password-operatore');
    const status = await server.request('/api/auth.status', { body: {}, headers: { 'X-Rette-Session': session } });
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ ok: true, value: { user: { username: 'operatore' } } });
    const anonymous = await server.request('/api/users.list', { body: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // the list of procedures too: only for a signed-in user
    expect((await server.request('/api')).status).toBe(401);
    expect((await server.request('/api', { headers: { 'X-Rette-Session': session } })).status).toBe(200);
  });

  it('un nome del server non configurato nell’intestazione Host è rifiutato (DNS rebinding), quelli configurati passano', async () => {
    const refused = await server.request('/api/auth.status', { body: {}, headers: { Host: `attaccante.example:${server.host.port}` } });
    expect(refused.status).toBe(421);
    expect(refused.json()).toMatchObject({ ok: false, error: { message: expect.stringContaining('Nome del server non riconosciuto') } });
    expect((await server.request('/health', { headers: { Host: 'rette-server.attaccante.example' } })).status).toBe(421);
    for (const host of [`rette-server:${server.host.port}`, `RETTE-SERVER:${server.host.port}`, `[::1]:${server.host.port}`, 'localhost']) {
      expect((await server.request('/api/auth.status', { body: {}, headers: { Host: host } })).status, host).toBe(200);
    }
  });

  it('un Origin di un altro sito è rifiutato; quello del server stesso passa', async () => {
    for (const foreign of ['https://attaccante.example', `http://127.0.0.1:${server.host.port}`, `https://127.0.0.1:${server.host.port + 1}`, 'null']) {
      const r = await server.request('/api/auth.login', { body: { username: 'admin', password: 'password-admin' }, headers: { Origin: foreign } });
      expect(r.status, foreign).toBe(403);
      expect(r.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Richiesta da un altro sito: rifiutata' } });
    }
    const crossSite = await server.request('/api/auth.status', { body: {}, headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    for (const own of [origin(), `https://rette-server:${server.host.port}`]) {
      const r = await server.request('/api/auth.status', { body: {}, headers: { Origin: own, 'Sec-Fetch-Site': 'same-origin' } });
      expect(r.status, own).toBe(200);
    }
  });

  it('i limiti di dimensione valgono anche in rete; le connessioni sono quelle di un ufficio intero', async () => {
    const r = await server.request('/api/auth.status', { body: { x: 'a'.repeat(1024 * 1024 + 10) } });
    expect(r.status).toBe(413);
    expect(server.host.server.maxConnections).toBe(SERVER_LIMITS.maxConnections);
    expect(SERVER_LIMITS.maxConnections).toBeGreaterThan(DEFAULT_LIMITS.maxConnections);
  });
});

describe('server in rete: accesso', () => {
  it('dopo troppi accessi errati dalla stessa postazione, anche con nomi utente diversi, la postazione deve attendere', async () => {
    const { freeFailures } = ADDRESS_THROTTLE_POLICY;
    for (let i = 0; i < freeFailures; i++) {
      const r = await server.request('/api/auth.login', { body: { username: `tentativo${i}`, password: 'sbagliata' } });
      expect(r.status, `tentativo ${i}`).toBe(401);
    }
    // even the right password now waits: the address is slowed down, not the username
    const blocked = await server.request('/api/auth.login', { body: { username: 'supervisore', password: 'password-supervisore' } });
    expect(blocked.status).toBe(429);
    expect(blocked.json()).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/^Troppi tentativi di accesso errati da questa postazione: attendere 1 secondo/) },
    });
    // the clock moves on: the wait is over, a correct sign-in clears the address
    server.app.clock.advance(1500);
    expect(await server.login('supervisore', 'password-supervisore')).toEqual(expect.any(String));
    const after = await server.request('/api/auth.login', { body: { username: 'tentativo-dopo', password: 'sbagliata' } });
    expect(after.status).toBe(401);
  });

  it('un nome utente con troppe password errate in rete è bloccato come sul desktop', async () => {
    for (let i = 0; i < 3; i++) await server.request('/api/auth.login', { body: { username: 'operatore', password: 'sbagliata' } });
    const r = await server.request('/api/auth.login', { body: { username: 'operatore', password: 'sbagliata' } });
    expect(r.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const right = await server.request('/api/auth.login', { body: { username: 'operatore', password: 'password-operatore' } });
    expect(right.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('Troppi tentativi di accesso errati') } });
    server.app.clock.advance(60_000);
  });

  it('«esci da tutte le postazioni» chiude ogni sessione dell’utente, non quelle degli altri', async () => {
    const a = await server.login('admin', 'password-admin', { 'X-Rette-Workstation': 'PC-1' });
    const b = await server.login('admin', 'password-admin', { 'X-Rette-Workstation': 'PC-2' });
    const someoneElse = await server.login('supervisore', 'password-supervisore');
    const out = await server.request('/api/auth.logoutEverywhere', { body: {}, headers: { 'X-Rette-Session': a } });
    expect(out.json()).toMatchObject({ ok: true, value: { ok: true } });
    expect((out.json() as { value: { closed: number } }).value.closed).toBeGreaterThanOrEqual(2);
    for (const s of [a, b]) expect((await server.request('/api/users.list', { body: {}, headers: { 'X-Rette-Session': s } })).status).toBe(401);
    expect((await server.request('/api/audit.list', { body: {}, headers: { 'X-Rette-Session': someoneElse } })).status).toBe(200);
  });
});

describe('server in rete: postazione nel registro delle modifiche', () => {
  it('una modifica fatta in rete registra utente e postazione dichiarata con l’indirizzo', async () => {
    const session = await server.login('admin', 'password-admin', { 'X-Rette-Workstation': 'PC-RETTE-2' });
    const r = await server.request('/api/municipalities.create', {
      body: { name: 'Castione', province: 'BG', cutoffTime: '09:00' },
      headers: { 'X-Rette-Session': session, 'X-Rette-Workstation': '  PC-RETTE-2 ' },
    });
    expect(r.json()).toMatchObject({ ok: true });
    const row = server.app.database.sqlite
      .prepare("SELECT username, workstation FROM audit_log WHERE procedure = 'municipalities.create' ORDER BY id DESC LIMIT 1")
      .get() as { username: string; workstation: string };
    expect(row).toEqual({ username: 'admin', workstation: 'PC-RETTE-2 (127.0.0.1)' });
    // the sign-in names it too, and the readable log shows it
    const list = await server.request('/api/audit.list', { body: { procedure: 'municipalities.create' }, headers: { 'X-Rette-Session': session } });
    expect((list.json() as { value: { rows: { workstation: string | null }[] } }).value.rows[0].workstation).toBe('PC-RETTE-2 (127.0.0.1)');
    // a browser declares nothing: the address alone
    const plain = await server.login('admin', 'password-admin');
    await server.request('/api/municipalities.create', { body: { name: 'Rovetta', province: 'BG', cutoffTime: '09:00' }, headers: { 'X-Rette-Session': plain } });
    const last = server.app.database.sqlite.prepare('SELECT workstation FROM audit_log ORDER BY id DESC LIMIT 1').get() as { workstation: string };
    expect(last.workstation).toBe('127.0.0.1');
  });

  it('un nome di postazione troppo lungo o con caratteri non ammessi è rifiutato, nulla è registrato', async () => {
    const session = await server.login('admin', 'password-admin');
    const before = (server.app.database.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    for (const bad of ['x'.repeat(65), 'PC<script>', 'PC\u202eRETTE', 'PC (finto)']) {
      const r = await server.request('/api/municipalities.create', {
        body: { name: 'Gromo', province: 'BG', cutoffTime: '09:00' },
        headers: { 'X-Rette-Session': session, 'X-Rette-Workstation': Buffer.from(bad, 'utf8').toString('latin1') },
      });
      expect(r.status, bad).toBe(400);
      expect(r.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('postazione') } });
    }
    expect((server.app.database.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(before);
  });
});

describe('server in rete: controllo di salute', () => {
  it('GET /health risponde senza accesso: stato, versione, database, ora, da quanto è avviato; nessun dato personale', async () => {
    const r = await server.request('/health');
    expect(r.status).toBe(200);
    const body = r.json() as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['database', 'status', 'time', 'uptimeSeconds', 'version']);
    expect(body).toMatchObject({ status: 'ok', database: 'ok', time: server.app.clock.now().toISOString() });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.uptimeSeconds).toEqual(expect.any(Number));
    for (const personal of ['admin', 'operatore', 'Castione', 'rette.sqlite', server.app.dir]) expect(r.body).not.toContain(personal);
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('se il database non risponde, /health dice 503', async () => {
    const s = await startTestServer();
    try {
      s.app.database.close();
      const r = await s.request('/health');
      expect(r.status).toBe(503);
      expect(r.json()).toMatchObject({ status: 'errore', database: 'non raggiungibile' });
    } finally {
      await s.host.close();
      for (const dir of [s.dir, s.app.dir]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
