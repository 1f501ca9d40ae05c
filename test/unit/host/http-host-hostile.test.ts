import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, DEFAULT_MAX_BODY_BYTES, type HttpHost } from '../../../electron/host/http-host';
import type { Backend } from '../../../electron/contract/backend';
import type { TestApp } from '../../support/backend';
import { useTestHost } from './test-host';

let app: TestApp;
let host: HttpHost;
let staticDir: string;

useTestHost({ 'index.html': '<!doctype html><title>Rette</title>' }, (t) => ({ app, host, staticDir } = t));

interface RawAnswer {
  text: string;
  status: number | null;
  /** the server closed the connection */
  closed: boolean;
  ms: number;
}

/**
 * Sends bytes on a raw TCP socket (no HTTP client to tidy them up) and collects the answer until the
 * server closes the connection or `waitMs` passes. `parts` are sent `gapMs` apart (a trickle).
 */
function rawRequest(port: number, parts: (string | Buffer)[], options: { waitMs?: number; gapMs?: number } = {}): Promise<RawAnswer> {
  const { waitMs = 3000, gapMs = 0 } = options;
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let settled = false;
    const done = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ text, status: m ? Number(m[1]) : null, closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (c) => (text += c.toString('latin1')));
    socket.on('close', () => done(true));
    socket.on('error', () => done(true));
    const trickle = async () => {
      for (const p of parts) {
        if (settled || socket.destroyed) return;
        socket.write(p);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    };
    socket.on('connect', () => void trickle());
  });
}

const H = (port: number) => `Host: 127.0.0.1:${port}\r\n`;

async function stillAlive(h: HttpHost) {
  const r = await fetch(h.url);
  expect(r.status).toBe(200);
}

describe('modalità browser: richieste malformate e ostili', () => {
  it('GET /%FF, /%E0%A4%A e "GET http://[" ricevono 400 e il processo resta vivo', async () => {
    for (const line of ['GET /%FF HTTP/1.1', 'GET /%E0%A4%A HTTP/1.1', 'GET http://[ HTTP/1.1', 'GET * HTTP/1.1', 'GET //evil.example/x HTTP/1.1']) {
      const r = await rawRequest(host.port, [`${line}\r\n${H(host.port)}\r\n`]);
      expect(r.status, line).toBe(400);
    }
    // also on /api, with the token
    const api = await rawRequest(host.port, [`POST /api/%FF HTTP/1.1\r\n${H(host.port)}Authorization: Bearer ${host.token}\r\nContent-Length: 2\r\n\r\n{}`]);
    expect(api.status).toBe(400);
    // bytes that are not HTTP at all
    const junk = await rawRequest(host.port, ['\x16\x03\x01 non è HTTP\r\n\r\n']);
    expect(junk.status).toBe(400);
    expect(junk.closed).toBe(true);
    await stillAlive(host);
  });

  it('un errore imprevisto nel backend diventa 500 e non esce dal gestore', async () => {
    const failing = { ...app.backend, call: () => Promise.reject(new Error('guasto simulato')), logger: { info() {}, warn() {}, error() {} } } as Backend;
    const h = await startHttpHost({ backend: failing, staticDir });
    try {
      const r = await fetch(`${h.url}api/auth.status`, { method: 'POST', headers: { Authorization: `Bearer ${h.token}` } });
      expect(r.status).toBe(500);
      expect((await r.json()).error).toEqual({ code: 'INTERNAL', message: 'Errore interno del programma', issues: [] });
      await stillAlive(h);
    } finally {
      await h.close();
    }
  });

  it('una POST da un altro sito (Origin o Sec-Fetch-Site) è rifiutata; dalla stessa origine passa', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${host.url}api/auth.status`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', ...headers },
        body: '{}',
      });
    expect((await call({ Origin: 'https://sito-qualsiasi.example' })).status).toBe(403);
    expect((await call({ Origin: 'null' })).status).toBe(403);
    expect((await call({ Origin: 'http://127.0.0.1:1' })).status).toBe(403); // another local port is another site
    expect((await call({ 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await call({ 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    const refused = await call({ Origin: 'https://sito-qualsiasi.example' });
    expect((await refused.json()).error.code).toBe('FORBIDDEN');
    expect((await call({ Origin: `http://127.0.0.1:${host.port}`, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
    expect((await call({ Origin: `http://localhost:${host.port}` })).status).toBe(200);
    expect((await call({})).status).toBe(200); // tools that send neither header still need the token
  });

  it('un corpo non JSON (Content-Type diverso) è rifiutato con 415', async () => {
    const r = await fetch(`${host.url}api/auth.status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(r.status).toBe(415);
  });

  it('limite piccolo del corpo per le procedure normali, più grande solo dove si carica un file', async () => {
    const big = JSON.stringify({ x: 'a'.repeat(DEFAULT_MAX_BODY_BYTES) });
    const normal = await fetch(`${host.url}api/auth.status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
      body: big,
    });
    expect(normal.status).toBe(413);
    expect((await normal.json()).error.code).toBe('VALIDATION');

    // a declared Content-Length over the limit is refused before any byte of the body is read
    const declared = await rawRequest(host.port, [
      `POST /api/auth.status HTTP/1.1\r\n${H(host.port)}Authorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n`,
    ]);
    expect(declared.status).toBe(413);
    expect(declared.closed).toBe(true);

    // chunked, no Content-Length: counted while it arrives
    const chunk = 'a'.repeat(256 * 1024);
    const parts = [`POST /api/auth.status HTTP/1.1\r\n${H(host.port)}Authorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`];
    for (let i = 0; i < 6; i++) parts.push(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const chunked = await rawRequest(host.port, parts);
    expect(chunked.status).toBe(413);

    // the spreadsheet import declares a larger limit: the same size reaches the procedure (which judges the file)
    const upload = await fetch(`${host.url}api/imports.preview`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', 'X-Rette-Session': app.sessions.operatore },
      body: JSON.stringify({ fileName: 'alunni.csv', contentBase64: Buffer.from('a;b\n'.repeat(400_000)).toString('base64') }),
    });
    expect(upload.status).not.toBe(413);
    expect(app.backend.procedures.get('imports.preview')!.maxInputBytes).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
    await stillAlive(host);
  });
});

describe('modalità browser: tempi e connessioni', () => {
  let slow: HttpHost;
  beforeAll(async () => {
    slow = await startHttpHost({
      backend: app.backend,
      staticDir,
      limits: { headersTimeoutMs: 600, requestTimeoutMs: 1200, keepAliveTimeoutMs: 300, idleTimeoutMs: 5000, checkIntervalMs: 100, maxConnections: 3 },
    });
  });
  afterAll(async () => {
    await slow.close();
  });

  it('il server dichiara tempi espliciti e un tetto alle connessioni', () => {
    expect(host.server.headersTimeout).toBe(10_000);
    expect(host.server.requestTimeout).toBe(60_000);
    expect(host.server.keepAliveTimeout).toBe(5_000);
    expect(host.server.timeout).toBe(120_000);
    expect(host.server.maxConnections).toBe(32);
  });

  it('intestazioni che non finiscono mai: la connessione è chiusa (408)', async () => {
    const r = await rawRequest(slow.port, [`GET / HTTP/1.1\r\n${H(slow.port)}`], { waitMs: 5000 });
    expect(r.closed).toBe(true);
    expect(r.status).toBe(408);
    expect(r.ms).toBeLessThan(4000);
  });

  it('un corpo inviato goccia a goccia viene interrotto', async () => {
    const head = `POST /api/auth.status HTTP/1.1\r\n${H(slow.port)}Authorization: Bearer ${slow.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
    const drops = Array.from({ length: 100 }, () => ' '); // 100 bytes, one every 100 ms: 10 s if nobody cuts it
    const r = await rawRequest(slow.port, [head, ...drops], { gapMs: 100, waitMs: 8000 });
    expect(r.closed).toBe(true);
    expect(r.ms).toBeLessThan(5000);
    expect(r.status === 408 || r.status === null).toBe(true); // never a 200
    await stillAlive(slow);
  });

  it('una connessione keep-alive inattiva viene chiusa', async () => {
    const r = await rawRequest(slow.port, [`GET / HTTP/1.1\r\n${H(slow.port)}\r\n`], { waitMs: 4000 });
    expect(r.status).toBe(200);
    expect(r.closed).toBe(true);
    expect(r.ms).toBeLessThan(3000);
  });

  it('oltre il numero massimo di connessioni le nuove sono chiuse subito', async () => {
    const held = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(slow.port, '127.0.0.1', () => resolve(s));
            s.on('error', () => {});
          }),
      ),
    );
    try {
      await new Promise((r) => setTimeout(r, 50));
      const extra = await rawRequest(slow.port, [`GET / HTTP/1.1\r\n${H(slow.port)}\r\n`], { waitMs: 2000 });
      expect(extra.closed).toBe(true);
      expect(extra.status).toBeNull();
    } finally {
      for (const s of held) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    await stillAlive(slow);
  });
});
