/**
 * Suspension of the service (issue 11, rule D2): a recorded decision, never a status flip.
 *
 * A supervisor suspends some pupils of a family (payer, municipality) from a start date, with a
 * reason, following a formal notice delivered to that family. It is refused, with an Italian
 * message saying why, when:
 * - the municipality's regulation does not allow suspension (debt_settings);
 * - the family is exempt (followed by social services, debt_exemptions);
 * - the family owes nothing in that municipality today, or respects an instalment plan;
 * - no formal notice with delivery evidence (registered letter with return receipt, PEC) of the
 *   current debt was delivered to the family at least the notice's days to pay before the start;
 * - the start is in the past or on a day already closed (its meals are already recorded);
 * - a pupil has no active enrollment of that municipality paid by that family on the start date,
 *   or is already suspended.
 * From the start date no meal is booked; from the lift date bookings resume: the service calendar
 * reads the periods (PupilCalendar.day and its set-based twin attendance/bookings.ts), so day
 * close (also the catch-up close of missed days), the kitchen report, the presence history and the
 * cancellations follow. The kitchen and the schools only ever see "no meal" (D3).
 *
 * The enrollment's status mirrors the open decision for the office's lists: 'sospesa' (with the
 * start date) from the decision, 'attiva' again from the lift (the transitions table of
 * enrollments/service.ts names these two procedures). The calendar never reads that status.
 */
import { and, asc, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { DEBT_RECEIPT_CHANNELS, dayClosures, enrollments, municipalities, schools, schoolYears, classes, pupils, serviceSuspensions, users, type SuspensionLiftReason } from '../../db/schema';
import { invalid, notFound, type FieldIssue } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import type { Role } from '../contract/roles';
import { addDays, formatDateIt } from '../calendar/rome-time';
import { cutoffMoment } from '../calendar/cutoff';
import { assertTransition } from '../enrollments/service';
import type { Actor } from '../ledger/payments';
import { CHANNEL_LABELS, getLadder } from './ladder';
import { exemptPayers, openPlan, requireMunicipality, requirePayer } from './plans';
import { familyPosition } from './positions';
import { episodeSteps, familySteps, payerInfo, type StepRow } from './steps';

export const SUSPENSION_LIFT_LABELS: Record<SuspensionLiftReason, string> = {
  pagamento: 'Pagamento del debito',
  piano: 'Piano di rientro concordato',
  decisione: "Decisione dell'ufficio",
};

export const SUSPENSION_STATUSES = ['programmata', 'in_corso', 'revocata'] as const;
export type SuspensionStatus = (typeof SUSPENSION_STATUSES)[number];

const RECEIPT_CHANNELS: readonly string[] = DEBT_RECEIPT_CHANNELS;

/** "1 giorno", "15 giorni" */
const daysText = (n: number) => (n === 1 ? '1 giorno' : `${n} giorni`);

// ---------------------------------------------------------------------------------------------
// The notice a suspension follows
// ---------------------------------------------------------------------------------------------

export interface NoticeView {
  stepId: number;
  stepName: string;
  channel: string;
  channelLabel: string;
  reachedOn: string;
  deliveredOn: string | null;
  receiptNumber: string | null;
  daysToPay: number;
  /** the first day a suspension may start: delivery + days to pay (null: not delivered yet) */
  suspendableFrom: string | null;
}

function noticeOf(s: StepRow): NoticeView {
  return {
    stepId: s.id,
    stepName: s.stepName,
    channel: s.channel,
    channelLabel: CHANNEL_LABELS[s.channel],
    reachedOn: s.reachedOn,
    deliveredOn: s.deliveredOn,
    receiptNumber: s.receiptNumber,
    daysToPay: s.daysToPay,
    suspendableFrom: s.deliveredOn ? addDays(s.deliveredOn, s.daysToPay) : null,
  };
}

/** The formal notices (steps with delivery evidence) of the family's current debt, newest first. */
function currentNotices(db: AppDb, today: string, payerId: number, municipalityId: number, owed: ReturnType<typeof familyPosition>): NoticeView[] {
  return episodeSteps(familySteps(db, payerId, municipalityId), owed)
    .filter((s) => RECEIPT_CHANNELS.includes(s.channel))
    .map(noticeOf)
    .reverse();
}

// ---------------------------------------------------------------------------------------------
// Closed days: a suspension cannot start, nor be lifted, on a day whose meals are recorded
// ---------------------------------------------------------------------------------------------

/** The first day on or after `from` that the municipality has not closed yet (later days are never closed before earlier ones, except by a catch-up). */
export function firstOpenDay(db: AppDb, municipalityId: number, from: string): string {
  const last = db
    .select({ d: sql<string | null>`max(${dayClosures.date})` })
    .from(dayClosures)
    .where(and(eq(dayClosures.municipalityId, municipalityId), gte(dayClosures.date, from)))
    .get()?.d;
  return last ? addDays(last, 1) : from;
}

/**
 * The first day whose bookings a decision may still change at moment `now`: today until the
 * municipality's cutoff (after it the kitchen has today's list), then tomorrow; and never a day
 * already closed. `why` says, in Italian, why an earlier day is not possible.
 */
export function firstChangeableDay(db: AppDb, municipalityId: number, today: string, now: Date): { day: string; why: string } {
  const cutoff = db.select({ t: municipalities.cutoffTime }).from(municipalities).where(eq(municipalities.id, municipalityId)).get()?.t ?? '09:30';
  const afterCutoff = now.getTime() >= cutoffMoment(today, cutoff).getTime();
  const from = afterCutoff ? addDays(today, 1) : today;
  const day = firstOpenDay(db, municipalityId, from);
  const why =
    day > from
      ? `il ${formatDateIt(addDays(day, -1))} è già chiuso (pasti registrati)`
      : afterCutoff
        ? `l'orario limite di oggi (${cutoff.slice(0, 5)}) è passato e la cucina ha già l'elenco dei pasti`
        : '';
  return { day, why };
}

// ---------------------------------------------------------------------------------------------
// The check (also the preview the screen shows)
// ---------------------------------------------------------------------------------------------

export interface CandidatePupil {
  pupilId: number;
  pupilName: string;
  enrollmentId: number | null;
  schoolName: string;
  className: string | null;
  schoolYearLabel: string;
  /** why this pupil cannot be suspended from that date (null: it can) */
  problem: string | null;
  /** the open suspension of the pupil, if any */
  suspendedSince: string | null;
}

export interface SuspensionCheck {
  payerId: number;
  payerName: string;
  municipalityId: number;
  municipalityName: string;
  startsOn: string;
  allowed: boolean;
  /** why the family cannot be suspended from that date: Italian sentences, one per reason */
  problems: FieldIssue[];
  owedCents: number;
  /** the notice the suspension would follow (the latest delivered one whose days have passed) */
  notice: NoticeView | null;
  /** every formal notice of the current debt, newest first */
  notices: NoticeView[];
  /** the first date from which a suspension could start, as far as the notices and closed days say (null: none) */
  earliestStart: string | null;
  pupils: CandidatePupil[];
}

export interface CheckInput {
  payerId: number;
  municipalityId: number;
  startsOn: string;
  /** the notice to follow (default: the latest that qualifies) */
  noticeStepId?: number | null;
}

/** The pupils of the family in that municipality, with the enrollment covering `date` (or their latest one). */
function familyPupils(db: AppDb, payerId: number, municipalityId: number, date: string) {
  const rows = db
    .select({
      enrollmentId: enrollments.id,
      pupilId: enrollments.pupilId,
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      status: enrollments.status,
      startsOn: enrollments.startsOn,
      activatedOn: enrollments.activatedOn,
      withdrawnOn: enrollments.withdrawnOn,
      schoolName: schools.name,
      className: classes.name,
      schoolYearLabel: schoolYears.label,
      yearStartsOn: schoolYears.startsOn,
      yearEndsOn: schoolYears.endsOn,
    })
    .from(enrollments)
    .innerJoin(pupils, eq(pupils.id, enrollments.pupilId))
    .innerJoin(schools, eq(schools.id, enrollments.schoolId))
    .innerJoin(schoolYears, eq(schoolYears.id, enrollments.schoolYearId))
    .leftJoin(classes, eq(classes.id, enrollments.classId))
    .where(and(eq(enrollments.payerId, payerId), eq(schools.municipalityId, municipalityId)))
    .orderBy(desc(schoolYears.startsOn))
    .all();
  const byPupil = new Map<number, (typeof rows)[number]>();
  for (const r of rows) {
    const current = byPupil.get(r.pupilId);
    const covers = r.yearStartsOn <= date && r.yearEndsOn >= date;
    if (!current || (covers && !(current.yearStartsOn <= date && current.yearEndsOn >= date))) byPupil.set(r.pupilId, r);
  }
  return [...byPupil.values()].sort((a, b) => a.pupilName.localeCompare(b.pupilName, 'it'));
}

function openSuspensions(db: AppDb, pupilIds: number[]): Map<number, { id: number; startsOn: string }> {
  if (!pupilIds.length) return new Map();
  return new Map(
    db
      .select({ id: serviceSuspensions.id, pupilId: serviceSuspensions.pupilId, startsOn: serviceSuspensions.startsOn })
      .from(serviceSuspensions)
      .where(and(inArray(serviceSuspensions.pupilId, pupilIds), isNull(serviceSuspensions.liftedOn)))
      .all()
      .map((r) => [r.pupilId, { id: r.id, startsOn: r.startsOn }]),
  );
}

/** Can this family be suspended from `startsOn`, and if not, why (every reason, in Italian). */
export function checkSuspension(db: AppDb, today: string, input: CheckInput, now: Date): SuspensionCheck {
  const payer = requirePayer(db, input.payerId);
  requireMunicipality(db, input.municipalityId);
  const ladder = getLadder(db, input.municipalityId);
  const m = ladder.municipalityName;
  const problems: FieldIssue[] = [];
  const add = (path: string, message: string) => problems.push({ path: [path], message });

  if (!ladder.suspensionAllowed) add('municipalityId', `Il regolamento del comune di ${m} non consente la sospensione del servizio (impostazione della procedura di recupero)`);

  const exemption = [...exemptPayers(db, input.startsOn, [input.payerId]).values(), ...exemptPayers(db, today, [input.payerId]).values()][0];
  if (exemption) add('payerId', `La famiglia è seguita dai servizi sociali (esente dal ${formatDateIt(exemption.startsOn)}, rif. ${exemption.reference}): non può essere sospesa`);

  const position = familyPosition(db, today, input.payerId, input.municipalityId);
  if (position.owedCents <= 0) add('payerId', `La famiglia non ha debiti verso il servizio mensa di ${m}: non c'è motivo di sospendere`);
  const plan = openPlan(db, today, input.payerId, input.municipalityId);
  if (plan?.pausesLadder) add('payerId', `La famiglia rispetta il piano di rientro n. ${plan.id}: finché lo rispetta la procedura è in pausa`);

  // the notice
  const notices = position.owedCents > 0 ? currentNotices(db, today, input.payerId, input.municipalityId, position) : [];
  let notice: NoticeView | null = null;
  if (input.noticeStepId != null) {
    const chosen = notices.find((n) => n.stepId === input.noticeStepId);
    if (!chosen) add('noticeStepId', 'La diffida scelta non è una raccomandata A/R o una PEC del debito in corso di questa famiglia');
    else if (!chosen.deliveredOn) add('noticeStepId', `La diffida del ${formatDateIt(chosen.reachedOn)} non ha ancora la prova di consegna: registrarla prima di sospendere`);
    else if (chosen.suspendableFrom! > input.startsOn)
      add('startsOn', `La diffida è stata consegnata il ${formatDateIt(chosen.deliveredOn)} con ${daysText(chosen.daysToPay)} per pagare: la sospensione può iniziare al più presto il ${formatDateIt(chosen.suspendableFrom!)}`);
    else notice = chosen;
  } else {
    const delivered = notices.filter((n) => n.deliveredOn !== null);
    notice = delivered.find((n) => n.suspendableFrom! <= input.startsOn) ?? null;
    if (!notice) {
      if (delivered.length) {
        const first = [...delivered].sort((a, b) => a.suspendableFrom!.localeCompare(b.suspendableFrom!))[0];
        add('startsOn', `La diffida «${first.stepName}» è stata consegnata il ${formatDateIt(first.deliveredOn!)} con ${daysText(first.daysToPay)} per pagare: la sospensione può iniziare al più presto il ${formatDateIt(first.suspendableFrom!)}`);
      } else if (notices.length) {
        add('noticeStepId', `La diffida del ${formatDateIt(notices[0].reachedOn)} (${notices[0].channelLabel}) è in attesa della prova di consegna: si sospende solo dopo una diffida consegnata`);
      } else if (position.owedCents > 0) {
        add('noticeStepId', 'Alla famiglia non è stata consegnata una diffida (raccomandata A/R o PEC) per il debito in corso: la sospensione deve seguire una diffida consegnata');
      }
    }
  }

  // the date
  const { day: open, why } = firstChangeableDay(db, input.municipalityId, today, now);
  if (input.startsOn < today) add('startsOn', 'La sospensione non può iniziare nel passato');
  else if (input.startsOn < open) add('startsOn', `${why.charAt(0).toUpperCase()}${why.slice(1)}: la sospensione può iniziare dal ${formatDateIt(open)}`);

  const from = notices.map((n) => n.suspendableFrom).filter((d): d is string => d !== null).sort()[0];
  const earliestStart = from === undefined ? null : from > open ? from : open;

  // the pupils
  const found = familyPupils(db, input.payerId, input.municipalityId, input.startsOn);
  const openNow = openSuspensions(db, found.map((p) => p.pupilId));
  const candidates: CandidatePupil[] = found.map((e) => {
    const suspendedSince = openNow.get(e.pupilId)?.startsOn ?? null;
    let problem: string | null = null;
    if (suspendedSince) problem = `Già sospeso dal ${formatDateIt(suspendedSince)}`;
    else if (!(e.yearStartsOn <= input.startsOn && e.yearEndsOn >= input.startsOn)) problem = `Nessuna iscrizione per l'anno scolastico del ${formatDateIt(input.startsOn)}`;
    else if (e.status === 'bozza' || e.activatedOn === null) problem = "L'iscrizione è in bozza: non è attiva";
    else if (e.status === 'ritirata' || (e.withdrawnOn !== null && e.withdrawnOn <= input.startsOn)) problem = `Ritirato dal servizio${e.withdrawnOn ? ` dal ${formatDateIt(e.withdrawnOn)}` : ''}`;
    else if (e.status !== 'attiva') problem = "L'iscrizione non è attiva";
    return { pupilId: e.pupilId, pupilName: e.pupilName, enrollmentId: e.enrollmentId, schoolName: e.schoolName, className: e.className, schoolYearLabel: e.schoolYearLabel, problem, suspendedSince };
  });
  if (!candidates.some((c) => c.problem === null)) add('pupilIds', `La famiglia non ha alunni con un'iscrizione attiva del comune di ${m} al ${formatDateIt(input.startsOn)}`);

  return {
    payerId: input.payerId,
    payerName: `${payer.lastName} ${payer.firstName}`,
    municipalityId: input.municipalityId,
    municipalityName: m,
    startsOn: input.startsOn,
    allowed: problems.length === 0,
    problems,
    owedCents: position.owedCents,
    notice,
    notices,
    earliestStart,
    pupils: candidates,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export interface SuspensionView {
  id: number;
  enrollmentId: number;
  pupilId: number;
  pupilName: string;
  schoolName: string;
  className: string | null;
  schoolYearLabel: string;
  payerId: number;
  payerName: string;
  municipalityId: number;
  municipalityName: string;
  startsOn: string;
  reason: string;
  origin: 'decisione' | 'pregressa';
  notice: NoticeView | null;
  decidedAt: string;
  decidedBy: string | null;
  liftedOn: string | null;
  liftReason: SuspensionLiftReason | null;
  liftNote: string | null;
  liftedAt: string | null;
  liftedBy: string | null;
  status: SuspensionStatus;
}

export interface SuspensionFilter {
  payerId?: number;
  municipalityId?: number;
  pupilId?: number;
  /** only those not lifted yet, or whose lift is still ahead */
  currentOnly?: boolean;
}

export function statusOf(s: { startsOn: string; liftedOn: string | null }, today: string): SuspensionStatus {
  // lifted: from its lift date, or at once when lifted before it started (no day suspended)
  if (s.liftedOn !== null && (s.liftedOn <= today || s.liftedOn <= s.startsOn)) return 'revocata';
  return s.startsOn > today ? 'programmata' : 'in_corso';
}

export function listSuspensions(db: AppDb, today: string, f: SuspensionFilter = {}): SuspensionView[] {
  const rows = db
    .select({
      s: serviceSuspensions,
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      schoolName: schools.name,
      className: classes.name,
      schoolYearLabel: schoolYears.label,
      municipalityName: sql<string>`(SELECT name FROM municipalities WHERE id = ${serviceSuspensions.municipalityId})`,
    })
    .from(serviceSuspensions)
    .innerJoin(enrollments, eq(enrollments.id, serviceSuspensions.enrollmentId))
    .innerJoin(pupils, eq(pupils.id, serviceSuspensions.pupilId))
    .innerJoin(schools, eq(schools.id, enrollments.schoolId))
    .innerJoin(schoolYears, eq(schoolYears.id, enrollments.schoolYearId))
    .leftJoin(classes, eq(classes.id, enrollments.classId))
    .where(
      and(
        f.payerId !== undefined ? eq(serviceSuspensions.payerId, f.payerId) : undefined,
        f.municipalityId !== undefined ? eq(serviceSuspensions.municipalityId, f.municipalityId) : undefined,
        f.pupilId !== undefined ? eq(serviceSuspensions.pupilId, f.pupilId) : undefined,
        f.currentOnly ? sql`(${serviceSuspensions.liftedOn} IS NULL OR (${serviceSuspensions.liftedOn} > ${today} AND ${serviceSuspensions.liftedOn} > ${serviceSuspensions.startsOn}))` : undefined,
      ),
    )
    .orderBy(desc(serviceSuspensions.startsOn), asc(pupils.lastName), desc(serviceSuspensions.id))
    .all();
  const payerNames = payerInfo(db, [...new Set(rows.map((r) => r.s.payerId))]);
  const userIds = [...new Set(rows.flatMap((r) => [r.s.decidedBy, r.s.liftedBy]).filter((x): x is number => x !== null))];
  const userNames = new Map(userIds.length ? db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds)).all().map((u) => [u.id, u.name]) : []);
  const stepIds = [...new Set(rows.map((r) => r.s.noticeStepId).filter((x): x is number => x !== null))];
  const notices = new Map<number, NoticeView>();
  for (const payerId of new Set(rows.filter((r) => r.s.noticeStepId !== null).map((r) => r.s.payerId))) {
    for (const step of familySteps(db, payerId)) if (stepIds.includes(step.id)) notices.set(step.id, noticeOf(step));
  }
  return rows.map(({ s, ...r }) => ({
    id: s.id,
    enrollmentId: s.enrollmentId,
    pupilId: s.pupilId,
    pupilName: r.pupilName,
    schoolName: r.schoolName,
    className: r.className,
    schoolYearLabel: r.schoolYearLabel,
    payerId: s.payerId,
    payerName: payerNames.get(s.payerId)?.name ?? '',
    municipalityId: s.municipalityId,
    municipalityName: r.municipalityName,
    startsOn: s.startsOn,
    reason: s.reason,
    origin: s.origin,
    notice: s.noticeStepId !== null ? (notices.get(s.noticeStepId) ?? null) : null,
    decidedAt: s.decidedAt,
    decidedBy: s.decidedBy !== null ? (userNames.get(s.decidedBy) ?? null) : null,
    liftedOn: s.liftedOn,
    liftReason: s.liftReason,
    liftNote: s.liftNote,
    liftedAt: s.liftedAt,
    liftedBy: s.liftedBy !== null ? (userNames.get(s.liftedBy) ?? null) : null,
    status: statusOf(s, today),
  }));
}

export function getSuspension(db: AppDb, today: string, id: number): SuspensionView {
  const found = db.select({ pupilId: serviceSuspensions.pupilId }).from(serviceSuspensions).where(eq(serviceSuspensions.id, id)).get();
  const view = found ? listSuspensions(db, today, { pupilId: found.pupilId }).find((s) => s.id === id) : undefined;
  if (!view) throw notFound('Sospensione');
  return view;
}

// ---------------------------------------------------------------------------------------------
// Deciding and lifting
// ---------------------------------------------------------------------------------------------

export interface CreateInput extends CheckInput {
  pupilIds: number[];
  reason: string;
}

type Who = Actor & { role: Role; procedure: string };

/** Records the decision for each pupil chosen, all or nothing. Returns the new suspensions. */
export function createSuspensions(db: AppDb, today: string, input: CreateInput, who: Who): SuspensionView[] {
  const check = checkSuspension(db, today, input, who.at);
  const issues = [...check.problems];
  const wanted = [...new Set(input.pupilIds)];
  wanted.forEach((pupilId, k) => {
    const p = check.pupils.find((c) => c.pupilId === pupilId);
    if (!p) issues.push({ path: ['pupilIds', k], message: `L'alunno non è un figlio di questa famiglia iscritto nel comune di ${check.municipalityName}` });
    else if (p.problem) issues.push({ path: ['pupilIds', k], message: `${p.pupilName}: ${p.problem.charAt(0).toLowerCase()}${p.problem.slice(1)}` });
  });
  if (issues.length) throw invalid(issues, `Sospensione non possibile: ${issues.map((i) => i.message).join('; ')}`);
  const at = who.at.toISOString();
  const ids: number[] = [];
  for (const pupilId of wanted) {
    const p = check.pupils.find((c) => c.pupilId === pupilId)!;
    const enrollment = db.select().from(enrollments).where(eq(enrollments.id, p.enrollmentId!)).get()!;
    assertTransition(enrollment.status, 'sospesa', who.procedure, who.role);
    const row = db
      .insert(serviceSuspensions)
      .values({
        enrollmentId: enrollment.id,
        pupilId,
        payerId: input.payerId,
        municipalityId: input.municipalityId,
        startsOn: input.startsOn,
        reason: input.reason,
        origin: 'decisione',
        noticeStepId: check.notice!.stepId,
        decidedAt: at,
        decidedBy: who.userId,
      })
      .returning({ id: serviceSuspensions.id })
      .get();
    db.update(enrollments).set({ status: 'sospesa', suspendedOn: input.startsOn, updatedAt: at, version: nextVersion(enrollments.version) }).where(eq(enrollments.id, enrollment.id)).run();
    ids.push(row.id);
  }
  return ids.map((id) => getSuspension(db, today, id));
}

export interface LiftInput {
  suspensionIds: number[];
  /** the first day with meals booked again (default: today, or the first day not closed yet) */
  liftedOn?: string;
  reason: SuspensionLiftReason;
  note: string;
}

/** Lifts suspensions (once each): from `liftedOn` meals are booked again. All or nothing. */
export function liftSuspensions(db: AppDb, today: string, input: LiftInput, who: Who): { before: SuspensionView[]; after: SuspensionView[] } {
  const rows = db.select().from(serviceSuspensions).where(inArray(serviceSuspensions.id, [...new Set(input.suspensionIds)])).all();
  if (rows.length !== new Set(input.suspensionIds).size) throw notFound('Sospensione');
  const issues: FieldIssue[] = [];
  const at = who.at.toISOString();
  const before = rows.map((r) => getSuspension(db, today, r.id));
  const plan: { row: (typeof rows)[number]; liftedOn: string }[] = [];
  for (const r of rows) {
    const name = before.find((b) => b.id === r.id)!.pupilName;
    if (r.liftedOn !== null) {
      issues.push({ path: ['suspensionIds'], message: `${name}: la sospensione è già revocata dal ${formatDateIt(r.liftedOn)}` });
      continue;
    }
    const { day: open, why } = firstChangeableDay(db, r.municipalityId, today, who.at);
    const liftedOn = input.liftedOn ?? [open, r.startsOn].sort()[1];
    if (liftedOn < r.startsOn) issues.push({ path: ['liftedOn'], message: `${name}: la revoca non può precedere l'inizio della sospensione (${formatDateIt(r.startsOn)})` });
    else if (liftedOn < today) issues.push({ path: ['liftedOn'], message: 'La revoca non può essere retroattiva: i giorni passati sono rimasti senza pasto' });
    else if (liftedOn < open) issues.push({ path: ['liftedOn'], message: `${why.charAt(0).toUpperCase()}${why.slice(1)}: i pasti possono riprendere dal ${formatDateIt(open)}` });
    else plan.push({ row: r, liftedOn });
  }
  if (issues.length) throw invalid(issues, `Revoca non possibile: ${[...new Set(issues.map((i) => i.message))].join('; ')}`);
  for (const { row, liftedOn } of plan) {
    db.update(serviceSuspensions)
      .set({ liftedOn, liftReason: input.reason, liftNote: input.note, liftedAt: at, liftedBy: who.userId })
      .where(eq(serviceSuspensions.id, row.id))
      .run();
    const enrollment = db.select().from(enrollments).where(eq(enrollments.id, row.enrollmentId)).get()!;
    if (enrollment.status === 'sospesa') {
      assertTransition('sospesa', 'attiva', who.procedure, who.role);
      db.update(enrollments).set({ status: 'attiva', suspendedOn: null, updatedAt: at, version: nextVersion(enrollments.version) }).where(eq(enrollments.id, enrollment.id)).run();
    }
  }
  return { before, after: rows.map((r) => getSuspension(db, today, r.id)) };
}
