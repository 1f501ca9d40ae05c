/**
 * The migration that adds the CHECK constraints and the missing foreign keys (issue 7) recreates
 * every table (drizzle-kit's way on SQLite: new table, copy, drop, rename). In the style of Signal's
 * migration tests: fill a database at the schema before it, migrate, and check that every row,
 * index, foreign key and AUTOINCREMENT counter survived.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase, applyMigrations } from '../../../db/open';
import { migrationsDir } from '../../../electron/platform/paths';
import { AT, VALID, type Row } from './valid-rows';

const dirs: string[] = [];
function tmp() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-migr-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface Journal {
  entries: { idx: number; tag: string }[];
}
const journal = (): Journal => JSON.parse(fs.readFileSync(path.join(migrationsDir(), 'meta', '_journal.json'), 'utf8'));

/** A copy of the migrations folder holding only the migrations before `tag`. */
function migrationsBefore(tag: string): string {
  const j = journal();
  const at = j.entries.findIndex((e) => e.tag === tag);
  expect(at, `migrazione ${tag}`).toBeGreaterThan(0);
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'meta'));
  const kept = { ...j, entries: j.entries.slice(0, at) };
  for (const e of kept.entries) fs.copyFileSync(path.join(migrationsDir(), `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify(kept));
  return dir;
}

const CHECKS_TAG = journal().entries.find((e) => e.tag.endsWith('_checks_foreign_keys'))!.tag;

function insert(db: Database.Database, table: string, row: Row) {
  const cols = Object.keys(row);
  db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
    ...cols.map((c) => row[c]),
  );
}

function dump(db: Database.Database) {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
}

const indexes = (db: Database.Database) =>
  db.prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as { name: string; tbl_name: string; sql: string }[];

function foreignKeys(db: Database.Database) {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  return tables.flatMap((t) => (db.pragma(`foreign_key_list("${t}")`) as { table: string; from: string; to: string }[]).map((f) => `${t}.${f.from} -> ${f.table}.${f.to}`)).sort();
}

describe('migrazione dei vincoli (issue 7): nessun dato perso', () => {
  it('ogni riga, indice, chiave esterna e contatore delle tabelle sopravvive alla migrazione che ricrea le tabelle', () => {
    const dir = tmp();
    const file = path.join(dir, 'rette.sqlite');
    const old = openDatabase(file, { migrationsFolder: migrationsBefore(CHECKS_TAG) });
    const raw = old.sqlite;
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'tariffs' AND sql LIKE '%CHECK(%'").get()).toEqual({ n: 0 });
    // one of everything…
    for (const [t, row] of Object.entries(VALID)) insert(raw, t, row);
    // …and more: several users, pupils, payers, a renewal, a chain of corrections, a deleted delegate
    for (let i = 2; i <= 30; i++) {
      insert(raw, 'pupils', { ...VALID.pupils, first_name: `Nome${i}`, tax_code: `CF${i}`, user_code: `U${i}`, phone_code: `${1000 + i}`, notes: i % 3 ? '' : `nota ${i}\nsu due righe` });
      insert(raw, 'payers', { ...VALID.payers, tax_code: `CFP${i}`, iban: i % 2 ? null : VALID.payers.iban });
      insert(raw, 'audit_log', { ...VALID.audit_log, entity_id: String(i), after_json: JSON.stringify({ i, nome: `Nome ${i}` }) });
    }
    insert(raw, 'school_years', { ...VALID.school_years, label: '2027/2028', starts_on: '2027-09-01', ends_on: '2028-06-30' });
    insert(raw, 'enrollments', { ...VALID.enrollments, school_year_id: 2, renewed_from_id: 1, status: 'bozza', activated_on: null });
    insert(raw, 'meal_corrections', { ...VALID.meal_corrections, replaces_id: 1, present: 1 });
    insert(raw, 'meal_corrections', { ...VALID.meal_corrections, replaces_id: 2, present: 1, plain: 1 });
    insert(raw, 'delegates', { ...VALID.delegates, tax_code: 'CFDEL2' });
    insert(raw, 'delegates', { ...VALID.delegates, tax_code: 'CFDEL3' });
    raw.prepare("DELETE FROM delegates WHERE tax_code = 'CFDEL3'").run(); // the highest id is gone: it must not come back
    insert(raw, 'settings', { key: 'ultimo_backup', value: AT });
    const before = dump(raw);
    const seqBefore = raw.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').all();
    const indexesBefore = indexes(raw);
    const fksBefore = foreignKeys(raw);
    const triggers = (x: Database.Database) => (x.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((r) => r.name);
    const triggersBefore = triggers(raw);
    old.close();

    const migrated = openDatabase(file);
    const db = migrated.sqlite;
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'tariffs' AND sql LIKE '%CHECK(%'").get()).toEqual({ n: 1 });
    // every table that existed keeps every row; the tables later migrations add start empty, except
    // the catalogue a migration fills (diet_types: 0008_diets)
    // (columns that later migrations add to an existing table are left out: audit_log.workstation)
    const afterDump = dump(db);
    const columnsBefore = (t: string, row: unknown) => Object.fromEntries(Object.keys(before[t][0] ?? {}).map((k) => [k, (row as Record<string, unknown>)[k]]));
    expect(Object.fromEntries(Object.keys(before).map((t) => [t, afterDump[t].map((r) => columnsBefore(t, r))]))).toEqual(before);
    expect(afterDump.audit_log.every((r) => (r as { workstation: unknown }).workstation === null)).toBe(true);
    for (const t of Object.keys(afterDump).filter((t) => !(t in before) && t !== 'diet_types')) expect(afterDump[t], t).toEqual([]);
    expect(db.prepare("SELECT name, seq FROM sqlite_sequence WHERE name <> 'diet_types' ORDER BY name").all()).toEqual(seqBefore);
    // the next delegate does not reuse the id of the deleted one
    insert(db, 'delegates', { ...VALID.delegates, tax_code: 'CFDEL4' });
    expect((db.prepare("SELECT id FROM delegates WHERE tax_code = 'CFDEL4'").get() as { id: number }).id).toBe(4);
    // every index is still there, with the same definition
    const after = indexes(db);
    for (const ix of indexesBefore) expect(after.find((i) => i.name === ix.name), ix.name).toEqual(ix);
    // every foreign key is still there, plus the ones that were missing
    const fksAfter = foreignKeys(db);
    expect(fksAfter).toEqual(expect.arrayContaining(fksBefore));
    expect(fksAfter).toEqual(
      expect.arrayContaining(['enrollments.renewed_from_id -> enrollments.id', 'meal_corrections.replaces_id -> meal_corrections.id', 'audit_log.user_id -> users.id']),
    );
    // the triggers of the recreated tables (tariffs: the known-service rule) are still there
    expect(triggers(db)).toEqual(expect.arrayContaining(triggersBefore));
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // a copy was taken before migrating
    expect(fs.readdirSync(path.join(dir, 'backups')).some((f) => f.startsWith('pre-migrazione-'))).toBe(true);
    migrated.close();
  });

  it('una base dati con un dato che viola un nuovo vincolo non viene migrata a metà: resta com\'era', () => {
    const dir = tmp();
    const file = path.join(dir, 'rette.sqlite');
    const old = openDatabase(file, { migrationsFolder: migrationsBefore(CHECKS_TAG) });
    for (const [t, row] of Object.entries(VALID)) insert(old.sqlite, t, row);
    insert(old.sqlite, 'tariffs', { ...VALID.tariffs, gross_cents: 9e15 });
    const applied = (old.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    old.close();
    expect(() => openDatabase(file)).toThrow(/CHECK constraint failed: tariffs_gross_cents_centesimi/);
    const raw = new Database(file);
    expect((raw.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(applied);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '__new_%'").get()).toEqual({ n: 0 });
    expect((raw.prepare('SELECT count(*) AS n FROM tariffs').get() as { n: number }).n).toBe(2);
    raw.close();
  });

  it('una migrazione che lascerebbe riferimenti non validi viene annullata per intero', () => {
    const dir = tmp();
    const folder = migrationsBefore(CHECKS_TAG);
    const db = new Database(path.join(dir, 'r.sqlite'));
    db.pragma('foreign_keys = ON');
    applyMigrations(db, folder);
    for (const [t, row] of Object.entries(VALID)) insert(db, t, row);
    // a hand-written migration that drops a referenced row with foreign keys off
    const j = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8'));
    j.entries.push({ idx: j.entries.length, version: '6', when: Date.now() + 1000, tag: '9999_rotta', breakpoints: true });
    fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify(j));
    fs.writeFileSync(path.join(folder, '9999_rotta.sql'), 'DELETE FROM municipalities;');
    expect(() => applyMigrations(db, folder)).toThrow(/riferimenti non validi/);
    expect((db.prepare('SELECT count(*) AS n FROM municipalities').get() as { n: number }).n).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});

const SUSPENSIONS_TAG = journal().entries.find((e) => e.tag.endsWith('_suspensions'))!.tag;

describe('migrazione delle sospensioni (D2): le sospensioni registrate sulle iscrizioni diventano decisioni «pregresse»', () => {
  it('D2: un alunno lasciato sospeso in un anno e sospeso di nuovo nel seguente non blocca la migrazione; solo l\'ultima resta aperta', () => {
    const dir = tmp();
    const file = path.join(dir, 'rette.sqlite');
    const old = openDatabase(file, { migrationsFolder: migrationsBefore(SUSPENSIONS_TAG) });
    const raw = old.sqlite;
    const existing = new Set((raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    for (const [t, row] of Object.entries(VALID)) if (existing.has(t)) insert(raw, t, row);
    insert(raw, 'school_years', { ...VALID.school_years, label: '2027/2028', starts_on: '2027-09-01', ends_on: '2028-06-30' });
    insert(raw, 'pupils', { ...VALID.pupils, first_name: 'Sara', tax_code: 'CF2', user_code: 'U2', phone_code: '1002' });
    // pupil 1: suspended in 2026/27 and never reactivated, enrolled and suspended again in 2027/28
    raw.prepare("UPDATE enrollments SET status = 'sospesa', suspended_on = '2026-11-10' WHERE id = 1").run();
    insert(raw, 'enrollments', { ...VALID.enrollments, school_year_id: 2, renewed_from_id: 1, starts_on: '2027-09-13', activated_on: '2027-09-13', status: 'sospesa', suspended_on: '2027-10-04' });
    // pupil 2: suspended, then withdrawn
    insert(raw, 'enrollments', { ...VALID.enrollments, pupil_id: 2, status: 'ritirata', suspended_on: '2026-11-10', withdrawn_on: '2026-12-01', withdrawal_reason: 'trasferito' });
    old.close();

    const migrated = openDatabase(file);
    const rows = migrated.sqlite
      .prepare('SELECT enrollment_id, pupil_id, starts_on, origin, lifted_on, lift_reason, lift_note FROM service_suspensions ORDER BY enrollment_id')
      .all();
    expect(rows).toEqual([
      { enrollment_id: 1, pupil_id: 1, starts_on: '2026-11-10', origin: 'pregressa', lifted_on: '2027-07-01', lift_reason: 'decisione', lift_note: "Fine dell'anno scolastico" },
      { enrollment_id: 2, pupil_id: 1, starts_on: '2027-10-04', origin: 'pregressa', lifted_on: null, lift_reason: null, lift_note: null },
      { enrollment_id: 3, pupil_id: 2, starts_on: '2026-11-10', origin: 'pregressa', lifted_on: '2026-12-01', lift_reason: 'decisione', lift_note: 'Ritiro dal servizio' },
    ]);
    expect(migrated.sqlite.pragma('foreign_key_check')).toEqual([]);
    migrated.close();
  });
});
