import { z } from 'zod';
import { validateCodiceFiscale } from '../identifiers/codice-fiscale';
import { validateIban } from '../identifiers/iban';

/** Codice fiscale, normalised to upper case, with check character and omocodia verified (E3). */
export const taxCode = z
  .string()
  .trim()
  .min(1, { message: 'Il codice fiscale è obbligatorio' })
  .transform((s, c) => {
    const r = validateCodiceFiscale(s);
    if (!r.ok) {
      c.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.value;
  });

/** IBAN, normalised (no spaces, upper case), ISO 13616 plus the Italian CIN. */
export const iban = z
  .string()
  .trim()
  .min(1, { message: "L'IBAN è obbligatorio" })
  .transform((s, c) => {
    const r = validateIban(s);
    if (!r.ok) {
      c.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.value;
  });
