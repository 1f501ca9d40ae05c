/**
 * CI fails if `drizzle-kit generate` would produce a new migration (issue 7): the schema in
 * db/schema and the committed migrations must say the same thing. drizzle-kit's own API compares
 * the latest committed snapshot with the snapshot of the current schema, exactly as `generate` does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import { generateSQLiteDrizzleJson, generateSQLiteMigration, type DrizzleSQLiteSnapshotJSON } from 'drizzle-kit/api';
import * as schema from '../../../db/schema';
import { migrationsDir } from '../../../electron/platform/paths';

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}
const dir = migrationsDir();
const journal: Journal = JSON.parse(fs.readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8'));
const snapshot = (idx: number): { id: string; prevId: string } =>
  JSON.parse(fs.readFileSync(path.join(dir, 'meta', `${String(idx).padStart(4, '0')}_snapshot.json`), 'utf8'));

async function pendingStatements(imports: Record<string, unknown>): Promise<string[]> {
  const last = snapshot(journal.entries[journal.entries.length - 1].idx);
  const current = await generateSQLiteDrizzleJson(imports, last.id);
  return generateSQLiteMigration(last as DrizzleSQLiteSnapshotJSON, current);
}

describe('schema e migrazioni allineati', () => {
  it('drizzle-kit generate non produrrebbe nessuna nuova migrazione: lo schema è tutto nelle migrazioni committate', async () => {
    const statements = await pendingStatements(schema);
    expect(statements, `migrazione mancante: eseguire "npx drizzle-kit generate"\n${statements.join('\n')}`).toEqual([]);
  }, 60_000);

  it('il controllo se ne accorge quando lo schema cambia senza migrazione', async () => {
    const extra = sqliteTable('tabella_senza_migrazione', { id: integer('id').primaryKey(), nome: text('nome').notNull() });
    const statements = await pendingStatements({ ...schema, extra });
    expect(statements.join('\n')).toMatch(/CREATE TABLE `tabella_senza_migrazione`/);
  }, 60_000);

  it('ogni migrazione del registro ha il suo file SQL e la sua fotografia, in catena e in ordine di tempo', () => {
    let prevId: string | null = null;
    let prevWhen = 0;
    journal.entries.forEach((e, i) => {
      expect(e.idx).toBe(i);
      expect(fs.existsSync(path.join(dir, `${e.tag}.sql`)), e.tag).toBe(true);
      const s = snapshot(e.idx);
      if (prevId !== null) expect(s.prevId, `${e.tag} segue la migrazione precedente`).toBe(prevId);
      expect(e.when).toBeGreaterThan(prevWhen);
      prevId = s.id;
      prevWhen = e.when;
    });
    const sqlFiles = fs.readdirSync(dir).filter((f) => f.endsWith('.sql'));
    expect(sqlFiles.sort()).toEqual(journal.entries.map((e) => `${e.tag}.sql`).sort());
  });
});
