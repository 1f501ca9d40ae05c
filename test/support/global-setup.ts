import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEMPLATE_ENV, writeTemplateDatabase } from './template-db';

/**
 * vitest globalSetup: one migrated template database for the whole run (see template-db.ts),
 * shared by every project of vitest.config.ts (the first to run makes it, the last removes it).
 */
export default function setup() {
  const existing = process.env[TEMPLATE_ENV];
  if (existing && fs.existsSync(existing)) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-template-'));
  const file = path.join(dir, 'template.sqlite');
  writeTemplateDatabase(file);
  process.env[TEMPLATE_ENV] = file;
  return () => {
    delete process.env[TEMPLATE_ENV];
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
