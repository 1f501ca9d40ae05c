/**
 * Reading the bank's outcome files into `SddReturnsFile` (issue 9 "Bank returns"; PAYMENTS.md §2
 * "Outcomes from the bank"): one line per debit the bank did not collect or took back, keyed on the
 * EndToEndId, with the reason code, the amount and the original message id for the cross-checks.
 *
 * - CBI status report: `CBIBdySDDStsRpt` (envelope, PhyMsgTpCd STAT-RPT-INC-SDD-01) or a bare
 *   `CBISDDStsRptLogMsg`, shaped like ISO pain.002.
 * - ISO pain.002 (`Document/CstmrPmtStsRpt`, any version: the elements used are the same).
 *   Per transaction: OrgnlEndToEndId (or OrgnlInstrId, which the app sets equal to it, when the
 *   bank writes NOTPROVIDED or leaves it out), TxSts (RJCT), StsRsnInf/Rsn/Cd (or Prtry), OrgnlTxRef/Amt/
 *   InstdAmt; the date is AccptncDtTm, else the report's CreDtTm. Accepted transactions (ACCP, ACSC…)
 *   are not returns and are left out. A whole message or block rejected without transaction details
 *   is refused with the bank's reason: nothing of it was collected.
 * - An Excel (.xlsx or .csv) of returns, read with the imports' spreadsheet reader (in its worker):
 *   the columns are found by their Italian or English names ("EndToEndId / Riferimento", "Codice
 *   motivo / Causale", "Importo", "Data"…).
 *
 * XML is parsed by fast-xml-parser (namespace prefixes removed, so any namespace version is read),
 * after refusing files over 20 MB and any DOCTYPE or ENTITY declaration (XXE, entity expansion).
 * Whatever is wrong, the caller gets an AppError `VALIDATION` in Italian, never a crash.
 *
 * Each line also says what kind of R-transaction it is (`kind`, see `returnKind` in reason-codes.ts):
 * a status report's TxSts RJCT is a 'rifiuto' (refused before settlement) unless the code is a refund
 * only (MD06); an Excel of returns lists unpaid items after settlement: 'storno', or 'rimborso' for
 * MD06/MD01.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError, invalid, type FieldIssue } from '../contract/errors';
import { isRealDate } from '../contract/vocabulary/dates';
import { readSheet } from '../imports/spreadsheet';
import { plainWords, readDate } from '../imports/values';
import type { SddReturnLine, SddReturnsFile } from './file-types';
import { normalizeReasonCode, returnKind, returnReason, type SddReturnType } from './reason-codes';

/** An XML outcome file larger than this is refused (a status report for 20,000 debits is a few MB). */
export const MAX_RETURNS_XML_BYTES = 20 * 1024 * 1024;
/** Lines in one file (the largest batch is 50,000 debits). */
export const MAX_RETURN_LINES = 50_000;

export interface SddReturnLineDetail extends SddReturnLine {
  /** rifiuto (before settlement), storno (returned after it), rimborso (refund) */
  kind: SddReturnType;
  /** TxSts of the status report ('RJCT'…), null for an Excel */
  status: string | null;
}

export interface SddReturnsFileDetail extends SddReturnsFile {
  lines: SddReturnLineDetail[];
}

const refused = (message: string, issues: FieldIssue[] = [{ path: ['fileName'], message }]) => new AppError('VALIDATION', message, issues);

/** Statuses of transactions the bank accepted or still processes: not returns. */
const NOT_RETURNED = new Set(['ACCP', 'ACSC', 'ACSP', 'ACTC', 'ACWC', 'ACCC', 'ACFC', 'ACWP', 'ACIS', 'PDNG', 'RCVD', 'PART']);

/**
 * The bank's outcome file as return lines. `fileName` tells the kind (.xml, .xlsx, .csv); a file with
 * another extension is recognised by its first bytes.
 */
export async function parseReturnsFile(bytes: Buffer, fileName: string): Promise<SddReturnsFileDetail> {
  if (bytes.length === 0) throw refused('Il file è vuoto');
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (ext === 'xml') return parseReturnsXml(bytes);
  if (ext === 'xlsx' || ext === 'xlsm' || ext === 'csv') return parseReturnsSheet(bytes, fileName);
  if (ext === 'xls') throw refused('Il formato .xls (Excel 97-2003) non è supportato: salvare il file come .xlsx e riprovare');
  const head = bytes.subarray(0, 64).toString('latin1').replace(/^\ufeff|^\u00ef\u00bb\u00bf/, '').trimStart();
  if (head.startsWith('<')) return parseReturnsXml(bytes);
  if (head.startsWith('PK')) return parseReturnsSheet(bytes, 'esiti.xlsx');
  throw refused("Formato non riconosciuto: caricare l'esito della banca in XML (CBI o pain.002) o l'elenco degli insoluti in Excel (.xlsx o .csv)");
}

// ---------------------------------------------------------------------------------------------- XML

/** UTF-8 (BOM allowed); an ISO-8859-1/Windows-1252 file only when its declaration says so. */
function decodeXml(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const declaration = bytes.subarray(0, 200).toString('latin1');
    if (!/encoding\s*=\s*["'](iso-8859-1|iso-8859-15|latin1|windows-1252)["']/i.test(declaration)) {
      throw refused('Il file non è un testo UTF-8 valido: non sembra un esito XML della banca');
    }
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

type XmlNode = Record<string, unknown>;
const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The element(s) named `key` under `node`, always as a list. */
function all(node: unknown, key: string): XmlNode[] {
  if (!isNode(node)) return [];
  const v = node[key];
  if (v === undefined || v === null) return [];
  const items: unknown[] = Array.isArray(v) ? v : [v];
  return items.map((x) => (isNode(x) ? x : { '#text': x }));
}
const one = (node: unknown, key: string): XmlNode | null => all(node, key)[0] ?? null;
/** The text of the element at `path` (a leaf, or an element with attributes' text), or null. */
function text(node: unknown, ...path: string[]): string | null {
  let cur: unknown = node;
  for (const key of path) {
    if (!isNode(cur)) return null;
    cur = Array.isArray(cur[key]) ? (cur[key] as unknown[])[0] : cur[key];
  }
  if (isNode(cur)) cur = cur['#text'];
  if (typeof cur === 'string') return cur.trim() || null;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return null;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

/** 'YYYY-MM-DD' of an ISO date or date-time, or null. */
function dateOf(value: string | null): string | null {
  if (!value) return null;
  const d = value.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(d) && isRealDate(d) ? d : null;
}

/** '112.24' / '112.2' / '112' → cents, on the digits (no float); null if not such a decimal. */
export function decimalToCents(value: string | null): number | null {
  if (!value) return null;
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function parseReturnsXml(bytes: Buffer): SddReturnsFileDetail {
  if (bytes.length > MAX_RETURNS_XML_BYTES) {
    throw refused(`Il file XML è troppo grande (${(bytes.length / 1024 / 1024).toFixed(1).replace('.', ',')} MB, al massimo ${MAX_RETURNS_XML_BYTES / 1024 / 1024} MB): non sembra un esito della banca`);
  }
  const xml = decodeXml(bytes);
  const upper = xml.toUpperCase();
  if (upper.includes('<!DOCTYPE') || upper.includes('<!ENTITY')) {
    throw refused('Il file contiene una dichiarazione DOCTYPE o ENTITY, che gli esiti della banca non hanno: per sicurezza non viene letto');
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw refused(`Il file non è un XML ben formato (riga ${valid.err.line}): non è stato letto. Chiedere alla banca di inviarlo di nuovo`);
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (err) {
    const e = refused('Il file XML non si è potuto leggere: non è stato importato');
    (e as Error & { cause?: unknown }).cause = err;
    throw e;
  }
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  const root = rootName ? one(doc, rootName) : null;
  if (!rootName || !root) throw refused('Il file XML è vuoto');

  let messages: XmlNode[];
  let format: SddReturnsFile['format'];
  if (rootName === 'CBIBdySDDStsRpt') {
    messages = all(root, 'CBIEnvelSDDStsRptLogMsg').flatMap((e) => all(e, 'CBISDDStsRptLogMsg'));
    format = 'cbi-status-report';
  } else if (rootName === 'CBISDDStsRptLogMsg') {
    messages = [root];
    format = 'cbi-status-report';
  } else if (rootName === 'Document' && one(root, 'CstmrPmtStsRpt')) {
    messages = all(root, 'CstmrPmtStsRpt');
    format = 'pain.002';
  } else if (rootName === 'CstmrPmtStsRpt') {
    messages = [root];
    format = 'pain.002';
  } else if (rootName === 'CBIBdySDDReq' || rootName === 'CBISDDReqLogMsg' || (rootName === 'Document' && one(root, 'CstmrDrctDbtInitn'))) {
    throw refused("Questo è un file di addebiti da inviare alla banca, non un esito: caricare l'esito ricevuto dalla banca");
  } else if (rootName === 'CBIBdySDDTechValSts' || rootName === 'CBISDDTechValStsLogMsg') {
    return technicalValidation(root, rootName);
  } else {
    throw refused(`Il file XML non è un esito SDD riconosciuto (elemento «${rootName}»): caricare l'esito CBI (CBIBdySDDStsRpt) o un pain.002`);
  }
  if (messages.length === 0) throw refused("L'esito della banca non contiene messaggi");

  const lines: SddReturnLineDetail[] = [];
  const issues: FieldIssue[] = [];
  let seen = 0;
  messages.forEach((msg, mi) => {
    const reportDate = dateOf(text(msg, 'GrpHdr', 'CreDtTm'));
    const group = one(msg, 'OrgnlGrpInfAndSts');
    const originalMessageId = text(group, 'OrgnlMsgId');
    const blocks = all(msg, 'OrgnlPmtInfAndSts');
    const txCount = blocks.reduce((n, b) => n + all(b, 'TxInfAndSts').length, 0);
    if (txCount === 0 && text(group, 'GrpSts') === 'RJCT') throw wholeRejected(`il messaggio ${originalMessageId ?? ''}`.trim(), group);
    for (const block of blocks) {
      const txs = all(block, 'TxInfAndSts');
      if (txs.length === 0 && text(block, 'PmtInfSts') === 'RJCT') throw wholeRejected(`il blocco ${text(block, 'OrgnlPmtInfId') ?? ''}`.trim(), block);
      for (const tx of txs) {
        const status = text(tx, 'TxSts');
        const reasons = all(tx, 'StsRsnInf');
        const rawCode = reasons.map((r) => text(r, 'Rsn', 'Cd') ?? text(r, 'Rsn', 'Prtry')).find((c) => c) ?? null;
        seen++;
        if (status && NOT_RETURNED.has(status)) continue;
        const at = `Transazione n. ${seen}${messages.length > 1 ? ` del messaggio ${mi + 1}` : ''}`;
        // our InstrId is the EndToEndId: it stands in when the bank left the EndToEndId out
        const e2e = text(tx, 'OrgnlEndToEndId');
        const endToEndId = (e2e && e2e.toUpperCase() !== 'NOTPROVIDED' ? e2e : text(tx, 'OrgnlInstrId')) ?? '';
        const line = checkedLine(
          {
            endToEndId,
            reasonCode: rawCode ?? '',
            amountCents: decimalToCents(text(tx, 'OrgnlTxRef', 'Amt', 'InstdAmt')),
            returnedOn: dateOf(text(tx, 'AccptncDtTm')) ?? reportDate,
            originalMessageId,
            status,
            rejectedBeforeSettlement: status === 'RJCT',
          },
          endToEndId ? `Addebito ${endToEndId}` : at,
          ['transactions', seen],
          issues,
        );
        if (line) lines.push(line);
      }
    }
  });
  return finish(format, lines, issues);
}

/** A message or block the bank rejected as a whole: nothing of it was collected. */
function wholeRejected(what: string, node: XmlNode | null): AppError {
  const code = normalizeReasonCode(text(one(node, 'StsRsnInf'), 'Rsn', 'Cd') ?? text(one(node, 'StsRsnInf'), 'Rsn', 'Prtry') ?? '');
  const reason = code ? ` (motivo ${code}${returnReason(code) ? `: ${returnReason(code)!.italian}` : ''})` : '';
  return refused(`La banca ha rifiutato per intero ${what}${reason}: nessun addebito è stato incassato. Correggere e inviare di nuovo la distinta`);
}

/** The technical validation outcome (whole file accepted or rejected): it names no returned debit. */
function technicalValidation(root: XmlNode, rootName: string): SddReturnsFileDetail {
  const msgs = rootName === 'CBIBdySDDTechValSts' ? all(root, 'CBIEnvelSDDTechValStsLogMsg').flatMap((e) => all(e, 'CBISDDTechValStsLogMsg')) : [root];
  for (const m of msgs) {
    const group = one(m, 'OrgnlGrpInfAndSts');
    if (text(group, 'GrpSts') === 'RJCT') throw wholeRejected(`il file ${text(group, 'OrgnlMsgId') ?? ''}`.trim(), group);
  }
  return { format: 'cbi-status-report', lines: [] };
}

// -------------------------------------------------------------------------------------------- Excel

type Column = 'endToEndId' | 'reasonCode' | 'amount' | 'date' | 'messageId';

/** Usual header names, Italian and English, normalised (lower case, no accents, words separated by one space). */
const ALIASES: Record<Column, string[]> = {
  endToEndId: ['endtoendid', 'end to end id', 'end to end', 'e2e id', 'e2e', 'riferimento end to end', 'identificativo end to end', 'id end to end', 'orgnlendtoendid', 'riferimento operazione', 'riferimento disposizione', 'riferimento addebito', 'riferimento'],
  reasonCode: ['codice motivo', 'motivo', 'codice causale', 'causale storno', 'causale insoluto', 'causale', 'codice esito', 'reason code', 'return reason', 'reason', 'rsn cd', 'codice r'],
  amount: ['importo', 'importo euro', 'importo insoluto', 'importo stornato', 'importo addebito', 'amount', 'instdamt', 'importo eur'],
  date: ['data', 'data storno', 'data insoluto', 'data esito', 'data rientro', 'data regolamento', 'data operazione', 'data valuta', 'date', 'return date'],
  messageId: ['id messaggio', 'msgid', 'orgnlmsgid', 'messaggio originale', 'original message id', 'id distinta', 'identificativo messaggio'],
};

/**
 * Column index of each field: a header equal to one of the names wins; otherwise a header that
 * contains one of them as whole words ("EndToEndId / Riferimento", "Codice motivo (R-code)").
 */
export function mapReturnColumns(columns: string[]): Partial<Record<Column, number>> {
  const headers = columns.map(plainWords);
  const out: Partial<Record<Column, number>> = {};
  const taken = new Set<number>();
  for (const pass of ['exact', 'words'] as const) {
    for (const field of Object.keys(ALIASES) as Column[]) {
      if (out[field] !== undefined) continue;
      for (const alias of ALIASES[field]) {
        const i = headers.findIndex((h, idx) => !taken.has(idx) && (pass === 'exact' ? h === alias : ` ${h} `.includes(` ${alias} `)));
        if (i >= 0) {
          out[field] = i;
          taken.add(i);
          break;
        }
      }
    }
  }
  return out;
}

/** An amount as a spreadsheet gives it ('112,24', '1.234,56', '€ 112.24', '112.23999999999999', '-112,24') → cents; null if unreadable. */
export function sheetAmountToCents(value: string): number | null {
  let t = value.replace(/[€\s\u00a0]/g, '').replace(/^-/, '').replace(/^\((.*)\)$/, '$1');
  if (!t) return null;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^\d+,\d{1,2}$/.test(t)) t = t.replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(t)) t = t.replace(/,/g, '');
  const exact = decimalToCents(t);
  if (exact !== null) return exact;
  // a number cell written by a program as a binary float (112.24 → 112.23999999999999)
  if (/^\d{1,12}\.\d{3,}$/.test(t)) {
    const cents = Math.round(Number(t) * 100);
    if (Math.abs(Number(t) * 100 - cents) < 1e-6) return cents;
  }
  return null;
}

async function parseReturnsSheet(bytes: Buffer, fileName: string): Promise<SddReturnsFileDetail> {
  const sheet = await readSheet(fileName, bytes, { maxRows: MAX_RETURN_LINES });
  const cols = mapReturnColumns(sheet.columns);
  const missing = [cols.endToEndId === undefined ? "l'identificativo dell'addebito («EndToEndId» o «Riferimento»)" : null, cols.reasonCode === undefined ? 'il codice motivo («Codice motivo» o «Causale»)' : null].filter(Boolean);
  if (missing.length > 0) {
    const found = sheet.columns.filter((c) => c.trim()).map((c) => `«${c}»`).join(', ');
    throw refused(`Nel foglio manca la colonna con ${missing.join(' e ')}. Colonne trovate: ${found || 'nessuna'}`);
  }
  const cell = (cells: string[], col: number | undefined) => (col === undefined ? '' : (cells[col] ?? '').trim());
  const lines: SddReturnLineDetail[] = [];
  const issues: FieldIssue[] = [];
  for (const r of sheet.rows) {
    const e2e = cell(r.cells, cols.endToEndId);
    const code = cell(r.cells, cols.reasonCode);
    if (!e2e && !code) continue; // empty, a note or a totals row
    const amountText = cell(r.cells, cols.amount);
    const dateText = cell(r.cells, cols.date);
    const at = `Riga ${r.row}`;
    let amountCents: number | null = null;
    if (amountText) {
      amountCents = sheetAmountToCents(amountText);
      if (amountCents === null) issues.push({ path: ['rows', r.row, 'amount'], message: `${at}: importo non leggibile «${amountText}»` });
    }
    let returnedOn: string | null = null;
    if (dateText) {
      const d = readDate(dateText);
      if (d.ok) returnedOn = d.value;
      else issues.push({ path: ['rows', r.row, 'date'], message: `${at}: ${d.message}` });
    }
    const line = checkedLine(
      { endToEndId: e2e, reasonCode: code, amountCents, returnedOn, originalMessageId: cell(r.cells, cols.messageId) || null, status: null, rejectedBeforeSettlement: false },
      at,
      ['rows', r.row],
      issues,
    );
    if (line) lines.push(line);
  }
  return finish('excel', lines, issues);
}

// ------------------------------------------------------------------------------------------- common

interface RawLine extends SddReturnLine {
  status: string | null;
  rejectedBeforeSettlement: boolean;
}

/** The line when its key fields are usable; otherwise its problems go to `issues`. */
function checkedLine(raw: RawLine, at: string, path: (string | number)[], issues: FieldIssue[]): SddReturnLineDetail | null {
  const before = issues.length;
  if (!raw.endToEndId) issues.push({ path: [...path, 'endToEndId'], message: `${at}: manca l'identificativo dell'addebito (EndToEndId)` });
  else if (raw.endToEndId.length > 35) issues.push({ path: [...path, 'endToEndId'], message: `${at}: l'identificativo «${raw.endToEndId.slice(0, 40)}…» supera i 35 caratteri: non è un addebito di questo programma` });
  const code = normalizeReasonCode(raw.reasonCode);
  if (!code) issues.push({ path: [...path, 'reasonCode'], message: raw.reasonCode ? `${at}: codice motivo non valido «${raw.reasonCode}» (atteso un codice di 4 caratteri, es. AM04)` : `${at}: manca il codice motivo` });
  if (raw.amountCents === 0) issues.push({ path: [...path, 'amount'], message: `${at}: importo zero` });
  const originalMessageId = raw.originalMessageId && raw.originalMessageId.length <= 35 ? raw.originalMessageId : null;
  if (issues.length > before) return null;
  return {
    endToEndId: raw.endToEndId,
    reasonCode: code,
    amountCents: raw.amountCents,
    returnedOn: raw.returnedOn,
    originalMessageId,
    kind: returnKind(code, raw.rejectedBeforeSettlement),
    status: raw.status,
  };
}

function finish(format: SddReturnsFile['format'], lines: SddReturnLineDetail[], issues: FieldIssue[]): SddReturnsFileDetail {
  if (issues.length > 0) {
    const shown = issues.slice(0, 20);
    const more = issues.length > shown.length ? ` (e altri ${issues.length - shown.length})` : '';
    throw invalid(shown, `Il file degli esiti non è stato importato: ${issues.length === 1 ? 'una riga ha un problema' : `${issues.length} problemi`}${more}. ${shown[0].message}`);
  }
  if (lines.length > MAX_RETURN_LINES) throw refused(`Il file ha ${lines.length} righe di insoluti: al massimo ${MAX_RETURN_LINES} per file`);
  return { format, lines };
}
