import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

function restrictedMessages(results: ESLint.LintResult[]) {
  return results.flatMap((r) => r.messages).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax');
}

describe('regola di lint: il backend non dipende da Electron né dall’interfaccia', () => {
  it('un file in electron/ che importa electron è un errore (file temporaneo, poi rimosso)', async () => {
    const file = path.join(root, 'electron', `lint-probe-${randomBytes(4).toString('hex')}.ts`);
    fs.writeFileSync(file, "import { app } from 'electron';\nexport const name = app.getName();\n");
    try {
      const eslint = new ESLint({ cwd: root });
      const results = await eslint.lintFiles([file]);
      const errors = restrictedMessages(results);
      expect(errors).toHaveLength(1);
      expect(errors[0].severity).toBe(2);
      expect(errors[0].message).toContain('Solo electron/main e electron/preload possono importare Electron');
    } finally {
      fs.rmSync(file, { force: true });
    }
    expect(fs.existsSync(file)).toBe(false);
  });

  it('vale anche per React, Mantine e per require/import() dinamici, in electron/ e in db/', async () => {
    const eslint = new ESLint({ cwd: root });
    const cases: [string, string][] = [
      ['electron/pupils/probe.ts', "import React from 'react';"],
      ['electron/contract/probe.ts', "import 'react-dom';"],
      ['electron/contract/probe2.ts', "import { createRoot } from 'react-dom/client';"],
      ['electron/exports/probe.ts', "import { jsx } from 'react/jsx-runtime';"],
      ['electron/users/probe.ts', "import { ipcMain } from 'electron/main';"],
      ['electron/host/probe.ts', "import { Button } from '@mantine/core';"],
      ['db/schema/probe.ts', "import type { BrowserWindow } from 'electron';"],
      ['electron/cli/probe.ts', "const e = require('electron');\nexport default e;"],
      ['electron/system/probe.ts', "export const e = await import('electron');"],
    ];
    for (const [filePath, code] of cases) {
      const results = await eslint.lintText(code, { filePath: path.join(root, filePath) });
      expect(restrictedMessages(results).length, filePath).toBeGreaterThan(0);
    }
  });

  it('electron/main e electron/preload possono importare electron; renderer/ no', async () => {
    const eslint = new ESLint({ cwd: root });
    const code = "import { app } from 'electron';\nexport const n = app;\n";
    for (const allowed of ['electron/main/probe.ts', 'electron/preload/probe.ts']) {
      const results = await eslint.lintText(code, { filePath: path.join(root, allowed) });
      expect(restrictedMessages(results), allowed).toHaveLength(0);
    }
    const renderer = await eslint.lintText(code, { filePath: path.join(root, 'renderer/src/app/probe.tsx') });
    expect(restrictedMessages(renderer)).toHaveLength(1);
    // relative imports of the backend's own folders are not Electron
    const relative = await eslint.lintText("import { x } from '../electron/platform/paths';\nimport { y } from './electron/z';", {
      filePath: path.join(root, 'db/probe.ts'),
    });
    expect(restrictedMessages(relative)).toHaveLength(0);
  });

  it('il codice attuale di electron/ e db/ rispetta la regola', async () => {
    const eslint = new ESLint({ cwd: root });
    const results = await eslint.lintFiles(['electron', 'db']);
    const problems = results.filter((r) => r.errorCount > 0).map((r) => `${path.relative(root, r.filePath)}: ${r.messages.map((m) => m.message).join('; ')}`);
    expect(problems).toEqual([]);
  });
});
