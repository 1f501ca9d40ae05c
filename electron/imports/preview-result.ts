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
  warningRows: z.number().int(),
  summary: importSummary,
});
export type ImportPreviewResult = z.infer<typeof importPreviewResult>;
