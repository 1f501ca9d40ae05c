/**
 * The creditor's SDD settings (issue 9; PAYMENTS.md §1 "Mandate data", §2): creditor identifier
 * with its check digits, the credited account with its CIN and ABI, the CBI company code; name and
 * address from Dati della ditta, combined for the bank files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCreditorId } from '../../../electron/identifiers/creditor-id';
import { buildItalianIban } from '../../../electron/identifiers/iban';
import { requireSddCreditor, sddCreditorData } from '../../../electron/sdd/creditor';
import { createTestApp, type TestApp } from '../../support/backend';

const vectors = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../shared/standards/it-identifiers-test-vectors.json'), 'utf8')) as {
  iban_invalid: Record<string, string>;
  creditor_identifier_valid: string[];
  creditor_identifier_invalid: Record<string, string>;
};

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp('2026-09-10T08:00:00Z');
});
afterEach(() => app.close());

const CI = 'IT04ZZZ0000012345678903';
const IBAN = buildItalianIban('03069', '11101', '000000100100');
const SETTINGS = { creditorId: CI, creditorIban: IBAN, cuc: '1234567A' };
const CATERER = {
  companyName: 'Ristorazione Alpina S.r.l.',
  street: 'Via delle Mense',
  streetNumber: '12',
  postcode: '24023',
  town: 'Clusone',
  province: 'BG',
  vatNumber: '02468135799',
  taxCode: '02468135799',
};

describe('impostazioni SDD del creditore', () => {
  it("identificativi del creditore con cifre di controllo errate o di lunghezza errata sono rifiutati; quelli validi accettati", async () => {
    for (const [ci, why] of Object.entries(vectors.creditor_identifier_invalid)) {
      const err = await app.fail('sdd.creditor.update', { version: app.version('sddCreditor', 1), ...SETTINGS, creditorId: ci });
      expect(err.issues, `${ci}: ${why}`).toEqual([{ path: ['creditorId'], message: expect.stringMatching(/identificativo del creditore/i) }]);
    }
    expect((await app.fail('sdd.creditor.update', { version: app.version('sddCreditor', 1), ...SETTINGS, creditorId: 'IT05ZZZ0000012345678903' })).issues[0].message).toMatch(/cifre di controllo errate/);
    for (const ci of vectors.creditor_identifier_valid) {
      expect((await app.call('sdd.creditor.update', { version: app.version('sddCreditor', 1), ...SETTINGS, creditorId: ci.toLowerCase() })).settings?.creditorId).toBe(ci);
    }
    expect(app.database.sqlite.prepare('SELECT count(*) FROM sdd_creditor').pluck().get()).toBe(1);
  });

  it("l'IBAN di accredito con CIN errato è rifiutato; l'ABI viene dall'IBAN (posizioni 6-10); i valori predefiniti sono RCUR, 1,00 € e 14 giorni", async () => {
    const wrongCin = Object.keys(vectors.iban_invalid).find((k) => /CIN wrong/.test(vectors.iban_invalid[k]))!;
    expect((await app.fail('sdd.creditor.update', { version: app.version('sddCreditor', 1), ...SETTINGS, creditorIban: wrongCin })).issues).toEqual([{ path: ['creditorIban'], message: expect.stringMatching(/CIN errato/) }]);
    const r = await app.call('sdd.creditor.update', { version: app.version('sddCreditor', 1), ...SETTINGS, creditorIban: IBAN.replace(/(.{4})/g, '$1 ').toLowerCase() });
    expect(r.settings).toMatchObject({ creditorIban: IBAN, abi: '03069', bic: '', cuc: '1234567A', sequencePolicy: 'rcur', commissionCents: 100, prenotificationDays: 14, batchBooking: true });
  });

  it('CUC, BIC, commissione e preavviso fuori regola sono rifiutati tutti insieme, con il campo', async () => {
    const err = await app.fail('sdd.creditor.update', { version: app.version('sddCreditor', 1), ...SETTINGS, cuc: '123', bic: 'BANCA', commissionCents: -1, prenotificationDays: 0 });
    expect(err.issues.map((i) => i.path[0]).sort()).toEqual(['bic', 'commissionCents', 'cuc', 'prenotificationDays']);
    const ok = await app.call('sdd.creditor.update', { version: app.version('sddCreditor', 1), ...SETTINGS, bic: 'bpmoit22xxx', sequencePolicy: 'frst_poi_rcur', commissionCents: 0, prenotificationDays: 5, batchBooking: false });
    expect(ok.settings).toMatchObject({ bic: 'BPMOIT22XXX', sequencePolicy: 'frst_poi_rcur', commissionCents: 0, prenotificationDays: 5, batchBooking: false });
  });

  it("l'amministratore modifica, operatore e supervisore leggono soltanto; la modifica è nel registro senza l'IBAN completo", async () => {
    expect((await app.fail('sdd.creditor.update', { ...SETTINGS, version: app.version('sddCreditor', 1) }, 'supervisore')).code).toBe('FORBIDDEN');
    expect((await app.fail('sdd.creditor.update', { ...SETTINGS, version: app.version('sddCreditor', 1) }, 'operatore')).code).toBe('FORBIDDEN');
    await app.call('sdd.creditor.update', { ...SETTINGS, version: app.version('sddCreditor', 1) });
    expect((await app.call('sdd.creditor.get', {}, 'operatore')).settings?.creditorId).toBe(CI);
    const audit = app.database.sqlite.prepare("SELECT action, after_json AS after FROM audit_log WHERE entity = 'creditore_sdd'").all() as { action: string; after: string }[];
    expect(audit.map((a) => a.action)).toEqual(['creazione']);
    expect(audit[0].after).not.toContain(IBAN);
  });
});

describe('dati del creditore per i file della banca', () => {
  it('senza ditta né impostazioni non ci sono dati, e requireSddCreditor dice in italiano cosa manca', async () => {
    expect(sddCreditorData(app.database.db)).toBeNull();
    expect(() => requireSddCreditor(app.database.db)).toThrow(/mancano i dati della ditta .* e le impostazioni SDD/);
    const view = await app.call('sdd.creditor.get', {}, 'operatore');
    expect(view).toMatchObject({ configured: false, settings: null, caterer: null, defaults: { commissionCents: 100, prenotificationDays: 14, sequencePolicy: 'rcur' } });
    expect(view.missing).toHaveLength(2);

    await app.call('sdd.creditor.update', { ...SETTINGS, version: app.version('sddCreditor', 1) });
    expect(() => requireSddCreditor(app.database.db)).toThrow(/Anagrafiche › Dati della ditta/);
    try {
      requireSddCreditor(app.database.db);
    } catch (e) {
      expect(e).toMatchObject({ code: 'VALIDATION', issues: [{ path: ['creditor'] }] });
    }
  });

  it('ditta e impostazioni combinate: nome, indirizzo strutturato, CI, IBAN, ABI, CUC', async () => {
    await app.call('caterer.update', { ...CATERER, version: app.version('caterer') });
    expect(() => requireSddCreditor(app.database.db)).toThrow(/impostazioni SDD .*Pagamenti › Impostazioni SDD/);
    await app.call('sdd.creditor.update', { version: app.version('sddCreditor', 1), ...SETTINGS, creditorId: buildCreditorId('IT', `00000${CATERER.taxCode}`) });
    const data = requireSddCreditor(app.database.db);
    expect(data).toEqual({
      name: 'Ristorazione Alpina S.r.l.',
      address: { street: 'Via delle Mense', buildingNumber: '12', postcode: '24023', town: 'Clusone', province: 'BG', country: 'IT' },
      creditorId: 'IT54ZZZ0000002468135799',
      iban: IBAN,
      abi: '03069',
      bic: '',
      cuc: '1234567A',
      batchBooking: true,
    });
    expect(await app.call('sdd.creditor.get', {}, 'operatore')).toMatchObject({ configured: true, missing: [], caterer: { name: 'Ristorazione Alpina S.r.l.' } });
  });

  it('una ragione sociale oltre i 70 caratteri SEPA blocca i file finché non si accorcia', async () => {
    await app.call('caterer.update', { ...CATERER, version: app.version('caterer'), companyName: `Ristorazione ${'Molto '.repeat(12)}Lunga S.r.l.` });
    await app.call('sdd.creditor.update', { ...SETTINGS, version: app.version('sddCreditor', 1) });
    expect(sddCreditorData(app.database.db)).toBeNull();
    expect(() => requireSddCreditor(app.database.db)).toThrow(/al massimo 70 caratteri/);
  });
});

describe('ufficio dimostrativo', () => {
  it('con la storia dei pagamenti ha le impostazioni SDD della ditta e un mandato attivo per ogni pagante con iscrizione SDD', async () => {
    const r = await app.call('demo.seed', { pupils: 80, seed: 5 });
    const sqlite = app.database.sqlite;
    const sddPayers = sqlite.prepare("SELECT DISTINCT payer_id FROM enrollments WHERE payment_method = 'sdd' ORDER BY payer_id").pluck().all() as number[];
    expect(sddPayers.length).toBeGreaterThan(5);
    expect(r.money?.mandates).toBe(sddPayers.length);
    const mandates = (await app.call('sdd.mandates.list', { status: 'attivo', sort: 'createdAt', limit: 1000 }, 'operatore')).rows;
    expect(mandates.map((m) => m.payerId).sort((a, b) => a - b)).toEqual(sddPayers);
    for (const m of mandates) {
      expect(m.umr).toBe(`RM${String(m.payerId).padStart(6, '0')}-1`);
      expect(m.signedOn <= '2026-09-10').toBe(true);
      const payer = sqlite.prepare('SELECT iban, iban_holder AS holder, tax_code AS taxCode FROM payers WHERE id = ?').get(m.payerId);
      expect(payer).toEqual({ iban: m.iban, holder: m.holderName, taxCode: m.holderTaxCode });
    }
    // the creditor: the demo caterer's P.IVA in a valid CI, ready for the bank files
    const creditor = requireSddCreditor(app.database.db);
    expect(creditor).toMatchObject({ creditorId: expect.stringMatching(/^IT\d\dZZZ00000\d{11}$/), cuc: '1234567A', abi: '03069' });
    expect((await app.call('sdd.creditor.update', { version: app.version('sddCreditor', 1), creditorId: creditor.creditorId, creditorIban: creditor.iban, cuc: creditor.cuc })).configured).toBe(true);
  });
});
