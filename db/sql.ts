import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * A column of the OUTER query, always written as "table"."column", for correlated subqueries in
 * sql`` templates.
 *
 * Why: when a select reads one table only, drizzle writes its columns unqualified ("id"). Inside
 * `(SELECT count(*) FROM enrollments WHERE payer_id = ${payers.id})` that becomes `payer_id = "id"`,
 * and SQLite binds "id" to the INNER table (enrollments.id): every payer then counted the
 * enrollments whose id equals their payer id (issue 7, "Wrong numbers on screen"). Use
 * `outer(payers.id)` for every reference to the outer row inside a subquery.
 */
export function outer(column: SQLiteColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
