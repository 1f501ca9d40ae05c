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

export const requiredText = (max = 200) =>
  z.string().trim().min(1, { message: 'Campo obbligatorio' }).max(max, { message: `Al massimo ${max} caratteri` });

export const optionalText = (max = 2000) => z.string().trim().max(max, { message: `Al massimo ${max} caratteri` });

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
