/**
 * A8: a pupil's presence history, day by day, and a month summary.
 *
 * A closed day is read from what was recorded (meals, then corrections); an open day is derived
 * with the same rules as the expected list (PupilCalendar + absences). So the history of a past
 * day never changes because the calendar or an enrollment changed afterwards.
 *
 * A past day whose cutoff has passed but which is not closed yet is "da chiudere" (issue 12): the
 * booking is final but no meal is recorded nor charged until the day is closed, so it is not
 * counted among the charged meals (the dashboard's worklist offers to close it).
 */
import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { absences, cancellationAttempts, dayClosures, mealCorrections, meals, municipalities, pupils } from '../../db/schema';
import { invalidField } from '../contract/errors';
import { eachDate, isoWeekday } from '../calendar/rome-time';
import { PupilCalendar } from '../calendar/service-calendar';
import { canCloseDay } from './day-close';

export const HISTORY_STATUSES = [
  'prenotato',
  'da_chiudere',
  'consumato',
  'disdetto',
  'disdetta_tardiva',
  'assente',
  'rettificato_assente',
  'non_registrato',
  'chiuso',
  'non_servizio',
  'non_fruito',
  'non_iscritto',
  'ritirato',
  'sospeso',
] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

export const HISTORY_LABELS: Record<HistoryStatus, string> = {
  prenotato: 'Pasto prenotato',
  da_chiudere: 'Da chiudere: prenotato, non ancora registrato né addebitato',
  consumato: 'Pasto registrato',
  disdetto: 'Disdetto',
  disdetta_tardiva: 'Disdetta tardiva: pasto addebitato',
  assente: 'Assenza prolungata',
  rettificato_assente: 'Assente (rettifica)',
  non_registrato: 'Nessun pasto registrato',
  chiuso: 'Servizio non erogato (chiusura)',
  non_servizio: 'Nessun servizio mensa',
  non_fruito: 'Giorno non scelto all\'iscrizione',
  non_iscritto: 'Non iscritto',
  ritirato: 'Ritirato dal servizio',
  sospeso: 'Servizio sospeso',
};

export interface HistoryDay {
  date: string;
  weekday: number;
  status: HistoryStatus;
  label: string;
  /** a meal is charged for the day (closed day), or will be (day still open for requests); never for a day left to close */
  charged: boolean;
  plain: boolean;
  dayClosed: boolean;
  recorded: boolean;
  correction: { present: boolean; plain: boolean; reason: string; createdAt: string } | null;
  /** the closure (strike, trip…) or the other reason why there is no service, if any */
  noService: string | null;
  lateCancellation: boolean;
  attempts: number;
}

export interface HistoryMonth {
  month: string;
  /** the pupil's service days: service for the class, one of the weekdays chosen, enrollment active */
  serviceDays: number;
  meals: number;
  plain: number;
  cancelled: number;
  lateCancelled: number;
  absent: number;
  closed: number;
  corrected: number;
  /** past days booked but not closed yet: not counted in `meals` until the close */
  toClose: number;
}

export const MAX_HISTORY_DAYS = 400;

/**
 * The pupil's history over [from, to]. With `now`, a booked day whose cutoff has passed and that
 * is not closed is `da_chiudere` (not charged); without it (property tests of the close) such a
 * day reads as booked.
 */
export function pupilHistory(db: AppDb, pupilId: number, from: string, to: string, now?: Date): { days: HistoryDay[]; months: HistoryMonth[] } {
  if (to < from) throw invalidField('to', 'La data finale precede quella iniziale');
  const dates = eachDate(from, to);
  if (dates.length > MAX_HISTORY_DAYS) throw invalidField('to', `Al massimo ${MAX_HISTORY_DAYS} giorni per volta`);
  const cal = PupilCalendar.load(db, pupilId, from, to);

  const abs = db
    .select()
    .from(absences)
    .where(and(eq(absences.pupilId, pupilId), eq(absences.status, 'attiva'), lte(absences.date, to)))
    .all();
  const cancelled = new Set(abs.filter((a) => a.kind === 'giorno').map((a) => a.date));
  const plainReq = new Set(abs.filter((a) => a.kind === 'in_bianco').map((a) => a.date));
  const prolonged = abs.filter((a) => a.kind === 'prolungata');
  const mealByDate = new Map(
    db.select().from(meals).where(and(eq(meals.pupilId, pupilId), gte(meals.date, from), lte(meals.date, to))).all().map((m) => [m.date, m]),
  );
  const corrByDate = new Map<string, typeof mealCorrections.$inferSelect>();
  for (const c of db
    .select()
    .from(mealCorrections)
    .where(and(eq(mealCorrections.pupilId, pupilId), gte(mealCorrections.date, from), lte(mealCorrections.date, to)))
    .orderBy(asc(mealCorrections.id))
    .all()) {
    corrByDate.set(c.date, c); // the latest wins
  }
  const municipalityIds = [...new Set(cal.enrollments.map((e) => e.municipalityId))];
  const cutoffs = new Map(
    municipalityIds.length
      ? db.select({ id: municipalities.id, cutoff: municipalities.cutoffTime }).from(municipalities).where(inArray(municipalities.id, municipalityIds)).all().map((m) => [m.id, m.cutoff])
      : [],
  );
  const closedDays = new Set(
    municipalityIds.length
      ? db
          .select({ m: dayClosures.municipalityId, d: dayClosures.date })
          .from(dayClosures)
          .where(and(inArray(dayClosures.municipalityId, municipalityIds), gte(dayClosures.date, from), lte(dayClosures.date, to)))
          .all()
          .map((r) => `${r.m}:${r.d}`)
      : [],
  );
  const attemptsByDate = new Map<string, { n: number; late: boolean }>();
  for (const a of db
    .select({ date: cancellationAttempts.targetDate, outcome: cancellationAttempts.outcome, action: cancellationAttempts.action })
    .from(cancellationAttempts)
    .where(and(eq(cancellationAttempts.pupilId, pupilId), gte(cancellationAttempts.targetDate, from), lte(cancellationAttempts.targetDate, to)))
    .all()) {
    const x = attemptsByDate.get(a.date!) ?? { n: 0, late: false };
    x.n++;
    if ((a.action === 'disdetta' || a.action === 'assenza_prolungata') && a.outcome === 'tardiva') x.late = true;
    attemptsByDate.set(a.date!, x);
  }

  const days: HistoryDay[] = dates.map((date) => {
    const day = cal.day(date);
    const e = day.enrollment;
    const info = day.info;
    const closure = info?.reasons.find((r) => r.kind === 'chiusura');
    const noService = info && !info.service ? info.reasons.map((r) => r.label).join('; ') : null;
    const att = attemptsByDate.get(date) ?? { n: 0, late: false };
    const dayClosed = e ? closedDays.has(`${e.municipalityId}:${date}`) : false;
    const meal = mealByDate.get(date) ?? null;
    const corr = corrByDate.get(date) ?? null;
    const inProlonged = prolonged.some((p) => p.date <= date && (p.reactivatedOn === null || p.reactivatedOn > date));

    // why there is no booking (null: booked)
    let notBooked: HistoryStatus | null = null;
    if (!day.mealDay) {
      notBooked = day.reason === 'non_servizio' ? (closure ? 'chiuso' : 'non_servizio') : (day.reason);
    } else if (inProlonged) notBooked = 'assente';
    else if (cancelled.has(date)) notBooked = 'disdetto';

    let status: HistoryStatus;
    let charged: boolean;
    let plain: boolean;
    if (dayClosed || meal || corr) {
      const present = corr ? corr.present : meal !== null;
      plain = present && (corr ? corr.plain : (meal?.plain ?? false));
      charged = present;
      if (present) status = att.late ? 'disdetta_tardiva' : 'consumato';
      else if (corr) status = 'rettificato_assente';
      else status = notBooked ?? 'non_registrato';
    } else {
      const booked = notBooked === null;
      const cutoff = e ? cutoffs.get(e.municipalityId) : undefined;
      const awaitingClose = booked && now !== undefined && cutoff !== undefined && canCloseDay(date, cutoff, now);
      charged = booked && !awaitingClose;
      plain = booked && plainReq.has(date);
      status = notBooked ?? (awaitingClose ? 'da_chiudere' : att.late ? 'disdetta_tardiva' : 'prenotato');
    }
    return {
      date,
      weekday: isoWeekday(date),
      status,
      label: HISTORY_LABELS[status],
      charged,
      plain,
      dayClosed,
      recorded: meal !== null,
      correction: corr ? { present: corr.present, plain: corr.plain, reason: corr.reason, createdAt: corr.createdAt } : null,
      noService,
      lateCancellation: att.late,
      attempts: att.n,
    };
  });

  const months = new Map<string, HistoryMonth>();
  for (const d of days) {
    const key = d.date.slice(0, 7);
    const m = months.get(key) ?? { month: key, serviceDays: 0, meals: 0, plain: 0, cancelled: 0, lateCancelled: 0, absent: 0, closed: 0, corrected: 0, toClose: 0 };
    if (cal.day(d.date).mealDay) m.serviceDays++;
    if (d.charged) m.meals++;
    if (d.charged && d.plain) m.plain++;
    if (d.status === 'disdetto') m.cancelled++;
    if (d.status === 'disdetta_tardiva') m.lateCancelled++;
    if (d.status === 'assente') m.absent++;
    if (d.status === 'chiuso') m.closed++;
    if (d.correction) m.corrected++;
    if (d.status === 'da_chiudere') m.toClose++;
    months.set(key, m);
  }
  return { days, months: [...months.values()] };
}

/** The pupil named in the export's file name and heading: 'Rossi Mario', and its file-name form 'rossi-mario'. */
export function historySubject(db: AppDb, pupilId: number): { name: string; userCode: string; slug: string } {
  const p = db.select({ lastName: pupils.lastName, firstName: pupils.firstName, userCode: pupils.userCode }).from(pupils).where(eq(pupils.id, pupilId)).get();
  if (!p) throw invalidField('pupilId', 'Alunno inesistente');
  const name = `${p.lastName} ${p.firstName}`;
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return { name, userCode: p.userCode, slug: slug || `alunno-${pupilId}` };
}
