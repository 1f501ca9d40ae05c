/**
 * `npm run bench [-- <suite id>… ] [--runs N] [--strict]`
 *
 * Runs the registered suites and prints, for each comparison, the floor (raw better-sqlite3) and
 * app medians, their ratio and PASS/OVER against the target. Each suite runs in its own process,
 * so one suite's garbage does not weigh on the next one's timings. Exit code 0 unless `--strict` is
 * given and a line is OVER (timings depend on the machine: the tests never assert them).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { formatTable, type Comparison } from './harness';
import { suites } from './registry';

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { runs: { type: 'string' }, strict: { type: 'boolean' }, child: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const runs = values.runs ? Math.max(1, Number(values.runs)) : 5;
  if (values.child) return runChild(values.child, runs);
  if (values.help) {
    console.log(`Uso: npm run bench [-- <suite>...] [--runs N] [--strict]\nSuite: ${suites.map((s) => s.id).join(', ')}`);
    return 0;
  }
  const unknown = positionals.filter((p) => !suites.some((s) => s.id === p));
  if (unknown.length) {
    console.error(`Suite sconosciute: ${unknown.join(', ')} (disponibili: ${suites.map((s) => s.id).join(', ')})`);
    return 2;
  }
  const chosen = positionals.length ? suites.filter((s) => positionals.includes(s.id)) : suites;
  const results: Comparison[] = [];
  console.log(`Benchmark: Node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), carico medio ${os.loadavg()[0].toFixed(2)}`);
  console.log('Ogni riga confronta la procedura del contratto con il minimo "raw better-sqlite3" misurato in questa stessa esecuzione.\n');
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'bench.mjs');
  for (const suite of chosen) {
    console.log(`▶ ${suite.title}`);
    const t0 = performance.now();
    // the child's log lines are shown as they come (a long seed is not a silent minute)
    const child = spawn(process.execPath, [entry, '--child', suite.id, '--runs', String(runs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let got = false;
    for await (const line of readline.createInterface({ input: child.stdout })) {
      if (line.startsWith(RESULT_PREFIX)) {
        results.push(...(JSON.parse(line.slice(RESULT_PREFIX.length)) as Comparison[]));
        got = true;
      } else if (line.trim()) console.log(line);
    }
    const status = child.exitCode ?? child.signalCode ?? (await new Promise<number | string | null>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal))));
    if (!got) {
      console.error(`  la suite ${suite.id} non ha prodotto risultati (codice di uscita ${status})`);
      return 1;
    }
    const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s; carico medio a fine suite ${load}: 1, 5, 15 minuti)\n`);
  }
  console.log(formatTable(results));
  const over = results.filter((r) => !r.pass);
  console.log(`\n${results.length - over.length}/${results.length} entro l'obiettivo${over.length ? `; OVER: ${over.map((o) => o.name).join(', ')}` : ''}`);
  return values.strict && over.length ? 1 : 0;
}

const RESULT_PREFIX = '@@bench-result ';

/** One suite in this process: its log lines, then its results as one JSON line for the parent. */
async function runChild(id: string, runs: number): Promise<number> {
  const suite = suites.find((s) => s.id === id);
  if (!suite) throw new Error(`Suite sconosciuta: ${id}`);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-bench-'));
  try {
    const results = await suite.run({ runs, tmpDir, log: (m) => console.log(`  ${m}`) });
    console.log(RESULT_PREFIX + JSON.stringify(results));
    return 0;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
