/**
 * Importing closures from a spreadsheet (Excel .xlsx or CSV) the school or the municipality sent.
 *
 * Columns, recognised by their heading (case and accents ignored):
 *   data / dal / inizio      first day (required)
 *   al / fine                last day (optional: one day)
 *   scuola / plesso          optional: the closure concerns that school only
 *   classe / sezione         optional: that class only (needs the school)
 *   motivo / descrizione     the reason shown in the calendar
 *   tipo                     optional: chiusura, vacanza, festività locale, sciopero, gita, seggio…
 *                            (when missing it is guessed from the reason, else "chiusura")
 * Dates as 12/10/2026, 12-10-2026, 12.10.2026, 2026-10-12 or Excel dates.
 *
 * Preview parses and checks every row (nothing is saved); commit receives the checked rows back
 * and saves all of them or none.
 */
import { and, eq, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { AppDb } from '../../db/open';
import { classes, municipalities, schoolYears, schools } from '../../db/schema';
import { AppError, invalidField } from '../contract/errors';
import { formatDateIt, isRealDate } from '../contract/vocabulary/dates';
import { closurePreview, type ClosureInput } from './closures';
import { CLOSURE_KINDS, type ClosureKind } from './service-calendar';
import { readGrid } from '../imports/spreadsheet';

export const MAX_IMPORT_ROWS = 2000;

type Column = 'from' | 'to' | 'school' | 'class' | 'reason' | 'kind';

const HEADINGS: Record<Column, string[]> = {
  from: ['data', 'dal', 'da', 'inizio', 'data inizio', 'dal giorno', 'giorno', 'data dal'],
  to: ['al', 'a', 'fine', 'data fine', 'al giorno', 'data al'],
  school: ['scuola', 'plesso', 'scuola plesso', 'scuola/plesso'],
  class: ['classe', 'sezione', 'classe sezione', 'classe/sezione'],
  reason: ['motivo', 'descrizione', 'causale', 'motivazione', 'note'],
  kind: ['tipo', 'tipologia', 'categoria'],
};

export const normalizeText = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9/ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A closure kind from free Italian text ("Sciopero generale", "Festa del patrono", "Gita a Bergamo"). */
export function kindFromText(text: string): ClosureKind | null {
  const t = normalizeText(text);
  if (!t) return null;
  for (const k of CLOSURE_KINDS) if (t === k.replace('_', ' ') || t === k) return k;
  if (/sciop/.test(t)) return 'sciopero';
  if (/seggi|elezion|elettoral|referendum|votazion/.test(t)) return 'seggio_elettorale';
  if (/gita|uscita|viaggio|visita/.test(t)) return 'gita';
  if (/patron|festivita|festa|santo|santa|san /.test(t)) return 'festivita_locale';
  if (/vacanz|natal|pasqu|carneval/.test(t)) return 'vacanza';
  if (/chius|ponte|sospension/.test(t)) return 'chiusura';
  if (t === 'altro') return 'altro';
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A spreadsheet cell or CSV field as 'YYYY-MM-DD', or null when it is not a date. */
export function parseDateCell(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    // exceljs gives date cells as UTC midnights
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value > 20000 && value < 80000) {
    // an Excel serial day number (days since 1899-12-30)
    const d = new Date(Date.UTC(1899, 11, 30) + value * 86_400_000);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  if (typeof value !== 'string') return null;
  const s = value.trim();
  // a date cell left without a date format reaches here as its serial day number, as text
  if (/^\d{5}$/.test(s)) return parseDateCell(Number(s));
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) {
    const iso = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
    return isRealDate(iso) ? iso : null;
  }
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (m) {
    const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    const iso = `${year}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`;
    return isRealDate(iso) ? iso : null;
  }
  return null;
}

/**
 * The rows of the file that have content, with their spreadsheet row numbers (first sheet for
 * Excel). Read through the shared spreadsheet reader: off the main thread, under its size limits,
 * with Italian messages for a file it refuses.
 */
export async function readTable(fileName: string, contentBase64: string): Promise<{ line: number; cells: string[] }[]> {
  const buffer = Buffer.from(contentBase64, 'base64');
  if (buffer.length === 0) throw invalidField('contentBase64', 'Il file è vuoto');
  const lower = fileName.toLowerCase();
  if (!/\.(xlsx|xlsm|csv|txt)$/.test(lower)) throw invalidField('fileName', 'Formato non riconosciuto: usare un file Excel (.xlsx) o CSV');
  // the header and a few title lines are allowed besides the data rows
  const grid = await readGrid(fileName, buffer, { maxRows: MAX_IMPORT_ROWS + 1 });
  return grid.lines.map(([line, cells]) => ({ line, cells }));
}

export interface ImportRowOut {
  line: number;
  from: string | null;
  to: string | null;
  schoolName: string;
  className: string;
  reason: string;
  kind: ClosureKind;
  scope: 'comune' | 'scuola' | 'classe';
  schoolId: number | null;
  classId: number | null;
  /** bookings the row would remove (0 when it has errors) */
  bookings: number;
  errors: string[];
}

/**
 * Parses and checks every row against the municipality's schools and classes and the school years.
 * Nothing is saved.
 */
export async function previewClosureImport(
  db: AppDb,
  sqlite: Database.Database,
  input: { municipalityId: number; fileName: string; contentBase64: string },
): Promise<{ rows: ImportRowOut[]; valid: number; invalid: number; totalBookings: number }> {
  const m = db.select().from(municipalities).where(eq(municipalities.id, input.municipalityId)).get();
  if (!m) throw invalidField('municipalityId', 'Comune inesistente');
  const table = await readTable(input.fileName, input.contentBase64);
  if (table.length === 0) throw invalidField('contentBase64', 'Il file non contiene righe');
  const header = table[0].cells.map((h) => normalizeText(h));
  const col: Partial<Record<Column, number>> = {};
  for (const key of Object.keys(HEADINGS) as Column[]) {
    const i = header.findIndex((h) => HEADINGS[key].includes(h));
    if (i >= 0) col[key] = i;
  }
  if (col.from === undefined) {
    throw invalidField('contentBase64', 'Manca la colonna della data: intestare la prima colonna «data» o «dal» (e facoltative «al», «scuola», «classe», «motivo», «tipo»)');
  }
  const body = table.slice(1);
  if (body.length > MAX_IMPORT_ROWS) throw invalidField('contentBase64', `Al massimo ${MAX_IMPORT_ROWS} righe per importazione`);
  const schoolRows = db.select({ id: schools.id, name: schools.name }).from(schools).where(eq(schools.municipalityId, m.id)).all();
  const rows: ImportRowOut[] = [];
  body.forEach(({ line, cells }) => {
    const get = (c: Column) => (col[c] === undefined ? '' : cells[col[c]]);
    const text = (c: Column) => String(get(c) ?? '').trim();
    const errors: string[] = [];
    const from = parseDateCell(get('from'));
    if (!from) errors.push(`Data iniziale non valida: «${text('from')}» (usare gg/mm/aaaa)`);
    const toGiven = col.to !== undefined && text('to') !== '';
    const to = toGiven ? parseDateCell(get('to')) : from;
    if (toGiven && !to) errors.push(`Data finale non valida: «${text('to')}» (usare gg/mm/aaaa)`);
    const reason = text('reason').slice(0, 200);
    const kindText = text('kind');
    let kind: ClosureKind = 'chiusura';
    if (kindText) {
      const k = kindFromText(kindText);
      if (!k) errors.push(`Tipo non riconosciuto: «${kindText}» (chiusura, vacanza, festività locale, sciopero, gita, seggio elettorale, altro)`);
      else kind = k;
    } else kind = kindFromText(reason) ?? 'chiusura';
    const schoolName = text('school');
    const className = text('class');
    let schoolId: number | null = null;
    let classId: number | null = null;
    if (schoolName) {
      const s = schoolRows.find((x) => normalizeText(x.name) === normalizeText(schoolName));
      if (!s) errors.push(`Scuola «${schoolName}» non trovata nel Comune di ${m.name}`);
      else schoolId = s.id;
    }
    if (className) {
      if (!schoolName) errors.push('Per chiudere una classe indicare anche la scuola');
      else if (schoolId !== null && from) {
        const year = db
          .select({ id: schoolYears.id, label: schoolYears.label })
          .from(schoolYears)
          .where(and(sql`${schoolYears.startsOn} <= ${from}`, sql`${schoolYears.endsOn} >= ${from}`))
          .get();
        const c = year
          ? db
              .select({ id: classes.id, name: classes.name })
              .from(classes)
              .where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, year.id)))
              .all()
              .find((x) => normalizeText(x.name) === normalizeText(className))
          : undefined;
        if (!c) errors.push(`Classe «${className}» non trovata in ${schoolName}${year ? ` per l'anno ${year.label}` : ''}`);
        else classId = c.id;
      }
    }
    const scope = classId !== null || className ? 'classe' : schoolName ? 'scuola' : 'comune';
    let bookings = 0;
    if (!errors.length && from && to) {
      try {
        const p = closurePreview(db, sqlite, { scope, municipalityId: m.id, schoolId, classId, from, to, kind, reason }, { list: false });
        bookings = p.totalBookings;
        if (p.conflicts.length) errors.push(`Giornate già chiuse con pasti registrati: ${p.conflicts.map((c) => formatDateIt(c.date)).join(', ')}`);
      } catch (err) {
        errors.push(err instanceof AppError ? err.message : String(err));
      }
    }
    rows.push({ line, from, to, schoolName, className, reason, kind, scope, schoolId, classId, bookings, errors });
  });
  if (!rows.length) throw invalidField('contentBase64', 'Il file non contiene righe sotto le intestazioni');
  const invalidRows = rows.filter((r) => r.errors.length).length;
  return { rows, valid: rows.length - invalidRows, invalid: invalidRows, totalBookings: rows.reduce((n, r) => n + r.bookings, 0) };
}

/** A checked row sent back by the client for commit. */
export interface ImportCommitRow {
  line: number;
  from: string;
  to: string;
  schoolId: number | null;
  classId: number | null;
  kind: ClosureKind;
  reason: string;
}

export function importRowToInput(municipalityId: number, r: ImportCommitRow): ClosureInput {
  return {
    scope: r.classId !== null ? 'classe' : r.schoolId !== null ? 'scuola' : 'comune',
    municipalityId,
    schoolId: r.schoolId,
    classId: r.classId,
    from: r.from,
    to: r.to,
    kind: r.kind,
    reason: r.reason,
  };
}
