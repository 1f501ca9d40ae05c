/**
 * Entry of the worker thread that parses uploaded spreadsheets (started by `spreadsheet-thread.ts`):
 * a file built to exhaust memory or time kills this thread, not the backend. Built by electron-vite
 * as `out/main/spreadsheet-worker.cjs`; from the TypeScript sources it is loaded through tsx.
 * It answers each request with `{ id, ok: true, value }` or `{ id, ok: false, message, refused }`.
 */
import { parentPort } from 'node:worker_threads';
import { SheetRefusal } from './sheet-limits';
import { parseSpreadsheet, type ParseRequest } from './spreadsheet-parse';

const port = parentPort;
if (!port) throw new Error('spreadsheet-worker.ts va avviato come worker thread');

port.on('message', (msg: { id: number; request: ParseRequest }) => {
  parseSpreadsheet(msg.request).then(
    (value) => port.postMessage({ id: msg.id, ok: true, value }),
    (err: unknown) =>
      port.postMessage({
        id: msg.id,
        ok: false,
        refused: err instanceof SheetRefusal,
        message: err instanceof Error ? err.message : String(err),
      }),
  );
});
port.postMessage({ ready: true });
