/**
 * The batch through the contract, as the screens drive it (issue 9 "Exports", "Bank returns"):
 * prepare → acknowledge → approve → the three XML files validated by Debian's xmllint against
 * ../shared/standards (an independent second check of the app's own validation), the Excel, the
 * P8 pre-notifications; then a bank status report read back, recorded once, and the roles.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { createTestApp, VALID_PAYER, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';
import { enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';
import { closeDays } from '../statements/money-fixtures';
import { xmllintCli } from '../../fixtures/sdd/xmllint-cli';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { buildItalianIban } from '../../../electron/identifiers/iban';
import { buildCreditorId } from '../../../electron/identifiers/creditor-id';
import { romeMoment } from '../../../electron/calendar/rome-time';

let app: TestApp;
let base: Base;
let batchId: number;
const DAYS = ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09'];
const sameBankIban = buildItalianIban('05428', '11101', '000000777777');

async function payerWithMandate(n: number, iban: string) {
  const firstName = ['Olga', 'Piero', 'Rita'][n];
  const lastName = ['Cortesi', 'Ferrè', "D'Angelo"][n];
  const taxCode = buildCodiceFiscale({ lastName, firstName, birthDate: `1979-0${n + 1}-11`, sex: n === 1 ? 'M' : 'F', belfiore: 'C800' });
  const p = await app.call('payers.create', { ...VALID_PAYER, firstName, lastName, taxCode, iban, ibanHolder: `${firstName} ${lastName}` }, 'operatore');
  const { mandate } = await app.call('sdd.mandates.create', { payerId: p.id, iban, holderName: `${firstName} ${lastName}`, holderTaxCode: taxCode, signedOn: '2026-09-01' }, 'operatore');
  return { payerId: p.id, mandateId: mandate.id };
}

const fileOf = async (format: 'cbi' | 'cbi-busta' | 'pain.008' | 'excel') => {
  const f = await app.call('sdd.batches.file', { batchId, format }, 'operatore');
  return { ...f, bytes: Buffer.from(f.contentBase64, 'base64') };
};

beforeAll(async () => {
  app = await createTestApp('2026-09-20T08:00:00Z');
  base = await seedAttendance(app);
  await app.call('caterer.update', { ...TEST_CATERER, version: app.version('caterer') });
  await app.call('sdd.creditor.update', { version: app.version('sddCreditor', 1), creditorId: buildCreditorId('IT', '0000001234567897'), creditorIban: buildItalianIban('03069', '11166', '100000001234'), cuc: '1234567A' });
  const a = await payerWithMandate(0, buildItalianIban('05428', '11101', '000000111111'));
  const b = await payerWithMandate(1, buildItalianIban('05428', '11101', '000000222222'));
  const c = await payerWithMandate(2, buildItalianIban('03069', '11101', '000000333333'));
  for (const p of [a, b, c]) await enrollPupil(app, { ...base, payerId: p.payerId });
  await enrollPupil(app, { ...base, payerId: a.payerId }); // a sibling under the same mandate
  await closeDays(app, DAYS);
  // b changed account at the same bank after signing: the first collection carries the original IBAN
  await app.call('sdd.mandates.amendIban', { mandateId: b.mandateId, version: app.version('mandate', b.mandateId), iban: sameBankIban, reason: 'nuovo conto nella stessa banca' }, 'operatore');
  await app.travel(romeMoment('2026-11-02', '09:00').toISOString());
  const batch = await app.call('sdd.batches.prepare', { month: '2026-10' }, 'operatore');
  batchId = batch.id;
  const { findings } = await app.call('sdd.batches.get', { batchId }, 'operatore');
  if (findings.length) await app.call('sdd.batches.acknowledge', { findingIds: findings.map((f) => f.id), reason: 'controllati' }, 'operatore');
}, 300_000);
afterAll(() => app.close());

describe('file della distinta', () => {
  it("prima dell'approvazione non esce nessun file XML per la banca, l'Excel sì (segnato come bozza)", async () => {
    const err = await app.fail('sdd.batches.file', { batchId, format: 'cbi' }, 'operatore');
    expect(err.message).toMatch(/Approvare la distinta/);
    expect((await fileOf('excel')).fileName).toMatch(/BOZZA\.xlsx$/);
  });

  it('CBI, CBI con busta e pain.008: validi per xmllint sugli schemi di ../shared/standards, con NbOfTxs e CtrlSum giusti e identificativi unici', async () => {
    await app.call('sdd.batches.approve', { batchId }, 'operatore');
    const { batch } = await app.call('sdd.batches.get', { batchId }, 'operatore');
    expect(batch.debitCount).toBe(4);
    expect(batch.totalCents).toBe(4 * (5 * 618 + 100));
    const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false });
    for (const [format, schema] of [['cbi', 'cbi'], ['cbi-busta', 'cbi-envelope'], ['pain.008', 'pain.008']] as const) {
      const f = await fileOf(format);
      const xml = f.bytes.toString('utf8');
      const check = xmllintCli(xml, schema);
      expect(check.output, format).toMatch(/validates/);
      expect(check.ok, check.output).toBe(true);
      expect(f.count).toBe(4);
      expect(xml).toContain(`<NbOfTxs>4</NbOfTxs>`);
      expect(xml).toContain(`<CtrlSum>${(batch.totalCents / 100).toFixed(2)}</CtrlSum>`);
      expect(xml).toContain(`<MsgId>${batch.msgId}</MsgId>`);
      const ids = [...xml.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(4);
      expect(parser.parse(xml)).toBeTruthy();
    }
  });

  it("la modifica dell'IBAN nella stessa banca viaggia con il primo addebito (AmdmntInd e OrgnlDbtrAcct con l'IBAN originale)", async () => {
    const xml = (await fileOf('cbi')).bytes.toString('utf8');
    expect(xml).toContain('<AmdmntInd>true</AmdmntInd>');
    expect(xml).toContain(`<IBAN>${buildItalianIban('05428', '11101', '000000222222')}</IBAN>`);
    expect(xml).toContain(`<IBAN>${sameBankIban}</IBAN>`);
    // the accented and apostrophe names travel in the EPC character set
    expect(xml).toContain('<Nm>Piero Ferre</Nm>');
    expect(xml).not.toMatch(/[èàìòù]/);
  });

  it("l'Excel per l'ufficio banca elenca gli addebiti con i totali; i preavvisi (P8) dicono importo, scadenza, mandato e creditore", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await fileOf('excel')).bytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    expect(header).toEqual(expect.arrayContaining(['IBAN', 'Mandato (UMR)', 'EndToEndId', 'Importo addebito']));
    const amountCol = header.indexOf('Importo addebito');
    const amounts: number[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) amounts.push(Number(row.getCell(amountCol).value));
    });
    expect(amounts.slice(0, -1).reduce((s, v) => s + v, 0)).toBeCloseTo(4 * 31.9, 2);
    expect(amounts[amounts.length - 1]).toBeCloseTo(4 * 31.9, 2);

    const pre = await app.call('sdd.batches.prenotifications', { batchId }, 'operatore');
    const pw = new ExcelJS.Workbook();
    await pw.xlsx.load(Buffer.from(pre.contentBase64, 'base64') as unknown as ArrayBuffer);
    const ps = pw.worksheets[0];
    expect(pre.rows).toBe(4);
    const row = (ps.getRow(2).values as unknown[]).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v));
    expect(row).toEqual(expect.arrayContaining([31.9, '2026-11-30', buildCreditorId('IT', '0000001234567897')]));
  });
});

describe('esiti della banca', () => {
  it("P6: un esito pain.002 con un AM04 si legge, si controlla e si registra una volta sola; i ruoli sono rispettati", async () => {
    await app.call('sdd.batches.markSent', { batchId }, 'operatore');
    await app.travel(romeMoment('2026-11-30', '17:00').toISOString());
    await app.call('sdd.batches.collect', { batchId }, 'operatore');
    const { rows } = await app.call('sdd.batches.debits', { batchId, included: true }, 'operatore');
    const first = rows[0];
    const { batch } = await app.call('sdd.batches.get', { batchId }, 'operatore');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
  <GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-12-03T08:00:00+01:00</CreDtTm></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>${batch.msgId}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts>
  <OrgnlPmtInfAndSts><OrgnlPmtInfId>${batch.msgId}-RCUR</OrgnlPmtInfId>
    <TxInfAndSts><OrgnlEndToEndId>${first.endToEndId}</OrgnlEndToEndId><TxSts>RJCT</TxSts>
      <StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf>
      <OrgnlTxRef><Amt><InstdAmt Ccy="EUR">${(first.amountCents / 100).toFixed(2)}</InstdAmt></Amt><ReqdColltnDt>2026-11-30</ReqdColltnDt></OrgnlTxRef>
    </TxInfAndSts>
  </OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>`;
    await app.travel(romeMoment('2026-12-03', '09:00').toISOString());
    const file = { fileName: 'esito.xml', contentBase64: Buffer.from(xml).toString('base64') };
    const preview = await app.call('sdd.returns.preview', file, 'operatore');
    expect(preview.checks).toEqual([expect.objectContaining({ outcome: 'nuovo', reasonCode: 'AM04', followUp: 'da_incassare', pupilName: first.pupilName })]);
    const committed = await app.call('sdd.returns.commit', { fileName: preview.fileName, sha256: preview.sha256, lines: preview.lines }, 'operatore');
    expect(committed).toEqual({ recorded: 1, skipped: 0, totalCents: first.amountCents });
    const again = await app.call('sdd.returns.preview', file, 'operatore');
    expect(again.checks[0].outcome).toBe('gia_registrato');
    expect(await app.call('sdd.returns.commit', { fileName: again.fileName, sha256: again.sha256, lines: again.lines }, 'operatore')).toEqual({ recorded: 0, skipped: 1, totalCents: 0 });
    const list = await app.call('sdd.returns.list', { followUp: 'da_incassare' }, 'operatore');
    expect(list.rows.map((r) => [r.endToEndId, r.reasonCode, r.reversed])).toEqual([[first.endToEndId, 'AM04', true]]);
    // an operator cannot cancel a batch nor grant the P6 exception; a supervisor can grant it now
    expect((await app.fail('sdd.batches.cancel', { batchId, reason: 'prova' }, 'operatore')).code).toBe('FORBIDDEN');
    expect((await app.fail('sdd.exceptions.grant', { payerId: first.payerId, ground: 'insoluti', reason: 'insoluto AM04' }, 'operatore')).code).toBe('FORBIDDEN');
    await app.call('sdd.exceptions.grant', { payerId: first.payerId, ground: 'insoluti', reason: 'insoluto AM04' }, 'supervisore');
    const withException = (await app.call('sdd.returns.list', { followUp: null }, 'operatore')).rows[0];
    expect(withException.pagopaException).toBe(true);
    // P6 is an exception: the supervisor ends it and the family is back to SDD
    expect((await app.fail('sdd.exceptions.end', { exceptionId: withException.pagopaExceptionId! }, 'operatore')).code).toBe('FORBIDDEN');
    await app.call('sdd.exceptions.end', { exceptionId: withException.pagopaExceptionId! }, 'supervisore');
    expect((await app.call('sdd.returns.list', { followUp: null }, 'operatore')).rows[0]).toMatchObject({ pagopaException: false, pagopaExceptionId: null });
    expect(await app.call('sdd.exceptions.list', { openOnly: true }, 'operatore')).toEqual([]);
  });

  it("un file che non è un esito SDD è rifiutato con un messaggio in italiano, senza registrare nulla", async () => {
    const err = await app.fail('sdd.returns.preview', { fileName: 'esito.xml', contentBase64: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>').toString('base64') }, 'operatore');
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/dichiarazione DOCTYPE o ENTITY.*non viene letto/);
    expect((await app.call('sdd.returns.list', { followUp: null }, 'operatore')).total).toBe(1);
  });
});
