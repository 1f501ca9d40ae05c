/** A valid row of every table (issue 7 tests): accepted by every CHECK constraint and foreign key. */
export const AT = '2026-10-01T06:00:00.000Z';

export type Row = Record<string, string | number | null>;

/** A valid row of every table, in foreign-key order (ids are 1). */
export const VALID: Record<string, Row> = {
  users: { username: 'mrossi', display_name: 'Mario Rossi', role: 'operatore', password_hash: 'ab', salt: 'cd', active: 1, created_at: AT, updated_at: AT },
  settings: { key: 'prova', value: '{"a":1}' },
  audit_log: { at: AT, user_id: 1, username: 'mrossi', procedure: 'x.y', entity: 'x', entity_id: '1', action: 'crea', before_json: null, after_json: '{"a":"b"}' },
  municipalities: { name: 'Clusone', province: 'BG', cutoff_time: '09:30', enrollment_opens_on: '2026-06-01', enrollment_closes_on: '2026-07-31', notes: 'riga 1\nriga 2', active: 1, created_at: AT, updated_at: AT },
  school_years: { label: '2026/2027', starts_on: '2026-09-01', ends_on: '2027-06-30', created_at: AT },
  schools: { municipality_id: 1, name: 'Primaria Clusone', kind: 'primaria', address: 'Via Roma 1', service_weekdays: '1,2,3,4,5', active: 1, created_at: AT, updated_at: AT },
  classes: { school_id: 1, school_year_id: 1, name: '3A', created_at: AT },
  tariffs: { municipality_id: 1, service: 'mensa', description: '', valid_from: '2026-09-01', valid_to: null, gross_cents: 618, net_cents: 595, vat_rate_bp: 400, created_at: AT, updated_at: AT },
  pupils: { first_name: 'Luca', last_name: 'Bianchi', birth_date: '2018-03-14', tax_code: 'BNCLCU18C14C800X', user_code: 'U1', phone_code: '1001', school_id: 1, class_id: 1, notes: '', search_text: 'bianchi luca', created_at: AT, updated_at: AT },
  payers: { first_name: 'Anna', last_name: 'Bianchi', tax_code: 'BNCNNA80A41C800X', email: 'a@b.it', mobile: '3471234567', street: 'Via Roma', street_number: '1', postcode: '24023', town: 'Clusone', province: 'BG', country: 'IT', iban: 'IT60X0542811101000000123456', iban_holder: 'Anna Bianchi', search_text: 'bianchi anna', created_at: AT, updated_at: AT },
  delegates: { payer_id: 1, first_name: 'Piero', last_name: 'Bianchi', tax_code: 'BNCPRI50A01C800X', created_at: AT },
  enrollments: { pupil_id: 1, school_year_id: 1, payer_id: 1, school_id: 1, class_id: 1, weekdays: '1,3,5', payment_method: 'sdd', status: 'attiva', starts_on: '2026-09-14', activated_on: '2026-09-14', suspended_on: null, withdrawn_on: null, withdrawal_reason: null, renewed_from_id: null, notes: '', created_at: AT, updated_at: AT },
  calendar_closures: { school_year_id: 1, scope: 'scuola', municipality_id: 1, school_id: 1, class_id: null, from_date: '2026-12-07', to_date: '2026-12-08', kind: 'chiusura', reason: 'Ponte', origin: 'manuale', created_by: 1, created_at: AT, cancelled_at: null, cancelled_by: null, cancel_reason: null },
  absences: { pupil_id: 1, kind: 'prolungata', date: '2026-10-12', reactivated_on: '2026-10-19', source: 'portale', acted_at: AT, external_id: 'p-1', status: 'attiva', override_reason: null, created_by: 1, created_at: AT, ended_at: null, ended_by: null },
  cancellation_attempts: { pupil_id: 1, action: 'disdetta', channel: 'telefono', acted_at: AT, recorded_at: AT, target_date: '2026-10-12', outcome: 'accettata', message: 'Disdetta registrata', absence_id: 1, override_reason: null, external_id: null, user_id: 1 },
  day_closures: { municipality_id: 1, date: '2026-10-12', closed_at: AT, closed_by: null, mode: 'automatica', meals: 0, plain_meals: 0 },
  meals: { pupil_id: 1, date: '2026-10-12', enrollment_id: 1, municipality_id: 1, school_id: 1, class_id: 1, plain: 0, tariff_id: 1, price_cents: 618, day_closure_id: 1 },
  meal_corrections: { pupil_id: 1, date: '2026-10-12', meal_id: 1, replaces_id: null, present: 0, plain: 0, enrollment_id: 1, municipality_id: 1, school_id: 1, class_id: 1, tariff_id: 1, price_cents: 618, reason: 'Assente', origin: 'rettifica', created_by: 1, created_at: AT },
  attendance_notices: { created_at: AT, kind: 'richiesta_dopo_chiusura', municipality_id: 1, date: '2026-10-12', message: 'Avviso', read_at: null, read_by: null },
};

