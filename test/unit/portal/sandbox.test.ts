/**
 * The portal sandbox (test/portal-sandbox): the REST side of the contract, realistic families,
 * and faults on request. The other portal tests rely on it, so its own behaviour is checked here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inboundBatch, inboundEvent } from '../../../electron/portal/contract';
import { validateCodiceFiscale } from '../../../electron/identifiers';
import { startSandbox, type Sandbox } from '../../portal-sandbox/server';
import { generateActions, syntheticFamilies } from '../../portal-sandbox/families';

let sandbox: Sandbox | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

const auth = (s: Sandbox) => ({ authorization: `Bearer ${s.token}` });
async function get(s: Sandbox, path: string, headers: Record<string, string> = auth(s)) {
  const res = await fetch(`${s.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
async function post(s: Sandbox, path: string, body: unknown, headers: Record<string, string> = auth(s)) {
  const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const outEvent = (n: number) => ({
  id: `news-${n}~abc`,
  key: `news-${n}`,
  publishedAt: '2026-12-07T08:00:00Z',
  type: 'news',
  title: 'Menu invernale',
  body: 'Da lunedì il menu invernale.',
  municipalityIds: [],
  validFrom: '2026-12-07',
  validTo: null,
  withdrawn: false,
});

describe('famiglie del portale di prova', () => {
  it('le famiglie inventate hanno codici fiscali validi e le loro azioni rispettano il contratto', () => {
    const families = syntheticFamilies(30, 5);
    expect(families).toHaveLength(30);
    for (const f of families) {
      expect(validateCodiceFiscale(f.pupil.taxCode).ok).toBe(true);
      expect(validateCodiceFiscale(f.payer.taxCode).ok).toBe(true);
    }
    const events = generateActions(families, 300, { from: '2026-12-07', seed: 3 });
    expect(new Set(events.map((e) => e.id)).size).toBe(300);
    for (const e of events) expect(inboundEvent.safeParse(e).success, JSON.stringify(e)).toBe(true);
    expect(new Set(events.map((e) => e.type)).size).toBeGreaterThanOrEqual(8);
  });
});

describe('API del portale di prova', () => {
  it('senza la credenziale giusta risponde 401, con la credenziale consegna gli eventi a pagine con un cursore', async () => {
    sandbox = await startSandbox({ token: 'token-di-prova-123' });
    sandbox.act(25, '2026-12-07');
    expect((await get(sandbox, '/inbound', {})).status).toBe(401);
    expect((await get(sandbox, '/inbound', { authorization: 'Bearer sbagliato' })).status).toBe(401);
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await get(sandbox, `/inbound?limit=10${cursor ? `&after=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      const batch = inboundBatch.parse(r.body);
      ids.push(...batch.events.map((e) => (e as { id: string }).id));
      cursor = batch.nextCursor ?? cursor;
      if (!batch.hasMore) break;
    }
    expect(ids).toEqual([...sandbox.generated().keys()]);
    // after the last page: nothing new, the cursor does not move
    const again = inboundBatch.parse((await get(sandbox, `/inbound?limit=10&after=${cursor}`)).body);
    expect(again).toEqual({ events: [], nextCursor: null, hasMore: false });
  });

  it('non cade con richieste sbagliate: cursore sconosciuto, limite non numerico, JSON rotto, lotto fuori contratto', async () => {
    sandbox = await startSandbox();
    expect((await get(sandbox, '/inbound?after=%%%')).status).toBe(400);
    expect((await get(sandbox, '/inbound?limit=-3')).status).toBe(400);
    expect((await get(sandbox, '/inbound?limit=abc')).status).toBe(400);
    expect((await post(sandbox, '/outbound', '{non json')).status).toBe(400);
    expect((await post(sandbox, '/outbound', { nulla: true })).status).toBe(400);
    expect((await post(sandbox, '/_sandbox/faults', { delayMs: 'tanto' })).status).toBe(400);
    expect((await get(sandbox, '/altro')).status).toBe(404);
    expect((await get(sandbox, '/inbound')).status).toBe(200);
  });

  it('la pubblicazione è idempotente per id: lo stesso lotto due volte lascia una copia; un evento fuori contratto è rifiutato, gli altri accettati', async () => {
    sandbox = await startSandbox();
    const batch = { batchId: 'b1', events: [outEvent(1), outEvent(2)] };
    expect((await post(sandbox, '/outbound', batch)).body).toEqual({ accepted: ['news-1~abc', 'news-2~abc'], rejected: [] });
    await post(sandbox, '/outbound', batch);
    expect(sandbox.received().size).toBe(2);
    const mixed = await post(sandbox, '/outbound', { batchId: 'b2', events: [outEvent(3), { ...outEvent(4), type: 'sconosciuto' }] });
    expect(mixed.body.accepted).toEqual(['news-3~abc']);
    expect(mixed.body.rejected).toEqual([expect.objectContaining({ id: 'news-4~abc' })]);
    const received = await get(sandbox, '/_sandbox/received', {});
    expect((received.body.events as unknown[]).length).toBe(3);
  });
});

describe('guasti su richiesta', () => {
  it('errori 500 ogni N richieste, eventi duplicati e in ordine sparso: ogni evento arriva almeno una volta', async () => {
    sandbox = await startSandbox({ faults: { failEvery: 3, duplicateProbability: 0.5, shuffle: true, seed: 9 } });
    sandbox.act(40, '2026-12-07');
    const seen: string[] = [];
    let cursor: string | null = null;
    let failures = 0;
    for (let i = 0; i < 100; i++) {
      const r = await get(sandbox, `/inbound?limit=7${cursor ? `&after=${cursor}` : ''}`);
      if (r.status === 500) {
        failures++;
        continue;
      }
      const batch = inboundBatch.parse(r.body);
      seen.push(...batch.events.map((e) => (e as { id: string }).id));
      cursor = batch.nextCursor ?? cursor;
      if (!batch.hasMore) break;
    }
    expect(failures).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(sandbox.generated().keys()));
    expect(seen.length).toBeGreaterThan(40); // some twice
    expect(sandbox.stats().duplicatesServed).toBe(seen.length - 40);
  });

  it('risposte lente e richieste senza risposta: il client che ha una scadenza se ne accorge', async () => {
    sandbox = await startSandbox({ faults: { delayMs: 150 } });
    const t0 = Date.now();
    expect((await get(sandbox, '/inbound')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    sandbox.setFaults({ delayMs: 0, hangEvery: 1 });
    await expect(fetch(`${sandbox.url}/inbound`, { headers: auth(sandbox), signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(sandbox.stats().hangs).toBe(1);
  });

  it('una disdetta fatta alle 09:10 e trattenuta arriva più tardi con il momento della famiglia', async () => {
    sandbox = await startSandbox();
    const f = sandbox.families[0];
    const late = { id: 'tardiva-1', type: 'cancellation', occurredAt: '2026-12-07T09:10:00+01:00', channel: 'app', pupilTaxCode: f.pupil.taxCode, date: '2026-12-07' };
    expect((await post(sandbox, '/_sandbox/actions', { events: [late], late: true }, {})).status).toBe(200);
    expect(inboundBatch.parse((await get(sandbox, '/inbound')).body).events).toEqual([]);
    expect((await post(sandbox, '/_sandbox/release', {}, {})).body).toEqual({ released: 1 });
    expect(inboundBatch.parse((await get(sandbox, '/inbound')).body).events).toEqual([late]);
  });

  it('limite di richieste: oltre la raffica risponde 429 con Retry-After', async () => {
    sandbox = await startSandbox({ faults: { rateLimit: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await get(sandbox, '/inbound')).status);
    expect(statuses).toContain(429);
    const res = await fetch(`${sandbox.url}/inbound`, { headers: auth(sandbox) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });
});
