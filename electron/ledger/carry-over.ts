/**
 * P3: at the end of a school year the residual credit of every account (and a debt too) moves to
 * the same pupil's account of the same service in the next school year, by one pair of entries
 * that sums to zero (the database checks the pair). Idempotent: an account already at zero has
 * nothing to carry; an entry that reaches the old account later (a late correction) is carried by
 * the next run.
 */
import { eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { schoolYears } from '../../db/schema';
import { conflict, invalidField } from '../contract/errors';
import { romeDateOf } from '../calendar/rome-time';
import { accountFor, postEntry } from './entries';
import type Database from 'better-sqlite3';
import { formatDateIt } from '../contract/vocabulary/dates';

export interface CarryOverResult {
  fromYear: string;
  toYear: string;
  accounts: number;
  creditCents: number;
  debtCents: number;
}

export function carryOver(
  db: AppDb,
  sqlite: Database.Database,
  input: { fromSchoolYearId: number; toSchoolYearId: number },
  actor: { userId: number | null; at: Date },
): CarryOverResult {
  const from = db.select().from(schoolYears).where(eq(schoolYears.id, input.fromSchoolYearId)).get();
  const to = db.select().from(schoolYears).where(eq(schoolYears.id, input.toSchoolYearId)).get();
  if (!from) throw invalidField('fromSchoolYearId', 'Anno scolastico di partenza inesistente');
  if (!to) throw invalidField('toSchoolYearId', 'Anno scolastico di arrivo inesistente');
  if (to.startsOn <= from.startsOn) throw invalidField('toSchoolYearId', `Il riporto va verso un anno successivo al ${from.label}`);
  const today = romeDateOf(actor.at);
  if (today <= from.endsOn) throw conflict(`Il riporto del ${from.label} si fa dopo la fine dell'anno scolastico (${formatDateIt(from.endsOn)})`);
  const open = sqlite
    .prepare('SELECT id, pupil_id AS pupilId, service, balance_cents AS balance FROM ledger_accounts WHERE school_year_id = ? AND balance_cents <> 0 ORDER BY id')
    .all(from.id) as { id: number; pupilId: number; service: string; balance: number }[];
  let creditCents = 0;
  let debtCents = 0;
  for (const a of open) {
    const target = accountFor(db, { pupilId: a.pupilId, service: a.service, schoolYearId: to.id }, actor.at);
    const out = postEntry(db, {
      accountId: a.id,
      kind: 'riporto_uscita',
      amountCents: -a.balance,
      bookedOn: today,
      reason: `Riporto al ${to.label}`,
      createdBy: actor.userId,
      at: actor.at,
    });
    postEntry(db, {
      accountId: target,
      kind: 'riporto_entrata',
      amountCents: a.balance,
      bookedOn: today,
      counterpartId: out.id,
      reason: `Riporto dal ${from.label}`,
      createdBy: actor.userId,
      at: actor.at,
    });
    if (a.balance > 0) creditCents += a.balance;
    else debtCents -= a.balance;
  }
  return { fromYear: from.label, toYear: to.label, accounts: open.length, creditCents, debtCents };
}
