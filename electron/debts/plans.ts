/**
 * Instalment plans and exemptions (issue 11).
 *
 * A plan is a list of instalments (amount, due date) agreed with a family in one municipality.
 * Whether it is respected is computed from the ledger, never ticked by hand: the money the family
 * paid for its pupils from the plan's start (top-ups, payments, SDD collections, net of reversals,
 * returns and refunds) must reach, by each instalment's due date, the sum of the instalments due
 * so far. While it does, the ladder pauses; the first instalment missed resumes it (the plan is then
 * "non rispettato" for good: the office cancels it and may agree a new one).
 *
 * An exemption flags a family followed by social services (supervisor, reason, reference). It is
 * shown in the worklist and stops suspension (D2, built later); reminders still go out.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { debtExemptions, debtPlanInstalments, debtPlans, municipalities, payers } from '../../db/schema';
import { conflict, invalid, invalidField, notFound, type FieldIssue } from '../contract/errors';
import { formatDateIt } from '../calendar/rome-time';
import type { Actor } from '../ledger/payments';

export const PLAN_STATUSES = ['rispettato', 'non_rispettato', 'completato', 'annullato'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export function requirePayer(db: AppDb, payerId: number, field = 'payerId') {
  const p = db.select().from(payers).where(eq(payers.id, payerId)).get();
  if (!p) throw invalidField(field, 'Pagante inesistente');
  return p;
}

export function requireMunicipality(db: AppDb, municipalityId: number, field = 'municipalityId') {
  const m = db.select().from(municipalities).where(eq(municipalities.id, municipalityId)).get();
  if (!m) throw invalidField(field, 'Comune inesistente');
  return m;
}

/** Money received for a payer's pupils (net), as dated movements, from `from` on. */
function moneyIn(db: AppDb, payerId: number, municipalityId: number, from: string): { on: string; cents: number }[] {
  return db.all<{ on: string; cents: number }>(sql`
    SELECT le.booked_on AS "on", sum(le.amount_cents) AS cents
    FROM ledger_entries le JOIN ledger_accounts a ON a.id = le.account_id
    WHERE le.kind IN ('ricarica', 'pagamento', 'incasso_sdd', 'storno_pagamento', 'insoluto', 'rimborso') AND le.booked_on >= ${from}
      AND a.pupil_id IN (SELECT e.pupil_id FROM enrollments e JOIN schools s ON s.id = e.school_id WHERE e.payer_id = ${payerId} AND s.municipality_id = ${municipalityId})
    GROUP BY le.booked_on ORDER BY le.booked_on`);
}

export interface PlanView {
  id: number;
  payerId: number;
  municipalityId: number;
  startsOn: string;
  note: string;
  createdAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  instalments: { seq: number; dueOn: string; amountCents: number; paid: boolean }[];
  totalCents: number;
  paidCents: number;
  status: PlanStatus;
  /** the first instalment missed, when the plan is not respected */
  missedSeq: number | null;
  /** the ladder waits while this is true */
  pausesLadder: boolean;
}

function viewOf(db: AppDb, plan: typeof debtPlans.$inferSelect, today: string): PlanView {
  const inst = db.select().from(debtPlanInstalments).where(eq(debtPlanInstalments.planId, plan.id)).orderBy(asc(debtPlanInstalments.seq)).all();
  const money = moneyIn(db, plan.payerId, plan.municipalityId, plan.startsOn);
  const paidBy = (date: string) => money.filter((m) => m.on <= date).reduce((s, m) => s + m.cents, 0);
  const paidCents = paidBy(today);
  let due = 0;
  let missedSeq: number | null = null;
  const instalments = inst.map((i) => {
    due += i.amountCents;
    const paid = paidCents >= due;
    if (missedSeq === null && i.dueOn < today && paidBy(i.dueOn) < due) missedSeq = i.seq;
    return { seq: i.seq, dueOn: i.dueOn, amountCents: i.amountCents, paid };
  });
  const totalCents = due;
  const status: PlanStatus = plan.cancelledAt ? 'annullato' : missedSeq !== null ? 'non_rispettato' : paidCents >= totalCents ? 'completato' : 'rispettato';
  return {
    id: plan.id,
    payerId: plan.payerId,
    municipalityId: plan.municipalityId,
    startsOn: plan.startsOn,
    note: plan.note,
    createdAt: plan.createdAt,
    cancelledAt: plan.cancelledAt,
    cancelReason: plan.cancelReason,
    instalments,
    totalCents,
    paidCents,
    status,
    missedSeq,
    pausesLadder: status === 'rispettato' || status === 'completato',
  };
}

export function listPlans(db: AppDb, today: string, f: { payerId?: number; municipalityId?: number; openOnly?: boolean } = {}): PlanView[] {
  const rows = db
    .select()
    .from(debtPlans)
    .where(
      and(
        f.payerId !== undefined ? eq(debtPlans.payerId, f.payerId) : undefined,
        f.municipalityId !== undefined ? eq(debtPlans.municipalityId, f.municipalityId) : undefined,
        f.openOnly ? isNull(debtPlans.cancelledAt) : undefined,
      ),
    )
    .orderBy(desc(debtPlans.id))
    .all();
  return rows.map((p) => viewOf(db, p, today));
}

/** The open plan of a family, if any. */
export function openPlan(db: AppDb, today: string, payerId: number, municipalityId: number): PlanView | null {
  return listPlans(db, today, { payerId, municipalityId, openOnly: true })[0] ?? null;
}

export interface PlanInput {
  payerId: number;
  municipalityId: number;
  startsOn: string;
  note: string;
  instalments: { dueOn: string; amountCents: number }[];
}

export function createPlan(db: AppDb, input: PlanInput, today: string, actor: Actor): PlanView {
  requirePayer(db, input.payerId);
  requireMunicipality(db, input.municipalityId);
  const issues: FieldIssue[] = [];
  input.instalments.forEach((i, k) => {
    if (i.dueOn < input.startsOn) issues.push({ path: ['instalments', k, 'dueOn'], message: `La rata scade prima dell'inizio del piano (${formatDateIt(input.startsOn)})` });
    const prev = input.instalments[k - 1];
    if (prev && i.dueOn <= prev.dueOn) issues.push({ path: ['instalments', k, 'dueOn'], message: 'Le rate vanno in ordine di scadenza, una per data' });
  });
  if (issues.length) throw invalid(issues);
  const existing = openPlan(db, today, input.payerId, input.municipalityId);
  if (existing) throw conflict(`La famiglia ha già un piano di rientro aperto (n. ${existing.id}): annullarlo prima di registrarne uno nuovo`, 'payerId');
  const plan = db
    .insert(debtPlans)
    .values({ payerId: input.payerId, municipalityId: input.municipalityId, startsOn: input.startsOn, note: input.note, createdAt: actor.at.toISOString(), createdBy: actor.userId })
    .returning()
    .get();
  input.instalments.forEach((i, k) => db.insert(debtPlanInstalments).values({ planId: plan.id, seq: k + 1, dueOn: i.dueOn, amountCents: i.amountCents }).run());
  return viewOf(db, plan, today);
}

export function cancelPlan(db: AppDb, planId: number, reason: string, today: string, actor: Actor): { before: PlanView; after: PlanView } {
  const plan = db.select().from(debtPlans).where(eq(debtPlans.id, planId)).get();
  if (!plan) throw notFound('Piano di rientro');
  if (plan.cancelledAt) throw conflict('Il piano di rientro è già annullato');
  const before = viewOf(db, plan, today);
  const after = db.update(debtPlans).set({ cancelledAt: actor.at.toISOString(), cancelledBy: actor.userId, cancelReason: reason }).where(eq(debtPlans.id, planId)).returning().get();
  return { before, after: viewOf(db, after, today) };
}

// ---------------------------------------------------------------------------------------------
// Exemptions
// ---------------------------------------------------------------------------------------------

export type ExemptionRow = typeof debtExemptions.$inferSelect;

export function listExemptions(db: AppDb, f: { payerId?: number; activeOn?: string } = {}): (ExemptionRow & { payerName: string; payerTaxCode: string })[] {
  return db
    .select({ e: debtExemptions, payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`, payerTaxCode: payers.taxCode })
    .from(debtExemptions)
    .innerJoin(payers, eq(payers.id, debtExemptions.payerId))
    .where(
      and(
        f.payerId !== undefined ? eq(debtExemptions.payerId, f.payerId) : undefined,
        f.activeOn !== undefined ? sql`${debtExemptions.startsOn} <= ${f.activeOn} AND (${debtExemptions.endedOn} IS NULL OR ${debtExemptions.endedOn} > ${f.activeOn})` : undefined,
      ),
    )
    .orderBy(desc(debtExemptions.id))
    .all()
    .map((r) => ({ ...r.e, payerName: r.payerName, payerTaxCode: r.payerTaxCode }));
}

/** The payers exempt on `date`, among `payerIds` (all when omitted). */
export function exemptPayers(db: AppDb, date: string, payerIds?: number[]): Map<number, ExemptionRow> {
  const rows = db
    .select()
    .from(debtExemptions)
    .where(
      and(
        sql`${debtExemptions.startsOn} <= ${date} AND (${debtExemptions.endedOn} IS NULL OR ${debtExemptions.endedOn} > ${date})`,
        payerIds ? inArray(debtExemptions.payerId, payerIds.length ? payerIds : [-1]) : undefined,
      ),
    )
    .all();
  return new Map(rows.map((r) => [r.payerId, r]));
}

export function grantExemption(db: AppDb, input: { payerId: number; reason: string; reference: string; startsOn: string }, actor: Actor): ExemptionRow {
  requirePayer(db, input.payerId);
  const open = db.select().from(debtExemptions).where(and(eq(debtExemptions.payerId, input.payerId), isNull(debtExemptions.endedOn))).get();
  if (open) throw conflict(`La famiglia è già esente dal ${formatDateIt(open.startsOn)} (rif. ${open.reference})`, 'payerId');
  return db
    .insert(debtExemptions)
    .values({ payerId: input.payerId, reason: input.reason, reference: input.reference, startsOn: input.startsOn, grantedAt: actor.at.toISOString(), grantedBy: actor.userId })
    .returning()
    .get();
}

export function endExemption(db: AppDb, input: { exemptionId: number; endedOn: string; reason: string }, actor: Actor): { before: ExemptionRow; after: ExemptionRow } {
  const before = db.select().from(debtExemptions).where(eq(debtExemptions.id, input.exemptionId)).get();
  if (!before) throw notFound('Esenzione');
  if (before.endedOn) throw conflict(`L'esenzione è già chiusa dal ${formatDateIt(before.endedOn)}`);
  if (input.endedOn < before.startsOn) throw invalidField('endedOn', `La fine precede l'inizio dell'esenzione (${formatDateIt(before.startsOn)})`);
  const after = db
    .update(debtExemptions)
    .set({ endedOn: input.endedOn, endedAt: actor.at.toISOString(), endedBy: actor.userId, endReason: input.reason })
    .where(eq(debtExemptions.id, input.exemptionId))
    .returning()
    .get();
  return { before, after };
}
