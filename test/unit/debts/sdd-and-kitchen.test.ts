/**
 * Debt positions of real meals (day closes through the contract): an SDD family's meals are not a
 * debt before their month is due (the batch's due date, or the end of the month after when no
 * batch debits it), a prepaid family's are at once; and D3: what the kitchen sees carries no debt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../support/backend';
import { procedures } from '../../../electron/contract/registry';
import { pupilPositions } from '../../../electron/debts/positions';
import { closeDays } from '../statements/money-fixtures';
import { addFamily, seedAttendance, type Base, type Family } from './fixtures';

let app: TestApp;
let base: Base;
let prepaid: Family;
let sdd: Family;
const DAYS = ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16'];

beforeAll(async () => {
  app = await createTestApp('2026-10-09T08:00:00Z');
  base = await seedAttendance(app);
  prepaid = await addFamily(app, base, { paymentMethod: 'prepagato' });
  sdd = await addFamily(app, base, { paymentMethod: 'sdd' });
  await closeDays(app, DAYS);
}, 60_000);
afterAll(() => app.close());

const owedOf = (family: Family, today: string) => pupilPositions(app.database.db, today, { payerId: family.payerId }).find((p) => p.service === 'mensa')!;

describe('pasti SDD non ancora scaduti e posizioni dei pasti veri', () => {
  it("i pasti di ottobre di una famiglia SDD non sono un debito fino alla fine di novembre; quelli di una famiglia prepagata sì, da subito", () => {
    expect(owedOf(prepaid, '2026-10-20')).toMatchObject({ balanceCents: -3090, owedCents: 3090, meals: 5, oldestUnpaidOn: '2026-10-12', ageDays: 8 });
    expect(owedOf(sdd, '2026-10-20')).toMatchObject({ balanceCents: -3090, notYetDueCents: -3090, owedCents: 0, oldestUnpaidOn: null });
    expect(owedOf(sdd, '2026-11-30')).toMatchObject({ owedCents: 0 });
    expect(owedOf(sdd, '2026-12-01')).toMatchObject({ notYetDueCents: 0, owedCents: 3090, meals: 5, oldestUnpaidOn: '2026-10-12', ageDays: 50 });
  });

  it('un mese addebitato in una distinta approvata è dovuto solo dopo la scadenza di quella distinta', () => {
    const s = app.database.sqlite;
    const now = '2026-11-02T08:00:00.000Z';
    const mandate = s
      .prepare(
        `INSERT INTO sdd_mandates (payer_id, umr, iban, holder_name, holder_tax_code, signed_on, status, created_at, updated_at)
         VALUES (?, 'UMR-SCAD-1', 'IT60X0542811101000000123456', 'Titolare', 'RSSMRA85T10A562S', '2026-09-01', 'attivo', ?, ?) RETURNING id`,
      )
      .get(sdd.payerId, now, now) as { id: number };
    const batch = s.prepare(`INSERT INTO sdd_batches (service, month, due_date, status, prepared_at, created_at) VALUES ('mensa', '2026-10', '2026-12-31', 'bozza', ?, ?) RETURNING id`).get(now, now) as { id: number };
    const debit = s
      .prepare(
        `INSERT INTO sdd_debits (batch_id, pupil_id, payer_id, mandate_id, umr, iban, holder_name, mandate_signed_on, sequence_type, meal_count, meals_cents, commission_cents, amount_cents, included, end_to_end_id, remittance, created_at)
         VALUES (?, ?, ?, ?, 'UMR-SCAD-1', 'IT60X0542811101000000123456', 'Titolare', '2026-09-01', 'RCUR', 5, 3090, 100, 3190, 1, 'MENSA-202610-B1-A1', 'Mensa ottobre', ?) RETURNING id`,
      )
      .get(batch.id, sdd.pupilIds[0], sdd.payerId, mandate.id, now) as { id: number };
    s.prepare(`UPDATE sdd_batches SET status = 'approvato', approved_at = ?, msg_id = 'MSG-SCAD-1', prenotified_on = '2026-11-02' WHERE id = ?`).run(now, batch.id);
    s.prepare(`INSERT INTO sdd_billed_months (pupil_id, service, month, debit_id) VALUES (?, 'mensa', '2026-10', ?)`).run(sdd.pupilIds[0], debit.id);
    expect(owedOf(sdd, '2026-12-01')).toMatchObject({ notYetDueCents: -3090, owedCents: 0 });
    expect(owedOf(sdd, '2026-12-31')).toMatchObject({ owedCents: 0 });
    expect(owedOf(sdd, '2027-01-01')).toMatchObject({ owedCents: 3090, oldestUnpaidOn: '2026-10-12' });
  });

  it('D3: il riepilogo della cucina di un giorno con alunni a debito e un sollecito registrato non porta alcun dato di debito', async () => {
    await app.travel('2026-12-01T08:00:00Z');
    await app.call('debts.steps.record', { stepPosition: 1, families: [{ payerId: prepaid.payerId, municipalityId: base.clusone.id }] }, 'operatore');
    const report = await app.call('kitchen.report', { date: '2026-10-12' }, 'operatore');
    expect(report.meals).toBe(2); // both pupils are on the list, as meals, with nothing else about them
    const keys: string[] = [];
    const values: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          keys.push(k);
          walk(x);
        }
      } else values.push(String(v));
    };
    walk(report);
    expect(keys.filter((k) => /debt|debit|owed|balance|saldo|morosi|insolut|sollecit|diffid|step|plan|exempt|esenz/i.test(k))).toEqual([]);
    expect(values.filter((v) => /sollecito|diffida|debito|morosit|30,90|3090/i.test(v))).toEqual([]);
  });

  it('D3: le procedure dei debiti sono solo per l\'ufficio (mai pubbliche) e nessuna procedura della cucina è nell\'area dei debiti', () => {
    const debts = procedures.filter((p) => p.name.startsWith('debts.'));
    expect(debts.length).toBeGreaterThan(10);
    expect(debts.filter((p) => p.role === 'pubblico')).toEqual([]);
    const kitchen = procedures.filter((x) => x.name.startsWith('kitchen.'));
    expect(kitchen.length).toBeGreaterThan(0);
    for (const p of kitchen) {
      const schema = JSON.stringify(z.toJSONSchema(p.output, { unrepresentable: 'any' }));
      expect(schema).toContain('"properties"');
      expect(schema).not.toMatch(/debt|owed|saldo|balance|moros|insolut/i);
    }
  });
});
