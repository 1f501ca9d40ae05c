import { z } from 'zod';
import { asc, eq } from 'drizzle-orm';
import { municipalities } from '../../db/schema';
import { invalidField, notFound } from '../contract/errors';
import { expectVersion, nextVersion, version } from '../contract/versions';
import { hhmm, id, isoDate, optionalText, requiredText } from '../contract/fields';
import { procedure } from '../contract/procedure';

const municipalityIn = z
  .object({
    name: requiredText(100),
    province: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, { message: 'Sigla della provincia di 2 lettere (es. BG)' }).default(''),
    cutoffTime: hhmm,
    enrollmentOpensOn: isoDate.nullable().default(null),
    enrollmentClosesOn: isoDate.nullable().default(null),
    notes: optionalText().default(''),
    active: z.boolean().default(true),
  })
  .superRefine((m, c) => {
    if ((m.enrollmentOpensOn === null) !== (m.enrollmentClosesOn === null)) {
      c.addIssue({ code: 'custom', path: ['enrollmentClosesOn'], message: 'Indicare sia l\'apertura sia la chiusura delle iscrizioni' });
    } else if (m.enrollmentOpensOn && m.enrollmentClosesOn && m.enrollmentClosesOn < m.enrollmentOpensOn) {
      c.addIssue({ code: 'custom', path: ['enrollmentClosesOn'], message: 'La chiusura delle iscrizioni precede l\'apertura' });
    }
  });

export const municipalityOut = z.object({
  id: z.number(),
  name: z.string(),
  province: z.string(),
  cutoffTime: z.string(),
  enrollmentOpensOn: z.string().nullable(),
  enrollmentClosesOn: z.string().nullable(),
  notes: z.string(),
  active: z.boolean(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
});

function strip(row: typeof municipalities.$inferSelect) {
  const { createdAt: _c, updatedAt: _u, ...rest } = row;
  return rest;
}

export const municipalityProcedures = [
  procedure({
    name: 'municipalities.list',
    title: 'Elenco dei comuni serviti',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.array(municipalityOut),
    handler: (ctx) => ctx.db.select().from(municipalities).orderBy(asc(municipalities.name)).all().map(strip),
  }),
  procedure({
    name: 'municipalities.create',
    title: 'Aggiunge un comune con orario limite e finestra di iscrizione',
    role: 'amministratore',
    kind: 'mutation',
    input: municipalityIn,
    output: municipalityOut,
    handler: (ctx, input) => {
      const ts = ctx.clock.now().toISOString();
      if (ctx.db.select().from(municipalities).where(eq(municipalities.name, input.name)).get()) {
        throw invalidField('name', `Il comune «${input.name}» esiste già`);
      }
      const row = ctx.db.insert(municipalities).values({ ...input, createdAt: ts, updatedAt: ts }).returning().get();
      ctx.audit({ entity: 'comune', entityId: row.id, action: 'creazione', after: strip(row) });
      return strip(row);
    },
  }),
  procedure({
    name: 'municipalities.update',
    title: 'Modifica un comune',
    role: 'amministratore',
    kind: 'mutation',
    input: z.intersection(z.object({ id, version }), municipalityIn),
    output: municipalityOut,
    handler: (ctx, input) => {
      const before = ctx.db.select().from(municipalities).where(eq(municipalities.id, input.id)).get();
      if (!before) throw notFound('Comune');
      expectVersion(ctx, 'municipality', input.id, input.version);
      const clash = ctx.db.select().from(municipalities).where(eq(municipalities.name, input.name)).get();
      if (clash && clash.id !== input.id) throw invalidField('name', `Il comune «${input.name}» esiste già`);
      const { id: _id, version: _v, ...values } = input;
      const row = ctx.db
        .update(municipalities)
        .set({ ...values, updatedAt: ctx.clock.now().toISOString(), version: nextVersion(municipalities.version) })
        .where(eq(municipalities.id, input.id))
        .returning()
        .get();
      ctx.audit({ entity: 'comune', entityId: row.id, action: 'modifica', before: strip(before), after: strip(row) });
      return strip(row);
    },
  }),
];
