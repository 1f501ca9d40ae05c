/**
 * Issue 14: 25 clerks on one server in server mode (HTTPS, generated certificate pinned by every
 * clerk) on 127.0.0.1. Each signs in as their own user from their own workstation and works for a
 * bounded time (RETTE_LOAD_SECONDS, default 12 s) with the office's mix: searches, pupil cards,
 * enrollments of new pupils, phone cancellations; halfway the clock passes both cutoffs and the
 * server closes the day (its scheduler's function) while the clerks keep working. Then: zero
 * errors, zero lost writes (what each clerk was told it saved is in the database, under its name,
 * once), and the p95 latency of each kind of call, printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClerk, OFFICE_AFTER_CUTOFF, newPupil, percentile, startOffice, type CallKind, type Office } from './office';

const CLERKS = 25;
const SECONDS = Number(process.env.RETTE_LOAD_SECONDS) || 12;

interface Written {
  pupils: number[];
  enrollments: number[];
  /** the absences of the cancellations accepted */
  cancellations: number[];
  /** every phone request is recorded, accepted or not (a late one is refused, with its reason) */
  attempts: number[];
  refused: number;
}

let office: Office & { clerkNames: string[] };
beforeAll(async () => {
  office = await startOffice({ pupils: 1200, clerks: CLERKS });
}, 120_000);
afterAll(async () => {
  await office?.close();
});

describe('carico: 25 impiegati sullo stesso server', () => {
  it(`${CLERKS} impiegati per ${SECONDS} s (ricerche, schede, iscrizioni, disdette telefoniche) e la chiusura della giornata del server: nessun errore, nessuna scrittura persa, p95 per tipo di chiamata`, async () => {
    const clerks = office.clerkNames.map((name) => new HttpClerk(office, name));
    await Promise.all(clerks.map((c) => c.login()));
    expect(new Set(clerks.map((c) => c.session)).size).toBe(CLERKS);

    const latencies = new Map<CallKind, number[]>();
    const errors: string[] = [];
    const written: Written[] = clerks.map(() => ({ pupils: [], enrollments: [], cancellations: [], attempts: [], refused: 0 }));
    // each clerk phones for its own families: a family is cancelled once
    const queues = clerks.map((_, i) => office.cancellable.filter((_, k) => k % CLERKS === i));
    const deadline = performance.now() + SECONDS * 1000;
    let closed = -1;

    async function timed(clerk: HttpClerk, kind: CallKind, input: unknown): Promise<any> {
      const t0 = performance.now();
      const r = await clerk.call(kind, input);
      const ms = performance.now() - t0;
      (latencies.get(kind) ?? latencies.set(kind, []).get(kind)!).push(ms);
      if (!r.body.ok) {
        errors.push(`${clerk.username} ${kind}: HTTP ${r.status} ${JSON.stringify(r.body.error)}`);
        return null;
      }
      return r.body.value;
    }

    async function work(i: number): Promise<void> {
      const clerk = clerks[i];
      let n = 0;
      let step = i;
      while (performance.now() < deadline && errors.length < 20) {
        step++;
        const pick = step % 10;
        if (pick < 4) {
          await timed(clerk, 'search.people', { query: office.surnames[(step * 7 + i) % office.surnames.length].slice(0, 5) });
        } else if (pick < 7) {
          await timed(clerk, 'pupils.get', { id: office.pupilIds[(step * 13 + i * 31) % office.pupilIds.length] });
        } else if (pick < 9) {
          const pupilId = queues[i].shift();
          if (pupilId === undefined) {
            await timed(clerk, 'search.people', { query: office.surnames[step % office.surnames.length].slice(0, 4) });
            continue;
          }
          const r = await timed(clerk, 'attendance.phoneCancel', { pupilId });
          if (r) {
            written[i].attempts.push(r.attemptId as number);
            if (r.accepted) written[i].cancellations.push(r.absenceId as number);
            else written[i].refused++;
          }
        } else {
          const data = newPupil(office.enrollTarget, i, n++);
          const t = office.enrollTarget;
          const created = await clerk.call('pupils.create', data);
          if (!created.body.ok) {
            errors.push(`${clerk.username} pupils.create: ${JSON.stringify(created.body.error)}`);
            continue;
          }
          written[i].pupils.push(created.body.value.id as number);
          const e = await timed(clerk, 'enrollments.create', {
            pupilId: created.body.value.id,
            schoolYearId: t.schoolYearId,
            payerId: t.payerId,
            schoolId: t.schoolId,
            classId: t.classId,
            weekdays: t.weekdays,
            paymentMethod: 'prepagato',
          });
          if (e) written[i].enrollments.push(e.enrollment.id as number);
        }
      }
    }

    // halfway: both cutoffs pass, and the server closes the day while the clerks go on
    const dayClose = new Promise<void>((resolve) => {
      setTimeout(() => {
        office.clock.set(OFFICE_AFTER_CUTOFF);
        closed = office.closeDueDays();
        resolve();
      }, (SECONDS * 1000) / 2);
    });
    await Promise.all([...clerks.map((_, i) => work(i)), dayClose]);
    for (const c of clerks) c.close();

    // the report
    const lines = [...latencies.entries()].map(([kind, ms]) => `  ${kind.padEnd(24)} ${String(ms.length).padStart(6)} chiamate   p50 ${percentile(ms, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(ms, 95).toFixed(1).padStart(7)} ms`);
    const total = [...latencies.values()].reduce((s, v) => s + v.length, 0);
    const refused = written.reduce((s, w) => s + w.refused, 0);
    console.log(
      `\nCarico: ${CLERKS} impiegati, ${SECONDS} s, ${total} chiamate (${(total / SECONDS).toFixed(0)}/s); chiusure della giornata del server: ${closed}; ` +
        `disdette telefoniche rifiutate per regola (registrate come tentativi): ${refused}\n${lines.join('\n')}\n`,
    );

    expect(errors).toEqual([]);
    expect(closed).toBeGreaterThan(0);
    for (const kind of ['search.people', 'pupils.get', 'enrollments.create', 'attendance.phoneCancel'] as const) {
      expect(latencies.get(kind)?.length ?? 0, kind).toBeGreaterThan(0);
    }

    // zero lost writes: each clerk's saves are in the database, under its own name, exactly once
    const sqlite = office.database.sqlite;
    const userId = sqlite.prepare('SELECT id FROM users WHERE username = ?').pluck();
    // the records each save created (a phone cancellation also logs the attempt: counted apart)
    const audited = sqlite.prepare(
      "SELECT procedure, count(*) AS n FROM audit_log WHERE username = ? AND entity IN ('alunno', 'iscrizione', 'assenza') AND action IN ('creazione', 'disdetta giornaliera') GROUP BY procedure",
    );
    const pupilOf = sqlite.prepare('SELECT count(*) FROM pupils WHERE id = ?').pluck();
    const enrollmentOf = sqlite.prepare("SELECT count(*) FROM enrollments WHERE id = ? AND status = 'attiva'").pluck();
    const cancelledBy = sqlite.prepare("SELECT id FROM absences WHERE source = 'telefono' AND created_by = ? AND status = 'attiva' ORDER BY id").pluck();
    const workstations = sqlite.prepare("SELECT DISTINCT workstation FROM audit_log WHERE username = ? AND procedure <> 'auth.login'").pluck();
    const attemptsBy = sqlite.prepare("SELECT id FROM cancellation_attempts WHERE channel = 'telefono' AND user_id = ? ORDER BY id").pluck();
    clerks.forEach((clerk, i) => {
      const w = written[i];
      const byProcedure = Object.fromEntries((audited.all(clerk.username) as { procedure: string; n: number }[]).map((r) => [r.procedure, r.n]));
      expect({ who: clerk.username, pupils: byProcedure['pupils.create'] ?? 0, enrollments: byProcedure['enrollments.create'] ?? 0, cancellations: byProcedure['attendance.phoneCancel'] ?? 0 }).toEqual({
        who: clerk.username,
        pupils: w.pupils.length,
        enrollments: w.enrollments.length,
        cancellations: w.cancellations.length,
      });
      for (const id of w.pupils) expect(pupilOf.get(id)).toBe(1);
      for (const id of w.enrollments) expect(enrollmentOf.get(id)).toBe(1);
      expect(cancelledBy.all(userId.get(clerk.username))).toEqual([...w.cancellations].sort((a, b) => a - b));
      expect(attemptsBy.all(userId.get(clerk.username))).toEqual([...w.attempts].sort((a, b) => a - b));
      // and the audit log names the clerk's own workstation for each of them
      expect(workstations.all(clerk.username)).toEqual(w.pupils.length + w.enrollments.length + w.attempts.length ? [`${clerk.workstation} (127.0.0.1)`] : []);
    });
    const writes = written.reduce((s, w) => s + w.pupils.length + w.enrollments.length + w.cancellations.length, 0);
    expect(writes).toBeGreaterThan(CLERKS);
  }, 180_000);
});
