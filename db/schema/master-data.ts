import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Comune: the contracting authority, with its own cutoff and enrollment window. */
export const municipalities = sqliteTable(
  'municipalities',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    province: text('province').notNull().default(''),
    /** Orario limite for same-day cancellations, Europe/Rome local time, 'HH:MM'. */
    cutoffTime: text('cutoff_time').notNull(),
    enrollmentOpensOn: text('enrollment_opens_on'),
    enrollmentClosesOn: text('enrollment_closes_on'),
    notes: text('notes').notNull().default(''),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('municipalities_name_uq').on(t.name)],
);

/** Anno scolastico, e.g. 2026/2027. */
export const schoolYears = sqliteTable(
  'school_years',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    label: text('label').notNull(),
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('school_years_label_uq').on(t.label)],
);

/** Plesso / scuola. Service weekdays are ISO weekdays (1 = lunedì … 5 = venerdì), comma-separated. */
export const schools = sqliteTable(
  'schools',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['infanzia', 'primaria', 'secondaria'] }).notNull(),
    address: text('address').notNull().default(''),
    serviceWeekdays: text('service_weekdays').notNull().default('1,2,3,4,5'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('schools_municipality_name_uq').on(t.municipalityId, t.name),
    index('schools_municipality_idx').on(t.municipalityId),
  ],
);

/** Classe of a school in a school year. */
export const classes = sqliteTable(
  'classes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    schoolId: integer('school_id')
      .notNull()
      .references(() => schools.id),
    schoolYearId: integer('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('classes_school_year_name_uq').on(t.schoolId, t.schoolYearId, t.name)],
);

/**
 * Tariffa per comune e servizio (P7), with validity dates. T1: the published gross price is what
 * is charged; net and VAT rate are kept as entered (VAT in basis points: 4% = 400).
 */
export const tariffs = sqliteTable(
  'tariffs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    municipalityId: integer('municipality_id')
      .notNull()
      .references(() => municipalities.id),
    service: text('service').notNull().default('mensa'),
    description: text('description').notNull().default(''),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
    grossCents: integer('gross_cents').notNull(),
    netCents: integer('net_cents').notNull(),
    vatRateBp: integer('vat_rate_bp').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('tariffs_municipality_idx').on(t.municipalityId, t.service, t.validFrom)],
);
