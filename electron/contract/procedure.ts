import type { z } from 'zod';
import type Database from 'better-sqlite3';
import type { AppDb } from '../../db/open';
import type { Clock } from '../platform/clock';
import type { Access, Role } from './roles';
import type { JobStore } from './jobs';
import type { SessionStore } from './sessions';
import type { ScryptParams } from '../users/passwords';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

/**
 * The command line acting on a brand-new database that has no users yet (only `seed-demo`). Its id
 * is 0, which no row of `users` has (ids start at 1): records it writes name no user.
 */
export const COMMAND_LINE_ACTOR: SessionUser = { id: 0, username: 'riga-di-comando', displayName: 'Riga di comando', role: 'amministratore' };

/** The `users` row an audit record points to: none for the command-line actor (the foreign key holds). */
export function auditUserId(user: SessionUser | null | undefined): number | null {
  return user && user.id > 0 ? user.id : null;
}

/** Who acts and when, for the rows a mutation writes: the caller (null for the system user) and the clock's moment. */
export function actorOf(ctx: Ctx): { userId: number | null; at: Date } {
  return { userId: auditUserId(ctx.user), at: ctx.clock.now() };
}

/** What a transport knows about the caller besides the session (Backend.call's fourth argument). */
export interface CallOrigin {
  /** the workstation, already checked by the transport (see electron/host/workstation.ts) */
  workstation?: string | null;
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
  /**
   * Where the call comes from, as the transport says it (issue 14): "PC-RETTE-2 (192.168.1.23)"
   * over the network, the desktop's host name, "riga di comando su <host>"; null when unknown.
   * Every audit record of the call names it.
   */
  workstation: string | null;
  procedure: string;
  audit(entry: AuditEntry): void;
  sessions: SessionStore;
  jobs: JobStore;
  dataDir: string;
  logger: Logger;
  /** the scrypt cost of new password hashes (and the level below which a hash is upgraded at sign-in) */
  passwordHashing: ScryptParams;
}

/** A mutation runs in one transaction (so its handler must be synchronous); a query may be async. */
export type ProcedureKind = 'query' | 'mutation';

/**
 * An audited read: a query whose every call leaves an audit record, written by the dispatcher
 * (not by the handler): exports of personal or bank data, backups, sign-ins, certificate views.
 * Mutations are always audited and do not need it.
 */
export interface AuditedRead<I = unknown, O = unknown> {
  /** the audit record's entity (e.g. 'pagante', 'database', 'accesso') */
  entity: string;
  /** what was read, in Italian (e.g. 'esportazione paganti con IBAN') */
  action: string;
  /** what to keep of the call: by default the (validated) input, i.e. the filters. Never a password. */
  details?: (input: I, output: O | undefined) => unknown;
  /** the record's entity id, when the read concerns one thing */
  entityId?: (input: I, output: O | undefined) => string | number | null;
  /** record refused calls too (sign-in: every failed sign-in), with the error code */
  failures?: boolean;
  /** who the record names when no one is signed in (sign-in: the username typed) */
  actor?: (input: I) => string;
}

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
  /**
   * mutations only: the areas whose data the procedure changes besides its own (the name's prefix),
   * named in the change notice every open window hears after it commits (contract/notices.ts)
   */
  changes?: readonly string[];
  /** queries only: every call is recorded in the audit log by the dispatcher */
  auditedRead?: AuditedRead<z.output<I>, z.output<O>>;
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
