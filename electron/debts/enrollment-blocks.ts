/**
 * Refusal of next year's enrollment to families with debts (issue 11, D2), only where the
 * municipality's regulation says so (debt_settings.enrollment_refusal_allowed).
 *
 * Enrolling a pupil (creating, renewing or activating an enrollment) for a school year that has not
 * started yet is blocked when the enrollment's payer owes something to that municipality's service
 * today (the debt position, computed from the ledger: positions.ts). Families followed by social
 * services (exempt) are never blocked. A supervisor lifts the block for one family and school year
 * with a reason (enrollment_block_waivers, audited); a debt paid lifts it by itself.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { debtSettings, enrollmentBlockWaivers, payers, schools, schoolYears, users } from '../../db/schema';
import { conflict, invalidField } from '../contract/errors';
import { euro } from '../documents/format';
import type { Actor } from '../ledger/payments';
import { exemptPayers, requireMunicipality, requirePayer } from './plans';
import { familyPositions } from './positions';
import { municipalityNames } from './steps';

export interface WaiverView {
  id: number;
  payerId: number;
  municipalityId: number;
  schoolYearId: number;
  reason: string;
  grantedAt: string;
  grantedBy: string | null;
}

export interface BlockedFamily {
  payerId: number;
  payerName: string;
  payerTaxCode: string;
  municipalityId: number;
  municipalityName: string;
  schoolYearId: number;
  schoolYearLabel: string;
  owedCents: number;
  /** the refusal, in Italian (what renewal and enrollment show) */
  message: string;
  /** the supervisor's waiver, when the block is lifted */
  waiver: WaiverView | null;
}

function refusingMunicipalities(db: AppDb): Set<number> {
  return new Set(db.select({ id: debtSettings.municipalityId }).from(debtSettings).where(eq(debtSettings.enrollmentRefusalAllowed, true)).all().map((r) => r.id));
}

function waivers(db: AppDb, schoolYearId: number, payerIds?: number[]): Map<string, WaiverView> {
  const rows = db
    .select({ w: enrollmentBlockWaivers, grantedBy: users.displayName })
    .from(enrollmentBlockWaivers)
    .leftJoin(users, eq(users.id, enrollmentBlockWaivers.grantedBy))
    .where(and(eq(enrollmentBlockWaivers.schoolYearId, schoolYearId), payerIds ? inArray(enrollmentBlockWaivers.payerId, payerIds.length ? payerIds : [-1]) : undefined))
    .all();
  return new Map(rows.map(({ w, grantedBy }) => [`${w.payerId}/${w.municipalityId}`, { id: w.id, payerId: w.payerId, municipalityId: w.municipalityId, schoolYearId: w.schoolYearId, reason: w.reason, grantedAt: w.grantedAt, grantedBy }]));
}

/**
 * The families blocked from enrolling for `schoolYearId` (waived ones included, with their waiver),
 * optionally only some payers or one municipality. Empty when the year has already started.
 */
export function blockedFamilies(db: AppDb, today: string, schoolYearId: number, f: { payerIds?: number[]; municipalityId?: number } = {}): BlockedFamily[] {
  const year = db.select().from(schoolYears).where(eq(schoolYears.id, schoolYearId)).get();
  if (!year || year.startsOn <= today) return [];
  const refusing = refusingMunicipalities(db);
  if (f.municipalityId !== undefined) for (const m of [...refusing]) if (m !== f.municipalityId) refusing.delete(m);
  if (!refusing.size) return [];
  const positions = [...refusing].flatMap((municipalityId) =>
    familyPositions(db, today, { municipalityId, ...(f.payerIds?.length === 1 ? { payerId: f.payerIds[0] } : {}) }).filter((p) => p.owedCents > 0 && (!f.payerIds || f.payerIds.includes(p.payerId))),
  );
  if (!positions.length) return [];
  const payerIds = [...new Set(positions.map((p) => p.payerId))];
  const exempt = exemptPayers(db, today, payerIds);
  const waived = waivers(db, schoolYearId, payerIds);
  const names = municipalityNames(db);
  const info = new Map(db.select({ id: payers.id, name: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`, taxCode: payers.taxCode }).from(payers).where(inArray(payers.id, payerIds)).all().map((p) => [p.id, p]));
  return positions
    .filter((p) => !exempt.has(p.payerId))
    .map((p) => {
      const payerName = info.get(p.payerId)?.name ?? '';
      const m = names.get(p.municipalityId) ?? '';
      return {
        payerId: p.payerId,
        payerName,
        payerTaxCode: info.get(p.payerId)?.taxCode ?? '',
        municipalityId: p.municipalityId,
        municipalityName: m,
        schoolYearId,
        schoolYearLabel: year.label,
        owedCents: p.owedCents,
        message: `Iscrizione all'anno ${year.label} non consentita: la famiglia ${payerName} ha un debito di ${euro(p.owedCents)} verso il servizio mensa di ${m} e il regolamento del comune nega l'iscrizione finché non è saldato (un supervisore può concedere una deroga)`,
        waiver: waived.get(`${p.payerId}/${p.municipalityId}`) ?? null,
      };
    })
    .sort((a, b) => a.payerName.localeCompare(b.payerName, 'it'));
}

/** The refusal for one enrollment (payer, school, school year), or null when it may go ahead. */
export function enrollmentRefusal(db: AppDb, today: string, e: { payerId: number; schoolId: number; schoolYearId: number }): string | null {
  const school = db.select({ municipalityId: schools.municipalityId }).from(schools).where(eq(schools.id, e.schoolId)).get();
  if (!school || !refusingMunicipalities(db).has(school.municipalityId)) return null;
  const block = blockedFamilies(db, today, e.schoolYearId, { payerIds: [e.payerId], municipalityId: school.municipalityId })[0];
  return block && !block.waiver ? block.message : null;
}

/** Throws the refusal on the payer field (enrollments.create, update, activate). */
export function assertEnrollmentAllowed(db: AppDb, today: string, e: { payerId: number; schoolId: number; schoolYearId: number }, field = 'payerId'): void {
  const refusal = enrollmentRefusal(db, today, e);
  if (refusal) throw invalidField(field, refusal);
}

/**
 * Renewal: the refusals of many enrollments at once, keyed by the source enrollment's id (one
 * position computation per municipality, not per family).
 */
export function renewalRefusals(db: AppDb, today: string, schoolYearId: number, list: { id: number; payerId: number; schoolId: number }[]): Map<number, string> {
  const out = new Map<number, string>();
  if (!list.length || !refusingMunicipalities(db).size) return out;
  const blocks = new Map(blockedFamilies(db, today, schoolYearId).filter((b) => !b.waiver).map((b) => [`${b.payerId}/${b.municipalityId}`, b.message]));
  if (!blocks.size) return out;
  const municipalityOf = new Map(db.select({ id: schools.id, m: schools.municipalityId }).from(schools).all().map((s) => [s.id, s.m]));
  for (const e of list) {
    const message = blocks.get(`${e.payerId}/${municipalityOf.get(e.schoolId)}`);
    if (message) out.set(e.id, message);
  }
  return out;
}

export function waiveBlock(db: AppDb, today: string, input: { payerId: number; municipalityId: number; schoolYearId: number; reason: string }, actor: Actor): BlockedFamily {
  requirePayer(db, input.payerId);
  requireMunicipality(db, input.municipalityId);
  const year = db.select().from(schoolYears).where(eq(schoolYears.id, input.schoolYearId)).get();
  if (!year) throw invalidField('schoolYearId', 'Anno scolastico inesistente');
  const block = blockedFamilies(db, today, input.schoolYearId, { payerIds: [input.payerId], municipalityId: input.municipalityId })[0];
  if (!block) throw conflict(`La famiglia non ha un diniego dell'iscrizione all'anno ${year.label} in questo comune: non serve una deroga`, 'payerId');
  if (block.waiver) throw conflict(`Deroga già concessa il ${block.waiver.grantedAt.slice(0, 10).split('-').reverse().join('/')}`, 'payerId');
  db.insert(enrollmentBlockWaivers)
    .values({ payerId: input.payerId, municipalityId: input.municipalityId, schoolYearId: input.schoolYearId, reason: input.reason, grantedAt: actor.at.toISOString(), grantedBy: actor.userId })
    .run();
  return blockedFamilies(db, today, input.schoolYearId, { payerIds: [input.payerId], municipalityId: input.municipalityId })[0];
}
