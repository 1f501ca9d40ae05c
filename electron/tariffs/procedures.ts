import { z } from 'zod';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { municipalities, tariffs } from '../../db/schema';
import { MAX_PRICE_CENTS } from '../../db/schema/checks';
import { invalidField, notFound } from '../contract/errors';
import { expectVersion, nextVersion, version } from '../contract/versions';
import { cents, id, isoDate } from '../contract/fields';
import { procedure, type Ctx } from '../contract/procedure';
import { tariffWarning } from './service';
import { requireService } from '../ledger/entries';
import { formatDateIt } from '../contract/vocabulary/dates';

const tariffIn = z
  .object({
    municipalityId: id,
    service: z.string().trim().toLowerCase().min(1).max(40).default('mensa'),
    description: z.string().trim().max(200).default(''),
    validFrom: isoDate,
    validTo: isoDate.nullable().default(null),
    grossCents: cents.positive({ message: 'Il prezzo deve essere maggiore di zero' }).max(MAX_PRICE_CENTS, { message: 'Prezzo troppo alto: al massimo 1.000,00 €' }),
    netCents: cents.positive({ message: 'L\'imponibile deve essere maggiore di zero' }).max(MAX_PRICE_CENTS, { message: 'Imponibile troppo alto: al massimo 1.000,00 €' }),
    vatRateBp: z.number().int().min(0, { message: 'Aliquota IVA non valida' }).max(10_000, { message: 'Aliquota IVA non valida' }),
  })
  .superRefine((t, c) => {
    if (t.validTo && t.validTo < t.validFrom) c.addIssue({ code: 'custom', path: ['validTo'], message: 'La fine validità precede l\'inizio' });
    if (t.netCents > t.grossCents) c.addIssue({ code: 'custom', path: ['netCents'], message: 'L\'imponibile supera il prezzo IVA inclusa' });
  });

const tariffOut = z.object({
  id: z.number(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  service: z.string(),
  description: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  grossCents: z.number().int(),
  netCents: z.number().int(),
  vatRateBp: z.number().int(),
  warning: z.string().nullable(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
});

function load(ctx: Ctx, where?: ReturnType<typeof eq>) {
  return ctx.db
    .select({
      id: tariffs.id,
      municipalityId: tariffs.municipalityId,
      municipalityName: municipalities.name,
      service: tariffs.service,
      description: tariffs.description,
      validFrom: tariffs.validFrom,
      validTo: tariffs.validTo,
      grossCents: tariffs.grossCents,
      netCents: tariffs.netCents,
      vatRateBp: tariffs.vatRateBp,
      version: tariffs.version,
    })
    .from(tariffs)
    .innerJoin(municipalities, eq(municipalities.id, tariffs.municipalityId))
    .where(where)
    .orderBy(asc(municipalities.name), asc(tariffs.service), asc(tariffs.validFrom))
    .all()
    .map((t) => ({ ...t, warning: tariffWarning(t.grossCents, t.netCents, t.vatRateBp) }));
}

function checkOverlap(ctx: Ctx, t: z.output<typeof tariffIn>, exceptId?: number) {
  requireService(ctx.db, t.service); // P7: a tariff names a known service
  const far = '9999-12-31';
  const clash = ctx.db
    .select()
    .from(tariffs)
    .where(
      and(
        eq(tariffs.municipalityId, t.municipalityId),
        eq(tariffs.service, t.service),
        exceptId ? ne(tariffs.id, exceptId) : undefined,
        sql`${tariffs.validFrom} <= ${t.validTo ?? far} AND coalesce(${tariffs.validTo}, ${far}) >= ${t.validFrom}`,
      ),
    )
    .get();
  if (clash) {
    throw invalidField('validFrom', `Il periodo si sovrappone alla tariffa valida dal ${formatDateIt(clash.validFrom)}`);
  }
}

export const tariffProcedures = [
  procedure({
    name: 'tariffs.list',
    title: 'Tariffe per comune e servizio, con validità',
    role: 'operatore',
    kind: 'query',
    input: z.object({ municipalityId: id.optional() }),
    output: z.array(tariffOut),
    handler: (ctx, input) => load(ctx, input.municipalityId ? eq(tariffs.municipalityId, input.municipalityId) : undefined),
  }),
  procedure({
    name: 'tariffs.create',
    title: 'Aggiunge una tariffa (prezzo pubblicato IVA inclusa, imponibile e aliquota come da delibera)',
    role: 'amministratore',
    kind: 'mutation',
    input: tariffIn,
    output: tariffOut,
    handler: (ctx, input) => {
      if (!ctx.db.select().from(municipalities).where(eq(municipalities.id, input.municipalityId)).get()) throw invalidField('municipalityId', 'Comune inesistente');
      checkOverlap(ctx, input);
      const ts = ctx.clock.now().toISOString();
      const row = ctx.db.insert(tariffs).values({ ...input, createdAt: ts, updatedAt: ts }).returning().get();
      ctx.audit({ entity: 'tariffa', entityId: row.id, action: 'creazione', after: row });
      return load(ctx, eq(tariffs.id, row.id))[0];
    },
  }),
  procedure({
    name: 'tariffs.update',
    title: 'Modifica una tariffa',
    role: 'amministratore',
    kind: 'mutation',
    input: z.intersection(z.object({ id, version }), tariffIn),
    output: tariffOut,
    handler: (ctx, input) => {
      const before = ctx.db.select().from(tariffs).where(eq(tariffs.id, input.id)).get();
      if (!before) throw notFound('Tariffa');
      expectVersion(ctx, 'tariff', input.id, input.version);
      checkOverlap(ctx, input, input.id);
      const { id: _id, version: _v, ...values } = input;
      const row = ctx.db.update(tariffs).set({ ...values, updatedAt: ctx.clock.now().toISOString(), version: nextVersion(tariffs.version) }).where(eq(tariffs.id, input.id)).returning().get();
      ctx.audit({ entity: 'tariffa', entityId: row.id, action: 'modifica', before, after: row });
      return load(ctx, eq(tariffs.id, row.id))[0];
    },
  }),
];
