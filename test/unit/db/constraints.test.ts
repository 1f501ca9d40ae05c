/**
 * Issue 7, "the database guards its own rules": every class of CHECK constraint and trigger refuses
 * what breaks it, with the expected error, straight at the SQL level (the last guard, whatever the
 * code above it does).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../electron/platform/paths';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { openDatabase, type OpenDatabase } from '../../../db/open';
import * as schema from '../../../db/schema';
import { FORBIDDEN_TEXT_RE, FORBIDDEN_MULTILINE_RE } from '../../../db/schema/checks';
import { hasForbiddenChars, lineText, optionalText, requiredText } from '../../../electron/contract/fields';

import { AT, VALID, type Row } from './valid-rows';

let d: OpenDatabase;

function insert(table: string, overrides: Row = {}) {
  const row = { ...VALID[table], ...overrides };
  const cols = Object.keys(row);
  return d.sqlite
    .prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
    .run(...cols.map((c) => row[c]));
}

/** The unique columns of a table get a fresh value, so a second row is not refused for a duplicate. */
const FRESH: Record<string, (n: number) => Row> = {
  users: (n) => ({ username: `u${n}` }),
  settings: (n) => ({ key: `k${n}` }),
  municipalities: (n) => ({ name: `Comune ${n}` }),
  school_years: (n) => ({ label: `anno ${n}` }),
  schools: (n) => ({ name: `Scuola ${n}` }),
  classes: (n) => ({ name: `C${n}` }),
  pupils: (n) => ({ tax_code: `CF${n}`, user_code: `U${n + 1}`, phone_code: `${2000 + n}` }),
  payers: (n) => ({ tax_code: `CFP${n}` }),
  delegates: (n) => ({ tax_code: `CFD${n}` }),
  absences: (n) => ({ external_id: `p-${n + 1}`, reactivated_on: null, kind: 'giorno', date: `2026-11-${String((n % 28) + 1).padStart(2, '0')}` }),
  cancellation_attempts: () => ({}),
  day_closures: (n) => ({ date: `2026-11-${String((n % 28) + 1).padStart(2, '0')}` }),
  meals: (n) => ({ date: `2026-11-${String((n % 28) + 1).padStart(2, '0')}` }),
};
let counter = 0;
function insertAnother(table: string, overrides: Row) {
  counter += 1;
  return insert(table, { ...(FRESH[table]?.(counter) ?? {}), ...overrides });
}

beforeEach(() => {
  d = openDatabase(':memory:');
  for (const t of Object.keys(VALID)) insert(t);
});
afterEach(() => d.close());

/** The tables guarded by this issue's constraints (the ledger tables, added later, carry their own: db/schema/ledger.ts). */
const tables = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable) && getTableName(v) in VALID);

describe('il database si difende da solo (issue 7)', () => {
  it('una riga valida di ogni tabella è accettata (i vincoli non rifiutano dati buoni)', () => {
    expect(tables.length).toBe(Object.keys(VALID).length);
    for (const t of tables) {
      const name = getTableName(t);
      expect(VALID[name], `riga valida per ${name}`).toBeDefined();
      expect((d.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n).toBe(1);
    }
  });

  it('ogni colonna a elenco rifiuta un valore fuori elenco', () => {
    let checked = 0;
    for (const t of tables) {
      const name = getTableName(t);
      if (!VALID[name]) continue;
      for (const col of Object.values(getTableColumns(t))) {
        if (!col.enumValues?.length) continue;
        expect(() => insertAnother(name, { [col.name]: 'valore_inventato' }), `${name}.${col.name}`).toThrow(
          new RegExp(`CHECK constraint failed: ${name}_${col.name}_valori`),
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16);
  });

  it('ogni colonna di testo rifiuta caratteri di controllo, di direzione e a larghezza zero', () => {
    const bad = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff'];
    let checked = 0;
    for (const t of tables) {
      const name = getTableName(t);
      for (const col of Object.values(getTableColumns(t))) {
        if (col.columnType !== 'SQLiteText' || col.enumValues?.length) continue;
        if (name === 'audit_log' && col.name.endsWith('_json')) continue;
        if (name === 'settings' && col.name === 'value') continue;
        if (name === 'tariffs' && col.name === 'service') continue; // must name a known service (trigger of 0004_ledger_rules), whose code is [a-z_]
        // a value that is otherwise valid for the column: a letter inside a name, a code, a note
        const good = VALID[name][col.name];
        if (typeof good !== 'string' || /(_at|_on|date|_from|_to|^at)$/.test(col.name) || col.name === 'cutoff_time' || col.name === 'iban' || col.name === 'country' || col.name === 'weekdays' || col.name === 'service_weekdays') continue;
        for (const ch of bad) {
          const value = `${good.slice(0, 1)}${ch}${good.slice(1) || 'x'}`;
          expect(() => insertAnother(name, { [col.name]: value }), `${name}.${col.name} U+${ch.charCodeAt(0).toString(16)}`).toThrow(
            /CHECK constraint failed: \w+_caratteri/,
          );
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
    // the JSON of the audit log refuses raw control characters (JSON.stringify escapes them)
    expect(() => insertAnother('audit_log', { after_json: '{"a":"\u0001"}' })).toThrow(/audit_log_after_json_caratteri/);
  });

  it('i testi su più righe (note, motivi, messaggi) ammettono a capo e tabulazione; i nomi no', () => {
    expect(() => insertAnother('pupils', { notes: 'prima riga\r\n\tseconda riga' })).not.toThrow();
    expect(() => insertAnother('cancellation_attempts', { message: 'Disdetta\nregistrata' })).not.toThrow();
    expect(() => insertAnother('pupils', { first_name: 'Lu\nca' })).toThrow(/pupils_first_name_caratteri/);
    expect(() => insertAnother('payers', { street: 'Via\tRoma' })).toThrow(/payers_street_caratteri/);
    expect(() => insertAnother('pupils', { notes: 'nota\u202enascosta' })).toThrow(/pupils_notes_caratteri/);
    // accented letters, apostrophes and the euro sign are ordinary text
    expect(() => insertAnother('payers', { last_name: "D'Angelo Nicolò", town: 'Forlì', iban_holder: 'Società € Ltd' })).not.toThrow();
    // an UPDATE is checked as well
    expect(() => d.sqlite.prepare("UPDATE payers SET town = 'Clu' || char(8206) || 'sone', version = version + 1 WHERE id = 1").run()).toThrow(/payers_town_caratteri/);
  });

  it('il contratto rifiuta gli stessi caratteri con un messaggio in italiano, prima del database', () => {
    for (let cp = 0; cp <= 0xffff; cp++) {
      const ch = String.fromCharCode(cp);
      expect(hasForbiddenChars(ch), `U+${cp.toString(16)}`).toBe(FORBIDDEN_TEXT_RE.test(ch));
      expect(hasForbiddenChars(ch, true), `U+${cp.toString(16)} (più righe)`).toBe(FORBIDDEN_MULTILINE_RE.test(ch));
    }
    const r = requiredText(80).safeParse('Mario\u202eRossi');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/^Il testo contiene caratteri non ammessi/);
    expect(lineText().safeParse('Via Roma\u00a01').success).toBe(true);
    expect(optionalText().safeParse('riga\nriga').success).toBe(true);
    expect(optionalText().safeParse('zero\u200bwidth').success).toBe(false);
  });

  it('gli importi sono centesimi interi entro limiti sensati (una tariffa di 90.000 miliardi è rifiutata)', () => {
    expect(() => insertAnother('tariffs', { gross_cents: 9e15, net_cents: 500 })).toThrow(/tariffs_gross_cents_centesimi/);
    expect(() => insertAnother('tariffs', { gross_cents: 618.5 })).toThrow(/tariffs_gross_cents_centesimi/);
    expect(() => insertAnother('tariffs', { gross_cents: '6,18' })).toThrow(/tariffs_gross_cents_centesimi/);
    expect(() => insertAnother('tariffs', { gross_cents: 0, net_cents: 0 })).toThrow(/tariffs_gross_cents_centesimi/);
    expect(() => insertAnother('tariffs', { gross_cents: 100_001 })).toThrow(/tariffs_gross_cents_centesimi/);
    expect(() => insertAnother('tariffs', { net_cents: 700 })).toThrow(/tariffs_imponibile_lordo/);
    expect(() => insertAnother('tariffs', { gross_cents: 100_000, net_cents: 96_154 })).not.toThrow();
    expect(() => insertAnother('meals', { price_cents: -1 })).toThrow(/meals_price_cents_centesimi/);
    expect(() => insertAnother('meals', { price_cents: null, tariff_id: null })).not.toThrow(); // no tariff entered yet
    expect(() => insertAnother('meal_corrections', { price_cents: 1e12 })).toThrow(/meal_corrections_price_cents_centesimi/);
  });

  it("le percentuali e i conteggi stanno nel loro intervallo (IVA tra 0% e 100%, pasti in bianco non oltre i pasti)", () => {
    expect(() => insertAnother('tariffs', { vat_rate_bp: 10_001 })).toThrow(/tariffs_vat_rate_bp_percentuale/);
    expect(() => insertAnother('tariffs', { vat_rate_bp: -400 })).toThrow(/tariffs_vat_rate_bp_percentuale/);
    expect(() => insertAnother('tariffs', { vat_rate_bp: 4.5 })).toThrow(/tariffs_vat_rate_bp_percentuale/);
    expect(() => insertAnother('day_closures', { meals: -1 })).toThrow(/day_closures_meals_conteggio/);
    expect(() => insertAnother('day_closures', { meals: 2, plain_meals: 3 })).toThrow(/day_closures_in_bianco_pasti/);
  });

  it('le date sono AAAA-MM-GG e esistono nel calendario', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '12/10/2026', '2026-1-5', '2026-10-12T00:00:00', '20261012', '']) {
      expect(() => insertAnother('meals', { date: bad }), bad).toThrow(/meals_date_data/);
    }
    expect(() => insertAnother('pupils', { birth_date: '2018-02-29' })).toThrow(/pupils_birth_date_data/);
    expect(() => insertAnother('pupils', { birth_date: '2016-02-29' })).not.toThrow(); // a leap year
    expect(() => insertAnother('enrollments', { school_year_id: 1, pupil_id: 1, starts_on: '2026-09-31' })).toThrow(/enrollments_starts_on_data/);
    expect(() => insertAnother('calendar_closures', { from_date: '2026-12-10', to_date: '2026-12-08' })).toThrow(/calendar_closures_date_ordine/);
    expect(() => insertAnother('school_years', { starts_on: '2027-09-01', ends_on: '2027-06-30' })).toThrow(/school_years_date_ordine/);
    expect(() => insertAnother('tariffs', { valid_from: '2026-09-01', valid_to: '2026-08-31' })).toThrow(/tariffs_validita_ordine/);
  });

  it("gli istanti sono UTC nella forma di toISOString (AAAA-MM-GGTHH:MM:SS.sssZ), così l'ordine del testo è l'ordine del tempo", () => {
    for (const bad of ['2026-10-01T06:00:00Z', '2026-10-01T08:00:00.000+02:00', '2026-10-01 06:00:00', '2026-10-01', '2026-02-30T06:00:00.000Z', 'x']) {
      expect(() => insertAnother('audit_log', { at: bad }), bad).toThrow(/audit_log_at_istante/);
    }
    expect(() => insertAnother('cancellation_attempts', { acted_at: '2026-10-12T07:29:59Z' })).toThrow(/cancellation_attempts_acted_at_istante/);
  });

  it("A7: l'ambito di una chiusura corrisponde agli identificativi indicati (comune, scuola, classe)", () => {
    expect(() => insertAnother('calendar_closures', { scope: 'comune', school_id: null, class_id: null })).not.toThrow();
    expect(() => insertAnother('calendar_closures', { scope: 'classe', school_id: 1, class_id: 1 })).not.toThrow();
    expect(() => insertAnother('calendar_closures', { scope: 'comune', school_id: 1 })).toThrow(/calendar_closures_ambito/);
    expect(() => insertAnother('calendar_closures', { scope: 'scuola', school_id: null })).toThrow(/calendar_closures_ambito/);
    expect(() => insertAnother('calendar_closures', { scope: 'scuola', school_id: 1, class_id: 1 })).toThrow(/calendar_closures_ambito/);
    expect(() => insertAnother('calendar_closures', { scope: 'classe', school_id: 1, class_id: null })).toThrow(/calendar_closures_ambito/);
    expect(() => insertAnother('calendar_closures', { cancel_reason: 'errore' })).toThrow(/calendar_closures_annullamento/);
  });

  it('E4: i giorni di fruizione e di servizio sono giorni ISO 1-5 distinti, in ordine, separati da virgole', () => {
    for (const ok of ['1', '1,2,3,4,5', '2,4', '1,3,5']) expect(() => insertAnother('schools', { service_weekdays: ok }), ok).not.toThrow();
    for (const bad of ['', '0', '6', '1,1', '3,1', '1, 2', '1,2,', 'lun', '1,2,3,4,5,6']) {
      expect(() => insertAnother('schools', { service_weekdays: bad }), bad).toThrow(/schools_service_weekdays_giorni/);
      expect(() => d.sqlite.prepare('UPDATE enrollments SET weekdays = ?, version = version + 1 WHERE id = 1').run(bad), bad).toThrow(/enrollments_weekdays_giorni/);
    }
  });

  it('booleani, orario limite, IBAN, paese e nomi vuoti', () => {
    expect(() => insertAnother('meals', { plain: 2 })).toThrow(/meals_plain_booleano/);
    expect(() => insertAnother('users', { active: 'sì' })).toThrow(/users_active_booleano/);
    for (const bad of ['9:30', '24:00', '09:60', '0930', '09:30:00']) {
      expect(() => insertAnother('municipalities', { cutoff_time: bad }), bad).toThrow(/municipalities_cutoff_time_orario/);
    }
    for (const bad of ['IT60 X054 2811 1010 0000 0123 456', 'it60x0542811101000000123456', 'IT60X05428', 'XX']) {
      expect(() => insertAnother('payers', { iban: bad }), bad).toThrow(/payers_iban_forma/);
    }
    expect(() => insertAnother('payers', { country: 'Italia' })).toThrow(/payers_country_codice/);
    expect(() => insertAnother('pupils', { last_name: '   ' })).toThrow(/pupils_nome_vuoto/);
    expect(() => insertAnother('meal_corrections', { present: 0, plain: 1 })).toThrow(/meal_corrections_in_bianco_presente/);
    expect(() => insertAnother('absences', { kind: 'giorno', reactivated_on: '2026-11-30' })).toThrow(/absences_riattivazione/);
    expect(() => insertAnother('absences', { kind: 'prolungata', date: '2026-11-10', reactivated_on: '2026-11-10' })).toThrow(/absences_riattivazione/);
  });

  it('le chiavi esterne mancanti ci sono: rinnovo di iscrizione, rettifica sostituita, utente del registro', () => {
    expect(() => d.sqlite.prepare('UPDATE enrollments SET renewed_from_id = 999, version = version + 1 WHERE id = 1').run()).toThrow(/FOREIGN KEY/);
    expect(() => insertAnother('meal_corrections', { replaces_id: 999 })).toThrow(/FOREIGN KEY|meal_corrections_sostituisce_precedente/);
    expect(() => insertAnother('meal_corrections', { replaces_id: 1 })).not.toThrow();
    expect(() => insertAnother('audit_log', { user_id: 999 })).toThrow(/FOREIGN KEY/);
    expect(() => insertAnother('audit_log', { user_id: null, username: 'sistema' })).not.toThrow();
    // every *_id column references its table (entity_id is the audited entity's id, as text, of any table)
    for (const t of tables) {
      const name = getTableName(t);
      const fks = new Set((d.sqlite.pragma(`foreign_key_list("${name}")`) as { from: string }[]).map((f) => f.from));
      for (const col of Object.values(getTableColumns(t))) {
        if (!col.name.endsWith('_id') || col.primary || col.name === 'entity_id' || col.name === 'external_id') continue;
        expect(fks.has(col.name), `${name}.${col.name} senza chiave esterna`).toBe(true);
      }
    }
  });
});

describe('tabelle in sola aggiunta e righe mai cancellate (trigger)', () => {
  it("registro delle modifiche, pasti registrati, rettifiche e tentativi di disdetta rifiutano UPDATE e DELETE con un messaggio in italiano", () => {
    const cases: [string, string, RegExp][] = [
      ['audit_log', "action = 'altro'", /Il registro delle modifiche non si modifica/],
      ['meals', 'plain = 1', /Un pasto registrato non si modifica: registrare una rettifica/],
      ['meal_corrections', 'present = 1', /Una rettifica non si modifica/],
      ['cancellation_attempts', "outcome = 'rifiutata'", /tentativo di disdetta è la prova della richiesta: non si modifica/],
    ];
    for (const [table, set, message] of cases) {
      expect(() => d.sqlite.prepare(`UPDATE ${table} SET ${set} WHERE id = 1`).run(), table).toThrow(message);
      expect(() => d.sqlite.prepare(`DELETE FROM ${table} WHERE id = 1`).run(), table).toThrow(/non si cancella/);
      const e = (() => {
        try {
          d.sqlite.prepare(`DELETE FROM ${table}`).run();
        } catch (err) {
          return err as { code: string };
        }
        return null;
      })();
      expect(e?.code).toBe('SQLITE_CONSTRAINT_TRIGGER');
      expect((d.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n).toBe(1);
    }
  });

  it('una giornata chiusa non si cancella; i conteggi si scrivono una volta sola, alla chiusura', () => {
    expect(() => d.sqlite.prepare('DELETE FROM day_closures WHERE id = 1').run()).toThrow(/Una giornata chiusa non si riapre/);
    // the close writes the counts once, right after the meals (0 → n)
    d.sqlite.prepare('UPDATE day_closures SET meals = 1, plain_meals = 0 WHERE id = 1').run();
    expect(() => d.sqlite.prepare('UPDATE day_closures SET meals = 5 WHERE id = 1').run()).toThrow(/i conteggi dei pasti si scrivono una volta sola/);
    insertAnother('day_closures', {});
    expect(() => d.sqlite.prepare("UPDATE day_closures SET mode = 'manuale' WHERE id = 2").run()).toThrow(/Una giornata chiusa non si modifica/);
  });

  it("un'assenza non si cancella; cambiano solo stato e riattivazione; una annullata non torna in vigore", () => {
    expect(() => d.sqlite.prepare('DELETE FROM absences WHERE id = 1').run()).toThrow(/Un'assenza non si cancella: si annulla/);
    expect(() => d.sqlite.prepare("UPDATE absences SET date = '2026-10-13' WHERE id = 1").run()).toThrow(/cambiano solo lo stato e la riattivazione/);
    expect(() => d.sqlite.prepare("UPDATE absences SET acted_at = '2026-10-01T05:00:00.000Z' WHERE id = 1").run()).toThrow(/cambiano solo lo stato/);
    d.sqlite.prepare("UPDATE absences SET reactivated_on = '2026-10-20', ended_at = ?, ended_by = 1 WHERE id = 1").run(AT);
    d.sqlite.prepare("UPDATE absences SET status = 'annullata' WHERE id = 1").run();
    expect(() => d.sqlite.prepare("UPDATE absences SET status = 'attiva' WHERE id = 1").run()).toThrow(/non torna in vigore/);
  });

  it('una chiusura del calendario non si cancella e non si modifica: si annulla una volta sola', () => {
    expect(() => d.sqlite.prepare('DELETE FROM calendar_closures WHERE id = 1').run()).toThrow(/non si cancella: si annulla/);
    expect(() => d.sqlite.prepare("UPDATE calendar_closures SET to_date = '2026-12-09' WHERE id = 1").run()).toThrow(/non si modifica: si annulla/);
    d.sqlite.prepare("UPDATE calendar_closures SET cancelled_at = ?, cancelled_by = 1, cancel_reason = 'Inserita per errore' WHERE id = 1").run(AT);
    expect(() => d.sqlite.prepare('UPDATE calendar_closures SET cancelled_at = NULL, cancelled_by = NULL, cancel_reason = NULL WHERE id = 1').run()).toThrow(
      /non si modifica: si annulla \(una volta sola\)/,
    );
  });

  it('ogni trigger creato da una migrazione esiste nel database migrato (ricreare una tabella cancella i suoi trigger)', () => {
    const have = new Set((d.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((r) => r.name));
    const defined = new Set<string>();
    for (const f of fs.readdirSync(migrationsDir()).filter((f) => f.endsWith('.sql'))) {
      for (const m of fs.readFileSync(path.join(migrationsDir(), f), 'utf8').matchAll(/CREATE TRIGGER `(\w+)`/g)) defined.add(m[1]);
    }
    expect(defined.size).toBeGreaterThan(15);
    expect([...defined].filter((n) => !have.has(n))).toEqual([]);
  });

  it('il database migrato contiene tutti i trigger di guardia (una tabella ricreata da una migrazione li perderebbe)', () => {
    const names = (d.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'absences_ended_final',
        'absences_fixed_fields',
        'absences_no_delete',
        'audit_log_no_delete',
        'audit_log_no_update',
        'calendar_closures_no_delete',
        'calendar_closures_only_cancel',
        'cancellation_attempts_no_delete',
        'cancellation_attempts_no_update',
        'day_closures_no_delete',
        'day_closures_no_update',
        'meal_corrections_no_delete',
        'meal_corrections_no_update',
        'meals_no_delete',
        'meals_no_update',
        'tariffs_service_known_ins',
        'tariffs_service_known_upd',
      ]),
    );
  });
});
