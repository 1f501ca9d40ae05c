/**
 * The database itself keeps the ledger's rules: append-only entries, sign per kind, reason for a
 * rettifica, reversals and carry-over pairs that match, receipts that cannot be changed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { seedAttendance, enrollPupil, type Base } from '../attendance/fixtures';
import { accountFor, accountBalance, postEntry, pupilBalances, verifyBalances } from '../../../electron/ledger/entries';

let app: TestApp;
let base: Base;
let pupilId: number;
const at = new Date('2026-10-12T08:00:00Z');

beforeEach(async () => {
  app = await createTestApp();
  base = await seedAttendance(app);
  pupilId = (await enrollPupil(app, base)).pupil.id;
});
afterEach(() => app.close());

function account(service = 'mensa', schoolYearId = base.year.id) {
  return accountFor(app.database.db, { pupilId, service, schoolYearId }, at);
}

describe('libro contabile: regole nel database', () => {
  it('i movimenti non si modificano né si cancellano (trigger)', () => {
    const acc = account();
    const e = postEntry(app.database.db, { accountId: acc, kind: 'rettifica', amountCents: 500, bookedOn: '2026-10-12', reason: 'Saldo iniziale dal vecchio sistema', createdBy: null, at });
    const s = app.database.sqlite;
    expect(() => s.prepare('UPDATE ledger_entries SET amount_cents = 1 WHERE id = ?').run(e.id)).toThrow(/non si modificano/);
    expect(() => s.prepare('DELETE FROM ledger_entries WHERE id = ?').run(e.id)).toThrow(/non si cancellano/);
    expect(accountBalance(app.database.db, acc)).toBe(500);
  });

  it('il segno è quello del tipo di movimento e la rettifica vuole un motivo', () => {
    const acc = account();
    const db = app.database.db;
    expect(() => postEntry(db, { accountId: acc, kind: 'rimborso', amountCents: 100, bookedOn: '2026-10-12', settledOn: '2026-10-12', channel: 'bonifico', createdBy: null, at })).toThrow(/CHECK/);
    expect(() => postEntry(db, { accountId: acc, kind: 'rettifica', amountCents: -100, bookedOn: '2026-10-12', reason: ' ', createdBy: null, at })).toThrow(/CHECK/);
    expect(() => postEntry(db, { accountId: acc, kind: 'rimborso', amountCents: -100, bookedOn: '2026-10-12', createdBy: null, at })).toThrow(/CHECK/);
    expect(() => postEntry(db, { accountId: acc, kind: 'rettifica', amountCents: 100, bookedOn: '12/10/2026', reason: 'motivo', createdBy: null, at })).toThrow(/CHECK/);
    expect(verifyBalances(db)).toEqual([]);
  });

  it('P3: la coppia del riporto deve annullarsi, per lo stesso alunno e servizio', () => {
    const db = app.database.db;
    const old = account();
    const next = account('mensa', base.nextYear.id);
    postEntry(db, { accountId: old, kind: 'rettifica', amountCents: 1234, bookedOn: '2027-06-30', reason: 'credito di prova', createdBy: null, at });
    const out = postEntry(db, { accountId: old, kind: 'riporto_uscita', amountCents: -1234, bookedOn: '2027-06-30', createdBy: null, at });
    expect(() => postEntry(db, { accountId: next, kind: 'riporto_entrata', amountCents: 1000, counterpartId: out.id, bookedOn: '2027-06-30', createdBy: null, at })).toThrow(/coppia/);
    expect(() => postEntry(db, { accountId: account('trasporto', base.nextYear.id), kind: 'riporto_entrata', amountCents: 1234, counterpartId: out.id, bookedOn: '2027-06-30', createdBy: null, at })).toThrow(/coppia/);
    postEntry(db, { accountId: next, kind: 'riporto_entrata', amountCents: 1234, counterpartId: out.id, bookedOn: '2027-06-30', createdBy: null, at });
    expect(accountBalance(db, old)).toBe(0);
    expect(accountBalance(db, next)).toBe(1234);
  });

  it('P7: i saldi sono per servizio', () => {
    const db = app.database.db;
    postEntry(db, { accountId: account('trasporto'), kind: 'rettifica', amountCents: 700, bookedOn: '2026-10-12', reason: 'credito trasporto', createdBy: null, at });
    postEntry(db, { accountId: account('mensa'), kind: 'rettifica', amountCents: -300, bookedOn: '2026-10-12', reason: 'debito mensa', createdBy: null, at });
    expect(pupilBalances(db, pupilId).map((b) => [b.service, b.balanceCents])).toEqual([
      ['mensa', -300],
      ['trasporto', 700],
    ]);
  });

  it('una tariffa deve nominare un servizio esistente', async () => {
    const err = await app.fail('tariffs.create', { municipalityId: base.clusone.id, service: 'piscina', validFrom: '2026-09-01', grossCents: 100, netCents: 96, vatRateBp: 400 });
    expect(err.code).toBe('VALIDATION');
    expect(err.issues[0]).toMatchObject({ path: ['service'], message: 'Servizio sconosciuto: «piscina»' });
    expect(app.database.sqlite.prepare("SELECT count(*) AS n FROM tariffs WHERE service = 'piscina'").get()).toEqual({ n: 0 });
  });
});
