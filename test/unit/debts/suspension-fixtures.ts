/**
 * Fixtures for suspensions (D2), through the contract: the municipality's regulation allows
 * suspension and its procedure is one formal notice by registered letter; a family owes money;
 * the notice is recorded (with its letter) and delivered (receipt number) today.
 */
import { romeDateOf } from '../../../electron/calendar/rome-time';
import type { TestApp } from '../../support/backend';
import { charge } from './fixtures';

export const NOTICE_TEMPLATE = 'Gentile {pagante}, il debito di {importo} va saldato entro il {scadenza}: altrimenti il servizio sarà sospeso.';

/** The regulation allows suspension; the procedure is a single formal notice (raccomandata A/R) with `daysToPay` days. */
export async function allowSuspension(app: TestApp, municipalityId: number, o: { daysToPay?: number; allowed?: boolean; enrollmentRefusal?: boolean } = {}) {
  await app.call(
    'debts.ladder.update',
    {
      municipalityId,
      version: app.version('debtLadder', municipalityId),
      suspensionAllowed: o.allowed ?? true,
      enrollmentRefusalAllowed: o.enrollmentRefusal ?? false,
      steps: [{ name: 'Diffida e messa in mora', thresholdCents: 100, thresholdMeals: null, minDaysSincePrevious: 0, channel: 'raccomandata_ar', template: NOTICE_TEMPLATE, daysToPay: o.daysToPay ?? 7 }],
    },
    'supervisore',
  );
}

/**
 * The family owes `owedCents` (a charge on `pupilId` the day before today) and receives the formal
 * notice today, delivered on `deliveredOn` (not after today), today by default. Returns the step.
 */
export async function deliveredNotice(app: TestApp, f: { payerId: number; municipalityId: number; pupilId: number; owedCents?: number; deliveredOn?: string }) {
  const today = romeDateOf(app.clock.now());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  charge(app, f.pupilId, f.owedCents ?? 6000, d.toISOString().slice(0, 10));
  const [step] = await app.call('debts.steps.record', { stepPosition: 1, families: [{ payerId: f.payerId, municipalityId: f.municipalityId }] }, 'operatore');
  await app.call('debts.deliveries.record', { stepId: step.id, deliveredOn: f.deliveredOn ?? today, receiptNumber: 'RR 1234 5678' }, 'operatore');
  return step;
}

/** Allow + owe + deliver, then suspend `pupilIds` from `startsOn` (a supervisor's decision). */
export async function suspend(app: TestApp, f: { payerId: number; municipalityId: number; pupilIds: number[]; startsOn: string }) {
  await allowSuspension(app, f.municipalityId);
  await deliveredNotice(app, { ...f, pupilId: f.pupilIds[0] });
  return app.call('debts.suspensions.create', { payerId: f.payerId, municipalityId: f.municipalityId, pupilIds: f.pupilIds, startsOn: f.startsOn, reason: 'Morosità dopo la diffida consegnata' }, 'supervisore');
}
