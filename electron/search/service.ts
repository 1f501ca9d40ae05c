import { sql, type SQL } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { classes, enrollments, municipalities, payers, pupils, schools } from '../../db/schema';
import { likePattern } from '../contract/fields';
import { placeYearId } from '../pupils/service';

/**
 * Issue 12: one search box for the whole office. It finds a pupil or a payer by surname and name
 * (either order, part of a word, accents and apostrophes ignored: "nicolo" finds Nicolò, "dangelo"
 * finds D'Angelo), by codice fiscale, by badge (codice utente, 8 digits) or by phone-cancellation
 * code (6 digits). Two set-based queries, each with its limit; codes that match exactly come first.
 */
export const SEARCH_KINDS = ['alunno', 'pagante'] as const;
export const MATCH_KINDS = ['codice_fiscale', 'codice_utente', 'codice_disdetta', 'nome'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export interface PersonHit {
  kind: (typeof SEARCH_KINDS)[number];
  id: number;
  lastName: string;
  firstName: string;
  taxCode: string;
  userCode: string | null;
  schoolName: string | null;
  className: string | null;
  municipalityName: string | null;
  /** for a payer: the children's names (surname name), comma-separated; for a pupil: the payer of the place enrollment */
  related: string | null;
  matchedBy: MatchKind;
}

/** Lower case without accents or apostrophes: what both the stored text and the typed words are compared as. */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’`]/g, '')
    .toLowerCase();
}

// SQLite's lower() knows only ASCII: the accented letters of Italian (and the usual foreign ones)
// are folded by hand, upper and lower case, and apostrophes dropped, in the same way as foldText.
const FOLDS: [string, string][] = [
  ...'àáâäãå'.split('').map((c): [string, string] => [c, 'a']),
  ...'èéêë'.split('').map((c): [string, string] => [c, 'e']),
  ...'ìíîï'.split('').map((c): [string, string] => [c, 'i']),
  ...'òóôöõ'.split('').map((c): [string, string] => [c, 'o']),
  ...'ùúûü'.split('').map((c): [string, string] => [c, 'u']),
  ['ç', 'c'],
  ['ñ', 'n'],
  ["'", ''],
  ['’', ''],
  ['`', ''],
];

/**
 * The stored search text (already lower case: pupilSearchText, payerSearchText) folded like
 * foldText. Folding costs a chain of replace() calls, so it is done only for the few rows whose
 * text has a letter outside ASCII or an apostrophe; the others are compared as they are.
 */
function folded(column: SQL): SQL {
  let expr = column;
  for (const [from, to] of FOLDS) expr = sql`replace(${expr}, ${from}, ${to})`;
  return sql`(CASE WHEN ${column} GLOB '*[^ -~]*' OR instr(${column}, '''') > 0 OR instr(${column}, '\`') > 0 THEN ${expr} ELSE ${column} END)`;
}

const CF_SHAPE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** What the typed text can be: an exact code (badge, phone code, codice fiscale) and the words to look for in names. */
export function readQuery(query: string) {
  const compact = query.replace(/\s+/g, '').toUpperCase();
  const words = foldText(query).split(/\s+/).filter(Boolean);
  return {
    userCode: /^\d{8}$/.test(compact) ? compact : null,
    phoneCode: /^\d{6}$/.test(compact) ? compact : null,
    taxCode: CF_SHAPE.test(compact) ? compact : null,
    words,
  };
}

function allWords(text: SQL, words: string[]): SQL {
  return sql.join(
    words.map((w) => sql`${text} LIKE ${likePattern(w)} ESCAPE '\\'`),
    sql` AND `,
  );
}

export function searchPeople(db: AppDb, query: string, limit: number, today: string): { hits: PersonHit[]; more: boolean } {
  const q = readQuery(query);
  if (q.words.length === 0) return { hits: [], more: false };
  const yearId = placeYearId(db, today) ?? -1;
  // an exact code never matches '' (every code column is non-empty: CHECK in db/schema/people.ts)
  const userCode = q.userCode ?? '';
  const phoneCode = q.phoneCode ?? '';
  const taxCode = q.taxCode ?? '';

  // pupils: every word somewhere in "surname name codice-fiscale badge" (folded), or an exact code;
  // school and class from the enrollment of the current school year (issue 12), else the pupil's record
  const pupilText = folded(sql.raw('p.search_text'));
  // a whole badge or codice fiscale is looked up, not searched (the unique indexes answer); names
  // are read in the order of the name index and the reading stops at the limit
  const pupilIds = q.userCode || q.taxCode
    ? sql`SELECT id FROM ${pupils} WHERE user_code = ${userCode} OR tax_code = ${taxCode}`
    : sql`SELECT id FROM ${pupils} WHERE phone_code = ${phoneCode}
          UNION ALL SELECT id FROM (SELECT p.id FROM ${pupils} p WHERE ${allWords(pupilText, q.words)} ORDER BY p.last_name, p.first_name, p.id LIMIT ${limit + 1})`;
  const pupilRows = db.all<Omit<PersonHit, 'kind'>>(sql`
    SELECT p.id AS id, p.last_name AS lastName, p.first_name AS firstName, p.tax_code AS taxCode, p.user_code AS userCode,
           s.name AS schoolName, c.name AS className, m.name AS municipalityName,
           (SELECT py.last_name || ' ' || py.first_name FROM ${payers} py
             WHERE py.id = coalesce(pe.payer_id, (SELECT e2.payer_id FROM ${enrollments} e2 WHERE e2.pupil_id = p.id ORDER BY e2.id DESC LIMIT 1))) AS related,
           CASE WHEN p.user_code = ${userCode} THEN 'codice_utente'
                WHEN p.phone_code = ${phoneCode} THEN 'codice_disdetta'
                WHEN p.tax_code = ${taxCode} THEN 'codice_fiscale'
                ELSE 'nome' END AS matchedBy
    FROM ${pupils} p
    LEFT JOIN ${enrollments} pe ON pe.pupil_id = p.id AND pe.school_year_id = ${yearId}
    LEFT JOIN ${schools} s ON s.id = coalesce(pe.school_id, p.school_id)
    LEFT JOIN ${municipalities} m ON m.id = s.municipality_id
    LEFT JOIN ${classes} c ON c.id = CASE WHEN pe.id IS NULL THEN p.class_id ELSE pe.class_id END
    WHERE p.id IN (${pupilIds})
    ORDER BY matchedBy = 'nome', p.last_name, p.first_name, p.id
    LIMIT ${limit + 1}`);

  // payers: every word in "surname name codice-fiscale e-mail" (folded), or the exact codice fiscale
  const payerText = folded(sql.raw('py.search_text'));
  const payerIds = q.userCode || q.phoneCode
    ? sql`SELECT NULL WHERE 0`
    : q.taxCode
      ? sql`SELECT id FROM ${payers} WHERE tax_code = ${taxCode}`
      : sql`SELECT id FROM (SELECT py.id FROM ${payers} py WHERE ${allWords(payerText, q.words)} ORDER BY py.last_name, py.first_name, py.id LIMIT ${limit + 1})`;
  const payerRows = db.all<Omit<PersonHit, 'kind'>>(sql`
    SELECT py.id AS id, py.last_name AS lastName, py.first_name AS firstName, py.tax_code AS taxCode, NULL AS userCode,
           NULL AS schoolName, NULL AS className, nullif(py.town, '') AS municipalityName,
           (SELECT group_concat(name, ', ') FROM (
              SELECT DISTINCT p.last_name || ' ' || p.first_name AS name FROM ${enrollments} e JOIN ${pupils} p ON p.id = e.pupil_id
              WHERE e.payer_id = py.id ORDER BY p.last_name, p.first_name LIMIT 6)) AS related,
           CASE WHEN py.tax_code = ${taxCode} THEN 'codice_fiscale' ELSE 'nome' END AS matchedBy
    FROM ${payers} py
    WHERE py.id IN (${payerIds})
    ORDER BY matchedBy = 'nome', py.last_name, py.first_name, py.id
    LIMIT ${limit + 1}`);

  const hits: PersonHit[] = [
    ...pupilRows.map((r) => ({ ...r, kind: 'alunno' as const })),
    ...payerRows.map((r) => ({ ...r, kind: 'pagante' as const })),
  ].sort((a, b) => rank(a) - rank(b) || a.lastName.localeCompare(b.lastName, 'it') || a.firstName.localeCompare(b.firstName, 'it') || (a.kind === b.kind ? a.id - b.id : a.kind === 'alunno' ? -1 : 1));
  return { hits: hits.slice(0, limit), more: hits.length > limit };
}

/** Exact codes first (the badge read from a card, the phone code said on the phone), then names. */
function rank(h: PersonHit): number {
  return h.matchedBy === 'nome' ? 1 : 0;
}
