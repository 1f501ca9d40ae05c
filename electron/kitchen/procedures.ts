import { z } from 'zod';
import { id, isoDate } from '../contract/fields';
import { procedure, type Ctx } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { exportFileOut } from '../exports/xlsx';
import { kitchenReport } from './report';
import { kitchenWorkbook } from './workbook';

const dayOf = (ctx: Ctx, date: string | undefined) => date ?? romeDateOf(ctx.clock.now());

const dietOut = z.object({ diet: z.string(), meals: z.number() });
const dietPupilOut = z.object({
  pupilId: z.number(),
  pupilName: z.string(),
  diets: z.array(z.string()),
  allergens: z.array(z.string()),
  details: z.string(),
  medical: z.boolean(),
  isNew: z.boolean(),
  renewalPending: z.boolean(),
});
const classOut = z.object({
  classId: z.number().nullable(),
  className: z.string(),
  meals: z.number(),
  plain: z.number(),
  diets: z.array(dietOut),
  dietPupils: z.array(dietPupilOut),
});
const schoolOut = z.object({ schoolId: z.number(), schoolName: z.string(), meals: z.number(), plain: z.number(), classes: z.array(classOut) });
const municipalityOut = z.object({
  municipalityId: z.number(),
  municipalityName: z.string(),
  cutoffTime: z.string(),
  cutoffAt: z.string(),
  cutoffPassed: z.boolean(),
  closed: z.boolean(),
  closedAt: z.string().nullable(),
  provisional: z.boolean(),
  meals: z.number(),
  plain: z.number(),
  schools: z.array(schoolOut),
});

/** date: default today (Rome), what the dashboard shows */
const reportIn = z.object({ date: isoDate.optional(), municipalityId: id.optional() });

export const kitchenProcedures = [
  procedure({
    name: 'kitchen.report',
    title: "Riepilogo pasti del giorno per comune, scuola e classe, con pasti in bianco e diete speciali; provvisorio finché la giornata non è chiusa",
    role: 'operatore',
    kind: 'query',
    input: reportIn,
    output: z.object({
      date: z.string(),
      generatedAt: z.string(),
      provisional: z.boolean(),
      meals: z.number(),
      plain: z.number(),
      dietMeals: z.number(),
      municipalities: z.array(municipalityOut),
    }),
    handler: (ctx, input) => kitchenReport(ctx.db, ctx.sqlite, dayOf(ctx, input.date), ctx.clock.now(), input.municipalityId),
  }),
  procedure({
    name: 'kitchen.export',
    title: 'Esporta in Excel il riepilogo pasti del giorno (una riga per classe, i totali di ogni scuola e il totale generale) e le diete speciali (una riga per alunno)',
    role: 'operatore',
    kind: 'query',
    input: reportIn,
    output: exportFileOut,
    handler: (ctx, input) => kitchenWorkbook(kitchenReport(ctx.db, ctx.sqlite, dayOf(ctx, input.date), ctx.clock.now(), input.municipalityId)),
  }),
];
