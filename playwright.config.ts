import { defineConfig } from '@playwright/test';
import { chromiumPath } from './test/e2e/chromium';

// Browser tests drive Debian's Chromium (never a downloaded browser) against browser mode.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // every test starts its own `rette serve` on its own data folder and clock (test/e2e/fixtures.ts),
  // so tests are independent: two at a time on a 2-core machine (each spends much of its time
  // waiting for the page, the server or the command line); RETTE_E2E_WORKERS overrides
  fullyParallel: true,
  workers: Number(process.env.RETTE_E2E_WORKERS) || 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: {
    browserName: 'chromium',
    locale: 'it-IT',
    timezoneId: 'Europe/Rome',
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
