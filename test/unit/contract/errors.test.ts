import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase } from '../../../db/open';
import { createBackend } from '../../../electron/contract/backend';
import { procedure } from '../../../electron/contract/procedure';
import { conflict } from '../../../electron/contract/errors';
import { fixedClock } from '../../../electron/platform/clock';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-err-'));
const database = openDatabase(path.join(dir, 'r.sqlite'));
afterAll(() => {
  database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const logged: string[] = [];
const logger = { info() {}, warn() {}, error: (m: string) => logged.push(m) };

const probes = [
  procedure({
    name: 'probe.bug',
    title: 'Una procedura con un errore di programmazione',
    role: 'pubblico',
    kind: 'query',
    input: z.object({}),
    output: z.object({ n: z.number() }),
    handler: () => {
      throw new TypeError('undefined is not a function (bug interno)');
    },
  }),
  procedure({
    name: 'probe.halfWrite',
    title: 'Una mutazione che scrive e poi fallisce',
    role: 'pubblico',
    kind: 'mutation',
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    handler: (ctx) => {
      ctx.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('mezza', 'scrittura')").run();
      ctx.audit({ entity: 'prova', action: 'scrittura' });
      throw conflict('Conflitto simulato dopo una scrittura');
    },
  }),
  procedure({
    name: 'probe.badOutput',
    title: 'Una procedura che restituisce dati non conformi',
    role: 'pubblico',
    kind: 'query',
    input: z.object({}),
    output: z.object({ n: z.number() }),
    handler: () => ({ n: 'tre' }) as unknown as { n: number },
  }),
];
const backend = createBackend({ database, clock: fixedClock('2026-10-12T08:00:00Z'), procedures: probes, dataDir: dir, logger });

describe('gli errori escono dal backend in una sola forma', () => {
  it('un errore di programmazione nel gestore è registrato con lo stack e risponde INTERNAL senza', async () => {
    const r = await backend.call('probe.bug', {});
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/Errore interno/), issues: [] } });
    expect(JSON.stringify(r)).not.toContain('undefined is not a function');
    expect(logged.some((l) => l.includes('TypeError') && l.includes('at '))).toBe(true);
  });

  it('una modifica che fallisce dopo aver scritto non lascia nulla (una transazione, audit compreso)', async () => {
    const r = await backend.call('probe.halfWrite', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'Conflitto simulato dopo una scrittura' } });
    expect(database.sqlite.prepare("SELECT count(*) n FROM settings WHERE key = 'mezza'").get()).toEqual({ n: 0 });
    expect(database.sqlite.prepare('SELECT count(*) n FROM audit_log').get()).toEqual({ n: 0 });
  });

  it('un’uscita che viola il suo schema è INTERNAL e non arriva mai al client', async () => {
    const r = await backend.call('probe.badOutput', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('un nome di procedura duplicato è rifiutato quando si costruisce il backend', () => {
    expect(() => createBackend({ database, clock: fixedClock('2026-10-12T08:00:00Z'), procedures: [probes[0], probes[0]], dataDir: dir, logger })).toThrow(/due volte/);
  });
});

describe('testi con caratteri nascosti (issue 7)', () => {
  it('nessuna procedura accetta in un testo caratteri di controllo, di direzione o invisibili, anche dove il campo è un testo libero', async () => {
    const { createTestApp } = await import('../../support/backend');
    const app = await createTestApp('2026-11-16T08:00:00Z');
    try {
      await app.call('demo.seed', { pupils: 20, seed: 1, money: false });
      const pupil = app.database.sqlite.prepare('SELECT id FROM pupils ORDER BY id LIMIT 1').pluck().get() as number;
      const before = app.database.sqlite.prepare('SELECT count(*) FROM payments').pluck().get();
      const e = await app.fail('ledger.registerPayment', { pupilId: pupil, channel: 'contanti', amountCents: 1000, paidOn: '2026-11-16', payerName: 'Rossi\u202eMaria' }, 'operatore');
      expect(e).toMatchObject({ code: 'VALIDATION', issues: [{ path: ['payerName'] }] });
      expect(e.message).toMatch(/caratteri non ammessi/);
      expect(app.database.sqlite.prepare('SELECT count(*) FROM payments').pluck().get()).toBe(before);
    } finally {
      app.close();
    }
  });
});
