/**
 * The office server (issue 14): a mixed office workload from 25 clerks at once, over HTTP on
 * loopback (the app: what a clerk's desktop or browser does) beside the very same calls made
 * in-process through `backend.call` (the floor: the backend with no network in front). The ratio is
 * what the network layer costs: sockets, HTTP parsing, JSON both ways, the host's checks. Each run
 * is one round of the office: every clerk does 3 searches, 3 pupil cards, 1 phone cancellation and
 * 1 enrollment of a new pupil (pupil + enrollment), all clerks at the same time.
 */
import type { BenchSuite, Comparison } from './harness';
import { compare } from './harness';
import { HttpClerk, newPupil, percentile, startOffice, type Office } from '../test/load/office';

const CLERKS = 25;

type Caller = (name: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;

function round(office: Office, callers: Caller[], state: { n: number; cancel: number }, latencies: number[]) {
  return Promise.all(
    callers.map(async (call) => {
      const timed = async (name: string, input: unknown): Promise<unknown> => {
        const t0 = performance.now();
        const r = await call(name, input);
        latencies.push(performance.now() - t0);
        if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error).slice(0, 300)}`);
        return r.value;
      };
      const k = state.n++;
      for (let s = 0; s < 3; s++) await timed('search.people', { query: office.surnames[(k * 3 + s) % office.surnames.length].slice(0, 5) });
      for (let s = 0; s < 3; s++) await timed('pupils.get', { id: office.pupilIds[(k * 7 + s * 13) % office.pupilIds.length] });
      await timed('attendance.phoneCancel', { pupilId: office.cancellable[state.cancel++ % office.cancellable.length] });
      const pupil = (await timed('pupils.create', newPupil(office.enrollTarget, 0, 3000 + k))) as { id: number };
      const t = office.enrollTarget;
      await timed('enrollments.create', { pupilId: pupil.id, schoolYearId: t.schoolYearId, payerId: t.payerId, schoolId: t.schoolId, classId: t.classId, weekdays: t.weekdays, paymentMethod: 'prepagato' });
    }),
  );
}

const CALLS_PER_ROUND = CLERKS * 9;

export const serverBench: BenchSuite = {
  id: 'server',
  title: `Server dell'ufficio: ${CLERKS} impiegati, carico misto via HTTP su loopback rispetto alle stesse chiamate nel processo`,
  async run(ctx) {
    ctx.log('preparazione: ufficio dimostrativo (1.500 alunni), 25 utenti…');
    const office = await startOffice({ pupils: 1500, clerks: CLERKS });
    try {
      const http = office.clerkNames.map((name) => new HttpClerk(office, name));
      await Promise.all(http.map((c) => c.login()));
      const sessions: string[] = [];
      for (const name of office.clerkNames) {
        const r = await office.backend.call('auth.login', { username: name, password: `password-${name}` }, null);
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        sessions.push((r.value as { session: string }).session);
      }
      const inProcess: Caller[] = sessions.map((session) => (name, input) => office.backend.call(name, input, session));
      const overHttp: Caller[] = http.map((c) => async (name, input) => (await c.call(name, input)).body);
      const state = { n: 0, cancel: 0 };
      const floorLatencies: number[] = [];
      const appLatencies: number[] = [];
      const runs = Math.max(5, ctx.runs);
      const result: Comparison = await compare(
        'server',
        `${CALLS_PER_ROUND} chiamate miste da ${CLERKS} impiegati insieme (HTTPS / nel processo)`,
        { fn: () => round(office, inProcess, state, floorLatencies) },
        { fn: () => round(office, overHttp, state, appLatencies) },
        { runs, warmup: 1, target: 2 },
      );
      for (const c of http) c.close();
      // the warm-up round's latencies are dropped with it
      const timed = (all: number[]) => all.slice(CALLS_PER_ROUND);
      const rps = (ms: number) => Math.round(CALLS_PER_ROUND / (ms / 1000));
      const note =
        `${rps(result.app.medianMs)} chiamate/s via HTTPS (p95 di una chiamata ${percentile(timed(appLatencies), 95).toFixed(1)} ms), ` +
        `${rps(result.floor.medianMs)} chiamate/s nel processo (p95 ${percentile(timed(floorLatencies), 95).toFixed(1)} ms); ` +
        `${CLERKS} impiegati concorrenti, un processo Node, SQLite WAL`;
      ctx.log(note);
      return [{ ...result, note }];
    } finally {
      await office.close();
    }
  },
};
