import type Database from 'better-sqlite3';
import { maskSnapshotJson } from './mask';

export interface AuditRecord {
  at: string;
  userId: number | null;
  username: string;
  procedure: string;
  entity: string;
  entityId: string | null;
  action: string;
  before: string | null;
  after: string | null;
  /** where the change was made (issue 14); null or absent for the program's own scheduled work */
  workstation?: string | null;
}

/**
 * The one writer of the audit log (table `audit_log`, db/schema/users.ts): used by the contract for
 * every mutation and every audited read, and by the scheduler for the changes the program makes on
 * its own. Snapshots pass through `maskSnapshotJson` here, so no caller can store a full IBAN or a
 * password in the log.
 */
export function prepareAuditWriter(sqlite: Database.Database): (record: AuditRecord) => void {
  const insert = sqlite.prepare(
    `INSERT INTO audit_log (at, user_id, username, procedure, entity, entity_id, action, before_json, after_json, workstation)
     VALUES (@at, @userId, @username, @procedure, @entity, @entityId, @action, @before, @after, @workstation)`,
  );
  return (record) => {
    insert.run({ ...record, before: maskSnapshotJson(record.before), after: maskSnapshotJson(record.after), workstation: record.workstation ?? null });
  };
}
