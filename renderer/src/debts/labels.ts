import type { ProcOutput } from '../api/client';
import { navigate } from '../app/router';
import { DEBT_AGE_BAND_LABEL, DEBT_CHANNEL_LABEL, DEBT_CHANNEL_SHORT, DEBT_PLAN_STATUS_LABEL } from '../../../electron/contract/vocabulary/debts';

export { DEBT_AGE_BAND_LABEL, DEBT_CHANNEL_LABEL, DEBT_CHANNEL_SHORT, DEBT_PLAN_STATUS_LABEL };

export type DebtChannel = keyof typeof DEBT_CHANNEL_LABEL;
export type PlanStatus = keyof typeof DEBT_PLAN_STATUS_LABEL;
export type Worklist = ProcOutput<'debts.worklist'>;
export type FamilyFile = ProcOutput<'debts.family'>;
export type HistoryStep = FamilyFile['history'][number];
export type Plan = FamilyFile['plans'][number];

/** Channels whose delivery leaves evidence: the office records the receipt (as DEBT_RECEIPT_CHANNELS). */
export const RECEIPT_CHANNELS: readonly DebtChannel[] = ['raccomandata_ar', 'pec'];

/** "inviata …": how a letter went out, in a sentence. */
export const SENT_WITH: Record<DebtChannel, string> = { email_sms: 'per e-mail / SMS dal portale', lettera: 'con lettera ordinaria', raccomandata_ar: 'con raccomandata A/R', pec: 'per PEC' };

export const CHANNEL_COLOR: Record<DebtChannel, string> = { email_sms: 'blue', lettera: 'cyan', raccomandata_ar: 'orange', pec: 'grape' };

export const PLAN_STATUS_COLOR: Record<PlanStatus, string> = { rispettato: 'teal', non_rispettato: 'red', completato: 'green', annullato: 'gray' };

export const CHANNEL_OPTIONS = (Object.keys(DEBT_CHANNEL_LABEL) as DebtChannel[]).map((value) => ({ value, label: DEBT_CHANNEL_LABEL[value] }));

/** "1 famiglia", "3 famiglie" */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "oggi", "1 giorno", "12 giorni" */
export function days(n: number): string {
  return n === 0 ? 'oggi' : plural(n, 'giorno', 'giorni');
}

const FAMILY_KEY = 'rette.morosita.famiglia';

export interface DebtFamilyChoice {
  payerId: number;
  /** absent: the municipality where the family owes most */
  municipalityId?: number;
  /** the payer's name and codice fiscale, for the picker */
  label: string;
}

/** The family whose debt file is open (kept for this tab, like the other screens' chosen pupil). */
export function rememberedDebtFamily(): DebtFamilyChoice | null {
  try {
    const raw = sessionStorage.getItem(FAMILY_KEY);
    return raw ? (JSON.parse(raw) as DebtFamilyChoice) : null;
  } catch {
    return null;
  }
}

export function rememberDebtFamily(choice: DebtFamilyChoice | null) {
  if (choice) sessionStorage.setItem(FAMILY_KEY, JSON.stringify(choice));
  else sessionStorage.removeItem(FAMILY_KEY);
}

export const FAMILY_PATH = '/morosita/famiglia';

/** Opens a family's debt file (from the worklist, the payer's form, the pupil's page). */
export function openDebtFamily(choice: DebtFamilyChoice) {
  rememberDebtFamily(choice);
  if (window.location.hash === `#${FAMILY_PATH}`) window.dispatchEvent(new Event('rette:debt-family'));
  else navigate(FAMILY_PATH);
}
