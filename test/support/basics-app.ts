import { afterEach, beforeEach } from 'vitest';
import { createTestApp, seedBasics, type TestApp } from './backend';

export type Basics = Awaited<ReturnType<typeof seedBasics>>;

/**
 * For each test of a file: a fresh test app at `at` with the basic master data of seedBasics,
 * handed to `ready`; closed after the test.
 */
export function useBasicsApp(at: string, ready: (app: TestApp, base: Basics) => void): void {
  let app: TestApp | null = null;
  beforeEach(async () => {
    app = await createTestApp(at);
    ready(app, await seedBasics(app));
  });
  afterEach(() => app?.close());
}
