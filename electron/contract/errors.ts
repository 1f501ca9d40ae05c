import { z } from 'zod';

/** Stable error codes: clients switch on these, never on the message. */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** The one shape in which errors leave the backend, on every transport. Never a stack trace. */
export interface ErrorShape {
  code: ErrorCode;
  message: string;
  issues: FieldIssue[];
  /** CONFLICT on a stale version only (issue 14, contract/versions.ts): who saved in between, when, the version now */
  details?: { changedBy: string | null; changedAt: string | null; currentVersion: number };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export const errorShapeSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
  details: z.object({ changedBy: z.string().nullable(), changedAt: z.string().nullable(), currentVersion: z.number() }).optional(),
});

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly details: ErrorShape['details'];
  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = [], details?: ErrorShape['details']) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
    this.details = details;
  }
  toShape(): ErrorShape {
    return this.details ? { code: this.code, message: this.message, issues: this.issues, details: this.details } : { code: this.code, message: this.message, issues: this.issues };
  }
}

/** A validation error on one or more fields, each with its Italian message. */
export function invalid(issues: FieldIssue[], message?: string): AppError {
  return new AppError(
    'VALIDATION',
    message ?? (issues.length === 1 ? issues[0].message : 'Alcuni dati non sono validi: correggere i campi evidenziati'),
    issues,
  );
}

export function invalidField(path: string | (string | number)[], message: string): AppError {
  return invalid([{ path: Array.isArray(path) ? path : [path], message }]);
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} non trovato`);
}

export function conflict(message: string, path?: string | (string | number)[]): AppError {
  return new AppError('CONFLICT', message, path ? [{ path: Array.isArray(path) ? path : [path], message }] : []);
}

export function forbidden(message = 'Operazione non consentita al proprio ruolo'): AppError {
  return new AppError('FORBIDDEN', message);
}

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
}

/** Friendlier Italian messages than zod's own Italian locale for the common cases. */
export function installItalianZodMessages(): void {
  z.config(z.locales.it());
  z.config({
    customError: (iss) => {
      if (iss.code === 'invalid_type' && iss.input === undefined) return 'Campo obbligatorio';
      if (iss.code === 'invalid_type') {
        const expected: Record<string, string> = {
          string: 'un testo',
          number: 'un numero',
          int: 'un numero intero',
          boolean: 'vero o falso',
          object: 'un oggetto',
          array: 'un elenco',
        };
        return `Valore non valido: atteso ${expected[iss.expected] ?? iss.expected}`;
      }
      if (iss.code === 'too_small' && iss.origin === 'string') {
        return Number(iss.minimum) <= 1 ? 'Campo obbligatorio' : `Almeno ${iss.minimum} caratteri`;
      }
      if (iss.code === 'too_big' && iss.origin === 'string') return `Al massimo ${iss.maximum} caratteri`;
      if (iss.code === 'too_small' && iss.origin === 'number') return `Il valore minimo è ${iss.minimum}`;
      if (iss.code === 'too_big' && iss.origin === 'number') return `Il valore massimo è ${iss.maximum}`;
      if (iss.code === 'too_small' && iss.origin === 'array') return `Selezionare almeno ${iss.minimum} elementi`;
      if (iss.code === 'invalid_value') return 'Valore non ammesso';
      if (iss.code === 'unrecognized_keys') return `Campi non previsti: ${iss.keys.join(', ')}`;
      return undefined;
    },
  });
}
