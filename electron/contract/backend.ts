import { z } from 'zod';
import type { OpenDatabase } from '../../db/open';
import { prepareAuditWriter } from '../audit/writer';
import type { Clock } from '../platform/clock';
import { AppError, type ErrorShape, type Result, invalid, zodIssues, installItalianZodMessages } from './errors';
import { JobStore } from './jobs';
import type { AuditEntry, Ctx, Logger, ProcedureDef, SessionUser } from './procedure';
import { roleAllows } from './roles';
import { SessionStore } from './sessions';

installItalianZodMessages();

export interface BackendOptions {
  database: OpenDatabase;
  clock: Clock;
  procedures: readonly ProcedureDef[];
  dataDir: string;
  logger?: Logger;
}

export const consoleLogger: Logger = {
  info: (m, e) => console.log(`[rette] ${m}`, e ?? ''),
  warn: (m, e) => console.warn(`[rette] ${m}`, e ?? ''),
  error: (m, e) => console.error(`[rette] ${m}`, e ?? ''),
};

function json(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(value);
}

/** SQLite constraint failures that reach the boundary become CONFLICT with an Italian message. */
function sqliteToAppError(err: unknown): AppError | null {
  if (!(err instanceof Error) || (err as unknown as { code?: string }).code === undefined) return null;
  const code = (err as unknown as { code: string }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new AppError('CONFLICT', 'Esiste già un elemento con questi dati (valore duplicato)');
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new AppError('CONFLICT', 'Il dato è collegato ad altri elementi inesistenti o ancora in uso');
  }
  if (code === 'SQLITE_BUSY') return new AppError('CONFLICT', 'Il database è occupato: riprovare tra poco');
  // the database's own guards (issue 7): a trigger's RAISE(ABORT) message is already Italian
  if (code === 'SQLITE_CONSTRAINT_TRIGGER') return new AppError('CONFLICT', err.message);
  if (code === 'SQLITE_CONSTRAINT_CHECK') {
    const rule = /CHECK constraint failed: (\S+)/.exec(err.message)?.[1];
    return new AppError('CONFLICT', `Il database rifiuta il dato: non rispetta la regola${rule ? ` «${rule}»` : ''}`);
  }
  return null;
}

export interface Backend {
  /** Calls a procedure by name with an untrusted JSON payload: the one entry point of every transport. */
  call(name: string, input: unknown, sessionToken?: string | null): Promise<Result<unknown>>;
  procedures: ReadonlyMap<string, ProcedureDef>;
  sessions: SessionStore;
  jobs: JobStore;
  database: OpenDatabase;
  clock: Clock;
  dataDir: string;
  logger: Logger;
  /** Opens a session for a known user without a password (CLI, tests: whoever holds the file). */
  sessionFor(user: SessionUser): string;
}

export function createBackend(options: BackendOptions): Backend {
  const { database, clock, dataDir } = options;
  const logger = options.logger ?? consoleLogger;
  const byName = new Map<string, ProcedureDef>();
  for (const p of options.procedures) {
    if (byName.has(p.name)) throw new Error(`Procedura dichiarata due volte: ${p.name}`);
    byName.set(p.name, p);
  }
  const sessions = new SessionStore(clock);
  const jobs = new JobStore();
  const writeAudit = prepareAuditWriter(database.sqlite);

  async function call(name: string, rawInput: unknown, sessionToken: string | null = null): Promise<Result<unknown>> {
    const def = typeof name === 'string' ? byName.get(name) : undefined;
    if (!def) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `Operazione sconosciuta: ${String(name)}`, issues: [] } };
    }
    const user = sessions.get(sessionToken);
    if (def.role !== 'pubblico') {
      if (!user) {
        return {
          ok: false,
          error: { code: 'UNAUTHENTICATED', message: 'Sessione scaduta o assente: accedere di nuovo', issues: [] },
        };
      }
      if (!roleAllows(user.role, def.role)) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN',
            message: `Operazione riservata al ruolo ${def.role} o superiore`,
            issues: [],
          },
        };
      }
    }
    const parsed = def.input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) return { ok: false, error: invalid(zodIssues(parsed.error)).toShape() };

    let audited = 0;
    const ctx: Ctx = {
      db: database.db,
      sqlite: database.sqlite,
      clock,
      user,
      sessionToken,
      procedure: def.name,
      sessions,
      jobs,
      dataDir,
      logger,
      audit(entry: AuditEntry) {
        audited++;
        writeAudit({
          at: clock.now().toISOString(),
          userId: ctx.user?.id ?? null,
          username: ctx.user?.username ?? 'sistema',
          procedure: def.name,
          entity: entry.entity,
          entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
          action: entry.action,
          before: json(entry.before),
          after: json(entry.after),
        });
      },
    };

    try {
      let out: unknown;
      if (def.kind === 'mutation') {
        out = database.sqlite.transaction(() => {
          const value = def.handler(ctx, parsed.data);
          if (value instanceof Promise) throw new Error(`La mutazione ${def.name} deve essere sincrona`);
          // every mutation leaves a trace, even one whose handler recorded nothing specific
          if (audited === 0) ctx.audit({ entity: def.name.split('.')[0], action: def.name, after: parsed.data });
          return value;
        })();
      } else {
        out = await def.handler(ctx, parsed.data);
      }
      const checked = def.output.safeParse(out);
      if (!checked.success) {
        logger.error(`Output non conforme da ${def.name}`, checked.error.issues);
        return { ok: false, error: { code: 'INTERNAL', message: 'Errore interno del programma', issues: [] } };
      }
      return { ok: true, value: checked.data };
    } catch (err) {
      return { ok: false, error: toErrorShape(err, def.name, logger) };
    }
  }

  return {
    call,
    procedures: byName,
    sessions,
    jobs,
    database,
    clock,
    dataDir,
    logger,
    sessionFor: (user) => sessions.create(user),
  };
}

export function toErrorShape(err: unknown, procedure: string, logger: Logger): ErrorShape {
  if (err instanceof AppError) return err.toShape();
  if (err instanceof z.ZodError) return invalid(zodIssues(err)).toShape();
  const sqlite = sqliteToAppError(err);
  if (sqlite) return sqlite.toShape();
  logger.error(`Errore in ${procedure}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { code: 'INTERNAL', message: 'Errore interno del programma: l\'operazione non è stata eseguita', issues: [] };
}
