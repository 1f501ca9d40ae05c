/**
 * Hostile payloads (issue 13): whatever the portal sends, applyInbound never throws (it runs in the
 * main process), records the event, and answers with one of its three statuses.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyInbound, type InboundEnv } from '../../../electron/portal/inbound';
import { createTestApp, type TestApp } from '../../support/backend';
import { count, enrollPupil, seedAttendance } from '../attendance/fixtures';

let app: TestApp;
let env: InboundEnv;
let taxCode: string;

beforeAll(async () => {
  app = await createTestApp('2026-10-12T06:00:00Z');
  const base = await seedAttendance(app);
  taxCode = (await enrollPupil(app, base)).pupil.taxCode;
  env = { db: app.database.db, sqlite: app.database.sqlite, clock: app.clock, logger: { info() {}, warn() {}, error() {} } };
});
afterAll(() => app.close());

const STATUSES = ['applicato', 'in_revisione', 'duplicato'];

function check(ev: unknown) {
  let r: ReturnType<typeof applyInbound> | undefined;
  expect(() => {
    r = applyInbound(env, ev, app.clock.now());
  }).not.toThrow();
  expect(STATUSES).toContain(r!.status);
  expect(r!.recorded).toBe(true);
  expect(typeof r!.message).toBe('string');
  expect(r!.message.length).toBeGreaterThan(0);
  // every refusal has its reason: none is an unforeseen failure (a constraint, a bug)
  expect(r!.message).not.toMatch(/Errore imprevisto/);
}

describe('eventi ostili', () => {
  it('qualsiasi valore JSON è registrato e risponde con uno stato, senza eccezioni', () => {
    const before = count(app, 'SELECT count(*) AS n FROM portal_inbound_events');
    fc.assert(fc.property(fc.jsonValue(), (v) => check(v)), { numRuns: 300, seed: 13 });
    expect(count(app, 'SELECT count(*) AS n FROM portal_inbound_events')).toBeGreaterThan(before);
  });

  it('eventi quasi validi con campi alterati (tipi sbagliati, caratteri nascosti, date impossibili) non fanno uscire eccezioni', () => {
    const base = { type: 'cancellation', occurredAt: '2026-10-12T07:00:00+02:00', channel: 'portale', pupilTaxCode: taxCode, date: '2026-10-13' };
    const keys = ['type', 'occurredAt', 'channel', 'pupilTaxCode', 'date', 'id', 'plain', 'from', 'amountCents', 'iuv', 'subject', 'message', 'payer', 'pupil'];
    const hostile = fc.oneof(
      fc.string(),
      fc.constantFrom('\u202e', 'A\u0000B', '\u200b', '2026-02-30', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', 'x'.repeat(5000), '__proto__', 'constructor'),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue(),
    );
    let n = 0;
    fc.assert(
      fc.property(fc.constantFrom(...keys), hostile, fc.constantFrom('cancellation', 'topUp', 'enrollment', 'personalData', 'supportRequest', 'plainMeal'), (k, v, type) => {
        check({ ...base, type, id: `ostile-${n++}`, [k]: v });
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('un id con caratteri di controllo, un prototipo avvelenato e un oggetto ciclico sono registrati', () => {
    check({ id: 'a\u0001b', type: 'cancellation' });
    check(JSON.parse('{"__proto__": {"polluted": true}, "id": "proto-1", "type": "supportRequest"}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const cyclic: Record<string, unknown> = { id: 'ciclo-1', type: 'cancellation' };
    cyclic.self = cyclic;
    check(cyclic);
    check(undefined);
    check(JSON.parse('{"id": "file-1", "type": "enrollment", "diets": [{"attachments": [{"contentBase64": "QUJD\\u0001"}, {"contentBase64": "QU\\nJD"}, {"contentBase64": 7}]}], "__proto__": {"contentBase64": "QUJD"}}'));
    check(10n);
  });

  it('un momento della famiglia nel futuro va in revisione (orologio del portale da verificare)', () => {
    const r = applyInbound(env, { id: 'futuro-1', type: 'cancellation', occurredAt: '2026-10-13T07:00:00+02:00', channel: 'portale', pupilTaxCode: taxCode, date: '2026-10-13' }, app.clock.now());
    expect(r.status).toBe('in_revisione');
    expect(r.message).toMatch(/nel futuro/);
  });

  it("un guasto nell'applicazione lascia l'evento in revisione con l'errore (la sincronizzazione non si blocca); se non si può nemmeno registrarlo, recorded è false", async () => {
    const sqlite = app.database.sqlite;
    sqlite.exec("CREATE TRIGGER guasto_prova BEFORE UPDATE ON portal_inbound_events BEGIN SELECT RAISE(ABORT, 'guasto di prova'); END");
    const ev = { id: 'guasto-1', type: 'cancellation', occurredAt: '2026-10-12T07:00:00+02:00', channel: 'portale', pupilTaxCode: taxCode, date: '2026-10-14' };
    const r = applyInbound(env, ev, app.clock.now());
    expect(r).toMatchObject({ status: 'in_revisione', recorded: true });
    expect(r.message).toMatch(/^Errore imprevisto nell'applicare l'evento: guasto di prova/);
    expect(count(app, "SELECT count(*) AS n FROM absences WHERE date = '2026-10-14'")).toBe(0);
    sqlite.exec('DROP TRIGGER guasto_prova');
    const retried = await app.call('portal.review.retry', { id: r.eventId! }, 'operatore');
    expect(retried.status).toBe('applicato');
    expect(count(app, "SELECT count(*) AS n FROM absences WHERE date = '2026-10-14'")).toBe(1);

    sqlite.exec("CREATE TRIGGER guasto_prova BEFORE INSERT ON portal_inbound_events BEGIN SELECT RAISE(ABORT, 'disco pieno'); END");
    try {
      const lost = applyInbound(env, { ...ev, id: 'guasto-2' }, app.clock.now());
      expect(lost).toMatchObject({ status: 'in_revisione', recorded: false, eventId: null });
      expect(lost.message).toMatch(/disco pieno/);
    } finally {
      sqlite.exec('DROP TRIGGER guasto_prova');
    }
  });
});
