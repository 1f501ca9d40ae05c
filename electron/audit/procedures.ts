import { z } from 'zod';
import { and, desc, eq, gte, like, lte, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import { isoDate, likePattern, page } from '../contract/fields';
import { procedure } from '../contract/procedure';
import { romeMoment, addDays, romeDateOf } from '../calendar/rome-time';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { auditedExport } from './reads';
import { readableRows, type AuditChange, type ReadableAuditRow } from './readable';
import type { AppDb } from '../../db/open';

const auditRow = z.object({
  id: z.number(),
  at: z.string(),
  username: z.string(),
  procedure: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  action: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** where the change was made (issue 14): "PC-RETTE-2 (192.168.1.23)"; null for scheduled work and older records */
  workstation: z.string().nullable(),
  /** read-time names (issue 12): the operation and the kind of record in Italian, who it is about, what changed */
  operation: z.string(),
  entityName: z.string(),
  subject: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), label: z.string(), before: z.string(), after: z.string() })),
});

export const auditFilter = z.object({
  username: z.string().trim().max(40).optional(),
  entity: z.string().trim().max(60).optional(),
  entityId: z.string().trim().max(60).optional(),
  procedure: z.string().trim().max(80).optional(),
  /** Rome dates, inclusive. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  search: z.string().trim().max(100).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});

export function auditWhere(f: z.output<typeof auditFilter>): SQL | undefined {
  const conds: SQL[] = [];
  if (f.username) conds.push(sql`${auditLog.username} LIKE ${likePattern(f.username, 'prefix')} ESCAPE '\\'`);
  if (f.entity) conds.push(eq(auditLog.entity, f.entity));
  if (f.entityId) conds.push(eq(auditLog.entityId, f.entityId));
  if (f.procedure) conds.push(eq(auditLog.procedure, f.procedure));
  if (f.from) conds.push(gte(auditLog.at, romeMoment(f.from, '00:00').toISOString()));
  if (f.to) conds.push(lte(auditLog.at, romeMoment(addDays(f.to, 1), '00:00').toISOString()));
  if (f.search) {
    const p = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // the text, or the name of the pupil or payer the record is about (names are not in the snapshots of an enrollment)
    const named = (table: string) => sql.raw(`SELECT CAST(id AS TEXT) FROM ${table} WHERE first_name || ' ' || last_name LIKE `);
    conds.push(sql`(${auditLog.action} LIKE ${p} ESCAPE '\\' OR ${auditLog.after} LIKE ${p} ESCAPE '\\' OR ${auditLog.before} LIKE ${p} ESCAPE '\\'
      OR (${auditLog.entity} = 'alunno' AND ${auditLog.entityId} IN (${named('pupils')}${p} ESCAPE '\\' OR last_name || ' ' || first_name LIKE ${p} ESCAPE '\\'))
      OR (${auditLog.entity} = 'pagante' AND ${auditLog.entityId} IN (${named('payers')}${p} ESCAPE '\\' OR last_name || ' ' || first_name LIKE ${p} ESCAPE '\\'))
      OR (${auditLog.entity} = 'iscrizione' AND ${auditLog.entityId} IN (SELECT CAST(e.id AS TEXT) FROM enrollments e JOIN pupils x ON x.id = e.pupil_id WHERE x.first_name || ' ' || x.last_name LIKE ${p} ESCAPE '\\' OR x.last_name || ' ' || x.first_name LIKE ${p} ESCAPE '\\')))`);
  }
  void like;
  return conds.length ? and(...conds) : undefined;
}

function selectAudit(db: AppDb, f: z.output<typeof auditFilter>, paged: boolean) {
  const q = db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      username: auditLog.username,
      procedure: auditLog.procedure,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      action: auditLog.action,
      before: auditLog.before,
      after: auditLog.after,
      workstation: auditLog.workstation,
    })
    .from(auditLog)
    .where(auditWhere(f))
    .orderBy(desc(auditLog.id));
  return paged ? q.limit(f.limit).offset(f.offset).all() : q.all();
}

/**
 * The export's rows: one row per changed field, the operation's columns repeated on each (an
 * operation without fields, such as a sign-in or an export, is one row). The fields differ from one
 * kind of record to another (a pupil has its names and codes, a batch its amounts): one column per
 * field would give a sheet of a hundred mostly empty columns, with the old and new value of a field
 * far apart. One row per change keeps "Prima" and "Dopo" side by side and lets an auditor filter
 * the "Campo" column (every IBAN change, every withdrawal date) or sort and pivot it.
 */
function exportRows(rows: ReadableAuditRow[]): { r: ReadableAuditRow; c: AuditChange | null }[] {
  return rows.flatMap((r): { r: ReadableAuditRow; c: AuditChange | null }[] => (r.changes.length ? r.changes.map((c) => ({ r, c })) : [{ r, c: null }]));
}

export const auditProcedures = [
  procedure({
    name: 'audit.list',
    title: 'Registro delle modifiche, filtrabile per utente, entità, operazione e periodo',
    role: 'supervisore',
    kind: 'query',
    input: auditFilter,
    output: page(auditRow),
    handler: (ctx, f) => {
      const where = auditWhere(f);
      const total = ctx.db.select({ n: sql<number>`count(*)` }).from(auditLog).where(where).get()!.n;
      return { rows: readableRows(ctx.sqlite, selectAudit(ctx.db, f, true)), total };
    },
  }),
  procedure({
    name: 'audit.export',
    title: 'Esporta in Excel il registro delle modifiche filtrato',
    role: 'supervisore',
    kind: 'query',
    input: auditFilter.omit({ offset: true, limit: true }),
    output: exportFileOut,
    auditedRead: auditedExport('registro', 'esportazione del registro delle modifiche'),
    handler: (ctx, f) =>
      exportFile('registro-modifiche', romeDateOf(ctx.clock.now()), 'Registro', [
        { header: 'Quando (ora di Roma)', type: 'datetime', value: (x) => x.r.at, width: 20 },
        { header: 'Utente', value: (x) => x.r.username, width: 16 },
        { header: 'Operazione', value: (x) => x.r.operation, width: 32 },
        { header: 'Tipo di dato', value: (x) => x.r.entityName, width: 18 },
        { header: 'Riguarda', value: (x) => x.r.subject, width: 26 },
        { header: 'Azione', value: (x) => x.r.action, width: 26 },
        { header: 'Campo', value: (x) => x.c?.label, width: 26 },
        { header: 'Prima', value: (x) => x.c?.before, width: 34 },
        { header: 'Dopo', value: (x) => x.c?.after, width: 34 },
        // after the change itself (the columns before it are read by position by existing checks)
        { header: 'Postazione', value: (x) => x.r.workstation, width: 26 },
        { header: 'N. registrazione', type: 'number', value: (x) => x.r.id, width: 16 },
        { header: 'Codice operazione', value: (x) => x.r.procedure, width: 24 },
        { header: 'Id del dato', type: 'text', value: (x) => x.r.entityId, width: 12 },
      ], exportRows(readableRows(ctx.sqlite, selectAudit(ctx.db, { ...f, offset: 0, limit: 1000 }, false)))),
  }),
];
