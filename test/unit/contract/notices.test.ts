import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChangeNotices, NOTICE_MEMORY, noticeConcerns, watchOtherProcesses, type ChangeNotice } from '../../../electron/contract/notices';
import { closeDueDay } from '../../../electron/attendance/scheduler';
import { fixedClock } from '../../../electron/platform/clock';
import { createTestApp, seedBasics, silentLogger, type TestApp } from '../../support/backend';

let app: TestApp;
let basics: Awaited<ReturnType<typeof seedBasics>>;

beforeAll(async () => {
  app = await createTestApp();
  basics = await seedBasics(app);
});
afterAll(() => app.close());

/** The notices the backend emits while `run` runs, each with whether a transaction was still open when it was heard. */
async function heard(run: () => Promise<unknown>): Promise<{ notice: ChangeNotice; inTransaction: boolean; rows: number }[]> {
  const out: { notice: ChangeNotice; inTransaction: boolean; rows: number }[] = [];
  const off = app.backend.notices.subscribe((notice) => {
    const rows = (app.database.sqlite.prepare('SELECT count(*) AS n FROM municipalities').get() as { n: number }).n;
    out.push({ notice, inTransaction: app.database.sqlite.inTransaction, rows });
  });
  try {
    await run();
  } finally {
    off();
  }
  return out;
}

describe('avvisi di modifica: il dispatcher', () => {
  it('dopo una modifica riuscita emette un solo avviso, a transazione già conclusa, con area, procedura, utente e numero', async () => {
    const before = (app.database.sqlite.prepare('SELECT count(*) AS n FROM municipalities').get() as { n: number }).n;
    const seqBefore = app.backend.notices.lastSeq;
    const got = await heard(() => app.call('municipalities.create', { name: 'Bergamo', province: 'BG', cutoffTime: '09:15' }, 'amministratore'));
    expect(got).toHaveLength(1);
    const [{ notice, inTransaction, rows }] = got;
    // the listener already sees the new row: the notice comes after the commit
    expect(inTransaction).toBe(false);
    expect(rows).toBe(before + 1);
    expect(notice).toMatchObject({ procedure: 'municipalities.create', areas: ['municipalities'], user: 'admin', seq: seqBefore + 1, boot: app.backend.notices.boot });
    expect(notice.entities.length).toBeGreaterThan(0);
  });

  it('nessun avviso per una modifica rifiutata dai dati, per una annullata nella transazione, per una lettura o senza sessione', async () => {
    const got = await heard(async () => {
      // refused by the input schema, before any transaction
      await app.fail('municipalities.create', { name: '', province: 'BG', cutoffTime: '25:00' });
      // refused inside the transaction (same name twice): rolled back
      await app.fail('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30' });
      await app.call('municipalities.list', {});
      await app.backend.call('municipalities.create', { name: 'Lovere', province: 'BG', cutoffTime: '09:00' }, null);
    });
    expect(got).toEqual([]);
  });

  it('le aree aggiuntive dichiarate da una procedura (changes) sono nell’avviso accanto alla sua', async () => {
    const def = app.backend.procedures.get('dashboard.closeArrears');
    expect(def?.changes).toEqual(expect.arrayContaining(['attendance', 'ledger']));
    const got = await heard(() => app.call('dashboard.closeArrears', {}, 'operatore'));
    expect(got).toHaveLength(1);
    expect(got[0].notice.areas).toEqual(expect.arrayContaining(['attendance', 'dashboard', 'ledger']));
  });

  it('la chiusura automatica della giornata (fuori dal dispatcher) emette il suo avviso dopo il commit, una volta sola', () => {
    const notices = new ChangeNotices(app.clock);
    const got: ChangeNotice[] = [];
    notices.subscribe((n) => {
      expect(app.database.sqlite.inTransaction).toBe(false);
      got.push(n);
    });
    const deps = { database: app.database, clock: app.clock, logger: silentLogger, notices };
    const due = { municipalityId: basics.clusone.id, municipalityName: 'Clusone', date: '2026-10-09' };
    expect(closeDueDay(deps, due)?.alreadyClosed).toBe(false);
    expect(closeDueDay(deps, due)?.alreadyClosed).toBe(true);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ procedure: 'attendance.scheduler', user: 'sistema', entities: ['giornata'] });
    expect(got[0].areas).toEqual(['attendance', 'ledger']);
  });
});

describe('avvisi di modifica: memoria e ripresa', () => {
  const clock = fixedClock('2026-11-16T08:00:00Z');

  it('a chi riprende dall’ultimo avviso visto consegna solo quelli persi; niente a chi è aggiornato', () => {
    const n = new ChangeNotices(clock, undefined, 'avvio1');
    const a = n.emit({ procedure: 'x.a', areas: ['x'] });
    n.emit({ procedure: 'x.b', areas: ['x'] });
    n.emit({ procedure: 'x.c', areas: ['y'] });
    expect(n.missedSince(`avvio1:${a.seq}`).map((x) => x.procedure)).toEqual(['x.b', 'x.c']);
    expect(n.missedSince('avvio1:3')).toEqual([]);
    expect(n.missedSince(null)).toEqual([]);
    expect(n.missedSince('non-valido')).toEqual([]);
  });

  it('dopo un riavvio, un numero sconosciuto o un vuoto oltre la memoria consegna un avviso «ripresa» per tutte le aree', () => {
    const n = new ChangeNotices(clock, undefined, 'avvio2');
    for (let i = 0; i < NOTICE_MEMORY + 5; i++) n.emit({ procedure: 'x.y', areas: ['x'] });
    for (const id of ['avvio1:3', `avvio2:${NOTICE_MEMORY + 99}`, 'avvio2:1']) {
      const missed = n.missedSince(id);
      expect(missed).toHaveLength(1);
      expect(missed[0]).toMatchObject({ reset: true, areas: ['*'], procedure: 'ripresa' });
      expect(noticeConcerns(missed[0], ['attendance'])).toBe(true);
    }
    // the newest notices are still there, in order
    expect(n.missedSince(`avvio2:${NOTICE_MEMORY}`).map((x) => x.seq)).toEqual([NOTICE_MEMORY + 1, NOTICE_MEMORY + 2, NOTICE_MEMORY + 3, NOTICE_MEMORY + 4, NOTICE_MEMORY + 5]);
  });

  it('un ascoltatore che fallisce non ferma gli altri né chi emette', () => {
    const errors: unknown[] = [];
    const n = new ChangeNotices(clock, (e) => errors.push(e));
    const got: number[] = [];
    n.subscribe(() => {
      throw new Error('finestra chiusa');
    });
    n.subscribe((x) => got.push(x.seq));
    expect(() => n.emit({ procedure: 'x.y', areas: ['x'] })).not.toThrow();
    expect(got).toEqual([1]);
    expect(errors).toHaveLength(1);
  });

  it('un avviso riguarda uno schermo se tocca una delle sue aree (o tutte)', () => {
    expect(noticeConcerns({ areas: ['attendance', 'ledger'] }, ['kitchen', 'attendance'])).toBe(true);
    expect(noticeConcerns({ areas: ['pupils'] }, ['attendance'])).toBe(false);
    expect(noticeConcerns({ areas: ['pupils'] }, ['*'])).toBe(true);
    expect(noticeConcerns({ areas: ['*'] }, ['attendance'])).toBe(true);
  });

  it('una modifica fatta da un altro processo sullo stesso file (riga di comando) diventa un avviso per tutte le aree', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-notices-'));
    const file = path.join(dir, 'x.sqlite');
    const mine = new Database(file);
    mine.pragma('journal_mode = WAL');
    mine.exec('CREATE TABLE t (x INTEGER)');
    const other = new Database(file);
    const n = new ChangeNotices(clock);
    const got: ChangeNotice[] = [];
    n.subscribe((x) => got.push(x));
    const watch = watchOtherProcesses(mine, n, 60_000);
    try {
      mine.exec('INSERT INTO t VALUES (1)'); // this connection's own write: not "another process"
      expect(watch.check()).toBe(false);
      other.exec('INSERT INTO t VALUES (2)');
      expect(watch.check()).toBe(true);
      expect(watch.check()).toBe(false);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ procedure: 'esterno', areas: ['*'] });
    } finally {
      watch.stop();
      other.close();
      mine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
