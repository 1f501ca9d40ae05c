/**
 * Importing the pagoPA reporting spreadsheet (.xlsx/.csv) the partner intermediary exports (P2).
 * Column names vary by partner, so each field is found by a list of usual header names. Each row
 * is checked like a receipt entered by hand (numero avviso mod 93, amount, date, payer's codice
 * fiscale, pupil, service, IUV not yet credited nor repeated in the file); the commit registers
 * all the valid rows or none.
 *
 * The pupil is found by the "codice utente" (badge) or the pupil's codice fiscale; failing those,
 * by the debtor's codice fiscale when it is a pupil's (pagoPA positions for school meals are often
 * in the pupil's name). A revoked row (esito 3 / REVOKED) is not a payment.
 */
import { eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { pupils, services } from '../../db/schema';
import { readSheet } from '../imports/spreadsheet';
import { plainWords } from '../imports/values';
import { AppError } from '../contract/errors';
import { romeMoment } from '../calendar/rome-time';
import { existingIuv, iuvOfNotice, receiptTaxCode, duplicateIuvMessage } from './payments';
import { computeNumeroAvvisoCheckDigits } from '../identifiers/pagopa-notice';

type Field = 'noticeNumber' | 'iuv' | 'amount' | 'paidAt' | 'payerTaxCode' | 'payerName' | 'userCode' | 'pupilTaxCode' | 'service' | 'causale' | 'iur' | 'outcome' | 'creditor' | 'psp';

const ALIASES: Record<Field, string[]> = {
  noticeNumber: ['numero avviso', 'codice avviso', 'nav', 'avviso', 'numero avviso pagamento'],
  iuv: ['iuv', 'identificativo univoco versamento', 'codice iuv'],
  amount: ['importo', 'importo pagato', 'singolo importo pagato', 'importo versato', 'importo euro', 'pay'],
  paidAt: ['data pagamento', 'data esito', 'data esito singolo pagamento', 'data e ora pagamento', 'data operazione', 'data', 'paydate', 'pay date'],
  payerTaxCode: ['codice fiscale pagatore', 'cf pagatore', 'codice fiscale versante', 'cf versante', 'codice fiscale debitore', 'cf debitore'],
  payerName: ['pagatore', 'anagrafica pagatore', 'nome pagatore', 'versante', 'anagrafica versante', 'debitore', 'anagrafica debitore', 'nominativo'],
  userCode: ['codice utente', 'codice alunno', 'badge'],
  pupilTaxCode: ['codice fiscale alunno', 'cf alunno', 'codice fiscale utente', 'cf utente'],
  service: ['servizio'],
  causale: ['causale', 'causale versamento', 'descrizione', 'remittance information'],
  iur: ['iur', 'identificativo univoco riscossione', 'id ricevuta', 'ricevuta'],
  outcome: ['esito', 'codice esito', 'codice esito singolo pagamento', 'stato', 'paystatus', 'pay status'],
  creditor: ['codice fiscale ente', 'cf ente', 'ente creditore', 'codice ente', 'organization fiscal code'],
  psp: ['psp', 'attestante', 'prestatore'],
};

export function mapColumns(columns: string[]): Partial<Record<Field, number>> {
  const normalized = columns.map(plainWords);
  const out: Partial<Record<Field, number>> = {};
  for (const field of Object.keys(ALIASES) as Field[]) {
    for (const alias of ALIASES[field]) {
      const i = normalized.indexOf(alias);
      if (i >= 0 && !Object.values(out).includes(i)) {
        out[field] = i;
        break;
      }
    }
  }
  return out;
}

/** '12,50' / '12.50' / '1.234,56' / '€ 10' → cents; null if not an amount. */
export function parseEuroCents(text: string): number | null {
  let t = text.replace(/[€\s\u00a0]/g, '');
  if (!t) return null;
  if (/^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d+(,\d{1,2})?$/.test(t)) t = t.replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(t)) t = t.replace(/,/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null;
  const [int, dec = ''] = t.replace('-', '').split('.');
  const cents = Number(int) * 100 + Number(dec.padEnd(2, '0'));
  return t.startsWith('-') ? -cents : cents;
}

/** A payment moment from 'YYYY-MM-DD', 'dd/mm/yyyy', either with 'HH:MM[:SS]', or an ISO moment; Rome time when no zone. */
export function parsePaidAt(text: string): string | null {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  const m = /^(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\/(\d{1,2})\/(\d{4}))(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (!m) return null;
  const date = m[1] ? `${m[1]}-${m[2]}-${m[3]}` : `${m[6]}-${m[5].padStart(2, '0')}-${m[4].padStart(2, '0')}`;
  const check = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date) return null;
  // a date without a time: noon, Rome time, is that day whatever the season
  const time = m[7] ? `${m[7].padStart(2, '0')}:${m[8]}:${m[9] ?? '00'}` : '12:00:00';
  try {
    return romeMoment(date, time).toISOString();
  } catch {
    return null;
  }
}

export interface PagopaImportRow {
  line: number;
  noticeNumber: string;
  iuv: string;
  amountCents: number;
  paidAt: string;
  pupilId: number;
  pupilName: string;
  service: string;
  payerTaxCode: string | null;
  payerName: string;
  iur: string | null;
  creditorFiscalCode: string | null;
  psp: string | null;
}

export interface PagopaPreviewRow {
  line: number;
  ok: boolean;
  errors: string[];
  row: PagopaImportRow | null;
  /** what the file said, for the operator */
  noticeNumber: string;
  amountText: string;
  paidAtText: string;
  pupilText: string;
}

/** A 17-digit IUV alone (aux digit 3) is checked by rebuilding its numero avviso. */
function noticeFromIuv(iuv: string): string | null {
  if (/^\d{17}$/.test(iuv)) {
    const first16 = `3${iuv.slice(0, 15)}`;
    return computeNumeroAvvisoCheckDigits(first16) === iuv.slice(15) ? `3${iuv}` : null;
  }
  return null;
}

export function checkPagopaRows(db: AppDb, columns: string[], rows: { row: number; cells: string[] }[]) {
  const map = mapColumns(columns);
  if (map.noticeNumber === undefined && map.iuv === undefined) {
    throw new AppError('VALIDATION', 'Nel file manca la colonna del numero avviso o dello IUV', [{ path: ['fileName'], message: 'Colonna «Numero avviso» o «IUV» non trovata' }]);
  }
  if (map.amount === undefined) throw new AppError('VALIDATION', "Nel file manca la colonna dell'importo pagato", [{ path: ['fileName'], message: 'Colonna «Importo» non trovata' }]);
  if (map.paidAt === undefined) throw new AppError('VALIDATION', 'Nel file manca la colonna della data di pagamento', [{ path: ['fileName'], message: 'Colonna «Data pagamento» non trovata' }]);
  const serviceCodes = new Set(db.select({ code: services.code }).from(services).where(eq(services.active, true)).all().map((s) => s.code));
  const byUserCode = db.select({ id: pupils.id, userCode: pupils.userCode, taxCode: pupils.taxCode, name: pupils.lastName, first: pupils.firstName }).from(pupils);
  const findPupil = (key: 'userCode' | 'taxCode', v: string) => byUserCode.where(eq(pupils[key], v)).get();
  const seen = new Map<string, number>();
  const cell = (r: { cells: string[] }, f: Field) => (map[f] === undefined ? '' : (r.cells[map[f]] ?? '').trim());
  const out: PagopaPreviewRow[] = [];
  for (const r of rows) {
    const errors: string[] = [];
    const noticeText = cell(r, 'noticeNumber').replace(/\s+/g, '');
    const iuvText = cell(r, 'iuv').replace(/\s+/g, '');
    let notice: { noticeNumber: string; iuv: string } | null = null;
    if (noticeText) {
      try {
        notice = iuvOfNotice(noticeText);
      } catch (e) {
        errors.push(e instanceof AppError ? e.message : 'Numero avviso non valido');
      }
    } else if (iuvText) {
      const n = noticeFromIuv(iuvText);
      if (n) notice = { noticeNumber: n, iuv: iuvText };
      else errors.push(`IUV ${iuvText} non verificabile: servono 17 cifre con le cifre di controllo giuste, oppure il numero avviso`);
    } else errors.push('Numero avviso mancante');
    if (notice && iuvText && notice.iuv !== iuvText) errors.push(`Lo IUV ${iuvText} non corrisponde al numero avviso`);
    const outcome = plainWords(cell(r, 'outcome'));
    const revoked = outcome === '3' || outcome.includes('revoc') || outcome === 'revoked' || outcome.includes('annullat') || outcome.includes('stornat');
    if (revoked) errors.push('Pagamento revocato (esito 3): non è un incasso');
    const amountText = cell(r, 'amount');
    const cents = parseEuroCents(amountText);
    if (cents === null) errors.push(`Importo non valido: «${amountText}»`);
    else if (cents <= 0 && !revoked) errors.push("L'importo deve essere maggiore di zero");
    else if (cents > 10_000_000) errors.push("L'importo supera il massimo ammesso (100.000 €)");
    const paidAtText = cell(r, 'paidAt');
    const paidAt = parsePaidAt(paidAtText);
    if (!paidAt) errors.push(`Data di pagamento non valida: «${paidAtText}»`);
    let payerTaxCode: string | null = null;
    try {
      payerTaxCode = receiptTaxCode(cell(r, 'payerTaxCode'));
    } catch (e) {
      errors.push(e instanceof AppError ? e.message : 'Codice fiscale del pagante non valido');
    }
    const userCode = cell(r, 'userCode');
    const pupilCf = cell(r, 'pupilTaxCode').toUpperCase();
    const pupil = (userCode && findPupil('userCode', userCode)) || (pupilCf && findPupil('taxCode', pupilCf)) || (payerTaxCode && findPupil('taxCode', payerTaxCode)) || null;
    const pupilText = userCode || pupilCf || payerTaxCode || '';
    if (!pupil) errors.push(pupilText ? `Alunno non trovato (${pupilText})` : 'Manca il codice utente o il codice fiscale dell’alunno');
    const serviceText = plainWords(cell(r, 'service'));
    const causale = plainWords(cell(r, 'causale'));
    const service = serviceText ? serviceText.replace(/ /g, '_') : causale.includes('trasporto') ? 'trasporto' : 'mensa';
    if (!serviceCodes.has(service)) errors.push(`Servizio sconosciuto: «${cell(r, 'service')}»`);
    const creditor = cell(r, 'creditor');
    if (creditor && !/^\d{11}$/.test(creditor)) errors.push(`Codice fiscale dell'ente non valido: «${creditor}» (11 cifre)`);
    if (notice) {
      const dup = existingIuv(db, notice.iuv);
      if (dup) errors.push(duplicateIuvMessage(notice.iuv, dup));
      const first = seen.get(notice.iuv);
      if (first !== undefined) errors.push(`Lo IUV ${notice.iuv} è già alla riga ${first} del file`);
      else seen.set(notice.iuv, r.row);
    }
    const ok = errors.length === 0;
    out.push({
      line: r.row,
      ok,
      errors,
      noticeNumber: noticeText || iuvText,
      amountText,
      paidAtText,
      pupilText,
      row: ok
        ? {
            line: r.row,
            noticeNumber: notice!.noticeNumber,
            iuv: notice!.iuv,
            amountCents: cents!,
            paidAt: paidAt!,
            pupilId: pupil!.id,
            pupilName: `${pupil!.name} ${pupil!.first}`,
            service,
            payerTaxCode,
            payerName: cell(r, 'payerName'),
            iur: cell(r, 'iur') || null,
            creditorFiscalCode: creditor || null,
            psp: cell(r, 'psp') || null,
          }
        : null,
    });
  }
  return {
    rows: out,
    valid: out.filter((r) => r.ok).length,
    invalid: out.filter((r) => !r.ok).length,
    totalCents: out.reduce((s, r) => s + (r.row?.amountCents ?? 0), 0),
  };
}

/** Reads the file through the shared spreadsheet reader and checks every row (no write). */
export async function previewPagopaImport(db: AppDb, input: { fileName: string; contentBase64: string }) {
  const content = Buffer.from(input.contentBase64, 'base64');
  const sheet = await readSheet(input.fileName, content, { maxRows: 20_000 });
  return { fileName: input.fileName, columns: sheet.columns, ...checkPagopaRows(db, sheet.columns, sheet.rows) };
}
