/**
 * The bank files built from an SddBatchFile: CBI CBISDDReqLogMsg.00.01.01 (bare and in its
 * CBIBdySDDReq envelope) and ISO pain.008.001.08, checked against the XSDs of ../shared/standards
 * with Debian's xmllint, and read back for the totals and the CBI rules of PAYMENTS.md §2.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/contract/errors';
import { buildCbiXml } from '../../../electron/sdd/xml/cbi';
import { buildPain008Xml } from '../../../electron/sdd/xml/pain008';
import type { SddBatchFile } from '../../../electron/sdd/file-types';
import { batch, EXAMPLE_A, EXAMPLE_B, largeBatch, tx } from '../../fixtures/sdd/batch';
import { xmllintCli } from '../../fixtures/sdd/xmllint-cli';

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['PmtInf', 'DrctDbtTxInf'].includes(name) });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

const cbi = (xml: string): Node => {
  const doc = parser.parse(xml);
  return doc.CBISDDReqLogMsg ?? doc.CBIBdySDDReq.CBIEnvelSDDReqLogMsg.CBISDDReqLogMsg;
};
const pain = (xml: string): Node => parser.parse(xml).Document.CstmrDrctDbtInitn;
const txs = (msg: Node): Node[] => msg.PmtInf.flatMap((p: Node) => p.DrctDbtTxInf);

function expectValid(xml: string, schema: 'cbi' | 'cbi-envelope' | 'pain.008') {
  const r = xmllintCli(xml, schema);
  expect(r.output).toContain('validates');
  expect(r.ok).toBe(true);
}

function buildError(build: () => string): AppError {
  try {
    build();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('il file è stato creato');
}

describe('file CBI CBISDDReqLogMsg.00.01.01', () => {
  it('esempio A: un alunno, 18 pasti a 6,18 + 1,00 → un addebito di 112.24, NbOfTxs 1, CtrlSum 112.24; valido per lo schema', () => {
    const xml = buildCbiXml(EXAMPLE_A, { envelope: false });
    expectValid(xml, 'cbi');
    const msg = cbi(xml);
    expect(msg.GrpHdr.NbOfTxs).toBe('1');
    expect(msg.GrpHdr.CtrlSum).toBe('112.24');
    const [t] = txs(msg);
    expect(t.InstdAmt).toEqual({ '#text': '112.24', '@Ccy': 'EUR' });
    expect(msg.PmtInf[0].ReqdColltnDt).toBe('2026-11-30');
  });

  it('esempio B: due fratelli con lo stesso mandato → due transazioni con due EndToEndId, CtrlSum 113.24', () => {
    const xml = buildCbiXml(EXAMPLE_B, { envelope: false });
    expectValid(xml, 'cbi');
    const msg = cbi(xml);
    expect(msg.GrpHdr.NbOfTxs).toBe('2');
    expect(msg.GrpHdr.CtrlSum).toBe('113.24');
    const list = txs(msg);
    expect(list.map((t: Node) => t.InstdAmt['#text'])).toEqual(['62.80', '50.44']);
    expect(list.map((t: Node) => t.PmtId.EndToEndId)).toEqual(['RM-2026-10-000002', 'RM-2026-10-000003']);
    expect(list.map((t: Node) => t.DrctDbtTx.MndtRltdInf.MndtId)).toEqual(['RM-MND-000123', 'RM-MND-000123']);
  });

  it('segue le regole CBI: CUC con Issr CBI, SEPA/CORE/SeqTp per blocco, ABI del creditore, CdtrSchmeId nel PmtInf, SLEV, InstrId = EndToEndId, nessun totale nel PmtInf', () => {
    const msg = cbi(buildCbiXml(EXAMPLE_A, { envelope: false }));
    expect(msg.GrpHdr.InitgPty.Id.OrgId.Othr).toEqual({ Id: '1234567A', Issr: 'CBI' });
    const p = msg.PmtInf[0];
    expect(p.PmtTpInf).toEqual({ SvcLvl: { Cd: 'SEPA' }, LclInstrm: { Cd: 'CORE' }, SeqTp: 'RCUR' });
    expect(p.CdtrAgt).toEqual({ FinInstnId: { ClrSysMmbId: { MmbId: '05428' } } });
    expect(p.CdtrSchmeId.Id.PrvtId.Othr).toEqual({ Id: 'IT04ZZZ0000012345678903', SchmeNm: { Prtry: 'SEPA' } });
    expect(p.ChrgBr).toBe('SLEV');
    expect(p.NbOfTxs).toBeUndefined();
    expect(p.CtrlSum).toBeUndefined();
    const t = p.DrctDbtTxInf[0];
    expect(t.PmtId.InstrId).toBe(t.PmtId.EndToEndId);
    expect(t.DrctDbtTx.MndtRltdInf).toEqual({ MndtId: 'RM-MND-000123', DtOfSgntr: '2025-09-01' });
    expect(t.DbtrAgt).toBeUndefined(); // CBI: only a BIC, and none was given
    expect(t.RmtInf.Ustrd).toBe('Mensa ottobre 2026 - Giulia Rossi - Primaria Clusone');
  });

  it('nella busta CBIBdySDDReq: PhyMsgTpCd INC-SDDC-01, un messaggio logico, lo stesso contenuto; valida per lo schema della busta', () => {
    const xml = buildCbiXml(EXAMPLE_B, { envelope: true });
    expectValid(xml, 'cbi-envelope');
    const doc = parser.parse(xml);
    expect(doc.CBIBdySDDReq.PhyMsgInf).toEqual({ PhyMsgTpCd: 'INC-SDDC-01', NbOfLogMsg: '1' });
    expect(cbi(xml)).toEqual(cbi(buildCbiXml(EXAMPLE_B, { envelope: false })));
  });

  it('più blocchi (scadenza e SeqTp): CtrlSum e NbOfTxs sono la somma di tutti gli addebiti', () => {
    const file = largeBatch(50);
    const msg = cbi(buildCbiXml(file, { envelope: false }));
    const expected = file.blocks.flatMap((b) => b.transactions).reduce((s, t) => s + t.amountCents, 0);
    expect(msg.PmtInf.map((p: Node) => p.PmtTpInf.SeqTp)).toEqual(['RCUR', 'FRST']);
    expect(msg.GrpHdr.NbOfTxs).toBe('50');
    expect(msg.GrpHdr.CtrlSum).toBe(`${Math.trunc(expected / 100)}.${String(expected % 100).padStart(2, '0')}`);
    const sum = txs(msg).reduce((s: number, t: Node) => s + Number(t.InstdAmt['#text'].replace('.', '')), 0);
    expect(sum).toBe(expected);
  });

  it('nomi, indirizzo e causale nel set EPC: accenti tolti, apostrofo tenuto', () => {
    const file = largeBatch(1);
    const xml = buildCbiXml(file, { envelope: false });
    expectValid(xml, 'cbi');
    const [t] = txs(cbi(xml));
    expect(t.Dbtr.Nm).toBe("Niccolo D'Angelo 0");
    expect(t.Dbtr.PstlAdr).toEqual({ StrtNm: "Via Sant'Alessandro", BldgNb: '1', PstCd: '24121', TwnNm: 'Bergamo', CtrySubDvsn: 'BG', Ctry: 'IT' });
    expect(t.RmtInf.Ustrd).toBe('Mensa ottobre 2026 - Alunno 0 - Scuola primaria Citta di Bergamo');
  });
});

describe('file ISO pain.008.001.08', () => {
  it('esempi A e B validi per lo schema, con NbOfTxs e CtrlSum nel gruppo e nel blocco', () => {
    for (const [file, sum, n] of [[EXAMPLE_A, '112.24', '1'], [EXAMPLE_B, '113.24', '2']] as const) {
      const xml = buildPain008Xml(file);
      expectValid(xml, 'pain.008');
      const msg = pain(xml);
      expect(msg.GrpHdr.NbOfTxs).toBe(n);
      expect(msg.GrpHdr.CtrlSum).toBe(sum);
      expect(msg.PmtInf[0].NbOfTxs).toBe(n);
      expect(msg.PmtInf[0].CtrlSum).toBe(sum);
    }
  });

  it('senza BIC la banca del debitore e quella del creditore sono «NOTPROVIDED»; con il BIC, il BIC', () => {
    let msg = pain(buildPain008Xml(EXAMPLE_A));
    expect(msg.PmtInf[0].CdtrAgt).toEqual({ FinInstnId: { Othr: { Id: 'NOTPROVIDED' } } });
    expect(txs(msg)[0].DbtrAgt).toEqual({ FinInstnId: { Othr: { Id: 'NOTPROVIDED' } } });
    const withBic = batch([tx({ debtorBic: 'BPMOIT22XXX' })], { creditor: { ...EXAMPLE_A.creditor, bic: 'BLOPIT22' } });
    const xml = buildPain008Xml(withBic);
    expectValid(xml, 'pain.008');
    msg = pain(xml);
    expect(msg.PmtInf[0].CdtrAgt).toEqual({ FinInstnId: { BICFI: 'BLOPIT22' } });
    expect(txs(msg)[0].DbtrAgt).toEqual({ FinInstnId: { BICFI: 'BPMOIT22XXX' } });
  });
});

describe('mandati modificati', () => {
  const sameBank = batch([tx({ amendment: { originalIban: 'IT60X0542811101000000123456' }, debtorIban: 'SM86U0322509800000000270100', debtorBic: 'BSDISMSDXXX', debtorAddress: { street: 'Via Piana', buildingNumber: '5', postcode: '47890', town: 'San Marino', province: '', country: 'SM' } })]);
  const otherBank = batch([tx({ amendment: { smnda: true } })]);
  const renumbered = batch([tx({ amendment: { originalMandateId: 'OLD-UMR-1' } })]);

  it('IBAN cambiato nella stessa banca → AmdmntInd true e OrgnlDbtrAcct con il vecchio IBAN, in entrambi i formati', () => {
    for (const [xml, schema, read] of [[buildCbiXml(sameBank, { envelope: false }), 'cbi', cbi], [buildPain008Xml(sameBank), 'pain.008', pain]] as const) {
      expectValid(xml, schema);
      const m = txs(read(xml))[0].DrctDbtTx.MndtRltdInf;
      expect(m.AmdmntInd).toBe('true');
      expect(m.AmdmntInfDtls).toEqual({ OrgnlDbtrAcct: { Id: { IBAN: 'IT60X0542811101000000123456' } } });
    }
  });

  it('IBAN in un\'altra banca → OrgnlDbtrAgt/FinInstnId/Othr/Id = SMNDA, in entrambi i formati', () => {
    for (const [xml, schema, read] of [[buildCbiXml(otherBank, { envelope: true }), 'cbi-envelope', cbi], [buildPain008Xml(otherBank), 'pain.008', pain]] as const) {
      expectValid(xml, schema);
      const m = txs(read(xml))[0].DrctDbtTx.MndtRltdInf;
      expect(m.AmdmntInd).toBe('true');
      expect(m.AmdmntInfDtls).toEqual({ OrgnlDbtrAgt: { FinInstnId: { Othr: { Id: 'SMNDA' } } } });
    }
  });

  it('mandato rinumerato → OrgnlMndtId', () => {
    const xml = buildCbiXml(renumbered, { envelope: false });
    expectValid(xml, 'cbi');
    expect(txs(cbi(xml))[0].DrctDbtTx.MndtRltdInf.AmdmntInfDtls).toEqual({ OrgnlMndtId: 'OLD-UMR-1' });
  });
});

describe('debitore fuori dallo Spazio economico europeo', () => {
  const sanMarino = tx({ debtorIban: 'SM86U0322509800000000270100', debtorBic: 'BSDISMSDXXX', debtorAddress: { street: 'Via Piana', buildingNumber: '5', postcode: '47890', town: 'San Marino', province: '', country: 'SM' } });

  it('con BIC e indirizzo: DbtrAgt con il BIC e indirizzo strutturato, valido in entrambi i formati', () => {
    const file = batch([sanMarino]);
    const xml = buildCbiXml(file, { envelope: false });
    expectValid(xml, 'cbi');
    expectValid(buildPain008Xml(file), 'pain.008');
    const [t] = txs(cbi(xml));
    expect(t.DbtrAgt).toEqual({ FinInstnId: { BICFI: 'BSDISMSDXXX' } });
    expect(t.Dbtr.PstlAdr).toEqual({ StrtNm: 'Via Piana', BldgNb: '5', PstCd: '47890', TwnNm: 'San Marino', Ctry: 'SM' });
  });

  it('senza BIC né indirizzo il file non viene creato e il messaggio dice che cosa serve', () => {
    const err = buildError(() => buildCbiXml(batch([{ ...sanMarino, debtorBic: '', debtorAddress: null }]), { envelope: false }));
    expect(err.code).toBe('VALIDATION');
    expect(err.issues.map((i) => i.message)).toEqual([
      'Addebito RM-2026-10-000001 (Mario Rossi): la banca del debitore è fuori dallo Spazio economico europeo (SM): serve il suo BIC',
      "Addebito RM-2026-10-000001 (Mario Rossi): la banca del debitore è fuori dallo Spazio economico europeo (SM): serve l'indirizzo del debitore",
    ]);
  });
});

describe('dati non validi: nessun file, un messaggio chiaro', () => {
  const cases: [string, SddBatchFile, string][] = [
    ['EndToEndId di 36 caratteri', batch([tx({ endToEndId: 'E'.repeat(36) })]), `l'identificativo EndToEndId «${'E'.repeat(36)}» è lungo 36 caratteri (al massimo 35)`],
    ['EndToEndId ripetuto', batch([tx(), tx()]), "l'identificativo EndToEndId è già usato da un altro addebito del file"],
    ['UMR con uno spazio', batch([tx({ mandateId: 'RM MND 1' })]), 'il riferimento del mandato «RM MND 1» contiene spazi'],
    ['importo zero', batch([tx({ amountCents: 0 })]), 'importo non valido (0 centesimi)'],
    ['importo con decimali', batch([tx({ amountCents: 112.5 })]), 'importo non valido (112.5 centesimi)'],
    ['IBAN con CIN errato', batch([tx({ debtorIban: 'IT65A0542811101000000123456' })]), 'CIN'],
    ['identificativo del creditore errato', batch([tx()], { creditor: { ...EXAMPLE_A.creditor, creditorId: 'IT05ZZZ0000012345678903' } }), 'Identificativo del creditore'],
    ['MsgId con «//»', batch([tx()], { messageId: 'RM//1' }), 'Il codice del messaggio (MsgId) «RM//1» contiene «//»'],
    ['nome fatto solo di simboli', batch([tx({ debtorName: '★★' })]), "manca il nome dell'intestatario del conto"],
  ];
  for (const [title, file, expected] of cases) {
    it(`${title}: errore di validazione in italiano, nessun XML`, () => {
      for (const build of [() => buildCbiXml(file, { envelope: true }), () => buildPain008Xml(file)]) {
        const err = buildError(build);
        expect(err.code).toBe('VALIDATION');
        expect(err.message).toMatch(/^Il file per la banca non è stato creato/);
        expect(err.issues.map((i) => i.message).join('\n')).toContain(expected);
      }
    });
  }

  it('CBI: senza CUC o con un ABI sbagliato il file CBI non viene creato (il pain.008 non li usa)', () => {
    const file = batch([tx()], { creditor: { ...EXAMPLE_A.creditor, cuc: '', abi: '5428' } });
    const err = buildError(() => buildCbiXml(file, { envelope: false }));
    expect(err.issues.map((i) => i.path.join('.'))).toEqual(['creditor.cuc', 'creditor.abi']);
    expectValid(buildPain008Xml(file), 'pain.008');
  });
});
