/**
 * Checks every row of an import against the rules (E3, E4, P5, the codice fiscale and IBAN
 * validators) and against what the office already has (schools, classes, school years, pupils and
 * payers by codice fiscale), and turns each good row into a plan of what to insert.
 *
 * The same checks run twice: in the preview job, in chunks, and again inside the commit transaction,
 * so that a pupil registered by a colleague between preview and commit cannot slip through.
 */
import type Database from 'better-sqlite3';
import { birthDateMismatch, decodeCodiceFiscale, validateCodiceFiscale } from '../identifiers/codice-fiscale';
import type { PayerInput } from '../payers/service';
import { validateIban } from '../identifiers/iban';
import type { IdentifierResult } from '../identifiers/shared';
import { weekdaysFromText } from '../contract/fields';
import { IMPORT_TARGETS, nameKey, type ImportMapping, type TargetField } from './targets';
import { EXAMPLE_PUPIL_TAX_CODE, EXAMPLE_ROW_MESSAGE } from './example-row';
import type { SheetRow } from './spreadsheet';
import {
  type Read,
  EMAIL_RE,
  readClassName,
  readDate,
  readMobile,
  readPaymentMethod,
  readPostcode,
  readSchoolYear,
  readWeekdays,
  splitStreet,
  weekdayNames,
} from './values';

export interface RowError {
  field: string;
  message: string;
}

/** A payer as the import reads it: the same fields as the payer form (payers/service.ts). */
export type PayerData = PayerInput;

export interface PupilData {
  firstName: string;
  lastName: string;
  birthDate: string;
  taxCode: string;
  schoolId: number;
}

export interface RowPlan {
  pupil: { existingId: number } | { data: PupilData };
  payerTaxCode: string;
  payerExistingId: number | null;
  /** an existing payer without an IBAN gets the one in the file (set on the first row that has it) */
  fillIban: { iban: string; ibanHolder: string } | null;
  schoolId: number;
  schoolYearId: number;
  /** an existing class, a class this import creates (key into `newClasses`), or none */
  classRef: { id: number } | { newKey: string } | null;
  weekdays: number[];
  paymentMethod: 'prepagato' | 'sdd';
  /** the pupil is already enrolled for the year: nothing to insert for this row but the pupil/payer */
  skipEnrollment: boolean;
}

export interface CheckedRow {
  row: number;
  /** every field, '' where no column fills it */
  values: RowValues;
  errors: RowError[];
  warnings: string[];
  plan: RowPlan | null;
}

interface SchoolInfo {
  id: number;
  name: string;
  key: string;
  municipalityId: number;
  municipalityName: string;
  serviceWeekdays: number[];
}

export interface YearInfo {
  id: number;
  label: string;
  startsOn: string;
  endsOn: string;
}

interface ExistingPupil {
  id: number;
  firstName: string;
  lastName: string;
  birthDate: string;
  schoolId: number;
  userCode: string;
}

interface ExistingPayer extends PayerData {
  id: number;
}

/** What the office already has, read once per check run (statements prepared once). */
export interface Lookups {
  today: string;
  yearsByLabel: Map<string, YearInfo>;
  yearsById: Map<number, YearInfo>;
  municipalitiesByKey: Map<string, { id: number; name: string }>;
  schoolsByKey: Map<string, SchoolInfo[]>;
  classes: Map<string, { id: number; name: string }>;
  pupilByTaxCode(cf: string): ExistingPupil | undefined;
  payerByTaxCode(cf: string): ExistingPayer | undefined;
  enrolled(pupilId: number, yearId: number): boolean;
}

export const classKey = (schoolId: number, yearId: number, name: string) => `${schoolId}|${yearId}|${nameKey(name)}`;

export function loadLookups(sqlite: Database.Database, today: string): Lookups {
  const years = sqlite.prepare('SELECT id, label, starts_on AS startsOn, ends_on AS endsOn FROM school_years').all() as YearInfo[];
  const munis = sqlite.prepare('SELECT id, name FROM municipalities').all() as { id: number; name: string }[];
  const schoolRows = sqlite
    .prepare(
      `SELECT s.id, s.name, s.municipality_id AS municipalityId, m.name AS municipalityName, s.service_weekdays AS serviceWeekdays
       FROM schools s JOIN municipalities m ON m.id = s.municipality_id`,
    )
    .all() as (Omit<SchoolInfo, 'key' | 'serviceWeekdays'> & { serviceWeekdays: string })[];
  const schoolsByKey = new Map<string, SchoolInfo[]>();
  for (const s of schoolRows) {
    const info: SchoolInfo = { ...s, key: nameKey(s.name), serviceWeekdays: weekdaysFromText(s.serviceWeekdays) };
    schoolsByKey.set(info.key, [...(schoolsByKey.get(info.key) ?? []), info]);
  }
  const classes = new Map<string, { id: number; name: string }>();
  for (const c of sqlite.prepare('SELECT id, school_id AS schoolId, school_year_id AS yearId, name FROM classes').all() as {
    id: number;
    schoolId: number;
    yearId: number;
    name: string;
  }[]) {
    classes.set(classKey(c.schoolId, c.yearId, c.name), { id: c.id, name: c.name });
  }
  // most imported people are new: a set of the known codes spares a query per row
  const pupilCodes = new Set(sqlite.prepare('SELECT tax_code FROM pupils').pluck().all() as string[]);
  const payerCodes = new Set(sqlite.prepare('SELECT tax_code FROM payers').pluck().all() as string[]);
  const pupilStmt = sqlite.prepare(
    'SELECT id, first_name AS firstName, last_name AS lastName, birth_date AS birthDate, school_id AS schoolId, user_code AS userCode FROM pupils WHERE tax_code = ?',
  );
  const payerStmt = sqlite.prepare(
    `SELECT id, first_name AS firstName, last_name AS lastName, tax_code AS taxCode, email, mobile, street, street_number AS streetNumber,
            postcode, town, province, country, iban, iban_holder AS ibanHolder FROM payers WHERE tax_code = ?`,
  );
  const enrolledStmt = sqlite.prepare('SELECT 1 FROM enrollments WHERE pupil_id = ? AND school_year_id = ?').pluck();
  return {
    today,
    yearsByLabel: new Map(years.map((y) => [y.label, y])),
    yearsById: new Map(years.map((y) => [y.id, y])),
    municipalitiesByKey: new Map(munis.map((m) => [nameKey(m.name), m])),
    schoolsByKey,
    classes,
    pupilByTaxCode: (cf) => (pupilCodes.has(cf) ? (pupilStmt.get(cf) as ExistingPupil | undefined) : undefined),
    payerByTaxCode: (cf) => (payerCodes.has(cf) ? (payerStmt.get(cf) as ExistingPayer | undefined) : undefined),
    enrolled: (pupilId, yearId) => enrolledStmt.get(pupilId, yearId) !== undefined,
  };
}

/** State carried from row to row: duplicates within the file, payers shared by siblings, classes to create. */
export interface CheckState {
  pupilRows: Map<string, number>;
  payers: Map<string, { row: number; data: PayerData; fillsIban?: boolean }>;
  newClasses: Map<string, { schoolId: number; schoolYearId: number; name: string; label: string }>;
  /** values that repeat down the file, read once */
  places: Map<string, Place>;
  weekdays: Map<string, Read<number[]>>;
  paymentMethods: Map<string, Read<'prepagato' | 'sdd'>>;
  /** payer codici fiscali and IBANs, repeated on the rows of siblings */
  identifiers: Map<string, IdentifierResult>;
  /** "school|year|class as written" → class key and name */
  classNames: Map<string, { key: string; name: string }>;
}

export function newCheckState(): CheckState {
  return { pupilRows: new Map(), payers: new Map(), newClasses: new Map(), places: new Map(), weekdays: new Map(), paymentMethods: new Map(), identifiers: new Map(), classNames: new Map() };
}

interface Place {
  school: SchoolInfo | null;
  year: YearInfo | null;
  errors: RowError[];
}

/** The school (by name, within the municipality when given) and the school year of a row. */
function resolvePlace(lookups: Lookups, municipality: string, schoolName: string, schoolYear: string, defaultYearId: number | null): Place {
  const errors: RowError[] = [];
  let school: SchoolInfo | null = null;
  let muni: { id: number; name: string } | undefined;
  if (municipality) {
    muni = lookups.municipalitiesByKey.get(nameKey(municipality));
    if (!muni) errors.push({ field: 'pupil.municipality', message: `Comune «${municipality}» non registrato` });
  }
  if (schoolName && !(municipality && !muni)) {
    const all = lookups.schoolsByKey.get(nameKey(schoolName)) ?? [];
    const matches = muni ? all.filter((s) => s.municipalityId === muni.id) : all;
    if (matches.length === 1) school = matches[0];
    else if (matches.length === 0) {
      errors.push({
        field: 'pupil.school',
        message: `Scuola «${schoolName}» non trovata${muni ? ` nel Comune di ${muni.name}` : ''}: registrarla prima in Anagrafiche o correggere il nome`,
      });
    } else {
      errors.push({ field: 'pupil.school', message: `Scuola «${schoolName}» presente in più comuni (${matches.map((s) => s.municipalityName).join(', ')}): indicare il comune` });
    }
  }
  let year: YearInfo | null = null;
  if (schoolYear) {
    const r = readSchoolYear(schoolYear);
    if (!r.ok) errors.push({ field: 'enrollment.schoolYear', message: r.message });
    else {
      year = lookups.yearsByLabel.get(r.value) ?? null;
      if (!year) errors.push({ field: 'enrollment.schoolYear', message: `Anno scolastico ${r.value} non registrato: crearlo prima in Anagrafiche` });
    }
  } else if (defaultYearId !== null) {
    year = lookups.yearsById.get(defaultYearId) ?? null;
    if (!year) errors.push({ field: 'enrollment.schoolYear', message: 'Anno scolastico scelto inesistente' });
  } else {
    errors.push({ field: 'enrollment.schoolYear', message: "Manca l'anno scolastico: indicarlo nel file o sceglierlo per tutto il file" });
  }
  return { school, year, errors };
}

/** Each field with the index of its column (-1: no column), in IMPORT_TARGETS order, once per file. */
export type ColumnIndexes = readonly { field: TargetField; index: number }[];

export function columnIndexes(columns: readonly string[], mapping: ImportMapping): ColumnIndexes {
  return IMPORT_TARGETS.map((t) => {
    const col = mapping[t.field];
    return { field: t.field, index: col === undefined || col === '' ? -1 : columns.indexOf(col) };
  });
}

const itDate = (iso: string) => iso.split('-').reverse().join('/');
const lcFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const MAX_LEN: Partial<Record<TargetField, number>> = {
  'pupil.lastName': 80,
  'pupil.firstName': 80,
  'payer.lastName': 80,
  'payer.firstName': 80,
  'pupil.className': 20,
  'payer.street': 120,
  'payer.streetNumber': 20,
  'payer.town': 80,
  'payer.ibanHolder': 70,
};

const REQUIRED_MESSAGES: Partial<Record<TargetField, string>> = {
  'pupil.taxCode': "Manca il codice fiscale dell'alunno: è obbligatorio",
  'payer.taxCode': 'Manca il codice fiscale del pagante: è obbligatorio',
  'payer.email': "Manca l'e-mail del pagante: è obbligatoria",
  'payer.mobile': 'Manca il numero di cellulare del pagante: è obbligatorio',
  'pupil.school': 'Manca la scuola',
};

type RowValues = Record<TargetField, string>;

/**
 * The row's value for every field ('' when no column fills it). Each entry of `cols` names its
 * field (`columnIndexes`, in IMPORT_TARGETS order): every row's object is built in that one order,
 * so all of them share one shape for the engine.
 */
function rowValues(cols: ColumnIndexes, cells: readonly string[]): RowValues {
  const values = {} as RowValues;
  for (const { field, index } of cols) values[field] = index < 0 ? '' : (cells[index] ?? '');
  return values;
}

/** What one row's checks write to: its errors and warnings, in the order the checks find them. */
interface RowReport {
  errors: RowError[];
  warnings: string[];
}

function addError(report: RowReport, field: TargetField, message: string): void {
  report.errors.push({ field, message });
}

/** Required fields that are empty and values longer than their column in the database. */
function checkRequiredAndLengths(values: RowValues, report: RowReport): void {
  for (const t of IMPORT_TARGETS) {
    if (t.required && !values[t.field]) addError(report, t.field, REQUIRED_MESSAGES[t.field] ?? `Campo obbligatorio: ${t.label}`);
    const max = MAX_LEN[t.field];
    if (max && values[t.field].length > max) addError(report, t.field, `${t.label}: al massimo ${max} caratteri`);
  }
}

/** The pupil's codice fiscale and birth date (given, or read from the codice fiscale), and that they agree. */
function checkPupilIdentity(values: RowValues, today: string, report: RowReport): { pupilCf: string | null; birthDate: string | null } {
  let pupilCf: string | null = null;
  let birthDate: string | null = null;
  if (values['pupil.taxCode']) {
    const r = validateCodiceFiscale(values['pupil.taxCode']);
    if (!r.ok) addError(report, 'pupil.taxCode', `Codice fiscale dell'alunno non valido: ${lcFirst(r.message)}`);
    else if (r.value === EXAMPLE_PUPIL_TAX_CODE) addError(report, 'pupil.taxCode', EXAMPLE_ROW_MESSAGE);
    else pupilCf = r.value;
  }
  const refYear = Number(today.slice(0, 4));
  if (values['pupil.birthDate']) {
    const d = readDate(values['pupil.birthDate']);
    if (!d.ok) addError(report, 'pupil.birthDate', `Data di nascita non valida: «${values['pupil.birthDate']}» (usare gg/mm/aaaa)`);
    else {
      birthDate = d.value;
      const encoded = pupilCf ? birthDateMismatch(pupilCf, d.value) : null;
      if (encoded) addError(report, 'pupil.birthDate', `La data di nascita ${itDate(d.value)} non corrisponde al codice fiscale (${itDate(encoded)})`);
    }
  } else if (pupilCf) {
    // no birth-date column: the codice fiscale says it (its day may still be impossible, e.g. 31 February)
    const fromCf = readDate(decodeCodiceFiscale(pupilCf, refYear).birthDate);
    if (fromCf.ok) birthDate = fromCf.value;
    else addError(report, 'pupil.birthDate', 'Data di nascita mancante e non ricavabile dal codice fiscale');
  }
  return { pupilCf, birthDate };
}

/**
 * The pupil's codice fiscale repeated in the file, or registered in the archive with another name
 * or birth date. Returns the pupil in the archive, if any.
 */
function checkPupilDuplicates(
  lookups: Lookups,
  state: CheckState,
  values: RowValues,
  row: number,
  pupilCf: string | null,
  birthDate: string | null,
  report: RowReport,
): ExistingPupil | undefined {
  if (!pupilCf) return undefined;
  const first = state.pupilRows.get(pupilCf);
  if (first !== undefined) addError(report, 'pupil.taxCode', `Codice fiscale dell'alunno ripetuto: è già alla riga ${first}`);
  else state.pupilRows.set(pupilCf, row);
  const existingPupil = lookups.pupilByTaxCode(pupilCf);
  if (existingPupil) {
    const diff: string[] = [];
    if (values['pupil.lastName'] && nameKey(existingPupil.lastName) !== nameKey(values['pupil.lastName'])) diff.push('cognome');
    if (values['pupil.firstName'] && nameKey(existingPupil.firstName) !== nameKey(values['pupil.firstName'])) diff.push('nome');
    if (birthDate && existingPupil.birthDate !== birthDate) diff.push('data di nascita');
    if (diff.length) {
      addError(
        report,
        'pupil.taxCode',
        `Codice fiscale già registrato per l'alunno ${existingPupil.lastName} ${existingPupil.firstName} con dati diversi (${diff.join(', ')})`,
      );
    }
  }
  return existingPupil;
}

/** Municipality, school and school year of the row (each combination resolved once per file). */
function checkPlace(
  lookups: Lookups,
  state: CheckState,
  values: RowValues,
  defaultYearId: number | null,
  existingPupil: ExistingPupil | undefined,
  report: RowReport,
): Place {
  // a file names few schools and years: each combination is resolved once
  const placeKey = `${values['pupil.municipality']}\u0001${values['pupil.school']}\u0001${values['enrollment.schoolYear']}`;
  let place = state.places.get(placeKey);
  if (!place) {
    place = resolvePlace(lookups, values['pupil.municipality'], values['pupil.school'], values['enrollment.schoolYear'], defaultYearId);
    state.places.set(placeKey, place);
  }
  for (const e of place.errors) report.errors.push(e);
  if (existingPupil && place.school && existingPupil.schoolId !== place.school.id) {
    report.warnings.push("L'alunno risulta in archivio in un'altra scuola: la sua scheda non viene modificata, l'iscrizione usa la scuola del file");
  }
  return place;
}

/** The class: an existing one, or one the import creates (announced once per file). */
function checkClass(
  lookups: Lookups,
  state: CheckState,
  values: RowValues,
  school: SchoolInfo | null,
  year: YearInfo | null,
  report: RowReport,
): RowPlan['classRef'] {
  if (!values['pupil.className'] || !school || !year) return null;
  const memoKey = `${school.id}|${year.id}|${values['pupil.className']}`;
  let cls = state.classNames.get(memoKey);
  if (!cls) {
    const readName = readClassName(values['pupil.className']);
    state.classNames.set(memoKey, (cls = { key: classKey(school.id, year.id, readName), name: readName }));
  }
  const { key, name } = cls;
  const existing = lookups.classes.get(key);
  if (existing) return { id: existing.id };
  if (!state.newClasses.has(key)) {
    const label = `${name} di «${school.name}» (${year.label})`;
    state.newClasses.set(key, { schoolId: school.id, schoolYearId: year.id, name, label });
    report.warnings.push(`La classe ${label} non esiste: verrà creata`);
  }
  return { newKey: key };
}

/** The payer's codice fiscale (not the pupil's), e-mail, mobile and address. */
function checkPayerContacts(
  state: CheckState,
  values: RowValues,
  pupilCf: string | null,
  report: RowReport,
): { payerCf: string | null; mobile: string; postcode: string; province: string; street: string; streetNumber: string } {
  let payerCf: string | null = null;
  if (values['payer.taxCode']) {
    const raw = values['payer.taxCode'];
    let r = state.identifiers.get(raw);
    if (!r) state.identifiers.set(raw, (r = validateCodiceFiscale(raw)));
    if (!r.ok) addError(report, 'payer.taxCode', `Codice fiscale del pagante non valido: ${lcFirst(r.message)}`);
    else if (r.value === pupilCf) addError(report, 'payer.taxCode', "Il codice fiscale del pagante coincide con quello dell'alunno");
    else payerCf = r.value;
  }
  if (values['payer.email'] && !EMAIL_RE.test(values['payer.email'])) addError(report, 'payer.email', `Indirizzo e-mail non valido: «${values['payer.email']}»`);
  let mobile = '';
  if (values['payer.mobile']) {
    const r = readMobile(values['payer.mobile']);
    if (!r.ok) addError(report, 'payer.mobile', r.message);
    else mobile = r.value;
  }
  let postcode = '';
  if (values['payer.postcode']) {
    const r = readPostcode(values['payer.postcode']);
    if (!r.ok) addError(report, 'payer.postcode', r.message);
    else postcode = r.value;
  }
  const province = values['payer.province'].replace(/[()]/g, '').trim().toUpperCase();
  if (province && !/^[A-Z]{2}$/.test(province)) addError(report, 'payer.province', `Sigla della provincia non valida: «${values['payer.province']}» (2 lettere, es. BG)`);
  let street = values['payer.street'];
  let streetNumber = values['payer.streetNumber'];
  if (street && !streetNumber) ({ street, number: streetNumber } = splitStreet(street));
  return { payerCf, mobile, postcode, province, street, streetNumber };
}

/** The payer's IBAN and its holder (by default the payer). `refused`: an IBAN was given and is wrong. */
function checkPayerAccount(state: CheckState, values: RowValues, report: RowReport): { iban: string | null; ibanHolder: string | null; refused: boolean } {
  let iban: string | null = null;
  let refused = false;
  if (values['payer.iban']) {
    const raw = values['payer.iban'];
    let r = state.identifiers.get(raw);
    if (!r) state.identifiers.set(raw, (r = validateIban(raw)));
    refused = !r.ok;
    if (!r.ok) addError(report, 'payer.iban', r.message);
    else iban = r.value;
  }
  let ibanHolder: string | null = values['payer.ibanHolder'] || null;
  if (ibanHolder && !values['payer.iban']) addError(report, 'payer.ibanHolder', "Intestatario del conto indicato senza l'IBAN");
  if (iban && !ibanHolder) ibanHolder = `${values['payer.firstName']} ${values['payer.lastName']}`.trim().slice(0, 70);
  return { iban, ibanHolder, refused };
}

/** The enrollment's payment method (prepaid when the file does not say). */
function checkPaymentMethod(state: CheckState, values: RowValues, report: RowReport): 'prepagato' | 'sdd' {
  if (!values['enrollment.paymentMethod']) return 'prepagato';
  const raw = values['enrollment.paymentMethod'];
  let r = state.paymentMethods.get(raw);
  if (!r) state.paymentMethods.set(raw, (r = readPaymentMethod(raw)));
  if (!r.ok) {
    addError(report, 'enrollment.paymentMethod', r.message);
    return 'prepagato';
  }
  return r.value;
}

/**
 * The payer's codice fiscale already in the archive (reused, never overwritten; a missing IBAN is
 * filled in) or on an earlier row of the file (siblings: the first row's data are used).
 * `payerHasIban`: the payer the enrollment will use has an IBAN.
 */
function checkPayerDuplicates(
  lookups: Lookups,
  state: CheckState,
  values: RowValues,
  row: number,
  payerCf: string | null,
  payerData: PayerData,
  report: RowReport,
): { existingPayer: ExistingPayer | undefined; fillIban: RowPlan['fillIban']; payerHasIban: boolean } {
  const { iban, ibanHolder } = payerData;
  let fillIban: RowPlan['fillIban'] = null;
  let payerHasIban = iban !== null;
  if (!payerCf) return { existingPayer: undefined, fillIban, payerHasIban };
  const existingPayer = lookups.payerByTaxCode(payerCf);
  const firstInFile = state.payers.get(payerCf);
  if (existingPayer) {
    const nameDiff: string[] = [];
    if (values['payer.lastName'] && nameKey(existingPayer.lastName) !== nameKey(values['payer.lastName'])) nameDiff.push('cognome');
    if (values['payer.firstName'] && nameKey(existingPayer.firstName) !== nameKey(values['payer.firstName'])) nameDiff.push('nome');
    if (nameDiff.length) {
      addError(report, 'payer.taxCode', `Codice fiscale del pagante già registrato per ${existingPayer.lastName} ${existingPayer.firstName} con dati diversi (${nameDiff.join(', ')})`);
    } else {
      const other: string[] = [];
      if (payerData.email && payerData.email.toLowerCase() !== existingPayer.email.toLowerCase()) other.push('e-mail');
      if (payerData.mobile && payerData.mobile !== existingPayer.mobile) other.push('cellulare');
      if (iban && existingPayer.iban && iban !== existingPayer.iban) other.push('IBAN');
      report.warnings.push(`Pagante già registrato: viene usata la sua scheda, senza modificarla${other.length ? ` (dati diversi nel file: ${other.join(', ')})` : ''}`);
    }
    payerHasIban = existingPayer.iban !== null;
    if (!payerHasIban && iban && !firstInFile?.fillsIban) {
      // filling an account the office never had is not overwriting: needed for SDD (P5)
      fillIban = { iban, ibanHolder: ibanHolder ?? '' };
      state.payers.set(payerCf, { row, data: payerData, fillsIban: true });
      report.warnings.push('Il pagante in archivio non ha IBAN: viene registrato quello del file');
      payerHasIban = true;
    } else if (!payerHasIban && firstInFile?.fillsIban) {
      payerHasIban = true;
    }
  } else if (firstInFile) {
    const first = firstInFile.data;
    const nameDiff = nameKey(first.lastName) !== nameKey(payerData.lastName) || nameKey(first.firstName) !== nameKey(payerData.firstName);
    if (nameDiff) addError(report, 'payer.taxCode', `Stesso codice fiscale del pagante della riga ${firstInFile.row} ma con nome o cognome diverso`);
    else {
      const other: string[] = [];
      // a value missing or refused on this row is its own error, not a difference
      if (payerData.email && payerData.email.toLowerCase() !== first.email.toLowerCase()) other.push('e-mail');
      if (payerData.mobile && payerData.mobile !== first.mobile) other.push('cellulare');
      if ((payerData.iban ?? '') !== (first.iban ?? '')) other.push('IBAN');
      if (other.length) report.warnings.push(`Dati del pagante diversi dalla riga ${firstInFile.row} (${other.join(', ')}): vengono usati quelli della riga ${firstInFile.row}`);
    }
    payerHasIban = first.iban !== null;
  } else {
    state.payers.set(payerCf, { row, data: payerData });
  }
  return { existingPayer, fillIban, payerHasIban };
}

/** SDD needs the payer's IBAN (P5): not asked again when the file's IBAN was already refused. */
function checkSddIban(paymentMethod: 'prepagato' | 'sdd', payerHasIban: boolean, ibanRefused: boolean, report: RowReport): void {
  if (paymentMethod === 'sdd' && !payerHasIban && !ibanRefused) addError(report, 'payer.iban', "Per l'addebito SDD serve l'IBAN del pagante");
}

/** The enrollment's weekdays (the school's service days when the file does not say), within the school's service (E4). */
function checkWeekdays(state: CheckState, values: RowValues, school: SchoolInfo | null, report: RowReport): number[] {
  let weekdays: number[] = school?.serviceWeekdays ?? [];
  if (!values['enrollment.weekdays']) return weekdays;
  const raw = values['enrollment.weekdays'];
  let r = state.weekdays.get(raw);
  if (!r) state.weekdays.set(raw, (r = readWeekdays(raw)));
  if (!r.ok) {
    addError(report, 'enrollment.weekdays', r.message);
    return weekdays;
  }
  weekdays = r.value;
  if (school) {
    const missing: number[] = [];
    for (const d of weekdays) if (!school.serviceWeekdays.includes(d)) missing.push(d);
    if (missing.length) {
      addError(
        report,
        'enrollment.weekdays',
        `La scuola «${school.name}» non ha servizio mensa di ${weekdayNames(missing)} (giorni di servizio: ${weekdayNames(school.serviceWeekdays)})`,
      );
    }
  }
  return weekdays;
}

/** A pupil of the archive already enrolled for the year: the row's enrollment is skipped. Returns `skipEnrollment`. */
function checkExistingEnrollment(lookups: Lookups, existingPupil: ExistingPupil | undefined, year: YearInfo | null, report: RowReport): boolean {
  if (existingPupil && year && lookups.enrolled(existingPupil.id, year.id)) {
    report.warnings.push(`L'alunno è già iscritto per l'anno ${year.label}: l'iscrizione del file non viene importata`);
    return true;
  }
  if (existingPupil && !report.errors.length) {
    report.warnings.push(`Alunno già registrato (codice utente ${existingPupil.userCode}): viene usata la sua scheda`);
  }
  return false;
}

/** Checks one row; `state` carries what earlier rows of the same file established. */
export function checkRow(
  lookups: Lookups,
  state: CheckState,
  cols: ColumnIndexes,
  sheetRow: SheetRow,
  defaultYearId: number | null,
): CheckedRow {
  const values = rowValues(cols, sheetRow.cells);
  const row = sheetRow.row;
  const report: RowReport = { errors: [], warnings: [] };

  checkRequiredAndLengths(values, report);
  const { pupilCf, birthDate } = checkPupilIdentity(values, lookups.today, report);
  const existingPupil = checkPupilDuplicates(lookups, state, values, row, pupilCf, birthDate, report);
  const { school, year } = checkPlace(lookups, state, values, defaultYearId, existingPupil, report);
  const classRef = checkClass(lookups, state, values, school, year, report);
  const contacts = checkPayerContacts(state, values, pupilCf, report);
  const account = checkPayerAccount(state, values, report);
  const paymentMethod = checkPaymentMethod(state, values, report);
  const payerData: PayerData = {
    firstName: values['payer.firstName'],
    lastName: values['payer.lastName'],
    taxCode: contacts.payerCf ?? '',
    email: values['payer.email'],
    mobile: contacts.mobile,
    street: contacts.street,
    streetNumber: contacts.streetNumber,
    postcode: contacts.postcode,
    town: values['payer.town'],
    province: contacts.province,
    country: 'IT',
    iban: account.iban,
    ibanHolder: account.ibanHolder,
  };
  const payerCf = contacts.payerCf;
  const { existingPayer, fillIban, payerHasIban } = checkPayerDuplicates(lookups, state, values, row, payerCf, payerData, report);
  checkSddIban(paymentMethod, payerHasIban, account.refused, report);
  const weekdays = checkWeekdays(state, values, school, report);
  const skipEnrollment = checkExistingEnrollment(lookups, existingPupil, year, report);

  const { errors, warnings } = report;
  if (errors.length || !pupilCf || !payerCf || !school || !year || !birthDate) {
    return { row, values, errors, warnings, plan: null };
  }
  return {
    row,
    values,
    errors,
    warnings,
    plan: {
      pupil: existingPupil
        ? { existingId: existingPupil.id }
        : { data: { firstName: values['pupil.firstName'], lastName: values['pupil.lastName'], birthDate, taxCode: pupilCf, schoolId: school.id } },
      payerTaxCode: payerCf,
      payerExistingId: existingPayer?.id ?? null,
      fillIban,
      schoolId: school.id,
      schoolYearId: year.id,
      classRef,
      weekdays,
      paymentMethod,
      skipEnrollment,
    },
  };
}

export interface ImportSummary {
  newPupils: number;
  existingPupils: number;
  newPayers: number;
  existingPayers: number;
  enrollments: number;
  skippedEnrollments: number;
  /** classes the import creates ("3A di «Primaria Clusone» (2026/2027)") */
  newClasses: string[];
}

/** What a commit would do, counted on the rows without errors. */
export function summarize(plans: readonly (RowPlan | null)[], state: CheckState): ImportSummary {
  const newPayers = new Set<string>();
  const existingPayers = new Set<string>();
  const usedClasses = new Set<string>();
  const s: ImportSummary = { newPupils: 0, existingPupils: 0, newPayers: 0, existingPayers: 0, enrollments: 0, skippedEnrollments: 0, newClasses: [] };
  for (const p of plans) {
    if (!p) continue;
    if ('existingId' in p.pupil) s.existingPupils++;
    else s.newPupils++;
    (p.payerExistingId === null ? newPayers : existingPayers).add(p.payerTaxCode);
    if (p.skipEnrollment) s.skippedEnrollments++;
    else s.enrollments++;
    if (p.classRef && 'newKey' in p.classRef) usedClasses.add(p.classRef.newKey);
  }
  s.newPayers = newPayers.size;
  s.existingPayers = existingPayers.size;
  s.newClasses = [...state.newClasses].filter(([k]) => usedClasses.has(k)).map(([, c]) => c.label);
  return s;
}

