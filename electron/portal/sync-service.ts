import type Database from 'better-sqlite3';
import type { AppDb } from '../../db/open';
import type { Clock } from '../platform/clock';
import type { Logger } from '../contract/procedure';
import type { ChangeNotices } from '../contract/notices';
import { applyInbound } from './inbound';
import { readCursor, writeCursor } from './state';
import { markPublished, pendingOutbound, recordFailure } from './outbox';
import { withTax730Pdfs } from './outbound-documents';
import { fileAdapter } from './adapters/files';
import { restAdapter } from './adapters/rest';
import type { PortalAdapter } from './adapters/adapter';
import { fileSecretStore, type SecretStore } from './adapters/credentials';
import { createRunner, type PortalRunner, type RunnerOptions } from './runner';
import type { PortalSettings } from './settings';

/**
 * The sync wired to this application: the inbound side (inbound.ts, state.ts), the outbox
 * (outbox.ts) and the adapter of the installation's settings. The transports start it through
 * the runtime (electron/host/runtime.ts): the desktop app and the server run it in the
 * background; a desktop client of a server never does (the server owns it); the command line
 * runs it once (`portal-sync`).
 */
export interface PortalSyncDeps {
  db: AppDb;
  sqlite: Database.Database;
  clock: Clock;
  logger: Logger;
  secrets: SecretStore;
  notices?: ChangeNotices;
}

/** The adapter the settings ask for (null: the sync is off). Throws PortalTransportError on settings that cannot work. */
export function adapterFromSettings(s: PortalSettings, secrets: SecretStore, clock: Clock): PortalAdapter | null {
  if (s.adapter === 'rest') return restAdapter({ baseUrl: s.baseUrl, secrets, timeoutMs: s.timeoutSeconds * 1000 });
  if (s.adapter === 'file') return fileAdapter({ folder: s.folder, outboundFormat: s.outboundFormat, now: () => clock.now() });
  return null;
}

export function createPortalSync(deps: PortalSyncDeps, overrides: Partial<RunnerOptions> = {}): PortalRunner {
  const { db, sqlite, clock, logger, secrets, notices } = deps;
  const env = { db, sqlite, clock, logger, notices };
  return createRunner({
    db,
    sqlite,
    clock,
    logger,
    secrets,
    adapterFor: (s, store) => adapterFromSettings(s, store, clock),
    inbound: {
      apply: (raw, receivedAt) => applyInbound(env, raw, receivedAt),
      readCursor: () => readCursor(db),
      writeCursor: (cursor) => writeCursor(db, cursor, clock.now()),
    },
    outbox: {
      pending: (limit) => pendingOutbound(sqlite, limit),
      prepare: (events) => withTax730Pdfs(db, events, clock.now()),
      markPublished: (ids, at) => void markPublished(sqlite, ids, at),
      recordFailure: (ids, error, at) => void recordFailure(sqlite, ids, error, at),
    },
    onChanged: () => notices?.emit({ procedure: 'portal.sync', areas: ['portal'], entities: ['portale'], user: 'sistema' }),
    ...overrides,
  });
}

interface Registered {
  runner: PortalRunner;
  secrets: SecretStore;
}

/** The background runner of each open database (one per database: the process that owns it). */
const registered = new WeakMap<Database.Database, Registered>();

/** Starts the background sync of a database (the runtime, when its timers run). */
export function startPortalSync(deps: PortalSyncDeps, firstDelayMs?: number): PortalRunner {
  const runner = createPortalSync(deps);
  registered.set(deps.sqlite, { runner, secrets: deps.secrets });
  runner.start(firstDelayMs);
  return {
    ...runner,
    async stop() {
      registered.delete(deps.sqlite);
      await runner.stop();
    },
  };
}

/**
 * The runner and credential store for a procedure's call: the background runner of this database
 * when the process runs one; otherwise (the command line, tests) a runner for this call, with the
 * credential file of the data folder.
 */
export function portalSyncFor(ctx: { db: AppDb; sqlite: Database.Database; clock: Clock; logger: Logger; dataDir: string }): Registered & { background: boolean } {
  const r = registered.get(ctx.sqlite);
  if (r) return { ...r, background: true };
  const secrets = fileSecretStore(ctx.dataDir);
  return { runner: createPortalSync({ db: ctx.db, sqlite: ctx.sqlite, clock: ctx.clock, logger: ctx.logger, secrets }), secrets, background: false };
}

/** The credential store of a call, without building a runner. */
export function portalSecretsFor(ctx: { sqlite: Database.Database; dataDir: string }): SecretStore {
  return registered.get(ctx.sqlite)?.secrets ?? fileSecretStore(ctx.dataDir);
}
