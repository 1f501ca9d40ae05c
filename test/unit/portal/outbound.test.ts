/**
 * What the office publishes to the parent portal (issue 13, outbound): the outbox's stable ids and
 * supersede by key, the producers' content on a small office, and D3 (no debt, no suspension
 * reason in anything published).
 */
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/backend';
import { enrollPupil, useAttendanceApp, type Base } from '../attendance/fixtures';
import { suspend } from '../debts/suspension-fixtures';
import { enqueueOutbound, markPublished, outboundEventId, pendingOutbound, pruneOutbox, recordFailure, type OutboundDraft } from '../../../electron/portal/outbox';
import { calendarDrafts, mealDrafts, produceMeals } from '../../../electron/portal/outbound';
import { outboundBatch, type OutboundEvent } from '../../../electron/portal/contract';
import { startOutboundProducers } from '../../../electron/portal/outbound-triggers';
import { ChangeNotices } from '../../../electron/contract/notices';

let app: TestApp;
let base: Base;
useAttendanceApp((a, b) => {
  app = a;
  base = b;
});

const rows = (sql: string, ...params: unknown[]) => app.database.sqlite.prepare(sql).all(...params) as Record<string, unknown>[];
const deps = () => ({ db: app.database.db, sqlite: app.database.sqlite, at: app.clock.now() });
/** the latest version of a key, as the portal will hold it */
const latest = (key: string) => {
  const r = app.database.sqlite.prepare('SELECT body FROM portal_outbox WHERE key = ? ORDER BY seq DESC LIMIT 1').get(key) as { body: string } | undefined;
  return r ? (JSON.parse(r.body) as Record<string, unknown>) : undefined;
};

const meal = (pupilId: number, state: 'prenotato' | 'disdetto', date = '2026-10-05'): OutboundDraft => ({
  type: 'meals',
  key: `pasti:${pupilId}:${date}`,
  pupilId,
  pupilTaxCode: 'RSSMRA17A01C800X',
  date,
  state,
  closed: false,
  chargedCents: null,
});

describe('coda di ciò che si pubblica: id stabili e sostituzione per chiave', () => {
  it('lo stesso contenuto ha lo stesso id e non si accoda due volte', () => {
    const at = app.clock.now();
    expect(outboundEventId(meal(7, 'prenotato'), null)).toBe(outboundEventId(meal(7, 'prenotato'), null));
    expect(outboundEventId(meal(7, 'prenotato'), null)).not.toBe(outboundEventId(meal(7, 'disdetto'), null));
    expect(enqueueOutbound(app.database.sqlite, [meal(7, 'prenotato')], at)).toEqual({ added: 1, superseded: 0, unchanged: 0 });
    expect(enqueueOutbound(app.database.sqlite, [meal(7, 'prenotato')], at)).toEqual({ added: 0, superseded: 0, unchanged: 1 });
    const pending = pendingOutbound(app.database.db, 100);
    expect(pending).toHaveLength(1);
    expect(pending[0].id).toMatch(/^pasti:7:2026-10-05~[0-9a-f]{16}$/);
    // publishedAt is the moment the office queued it: the same at every retry
    expect(pending[0].publishedAt).toBe(at.toISOString());
    expect(pendingOutbound(app.database.db, 100)).toEqual(pending);
    // what the runner sends is a valid batch of the contract
    expect(outboundBatch.safeParse({ batchId: 'b1', events: pending }).success).toBe(true);
  });

  it('un contenuto cambiato sostituisce la versione non ancora inviata; tornare al contenuto di prima è un evento nuovo', () => {
    const sqlite = app.database.sqlite;
    const at = app.clock.now();
    enqueueOutbound(sqlite, [meal(7, 'prenotato')], at);
    const first = pendingOutbound(app.database.db, 10)[0].id;
    expect(enqueueOutbound(sqlite, [meal(7, 'disdetto')], at)).toEqual({ added: 1, superseded: 1, unchanged: 0 });
    const pending = pendingOutbound(app.database.db, 10);
    expect(pending.map((e) => (e as Extract<OutboundEvent, { type: 'meals' }>).state)).toEqual(['disdetto']);
    expect(pending[0].key).toBe(`pasti:7:2026-10-05`);
    expect(pending[0].id).not.toBe(first);
    // sent; then back to booked: a new id (the portal must not keep «disdetto»), not the first one again
    expect(markPublished(app.database.db, [pending[0].id], at)).toBe(1);
    expect(pendingOutbound(app.database.db, 10)).toEqual([]);
    expect(enqueueOutbound(sqlite, [meal(7, 'prenotato')], at).added).toBe(1);
    const again = pendingOutbound(app.database.db, 10);
    expect(again).toHaveLength(1);
    expect(again[0].id).not.toBe(first);
    expect(rows('SELECT count(*) AS n FROM portal_outbox WHERE superseded_at IS NOT NULL')[0].n).toBe(1);
  });

  it('un invio non riuscito resta in coda con il motivo e i tentativi; offline la coda cresce e si svuota dopo', () => {
    const sqlite = app.database.sqlite;
    const at = app.clock.now();
    enqueueOutbound(sqlite, [meal(1, 'prenotato'), meal(2, 'prenotato'), meal(3, 'disdetto')], at);
    const ids = pendingOutbound(app.database.db, 2).map((e) => e.id);
    expect(ids).toHaveLength(2);
    expect(recordFailure(app.database.db, ids, 'Portale non raggiungibile (timeout)', at)).toBe(2);
    expect(rows('SELECT attempts, last_error AS e FROM portal_outbox WHERE event_id = ?', ids[0])[0]).toEqual({ attempts: 1, e: 'Portale non raggiungibile (timeout)' });
    expect(pendingOutbound(app.database.db, 10)).toHaveLength(3);
    markPublished(app.database.db, pendingOutbound(app.database.db, 10).map((e) => e.id), at);
    expect(pendingOutbound(app.database.db, 10)).toEqual([]);
    // marking again (a duplicated acknowledgement) changes nothing
    expect(markPublished(app.database.db, ids, at)).toBe(0);
  });

  it('la pulizia toglie le versioni vecchie già pubblicate o sostituite, mai l\'ultima di una chiave né ciò che è in attesa', () => {
    const sqlite = app.database.sqlite;
    const t0 = new Date('2026-09-01T08:00:00Z');
    enqueueOutbound(sqlite, [meal(7, 'prenotato'), meal(8, 'prenotato')], t0);
    markPublished(app.database.db, pendingOutbound(app.database.db, 10).map((e) => e.id), t0);
    enqueueOutbound(sqlite, [meal(7, 'disdetto')], t0);
    enqueueOutbound(sqlite, [meal(9, 'prenotato')], t0);
    enqueueOutbound(sqlite, [meal(9, 'disdetto')], t0); // supersedes 9's unsent version
    expect(pruneOutbox(sqlite, new Date('2026-08-01T00:00:00Z'))).toBe(0);
    // 7's published first version and 9's superseded one go; 8 (latest, published) and the pending stay
    expect(pruneOutbox(sqlite, new Date('2026-10-01T00:00:00Z'))).toBe(2);
    expect(rows('SELECT key FROM portal_outbox ORDER BY seq').map((r) => r.key)).toEqual(['pasti:8:2026-10-05', 'pasti:7:2026-10-05', 'pasti:9:2026-10-05']);
    expect(pendingOutbound(app.database.db, 10).map((e) => e.key)).toEqual(['pasti:7:2026-10-05', 'pasti:9:2026-10-05']);
    // the same content again still adds nothing
    expect(enqueueOutbound(sqlite, [meal(7, 'disdetto'), meal(8, 'prenotato')], t0).added).toBe(0);
  });

  it('un evento che il contratto rifiuterebbe non entra in coda', () => {
    const bad = { ...meal(7, 'prenotato'), date: '2026-13-45' };
    expect(() => enqueueOutbound(app.database.sqlite, [bad], app.clock.now())).toThrow(/non conforme al contratto/);
    expect(rows('SELECT count(*) AS n FROM portal_outbox')[0].n).toBe(0);
  });
});

describe('produttori: calendario, pasti, saldi, iscrizioni', () => {
  it('calendario di ogni scuola: giorni di servizio, festività e chiusure, orario limite del comune', async () => {
    await app.call('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-10-16', to: '2026-10-16', kind: 'sciopero', reason: 'Sciopero del personale' }, 'operatore');
    const drafts = calendarDrafts(app.database.db, '2026-10-05');
    const clusone = drafts.find((d) => d.type === 'calendar' && d.schoolId === base.school.id) as Extract<OutboundDraft, { type: 'calendar' }>;
    const cassino = drafts.find((d) => d.type === 'calendar' && d.schoolId === base.cassinoSchool.id) as Extract<OutboundDraft, { type: 'calendar' }>;
    expect(clusone).toMatchObject({ municipalityId: base.clusone.id, schoolName: 'Primaria Clusone', cutoffTime: '09:30', from: '2026-09-01', to: '2027-06-30' });
    expect(clusone.serviceDays).toContain('2026-10-05');
    expect(clusone.serviceDays).not.toContain('2026-10-10'); // Saturday
    expect(clusone.closures.find((c) => c.date === '2026-12-08')?.reason).toMatch(/Immacolata/);
    expect(clusone.closures.find((c) => c.date === '2026-10-16')?.reason).toMatch(/Sciopero del personale/);
    expect(clusone.serviceDays).not.toContain('2026-10-16');
    // Cassino's school serves on Mondays and Wednesdays only
    expect(cassino.cutoffTime).toBe('09:00');
    expect(cassino.serviceDays).toContain('2026-10-05');
    expect(cassino.serviceDays).not.toContain('2026-10-06');
  });

  it('pasti del giorno: prenotato, disdetto, in bianco prima della chiusura; consumato e addebitato dopo, e la rettifica', async () => {
    const a = await enrollPupil(app, base);
    const b = await enrollPupil(app, base);
    const c = await enrollPupil(app, base);
    const tue = await enrollPupil(app, base, { weekdays: [2] });
    await app.call('attendance.cancelDay', { pupilId: b.pupil.id, date: '2026-10-05' }, 'operatore');
    await app.call('attendance.plainMeal', { pupilId: c.pupil.id, date: '2026-10-05' }, 'operatore');
    produceMeals(deps(), '2026-10-05');
    expect(latest(`pasti:${a.pupil.id}:2026-10-05`)).toMatchObject({ state: 'prenotato', closed: false, chargedCents: null, pupilTaxCode: a.pupil.taxCode });
    expect(latest(`pasti:${b.pupil.id}:2026-10-05`)).toMatchObject({ state: 'disdetto', closed: false });
    expect(latest(`pasti:${c.pupil.id}:2026-10-05`)).toMatchObject({ state: 'in_bianco', closed: false });
    // Tuesday only: nothing to say about Monday (never told anything else)
    expect(latest(`pasti:${tue.pupil.id}:2026-10-05`)).toBeUndefined();

    await app.travel('2026-10-05T08:00:00Z'); // 10:00 in Rome, after the 09:30 cutoff
    await app.call('attendance.closeDay', { date: '2026-10-05', municipalityId: base.clusone.id }, 'operatore');
    const counts = produceMeals(deps(), '2026-10-05', { municipalityId: base.clusone.id });
    expect(counts.added).toBe(3);
    expect(latest(`pasti:${a.pupil.id}:2026-10-05`)).toMatchObject({ state: 'consumato', closed: true, chargedCents: 618 });
    expect(latest(`pasti:${b.pupil.id}:2026-10-05`)).toMatchObject({ state: 'disdetto', closed: true, chargedCents: 0 });
    expect(latest(`pasti:${c.pupil.id}:2026-10-05`)).toMatchObject({ state: 'in_bianco', closed: true, chargedCents: 618 });
    await app.call('attendance.correctMeal', { pupilId: a.pupil.id, date: '2026-10-05', present: false, reason: 'Uscito prima di pranzo' }, 'operatore');
    expect(produceMeals(deps(), '2026-10-05').added).toBe(1);
    expect(latest(`pasti:${a.pupil.id}:2026-10-05`)).toMatchObject({ state: 'assente', closed: true, chargedCents: 0 });
  });

  it('un pasto non più previsto (chiusura decisa dopo) è pubblicato come «non previsto» solo a chi era stato detto altro', async () => {
    const a = await enrollPupil(app, base);
    produceMeals(deps(), '2026-10-07');
    expect(latest(`pasti:${a.pupil.id}:2026-10-07`)).toMatchObject({ state: 'prenotato' });
    await app.call('calendar.closures.create', { scope: 'scuola', schoolId: base.school.id, from: '2026-10-07', to: '2026-10-07', kind: 'sciopero', reason: 'Sciopero' }, 'operatore');
    const drafts = mealDrafts(app.database.sqlite, app.database.db, base.clusone.id, '2026-10-07');
    expect(drafts.find((d) => d.key === `pasti:${a.pupil.id}:2026-10-07`)).toMatchObject({ state: 'non_previsto' });
    produceMeals(deps(), '2026-10-07');
    expect(latest(`pasti:${a.pupil.id}:2026-10-07`)).toMatchObject({ state: 'non_previsto', chargedCents: null });
  });

  it('saldi con gli ultimi movimenti dopo la chiusura, senza i motivi scritti dall\'ufficio', async () => {
    const a = await enrollPupil(app, base);
    await app.travel('2026-10-05T08:00:00Z');
    await app.call('attendance.closeDay', { date: '2026-10-05', municipalityId: base.clusone.id }, 'operatore');
    const r = await app.call('portal.publish', { scope: 'balances' }, 'operatore');
    expect(r.counts.balances.added).toBe(1);
    const balance = latest(`saldo:${a.pupil.id}:mensa:2026/2027`);
    expect(balance).toMatchObject({ type: 'balance', balanceCents: -618, service: 'mensa', schoolYear: '2026/2027', asOf: '2026-10-05' });
    expect(balance?.movements).toEqual([{ date: '2026-10-05', description: 'Pasto del 05/10/2026', amountCents: -618 }]);
  });
});

describe('produttori: avvisi pagoPA', () => {
  it('P6: l\'avviso emesso dall\'ufficio è pubblicato con numero, importo, scadenza e stato; annullato, il portale lo sostituisce', async () => {
    const a = await enrollPupil(app, base);
    app.database.sqlite.prepare('UPDATE payers SET iban = NULL, iban_holder = NULL, version = version + 1 WHERE id = ?').run(base.payerId);
    const n = await app.call(
      'pagopa.notices.issue',
      { payerId: base.payerId, pupilId: a.pupil.id, service: 'mensa', amountCents: 4500, dueOn: '2026-10-30', creditorFiscalCode: '80002280164', segregationCode: '47', description: 'Pasti di settembre' },
      'operatore',
    );
    await app.call('portal.publish', { scope: 'notices' }, 'operatore');
    expect(latest(`avviso:${n.id}`)).toEqual({
      type: 'pagopaNotice',
      key: `avviso:${n.id}`,
      pupilId: a.pupil.id,
      pupilTaxCode: a.pupil.taxCode,
      noticeNumber: n.noticeNumber,
      amountCents: 4500,
      dueDate: '2026-10-30',
      description: 'Pasti di settembre',
      status: 'emesso',
    });
    await app.call('pagopa.notices.cancel', { noticeId: n.id, reason: 'Emesso per errore' }, 'operatore');
    const r = await app.call('portal.publish', { scope: 'notices' }, 'operatore');
    expect(r.counts.notices).toEqual({ added: 1, superseded: 1, unchanged: 0 });
    expect(latest(`avviso:${n.id}`)).toMatchObject({ status: 'annullato' });
    expect(JSON.stringify(latest(`avviso:${n.id}`))).not.toContain('Emesso per errore');
  });
});

describe('D3: nulla sui debiti esce dall\'ufficio', () => {
  it('D3: la sospensione è pubblicata solo come «servizio sospeso», senza motivo né debito, in nessun evento', async () => {
    const a = await enrollPupil(app, base);
    const other = await enrollPupil(app, base);
    await suspend(app, { payerId: base.payerId, municipalityId: base.clusone.id, pupilIds: [a.pupil.id], startsOn: '2026-10-13' });
    await app.travel('2026-10-13T05:00:00Z');
    produceMeals(deps(), '2026-10-12');
    produceMeals(deps(), '2026-10-13');
    await app.call('portal.publish', { scope: 'all', year: 2026 }, 'operatore');

    const status = latest(`iscrizione:${a.enrollment.id}`);
    expect(status).toMatchObject({ type: 'enrollmentStatus', status: 'servizio_sospeso', schoolYear: '2026/2027' });
    expect(Object.keys(status!).sort()).toEqual(['enrollmentId', 'key', 'pupilId', 'pupilTaxCode', 'requestId', 'schoolId', 'schoolYear', 'status', 'type']);
    expect(latest(`iscrizione:${other.enrollment.id}`)).toMatchObject({ status: 'attiva' });
    // the suspended day's meal is just not expected (it was booked the day before)
    expect(latest(`pasti:${a.pupil.id}:2026-10-12`)).toMatchObject({ state: 'prenotato' });
    expect(latest(`pasti:${a.pupil.id}:2026-10-13`)).toBeUndefined();

    const bodies = rows('SELECT type, body FROM portal_outbox') as { type: string; body: string }[];
    expect(bodies.length).toBeGreaterThan(3);
    const reason = 'Morosità dopo la diffida consegnata';
    const fieldNames = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          fieldNames.add(k);
          walk(x);
        }
      }
    };
    for (const b of bodies) {
      expect(b.body).not.toContain(reason);
      expect(b.body).not.toMatch(/moros|diffida|debit[oi]|insolv/i);
      walk(JSON.parse(b.body));
    }
    // the only "reason" published is a calendar closure's (a holiday, a strike)
    expect([...fieldNames].filter((k) => /debt|debit|moros|suspen|sospens|motiv|reason/i.test(k))).toEqual(['reason']);
    for (const b of bodies.filter((x) => x.type !== 'calendar')) expect(b.body).not.toContain('"reason"');
  });
});

describe('quando si pubblica: dopo le modifiche, con il portale acceso', () => {
  const turnOn = () =>
    app.database.sqlite
      .prepare("INSERT INTO settings (key, value) VALUES ('portale.impostazioni', ?)")
      .run(JSON.stringify({ adapter: 'file', folder: '/tmp/scambio', outboundFormat: 'json', intervalMinutes: 5, pageSize: 200, timeoutSeconds: 20 }));

  it('la chiusura della giornata mette in coda i pasti di quel giorno; una disdetta quelli del suo alunno; col portale spento nulla', async () => {
    const notices = new ChangeNotices(app.clock);
    const producers = startOutboundProducers({ database: app.database, clock: app.clock, logger: { info() {}, warn() {}, error() {} }, notices }, { debounceMs: 60_000, firstDelayMs: 3_600_000 });
    try {
      const a = await enrollPupil(app, base);
      const b = await enrollPupil(app, base);
      // the portal is off: nothing is produced
      notices.emit({ procedure: 'attendance.cancelDay', areas: ['attendance'] });
      expect(await producers.runNow()).toBeNull();
      expect(rows('SELECT count(*) AS n FROM portal_outbox')[0].n).toBe(0);

      turnOn();
      // the first pass: the whole picture (calendars, today's meals, balances, enrollments)
      const first = (await producers.runNow())!;
      expect(first.calendar.added).toBe(2);
      expect(first.meals.added).toBe(2);
      expect(first.enrollments.added).toBe(2);
      // a cancellation: only that pupil's day
      await app.call('attendance.cancelDay', { pupilId: b.pupil.id, date: '2026-10-07' }, 'operatore');
      notices.emit({ procedure: 'attendance.cancelDay', areas: ['attendance'] });
      expect((await producers.runNow())!.meals).toEqual({ added: 1, superseded: 0, unchanged: 0 });
      expect(latest(`pasti:${b.pupil.id}:2026-10-07`)).toMatchObject({ state: 'disdetto' });
      expect(latest(`pasti:${a.pupil.id}:2026-10-07`)).toBeUndefined();
      // the day close: that day's meals, recorded and charged, and the charged balances
      await app.travel('2026-10-05T08:00:00Z');
      await app.call('attendance.closeDay', { date: '2026-10-05', municipalityId: base.clusone.id }, 'operatore');
      notices.emit({ procedure: 'attendance.closeDay', areas: ['attendance', 'ledger'] });
      const closed = (await producers.runNow())!;
      expect(closed.meals.added).toBe(2);
      expect(closed.balances.added).toBe(2);
      expect(latest(`pasti:${a.pupil.id}:2026-10-05`)).toMatchObject({ state: 'consumato', closed: true, chargedCents: 618 });
      // nothing changed: nothing new
      notices.emit({ procedure: 'esterno', areas: ['*'] });
      const again = (await producers.runNow())!;
      expect(Object.values(again).reduce((n, c) => n + c.added, 0)).toBe(0);
    } finally {
      producers.stop();
    }
  });
});
