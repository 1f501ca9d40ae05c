import { z } from 'zod';
import { id, isoDate } from '../contract/fields';
import { procedure, type Ctx } from '../contract/procedure';
import { invalidField } from '../contract/errors';
import { romeDateOf } from '../calendar/rome-time';
import { LEDGER_KINDS, PAYMENT_CHANNELS } from '../../db/schema';
import { getCaterer } from '../documents/caterer';
import { documentFile, documentFileOut, PDF_MIME, XLSX_MIME } from '../documents/files';
import { statementBaseName, statementPdf, statementXlsx } from './documents';
import { statementForFamily, statementForPupil, type Statement } from './statement';
import { auditedDocument } from '../audit/reads';

/** A pupil's statement, or a payer's family statement: exactly one of the two ids. */
const statementIn = z
  .object({
    pupilId: id.optional(),
    payerId: id.optional(),
    from: isoDate,
    to: isoDate,
  })
  .superRefine((v, c) => {
    if ((v.pupilId === undefined) === (v.payerId === undefined)) {
      c.addIssue({ code: 'custom', path: ['pupilId'], message: "Indicare l'alunno oppure il pagante (per l'estratto conto della famiglia)" });
    }
    if (v.from > v.to) c.addIssue({ code: 'custom', path: ['to'], message: 'La fine del periodo precede il suo inizio' });
  });

const vatLine = z.object({ vatRateBp: z.number(), meals: z.number(), netCents: z.number(), vatCents: z.number(), grossCents: z.number() });

export const statementOut = z.object({
  kind: z.enum(['alunno', 'famiglia']),
  from: z.string(),
  to: z.string(),
  holderName: z.string(),
  holderTaxCode: z.string(),
  payer: z.object({ id: z.number(), name: z.string(), taxCode: z.string(), address: z.string() }).nullable(),
  pupils: z.array(
    z.object({
      pupilId: z.number(),
      pupilName: z.string(),
      pupilTaxCode: z.string(),
      userCode: z.string(),
      schoolName: z.string(),
      className: z.string().nullable(),
      services: z.array(
        z.object({
          service: z.string(),
          serviceName: z.string(),
          openingCents: z.number(),
          creditsCents: z.number(),
          debitsCents: z.number(),
          closingCents: z.number(),
          movements: z.array(
            z.object({
              entryId: z.number(),
              date: z.string(),
              kind: z.enum(LEDGER_KINDS),
              description: z.string(),
              channel: z.enum(PAYMENT_CHANNELS).nullable(),
              amountCents: z.number(),
              balanceCents: z.number(),
            }),
          ),
          vat: z.array(vatLine),
        }),
      ),
    }),
  ),
  vatTotal: z.array(vatLine),
});

const MAX_DAYS = 3 * 366;

function load(ctx: Ctx, input: { pupilId?: number; payerId?: number; from: string; to: string }): Statement {
  const days = (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / 86_400_000;
  if (days > MAX_DAYS) throw invalidField('to', 'Periodo troppo lungo: al massimo tre anni per estratto conto');
  return input.pupilId !== undefined ? statementForPupil(ctx.db, input.pupilId, input.from, input.to) : statementForFamily(ctx.db, input.payerId!, input.from, input.to);
}

export const statementProcedures = [
  procedure({
    name: 'statements.get',
    title: "Estratto conto di un alunno o di una famiglia per un periodo: saldi iniziale e finale, movimenti, IVA dei pasti, per servizio",
    role: 'operatore',
    kind: 'query',
    input: statementIn,
    output: statementOut,
    handler: (ctx, input) => load(ctx, input),
  }),
  procedure({
    name: 'statements.xlsx',
    title: "Estratto conto in Excel (movimenti e IVA dei pasti; importi numerici in euro)",
    role: 'operatore',
    kind: 'query',
    input: statementIn,
    output: documentFileOut,
    auditedRead: auditedDocument('estratto conto', 'estratto conto in Excel'),
    handler: async (ctx, input) => {
      const s = load(ctx, input);
      const { buffer, rows } = await statementXlsx(s);
      return documentFile(`${statementBaseName(s)}.xlsx`, XLSX_MIME, buffer, rows);
    },
  }),
  procedure({
    name: 'statements.pdf',
    title: 'Estratto conto in PDF da consegnare alla famiglia',
    role: 'operatore',
    kind: 'query',
    input: statementIn,
    output: documentFileOut,
    auditedRead: auditedDocument('estratto conto', 'estratto conto in PDF'),
    handler: async (ctx, input) => {
      const s = load(ctx, input);
      const now = ctx.clock.now();
      const pdf = await statementPdf(s, getCaterer(ctx.db), now, romeDateOf(now));
      return documentFile(`${statementBaseName(s)}.pdf`, PDF_MIME, pdf, 1);
    },
  }),
];
