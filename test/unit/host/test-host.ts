import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startHttpHost, type HttpHost } from '../../../electron/host/http-host';
import { createTestApp, type TestApp } from '../../support/backend';

export interface TestHost {
  app: TestApp;
  host: HttpHost;
  staticDir: string;
}

/**
 * For the tests of one file: a test backend behind the browser-mode HTTP host, serving a temporary
 * folder that holds `files`; started before the file's tests (handed to `started`), stopped and
 * removed after them.
 */
export function useTestHost(files: Record<string, string>, started: (t: TestHost) => void): void {
  let t: TestHost | null = null;
  beforeAll(async () => {
    const app = await createTestApp();
    const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-static-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(staticDir, name), text);
    t = { app, staticDir, host: await startHttpHost({ backend: app.backend, staticDir }) };
    started(t);
  });
  afterAll(async () => {
    if (!t) return;
    await t.host.close();
    t.app.close();
    fs.rmSync(t.staticDir, { recursive: true, force: true });
  });
}
