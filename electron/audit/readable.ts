/**
 * The audit log as people read it (issue 12), resolved at read time from the stored records:
 * - the operation and the kind of record by their Italian names (contract/vocabulary/audit.ts);
 * - who the record is about: the pupil's or the payer's name (not "alunno #2001"), read from the
 *   archive now, so a record written before a correction shows today's name; for an enrollment,
 *   a diet request, an absence… the pupil of its snapshot;
 * - the before/after as a list of changed fields only, each with its Italian name and its value
 *   formatted (dates dd/mm/yyyy, moments in Rome time, cents as euros, booleans Sì/No, weekdays,
 *   ids of pupils, payers, schools, classes, municipalities and school years by name).
 *
 * Masking (issue 7) is kept: the stored snapshots are already masked by the writer, and they are
 * masked again here (a record older than the masking, or written by hand, never shows a full IBAN
 * or a password); the names looked up are only first and last names, never a code, an IBAN or a
 * diet. The audit log is read by supervisors only, who may also see the diets (F5).
 */
import type Database from 'better-sqlite3';
import { entityLabel, fieldLabel, operationLabel } from '../contract/vocabulary/audit';
import { formatDateIt, formatMomentIt, isRealDate } from '../contract/vocabulary/dates';
import { weekdayShort } from '../contract/vocabulary/weekdays';
import { maskSnapshot } from './mask';

export interface StoredAuditRow {
  id: number;
  at: string;
  username: string;
  procedure: string;
  entity: string;
  entityId: string | null;
  action: string;
  before: string | null;
  after: string | null;
  /** where the change was made (issue 14): null for scheduled work and older records */
  workstation?: string | null;
}

/** One changed field: its Italian name and the formatted values ('' when absent). */
export interface AuditChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface ReadableAuditRow extends StoredAuditRow {
  workstation: string | null;
  operation: string;
  entityName: string;
  /** the pupil or payer (or school, user…) the record is about, by name; null when none */
  subject: string | null;
  changes: AuditChange[];
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => !!x && typeof x === 'object' && !Array.isArray(x);

function parse(json: string | null): unknown {
  if (json === null) return undefined;
  try {
    return maskSnapshot(JSON.parse(json));
  } catch {
    return maskSnapshot(json);
  }
}

/** The kinds of ids the snapshots carry, and how their names are read. */
const REFERENCES = {
  pupil: `SELECT id, first_name || ' ' || last_name AS name FROM pupils WHERE id IN (SELECT value FROM json_each(?))`,
  payer: `SELECT id, first_name || ' ' || last_name AS name FROM payers WHERE id IN (SELECT value FROM json_each(?))`,
  school: `SELECT id, name FROM schools WHERE id IN (SELECT value FROM json_each(?))`,
  class: `SELECT c.id, c.name || ' (' || s.name || ')' AS name FROM classes c JOIN schools s ON s.id = c.school_id WHERE c.id IN (SELECT value FROM json_each(?))`,
  municipality: `SELECT id, name FROM municipalities WHERE id IN (SELECT value FROM json_each(?))`,
  schoolYear: `SELECT id, label AS name FROM school_years WHERE id IN (SELECT value FROM json_each(?))`,
  enrollmentPupil: `SELECT e.id, p.first_name || ' ' || p.last_name AS name FROM enrollments e JOIN pupils p ON p.id = e.pupil_id WHERE e.id IN (SELECT value FROM json_each(?))`,
  user: `SELECT id, display_name || ' (' || username || ')' AS name FROM users WHERE id IN (SELECT value FROM json_each(?))`,
  dietType: `SELECT id, name FROM diet_types WHERE id IN (SELECT value FROM json_each(?))`,
} as const;
type RefKind = keyof typeof REFERENCES;

/** Snapshot keys whose value is the id of a record of that kind. */
const KEY_REFERENCE: Record<string, RefKind> = {
  pupilId: 'pupil',
  payerId: 'payer',
  secondParentId: 'payer',
  schoolId: 'school',
  classId: 'class',
  municipalityId: 'municipality',
  schoolYearId: 'schoolYear',
  enrollmentId: 'enrollmentPupil',
  handledBy: 'user',
  createdBy: 'user',
  updatedBy: 'user',
  decidedBy: 'user',
  userId: 'user',
  dietTypeId: 'dietType',
  dietTypeIds: 'dietType',
};

/** The record's own id, for the kinds whose subject is a person (or a named thing). */
const ENTITY_REFERENCE: Record<string, RefKind> = {
  alunno: 'pupil',
  pagante: 'payer',
  iscrizione: 'enrollmentPupil',
  scuola: 'school',
  classe: 'class',
  comune: 'municipality',
  anno_scolastico: 'schoolYear',
  utente: 'user',
};

/** Technical fields a reader does not need in a before/after (ids of the record, search helpers, hashes, the record's version: issue 14). */
const HIDDEN_FIELDS = new Set(['id', 'searchText', 'sha256', 'passwordHash', 'salt', 'version']);

class Names {
  private readonly wanted = new Map<RefKind, Set<number>>();
  private readonly found = new Map<RefKind, Map<number, string>>();
  want(kind: RefKind, id: unknown) {
    const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
    if (typeof n !== 'number' || !Number.isInteger(n)) return;
    let set = this.wanted.get(kind);
    if (!set) this.wanted.set(kind, (set = new Set()));
    set.add(n);
  }
  load(sqlite: Database.Database) {
    for (const [kind, ids] of this.wanted) {
      const rows = sqlite.prepare(REFERENCES[kind]).all(JSON.stringify([...ids])) as { id: number; name: string }[];
      this.found.set(kind, new Map(rows.map((r) => [r.id, r.name])));
    }
  }
  name(kind: RefKind, id: unknown): string | null {
    const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
    return typeof n === 'number' ? (this.found.get(kind)?.get(n) ?? null) : null;
  }
}

const euro = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
const count = new Intl.NumberFormat('it-IT');


const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** One value as a reader wants it, by its key. */
export function formatValue(key: string, value: unknown, names?: Names): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'Sì' : 'No';
  const ref = KEY_REFERENCE[key];
  if (ref && names) {
    const n = names.name(ref, value);
    if (n) return n;
  }
  if (typeof value === 'number') {
    if (/Cents$/.test(key)) return euro.format(value / 100);
    if (/Bp$/.test(key)) return `${count.format(value / 100)}%`;
    return ref ? `#${value}` : count.format(value);
  }
  if (typeof value === 'string') {
    if (/weekdays$/i.test(key) && /^[1-7](,[1-7])*$/.test(value)) return value.split(',').map((v) => weekdayShort(Number(v))).join(' ');
    if (isRealDate(value)) return formatDateIt(value);
    if (MOMENT.test(value)) return formatMomentIt(value);
    return value;
  }
  if (Array.isArray(value)) {
    if (/weekdays$/i.test(key) && value.every((v) => typeof v === 'number' && v >= 1 && v <= 7)) return value.map((v) => weekdayShort(v as number)).join(' ');
    return value.map((v) => formatValue(key, v, names)).filter(Boolean).join(', ');
  }
  if (isObject(value)) {
    return Object.entries(value)
      .filter(([k]) => !HIDDEN_FIELDS.has(k))
      .map(([k, v]) => `${fieldLabel(k)}: ${formatValue(k, v, names) || '—'}`)
      .join('; ');
  }
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The changed fields of a record: for a change, only the fields whose value differs; for a
 * creation (no before), the fields given; for a removal (no after), the fields there were. A
 * snapshot that is not an object (a plain text, a number) is one change without a field name.
 */
function changesOf(before: unknown, after: unknown, names: Names): AuditChange[] {
  if (before === undefined && after === undefined) return [];
  if (!isObject(before) && !isObject(after)) {
    return [{ field: '', label: 'Valore', before: formatValue('', before, names), after: formatValue('', after, names) }];
  }
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !HIDDEN_FIELDS.has(k));
  const out: AuditChange[] = [];
  for (const k of keys) {
    if (isObject(before) && isObject(after) && same(b[k], a[k])) continue;
    const change = { field: k, label: fieldLabel(k), before: formatValue(k, b[k], names), after: formatValue(k, a[k], names) };
    // a creation or a removal lists what there is, not empty fields
    if (change.before === '' && change.after === '') continue;
    out.push(change);
  }
  return out;
}

function collect(names: Names, snapshot: unknown) {
  if (Array.isArray(snapshot)) {
    for (const v of snapshot) collect(names, v);
    return;
  }
  if (!isObject(snapshot)) return;
  for (const [k, v] of Object.entries(snapshot)) {
    const ref = KEY_REFERENCE[k];
    if (ref) for (const id of Array.isArray(v) ? v : [v]) names.want(ref, id);
    else if (isObject(v) || Array.isArray(v)) collect(names, v);
  }
}

/** The subject of a record: the pupil or payer (or named thing) it is about. */
/** A day close is recorded as '<municipality id>:<date>'. */
const DAY_OF_MUNICIPALITY = /^(\d+):(\d{4}-\d{2}-\d{2})$/;

function subjectOf(row: StoredAuditRow, before: unknown, after: unknown, names: Names): string | null {
  const day = row.entity === 'giornata' && row.entityId ? DAY_OF_MUNICIPALITY.exec(row.entityId) : null;
  if (day && isRealDate(day[2])) return `${names.name('municipality', day[1]) ?? `Comune n. ${day[1]}`}, ${formatDateIt(day[2])}`;
  const own = ENTITY_REFERENCE[row.entity];
  if (own && row.entityId) {
    const n = names.name(own, row.entityId);
    if (n) return n;
  }
  for (const snap of [after, before]) {
    if (!isObject(snap)) continue;
    for (const key of ['pupilId', 'payerId', 'enrollmentId'] as const) {
      const n = snap[key] !== undefined ? names.name(KEY_REFERENCE[key], snap[key]) : null;
      if (n) return n;
    }
    // the creation of a pupil or payer names itself in its snapshot
    if (typeof snap.firstName === 'string' && typeof snap.lastName === 'string') return `${snap.firstName} ${snap.lastName}`;
  }
  return null;
}

/** Resolves a page (or an export) of stored records in a few queries: names are read in batches. */
export function readableRows(sqlite: Database.Database, rows: StoredAuditRow[]): ReadableAuditRow[] {
  const names = new Names();
  const parsed = rows.map((r) => ({ r, before: parse(r.before), after: parse(r.after) }));
  for (const { r, before, after } of parsed) {
    const own = ENTITY_REFERENCE[r.entity];
    if (own && r.entityId) names.want(own, r.entityId);
    const day = r.entity === 'giornata' && r.entityId ? DAY_OF_MUNICIPALITY.exec(r.entityId) : null;
    if (day) names.want('municipality', day[1]);
    collect(names, before);
    collect(names, after);
  }
  names.load(sqlite);
  return parsed.map(({ r, before, after }) => ({
    ...r,
    workstation: r.workstation ?? null,
    // the masked snapshots, also for the detail's raw view
    before: before === undefined ? null : JSON.stringify(before),
    after: after === undefined ? null : JSON.stringify(after),
    operation: operationLabel(r.procedure),
    entityName: entityLabel(r.entity),
    subject: subjectOf(r, before, after, names),
    changes: changesOf(before, after, names),
  }));
}
