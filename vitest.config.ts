import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // one migrated database for the run, copied by each test backend (test/support/template-db.ts)
    globalSetup: ['test/support/global-setup.ts'],
  },
});
