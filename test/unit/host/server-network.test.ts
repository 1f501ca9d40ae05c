import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost } from '../../../electron/host/http-host';
import { ensureGeneratedCertificate } from '../../../electron/host/tls';
import { pinnedAgent, pinnedRequest } from '../../../electron/host/tls-pin';
import { localWorkstation } from '../../../electron/host/workstation';
import { createTestApp, type TestApp } from '../../support/backend';
import { startTestServer, type TestServer } from './server-host';

/** This machine's first address on a real network card (none: those tests are skipped). */
const LAN = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === 'IPv4')?.address;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('server in rete: avvisi di modifica e registro', () => {
  it('il flusso degli avvisi di modifica funziona senza token, con la sessione; senza sessione no', async () => {
    const session = await server.login('operatore', 'password-operatore');
    expect((await server.request('/api/events')).status).toBe(401);
    // a stream stays open: read its first bytes, then hang up
    const agent = pinnedAgent(server.certificate.fingerprint);
    try {
      const first = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = https.get(`https://127.0.0.1:${server.host.port}/api/events`, { agent, headers: { 'X-Rette-Session': session, Accept: 'text/event-stream' } }, (res) => {
          res.once('data', (c: Buffer) => {
            resolve({ status: res.statusCode ?? 0, text: c.toString() });
            req.destroy();
          });
        });
        req.on('error', reject);
      });
      expect(first.status).toBe(200);
      expect(first.text).toContain('retry: 3000');
    } finally {
      agent.destroy();
    }
  });

  it('l’Excel del registro ha la colonna «Postazione» con il nome e l’indirizzo', async () => {
    const admin = await server.login('admin', 'password-admin', { 'X-Rette-Workstation': 'PC-RETTE-3' });
    await server.request('/api/municipalities.create', {
      body: { name: 'Valbondione', province: 'BG', cutoffTime: '09:00' },
      headers: { 'X-Rette-Session': admin, 'X-Rette-Workstation': 'PC-RETTE-3' },
    });
    const sup = await server.login('supervisore', 'password-supervisore');
    const r = await server.request('/api/audit.export', { body: { procedure: 'municipalities.create' }, headers: { 'X-Rette-Session': sup } });
    const file = (r.json() as { value: { contentBase64: string } }).value;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = header.indexOf('Postazione');
    expect(col).toBeGreaterThan(0);
    expect((ws.getRow(2).values as unknown[]).slice(1)[col]).toBe('PC-RETTE-3 (127.0.0.1)');
  });
});

describe('modalità browser (127.0.0.1, token di avvio): la postazione è questo computer', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app?.close());

  it('una modifica dal browser sullo stesso computer registra il nome del computer e 127.0.0.1', async () => {
    const host = await startHttpHost({ backend: app.backend });
    try {
      const r = await fetch(`${host.url}api/municipalities.create`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', 'X-Rette-Session': app.sessions.amministratore },
        body: JSON.stringify({ name: 'Ardesio', province: 'BG', cutoffTime: '09:00' }),
      });
      expect(r.status).toBe(200);
      const row = app.database.sqlite.prepare("SELECT workstation FROM audit_log WHERE procedure = 'municipalities.create'").get() as { workstation: string };
      expect(row.workstation).toBe(`${localWorkstation()} (127.0.0.1)`);
    } finally {
      await host.close();
    }
  });
});

describe.skipIf(!LAN)(`su un indirizzo di rete vero (${LAN ?? 'nessuno'})`, () => {
  let app: TestApp;
  let dir: string;
  let close: () => Promise<void>;
  let port: number;
  let fingerprint: string;

  beforeAll(async () => {
    app = await createTestApp();
    dir = fs.mkdtempSync(`${os.tmpdir()}/rette-lan-`);
    const cert = await ensureGeneratedCertificate(dir, [LAN!, 'localhost'], new Date());
    fingerprint = cert.fingerprint;
    const host = await startHttpHost({ backend: app.backend, server: { address: LAN!, hostNames: [LAN!], tls: { cert: cert.cert, key: cert.key } } });
    port = host.port;
    close = () => host.close();
  });
  afterAll(async () => {
    await close?.();
    app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('il primo amministratore non si crea da un’altra postazione; la postazione è registrata con il suo indirizzo', async () => {
    const url = `https://${LAN}:${port}`;
    const setup = await pinnedRequest(`${url}/api/auth.setup`, {
      fingerprint,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'intruso', displayName: 'Intruso', password: 'password-intruso' }),
    });
    expect(setup.status).toBe(403);
    expect(JSON.parse(setup.body)).toMatchObject({ ok: false, error: { message: expect.stringContaining('Il primo amministratore si crea sul server stesso') } });
    const login = await pinnedRequest(`${url}/api/auth.login`, {
      fingerprint,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Rette-Workstation': 'PC-RETTE-9' },
      body: JSON.stringify({ username: 'admin', password: 'password-admin' }),
    });
    expect(login.status).toBe(200);
    const row = app.database.sqlite.prepare("SELECT workstation FROM audit_log WHERE procedure = 'auth.login' ORDER BY id DESC LIMIT 1").get() as { workstation: string };
    expect(row.workstation).toBe(`PC-RETTE-9 (${LAN})`);
    // a name that is not configured is refused on the network too
    const byName = await pinnedRequest(`${url}/health`, { fingerprint, headers: { Host: 'rette-server' } });
    expect(byName.status).toBe(421);
  });
});
