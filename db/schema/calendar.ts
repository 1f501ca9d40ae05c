import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, check } from 'drizzle-orm/sqlite-core';
import { c, cleanTexts, isoDate, isoMoment, oneOf } from './checks';

export const CLOSURE_SCOPES = ['comune', 'scuola', 'classe'] as const;
export const CLOSURE_KINDS = ['chiusura', 'vacanza', 'festivita_locale', 'sciopero', 'gita', 'seggio_elettorale', 'altro'] as const;
export const CLOSURE_ORIGINS = ['manuale', 'importazione', 'copia'] as const;
import { municipalities, schools, classes, schoolYears } from './master-data';
import { users } from './users';

/**
 * Chiusure del calendario di servizio (A5, A7): days without meal service that are not national
 * public holidays (those are computed, never stored: electron/calendar/holidays.ts) nor outside
 * the school's weekly service days (schools.service_weekdays).
 *
 * Scope: the whole municipality (school_id and class_id null), one school (class_id null) or
 * one class (a trip concerns a class, not a school). municipality_id is always set, so "which
 * closures touch this class on day D" is one indexed lookup:
 *   municipality_id = M AND (school_id IS NULL OR school_id = S) AND (class_id IS NULL OR class_id = C).
 *
 * Never hard-deleted: a closure entered by mistake is cancelled (cancelled_at), so the calendar
 * of any past day can be explained.
 */
export const calendarClosures = sqliteTable(
  'calendar_closures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    schoolYearId: integer('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    scope: text('scope', { enum: CLOSURE_SCOPES }).notNull(),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    schoolId: integer('school_id').references(() => schools.id),
    classId: integer('class_id').references(() => classes.id),
    /** first and last closed day, both included ('YYYY-MM-DD') */
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    kind: text('kind', { enum: CLOSURE_KINDS }).notNull(),
    reason: text('reason').notNull().default(''),
    /** how it was entered: by hand, imported from a spreadsheet, copied from the previous year */
    origin: text('origin', { enum: CLOSURE_ORIGINS }).notNull().default('manuale'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
    cancelledAt: text('cancelled_at'),
    cancelledBy: integer('cancelled_by').references(() => users.id),
    cancelReason: text('cancel_reason'),
  },
  (t) => [
    index('calendar_closures_municipality_idx').on(t.municipalityId, t.fromDate, t.toDate),
    index('calendar_closures_year_idx').on(t.schoolYearId),
    oneOf('calendar_closures', t.scope, CLOSURE_SCOPES),
    oneOf('calendar_closures', t.kind, CLOSURE_KINDS),
    oneOf('calendar_closures', t.origin, CLOSURE_ORIGINS),
    // the scope says which ids are set: comune → none, scuola → the school, classe → the class and its school
    check(
      'calendar_closures_ambito',
      sql`(${c(t.scope)} = 'comune' AND ${c(t.schoolId)} IS NULL AND ${c(t.classId)} IS NULL)
        OR (${c(t.scope)} = 'scuola' AND ${c(t.schoolId)} IS NOT NULL AND ${c(t.classId)} IS NULL)
        OR (${c(t.scope)} = 'classe' AND ${c(t.schoolId)} IS NOT NULL AND ${c(t.classId)} IS NOT NULL)`,
    ),
    isoDate('calendar_closures', t.fromDate),
    isoDate('calendar_closures', t.toDate),
    check('calendar_closures_date_ordine', sql`${c(t.toDate)} >= ${c(t.fromDate)}`),
    isoMoment('calendar_closures', t.createdAt),
    isoMoment('calendar_closures', t.cancelledAt),
    // who cancelled and why only on a cancelled closure
    check('calendar_closures_annullamento', sql`${c(t.cancelledAt)} IS NOT NULL OR (${c(t.cancelledBy)} IS NULL AND ${c(t.cancelReason)} IS NULL)`),
    ...cleanTexts('calendar_closures', t, { multiline: ['reason', 'cancel_reason'] }),
  ],
);
