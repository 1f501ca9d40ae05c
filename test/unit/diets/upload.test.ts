import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpHost, DEFAULT_MAX_BODY_BYTES, type HttpHost } from '../../../electron/host/http-host';
import { createTestApp, type TestApp } from '../../support/backend';
import { enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';
import { pdfBytes, typeIds } from './fixtures';

let app: TestApp;
let base: Base;
let host: HttpHost;
let staticDir: string;
beforeEach(async () => {
  app = await createTestApp('2026-10-05T06:00:00Z');
  base = await seedAttendance(app);
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Rette</title>');
  host = await startHttpHost({ backend: app.backend, staticDir });
});
afterEach(async () => {
  await host.close();
  app.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

describe('certificati attraverso la modalità browser', () => {
  it('un certificato di 4 MB arriva alla procedura (limite dichiarato oltre 1 MiB) ed è conservato per intero', async () => {
    const { pupil } = await enrollPupil(app, base);
    const bytes = Buffer.concat([pdfBytes(), Buffer.alloc(4 * 1024 * 1024, 0x20)]);
    const res = await fetch(`${host.url}api/diets.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', 'X-Rette-Session': app.sessions.operatore },
      body: JSON.stringify({
        pupilId: pupil.id, schoolYearId: base.year.id, category: 'medica', dietTypeIds: await typeIds(app, 'sesamo'), source: 'portale', receivedOn: '2026-10-05',
        attachments: [{ fileName: 'certificato.pdf', contentBase64: bytes.toString('base64'), kind: 'certificato_medico' }],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { attachments: { sizeBytes: number }[] } };
    expect(body).toMatchObject({ ok: true, value: { attachments: [{ sizeBytes: bytes.length }] } });
    expect(app.backend.procedures.get('diets.create')!.maxInputBytes).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
  });
});
