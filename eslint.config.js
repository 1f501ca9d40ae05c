// Flat config. Its job is the architecture's boundary: the domain, the contract, the hosts and the
// database code (everything under electron/ except main/ and preload/, and db/) must not depend on
// Electron or on the UI libraries, so they run unchanged in browser mode, in the CLI and in tests;
// and the renderer must not reach for Electron (it talks to window.rette or HTTP).
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const UI_AND_ELECTRON = [
  { name: 'electron', message: 'Solo electron/main e electron/preload possono importare Electron: il resto del backend deve girare anche senza.' },
  { name: 'react', message: 'Il backend non importa React: l’interfaccia sta in renderer/.' },
  { name: 'react-dom', message: 'Il backend non importa React: l’interfaccia sta in renderer/.' },
];
const UI_PATTERNS = [
  { group: ['electron/*'], message: 'Solo electron/main e electron/preload possono importare Electron.' },
  { group: ['react/*', 'react-dom/*', '@mantine/*'], message: 'Il backend non importa React né Mantine: l’interfaccia sta in renderer/.' },
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
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'db/migrations/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: 'latest',
      sourceType: 'module',
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
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
          paths: [{ name: 'electron', message: 'L’interfaccia non importa Electron: usa window.rette (preload) o l’HTTP.' }],
          patterns: [{ group: ['electron/*'], message: 'L’interfaccia non importa Electron: usa window.rette (preload) o l’HTTP.' }],
        },
      ],
      'no-restricted-syntax': dynamicElectron('L’interfaccia'),
    },
  },
);
