/**
 * The caterer's own data (the issuer of statements and of the 730 statement, PAYMENTS.md §4:
 * name, address, P.IVA / codice fiscale). Kept in the settings table under one key, editable by the
 * administrator; other documents (SDD creditor data) read the same record.
 */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { settings } from '../../db/schema';
import { procedure } from '../contract/procedure';
import { currentVersion, expectVersion, nextVersion, version } from '../contract/versions';
import { requiredText } from '../contract/fields';
import { validateCodiceFiscale } from '../identifiers/codice-fiscale';

export const CATERER_SETTING = 'caterer';

/** Partita IVA: 11 digits, the last one a Luhn-style check (DM 23/12/1976 as amended). */
export function isValidPartitaIva(s: string): boolean {
  if (!/^\d{11}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(s[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(s[10]);
}

const partitaIva = z
  .string()
  .trim()
  .transform((s) => s.replace(/^IT/i, '').replace(/\s/g, ''))
  .refine(isValidPartitaIva, { message: 'Partita IVA non valida (11 cifre con la cifra di controllo)' });

/** A company's codice fiscale is usually its 11-digit P.IVA; a sole trader's is a personal 16-character code. */
const companyTaxCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((s) => (s.length === 11 ? isValidPartitaIva(s) : validateCodiceFiscale(s).ok), { message: 'Codice fiscale della ditta non valido (11 cifre o 16 caratteri)' });

export const catererIn = z.object({
  companyName: requiredText(140),
  street: requiredText(120),
  streetNumber: z.string().trim().max(20).default(''),
  postcode: z.string().trim().regex(/^\d{5}$/, { message: 'CAP di 5 cifre' }),
  town: requiredText(80),
  province: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, { message: 'Sigla della provincia di 2 lettere' }),
  vatNumber: partitaIva,
  taxCode: companyTaxCode,
  email: z.string().trim().max(120).default(''),
  phone: z.string().trim().max(40).default(''),
});
export type Caterer = z.output<typeof catererIn>;

export const catererOut = z.object({
  configured: z.boolean(),
  caterer: catererIn.nullable(),
  /** issue 14: the version the form sends back with its save (0: never saved) */
  version: z.number(),
});

export function getCaterer(db: AppDb): Caterer | null {
  const row = db.select().from(settings).where(eq(settings.key, CATERER_SETTING)).get();
  if (!row) return null;
  const parsed = catererIn.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : null;
}

export function saveCaterer(db: AppDb, c: Caterer): void {
  const value = JSON.stringify(c);
  db.insert(settings).values({ key: CATERER_SETTING, value }).onConflictDoUpdate({ target: settings.key, set: { value, version: nextVersion(settings.version) } }).run();
}

/** "Via Roma 1, 24023 Clusone (BG)" */
export function catererAddress(c: Caterer): string {
  return `${c.street}${c.streetNumber ? ` ${c.streetNumber}` : ''}, ${c.postcode} ${c.town} (${c.province})`;
}

export const catererProcedures = [
  procedure({
    name: 'caterer.get',
    title: 'Dati della ditta di ristorazione che emette estratti conto e dichiarazioni 730',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: catererOut,
    handler: (ctx) => {
      const caterer = getCaterer(ctx.db);
      return { configured: caterer !== null, caterer, version: currentVersion(ctx, 'caterer') ?? 0 };
    },
  }),
  procedure({
    name: 'caterer.update',
    title: 'Modifica ragione sociale, indirizzo, partita IVA e codice fiscale della ditta',
    role: 'amministratore',
    kind: 'mutation',
    input: catererIn.extend({ version }),
    output: catererOut,
    handler: (ctx, { version: loaded, ...input }) => {
      expectVersion(ctx, 'caterer', null, loaded);
      const before = getCaterer(ctx.db);
      saveCaterer(ctx.db, input);
      ctx.audit({ entity: 'ditta', entityId: CATERER_SETTING, action: before ? 'modifica' : 'creazione', before, after: input });
      return { configured: true, caterer: input, version: currentVersion(ctx, 'caterer') ?? 0 };
    },
  }),
];
