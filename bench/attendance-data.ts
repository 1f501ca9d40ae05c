/**
 * Synthetic attendance data for the day-close and kitchen benchmarks, written with raw SQL so that
 * 50,000 pupils take a second and a school year of recorded meals (about 10 million rows) well under
 * a minute: two municipalities (Clusone 09:30, Cassino 09:00), 20 schools, 200 classes, 50,000
 * pupils with payers and enrollments (some withdrawn, suspended, on fewer weekdays), and for the
 * benchmark day some cancellations, plain meals, prolonged absences and a class trip.
 */
import type Database from 'better-sqlite3';
import { eachDate, isoWeekday } from '../electron/calendar/rome-time';
import { isItalianPublicHoliday } from '../electron/calendar/holidays';

const NOW = '2026-09-01T08:00:00.000Z';
const series = (n: number) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;

export interface AttendanceData {
  pupils: number;
  schools: number;
  classes: number;
}

/** Master data and pupils; `day` gets absences and a trip so the close has rules to apply. */
export function seedAttendanceData(sqlite: Database.Database, pupils: number, day: string): AttendanceData {
  const schools = 20;
  const classesPerSchool = 10;
  sqlite.transaction(() => {
    sqlite.exec(`
      INSERT INTO municipalities (name, province, cutoff_time, created_at, updated_at) VALUES
        ('Clusone', 'BG', '09:30', '${NOW}', '${NOW}'), ('Cassino', 'FR', '09:00', '${NOW}', '${NOW}');
      INSERT INTO school_years (label, starts_on, ends_on, created_at) VALUES ('2026/2027', '2026-09-01', '2027-06-30', '${NOW}');
      INSERT INTO tariffs (municipality_id, service, valid_from, gross_cents, net_cents, vat_rate_bp, created_at, updated_at)
        VALUES (1, 'mensa', '2026-09-01', 618, 595, 400, '${NOW}', '${NOW}'), (2, 'mensa', '2026-09-01', 450, 433, 400, '${NOW}', '${NOW}');
      ${series(schools)} INSERT INTO schools (municipality_id, name, kind, service_weekdays, created_at, updated_at)
        SELECT CASE WHEN i <= 12 THEN 1 ELSE 2 END, 'Scuola ' || i, 'primaria', CASE WHEN i % 5 = 0 THEN '1,3' ELSE '1,2,3,4,5' END, '${NOW}', '${NOW}' FROM n;
      ${series(schools * classesPerSchool)} INSERT INTO classes (school_id, school_year_id, name, created_at)
        SELECT (i - 1) / ${classesPerSchool} + 1, 1, ((i - 1) % 5 + 1) || char(65 + (i - 1) % 2), '${NOW}' FROM n;
      ${series(pupils / 2)} INSERT INTO payers (first_name, last_name, tax_code, email, mobile, search_text, created_at, updated_at)
        SELECT 'Genitore', 'N' || i, 'PAYER' || printf('%011d', i), 'g' || i || '@example.it', '3470000000', 'n' || i, '${NOW}', '${NOW}' FROM n;
      ${series(pupils)} INSERT INTO pupils (first_name, last_name, birth_date, tax_code, user_code, phone_code, school_id, class_id, search_text, created_at, updated_at)
        SELECT 'Alunno', 'N' || i, '2017-05-05', 'PUPIL' || printf('%011d', i), printf('%08d', i), printf('%06d', i),
               ((i - 1) % ${schools * classesPerSchool}) / ${classesPerSchool} + 1, (i - 1) % ${schools * classesPerSchool} + 1, 'n' || i, '${NOW}', '${NOW}' FROM n;
      INSERT INTO enrollments (pupil_id, school_year_id, payer_id, school_id, class_id, weekdays, payment_method, status, starts_on, activated_on,
                               suspended_on, withdrawn_on, created_at, updated_at)
        SELECT p.id, 1, (p.id + 1) / 2, p.school_id, p.class_id,
               CASE WHEN s.service_weekdays = '1,3' THEN '1,3' WHEN p.id % 10 = 0 THEN '1,3,5' ELSE '1,2,3,4,5' END,
               CASE WHEN p.id % 3 = 0 THEN 'prepagato' ELSE 'sdd' END,
               CASE WHEN p.id % 97 = 0 THEN 'ritirata' WHEN p.id % 89 = 0 THEN 'sospesa' ELSE 'attiva' END,
               '2026-09-14', '2026-09-01',
               CASE WHEN p.id % 89 = 0 THEN '2026-10-01' END, CASE WHEN p.id % 97 = 0 THEN '2026-10-05' END, '${NOW}', '${NOW}'
        FROM pupils p JOIN schools s ON s.id = p.school_id;
      INSERT INTO absences (pupil_id, kind, date, source, acted_at, created_at)
        SELECT id, 'giorno', '${day}', 'portale', '${NOW}', '${NOW}' FROM pupils WHERE id % 20 = 1;
      INSERT INTO absences (pupil_id, kind, date, source, acted_at, created_at)
        SELECT id, 'in_bianco', '${day}', 'app', '${NOW}', '${NOW}' FROM pupils WHERE id % 50 = 2;
      INSERT INTO absences (pupil_id, kind, date, source, acted_at, created_at)
        SELECT id, 'prolungata', '2026-10-01', 'ufficio', '${NOW}', '${NOW}' FROM pupils WHERE id % 100 = 3;
      INSERT INTO calendar_closures (school_year_id, scope, municipality_id, school_id, class_id, from_date, to_date, kind, reason, created_at)
        VALUES (1, 'classe', 1, 1, 1, '${day}', '${day}', 'gita', 'Gita', '${NOW}');
    `);
  })();
  // no ANALYZE: the office's database has no statistics either, so the plans measured are its plans
  return { pupils, schools, classes: schools * classesPerSchool };
}

/** Service days (Monday–Friday, not national holidays) of the school year. */
export function schoolYearDays(from = '2026-09-14', to = '2027-06-30'): string[] {
  return eachDate(from, to).filter((d) => isoWeekday(d) <= 5 && !isItalianPublicHoliday(d));
}

/**
 * A closed school year: one recorded meal per enrollment per service day (about 10 million rows
 * for 50,000 pupils), written without indexes and foreign-key checks, then the indexes rebuilt
 * (a sort is much faster than 10 million random index insertions).
 */
export function seedRecordedYear(sqlite: Database.Database, days: string[]): number {
  const indexes = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'meals' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('ignore_check_constraints = ON'); // the rows are built valid: 10 million CHECKs would cost more than the inserts
  sqlite.pragma('journal_mode = DELETE');
  sqlite.pragma('synchronous = OFF');
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -524288'); // 512 MB: the index sorts stay in memory
  for (const ix of indexes) sqlite.exec(`DROP INDEX ${ix.name}`);
  const insClosure = sqlite.prepare(
    "INSERT INTO day_closures (municipality_id, date, closed_at, mode, meals, plain_meals) VALUES (?, ?, ?, 'automatica', 0, 0)",
  );
  const insMeals = sqlite.prepare(
    `INSERT INTO meals (pupil_id, date, enrollment_id, municipality_id, school_id, class_id, plain, tariff_id, price_cents, day_closure_id)
     SELECT e.pupil_id, @date, e.id, s.municipality_id, e.school_id, e.class_id, (e.pupil_id + @k) % 40 = 0,
            s.municipality_id, CASE s.municipality_id WHEN 1 THEN 618 ELSE 450 END,
            CASE s.municipality_id WHEN 1 THEN @c1 ELSE @c2 END
     FROM enrollments e JOIN schools s ON s.id = e.school_id`,
  );
  let rows = 0;
  sqlite.transaction(() => {
    days.forEach((date, k) => {
      const c1 = Number(insClosure.run(1, date, `${date}T07:30:00.000Z`).lastInsertRowid);
      const c2 = Number(insClosure.run(2, date, `${date}T07:00:00.000Z`).lastInsertRowid);
      rows += insMeals.run({ date, k, c1, c2 }).changes;
    });
  })();
  for (const ix of indexes) sqlite.exec(ix.sql);
  sqlite.exec(
    `UPDATE day_closures SET
       meals = (SELECT count(*) FROM meals m WHERE m.date = day_closures.date AND m.municipality_id = day_closures.municipality_id),
       plain_meals = (SELECT count(*) FROM meals m WHERE m.date = day_closures.date AND m.municipality_id = day_closures.municipality_id AND m.plain = 1)`,
  );
  sqlite.pragma(`cache_size = ${cacheSize}`);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('ignore_check_constraints = OFF');
  sqlite.pragma('foreign_keys = ON');
  return rows;
}
