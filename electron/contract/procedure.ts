import type { z } from 'zod';
import type Database from 'better-sqlite3';
import type { AppDb } from '../../db/open';
import type { Clock } from '../platform/clock';
import type { Access, Role } from './roles';
import type { JobStore } from './jobs';
import type { SessionStore } from './sessions';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

export interface AuditEntry {
  entity: string;
  entityId?: string | number | null;
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface Logger {
  info(message: string, extra?: unknown): void;
  warn(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

/** What a handler is given. The database and the clock are arguments, never globals. */
export interface Ctx {
  db: AppDb;
  sqlite: Database.Database;
  clock: Clock;
  /** The caller; null only for `pubblico` procedures called before login. */
  user: SessionUser | null;
  /** The session token of the call (login/logout use it). */
  sessionToken: string | null;
  procedure: string;
  audit(entry: AuditEntry): void;
  sessions: SessionStore;
  jobs: JobStore;
  dataDir: string;
  logger: Logger;
}

/** A mutation runs in one transaction (so its handler must be synchronous); a query may be async. */
export type ProcedureKind = 'query' | 'mutation';

export interface ProcedureDef<
  N extends string = string,
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
> {
  name: N;
  /** One Italian line saying what it does (shown in GET /api and `rette call --help`). */
  title: string;
  role: Access;
  kind: ProcedureKind;
  input: I;
  output: O;
  handler: (ctx: Ctx, input: z.output<I>) => z.input<O> | Promise<z.input<O>>;
  /**
   * The largest JSON body a transport accepts for this procedure, in bytes. Only procedures that
   * receive a file (imports, certificates) declare one; the others get the transport's small default
   * (1 MiB in the HTTP host).
   */
  maxInputBytes?: number;
}

/** Declares a procedure once: name, zod input and output, role, handler. */
export function procedure<const N extends string, I extends z.ZodType, O extends z.ZodType>(
  def: ProcedureDef<N, I, O>,
): ProcedureDef<N, I, O> {
  return def;
}

/** The caller of a non-public procedure: the dispatcher guarantees it is set. */
export function currentUser(ctx: Ctx): SessionUser {
  if (!ctx.user) throw new Error(`Procedura ${ctx.procedure} chiamata senza utente`);
  return ctx.user;
}
