import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Main and preload are bundled for Electron; better-sqlite3 (native) stays external in
// node_modules and is rebuilt for Electron by electron-builder on a machine that can download headers.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // the spreadsheet parser runs in a worker thread (electron/imports/spreadsheet-thread.ts),
        // which looks for out/main/spreadsheet-worker.cjs next to the main bundle
        input: { index: resolve(__dirname, 'electron/main/index.ts'), 'spreadsheet-worker': resolve(__dirname, 'electron/imports/spreadsheet-worker.ts') },
        external: ['better-sqlite3', 'electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // a sandboxed preload cannot be an ES module
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
    plugins: [react()],
  },
});
