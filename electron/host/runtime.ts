import path from 'node:path';
import { ensurePrivateDir, openDatabase, type OpenDatabase } from '../../db/open';
import { dailyBackup } from '../../db/backup';
import { createBackend, consoleLogger, type Backend } from '../contract/backend';
import { procedures } from '../contract/registry';
import type { Logger } from '../contract/procedure';
import { practiceClock, systemClock, type Clock, type PracticeClock } from '../platform/clock';
import { admitPracticeClock } from '../../db/real-data';
import { backupsDir, certificatesDir, defaultDatabaseFile, userDataDir } from '../platform/paths';
import { romeDateOf } from '../calendar/rome-time';
import { startDayCloseScheduler } from '../attendance/scheduler';
import { watchOtherProcesses } from '../contract/notices';
import { startOutboundProducers } from '../portal/outbound-triggers';
import { startPortalSync } from '../portal/sync-service';
import { fileSecretStore, type SecretStore } from '../portal/adapters/credentials';

/*
 * This module is the backend's public entry for the transports (electron/main, electron/cli,
 * electron/host): they import the contract and this module, never an area's internals
 * (eslint.config.js). The few area functions a transport needs pass through here.
 */
/** The Rome date of a moment (the desktop menu names its backup file after it). */
export { romeDateOf };
/** The signed-in user the CLI acts as. */
export { toSessionUser } from '../users/service';
/** Where the portal's credential is kept (the desktop passes its safeStorage store: electron/main/portal-secrets.ts). */
export type { SecretStore };
/** The portal contract as an OpenAPI 3.1 document (`rette portal-openapi`). */
export { openApiJson } from '../portal/openapi';

/**
 * What this process is (issue 14). Scheduled work (the automatic day close, the daily backup, and
 * later the portal sync and the monthly batches) runs where the database is: in the desktop app on
 * its own database ('standalone') and in the office server ('server'). A desktop connected to an
 * office server ('client') has no database and never runs it; the command line's one-shot commands
 * ('tool') neither.
 */
export type ProcessMode = 'standalone' | 'server' | 'client' | 'tool';

/** Whether a process of this mode runs the scheduled work. */
export function runsScheduledWork(mode: ProcessMode): boolean {
  return mode === 'standalone' || mode === 'server';
}

export interface RuntimeOptions {
  /** default 'standalone'; 'client' is refused: a client has no database of its own */
  mode?: ProcessMode;
  dbFile?: string;
  dataDir?: string;
  clock?: Clock;
  /** a practice clock (tests, training: `--clock`, `--clock-from`); refused on a database with real data */
  practiceClock?: PracticeClock | null;
  logger?: Logger;
  /** run the daily automatic backup and the other timers (default: runsScheduledWork(mode)) */
  timers?: boolean;
  /** where the portal's credential is kept (default: a 0600 file in the data folder; the desktop: safeStorage) */
  portalSecrets?: SecretStore;
}

export interface Runtime {
  backend: Backend;
  database: OpenDatabase;
  dataDir: string;
  /** whether this process runs the scheduled work (day close, daily backup) */
  scheduledWork: boolean;
  stop(): void;
}

const HOUR = 60 * 60 * 1000;

/**
 * Opens the office database (migrating it, failing closed) and builds the backend that every
 * transport shares. Desktop, browser mode and CLI all start here.
 */
export function openRuntime(options: RuntimeOptions = {}): Runtime {
  const mode = options.mode ?? 'standalone';
  if (mode === 'client') throw new Error("Una postazione collegata al server dell'ufficio non apre un database proprio");
  const scheduledWork = options.timers ?? runsScheduledWork(mode);
  const dbFile = options.dbFile ?? process.env.RETTE_DB ?? defaultDatabaseFile(options.dataDir ?? userDataDir());
  const dataDir = options.dataDir ?? path.dirname(path.resolve(dbFile));
  const clock = options.practiceClock ? practiceClock(options.practiceClock, options.clock) : (options.clock ?? systemClock);
  const logger = options.logger ?? consoleLogger;
  const database = openDatabase(dbFile);
  if (clock.practice) {
    // before anything runs on the practice clock (the day-close scheduler, the first request)
    try {
      admitPracticeClock(database.sqlite, clock.practice, systemClock.now());
    } catch (err) {
      database.close();
      throw err;
    }
  }
  // copies of the database and personal documents: readable only by their owner
  try {
    for (const dir of [backupsDir(dataDir), certificatesDir(dataDir)]) ensurePrivateDir(dir);
  } catch (err) {
    database.close();
    throw err;
  }
  const backend = createBackend({ database, clock, procedures, dataDir, logger });
  const timers: NodeJS.Timeout[] = [];

  if (scheduledWork) {
    const backupDir = backupsDir(dataDir);
    const runBackup = () => {
      dailyBackup(database.sqlite, backupDir, romeDateOf(clock.now()))
        .then((r) => r && logger.info(`Copia di sicurezza giornaliera: ${r.file}`))
        .catch((err) => logger.error('Copia di sicurezza giornaliera non riuscita', err));
    };
    // first copy shortly after start (not during it), then hourly checks: one copy per Rome day
    timers.push(setTimeout(runBackup, 30_000).unref());
    timers.push(setInterval(runBackup, HOUR).unref());
  }
  // each municipality's day closes itself at its cutoff; days missed while closed, at the next start
  // (its closes reach every open window as change notices, like the office's own changes)
  const dayClose = scheduledWork ? startDayCloseScheduler({ database, clock, logger, notices: backend.notices }) : null;
  // changes committed by another process on the same file (the command line) are announced too
  const otherProcesses = scheduledWork ? watchOtherProcesses(database.sqlite, backend.notices) : null;
  // what the office publishes to the parent portal is queued after the changes that touch it (issue 13)
  const portalProducers = scheduledWork ? startOutboundProducers({ database, clock, logger, notices: backend.notices }) : null;
  // the sync with the parent portal, in the background (issue 13): only where the database is (one runner per database)
  const portalSync = scheduledWork
    ? startPortalSync({ db: database.db, sqlite: database.sqlite, clock, logger, notices: backend.notices, secrets: options.portalSecrets ?? fileSecretStore(dataDir) })
    : null;

  return {
    backend,
    database,
    dataDir,
    scheduledWork,
    stop() {
      for (const t of timers) clearTimeout(t);
      dayClose?.stop();
      otherProcesses?.stop();
      portalProducers?.stop();
      void portalSync?.stop();
      database.close();
    },
  };
}
