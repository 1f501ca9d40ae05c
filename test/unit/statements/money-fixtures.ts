/**
 * Money fixtures for the statement and 730 tests: meals come from real day closes (contract), and
 * every ledger entry is written through the ledger's own service functions (accountFor,
 * postEntry, schoolYearOf), never with raw SQL. A meal the close did not charge yet is charged here
 * at the price snapshotted on the meal, with the tariff's net and VAT as entered (T1).
 */
import { eq } from 'drizzle-orm';
import { meals, tariffs, type PaymentChannel } from '../../../db/schema';
import { registerManualPayment, registerPagopaReceipt, registerRefund } from '../../../electron/ledger/payments';
import { accountFor, postEntry, schoolYearOf, type LedgerEntryRow } from '../../../electron/ledger/entries';
import { romeMoment } from '../../../electron/calendar/rome-time';
import type { TestApp } from '../../support/backend';

const at = new Date('2026-10-12T08:00:00Z');

export function account(app: TestApp, pupilId: number, service: string, date: string): number {
  const db = app.database.db;
  return accountFor(db, { pupilId, service, schoolYearId: schoolYearOf(db, date).id }, at);
}

/** Closes each day through the contract, standing at 11:00 Rome on that day (after every cutoff). */
export async function closeDays(app: TestApp, dates: string[]): Promise<void> {
  for (const d of dates) {
    await app.travel(romeMoment(d, '11:00').toISOString());
    await app.call('attendance.closeDay', { date: d }, 'operatore');
  }
}

/** Charges the pupil's recorded meals that carry no charge yet; returns the charge entries. */
export function chargeMeals(app: TestApp, pupilId: number): LedgerEntryRow[] {
  const db = app.database.db;
  const charged = new Set(
    (app.database.sqlite.prepare("SELECT meal_id AS m FROM ledger_entries WHERE kind = 'addebito_pasto' AND meal_id IS NOT NULL").all() as { m: number }[]).map((r) => r.m),
  );
  const out: LedgerEntryRow[] = [];
  for (const m of db.select().from(meals).where(eq(meals.pupilId, pupilId)).all()) {
    if (charged.has(m.id) || m.priceCents === null || m.tariffId === null) continue;
    const t = db.select().from(tariffs).where(eq(tariffs.id, m.tariffId)).get()!;
    out.push(
      postEntry(db, {
        accountId: account(app, pupilId, 'mensa', m.date),
        kind: 'addebito_pasto',
        amountCents: -m.priceCents,
        bookedOn: m.date,
        mealId: m.id,
        serviceDate: m.date,
        tariffId: t.id,
        grossCents: m.priceCents,
        netCents: t.netCents,
        vatCents: m.priceCents - t.netCents,
        vatRateBp: t.vatRateBp,
        createdBy: null,
        at,
      }),
    );
  }
  return out;
}

export function mealCharges(app: TestApp, pupilId: number): LedgerEntryRow[] {
  return app.database.sqlite
    .prepare("SELECT e.id, e.meal_id AS mealId, e.service_date AS serviceDate, e.gross_cents AS grossCents, e.net_cents AS netCents, e.vat_cents AS vatCents, e.vat_rate_bp AS vatRateBp, e.account_id AS accountId, e.amount_cents AS amountCents FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id WHERE a.pupil_id = ? AND e.kind = 'addebito_pasto' ORDER BY e.service_date")
    .all(pupilId) as LedgerEntryRow[];
}

/** The reversal of a meal charge (presence corrected to absent after the close). */
export function reverseMeal(app: TestApp, charge: LedgerEntryRow, bookedOn: string): LedgerEntryRow {
  return postEntry(app.database.db, {
    accountId: charge.accountId,
    kind: 'storno_pasto',
    amountCents: charge.grossCents!,
    bookedOn,
    mealId: charge.mealId,
    reversalOf: charge.id,
    serviceDate: charge.serviceDate,
    grossCents: charge.grossCents,
    netCents: charge.netCents,
    vatCents: charge.vatCents,
    vatRateBp: charge.vatRateBp,
    reason: 'presenza rettificata',
    createdBy: null,
    at,
  });
}

let noticeSeq = 1;

/** A valid numero avviso (aux digit 3, segregation code 12, mod-93 check: PAYMENTS.md §3). */
function noticeNumber(): string {
  const base = `2026${String(noticeSeq++).padStart(9, '0')}`;
  const check = String(Number(BigInt(`312${base}`) % 93n)).padStart(2, '0');
  return `312${base}${check}`;
}

/**
 * A receipt (pagoPA top-up or manual payment) with its ledger entry, through the ledger's own
 * services. A null payer means "none given": the ledger then takes the enrollment's payer, if any.
 */
export function pay(
  app: TestApp,
  p: { pupilId: number; payerId: number | null; amountCents: number; paidOn: string; channel: PaymentChannel; service?: string },
): LedgerEntryRow {
  const db = app.database.db;
  const service = p.service ?? 'mensa';
  // recorded on the evening of the payment (a receipt or payment in the future is refused)
  const actor = { userId: null, at: romeMoment(p.paidOn, '20:00') };
  if (p.channel === 'pagopa') {
    return registerPagopaReceipt(db, { pupilId: p.pupilId, service, noticeNumber: noticeNumber(), amountCents: p.amountCents, paidAt: romeMoment(p.paidOn, '10:00').toISOString(), payerId: p.payerId }, actor).entry;
  }
  if (p.channel === 'sdd') throw new Error('gli incassi SDD passano da sddDebit()');
  return registerManualPayment(db, { pupilId: p.pupilId, service, channel: p.channel, amountCents: p.amountCents, paidOn: p.paidOn, payerId: p.payerId, reference: `RIF-${noticeSeq++}` }, actor).entry;
}

let debitSeq = 1;

/**
 * A real SDD debit row for the ledger entries to name (the database refuses an SDD entry without
 * one): the payer's mandate (created once), and a one-debit batch of the month before the
 * settlement, approved and sent. The batch flow itself is tested in test/unit/sdd/.
 */
function sddDebitRow(app: TestApp, p: { pupilId: number; payerId: number; amountCents: number; settledOn: string; commissionCents: number }): { id: number; endToEnd: string } {
  const raw = app.database.sqlite;
  const stamp = at.toISOString();
  let mandate = raw.prepare("SELECT id FROM sdd_mandates WHERE payer_id = ? AND status = 'attivo'").get(p.payerId) as { id: number } | undefined;
  if (!mandate) {
    const taxCode = (raw.prepare('SELECT tax_code AS t FROM payers WHERE id = ?').get(p.payerId) as { t: string }).t;
    mandate = raw
      .prepare(
        "INSERT INTO sdd_mandates (payer_id, umr, iban, holder_name, holder_tax_code, signed_on, status, created_at, updated_at) VALUES (?, ?, 'IT60X0542811101000000123456', 'Titolare di prova', ?, '2025-09-01', 'attivo', ?, ?) RETURNING id",
      )
      .get(p.payerId, `FIXTURE-${p.payerId}`, taxCode, stamp, stamp) as { id: number };
  }
  const seq = debitSeq++;
  const settled = p.settledOn;
  const [y, m] = settled.split('-').map(Number);
  const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const batch = raw
    .prepare("INSERT INTO sdd_batches (service, month, due_date, status, prepared_at, created_at) VALUES ('mensa', ?, ?, 'bozza', ?, ?) RETURNING id")
    .get(month, settled, stamp, stamp) as { id: number };
  const endToEnd = `E2E-${seq}`;
  const debit = raw
    .prepare(
      `INSERT INTO sdd_debits (batch_id, pupil_id, payer_id, mandate_id, umr, iban, holder_name, mandate_signed_on, sequence_type,
         meal_count, meals_cents, commission_cents, amount_cents, included, end_to_end_id, remittance, created_at)
       VALUES (?, ?, ?, ?, 'FIXTURE', 'IT60X0542811101000000123456', 'Titolare di prova', '2025-09-01', 'RCUR', 1, ?, ?, ?, 1, ?, 'Mensa', ?) RETURNING id`,
    )
    .get(batch.id, p.pupilId, p.payerId, mandate.id, p.amountCents - p.commissionCents, p.commissionCents, p.amountCents, endToEnd, stamp) as { id: number };
  raw.prepare("UPDATE sdd_batches SET status = 'approvato', approved_at = ?, msg_id = ?, prenotified_on = ?, debit_count = 1, total_cents = ? WHERE id = ?").run(stamp, `FIXTURE-B${batch.id}`, settled, p.amountCents, batch.id);
  raw.prepare("UPDATE sdd_batches SET status = 'esportato' WHERE id = ?").run(batch.id);
  return { id: debit.id, endToEnd };
}

/** An SDD debit collected on its settlement date, with its bank commission (P4) booked beside it. */
export function sddDebit(app: TestApp, p: { pupilId: number; payerId: number; amountCents: number; settledOn: string; commissionCents?: number }) {
  const db = app.database.db;
  const accountId = account(app, p.pupilId, 'mensa', p.settledOn);
  const row = sddDebitRow(app, { ...p, commissionCents: p.commissionCents ?? 100 });
  const sddDebitId = row.id;
  const endToEnd = row.endToEnd;
  const commission =
    p.commissionCents === 0
      ? null
      : postEntry(db, { accountId, kind: 'commissione_sdd', amountCents: -(p.commissionCents ?? 100), bookedOn: p.settledOn, payerId: p.payerId, sddDebitId, externalRef: endToEnd, createdBy: null, at });
  const collected = postEntry(db, {
    accountId,
    kind: 'incasso_sdd',
    amountCents: p.amountCents,
    bookedOn: p.settledOn,
    settledOn: p.settledOn,
    channel: 'sdd',
    payerId: p.payerId,
    sddDebitId,
    externalRef: endToEnd,
    createdBy: null,
    at,
  });
  return { collected, commission, sddDebitId, endToEnd, accountId };
}

/** The bank returns an SDD debit unpaid (insoluto, e.g. AM04). */
export function sddReturn(app: TestApp, debit: ReturnType<typeof sddDebit>, returnedOn: string, reasonCode = 'AM04'): LedgerEntryRow {
  return postEntry(app.database.db, {
    accountId: debit.accountId,
    kind: 'insoluto',
    amountCents: -debit.collected.amountCents,
    bookedOn: returnedOn,
    settledOn: returnedOn,
    channel: 'sdd',
    payerId: debit.collected.payerId,
    sddDebitId: debit.sddDebitId,
    externalRef: debit.endToEnd,
    reasonCode,
    createdBy: null,
    at,
  });
}

export function refund(app: TestApp, p: { pupilId: number; payerId: number | null; amountCents: number; settledOn: string; channel?: 'bonifico' | 'contanti' | 'assegno' }): LedgerEntryRow {
  return registerRefund(
    app.database.db,
    { pupilId: p.pupilId, service: 'mensa', amountCents: p.amountCents, channel: p.channel ?? 'bonifico', paidOn: p.settledOn, payerId: p.payerId, reason: 'credito residuo restituito' },
    { userId: null, at: romeMoment(p.settledOn, '20:00') },
  );
}
