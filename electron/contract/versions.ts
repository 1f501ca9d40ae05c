/**
 * Optimistic concurrency (issue 14, "Working together"): two clerks editing the same record.
 *
 * Every editable record carries `version` (1 when created, +1 on every UPDATE: the triggers of
 * migration 0015 refuse an UPDATE that does not raise it by exactly one). A form sends back the
 * version it loaded; the update procedure calls `expectVersion` before writing and sets
 * `version = nextVersion(column)` in its UPDATE. When someone else saved in between, the save is
 * refused with CONFLICT naming who changed the record and when (the newest audit record of the
 * entity), and nothing is written: the dispatcher's transaction makes the check and the write one
 * step (SQLite has one writer at a time; a second process that wrote in between makes the write
 * fail, never overwrite).
 *
 * Records kept in several rows (settings of several keys, a municipality's debt ladder) use the
 * sum of their rows' versions (0 while never saved): it grows whenever any of them changes.
 *
 * This file is the one place of the mechanism: every area declares its records in
 * VERSIONED_RECORDS and calls the two functions below (test/unit/contract/concurrency.test.ts
 * checks every update procedure of the registry against this list).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { AppError, notFound, type ErrorShape } from './errors';
import type { Ctx } from './procedure';

/** The version a form loaded: required by every update procedure (0: a setting never saved yet). */
export const version = z
  .number({ error: 'Versione del dato mancante: ricaricare la scheda prima di salvare' })
  .int()
  .min(0);

/** `version = version + 1`, for the `set` of an UPDATE (or of an upsert's DO UPDATE) of a versioned table. */
export function nextVersion(column: SQLiteColumn): SQL {
  return sql`${column} + 1`;
}

/** A record whose version lives in one row of a table, found by its key column. */
interface RowRecord {
  kind: 'row';
  table: string;
  key: string;
  /** 'questo alunno': what the message says was changed */
  noun: string;
  /** the audit records of its changes: entity (entity id = the key) */
  entity: string;
  /** NOT_FOUND message subject; absent: a missing row has version 0 (a setting not saved yet) */
  notFound?: string;
}

/** A record kept in rows of `settings`: its version is the sum of its keys' versions. */
interface SettingsRecord {
  kind: 'settings';
  keys: readonly string[];
  noun: string;
  entity: string;
  entityId: string;
}

export type VersionedRecord = RowRecord | SettingsRecord;

const row = (table: string, noun: string, entity: string, what?: string, key = 'id'): RowRecord => ({ kind: 'row', table, key, noun, entity, notFound: what });
const settingsOf = (keys: readonly string[], noun: string, entity: string, entityId: string): SettingsRecord => ({ kind: 'settings', keys, noun, entity, entityId });

/**
 * Every editable record of the office. The keys of `settings` here are also the ones the trigger
 * `settings_version_bump` (migrations 0015, 0019) guards: add a key to both (a new migration recreates the trigger).
 */
export const VERSIONED_RECORDS = {
  user: row('users', 'questo utente', 'utente', 'Utente'),
  municipality: row('municipalities', 'questo comune', 'comune', 'Comune'),
  school: row('schools', 'questa scuola', 'scuola', 'Scuola'),
  tariff: row('tariffs', 'questa tariffa', 'tariffa', 'Tariffa'),
  pupil: row('pupils', 'questo alunno', 'alunno', 'Alunno'),
  payer: row('payers', 'questo pagante', 'pagante', 'Pagante'),
  enrollment: row('enrollments', 'questa iscrizione', 'iscrizione', 'Iscrizione'),
  dietType: row('diet_types', 'questa voce del catalogo delle diete', 'tipo_dieta', 'Tipo di dieta'),
  mandate: row('sdd_mandates', 'questo mandato SDD', 'mandato_sdd', 'Mandato SDD'),
  sddCreditor: row('sdd_creditor', 'le impostazioni SDD del creditore', 'creditore_sdd'),
  debtLadder: row('debt_settings', 'la procedura di recupero di questo comune', 'procedura_recupero', undefined, 'municipality_id'),
  caterer: settingsOf(['caterer'], 'i dati della ditta', 'ditta', 'caterer'),
  lowBalance: settingsOf(['saldo.sogliaAvvisoCentesimi'], 'la soglia di credito', 'impostazione', 'saldo.sogliaAvvisoCentesimi'),
  plainMeal: settingsOf(['presenze.giorniBiancoSenzaCertificato'], 'le impostazioni delle presenze', 'impostazioni', 'presenze.giorniBiancoSenzaCertificato'),
  tax730: settingsOf(['tax730.includeSddCommission'], 'le impostazioni del 730', 'impostazioni', 'tax730'),
  dietSettings: settingsOf(['diete.rinnovo.scadenza', 'diete.conservazione.mesi', 'diete.nuova.giorni'], 'le impostazioni delle diete', 'impostazioni', 'diete'),
  news: row('news', 'questo avviso per le famiglie', 'avviso_famiglie', 'Avviso'),
  portalSettings: settingsOf(['portale.impostazioni'], 'il collegamento con il portale delle famiglie', 'portale', 'impostazioni'),
} as const satisfies Record<string, VersionedRecord>;

export type VersionedName = keyof typeof VERSIONED_RECORDS;

/** The version of a record now (0: a setting never saved), or null when the record does not exist. */
export function currentVersion(ctx: Pick<Ctx, 'sqlite'>, name: VersionedName, id: number | null = null): number | null {
  const r: VersionedRecord = VERSIONED_RECORDS[name];
  if (r.kind === 'settings') {
    const q = `SELECT coalesce(sum(version), 0) FROM settings WHERE key IN (${r.keys.map(() => '?').join(', ')})`;
    return ctx.sqlite.prepare(q).pluck().get(...r.keys) as number;
  }
  const v = ctx.sqlite.prepare(`SELECT version FROM "${r.table}" WHERE "${r.key}" = ?`).pluck().get(id) as number | undefined;
  if (v === undefined) return r.notFound ? null : 0;
  return v;
}

/** What a refused save tells the client besides the message: who saved in between, when, the version now. */
export type ConflictDetails = NonNullable<ErrorShape['details']>;

/** '2026-12-06T09:42:00Z' → '6 dic 2026, 10:42' (Rome time). */
function shortMoment(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** The newest change on record of a record: who (display name, or the username) and when. */
function lastChange(ctx: Pick<Ctx, 'sqlite'>, entity: string, entityId: string): { who: string; at: string } | null {
  const r = ctx.sqlite
    .prepare(
      `SELECT coalesce(u.display_name, a.username) AS who, a.at AS at FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
       WHERE a.entity = ? AND a.entity_id = ? ORDER BY a.id DESC LIMIT 1`,
    )
    .get(entity, entityId) as { who: string; at: string } | undefined;
  return r ?? null;
}

/**
 * Refuses a save made on an older version of the record (CONFLICT, Italian message naming who
 * changed it and when; nothing written), or of a record that no longer exists (NOT_FOUND).
 * Call it before any write of the update.
 */
export function expectVersion(ctx: Pick<Ctx, 'sqlite'>, name: VersionedName, id: number | null, expected: number): void {
  const r: VersionedRecord = VERSIONED_RECORDS[name];
  const now = currentVersion(ctx, name, id);
  if (now === null) throw notFound(r.kind === 'row' && r.notFound ? r.notFound : 'Dato');
  if (now === expected) return;
  const change = lastChange(ctx, r.entity, r.kind === 'settings' ? r.entityId : String(id));
  const message = change
    ? `Nel frattempo ${change.who} ha modificato ${r.noun} (${shortMoment(change.at)}). Ricarica per vedere i suoi dati: le tue modifiche non sono state salvate.`
    : `Nel frattempo un altro utente ha modificato ${r.noun}. Ricarica per vedere i suoi dati: le tue modifiche non sono state salvate.`;
  const details: ConflictDetails = { changedBy: change?.who ?? null, changedAt: change?.at ?? null, currentVersion: now };
  throw new AppError('CONFLICT', message, [], details);
}
