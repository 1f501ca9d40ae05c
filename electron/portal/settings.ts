import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDb } from '../../db/open';
import { settings } from '../../db/schema';
import { checkPortalUrl } from './adapters/rest';

/**
 * The portal connection of this installation (issue 13): which adapter (none, the portal's REST
 * API, an exchange folder), where, how often. Kept in `settings` under one key, as JSON. The
 * credential is NOT here: it lives in the SecretStore (adapters/credentials.ts).
 */
export const PORTAL_SETTINGS_KEY = 'portale.impostazioni';
/** The sync log (last runs, counts, errors): machine data, written by the runner. */
export const PORTAL_SYNC_LOG_KEY = 'portale.sync.registro';
/** Who runs the sync now (one runner per database): `{ owner, until }`. */
export const PORTAL_SYNC_LEASE_KEY = 'portale.sync.turno';

export const PORTAL_ADAPTERS = ['nessuno', 'rest', 'file'] as const;

export const portalSettings = z
  .object({
    adapter: z.enum(PORTAL_ADAPTERS).describe('nessuno: sincronizzazione spenta'),
    /** REST: the API's base address (https; http only towards this computer) */
    baseUrl: z.string().trim().max(500).default(''),
    /** files: the exchange folder (absolute path) */
    folder: z.string().trim().max(1000).default(''),
    /** files: the format of the batches the office writes */
    outboundFormat: z.enum(['json', 'csv']).default('json'),
    /** minutes between two background runs */
    intervalMinutes: z.number().int().min(1).max(24 * 60).default(5),
    /** events per page asked of the portal */
    pageSize: z.number().int().min(1).max(1000).default(200),
    /** deadline of one request to the portal, in seconds */
    timeoutSeconds: z.number().int().min(1).max(300).default(20),
  })
  .superRefine((s, ctx) => {
    if (s.adapter === 'rest') {
      const problem = s.baseUrl === '' ? "Indicare l'indirizzo del portale" : checkPortalUrl(s.baseUrl);
      if (problem) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: problem });
    }
    if (s.adapter === 'file') {
      if (s.folder === '') ctx.addIssue({ code: 'custom', path: ['folder'], message: 'Indicare la cartella di scambio' });
      else if (!/^([a-zA-Z]:[\\/]|[\\/])/.test(s.folder)) ctx.addIssue({ code: 'custom', path: ['folder'], message: 'Indicare il percorso completo della cartella di scambio' });
    }
  });
export type PortalSettings = z.output<typeof portalSettings>;

export const DEFAULT_PORTAL_SETTINGS: PortalSettings = {
  adapter: 'nessuno',
  baseUrl: '',
  folder: '',
  outboundFormat: 'json',
  intervalMinutes: 5,
  pageSize: 200,
  timeoutSeconds: 20,
};

export function readPortalSettings(db: AppDb): PortalSettings & { version: number } {
  const row = db.select().from(settings).where(eq(settings.key, PORTAL_SETTINGS_KEY)).get();
  if (!row) return { ...DEFAULT_PORTAL_SETTINGS, version: 0 };
  try {
    const parsed = portalSettings.safeParse(JSON.parse(row.value));
    if (parsed.success) return { ...parsed.data, version: row.version };
  } catch {
    // an unreadable row: the sync stays off until the office saves the settings again
  }
  return { ...DEFAULT_PORTAL_SETTINGS, version: row.version };
}

export function writePortalSettings(db: AppDb, value: PortalSettings): void {
  const json = JSON.stringify(value);
  db.insert(settings)
    .values({ key: PORTAL_SETTINGS_KEY, value: json })
    .onConflictDoUpdate({ target: settings.key, set: { value: json, version: sql`${settings.version} + 1` } })
    .run();
}

// ---------------------------------------------------------------------------------------------
// The sync log
// ---------------------------------------------------------------------------------------------

export interface SyncRunRecord {
  startedAt: string;
  finishedAt: string;
  /** 'automatica' (the background loop) or 'manuale' (portal.sync.now, the command line) */
  trigger: 'automatica' | 'manuale';
  adapter: 'rest' | 'file';
  outcome: 'riuscita' | 'parziale' | 'non_riuscita';
  inbound: { received: number; applied: number; review: number; duplicates: number; pages: number };
  outbound: { published: number; rejected: number; batches: number };
  /** attempts repeated after a network error, a timeout or a 5xx */
  retries: number;
  /** what went wrong, in Italian, without the credential */
  errors: string[];
}

export interface SyncLog {
  runs: SyncRunRecord[];
}

const LOG_LENGTH = 50;

export function readSyncLog(db: AppDb): SyncLog {
  const row = db.select().from(settings).where(eq(settings.key, PORTAL_SYNC_LOG_KEY)).get();
  if (!row) return { runs: [] };
  try {
    const v = JSON.parse(row.value) as SyncLog;
    return Array.isArray(v.runs) ? v : { runs: [] };
  } catch {
    return { runs: [] };
  }
}

/** Adds a run at the top of the log (the newest first; the oldest beyond 50 are dropped). */
export function appendSyncRun(db: AppDb, run: SyncRunRecord): void {
  const log = readSyncLog(db);
  const json = JSON.stringify({ runs: [run, ...log.runs].slice(0, LOG_LENGTH) });
  db.insert(settings)
    .values({ key: PORTAL_SYNC_LOG_KEY, value: json })
    .onConflictDoUpdate({ target: settings.key, set: { value: json, version: sql`${settings.version} + 1` } })
    .run();
}
