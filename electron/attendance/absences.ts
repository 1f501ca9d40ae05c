/**
 * What families ask for (A2, A3, A4, A6): cancel a day, undo it, start a prolonged absence,
 * reactivate, ask for a plain meal; and the evidence of every request.
 *
 * Every request, accepted or not, leaves a row in `cancellation_attempts` (the "prova della
 * disdetta" the office prints for a family that disputes a charge). So a refusal for a business
 * rule (late, no service that day, outside the phone window…) is not an error: the request is
 * recorded and the result says `accepted: false` with the Italian message to read to the family.
 * Only malformed input (unknown pupil, bad date) is an error, and then nothing is recorded.
 *
 * The cutoff (A2) is judged on `actedAt`, the moment the family acted, in Rome time. A request that
 * was on time but reaches the office after the day was already closed (a late portal sync) is
 * honoured: the absence is recorded and the recorded meal is corrected (meal_corrections,
 * origin 'disdetta_in_tempo'), with a notice for the office.
 */
import type Database from 'better-sqlite3';
import { and, asc, desc, eq, gte, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { absences, ATTENDANCE_SOURCES, cancellationAttempts, dayClosures, pupils, settings, users } from '../../db/schema';
import { AppError, conflict, invalidField, notFound } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import type { AuditEntry } from '../contract/procedure';
import { describeCutoffRefusal, isBeforeCutoff, phoneCancellationTarget } from '../calendar/cutoff';
import { addDays, formatDateIt, isoWeekday, romeDateOf } from '../calendar/rome-time';
import { PHONE_HORIZON_DAYS, PupilCalendar, type PupilEnrollment } from '../calendar/service-calendar';
import { weekdayName } from '../contract/vocabulary/weekdays';
import { addNotice, correctPresence, dayClosure, effectiveDay, romeHm } from './day-close';

export type Source = (typeof ATTENDANCE_SOURCES)[number];
export const OUTCOMES = ['accettata', 'accettata_con_deroga', 'tardiva', 'rifiutata_non_servizio', 'rifiutata_fuori_orario', 'rifiutata', 'gia_registrata'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Declared once, in db/schema. */
export const ACTIONS = cancellationAttempts.action.enumValues;
export type Action = (typeof ACTIONS)[number];

export const SOURCE_LABELS: Record<Source, string> = { ufficio: 'Ufficio', portale: 'Portale Genitori', app: 'App', telefono: 'Telefono' };
export const OUTCOME_LABELS: Record<Outcome, string> = {
  accettata: 'Accettata',
  accettata_con_deroga: 'Accettata con deroga del supervisore',
  tardiva: 'Tardiva: non accettata',
  rifiutata_non_servizio: 'Rifiutata: giorno senza servizio',
  rifiutata_fuori_orario: 'Rifiutata: fuori orario telefonico',
  rifiutata: 'Rifiutata',
  gia_registrata: 'Già registrata',
};
export const ACTION_LABELS: Record<Action, string> = {
  disdetta: 'Disdetta del pasto',
  ripristino: 'Annullamento della disdetta',
  assenza_prolungata: 'Inizio assenza prolungata',
  riattivazione: 'Riattivazione',
  pasto_in_bianco: 'Pasto in bianco',
  annulla_pasto_in_bianco: 'Annullamento pasto in bianco',
};

/** Outcomes after which what the family asked for is in force. */
const IN_FORCE: ReadonlySet<Outcome> = new Set(['accettata', 'accettata_con_deroga', 'gia_registrata']);

export interface AttendanceEnv {
  db: AppDb;
  sqlite: Database.Database;
  now: Date;
  userId: number | null;
  audit(entry: AuditEntry): void;
}

export interface RequestMeta {
  source: Source;
  /** the moment the family acted (the cutoff is judged on it) */
  actedAt: Date;
  externalId: string | null;
  /** a supervisor's reason for accepting after the cutoff (A2 override); null for normal requests */
  overrideReason: string | null;
  /**
   * True when `actedAt` was typed by an office user and is earlier than the moment of recording
   * (a "backdated" request): the program cannot vouch for it, so it never makes a request on time
   * by itself once the cutoff has passed (issue 7). False when the program measured the moment
   * (now) or a channel with its own ids supplied it (the portal / app sync, later).
   */
  backdated: boolean;
  /** the caller may accept with a supervisor's override (decides how a backdated request is refused) */
  mayOverride: boolean;
}

export interface RequestResult {
  /** true iff what was asked is now in force (accepted now, with an override, or already so) */
  accepted: boolean;
  outcome: Outcome;
  message: string;
  /** the day the request applied to (for the phone rule, the day it landed on) */
  date: string | null;
  attemptId: number;
  absenceId: number | null;
  warnings: string[];
  /** true when the same external id was already received: nothing new was recorded */
  replayed: boolean;
}

const dayAndDate = (date: string) => `${weekdayName(isoWeekday(date))} ${formatDateIt(date)}`;
const momentIt = (at: Date | string) => `${formatDateIt(romeDateOf(at))} alle ${romeHm(at)}`;

function replay(env: AttendanceEnv, meta: RequestMeta): RequestResult | null {
  if (!meta.externalId) return null;
  const prev = env.db
    .select()
    .from(cancellationAttempts)
    .where(and(eq(cancellationAttempts.channel, meta.source), eq(cancellationAttempts.externalId, meta.externalId)))
    .get();
  if (!prev) return null;
  return {
    accepted: IN_FORCE.has(prev.outcome),
    outcome: prev.outcome,
    message: `Richiesta già ricevuta il ${momentIt(prev.recordedAt)}: ${prev.message}`,
    date: prev.targetDate,
    attemptId: prev.id,
    absenceId: prev.absenceId,
    warnings: [],
    replayed: true,
  };
}

/** An absence row's columns of the request: channel, moment, external id, the derogation's reason when one applied, who and when. */
function requestColumns(env: AttendanceEnv, meta: RequestMeta, override: boolean) {
  return {
    source: meta.source,
    actedAt: meta.actedAt.toISOString(),
    externalId: meta.externalId,
    overrideReason: override ? meta.overrideReason : null,
    createdBy: env.userId,
    createdAt: env.now.toISOString(),
  };
}

/** One request of a family or the office, as recorded: evidence of the attempt, whatever its outcome. */
export interface RecordedRequest {
  pupilId: number;
  action: Action;
  meta: RequestMeta;
  targetDate: string | null;
  outcome: Outcome;
  message: string;
  absenceId: number | null;
  warnings?: string[];
}

function record(env: AttendanceEnv, { pupilId, action, meta, targetDate, outcome, message, absenceId, warnings = [] }: RecordedRequest): RequestResult {
  const row = env.db
    .insert(cancellationAttempts)
    .values({
      pupilId,
      action,
      channel: meta.source,
      actedAt: meta.actedAt.toISOString(),
      recordedAt: env.now.toISOString(),
      targetDate,
      outcome,
      message,
      absenceId,
      overrideReason: outcome === 'accettata_con_deroga' ? meta.overrideReason : null,
      externalId: meta.externalId,
      userId: env.userId,
    })
    .returning({ id: cancellationAttempts.id })
    .get();
  env.audit({
    entity: 'richiesta_presenze',
    entityId: row.id,
    action: `${action}: ${outcome}`,
    after: { pupilId, targetDate, channel: meta.source, actedAt: meta.actedAt.toISOString(), outcome, absenceId, overrideReason: meta.overrideReason },
  });
  return { accepted: IN_FORCE.has(outcome), outcome, message, date: targetDate, attemptId: row.id, absenceId, warnings, replayed: false };
}

function assertPupil(db: AppDb, pupilId: number): void {
  if (!db.select({ id: pupils.id }).from(pupils).where(eq(pupils.id, pupilId)).get()) throw notFound('Alunno');
}

function activeDayAbsence(db: AppDb, pupilId: number, kind: 'giorno' | 'in_bianco', date: string) {
  return (
    db
      .select()
      .from(absences)
      .where(and(eq(absences.pupilId, pupilId), eq(absences.kind, kind), eq(absences.date, date), eq(absences.status, 'attiva')))
      .get() ?? null
  );
}

/** The prolonged absence in force on `date` (started on or before it, not reactivated by then). */
export function prolongedOn(db: AppDb, pupilId: number, date: string) {
  return (
    db
      .select()
      .from(absences)
      .where(
        and(
          eq(absences.pupilId, pupilId),
          eq(absences.kind, 'prolungata'),
          eq(absences.status, 'attiva'),
          lte(absences.date, date),
          sql`(${absences.reactivatedOn} IS NULL OR ${absences.reactivatedOn} > ${date})`,
        ),
      )
      .get() ?? null
  );
}

function openProlonged(db: AppDb, pupilId: number) {
  return (
    db
      .select()
      .from(absences)
      .where(and(eq(absences.pupilId, pupilId), eq(absences.kind, 'prolungata'), eq(absences.status, 'attiva'), isNull(absences.reactivatedOn)))
      .get() ?? null
  );
}

type Gate = { ok: true; override: boolean } | { ok: false; message: string };

/**
 * A2/A4: a request about `date` is on time iff made strictly before that day's cutoff. After it, a
 * supervisor may accept it with a reason, as long as the day is not closed yet (after the close,
 * presences are corrected, not cancelled).
 *
 * A backdated request (a moment typed by the office, earlier than now) whose typed moment is before
 * the cutoff but whose recording is after it is never on time (issue 7: an operator could have a
 * late cancellation accepted by typing a moment five minutes earlier): an operator is refused, a
 * supervisor accepts it only as an override with a reason, and then also on a day already closed
 * (the presence is corrected), since the supervisor answers for the family's moment.
 */
function cutoffGate(env: AttendanceEnv, meta: RequestMeta, e: PupilEnrollment, date: string, refusal: string): Gate {
  const claimedOnTime = isBeforeCutoff(meta.actedAt, date, e.cutoffTime);
  if (claimedOnTime && (!meta.backdated || isBeforeCutoff(env.now, date, e.cutoffTime))) return { ok: true, override: false };
  if (claimedOnTime) {
    if (meta.overrideReason) return { ok: true, override: true };
    const what = `Il momento indicato (${momentIt(meta.actedAt)}) è prima dell'orario limite delle ${e.cutoffTime} del ${formatDateIt(date)}, ma la richiesta è registrata dopo`;
    if (!meta.mayOverride) {
      throw new AppError('FORBIDDEN', `${what}: solo un supervisore può accettarla, come deroga con motivo`, [
        { path: ['actedAt'], message: "Momento precedente alla registrazione e oltre l'orario limite: serve un supervisore" },
      ]);
    }
    throw invalidField('override', `${what}: per accettarla indicare il motivo della deroga`);
  }
  if (meta.overrideReason) {
    if (dayClosure(env.db, e.municipalityId, date)) {
      throw conflict(
        `La giornata del ${formatDateIt(date)} è già chiusa: la deroga non si applica, correggere la presenza con una rettifica`,
        'date',
      );
    }
    return { ok: true, override: true };
  }
  return { ok: false, message: refusal };
}

/**
 * A request accepted on time but about a day already closed (the close runs at the cutoff, so this
 * happens only when the request reaches the office late, e.g. a portal sync): the recorded meal is
 * corrected so the family is not charged, and the office is told.
 */
function applyToClosedDay(
  env: AttendanceEnv,
  e: PupilEnrollment,
  pupilId: number,
  date: string,
  want: { present: boolean; plain: boolean },
  meta: RequestMeta,
  what: string,
): string | null {
  if (!dayClosure(env.db, e.municipalityId, date)) return null;
  const current = effectiveDay(env.db, pupilId, date);
  if (current.present === want.present && (!want.present || current.plain === want.plain)) return null;
  const reason = `${what} fatta il ${momentIt(meta.actedAt)} (${SOURCE_LABELS[meta.source]}), in tempo, ricevuta dopo la chiusura della giornata`;
  const { correction } = correctPresence(env.db, { pupilId, date, present: want.present, plain: want.plain, reason, origin: 'disdetta_in_tempo' }, env.now, env.userId);
  env.audit({ entity: 'rettifica_pasto', entityId: correction.id, action: 'rettifica automatica', before: current, after: correction });
  addNotice(env.db, {
    at: env.now,
    kind: 'richiesta_dopo_chiusura',
    municipalityId: e.municipalityId,
    date,
    message: `${what} per il ${formatDateIt(date)} (alunno n. ${pupilId}) fatta in tempo ma ricevuta dopo la chiusura: pasto rettificato`,
  });
  return `La giornata del ${formatDateIt(date)} era già chiusa: la presenza registrata è stata rettificata`;
}

// ---------------------------------------------------------------------------------------------
// Cancel a day, undo it (A2, A4, A5)
// ---------------------------------------------------------------------------------------------

function cancelOn(env: AttendanceEnv, cal: PupilCalendar, pupilId: number, date: string, meta: RequestMeta): RequestResult {
  const day = cal.day(date);
  if (!day.mealDay) {
    return record(env, { pupilId, action: 'disdetta', meta, targetDate: date, outcome: day.reason === 'non_servizio' ? 'rifiutata_non_servizio' : 'rifiutata', message: day.message!, absenceId: null });
  }
  const e = day.enrollment!;
  const prolonged = prolongedOn(env.db, pupilId, date);
  if (prolonged) {
    return record(env, { pupilId, action: 'disdetta', meta, targetDate: date, outcome: 'gia_registrata', message: `L'alunno è in assenza prolungata dal ${formatDateIt(prolonged.date)}: il pasto di ${dayAndDate(date)} non è prenotato`, absenceId: prolonged.id });
  }
  const existing = activeDayAbsence(env.db, pupilId, 'giorno', date);
  if (existing) {
    return record(env, { pupilId, action: 'disdetta', meta, targetDate: date, outcome: 'gia_registrata', message: `Il pasto di ${dayAndDate(date)} è già disdetto (${SOURCE_LABELS[existing.source]}, ${momentIt(existing.actedAt)})`, absenceId: existing.id });
  }
  const gate = cutoffGate(env, meta, e, date, describeCutoffRefusal(date, e.cutoffTime));
  if (!gate.ok) return record(env, { pupilId, action: 'disdetta', meta, targetDate: date, outcome: 'tardiva', message: gate.message, absenceId: null });

  const at = env.now.toISOString();
  const plain = activeDayAbsence(env.db, pupilId, 'in_bianco', date);
  if (plain) {
    env.db.update(absences).set({ status: 'sostituita', endedAt: at, endedBy: env.userId }).where(eq(absences.id, plain.id)).run();
  }
  const row = env.db
    .insert(absences)
    .values({
      pupilId,
      kind: 'giorno',
      date,
      ...requestColumns(env, meta, gate.override),
    })
    .returning()
    .get();
  env.audit({ entity: 'assenza', entityId: row.id, action: 'disdetta giornaliera', after: row });
  const warnings = [applyToClosedDay(env, e, pupilId, date, { present: false, plain: false }, meta, 'Disdetta')].filter((w): w is string => w !== null);
  if (plain) warnings.push('La richiesta di pasto in bianco dello stesso giorno è sostituita dalla disdetta');
  return record(env, { pupilId, action: 'disdetta', meta, targetDate: date, outcome: gate.override ? 'accettata_con_deroga' : 'accettata', message: `Disdetta registrata: il pasto di ${dayAndDate(date)} non sarà preparato né addebitato${gate.override ? ` (deroga: ${meta.overrideReason})` : ''}.`, absenceId: row.id, warnings });
}

/** A3/A4: cancels the meal of one day, any future day up to its cutoff (A2), never a day without service (A5). */
export function cancelDay(env: AttendanceEnv, pupilId: number, date: string, meta: RequestMeta): RequestResult {
  assertPupil(env.db, pupilId);
  return replay(env, meta) ?? cancelOn(env, PupilCalendar.load(env.db, pupilId, date, date), pupilId, date, meta);
}

function undoOn(env: AttendanceEnv, cal: PupilCalendar, pupilId: number, date: string, meta: RequestMeta): RequestResult {
  const existing = activeDayAbsence(env.db, pupilId, 'giorno', date);
  if (!existing) {
    return record(env, { pupilId, action: 'ripristino', meta, targetDate: date, outcome: 'rifiutata', message: `Per ${dayAndDate(date)} non risulta alcuna disdetta da annullare`, absenceId: null });
  }
  if (meta.source === 'telefono' && existing.source !== 'telefono') {
    return record(env, { pupilId, action: 'ripristino', meta, targetDate: date, outcome: 'rifiutata', message: `Per telefono si annulla solo una disdetta fatta per telefono; quella di ${dayAndDate(date)} è stata fatta da ${SOURCE_LABELS[existing.source]}`, absenceId: existing.id });
  }
  const day = cal.day(date);
  const e = day.enrollment ?? cal.enrollmentOn(date);
  if (!e) return record(env, { pupilId, action: 'ripristino', meta, targetDate: date, outcome: 'rifiutata', message: day.message ?? 'Alunno non iscritto', absenceId: existing.id });
  const gate = cutoffGate(
    env,
    meta,
    e,
    date,
    `Annullamento della disdetta non accettato: l'orario limite delle ${e.cutoffTime} del ${formatDateIt(date)} è superato; il pasto resta disdetto.`,
  );
  if (!gate.ok) return record(env, { pupilId, action: 'ripristino', meta, targetDate: date, outcome: 'tardiva', message: gate.message, absenceId: existing.id });
  const after = env.db
    .update(absences)
    .set({ status: 'annullata', endedAt: env.now.toISOString(), endedBy: env.userId })
    .where(eq(absences.id, existing.id))
    .returning()
    .get();
  env.audit({ entity: 'assenza', entityId: existing.id, action: 'annullamento disdetta', before: existing, after });
  const warnings = day.mealDay
    ? [applyToClosedDay(env, e, pupilId, date, { present: true, plain: false }, meta, 'Annullamento della disdetta')].filter((w): w is string => w !== null)
    : [];
  return record(env, { pupilId, action: 'ripristino', meta, targetDate: date, outcome: gate.override ? 'accettata_con_deroga' : 'accettata', message: day.mealDay
      ? `Disdetta annullata: il pasto di ${dayAndDate(date)} è di nuovo prenotato.`
      : `Disdetta annullata; il ${formatDateIt(date)} comunque non c'è un pasto prenotato (${day.message})`, absenceId: existing.id, warnings });
}

/** Undoes the cancellation of a day, before that day's cutoff (the meal is booked again). */
export function undoCancel(env: AttendanceEnv, pupilId: number, date: string, meta: RequestMeta): RequestResult {
  assertPupil(env.db, pupilId);
  return replay(env, meta) ?? undoOn(env, PupilCalendar.load(env.db, pupilId, date, date), pupilId, date, meta);
}

// ---------------------------------------------------------------------------------------------
// Phone (A6)
// ---------------------------------------------------------------------------------------------

function phoneTarget(env: AttendanceEnv, pupilId: number, meta: Pick<RequestMeta, 'actedAt'>): { cal: PupilCalendar; date: string } | { refusal: { outcome: Outcome; message: string } } {
  const today = romeDateOf(meta.actedAt);
  const cal = PupilCalendar.load(env.db, pupilId, addDays(today, -PHONE_HORIZON_DAYS - 1), addDays(today, PHONE_HORIZON_DAYS + 1));
  const e = cal.enrollmentOn(today) ?? cal.enrollments.find((x) => x.yearStartsOn > today && x.yearStartsOn <= cal.to) ?? null;
  if (!e) return { refusal: { outcome: 'rifiutata', message: `Il ${formatDateIt(today)} l'alunno non è iscritto al servizio mensa` } };
  // The first useful day is the pupil's: service day for the class, one of their weekdays, enrollment active.
  const r = phoneCancellationTarget(meta.actedAt, e.cutoffTime, (d) => cal.isMealDay(d), PHONE_HORIZON_DAYS);
  if (!r.ok) return { refusal: { outcome: r.reason === 'FUORI_ORARIO' ? 'rifiutata_fuori_orario' : 'rifiutata_non_servizio', message: r.message } };
  return { cal, date: r.date };
}

/**
 * A6, before the call is recorded: the day a phone cancellation made now would land on (the same
 * rule as phoneCancel), or the Italian reason it would be refused. Records nothing.
 */
export function phoneLanding(env: AttendanceEnv, pupilId: number): { date: string | null; refusal: string | null } {
  assertPupil(env.db, pupilId);
  const t = phoneTarget(env, pupilId, { actedAt: env.now });
  return 'refusal' in t ? { date: null, refusal: t.refusal.message } : { date: t.date, refusal: null };
}

/** A6: a request by phone lands on the pupil's first useful day; with none in the window it is recorded as refused. */
function byPhone(env: AttendanceEnv, pupilId: number, meta: RequestMeta, action: Action, apply: (cal: PupilCalendar, date: string) => RequestResult): RequestResult {
  assertPupil(env.db, pupilId);
  const prev = replay(env, meta);
  if (prev) return prev;
  const t = phoneTarget(env, pupilId, meta);
  if ('refusal' in t) return record(env, { pupilId, action, meta, targetDate: null, outcome: t.refusal.outcome, message: t.refusal.message, absenceId: null });
  return apply(t.cal, t.date);
}

/**
 * A6: a phone cancellation, accepted from 18:00 of the day before until the cutoff, lands on the
 * pupil's first useful day (skipping weekends, holidays, closures, and the days the pupil does not
 * eat).
 */
export function phoneCancel(env: AttendanceEnv, pupilId: number, meta: RequestMeta): RequestResult {
  return byPhone(env, pupilId, meta, 'disdetta', (cal, date) => cancelOn(env, cal, pupilId, date, meta));
}

/** A6: a phone cancellation can be undone by phone, for the same day and within the same window. */
export function phoneUndo(env: AttendanceEnv, pupilId: number, meta: RequestMeta): RequestResult {
  return byPhone(env, pupilId, meta, 'ripristino', (cal, date) => undoOn(env, cal, pupilId, date, meta));
}

// ---------------------------------------------------------------------------------------------
// Prolonged absence and reactivation (A3)
// ---------------------------------------------------------------------------------------------

function firstMealDayFrom(cal: PupilCalendar, from: string): string | null {
  for (let d = from; d <= cal.to; d = addDays(d, 1)) if (cal.isMealDay(d)) return d;
  return null;
}

/** Closed meal days of the pupil from `from` up to today (for a request that reaches the office late). */
function closedDaysFrom(env: AttendanceEnv, e: PupilEnrollment, from: string): string[] {
  const today = romeDateOf(env.now);
  return env.db
    .select({ date: dayClosures.date })
    .from(dayClosures)
    .where(and(eq(dayClosures.municipalityId, e.municipalityId), gte(dayClosures.date, from), lte(dayClosures.date, today), lte(dayClosures.date, e.yearEndsOn)))
    .orderBy(asc(dayClosures.date))
    .all()
    .map((r) => r.date);
}

/** A3: a prolonged absence from `from` until reactivation. Its first meal day must still be before its cutoff (A2). */
export function startProlonged(env: AttendanceEnv, pupilId: number, from: string, meta: RequestMeta): RequestResult {
  assertPupil(env.db, pupilId);
  const prev = replay(env, meta);
  if (prev) return prev;
  const cal = PupilCalendar.load(env.db, pupilId, from, addDays(from, PHONE_HORIZON_DAYS));
  const e = cal.enrollmentOn(from);
  if (!e || e.status === 'bozza') {
    return record(env, { pupilId, action: 'assenza_prolungata', meta, targetDate: from, outcome: 'rifiutata', message: `Il ${formatDateIt(from)} l'alunno non è iscritto al servizio mensa`, absenceId: null });
  }
  const open = openProlonged(env.db, pupilId);
  if (open) {
    return record(env, { pupilId, action: 'assenza_prolungata', meta, targetDate: from, outcome: 'gia_registrata', message: `L'alunno è già in assenza prolungata dal ${formatDateIt(open.date)}: per tornare a mangiare serve la riattivazione`, absenceId: open.id });
  }
  const first = firstMealDayFrom(cal, from);
  let override = false;
  if (first) {
    const gate = cutoffGate(
      env,
      meta,
      e,
      first,
      `Assenza prolungata non accettata dal ${formatDateIt(from)}: l'orario limite delle ${e.cutoffTime} del ${formatDateIt(first)} è superato e il pasto di quel giorno resta addebitato; indicare come inizio il giorno successivo.`,
    );
    if (!gate.ok) return record(env, { pupilId, action: 'assenza_prolungata', meta, targetDate: from, outcome: 'tardiva', message: gate.message, absenceId: null });
    override = gate.override;
  }
  const row = env.db
    .insert(absences)
    .values({
      pupilId,
      kind: 'prolungata',
      date: from,
      ...requestColumns(env, meta, override),
    })
    .returning()
    .get();
  env.audit({ entity: 'assenza', entityId: row.id, action: 'inizio assenza prolungata', after: row });
  const warnings: string[] = [];
  for (const d of closedDaysFrom(env, e, from)) {
    if (!cal.isMealDay(d) || !isBeforeCutoff(meta.actedAt, d, e.cutoffTime)) continue;
    const w = applyToClosedDay(env, e, pupilId, d, { present: false, plain: false }, meta, 'Assenza prolungata');
    if (w) warnings.push(w);
  }
  return record(env, { pupilId, action: 'assenza_prolungata', meta, targetDate: from, outcome: override ? 'accettata_con_deroga' : 'accettata', message: `Assenza prolungata registrata dal ${formatDateIt(from)}: nessun pasto sarà prenotato fino alla riattivazione.`, absenceId: row.id, warnings });
}

/** A3: reactivation after a prolonged absence: from `from` the pupil is booked again (mandatory to eat again). */
export function reactivate(env: AttendanceEnv, pupilId: number, from: string, meta: RequestMeta): RequestResult {
  assertPupil(env.db, pupilId);
  const prev = replay(env, meta);
  if (prev) return prev;
  const open = openProlonged(env.db, pupilId);
  if (!open) return record(env, { pupilId, action: 'riattivazione', meta, targetDate: from, outcome: 'rifiutata', message: "L'alunno non è in assenza prolungata: non c'è nulla da riattivare", absenceId: null });
  if (from < open.date) {
    return record(env, { pupilId, action: 'riattivazione', meta, targetDate: from, outcome: 'rifiutata', message: `La riattivazione non può precedere l'inizio dell'assenza prolungata (${formatDateIt(open.date)})`, absenceId: open.id });
  }
  const cal = PupilCalendar.load(env.db, pupilId, from, addDays(from, PHONE_HORIZON_DAYS));
  const e = cal.enrollmentOn(from) ?? cal.enrollmentOn(open.date);
  const first = firstMealDayFrom(cal, from);
  let override = false;
  if (first && e) {
    const gate = cutoffGate(
      env,
      meta,
      e,
      first,
      `Riattivazione non accettata dal ${formatDateIt(from)}: l'orario limite delle ${e.cutoffTime} del ${formatDateIt(first)} è superato e quel giorno resta senza pasto; indicare il giorno successivo.`,
    );
    if (!gate.ok) return record(env, { pupilId, action: 'riattivazione', meta, targetDate: from, outcome: 'tardiva', message: gate.message, absenceId: open.id });
    override = gate.override;
  }
  const at = env.now.toISOString();
  const after = env.db
    .update(absences)
    .set(from === open.date ? { status: 'annullata', endedAt: at, endedBy: env.userId } : { reactivatedOn: from, endedAt: at, endedBy: env.userId })
    .where(eq(absences.id, open.id))
    .returning()
    .get();
  env.audit({ entity: 'assenza', entityId: open.id, action: 'riattivazione', before: open, after });
  const warnings: string[] = [];
  if (e) {
    for (const d of closedDaysFrom(env, e, from)) {
      if (!cal.isMealDay(d) || !isBeforeCutoff(meta.actedAt, d, e.cutoffTime)) continue;
      if (activeDayAbsence(env.db, pupilId, 'giorno', d)) continue;
      const w = applyToClosedDay(env, e, pupilId, d, { present: true, plain: activeDayAbsence(env.db, pupilId, 'in_bianco', d) !== null }, meta, 'Riattivazione');
      if (w) warnings.push(w);
    }
  }
  return record(env, { pupilId, action: 'riattivazione', meta, targetDate: from, outcome: override ? 'accettata_con_deroga' : 'accettata', message: `Riattivazione registrata: dal ${formatDateIt(from)} i pasti sono di nuovo prenotati.`, absenceId: open.id, warnings });
}

// ---------------------------------------------------------------------------------------------
// Plain meal (A3) and the certificate warning
// ---------------------------------------------------------------------------------------------

export const PLAIN_MEAL_LIMIT_KEY = 'presenze.giorniBiancoSenzaCertificato';
export const DEFAULT_PLAIN_MEAL_LIMIT = 3;

export function getPlainMealLimit(db: AppDb): number {
  const row = db.select().from(settings).where(eq(settings.key, PLAIN_MEAL_LIMIT_KEY)).get();
  const n = row ? Number(row.value) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_PLAIN_MEAL_LIMIT;
}

export function setPlainMealLimit(db: AppDb, days: number): void {
  db.insert(settings)
    .values({ key: PLAIN_MEAL_LIMIT_KEY, value: String(days) })
    .onConflictDoUpdate({ target: settings.key, set: { value: String(days), version: nextVersion(settings.version) } })
    .run();
}

/** The run of consecutive meal days of the pupil with a plain meal that contains `date`. */
export function plainRun(db: AppDb, cal: PupilCalendar, pupilId: number, date: string): { days: number; from: string; to: string } {
  const plainDates = new Set(
    db
      .select({ date: absences.date })
      .from(absences)
      .where(and(eq(absences.pupilId, pupilId), eq(absences.kind, 'in_bianco'), eq(absences.status, 'attiva'), gte(absences.date, cal.from), lte(absences.date, cal.to)))
      .all()
      .map((r) => r.date),
  );
  if (!plainDates.has(date)) return { days: 0, from: date, to: date };
  let days = 1;
  let from = date;
  let to = date;
  for (let d = addDays(date, -1); d >= cal.from; d = addDays(d, -1)) {
    if (!cal.isMealDay(d)) continue;
    if (!plainDates.has(d)) break;
    days++;
    from = d;
  }
  for (let d = addDays(date, 1); d <= cal.to; d = addDays(d, 1)) {
    if (!cal.isMealDay(d)) continue;
    if (!plainDates.has(d)) break;
    days++;
    to = d;
  }
  return { days, from, to };
}

/** A3: asks for (plain = true) or withdraws (plain = false) a plain meal on a day, up to its cutoff. */
export function plainMeal(env: AttendanceEnv, pupilId: number, date: string, plain: boolean, meta: RequestMeta): RequestResult {
  assertPupil(env.db, pupilId);
  const prev = replay(env, meta);
  if (prev) return prev;
  const action: Action = plain ? 'pasto_in_bianco' : 'annulla_pasto_in_bianco';
  const cal = PupilCalendar.load(env.db, pupilId, addDays(date, -45), addDays(date, 45));
  const day = cal.day(date);
  if (!day.mealDay) return record(env, { pupilId, action, meta, targetDate: date, outcome: day.reason === 'non_servizio' ? 'rifiutata_non_servizio' : 'rifiutata', message: day.message!, absenceId: null });
  const e = day.enrollment!;
  const prolonged = prolongedOn(env.db, pupilId, date);
  const cancelled = activeDayAbsence(env.db, pupilId, 'giorno', date);
  if (plain && (prolonged || cancelled)) {
    return record(env, { pupilId, action, meta, targetDate: date, outcome: 'rifiutata', message: `Il pasto di ${dayAndDate(date)} è disdetto: non c'è un pasto in bianco da preparare`, absenceId: (prolonged ?? cancelled)!.id });
  }
  const existing = activeDayAbsence(env.db, pupilId, 'in_bianco', date);
  if (plain && existing) return record(env, { pupilId, action, meta, targetDate: date, outcome: 'gia_registrata', message: `Il pasto in bianco di ${dayAndDate(date)} è già richiesto`, absenceId: existing.id });
  if (!plain && !existing) return record(env, { pupilId, action, meta, targetDate: date, outcome: 'rifiutata', message: `Per ${dayAndDate(date)} non è richiesto alcun pasto in bianco`, absenceId: null });
  const gate = cutoffGate(
    env,
    meta,
    e,
    date,
    `Richiesta non accettata: l'orario limite delle ${e.cutoffTime} del ${formatDateIt(date)} è superato; il pasto resta ${plain ? 'normale' : 'in bianco'}.`,
  );
  if (!gate.ok) return record(env, { pupilId, action, meta, targetDate: date, outcome: 'tardiva', message: gate.message, absenceId: existing?.id ?? null });
  let absenceId: number;
  if (plain) {
    const row = env.db
      .insert(absences)
      .values({
        pupilId,
        kind: 'in_bianco',
        date,
        ...requestColumns(env, meta, gate.override),
      })
      .returning()
      .get();
    env.audit({ entity: 'assenza', entityId: row.id, action: 'pasto in bianco', after: row });
    absenceId = row.id;
  } else {
    const after = env.db
      .update(absences)
      .set({ status: 'annullata', endedAt: env.now.toISOString(), endedBy: env.userId })
      .where(eq(absences.id, existing!.id))
      .returning()
      .get();
    env.audit({ entity: 'assenza', entityId: existing!.id, action: 'annullamento pasto in bianco', before: existing, after });
    absenceId = existing!.id;
  }
  const warnings = [applyToClosedDay(env, e, pupilId, date, { present: true, plain }, meta, plain ? 'Richiesta di pasto in bianco' : 'Annullamento del pasto in bianco')].filter(
    (w): w is string => w !== null,
  );
  if (plain) {
    const limit = getPlainMealLimit(env.db);
    const run = plainRun(env.db, cal, pupilId, date);
    if (run.days > limit) {
      warnings.push(
        `Pasto in bianco per ${run.days} giorni di servizio consecutivi (dal ${formatDateIt(run.from)} al ${formatDateIt(run.to)}): oltre ${limit} giorni serve il certificato medico`,
      );
    }
  }
  return record(env, { pupilId, action, meta, targetDate: date, outcome: gate.override ? 'accettata_con_deroga' : 'accettata', message: plain ? `Pasto in bianco registrato per ${dayAndDate(date)}.` : `Pasto in bianco annullato: ${dayAndDate(date)} il pasto è normale.`, absenceId, warnings });
}

// ---------------------------------------------------------------------------------------------
// Reading: absences and the evidence of attempts
// ---------------------------------------------------------------------------------------------

export function listAbsences(db: AppDb, f: { pupilId: number; from?: string; to?: string; includeEnded?: boolean }) {
  const c: SQL[] = [eq(absences.pupilId, f.pupilId)];
  if (f.to) c.push(lte(absences.date, f.to));
  if (f.from) c.push(sql`(${absences.kind} = 'prolungata' AND (${absences.reactivatedOn} IS NULL OR ${absences.reactivatedOn} > ${f.from}) OR ${absences.date} >= ${f.from})`);
  if (!f.includeEnded) c.push(eq(absences.status, 'attiva'));
  return db.select().from(absences).where(and(...c)).orderBy(desc(absences.date), desc(absences.id)).all();
}

export function listAttempts(db: AppDb, f: { pupilId?: number; date?: string; from?: string; to?: string; limit?: number }) {
  const c: SQL[] = [];
  if (f.pupilId) c.push(eq(cancellationAttempts.pupilId, f.pupilId));
  if (f.date) c.push(eq(cancellationAttempts.targetDate, f.date));
  if (f.from) c.push(sql`coalesce(${cancellationAttempts.targetDate}, substr(${cancellationAttempts.actedAt}, 1, 10)) >= ${f.from}`);
  if (f.to) c.push(sql`coalesce(${cancellationAttempts.targetDate}, substr(${cancellationAttempts.actedAt}, 1, 10)) <= ${f.to}`);
  const q = db
    .select({
      id: cancellationAttempts.id,
      pupilId: cancellationAttempts.pupilId,
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      userCode: pupils.userCode,
      action: cancellationAttempts.action,
      channel: cancellationAttempts.channel,
      actedAt: cancellationAttempts.actedAt,
      recordedAt: cancellationAttempts.recordedAt,
      targetDate: cancellationAttempts.targetDate,
      outcome: cancellationAttempts.outcome,
      message: cancellationAttempts.message,
      absenceId: cancellationAttempts.absenceId,
      absenceStatus: absences.status,
      absenceEndedAt: absences.endedAt,
      overrideReason: cancellationAttempts.overrideReason,
      externalId: cancellationAttempts.externalId,
      username: users.displayName,
    })
    .from(cancellationAttempts)
    .innerJoin(pupils, eq(pupils.id, cancellationAttempts.pupilId))
    .leftJoin(absences, eq(absences.id, cancellationAttempts.absenceId))
    .leftJoin(users, eq(users.id, cancellationAttempts.userId))
    .where(c.length ? and(...c) : undefined)
    .orderBy(desc(cancellationAttempts.actedAt), desc(cancellationAttempts.id));
  return (f.limit ? q.limit(f.limit) : q).all().map((r) => ({
    ...r,
    actionLabel: ACTION_LABELS[r.action],
    channelLabel: SOURCE_LABELS[r.channel],
    outcomeLabel: OUTCOME_LABELS[r.outcome],
    /** what became of an accepted request later (undone, replaced), read from its absence */
    currentState: currentState(r.action, r.outcome, r.absenceStatus),
  }));
}

function currentState(action: Action, outcome: Outcome, absenceStatus: 'attiva' | 'annullata' | 'sostituita' | null): string {
  if (outcome !== 'accettata' && outcome !== 'accettata_con_deroga') return OUTCOME_LABELS[outcome];
  if (action === 'ripristino' || action === 'riattivazione' || action === 'annulla_pasto_in_bianco') return 'In vigore';
  if (absenceStatus === 'annullata') return 'Annullata in seguito';
  if (absenceStatus === 'sostituita') return 'Sostituita in seguito';
  return 'In vigore';
}

/** How far back acted_at may be set without a supervisor (the office typing in a call it just took). */
export const BACKDATE_TOLERANCE_MS = 5 * 60 * 1000;
/** acted_at may not be in the future beyond this (clock skew between machines). */
export const FUTURE_TOLERANCE_MS = 60 * 1000;
