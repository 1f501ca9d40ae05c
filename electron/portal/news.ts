/**
 * Avvisi e news (F3): an operator writes what the caterer tells the families, for every
 * municipality or for some, from a day and until a day; each change is published to the portal in
 * the same transaction (outbox). Never deleted: corrected (the portal replaces it, same key) or
 * withdrawn (published again as withdrawn: the portal hides it).
 */
import type Database from 'better-sqlite3';
import { desc, eq, inArray } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { municipalities, news, users } from '../../db/schema';
import { conflict, invalidField, notFound } from '../contract/errors';
import { enqueueOutbound, type EnqueueResult, type OutboundDraft } from './outbox';

export type NewsRow = typeof news.$inferSelect;

export interface NewsInput {
  title: string;
  body: string;
  /** empty: every municipality */
  municipalityIds: number[];
  validFrom: string;
  validTo: string | null;
}

export interface NewsView {
  id: number;
  title: string;
  body: string;
  municipalityIds: number[];
  municipalityNames: string[];
  validFrom: string;
  validTo: string | null;
  publishedByName: string | null;
  createdAt: string;
  updatedAt: string;
  withdrawnAt: string | null;
  version: number;
  /** 'ritirata', 'scaduta' (past its last day), 'programmata' (not yet shown), 'in_corso' */
  state: 'in_corso' | 'programmata' | 'scaduta' | 'ritirata';
}

const ids = (row: NewsRow) => JSON.parse(row.municipalityIds) as number[];

export function newsDraft(row: NewsRow): OutboundDraft {
  return {
    type: 'news',
    key: `news:${row.id}`,
    title: row.title,
    body: row.body,
    municipalityIds: ids(row),
    validFrom: row.validFrom,
    validTo: row.validTo,
    withdrawn: row.withdrawnAt !== null,
  };
}

/** Every news item as the portal should hold it (the `news` scope of portal.publish). */
export function allNewsDrafts(db: AppDb): OutboundDraft[] {
  return db.select().from(news).orderBy(news.id).all().map(newsDraft);
}

function checkInput(db: AppDb, input: NewsInput): void {
  if (input.validTo !== null && input.validTo < input.validFrom) throw invalidField('validTo', "L'ultimo giorno precede il primo");
  const unique = [...new Set(input.municipalityIds)];
  if (unique.length) {
    const found = db.select({ id: municipalities.id }).from(municipalities).where(inArray(municipalities.id, unique)).all();
    if (found.length !== unique.length) throw invalidField('municipalityIds', 'Comune inesistente fra quelli scelti');
  }
}

export function listNews(db: AppDb, today: string, f: { includeWithdrawn?: boolean } = {}): NewsView[] {
  const names = new Map(db.select({ id: municipalities.id, name: municipalities.name }).from(municipalities).all().map((m) => [m.id, m.name]));
  const people = new Map(db.select({ id: users.id, name: users.displayName }).from(users).all().map((u) => [u.id, u.name]));
  return db
    .select()
    .from(news)
    .orderBy(desc(news.validFrom), desc(news.id))
    .all()
    .filter((r) => f.includeWithdrawn !== false || r.withdrawnAt === null)
    .map((r) => {
      const m = ids(r);
      return {
        id: r.id,
        title: r.title,
        body: r.body,
        municipalityIds: m,
        municipalityNames: m.map((id) => names.get(id) ?? `Comune ${id}`),
        validFrom: r.validFrom,
        validTo: r.validTo,
        publishedByName: r.publishedBy ? (people.get(r.publishedBy) ?? null) : null,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        withdrawnAt: r.withdrawnAt,
        version: r.version,
        state: r.withdrawnAt ? 'ritirata' : r.validTo !== null && r.validTo < today ? 'scaduta' : r.validFrom > today ? 'programmata' : 'in_corso',
      };
    });
}

function publish(sqlite: Database.Database, row: NewsRow, at: Date): EnqueueResult {
  return enqueueOutbound(sqlite, [newsDraft(row)], at);
}

export function createNews(db: AppDb, sqlite: Database.Database, input: NewsInput, actor: { userId: number | null; at: Date }): NewsRow {
  checkInput(db, input);
  const when = actor.at.toISOString();
  const row = db
    .insert(news)
    .values({
      title: input.title,
      body: input.body,
      municipalityIds: JSON.stringify([...new Set(input.municipalityIds)].sort((a, b) => a - b)),
      validFrom: input.validFrom,
      validTo: input.validTo,
      publishedBy: actor.userId,
      createdAt: when,
      updatedAt: when,
    })
    .returning()
    .get();
  publish(sqlite, row, actor.at);
  return row;
}

function requireNews(db: AppDb, id: number): NewsRow {
  const row = db.select().from(news).where(eq(news.id, id)).get();
  if (!row) throw notFound('Avviso');
  return row;
}

/** Corrects a news item (the caller has checked the version the clerk loaded: contract/versions.ts). */
export function updateNews(db: AppDb, sqlite: Database.Database, id: number, input: NewsInput, actor: { userId: number | null; at: Date }): { before: NewsRow; after: NewsRow } {
  const before = requireNews(db, id);
  if (before.withdrawnAt) throw conflict("L'avviso è stato ritirato: non si modifica più (scriverne uno nuovo)");
  checkInput(db, input);
  const after = db
    .update(news)
    .set({
      title: input.title,
      body: input.body,
      municipalityIds: JSON.stringify([...new Set(input.municipalityIds)].sort((a, b) => a - b)),
      validFrom: input.validFrom,
      validTo: input.validTo,
      updatedAt: actor.at.toISOString(),
      version: before.version + 1,
    })
    .where(eq(news.id, id))
    .returning()
    .get();
  publish(sqlite, after, actor.at);
  return { before, after };
}

export function withdrawNews(db: AppDb, sqlite: Database.Database, id: number, actor: { userId: number | null; at: Date }): { before: NewsRow; after: NewsRow } {
  const before = requireNews(db, id);
  if (before.withdrawnAt) throw conflict("L'avviso è già stato ritirato");
  const when = actor.at.toISOString();
  const after = db.update(news).set({ withdrawnAt: when, withdrawnBy: actor.userId, updatedAt: when, version: before.version + 1 }).where(eq(news.id, id)).returning().get();
  publish(sqlite, after, actor.at);
  return { before, after };
}
