/**
 * Issue 7: reads that matter are on record (exports of personal or bank data, backups, sign-ins),
 * declared on the procedure and written by the dispatcher; the audit log never keeps a full IBAN.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { procedures } from '../../../electron/contract/registry';
import { maskIban, maskSnapshot, maskSnapshotJson } from '../../../electron/audit/mask';
import { buildItalianIban } from '../../../electron/identifiers/iban';
import { createTestApp, seedBasics, VALID_PAYER, type TestApp } from '../../support/backend';

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp('2026-10-12T08:00:00Z');
});
afterEach(() => app.close());

const FULL_IBAN = VALID_PAYER.iban; // IT60X0542811101000000123456
const rows = (where: string) =>
  app.database.sqlite.prepare(`SELECT username, procedure, entity, action, before_json AS before, after_json AS after FROM audit_log WHERE ${where} ORDER BY id`).all() as {
    username: string;
    procedure: string;
    entity: string;
    action: string;
    before: string | null;
    after: string | null;
  }[];

describe('IBAN mascherati nel registro', () => {
  it('un IBAN diventa paese, controllo e ultime quattro cifre', () => {
    expect(maskIban(FULL_IBAN)).toBe('IT60 **** **** 3456');
    expect(maskSnapshot({ iban: FULL_IBAN, ibanHolder: 'Mario Rossi', note: `Conto IT60 X054 2811 1010 0000 0123 456 da verificare` })).toEqual({
      iban: 'IT60 **** **** 3456',
      ibanHolder: 'Mario Rossi',
      note: 'Conto IT60 **** **** 3456 da verificare',
    });
    // a codice fiscale or a badge is not an IBAN and stays as it is
    expect(maskSnapshotJson(JSON.stringify({ taxCode: 'RSSMRA85T10A562S', userCode: '10000001' }))).toBe('{"taxCode":"RSSMRA85T10A562S","userCode":"10000001"}');
    expect(maskSnapshot({ password: 'x', nested: [{ newIban: FULL_IBAN }] })).toEqual({ nested: [{ newIban: 'IT60 **** **** 3456' }] });
  });

  it('creare e modificare un pagante lascia nel registro solo IBAN mascherati, prima e dopo', async () => {
    const p = await app.call('payers.create', VALID_PAYER, 'operatore');
    const second = buildItalianIban('12345', '12345', '123456789012');
    await app.call('payers.update', { ...VALID_PAYER, id: p.id, version: app.version('payer', p.id), iban: second, ibanHolder: 'Maria Rossi' }, 'operatore');
    const all = rows("entity = 'pagante'");
    expect(all).toHaveLength(2);
    const text = JSON.stringify(all);
    expect(text).not.toContain(FULL_IBAN);
    expect(text).not.toContain(second);
    expect(JSON.parse(all[1].before!).iban).toBe('IT60 **** **** 3456');
    expect(JSON.parse(all[1].after!).iban).toBe(`${second.slice(0, 4)} **** **** 9012`);
  });
});

describe('letture registrate (dichiarate sulla procedura, scritte dal dispatcher)', () => {
  it('le esportazioni con dati personali o bancari e la copia di sicurezza sono dichiarate come letture registrate', () => {
    const audited = procedures.filter((p) => 'auditedRead' in p && p.auditedRead).map((p) => p.name);
    for (const name of ['auth.login', 'payers.export', 'pupils.export', 'enrollments.export', 'audit.export', 'system.backup', 'attendance.attemptsExport']) {
      expect(audited).toContain(name);
    }
    for (const p of procedures) if ('auditedRead' in p && p.auditedRead) expect(p.kind).toBe('query');
  });

  it("esportare i paganti registra chi, quando, con quali filtri e quante righe; l'IBAN non entra nel registro", async () => {
    await app.call('payers.create', VALID_PAYER, 'operatore');
    const out = await app.call('payers.export', { search: 'rossi' }, 'operatore');
    const [r] = rows("procedure = 'payers.export'");
    expect(r).toMatchObject({ username: 'operatore', entity: 'pagante', action: 'esportazione dei paganti (codici fiscali e IBAN)' });
    expect(JSON.parse(r.after!)).toEqual({ filtri: { search: 'rossi', sort: 'lastName', sortDir: 'asc' }, righe: 1, file: out.fileName });
  });

  it('la copia di sicurezza manuale e l’esportazione del registro sono registrate', async () => {
    await seedBasics(app);
    const b = await app.call('system.backup', {}, 'supervisore');
    await app.call('audit.export', {}, 'supervisore');
    expect(rows("procedure = 'system.backup'")).toEqual([expect.objectContaining({ username: 'supervisore', entity: 'database', action: 'copia di sicurezza manuale' })]);
    expect(JSON.parse(rows("procedure = 'system.backup'")[0].after!).file).toBe(b.file);
    expect(rows("procedure = 'audit.export'")).toEqual([expect.objectContaining({ username: 'supervisore', entity: 'registro' })]);
  });

  it('se la lettura non può essere registrata, i dati non escono (errore, nessun file)', async () => {
    await app.call('payers.create', VALID_PAYER, 'operatore');
    app.database.sqlite.exec("CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'registro non scrivibile'); END");
    const r = await app.backend.call('payers.export', {}, app.sessions.operatore);
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/registro/) } });
  });
});
