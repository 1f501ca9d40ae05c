/**
 * The parent portal (issue 13), both directions on an office of 50,000 pupils (bench/attendance-data.ts):
 *
 * - INBOUND: 10,000 events of mixed kinds (cancellations, plain meals, prolonged absences,
 *   top-ups with valid pagoPA notice numbers, changes of personal data, support requests, a few
 *   unknown pupils that go to review) applied one by one with `applyInbound`, each in its own
 *   transaction, as the sync runner does with a page of events. Floor: the same 10,000 events
 *   written with raw prepared statements, one transaction each: the received row and the one
 *   domain row each kind writes (the cancellation's attempt and absence, the receipt and its
 *   ledger entry…), no rule at all.
 * - OUTBOUND: a day's bookings of the 50,000 pupils queued by the meals producer
 *   (electron/portal/outbound.ts: expected bookings, enrollments and absences read set-based, ids
 *   hashed, contract checked) into the outbox, then read back in batches of 1,000 as the runner
 *   sends them, serialised to JSON and marked published. Floor: one INSERT … SELECT writing a JSON
 *   body per enrollment with json_object(), the same batched read, serialisation and update.
 * Targets: within 3x. `BENCH_PORTAL=outbound npm run bench -- portal` measures only the outbound line.
 */
import { compare, type BenchSuite } from './harness';
import { createBenchApp, freshFile } from './env';
import { seedAttendanceData } from './attendance-data';
import { buildCodiceFiscale } from '../electron/identifiers/codice-fiscale';
import { buildNumeroAvviso } from '../electron/identifiers/pagopa-notice';
import { applyInbound } from '../electron/portal/inbound';
import { produceMeals } from '../electron/portal/outbound';
import { markPublished, pendingOutbound } from '../electron/portal/outbox';

const PUPILS = 50_000;
const EVENTS = 10_000;
const BATCH = 1_000;
const DAY = '2026-10-12'; // a Monday: the day whose bookings are published
const TOMORROW = '2026-10-13';
const NOW = '2026-10-12T06:00:00Z'; // 08:00 in Rome, before the cutoffs
const CONSONANTS = 'BCDFGHLMNP';

/** A valid, distinct codice fiscale for pupil i (the seed's are placeholders). */
function taxCodeOf(i: number): { taxCode: string; firstName: string; lastName: string } {
  const d = String(i).padStart(5, '0').split('').map((x) => CONSONANTS[Number(x)]);
  const lastName = `A${d[0]}O${d[1]}U${d[2]}`;
  const firstName = `A${d[3]}E${d[4]}IR`;
  return { lastName, firstName, taxCode: buildCodiceFiscale({ lastName, firstName, birthDate: '2017-05-05', sex: i % 2 ? 'M' : 'F', belfiore: 'C800' }) };
}

/** Event j of run r: pupils r*EVENTS+1 … (r+1)*EVENTS, a mix of kinds. */
function inboundEvent(run: number, j: number, taxCodes: string[]): Record<string, unknown> {
  const pupil = run * EVENTS + j + 1;
  const base = { id: `bench-${run}-${j}`, occurredAt: '2026-10-12T05:30:00Z', channel: j % 3 ? 'portale' : 'app' };
  const cf = taxCodes[pupil] ?? 'RSSMRA80A01H501U';
  const k = j % 20;
  if (k < 10) return { ...base, type: 'cancellation', pupilTaxCode: cf, date: TOMORROW };
  if (k < 13) return { ...base, type: 'plainMeal', pupilTaxCode: cf, date: TOMORROW, plain: true };
  if (k < 14) return { ...base, type: 'prolongedAbsence', pupilTaxCode: cf, from: TOMORROW };
  if (k < 17) {
    const notice = buildNumeroAvviso({ auxDigit: 3, segregationCode: '01', iuvBase: String(run * 1_000_000 + j).padStart(13, '0') });
    return { ...base, type: 'topUp', pupilTaxCode: cf, iuv: notice, amountCents: 5000, payerTaxCode: cf, paidAt: '2026-10-12T05:31:00Z', service: 'mensa' };
  }
  if (k < 18) return { ...base, type: 'personalData', pupilTaxCode: cf, pupil: { firstName: 'Nuovo' } };
  if (k < 19) return { ...base, type: 'supportRequest', pupilTaxCode: cf, subject: 'Richiesta', message: 'Vorrei sapere il saldo', contact: 'famiglia@example.it' };
  // an unknown pupil: the review queue
  return { ...base, type: 'cancellation', pupilTaxCode: 'RSSMRA80A01H501U', date: TOMORROW };
}

export const portalBench: BenchSuite = {
  id: 'portal',
  title: `Portale delle famiglie: ${EVENTS.toLocaleString('it-IT')} eventi in arrivo, pasti di un giorno di ${PUPILS.toLocaleString('it-IT')} alunni in uscita`,
  async run(ctx) {
    const app = await createBenchApp(freshFile(ctx.tmpDir, 'portal'), NOW);
    try {
      const { sqlite, db } = app.database;
      const clock = app.backend.clock;
      const t0 = performance.now();
      seedAttendanceData(sqlite, PUPILS, DAY);
      const taxCodes: string[] = [];
      const setCf = sqlite.prepare('UPDATE pupils SET tax_code = ?, first_name = ?, last_name = ?, version = version + 1 WHERE id = ?');
      sqlite.transaction(() => {
        for (let i = 1; i <= PUPILS; i++) {
          const p = taxCodeOf(i);
          taxCodes[i] = p.taxCode;
          setCf.run(p.taxCode, p.firstName, p.lastName, i);
        }
      })();
      ctx.log(`${PUPILS} alunni con codici fiscali validi in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      // ---------------- outbound: a day's bookings ----------------
      const clear = () => {
        sqlite.exec('DELETE FROM portal_outbox');
      };
      const floorInsert = sqlite.prepare(
        `INSERT INTO portal_outbox (event_id, key, type, body, created_at)
         SELECT 'pasti:' || e.pupil_id || ':' || @date, 'pasti:' || e.pupil_id || ':' || @date, 'meals',
                json_object('type', 'meals', 'key', 'pasti:' || e.pupil_id || ':' || @date, 'pupilId', e.pupil_id, 'pupilTaxCode', p.tax_code,
                            'date', @date, 'state', 'prenotato', 'closed', json('false'), 'chargedCents', NULL),
                @at
         FROM enrollments e JOIN pupils p ON p.id = e.pupil_id WHERE e.school_year_id = 1 AND e.status <> 'bozza'`,
      );
      const floorPending = sqlite.prepare('SELECT event_id AS id, body, created_at AS at FROM portal_outbox WHERE published_at IS NULL AND superseded_at IS NULL ORDER BY seq LIMIT ?');
      const floorPublish = sqlite.prepare('UPDATE portal_outbox SET published_at = ?, attempts = attempts + 1 WHERE event_id = ?');
      let floorRows = 0;
      let appRows = 0;
      let bytes = 0;
      const publishAll = (pending: () => { id: string }[], mark: (ids: string[]) => void) => {
        let n = 0;
        for (let b = 0; ; b++) {
          const events = pending();
          if (!events.length) return n;
          bytes = JSON.stringify({ batchId: `b${b}`, events }).length;
          mark(events.map((e) => e.id));
          n += events.length;
        }
      };
      const outbound = await compare(
        this.title,
        `pasti di un giorno di ${PUPILS.toLocaleString('it-IT')} alunni: in coda, poi inviati a lotti di ${BATCH.toLocaleString('it-IT')}`,
        {
          setup: clear,
          fn: () => {
            const at = new Date(NOW).toISOString();
            sqlite.transaction(() => floorInsert.run({ date: DAY, at }))();
            floorRows = publishAll(
              () => (floorPending.all(BATCH) as { id: string; body: string; at: string }[]).map((r) => ({ ...(JSON.parse(r.body) as object), id: r.id, publishedAt: r.at })),
              (ids) => sqlite.transaction(() => ids.forEach((id) => floorPublish.run(at, id)))(),
            );
          },
        },
        {
          setup: clear,
          fn: () => {
            const at = clock.now();
            const r = sqlite.transaction(() => produceMeals({ db, sqlite, at }, DAY))();
            appRows = publishAll(
              () => pendingOutbound(db, BATCH),
              (ids) => markPublished(db, ids, at),
            );
            if (r.added !== appRows) throw new Error(`in coda ${r.added}, inviati ${appRows}`);
          },
        },
        { runs: Math.max(ctx.runs, 5), warmup: 1, target: 3 },
      );
      outbound.note = `${appRows.toLocaleString('it-IT')} eventi dal produttore (prenotato, disdetto, in bianco, assente, con le regole di prenotazione), ${floorRows.toLocaleString('it-IT')} dal minimo (tutte le iscrizioni, tutte «prenotato»); un lotto di ${BATCH} eventi è circa ${Math.round(bytes / 1024)} KB di JSON`;
      clear();

      // BENCH_PORTAL=outbound measures only the first line (the inbound one takes minutes: a commit per event)
      if (process.env.BENCH_PORTAL === 'outbound') return [outbound];

      // ---------------- inbound: 10,000 mixed events ----------------
      let appRun = 0;
      let floorRun = 0;
      const outcomes: Record<string, number> = {};
      const floorEvent = sqlite.prepare(
        `INSERT INTO portal_inbound_events (portal, external_id, type, channel, occurred_at, pupil_tax_code, payload, received_at, recorded_at, status, message, applied_at, attempts, last_attempt_at)
         VALUES ('floor', ?, ?, 'portale', ?, ?, ?, ?, ?, 'applicato', 'Applicato', ?, 1, ?)`,
      );
      const floorAttempt = sqlite.prepare(
        `INSERT INTO cancellation_attempts (pupil_id, action, channel, acted_at, recorded_at, target_date, outcome, message) VALUES (?, 'disdetta', 'portale', ?, ?, ?, 'accettata', 'Disdetta registrata')`,
      );
      const floorAbsence = sqlite.prepare(`INSERT INTO absences (pupil_id, kind, date, source, acted_at, created_at) VALUES (?, ?, ?, 'portale', ?, ?)`);
      const nowIso = new Date(NOW).toISOString();
      const inbound = await compare(
        this.title,
        `${EVENTS.toLocaleString('it-IT')} eventi in arrivo di tipi misti, uno per transazione (applyInbound)`,
        {
          fn: () => {
            const run = floorRun++;
            // the floor writes on the day after tomorrow: its absences never meet the app's
            const date = '2026-10-14';
            for (let j = 0; j < EVENTS; j++) {
              const e = inboundEvent(run, j, taxCodes);
              const pupil = run * EVENTS + j + 1;
              sqlite.transaction(() => {
                floorEvent.run(`f${run}-${j}`, e.type, nowIso, e.pupilTaxCode, JSON.stringify(e), nowIso, nowIso, nowIso, nowIso);
                if (e.type === 'cancellation' || e.type === 'plainMeal' || e.type === 'prolongedAbsence') {
                  floorAttempt.run(pupil, nowIso, nowIso, date);
                  // (a prolonged absence as a one-day row on another day: the app's open absences stay its own)
                  if (e.type === 'prolongedAbsence') floorAbsence.run(pupil, 'giorno', '2026-10-15', nowIso, nowIso);
                  else floorAbsence.run(pupil, e.type === 'plainMeal' ? 'in_bianco' : 'giorno', date, nowIso, nowIso);
                }
              })();
            }
          },
        },
        {
          fn: () => {
            const run = appRun++;
            const env = { db, sqlite, clock };
            for (let j = 0; j < EVENTS; j++) {
              const r = applyInbound(env, inboundEvent(run, j, taxCodes), clock.now());
              outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
            }
          },
        },
        { runs: Math.min(Math.max(ctx.runs, 3), 4), warmup: 0, target: 3 },
      );
      const review = sqlite.prepare("SELECT count(*) AS n FROM portal_inbound_events WHERE status = 'in_revisione' AND portal = 'portale'").get() as { n: number };
      inbound.note = `esiti: ${Object.entries(outcomes).map(([k, v]) => `${k} ${v.toLocaleString('it-IT')}`).join(', ')} (${review.n.toLocaleString('it-IT')} in revisione: alunni sconosciuti e richieste fuori regola); il minimo scrive la riga ricevuta e le righe di dominio senza regole`;
      return [outbound, inbound];
    } finally {
      app.close();
    }
  },
};
