/**
 * The creditor's SDD settings (issue 9; PAYMENTS.md §1 "Mandate data", §2): the one `sdd_creditor`
 * row (creditor identifier, the account the collections are credited to and its bank's ABI, BIC,
 * CBI company code, sequence-type policy, P4 commission, P8 pre-notification days, batch booking).
 * The creditor's name and structured address are the caterer's own record (settings key 'caterer',
 * electron/documents/caterer.ts): kept in one place, combined here for the bank files.
 */
import { eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { SDD_SEQUENCE_POLICIES, sddCreditor } from '../../db/schema';
import { invalid, invalidField, type FieldIssue } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import { validateCreditorId } from '../identifiers/creditor-id';
import { validateIban } from '../identifiers/iban';
import { getCaterer } from '../documents/caterer';
import type { SddCreditorData } from './file-types';

export type SddSequencePolicy = (typeof SDD_SEQUENCE_POLICIES)[number];

export interface CreditorSettingsInput {
  creditorId: string;
  creditorIban: string;
  /** '' when not known */
  bic: string;
  cuc: string;
  sequencePolicy: SddSequencePolicy;
  commissionCents: number;
  prenotificationDays: number;
  batchBooking: boolean;
}

export interface CreditorSettings extends CreditorSettingsInput {
  abi: string;
  updatedAt: string;
  updatedBy: number | null;
}

/** Defaults of a creditor not yet configured: RCUR from the first debit, EUR 1.00 per pupil (P4), 14 days (P8). */
export const CREDITOR_DEFAULTS = { sequencePolicy: 'rcur', commissionCents: 100, prenotificationDays: 14, batchBooking: true, bic: '' } as const;

/** SEPA names travel in 70 characters (Cdtr/Nm). */
export const SEPA_NAME_MAX = 70;

export const BIC_RE = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
export const CUC_RE = /^[A-Z0-9]{8}$/;

/** ABI of an Italian (or Sammarinese) IBAN: positions 6-10. */
export function abiOfIban(iban: string): string {
  return iban.slice(5, 10);
}

export function getCreditorSettings(db: AppDb): CreditorSettings | null {
  const row = db.select().from(sddCreditor).where(eq(sddCreditor.id, 1)).get();
  if (!row) return null;
  const { id: _id, ...rest } = row;
  void _id;
  return rest;
}

/** Checks and normalises the settings; every wrong field is reported at once, in Italian. */
export function checkCreditorSettings(input: CreditorSettingsInput): CreditorSettingsInput & { abi: string } {
  const issues: FieldIssue[] = [];
  const ci = validateCreditorId(input.creditorId);
  if (!ci.ok) issues.push({ path: ['creditorId'], message: ci.message });
  else if (!ci.value.startsWith('IT')) issues.push({ path: ['creditorId'], message: "L'identificativo del creditore deve essere italiano (IT…): il file CBI è per banche italiane" });
  const iban = validateIban(input.creditorIban);
  if (!iban.ok) issues.push({ path: ['creditorIban'], message: iban.message });
  else if (!iban.value.startsWith('IT')) issues.push({ path: ['creditorIban'], message: "Il conto di accredito deve essere italiano (IBAN IT…): l'ABI della banca va nel file CBI" });
  const bic = input.bic.trim().toUpperCase().replace(/\s+/g, '');
  if (bic !== '' && !BIC_RE.test(bic)) issues.push({ path: ['bic'], message: 'BIC non valido: 8 o 11 caratteri (es. BPMOIT22 o BPMOIT22XXX)' });
  const cuc = input.cuc.trim().toUpperCase();
  if (!CUC_RE.test(cuc)) issues.push({ path: ['cuc'], message: 'Codice CUC non valido: 8 lettere o cifre, come nel contratto CBI con la banca' });
  if (!SDD_SEQUENCE_POLICIES.includes(input.sequencePolicy)) issues.push({ path: ['sequencePolicy'], message: 'Tipo di sequenza non ammesso' });
  if (!Number.isInteger(input.commissionCents) || input.commissionCents < 0 || input.commissionCents > 10_000) {
    issues.push({ path: ['commissionCents'], message: 'Commissione non valida: da 0 a 100,00 € per alunno' });
  }
  if (!Number.isInteger(input.prenotificationDays) || input.prenotificationDays < 1 || input.prenotificationDays > 60) {
    issues.push({ path: ['prenotificationDays'], message: 'Preavviso non valido: da 1 a 60 giorni (di norma 14)' });
  }
  if (issues.length) throw invalid(issues);
  const creditorIban = iban.ok ? iban.value : '';
  return { ...input, creditorId: ci.ok ? ci.value : '', creditorIban, abi: abiOfIban(creditorIban), bic, cuc };
}

/** Writes the one settings row (created on first save). */
export function saveCreditorSettings(db: AppDb, input: CreditorSettingsInput, actor: { userId: number | null; at: Date }): CreditorSettings {
  const v = checkCreditorSettings(input);
  const values = { ...v, updatedAt: actor.at.toISOString(), updatedBy: actor.userId };
  db.insert(sddCreditor).values({ id: 1, ...values }).onConflictDoUpdate({ target: sddCreditor.id, set: { ...values, version: nextVersion(sddCreditor.version) } }).run();
  return getCreditorSettings(db)!;
}

/** What is missing before a bank file can be made (Italian, one line each); empty when ready. */
export function creditorMissing(db: AppDb): string[] {
  const missing: string[] = [];
  const caterer = getCaterer(db);
  if (!caterer) missing.push('i dati della ditta (ragione sociale e indirizzo: Anagrafiche › Dati della ditta)');
  else if (caterer.companyName.length > SEPA_NAME_MAX) missing.push(`una ragione sociale di al massimo ${SEPA_NAME_MAX} caratteri (limite SEPA; ora ne ha ${caterer.companyName.length})`);
  if (!getCreditorSettings(db)) missing.push('le impostazioni SDD (identificativo del creditore, IBAN di accredito, codice CUC: Pagamenti › Impostazioni SDD)');
  return missing;
}

/** The creditor as the bank files need it, or null while the caterer or the SDD settings are missing. */
export function sddCreditorData(db: AppDb): SddCreditorData | null {
  const caterer = getCaterer(db);
  const s = getCreditorSettings(db);
  if (!caterer || !s || caterer.companyName.length > SEPA_NAME_MAX) return null;
  return {
    name: caterer.companyName,
    address: {
      street: caterer.street,
      buildingNumber: caterer.streetNumber,
      postcode: caterer.postcode,
      town: caterer.town,
      province: caterer.province,
      country: 'IT',
    },
    creditorId: s.creditorId,
    iban: s.creditorIban,
    abi: s.abi,
    bic: s.bic,
    cuc: s.cuc,
    batchBooking: s.batchBooking,
  };
}

/** The same, or an Italian validation error telling what to fill in first. */
export function requireSddCreditor(db: AppDb): SddCreditorData {
  const data = sddCreditorData(db);
  if (data) return data;
  const missing = creditorMissing(db);
  throw invalidField('creditor', `Per gli addebiti SDD mancano ${missing.join(' e ')}`);
}
