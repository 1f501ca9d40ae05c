import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { backupTo } from '../../../db/backup';
import { createTestApp, type TestApp } from '../../support/backend';
import { count, enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';
import { EXE_BYTES, ethicalRequest, medicalRequest, pdfBytes, PNG_BYTES, typeIds } from './fixtures';

let app: TestApp;
let base: Base;
beforeEach(async () => {
  app = await createTestApp('2026-10-05T06:00:00Z');
  base = await seedAttendance(app);
});
afterEach(() => app.close());

const requests = () => count(app, 'SELECT count(*) AS n FROM diet_requests');
const attachments = () => count(app, 'SELECT count(*) AS n FROM diet_attachments');

/** A second operator, not handling anyone's request. */
async function otherOperator(): Promise<string> {
  await app.call('users.create', { username: 'altro', displayName: 'Altro operatore', role: 'operatore', password: 'password-altro' });
  const login = await app.backend.call('auth.login', { username: 'altro', password: 'password-altro' });
  if (!login.ok) throw new Error('accesso non riuscito');
  return (login.value as { session: string }).session;
}

describe('catalogo delle diete', () => {
  it('contiene i 14 allergeni del Reg. UE 1169/2011, intolleranze, malattie metaboliche, diete etico-religiose e voci a testo libero', async () => {
    const all = await app.call('diets.catalogue', {}, 'operatore');
    expect(all.filter((t) => t.kind === 'allergene')).toHaveLength(14);
    expect(all.filter((t) => t.kind === 'allergene').every((t) => t.category === 'medica')).toBe(true);
    expect(all.map((t) => t.name)).toEqual(expect.arrayContaining(['Intolleranza al lattosio', 'Celiachia (senza glutine)', 'Diabete', 'Vegetariana', 'Senza carne di maiale', 'Senza carne', 'Senza carne bovina']));
    expect(all.filter((t) => t.freeText).map((t) => t.category).sort()).toEqual(['etico_religiosa', 'medica']);
  });

  it("l'amministratore aggiunge e disattiva una voce; l'operatore no", async () => {
    const added = await app.call('diets.catalogueSave', { name: 'Senza pesce crudo', category: 'medica', kind: 'altro' });
    expect(added).toMatchObject({ name: 'Senza pesce crudo', active: true, code: 'senza_pesce_crudo' });
    await app.call('diets.catalogueSave', { id: added.id, version: added.version, name: 'Senza pesce crudo', category: 'medica', kind: 'altro', active: false });
    expect((await app.call('diets.catalogue', { onlyActive: true })).some((t) => t.id === added.id)).toBe(false);
    expect(await app.fail('diets.catalogueSave', { name: 'Halal', category: 'etico_religiosa', kind: 'etica' }, 'operatore')).toMatchObject({ code: 'FORBIDDEN' });
    expect((await app.fail('diets.catalogueSave', { name: 'Vegana', category: 'etico_religiosa', kind: 'allergene' })).issues[0]).toMatchObject({ path: ['kind'] });
  });
});

describe('richieste e certificati', () => {
  it('DI2: una dieta medica senza certificato medico è rifiutata e nulla è salvato', async () => {
    const { pupil } = await enrollPupil(app, base);
    const err = await app.fail(
      'diets.create',
      { pupilId: pupil.id, schoolYearId: base.year.id, category: 'medica', dietTypeIds: await typeIds(app, 'arachidi'), source: 'email', receivedOn: '2026-10-01', attachments: [] },
      'operatore',
    );
    expect(err).toMatchObject({ code: 'VALIDATION' });
    expect(err.issues[0]).toMatchObject({ path: ['attachments'], message: expect.stringMatching(/certificato medico/) });
    // a self-declaration is not a medical certificate
    const selfDeclared = await app.fail(
      'diets.create',
      {
        pupilId: pupil.id, schoolYearId: base.year.id, category: 'medica', dietTypeIds: await typeIds(app, 'arachidi'), source: 'email', receivedOn: '2026-10-01',
        attachments: [{ fileName: 'dichiarazione.pdf', contentBase64: pdfBytes().toString('base64'), kind: 'autodichiarazione' }],
      },
      'operatore',
    );
    expect(selfDeclared.issues[0].path).toEqual(['attachments']);
    expect(requests()).toBe(0);
    expect(attachments()).toBe(0);
  });

  it('un eseguibile rinominato .pdf è rifiutato: il tipo si riconosce dal contenuto, non dal nome', async () => {
    const { pupil } = await enrollPupil(app, base);
    const err = await app.fail(
      'diets.create',
      {
        pupilId: pupil.id, schoolYearId: base.year.id, category: 'medica', dietTypeIds: await typeIds(app, 'uova'), source: 'email', receivedOn: '2026-10-01',
        attachments: [{ fileName: 'certificato.pdf', contentBase64: EXE_BYTES.toString('base64'), kind: 'certificato_medico' }],
      },
      'operatore',
    );
    expect(err.issues[0]).toMatchObject({ path: ['attachments', 0, 'contentBase64'], message: expect.stringMatching(/non è un PDF, un JPEG o un PNG/) });
    expect(requests()).toBe(0);
    // a PNG named .pdf is stored as what it is
    const ok = await app.call(
      'diets.create',
      {
        pupilId: pupil.id, schoolYearId: base.year.id, category: 'medica', dietTypeIds: await typeIds(app, 'uova'), source: 'email', receivedOn: '2026-10-01',
        attachments: [{ fileName: 'foto.pdf', contentBase64: PNG_BYTES.toString('base64'), kind: 'certificato_medico' }],
      },
      'operatore',
    );
    expect(ok.attachments[0].mimeType).toBe('image/png');
  });

  it('un file oltre 5 MB è rifiutato con un messaggio in italiano', async () => {
    const { pupil } = await enrollPupil(app, base);
    const big = Buffer.concat([pdfBytes(), Buffer.alloc(5 * 1024 * 1024, 0x20)]);
    const err = await app.fail(
      'diets.create',
      {
        pupilId: pupil.id, schoolYearId: base.year.id, category: 'medica', dietTypeIds: await typeIds(app, 'uova'), source: 'email', receivedOn: '2026-10-01',
        attachments: [{ fileName: 'grande.pdf', contentBase64: big.toString('base64'), kind: 'certificato_medico' }],
      },
      'operatore',
    );
    expect(err.message).toMatch(/troppo grande|al massimo 5 MB/);
    expect(requests()).toBe(0);
  });

  it('il certificato è conservato nel database con il suo SHA-256, e non si sovrascrive né si cancella', async () => {
    const { pupil } = await enrollPupil(app, base);
    const r = await medicalRequest(app, base, pupil.id);
    const bytes = pdfBytes();
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(r.attachments[0]).toMatchObject({ sha256: sha, mimeType: 'application/pdf', sizeBytes: bytes.length });
    const row = app.database.sqlite.prepare('SELECT content, sha256 FROM diet_attachments WHERE id = ?').get(r.attachments[0].id) as { content: Buffer; sha256: string };
    expect(Buffer.compare(row.content, bytes)).toBe(0);
    expect(() => app.database.sqlite.prepare("UPDATE diet_attachments SET content = x'255044462d' WHERE id = ?").run(r.attachments[0].id)).toThrow(/non si sovrascrive/);
    expect(() => app.database.sqlite.prepare('DELETE FROM diet_attachments WHERE id = ?').run(r.attachments[0].id)).toThrow(/non si cancella/);
    expect(() => app.database.sqlite.prepare('DELETE FROM diet_requests WHERE id = ?').run(r.id)).toThrow(/non si cancella/);
  });

  it('il certificato sta nella copia di sicurezza: la copia porta lo stesso contenuto con lo stesso hash', async () => {
    const { pupil } = await enrollPupil(app, base);
    const r = await medicalRequest(app, base, pupil.id);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-diete-'));
    try {
      const copy = path.join(dir, 'copia.sqlite');
      await backupTo(app.database.sqlite, copy);
      const db = new Database(copy, { readonly: true });
      const row = db.prepare('SELECT content, sha256 FROM diet_attachments WHERE id = ?').get(r.attachments[0].id) as { content: Buffer; sha256: string };
      db.close();
      expect(createHash('sha256').update(row.content).digest('hex')).toBe(r.attachments[0].sha256);
      expect(row.sha256).toBe(r.attachments[0].sha256);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('DI3: una dieta etico-religiosa non richiede certificato e la approva un operatore', async () => {
    const { pupil } = await enrollPupil(app, base);
    const r = await ethicalRequest(app, base, pupil.id);
    expect(r).toMatchObject({ status: 'in_attesa', attachments: [] });
    const approved = await app.call('diets.decide', { id: r.id, decision: 'approvata' }, 'operatore');
    expect(approved).toMatchObject({ status: 'approvata', approvedOn: '2026-10-05', diets: ['Senza carne di maiale'] });
  });

  it('DI4: una richiesta cartacea consegnata a scuola non è una provenienza ammessa', async () => {
    const { pupil } = await enrollPupil(app, base);
    for (const source of ['scuola', 'cartaceo', 'mensa']) {
      const err = await app.fail(
        'diets.create',
        { pupilId: pupil.id, schoolYearId: base.year.id, category: 'etico_religiosa', dietTypeIds: await typeIds(app, 'vegetariana'), source, receivedOn: '2026-10-01' },
        'operatore',
      );
      expect(err.issues[0]).toMatchObject({ path: ['source'], message: expect.stringMatching(/cartacee consegnate a scuola non valgono/) });
    }
    expect(requests()).toBe(0);
  });

  it("DI5: una dieta nuova arrivata per e-mail durante l'anno la registra l'ufficio, con la provenienza", async () => {
    const { pupil } = await enrollPupil(app, base);
    const r = await medicalRequest(app, base, pupil.id, { receivedOn: '2026-10-02' });
    const [row] = await app.call('diets.list', { pupilId: pupil.id }, 'operatore');
    expect(row).toMatchObject({ id: r.id, source: 'email', receivedOn: '2026-10-02', handledByName: 'operatore', status: 'in_attesa' });
  });
});

describe('approvazione (DI6) e dati sanitari (F5)', () => {
  it("DI6: l'operatore non può approvare né respingere una dieta medica; il supervisore sì, con il motivo se respinge", async () => {
    const { pupil } = await enrollPupil(app, base);
    const r = await medicalRequest(app, base, pupil.id);
    expect(await app.fail('diets.decide', { id: r.id, decision: 'approvata' }, 'operatore')).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/supervisore/) });
    expect(await app.fail('diets.decideMedical', { id: r.id, decision: 'approvata' }, 'operatore')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await app.fail('diets.decide', { id: r.id, decision: 'respinta', reason: 'Certificato illeggibile' }, 'operatore')).toMatchObject({ code: 'FORBIDDEN' });
    expect(count(app, "SELECT count(*) AS n FROM diet_requests WHERE status = 'in_attesa'")).toBe(1);
    const noReason = await app.fail('diets.decideMedical', { id: r.id, decision: 'respinta', reason: '' }, 'supervisore');
    expect(noReason.issues[0].path).toEqual(['reason']);
    const ok = await app.call('diets.decideMedical', { id: r.id, decision: 'approvata', validUntil: '2027-03-31' }, 'supervisore');
    expect(ok).toMatchObject({ status: 'approvata', validUntil: '2027-03-31', validTo: '2027-03-31', allergens: ['Uova', 'Latte'] });
    expect(await app.fail('diets.decideMedical', { id: r.id, decision: 'respinta', reason: 'ripensamento' }, 'supervisore')).toMatchObject({ code: 'CONFLICT' });
  });

  it('F5: ogni apertura di un certificato è registrata (chi, quando); lo aprono solo i supervisori e l’operatore che gestisce la richiesta', async () => {
    const { pupil } = await enrollPupil(app, base);
    const r = await medicalRequest(app, base, pupil.id);
    const attachmentId = r.attachments[0].id;
    const opened = await app.call('diets.attachment', { id: attachmentId }, 'supervisore');
    expect(Buffer.from(opened.contentBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    await app.call('diets.attachment', { id: attachmentId }, 'operatore'); // the operator handling it
    const other = await app.backend.call('diets.attachment', { id: attachmentId }, await otherOperator());
    expect(other).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/dato sanitario/) } });
    const log = app.database.sqlite
      .prepare("SELECT username, at, entity_id AS entityId, action FROM audit_log WHERE procedure = 'diets.attachment' ORDER BY id")
      .all() as { username: string; at: string; entityId: string; action: string }[];
    expect(log).toEqual([
      { username: 'supervisore', at: '2026-10-05T06:00:00.000Z', entityId: String(attachmentId), action: 'apertura certificato' },
      { username: 'operatore', at: '2026-10-05T06:00:00.000Z', entityId: String(attachmentId), action: 'apertura certificato' },
      { username: 'altro', at: '2026-10-05T06:00:00.000Z', entityId: String(attachmentId), action: 'apertura certificato non riuscito' },
    ]);
    // the detail says so too
    expect((await app.call('diets.get', { id: r.id }, 'operatore')).mayOpen).toBe(true);
    expect((await app.backend.call('diets.get', { id: r.id }, app.backend.sessionFor({ id: 4, username: 'altro', displayName: 'Altro operatore', role: 'operatore' })))).toMatchObject({ ok: true, value: { mayOpen: false } });
  });

  it('F5: alla fine della conservazione il contenuto del certificato è eliminato, la traccia resta, e la cancellazione è registrata', async () => {
    await app.call('diets.updateSettings', { version: app.version('dietSettings'), renewalDeadline: '09-30', retentionMonths: 6, newDays: 5 }, 'supervisore');
    const { pupil } = await enrollPupil(app, base);
    const r = await medicalRequest(app, base, pupil.id);
    await app.travel('2027-12-30T09:00:00Z'); // year ended 30/06/2027, kept until 30/12/2027
    expect(await app.call('diets.purgePreview', {}, 'supervisore')).toEqual([]);
    await app.travel('2027-12-31T09:00:00Z');
    expect((await app.call('diets.purgePreview', {}, 'supervisore')).map((c) => c.attachmentId)).toEqual([r.attachments[0].id]);
    expect(await app.fail('diets.purge', {}, 'operatore')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await app.call('diets.purge', {}, 'supervisore')).toEqual({ purged: 1 });
    const row = app.database.sqlite.prepare('SELECT content, purged_at AS purgedAt, sha256, file_name AS fileName FROM diet_attachments').get() as Record<string, unknown>;
    expect(row).toMatchObject({ content: null, purgedAt: '2027-12-31T09:00:00.000Z', fileName: 'certificato.pdf' });
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE procedure = 'diets.purge' AND entity = 'allegato_dieta'")).toBe(1);
    expect(await app.fail('diets.attachment', { id: r.attachments[0].id }, 'supervisore')).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/eliminato/) });
    expect(await app.call('diets.purge', {}, 'supervisore')).toEqual({ purged: 0 });
  });
});

describe('validità, scadenza e rinnovo (DI1)', () => {
  it("DI1: una dieta vale per il suo anno scolastico e scade alla sua fine; l'anno dopo è da rinnovare, nulla passa da sé", async () => {
    const { pupil } = await enrollPupil(app, base);
    const r = await medicalRequest(app, base, pupil.id);
    await app.call('diets.decideMedical', { id: r.id, decision: 'approvata' }, 'supervisore');
    const [row] = await app.call('diets.list', { pupilId: pupil.id });
    expect(row.validTo).toBe('2027-06-30');
    // nothing in the new year's requests
    expect(await app.call('diets.list', { schoolYearId: base.nextYear.id })).toEqual([]);
    const renew = await app.call('diets.renewals', { schoolYearId: base.nextYear.id }, 'operatore');
    expect(renew).toMatchObject({ previousYearLabel: '2026/2027', deadline: '2027-09-30' });
    expect(renew.rows).toEqual([expect.objectContaining({ pupilId: pupil.id, renewalStatus: 'mancante', previousDiets: 'Uova, Latte', payerEmail: expect.any(String) })]);
    // a new request for the new year: no longer missing
    await medicalRequest(app, base, pupil.id, { schoolYearId: base.nextYear.id });
    expect((await app.call('diets.renewals', { schoolYearId: base.nextYear.id })).rows[0].renewalStatus).toBe('in_attesa');
  });

  it('le famiglie da avvisare si esportano in Excel, e l’esportazione è registrata', async () => {
    const { pupil } = await enrollPupil(app, base);
    const r = await ethicalRequest(app, base, pupil.id);
    await app.call('diets.decide', { id: r.id, decision: 'approvata' }, 'operatore');
    const file = await app.call('diets.renewalsExport', { schoolYearId: base.nextYear.id }, 'operatore');
    expect(file).toMatchObject({ fileName: 'diete-da-rinnovare-2026-10-05.xlsx', rows: 1 });
    expect(count(app, "SELECT count(*) AS n FROM audit_log WHERE procedure = 'diets.renewalsExport'")).toBe(1);
  });

  it('approvare una nuova richiesta dello stesso tipo sostituisce la precedente (dieta cambiata)', async () => {
    const { pupil } = await enrollPupil(app, base);
    const first = await ethicalRequest(app, base, pupil.id);
    await app.call('diets.decide', { id: first.id, decision: 'approvata' }, 'operatore');
    const second = await app.call('diets.create', { pupilId: pupil.id, schoolYearId: base.year.id, category: 'etico_religiosa', dietTypeIds: await typeIds(app, 'vegetariana'), source: 'email', receivedOn: '2026-10-05' }, 'operatore');
    await app.call('diets.decide', { id: second.id, decision: 'approvata' }, 'operatore');
    const list = await app.call('diets.list', { pupilId: pupil.id });
    expect(Object.fromEntries(list.map((r) => [r.id, r.status]))).toEqual({ [first.id]: 'sostituita', [second.id]: 'approvata' });
  });

  it('la scadenza del rinnovo si imposta (supervisore); una data impossibile è rifiutata', async () => {
    expect(await app.call('diets.settings', {})).toEqual({ renewalDeadline: '09-30', retentionMonths: 12, newDays: 5, version: 0 });
    expect(await app.fail('diets.updateSettings', { version: app.version('dietSettings'), renewalDeadline: '09-31', retentionMonths: 12, newDays: 5 }, 'supervisore')).toMatchObject({ code: 'VALIDATION' });
    expect(await app.fail('diets.updateSettings', { version: app.version('dietSettings'), renewalDeadline: '10-15', retentionMonths: 12, newDays: 5 }, 'operatore')).toMatchObject({ code: 'FORBIDDEN' });
    await app.call('diets.updateSettings', { version: app.version('dietSettings'), renewalDeadline: '10-15', retentionMonths: 24, newDays: 3 }, 'supervisore');
    expect(await app.call('diets.renewals', { schoolYearId: base.nextYear.id })).toMatchObject({ deadline: '2027-10-15' });
  });
});
