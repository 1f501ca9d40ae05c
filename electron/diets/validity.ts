/**
 * Which diets hold on a day, the renewals and the retention of certificates.
 *
 * - An approved diet holds from its approval day for its school year, or until the certificate's
 *   end date if earlier (DI1: it expires at the end of the school year).
 * - At the start of the next school year nothing carries over (DI1): last year's diets are listed
 *   as to be renewed. Until the renewal deadline (setting, default 30 September) a diet not yet
 *   renewed still reaches the kitchen, marked «da rinnovare», so that no child is served what they
 *   cannot eat while the paperwork arrives; after the deadline it leaves the kitchen report.
 * - Certificates are kept for the retention months after their school year, then their content is
 *   purged (the record that they existed stays, with who purged them and when).
 */
import type Database from 'better-sqlite3';
import { and, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { dietAttachments, dietRequests, schoolYears } from '../../db/schema';
import { dietSettings, renewalDeadlineOf, retentionEndOf, type DietSettings } from './settings';
import type { DietCategory } from './service';

export interface YearSpan {
  id: number;
  label: string;
  startsOn: string;
  endsOn: string;
}

export function yearOf(sqlite: Database.Database, date: string): YearSpan | null {
  return (
    (sqlite
      .prepare('SELECT id, label, starts_on AS startsOn, ends_on AS endsOn FROM school_years WHERE starts_on <= ? AND ends_on >= ? ORDER BY starts_on DESC LIMIT 1')
      .get(date, date) as YearSpan | undefined) ?? null
  );
}

export function previousYearOf(sqlite: Database.Database, year: { startsOn: string }): YearSpan | null {
  return (
    (sqlite
      .prepare('SELECT id, label, starts_on AS startsOn, ends_on AS endsOn FROM school_years WHERE ends_on < ? ORDER BY ends_on DESC LIMIT 1')
      .get(year.startsOn) as YearSpan | undefined) ?? null
  );
}

export function yearById(sqlite: Database.Database, id: number): YearSpan | null {
  return (sqlite.prepare('SELECT id, label, starts_on AS startsOn, ends_on AS endsOn FROM school_years WHERE id = ?').get(id) as YearSpan | undefined) ?? null;
}

/** One diet that holds on a day for a pupil. */
export interface CurrentDiet {
  requestId: number;
  pupilId: number;
  category: DietCategory;
  diets: string[];
  allergens: string[];
  details: string;
  approvedOn: string;
  /** the last day it holds: the year's end or the certificate's end date */
  validTo: string;
  /** last year's diet, kept until the renewal deadline while the family renews it */
  renewalPending: boolean;
}

interface Row {
  requestId: number;
  pupilId: number;
  category: DietCategory;
  details: string;
  approvedOn: string;
  validUntil: string | null;
  endsOn: string;
  renewal: number;
  name: string;
  kind: string;
  sortOrder: number;
}

/**
 * The diets that hold on `date`, per pupil (one pupil may have a medical and an ethical one).
 * `pupilIds` narrows to some pupils. Set-based: one query however many diets.
 */
export function currentDiets(sqlite: Database.Database, date: string, settings: DietSettings, pupilIds?: number[]): Map<number, CurrentDiet[]> {
  const out = new Map<number, CurrentDiet[]>();
  const year = yearOf(sqlite, date);
  if (!year) return out;
  const previous = date <= renewalDeadlineOf(year.startsOn, settings) ? previousYearOf(sqlite, year) : null;
  const only = pupilIds ? 'AND r.pupil_id IN (SELECT value FROM json_each(@pupilIds))' : '';
  const rows = sqlite
    .prepare(
      `SELECT r.id AS requestId, r.pupil_id AS pupilId, r.category, r.details, r.approved_on AS approvedOn,
              r.valid_until AS validUntil, @endsOn AS endsOn, 0 AS renewal, t.name, t.kind, t.sort_order AS sortOrder
       FROM diet_requests r
       JOIN diet_request_items i ON i.request_id = r.id
       JOIN diet_types t ON t.id = i.diet_type_id
       WHERE r.school_year_id = @yearId AND r.status = 'approvata' AND r.approved_on <= @date
         AND (r.valid_until IS NULL OR r.valid_until >= @date) ${only}
       ${
         previous
           ? `UNION ALL
       SELECT r.id, r.pupil_id, r.category, r.details, r.approved_on, r.valid_until, @prevEndsOn, 1, t.name, t.kind, t.sort_order
       FROM diet_requests r
       JOIN diet_request_items i ON i.request_id = r.id
       JOIN diet_types t ON t.id = i.diet_type_id
       WHERE r.school_year_id = @prevId AND r.status = 'approvata'
         AND (r.valid_until IS NULL OR r.valid_until >= @date) ${only}
         AND NOT EXISTS (SELECT 1 FROM diet_requests n
                         WHERE n.pupil_id = r.pupil_id AND n.school_year_id = @yearId AND n.category = r.category
                           AND n.status <> 'in_attesa' AND (n.status <> 'approvata' OR n.approved_on <= @date))`
           : ''
       }
`,
    )
    .all({
      date,
      yearId: year.id,
      endsOn: year.endsOn,
      prevId: previous?.id ?? -1,
      prevEndsOn: previous?.endsOn ?? '',
      ...(pupilIds ? { pupilIds: JSON.stringify(pupilIds) } : {}),
    }) as Row[];
  // rows come grouped by request (the index order); the few items of a request are sorted here
  const byRequest = new Map<number, { diet: CurrentDiet; items: Row[] }>();
  for (const r of rows) {
    let entry = byRequest.get(r.requestId);
    if (!entry) {
      entry = {
        diet: {
          requestId: r.requestId,
          pupilId: r.pupilId,
          category: r.category,
          diets: [],
          allergens: [],
          details: r.details,
          approvedOn: r.approvedOn,
          validTo: r.validUntil && r.validUntil < r.endsOn ? r.validUntil : r.endsOn,
          renewalPending: r.renewal === 1,
        },
        items: [],
      };
      byRequest.set(r.requestId, entry);
      const list = out.get(r.pupilId) ?? [];
      list.push(entry.diet);
      out.set(r.pupilId, list);
    }
    entry.items.push(r);
  }
  for (const { diet, items } of byRequest.values()) {
    if (items.length > 1) items.sort((a, b) => a.sortOrder - b.sortOrder);
    for (const i of items) {
      diet.diets.push(i.name);
      if (i.kind === 'allergene') diet.allergens.push(i.name);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Renewals (DI1)
// ---------------------------------------------------------------------------------------------

export interface RenewalRow {
  pupilId: number;
  pupilName: string;
  taxCode: string;
  schoolName: string | null;
  className: string | null;
  category: DietCategory;
  previousRequestId: number;
  previousDiets: string;
  /** this year's request, if any: its status (in attesa, respinta…) */
  renewalStatus: 'mancante' | 'in_attesa' | 'respinta' | 'revocata';
  enrolled: boolean;
  payerName: string | null;
  payerEmail: string | null;
  payerMobile: string | null;
}

/**
 * DI1: last year's approved diets not yet renewed in `year` (no approved request of the same
 * category): the families to remind before the deadline, and what the office still waits for.
 */
export function renewals(db: AppDb, sqlite: Database.Database, yearId: number) {
  const year = yearById(sqlite, yearId);
  if (!year) return null;
  const settings = dietSettings(db);
  const previous = previousYearOf(sqlite, year);
  const deadline = renewalDeadlineOf(year.startsOn, settings);
  if (!previous) return { year, previous: null, deadline, rows: [] as RenewalRow[] };
  const rows = sqlite
    .prepare(
      `SELECT r.pupil_id AS pupilId, p.last_name || ' ' || p.first_name AS pupilName, p.tax_code AS taxCode,
              coalesce(s.name, ps.name) AS schoolName, coalesce(c.name, pc.name) AS className,
              r.category, r.id AS previousRequestId,
              (SELECT group_concat(name, ', ') FROM (SELECT t.name FROM diet_request_items i JOIN diet_types t ON t.id = i.diet_type_id
                 WHERE i.request_id = r.id ORDER BY t.sort_order)) AS previousDiets,
              coalesce((SELECT n.status FROM diet_requests n WHERE n.pupil_id = r.pupil_id AND n.school_year_id = @yearId
                          AND n.category = r.category ORDER BY n.id DESC LIMIT 1), 'mancante') AS renewalStatus,
              (e.id IS NOT NULL AND e.status <> 'ritirata') AS enrolled,
              pay.last_name || ' ' || pay.first_name AS payerName, pay.email AS payerEmail, pay.mobile AS payerMobile
       FROM diet_requests r
       JOIN pupils p ON p.id = r.pupil_id
       LEFT JOIN schools ps ON ps.id = p.school_id
       LEFT JOIN classes pc ON pc.id = p.class_id
       LEFT JOIN enrollments e ON e.pupil_id = r.pupil_id AND e.school_year_id = @yearId
       LEFT JOIN enrollments pe ON pe.pupil_id = r.pupil_id AND pe.school_year_id = @prevId
       LEFT JOIN schools s ON s.id = e.school_id
       LEFT JOIN classes c ON c.id = e.class_id
       LEFT JOIN payers pay ON pay.id = coalesce(e.payer_id, pe.payer_id)
       WHERE r.school_year_id = @prevId AND r.status = 'approvata'
         AND NOT EXISTS (SELECT 1 FROM diet_requests n WHERE n.pupil_id = r.pupil_id AND n.school_year_id = @yearId
                           AND n.category = r.category AND n.status IN ('approvata', 'sostituita'))
       ORDER BY p.last_name, p.first_name, r.category`,
    )
    .all({ yearId: year.id, prevId: previous.id }) as (Omit<RenewalRow, 'enrolled'> & { enrolled: number })[];
  return { year, previous, deadline, rows: rows.map((r) => ({ ...r, enrolled: r.enrolled === 1 })) };
}

// ---------------------------------------------------------------------------------------------
// School list (the kitchen's list of the year)
// ---------------------------------------------------------------------------------------------

export interface SchoolDietRow {
  requestId: number;
  pupilId: number;
  pupilName: string;
  schoolId: number;
  schoolName: string;
  className: string | null;
  category: DietCategory;
  diets: string;
  allergens: string;
  details: string;
  approvedOn: string;
  validTo: string;
}

/** Every approved diet of a school year, per school and class (printable, exported to Excel). */
export function schoolDietList(sqlite: Database.Database, yearId: number, schoolId?: number): SchoolDietRow[] {
  return sqlite
    .prepare(
      `SELECT r.id AS requestId, r.pupil_id AS pupilId, p.last_name || ' ' || p.first_name AS pupilName,
              s.id AS schoolId, s.name AS schoolName, c.name AS className, r.category,
              (SELECT group_concat(name, ', ') FROM (SELECT t.name FROM diet_request_items i JOIN diet_types t ON t.id = i.diet_type_id
                 WHERE i.request_id = r.id ORDER BY t.sort_order)) AS diets,
              coalesce((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM diet_request_items i JOIN diet_types t ON t.id = i.diet_type_id
                 WHERE i.request_id = r.id AND t.kind = 'allergene' ORDER BY t.sort_order)), '') AS allergens,
              r.details, r.approved_on AS approvedOn,
              CASE WHEN r.valid_until IS NOT NULL AND r.valid_until < y.ends_on THEN r.valid_until ELSE y.ends_on END AS validTo
       FROM diet_requests r
       JOIN school_years y ON y.id = r.school_year_id
       JOIN pupils p ON p.id = r.pupil_id
       LEFT JOIN enrollments e ON e.pupil_id = r.pupil_id AND e.school_year_id = r.school_year_id
       JOIN schools s ON s.id = coalesce(e.school_id, p.school_id)
       LEFT JOIN classes c ON c.id = coalesce(e.class_id, p.class_id)
       WHERE r.school_year_id = @yearId AND r.status = 'approvata' ${schoolId !== undefined ? 'AND s.id = @schoolId' : ''}
       ORDER BY s.name, c.name, p.last_name, p.first_name, r.category`,
    )
    .all({ yearId, ...(schoolId !== undefined ? { schoolId } : {}) }) as SchoolDietRow[];
}

// ---------------------------------------------------------------------------------------------
// Retention (F5)
// ---------------------------------------------------------------------------------------------

export interface PurgeCandidate {
  attachmentId: number;
  requestId: number;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  schoolYearLabel: string;
  keptUntil: string;
}

/** Attachments whose retention ended before `today` and whose content is still there. */
export function purgeCandidates(db: AppDb, today: string): PurgeCandidate[] {
  const { retentionMonths } = dietSettings(db);
  const rows = db
    .select({
      attachmentId: dietAttachments.id,
      requestId: dietAttachments.requestId,
      fileName: dietAttachments.fileName,
      sizeBytes: dietAttachments.sizeBytes,
      sha256: dietAttachments.sha256,
      schoolYearLabel: schoolYears.label,
      endsOn: schoolYears.endsOn,
    })
    .from(dietAttachments)
    .innerJoin(dietRequests, eq(dietRequests.id, dietAttachments.requestId))
    .innerJoin(schoolYears, eq(schoolYears.id, dietRequests.schoolYearId))
    .where(and(isNotNull(dietAttachments.content), lte(schoolYears.endsOn, today)))
    .orderBy(dietAttachments.id)
    .all();
  return rows
    .map(({ endsOn, ...r }) => ({ ...r, keptUntil: retentionEndOf(endsOn, retentionMonths) }))
    .filter((r) => r.keptUntil < today);
}

/** Empties the content of the attachments past their retention; the rows stay (never hard-deleted). */
export function purgeAttachments(db: AppDb, today: string, at: Date, userId: number | null): PurgeCandidate[] {
  const list = purgeCandidates(db, today);
  for (const c of list) {
    db.update(dietAttachments)
      .set({ content: null, purgedAt: at.toISOString(), purgedBy: userId })
      .where(and(eq(dietAttachments.id, c.attachmentId), sql`${dietAttachments.content} IS NOT NULL`))
      .run();
  }
  return list;
}
