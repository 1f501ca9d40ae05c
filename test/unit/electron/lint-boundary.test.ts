import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax', 'boundaries/dependencies']);
function restrictedMessages(results: ESLint.LintResult[]) {
  return results.flatMap((r) => r.messages).filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId));
}

/**
 * The boundary rules do not need type information: the probes below are linted without it, so
 * a probe file need not exist on disk nor belong to the TypeScript project.
 */
let structuralLinter: ESLint | undefined;
/** One linter for the whole file: loading the configuration and the plugins costs about a second. */
const structural = () => (structuralLinter ??= new ESLint({ cwd: root, ignore: false, overrideConfig: [tseslint.configs.disableTypeChecked] }));

/**
 * The probe files are named lint-probe-*: the whole-tree `eslint .` that npm test runs beside
 * vitest ignores them (it would otherwise find a probe's deliberate errors and fail); the
 * linters of this file set ignore: false.
 */
async function ignoredByTheTreeLint(file: string) {
  return new ESLint({ cwd: root }).isPathIgnored(file);
}

async function problems(filePath: string, code: string) {
  const results = await structural().lintText(code, { filePath: path.join(root, filePath) });
  const fatal = results.flatMap((r) => r.messages).filter((m) => m.fatal);
  expect(fatal, filePath).toEqual([]);
  return restrictedMessages(results);
}

describe('regola di lint: il backend non dipende da Electron né dall’interfaccia', () => {
  it('un file in electron/ che importa electron è un errore (file temporaneo, poi rimosso)', async () => {
    const file = path.join(root, 'electron', 'pupils', `lint-probe-${randomBytes(4).toString('hex')}.ts`);
    fs.writeFileSync(file, "import { app } from 'electron';\nexport const name = app.getName();\n");
    try {
      expect(await ignoredByTheTreeLint(file)).toBe(true);
      const results = await structural().lintFiles([file]);
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
    const cases: [string, string][] = [
      ['electron/pupils/probe.ts', "import React from 'react';"],
      ['electron/contract/probe.ts', "import 'react-dom';"],
      ['electron/contract/probe2.ts', "import { createRoot } from 'react-dom/client';"],
      ['electron/exports/probe.ts', "import { jsx } from 'react/jsx-runtime';"],
      ['electron/users/probe.ts', "import { ipcMain } from 'electron/main';"],
      ['electron/host/probe.ts', "import { Button } from '@mantine/core';"],
      ['electron/calendar/probe.ts', "import { Calendar } from 'react-big-calendar';"],
      ['db/schema/probe.ts', "import type { BrowserWindow } from 'electron';"],
      ['electron/cli/probe.ts', "const e = require('electron');\nexport default e;"],
      ['electron/system/probe.ts', "export const e = await import('electron');"],
    ];
    for (const [filePath, code] of cases) {
      expect((await problems(filePath, code)).length, filePath).toBeGreaterThan(0);
    }
  });

  it('electron/main e electron/preload possono importare electron; renderer/ no', async () => {
    const code = "import { app } from 'electron';\nexport const n = app;\n";
    for (const allowed of ['electron/main/probe.ts', 'electron/preload/probe.ts']) {
      expect(await problems(allowed, code), allowed).toHaveLength(0);
    }
    expect(await problems('renderer/src/app/probe.tsx', code)).toHaveLength(1);
  });
});

describe('confini fra cartelle (eslint-plugin-boundaries)', () => {
  const denied = async (filePath: string, code: string) => {
    const found = await problems(filePath, code);
    expect(found.length, `${filePath}: ${code}`).toBeGreaterThan(0);
    expect(found.every((m) => m.severity === 2)).toBe(true);
    return found;
  };
  const allowed = async (filePath: string, code: string) => {
    expect(await problems(filePath, code), `${filePath}: ${code}`).toEqual([]);
  };

  it('un’area importa solo le aree dichiarate, il contratto, db/ e platform/', async () => {
    const found = await denied('electron/kitchen/probe.ts', "import { toSessionUser } from '../users/service';\nexport const f = toSessionUser;");
    expect(found[0].ruleId).toBe('boundaries/dependencies');
    expect(found[0].message).toContain('area="users"');
    await allowed('electron/kitchen/probe.ts', "import { closeDay } from '../attendance/day-close';\nexport const f = closeDay;");
    await allowed('electron/kitchen/probe.ts', "import { invalidField } from '../contract/errors';\nimport { meals } from '../../db/schema';\nimport type { Clock } from '../platform/clock';\nexport const f = [invalidField, meals];\nexport type C = Clock;");
    await allowed('electron/kitchen/probe.ts', "import { kitchenReport } from './report';\nexport const f = kitchenReport;");
  });

  it('un’area non importa i trasporti, l’ingresso pubblico né l’interfaccia', async () => {
    await denied('electron/attendance/probe.ts', "import { createWindow } from '../main/window';\nexport const f = createWindow;");
    await denied('electron/attendance/probe.ts', "import { openRuntime } from '../host/runtime';\nexport const f = openRuntime;");
    await denied('electron/calendar/probe.ts', "import { formatDate } from '../../renderer/src/format/dates';\nexport const f = formatDate;");
  });

  it('i trasporti passano dal contratto e dall’ingresso pubblico, non dagli interni delle aree', async () => {
    await denied('electron/main/probe.ts', "import { startDayCloseScheduler } from '../attendance/scheduler';\nexport const f = startDayCloseScheduler;");
    await denied('electron/cli/probe.ts', "import { toSessionUser } from '../users/service';\nexport const f = toSessionUser;");
    await denied('electron/host/probe.ts', "import { romeDateOf } from '../calendar/rome-time';\nexport const f = romeDateOf;");
    await allowed('electron/main/probe.ts', "import { openRuntime } from '../host/runtime';\nimport type { Backend } from '../contract/backend';\nexport const f = openRuntime;\nexport type B = Backend;");
    // the public entry itself composes the backend: it may start an area's timers
    await allowed('electron/host/runtime.ts', "import { startDayCloseScheduler } from '../attendance/scheduler';\nexport const f = startDayCloseScheduler;");
  });

  it('l’interfaccia importa il suo client API, i tipi del contratto (solo tipi) e il vocabolario', async () => {
    await denied('renderer/src/pupils/probe.ts', "import { openDatabase } from '../../../db/open';\nexport const f = openDatabase;");
    await denied('renderer/src/pupils/probe.ts', "import { procedures } from '../../../electron/contract/registry';\nexport const f = procedures;");
    await denied('renderer/src/pupils/probe.ts', "import { phoneCancellationTarget } from '../../../electron/calendar/cutoff';\nexport const f = phoneCancellationTarget;");
    await denied('renderer/src/pupils/probe.ts', "import Database from 'better-sqlite3';\nexport const f = Database;");
    await denied('renderer/src/pupils/probe.ts', "import fs from 'node:fs';\nexport const f = fs;");
    await denied('renderer/src/pupils/probe.ts', "import { eq } from 'drizzle-orm';\nexport const f = eq;");
    await allowed('renderer/src/pupils/probe.ts', "import type { ProcOutput } from '../../../electron/contract/registry';\nexport type P = ProcOutput<'pupils.list'>;");
    await allowed('renderer/src/pupils/probe.ts', "import { ROLE_LABELS } from '../../../electron/contract/roles';\nimport { useQuery } from '../api/hooks';\nexport const f = [ROLE_LABELS, useQuery];");
  });

  it('il vocabolario condiviso non importa nient’altro; db/ non importa il backend', async () => {
    await denied('electron/contract/roles.ts', "import { procedures } from './registry';\nexport const f = procedures;");
    await denied('db/schema/probe.ts', "import { createBackend } from '../../electron/contract/backend';\nexport const f = createBackend;");
    await allowed('db/probe.ts', "import { userDataDir } from '../electron/platform/paths';\nexport const f = userDataDir;");
  });

  // The whole tree is linted by `npm run lint` (`eslint .`, a step of `npm test`, checked below):
  // here only the files that anchor the architecture, so that the folder table describes the real
  // layout (the public entry, the contract's hub, the vocabulary, the database, the renderer's client).
  it('i file cardine dell’architettura rispettano i confini (ingresso, contratto, vocabolario, db, client dell’interfaccia)', async () => {
    const anchors = ['electron/host/runtime.ts', 'electron/contract/registry.ts', 'electron/contract/roles.ts', 'db/open.ts', 'renderer/src/api/client.ts', 'electron/main/index.ts'];
    const results = await structural().lintFiles(anchors);
    expect(results.map((r) => path.relative(root, r.filePath)).sort()).toEqual([...anchors].sort());
    const found = results
      .filter((r) => restrictedMessages([r]).length > 0 || r.messages.some((m) => m.fatal))
      .map((r) => `${path.relative(root, r.filePath)}: ${r.messages.map((m) => m.message).join('; ')}`);
    expect(found).toEqual([]);
  });
});

describe('regole con i tipi (typescript-eslint recommendedTypeChecked)', () => {
  it('una promessa dimenticata e una promessa passata dove si attende void sono errori', async () => {
    // a file of its own project (test/fixtures/lint-probe), so the type checker does not load the whole app
    const dir = path.join(root, 'test', 'fixtures', `lint-probe-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'probe.ts');
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023'], types: [] }, include: ['probe.ts'] }),
    );
    fs.writeFileSync(
      file,
      [
        'async function save(): Promise<number> { return 1; }',
        'export function run(): void {',
        '  save();', // floating
        '  [1, 2].forEach(async () => { await save(); });', // misused
        '}',
        '',
      ].join('\n'),
    );
    try {
      expect(await ignoredByTheTreeLint(file)).toBe(true);
      const eslint = new ESLint({
        cwd: root,
        ignore: false,
        overrideConfig: { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, project: path.join(dir, 'tsconfig.json'), tsconfigRootDir: dir } } },
      });
      const messages = (await eslint.lintFiles([file])).flatMap((r) => r.messages);
      expect(messages.filter((m) => m.fatal)).toEqual([]);
      const byRule = (rule: string) => messages.filter((m) => m.ruleId === rule);
      expect(byRule('@typescript-eslint/no-floating-promises')).toMatchObject([{ line: 3, severity: 2 }]);
      expect(byRule('@typescript-eslint/no-misused-promises')).toMatchObject([{ line: 4, severity: 2 }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('npm run lint e il passo di lint di npm test sono lo stesso comando, sull’albero intero', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const testAll = fs.readFileSync(path.join(root, 'scripts', 'test-all.mjs'), 'utf8');
    expect(pkg.scripts.lint).toBe('eslint .');
    expect(testAll).toContain("const LINT = { name: 'Lint', cmd: 'npx', args: ['--no-install', 'eslint', '.'] };");
    expect(testAll).toContain('const linting = withChecks ? start(LINT) : null;');
    expect(testAll).toContain("check('lint: boundaries by folder and type-aware rules, whole tree (npm run lint)', report(await linting, TOGETHER));");
  });
});
