/**
 * The zod schemas of what an import preview hands back. A leaf module (zod and the target fields
 * only): the contract's job list (`contract/jobs.ts`) declares `importPreviewResult` as the result
 * of the 'importazione' job without loading the import's procedures.
 */
import { z } from 'zod';
import { TARGET_FIELDS, type TargetField } from './targets';

const targetField = z.enum(TARGET_FIELDS as [TargetField, ...TargetField[]], { error: 'Campo di destinazione sconosciuto' });

/** Column chosen for each target field ('' or absent: no column). */
export const importMapping = z.partialRecord(targetField, z.string().max(200));

/** The answer to an ambiguous column (see `AMBIGUOUS_HEADERS`): the field it fills, or 'nessuno'. */
export const importAnswer = z.union([targetField, z.literal('nessuno')], { error: 'Risposta sconosciuta' });
/** Answers by column name, as the file spells it. */
export const importAnswers = z.record(z.string().max(200), importAnswer).refine((a) => Object.keys(a).length <= 200, { message: 'Troppe risposte' });

const importQuestion = z.object({ column: z.string(), fields: z.array(targetField), answer: importAnswer.nullable() });

const rowError = z.object({ field: z.string(), message: z.string() });

export const importSummary = z.object({
  newPupils: z.number().int(),
  existingPupils: z.number().int(),
  newPayers: z.number().int(),
  existingPayers: z.number().int(),
  enrollments: z.number().int(),
  skippedEnrollments: z.number().int(),
  newClasses: z.array(z.string()),
});

/**
 * The result of the preview job (`jobs.get({ id: jobId }).result` once `state === 'completato'`,
 * on a job whose `kind` is 'importazione'). The dispatcher checks it against this schema.
 */
export const importPreviewResult = z.object({
  previewId: z.string(),
  fileName: z.string(),
  columns: z.array(z.string()),
  mapping: importMapping,
  unmappedRequired: z.array(z.string()),
  rows: z.array(z.object({ row: z.number().int(), values: z.record(z.string(), z.string()), errors: z.array(rowError), warnings: z.array(z.string()) })),
  rowsShown: z.number().int(),
  totalRows: z.number().int(),
  errorRows: z.number().int(),
  /** rows that would be imported by «Importa solo le righe valide» (totalRows - errorRows) */
  validRows: z.number().int(),
  warningRows: z.number().int(),
  /** the ambiguous columns: answered or still open (an open one blocks the import) */
  questions: z.array(importQuestion),
  answers: importAnswers,
  /** the school year of the rows without one, and where the choice comes from */
  schoolYear: z.object({ id: z.number().int(), label: z.string(), source: z.enum(['scelto', 'memorizzato', 'corrente']) }).nullable(),
  /** whether the mapping and the year came from the choices kept for this file layout */
  layout: z.object({ remembered: z.boolean(), updatedAt: z.string().nullable() }),
  /** what the valid rows would create (all the rows when none has errors) */
  summary: importSummary,
});
export type ImportPreviewResult = z.infer<typeof importPreviewResult>;
