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
  values: Record<TargetField, string>;
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

/** Column index of each field, in IMPORT_TARGETS order (-1: no column), once per file. */
export function columnIndexes(columns: readonly string[], mapping: ImportMapping): number[] {
  return IMPORT_TARGETS.map((t) => {
    const col = mapping[t.field];
    return col === undefined || col === '' ? -1 : columns.indexOf(col);
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

/**
 * The row's value for every field ('' when no column fills it). The fields and their order come
 * from IMPORT_TARGETS alone (`columnIndexes` gives the column of each, in the same order): every
 * row's object is built in that one order, so all of them share one shape for the engine.
 */
function rowValues(idx: readonly number[], cells: readonly string[]): Record<TargetField, string> {
  const values = {} as Record<TargetField, string>;
  for (let i = 0; i < IMPORT_TARGETS.length; i++) values[IMPORT_TARGETS[i].field] = idx[i] < 0 ? '' : (cells[idx[i]] ?? '');
  return values;
}

function addError(errors: RowError[], field: TargetField, message: string): void {
  errors.push({ field, message });
}

/** Checks one row; `state` carries what earlier rows of the same file established. */
export function checkRow(
  lookups: Lookups,
  state: CheckState,
  cols: readonly number[],
  sheetRow: SheetRow,
  defaultYearId: number | null,
): CheckedRow {
  const values = rowValues(cols, sheetRow.cells);
  const errors: RowError[] = [];
  const warnings: string[] = [];

  for (const t of IMPORT_TARGETS) {
    if (t.required && !values[t.field]) addError(errors, t.field, REQUIRED_MESSAGES[t.field] ?? `Campo obbligatorio: ${t.label}`);
    const max = MAX_LEN[t.field];
    if (max && values[t.field].length > max) addError(errors, t.field, `${t.label}: al massimo ${max} caratteri`);
  }

  // --- pupil ---------------------------------------------------------------------------------
  let pupilCf: string | null = null;
  let birthDate: string | null = null;
  if (values['pupil.taxCode']) {
    const r = validateCodiceFiscale(values['pupil.taxCode']);
    if (!r.ok) addError(errors, 'pupil.taxCode', `Codice fiscale dell'alunno non valido: ${lcFirst(r.message)}`);
    else pupilCf = r.value;
  }
  const refYear = Number(lookups.today.slice(0, 4));
  if (values['pupil.birthDate']) {
    const d = readDate(values['pupil.birthDate']);
    if (!d.ok) addError(errors, 'pupil.birthDate', `Data di nascita non valida: «${values['pupil.birthDate']}» (usare gg/mm/aaaa)`);
    else {
      birthDate = d.value;
      const encoded = pupilCf ? birthDateMismatch(pupilCf, d.value) : null;
      if (encoded) addError(errors, 'pupil.birthDate', `La data di nascita ${itDate(d.value)} non corrisponde al codice fiscale (${itDate(encoded)})`);
    }
  } else if (pupilCf) {
    // no birth-date column: the codice fiscale says it (its day may still be impossible, e.g. 31 February)
    const fromCf = readDate(decodeCodiceFiscale(pupilCf, refYear).birthDate);
    if (fromCf.ok) birthDate = fromCf.value;
    else addError(errors, 'pupil.birthDate', 'Data di nascita mancante e non ricavabile dal codice fiscale');
  }
  let existingPupil: ExistingPupil | undefined;
  if (pupilCf) {
    const first = state.pupilRows.get(pupilCf);
    if (first !== undefined) addError(errors, 'pupil.taxCode', `Codice fiscale dell'alunno ripetuto: è già alla riga ${first}`);
    else state.pupilRows.set(pupilCf, sheetRow.row);
    existingPupil = lookups.pupilByTaxCode(pupilCf);
    if (existingPupil) {
      const diff: string[] = [];
      if (values['pupil.lastName'] && nameKey(existingPupil.lastName) !== nameKey(values['pupil.lastName'])) diff.push('cognome');
      if (values['pupil.firstName'] && nameKey(existingPupil.firstName) !== nameKey(values['pupil.firstName'])) diff.push('nome');
      if (birthDate && existingPupil.birthDate !== birthDate) diff.push('data di nascita');
      if (diff.length) {
        addError(
          errors,
          'pupil.taxCode',
          `Codice fiscale già registrato per l'alunno ${existingPupil.lastName} ${existingPupil.firstName} con dati diversi (${diff.join(', ')})`,
        );
      }
    }
  }

  // --- school, school year, class ------------------------------------------------------------
  // a file names few schools and years: each combination is resolved once
  const placeKey = `${values['pupil.municipality']}\u0001${values['pupil.school']}\u0001${values['enrollment.schoolYear']}`;
  let place = state.places.get(placeKey);
  if (!place) {
    place = resolvePlace(lookups, values['pupil.municipality'], values['pupil.school'], values['enrollment.schoolYear'], defaultYearId);
    state.places.set(placeKey, place);
  }
  const { school, year } = place;
  for (const e of place.errors) errors.push(e);
  if (existingPupil && school && existingPupil.schoolId !== school.id) {
    warnings.push("L'alunno risulta in archivio in un'altra scuola: la sua scheda non viene modificata, l'iscrizione usa la scuola del file");
  }

  let classRef: RowPlan['classRef'] = null;
  if (values['pupil.className'] && school && year) {
    const memoKey = `${school.id}|${year.id}|${values['pupil.className']}`;
    let cls = state.classNames.get(memoKey);
    if (!cls) {
      const readName = readClassName(values['pupil.className']);
      state.classNames.set(memoKey, (cls = { key: classKey(school.id, year.id, readName), name: readName }));
    }
    const { key, name } = cls;
    const existing = lookups.classes.get(key);
    if (existing) classRef = { id: existing.id };
    else {
      if (!state.newClasses.has(key)) {
        const label = `${name} di «${school.name}» (${year.label})`;
        state.newClasses.set(key, { schoolId: school.id, schoolYearId: year.id, name, label });
        warnings.push(`La classe ${label} non esiste: verrà creata`);
      }
      classRef = { newKey: key };
    }
  }

  // --- payer ---------------------------------------------------------------------------------
  let payerCf: string | null = null;
  if (values['payer.taxCode']) {
    const raw = values['payer.taxCode'];
    let r = state.identifiers.get(raw);
    if (!r) state.identifiers.set(raw, (r = validateCodiceFiscale(raw)));
    if (!r.ok) addError(errors, 'payer.taxCode', `Codice fiscale del pagante non valido: ${lcFirst(r.message)}`);
    else if (r.value === pupilCf) addError(errors, 'payer.taxCode', "Il codice fiscale del pagante coincide con quello dell'alunno");
    else payerCf = r.value;
  }
  if (values['payer.email'] && !EMAIL_RE.test(values['payer.email'])) addError(errors, 'payer.email', `Indirizzo e-mail non valido: «${values['payer.email']}»`);
  let mobileValue = '';
  if (values['payer.mobile']) {
    const r = readMobile(values['payer.mobile']);
    if (!r.ok) addError(errors, 'payer.mobile', r.message);
    else mobileValue = r.value;
  }
  let postcode = '';
  if (values['payer.postcode']) {
    const r = readPostcode(values['payer.postcode']);
    if (!r.ok) addError(errors, 'payer.postcode', r.message);
    else postcode = r.value;
  }
  const province = values['payer.province'].replace(/[()]/g, '').trim().toUpperCase();
  if (province && !/^[A-Z]{2}$/.test(province)) addError(errors, 'payer.province', `Sigla della provincia non valida: «${values['payer.province']}» (2 lettere, es. BG)`);
  let street = values['payer.street'];
  let streetNumber = values['payer.streetNumber'];
  if (street && !streetNumber) ({ street, number: streetNumber } = splitStreet(street));
  let iban: string | null = null;
  let ibanRefused = false;
  if (values['payer.iban']) {
    const raw = values['payer.iban'];
    let r = state.identifiers.get(raw);
    if (!r) state.identifiers.set(raw, (r = validateIban(raw)));
    ibanRefused = !r.ok;
    if (!r.ok) addError(errors, 'payer.iban', r.message);
    else iban = r.value;
  }
  let ibanHolder: string | null = values['payer.ibanHolder'] || null;
  if (ibanHolder && !values['payer.iban']) addError(errors, 'payer.ibanHolder', "Intestatario del conto indicato senza l'IBAN");
  if (iban && !ibanHolder) ibanHolder = `${values['payer.firstName']} ${values['payer.lastName']}`.trim().slice(0, 70);

  let paymentMethod: 'prepagato' | 'sdd' = 'prepagato';
  if (values['enrollment.paymentMethod']) {
    const raw = values['enrollment.paymentMethod'];
    let r = state.paymentMethods.get(raw);
    if (!r) state.paymentMethods.set(raw, (r = readPaymentMethod(raw)));
    if (!r.ok) addError(errors, 'enrollment.paymentMethod', r.message);
    else paymentMethod = r.value;
  }

  const payerData: PayerData = {
    firstName: values['payer.firstName'],
    lastName: values['payer.lastName'],
    taxCode: payerCf ?? '',
    email: values['payer.email'],
    mobile: mobileValue,
    street,
    streetNumber,
    postcode,
    town: values['payer.town'],
    province,
    country: 'IT',
    iban,
    ibanHolder,
  };

  let existingPayer: ExistingPayer | undefined;
  let fillIban: { iban: string; ibanHolder: string } | null = null;
  let payerHasIban = iban !== null;
  if (payerCf) {
    existingPayer = lookups.payerByTaxCode(payerCf);
    const firstInFile = state.payers.get(payerCf);
    if (existingPayer) {
      const nameDiff: string[] = [];
      if (values['payer.lastName'] && nameKey(existingPayer.lastName) !== nameKey(values['payer.lastName'])) nameDiff.push('cognome');
      if (values['payer.firstName'] && nameKey(existingPayer.firstName) !== nameKey(values['payer.firstName'])) nameDiff.push('nome');
      if (nameDiff.length) {
        addError(errors, 'payer.taxCode', `Codice fiscale del pagante già registrato per ${existingPayer.lastName} ${existingPayer.firstName} con dati diversi (${nameDiff.join(', ')})`);
      } else {
        const other: string[] = [];
        if (payerData.email && payerData.email.toLowerCase() !== existingPayer.email.toLowerCase()) other.push('e-mail');
        if (mobileValue && mobileValue !== existingPayer.mobile) other.push('cellulare');
        if (iban && existingPayer.iban && iban !== existingPayer.iban) other.push('IBAN');
        warnings.push(`Pagante già registrato: viene usata la sua scheda, senza modificarla${other.length ? ` (dati diversi nel file: ${other.join(', ')})` : ''}`);
      }
      payerHasIban = existingPayer.iban !== null;
      if (!payerHasIban && iban && !firstInFile?.fillsIban) {
        // filling an account the office never had is not overwriting: needed for SDD (P5)
        fillIban = { iban, ibanHolder: ibanHolder ?? '' };
        state.payers.set(payerCf, { row: sheetRow.row, data: payerData, fillsIban: true });
        warnings.push("Il pagante in archivio non ha IBAN: viene registrato quello del file");
        payerHasIban = true;
      } else if (!payerHasIban && firstInFile?.fillsIban) {
        payerHasIban = true;
      }
    } else if (firstInFile) {
      const first = firstInFile.data;
      const nameDiff = nameKey(first.lastName) !== nameKey(payerData.lastName) || nameKey(first.firstName) !== nameKey(payerData.firstName);
      if (nameDiff) addError(errors, 'payer.taxCode', `Stesso codice fiscale del pagante della riga ${firstInFile.row} ma con nome o cognome diverso`);
      else {
        const other: string[] = [];
        if (payerData.email.toLowerCase() !== first.email.toLowerCase()) other.push('e-mail');
        if (payerData.mobile !== first.mobile) other.push('cellulare');
        if ((payerData.iban ?? '') !== (first.iban ?? '')) other.push('IBAN');
        if (other.length) warnings.push(`Dati del pagante diversi dalla riga ${firstInFile.row} (${other.join(', ')}): vengono usati quelli della riga ${firstInFile.row}`);
      }
      payerHasIban = first.iban !== null;
    } else {
      state.payers.set(payerCf, { row: sheetRow.row, data: payerData });
    }
  }
  if (paymentMethod === 'sdd' && !payerHasIban && !ibanRefused) {
    addError(errors, 'payer.iban', "Per l'addebito SDD serve l'IBAN del pagante");
  }

  // --- weekdays (E4) -------------------------------------------------------------------------
  let weekdays: number[] = school?.serviceWeekdays ?? [];
  if (values['enrollment.weekdays']) {
    const raw = values['enrollment.weekdays'];
    let r = state.weekdays.get(raw);
    if (!r) state.weekdays.set(raw, (r = readWeekdays(raw)));
    if (!r.ok) addError(errors, 'enrollment.weekdays', r.message);
    else {
      weekdays = r.value;
      if (school) {
        const missing: number[] = [];
        for (const d of weekdays) if (!school.serviceWeekdays.includes(d)) missing.push(d);
        if (missing.length) {
          addError(
            errors,
            'enrollment.weekdays',
            `La scuola «${school.name}» non ha servizio mensa di ${weekdayNames(missing)} (giorni di servizio: ${weekdayNames(school.serviceWeekdays)})`,
          );
        }
      }
    }
  }

  let skipEnrollment = false;
  if (existingPupil && year && lookups.enrolled(existingPupil.id, year.id)) {
    skipEnrollment = true;
    warnings.push(`L'alunno è già iscritto per l'anno ${year.label}: l'iscrizione del file non viene importata`);
  } else if (existingPupil && !errors.length) {
    warnings.push(`Alunno già registrato (codice utente ${existingPupil.userCode}): viene usata la sua scheda`);
  }

  if (errors.length || !pupilCf || !payerCf || !school || !year || !birthDate) {
    return { row: sheetRow.row, values, errors, warnings, plan: null };
  }
  return {
    row: sheetRow.row,
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

