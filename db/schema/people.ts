import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { c, cleanTexts, isoDate, isoMoment, oneOf, weekdaySet } from './checks';

export const PAYMENT_METHODS = ['prepagato', 'sdd'] as const;
export const ENROLLMENT_STATUSES = ['bozza', 'attiva', 'sospesa', 'ritirata'] as const;
import { schools, classes, schoolYears } from './master-data';

/** Utente / alunno: the pupil who eats. Badge (user code) is permanent for the school career (E5). */
export const pupils = sqliteTable(
  'pupils',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    birthDate: text('birth_date').notNull(),
    taxCode: text('tax_code').notNull(),
    userCode: text('user_code').notNull(),
    phoneCode: text('phone_code').notNull(),
    /**
     * Issue 12: the school and class are stated once, by the enrollment. These two columns are the
     * school given when the pupil is registered, until the first enrollment; from then on they are
     * derived (syncPupilPlace in electron/enrollments/service.ts, migration 0012) and not editable.
     * The lists and the pupil's page read the enrollment of the current school year.
     */
    schoolId: integer('school_id')
      .notNull()
      .references(() => schools.id),
    classId: integer('class_id').references(() => classes.id),
    notes: text('notes').notNull().default(''),
    /** Lower-cased "cognome nome codice" for indexed prefix search. */
    searchText: text('search_text').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('pupils_tax_code_uq').on(t.taxCode),
    uniqueIndex('pupils_user_code_uq').on(t.userCode),
    uniqueIndex('pupils_phone_code_uq').on(t.phoneCode),
    index('pupils_name_idx').on(t.lastName, t.firstName),
    index('pupils_school_idx').on(t.schoolId, t.lastName, t.firstName),
    index('pupils_class_idx').on(t.classId),
    check('pupils_nome_vuoto', sql`length(trim(${c(t.firstName)})) > 0 AND length(trim(${c(t.lastName)})) > 0`),
    isoDate('pupils', t.birthDate),
    check('pupils_codici_vuoti', sql`length(${c(t.taxCode)}) > 0 AND length(${c(t.userCode)}) > 0 AND length(${c(t.phoneCode)}) > 0`),
    isoMoment('pupils', t.createdAt),
    isoMoment('pupils', t.updatedAt),
    ...cleanTexts('pupils', t, { multiline: ['notes'] }),
  ],
);

/** Genitore pagante / tutore. Structured address because SEPA needs it. */
export const payers = sqliteTable(
  'payers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    taxCode: text('tax_code').notNull(),
    email: text('email').notNull(),
    mobile: text('mobile').notNull(),
    street: text('street').notNull().default(''),
    streetNumber: text('street_number').notNull().default(''),
    postcode: text('postcode').notNull().default(''),
    town: text('town').notNull().default(''),
    province: text('province').notNull().default(''),
    country: text('country').notNull().default('IT'),
    iban: text('iban'),
    ibanHolder: text('iban_holder'),
    searchText: text('search_text').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('payers_tax_code_uq').on(t.taxCode),
    index('payers_name_idx').on(t.lastName, t.firstName),
    check('payers_nome_vuoto', sql`length(trim(${c(t.firstName)})) > 0 AND length(trim(${c(t.lastName)})) > 0`),
    check('payers_country_codice', sql`${c(t.country)} GLOB '[A-Z][A-Z]'`),
    // stored compact and upper-case (IT60X0542811101000000123456): country, check digits, 11..30 alphanumerics
    check(
      'payers_iban_forma',
      sql`length(${c(t.iban)}) BETWEEN 15 AND 34 AND ${c(t.iban)} GLOB '[A-Z][A-Z][0-9][0-9]*' AND ${c(t.iban)} NOT GLOB '*[^A-Z0-9]*'`,
    ),
    isoMoment('payers', t.createdAt),
    isoMoment('payers', t.updatedAt),
    ...cleanTexts('payers', t),
  ],
);

/** Delegato (F2): another adult allowed into the portal for the payer's family, by codice fiscale. */
export const delegates = sqliteTable(
  'delegates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    taxCode: text('tax_code').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('delegates_payer_tax_code_uq').on(t.payerId, t.taxCode),
    check('delegates_nome_vuoto', sql`length(trim(${c(t.firstName)})) > 0 AND length(trim(${c(t.lastName)})) > 0`),
    isoMoment('delegates', t.createdAt),
    ...cleanTexts('delegates', t),
  ],
);

/** Iscrizione al servizio mensa for one school year (E1). */
export const enrollments = sqliteTable(
  'enrollments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pupilId: integer('pupil_id')
      .notNull()
      .references(() => pupils.id),
    schoolYearId: integer('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    payerId: integer('payer_id')
      .notNull()
      .references(() => payers.id),
    schoolId: integer('school_id')
      .notNull()
      .references(() => schools.id),
    classId: integer('class_id').references(() => classes.id),
    /** Giorni di fruizione (E4): ISO weekdays 1..5, comma-separated. */
    weekdays: text('weekdays').notNull(),
    paymentMethod: text('payment_method', { enum: PAYMENT_METHODS }).notNull(),
    status: text('status', { enum: ENROLLMENT_STATUSES }).notNull(),
    startsOn: text('starts_on').notNull(),
    activatedOn: text('activated_on'),
    suspendedOn: text('suspended_on'),
    withdrawnOn: text('withdrawn_on'),
    withdrawalReason: text('withdrawal_reason'),
    renewedFromId: integer('renewed_from_id').references((): AnySQLiteColumn => enrollments.id),
    notes: text('notes').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('enrollments_pupil_year_uq').on(t.pupilId, t.schoolYearId),
    index('enrollments_year_status_idx').on(t.schoolYearId, t.status),
    index('enrollments_payer_idx').on(t.payerId),
    index('enrollments_school_idx').on(t.schoolId, t.schoolYearId),
    /**
     * The expected bookings of a day (electron/attendance/bookings.ts: day close, provisional kitchen
     * report) read only these columns of a school year's enrollments: from the index, in school and
     * class order, without reading the rows (issue 10: the provisional report under 100 ms).
     */
    index('enrollments_bookings_idx').on(t.schoolYearId, t.schoolId, t.classId, t.status, t.activatedOn, t.startsOn, t.withdrawnOn, t.weekdays, t.pupilId),
    weekdaySet('enrollments', t.weekdays),
    oneOf('enrollments', t.paymentMethod, PAYMENT_METHODS),
    oneOf('enrollments', t.status, ENROLLMENT_STATUSES),
    isoDate('enrollments', t.startsOn),
    isoDate('enrollments', t.activatedOn),
    isoDate('enrollments', t.suspendedOn),
    isoDate('enrollments', t.withdrawnOn),
    check('enrollments_rinnovo_diverso', sql`${c(t.renewedFromId)} <> ${c(t.id)}`),
    isoMoment('enrollments', t.createdAt),
    isoMoment('enrollments', t.updatedAt),
    ...cleanTexts('enrollments', t, { multiline: ['notes', 'withdrawal_reason'] }),
  ],
);
