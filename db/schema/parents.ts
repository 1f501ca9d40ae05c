import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, check } from 'drizzle-orm/sqlite-core';
import { enrollments, payers } from './people';

export const TAX_STATEMENT_NAMES = ['pagante', 'alunno'] as const;

/**
 * Who pays, who enrolled, and whom the 730 statement names (issue 6, "Who pays"; PAYMENTS.md §4).
 * One optional row per enrollment: no row means the payer enrolled, there is no second parent
 * and the 730 names the payer. The payer stays `enrollments.payer_id`.
 *
 * When the family asks the statement to name the pupil, the two parents share the expense by the
 * recorded percentages (50/50 unless annotated otherwise): the database refuses shares that do not
 * sum to 100 and a pupil-named statement without a second parent.
 */
export const enrollmentParents = sqliteTable(
  'enrollment_parents',
  {
    enrollmentId: integer('enrollment_id')
      .primaryKey()
      .references(() => enrollments.id),
    /** The parent who made the enrollment, when not the payer (null: the payer did). */
    enrolledById: integer('enrolled_by_id').references(() => payers.id),
    /** The other parent (name and codice fiscale are needed for the 730 share). */
    secondParentId: integer('second_parent_id').references(() => payers.id),
    /** Whom the 730 statement names: the payer (default) or the pupil, shared by the parents. */
    taxStatementNames: text('tax_statement_names', { enum: TAX_STATEMENT_NAMES }).notNull().default('pagante'),
    payerSharePct: integer('payer_share_pct').notNull().default(50),
    secondParentSharePct: integer('second_parent_share_pct').notNull().default(50),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('enrollment_parents_second_idx').on(t.secondParentId),
    check('enrollment_parents_names_ck', sql`${t.taxStatementNames} IN ('pagante', 'alunno')`),
    check(
      'enrollment_parents_shares_ck',
      sql`${t.payerSharePct} BETWEEN 0 AND 100 AND ${t.secondParentSharePct} BETWEEN 0 AND 100 AND ${t.payerSharePct} + ${t.secondParentSharePct} = 100`,
    ),
    check('enrollment_parents_pupil_named_ck', sql`${t.taxStatementNames} = 'pagante' OR ${t.secondParentId} IS NOT NULL`),
  ],
);
