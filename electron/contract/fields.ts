import { z } from 'zod';
import { isRealDate } from './vocabulary/dates';

/** Shared zod fields: one definition of each kind of value, with Italian messages. */

export const id = z
  .number({ error: (iss) => (iss.input === undefined || iss.input === null ? 'Campo obbligatorio' : 'Identificativo non valido') })
  .int({ message: 'Identificativo non valido' })
  .positive({ message: 'Identificativo non valido' });

/** A calendar date, 'YYYY-MM-DD'. */
export const isoDate = z.string().refine(isRealDate, { message: 'Data non valida (formato AAAA-MM-GG)' });

/** A wall-clock time in Rome, 'HH:MM'. */
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Orario non valido (formato HH:MM)' });

/** Money: integer euro cents, never a float. */
export const cents = z.number().int({ message: 'Importo in centesimi: deve essere un numero intero' });

/**
 * Characters no text may hold (issue 7): control characters, bidi controls (U+200E/F, U+202A-U+202E,
 * U+2066-U+2069) and zero-width characters (U+200B-U+200D, U+FEFF): they break the SEPA and pagoPA
 * files or hide what a text says. The database refuses them as well (db/schema/checks.ts).
 * A multi-line text (notes, reasons) may hold tab, line feed and carriage return.
 */
const FORBIDDEN_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const FORBIDDEN_IN_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
export const FORBIDDEN_CHARS_MESSAGE =
  'Il testo contiene caratteri non ammessi (caratteri di controllo, invisibili o di direzione del testo): riscriverlo senza copiarlo';
export const hasForbiddenChars = (s: string, multiline = false) => (multiline ? FORBIDDEN_IN_MULTILINE : FORBIDDEN_IN_LINE).test(s);

/** A text on one line without forbidden characters: the shared field of names, codes, addresses. */
export const lineText = () => z.string().refine((s) => !hasForbiddenChars(s), { message: FORBIDDEN_CHARS_MESSAGE });
/** A text that may span lines (notes, reasons) without forbidden characters. */
export const multilineText = () => z.string().refine((s) => !hasForbiddenChars(s, true), { message: FORBIDDEN_CHARS_MESSAGE });

export const requiredText = (max = 200) =>
  lineText().trim().min(1, { message: 'Campo obbligatorio' }).max(max, { message: `Al massimo ${max} caratteri` });

export const optionalText = (max = 2000) => multilineText().trim().max(max, { message: `Al massimo ${max} caratteri` });

/** The one e-mail rule (forms and imports). */
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export const email = z
  .string()
  .trim()
  .min(1, { message: "L'e-mail è obbligatoria" })
  .regex(EMAIL_RE, { message: 'Indirizzo e-mail non valido' });

/** A mobile number as stored: spaces, dots, dashes and slashes removed. */
export const compactMobile = (s: string) => s.trim().replace(/[\s./-]/g, '');

/** The one mobile rule (forms and imports), on a compacted number: Italian 3xx… with optional +39 / 0039, or international with '+'. */
export const isMobile = (compact: string) => /^(\+39|0039)?3\d{8,9}$/.test(compact) || /^\+(?!39)\d{8,15}$/.test(compact);

/** Italian mobile (3xx…) with optional +39 / 0039 prefix, or an international number with '+'. */
export const mobile = z
  .string()
  .trim()
  .min(1, { message: 'Il numero di cellulare è obbligatorio' })
  .transform(compactMobile)
  .refine(isMobile, {
    message: 'Numero di cellulare non valido (es. 3471234567)',
  });

/** ISO weekdays of service, Monday (1) to Friday (5) (E4). */
export const weekdays = z
  .array(z.number().int().min(1, { message: 'Giorno non valido' }).max(5, { message: 'Solo da lunedì a venerdì' }))
  .min(1, { message: 'Indicare almeno un giorno di fruizione' })
  .transform((a) => [...new Set(a)].sort());

export const weekdaysToText = (w: number[]) => [...new Set(w)].sort().join(',');
export const weekdaysFromText = (t: string) => (t ? t.split(',').map(Number) : []);

/** Paged, sorted, searched lists. */
export const listQuery = {
  search: z.string().trim().max(100).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
  sortDir: z.enum(['asc', 'desc']).default('asc'),
};

export function page<T extends z.ZodType>(row: T) {
  return z.object({ rows: z.array(row), total: z.number().int() });
}

export const ok = z.object({ ok: z.literal(true) });

/** Escapes a user search string for a LIKE pattern (with ESCAPE '\'). */
export function likePattern(s: string, mode: 'prefix' | 'contains' = 'contains'): string {
  const escaped = s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return mode === 'prefix' ? `${escaped}%` : `%${escaped}%`;
}
