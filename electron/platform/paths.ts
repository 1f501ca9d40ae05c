import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The product name: Electron names its userData folder after it, and so do we in browser mode / CLI. */
export const PRODUCT_NAME = 'Rette Mensa';

/**
 * The platform's per-user application data folder, the same one Electron's
 * `app.getPath('userData')` returns for this product, so desktop, browser mode and CLI share the database.
 */
export function userDataDir(): string {
  if (process.env.RETTE_DATA_DIR) return process.env.RETTE_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'win32') {
    return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  }
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

export function defaultDatabaseFile(dataDir = userDataDir()): string {
  return path.join(dataDir, 'rette.sqlite');
}

/** Automatic, manual, pre-migration and pre-restore copies of the database (owner-only folder). */
export function backupsDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

/** Medical certificates and other personal documents kept by the office (owner-only folder). */
export function certificatesDir(dataDir: string): string {
  return path.join(dataDir, 'certificati');
}

/** Walks up from this module to the project root (the folder holding package.json). */
function projectRoot(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'db'))) return dir;
    dir = path.dirname(dir);
  }
  return null;
}

/** Where the generated drizzle-kit migrations are: packaged resources, or the project's db/migrations. */
export function migrationsDir(): string {
  const candidates = [
    process.env.RETTE_MIGRATIONS_DIR,
    (process as { resourcesPath?: string }).resourcesPath
      ? path.join((process as { resourcesPath?: string }).resourcesPath!, 'migrations')
      : undefined,
    projectRoot() ? path.join(projectRoot()!, 'db', 'migrations') : undefined,
    path.resolve('db', 'migrations'),
  ];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'meta', '_journal.json'))) return c;
  throw new Error('Cartella delle migrazioni del database non trovata');
}

/** The built renderer (index.html and assets) served by the HTTP host in browser mode. */
export function rendererDir(): string {
  const candidates = [
    process.env.RETTE_RENDERER_DIR,
    projectRoot() ? path.join(projectRoot()!, 'out', 'renderer') : undefined,
    path.resolve('out', 'renderer'),
  ];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'index.html'))) return c;
  return candidates.find(Boolean) ?? path.resolve('out', 'renderer');
}
