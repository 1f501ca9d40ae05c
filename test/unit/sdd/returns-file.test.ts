/**
 * P6: the bank's outcome files read into return lines (CBI status report, ISO pain.002, an Excel of
 * returns), hostile or malformed files refused in Italian, and the R-code table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/contract/errors';
import { decimalToCents, mapReturnColumns, parseReturnsFile, sheetAmountToCents } from '../../../electron/sdd/returns-file';
import { RETURN_REASONS, returnKind, returnReason } from '../../../electron/sdd/reason-codes';
import { buildCbiXml } from '../../../electron/sdd/xml/cbi';
import { EXAMPLE_A } from '../../fixtures/sdd/batch';
import { STANDARDS_DIR } from '../../fixtures/sdd/xmllint-cli';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.resolve(here, '../../fixtures/sdd', name));

async function refusal(bytes: Buffer, fileName: string): Promise<AppError> {
  try {
    await parseReturnsFile(bytes, fileName);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('il file è stato letto');
}

describe('esito CBI (CBIBdySDDStsRpt)', () => {
  it('P6: le transazioni RJCT diventano righe con EndToEndId, codice, importo in centesimi, data e messaggio originale; quelle accettate no', async () => {
    const r = await parseReturnsFile(fixture('esito-cbi.xml'), 'esito-cbi.xml');
    expect(r.format).toBe('cbi-status-report');
    expect(r.lines).toEqual([
      { endToEndId: 'RM-2026-10-000001', reasonCode: 'AM04', amountCents: 11224, returnedOn: '2026-12-03', originalMessageId: 'RM-SDD-2026-10-001', kind: 'rifiuto', status: 'RJCT' },
      { endToEndId: 'RM-2026-10-000002', reasonCode: 'AC04', amountCents: 6280, returnedOn: '2026-12-03', originalMessageId: 'RM-SDD-2026-10-001', kind: 'rifiuto', status: 'RJCT' },
    ]);
  });

  it('lo stesso esito senza prefissi e senza busta (CBISDDStsRptLogMsg) dà le stesse righe', async () => {
    const text = fixture('esito-cbi.xml').toString('utf8');
    const inner = text.slice(text.indexOf('<BODY:CBISDDStsRptLogMsg>') + '<BODY:CBISDDStsRptLogMsg>'.length, text.indexOf('</BODY:CBISDDStsRptLogMsg>')).replace(/LMSG:/g, '');
    const bare = `<?xml version="1.0" encoding="UTF-8"?>\n<CBISDDStsRptLogMsg xmlns="urn:CBI:xsd:CBISDDStsRptLogMsg.00.01.02">${inner}</CBISDDStsRptLogMsg>`;
    const withPrefixes = await parseReturnsFile(fixture('esito-cbi.xml'), 'a.xml');
    expect(await parseReturnsFile(Buffer.from(bare), 'esito')).toEqual(withPrefixes);
  });

  it("un messaggio rifiutato per intero, senza dettaglio delle transazioni, è spiegato con il motivo", async () => {
    const xml = `<?xml version="1.0"?><CBISDDStsRptLogMsg><GrpHdr><MsgId>X</MsgId><CreDtTm>2026-12-01T08:00:00</CreDtTm></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>RM-SDD-2026-10-001</OrgnlMsgId><GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf></OrgnlGrpInfAndSts></CBISDDStsRptLogMsg>`;
    const err = await refusal(Buffer.from(xml), 'esito.xml');
    expect(err.message).toBe('La banca ha rifiutato per intero il messaggio RM-SDD-2026-10-001 (motivo FF01: Formato del file non valido): nessun addebito è stato incassato. Correggere e inviare di nuovo la distinta');
  });
});

describe('validazione tecnica CBI (CBIBdySDDTechValSts)', () => {
  const techVal = (status: string, reason = '') =>
    Buffer.from(
      `<?xml version="1.0"?><BODY:CBIBdySDDTechValSts xmlns:BODY="urn:CBI:xsd:CBIBdySDDTechValSts.00.01.01" xmlns:LMSG="urn:CBI:xsd:CBISDDTechValStsLogMsg.00.01.01"><BODY:CBIEnvelSDDTechValStsLogMsg><BODY:CBISDDTechValStsLogMsg><LMSG:GrpHdr><LMSG:MsgId>TV1</LMSG:MsgId></LMSG:GrpHdr><LMSG:OrgnlGrpInfAndSts><LMSG:OrgnlMsgId>RM-SDD-2026-10-001</LMSG:OrgnlMsgId><LMSG:GrpSts>${status}</LMSG:GrpSts>${reason}</LMSG:OrgnlGrpInfAndSts></BODY:CBISDDTechValStsLogMsg></BODY:CBIEnvelSDDTechValStsLogMsg></BODY:CBIBdySDDTechValSts>`,
    );

  it('file accettato (ACTC): nessun insoluto', async () => {
    expect(await parseReturnsFile(techVal('ACTC'), 'valtec.xml')).toEqual({ format: 'cbi-status-report', lines: [] });
  });

  it('file rifiutato (RJCT): il messaggio dice che nulla è stato incassato e perché', async () => {
    const err = await refusal(techVal('RJCT', '<LMSG:StsRsnInf><LMSG:Rsn><LMSG:Cd>BE05</LMSG:Cd></LMSG:Rsn></LMSG:StsRsnInf>'), 'valtec.xml');
    expect(err.message).toBe('La banca ha rifiutato per intero il file RM-SDD-2026-10-001 (motivo BE05: Identificativo del creditore errato): nessun addebito è stato incassato. Correggere e inviare di nuovo la distinta');
  });
});

describe('esito ISO pain.002', () => {
  it('P6: MD06 è un rimborso anche se segnalato RJCT; la data è AccptncDtTm o, se manca, la data del rapporto', async () => {
    const r = await parseReturnsFile(fixture('esito-pain002.xml'), 'pain002.xml');
    expect(r.format).toBe('pain.002');
    expect(r.lines).toEqual([
      { endToEndId: 'RM-2026-10-000004', reasonCode: 'MD06', amountCents: 11224, returnedOn: '2026-12-09', originalMessageId: 'RM-SDD-2026-10-001', kind: 'rimborso', status: 'RJCT' },
      { endToEndId: 'RM-2026-10-000005', reasonCode: 'MS02', amountCents: 718, returnedOn: '2026-12-10', originalMessageId: 'RM-SDD-2026-10-001', kind: 'rifiuto', status: 'RJCT' },
    ]);
  });

  it("senza EndToEndId (o con «NOTPROVIDED») vale l'OrgnlInstrId, che il programma scrive uguale all'EndToEndId", async () => {
    const xml = fixture('esito-pain002.xml').toString('utf8').replace('<OrgnlEndToEndId>RM-2026-10-000004</OrgnlEndToEndId>', '<OrgnlEndToEndId>NOTPROVIDED</OrgnlEndToEndId>');
    const r = await parseReturnsFile(Buffer.from(xml), 'p.xml');
    expect(r.lines[0].endToEndId).toBe('RM-2026-10-000004');
  });

  it('una transazione senza EndToEndId o con un codice illeggibile ferma il file con un messaggio per ciascuna', async () => {
    const xml = fixture('esito-pain002.xml')
      .toString('utf8')
      .replace('<OrgnlEndToEndId>RM-2026-10-000004</OrgnlEndToEndId>', '')
      .replace('<OrgnlInstrId>RM-2026-10-000004</OrgnlInstrId>', '')
      .replace('<Cd>MS02</Cd>', '<Cd>?</Cd>');
    const err = await refusal(Buffer.from(xml), 'p.xml');
    expect(err.issues.map((i) => i.message)).toEqual([
      "Transazione n. 1: manca l'identificativo dell'addebito (EndToEndId)",
      'Addebito RM-2026-10-000005: codice motivo non valido «?» (atteso un codice di 4 caratteri, es. AM04)',
    ]);
  });
});

describe('Excel degli insoluti', () => {
  it('P6: un .xlsx salvato da LibreOffice (da un CSV italiano): righe di titolo sopra, intestazioni «EndToEndId / Riferimento» e «Codice motivo / Causale», riga dei totali ignorata', async () => {
    const r = await parseReturnsFile(fixture('insoluti-banca.xlsx'), 'insoluti-banca.xlsx');
    expect(r.format).toBe('excel');
    expect(r.lines).toEqual([
      { endToEndId: 'RM-2026-10-000001', reasonCode: 'AM04', amountCents: 11224, returnedOn: '2026-12-03', originalMessageId: null, kind: 'storno', status: null },
      { endToEndId: 'RM-2026-10-000002', reasonCode: 'MD01', amountCents: 6280, returnedOn: '2026-12-04', originalMessageId: null, kind: 'rimborso', status: null },
    ]);
    expect(await parseReturnsFile(fixture('insoluti-banca.csv'), 'insoluti-banca.csv')).toEqual(r);
  });

  it('un .xlsx scritto da exceljs con intestazioni inglesi, importi e date come celle numeriche e di data', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Returns');
    ws.addRow(['Return date', 'End to end ID', 'Amount', 'Reason code', 'Original message ID']);
    ws.addRow([new Date(Date.UTC(2026, 11, 5)), 'RM-2026-10-000007', 112.24, 'am04', 'RM-SDD-2026-10-001']);
    ws.addRow([new Date(Date.UTC(2026, 11, 6)), 'RM-2026-10-000008', -50.44, 'SL01 - debtor blocked', 'RM-SDD-2026-10-001']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await parseReturnsFile(bytes, 'returns.xlsx');
    expect(r.lines).toEqual([
      { endToEndId: 'RM-2026-10-000007', reasonCode: 'AM04', amountCents: 11224, returnedOn: '2026-12-05', originalMessageId: 'RM-SDD-2026-10-001', kind: 'storno', status: null },
      { endToEndId: 'RM-2026-10-000008', reasonCode: 'SL01', amountCents: 5044, returnedOn: '2026-12-06', originalMessageId: 'RM-SDD-2026-10-001', kind: 'storno', status: null },
    ]);
  });

  it('senza la colonna del codice motivo: il messaggio dice che cosa manca e quali colonne ci sono', async () => {
    const err = await refusal(Buffer.from('Riferimento;Importo\nRM-1;10,00\n'), 'insoluti.csv');
    expect(err.message).toBe('Nel foglio manca la colonna con il codice motivo («Codice motivo» o «Causale»). Colonne trovate: «Riferimento», «Importo»');
  });

  it('righe senza identificativo, con importo o data illeggibili: tutte elencate, nessuna riga importata', async () => {
    const err = await refusal(Buffer.from('EndToEndId;Causale;Importo;Data\n;AM04;10,00;01/12/2026\nRM-2;AM04;dieci;01/12/2026\nRM-3;AM04;10,00;31/02/2026\n'), 'insoluti.csv');
    expect(err.code).toBe('VALIDATION');
    expect(err.issues.map((i) => i.message)).toEqual([
      "Riga 2: manca l'identificativo dell'addebito (EndToEndId)",
      'Riga 3: importo non leggibile «dieci»',
      'Riga 4: Data non valida: «31/02/2026» (usare gg/mm/aaaa)',
    ]);
    expect(err.message).toMatch(/^Il file degli esiti non è stato importato: 3 problemi\. /);
  });

  it('riconosce le colonne per nome, esatto o contenuto, in italiano e in inglese', () => {
    expect(mapReturnColumns(['Data', 'EndToEndId / Riferimento', 'Debitore', 'Importo', 'Codice motivo / Causale'])).toEqual({ date: 0, endToEndId: 1, amount: 3, reasonCode: 4 });
    expect(mapReturnColumns(['Riferimento end-to-end', 'Motivo', 'Importo insoluto (€)', 'Data storno', 'Id messaggio'])).toEqual({ endToEndId: 0, reasonCode: 1, amount: 2, date: 3, messageId: 4 });
  });

  it('legge gli importi come li scrivono i fogli, senza arrotondamenti sbagliati', () => {
    expect(['112,24', '112.24', '1.234,56', '€ 112,24', '-112,24', '112.23999999999999', '112'].map(sheetAmountToCents)).toEqual([11224, 11224, 123456, 11224, 11224, 11224, 11200]);
    expect(sheetAmountToCents('12,3456')).toBeNull();
    expect(sheetAmountToCents('1,2,3')).toBeNull();
    expect(decimalToCents('0.1')).toBe(10);
    expect(decimalToCents('1e3')).toBeNull();
  });
});

describe('file ostili o sbagliati: rifiutati con un messaggio, mai un crash', () => {
  it('un DOCTYPE con entità (XXE, espansione) non viene letto', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Document><CstmrPmtStsRpt><OrgnlPmtInfAndSts><TxInfAndSts><OrgnlEndToEndId>&x;&b;</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>`;
    const err = await refusal(Buffer.from(xxe), 'esito.xml');
    expect(err.message).toBe('Il file contiene una dichiarazione DOCTYPE o ENTITY, che gli esiti della banca non hanno: per sicurezza non viene letto');
  });

  it('un file di 50 MB è rifiutato prima di leggerlo', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    big.write('<?xml version="1.0"?><Document>', 0);
    const err = await refusal(big, 'esito.xml');
    expect(err.message).toBe('Il file XML è troppo grande (50,0 MB, al massimo 20 MB): non sembra un esito della banca');
  });

  it('testo che non è XML, XML troncato, file binario, file vuoto, file di addebiti al posto dell\'esito', async () => {
    expect((await refusal(Buffer.from('Gentile cliente, in allegato…'), 'esito.xml')).message).toMatch(/^Il file non è un XML ben formato \(riga \d+\)/);
    expect((await refusal(Buffer.from('<Document><CstmrPmtStsRpt><GrpHdr>'), 'esito.xml')).message).toMatch(/^Il file non è un XML ben formato/);
    expect((await refusal(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]), 'esito.pdf')).message).toMatch(/^Formato non riconosciuto/);
    expect((await refusal(Buffer.from([0xc3, 0x28, 0x3c]), 'esito.xml')).message).toBe('Il file non è un testo UTF-8 valido: non sembra un esito XML della banca');
    expect((await refusal(Buffer.alloc(0), 'esito.xml')).message).toBe('Il file è vuoto');
    expect((await refusal(Buffer.from(buildCbiXml(EXAMPLE_A, { envelope: true })), 'distinta.xml')).message).toBe("Questo è un file di addebiti da inviare alla banca, non un esito: caricare l'esito ricevuto dalla banca");
    expect((await refusal(Buffer.from('<?xml version="1.0"?><Fattura><Numero>1</Numero></Fattura>'), 'x.xml')).message).toBe("Il file XML non è un esito SDD riconosciuto (elemento «Fattura»): caricare l'esito CBI (CBIBdySDDStsRpt) o un pain.002");
  });

  it('un .xlsx che non è un foglio di calcolo è rifiutato dal lettore dei fogli', async () => {
    const err = await refusal(Buffer.from('PK\u0003\u0004 non uno zip vero'), 'insoluti.xlsx');
    expect(err.code).toBe('VALIDATION');
  });
});

describe('codici motivo degli insoluti (R-transaction)', () => {
  it('la tabella ha gli stessi codici, nomi ISO e tipi del file ../shared/standards/sdd-r-transaction-reason-codes.csv', () => {
    const rows = fs.readFileSync(path.join(STANDARDS_DIR, 'sdd-r-transaction-reason-codes.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const csv = rows.map((l) => {
      const cells = l.split(',');
      return { code: cells[0], isoName: cells[1], types: cells[cells.length - 1].split(';') };
    });
    expect([...RETURN_REASONS.values()].map((r) => ({ code: r.code, isoName: r.isoName, types: [...r.types] }))).toEqual(csv);
  });

  it('P6: AM04, MS02, MS03, MD06 → da incassare; AC01, AC04, MD01, MD07 → correggere prima il mandato; errori di dati → correggere i dati', () => {
    for (const c of ['AM04', 'MS02', 'MS03', 'MD06']) expect(returnReason(c)?.followUp, c).toBe('da_incassare');
    for (const c of ['AC01', 'AC04', 'MD01', 'MD07']) expect(returnReason(c)?.followUp, c).toBe('correggere_mandato');
    for (const c of ['MD02', 'RR01', 'RR02', 'RR03', 'RR04', 'BE05', 'FF05', 'RC01', 'AG02', 'FF01', 'AM05']) expect(returnReason(c)?.followUp, c).toBe('correggere_dati');
  });

  it('ogni codice ha il significato e che cosa fare in italiano; il codice si legge anche scritto male', () => {
    for (const r of RETURN_REASONS.values()) {
      expect(r.italian.length, r.code).toBeGreaterThan(5);
      expect(r.action.length, r.code).toBeGreaterThan(5);
    }
    expect(returnReason('am04')?.italian).toBe('Fondi insufficienti');
    expect(returnReason(' MD06 - rimborso')?.code).toBe('MD06');
    expect(returnReason('XX99')).toBeNull();
  });

  it('tipo di insoluto: rifiuto prima del regolamento, rimborso per MD06 (sempre) e MD01 (dopo), storno altrimenti', () => {
    expect(returnKind('AM04', true)).toBe('rifiuto');
    expect(returnKind('AM04', false)).toBe('storno');
    expect(returnKind('MD06', true)).toBe('rimborso');
    expect(returnKind('MD01', false)).toBe('rimborso');
    expect(returnKind('MD01', true)).toBe('rifiuto');
    expect(returnReason('MD06')?.refund).toBe(true);
    expect(returnReason('AM04')?.refund).toBe(false);
  });
});
