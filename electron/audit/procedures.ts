import { z } from 'zod';
import { and, desc, eq, gte, like, lte, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import { isoDate, likePattern, page } from '../contract/fields';
import { procedure } from '../contract/procedure';
import { romeMoment, addDays, romeDateOf } from '../calendar/rome-time';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { auditedExport } from './reads';
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
    conds.push(sql`(${auditLog.action} LIKE ${p} ESCAPE '\\' OR ${auditLog.after} LIKE ${p} ESCAPE '\\' OR ${auditLog.before} LIKE ${p} ESCAPE '\\')`);
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
    })
    .from(auditLog)
    .where(auditWhere(f))
    .orderBy(desc(auditLog.id));
  return paged ? q.limit(f.limit).offset(f.offset).all() : q.all();
}

/** 'dd/mm/yyyy hh:mm:ss' in Rome time, for people reading the log. */
function romeStamp(iso: string): string {
  return new Date(iso).toLocaleString('it-IT', { timeZone: 'Europe/Rome', dateStyle: 'short', timeStyle: 'medium' });
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
      return { rows: selectAudit(ctx.db, f, true), total };
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
        { header: 'Quando (ora di Roma)', value: (r) => romeStamp(r.at), width: 20 },
        { header: 'Utente', value: (r) => r.username, width: 14 },
        { header: 'Operazione', value: (r) => r.procedure, width: 24 },
        { header: 'Entità', value: (r) => r.entity, width: 14 },
        { header: 'Id', type: 'text', value: (r) => r.entityId },
        { header: 'Azione', value: (r) => r.action, width: 24 },
        { header: 'Prima', value: (r) => r.before, width: 50 },
        { header: 'Dopo', value: (r) => r.after, width: 50 },
      ], selectAudit(ctx.db, { ...f, offset: 0, limit: 1000 }, false)),
  }),
];
