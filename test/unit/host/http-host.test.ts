import { describe, expect, it } from 'vitest';
import type { HttpHost } from '../../../electron/host/http-host';
import { procedures } from '../../../electron/contract/registry';
import type { TestApp } from '../../support/backend';
import { useTestHost } from './test-host';

let app: TestApp;
let host: HttpHost;

useTestHost({ 'index.html': '<!doctype html><title>Rette</title>', 'app.js': 'console.log(1)' }, (t) => ({ app, host } = t));

const post = (name: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${host.url}api/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('host HTTP della modalità browser', () => {
  it('ascolta solo su loopback', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1');
    expect(host.openUrl).toContain(`?token=${host.token}`);
  });

  it('rifiuta /api senza il token di avvio', async () => {
    const r = await fetch(`${host.url}api/auth.status`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(401);
    expect((await r.json()).error.code).toBe('UNAUTHENTICATED');
    const wrong = await fetch(`${host.url}api`, { headers: { Authorization: 'Bearer sbagliato' } });
    expect(wrong.status).toBe(401);
  });

  it('GET /api elenca ogni procedura con il ruolo e gli JSON Schema', async () => {
    const r = await fetch(`${host.url}api`, { headers: { Authorization: `Bearer ${host.token}` } });
    const body = (await r.json()) as { procedures: { name: string; role: string; input: { type?: string }; output: unknown }[] };
    expect(body.procedures.map((p) => p.name).sort()).toEqual(procedures.map((p) => p.name).sort());
    const create = body.procedures.find((p) => p.name === 'pupils.create')!;
    expect(create.role).toBe('operatore');
    expect(create.input.type).toBe('object');
    expect(JSON.stringify(create.input)).toContain('taxCode');
  });

  it('POST /api/<procedura> porta la sessione e risponde con la busta e lo stato HTTP', async () => {
    const anon = await post('pupils.list', {});
    expect(anon.status).toBe(401);
    const ok = await post('pupils.list', {}, { 'X-Rette-Session': app.sessions.operatore });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: { rows: [], total: 0 } });
    const forbidden = await post('users.list', {}, { 'X-Rette-Session': app.sessions.operatore });
    expect(forbidden.status).toBe(403);
    const invalid = await post('municipalities.create', { name: '', cutoffTime: '25:00' }, { 'X-Rette-Session': app.sessions.amministratore });
    expect(invalid.status).toBe(400);
    const body = await invalid.json();
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['cutoffTime', 'name']);
  });

  it('un JSON malformato è un errore VALIDATION strutturato', async () => {
    const r = await post('auth.status', '{non json');
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/JSON/) } });
  });

  it('rifiuta intestazioni Host estranee (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: host.port, path: '/api', headers: { Host: 'evil.example', Authorization: `Bearer ${host.token}` } }, (res) => resolve(res.statusCode ?? 0));
      req.end();
    });
    expect(status).toBe(421);
  });

  it('serve l’interfaccia con una CSP rigida e mai file fuori dalla sua cartella', async () => {
    const index = await fetch(host.url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await (await fetch(`${host.url}app.js`)).text()).toBe('console.log(1)');
    const escape = await fetch(`${host.url}..%2f..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toContain('root:');
  });
});
