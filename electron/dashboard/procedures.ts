import { z } from 'zod';
import { id } from '../contract/fields';
import { currentUser, procedure } from '../contract/procedure';
import { roleAllows } from '../contract/roles';
import { buildWorklist, closeArrears } from './worklist';

const arrearsGroup = z.object({
  municipalityId: z.number(),
  municipalityName: z.string(),
  days: z.number(),
  from: z.string(),
  to: z.string(),
  schools: z.array(z.string()),
});

export const dashboardProcedures = [
  procedure({
    name: 'dashboard.worklist',
    title:
      'Lista del giorno: giornate passate da chiudere, avvisi sulle presenze, disdette di oggi (anche tardive), iscrizioni in bozza, paganti SDD senza mandato, anni senza vacanze di Natale o Pasqua, diete da approvare, distinta SDD del mese, passi della morosità',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.object({
      today: z.string(),
      arrears: z.object({ days: z.number(), municipalities: z.array(arrearsGroup) }),
      unreadNotices: z.number(),
      cancellationsToday: z.number(),
      lateCancellationsToday: z.number(),
      draftEnrollments: z.number(),
      sddWithoutMandate: z.number(),
      sddWithoutMandateYearId: z.number().nullable(),
      missingBreaks: z.array(
        z.object({
          schoolYearId: z.number(),
          schoolYearLabel: z.string(),
          municipalityId: z.number(),
          municipalityName: z.string(),
          christmas: z.boolean(),
          easter: z.boolean(),
        }),
      ),
      dietsToApprove: z.number().nullable(),
      sddBatchMonth: z.string().nullable(),
      sddBatchPayers: z.number(),
      debtActions: z.number(),
    }),
    handler: (ctx) => buildWorklist(ctx, roleAllows(currentUser(ctx).role, 'supervisore')),
  }),
  procedure({
    name: 'dashboard.closeArrears',
    title:
      "Chiude in ordine tutte le giornate passate rimaste aperte (di tutti i comuni o di uno), ciascuna come la chiusura a mano; si ferma alla prima che non riesce, con il motivo",
    // the same role as the manual day close (attendance.closeDay)
    role: 'operatore',
    kind: 'mutation',
    changes: ['attendance', 'ledger'],
    input: z.object({ municipalityId: id.optional() }),
    output: z.object({
      closedDays: z.number(),
      meals: z.number(),
      byMunicipality: z.array(z.object({ municipalityId: z.number(), municipalityName: z.string(), days: z.number(), meals: z.number(), from: z.string(), to: z.string() })),
      failure: z.object({ municipalityId: z.number(), municipalityName: z.string(), date: z.string(), message: z.string() }).nullable(),
      message: z.string(),
    }),
    handler: (ctx, input) => closeArrears(ctx, input),
  }),
];
