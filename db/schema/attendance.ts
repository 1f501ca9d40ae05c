import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { bool, c, cents, cleanTexts, intBetween, isoDate, isoMoment, MAX_PRICE_CENTS, oneOf } from './checks';
import { municipalities, schools, classes, tariffs } from './master-data';
import { pupils, enrollments } from './people';
import { users } from './users';

/** Who reported an absence: the office, the parent portal, the mobile app, the phone line. */
export const ATTENDANCE_SOURCES = ['ufficio', 'portale', 'app', 'telefono'] as const;
export const ABSENCE_KINDS = ['giorno', 'prolungata', 'in_bianco'] as const;
export const ABSENCE_STATUSES = ['attiva', 'annullata', 'sostituita'] as const;
export const ATTEMPT_ACTIONS = ['disdetta', 'ripristino', 'assenza_prolungata', 'riattivazione', 'pasto_in_bianco', 'annulla_pasto_in_bianco'] as const;
export const ATTEMPT_OUTCOMES = [
  'accettata',
  'accettata_con_deroga',
  'tardiva',
  'rifiutata_non_servizio',
  'rifiutata_fuori_orario',
  'rifiutata',
  'gia_registrata',
] as const;
export const DAY_CLOSE_MODES = ['automatica', 'recupero', 'manuale'] as const;
export const CORRECTION_ORIGINS = ['rettifica', 'disdetta_in_tempo'] as const;
export const NOTICE_KINDS = ['chiusura_in_ritardo', 'chiusura_non_riuscita', 'richiesta_dopo_chiusura'] as const;
/** The largest number of meals of one municipality's day. */
export const MAX_MEALS_PER_DAY = 1_000_000;

/**
 * Assenze (A3): what families report; meals themselves are never stored before the day is closed
 * (A1: every service day is booked by default, the expected list is derived).
 * - 'giorno': one day's meal cancelled (date);
 * - 'prolungata': absent from `date` until reactivated; `reactivated_on` is the first day booked
 *   again (null while the absence lasts: reactivation is mandatory, A3);
 * - 'in_bianco': a plain meal on `date` (the meal stays booked, with the flag).
 * `acted_at` is the UTC moment the family acted: the cutoff (A2) is judged on it.
 * Never hard-deleted: an undone cancellation becomes status 'annullata', a plain meal replaced by a
 * cancellation 'sostituita'.
 */
export const absences = sqliteTable(
  'absences',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    kind: text('kind', { enum: ABSENCE_KINDS }).notNull(),
    date: text('date').notNull(),
    reactivatedOn: text('reactivated_on'),
    source: text('source', { enum: ATTENDANCE_SOURCES }).notNull(),
    actedAt: text('acted_at').notNull(),
    /** the portal's / app's own id of the request, so its sync is idempotent */
    externalId: text('external_id'),
    status: text('status', { enum: ABSENCE_STATUSES }).notNull().default('attiva'),
    /** set when a supervisor accepted it after the cutoff (A2 override) */
    overrideReason: text('override_reason'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
    /** when it stopped being in force (undone, replaced) or was reactivated, and by whom */
    endedAt: text('ended_at'),
    endedBy: integer('ended_by').references(() => users.id),
  },
  (t) => [
    index('absences_pupil_idx').on(t.pupilId, t.date),
    index('absences_kind_date_idx').on(t.kind, t.date, t.status),
    uniqueIndex('absences_day_uq')
      .on(t.pupilId, t.kind, t.date)
      .where(sql`${t.status} = 'attiva' AND ${t.kind} IN ('giorno', 'in_bianco')`),
    uniqueIndex('absences_open_prolonged_uq')
      .on(t.pupilId)
      .where(sql`${t.status} = 'attiva' AND ${t.kind} = 'prolungata' AND ${t.reactivatedOn} IS NULL`),
    uniqueIndex('absences_external_uq').on(t.source, t.externalId).where(sql`${t.externalId} IS NOT NULL`),
    oneOf('absences', t.kind, ABSENCE_KINDS),
    oneOf('absences', t.source, ATTENDANCE_SOURCES),
    oneOf('absences', t.status, ABSENCE_STATUSES),
    isoDate('absences', t.date),
    isoDate('absences', t.reactivatedOn),
    // only a prolonged absence is reactivated, on a later day
    check('absences_riattivazione', sql`${c(t.reactivatedOn)} IS NULL OR (${c(t.kind)} = 'prolungata' AND ${c(t.reactivatedOn)} > ${c(t.date)})`),
    isoMoment('absences', t.actedAt),
    isoMoment('absences', t.createdAt),
    isoMoment('absences', t.endedAt),
    ...cleanTexts('absences', t, { multiline: ['override_reason'] }),
  ],
);

/**
 * Tentativi di disdetta: the evidence ("prova della disdetta"). Every request a family made, through
 * any channel, with the moment they acted, the moment it was recorded, the day it aimed at and
 * what was decided, accepted or not. Append-only: what happened later to an accepted request
 * (undone, replaced) is read from its absence and from the later attempts.
 */
export const cancellationAttempts = sqliteTable(
  'cancellation_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    action: text('action', { enum: ATTEMPT_ACTIONS }).notNull(),
    channel: text('channel', { enum: ATTENDANCE_SOURCES }).notNull(),
    actedAt: text('acted_at').notNull(),
    recordedAt: text('recorded_at').notNull(),
    /** the day the request is about; null only when a phone call found no day to apply to */
    targetDate: text('target_date'),
    outcome: text('outcome', { enum: ATTEMPT_OUTCOMES }).notNull(),
    message: text('message').notNull(),
    absenceId: integer('absence_id').references(() => absences.id),
    overrideReason: text('override_reason'),
    externalId: text('external_id'),
    userId: integer('user_id').references(() => users.id),
  },
  (t) => [
    index('attempts_pupil_idx').on(t.pupilId, t.targetDate),
    index('attempts_date_idx').on(t.targetDate),
    uniqueIndex('attempts_external_uq').on(t.channel, t.externalId).where(sql`${t.externalId} IS NOT NULL`),
    oneOf('cancellation_attempts', t.action, ATTEMPT_ACTIONS),
    oneOf('cancellation_attempts', t.channel, ATTENDANCE_SOURCES),
    oneOf('cancellation_attempts', t.outcome, ATTEMPT_OUTCOMES),
    isoMoment('cancellation_attempts', t.actedAt),
    isoMoment('cancellation_attempts', t.recordedAt),
    isoDate('cancellation_attempts', t.targetDate),
    ...cleanTexts('cancellation_attempts', t, { multiline: ['message', 'override_reason'] }),
  ],
);

/** Giornate chiuse: a municipality's day whose bookings have become recorded meals. */
export const dayClosures = sqliteTable(
  'day_closures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    date: text('date').notNull(),
    closedAt: text('closed_at').notNull(),
    /** null: closed by the program itself (scheduler) */
    closedBy: integer('closed_by').references(() => users.id),
    /** automatica: at the cutoff while the app ran; recupero: on the next start; manuale: by hand or CLI */
    mode: text('mode', { enum: DAY_CLOSE_MODES }).notNull(),
    meals: integer('meals').notNull(),
    plainMeals: integer('plain_meals').notNull(),
  },
  (t) => [
    uniqueIndex('day_closures_municipality_date_uq').on(t.municipalityId, t.date),
    index('day_closures_date_idx').on(t.date),
    isoDate('day_closures', t.date),
    isoMoment('day_closures', t.closedAt),
    oneOf('day_closures', t.mode, DAY_CLOSE_MODES),
    intBetween('day_closures', t.meals, 0, MAX_MEALS_PER_DAY, 'conteggio'),
    intBetween('day_closures', t.plainMeals, 0, MAX_MEALS_PER_DAY, 'conteggio'),
    check('day_closures_in_bianco_pasti', sql`${c(t.plainMeals)} <= ${c(t.meals)}`),
  ],
);

/**
 * Pasti registrati: written once, at day close, from the day's bookings; never edited (corrections
 * live in meal_corrections). Enrollment, school, class and price are snapshots of that day.
 * price_cents is the municipality's tariff valid that day (null when none was entered yet).
 */
export const meals = sqliteTable(
  'meals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    date: text('date').notNull(),
    enrollmentId: integer('enrollment_id')
      .notNull()
      .references(() => enrollments.id),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    schoolId: integer('school_id')
      .notNull()
      .references(() => schools.id),
    classId: integer('class_id').references(() => classes.id),
    plain: integer('plain', { mode: 'boolean' }).notNull().default(false),
    tariffId: integer('tariff_id').references(() => tariffs.id),
    priceCents: integer('price_cents'),
    dayClosureId: integer('day_closure_id')
      .notNull()
      .references(() => dayClosures.id),
  },
  (t) => [
    uniqueIndex('meals_pupil_date_uq').on(t.pupilId, t.date),
    // the kitchen report of a day reads only this index (covering)
    index('meals_kitchen_idx').on(t.date, t.municipalityId, t.schoolId, t.classId, t.plain),
    isoDate('meals', t.date),
    bool('meals', t.plain),
    cents('meals', t.priceCents, 0, MAX_PRICE_CENTS),
  ],
);

/**
 * Rettifiche di presenza after a day is closed. Append-only: the pupil's effective state for a day
 * is the latest correction (highest id) if any, else the recorded meal. A correction carries its
 * own snapshot (enrollment, school, class, price), so a correction that adds a meal is complete.
 * Billing reads meals + corrections.
 */
export const mealCorrections = sqliteTable(
  'meal_corrections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    date: text('date').notNull(),
    mealId: integer('meal_id').references(() => meals.id),
    replacesId: integer('replaces_id').references((): AnySQLiteColumn => mealCorrections.id),
    present: integer('present', { mode: 'boolean' }).notNull(),
    plain: integer('plain', { mode: 'boolean' }).notNull().default(false),
    enrollmentId: integer('enrollment_id')
      .notNull()
      .references(() => enrollments.id),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    schoolId: integer('school_id')
      .notNull()
      .references(() => schools.id),
    classId: integer('class_id').references(() => classes.id),
    tariffId: integer('tariff_id').references(() => tariffs.id),
    priceCents: integer('price_cents'),
    reason: text('reason').notNull(),
    /** rettifica: by an operator; disdetta_in_tempo: an on-time request that arrived after the close */
    origin: text('origin', { enum: CORRECTION_ORIGINS }).notNull().default('rettifica'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('meal_corrections_date_idx').on(t.date, t.municipalityId),
    index('meal_corrections_pupil_idx').on(t.pupilId, t.date),
    isoDate('meal_corrections', t.date),
    bool('meal_corrections', t.present),
    bool('meal_corrections', t.plain),
    // a plain meal is a meal: an absence is never "in bianco"
    check('meal_corrections_in_bianco_presente', sql`${c(t.plain)} = 0 OR ${c(t.present)} = 1`),
    cents('meal_corrections', t.priceCents, 0, MAX_PRICE_CENTS),
    oneOf('meal_corrections', t.origin, CORRECTION_ORIGINS),
    isoMoment('meal_corrections', t.createdAt),
    check('meal_corrections_sostituisce_precedente', sql`${c(t.replacesId)} < ${c(t.id)}`),
    ...cleanTexts('meal_corrections', t, { multiline: ['reason'] }),
  ],
);

/** Avvisi for the office about attendance (a day closed late because the app was not running…). */
export const attendanceNotices = sqliteTable(
  'attendance_notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    createdAt: text('created_at').notNull(),
    kind: text('kind', { enum: NOTICE_KINDS }).notNull(),
    municipalityId: integer('municipality_id').references(() => municipalities.id),
    date: text('date'),
    message: text('message').notNull(),
    readAt: text('read_at'),
    readBy: integer('read_by').references(() => users.id),
  },
  (t) => [
    index('attendance_notices_created_idx').on(t.createdAt),
    isoMoment('attendance_notices', t.createdAt),
    oneOf('attendance_notices', t.kind, NOTICE_KINDS),
    isoDate('attendance_notices', t.date),
    isoMoment('attendance_notices', t.readAt),
    ...cleanTexts('attendance_notices', t, { multiline: ['message'] }),
  ],
);
