/**
 * The portal's adapters (issue 13): the REST client (deadlines, verified TLS, what is retried, the
 * credential never in a message) and the exchange folder (the agreed layout, files moved only
 * when recorded, bad files set aside with their reason in Italian, the same idempotency).
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPortalUrl, restAdapter } from '../../../electron/portal/adapters/rest';
import { fileAdapter, fileCents, fileMoment, MAX_EXCHANGE_FILE_BYTES, readInboundFile } from '../../../electron/portal/adapters/files';
import { fileSecretStore, maskSecret, memorySecretStore, redactSecret } from '../../../electron/portal/adapters/credentials';
import { PortalTransportError } from '../../../electron/portal/adapters/adapter';
import { inboundEvent } from '../../../electron/portal/contract';
import { createPortalSync } from '../../../electron/portal/sync-service';
import { DEFAULT_PORTAL_SETTINGS, writePortalSettings } from '../../../electron/portal/settings';
import { enqueueOutbound } from '../../../electron/portal/outbox';
import { silentLogger } from '../../support/backend';
import { startSandbox, type Sandbox } from '../../portal-sandbox/server';
import { officeWithPupils, recordedIds, type SyncOffice } from './sync-fixtures';

let sandbox: Sandbox | null = null;
let office: SyncOffice | null = null;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  await sandbox?.close();
  office?.app.close();
  sandbox = null;
  office = null;
  for (const c of cleanups.splice(0)) await c();
});

const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-portale-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
};

async function failure(p: Promise<unknown>): Promise<PortalTransportError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(PortalTransportError);
  return e as PortalTransportError;
}

describe('adattatore REST', () => {
  it("l'indirizzo: https, oppure http solo verso questo computer; niente credenziali nell'indirizzo", () => {
    expect(checkPortalUrl('https://portale.example.it/api')).toBeNull();
    expect(checkPortalUrl('http://127.0.0.1:8080')).toBeNull();
    expect(checkPortalUrl('http://portale.example.it/api')).toMatch(/https/);
    expect(checkPortalUrl('https://utente:segreto@portale.example.it')).toMatch(/credenziale/);
    expect(checkPortalUrl('non un indirizzo')).toMatch(/non è valido/);
    expect(() => restAdapter({ baseUrl: 'http://portale.example.it', secrets: memorySecretStore('x') })).toThrow(PortalTransportError);
  });

  it('credenziale rifiutata: errore non ripetibile; 500 e portale muto: ripetibili, con la scadenza', async () => {
    sandbox = await startSandbox({ token: 'giusta-1234567' });
    const wrong = restAdapter({ baseUrl: sandbox.url, secrets: memorySecretStore('sbagliata-123'), timeoutMs: 300 });
    const e401 = await failure(wrong.fetchInbound(null, 10));
    expect(e401).toMatchObject({ retryable: false, status: 401 });
    expect(e401.message).toMatch(/rifiutato la credenziale/);
    const right = restAdapter({ baseUrl: sandbox.url, secrets: memorySecretStore('giusta-1234567'), timeoutMs: 300 });
    sandbox.setFaults({ failEvery: 1 });
    expect(await failure(right.fetchInbound(null, 10))).toMatchObject({ retryable: true, status: 500 });
    sandbox.setFaults({ failEvery: 0, hangEvery: 1 });
    const t0 = Date.now();
    const timeout = await failure(right.fetchInbound(null, 10));
    expect(timeout).toMatchObject({ retryable: true });
    expect(timeout.message).toMatch(/non ha risposto entro/);
    expect(Date.now() - t0).toBeLessThan(3000);
    const none = restAdapter({ baseUrl: sandbox.url, secrets: memorySecretStore(null) });
    expect(await failure(none.fetchInbound(null, 10))).toMatchObject({ retryable: false, message: expect.stringMatching(/Manca la credenziale/) });
  });

  it('TLS verificato: un portale con un certificato non riconosciuto è rifiutato (la verifica non è mai spenta)', async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' });
    const server = https.createServer({ cert: pems.cert, key: pems.private }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"events":[],"nextCursor":null,"hasMore":false}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const adapter = restAdapter({ baseUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, secrets: memorySecretStore('credenziale-1234'), timeoutMs: 3000 });
    const e = await failure(adapter.fetchInbound(null, 10));
    expect(e.message).toMatch(/non raggiungibile \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|ERR_TLS_CERT_ALTNAME_INVALID)/);
  });

  it('un lotto fuori contratto è rifiutato intero; la credenziale non compare nei messaggi di errore', async () => {
    const token = 'tok-segreto-987654321';
    const leaky: typeof fetch = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { message: `connessione chiusa: Bearer ${token}` } }));
    const e = await failure(restAdapter({ baseUrl: 'https://portale.example.it', secrets: memorySecretStore(token), fetch: leaky }).fetchInbound(null, 5));
    expect(e.message).not.toContain(token);
    expect(e.message).toContain('[credenziale nascosta]');
    const broken: typeof fetch = () => Promise.resolve(new Response(JSON.stringify({ events: 'nessuno', hasMore: false }), { status: 200 }));
    const b = await failure(restAdapter({ baseUrl: 'https://portale.example.it', secrets: memorySecretStore(token), fetch: broken }).fetchInbound(null, 5));
    expect(b).toMatchObject({ retryable: false, message: expect.stringMatching(/non rispetta il contratto/) });
    const stuck: typeof fetch = () => Promise.resolve(new Response(JSON.stringify({ events: [], nextCursor: null, hasMore: true }), { status: 200 }));
    expect((await failure(restAdapter({ baseUrl: 'https://portale.example.it', secrets: memorySecretStore(token), fetch: stuck }).fetchInbound(null, 5))).message).toMatch(/non fa avanzare il cursore/);
  });

  it('una risposta senza fine non riempie la memoria: letta fino al limite, poi rifiutata con il motivo', async () => {
    let sent = 0;
    // a portal that streams without a length and never stops
    const endless: typeof fetch = () =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              sent += 64 * 1024;
              controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
            },
          }),
          { status: 200 },
        ),
      );
    const options = { baseUrl: 'https://portale.example.it', secrets: memorySecretStore('credenziale-1234'), maxAnswerBytes: 1024 * 1024 };
    const e = await failure(restAdapter({ ...options, fetch: endless }).fetchInbound(null, 5));
    expect(e).toMatchObject({ retryable: false, message: expect.stringMatching(/La risposta del portale supera 1 MB: non è stata letta/) });
    expect(sent).toBeLessThan(2 * 1024 * 1024);
    // a declared length over the limit is refused before reading
    const declared: typeof fetch = () => Promise.resolve(new Response('{}', { status: 200, headers: { 'content-length': String(5 * 1024 * 1024) } }));
    expect((await failure(restAdapter({ ...options, fetch: declared }).fetchInbound(null, 5))).message).toMatch(/supera 1 MB/);
  });
});

describe('credenziale conservata', () => {
  it('file leggibile solo dal proprietario (0600, cartella 0700), sostituito per intero, rimovibile; mascherata e nascosta nei testi', () => {
    const dir = tmpDir();
    const store = fileSecretStore(dir);
    expect(store.get()).toBeNull();
    store.set('prima-credenziale-1');
    store.set('seconda-credenziale-2');
    expect(store.get()).toBe('seconda-credenziale-2');
    const file = path.join(dir, 'portale', 'credenziale-portale');
    if (process.platform !== 'win32') {
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    }
    expect(fs.readdirSync(path.dirname(file))).toEqual(['credenziale-portale']);
    store.clear();
    expect(store.get()).toBeNull();
    expect(maskSecret('abcdefghijkl')).toBe('••••ijkl');
    expect(maskSecret('corta')).toBe('••••');
    expect(redactSecret('Bearer abcdefghijkl fallito', 'abcdefghijkl')).toBe('Bearer [credenziale nascosta] fallito');
  });
});

// ---------------------------------------------------------------------------------------------
// Exchange folder
// ---------------------------------------------------------------------------------------------

function csv(rows: string[][]): Buffer {
  return Buffer.from(rows.map((r) => r.join(';')).join('\r\n') + '\r\n', 'utf8');
}

describe('cartella di scambio: il tracciato', () => {
  it('i valori dei file: momento con fuso o ora di Roma, importi in euro con la virgola', () => {
    expect(fileMoment('2026-10-12T09:10:00+02:00')).toBe('2026-10-12T09:10:00+02:00');
    expect(fileMoment('12/10/2026 09:10')).toBe('2026-10-12T07:10:00.000Z');
    expect(fileMoment('2026-12-07 09:10')).toBe('2026-12-07T08:10:00.000Z');
    expect(fileMoment('ieri')).toBe('ieri');
    expect(fileCents('12,50')).toBe(1250);
    expect(fileCents('€ 1.250,00')).toBe(125000);
    expect(fileCents('20')).toBe(2000);
    expect(fileCents('12.5')).toBe(1250);
    expect(fileCents('dodici')).toBe('dodici');
  });

  it('una riga per evento, tipi in italiano: ne escono eventi del contratto', async () => {
    const events = await readInboundFile(
      'eventi.csv',
      csv([
        ['id', 'tipo', 'momento', 'canale', 'codice_fiscale_alunno', 'data', 'in_bianco', 'iuv', 'importo', 'codice_fiscale_pagante', 'oggetto', 'messaggio'],
        ['e1', 'disdetta', '12/10/2026 09:10', 'app', 'RSSMRA17A41C800X', '2026-10-12', '', '', '', '', '', ''],
        ['e2', 'pasto_in_bianco', '12/10/2026 08:00', 'telefono', 'RSSMRA17A41C800X', '2026-10-13', 'sì', '', '', '', '', ''],
        ['e3', 'ricarica', '2026-10-12T10:00:00+02:00', 'portale', 'RSSMRA17A41C800X', '', '', '301000000000000123', '25,00', 'BNCLCU80A01C800X', '', ''],
        ['e4', 'segnalazione', '12/10/2026 11:00', 'portale', '', '', '', '', '', '', 'Saldo', 'Vorrei sapere il saldo'],
        ['e1', 'disdetta', '12/10/2026 09:10', 'app', 'RSSMRA17A41C800X', '2026-10-12', '', '', '', '', '', ''],
      ]),
    );
    expect(events).toHaveLength(4); // the same id twice in a file: once
    for (const e of events) expect(inboundEvent.safeParse(e).success, JSON.stringify(e)).toBe(true);
    expect(events[0]).toEqual({ id: 'e1', type: 'cancellation', occurredAt: '2026-10-12T07:10:00.000Z', channel: 'app', pupilTaxCode: 'RSSMRA17A41C800X', date: '2026-10-12' });
    expect(events[2]).toMatchObject({ type: 'topUp', amountCents: 2500, paidAt: '2026-10-12T10:00:00+02:00' });
  });
});

describe('cartella di scambio: file troppo grandi', () => {
  it('un file oltre il limite non è letto: va in scartati con il motivo', async () => {
    const folder = tmpDir();
    const inbound = path.join(folder, 'inbound');
    fs.mkdirSync(inbound, { recursive: true });
    // a sparse file: its size is over the limit without writing the bytes
    const big = path.join(inbound, '01-enorme.csv');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, MAX_EXCHANGE_FILE_BYTES + 1);
    const page = await fileAdapter({ folder }).fetchInbound(null, 100);
    expect(page.events).toEqual([]);
    expect(page.warnings?.join(' ')).toMatch(/01-enorme\.csv scartato.*oltre il limite di 50 MB: dividerlo in più file/);
    expect(fs.existsSync(big)).toBe(false);
    expect(fs.readdirSync(path.join(folder, 'inbound', 'scartati')).some((n) => n.startsWith('01-enorme'))).toBe(true);
  });
});

describe('cartella di scambio con il sincronizzatore', () => {
  it('andata e ritorno: i file ricevuti registrati e spostati in elaborati, i lotti scritti in outbound; un file riletto non registra nulla due volte; un file sbagliato va in scartati con il motivo', async () => {
    office = await officeWithPupils(2);
    const folder = tmpDir();
    writePortalSettings(office.app.database.db, { ...DEFAULT_PORTAL_SETTINGS, adapter: 'file', folder });
    const [a, b] = office.app.database.sqlite.prepare('SELECT tax_code AS cf FROM pupils ORDER BY id').all() as { cf: string }[];
    const inbound = path.join(folder, 'inbound');
    fs.mkdirSync(inbound, { recursive: true });
    const header = ['id', 'tipo', 'momento', 'canale', 'codice_fiscale_alunno', 'data'];
    fs.writeFileSync(path.join(inbound, '2026-10-19-001.csv'), csv([header, ['f1', 'disdetta', '19/10/2026 08:10', 'app', a.cf, '2026-10-20'], ['f2', 'disdetta', '19/10/2026 08:20', 'portale', b.cf, '2026-10-21']]));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Eventi');
    ws.addRow(header);
    ws.addRow(['f3', 'pasto_in_bianco', '19/10/2026 08:30', 'sms', a.cf, '2026-10-22']);
    ws.addRow(['f4', 'disdetta_primo_giorno_utile', '19/10/2026 08:40', 'telefono', b.cf, '']);
    fs.writeFileSync(path.join(inbound, '2026-10-19-002.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    fs.writeFileSync(path.join(inbound, '2026-10-19-003.csv'), csv([['codice', 'cosa'], ['1', 'disdetta']]));
    fs.writeFileSync(path.join(inbound, '2026-10-19-004.csv'), csv([header, ['', 'disdetta', '19/10/2026 08:50', 'app', a.cf, '2026-10-23']]));
    fs.writeFileSync(path.join(inbound, 'in-scrittura.csv.part'), 'id;tipo\n');
    enqueueOutbound(office.app.database.sqlite, [{ key: 'news:1', type: 'news', title: 'Menu', body: 'Testo', municipalityIds: [], validFrom: '2026-10-19', validTo: null, withdrawn: false }], office.app.clock.now());

    const runner = createPortalSync({ db: office.app.database.db, sqlite: office.app.database.sqlite, clock: office.app.clock, logger: silentLogger, secrets: memorySecretStore(null) });
    const run = await runner.runNow();
    expect(run).toMatchObject({ adapter: 'file', outcome: 'parziale', inbound: { received: 4, pages: 3 }, outbound: { published: 1 } });
    expect(run!.errors).toEqual([expect.stringMatching(/^File 2026-10-19-003\.csv scartato .*Mancano le colonne/), expect.stringMatching(/^File 2026-10-19-004\.csv scartato/)]);
    expect(new Set(recordedIds(office.app).keys())).toEqual(new Set(['f1', 'f2', 'f3', 'f4']));
    expect(fs.readdirSync(path.join(inbound, 'elaborati')).sort()).toEqual(['2026-10-19-001.csv', '2026-10-19-002.xlsx']);
    expect(fs.readdirSync(path.join(inbound, 'scartati')).sort()).toEqual(['2026-10-19-003.csv', '2026-10-19-003.csv.motivo.txt', '2026-10-19-004.csv', '2026-10-19-004.csv.motivo.txt']);
    expect(fs.readFileSync(path.join(inbound, 'scartati', '2026-10-19-003.csv.motivo.txt'), 'utf8')).toMatch(/Mancano le colonne obbligatorie: id, tipo, momento/);
    expect(fs.readFileSync(path.join(inbound, 'scartati', '2026-10-19-004.csv.motivo.txt'), 'utf8')).toMatch(/riga 2: manca l'id dell'evento/);
    expect(fs.readdirSync(inbound).filter((n) => !['elaborati', 'scartati'].includes(n))).toEqual(['in-scrittura.csv.part']);
    const out = fs.readdirSync(path.join(folder, 'outbound'));
    expect(out).toHaveLength(1);
    const batch = JSON.parse(fs.readFileSync(path.join(folder, 'outbound', out[0]), 'utf8')) as { events: { key: string }[] };
    expect(batch.events.map((e) => e.key)).toEqual(['news:1']);

    // the portal drops the same file again (or the office stopped before moving it): nothing twice
    fs.copyFileSync(path.join(inbound, 'elaborati', '2026-10-19-001.csv'), path.join(inbound, '2026-10-19-001.csv'));
    const again = await runner.runNow();
    expect(again!.inbound).toMatchObject({ received: 2, duplicates: 2, applied: 0 });
    expect(recordedIds(office.app).size).toBe(4);
    expect(fs.readdirSync(path.join(inbound, 'elaborati'))).toContain('2026-10-19-001-2.csv');
  });

  it('una cartella di scambio irraggiungibile: la corsa non riesce e lo dice, senza perdere nulla', async () => {
    const adapter = fileAdapter({ folder: path.join(tmpDir(), 'non-esiste') });
    const e = await failure(adapter.fetchInbound(null, 10));
    expect(e).toMatchObject({ retryable: true, message: expect.stringMatching(/non esiste o non è raggiungibile/) });
  });
});
