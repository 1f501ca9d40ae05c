/**
 * Inbound attendance requests (A2, A3, A4, A6): cancellations, their undo, prolonged absences,
 * reactivations, plain meals and "next useful day" cancellations by phone or SMS, applied through
 * the attendance area's own functions (electron/attendance/absences.ts), judged at the moment the
 * family acted (the event's `occurredAt`), not when the event arrived.
 *
 * So a cancellation made at 09:10 for a 09:30 cutoff that reaches the office after the day was
 * closed still cancels that meal: absences.ts corrects the closed day (meal_corrections, origin
 * 'disdetta_in_tempo', audited, with a notice for the office). One made after the cutoff is
 * recorded as 'tardiva' in cancellation_attempts (the evidence) and the meal stays charged.
 *
 * SMS: the attendance area knows the channels ufficio, portale, app, telefono; an SMS is a
 * phone-like channel (A6 applies to it), so it is recorded there as 'telefono', and the true
 * channel stays on the inbound event.
 */
import {
  OUTCOME_LABELS,
  cancelDay,
  phoneCancel,
  plainMeal,
  reactivate,
  startProlonged,
  undoCancel,
  type AttendanceEnv,
  type RequestMeta,
  type RequestResult,
  type Source,
} from '../attendance/absences';
import type { InboundEvent } from './contract';
import { familyDate, pupilByTaxCode, type ApplyEnv, type Applied } from './apply-common';

export type AttendanceEvent = Extract<
  InboundEvent,
  { type: 'cancellation' | 'cancellationUndo' | 'nextDayCancellation' | 'prolongedAbsence' | 'reactivation' | 'plainMeal' }
>;

export const ATTENDANCE_EVENT_TYPES = ['cancellation', 'cancellationUndo', 'nextDayCancellation', 'prolongedAbsence', 'reactivation', 'plainMeal'] as const;

/** The attendance area's channel for a portal channel: an SMS is recorded as a phone request. */
export function attendanceSource(channel: InboundEvent['channel']): Source {
  return channel === 'sms' ? 'telefono' : channel;
}

export function applyAttendance(env: ApplyEnv, e: AttendanceEvent): Applied {
  const pupil = pupilByTaxCode(env.db, e.pupilTaxCode);
  const aenv: AttendanceEnv = { db: env.db, sqlite: env.sqlite, now: env.now, userId: env.userId, audit: (a) => env.audit(a) };
  const meta: RequestMeta = {
    source: attendanceSource(e.channel),
    actedAt: familyDate(e.occurredAt),
    externalId: e.id,
    overrideReason: null,
    // the portal measured the moment (its own ids and clock), the office did not type it
    backdated: false,
    mayOverride: false,
  };
  let r: RequestResult;
  switch (e.type) {
    case 'cancellation':
      r = cancelDay(aenv, pupil.id, e.date, meta);
      break;
    case 'cancellationUndo':
      r = undoCancel(aenv, pupil.id, e.date, meta);
      break;
    case 'nextDayCancellation':
      r = phoneCancel(aenv, pupil.id, meta);
      break;
    case 'prolongedAbsence':
      r = startProlonged(aenv, pupil.id, e.from, meta);
      break;
    case 'reactivation':
      r = reactivate(aenv, pupil.id, e.from, meta);
      break;
    case 'plainMeal':
      r = plainMeal(aenv, pupil.id, e.date, e.plain, meta);
      break;
  }
  const extra = r.warnings.length ? ` ${r.warnings.join('. ')}.` : '';
  return {
    status: 'applicato',
    message: `${OUTCOME_LABELS[r.outcome]}: ${r.message}${extra}`,
    links: { pupilId: pupil.id, attemptId: r.attemptId, absenceId: r.absenceId },
    details: { outcome: r.outcome, date: r.date, accepted: r.accepted, replayed: r.replayed },
  };
}
