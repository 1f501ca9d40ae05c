/**
 * The demo office's SDD side (issue 9): the creditor settings of the demo caterer and an active
 * mandate for every demo payer with an SDD enrollment, so the mandates page and the monthly batch
 * have something to show on first start.
 *
 * Written with the money history only: a mandate is never deleted (db/migrations/0007_sdd.sql), so
 * once written the demo office can no longer be re-created with force, as with the ledger.
 */
import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema';
import type { AppDb } from '../../db/open';
import { romeDateOf } from '../calendar/rome-time';
import { getCaterer } from '../documents/caterer';
import { buildCreditorId } from '../identifiers/creditor-id';
import { buildItalianIban } from '../identifiers/iban';
import { getCreditorSettings, saveCreditorSettings } from '../sdd/creditor';

/** The demo caterer's bank: a fictional account at ABI 03069, CBI company code from a fictional contract. */
const DEMO_CREDITOR_ACCOUNT = { abi: '03069', cab: '11101', account: '000000100100' };
export const DEMO_CUC = '1234567A';

export function seedDemoSdd(sqlite: Database.Database, nowIso: string): { mandates: number } {
  const db = drizzle(sqlite, { schema }) as unknown as AppDb;
  const caterer = getCaterer(db);
  if (caterer && !getCreditorSettings(db)) {
    // Italian CI: the 11-digit codice fiscale left-padded with five zeros (PAYMENTS.md §1)
    const nationalId = caterer.taxCode.length === 11 ? `00000${caterer.taxCode}` : caterer.taxCode;
    saveCreditorSettings(
      db,
      {
        creditorId: buildCreditorId('IT', nationalId),
        creditorIban: buildItalianIban(DEMO_CREDITOR_ACCOUNT.abi, DEMO_CREDITOR_ACCOUNT.cab, DEMO_CREDITOR_ACCOUNT.account),
        bic: '',
        cuc: DEMO_CUC,
        sequencePolicy: 'rcur',
        commissionCents: 100,
        prenotificationDays: 14,
        batchBooking: true,
      },
      { userId: null, at: new Date(nowIso) },
    );
  }
  // one statement for every payer with an SDD enrollment (100,000 pupils in well under a second):
  // the payer's account and name, signed on the first SDD enrollment's activation
  const today = romeDateOf(nowIso);
  const r = sqlite
    .prepare(
      `INSERT INTO sdd_mandates (payer_id, umr, iban, bic, holder_name, holder_tax_code, signed_on, status, notes, created_at, updated_at)
       SELECT p.id, 'RM' || printf('%06d', p.id) || '-1', p.iban, '', p.iban_holder, p.tax_code,
              min(coalesce(min(e.activated_on), @today), @today), 'attivo', 'Mandato dimostrativo', @now, @now
       FROM payers p JOIN enrollments e ON e.payer_id = p.id AND e.payment_method = 'sdd'
       WHERE p.iban IS NOT NULL AND p.iban_holder IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM sdd_mandates m WHERE m.payer_id = p.id)
       GROUP BY p.id ORDER BY p.id`,
    )
    .run({ today, now: nowIso });
  return { mandates: r.changes };
}
