/**
 * Runs the spreadsheet parser (`spreadsheet-worker.ts`) in a worker thread with resource limits and
 * a time limit. The backend runs in Electron's main process: a file that would fill the memory or
 * loop for minutes kills the worker, never the program, and its uploader gets an Italian message.
 *
 * One worker is kept warm and parses one file at a time (starting one costs more than parsing a
 * small file); a worker that was killed or timed out is replaced at the next request, and an idle
 * one is stopped after a while. Requests queue in order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AppError } from '../contract/errors';
import type { Grid, ParseRequest, Sheet } from './spreadsheet-parse';

export interface ThreadOptions {
  /** per file, from the moment the worker receives it */
  timeoutMs: number;
  resourceLimits: ResourceLimits;
  /** an idle worker is stopped after this long */
  idleMs: number;
}

export const DEFAULT_THREAD_OPTIONS: ThreadOptions = {
  timeoutMs: 60_000,
  // the largest file allowed (50,000 rows) needs well under 200 MB
  resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 48, stackSizeMb: 4 },
  idleMs: 60_000,
};

const refused = (message: string, cause?: unknown) => {
  const e = new AppError('VALIDATION', message, [{ path: ['fileName'], message }]);
  if (cause !== undefined) (e as Error & { cause?: unknown }).cause = cause;
  return e;
};

export const THREAD_MESSAGES = {
  timeout: (ms: number) =>
    `La lettura del file ha superato ${Math.round(ms / 1000)} secondi ed è stata interrotta: il file è troppo grande o costruito in modo anomalo. Salvarlo di nuovo con Excel o dividerlo in più file`,
  memory: 'La lettura del file richiedeva troppa memoria ed è stata interrotta: il file è troppo grande o costruito in modo anomalo. Salvarlo di nuovo con Excel o dividerlo in più file',
  crashed: 'La lettura del file si è interrotta in modo inatteso: il file non è stato letto. Riprovare; se succede ancora, salvarlo di nuovo con Excel o come CSV',
  unreadable: 'Il file non si è potuto leggere: non sembra un foglio .xlsx o .csv valido. Salvarlo di nuovo con Excel o come CSV e riprovare',
};

/**
 * How to start the worker: the bundle electron-vite built next to this code
 * (out/main/spreadsheet-worker.cjs), or the TypeScript source through tsx (vitest, the CLI, the
 * benchmarks). `import.meta.url` is this file, or the bundle that contains it.
 */
function workerSpec(): { script: string; evalCode: boolean } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, 'spreadsheet-worker.cjs');
  if (fs.existsSync(built)) return { script: built, evalCode: false };
  const source = path.join(here, 'spreadsheet-worker.ts');
  if (!fs.existsSync(source)) throw new Error(`worker di lettura dei fogli non trovato accanto a ${here}`);
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return { script: `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(source)});`, evalCode: true };
}

interface Pending {
  id: number;
  request: ParseRequest;
  resolve(v: Sheet | Grid): void;
  reject(e: unknown): void;
}

type Reply = { ready: true } | { id: number; ok: true; value: Sheet | Grid } | { id: number; ok: false; refused: boolean; message: string };

export class SpreadsheetThread {
  private worker: Worker | null = null;
  private readonly queue: Pending[] = [];
  private current: Pending | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  /** workers started so far (tests check that a killed one is replaced) */
  started = 0;

  /** `script`: a built worker file to run instead of the one found next to this code (the bundle test) */
  constructor(
    private readonly options: ThreadOptions = DEFAULT_THREAD_OPTIONS,
    private readonly script?: string,
  ) {}

  parse(request: ParseRequest): Promise<Sheet | Grid> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker (tests, shutdown); queued requests are refused. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.reject(refused(THREAD_MESSAGES.crashed));
    await this.kill(THREAD_MESSAGES.crashed);
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.current = job;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (err) {
      this.current = null;
      job.reject(err);
      this.pump();
      return;
    }
    // the bytes are copied once and moved (not copied again) to the worker
    const bytes = new Uint8Array(job.request.content.byteLength);
    bytes.set(job.request.content);
    worker.postMessage({ id: job.id, request: { ...job.request, content: bytes } }, [bytes.buffer]);
    this.timer = setTimeout(() => void this.kill(THREAD_MESSAGES.timeout(this.options.timeoutMs)), this.options.timeoutMs);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const spec = this.script ? { script: this.script, evalCode: false } : workerSpec();
    const worker = new Worker(spec.script, { eval: spec.evalCode, resourceLimits: this.options.resourceLimits, stdout: false, stderr: false });
    this.started++;
    worker.unref(); // an idle parser never keeps the CLI or the tests alive
    worker.on('message', (msg: Reply) => this.onReply(worker, msg));
    worker.on('error', (err: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap/i.test(err.message);
      this.finish(refused(oom ? THREAD_MESSAGES.memory : THREAD_MESSAGES.crashed, err));
      this.worker = null;
      this.pump();
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.finish(refused(THREAD_MESSAGES.crashed));
      this.pump();
    });
    this.worker = worker;
    return worker;
  }

  private onReply(worker: Worker, msg: Reply): void {
    if (this.worker !== worker || 'ready' in msg) return;
    if (!this.current || msg.id !== this.current.id) return;
    if (msg.ok) this.finish(null, msg.value);
    else this.finish(msg.refused ? refused(msg.message) : refused(THREAD_MESSAGES.unreadable, new Error(msg.message)));
    this.pump();
    if (!this.current && this.worker) {
      this.idleTimer = setTimeout(() => void this.kill(null), this.options.idleMs);
      this.idleTimer.unref();
    }
  }

  /** Settles the request being parsed, if any. */
  private finish(err: unknown, value?: Sheet | Grid): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const job = this.current;
    this.current = null;
    if (!job) return;
    if (err) job.reject(err);
    else job.resolve(value!);
  }

  /** Terminates the worker; the request it was parsing (if any) gets `message`. */
  private async kill(message: string | null): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (message) this.finish(refused(message));
    if (worker) await worker.terminate();
    this.pump();
  }
}

/** The thread every import shares. */
let shared: SpreadsheetThread | null = null;
export function spreadsheetThread(): SpreadsheetThread {
  return (shared ??= new SpreadsheetThread());
}
