/**
 * The all-or-nothing commit of an import. It runs inside the procedure's one transaction. If the
 * database has changed since the preview checked the rows (anyone saved anything, or the day
 * turned), the rows are checked again against the database as it is now; if any row has an error
 * nothing is written. Inserts go through statements prepared once, not one ORM call per row.
 */
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { invalid, type FieldIssue } from '../contract/errors';
import { weekdaysToText } from '../contract/fields';
import { payerSearchText } from '../payers/service';
import { pupilSearchText } from '../pupils/service';
import { PUPIL_PLACE_SQL } from '../pupils/place';
import {
  checkRow,
  columnIndexes,
  loadLookups,
  newCheckState,
  summarize,
  type CheckedRow,
  type CheckState,
  type ColumnIndexes,
  type ImportSummary,
  type Lookups,
  type RowError,
  type RowPlan,
  type YearInfo,
} from './row-checks';
import type { Sheet, SheetRow } from './spreadsheet';
import type { ImportMapping } from './targets';

export interface CheckedSheet {
  rows: CheckedRow[];
  state: CheckState;
  lookups: Lookups;
  errorRows: number;
  cols: ColumnIndexes;
}

/** Checks the whole sheet in one go (the commit; the preview does the same in chunks). */
export function checkSheet(sqlite: Database.Database, today: string, sheet: Sheet, mapping: ImportMapping, defaultYearId: number | null): CheckedSheet {
  const lookups = loadLookups(sqlite, today);
  const state = newCheckState();
  const cols = columnIndexes(sheet.columns, mapping);
  const rows = sheet.rows.map((r) => checkRow(lookups, state, cols, r, defaultYearId));
  return { rows, state, lookups, errorRows: rows.filter((r) => r.errors.length > 0).length, cols };
}

/** The rows «Importa solo le righe valide» writes, their plan, and the errors the rows got only once the others were left out. */
export interface ValidRows {
  plan: ImportPlan;
  /** spreadsheet row numbers of the rows the plan writes */
  rows: number[];
  /** rows without errors among all the rows, that fail once the rejected ones are left out (e.g. a sibling whose payer's IBAN was on a rejected row) */
  late: Map<number, RowError[]>;
}

/**
 * The valid rows on their own: the rows without errors are checked again without the rejected ones
 * (a rejected row must not give its payer's data, its class or its IBAN to a row that is imported),
 * until every remaining row passes. Usually one more pass.
 */
export function settleValidRows(lookups: Lookups, cols: ColumnIndexes, sheetRows: readonly SheetRow[], checked: readonly CheckedRow[], defaultYearId: number | null): ValidRows {
  const ok = new Set(checked.filter((r) => r.errors.length === 0 && r.plan).map((r) => r.row));
  let keep = sheetRows.filter((r) => ok.has(r.row));
  const late = new Map<number, RowError[]>();
  for (;;) {
    const state = newCheckState();
    const again = keep.map((r) => checkRow(lookups, state, cols, r, defaultYearId));
    const bad = again.filter((r) => r.errors.length > 0 || !r.plan);
    if (bad.length === 0) {
      return { plan: { plans: again.map((r) => r.plan!), state, years: lookups.yearsById }, rows: again.map((r) => r.row), late };
    }
    for (const b of bad) late.set(b.row, b.errors.length ? b.errors : [{ field: 'pupil.taxCode', message: 'Riga non importabile da sola' }]);
    keep = keep.filter((r) => !late.has(r.row));
  }
}

/** How many row errors the refusal lists (the preview shows them all). */
const MAX_ISSUES = 50;

export function refusal(checked: CheckedSheet) {
  const issues: FieldIssue[] = [];
  for (const r of checked.rows) {
    for (const e of r.errors) {
      if (issues.length >= MAX_ISSUES) break;
      issues.push({ path: ['rows', r.row, e.field], message: `Riga ${r.row}: ${e.message}` });
    }
  }
  return invalid(
    issues,
    `L'importazione contiene ${checked.errorRows} ${checked.errorRows === 1 ? 'riga' : 'righe'} con errori: nessun dato è stato salvato. Correggere il file e ripetere l'anteprima`,
  );
}

/** What a clean check leaves behind: one plan per row, the payers and classes to create, the years. */
export interface ImportPlan {
  plans: RowPlan[];
  state: CheckState;
  years: Map<number, YearInfo>;
}

export function planOf(checked: CheckedSheet): ImportPlan {
  if (checked.errorRows > 0) throw refusal(checked);
  return { plans: checked.rows.map((r) => r.plan!), state: checked.state, years: checked.lookups.yearsById };
}

/**
 * Identifies the state of the database a check saw: the changes made through this connection,
 * those committed by other connections (another process on the same file), and the Rome day
 * (the enrollment start date depends on it). Equal fingerprints: the plan of the preview still holds.
 */
export function dbFingerprint(sqlite: Database.Database, today: string): string {
  const changes = sqlite.prepare('SELECT total_changes()').pluck().get() as number;
  const version = sqlite.pragma('data_version', { simple: true }) as number;
  return `${changes}|${version}|${today}`;
}

export interface CommitResult extends ImportSummary {
  ids: { pupils: number[]; payers: number[]; enrollments: number[]; classes: number[] };
}

/** Checks the sheet again against the database as it is now, then writes it (refusing any error). */
export function commitSheet(
  sqlite: Database.Database,
  nowIso: string,
  today: string,
  sheet: Sheet,
  mapping: ImportMapping,
  defaultYearId: number | null,
  random?: (max: number) => number,
): CommitResult {
  return writeImport(sqlite, nowIso, today, planOf(checkSheet(sqlite, today, sheet, mapping, defaultYearId)), random);
}

/**
 * Writes a clean plan. `random` draws the phone-cancellation codes (E5): 6 digits, unique,
 * distinct from the 8-digit badge by construction.
 */
export function writeImport(
  sqlite: Database.Database,
  nowIso: string,
  today: string,
  plan: ImportPlan,
  random: (max: number) => number = (m) => randomInt(m),
): CommitResult {
  const insertClass = sqlite.prepare('INSERT INTO classes (school_id, school_year_id, name, created_at) VALUES (?, ?, ?, ?)');
  const insertPayer = sqlite.prepare(
    `INSERT INTO payers (first_name, last_name, tax_code, email, mobile, street, street_number, postcode, town, province, country, iban, iban_holder, search_text, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const fillIban = sqlite.prepare('UPDATE payers SET iban = ?, iban_holder = ?, updated_at = ?, version = version + 1 WHERE id = ? AND iban IS NULL');
  const insertPupil = sqlite.prepare(
    `INSERT INTO pupils (first_name, last_name, birth_date, tax_code, user_code, phone_code, school_id, class_id, notes, search_text, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`,
  );
  const syncPlace = sqlite.prepare(PUPIL_PLACE_SQL);
  const insertEnrollment = sqlite.prepare(
    `INSERT INTO enrollments (pupil_id, school_year_id, payer_id, school_id, class_id, weekdays, payment_method, status, starts_on, activated_on, notes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'attiva', ?, ?, 'Importata dal sistema precedente', ?, ?)`,
  );

  // rows share their weekday arrays (read once per distinct value): format each array once
  const weekdayTexts = new Map<readonly number[], string>();
  const weekdaysText = (w: readonly number[]) => {
    let t = weekdayTexts.get(w);
    if (t === undefined) weekdayTexts.set(w, (t = weekdaysToText([...w])));
    return t;
  };

  const ids: CommitResult['ids'] = { pupils: [], payers: [], enrollments: [], classes: [] };
  const classIds = new Map<string, number>();
  for (const [key, c] of plan.state.newClasses) {
    const id = Number(insertClass.run(c.schoolId, c.schoolYearId, c.name, nowIso).lastInsertRowid);
    classIds.set(key, id);
    ids.classes.push(id);
  }

  const payerIds = new Map<string, number>();
  for (const [cf, { data: p, fillsIban }] of plan.state.payers) {
    if (fillsIban) continue; // an existing payer: only its missing IBAN is filled, below
    const id = Number(
      insertPayer.run(
        p.firstName, p.lastName, p.taxCode, p.email, p.mobile, p.street, p.streetNumber, p.postcode, p.town, p.province, p.country, p.iban, p.ibanHolder,
        payerSearchText(p), nowIso, nowIso,
      ).lastInsertRowid,
    );
    payerIds.set(cf, id);
    ids.payers.push(id);
  }

  // E5: badges continue the office's sequence; phone codes are random and unique
  const maxBadge = sqlite.prepare('SELECT max(user_code) FROM pupils').pluck().get() as string | null;
  let nextBadge = maxBadge ? Number(maxBadge) + 1 : 10_000_001;
  const phoneCodes = new Set(sqlite.prepare('SELECT phone_code FROM pupils').pluck().all() as string[]);
  const newPhoneCode = () => {
    for (let i = 0; i < 10_000; i++) {
      const code = String(100_000 + random(900_000));
      if (!phoneCodes.has(code)) {
        phoneCodes.add(code);
        return code;
      }
    }
    throw new Error('Impossibile generare un codice disdetta univoco');
  };

  for (const p of plan.plans) {
    const classId = p.classRef === null ? null : 'id' in p.classRef ? p.classRef.id : classIds.get(p.classRef.newKey)!;
    const payerId = p.payerExistingId ?? payerIds.get(p.payerTaxCode)!;
    if (p.fillIban) fillIban.run(p.fillIban.iban, p.fillIban.ibanHolder, nowIso, payerId);
    let pupilId: number;
    if ('existingId' in p.pupil) pupilId = p.pupil.existingId;
    else {
      const d = p.pupil.data;
      const userCode = String(nextBadge++).padStart(8, '0');
      pupilId = Number(
        insertPupil.run(
          d.firstName, d.lastName, d.birthDate, d.taxCode, userCode, newPhoneCode(), d.schoolId, classId,
          pupilSearchText({ lastName: d.lastName, firstName: d.firstName, taxCode: d.taxCode, userCode }), nowIso, nowIso,
        )
          .lastInsertRowid,
      );
      ids.pupils.push(pupilId);
    }
    if (p.skipEnrollment) continue;
    const year = plan.years.get(p.schoolYearId)!;
    // as for an enrollment made by hand: from today when the year is under way, else from its first day
    const startsOn = today > year.startsOn && today <= year.endsOn ? today : year.startsOn;
    const id = Number(
      insertEnrollment.run(pupilId, p.schoolYearId, payerId, p.schoolId, classId, weekdaysText(p.weekdays), p.paymentMethod, startsOn, today, nowIso, nowIso)
        .lastInsertRowid,
    );
    ids.enrollments.push(id);
    // an existing pupil enrolled at another school: its school and class follow the enrollment
    if ('existingId' in p.pupil) syncPlace.run({ pupilId });
  }
  return { ...summarize(plan.plans, plan.state), ids };
}

/** [1,2,3,7,8] → "1-3,7-8": the audit record lists every id without growing with a 10,000-row file. */
export function idRanges(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    parts.push(start === sorted[i] ? String(start) : `${start}-${sorted[i]}`);
  }
  return parts.join(',');
}
