import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { procedures } from '../../../electron/contract/registry';
import { ERROR_CODES } from '../../../electron/contract/errors';
import { createTestApp, seedBasics, type TestApp } from '../../support/backend';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await seedBasics(app);
});
afterAll(() => app.close());

/** A fingerprint of every row of every table: proves that nothing was written. */
function fingerprint(app: TestApp): string {
  const h = createHash('sha256');
  const tables = app.database.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  for (const { name } of tables) {
    h.update(name);
    for (const row of app.database.sqlite.prepare(`SELECT * FROM "${name}"`).iterate()) h.update(JSON.stringify(row));
  }
  return h.digest('hex');
}

const malformed = fc.oneof(
  fc.constant(null),
  fc.constant([]),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant({ __proto__: { admin: true } }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}')),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), { maxKeys: 6 }),
  fc.record({ id: fc.oneof(fc.string(), fc.double(), fc.constant(-1), fc.constant(0)), date: fc.string(), taxCode: fc.string({ maxLength: 40 }) }),
  fc.record({ search: fc.string({ maxLength: 3000 }), limit: fc.integer(), offset: fc.integer() }),
);

describe('fuzz: dati malformati a ogni procedura', () => {
  it('rispondono solo errori strutturati e il database resta invariato', async () => {
    const before = fingerprint(app);
    let sent = 0;
    for (const p of procedures) {
      const payloads = fc.sample(malformed, { numRuns: 40, seed: 42 });
      for (const payload of payloads) {
        // a payload the input schema accepts is not malformed: skip it (it could be a legitimate call)
        if (p.input.safeParse(payload ?? {}).success) continue;
        const r = await app.backend.call(p.name, payload, app.sessions.amministratore);
        sent++;
        expect(r.ok, `${p.name} accepted ${JSON.stringify(payload)}`).toBe(false);
        if (!r.ok) {
          expect(ERROR_CODES).toContain(r.error.code);
          expect(r.error.code, `${p.name}: ${r.error.message}`).not.toBe('INTERNAL');
          expect(typeof r.error.message).toBe('string');
          expect(r.error.message).not.toMatch(/\n\s+at /); // never a stack trace
          expect(Array.isArray(r.error.issues)).toBe(true);
        }
      }
    }
    expect(sent).toBeGreaterThan(procedures.length * 10);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fingerprint(app)).toBe(before);
    // and the backend still answers
    expect(await app.backend.call('auth.status', {})).toMatchObject({ ok: true });
  });

  it('nomi e dati che non sono oggetti sono rifiutati in modo pulito al confine', async () => {
    for (const name of ['', '__proto__', 'constructor', 'toString', 'pupils.list/../users.list']) {
      const r = await app.backend.call(name, {}, app.sessions.amministratore);
      expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });
});
