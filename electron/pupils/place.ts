/**
 * Issue 12: the school and class a pupil attends are stated once, by the enrollment. The pupil's
 * own columns (the school given at registration) follow the pupil's reference enrollment: a
 * non-draft one first, then the latest school year (migration 0012 applies the same rule). The
 * lists and the pupil's page read the enrollment of the current school year; this keeps every
 * other reader of pupils.school_id (statements, SDD, 730) on the same school.
 *
 * Only a real move writes the pupil (and raises its version, issue 14: a pupil's form open
 * elsewhere is not made stale by an enrollment saved without a move).
 *
 * One statement, used by the enrollments (syncPupilPlace) and by the import's raw-SQL commit
 * (which prepares PUPIL_PLACE_SQL on its own connection inside its transaction).
 */
import { sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';

export const PUPIL_PLACE_SQL = `
  WITH ref AS (
    SELECT e.school_id, e.class_id FROM enrollments e JOIN school_years y ON y.id = e.school_year_id
    WHERE e.pupil_id = @pupilId
    ORDER BY e.status = 'bozza', y.starts_on DESC, e.id DESC LIMIT 1
  )
  UPDATE pupils SET (school_id, class_id) = (SELECT school_id, class_id FROM ref), version = version + 1
  WHERE id = @pupilId AND EXISTS (SELECT 1 FROM ref) AND (school_id, class_id) IS NOT (SELECT school_id, class_id FROM ref)`;

export function syncPupilPlace(db: AppDb, pupilId: number): void {
  // the same statement through drizzle: @pupilId becomes a bound parameter
  const [head, ...rest] = PUPIL_PLACE_SQL.split('@pupilId');
  db.run(sql.join([sql.raw(head), ...rest.flatMap((part) => [sql`${pupilId}`, sql.raw(part)])]));
}
