/**
 * pagoPA notices issued by the fees office (issue 11; P6 in ../shared/DOMAIN.md; PAYMENTS.md §3).
 *
 * - Who may get one (P6): a family without a bank account (no IBAN and no active SDD mandate), with
 *   an open P6 exception (sdd/returns.ts grants them) or with a returned SDD debit.
 * - The number: aux digit 3, the office's segregation code (2 digits), an IUV base of 13 digits (the
 *   issue year and a 9-digit sequence per creditor and segregation code) and the mod-93 check digits
 *   (identifiers/pagopa-notice.ts). The IUV is the last 17 digits; an IUV already credited by a receipt
 *   is skipped.
 * - The status is derived every time, never stored: `pagato` when a pagoPA receipt with the notice's
 *   IUV (same creditor, or none named) is in `payments` and its top-up was not reversed; `annullato`
 *   when the office cancelled it; otherwise `da_pagare`. The receipt is an ordinary top-up of the
 *   pupil's account: the notice adds no debt (the debt is the negative balance the ledger already
 *   shows) and a settled notice lowers the family's position by itself.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { enrollments, pagopaNotices, payers, pupils, schools, schoolYears } from '../../db/schema';
import { conflict, invalid, invalidField, notFound, type FieldIssue } from '../contract/errors';
import { addDays, formatDateIt } from '../calendar/rome-time';
import { isValidPartitaIva } from '../documents/caterer';
import { buildNumeroAvviso } from '../identifiers/pagopa-notice';
import type { Actor } from '../ledger/payments';
import { requireService } from '../ledger/entries';

export const NOTICE_STATUSES = ['da_pagare', 'pagato', 'annullato'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** The P6 grounds on which a family may pay by notice. */
export const P6_GROUNDS = ['eccezione', 'insoluti', 'senza_conto'] as const;
export type P6Ground = (typeof P6_GROUNDS)[number];

/** The creditor's fiscal code: 11 digits, the last a check digit (same rule as the partita IVA). */
export function creditorCodeProblem(code: string): string | null {
  if (!/^\d{11}$/.test(code)) return "Il codice fiscale dell'ente creditore ha 11 cifre";
  return isValidPartitaIva(code) ? null : "Codice fiscale dell'ente creditore errato (cifra di controllo)";
}

/** Why a payer may pay by pagoPA notice (P6), or null when they may not. */
export function p6Ground(db: AppDb, payerId: number): P6Ground | null {
  const r = db.get<{ exception: number; returned: number; hasAccount: number }>(sql`
    SELECT
      EXISTS (SELECT 1 FROM sdd_pagopa_exceptions x WHERE x.payer_id = ${payerId} AND x.ended_on IS NULL) AS exception,
      EXISTS (SELECT 1 FROM sdd_returns r JOIN sdd_debits d ON d.id = r.debit_id WHERE d.payer_id = ${payerId}) AS returned,
      (SELECT p.iban IS NOT NULL FROM payers p WHERE p.id = ${payerId})
        OR EXISTS (SELECT 1 FROM sdd_mandates m WHERE m.payer_id = ${payerId} AND m.status = 'attivo') AS hasAccount`);
  if (!r) return null;
  if (r.exception) return 'eccezione';
  if (r.returned) return 'insoluti';
  if (!r.hasAccount) return 'senza_conto';
  return null;
}

export const P6_REFUSAL =
  "P6: l'avviso pagoPA si emette solo per le famiglie senza conto corrente, con un addebito SDD insoluto o con un'eccezione pagoPA in corso; questo pagante ha un IBAN o un mandato SDD attivo (concedere prima l'eccezione da «Esiti SDD»)";

/** SQL: the status of notice `n` (aliases: n = pagopa_notices). */
function statusSql(): SQL {
  return sql`CASE WHEN pay.id IS NOT NULL THEN 'pagato' WHEN n.cancelled_at IS NOT NULL THEN 'annullato' ELSE 'da_pagare' END`;
}

/** The receipt that settles a notice: same IUV, same creditor (or none named), top-up not reversed. */
const PAID_JOIN = sql`LEFT JOIN payments pay ON pay.iuv = n.iuv AND (pay.creditor_fiscal_code IS NULL OR pay.creditor_fiscal_code = n.creditor_fiscal_code)
    AND NOT EXISTS (SELECT 1 FROM ledger_entries rv WHERE rv.payment_id = pay.id AND rv.kind = 'storno_pagamento')`;

export interface NoticeView {
  id: number;
  payerId: number;
  payerName: string;
  payerTaxCode: string;
  pupilId: number;
  pupilName: string;
  pupilTaxCode: string;
  service: string;
  serviceName: string;
  municipalityId: number;
  municipalityName: string;
  amountCents: number;
  dueOn: string;
  noticeNumber: string;
  iuv: string;
  creditorFiscalCode: string;
  description: string;
  issuedOn: string;
  issuedAt: string;
  issuedByName: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  status: NoticeStatus;
  paidOn: string | null;
  paymentId: number | null;
  /** days past the due date while unpaid (0 when not yet due, paid or cancelled) */
  overdueDays: number;
}

export interface NoticeFilter {
  id?: number;
  payerId?: number;
  municipalityId?: number;
  status?: NoticeStatus;
}

export function listNotices(db: AppDb, today: string, f: NoticeFilter = {}): NoticeView[] {
  const where: SQL[] = [sql`1`];
  if (f.id !== undefined) where.push(sql`n.id = ${f.id}`);
  if (f.payerId !== undefined) where.push(sql`n.payer_id = ${f.payerId}`);
  if (f.municipalityId !== undefined) where.push(sql`n.municipality_id = ${f.municipalityId}`);
  const rows = db.all<NoticeView>(sql`
    SELECT n.id, n.payer_id AS payerId, pa.last_name || ' ' || pa.first_name AS payerName, pa.tax_code AS payerTaxCode,
      n.pupil_id AS pupilId, pu.last_name || ' ' || pu.first_name AS pupilName, pu.tax_code AS pupilTaxCode,
      n.service, s.name AS serviceName, n.municipality_id AS municipalityId, m.name AS municipalityName,
      n.amount_cents AS amountCents, n.due_on AS dueOn, n.notice_number AS noticeNumber, n.iuv, n.creditor_fiscal_code AS creditorFiscalCode,
      n.description, n.issued_on AS issuedOn, n.issued_at AS issuedAt, u.display_name AS issuedByName,
      n.cancelled_at AS cancelledAt, n.cancel_reason AS cancelReason,
      ${statusSql()} AS status, pay.paid_on AS paidOn, pay.id AS paymentId,
      CASE WHEN pay.id IS NULL AND n.cancelled_at IS NULL AND n.due_on < ${today} THEN CAST(julianday(${today}) - julianday(n.due_on) AS INTEGER) ELSE 0 END AS overdueDays
    FROM pagopa_notices n
    JOIN payers pa ON pa.id = n.payer_id
    JOIN pupils pu ON pu.id = n.pupil_id
    JOIN services s ON s.code = n.service
    JOIN municipalities m ON m.id = n.municipality_id
    LEFT JOIN users u ON u.id = n.issued_by
    ${PAID_JOIN}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY n.issued_on DESC, n.id DESC`);
  return f.status === undefined ? rows : rows.filter((r) => r.status === f.status);
}

export interface UnpaidNotice {
  id: number;
  payerId: number;
  municipalityId: number;
  pupilId: number;
  noticeNumber: string;
  amountCents: number;
  dueOn: string;
  overdueDays: number;
}

/** The unpaid notices of each family (payer, municipality): one query for all of them. */
export function unpaidNoticesByFamily(db: AppDb, today: string, scope: { payerId?: number; municipalityId?: number } = {}): Map<string, UnpaidNotice[]> {
  const rows = db.all<UnpaidNotice>(sql`
    SELECT n.id, n.payer_id AS payerId, n.municipality_id AS municipalityId, n.pupil_id AS pupilId, n.notice_number AS noticeNumber,
      n.amount_cents AS amountCents, n.due_on AS dueOn,
      CASE WHEN n.due_on < ${today} THEN CAST(julianday(${today}) - julianday(n.due_on) AS INTEGER) ELSE 0 END AS overdueDays
    FROM pagopa_notices n
    ${PAID_JOIN}
    WHERE n.cancelled_at IS NULL AND pay.id IS NULL
      ${scope.payerId !== undefined ? sql`AND n.payer_id = ${scope.payerId}` : sql``}
      ${scope.municipalityId !== undefined ? sql`AND n.municipality_id = ${scope.municipalityId}` : sql``}
    ORDER BY n.due_on, n.id`);
  const out = new Map<string, UnpaidNotice[]>();
  for (const r of rows) {
    const k = `${r.payerId}/${r.municipalityId}`;
    const list = out.get(k) ?? [];
    list.push(r);
    out.set(k, list);
  }
  return out;
}

export interface IssueInput {
  payerId: number;
  pupilId: number;
  service: string;
  amountCents: number;
  dueOn: string;
  creditorFiscalCode: string;
  segregationCode: string;
  description?: string;
}

/** The pupil's enrollment paid by this payer: the latest school year's (its school gives the municipality). */
function enrollmentOf(db: AppDb, payerId: number, pupilId: number) {
  return db
    .select({ municipalityId: schools.municipalityId, schoolYear: schoolYears.label })
    .from(enrollments)
    .innerJoin(schools, eq(schools.id, enrollments.schoolId))
    .innerJoin(schoolYears, eq(schoolYears.id, enrollments.schoolYearId))
    .where(and(eq(enrollments.payerId, payerId), eq(enrollments.pupilId, pupilId)))
    .orderBy(sql`${schoolYears.startsOn} DESC`)
    .get();
}

/** The next free IUV base for a creditor and segregation code: issue year + 9-digit sequence. */
function nextNoticeNumber(db: AppDb, creditorFiscalCode: string, segregationCode: string, year: string): { noticeNumber: string; iuv: string } {
  const prefix = `3${segregationCode}${year}`;
  const last = db.get<{ n: string | null }>(sql`
    SELECT max(notice_number) AS n FROM pagopa_notices WHERE creditor_fiscal_code = ${creditorFiscalCode} AND notice_number >= ${prefix} AND notice_number < ${`${prefix}a`}`);
  let seq = last?.n ? Number(last.n.slice(7, 16)) + 1 : 1;
  for (;;) {
    if (seq > 999_999_999) throw conflict(`Numerazione degli avvisi esaurita per l'anno ${year} e il codice di segregazione ${segregationCode}`);
    const noticeNumber = buildNumeroAvviso({ auxDigit: 3, segregationCode, iuvBase: `${year}${String(seq).padStart(9, '0')}` });
    const iuv = noticeNumber.slice(1);
    const used = db.get<{ n: number }>(sql`SELECT (SELECT count(*) FROM payments WHERE iuv = ${iuv}) + (SELECT count(*) FROM pagopa_notices WHERE iuv = ${iuv}) AS n`);
    if (!used?.n) return { noticeNumber, iuv };
    seq++;
  }
}

/** Issues one notice (P6), all checks first; returns its id. */
export function issueNotice(db: AppDb, input: IssueInput, today: string, actor: Actor): number {
  const issues: FieldIssue[] = [];
  const payer = db.select({ id: payers.id, name: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}` }).from(payers).where(eq(payers.id, input.payerId)).get();
  if (!payer) throw notFound('Pagante');
  const pupil = db.select({ id: pupils.id, name: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}` }).from(pupils).where(eq(pupils.id, input.pupilId)).get();
  if (!pupil) throw invalidField('pupilId', 'Alunno inesistente');
  const service = requireService(db, input.service);
  const enrollment = enrollmentOf(db, input.payerId, input.pupilId);
  if (!enrollment) issues.push({ path: ['pupilId'], message: `${pupil.name} non ha un'iscrizione pagata da ${payer.name}` });
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) issues.push({ path: ['amountCents'], message: "L'importo deve essere maggiore di zero" });
  else if (input.amountCents > 10_000_000) issues.push({ path: ['amountCents'], message: "L'importo supera il massimo ammesso (100.000 €)" });
  if (input.dueOn < today) issues.push({ path: ['dueOn'], message: 'La scadenza non può essere nel passato' });
  else if (input.dueOn > addDays(today, 366)) issues.push({ path: ['dueOn'], message: "La scadenza è oltre un anno da oggi" });
  const creditor = input.creditorFiscalCode.trim();
  const creditorProblem = creditorCodeProblem(creditor);
  if (creditorProblem) issues.push({ path: ['creditorFiscalCode'], message: creditorProblem });
  if (!/^\d{2}$/.test(input.segregationCode)) issues.push({ path: ['segregationCode'], message: 'Il codice di segregazione ha 2 cifre (lo assegna PagoPA al punto di emissione)' });
  const description = (input.description?.trim() || `Refezione scolastica ${service.name} - ${pupil.name}`).slice(0, 140);
  if (description.length < 3) issues.push({ path: ['description'], message: 'Indicare la causale (almeno 3 caratteri)' });
  if (issues.length) throw invalid(issues);
  if (!p6Ground(db, input.payerId)) throw invalidField('payerId', P6_REFUSAL);

  const { noticeNumber, iuv } = nextNoticeNumber(db, creditor, input.segregationCode, today.slice(0, 4));
  return db
    .insert(pagopaNotices)
    .values({
      payerId: input.payerId,
      pupilId: input.pupilId,
      service: service.code,
      municipalityId: enrollment!.municipalityId,
      amountCents: input.amountCents,
      dueOn: input.dueOn,
      noticeNumber,
      iuv,
      creditorFiscalCode: creditor,
      description,
      issuedOn: today,
      issuedAt: actor.at.toISOString(),
      issuedBy: actor.userId,
    })
    .returning({ id: pagopaNotices.id })
    .get().id;
}

/** Cancels an unpaid notice, once, with a reason. */
export function cancelNotice(db: AppDb, noticeId: number, reason: string, today: string, actor: Actor): { before: NoticeView; after: NoticeView } {
  const before = listNotices(db, today, { id: noticeId })[0];
  if (!before) throw notFound('Avviso pagoPA');
  if (before.status === 'pagato') throw conflict(`L'avviso ${before.noticeNumber} è già stato pagato il ${formatDateIt(before.paidOn!)}: non si annulla (per restituire il denaro registrare un rimborso)`);
  if (before.status === 'annullato') throw conflict(`L'avviso ${before.noticeNumber} è già annullato`);
  db.update(pagopaNotices).set({ cancelledAt: actor.at.toISOString(), cancelledBy: actor.userId, cancelReason: reason }).where(eq(pagopaNotices.id, noticeId)).run();
  return { before, after: listNotices(db, today, { id: noticeId })[0] };
}

/** The creditor and segregation code of the office's latest notice (to prefill the next one). */
export function lastIssuer(db: AppDb): { creditorFiscalCode: string; segregationCode: string } | null {
  const r = db.get<{ creditorFiscalCode: string; noticeNumber: string }>(sql`SELECT creditor_fiscal_code AS creditorFiscalCode, notice_number AS noticeNumber FROM pagopa_notices ORDER BY id DESC LIMIT 1`);
  return r ? { creditorFiscalCode: r.creditorFiscalCode, segregationCode: r.noticeNumber.slice(1, 3) } : null;
}

/** The pupils a payer pays for (any school year), latest school first: who a notice can name. */
export function payerPupils(db: AppDb, payerId: number): { pupilId: number; name: string; taxCode: string; municipalityName: string }[] {
  return db.all(sql`
    SELECT p.id AS pupilId, p.last_name || ' ' || p.first_name AS name, p.tax_code AS taxCode,
      (SELECT m.name FROM enrollments e2 JOIN schools s2 ON s2.id = e2.school_id JOIN municipalities m ON m.id = s2.municipality_id JOIN school_years y2 ON y2.id = e2.school_year_id
        WHERE e2.pupil_id = p.id AND e2.payer_id = ${payerId} ORDER BY y2.starts_on DESC LIMIT 1) AS municipalityName
    FROM pupils p
    WHERE p.id IN (SELECT e.pupil_id FROM enrollments e WHERE e.payer_id = ${payerId})
    ORDER BY p.last_name, p.first_name, p.id`);
}
