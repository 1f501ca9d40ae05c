/**
 * The operator's choices per file layout (issue 12): the office imports the same export of the
 * previous system again and again (next year, the rows fixed after a refusal), so the column
 * mapping, the answers to the ambiguous columns and the school year chosen for a layout are kept
 * in `import_layouts` and proposed again for any file whose header row has the same names.
 *
 * The layout is the header row with every name normalised (`normalizeHeader`): «COGNOME» and
 * «Cognome» are the same layout. The «Errore» column of a rejected-rows file (`rejected.ts`) is not
 * part of it: the fixed rows come back with the choices of the file they came from.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { currentSchoolYear } from '../contract/vocabulary/school-year';
import { IMPORT_TARGETS, normalizeHeader, type ImportAnswer, type ImportAnswers, type ImportMapping, type TargetField } from './targets';

/** The column a rejected-rows file adds (`rejected.ts`); ignored by the layout and by the mapping. */
export const ERROR_COLUMN = 'Errore';

export type YearChoice = 'corrente' | 'successivo' | 'anno';

export interface SchoolYearRow {
  id: number;
  label: string;
  startsOn: string;
  endsOn: string;
}

/** The normalised header names that make the layout, in the file's order. */
export function layoutHeaders(columns: readonly string[]): string[] {
  const errorKey = normalizeHeader(ERROR_COLUMN);
  return columns.map(normalizeHeader).filter((h) => h !== errorKey);
}

/** SHA-256 (hex) of the normalised header row. */
export function layoutFingerprint(columns: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(layoutHeaders(columns))).digest('hex');
}

export function schoolYears(sqlite: Database.Database): SchoolYearRow[] {
  return sqlite.prepare('SELECT id, label, starts_on AS startsOn, ends_on AS endsOn FROM school_years ORDER BY starts_on').all() as SchoolYearRow[];
}

/** The year that starts after `year` (the next one the office has registered). */
function nextYear(years: readonly SchoolYearRow[], year: SchoolYearRow): SchoolYearRow | undefined {
  return years.filter((y) => y.startsOn > year.startsOn).sort((a, b) => (a.startsOn < b.startsOn ? -1 : 1))[0];
}

/** The choice as kept: the current year and the next one are relative to the day (a layout kept in June serves next June too). */
export function yearChoiceOf(years: readonly SchoolYearRow[], today: string, schoolYearId: number): { choice: YearChoice; schoolYearId: number | null } {
  const current = currentSchoolYear(years, today);
  if (current && current.id === schoolYearId) return { choice: 'corrente', schoolYearId: null };
  if (current && nextYear(years, current)?.id === schoolYearId) return { choice: 'successivo', schoolYearId: null };
  return { choice: 'anno', schoolYearId };
}

/** The year a choice names today (undefined: none registered). */
export function resolveYearChoice(years: readonly SchoolYearRow[], today: string, choice: YearChoice, schoolYearId: number | null): SchoolYearRow | undefined {
  const current = currentSchoolYear(years, today);
  if (choice === 'anno') return years.find((y) => y.id === schoolYearId) ?? current;
  if (choice === 'successivo' && current) return nextYear(years, current) ?? current;
  return current;
}

export interface RememberedLayout {
  fingerprint: string;
  /** the kept mapping, with the names as this file spells them */
  mapping: ImportMapping;
  answers: ImportAnswers;
  yearChoice: YearChoice;
  schoolYearId: number | null;
  updatedAt: string;
}

interface LayoutRow {
  id: number;
  mapping: string;
  answers: string;
  yearChoice: YearChoice;
  schoolYearId: number | null;
  updatedAt: string;
}

function readLayoutRow(sqlite: Database.Database, fingerprint: string): LayoutRow | undefined {
  return sqlite
    .prepare('SELECT id, mapping, answers, year_choice AS yearChoice, school_year_id AS schoolYearId, updated_at AS updatedAt FROM import_layouts WHERE fingerprint = ?')
    .get(fingerprint) as LayoutRow | undefined;
}

const FIELDS = new Set<string>(IMPORT_TARGETS.map((t) => t.field));

function parseObject(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The layout kept for these columns, translated to this file's spelling of the names; null when none. */
export function loadLayout(sqlite: Database.Database, columns: readonly string[]): RememberedLayout | null {
  const fingerprint = layoutFingerprint(columns);
  const row = readLayoutRow(sqlite, fingerprint);
  if (!row) return null;
  const byKey = new Map<string, string>();
  for (const c of columns) if (!byKey.has(normalizeHeader(c))) byKey.set(normalizeHeader(c), c);
  const mapping: ImportMapping = {};
  for (const [field, key] of Object.entries(parseObject(row.mapping))) {
    const column = typeof key === 'string' ? byKey.get(key) : undefined;
    if (FIELDS.has(field) && column) mapping[field as TargetField] = column;
  }
  const answers: ImportAnswers = {};
  for (const [key, answer] of Object.entries(parseObject(row.answers))) {
    const column = byKey.get(key);
    if (column && typeof answer === 'string' && (answer === 'nessuno' || FIELDS.has(answer))) answers[column] = answer as ImportAnswer;
  }
  return { fingerprint, mapping, answers, yearChoice: row.yearChoice, schoolYearId: row.schoolYearId, updatedAt: row.updatedAt };
}

export interface LayoutChoices {
  columns: readonly string[];
  mapping: ImportMapping;
  answers: ImportAnswers;
  /** the school year chosen for the rows without one (kept relative to today, see `yearChoiceOf`) */
  schoolYearId: number | null;
}

/** What the audit record keeps of a layout. */
export interface LayoutRecord {
  headers: string[];
  mapping: Record<string, string>;
  answers: Record<string, string>;
  yearChoice: YearChoice;
  schoolYearId: number | null;
}

/**
 * Keeps the choices for the layout of `columns` (insert or update). Returns the record before and
 * after, or null when nothing changed (no audit record then).
 */
export function saveLayout(
  sqlite: Database.Database,
  choices: LayoutChoices,
  today: string,
  nowIso: string,
  userId: number | null,
): { id: number; fingerprint: string; before: LayoutRecord | null; after: LayoutRecord } | null {
  const fingerprint = layoutFingerprint(choices.columns);
  const headers = layoutHeaders(choices.columns);
  const mapping: Record<string, string> = {};
  for (const t of IMPORT_TARGETS) {
    const col = choices.mapping[t.field];
    if (col && normalizeHeader(col) !== normalizeHeader(ERROR_COLUMN)) mapping[t.field] = normalizeHeader(col);
  }
  const answers: Record<string, string> = {};
  for (const [col, a] of Object.entries(choices.answers).sort(([x], [y]) => x.localeCompare(y))) answers[normalizeHeader(col)] = a;
  const years = schoolYears(sqlite);
  const year =
    choices.schoolYearId !== null && years.some((y) => y.id === choices.schoolYearId)
      ? yearChoiceOf(years, today, choices.schoolYearId)
      : { choice: 'corrente' as const, schoolYearId: null };
  const after: LayoutRecord = { headers, mapping, answers, yearChoice: year.choice, schoolYearId: year.schoolYearId };
  const old = readLayoutRow(sqlite, fingerprint);
  const before: LayoutRecord | null = old
    ? { headers, mapping: parseObject(old.mapping) as Record<string, string>, answers: parseObject(old.answers) as Record<string, string>, yearChoice: old.yearChoice, schoolYearId: old.schoolYearId }
    : null;
  if (old && JSON.stringify(before) === JSON.stringify(after)) return null;
  if (old) {
    sqlite
      .prepare('UPDATE import_layouts SET mapping = ?, answers = ?, year_choice = ?, school_year_id = ?, updated_by = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(mapping), JSON.stringify(answers), year.choice, year.schoolYearId, userId, nowIso, old.id);
    return { id: old.id, fingerprint, before, after };
  }
  const id = Number(
    sqlite
      .prepare(
        `INSERT INTO import_layouts (fingerprint, headers, mapping, answers, year_choice, school_year_id, updated_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(fingerprint, JSON.stringify(headers), JSON.stringify(mapping), JSON.stringify(answers), year.choice, year.schoolYearId, userId, nowIso, nowIso).lastInsertRowid,
  );
  return { id, fingerprint, before: null, after };
}
