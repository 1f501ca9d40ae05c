/**
 * The fields an import from the previous system can fill, with their Italian labels and the header
 * names the old spreadsheets use for them. One row of the sheet is one pupil, their paying parent
 * and their enrollment for a school year, as the previous system exports them.
 */

export type TargetGroup = 'alunno' | 'pagante' | 'iscrizione';

export interface ImportTarget {
  field: string;
  group: TargetGroup;
  label: string;
  required: boolean;
  /** what the operator should know about the column (format, defaults) */
  hint: string;
  /** normalised header names (see `normalizeHeader`) that map to this field, most specific first */
  synonyms: readonly string[];
}

export const IMPORT_TARGETS = [
  {
    field: 'pupil.lastName',
    group: 'alunno',
    label: "Cognome dell'alunno",
    required: true,
    hint: '',
    synonyms: ['cognome alunno', 'cognome bambino', 'cognome utente', 'cognome studente', 'cognome figlio', 'alunno cognome', 'cognome'],
  },
  {
    field: 'pupil.firstName',
    group: 'alunno',
    label: "Nome dell'alunno",
    required: true,
    hint: '',
    synonyms: ['nome alunno', 'nome bambino', 'nome utente', 'nome studente', 'nome figlio', 'alunno nome', 'nome'],
  },
  {
    field: 'pupil.birthDate',
    group: 'alunno',
    label: 'Data di nascita',
    required: false,
    hint: 'gg/mm/aaaa o data di Excel; se manca si ricava dal codice fiscale',
    synonyms: ['data di nascita', 'data nascita', 'data di nascita alunno', 'data nascita alunno', 'nato il', 'nascita', 'data di nascita bambino'],
  },
  {
    field: 'pupil.taxCode',
    group: 'alunno',
    label: "Codice fiscale dell'alunno",
    required: true,
    hint: '16 caratteri',
    synonyms: ['codice fiscale alunno', 'cf alunno', 'codice fiscale bambino', 'cf bambino', 'codice fiscale utente', 'cf utente', 'codice fiscale studente', 'codice fiscale', 'cod fiscale', 'cf'],
  },
  {
    field: 'pupil.school',
    group: 'alunno',
    label: 'Scuola',
    required: true,
    hint: 'nome della scuola come registrato nel programma (maiuscole e accenti non contano)',
    synonyms: ['scuola', 'plesso', 'scuola plesso', 'plesso scolastico', 'nome scuola', 'istituto', 'scuola frequentata'],
  },
  {
    field: 'pupil.municipality',
    group: 'alunno',
    label: 'Comune della scuola',
    required: false,
    hint: 'serve solo se scuole di comuni diversi hanno lo stesso nome',
    synonyms: ['comune scuola', 'comune servizio', 'comune del servizio', 'ente', 'comune della scuola', 'comune plesso', 'comune ente'],
  },
  {
    field: 'pupil.className',
    group: 'alunno',
    label: 'Classe',
    required: false,
    hint: "es. 3A; una classe che non esiste per la scuola e l'anno viene creata",
    synonyms: ['classe', 'classe sezione', 'sezione', 'classe alunno'],
  },
  {
    field: 'payer.lastName',
    group: 'pagante',
    label: 'Cognome del pagante',
    required: true,
    hint: 'genitore o tutore che paga',
    synonyms: ['cognome genitore', 'cognome pagante', 'cognome tutore', 'cognome genitore pagante', 'genitore cognome', 'pagante cognome', 'cognome adulto'],
  },
  {
    field: 'payer.firstName',
    group: 'pagante',
    label: 'Nome del pagante',
    required: true,
    hint: '',
    synonyms: ['nome genitore', 'nome pagante', 'nome tutore', 'nome genitore pagante', 'genitore nome', 'pagante nome', 'nome adulto'],
  },
  {
    field: 'payer.taxCode',
    group: 'pagante',
    label: 'Codice fiscale del pagante',
    required: true,
    hint: '16 caratteri',
    synonyms: ['codice fiscale genitore', 'cf genitore', 'codice fiscale pagante', 'cf pagante', 'codice fiscale tutore', 'cf tutore', 'codice fiscale genitore pagante'],
  },
  {
    field: 'payer.email',
    group: 'pagante',
    label: 'E-mail',
    required: true,
    hint: 'obbligatoria',
    synonyms: ['email', 'e mail', 'mail', 'email genitore', 'e mail genitore', 'email pagante', 'indirizzo email', 'indirizzo e mail', 'posta elettronica'],
  },
  {
    field: 'payer.mobile',
    group: 'pagante',
    label: 'Cellulare',
    required: true,
    hint: 'obbligatorio',
    synonyms: ['cellulare', 'cell', 'cellulare genitore', 'telefono cellulare', 'numero cellulare', 'mobile', 'cellulare pagante', 'tel cellulare', 'telefono'],
  },
  {
    field: 'payer.street',
    group: 'pagante',
    label: 'Via',
    required: false,
    hint: 'se il civico è nella stessa colonna («Via Roma 12») viene separato',
    synonyms: ['via', 'indirizzo', 'indirizzo residenza', 'via piazza', 'residenza', 'indirizzo genitore'],
  },
  {
    field: 'payer.streetNumber',
    group: 'pagante',
    label: 'Numero civico',
    required: false,
    hint: '',
    synonyms: ['civico', 'numero civico', 'n civico', 'nr civico', 'num civico'],
  },
  {
    field: 'payer.postcode',
    group: 'pagante',
    label: 'CAP',
    required: false,
    hint: '5 cifre',
    synonyms: ['cap', 'codice postale', 'cap residenza'],
  },
  {
    field: 'payer.town',
    group: 'pagante',
    label: 'Comune di residenza',
    required: false,
    hint: '',
    synonyms: ['comune di residenza', 'comune residenza', 'citta', 'localita', 'citta di residenza', 'residente a', 'comune genitore', 'comune pagante'],
  },
  {
    field: 'payer.province',
    group: 'pagante',
    label: 'Provincia',
    required: false,
    hint: 'sigla di 2 lettere',
    synonyms: ['provincia', 'prov', 'sigla provincia', 'provincia residenza'],
  },
  {
    field: 'payer.iban',
    group: 'pagante',
    label: 'IBAN',
    required: false,
    hint: "obbligatorio per l'addebito SDD",
    synonyms: ['iban', 'codice iban', 'iban conto', 'iban addebito', 'conto corrente'],
  },
  {
    field: 'payer.ibanHolder',
    group: 'pagante',
    label: 'Intestatario del conto',
    required: false,
    hint: 'se manca ed è indicato un IBAN, è il pagante',
    synonyms: ['intestatario', 'intestatario conto', 'intestatario iban', 'intestatario del conto', 'titolare conto'],
  },
  {
    field: 'enrollment.schoolYear',
    group: 'iscrizione',
    label: 'Anno scolastico',
    required: false,
    hint: "es. 2026/2027; se manca, l'anno scelto per tutto il file (proposto: quello in corso)",
    synonyms: ['anno scolastico', 'as', 'anno', 'anno iscrizione'],
  },
  {
    field: 'enrollment.weekdays',
    group: 'iscrizione',
    label: 'Giorni di fruizione',
    required: false,
    hint: 'es. LMMGV, L-M-V, lun,mer,ven o 1,3,5; se manca, tutti i giorni di servizio della scuola',
    synonyms: ['giorni di fruizione', 'giorni fruizione', 'giorni', 'giorni mensa', 'giorni servizio', 'giorni settimana', 'rientri'],
  },
  {
    field: 'enrollment.paymentMethod',
    group: 'iscrizione',
    label: 'Modalità di pagamento',
    required: false,
    hint: 'prepagato (ricarica, PagoPA) o SDD (addebito in conto); se manca, prepagato',
    synonyms: ['modalita di pagamento', 'modalita pagamento', 'pagamento', 'tipo pagamento', 'metodo di pagamento', 'metodo pagamento', 'tipo di pagamento'],
  },
] as const satisfies readonly ImportTarget[];

export type TargetField = (typeof IMPORT_TARGETS)[number]['field'];
export const TARGET_FIELDS = IMPORT_TARGETS.map((t) => t.field) as TargetField[];
export const TARGET_BY_FIELD = new Map<string, ImportTarget>(IMPORT_TARGETS.map((t) => [t.field, t]));

export const GROUP_LABELS: Record<TargetGroup, string> = { alunno: 'Alunno', pagante: 'Pagante', iscrizione: 'Iscrizione' };

/** Lower case, accents dropped, anything but letters and digits turned into single spaces. */
export function normalizeHeader(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\b([a-z]) (?=[a-z]\b)/g, '$1'); // "C.F." → "cf", "A.S." → "as"
}

/** Case- and accent-insensitive comparison key for names (schools, municipalities, people). */
export function nameKey(s: string): string {
  return normalizeHeader(s).replace(/ /g, '');
}

export type ImportMapping = Partial<Record<TargetField, string>>;

/**
 * Headers that name two different things: «COMUNE» is the payer's town in one office's export and
 * the school's municipality in another's. Such a column fills the one field of its list that no
 * other column fills (a file with «Comune» and «Città» has the school's municipality in «Comune»);
 * when two or more are free, the operator is asked (`ImportQuestion`) and the column stays unused
 * until answered.
 */
export const AMBIGUOUS_HEADERS: readonly { header: string; fields: readonly TargetField[] }[] = [
  { header: 'comune', fields: ['payer.town', 'pupil.municipality'] },
];

/** The answer to an ambiguous column: the field it fills, or 'nessuno' (the column is not imported). */
export type ImportAnswer = TargetField | 'nessuno';
/** Answers by column name, as the file spells it. */
export type ImportAnswers = Record<string, ImportAnswer>;

export interface ImportQuestion {
  column: string;
  fields: TargetField[];
  /** null: not answered yet (the import waits for it) */
  answer: ImportAnswer | null;
}

const ambiguousFields = (column: string) => AMBIGUOUS_HEADERS.find((a) => a.header === normalizeHeader(column))?.fields;

/**
 * The mapping of a file and the questions about its ambiguous columns: `base` (the operator's or a
 * remembered mapping), else the suggestion from the header names; then the answers. A column the
 * mapping already uses for one of its fields counts as answered.
 */
export function proposeMapping(
  columns: readonly string[],
  base: ImportMapping | null = null,
  answers: ImportAnswers = {},
): { mapping: ImportMapping; questions: ImportQuestion[] } {
  const mapping: ImportMapping = { ...(base ?? suggestMapping(columns)) };
  const questions: ImportQuestion[] = [];
  for (const column of columns) {
    const fields = ambiguousFields(column);
    if (!fields) continue;
    const answer = answers[column];
    if (answer !== undefined && (answer === 'nessuno' || fields.includes(answer))) {
      for (const f of fields) if (mapping[f] === column) delete mapping[f];
      if (answer !== 'nessuno') {
        mapping[answer] = column;
      }
      questions.push({ column, fields: [...fields], answer });
      continue;
    }
    const used = fields.find((f) => mapping[f] === column);
    if (used) {
      // decided by the operator (another field of the list is free), or by the context (none is): then nothing to ask
      if (fields.some((f) => f !== used && !mapping[f])) questions.push({ column, fields: [...fields], answer: used });
      continue;
    }
    if (fields.filter((f) => !mapping[f]).length >= 2) questions.push({ column, fields: [...fields], answer: null });
  }
  return { mapping, questions };
}

/**
 * Suggests which column fills which field, from the header names. Exact synonyms win; then a
 * header that contains every word of a multi-word synonym ("Cognome del genitore pagante").
 * Each column and each field is used at most once, most specific match first. Ambiguous headers
 * (`AMBIGUOUS_HEADERS`) are left to `proposeMapping`.
 */
export function suggestMapping(columns: readonly string[]): ImportMapping {
  const candidates: { field: TargetField; column: string; score: number }[] = [];
  const normalized = columns.map((c) => ({ column: c, norm: normalizeHeader(c), words: new Set(normalizeHeader(c).split(' ')) }));
  for (const t of IMPORT_TARGETS) {
    t.synonyms.forEach((syn, rank) => {
      const synWords = syn.split(' ');
      for (const c of normalized) {
        if (!c.norm) continue;
        if (c.norm === syn) candidates.push({ field: t.field, column: c.column, score: 1000 - rank });
        else if (synWords.length >= 2 && synWords.every((w) => c.words.has(w))) {
          // fewer extra words in the header = closer match
          candidates.push({ field: t.field, column: c.column, score: 500 - rank - (c.words.size - synWords.length) * 10 });
        }
      }
    });
  }
  candidates.sort((a, b) => b.score - a.score);
  const mapping: ImportMapping = {};
  const usedColumns = new Set<string>();
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || usedColumns.has(c.column)) continue;
    mapping[c.field] = c.column;
    usedColumns.add(c.column);
  }
  // an ambiguous column the context resolves: the one field of its list no other column fills
  for (const column of columns) {
    const fields = ambiguousFields(column);
    if (!fields || usedColumns.has(column)) continue;
    const free = fields.filter((f) => mapping[f] === undefined);
    if (free.length === 1) {
      mapping[free[0]] = column;
      usedColumns.add(column);
    }
  }
  return mapping;
}
