import fs from 'node:fs';
import { execSync } from 'node:child_process';

/** Debian's Chromium: CHROMIUM_PATH, or the first one on PATH. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const p = execSync(`command -v ${name}`, { encoding: 'utf8', shell: '/bin/sh' }).trim();
      if (p) return p;
    } catch {
      // not this one
    }
  }
  return '/usr/bin/chromium';
}
