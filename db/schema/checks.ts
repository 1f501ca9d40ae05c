/**
 * The database guards its own rules (issue 7): CHECK constraints written with drizzle's `check()`,
 * so drizzle-kit puts them in the generated migrations. Plain SQL only (no application-defined
 * function), so the file stays readable and checked by any SQLite tool.
 *
 * Columns are referenced by their bare quoted name (never "table"."column"): drizzle-kit recreates
 * a SQLite table as `__new_<table>` to change it, and a qualified name would not resolve there.
 *
 * Constraint names are `<table>_<column>_<rule>`: SQLite reports the name of the CHECK that failed
 * ("CHECK constraint failed: <name>"), and the contract turns it into an Italian message.
 */
import { sql, type SQL } from 'drizzle-orm';
import { check, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** The largest amount of one unit price (a meal, a tariff): 1.000,00 €. */
export const MAX_PRICE_CENTS = 100_000;
/** The largest amount of any money column (a payment, a balance, a batch): 1.000.000,00 €. */
export const MAX_AMOUNT_CENTS = 100_000_000;

/** The column's bare quoted name, for use in a CHECK. */
export function c(col: SQLiteColumn): SQL {
  return sql.raw(`"${col.name}"`);
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** An enumeration: the column holds one of the values (NULL passes: NOT NULL says the rest). */
export function oneOf(table: string, col: SQLiteColumn, values: readonly (string | number)[]) {
  const list = values.map((v) => (typeof v === 'number' ? String(v) : quote(v))).join(', ');
  return check(`${table}_${col.name}_valori`, sql`${c(col)} IN (${sql.raw(list)})`);
}

/** A boolean stored as integer: 0 or 1. */
export function bool(table: string, col: SQLiteColumn) {
  return check(`${table}_${col.name}_booleano`, sql`${c(col)} IN (0, 1)`);
}

/** A calendar date 'YYYY-MM-DD' that exists (SQLite's date() normalises 2026-02-30 to 2026-03-02). */
export function isoDate(table: string, col: SQLiteColumn) {
  return check(`${table}_${col.name}_data`, sql`${c(col)} IS date(${c(col)})`);
}

/** A UTC moment exactly as Date.toISOString() writes it: 'YYYY-MM-DDTHH:MM:SS.sssZ' (one form, so text order is time order). */
export function isoMoment(table: string, col: SQLiteColumn) {
  return check(`${table}_${col.name}_istante`, sql`${c(col)} IS strftime('%Y-%m-%dT%H:%M:%fZ', ${c(col)})`);
}

/** An integer (never a real, never text) between min and max, both included. */
export function intBetween(table: string, col: SQLiteColumn, min: number, max: number, rule = 'intervallo') {
  return check(`${table}_${col.name}_${rule}`, sql`typeof(${c(col)}) IN ('integer', 'null') AND ${c(col)} BETWEEN ${sql.raw(String(min))} AND ${sql.raw(String(max))}`);
}

/** Money in integer cents, between min and max. */
export function cents(table: string, col: SQLiteColumn, min: number, max: number) {
  return intBetween(table, col, min, max, 'centesimi');
}

/** ISO weekdays 1..max as text: distinct, ascending, comma-separated ('1,3,5'): every valid value listed. */
export function weekdaySet(table: string, col: SQLiteColumn, max = 5) {
  const all: string[] = [];
  for (let mask = 1; mask < 1 << max; mask++) {
    const days: number[] = [];
    for (let d = 1; d <= max; d++) if (mask & (1 << (d - 1))) days.push(d);
    all.push(days.join(','));
  }
  all.sort();
  return check(`${table}_${col.name}_giorni`, sql`${c(col)} IN (${sql.raw(all.map(quote).join(', '))})`);
}

/**
 * Characters no text may hold: they break the SEPA and pagoPA files or hide what a text says.
 * C0 controls (U+0001-U+001F), DEL and C1 controls (U+007F-U+009F), zero-width space/joiners and
 * the LRM/RLM marks (U+200B-U+200F), bidi embeddings and overrides (U+202A-U+202E), bidi isolates
 * (U+2066-U+2069), the BOM / zero-width no-break space (U+FEFF). U+0000 is looked for with instr():
 * GLOB stops at it.
 */
const FORBIDDEN_RANGES: [number, number][] = [
  [0x01, 0x1f],
  [0x7f, 0x9f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
  [0xfeff, 0xfeff],
];
/** Multi-line texts (notes, reasons, messages) may also hold tab, line feed and carriage return. */
const MULTILINE_RANGES: [number, number][] = [[0x01, 0x08], [0x0b, 0x0c], [0x0e, 0x1f], ...FORBIDDEN_RANGES.slice(1)];
/** JSON written by JSON.stringify never holds a raw C0 control: only those are refused there. */
const JSON_RANGES: [number, number][] = [[0x01, 0x1f]];

function globClass(ranges: [number, number][]): string {
  const parts = ranges.map(([a, b]) => (a === b ? `char(${a})` : `char(${a}) || '-' || char(${b})`));
  return `'*[' || ${parts.join(' || ')} || ']*'`;
}

export type TextKind = 'riga' | 'multiriga' | 'json';

/** One text column refuses the forbidden characters. */
export function cleanText(table: string, col: SQLiteColumn, kind: TextKind = 'riga') {
  const ranges = kind === 'riga' ? FORBIDDEN_RANGES : kind === 'multiriga' ? MULTILINE_RANGES : JSON_RANGES;
  return check(`${table}_${col.name}_caratteri`, sql`instr(${c(col)}, char(0)) = 0 AND ${c(col)} NOT GLOB ${sql.raw(globClass(ranges))}`);
}

function isText(col: unknown): col is SQLiteColumn {
  return typeof col === 'object' && col !== null && (col as { columnType?: string }).columnType === 'SQLiteText';
}

/**
 * Every text column of a table refuses the forbidden characters: single-line unless named in
 * `multiline` or `json`. Applied to all text columns, so a new column is guarded without thinking of it.
 */
export function cleanTexts(table: string, columns: Record<string, unknown>, opts: { multiline?: string[]; json?: string[] } = {}) {
  return Object.values(columns)
    .filter(isText)
    .map((col) =>
      cleanText(table, col, opts.json?.includes(col.name) ? 'json' : opts.multiline?.includes(col.name) ? 'multiriga' : 'riga'),
    );
}

/** Exported for the contract and tests: the same set of characters, as a JS regular expression. */
export const FORBIDDEN_TEXT_RE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
export const FORBIDDEN_MULTILINE_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
