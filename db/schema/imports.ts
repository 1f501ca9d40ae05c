import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { c, cleanTexts, isoMoment, oneOf } from './checks';
import { schoolYears } from './master-data';
import { users } from './users';

/** How the school year of the rows without one is chosen for a file layout. */
export const IMPORT_YEAR_CHOICES = ['corrente', 'successivo', 'anno'] as const;

/**
 * The operator's choices for a file layout (issue 12): a spreadsheet whose header row has the same
 * names (normalised) gets the same column mapping, the same answers to the ambiguous columns and
 * the same school year choice. `fingerprint` is the SHA-256 of the normalised header row.
 */
export const importLayouts = sqliteTable(
  'import_layouts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    fingerprint: text('fingerprint').notNull(),
    /** JSON array of the normalised header names, in the file's order */
    headers: text('headers').notNull(),
    /** JSON { field: normalised header } */
    mapping: text('mapping').notNull(),
    /** JSON { normalised header: field or 'nessuno' }: the answers to the ambiguous columns */
    answers: text('answers').notNull(),
    /** 'corrente' / 'successivo': relative to the day of the import; 'anno': `school_year_id` */
    yearChoice: text('year_choice', { enum: IMPORT_YEAR_CHOICES }).notNull(),
    schoolYearId: integer('school_year_id').references(() => schoolYears.id),
    updatedBy: integer('updated_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('import_layouts_fingerprint_uq').on(t.fingerprint),
    check('import_layouts_fingerprint_sha256', sql`length(${c(t.fingerprint)}) = 64 AND ${c(t.fingerprint)} NOT GLOB '*[^0-9a-f]*'`),
    oneOf('import_layouts', t.yearChoice, IMPORT_YEAR_CHOICES),
    check('import_layouts_anno_scelto', sql`(${c(t.yearChoice)} = 'anno') = (${c(t.schoolYearId)} IS NOT NULL)`),
    check('import_layouts_json', sql`json_valid(${c(t.headers)}) AND json_valid(${c(t.mapping)}) AND json_valid(${c(t.answers)})`),
    isoMoment('import_layouts', t.createdAt),
    isoMoment('import_layouts', t.updatedAt),
    ...cleanTexts('import_layouts', t, { json: ['headers', 'mapping', 'answers'] }),
  ],
);
