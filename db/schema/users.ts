import { sqliteTable, integer, text, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { bool, c, cleanTexts, isoMoment, oneOf } from './checks';

export const USER_ROLES = ['operatore', 'supervisore', 'amministratore'] as const;

/** Local users of the office. Roles: operatore < supervisore < amministratore. */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: USER_ROLES }).notNull(),
    /** scrypt hash (hex) of the password with `salt`. */
    passwordHash: text('password_hash').notNull(),
    salt: text('salt').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('users_username_uq').on(t.username),
    oneOf('users', t.role, USER_ROLES),
    bool('users', t.active),
    check('users_username_vuoto', sql`length(trim(${c(t.username)})) > 0`),
    isoMoment('users', t.createdAt),
    isoMoment('users', t.updatedAt),
    ...cleanTexts('users', t),
  ],
);

/** Audit trail: one row per change made by a mutating procedure. Append-only. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    userId: integer('user_id').references(() => users.id),
    username: text('username').notNull(),
    procedure: text('procedure').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    action: text('action').notNull(),
    before: text('before_json'),
    after: text('after_json'),
    /**
     * Where the change was made (issue 14): the workstation's declared name and address over the
     * network ("PC-RETTE-2 (192.168.1.23)"), the desktop's host name, "riga di comando su <host>";
     * null for the program's own scheduled work and for rows written before it was recorded.
     */
    workstation: text('workstation'),
  },
  (t) => [
    index('audit_at_idx').on(t.at),
    index('audit_entity_idx').on(t.entity, t.entityId),
    index('audit_user_idx').on(t.username),
    isoMoment('audit_log', t.at),
    ...cleanTexts('audit_log', t, { json: ['before_json', 'after_json'] }),
  ],
);

/** Key/value settings of the office (e.g. last automatic backup). */
export const settings = sqliteTable(
  'settings',
  {
    key: text('key').primaryKey(),
    value: text('value').notNull(),
    /** optimistic concurrency (issue 14): every UPDATE sets version = version + 1 (a trigger refuses any other) */
    version: integer('version').notNull().default(1),
  },
  (t) => [...cleanTexts('settings', t, { json: ['value'] })],
);
