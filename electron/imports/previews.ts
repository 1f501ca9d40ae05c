/**
 * Import previews: parsing an .xlsx is asynchronous and a commit must be a synchronous transaction,
 * so the preview job keeps the parsed sheet on the server under its job id (the "previewId"), and
 * `imports.commit` takes only that id. Previews live in memory, belong to the user who made them and
 * expire after 30 minutes, at most `MAX_PREVIEWS_PER_USER` per user; the store is per backend (keyed by
 * the backend's job store), never global.
 */
import type { JobHandle, JobResult, JobStore } from '../contract/jobs';
import { yieldToLoop } from '../contract/jobs';
import { AppError } from '../contract/errors';
import type { Ctx } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { readSheet, type Sheet } from './spreadsheet';
import { dbFingerprint, settleValidRows, type ImportPlan, type ValidRows } from './commit';
import { checkRow, columnIndexes, loadLookups, newCheckState, summarize, type CheckedRow, type RowError } from './row-checks';
import { AMBIGUOUS_HEADERS, IMPORT_TARGETS, normalizeHeader, proposeMapping, type ImportAnswers, type ImportMapping } from './targets';
import { loadLayout, resolveYearChoice, schoolYears } from './layouts';
import { readDate } from './values';

export const PREVIEW_TTL_MS = 30 * 60 * 1000;
/** Previews kept per user (each may hold a 50,000-row sheet): a user's new preview evicts only that user's oldest. */
export const MAX_PREVIEWS_PER_USER = 2;
/** Rows checked between two yields to the event loop. */
export const CHUNK_ROWS = 500;
/** Rows returned in the preview besides those with errors (which are all returned). */
export const PREVIEW_ROWS = 1000;

export interface StoredPreview {
  id: string;
  owner: number | null;
  createdAtMs: number;
  fileName: string;
  /** 'importata': committed; kept only for the download of its rejected rows */
  state: 'in_corso' | 'pronta' | 'fallita' | 'importata';
  sheet: Sheet | null;
  mapping: ImportMapping;
  answers: ImportAnswers;
  /** ambiguous columns not answered yet: the commit waits for them */
  openQuestions: string[];
  schoolYearId: number | null;
  /** the database state the check saw (see `dbFingerprint`) */
  fingerprint: string;
  /** the rows' plan when no row had errors: the commit writes it as is if the fingerprint still matches */
  plan: ImportPlan | null;
  /** the valid rows on their own (`settleValidRows`), when some rows have errors */
  valid: ValidRows | null;
  /** the Italian errors of each rejected row, for the rejected-rows file */
  rejected: Map<number, RowError[]>;
}

export class PreviewStore {
  private readonly previews = new Map<string, StoredPreview>();

  put(p: StoredPreview, nowMs: number): void {
    this.prune(nowMs);
    this.previews.set(p.id, p);
    const mine = [...this.previews.values()].filter((q) => q.owner === p.owner);
    // insertion order: the first ones are the oldest
    for (const old of mine.slice(0, Math.max(0, mine.length - MAX_PREVIEWS_PER_USER))) this.previews.delete(old.id);
  }

  /** The caller's preview, if it exists and has not expired. */
  get(id: string, owner: number | null, nowMs: number): StoredPreview | null {
    this.prune(nowMs);
    const p = this.previews.get(id);
    if (!p || p.owner !== owner) return null;
    return p;
  }

  delete(id: string): void {
    this.previews.delete(id);
  }

  private prune(nowMs: number): void {
    for (const [id, p] of this.previews) if (nowMs - p.createdAtMs > PREVIEW_TTL_MS) this.previews.delete(id);
  }
}

const stores = new WeakMap<JobStore, PreviewStore>();

export function previewStoreFor(jobs: JobStore): PreviewStore {
  let s = stores.get(jobs);
  if (!s) {
    s = new PreviewStore();
    stores.set(jobs, s);
  }
  return s;
}

export interface PreviewInput {
  fileName: string;
  contentBase64: string;
  /** the operator's mapping; without it, the one kept for the file's layout, else the one proposed from the headers */
  mapping?: ImportMapping;
  answers?: ImportAnswers;
  /** the year of the rows without one; without it, the one kept for the layout, else the current school year */
  schoolYearId?: number;
}

export interface PreviewRow {
  row: number;
  values: Record<string, string>;
  errors: { field: string; message: string }[];
  warnings: string[];
}

/** What the preview job finishes with: the result of the 'importazione' job kind (contract/jobs.ts). */
export type PreviewResult = JobResult<'importazione'>;

/** Only columns the file has; empty entries mean "no column". */
export function checkMapping(columns: readonly string[], mapping: ImportMapping): ImportMapping {
  const clean: ImportMapping = {};
  for (const t of IMPORT_TARGETS) {
    const col = mapping[t.field];
    if (col === undefined || col === '') continue;
    if (!columns.includes(col)) {
      const message = `La colonna «${col}» scelta per «${t.label}» non è nel file`;
      throw new AppError('VALIDATION', message, [{ path: ['mapping', t.field], message }]);
    }
    clean[t.field] = col;
  }
  return clean;
}

/** Fields whose values are dates: shown gg/mm/aaaa in the preview, whatever the file holds (an Excel date arrives as 'YYYY-MM-DD'). */
const DATE_FIELDS = new Set<string>(['pupil.birthDate']);

/** A value as the preview shows it: dates as Italian dates, the rest as read. */
export function displayValue(field: string, value: string): string {
  if (!DATE_FIELDS.has(field) || !value) return value;
  const d = readDate(value);
  return d.ok ? d.value.split('-').reverse().join('/') : value;
}

/** A row as the preview shows it: the values of the mapped fields only. */
function toPreviewRow(r: CheckedRow, mapping: ImportMapping): PreviewRow {
  const values: Record<string, string> = {};
  for (const t of IMPORT_TARGETS) if (mapping[t.field]) values[t.field] = displayValue(t.field, r.values[t.field]);
  return { row: r.row, values, errors: r.errors, warnings: r.warnings };
}

/** Only answers about ambiguous columns the file has, with an answer their list allows. */
function checkAnswers(columns: readonly string[], answers: ImportAnswers): ImportAnswers {
  const clean: ImportAnswers = {};
  for (const [column, answer] of Object.entries(answers)) {
    const fields = AMBIGUOUS_HEADERS.find((a) => a.header === normalizeHeader(column))?.fields;
    if (!columns.includes(column) || !fields) {
      const message = `La colonna «${column}» non è nel file o non richiede una scelta`;
      throw new AppError('VALIDATION', message, [{ path: ['answers', column], message }]);
    }
    if (answer !== 'nessuno' && !fields.includes(answer)) {
      const message = `Risposta non ammessa per la colonna «${column}»`;
      throw new AppError('VALIDATION', message, [{ path: ['answers', column], message }]);
    }
    clean[column] = answer;
  }
  return clean;
}

/** Starts the preview job and returns at once; the job reads, maps and checks the file in chunks. */
export function startPreview(ctx: Ctx, input: PreviewInput): { jobId: string; previewId: string } {
  const owner = ctx.user?.id ?? null;
  const job = ctx.jobs.start('importazione', owner);
  const store = previewStoreFor(ctx.jobs);
  const stored: StoredPreview = {
    id: job.id,
    owner,
    createdAtMs: ctx.clock.now().getTime(),
    fileName: input.fileName,
    state: 'in_corso',
    sheet: null,
    mapping: {},
    answers: {},
    openQuestions: [],
    schoolYearId: input.schoolYearId ?? null,
    fingerprint: '',
    plan: null,
    valid: null,
    rejected: new Map(),
  };
  store.put(stored, stored.createdAtMs);
  void runPreview(ctx, job, input, stored).catch((err) => {
    stored.state = 'fallita';
    stored.sheet = null;
    if (err instanceof AppError) job.fail({ code: err.code, message: err.message });
    else {
      ctx.logger.error(`Anteprima di importazione non riuscita: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      job.fail({ code: 'INTERNAL', message: "Errore interno durante la lettura del file: l'anteprima non è stata completata" });
    }
  });
  return { jobId: job.id, previewId: job.id };
}

class Cancelled extends AppError {
  constructor() {
    super('CONFLICT', 'Anteprima annullata');
  }
}

async function runPreview(ctx: Ctx, job: JobHandle<'importazione'>, input: PreviewInput, stored: StoredPreview): Promise<void> {
  job.progress(0, 0, 'Lettura del file');
  await yieldToLoop(); // answer the caller with the job id before the heavy work starts
  const sheet = await readSheet(input.fileName, Buffer.from(input.contentBase64, 'base64'));
  if (job.cancelled) throw new Cancelled();
  const today = romeDateOf(ctx.clock.now());
  // the operator's choices, else those kept for this layout, else the proposal from the headers
  const layout = loadLayout(ctx.sqlite, sheet.columns);
  const answers = checkAnswers(sheet.columns, input.answers ?? layout?.answers ?? {});
  const base = input.mapping ? checkMapping(sheet.columns, input.mapping) : layout ? checkMapping(sheet.columns, layout.mapping) : null;
  const proposal = proposeMapping(sheet.columns, base, answers);
  const mapping = checkMapping(sheet.columns, proposal.mapping);
  const years = schoolYears(ctx.sqlite);
  let schoolYear: PreviewResult['schoolYear'] = null;
  if (input.schoolYearId !== undefined) {
    const y = years.find((x) => x.id === input.schoolYearId);
    if (!y) throw new AppError('VALIDATION', 'Anno scolastico scelto inesistente', [{ path: ['schoolYearId'], message: 'Anno scolastico scelto inesistente' }]);
    schoolYear = { id: y.id, label: y.label, source: 'scelto' };
  } else {
    const y = layout && !input.mapping ? resolveYearChoice(years, today, layout.yearChoice, layout.schoolYearId) : resolveYearChoice(years, today, 'corrente', null);
    if (y) schoolYear = { id: y.id, label: y.label, source: layout && !input.mapping ? 'memorizzato' : 'corrente' };
  }
  const defaultYearId = schoolYear?.id ?? null;
  stored.schoolYearId = defaultYearId;

  const fingerprint = dbFingerprint(ctx.sqlite, today);
  const lookups = loadLookups(ctx.sqlite, today);
  const state = newCheckState();
  const cols = columnIndexes(sheet.columns, mapping);
  const total = sheet.rows.length;
  const checked: CheckedRow[] = [];
  job.progress(0, total, 'Controllo delle righe');
  for (let i = 0; i < total; i += CHUNK_ROWS) {
    const end = Math.min(total, i + CHUNK_ROWS);
    for (let k = i; k < end; k++) checked.push(checkRow(lookups, state, cols, sheet.rows[k], defaultYearId));
    job.progress(end, total, `Controllate ${end} righe su ${total}`);
    await yieldToLoop();
    if (job.cancelled) throw new Cancelled();
  }
  // some rows have errors: the others on their own, for «Importa solo le righe valide»
  const firstErrors = checked.some((r) => r.errors.length > 0);
  const valid = firstErrors ? settleValidRows(lookups, cols, sheet.rows, checked, defaultYearId) : null;
  if (valid) {
    for (const r of checked) {
      const late = valid.late.get(r.row);
      if (late) r.errors = late.map((e) => ({ field: e.field, message: `Senza le righe scartate: ${lcFirst(e.message)}` }));
    }
  }
  const rows: PreviewRow[] = [];
  const rejected = new Map<number, RowError[]>();
  let errorRows = 0;
  let warningRows = 0;
  for (const r of checked) {
    if (r.errors.length) {
      errorRows++;
      rejected.set(r.row, r.errors);
    }
    if (r.warnings.length) warningRows++;
    if (rows.length < PREVIEW_ROWS || r.errors.length) rows.push(toPreviewRow(r, mapping));
  }
  const result: PreviewResult = {
    previewId: job.id,
    fileName: input.fileName,
    columns: sheet.columns,
    mapping,
    unmappedRequired: IMPORT_TARGETS.filter((t) => t.required && !mapping[t.field]).map((t) => t.field),
    rows,
    rowsShown: rows.length,
    totalRows: total,
    errorRows,
    validRows: total - errorRows,
    warningRows,
    questions: proposal.questions,
    answers,
    schoolYear,
    // the kept choices were used: the operator gave none of their own
    layout: { remembered: layout !== null && !input.mapping, updatedAt: layout?.updatedAt ?? null },
    summary: valid ? summarize(valid.plan.plans, valid.plan.state) : summarize(checked.map((r) => r.plan), state),
  };
  stored.sheet = sheet;
  stored.mapping = mapping;
  stored.answers = answers;
  stored.openQuestions = proposal.questions.filter((q) => q.answer === null).map((q) => q.column);
  stored.fingerprint = fingerprint;
  stored.plan = errorRows === 0 ? { plans: checked.map((r) => r.plan!), state, years: lookups.yearsById } : null;
  stored.valid = valid;
  stored.rejected = rejected;
  stored.state = 'pronta';
  job.finish(result);
}

const lcFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
