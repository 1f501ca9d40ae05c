/**
 * The demo office's money history (issue 6): after `demo.seed` every money screen has something to
 * show, through the same procedures the screens call, and the history obeys the ledger's rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';

let app: TestApp;
const TODAY = '2027-01-15';
beforeEach(async () => {
  app = await createTestApp(`${TODAY}T08:00:00Z`);
});
afterEach(() => app.close());

const n = (sql: string) => app.database.sqlite.prepare(sql).pluck().get() as number;

describe('ufficio dimostrativo: storia dei pagamenti', () => {
  it('chiude gli ultimi giorni di scuola, addebita ogni pasto alla sua tariffa (T1), registra ricariche e pagamenti e lascia qualche debito (P1)', async () => {
    const r = await app.call('demo.seed', { pupils: 300, seed: 7 });
    expect(r.money).not.toBeNull();
    expect(r.money!.closedDays).toBe(20);
    expect(r.money!.meals).toBeGreaterThan(1000);
    // every recorded meal with a price is charged exactly once, at that price
    expect(n("SELECT count(*) FROM ledger_entries WHERE kind = 'addebito_pasto'")).toBe(n('SELECT count(*) FROM meals WHERE price_cents IS NOT NULL'));
    expect(n("SELECT -sum(amount_cents) FROM ledger_entries WHERE kind = 'addebito_pasto'")).toBe(n('SELECT sum(price_cents) FROM meals'));
    expect(n("SELECT count(*) FROM ledger_entries WHERE kind = 'addebito_pasto' AND gross_cents = 618 AND net_cents = 595 AND vat_cents = 23")).toBeGreaterThan(0);

    const totals = await app.call('ledger.totals', {}, 'operatore');
    const mensa = totals.find((t) => t.service === 'mensa')!;
    expect(mensa.creditCents).toBeGreaterThan(0);
    expect(mensa.debtCents).toBeGreaterThan(0);
    expect(totals.find((t) => t.service === 'trasporto')!.creditCents).toBeGreaterThan(0);

    const low = await app.call('ledger.lowBalances', {}, 'operatore');
    expect(low.rows.length).toBeGreaterThan(0);
    expect(low.rows.every((x) => x.balanceCents < 0 && x.debt)).toBe(true);

    const register = await app.call('ledger.register', { from: '2026-08-01', to: TODAY }, 'operatore');
    expect(new Set(register.rows.map((x) => x.channel))).toEqual(new Set(['pagopa', 'bonifico', 'contanti']));
    expect(register.amountCents).toBe(n("SELECT sum(amount_cents) FROM ledger_entries WHERE kind IN ('ricarica', 'pagamento')"));

    // a pupil in credit has movements with a running balance that ends at the balance
    const rich = (await app.call('pupils.list', { balance: 'credito', limit: 1 }, 'operatore')).rows[0];
    const m = await app.call('ledger.movements', { pupilId: rich.id, service: 'mensa' }, 'operatore');
    expect(m.entries.length).toBeGreaterThan(1);
    expect(m.entries[m.entries.length - 1].balanceAfterCents).toBe(rich.balanceCents);

    // a refund and an adjustment with its reason are in the history; the ledger is consistent
    expect(n("SELECT count(*) FROM ledger_entries WHERE kind = 'rimborso'")).toBe(1);
    expect(n("SELECT count(*) FROM ledger_entries WHERE kind = 'rettifica' AND length(reason) > 10")).toBe(1);
    expect((await app.call('ledger.verify', {}, 'supervisore')).mismatches).toEqual([]);
    // IUVs are valid and unique
    expect(n('SELECT count(DISTINCT iuv) FROM payments WHERE iuv IS NOT NULL')).toBe(n("SELECT count(*) FROM payments WHERE channel = 'pagopa'"));
  });

  it('lo stesso seme dà la stessa storia; un ufficio con pagamenti non si ricrea con force (il libro contabile non si cancella)', async () => {
    await app.call('demo.seed', { pupils: 60, seed: 3 });
    const balances = app.database.sqlite.prepare('SELECT pupil_id, service, balance_cents FROM ledger_accounts ORDER BY pupil_id, service').all();
    const err = await app.fail('demo.seed', { pupils: 60, seed: 3, force: true });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/collegati ad altri dati/);
    const other = await createTestApp(`${TODAY}T08:00:00Z`);
    try {
      await other.call('demo.seed', { pupils: 60, seed: 3 });
      expect(other.database.sqlite.prepare('SELECT pupil_id, service, balance_cents FROM ledger_accounts ORDER BY pupil_id, service').all()).toEqual(balances);
    } finally {
      other.close();
    }
  });
});

describe('ufficio dimostrativo: documenti', () => {
  it('F1: la ditta dimostrativa è inserita, così il controllo del 730 non la segnala e gli estratti conto hanno un intestatario', async () => {
    await app.call('demo.seed', { pupils: 60, seed: 3 });
    const caterer = await app.call('caterer.get', {}, 'operatore');
    expect(caterer.configured).toBe(true);
    const check = await app.call('tax730.check', { year: 2026 }, 'operatore');
    expect(check.issues.filter((i) => i.kind === 'ditta')).toEqual([]);
    expect(check.pairs).toBeGreaterThan(0);
  });
});
