import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/open';

/**
 * A migrated, empty database file that test backends copy instead of migrating their own: running
 * every migration costs ~100 ms, a file copy a millisecond. The copy is opened with `openDatabase`
 * as usual, which checks its migrations against the files (a migration added since the template was
 * made is applied there), so a test database is the same as a freshly migrated one.
 *
 * The template is made once per vitest run (test/support/global-setup.ts, path in
 * RETTE_TEST_TEMPLATE_DB) or, outside that, once per test process.
 */
export const TEMPLATE_ENV = 'RETTE_TEST_TEMPLATE_DB';

/** Writes a migrated, empty database at `file` (closed, WAL checkpointed: one self-contained file). */
export function writeTemplateDatabase(file: string): void {
  const database = openDatabase(file);
  database.close();
  for (const side of ['-wal', '-shm', '.lock']) fs.rmSync(`${file}${side}`, { force: true });
}

let ownTemplate: string | null = null;

function templateFile(): string {
  const shared = process.env[TEMPLATE_ENV];
  if (shared && fs.existsSync(shared)) return shared;
  if (!ownTemplate || !fs.existsSync(ownTemplate)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-template-'));
    ownTemplate = path.join(dir, 'template.sqlite');
    writeTemplateDatabase(ownTemplate);
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return ownTemplate;
}

/** Puts a copy of the migrated template at `file` (owner-only), ready for `openDatabase(file)`. */
export function copyTemplateDatabase(file: string): void {
  fs.copyFileSync(templateFile(), file);
  fs.chmodSync(file, 0o600);
}
