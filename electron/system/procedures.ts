import path from 'node:path';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { manualBackup } from '../../db/backup';
import { notFound } from '../contract/errors';
import { ok } from '../contract/fields';
import { procedure } from '../contract/procedure';
import { jobStatus } from '../contract/jobs';
import { romeDateOf } from '../calendar/rome-time';
import { pupils, payers, enrollments, municipalities, schools } from '../../db/schema';

/** A job as `jobs.get` answers it: a union on `kind`, each kind with its own result schema (contract/jobs.ts). */
const jobOut = jobStatus;

export const systemProcedures = [
  procedure({
    name: 'system.clock',
    title: 'L\'ora del programma e, se in uso, l\'orologio di prova (mostrato su ogni schermata)',
    // public: the banner is shown on the login and first-start screens too
    role: 'pubblico',
    kind: 'query',
    input: z.object({}),
    output: z.object({
      now: z.string(),
      today: z.string(),
      practice: z.object({ mode: z.enum(['fisso', 'in-corsa']), from: z.string() }).nullable(),
    }),
    handler: (ctx) => {
      const now = ctx.clock.now();
      return { now: now.toISOString(), today: romeDateOf(now), practice: ctx.clock.practice ? { ...ctx.clock.practice } : null };
    },
  }),
  procedure({
    name: 'system.info',
    title: 'Informazioni sul database in uso e conteggi principali',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.object({
      databaseFile: z.string(),
      today: z.string(),
      counts: z.object({ municipalities: z.number(), schools: z.number(), pupils: z.number(), payers: z.number(), enrollments: z.number() }),
    }),
    handler: (ctx) => {
      const n = (t: typeof pupils | typeof payers | typeof enrollments | typeof municipalities | typeof schools) =>
        ctx.db.select({ n: sql<number>`count(*)` }).from(t).get()!.n;
      return {
        databaseFile: ctx.sqlite.name,
        today: romeDateOf(ctx.clock.now()),
        counts: { municipalities: n(municipalities), schools: n(schools), pupils: n(pupils), payers: n(payers), enrollments: n(enrollments) },
      };
    },
  }),
  procedure({
    name: 'system.backup',
    title: 'Copia di sicurezza immediata del database nella cartella dei backup',
    role: 'supervisore',
    kind: 'query',
    input: z.object({}),
    output: z.object({ file: z.string(), bytes: z.number() }),
    // a copy of every personal and bank datum: on record, who made it and where (issue 7)
    auditedRead: { entity: 'database', action: 'copia di sicurezza manuale', details: (_input, out) => ({ file: out?.file ?? null, bytes: out?.bytes ?? null }) },
    handler: async (ctx) => {
      // unique name, and the newest MANUAL_KEEP manual copies are kept (db/backup.ts)
      const r = await manualBackup(ctx.sqlite, path.join(ctx.dataDir, 'backups'), ctx.clock.now());
      ctx.logger.info(`Backup manuale: ${r.file}`);
      return { file: r.file, bytes: r.bytes };
    },
  }),
  procedure({
    name: 'jobs.get',
    title: 'Avanzamento di un lavoro lungo (importazione, chiusura giornata…)',
    role: 'operatore',
    kind: 'query',
    input: z.object({ id: z.string().min(1) }),
    output: jobOut,
    handler: (ctx, input) => {
      const j = ctx.jobs.get(input.id, ctx.user?.id ?? null);
      if (!j) throw notFound('Lavoro');
      return j;
    },
  }),
  procedure({
    name: 'jobs.cancel',
    title: 'Annulla un lavoro lungo dove è sicuro farlo',
    role: 'operatore',
    // it changes a job's state: a mutation, so the request to cancel is on record (audit)
    kind: 'mutation',
    input: z.object({ id: z.string().min(1) }),
    output: ok,
    handler: (ctx, input) => {
      const job = ctx.jobs.get(input.id, ctx.user?.id ?? null);
      if (!job || !ctx.jobs.cancel(input.id, ctx.user?.id ?? null)) throw notFound('Lavoro in corso');
      ctx.audit({ entity: 'lavoro', entityId: input.id, action: 'annullamento', after: { kind: job.kind } });
      return { ok: true as const };
    },
  }),
];
