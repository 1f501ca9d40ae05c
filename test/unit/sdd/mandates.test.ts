/**
 * SDD mandates (issue 9, P5; PAYMENTS.md §1 "Mandate data" and "Amendments"): one active mandate
 * per payer, IBAN and holder amendments recorded with the original value the next collection
 * reports, a new holder is a new mandate, and nothing is ever deleted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { buildItalianIban } from '../../../electron/identifiers/iban';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { activeMandateForPayer, markAmendmentsReported, pendingAmendment } from '../../../electron/sdd/mandates';
import { createTestApp, VALID_PAYER, type TestApp } from '../../support/backend';

const vectors = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../shared/standards/it-identifiers-test-vectors.json'), 'utf8')) as {
  iban_valid: string[];
  iban_invalid: Record<string, string>;
  codice_fiscale_valid: string[];
  codice_fiscale_invalid: Record<string, string>;
};

let app: TestApp;
let payerId: number;

const IBAN = 'IT60X0542811101000000123456'; // ABI 05428
const SAME_BANK = buildItalianIban('05428', '11101', '000000999999');
const OTHER_BANK = buildItalianIban('03069', '09606', '100000012345');
const WRONG_CIN = Object.keys(vectors.iban_invalid).find((k) => /CIN wrong/.test(vectors.iban_invalid[k]))!;
const HOLDER_CF = VALID_PAYER.taxCode;
const OTHER_CF = vectors.codice_fiscale_valid[1];

beforeEach(async () => {
  app = await createTestApp('2026-09-10T08:00:00Z');
  payerId = (await app.call('payers.create', VALID_PAYER, 'operatore')).id;
});
afterEach(() => app.close());

const base = () => ({ payerId, iban: IBAN, holderName: 'Mario Rossi', holderTaxCode: HOLDER_CF, signedOn: '2026-09-01' });
const sqlite = () => app.database.sqlite;
const payerRow = () => sqlite().prepare('SELECT iban, iban_holder AS holder FROM payers WHERE id = ?').get(payerId) as { iban: string | null; holder: string | null };

async function otherPayer(lastName = 'Bianchi') {
  const taxCode = buildCodiceFiscale({ lastName, firstName: 'Anna', birthDate: '1982-03-04', sex: 'F', belfiore: 'C800' });
  return (await app.call('payers.create', { ...VALID_PAYER, firstName: 'Anna', lastName, taxCode, iban: null, ibanHolder: null }, 'operatore')).id;
}

describe('registrazione del mandato', () => {
  it('crea un mandato attivo con codice generato (RM + pagante + progressivo) e allinea IBAN e intestatario del pagante', async () => {
    const p2 = await otherPayer();
    const { mandate, replaced } = await app.call('sdd.mandates.create', { ...base(), payerId: p2, iban: 'it60 x054 2811 1010 0000 0123 456', holderName: 'Anna  Bianchi' }, 'operatore');
    expect(replaced).toBeNull();
    expect(mandate).toMatchObject({ payerId: p2, umr: `RM${String(p2).padStart(6, '0')}-1`, iban: IBAN, holderName: 'Anna Bianchi', status: 'attivo', history: [], pendingAmendment: null });
    expect(sqlite().prepare('SELECT iban, iban_holder AS holder FROM payers WHERE id = ?').get(p2)).toEqual({ iban: IBAN, holder: 'Anna Bianchi' });
    expect(activeMandateForPayer(app.database.db, p2)?.id).toBe(mandate.id);
    expect(activeMandateForPayer(app.database.db, payerId)).toBeNull();
  });

  it('P5: un IBAN con CIN errato (mod-97 giusto) è rifiutato, alla creazione e nella modifica', async () => {
    const err = await app.fail('sdd.mandates.create', { ...base(), iban: WRONG_CIN }, 'operatore');
    expect(err).toMatchObject({ code: 'VALIDATION', issues: [{ path: ['iban'], message: expect.stringMatching(/CIN errato/) }] });
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    const amend = await app.fail('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: WRONG_CIN }, 'operatore');
    expect(amend.issues).toEqual([{ path: ['iban'], message: expect.stringMatching(/CIN errato/) }]);
    expect((await app.call('sdd.mandates.get', { id: mandate.id })).iban).toBe(IBAN);
  });

  it('un codice mandato già usato è rifiutato (anche con maiuscole diverse); caratteri fuori dal set EPC e spazi pure', async () => {
    await app.call('sdd.mandates.create', { ...base(), umr: 'MENSA-2026/001' }, 'operatore');
    const p2 = await otherPayer();
    const dup = await app.fail('sdd.mandates.create', { ...base(), payerId: p2, umr: 'mensa-2026/001' }, 'operatore');
    expect(dup.issues).toEqual([{ path: ['umr'], message: expect.stringMatching(/già usato/) }]);
    for (const umr of ['MENSA 1', 'MENSA_1', 'MENSÀ1', '/MENSA1', 'MENSA//1']) {
      const e = await app.fail('sdd.mandates.create', { ...base(), payerId: p2, umr }, 'operatore');
      expect(e.issues[0].path, umr).toEqual(['umr']);
    }
    expect(sqlite().prepare('SELECT count(*) FROM sdd_mandates').pluck().get()).toBe(1);
  });

  it('P5: un secondo mandato attivo per lo stesso pagante è rifiutato; «sostituisci» revoca il vecchio e crea il nuovo insieme', async () => {
    const first = (await app.call('sdd.mandates.create', base(), 'operatore')).mandate;
    const err = await app.fail('sdd.mandates.create', { ...base(), iban: OTHER_BANK, signedOn: '2026-09-09' }, 'operatore');
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/già un mandato SDD attivo \(RM\d{6}-1\)/) });
    expect(payerRow().iban).toBe(IBAN);

    await app.travel('2026-09-12T08:00:00Z');
    const r = await app.call('sdd.mandates.create', { ...base(), iban: OTHER_BANK, signedOn: '2026-09-09', replace: true }, 'operatore');
    expect(r.replaced).toMatchObject({ id: first.id, status: 'revocato', revokedOn: '2026-09-12', revokeReason: `Sostituito dal mandato ${r.mandate.umr}` });
    expect(r.mandate).toMatchObject({ status: 'attivo', umr: `RM${String(payerId).padStart(6, '0')}-2`, iban: OTHER_BANK });
    expect(payerRow().iban).toBe(OTHER_BANK);
    // a replacement signed before the mandate it replaces makes no sense
    const older = await app.fail('sdd.mandates.create', { ...base(), signedOn: '2026-09-02', replace: true }, 'operatore');
    expect(older.issues[0].path).toEqual(['signedOn']);
  });

  it('la firma non può essere nel futuro; il codice fiscale del titolare è verificato (16 caratteri o 11 cifre)', async () => {
    expect((await app.fail('sdd.mandates.create', { ...base(), signedOn: '2026-09-11' }, 'operatore')).issues).toEqual([{ path: ['signedOn'], message: expect.stringMatching(/futuro/) }]);
    const badCf = Object.keys(vectors.codice_fiscale_invalid)[0];
    expect((await app.fail('sdd.mandates.create', { ...base(), holderTaxCode: badCf }, 'operatore')).issues[0].path).toEqual(['holderTaxCode']);
    expect((await app.fail('sdd.mandates.create', { ...base(), holderTaxCode: '02468135798' }, 'operatore')).issues[0].path).toEqual(['holderTaxCode']);
    const ok = await app.call('sdd.mandates.create', { ...base(), holderName: 'Rossi S.n.c.', holderTaxCode: '02468135799' }, 'operatore');
    expect(ok.mandate.holderTaxCode).toBe('02468135799');
  });

  it('un conto fuori dallo Spazio economico europeo (San Marino) richiede il BIC; un paese fuori SEPA è rifiutato', async () => {
    const sm = vectors.iban_valid.find((i) => i.startsWith('SM'))!;
    expect((await app.fail('sdd.mandates.create', { ...base(), iban: sm }, 'operatore')).issues).toEqual([{ path: ['bic'], message: expect.stringMatching(/BIC/) }]);
    expect((await app.fail('sdd.mandates.create', { ...base(), iban: sm, bic: 'ABC' }, 'operatore')).issues[0].path).toEqual(['bic']);
    const r = await app.call('sdd.mandates.create', { ...base(), iban: sm, bic: 'icrasmsmxxx' }, 'operatore');
    expect(r.mandate).toMatchObject({ iban: sm, bic: 'ICRASMSMXXX' });
    const p2 = await otherPayer();
    const us = await app.fail('sdd.mandates.create', { ...base(), payerId: p2, iban: 'BR1800360305000010009795493C1' }, 'operatore');
    expect(us.issues[0]).toMatchObject({ path: ['iban'], message: expect.stringMatching(/fuori dall'area SEPA/) });
  });
});

describe('modifiche del mandato (P5)', () => {
  it('P5: al rinnovo la famiglia cambia IBAN nella stessa banca: modifica con l\'IBAN originale, comunicata una volta sola', async () => {
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    const after = await app.call('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: SAME_BANK, reason: 'Rinnovo iscrizione 2026/2027' }, 'operatore');
    expect(after.iban).toBe(SAME_BANK);
    expect(after.history).toEqual([
      expect.objectContaining({ kind: 'iban', originalIban: IBAN, newIban: SAME_BANK, sameBank: true, effectiveOn: '2026-09-10', reason: 'Rinnovo iscrizione 2026/2027', reportedDebitId: null, createdByName: 'operatore' }),
    ]);
    expect(after.pendingAmendment).toEqual({ originalIban: IBAN });
    expect(payerRow()).toEqual({ iban: SAME_BANK, holder: 'Mario Rossi' });
    // the collection that carries it marks it reported: the next one carries nothing
    expect(markAmendmentsReported(app.database.db, mandate.id, 41)).toBe(1);
    expect(pendingAmendment(app.database.db, mandate.id)).toBeNull();
    expect((await app.call('sdd.mandates.get', { id: mandate.id })).history[0].reportedDebitId).toBe(41);
  });

  it('P5: nuovo IBAN in un\'altra banca: la modifica è SMNDA; più modifiche non comunicate si combinano rispetto al conto che la banca conosce', async () => {
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    const other = await app.call('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: OTHER_BANK }, 'operatore');
    expect(other.history[0]).toMatchObject({ originalIban: IBAN, newIban: OTHER_BANK, sameBank: false });
    expect(other.pendingAmendment).toEqual({ smnda: true });
    // back to the first bank before any collection: compared with IBAN (the bank's last) it is the same bank
    const back = await app.call('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: SAME_BANK }, 'operatore');
    expect(back.history.map((h) => h.sameBank)).toEqual([false, false]);
    expect(back.pendingAmendment).toEqual({ originalIban: IBAN });
    // and back to the very account the bank knows: nothing to report
    expect((await app.call('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: IBAN }, 'operatore')).pendingAmendment).toBeNull();
    // reported: the amendments already carried are not reported again
    markAmendmentsReported(app.database.db, mandate.id, 7);
    expect((await app.call('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: OTHER_BANK }, 'operatore')).pendingAmendment).toEqual({ smnda: true });
  });

  it('lo stesso IBAN non è una modifica; una modifica dell\'IBAN toglie il blocco messo da un insoluto', async () => {
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    expect((await app.fail('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: IBAN }, 'operatore')).message).toMatch(/nessuna modifica/);
    sqlite().prepare("UPDATE sdd_mandates SET blocked_reason = 'AC01: IBAN errato', blocked_at = '2026-09-05T10:00:00.000Z', version = version + 1 WHERE id = ?").run(mandate.id);
    expect((await app.call('sdd.mandates.list', { blocked: true })).total).toBe(1);
    const after = await app.call('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: OTHER_BANK }, 'operatore');
    expect(after).toMatchObject({ blockedReason: null, blockedAt: null });
    expect((await app.call('sdd.mandates.list', { blocked: true })).total).toBe(0);
  });

  it("P5: il nome dell'intestatario corretto (stessa persona) è una modifica 'intestatario'; non cambia l'IBAN da comunicare", async () => {
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    const after = await app.call('sdd.mandates.amendHolder', { mandateId: mandate.id, version: app.version('mandate', mandate.id), holderName: 'Mario Giuseppe Rossi', holderTaxCode: HOLDER_CF.toLowerCase(), reason: 'Nome completo' }, 'operatore');
    expect(after.holderName).toBe('Mario Giuseppe Rossi');
    expect(after.history).toEqual([expect.objectContaining({ kind: 'intestatario', originalHolderName: 'Mario Rossi', newHolderName: 'Mario Giuseppe Rossi', originalIban: null })]);
    expect(after.pendingAmendment).toBeNull();
    expect(payerRow()).toEqual({ iban: IBAN, holder: 'Mario Giuseppe Rossi' });
  });

  it('P5: un nuovo titolare del conto (altro codice fiscale) non è una modifica: serve un nuovo mandato firmato da lui', async () => {
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    const err = await app.fail('sdd.mandates.amendHolder', { mandateId: mandate.id, version: app.version('mandate', mandate.id), holderName: 'Vincenzo Benzi', holderTaxCode: OTHER_CF }, 'operatore');
    expect(err).toMatchObject({ code: 'VALIDATION', issues: [{ path: ['holderTaxCode'], message: expect.stringMatching(/serve un nuovo mandato firmato dal nuovo titolare/) }] });
    const m = await app.call('sdd.mandates.get', { id: mandate.id });
    expect(m).toMatchObject({ holderName: 'Mario Rossi', holderTaxCode: HOLDER_CF, history: [] });
    // the new holder signs a new mandate, which replaces the old one
    const r = await app.call('sdd.mandates.create', { ...base(), holderName: 'Vincenzo Benzi', holderTaxCode: OTHER_CF, signedOn: '2026-09-10', replace: true }, 'operatore');
    expect(r.mandate).toMatchObject({ holderTaxCode: OTHER_CF, status: 'attivo' });
    expect(r.replaced?.status).toBe('revocato');
  });

  it('un mandato revocato non si modifica né si revoca di nuovo', async () => {
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    const revoked = await app.call('sdd.mandates.revoke', { mandateId: mandate.id, revokedOn: '2026-09-10', reason: 'Passaggio a pagoPA' }, 'operatore');
    expect(revoked).toMatchObject({ status: 'revocato', revokedOn: '2026-09-10', revokeReason: 'Passaggio a pagoPA' });
    expect((await app.fail('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: OTHER_BANK }, 'operatore'))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/revocato: non si modifica/) });
    expect((await app.fail('sdd.mandates.amendHolder', { mandateId: mandate.id, version: app.version('mandate', mandate.id), holderName: 'Altro Nome' }, 'operatore')).code).toBe('CONFLICT');
    expect((await app.fail('sdd.mandates.revoke', { mandateId: mandate.id, revokedOn: '2026-09-10', reason: 'Ancora' }, 'operatore')).code).toBe('CONFLICT');
    expect(activeMandateForPayer(app.database.db, payerId)).toBeNull();
    // revocation: not in the future, not before the signature, with a reason
    const m2 = (await app.call('sdd.mandates.create', { ...base(), signedOn: '2026-09-05' }, 'operatore')).mandate;
    const bad = await app.fail('sdd.mandates.revoke', { mandateId: m2.id, revokedOn: '2026-09-04', reason: '' }, 'operatore');
    expect(bad.issues.map((i) => i.path[0]).sort()).toEqual(['reason', 'revokedOn']);
  });

  it('i trigger del database rifiutano la cancellazione di mandati e modifiche e la modifica di un mandato revocato', async () => {
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    await app.call('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: SAME_BANK }, 'operatore');
    expect(() => sqlite().prepare('DELETE FROM sdd_mandate_amendments').run()).toThrow(/non si cancella/);
    expect(() => sqlite().prepare('DELETE FROM sdd_mandates').run()).toThrow(/non si cancella: si revoca/);
    expect(() => sqlite().prepare("UPDATE sdd_mandates SET umr = 'ALTRO', version = version + 1 WHERE id = ?").run(mandate.id)).toThrow(/non si modificano/);
    await app.call('sdd.mandates.revoke', { mandateId: mandate.id, revokedOn: '2026-09-10', reason: 'Chiuso il conto' }, 'operatore');
    expect(() => sqlite().prepare("UPDATE sdd_mandates SET status = 'attivo', revoked_on = NULL, version = version + 1 WHERE id = ?").run(mandate.id)).toThrow(/revocato/);
    expect(sqlite().prepare('SELECT count(*) FROM sdd_mandates').pluck().get()).toBe(1);
  });
});

describe('pagante e mandato', () => {
  it("payers.update rifiuta di cambiare IBAN o intestatario di un pagante con mandato attivo, rimandando al mandato; il resto si modifica", async () => {
    await app.call('sdd.mandates.create', base(), 'operatore');
    const err = await app.fail('payers.update', { id: payerId, version: app.version('payer', payerId), ...VALID_PAYER, iban: OTHER_BANK }, 'operatore');
    expect(err.issues).toEqual([{ path: ['iban'], message: expect.stringMatching(/mandato SDD attivo .*Mandati SDD/) }]);
    expect((await app.fail('payers.update', { id: payerId, version: app.version('payer', payerId), ...VALID_PAYER, ibanHolder: 'Altro' }, 'operatore')).issues[0].path).toEqual(['ibanHolder']);
    const ok = await app.call('payers.update', { id: payerId, version: app.version('payer', payerId), ...VALID_PAYER, email: 'nuova@example.it' }, 'operatore');
    expect(ok).toMatchObject({ email: 'nuova@example.it', iban: IBAN });
    // without an active mandate the payer's IBAN is free again
    const m = activeMandateForPayer(app.database.db, payerId)!;
    await app.call('sdd.mandates.revoke', { mandateId: m.id, revokedOn: '2026-09-10', reason: 'Passa a pagoPA' }, 'operatore');
    expect((await app.call('payers.update', { id: payerId, version: app.version('payer', payerId), ...VALID_PAYER, iban: OTHER_BANK }, 'operatore')).iban).toBe(OTHER_BANK);
  });

  it("il registro delle modifiche non contiene l'IBAN completo del mandato", async () => {
    const { mandate } = await app.call('sdd.mandates.create', base(), 'operatore');
    await app.call('sdd.mandates.amendIban', { mandateId: mandate.id, version: app.version('mandate', mandate.id), iban: OTHER_BANK }, 'operatore');
    const rows = sqlite().prepare("SELECT action, before_json AS before, after_json AS after FROM audit_log WHERE entity = 'mandato_sdd' ORDER BY id").all() as { action: string; before: string | null; after: string }[];
    expect(rows.map((r) => r.action)).toEqual(['creazione', 'modifica IBAN']);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(IBAN);
    expect(text).not.toContain(OTHER_BANK);
    expect(text).toContain('IT60 **** **** 3456');
  });
});

describe('elenco ed esportazione', () => {
  it('filtra per stato, blocco e ricerca (pagante, codice mandato, IBAN), a pagine', async () => {
    const p2 = await otherPayer('Bianchi');
    const p3 = await otherPayer('Verdi');
    const a = (await app.call('sdd.mandates.create', { ...base(), umr: 'MENSA-A' }, 'operatore')).mandate;
    await app.call('sdd.mandates.create', { ...base(), payerId: p2, iban: OTHER_BANK, holderName: 'Anna Bianchi', holderTaxCode: OTHER_CF }, 'operatore');
    const c = (await app.call('sdd.mandates.create', { ...base(), payerId: p3, iban: SAME_BANK, holderName: 'Anna Verdi', holderTaxCode: OTHER_CF }, 'operatore')).mandate;
    await app.call('sdd.mandates.revoke', { mandateId: c.id, revokedOn: '2026-09-10', reason: 'Ritiro' }, 'operatore');

    const names = async (f: object) => (await app.call('sdd.mandates.list', f, 'operatore')).rows.map((r) => r.payerName);
    expect(await names({})).toEqual(['Bianchi Anna', 'Rossi Mario', 'Verdi Anna']);
    expect(await names({ status: 'attivo' })).toEqual(['Bianchi Anna', 'Rossi Mario']);
    expect(await names({ status: 'revocato' })).toEqual(['Verdi Anna']);
    expect(await names({ search: 'bianchi' })).toEqual(['Bianchi Anna']);
    expect(await names({ search: 'mensa-a' })).toEqual(['Rossi Mario']);
    expect(await names({ search: OTHER_BANK.slice(5, 15) })).toEqual(['Bianchi Anna']);
    expect(await names({ blocked: true })).toEqual([]);
    const page = await app.call('sdd.mandates.list', { limit: 2, offset: 2 }, 'operatore');
    expect(page).toMatchObject({ total: 3, rows: [{ payerName: 'Verdi Anna' }] });
    expect((await app.call('sdd.mandates.list', { payerId }, 'operatore')).rows.map((r) => r.id)).toEqual([a.id]);
  });

  it("l'esportazione in Excel scrive i mandati filtrati (IBAN in gruppi di 4, data di firma come data) ed è registrata", async () => {
    await app.call('sdd.mandates.create', base(), 'operatore');
    const f = await app.call('sdd.mandates.export', { status: 'attivo' }, 'operatore');
    expect(f).toMatchObject({ fileName: expect.stringMatching(/^mandati-sdd.*\.xlsx$/), rows: 1 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(f.contentBase64, 'base64') as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const cell = (name: string) => ws.getRow(2).getCell(header.indexOf(name) + 1).value;
    expect(cell('IBAN')).toBe('IT60 X054 2811 1010 0000 0123 456');
    expect(cell('Data firma')).toEqual(new Date(Date.UTC(2026, 8, 1)));
    expect(cell('Stato')).toBe('Attivo');
    expect(sqlite().prepare("SELECT count(*) FROM audit_log WHERE procedure = 'sdd.mandates.export'").pluck().get()).toBe(1);
  });
});
