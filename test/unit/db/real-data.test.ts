import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, VALID_PAYER } from '../../support/backend';
import { openDatabase, type OpenDatabase } from '../../../db/open';
import { createBackend } from '../../../electron/contract/backend';
import { procedures, type ProcedureName, type ProcInput, type ProcOutput } from '../../../electron/contract/registry';
import { fixedClock } from '../../../electron/platform/clock';
import { PRACTICE_MARKER_KEY, RealDataError, admitPracticeClock, databaseKind, describeOfficeRecords, holdsRealData } from '../../../db/real-data';
import { prepareForDemo } from '../../../electron/demo/seed';

const PRACTICE = { mode: 'in-corsa' as const, from: '2026-11-16T07:30:00.000Z' };
const REAL_NOW = new Date('2026-11-29T20:00:00Z');

interface Office {
  database: OpenDatabase;
  call<N extends ProcedureName>(name: N, input: ProcInput<N>): Promise<ProcOutput<N>>;
  close(): void;
}

/** A fresh database with only its administrator (one password hash: the machine is shared). */
async function newOffice(at = '2026-11-16T07:30:00Z'): Promise<Office> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-real-data-'));
  const database = openDatabase(path.join(dir, 'rette.sqlite'));
  const backend = createBackend({ database, clock: fixedClock(at), procedures, dataDir: dir, logger: silentLogger });
  const setup = await backend.call('auth.setup', { username: 'admin', displayName: 'Amministratore', password: 'password-admin' });
  if (!setup.ok) throw new Error(JSON.stringify(setup.error));
  const session = (setup.value as { session: string }).session;
  return {
    database,
    async call(name, input) {
      const r = await backend.call(name, input, session);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
      return r.value as never;
    },
    close() {
      database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let app: Office | null = null;
afterEach(() => {
  app?.close();
  app = null;
});

function marker(a: Office) {
  return a.database.sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(PRACTICE_MARKER_KEY) as string | undefined;
}

describe('dati reali: una sola definizione', () => {
  it('l’amministratore, il registro e le impostazioni non sono dati dell’ufficio: il database è vuoto', async () => {
    app = await newOffice();
    expect(databaseKind(app.database.sqlite)).toBe('vuoto');
    expect(holdsRealData(app.database.sqlite)).toBe(false);
  });

  it.each([
    ['un comune', async (a: Office) => void (await a.call('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30' })), '1 comune'],
    ['un anno scolastico', async (a: Office) => void (await a.call('schoolYears.create', { label: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-06-30' })), '1 anno scolastico'],
    [
      'un pagante',
      async (a: Office) =>
        void (await a.call('payers.create', VALID_PAYER)),
      '1 pagante',
    ],
  ])('basta %s senza contrassegno di prova perché i dati siano reali', async (_what, add, described) => {
    app = await newOffice();
    await add(app);
    expect(databaseKind(app.database.sqlite)).toBe('reale');
    expect(holdsRealData(app.database.sqlite)).toBe(true);
    expect(describeOfficeRecords(app.database.sqlite)).toBe(described);
  });

  it('l’orologio di prova è rifiutato su dati reali, con il motivo, e non scrive nulla', async () => {
    app = await newOffice();
    await app.call('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30' });
    await app.call('municipalities.create', { name: 'Cassino', province: 'FR', cutoffTime: '09:00' });
    const err = (() => {
      try {
        admitPracticeClock(app.database.sqlite, PRACTICE, REAL_NOW);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(RealDataError);
    expect((err as Error).message).toMatch(/^Orologio di prova rifiutato: il database .*rette\.sqlite contiene dati reali \(2 comuni\)/);
    expect((err as Error).message).toContain('mai con l’archivio dell’ufficio');
    expect(marker(app)).toBeUndefined();
  });

  it('su un database vuoto l’orologio di prova è ammesso e il database diventa di prova: ciò che vi si registra poi non è reale', async () => {
    app = await newOffice();
    expect(admitPracticeClock(app.database.sqlite, PRACTICE, REAL_NOW)).toBe('vuoto');
    expect(JSON.parse(marker(app)!)).toEqual({ mode: 'in-corsa', from: PRACTICE.from, realAt: REAL_NOW.toISOString() });
    await app.call('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30' });
    expect(databaseKind(app.database.sqlite)).toBe('prova');
    // the next start of the same session (or its command line) is admitted; the marker is not rewritten
    expect(admitPracticeClock(app.database.sqlite, { mode: 'fisso', from: '2027-01-01T00:00:00.000Z' }, new Date('2027-01-01T00:00:00Z'))).toBe('prova');
    expect(JSON.parse(marker(app)!).from).toBe(PRACTICE.from);
  });

  it('i dati dimostrativi non sono reali: l’orologio di prova è ammesso anche dopo che vi si è lavorato', async () => {
    app = await newOffice();
    await app.call('demo.seed', { pupils: 20 });
    expect(databaseKind(app.database.sqlite)).toBe('dimostrativo');
    await app.call('municipalities.create', { name: 'Bergamo', province: 'BG', cutoffTime: '09:15' });
    expect(admitPracticeClock(app.database.sqlite, PRACTICE, REAL_NOW)).toBe('dimostrativo');
  });

  it('i dati dimostrativi si creano solo su un database senza dati dell’ufficio, anche se è di prova', async () => {
    app = await newOffice();
    admitPracticeClock(app.database.sqlite, PRACTICE, REAL_NOW);
    expect(prepareForDemo(app.database.sqlite, false)).toBe(false);
    await app.call('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30' });
    expect(() => prepareForDemo(app!.database.sqlite, false)).toThrow(/contiene già dati/);
  });
});
