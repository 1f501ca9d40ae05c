import { z } from 'zod';
import { lineText } from '../contract/fields';
import { procedure } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { MATCH_KINDS, SEARCH_KINDS, searchPeople } from './service';

const personHitOut = z.object({
  kind: z.enum(SEARCH_KINDS),
  id: z.number(),
  lastName: z.string(),
  firstName: z.string(),
  taxCode: z.string(),
  userCode: z.string().nullable(),
  schoolName: z.string().nullable(),
  className: z.string().nullable(),
  municipalityName: z.string().nullable(),
  related: z.string().nullable(),
  matchedBy: z.enum(MATCH_KINDS),
});

export const searchProcedures = [
  procedure({
    name: 'search.people',
    title: 'Ricerca globale: alunni e paganti per cognome e nome (in qualsiasi ordine, anche in parte, senza accenti), codice fiscale, codice utente (badge) o codice disdetta telefonica',
    role: 'operatore',
    kind: 'query',
    input: z.object({
      query: lineText()
        .trim()
        .min(2, { message: 'Scrivere almeno 2 caratteri' })
        .max(100, { message: 'Al massimo 100 caratteri' }),
      limit: z.number().int({ message: 'Il numero di risultati è un intero' }).min(1, { message: 'Almeno 1 risultato' }).max(50, { message: 'Al massimo 50 risultati' }).default(12),
    }),
    output: z.object({ hits: z.array(personHitOut), more: z.boolean() }),
    handler: (ctx, { query, limit }) => searchPeople(ctx.db, query, limit, romeDateOf(ctx.clock.now())),
  }),
];
