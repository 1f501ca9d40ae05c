import { z } from 'zod';
import { id, isoDate } from '../contract/fields';
import { procedure, type Ctx } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { addSheet, exportFileOut, newWorkbook, workbookBytes } from '../exports/xlsx';
import { kitchenReport } from './report';

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
    title: 'Esporta in Excel il riepilogo pasti del giorno (una riga per classe) e le diete speciali (una riga per alunno)',
    role: 'operatore',
    kind: 'query',
    input: reportIn,
    output: exportFileOut,
    handler: async (ctx, input) => {
      const r = kitchenReport(ctx.db, ctx.sqlite, dayOf(ctx, input.date), ctx.clock.now(), input.municipalityId);
      const rows = r.municipalities.flatMap((m) =>
        m.schools.flatMap((s) => s.classes.map((c) => ({ date: r.date, m, s, c }))),
      );
      const dietRows = rows.flatMap((x) => x.c.dietPupils.map((p) => ({ ...x, p })));
      const wb = newWorkbook('Riepilogo pasti');
      const count = addSheet(wb, 'Riepilogo pasti', [
        { header: 'Data', type: 'date', value: (x) => x.date },
        { header: 'Comune', width: 18, value: (x) => x.m.municipalityName },
        { header: 'Scuola', width: 30, value: (x) => x.s.schoolName },
        { header: 'Classe', value: (x) => x.c.className },
        { header: 'Pasti', type: 'number', value: (x) => x.c.meals },
        { header: 'Di cui in bianco', type: 'number', value: (x) => x.c.plain },
        { header: 'Diete speciali', width: 30, value: (x) => (x.c.diets.length ? x.c.diets.map((d) => `${d.diet}: ${d.meals}`).join('; ') : 'nessuna') },
        { header: 'Stato', width: 14, value: (x) => (x.m.provisional ? 'Provvisorio' : 'Definitivo') },
      ], rows);
      addSheet(wb, 'Diete speciali', [
        { header: 'Data', type: 'date', value: (x) => x.date },
        { header: 'Comune', width: 18, value: (x) => x.m.municipalityName },
        { header: 'Scuola', width: 30, value: (x) => x.s.schoolName },
        { header: 'Classe', value: (x) => x.c.className },
        { header: 'Alunno', width: 28, value: (x) => x.p.pupilName },
        { header: 'Dieta', width: 36, value: (x) => x.p.diets.join(', ') },
        { header: 'Allergeni', width: 30, value: (x) => x.p.allergens.join(', ') },
        { header: 'Note', width: 30, value: (x) => x.p.details },
        { header: 'Segnalazione', width: 16, value: (x) => [x.p.isNew ? 'NUOVA' : '', x.p.renewalPending ? 'da rinnovare' : ''].filter(Boolean).join(', ') },
      ], dietRows);
      // named after the day of the report, not the day of the export
      return { fileName: `riepilogo-pasti-${r.date}.xlsx`, contentBase64: (await workbookBytes(wb)).toString('base64'), rows: count };
    },
  }),
];
