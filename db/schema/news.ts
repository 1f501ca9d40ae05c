/**
 * Avvisi e news (F3): what the caterer tells the families through the parent portal (a strike, a
 * menu change, the enrollment window). An operator writes them; each is published to the portal
 * (electron/portal/news.ts → the outbox), for every municipality or for some, from a day and until
 * a day (or with no end). A published item is never deleted: it is corrected (a new version
 * replaces the old one on the portal, same key) or withdrawn (the portal hides it).
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, check } from 'drizzle-orm/sqlite-core';
import { c, cleanTexts, isoDate, isoMoment } from './checks';
import { users } from './users';

export const news = sqliteTable(
  'news',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** JSON array of municipality ids; '[]' = every municipality */
    municipalityIds: text('municipality_ids').notNull().default('[]'),
    validFrom: text('valid_from').notNull(),
    /** last day shown; null: until withdrawn */
    validTo: text('valid_to'),
    publishedBy: integer('published_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    withdrawnAt: text('withdrawn_at'),
    withdrawnBy: integer('withdrawn_by').references(() => users.id),
    /** optimistic concurrency (as issue 14's editable records): +1 at every change */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('news_valid_idx').on(t.validFrom),
    check('news_title_len', sql`length(trim(${c(t.title)})) BETWEEN 3 AND 200`),
    check('news_body_len', sql`length(trim(${c(t.body)})) BETWEEN 1 AND 10000`),
    check('news_municipality_ids_json', sql`json_valid(${c(t.municipalityIds)}) AND json_type(${c(t.municipalityIds)}) = 'array'`),
    isoDate('news', t.validFrom),
    isoDate('news', t.validTo),
    check('news_validita', sql`${c(t.validTo)} IS NULL OR ${c(t.validTo)} >= ${c(t.validFrom)}`),
    isoMoment('news', t.createdAt),
    isoMoment('news', t.updatedAt),
    isoMoment('news', t.withdrawnAt),
    ...cleanTexts('news', t, { multiline: ['body'], json: ['municipality_ids'] }),
  ],
);
