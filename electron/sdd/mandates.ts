/**
 * SDD mandates (P5; PAYMENTS.md §1 "Mandate data" and "Amendments").
 *
 * - One active mandate per payer; it covers every sibling the payer pays for. A second one is
 *   refused, unless the caller asks to replace: the old one is revoked and the new one created in
 *   the same transaction.
 * - A changed IBAN or a corrected holder name is an amendment of the same mandate, recorded with
 *   the original value: the next collection must report it (AmdmntInd, OrgnlDbtrAcct or SMNDA).
 *   A different account holder (another codice fiscale) is not an amendment: it needs a new mandate
 *   signed by the new holder.
 * - The mandate is the authority on the payer's bank account: `payers.iban` / `payers.iban_holder`
 *   follow the active mandate on creation and amendment.
 * - Mandates and amendments are never deleted (triggers in db/migrations/0007_sdd.sql).
 */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { extractIBAN, isSEPACountry } from 'ibantools';
import type { AppDb } from '../../db/open';
import { SDD_MANDATE_STATUSES, payers, sddMandateAmendments, sddMandates, users } from '../../db/schema';
import { conflict, invalid, invalidField, notFound, type FieldIssue } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import { likePattern } from '../contract/fields';
import { romeDateOf } from '../calendar/rome-time';
import { validateIban } from '../identifiers/iban';
import { validateCodiceFiscale } from '../identifiers/codice-fiscale';
import { isValidPartitaIva } from '../documents/caterer';
import { BIC_RE, SEPA_NAME_MAX } from './creditor';
import type { SddAmendmentInfo } from './file-types';
import { isSepaIdText } from './sepa-text';
import { EEA_COUNTRIES } from './xml/common';

export type MandateStatus = (typeof SDD_MANDATE_STATUSES)[number];

export interface Actor {
  userId: number | null;
  at: Date;
}

/** The first day of SEPA Core direct debits: no mandate is signed earlier. */
const SEPA_SDD_START = '2009-11-02';

/** EEA members (EU + IS, LI, NO): their debtor banks need no BIC nor address in a collection. */
export function isEeaCountry(country: string): boolean {
  return EEA_COUNTRIES.has(country);
}

/** Same bank: same country and same bank code (for IT/SM the ABI, IBAN positions 6-10). */
export function sameBank(a: string, b: string): boolean {
  const x = extractIBAN(a);
  const y = extractIBAN(b);
  if (x.countryCode !== y.countryCode) return false;
  if (!x.bankIdentifier || !y.bankIdentifier) return false;
  return x.bankIdentifier === y.bankIdentifier;
}

/** Why a UMR is refused, or null when it is acceptable. */
export function umrProblem(umr: string): string | null {
  if (umr.length > 35) return 'Codice del mandato troppo lungo: al massimo 35 caratteri';
  if (/\s/.test(umr)) return 'Il codice del mandato non può contenere spazi';
  if (!isSepaIdText(umr)) return "Il codice del mandato contiene caratteri non ammessi: solo lettere senza accento, cifre e / - ? : ( ) . , ' +";
  if (umr.startsWith('/') || umr.endsWith('/') || umr.includes('//')) return "Il codice del mandato non può iniziare o finire con '/' né contenere '//'";
  return null;
}

/** A holder's codice fiscale: a personal 16-character code (check character verified) or an 11-digit one. */
export function checkHolderTaxCode(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const s = input.trim().toUpperCase().replace(/\s+/g, '');
  if (s === '') return { ok: false, message: "Indicare il codice fiscale dell'intestatario del conto" };
  if (/^\d{11}$/.test(s)) return isValidPartitaIva(s) ? { ok: true, value: s } : { ok: false, message: 'Codice fiscale numerico non valido (11 cifre con la cifra di controllo)' };
  const r = validateCodiceFiscale(s);
  return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.message };
}

interface CheckedAccount {
  iban: string;
  bic: string;
}

/** IBAN (mod-97 and CIN), SEPA country, BIC: required outside the EEA, else optional. */
function checkAccount(ibanIn: string, bicIn: string, issues: FieldIssue[]): CheckedAccount {
  const r = validateIban(ibanIn);
  const bic = bicIn.trim().toUpperCase().replace(/\s+/g, '');
  if (!r.ok) {
    issues.push({ path: ['iban'], message: r.message });
    return { iban: '', bic };
  }
  const country = r.value.slice(0, 2);
  if (!isSEPACountry(country)) {
    issues.push({ path: ['iban'], message: `Conto in un paese fuori dall'area SEPA (${country}): l'addebito diretto SEPA non è possibile` });
  } else if (!isEeaCountry(country) && bic === '') {
    issues.push({ path: ['bic'], message: `Per un conto fuori dallo Spazio economico europeo (${country}) indicare il BIC della banca del debitore` });
  }
  if (bic !== '' && !BIC_RE.test(bic)) issues.push({ path: ['bic'], message: 'BIC non valido: 8 o 11 caratteri (es. BPMOIT22 o BPMOIT22XXX)' });
  return { iban: r.value, bic };
}

function checkHolderName(name: string, issues: FieldIssue[], path = 'holderName'): string {
  const s = name.trim().replace(/\s+/g, ' ');
  if (s === '') issues.push({ path: [path], message: "Indicare l'intestatario del conto" });
  else if (s.length > SEPA_NAME_MAX) issues.push({ path: [path], message: `Intestatario: al massimo ${SEPA_NAME_MAX} caratteri (limite SEPA)` });
  return s;
}

function checkPastDate(date: string, today: string, path: string, what: string, issues: FieldIssue[]): void {
  if (date > today) issues.push({ path: [path], message: `${what} non può essere nel futuro` });
  else if (date < SEPA_SDD_START) issues.push({ path: [path], message: `${what} non può precedere l'avvio dell'addebito diretto SEPA (novembre 2009)` });
}

// ---------------------------------------------------------------- reads

const mandateCols = {
  id: sddMandates.id,
  payerId: sddMandates.payerId,
  payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`,
  payerTaxCode: payers.taxCode,
  umr: sddMandates.umr,
  iban: sddMandates.iban,
  bic: sddMandates.bic,
  holderName: sddMandates.holderName,
  holderTaxCode: sddMandates.holderTaxCode,
  signedOn: sddMandates.signedOn,
  status: sddMandates.status,
  revokedOn: sddMandates.revokedOn,
  revokeReason: sddMandates.revokeReason,
  blockedReason: sddMandates.blockedReason,
  blockedAt: sddMandates.blockedAt,
  lastCollectionOn: sddMandates.lastCollectionOn,
  notes: sddMandates.notes,
  createdAt: sddMandates.createdAt,
  updatedAt: sddMandates.updatedAt,
  version: sddMandates.version,
  amendments: sql<number>`(SELECT count(*) FROM ${sddMandateAmendments} WHERE ${sddMandateAmendments.mandateId} = ${sddMandates.id})`.mapWith(Number),
  /** amendments not yet carried by a collection */
  unreportedAmendments: sql<number>`(SELECT count(*) FROM ${sddMandateAmendments} WHERE ${sddMandateAmendments.mandateId} = ${sddMandates.id} AND ${sddMandateAmendments.reportedDebitId} IS NULL)`.mapWith(Number),
};

export type MandateRow = {
  id: number;
  payerId: number;
  payerName: string;
  payerTaxCode: string;
  umr: string;
  iban: string;
  bic: string;
  holderName: string;
  holderTaxCode: string;
  signedOn: string;
  status: MandateStatus;
  revokedOn: string | null;
  revokeReason: string | null;
  blockedReason: string | null;
  blockedAt: string | null;
  lastCollectionOn: string | null;
  notes: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  amendments: number;
  unreportedAmendments: number;
};

export const MANDATE_SORTS = ['payer', 'umr', 'signedOn', 'createdAt'] as const;

export interface MandateFilter {
  status?: MandateStatus;
  blocked?: boolean;
  payerId?: number;
  search?: string;
  sort?: (typeof MANDATE_SORTS)[number];
  sortDir?: 'asc' | 'desc';
}

export function listMandates(db: AppDb, f: MandateFilter, pageOpt: { offset: number; limit: number } | null): { rows: MandateRow[]; total: number } {
  const conds: SQL[] = [];
  if (f.status) conds.push(eq(sddMandates.status, f.status));
  if (f.blocked === true) conds.push(sql`${sddMandates.blockedAt} IS NOT NULL`);
  if (f.blocked === false) conds.push(sql`${sddMandates.blockedAt} IS NULL`);
  if (f.payerId) conds.push(eq(sddMandates.payerId, f.payerId));
  if (f.search) {
    for (const w of f.search.split(/\s+/).filter(Boolean)) {
      const p = likePattern(w);
      conds.push(
        sql`(${payers.searchText} LIKE ${p} ESCAPE '\\' OR lower(${sddMandates.umr}) LIKE ${p} ESCAPE '\\' OR lower(${sddMandates.iban}) LIKE ${p} ESCAPE '\\' OR lower(${sddMandates.holderName}) LIKE ${p} ESCAPE '\\')`,
      );
    }
  }
  const w = conds.length ? and(...conds) : undefined;
  const dir = f.sortDir === 'desc' ? desc : asc;
  const order =
    f.sort === 'umr' ? [dir(sddMandates.umr)] : f.sort === 'signedOn' ? [dir(sddMandates.signedOn), asc(sddMandates.id)] : f.sort === 'createdAt' ? [dir(sddMandates.id)] : [dir(payers.lastName), dir(payers.firstName), asc(sddMandates.id)];
  const total = db.select({ n: sql<number>`count(*)` }).from(sddMandates).innerJoin(payers, eq(payers.id, sddMandates.payerId)).where(w).get()!.n;
  const q = db.select(mandateCols).from(sddMandates).innerJoin(payers, eq(payers.id, sddMandates.payerId)).where(w).orderBy(...order);
  const rows = (pageOpt ? q.limit(pageOpt.limit).offset(pageOpt.offset).all() : q.all()) as MandateRow[];
  return { rows, total };
}

function mandateRow(db: AppDb, id: number): MandateRow {
  const row = db.select(mandateCols).from(sddMandates).innerJoin(payers, eq(payers.id, sddMandates.payerId)).where(eq(sddMandates.id, id)).get();
  if (!row) throw notFound('Mandato SDD');
  return row;
}

export function mandateAmendments(db: AppDb, mandateId: number) {
  return db
    .select({
      id: sddMandateAmendments.id,
      kind: sddMandateAmendments.kind,
      originalIban: sddMandateAmendments.originalIban,
      newIban: sddMandateAmendments.newIban,
      sameBank: sddMandateAmendments.sameBank,
      originalHolderName: sddMandateAmendments.originalHolderName,
      newHolderName: sddMandateAmendments.newHolderName,
      effectiveOn: sddMandateAmendments.effectiveOn,
      reason: sddMandateAmendments.reason,
      reportedDebitId: sddMandateAmendments.reportedDebitId,
      createdAt: sddMandateAmendments.createdAt,
      createdByName: users.displayName,
    })
    .from(sddMandateAmendments)
    .leftJoin(users, eq(users.id, sddMandateAmendments.createdBy))
    .where(eq(sddMandateAmendments.mandateId, mandateId))
    .orderBy(asc(sddMandateAmendments.id))
    .all();
}

/** A mandate with its amendments (oldest first) and what the next collection must report. */
export function getMandate(db: AppDb, id: number) {
  const row = mandateRow(db, id);
  return { ...row, history: mandateAmendments(db, id), pendingAmendment: pendingAmendment(db, id) };
}

export type MandateDetail = ReturnType<typeof getMandate>;

/** The payer's active mandate, or null. */
export function activeMandateForPayer(db: AppDb, payerId: number) {
  return db.select().from(sddMandates).where(and(eq(sddMandates.payerId, payerId), eq(sddMandates.status, 'attivo'))).get() ?? null;
}

/**
 * The amendment information the next collection under this mandate must carry, or null when none:
 * the IBAN changes not yet reported, combined. The account the bank last saw is the original IBAN
 * of the oldest unreported change: if the current account is at the same bank the collection
 * reports that IBAN (OrgnlDbtrAcct), otherwise SMNDA (OrgnlDbtrAgt). An account changed and then
 * changed back needs no amendment. A corrected holder name travels only as the new Dbtr/Nm.
 */
export function pendingAmendment(db: AppDb, mandateId: number): SddAmendmentInfo | null {
  const oldest = db
    .select({ originalIban: sddMandateAmendments.originalIban })
    .from(sddMandateAmendments)
    .where(and(eq(sddMandateAmendments.mandateId, mandateId), eq(sddMandateAmendments.kind, 'iban'), sql`${sddMandateAmendments.reportedDebitId} IS NULL`))
    .orderBy(asc(sddMandateAmendments.id))
    .limit(1)
    .get();
  if (!oldest?.originalIban) return null;
  const current = db.select({ iban: sddMandates.iban }).from(sddMandates).where(eq(sddMandates.id, mandateId)).get();
  if (!current || current.iban === oldest.originalIban) return null;
  return sameBank(oldest.originalIban, current.iban) ? { originalIban: oldest.originalIban } : { smnda: true };
}

/** Marks the mandate's unreported amendments as carried by this debit (called by the batch that reports them). */
export function markAmendmentsReported(db: AppDb, mandateId: number, debitId: number): number {
  return db
    .update(sddMandateAmendments)
    .set({ reportedDebitId: debitId })
    .where(and(eq(sddMandateAmendments.mandateId, mandateId), sql`${sddMandateAmendments.reportedDebitId} IS NULL`))
    .run().changes;
}

// ---------------------------------------------------------------- writes

export interface MandateInput {
  payerId: number;
  /** '' → generated (RM + payer id + '-' + sequence) */
  umr: string;
  iban: string;
  bic: string;
  holderName: string;
  holderTaxCode: string;
  signedOn: string;
  notes: string;
  /** the payer already has an active mandate: revoke it and create this one in the same transaction */
  replace?: boolean;
}

function umrTaken(db: AppDb, umr: string): boolean {
  return db.select({ id: sddMandates.id }).from(sddMandates).where(sql`lower(${sddMandates.umr}) = lower(${umr})`).get() !== undefined;
}

/** RM + zero-padded payer id + '-' + the payer's next mandate number, e.g. RM000042-1. */
export function generateUmr(db: AppDb, payerId: number): string {
  const count = db.select({ n: sql<number>`count(*)` }).from(sddMandates).where(eq(sddMandates.payerId, payerId)).get()!.n;
  for (let n = count + 1; ; n++) {
    const umr = `RM${String(payerId).padStart(6, '0')}-${n}`;
    if (!umrTaken(db, umr)) return umr;
  }
}

function syncPayer(db: AppDb, payerId: number, iban: string, holderName: string, nowIso: string): void {
  db.update(payers).set({ iban, ibanHolder: holderName, updatedAt: nowIso, version: nextVersion(payers.version) }).where(eq(payers.id, payerId)).run();
}

function revokeRow(db: AppDb, mandateId: number, revokedOn: string, reason: string, nowIso: string): void {
  db.update(sddMandates).set({ status: 'revocato', revokedOn, revokeReason: reason, updatedAt: nowIso, version: nextVersion(sddMandates.version) }).where(eq(sddMandates.id, mandateId)).run();
}

/** Registers a signed mandate; returns it with the mandate it replaced, if any. */
export function createMandate(db: AppDb, input: MandateInput, actor: Actor): { mandate: MandateDetail; replaced: MandateDetail | null } {
  const today = romeDateOf(actor.at);
  const nowIso = actor.at.toISOString();
  const payer = db.select({ id: payers.id, lastName: payers.lastName, firstName: payers.firstName }).from(payers).where(eq(payers.id, input.payerId)).get();
  if (!payer) throw invalidField('payerId', 'Pagante non trovato');

  const issues: FieldIssue[] = [];
  let umr = input.umr.trim();
  if (umr !== '') {
    const problem = umrProblem(umr);
    if (problem) issues.push({ path: ['umr'], message: problem });
    else if (umrTaken(db, umr)) issues.push({ path: ['umr'], message: `Il codice mandato ${umr} è già usato da un altro mandato: ogni mandato ha il suo` });
  }
  const account = checkAccount(input.iban, input.bic, issues);
  const holderName = checkHolderName(input.holderName, issues);
  const cf = checkHolderTaxCode(input.holderTaxCode);
  if (!cf.ok) issues.push({ path: ['holderTaxCode'], message: cf.message });
  checkPastDate(input.signedOn, today, 'signedOn', 'La data di firma del mandato', issues);
  if (issues.length) throw invalid(issues);

  const current = activeMandateForPayer(db, input.payerId);
  if (current && !input.replace) {
    throw conflict(
      `${payer.lastName} ${payer.firstName} ha già un mandato SDD attivo (${current.umr}): un pagante ha un solo mandato attivo. ` +
        "Per un nuovo conto dello stesso titolare si registra una modifica dell'IBAN; per sostituire il mandato scegliere «sostituisci» (il vecchio viene revocato)",
      'replace',
    );
  }
  if (current && input.signedOn < current.signedOn) {
    throw invalidField('signedOn', `Il nuovo mandato non può essere firmato prima di quello che sostituisce (${current.signedOn})`);
  }
  if (umr === '') umr = generateUmr(db, input.payerId);
  let replaced: MandateDetail | null = null;
  if (current) {
    revokeRow(db, current.id, today, `Sostituito dal mandato ${umr}`, nowIso);
    replaced = getMandate(db, current.id);
  }
  const row = db
    .insert(sddMandates)
    .values({
      payerId: input.payerId,
      umr,
      iban: account.iban,
      bic: account.bic,
      holderName,
      holderTaxCode: cf.ok ? cf.value : '',
      signedOn: input.signedOn,
      status: 'attivo',
      notes: input.notes.trim(),
      createdAt: nowIso,
      updatedAt: nowIso,
      createdBy: actor.userId,
    })
    .returning({ id: sddMandates.id })
    .get();
  syncPayer(db, input.payerId, account.iban, holderName, nowIso);
  return { mandate: getMandate(db, row.id), replaced };
}

function activeMandate(db: AppDb, mandateId: number) {
  const m = db.select().from(sddMandates).where(eq(sddMandates.id, mandateId)).get();
  if (!m) throw notFound('Mandato SDD');
  if (m.status !== 'attivo') throw conflict(`Il mandato ${m.umr} è revocato: non si modifica. Per riprendere gli addebiti registrare un nuovo mandato firmato`);
  return m;
}

export interface AmendIbanInput {
  mandateId: number;
  iban: string;
  bic: string;
  /** the day the new account takes effect; today when omitted */
  effectiveOn?: string;
  reason: string;
}

/** The family changed account, same holder: an amendment with the original IBAN; clears a block set by a return. */
export function amendMandateIban(db: AppDb, input: AmendIbanInput, actor: Actor) {
  const m = activeMandate(db, input.mandateId);
  const today = romeDateOf(actor.at);
  const nowIso = actor.at.toISOString();
  const issues: FieldIssue[] = [];
  const account = checkAccount(input.iban, input.bic, issues);
  const effectiveOn = input.effectiveOn ?? today;
  if (effectiveOn > today) issues.push({ path: ['effectiveOn'], message: 'La data della modifica non può essere nel futuro' });
  else if (effectiveOn < m.signedOn) issues.push({ path: ['effectiveOn'], message: `La data della modifica non può precedere la firma del mandato (${m.signedOn})` });
  if (issues.length) throw invalid(issues);
  if (account.iban === m.iban) {
    if (account.bic === m.bic) throw invalidField('iban', "L'IBAN indicato è quello già registrato nel mandato: nessuna modifica");
    // only the BIC changes: not an amendment the scheme knows, a correction of the bank's code
    db.update(sddMandates).set({ bic: account.bic, updatedAt: nowIso, version: nextVersion(sddMandates.version) }).where(eq(sddMandates.id, m.id)).run();
    return getMandate(db, m.id);
  }
  db.insert(sddMandateAmendments)
    .values({
      mandateId: m.id,
      kind: 'iban',
      originalIban: m.iban,
      newIban: account.iban,
      sameBank: sameBank(m.iban, account.iban),
      effectiveOn,
      reason: input.reason.trim(),
      createdAt: nowIso,
      createdBy: actor.userId,
    })
    .run();
  db.update(sddMandates).set({ iban: account.iban, bic: account.bic, blockedReason: null, blockedAt: null, updatedAt: nowIso, version: nextVersion(sddMandates.version) }).where(eq(sddMandates.id, m.id)).run();
  syncPayer(db, m.payerId, account.iban, m.holderName, nowIso);
  return getMandate(db, m.id);
}

export interface AmendHolderInput {
  mandateId: number;
  holderName: string;
  /** when given, must be the mandate's own holder: another person needs a new mandate */
  holderTaxCode?: string;
  effectiveOn?: string;
  reason: string;
}

/** The holder's name corrected, same person (same codice fiscale). */
export function amendMandateHolder(db: AppDb, input: AmendHolderInput, actor: Actor) {
  const m = activeMandate(db, input.mandateId);
  const today = romeDateOf(actor.at);
  const nowIso = actor.at.toISOString();
  if (input.holderTaxCode !== undefined && input.holderTaxCode.trim() !== '') {
    const cf = checkHolderTaxCode(input.holderTaxCode);
    if (!cf.ok) throw invalidField('holderTaxCode', cf.message);
    if (cf.value !== m.holderTaxCode) {
      throw invalidField(
        'holderTaxCode',
        `Il titolare del conto è un'altra persona (codice fiscale diverso da ${m.holderTaxCode}): non è una modifica del mandato, serve un nuovo mandato firmato dal nuovo titolare`,
      );
    }
  }
  const issues: FieldIssue[] = [];
  const holderName = checkHolderName(input.holderName, issues);
  const effectiveOn = input.effectiveOn ?? today;
  if (effectiveOn > today) issues.push({ path: ['effectiveOn'], message: 'La data della modifica non può essere nel futuro' });
  else if (effectiveOn < m.signedOn) issues.push({ path: ['effectiveOn'], message: `La data della modifica non può precedere la firma del mandato (${m.signedOn})` });
  if (issues.length) throw invalid(issues);
  if (holderName === m.holderName) throw invalidField('holderName', "L'intestatario indicato è quello già registrato nel mandato: nessuna modifica");
  db.insert(sddMandateAmendments)
    .values({
      mandateId: m.id,
      kind: 'intestatario',
      originalHolderName: m.holderName,
      newHolderName: holderName,
      effectiveOn,
      reason: input.reason.trim(),
      createdAt: nowIso,
      createdBy: actor.userId,
    })
    .run();
  db.update(sddMandates).set({ holderName, updatedAt: nowIso, version: nextVersion(sddMandates.version) }).where(eq(sddMandates.id, m.id)).run();
  syncPayer(db, m.payerId, m.iban, holderName, nowIso);
  return getMandate(db, m.id);
}

export interface RevokeInput {
  mandateId: number;
  revokedOn: string;
  reason: string;
}

/** The family or the office ends the mandate: no more collections under it. */
export function revokeMandate(db: AppDb, input: RevokeInput, actor: Actor) {
  const m = activeMandate(db, input.mandateId);
  const today = romeDateOf(actor.at);
  const issues: FieldIssue[] = [];
  if (input.revokedOn > today) issues.push({ path: ['revokedOn'], message: 'La data di revoca non può essere nel futuro' });
  else if (input.revokedOn < m.signedOn) issues.push({ path: ['revokedOn'], message: `La data di revoca non può precedere la firma del mandato (${m.signedOn})` });
  const reason = input.reason.trim();
  if (reason.length < 3) issues.push({ path: ['reason'], message: 'Indicare il motivo della revoca' });
  if (issues.length) throw invalid(issues);
  revokeRow(db, m.id, input.revokedOn, reason, actor.at.toISOString());
  return getMandate(db, m.id);
}
