/**
 * A small benchmark harness. Every comparison times the app path (through the contract, as the UI
 * calls it) against a "floor": the same work done with raw better-sqlite3 prepared statements,
 * measured in the same run, on the same machine and data. The result is a ratio, so it means
 * something on a slow or busy machine too. Floor and app runs are interleaved so that a burst of
 * load elsewhere hits both. PASS/OVER is judged on wall-clock time (what the operator waits); the
 * process CPU time ratio is printed beside it, as it moves less when the machine is busy with
 * other work (on a loaded machine the garbage collector's helper threads lose their spare core,
 * which weighs more on the side that allocates more).
 *
 * To add a benchmark: write `bench/<area>.bench.ts` exporting a `BenchSuite` and add it to
 * `bench/registry.ts`.
 */

export interface Timing {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** median process CPU time (user + system, all threads) */
  cpuMedianMs: number;
}

export interface Step<T = unknown> {
  /** untimed preparation before each run (e.g. a fresh database); its value is passed to `fn` */
  setup?: () => T | Promise<T>;
  fn: (ctx: T) => unknown;
  /** untimed clean-up after each run */
  teardown?: (ctx: T) => void | Promise<void>;
}

export interface MeasureOptions {
  runs?: number;
  warmup?: number;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function stats(name: string, samples: Sample[]): Timing {
  const wall = samples.map((s) => s.wallMs);
  return {
    name,
    runs: samples.length,
    medianMs: median(wall),
    minMs: Math.min(...wall),
    maxMs: Math.max(...wall),
    cpuMedianMs: median(samples.map((s) => s.cpuMs)),
  };
}

async function once<T>(step: Step<T>): Promise<Sample> {
  const ctx = (step.setup ? await step.setup() : undefined) as T;
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await step.fn(ctx);
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { wallMs, cpuMs: (c.user + c.system) / 1000 };
  } finally {
    if (step.teardown) await step.teardown(ctx);
  }
}

/** Times `fn` `runs` times after `warmup` untimed runs; the median is what counts. */
export async function measure<T>(name: string, step: Step<T> | (() => unknown), opts: MeasureOptions = {}): Promise<Timing> {
  const s: Step<T> = typeof step === 'function' ? { fn: step } : step;
  const { runs = 5, warmup = 1 } = opts;
  for (let i = 0; i < warmup; i++) await once(s);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once(s));
  return stats(name, samples);
}

export interface Comparison {
  suite: string;
  name: string;
  floor: Timing;
  app: Timing;
  /** app / floor, wall-clock medians: what PASS/OVER is judged on */
  ratio: number;
  /** app / floor, CPU-time medians */
  cpuRatio: number;
  /** the ratio the app should stay within */
  target: number;
  /** shown instead of `≤ Nx` when the line is judged on an absolute time (e.g. '< 100 ms') */
  targetLabel?: string;
  pass: boolean;
  note?: string;
}

export interface CompareOptions extends MeasureOptions {
  target?: number;
  note?: string;
}

/** Times the floor and the app path, interleaved run by run, and compares their medians. */
export async function compare<F, A>(
  suite: string,
  name: string,
  floor: Step<F>,
  app: Step<A>,
  opts: CompareOptions = {},
): Promise<Comparison> {
  const { runs = 5, warmup = 1, target = 3 } = opts;
  for (let i = 0; i < warmup; i++) {
    await once(floor);
    await once(app);
  }
  const f: Sample[] = [];
  const a: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    f.push(await once(floor));
    a.push(await once(app));
  }
  const floorT = stats(`${name} (floor)`, f);
  const appT = stats(name, a);
  const ratio = appT.medianMs / floorT.medianMs;
  const cpuRatio = appT.cpuMedianMs / floorT.cpuMedianMs;
  return { suite, name, floor: floorT, app: appT, ratio, cpuRatio, target, pass: ratio <= target, note: opts.note };
}

export interface BenchContext {
  /** how many timed runs per comparison (`--runs N`) */
  runs: number;
  /** a scratch folder for this run's databases; removed at the end */
  tmpDir: string;
  log(message: string): void;
}

export interface BenchSuite {
  /** short id, used by `npm run bench -- <id>` */
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Comparison[]>;
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** The report: one line per comparison with both medians, the ratio and PASS/OVER. */
export function formatTable(results: readonly Comparison[]): string {
  const header = ['benchmark', 'floor ms', 'app ms', 'ratio', 'cpu ratio', 'target', 'result'];
  const rows = results.map((r) => [
    `${r.suite}: ${r.name}`,
    fmtMs(r.floor.medianMs),
    fmtMs(r.app.medianMs),
    `${r.ratio.toFixed(2)}x`,
    `${r.cpuRatio.toFixed(2)}x`,
    r.targetLabel ?? `≤ ${r.target}x`,
    r.pass ? 'PASS' : 'OVER',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const notes = results.filter((r) => r.note).map((r) => `  - ${r.suite}: ${r.name}: ${r.note}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
