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

/**
 * The audited-read declaration of a document with personal data (a statement, a 730 statement,
 * their Excel lists and batches): who produced which file, for which input, how many documents.
 */
export function auditedDocument<I>(entity: string, action: string): AuditedRead<I, { fileName: string; count: number }> {
  return {
    entity,
    action,
    details: (input, output) => ({ richiesta: input, documenti: output?.count ?? null, file: output?.fileName ?? null }),
  };
}
