/**
 * Fixtures for the debts tests: the attendance master data (Clusone, 6,18 € a meal) plus families
 * (a payer of their own) with pupils enrolled through the contract, prepaid or SDD. Money is moved
 * with the ledger's own service functions, never with raw SQL.
 */
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { accountFor, postEntry, schoolYearOf } from '../../../electron/ledger/entries';
import { registerManualPayment } from '../../../electron/ledger/payments';
import type { TestApp } from '../../support/backend';
import { seedAttendance, type Base } from '../attendance/fixtures';

export { seedAttendance, type Base };

const NAMES = ['Verdi', 'Neri', 'Gialli', 'Russo', 'Fontana', 'Serra', 'Longo', 'Leone', 'Martini', 'Vitale', 'Orlando', 'Farina'];
const FIRST = ['Alba', 'Bruno', 'Carla', 'Dario', 'Ester', 'Fabio', 'Gaia', 'Ivo', 'Lara', 'Nico', 'Olga', 'Rino'];
let n = 0;

export interface Family {
  payerId: number;
  payerName: string;
  pupilIds: number[];
}

/** A payer with `pupils` children enrolled in Clusone's primary school for 2026/2027. */
export async function addFamily(app: TestApp, base: Base, o: { paymentMethod?: 'prepagato' | 'sdd'; pupils?: number; schoolId?: number } = {}): Promise<Family> {
  const k = n++;
  const lastName = `${NAMES[k % NAMES.length]}${'i'.repeat(Math.floor(k / NAMES.length))}`;
  const firstName = FIRST[k % FIRST.length];
  const taxCode = buildCodiceFiscale({ lastName, firstName, birthDate: `1980-0${(k % 9) + 1}-1${k % 9}`, sex: 'M', belfiore: 'C800' });
  const payer = await app.call(
    'payers.create',
    { firstName, lastName, taxCode, email: `fam${k}@example.it`, mobile: '347 123 4567', street: 'Via Garibaldi', streetNumber: String(k + 1), postcode: '24023', town: 'Clusone', province: 'BG', iban: 'IT60X0542811101000000123456', ibanHolder: `${firstName} ${lastName}` },
    'operatore',
  );
  const pupilIds: number[] = [];
  for (let i = 0; i < (o.pupils ?? 1); i++) {
    const childFirst = FIRST[(k + i + 3) % FIRST.length];
    const birthDate = `2017-0${(i % 9) + 1}-2${k % 9}`;
    const schoolId = o.schoolId ?? base.school.id;
    const pupil = await app.call(
      'pupils.create',
      { firstName: childFirst, lastName, birthDate, taxCode: buildCodiceFiscale({ lastName, firstName: childFirst, birthDate, sex: 'F', belfiore: 'C800' }), schoolId, classId: schoolId === base.school.id ? base.cls.id : null },
      'operatore',
    );
    await app.call(
      'enrollments.create',
      {
        pupilId: pupil.id,
        schoolYearId: base.year.id,
        payerId: payer.id,
        schoolId,
        classId: schoolId === base.school.id ? base.cls.id : null,
        weekdays: schoolId === base.school.id ? [1, 2, 3, 4, 5] : [1, 3],
        paymentMethod: o.paymentMethod ?? 'prepagato',
        startsOn: '2026-09-14',
        activate: true,
      },
      'operatore',
    );
    pupilIds.push(pupil.id);
  }
  return { payerId: payer.id, payerName: `${lastName} ${firstName}`, pupilIds };
}

const AT = new Date('2026-09-01T08:00:00Z');

/** A charge on the pupil's mensa account booked on `bookedOn` (a supervisor adjustment: a plain debit with a date). */
export function charge(app: TestApp, pupilId: number, cents: number, bookedOn: string, service = 'mensa') {
  const db = app.database.db;
  const accountId = accountFor(db, { pupilId, service, schoolYearId: schoolYearOf(db, bookedOn).id }, AT);
  return postEntry(db, { accountId, kind: 'rettifica', amountCents: -cents, bookedOn, reason: 'addebito di prova', createdBy: null, at: AT });
}

/** A manual payment (bank transfer) paid on `paidOn`, recorded at `at`. */
export function pay(app: TestApp, pupilId: number, cents: number, paidOn: string, at = new Date(`${paidOn}T12:00:00Z`)) {
  return registerManualPayment(app.database.db, { pupilId, service: 'mensa', channel: 'bonifico', amountCents: cents, paidOn, reference: 'CRO prova' }, { userId: null, at });
}

/** A tiny valid PDF (the evidence of a delivery in tests). */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

/**
 * A pool of included SDD debits per pupil (one draft batch per month from 2001-01), so that tests
 * can post collections and returns (`incasso_sdd`, `insoluto`) that name a real debit of the pupil,
 * as the database requires. Drafts are never approved: no month is billed by them.
 */
let poolMonths = 0;

export function sddDebitPool(app: TestApp, payerId: number, pupilIds: number[], perPupil: number): number[][] {
  const s = app.database.sqlite;
  const now = '2026-09-01T08:00:00.000Z';
  const mandate = s
    .prepare(
      `INSERT INTO sdd_mandates (payer_id, umr, iban, holder_name, holder_tax_code, signed_on, status, created_at, updated_at)
       VALUES (?, ?, 'IT60X0542811101000000123456', 'Titolare Prova', 'RSSMRA85T10A562S', '2026-01-10', 'attivo', ?, ?) RETURNING id`,
    )
    .get(payerId, `UMR-PROVA-${payerId}`, now, now) as { id: number };
  const out: number[][] = pupilIds.map(() => []);
  for (let k = 0; k < perPupil; k++) {
    const m = poolMonths++;
    const month = `${2001 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
    const batch = s
      .prepare(`INSERT INTO sdd_batches (service, month, due_date, status, prepared_at, created_at) VALUES ('mensa', ?, ?, 'bozza', ?, ?) RETURNING id`)
      .get(month, `${Number(month.slice(0, 4)) + 1}-01-31`, now, now) as { id: number };
    pupilIds.forEach((pupilId, i) => {
      const d = s
        .prepare(
          `INSERT INTO sdd_debits (batch_id, pupil_id, payer_id, mandate_id, umr, iban, holder_name, mandate_signed_on, sequence_type, meal_count, meals_cents,
             commission_cents, amount_cents, included, end_to_end_id, remittance, created_at)
           VALUES (?, ?, ?, ?, ?, 'IT60X0542811101000000123456', 'Titolare Prova', '2026-01-10', 'RCUR', 1, 100, 0, 100, 1, ?, 'prova', ?) RETURNING id`,
        )
        .get(batch.id, pupilId, payerId, mandate.id, `UMR-PROVA-${payerId}`, `E2E-${batch.id}-${pupilId}`, now) as { id: number };
      out[i].push(d.id);
    });
  }
  return out;
}
