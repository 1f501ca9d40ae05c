/**
 * The office's diet settings (table `settings`): the renewal deadline of each school year (many
 * municipalities use 30 September), how long certificates are kept after their school year, and
 * for how many service days the kitchen sees a new diet marked as new.
 */
import { eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { settings } from '../../db/schema';
import { invalidField } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import { isRealDate } from '../contract/vocabulary/dates';

export interface DietSettings {
  /** 'MM-DD' in the first autumn of each school year */
  renewalDeadline: string;
  /** months after the end of the school year for which certificates are kept */
  retentionMonths: number;
  /** service days during which the kitchen report marks a diet as new */
  newDays: number;
}

export const DEFAULT_DIET_SETTINGS: DietSettings = { renewalDeadline: '09-30', retentionMonths: 12, newDays: 5 };

const KEYS: Record<keyof DietSettings, string> = {
  renewalDeadline: 'diete.rinnovo.scadenza',
  retentionMonths: 'diete.conservazione.mesi',
  newDays: 'diete.nuova.giorni',
};

const read = (db: AppDb, key: string) => db.select().from(settings).where(eq(settings.key, key)).get()?.value;

export function dietSettings(db: AppDb): DietSettings {
  const deadline = read(db, KEYS.renewalDeadline);
  const retention = Number(read(db, KEYS.retentionMonths));
  const days = Number(read(db, KEYS.newDays));
  return {
    renewalDeadline: deadline && /^\d{2}-\d{2}$/.test(deadline) ? deadline : DEFAULT_DIET_SETTINGS.renewalDeadline,
    retentionMonths: Number.isSafeInteger(retention) && retention > 0 ? retention : DEFAULT_DIET_SETTINGS.retentionMonths,
    newDays: Number.isSafeInteger(days) && days >= 0 ? days : DEFAULT_DIET_SETTINGS.newDays,
  };
}

export function updateDietSettings(db: AppDb, next: DietSettings): { before: DietSettings; after: DietSettings } {
  // a deadline that exists in every year (29 February does not)
  if (!/^\d{2}-\d{2}$/.test(next.renewalDeadline) || !isRealDate(`2027-${next.renewalDeadline}`)) {
    throw invalidField('renewalDeadline', 'Scadenza del rinnovo non valida (giorno e mese, es. 30/09)');
  }
  const month = Number(next.renewalDeadline.slice(0, 2));
  if (month < 8 || month > 12) throw invalidField('renewalDeadline', "La scadenza del rinnovo deve cadere tra agosto e dicembre, all'inizio dell'anno scolastico");
  const before = dietSettings(db);
  for (const k of Object.keys(KEYS) as (keyof DietSettings)[]) {
    const value = String(next[k]);
    db.insert(settings).values({ key: KEYS[k], value }).onConflictDoUpdate({ target: settings.key, set: { value, version: nextVersion(settings.version) } }).run();
  }
  return { before, after: dietSettings(db) };
}

/** The renewal deadline of a school year: the deadline's day in the calendar year the school year starts. */
export function renewalDeadlineOf(yearStartsOn: string, s: DietSettings): string {
  return `${yearStartsOn.slice(0, 4)}-${s.renewalDeadline}`;
}

/** The last day certificates of a school year are kept: its end plus the retention months. */
export function retentionEndOf(yearEndsOn: string, months: number): string {
  const [y, m, d] = yearEndsOn.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
