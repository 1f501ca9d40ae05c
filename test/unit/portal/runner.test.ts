/**
 * The sync runner against the sandbox portal (issue 13): faults injected (500s, timeouts,
 * duplicated and reordered events, a late delivery), every family request recorded exactly once,
 * none lost; the office's events published and marked only when acknowledged; backoff timing; the
 * credential in no log line and nowhere in the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, createRunner, acquireLease, SyncBusyError, DEFAULT_RETRY, type InboundSide, type OutboxSide } from '../../../electron/portal/runner';
import { createPortalSync, startPortalSync } from '../../../electron/portal/sync-service';
import { fileSecretStore, memorySecretStore } from '../../../electron/portal/adapters/credentials';
import { PortalTransportError, type PortalAdapter } from '../../../electron/portal/adapters/adapter';
import { restAdapter } from '../../../electron/portal/adapters/rest';
import { readCursor } from '../../../electron/portal/state';
import { enqueueOutbound, outboxCounts, type OutboundDraft } from '../../../electron/portal/outbox';
import { readSyncLog, DEFAULT_PORTAL_SETTINGS, writePortalSettings } from '../../../electron/portal/settings';
import { silentLogger } from '../../support/backend';
import type { Sandbox } from '../../portal-sandbox/server';
import { ACT_FROM, officeWithPupils, recordedIds, restSettings, sandboxFor, type SyncOffice } from './sync-fixtures';

let office: SyncOffice | null = null;
let sandbox: Sandbox | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await sandbox?.close();
  office?.app.close();
  sandbox = null;
  office = null;
});

const noWait = { sleep: () => Promise.resolve(), retry: { attempts: 8 } };

function syncOf(o: SyncOffice, token: string, extra: Parameters<typeof createPortalSync>[1] = {}) {
  return createPortalSync({ db: o.app.database.db, sqlite: o.app.database.sqlite, clock: o.app.clock, logger: silentLogger, secrets: memorySecretStore(token) }, { ...noWait, ...extra });
}

const news = (n: number): OutboundDraft => ({ key: `news:${n}`, type: 'news', title: `Avviso ${n}`, body: 'Testo', municipalityIds: [], validFrom: '2026-10-19', validTo: null, withdrawn: false });

describe('ricezione dal portale di prova con guasti', () => {
  it('500, richieste senza risposta, duplicati e ordine sparso: ogni richiesta delle famiglie è registrata una volta sola, nessuna persa', async () => {
    office = await officeWithPupils(6);
    sandbox = await sandboxFor(office, { failEvery: 4, hangEvery: 9, duplicateProbability: 0.3, shuffle: true, seed: 11 });
    sandbox.act(90, ACT_FROM, { days: 5, seed: 2 });
    restSettings(office, sandbox);
    const runner = syncOf(office, sandbox.token);
    const runs = [];
    for (let i = 0; i < 6; i++) {
      const r = await runner.runNow();
      runs.push(r!);
      if (r!.errors.length === 0) break;
    }
    const recorded = recordedIds(office.app);
    const generated = [...sandbox.generated().keys()];
    expect(new Set(recorded.keys())).toEqual(new Set(generated));
    expect([...recorded.values()].every((n) => n === 1)).toBe(true);
    const total = runs.reduce((s, r) => s + r.inbound.received, 0);
    const applied = runs.reduce((s, r) => s + r.inbound.applied + r.inbound.review, 0);
    // the portal sent some twice: the office noticed, and recorded each once
    expect(total).toBeGreaterThan(90);
    expect(applied).toBeLessThanOrEqual(90);
    expect(runs.reduce((s, r) => s + r.retries, 0)).toBeGreaterThan(0);
    expect(sandbox.stats().hangs).toBeGreaterThan(0);
    expect(sandbox.stats().failures).toBeGreaterThan(0);
    // real effects happened (the families are the office's own pupils), and the cursor is where the feed ends
    expect(runs.reduce((s, r) => s + r.inbound.applied, 0)).toBeGreaterThan(20);
    expect(readCursor(office.app.database.db)).not.toBeNull();
    // a further run finds nothing new
    const after = await runner.runNow();
    expect(after!.inbound.received).toBe(0);
    expect(readSyncLog(office.app.database.db).runs[0]).toEqual(after);
  });

  it('A2: la disdetta fatta alle 09:10 e consegnata ore dopo è giudicata al momento della famiglia', async () => {
    office = await officeWithPupils(1, '2026-10-12T13:00:00Z'); // Monday 15:00 in Rome: the day is past its cutoff
    await office.app.call('attendance.closeDay', { date: '2026-10-12', municipalityId: office.base.clusone.id }, 'operatore');
    sandbox = await sandboxFor(office);
    const pupil = sandbox.families[0].pupil;
    sandbox.enqueue([{ id: 'tardiva', type: 'cancellation', occurredAt: '2026-10-12T09:10:00+02:00', channel: 'app', pupilTaxCode: pupil.taxCode, date: '2026-10-12' }], { late: true });
    restSettings(office, sandbox);
    const runner = syncOf(office, sandbox.token);
    expect((await runner.runNow())!.inbound.received).toBe(0);
    sandbox.release();
    const run = await runner.runNow();
    expect(run!.inbound).toMatchObject({ received: 1, applied: 1 });
    const row = office.app.database.sqlite.prepare("SELECT occurred_at AS occurredAt, status FROM portal_inbound_events WHERE external_id = 'tardiva'").get() as { occurredAt: string; status: string };
    expect(row).toEqual({ occurredAt: '2026-10-12T07:10:00.000Z', status: 'applicato' });
    expect(office.app.database.sqlite.prepare("SELECT count(*) AS n FROM meal_corrections WHERE date = '2026-10-12'").get()).toEqual({ n: 1 });
  });

  it('un evento che non si riesce a registrare ferma la pagina: il cursore non lo supera e la pagina torna alla volta dopo', async () => {
    office = await officeWithPupils(1);
    sandbox = await sandboxFor(office);
    sandbox.act(12, ACT_FROM, { seed: 4 });
    restSettings(office, sandbox, { pageSize: 5 });
    let cursor: string | null = null;
    let failOn = 8;
    const seen: string[] = [];
    const inbound: InboundSide = {
      apply(raw) {
        const id = (raw as { id: string }).id;
        if (seen.length + 1 === failOn) return { status: 'in_revisione', message: 'disco pieno', recorded: false };
        if (seen.includes(id)) return { status: 'duplicato', message: 'già ricevuto' };
        seen.push(id);
        return { status: 'applicato', message: 'ok' };
      },
      readCursor: () => cursor,
      writeCursor: (c) => {
        cursor = c;
      },
    };
    const outbox: OutboxSide = { pending: () => [], markPublished: () => {} };
    const runner = createRunner({
      db: office.app.database.db, sqlite: office.app.database.sqlite, clock: office.app.clock, logger: silentLogger,
      secrets: memorySecretStore(sandbox.token), adapterFor: (_s, secrets) => restAdapter({ baseUrl: sandbox!.url, secrets, timeoutMs: 1000 }), inbound, outbox, ...noWait,
    });
    const first = await runner.runNow();
    expect(first!.outcome).toBe('parziale');
    expect(first!.errors[0]).toMatch(/non è stato registrato/);
    const afterFirstPage = cursor;
    expect(afterFirstPage).not.toBeNull(); // the first page (5 events) was whole
    failOn = -1;
    const second = await runner.runNow();
    expect(second!.inbound.duplicates).toBe(2); // events 6 and 7 of the broken page came again
    expect(seen).toHaveLength(12);
  });
});

describe('pubblicazione', () => {
  it('gli eventi in attesa sono pubblicati a lotti e segnati pubblicati solo con la conferma, anche con 500 e timeout', async () => {
    office = await officeWithPupils(0);
    sandbox = await sandboxFor(office, { failEvery: 2, hangEvery: 5 });
    restSettings(office, sandbox);
    enqueueOutbound(office.app.database.sqlite, Array.from({ length: 23 }, (_, i) => news(i + 1)), office.app.clock.now());
    const runner = syncOf(office, sandbox.token, { outboundBatchSize: 5 });
    let published = 0;
    for (let i = 0; i < 5 && outboxCounts(office.app.database.sqlite).pending > 0; i++) published += (await runner.runNow())!.outbound.published;
    expect(published).toBe(23);
    expect(sandbox.received().size).toBe(23);
    expect(outboxCounts(office.app.database.sqlite)).toMatchObject({ pending: 0, published: 23 });
    // a batch the portal stored but whose answer was lost (a hang after storing) is sent again with the same ids: one copy
    expect(sandbox.stats().batches).toBeGreaterThanOrEqual(5);
  });

  it("senza rete l'ufficio accoda: nulla è segnato pubblicato, la corsa dice perché, e al ritorno della rete parte tutto", async () => {
    office = await officeWithPupils(0);
    writePortalSettings(office.app.database.db, { ...DEFAULT_PORTAL_SETTINGS, adapter: 'rest', baseUrl: 'http://127.0.0.1:9', timeoutSeconds: 1 });
    enqueueOutbound(office.app.database.sqlite, [news(1), news(2)], office.app.clock.now());
    const runner = syncOf(office, 'credenziale-qualsiasi', { retry: { attempts: 2 } });
    const offline = await runner.runNow();
    expect(offline!.outcome).toBe('non_riuscita');
    expect(offline!.errors.join(' ')).toMatch(/non raggiungibile/);
    expect(offline!.retries).toBe(2); // one per direction
    expect(outboxCounts(office.app.database.sqlite).pending).toBe(2);
    sandbox = await sandboxFor(office);
    restSettings(office, sandbox);
    const online = await syncOf(office, sandbox.token).runNow();
    expect(online!.outbound.published).toBe(2);
  });
});

describe('tentativi con attesa crescente', () => {
  it('attesa esponenziale con variazione casuale, limitata; Retry-After del portale rispettato', () => {
    const p = { attempts: 5, baseMs: 1000, maxMs: 8000 };
    expect([0, 1, 2, 3, 4, 5].map((i) => backoffDelay(i, p, () => 0))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect([0, 1, 2, 3, 4, 5].map((i) => backoffDelay(i, p, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelay(0, p, () => 0, 30_000)).toBe(30_000);
    expect(DEFAULT_RETRY.attempts).toBeGreaterThan(1);
  });

  it('con un orologio finto: i tentativi partono dopo 750, 1500, 3000 ms; un errore non ripetibile ferma subito', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    office = await officeWithPupils(0);
    writePortalSettings(office.app.database.db, { ...DEFAULT_PORTAL_SETTINGS, adapter: 'rest', baseUrl: 'https://portale.example.it' });
    const calls: number[] = [];
    let failures = 3;
    const adapter: PortalAdapter = {
      kind: 'rest',
      fetchInbound() {
        calls.push(Date.now());
        if (failures-- > 0) return Promise.reject(new PortalTransportError('Il portale ha risposto HTTP 503', true, 503));
        return Promise.resolve({ events: [], nextCursor: null, hasMore: false, label: 'vuota' });
      },
      publish: () => Promise.reject(new PortalTransportError('Il portale ha rifiutato la credenziale (HTTP 401)', false, 401)),
    };
    const outbox: OutboxSide = { pending: () => [{ ...news(1), id: 'news:1~x', publishedAt: '2026-10-19T14:00:00Z' }], markPublished: () => {} };
    let publishCalls = 0;
    const runner = createRunner({
      db: office.app.database.db, sqlite: office.app.database.sqlite, clock: office.app.clock, logger: silentLogger, secrets: memorySecretStore('x'),
      adapterFor: () => ({ ...adapter, publish: (b) => (publishCalls++, adapter.publish(b)) }),
      inbound: { apply: () => ({ status: 'applicato', message: '' }), readCursor: () => null, writeCursor: () => {} },
      outbox, random: () => 0.5, retry: { attempts: 5, baseMs: 1000, maxMs: 60_000 },
    });
    const t0 = Date.now();
    const done = runner.runNow();
    await vi.advanceTimersByTimeAsync(749);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    const run = await done;
    expect(calls.map((t) => t - t0)).toEqual([0, 750, 2250, 5250]);
    expect(run!.retries).toBe(3);
    expect(publishCalls).toBe(1); // 401: not repeated
    expect(run!.errors).toEqual(['Pubblicazione: Il portale ha rifiutato la credenziale (HTTP 401)']);
  });
});

describe('credenziale', () => {
  it('la credenziale non compare in nessuna riga di registro né nel database (nemmeno nel file su disco), e il suo file è leggibile solo dal proprietario', async () => {
    office = await officeWithPupils(3);
    const TOKEN = 'tok-3f9a1c77e2b4-SEGRETISSIMO';
    sandbox = await sandboxFor(office, { failEvery: 3, hangEvery: 7, seed: 5 }, TOKEN);
    sandbox.act(30, ACT_FROM, { seed: 8 });
    const lines: string[] = [];
    const logger = {
      info: (m: string, e?: unknown) => lines.push(`${m} ${JSON.stringify(e ?? '')}`),
      warn: (m: string, e?: unknown) => lines.push(`${m} ${JSON.stringify(e ?? '')}`),
      error: (m: string, e?: unknown) => lines.push(`${m} ${JSON.stringify(e ?? '')}`),
    };
    // saved through the contract, as the settings screen does
    await office.app.call('portal.settings.update', { ...DEFAULT_PORTAL_SETTINGS, adapter: 'rest', baseUrl: sandbox.url, timeoutSeconds: 1, pageSize: 7, credential: TOKEN, version: 0 });
    const store = fileSecretStore(office.app.dir);
    expect(store.get()).toBe(TOKEN);
    const file = path.join(office.app.dir, 'portale', 'credenziale-portale');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const settings = await office.app.call('portal.settings.get', {});
    expect(JSON.stringify(settings)).not.toContain(TOKEN);
    expect(settings.credential).toMatchObject({ present: true, masked: '••••SIMO' });
    // a run with the wrong credential first (refused), then the right one, with faults: plenty of log lines
    const runner = startPortalSync({ db: office.app.database.db, sqlite: office.app.database.sqlite, clock: office.app.clock, logger, secrets: store }, 60 * 60_000);
    try {
      store.set(`${TOKEN}-vecchia`);
      const refused = await office.app.call('portal.sync.now', {}, 'operatore');
      expect(refused.run.errors.join(' ')).toMatch(/rifiutato la credenziale/);
      store.set(TOKEN);
      for (let i = 0; i < 4; i++) await office.app.call('portal.sync.now', {}, 'operatore');
      const status = await office.app.call('portal.sync.status', {}, 'operatore');
      expect(status).toMatchObject({ adapter: 'rest', credentialPresent: true, background: true });
      expect(status.runs.length).toBeGreaterThanOrEqual(5);
    } finally {
      await runner.stop();
    }
    expect(recordedIds(office.app).size).toBe(30);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l).not.toContain(TOKEN);
    // every text of every table, then the database file itself
    const sqlite = office.app.database.sqlite;
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    for (const { name } of tables) {
      const dump = JSON.stringify(sqlite.prepare(`SELECT * FROM "${name}"`).all());
      expect(dump, name).not.toContain(TOKEN.slice(4, 20));
    }
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.readFileSync(path.join(office.app.dir, 'rette.sqlite'));
    expect(bytes.includes(Buffer.from(TOKEN.slice(4, 20)))).toBe(false);
  });

  it("l'indirizzo del portale deve essere https (http solo verso questo computer) e la credenziale non si rimuove con l'API attiva", async () => {
    office = await officeWithPupils(0);
    const e = await office.app.fail('portal.settings.update', { ...DEFAULT_PORTAL_SETTINGS, adapter: 'rest', baseUrl: 'http://portale.example.it/api', version: 0 });
    expect(e.issues[0]).toMatchObject({ path: ['baseUrl'], message: expect.stringMatching(/https/) });
    const f = await office.app.fail('portal.settings.update', { ...DEFAULT_PORTAL_SETTINGS, adapter: 'rest', baseUrl: 'https://portale.example.it/api', credential: null, version: 0 });
    expect(f.issues[0]).toMatchObject({ path: ['credential'] });
    const g = await office.app.fail('portal.settings.update', { ...DEFAULT_PORTAL_SETTINGS, adapter: 'file', folder: 'relativa/cartella', version: 0 });
    expect(g.issues[0]).toMatchObject({ path: ['folder'] });
    // saved by someone else meanwhile: a save on the version read before is refused
    const saved = await office.app.call('portal.settings.update', { ...DEFAULT_PORTAL_SETTINGS, adapter: 'nessuno', intervalMinutes: 10, version: 0 });
    expect(saved.version).toBe(1);
    const stale = await office.app.fail('portal.settings.update', { ...DEFAULT_PORTAL_SETTINGS, adapter: 'nessuno', intervalMinutes: 15, version: 0 });
    expect(stale).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/ha modificato il collegamento con il portale delle famiglie/) });
    expect((await office.app.call('portal.settings.get', {}, 'supervisore')).intervalMinutes).toBe(10);
  });
});

describe('un solo sincronizzatore per database', () => {
  it('mentre uno sincronizza un altro processo è respinto; il turno di un processo morto si riprende', async () => {
    office = await officeWithPupils(0);
    const { db, sqlite } = office.app.database;
    const now = office.app.clock.now();
    expect(acquireLease(sqlite, db, 'altro-host#1', now)).toBe(true);
    expect(acquireLease(sqlite, db, 'questo-host#2', now)).toBe(false);
    // expired: taken over
    expect(acquireLease(sqlite, db, 'questo-host#2', new Date(now.getTime() + 6 * 60_000))).toBe(true);
    // a dead process of this computer holding it: taken over at once, before its expiry
    const os = await import('node:os');
    const later = new Date(now.getTime() + 12 * 60_000);
    expect(acquireLease(sqlite, db, `${os.hostname()}#999999999`, later)).toBe(true);
    expect(acquireLease(sqlite, db, 'questo-host#3', later)).toBe(true);
    writePortalSettings(db, { ...DEFAULT_PORTAL_SETTINGS, adapter: 'rest', baseUrl: 'https://portale.example.it' });
    acquireLease(sqlite, db, 'altro-host#1', now);
    await expect(syncOf(office, 'x').runNow()).rejects.toBeInstanceOf(SyncBusyError);
    const e = await office.app.fail('portal.sync.now', {}, 'operatore');
    expect(e).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/già in corso/) });
  });
});

describe('in sottofondo', () => {
  it('il sincronizzatore avviato gira da solo (corsa «automatica») e si ferma; con il collegamento spento non fa nulla', async () => {
    office = await officeWithPupils(1);
    sandbox = await sandboxFor(office);
    sandbox.act(5, ACT_FROM, { seed: 6 });
    const deps = { db: office.app.database.db, sqlite: office.app.database.sqlite, clock: office.app.clock, logger: silentLogger, secrets: memorySecretStore(sandbox.token) };
    const off = startPortalSync(deps, 10);
    await new Promise((r) => setTimeout(r, 200));
    await off.stop();
    expect(readSyncLog(office.app.database.db).runs).toEqual([]);
    restSettings(office, sandbox);
    const runner = startPortalSync(deps, 10);
    try {
      for (let i = 0; i < 100 && readSyncLog(office.app.database.db).runs.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(readSyncLog(office.app.database.db).runs[0]).toMatchObject({ trigger: 'automatica', outcome: 'riuscita', inbound: { received: 5 } });
      expect(runner.status().nextRunAt).not.toBeNull();
    } finally {
      await runner.stop();
    }
    expect(runner.status()).toEqual({ running: false, nextRunAt: null });
  });
});
