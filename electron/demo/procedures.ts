import { z } from 'zod';
import { procedure } from '../contract/procedure';
import { seedDemo } from './seed';
import { seedDemoMoney } from './money';
import { seedDemoSdd } from './sdd';

export const demoProcedures = [
  procedure({
    name: 'demo.seed',
    title: 'Crea un ufficio dimostrativo (Clusone e Cassino, scuole, alunni, paganti, iscrizioni): solo su un database vuoto',
    role: 'amministratore',
    kind: 'mutation',
    // strict: a payload with unexpected fields is refused rather than taken for "all defaults"
    input: z.strictObject({
      pupils: z.number().int().min(1, { message: 'Almeno 1 alunno' }).max(100_000, { message: 'Al massimo 100.000 alunni' }).default(2000),
      seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
      /** re-creates a database that holds only the demo office; never overrides real data */
      force: z.boolean().default(false),
      /** a money history: last school days closed and charged, top-ups, payments, a few debts (issue 6) */
      money: z.boolean().default(true),
    }),
    output: z.object({
      seed: z.number().int(),
      replaced: z.boolean(),
      municipalities: z.number().int(),
      schoolYears: z.number().int(),
      tariffs: z.number().int(),
      schools: z.number().int(),
      classes: z.number().int(),
      payers: z.number().int(),
      pupils: z.number().int(),
      enrollments: z.number().int(),
      money: z.object({ closedDays: z.number().int(), meals: z.number().int(), topUps: z.number().int(), payments: z.number().int(), mandates: z.number().int() }).nullable(),
    }),
    handler: (ctx, input) => {
      const counts = seedDemo(ctx.sqlite, input, ctx.clock.now().toISOString());
      // once money is recorded the demo office cannot be re-created with force: the ledger is append-only
      // with the money history, the SDD creditor settings and a mandate for each SDD payer (never deleted either)
      const money = input.money ? { ...seedDemoMoney(ctx.sqlite, ctx.clock.now().toISOString(), input.seed), ...seedDemoSdd(ctx.sqlite, ctx.clock.now().toISOString()) } : null;
      // one audit record for the whole demo office
      ctx.audit({ entity: 'dati_dimostrativi', action: counts.replaced ? 'ricreazione' : 'creazione', after: { seed: input.seed, ...counts } });
      return { seed: input.seed, ...counts, money };
    },
  }),
];
