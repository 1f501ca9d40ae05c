/**
 * The import template (issue 12): an .xlsx with one column per field the import fills, named so
 * that the mapping is found without questions, one example row (recognised and refused if it is
 * left in: `example-row.ts`), and Excel data validation where it helps: lists of the office's
 * schools, municipalities and school years (from a second sheet «Elenchi»), the payment method,
 * 16 characters for a codice fiscale, 5 for a CAP, 2 for a province, a date for the birth date.
 * Every column but the birth date is Text, so that codes keep their leading zeros.
 */
import type ExcelJS from 'exceljs';
import type Database from 'better-sqlite3';
import { currentSchoolYear } from '../contract/vocabulary/school-year';
import { addSheet, newWorkbook, workbookBytes, type ExportColumn } from '../exports/xlsx';
import { EXAMPLE_PAYER, EXAMPLE_PAYER_TAX_CODE, EXAMPLE_PUPIL, EXAMPLE_PUPIL_TAX_CODE } from './example-row';
import { schoolYears } from './layouts';
import { IMPORT_TARGETS, type TargetField } from './targets';

/** The template's header of each field: each maps to its field with no question (tested). */
export const TEMPLATE_HEADERS: Record<TargetField, string> = {
  'pupil.lastName': 'Cognome alunno',
  'pupil.firstName': 'Nome alunno',
  'pupil.birthDate': 'Data di nascita',
  'pupil.taxCode': 'Codice fiscale alunno',
  'pupil.school': 'Scuola',
  'pupil.municipality': 'Comune della scuola',
  'pupil.className': 'Classe',
  'payer.lastName': 'Cognome genitore',
  'payer.firstName': 'Nome genitore',
  'payer.taxCode': 'Codice fiscale genitore',
  'payer.email': 'E-mail',
  'payer.mobile': 'Cellulare',
  'payer.street': 'Via',
  'payer.streetNumber': 'Numero civico',
  'payer.postcode': 'CAP',
  'payer.town': 'Comune di residenza',
  'payer.province': 'Provincia',
  'payer.iban': 'IBAN',
  'payer.ibanHolder': 'Intestatario del conto',
  'enrollment.schoolYear': 'Anno scolastico',
  'enrollment.weekdays': 'Giorni di fruizione',
  'enrollment.paymentMethod': 'Modalità di pagamento',
};

/** Rows of the sheet that carry the data validation (the example row and the ones under it). */
export const TEMPLATE_ROWS = 2000;
export const TEMPLATE_SHEET = 'Iscritti';
export const TEMPLATE_LISTS_SHEET = 'Elenchi';

interface SchoolRow {
  name: string;
  municipality: string;
  province: string;
  weekdays: string;
}

type Example = Record<TargetField, string>;

function exampleRow(school: SchoolRow | undefined, yearLabel: string): Example {
  return {
    'pupil.lastName': EXAMPLE_PUPIL.lastName,
    'pupil.firstName': EXAMPLE_PUPIL.firstName,
    'pupil.birthDate': EXAMPLE_PUPIL.birthDate,
    'pupil.taxCode': EXAMPLE_PUPIL_TAX_CODE,
    'pupil.school': school?.name ?? 'Primaria Dante Alighieri',
    'pupil.municipality': school?.municipality ?? '',
    'pupil.className': '3A',
    'payer.lastName': EXAMPLE_PAYER.lastName,
    'payer.firstName': EXAMPLE_PAYER.firstName,
    'payer.taxCode': EXAMPLE_PAYER_TAX_CODE,
    'payer.email': 'genitore.esempio@example.it',
    'payer.mobile': '3471234567',
    'payer.street': 'Via Roma',
    'payer.streetNumber': '12',
    'payer.postcode': '24023',
    'payer.town': school?.municipality ?? 'Clusone',
    'payer.province': school?.province || 'BG',
    'payer.iban': '',
    'payer.ibanHolder': '',
    'enrollment.schoolYear': yearLabel,
    // the school's service days, as five positions («L-M--»)
    'enrollment.weekdays': school ? 'LMMGV'.split('').map((l, i) => (school.weekdays.split(',').includes(String(i + 1)) ? l : '-')).join('') : 'LMMGV',
    'enrollment.paymentMethod': 'prepagato',
  };
}

/** exceljs writes `worksheet.dataValidations` (ranges) but does not declare it. */
type WithValidations = ExcelJS.Worksheet & { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } };

const colLetter = (n: number) => {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
};

export async function importTemplate(sqlite: Database.Database, today: string): Promise<{ fileName: string; buffer: Buffer }> {
  const schools = sqlite
    .prepare(
      `SELECT s.name, m.name AS municipality, m.province, s.service_weekdays AS weekdays
       FROM schools s JOIN municipalities m ON m.id = s.municipality_id WHERE s.active = 1 ORDER BY s.name, m.name`,
    )
    .all() as SchoolRow[];
  const years = schoolYears(sqlite);
  const current = currentSchoolYear(years, today);
  const municipalities = [...new Set(schools.map((s) => s.municipality))].sort((a, b) => a.localeCompare(b, 'it'));
  const example = exampleRow(schools[0], current?.label ?? '');

  const wb = newWorkbook('Modello di importazione');
  const columns: ExportColumn<Example>[] = IMPORT_TARGETS.map((t) => ({
    header: TEMPLATE_HEADERS[t.field],
    type: t.field === 'pupil.birthDate' ? 'date' : 'text',
    width: Math.max(14, TEMPLATE_HEADERS[t.field].length + 4),
    value: (r) => r[t.field],
  }));
  addSheet(wb, TEMPLATE_SHEET, columns, [example]);
  const ws = wb.getWorksheet(TEMPLATE_SHEET) as WithValidations;
  // the example row in grey italics, the mandatory headers in red
  ws.getRow(2).font = { italic: true, color: { argb: 'FF868E96' } };
  IMPORT_TARGETS.forEach((t, i) => {
    if (t.required) ws.getRow(1).getCell(i + 1).font = { bold: true, color: { argb: 'FFC92A2A' } };
  });

  // the lists the validation draws from
  const lists = wb.addWorksheet(TEMPLATE_LISTS_SHEET);
  lists.columns = [
    { header: 'Scuole', width: 36 },
    { header: 'Comuni', width: 24 },
    { header: 'Anni scolastici', width: 16 },
    { header: 'Modalità di pagamento', width: 22 },
  ];
  const schoolNames = [...new Set(schools.map((s) => s.name))];
  const methods = ['prepagato', 'SDD'];
  const height = Math.max(schoolNames.length, municipalities.length, years.length, methods.length);
  for (let i = 0; i < height; i++) lists.addRow([schoolNames[i] ?? null, municipalities[i] ?? null, years[i]?.label ?? null, methods[i] ?? null]);
  lists.getRow(1).font = { bold: true };

  const range = (field: TargetField) => {
    const col = colLetter(IMPORT_TARGETS.findIndex((t) => t.field === field) + 1);
    return `${col}2:${col}${TEMPLATE_ROWS + 1}`;
  };
  const hint = (field: TargetField) => IMPORT_TARGETS.find((t) => t.field === field)!.hint;
  const listOf = (field: TargetField, listCol: string, n: number, error: string) => {
    if (n === 0) return;
    ws.dataValidations.add(range(field), {
      type: 'list',
      allowBlank: true,
      formulae: [`${TEMPLATE_LISTS_SHEET}!$${listCol}$2:$${listCol}$${n + 1}`],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: 'Valore non in elenco',
      error,
      showInputMessage: !!hint(field),
      prompt: hint(field).slice(0, 250),
    });
  };
  listOf('pupil.school', 'A', schoolNames.length, 'La scuola non è tra quelle registrate nel programma: registrarla prima in Anagrafiche');
  listOf('pupil.municipality', 'B', municipalities.length, 'Il comune non è tra quelli registrati nel programma');
  listOf('enrollment.schoolYear', 'C', years.length, "L'anno scolastico non è tra quelli registrati nel programma");
  listOf('enrollment.paymentMethod', 'D', methods.length, 'Modalità di pagamento: prepagato oppure SDD');
  const length = (field: TargetField, n: number, error: string) =>
    ws.dataValidations.add(range(field), {
      type: 'textLength',
      operator: 'equal',
      allowBlank: true,
      formulae: [n],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: 'Lunghezza non valida',
      error,
    });
  length('pupil.taxCode', 16, 'Il codice fiscale ha 16 caratteri');
  length('payer.taxCode', 16, 'Il codice fiscale ha 16 caratteri');
  length('payer.postcode', 5, 'Il CAP ha 5 cifre');
  length('payer.province', 2, 'La provincia è la sigla di 2 lettere (es. BG)');
  ws.dataValidations.add(range('pupil.birthDate'), {
    type: 'date',
    operator: 'between',
    allowBlank: true,
    formulae: [new Date(Date.UTC(1990, 0, 1)), new Date(Date.UTC(2100, 0, 1))],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: 'Data non valida',
    error: 'Scrivere la data come gg/mm/aaaa',
    showInputMessage: true,
    prompt: hint('pupil.birthDate'),
  });
  return { fileName: 'modello-importazione-iscritti.xlsx', buffer: await workbookBytes(wb) };
}
