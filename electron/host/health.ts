import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../contract/backend';

/**
 * GET /health (issue 14): for the office's monitoring (a script, Zabbix, Uptime Kuma…). No sign-in,
 * no personal data: whether the program answers, its version, whether the database answers a
 * trivial query, the server's time and how long it has been running. 200 when all is well, 503 when
 * the database does not answer.
 *
 *   { "status": "ok", "version": "0.1.0", "database": "ok", "time": "2026-11-16T07:30:00.000Z", "uptimeSeconds": 3600 }
 */
export const HEALTH_PATH = '/health';

export interface HealthReport {
  status: 'ok' | 'errore';
  version: string;
  database: 'ok' | 'non raggiungibile';
  time: string;
  uptimeSeconds: number;
}

let cachedVersion: string | null = null;

/** The program's version (package.json of the project, found walking up from this module). */
export function appVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const v = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version;
        if (typeof v === 'string') return (cachedVersion = v);
      } catch {
        // an unreadable package.json: keep looking up
      }
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = 'sconosciuta');
}

export function healthReport(backend: Backend, version: string = appVersion()): { status: number; body: HealthReport } {
  let database: HealthReport['database'] = 'ok';
  try {
    // reads the schema page of the file: fails when the file is gone, locked out or damaged
    backend.database.sqlite.prepare('SELECT count(*) AS n FROM sqlite_master').get();
  } catch (err) {
    database = 'non raggiungibile';
    backend.logger.error('Controllo di salute: il database non risponde', err instanceof Error ? err.message : err);
  }
  const ok = database === 'ok';
  return {
    status: ok ? 200 : 503,
    body: { status: ok ? 'ok' : 'errore', version, database, time: backend.clock.now().toISOString(), uptimeSeconds: Math.floor(process.uptime()) },
  };
}
