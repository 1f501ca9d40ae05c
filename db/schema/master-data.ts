import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { bool, c, cents, cleanTexts, intBetween, isoDate, isoMoment, MAX_PRICE_CENTS, oneOf, weekdaySet } from './checks';

export const SCHOOL_KINDS = ['infanzia', 'primaria', 'secondaria'] as const;

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
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('municipalities_name_uq').on(t.name),
    check('municipalities_name_vuoto', sql`length(trim(${c(t.name)})) > 0`),
    check('municipalities_cutoff_time_orario', sql`${c(t.cutoffTime)} GLOB '[0-2][0-9]:[0-5][0-9]' AND ${c(t.cutoffTime)} <= '23:59'`),
    isoDate('municipalities', t.enrollmentOpensOn),
    isoDate('municipalities', t.enrollmentClosesOn),
    check('municipalities_finestra_iscrizioni', sql`${c(t.enrollmentClosesOn)} >= ${c(t.enrollmentOpensOn)}`),
    bool('municipalities', t.active),
    isoMoment('municipalities', t.createdAt),
    isoMoment('municipalities', t.updatedAt),
    ...cleanTexts('municipalities', t, { multiline: ['notes'] }),
  ],
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
  (t) => [
    uniqueIndex('school_years_label_uq').on(t.label),
    check('school_years_label_vuoto', sql`length(trim(${c(t.label)})) > 0`),
    isoDate('school_years', t.startsOn),
    isoDate('school_years', t.endsOn),
    check('school_years_date_ordine', sql`${c(t.endsOn)} > ${c(t.startsOn)}`),
    isoMoment('school_years', t.createdAt),
    ...cleanTexts('school_years', t),
  ],
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
    kind: text('kind', { enum: SCHOOL_KINDS }).notNull(),
    address: text('address').notNull().default(''),
    serviceWeekdays: text('service_weekdays').notNull().default('1,2,3,4,5'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('schools_municipality_name_uq').on(t.municipalityId, t.name),
    index('schools_municipality_idx').on(t.municipalityId),
    check('schools_name_vuoto', sql`length(trim(${c(t.name)})) > 0`),
    oneOf('schools', t.kind, SCHOOL_KINDS),
    weekdaySet('schools', t.serviceWeekdays),
    bool('schools', t.active),
    isoMoment('schools', t.createdAt),
    isoMoment('schools', t.updatedAt),
    ...cleanTexts('schools', t),
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
  (t) => [
    uniqueIndex('classes_school_year_name_uq').on(t.schoolId, t.schoolYearId, t.name),
    check('classes_name_vuoto', sql`length(trim(${c(t.name)})) > 0`),
    isoMoment('classes', t.createdAt),
    ...cleanTexts('classes', t),
  ],
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
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('tariffs_municipality_idx').on(t.municipalityId, t.service, t.validFrom),
    check('tariffs_service_vuoto', sql`length(trim(${c(t.service)})) > 0`),
    isoDate('tariffs', t.validFrom),
    isoDate('tariffs', t.validTo),
    check('tariffs_validita_ordine', sql`${c(t.validTo)} >= ${c(t.validFrom)}`),
    cents('tariffs', t.grossCents, 1, MAX_PRICE_CENTS),
    cents('tariffs', t.netCents, 1, MAX_PRICE_CENTS),
    check('tariffs_imponibile_lordo', sql`${c(t.netCents)} <= ${c(t.grossCents)}`),
    // VAT in basis points: 0% … 100%
    intBetween('tariffs', t.vatRateBp, 0, 10_000, 'percentuale'),
    isoMoment('tariffs', t.createdAt),
    isoMoment('tariffs', t.updatedAt),
    ...cleanTexts('tariffs', t),
  ],
);
