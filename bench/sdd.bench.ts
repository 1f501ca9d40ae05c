/**
 * The bank files of a batch of 20,000 debits (issue 9 "Benchmark"): the CBI XML in its envelope and
 * the ISO pain.008 built by the app (data checks + fast-xml-parser), their XSD validation in the app
 * (xmllint-wasm, streaming), and the bank office's Excel. Floors measured in the same run:
 * - building: a plain string concatenation of the same elements, without any check;
 * - validating: Debian's native `xmllint --stream --schema` on the same file (process start included);
 * - Excel: raw exceljs writing the same cells, without styles nor the quote-prefix pass.
 * Target: the XML path (build + validate) under 2 seconds on this machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { compare, type BenchSuite, type Comparison } from './harness';
import { buildCbiXml } from '../electron/sdd/xml/cbi';
import { buildPain008Xml } from '../electron/sdd/xml/pain008';
import { sddSchemasDir, validateSddXml } from '../electron/sdd/xml/xsd';
import { buildBatchWorkbook, type SddWorkbookRow } from '../electron/sdd/batch-workbook';
import type { SddBatchFile } from '../electron/sdd/file-types';
import { largeBatch } from '../test/fixtures/sdd/batch';

const DEBITS = 20_000;
const XML_TARGET_MS = 2_000;

const dec = (c: number) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;

/** The floor: the same CBI envelope written by string concatenation, with no check and no library. */
function concatCbi(file: SddBatchFile): string {
  const c = file.creditor;
  let n = 0;
  let sum = 0;
  let blocks = '';
  for (const b of file.blocks) {
    let txs = '';
    for (const t of b.transactions) {
      n++;
      sum += t.amountCents;
      const adr = t.debtorAddress
        ? `<PstlAdr><StrtNm>${t.debtorAddress.street}</StrtNm><BldgNb>${t.debtorAddress.buildingNumber}</BldgNb><PstCd>${t.debtorAddress.postcode}</PstCd><TwnNm>${t.debtorAddress.town}</TwnNm><CtrySubDvsn>${t.debtorAddress.province}</CtrySubDvsn><Ctry>${t.debtorAddress.country}</Ctry></PstlAdr>`
        : '';
      txs += `<DrctDbtTxInf><PmtId><InstrId>${t.endToEndId}</InstrId><EndToEndId>${t.endToEndId}</EndToEndId></PmtId><InstdAmt Ccy="EUR">${dec(t.amountCents)}</InstdAmt><DrctDbtTx><MndtRltdInf><MndtId>${t.mandateId}</MndtId><DtOfSgntr>${t.mandateSignedOn}</DtOfSgntr></MndtRltdInf></DrctDbtTx><Dbtr><Nm>${t.debtorName}</Nm>${adr}</Dbtr><DbtrAcct><Id><IBAN>${t.debtorIban}</IBAN></Id></DbtrAcct><RmtInf><Ustrd>${t.remittance}</Ustrd></RmtInf></DrctDbtTxInf>\n`;
    }
    blocks += `<PmtInf><PmtInfId>${b.paymentInfoId}</PmtInfId><PmtMtd>DD</PmtMtd><BtchBookg>true</BtchBookg><PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>CORE</Cd></LclInstrm><SeqTp>${b.sequenceType}</SeqTp></PmtTpInf><ReqdColltnDt>${b.dueDate}</ReqdColltnDt><Cdtr><Nm>${c.name}</Nm></Cdtr><CdtrAcct><Id><IBAN>${c.iban}</IBAN></Id></CdtrAcct><CdtrAgt><FinInstnId><ClrSysMmbId><MmbId>${c.abi}</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt><ChrgBr>SLEV</ChrgBr><CdtrSchmeId><Id><PrvtId><Othr><Id>${c.creditorId}</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>\n${txs}</PmtInf>\n`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<BODY:CBIBdySDDReq xmlns:BODY="urn:CBI:xsd:CBIBdySDDReq.00.01.01" xmlns="urn:CBI:xsd:CBISDDReqLogMsg.00.01.01"><BODY:PhyMsgInf><BODY:PhyMsgTpCd>INC-SDDC-01</BODY:PhyMsgTpCd><BODY:NbOfLogMsg>1</BODY:NbOfLogMsg></BODY:PhyMsgInf><BODY:CBIEnvelSDDReqLogMsg><BODY:CBISDDReqLogMsg><GrpHdr><MsgId>${file.messageId}</MsgId><CreDtTm>2026-11-16T09:30:00</CreDtTm><NbOfTxs>${n}</NbOfTxs><CtrlSum>${dec(sum)}</CtrlSum><InitgPty><Id><OrgId><Othr><Id>${c.cuc}</Id><Issr>CBI</Issr></Othr></OrgId></Id></InitgPty></GrpHdr>\n${blocks}</BODY:CBISDDReqLogMsg></BODY:CBIEnvelSDDReqLogMsg></BODY:CBIBdySDDReq>\n`;
}

/** The floor of the validation: native libxml2 (Debian's xmllint), streaming, on a file. */
function nativeXmllint(file: string): void {
  const r = spawnSync('xmllint', ['--noout', '--stream', '--schema', path.join(sddSchemasDir(), 'CBIBdySDDReq.00.01.01.xsd'), file], { encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint non disponibile (apt-get install libxml2-utils): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`xmllint: ${r.stderr.slice(0, 500)}`);
}

function workbookRows(file: SddBatchFile): SddWorkbookRow[] {
  return file.blocks.flatMap((b) =>
    b.transactions.map((t, i) => ({
      payerName: t.debtorName,
      payerTaxCode: 'RSSMRA85T10A562S',
      holderName: t.debtorName,
      iban: t.debtorIban,
      mandateId: t.mandateId,
      mandateSignedOn: t.mandateSignedOn,
      amountCents: t.amountCents,
      mealCount: (t.amountCents - 100) / 618,
      mealsCents: t.amountCents - 100,
      commissionCents: 100,
      pupilName: `Alunno ${i}`,
      school: 'Primaria Bergamo',
      month: 'ottobre 2026',
      endToEndId: t.endToEndId,
      dueDate: b.dueDate,
      sequenceType: b.sequenceType,
      exclusionReason: '',
    })),
  );
}

export const sddBench: BenchSuite = {
  id: 'sdd',
  title: `File SDD per la banca: ${DEBITS.toLocaleString('it-IT')} addebiti`,
  async run(ctx) {
    const file = largeBatch(DEBITS);
    const runs = Math.max(3, Math.min(ctx.runs, 5));
    const floorXml = concatCbi(file);
    const appXml = buildCbiXml(file, { envelope: true });
    const floorFile = path.join(ctx.tmpDir, 'sdd-floor.xml');
    fs.writeFileSync(floorFile, floorXml);
    nativeXmllint(floorFile); // the floor's file is itself a valid CBI file
    ctx.log(`XML CBI in busta: ${(appXml.length / 1024 / 1024).toFixed(1)} MB (minimo senza rientri ${(floorXml.length / 1024 / 1024).toFixed(1)} MB)`);
    const results: Comparison[] = [];

    results.push(await compare(this.title, 'XML CBI in busta: costruzione (controlli + fast-xml-parser)', { fn: () => concatCbi(file) }, { fn: () => buildCbiXml(file, { envelope: true }) }, { runs, warmup: 1, target: 60 }));
    results.push(await compare(this.title, 'XML pain.008.001.08: costruzione', { fn: () => concatCbi(file) }, { fn: () => buildPain008Xml(file) }, { runs, warmup: 1, target: 60 }));
    results.push(
      await compare(this.title, 'validazione XSD in streaming (xmllint-wasm contro xmllint nativo)', { fn: () => nativeXmllint(floorFile) }, { fn: () => validateSddXml(appXml, 'cbi-busta') }, { runs, warmup: 1, target: 4 }),
    );
    const full = await compare(
      this.title,
      'percorso XML completo: costruzione + validazione',
      {
        fn: () => {
          fs.writeFileSync(floorFile, concatCbi(file));
          nativeXmllint(floorFile);
        },
      },
      { fn: async () => validateSddXml(buildCbiXml(file, { envelope: true }), 'cbi-busta') },
      { runs, warmup: 1, target: 10 },
    );
    const under = full.app.medianMs < XML_TARGET_MS;
    full.pass = full.pass && under;
    full.targetLabel = `< ${XML_TARGET_MS} ms`;
    full.note = `obiettivo assoluto sotto ${XML_TARGET_MS} ms: mediana ${full.app.medianMs.toFixed(0)} ms (${under ? 'rispettato' : 'NON rispettato'})`;
    results.push(full);

    const rows = workbookRows(file);
    const batch = { id: 1, month: '2026-10', dueDate: '2026-11-30', status: 'approvato', msgId: file.messageId };
    results.push(
      await compare(
        this.title,
        'Excel per l\'ufficio banca (2 fogli, totali)',
        {
          fn: async () => {
            const wb = new ExcelJS.Workbook();
            const ws = wb.addWorksheet('Addebiti');
            for (const r of rows) ws.addRow([r.payerName, r.payerTaxCode, r.holderName, r.iban, r.mandateId, r.mandateSignedOn, r.pupilName, r.school, r.month, r.mealCount, r.mealsCents / 100, r.commissionCents / 100, r.amountCents / 100, r.endToEndId, r.dueDate, r.sequenceType]);
            wb.addWorksheet('Esclusi');
            return wb.xlsx.writeBuffer();
          },
        },
        { fn: () => buildBatchWorkbook({ batch, included: rows, excluded: [] }) },
        { runs, warmup: 1, target: 3 },
      ),
    );
    return results;
  },
};
