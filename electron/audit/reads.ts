import type { AuditedRead } from '../contract/procedure';

/**
 * The audited-read declaration of an export (issue 7): who exported what, with which filters, how
 * many rows and under which file name. The file itself is not kept.
 */
export function auditedExport<I>(entity: string, action: string): AuditedRead<I, { fileName: string; rows: number }> {
  return {
    entity,
    action,
    details: (input, output) => ({ filtri: input, righe: output?.rows ?? null, file: output?.fileName ?? null }),
  };
}
