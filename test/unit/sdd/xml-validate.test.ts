/**
 * The in-app XSD validation (xmllint-wasm on the copies in resources/sdd-schemas): the generated
 * files pass, a broken one is refused with the first errors in Italian, and the app's schema copies
 * are the ones of ../shared/standards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/contract/errors';
import { buildCbiXml } from '../../../electron/sdd/xml/cbi';
import { buildPain008Xml } from '../../../electron/sdd/xml/pain008';
import { italianXsdError, SCHEMA_FILES, sddSchemasDir, validateSddXml } from '../../../electron/sdd/xml/xsd';
import { EXAMPLE_A, EXAMPLE_B, largeBatch } from '../../fixtures/sdd/batch';
import { STANDARDS_DIR, xmllintCli } from '../../fixtures/sdd/xmllint-cli';

async function refusal(xml: string, format: Parameters<typeof validateSddXml>[1]): Promise<AppError> {
  try {
    await validateSddXml(xml, format);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('il file è stato accettato');
}

describe('validazione XSD nel programma', () => {
  it('le copie degli schemi in resources/sdd-schemas sono identiche a quelle di ../shared/standards', () => {
    const dir = sddSchemasDir();
    for (const f of SCHEMA_FILES) expect(fs.readFileSync(path.join(dir, f), 'utf8')).toBe(fs.readFileSync(path.join(STANDARDS_DIR, f), 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/CBI/);
  });

  it('accetta i file CBI (con e senza busta) e pain.008 degli esempi A e B', async () => {
    for (const file of [EXAMPLE_A, EXAMPLE_B]) {
      await expect(validateSddXml(buildCbiXml(file, { envelope: false }), 'cbi')).resolves.toBeUndefined();
      await expect(validateSddXml(buildCbiXml(file, { envelope: true }), 'cbi-busta')).resolves.toBeUndefined();
      await expect(validateSddXml(buildPain008Xml(file), 'pain.008')).resolves.toBeUndefined();
    }
  });

  it('accetta un file di 2.000 addebiti (validazione in streaming, limite di memoria alzato)', async () => {
    const xml = buildCbiXml(largeBatch(2000), { envelope: true });
    await expect(validateSddXml(xml, 'cbi-busta')).resolves.toBeUndefined();
  });

  it('un EndToEndId di 36 caratteri, un CtrlSum con tre decimali e un SeqTp inventato: rifiutato, con i primi errori in italiano; xmllint di Debian è d\'accordo', async () => {
    const bad = buildCbiXml(EXAMPLE_B, { envelope: false })
      .replace('<EndToEndId>RM-2026-10-000002</EndToEndId>', `<EndToEndId>${'E'.repeat(36)}</EndToEndId>`)
      .replace('<CtrlSum>113.24</CtrlSum>', '<CtrlSum>113.245</CtrlSum>')
      .replace('<SeqTp>RCUR</SeqTp>', '<SeqTp>XXXX</SeqTp>');
    expect(xmllintCli(bad, 'cbi').ok).toBe(false);
    const err = await refusal(bad, 'cbi');
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/^Il file per la banca non rispetta lo schema CBI CBISDDReqLogMsg\.00\.01\.01 e non è stato scritto\. Primi errori: /);
    expect(err.issues.map((i) => i.message)).toEqual([
      "riga 7, elemento CtrlSum: l'importo «113.245» ha più di 2 decimali",
      'riga 31, elemento SeqTp: il valore «XXXX» non è ammesso (ammessi: FRST, RCUR, FNAL, OOFF)',
      expect.stringMatching(/^riga \d+, elemento EndToEndId: il valore è lungo 36 caratteri, al massimo 35$/),
    ]);
  });

  it('un elemento mancante o fuori posto è detto con il nome atteso', async () => {
    const bad = buildPain008Xml(EXAMPLE_A).replace(/<DbtrAgt>[\s\S]*?<\/DbtrAgt>/, '');
    expect(xmllintCli(bad, 'pain.008').ok).toBe(false);
    const err = await refusal(bad, 'pain.008');
    expect(err.issues[0].message).toMatch(/^riga \d+, elemento Dbtr: non previsto in questa posizione \(atteso: .*DbtrAgt/);
  });

  it('un file CBI controllato con lo schema della busta, o un testo che non è XML, è rifiutato senza eccezioni impreviste', async () => {
    const wrongRoot = await refusal(buildCbiXml(EXAMPLE_A, { envelope: false }), 'cbi-busta');
    expect(wrongRoot.message).toBe('Il file per la banca non è del tipo CBI CBIBdySDDReq.00.01.01 (elemento radice CBISDDReqLogMsg invece di CBIBdySDDReq) e non è stato scritto');
    const wrongSchema = await refusal(buildPain008Xml(EXAMPLE_A), 'cbi');
    expect(wrongSchema.issues[0].message).toBe("riga 2, elemento Document: non è l'elemento radice di questo tipo di file");
    let notXml: unknown = null;
    await validateSddXml('questo non è XML <', 'cbi').catch((e: unknown) => (notXml = e));
    expect(notXml).toBeInstanceOf(AppError);
    expect((notXml as AppError).message).toMatch(/XML|schema/);
  });

  it('traduce i messaggi di libxml2 più comuni', () => {
    const at = (message: string) => italianXsdError({ message, loc: { fileName: 'distinta.xml', lineNumber: 12 } });
    expect(at("Schemas validity error : Element '{urn:x}Nm': [facet 'minLength'] The value has a length of '0'; this underruns the allowed minimum length of '1'.")).toBe('riga 12, elemento Nm: il valore è vuoto');
    expect(at("Schemas validity error : Element '{urn:x}IBAN': [facet 'pattern'] The value 'it60' is not accepted by the pattern '[A-Z]{2,2}'.")).toBe('riga 12, elemento IBAN: il valore «it60» non ha il formato richiesto');
    expect(at("Schemas validity error : Element '{urn:x}PmtInf': Missing child element(s). Expected is ( {urn:x}DrctDbtTxInf ).")).toBe('riga 12, elemento PmtInf: incompleto: manca DrctDbtTxInf');
    expect(at("Schemas validity error : Element '{urn:x}ReqdColltnDt': '2026-02-30' is not a valid value of the atomic type '{urn:x}ISODate'.")).toBe('riga 12, elemento ReqdColltnDt: il valore «2026-02-30» non è valido (tipo ISODate)');
  });
});
