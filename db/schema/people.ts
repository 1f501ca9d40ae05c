import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
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
    schoolId: integer('school_id')
      .notNull()
      .references(() => schools.id),
    classId: integer('class_id').references(() => classes.id),
    notes: text('notes').notNull().default(''),
    /** Lower-cased "cognome nome codice" for indexed prefix search. */
    searchText: text('search_text').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('pupils_tax_code_uq').on(t.taxCode),
    uniqueIndex('pupils_user_code_uq').on(t.userCode),
    uniqueIndex('pupils_phone_code_uq').on(t.phoneCode),
    index('pupils_name_idx').on(t.lastName, t.firstName),
    index('pupils_school_idx').on(t.schoolId, t.lastName, t.firstName),
    index('pupils_class_idx').on(t.classId),
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
  },
  (t) => [
    uniqueIndex('payers_tax_code_uq').on(t.taxCode),
    index('payers_name_idx').on(t.lastName, t.firstName),
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
  (t) => [uniqueIndex('delegates_payer_tax_code_uq').on(t.payerId, t.taxCode)],
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
    paymentMethod: text('payment_method', { enum: ['prepagato', 'sdd'] }).notNull(),
    status: text('status', { enum: ['bozza', 'attiva', 'sospesa', 'ritirata'] }).notNull(),
    startsOn: text('starts_on').notNull(),
    activatedOn: text('activated_on'),
    suspendedOn: text('suspended_on'),
    withdrawnOn: text('withdrawn_on'),
    withdrawalReason: text('withdrawal_reason'),
    renewedFromId: integer('renewed_from_id'),
    notes: text('notes').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('enrollments_pupil_year_uq').on(t.pupilId, t.schoolYearId),
    index('enrollments_year_status_idx').on(t.schoolYearId, t.status),
    index('enrollments_payer_idx').on(t.payerId),
    index('enrollments_school_idx').on(t.schoolId, t.schoolYearId),
  ],
);
