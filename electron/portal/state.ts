/**
 * The sync's own values (table portal_state): the inbound cursor of each portal and whatever else
 * the runner must remember across restarts. Written in the caller's transaction, so a cursor moves
 * together with the events it covers (or not at all).
 */
import { eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { portalState } from '../../db/schema/portal';

export const cursorKey = (portal = 'portale') => `cursore.entrata.${portal}`;

export function readState(db: AppDb, key: string): string | null {
  return db.select({ value: portalState.value }).from(portalState).where(eq(portalState.key, key)).get()?.value ?? null;
}

export function writeState(db: AppDb, key: string, value: string, at: Date): void {
  const updatedAt = at.toISOString();
  db.insert(portalState).values({ key, value, updatedAt }).onConflictDoUpdate({ target: portalState.key, set: { value, updatedAt } }).run();
}

/** The cursor to send with the next GET /inbound (null: from the beginning). */
export function readCursor(db: AppDb, portal = 'portale'): string | null {
  return readState(db, cursorKey(portal));
}

export function writeCursor(db: AppDb, cursor: string, at: Date, portal = 'portale'): void {
  writeState(db, cursorKey(portal), cursor, at);
}
