/**
 * Fixtures of the sync tests (runner, adapters, kill-and-restart): an office with enrolled pupils,
 * the sandbox portal with those families, the portal settings pointing at it.
 */
import path from 'node:path';
import { createTestApp, type TestApp } from '../../support/backend';
import { enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';
import { familiesFromDatabase } from '../../portal-sandbox/families';
import { startSandbox, type Sandbox, type SandboxFaults } from '../../portal-sandbox/server';
import { writePortalSettings, DEFAULT_PORTAL_SETTINGS, type PortalSettings } from '../../../electron/portal/settings';

/** Monday 19 October 2026, 16:00 in Rome: the families acted in the week before. */
export const SYNC_NOW = '2026-10-19T14:00:00Z';
/** the first day the families act on */
export const ACT_FROM = '2026-10-12';

export interface SyncOffice {
  app: TestApp;
  base: Base;
  dbFile: string;
}

export async function officeWithPupils(pupils = 6, at = SYNC_NOW): Promise<SyncOffice> {
  const app = await createTestApp(at);
  const base = await seedAttendance(app);
  for (let i = 0; i < pupils; i++) await enrollPupil(app, base);
  return { app, base, dbFile: path.join(app.dir, 'rette.sqlite') };
}

/** The sandbox portal with the office's own families (as `portal-sandbox --seed <db>` does). */
export function sandboxFor(office: SyncOffice, faults: Partial<SandboxFaults> = {}, token = 'credenziale-segreta-di-prova-42'): Promise<Sandbox> {
  return startSandbox({ token, families: familiesFromDatabase(office.dbFile), faults });
}

export function restSettings(office: SyncOffice, sandbox: Sandbox, extra: Partial<PortalSettings> = {}): void {
  writePortalSettings(office.app.database.db, { ...DEFAULT_PORTAL_SETTINGS, adapter: 'rest', baseUrl: sandbox.url, pageSize: 10, timeoutSeconds: 1, ...extra });
}

/** external id → how many rows the office recorded for it */
export function recordedIds(app: TestApp): Map<string, number> {
  const rows = app.database.sqlite.prepare('SELECT external_id AS id, count(*) AS n FROM portal_inbound_events GROUP BY external_id').all() as { id: string; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}
