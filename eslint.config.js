// Flat config: the whole tree is linted (`npm run lint` = the lint step of `npm test`).
// 1. Boundaries by folder (eslint-plugin-boundaries): who may import whom. The table below is the
//    architecture of README.md § Architettura, written so that a wrong import is an error.
// 2. typescript-eslint's type-aware recommended rules everywhere (floating and misused promises
//    are errors: a forgotten await in the backend is a lost error or a half-saved change).
// 3. No Electron and no UI library outside electron/main and electron/preload (and no Electron in
//    the renderer), including require() and import().
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from 'eslint-plugin-boundaries';

const TS = ['**/*.{ts,tsx,mts,cts}'];
const JS = ['**/*.{js,mjs,cjs}'];

/**
 * Domain areas (electron/<area>/) and the other areas each one may import, besides its own
 * files, the contract, db/, platform/ and the shared vocabulary. A new area, or a new arrow
 * between two areas, is declared here on purpose (an area missing from this table may import
 * nothing). calendar → attendance: the closure preview asks which bookings a closure cancels;
 * calendar → imports and ledger → imports: the spreadsheet reader.
 */
export const AREA_DEPENDENCIES = {
  attendance: ['audit', 'calendar', 'exports', 'ledger'],
  audit: ['calendar', 'exports'],
  calendar: ['attendance', 'exports', 'imports'],
  dashboard: ['attendance', 'calendar', 'debts', 'payers'],
  diets: ['audit', 'calendar', 'exports'],
  debts: ['audit', 'calendar', 'documents', 'enrollments', 'exports', 'identifiers', 'ledger', 'statements'],
  demo: ['attendance', 'calendar', 'documents', 'identifiers', 'ledger', 'payers', 'pupils', 'sdd'],
  documents: ['exports', 'identifiers'],
  enrollments: ['audit', 'calendar', 'debts', 'exports', 'identifiers', 'pupils'],
  exports: [],
  identifiers: [],
  imports: ['calendar', 'exports', 'identifiers', 'payers', 'pupils'],
  kitchen: ['attendance', 'calendar', 'diets', 'exports'],
  ledger: ['audit', 'calendar', 'exports', 'identifiers', 'imports'],
  municipalities: [],
  payers: ['audit', 'calendar', 'exports', 'identifiers', 'ledger'],
  pupils: ['audit', 'calendar', 'exports', 'identifiers', 'ledger'],
  portal: ['attendance', 'audit', 'calendar', 'debts', 'diets', 'documents', 'enrollments', 'exports', 'identifiers', 'imports', 'ledger', 'payers', 'pupils', 'sdd', 'statements', 'tax730'],
  schools: [],
  search: ['calendar', 'pupils'],
  sdd: ['audit', 'calendar', 'documents', 'exports', 'identifiers', 'imports', 'ledger', 'payers'],
  statements: ['audit', 'calendar', 'documents'],
  system: ['calendar'],
  tariffs: ['ledger'],
  tax730: ['audit', 'calendar', 'documents', 'identifiers', 'statements'],
  users: [],
};

/**
 * Dependency-free modules that both the backend and the renderer load at run time: the office's
 * shared words and values (roles, weekday names, dates in Italian, the school year). They import
 * nothing but each other, so the renderer bundle never pulls in database or Node code.
 */
export const VOCABULARY_FILES = ['electron/contract/roles.ts', 'electron/contract/vocabulary/**'];

const element = (type, pattern, extra = {}) => ({ type, pattern, partialMatch: false, exclusive: true, ...extra });
const to = (type, captured) => ({ to: { element: captured ? { type, captured } : { type } } });
const toFile = (category) => ({ to: { file: { categories: category } } });
const typesOnly = (type) => ({ to: { element: { type } }, dependency: { kind: 'type' } });

const boundarySettings = {
  // folders: the first descriptor that matches a file gives its element type
  'boundaries/elements': [
    element('transport', 'electron/(main|preload|host|cli)', { capture: ['transport'] }),
    element('contract', 'electron/contract'),
    element('platform', 'electron/platform'),
    element('area', 'electron/*', { capture: ['area'] }),
    element('db', 'db'),
    element('renderer-api', 'renderer/src/api'),
    element('renderer', 'renderer/src'),
  ],
  // single files with a role of their own
  'boundaries/files': [
    // the backend's public entry for transports: opens the database, builds the dispatcher,
    // starts the timers (backup, day-close scheduler). Transports reach the backend through it.
    { category: 'entry', pattern: 'electron/host/runtime.ts' },
    { category: 'vocabulary', pattern: VOCABULARY_FILES },
  ],
  'boundaries/include': ['electron/**/*', 'db/**/*', 'renderer/src/**/*'],
  'import/resolver': { node: { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.json'] } },
};

const BACKEND = [to('contract'), to('db'), to('platform')];

// Evaluated in order: a later policy that matches overrides an earlier one.
const boundaryPolicies = [
  { from: { element: { type: 'platform' } }, allow: [to('platform')] },
  { from: { element: { type: 'db' } }, allow: [to('db'), to('platform')] },
  // the contract is the hub: its registry lists every area's procedures
  { from: { element: { type: 'contract' } }, allow: [...BACKEND, to('area')] },
  ...Object.entries(AREA_DEPENDENCIES).map(([area, others]) => ({
    from: { element: { type: 'area', captured: { area } } },
    allow: [...BACKEND, ...[area, ...others].map((other) => to('area', { area: other }))],
  })),
  // transports: the contract, the public entry, platform paths, the database file itself
  // (open, back up, restore) and each other; never an area's internals
  { from: { element: { type: 'transport' } }, allow: [...BACKEND, to('transport')] },
  { from: { file: { categories: 'entry' } }, allow: [...BACKEND, to('area')] },
  // the renderer: its api client, the contract's types (type-only), the shared vocabulary
  { from: { element: { type: 'renderer-api' } }, allow: [to('renderer-api'), typesOnly('contract'), typesOnly('transport')] },
  { from: { element: { type: 'renderer' } }, allow: [to('renderer'), to('renderer-api'), typesOnly('contract'), typesOnly('area')] },
  // anyone may load the vocabulary; the vocabulary loads nothing else
  { allow: [toFile('vocabulary')] },
  { from: { file: { categories: 'vocabulary' } }, disallow: [{ to: { element: { type: '*' } } }] },
  { from: { file: { categories: 'vocabulary' } }, allow: [toFile('vocabulary')] },
];

const UI_AND_ELECTRON = [
  { name: 'electron', message: 'Solo electron/main e electron/preload possono importare Electron: il resto del backend deve girare anche senza.' },
  { name: 'react', message: 'Il backend non importa React: l’interfaccia sta in renderer/.' },
  { name: 'react-dom', message: 'Il backend non importa React: l’interfaccia sta in renderer/.' },
];
const UI_PATTERNS = [
  { group: ['electron/*'], message: 'Solo electron/main e electron/preload possono importare Electron.' },
  { group: ['react/*', 'react-dom/*', '@mantine/*', 'react-big-calendar', 'react-big-calendar/*', '@tabler/*'], message: 'Il backend non importa React né Mantine: l’interfaccia sta in renderer/.' },
];
const NODE_AND_DB = [
  { name: 'better-sqlite3', message: 'L’interfaccia non apre il database: passa dal client API (renderer/src/api).' },
  { name: 'drizzle-orm', message: 'L’interfaccia non apre il database: passa dal client API (renderer/src/api).' },
];
const NODE_MODULES = ['fs', 'path', 'child_process', 'os', 'crypto', 'util', 'url'].map((name) => ({
  name,
  message: 'L’interfaccia gira nel browser: niente moduli di Node.',
}));
const NODE_PATTERNS = [
  { group: ['node:*'], message: 'L’interfaccia gira nel browser: niente moduli di Node.' },
  { group: ['drizzle-orm/*', 'exceljs', 'exceljs/*'], message: 'L’interfaccia non usa librerie del backend: passa dal client API.' },
];

/** require('electron') and import('electron') slip past no-restricted-imports: catch them too. */
const dynamicElectron = (where) => [
  'error',
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value='electron']",
    message: `${where} non può caricare Electron.`,
  },
  {
    selector: "ImportExpression[source.value='electron']",
    message: `${where} non può caricare Electron.`,
  },
];

export default defineConfig(
  // lint-probe-*: files the lint test writes for a moment while `eslint .` may be running beside it
  // (npm test runs the two in parallel); the test lints them with ignore: false
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'db/migrations/**', 'test-results/**', 'playwright-report/**', '**/lint-probe-*', '**/lint-probe-*/**'] },
  {
    files: [...TS, ...JS],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  // type-aware recommended rules for the TypeScript of the whole tree
  {
    files: TS,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // cosmetic and autofixable (`npx eslint . --fix`); a warning, so that an assertion left by
      // code written in parallel does not fail the suite
      '@typescript-eslint/no-unnecessary-type-assertion': 'warn',
    },
  },
  // React props declared as methods (`onClose(): void`) are plain callbacks: nothing to bind
  { files: ['renderer/**/*.{ts,tsx}'], rules: { '@typescript-eslint/unbound-method': 'off' } },
  // tests read JSON from outside (HTTP, CLI output, files) and use vitest's asymmetric matchers,
  // which are typed `any`; they may also pass spied methods to expect(), and their fakes are
  // async without awaiting (they stand in for async APIs). Floating/misused promises stay errors.
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  // plain JavaScript (scripts, bin, this file): the non-type-aware recommended rules
  {
    files: JS,
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // boundaries between folders
  {
    files: ['electron/**/*.{ts,tsx}', 'db/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: boundarySettings,
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkInternals: true, policies: boundaryPolicies }],
    },
  },
  {
    files: ['electron/**/*.{ts,tsx,mts,cts,js,mjs,cjs}', 'db/**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: UI_AND_ELECTRON, patterns: UI_PATTERNS }],
      'no-restricted-syntax': dynamicElectron('Il codice del backend fuori da electron/main e electron/preload'),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'L’interfaccia non importa Electron: usa window.rette (preload) o l’HTTP.' }, ...NODE_AND_DB, ...NODE_MODULES],
          patterns: [{ group: ['electron/*'], message: 'L’interfaccia non importa Electron: usa window.rette (preload) o l’HTTP.' }, ...NODE_PATTERNS],
        },
      ],
      'no-restricted-syntax': dynamicElectron('L’interfaccia'),
    },
  },
);
