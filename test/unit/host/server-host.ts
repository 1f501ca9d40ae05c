import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHttpHost, type HttpHost, type ServerHostOptions } from '../../../electron/host/http-host';
import { ensureGeneratedCertificate, type ServerCertificate } from '../../../electron/host/tls';
import { pinnedAgent, pinnedRequest, type PinnedResponse } from '../../../electron/host/tls-pin';
import { createTestApp, type TestApp } from '../../support/backend';

/** The names a test server accepts (what `resolveServerSettings` would give for --host-name rette-server on 127.0.0.1). */
export const TEST_HOST_NAMES = ['rette-server', '127.0.0.1', 'localhost', '::1'];

export interface TestServer {
  app: TestApp;
  host: HttpHost;
  certificate: ServerCertificate;
  /** a temporary folder of the test (the certificate is in its server-tls/) */
  dir: string;
  /** one request to the server, pinned to its certificate; `body` objects are sent as JSON */
  request(pathname: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }): Promise<PinnedResponse & { json: () => unknown }>;
  /** signs in over the network, returns the session */
  login(username: string, password: string, headers?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/** A test backend behind the host in server mode: HTTPS on 127.0.0.1 with a certificate generated in a temporary folder. */
export async function startTestServer(options: Partial<ServerHostOptions> = {}): Promise<TestServer> {
  const app = await createTestApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-server-'));
  const certificate = await ensureGeneratedCertificate(dir, TEST_HOST_NAMES, new Date());
  const host = await startHttpHost({
    backend: app.backend,
    staticDir: dir,
    server: { address: '127.0.0.1', hostNames: TEST_HOST_NAMES, tls: { cert: certificate.cert, key: certificate.key }, ...options },
  });
  const agent = pinnedAgent(certificate.fingerprint, { keepAlive: false });
  const request: TestServer['request'] = async (pathname, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const r = await pinnedRequest(new URL(pathname, `https://127.0.0.1:${host.port}/`), { agent, method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
    return { ...r, json: () => JSON.parse(r.body) as unknown };
  };
  return {
    app,
    host,
    certificate,
    dir,
    request,
    async login(username, password, headers = {}) {
      const r = await request('/api/auth.login', { body: { username, password }, headers });
      const out = r.json() as { ok: boolean; value?: { session: string }; error?: unknown };
      if (!out.ok) throw new Error(`accesso non riuscito: ${JSON.stringify(out.error)}`);
      return out.value!.session;
    },
    async close() {
      agent.destroy();
      await host.close();
      app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
