/**
 * Insolvencies, second part (issue 11; rules D2, D3 in ../shared/DOMAIN.md).
 *
 * - `service_suspensions`: a suspension of the canteen service is a recorded decision, never a
 *   status flip. One row per pupil (enrollment): the family (payer, municipality), the start date,
 *   the reason, the delivered formal notice (`debt_steps` row) it follows, who decided and when;
 *   later, once, the lift: the date bookings resume, why (payment, plan, decision), who and when.
 *   History is kept: a pupil may be suspended and readmitted several times a year. The periods
 *   [starts_on, lifted_on) are what the service calendar reads (electron/calendar/service-calendar.ts
 *   and its set-based twin electron/attendance/bookings.ts): no meal is booked inside them.
 *   Rows with origin 'pregressa' are the suspensions recorded before this table existed (the
 *   enrollment's old status and date, moved here by the migration): they follow no notice.
 *   Triggers (hand-written in the migration): no DELETE; a suspension is born open; the only
 *   UPDATE is the one-time lift; no two suspensions of a pupil overlap; the notice belongs to
 *   the same family.
 * - `enrollment_block_waivers`: where the municipality's regulation refuses next year's enrollment
 *   to families with debts, a supervisor may lift the block for one family and school year, with a
 *   reason. Never changed nor deleted.
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { c, cleanTexts, isoDate, isoMoment, oneOf } from './checks';
import { municipalities, schoolYears } from './master-data';
import { enrollments, payers, pupils } from './people';
import { users } from './users';
import { debtSteps } from './debts';

/** Why a suspension was lifted: the family paid, agreed an instalment plan, or the office decided. */
export const SUSPENSION_LIFT_REASONS = ['pagamento', 'piano', 'decisione'] as const;
export type SuspensionLiftReason = (typeof SUSPENSION_LIFT_REASONS)[number];
/** 'decisione': decided after a delivered notice; 'pregressa': recorded on the enrollment before the decisions existed. */
export const SUSPENSION_ORIGINS = ['decisione', 'pregressa'] as const;

export const serviceSuspensions = sqliteTable(
  'service_suspensions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrollmentId: integer('enrollment_id')
      .notNull()
      .references(() => enrollments.id),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    /** the family whose notice the suspension follows */
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    /** first day without a booked meal */
    startsOn: text('starts_on').notNull(),
    reason: text('reason').notNull(),
    origin: text('origin', { enum: SUSPENSION_ORIGINS }).notNull().default('decisione'),
    /** the delivered formal notice (registered letter or PEC) the suspension follows */
    noticeStepId: integer('notice_step_id').references(() => debtSteps.id),
    decidedAt: text('decided_at').notNull(),
    decidedBy: integer('decided_by').references(() => users.id),
    // --- the lift, recorded once ---
    /** first day with meals booked again */
    liftedOn: text('lifted_on'),
    liftReason: text('lift_reason', { enum: SUSPENSION_LIFT_REASONS }),
    liftNote: text('lift_note'),
    liftedAt: text('lifted_at'),
    liftedBy: integer('lifted_by').references(() => users.id),
  },
  (t) => [
    index('service_suspensions_enrollment_idx').on(t.enrollmentId, t.startsOn),
    index('service_suspensions_family_idx').on(t.payerId, t.municipalityId),
    index('service_suspensions_municipality_idx').on(t.municipalityId, t.startsOn),
    uniqueIndex('service_suspensions_open_uq').on(t.pupilId).where(sql`${t.liftedOn} IS NULL`),
    isoDate('service_suspensions', t.startsOn),
    isoDate('service_suspensions', t.liftedOn),
    isoMoment('service_suspensions', t.decidedAt),
    isoMoment('service_suspensions', t.liftedAt),
    oneOf('service_suspensions', t.origin, SUSPENSION_ORIGINS),
    oneOf('service_suspensions', t.liftReason, SUSPENSION_LIFT_REASONS),
    check('service_suspensions_motivo', sql`length(trim(${c(t.reason)})) BETWEEN 3 AND 1000`),
    check('service_suspensions_diffida', sql`${c(t.origin)} = 'pregressa' OR ${c(t.noticeStepId)} IS NOT NULL`),
    check(
      'service_suspensions_revoca',
      sql`(${c(t.liftedOn)} IS NULL) = (${c(t.liftedAt)} IS NULL) AND (${c(t.liftedOn)} IS NULL) = (${c(t.liftReason)} IS NULL)
          AND (${c(t.liftedOn)} IS NULL) = (${c(t.liftNote)} IS NULL)
          AND (${c(t.liftedOn)} IS NULL OR ${c(t.liftedOn)} >= ${c(t.startsOn)})`,
    ),
    ...cleanTexts('service_suspensions', t, { multiline: ['reason', 'lift_note'] }),
  ],
);

/** A supervisor lets a family with debts enroll its pupils for one school year despite the regulation's refusal. */
export const enrollmentBlockWaivers = sqliteTable(
  'enrollment_block_waivers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    schoolYearId: integer('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    reason: text('reason').notNull(),
    grantedAt: text('granted_at').notNull(),
    grantedBy: integer('granted_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('enrollment_block_waivers_uq').on(t.payerId, t.municipalityId, t.schoolYearId),
    check('enrollment_block_waivers_motivo', sql`length(trim(${c(t.reason)})) BETWEEN 3 AND 1000`),
    isoMoment('enrollment_block_waivers', t.grantedAt),
    ...cleanTexts('enrollment_block_waivers', t, { multiline: ['reason'] }),
  ],
);
