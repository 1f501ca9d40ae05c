import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const TESTS = 'test/unit/**/*.test.ts';
/** the office load test (issue 14): 25 clerks on one server, bounded to a few seconds */
const LOAD_TESTS = 'test/load/**/*.test.ts';

/**
 * Test files that change their process for everyone after them: mocked modules (`vi.mock`),
 * stubbed or assigned environment variables (TZ, RETTE_DB…), fake timers, per-file config, the
 * working directory. They run isolated, each in a fresh module graph, as vitest does by default.
 */
const CHANGES_THE_PROCESS = /\bvi\.(mock|doMock|stubEnv|stubGlobal|useFakeTimers|setConfig|setSystemTime)\(|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env|process\.chdir\(/;

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => path.relative(import.meta.dirname, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}
const isolated = testFiles(path.join(import.meta.dirname, 'test/unit')).filter((f) => CHANGES_THE_PROCESS.test(fs.readFileSync(f, 'utf8')));

const common = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 30_000,
  pool: 'forks',
  // one migrated database for the run, copied by each test backend (test/support/template-db.ts)
  globalSetup: ['test/support/global-setup.ts'],
} satisfies TestProjectInlineConfiguration['test'];

export default defineConfig({
  test: {
    // vitest's default on a 2-core machine is a single worker (cores - 1); most tests wait on
    // SQLite's fsync, child processes and sockets, so two workers keep both cores busy
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      // the rest share a module graph per worker: the backend (contract, zod schemas, exceljs,
      // pdfkit) is imported once per worker instead of once per file (about 1 s of CPU per file);
      // each test still makes its own database and backend
      { test: { ...common, name: 'unit', include: [TESTS, LOAD_TESTS], exclude: isolated, isolate: false } },
      { test: { ...common, name: 'isolated', include: isolated.length ? isolated : ['no-isolated-files'], isolate: true } },
    ],
  },
});
