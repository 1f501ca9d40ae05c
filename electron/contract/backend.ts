import { z } from 'zod';
import type { OpenDatabase } from '../../db/open';
import { prepareAuditWriter } from '../audit/writer';
import type { Clock } from '../platform/clock';
import { AppError, type ErrorShape, type Result, invalid, zodIssues, installItalianZodMessages } from './errors';
import { JobStore } from './jobs';
import type { AuditEntry, CallOrigin, Ctx, Logger, ProcedureDef, SessionUser } from './procedure';
import { auditUserId } from './procedure';
import { FORBIDDEN_CHARS_MESSAGE, hasForbiddenChars } from './fields';
import { ChangeNotices } from './notices';

/** The paths of the strings in a (validated) input that hold forbidden characters (multi-line rule). */
function forbiddenTextPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === 'string') {
    if (hasForbiddenChars(value, true)) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => forbiddenTextPaths(v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) forbiddenTextPaths(v, [...path, k], out);
  }
  return out;
}
import { roleAllows } from './roles';
import { SessionStore, type UserState } from './sessions';
import { CURRENT_SCRYPT, type ScryptParams } from '../users/passwords';

installItalianZodMessages();

export interface BackendOptions {
  database: OpenDatabase;
  clock: Clock;
  procedures: readonly ProcedureDef[];
  dataDir: string;
  logger?: Logger;
  /** scrypt cost of new password hashes; default: current OWASP guidance (tests may pass a cheaper one) */
  passwordHashing?: ScryptParams;
  /** the change-notice channel (default: a new one for this backend) */
  notices?: ChangeNotices;
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
  /**
   * Calls a procedure by name with an untrusted JSON payload: the one entry point of every transport.
   * `origin` says where the call comes from (the workstation named in the audit log).
   */
  call(name: string, input: unknown, sessionToken?: string | null, origin?: CallOrigin): Promise<Result<unknown>>;
  procedures: ReadonlyMap<string, ProcedureDef>;
  sessions: SessionStore;
  jobs: JobStore;
  database: OpenDatabase;
  clock: Clock;
  dataDir: string;
  logger: Logger;
  /** Change notices: one after every committed mutation (and scheduled work), for every open window. */
  notices: ChangeNotices;
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
  // a session ends as soon as its user's row says so (deactivated, new role, new password), even
  // when another process on the same database made the change
  // (the stamp holds the password hash too: two changes in the same millisecond still differ)
  const userRow = database.sqlite.prepare("SELECT active, role, updated_at || ' ' || password_hash AS stamp FROM users WHERE id = ?");
  const sessions = new SessionStore(clock, (userId): UserState | null => {
    const r = userRow.get(userId) as { active: number; role: UserState['role']; stamp: string } | undefined;
    return r ? { active: r.active === 1, role: r.role, stamp: r.stamp } : null;
  });
  const jobs = new JobStore();
  const writeAudit = prepareAuditWriter(database.sqlite);
  const passwordHashing = options.passwordHashing ?? CURRENT_SCRYPT;
  const notices = options.notices ?? new ChangeNotices(clock, (err) => logger.error('Avviso di modifica non consegnato', err));

  async function call(name: string, rawInput: unknown, sessionToken: string | null = null, origin: CallOrigin = {}): Promise<Result<unknown>> {
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
    const auditedEntities = new Set<string>();
    const ctx: Ctx = {
      db: database.db,
      sqlite: database.sqlite,
      clock,
      user,
      sessionToken,
      workstation: origin.workstation ?? null,
      procedure: def.name,
      sessions,
      jobs,
      dataDir,
      logger,
      passwordHashing,
      audit(entry: AuditEntry) {
        audited++;
        auditedEntities.add(entry.entity);
        writeAudit({
          at: clock.now().toISOString(),
          userId: auditUserId(ctx.user),
          username: ctx.user?.username ?? 'sistema',
          procedure: def.name,
          entity: entry.entity,
          entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
          action: entry.action,
          before: json(entry.before),
          after: json(entry.after),
          workstation: ctx.workstation,
        });
      },
    };

    try {
      // the floor under every procedure, declared or future: no text anywhere in an input may hold
      // control, bidi or zero-width characters (fields declared as one-line texts are stricter);
      // refused here, inside the try, so that a refused sign-in is still on record
      const hidden = forbiddenTextPaths(parsed.data);
      if (hidden.length) throw invalid(hidden.map((path) => ({ path, message: FORBIDDEN_CHARS_MESSAGE })));
      let out: unknown;
      if (def.kind === 'mutation') {
        out = database.sqlite.transaction(() => {
          const value = def.handler(ctx, parsed.data);
          if (value instanceof Promise) throw new Error(`La mutazione ${def.name} deve essere sincrona`);
          // every mutation leaves a trace, even one whose handler recorded nothing specific
          if (audited === 0) ctx.audit({ entity: def.name.split('.')[0], action: def.name, after: parsed.data });
          return value;
        })();
        // committed: every open window hears which areas changed (never before the commit, never
        // after a rollback: a throw above skips this)
        notices.emit({
          procedure: def.name,
          areas: [def.name.split('.')[0], ...(def.changes ?? [])],
          entities: [...auditedEntities],
          user: ctx.user?.username ?? 'sistema',
        });
      } else {
        out = await def.handler(ctx, parsed.data);
      }
      const checked = def.output.safeParse(out);
      if (!checked.success) {
        logger.error(`Output non conforme da ${def.name}`, checked.error.issues);
        return { ok: false, error: { code: 'INTERNAL', message: 'Errore interno del programma', issues: [] } };
      }
      if (def.kind === 'query' && def.auditedRead) {
        try {
          auditRead(ctx, def, parsed.data, checked.data, null);
        } catch (err) {
          // fail closed: a read that must be on record is not handed out unrecorded
          logger.error(`Registro delle letture: impossibile registrare ${def.name}: ${err instanceof Error ? err.message : String(err)}`);
          return { ok: false, error: { code: 'INTERNAL', message: 'Impossibile registrare l\'operazione nel registro: operazione annullata', issues: [] } };
        }
      }
      return { ok: true, value: checked.data };
    } catch (err) {
      const error = toErrorShape(err, def.name, logger);
      if (def.kind === 'query' && def.auditedRead?.failures) {
        try {
          auditRead(ctx, def, parsed.data, undefined, error);
        } catch (auditErr) {
          logger.error(`Registro delle letture: impossibile registrare ${def.name}: ${auditErr instanceof Error ? auditErr.message : String(auditErr)}`);
        }
      }
      return { ok: false, error };
    }
  }

  /**
   * The record of an audited read, declared on the procedure (`auditedRead`): the handler writes
   * nothing itself. Before sign-in there is no user: the record names who the caller claimed to be.
   */
  function auditRead(ctx: Ctx, def: ProcedureDef, input: unknown, output: unknown, error: ErrorShape | null): void {
    const spec = def.auditedRead!;
    const details = spec.details ? spec.details(input, output) : input;
    const entityId = spec.entityId ? spec.entityId(input, output) : null;
    writeAudit({
      at: clock.now().toISOString(),
      userId: auditUserId(ctx.user),
      username: ctx.user?.username ?? spec.actor?.(input) ?? 'anonimo',
      procedure: def.name,
      entity: spec.entity,
      entityId: entityId === null || entityId === undefined ? null : String(entityId),
      action: error ? `${spec.action} non riuscito` : spec.action,
      before: null,
      after: json(error ? { esito: error.code, messaggio: error.message, dettagli: details } : details),
      workstation: ctx.workstation,
    });
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
    notices,
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
