/**
 * The pagoPA notices the fees office issues (P6; electron/debts/notices.ts): issue, list, cancel,
 * print. Office users only (D3); issuing and cancelling are audited mutations, printing an audited
 * read (the notice names the parent and the pupil).
 */
import { z } from 'zod';
import { id, isoDate, lineText, multilineText, cents } from '../contract/fields';
import { actorOf, procedure, type Ctx } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { auditedDocument } from '../audit/reads';
import { getCaterer } from '../documents/caterer';
import { documentFile, documentFileOut, PDF_MIME } from '../documents/files';
import { notFound } from '../contract/errors';
import { cancelNotice, issueNotice, lastIssuer, listNotices, NOTICE_STATUSES, P6_GROUNDS, p6Ground, payerPupils } from './notices';
import { noticeFileName, noticePdf, noticeQrPayload } from './notice-pdf';

const today = (ctx: Ctx) => romeDateOf(ctx.clock.now());

const status = z.enum(NOTICE_STATUSES);

export const noticeOut = z.object({
  id: z.number(),
  payerId: z.number(),
  payerName: z.string(),
  payerTaxCode: z.string(),
  pupilId: z.number(),
  pupilName: z.string(),
  pupilTaxCode: z.string(),
  service: z.string(),
  serviceName: z.string(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  amountCents: z.number(),
  dueOn: z.string(),
  noticeNumber: z.string(),
  iuv: z.string(),
  creditorFiscalCode: z.string(),
  description: z.string(),
  issuedOn: z.string(),
  issuedAt: z.string(),
  issuedByName: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  status,
  paidOn: z.string().nullable(),
  paymentId: z.number().nullable(),
  overdueDays: z.number(),
  qrPayload: z.string(),
});

const withQr = <T extends Parameters<typeof noticeQrPayload>[0]>(n: T) => ({ ...n, qrPayload: noticeQrPayload(n) });

export const noticeProcedures = [
  procedure({
    name: 'pagopa.notices.list',
    title: "Avvisi pagoPA emessi dall'ufficio (P6), di una famiglia o di un comune: stato calcolato (da pagare, pagato, annullato), giorni di ritardo; per una famiglia anche se può riceverne (P6)",
    role: 'operatore',
    kind: 'query',
    input: z.object({ payerId: id.optional(), municipalityId: id.optional(), status: status.optional() }),
    output: z.object({
      rows: z.array(noticeOut),
      /** the payer's P6 ground (only when a payer is asked for): null when the family may not pay by notice */
      p6Ground: z.enum(P6_GROUNDS).nullable(),
      /** the creditor and segregation code of the latest notice, to prefill the next one */
      lastIssuer: z.object({ creditorFiscalCode: z.string(), segregationCode: z.string() }).nullable(),
      /** the payer's pupils (only when a payer is asked for): who a new notice can name */
      pupils: z.array(z.object({ pupilId: z.number(), name: z.string(), taxCode: z.string(), municipalityName: z.string().nullable() })),
    }),
    handler: (ctx, f) => ({
      rows: listNotices(ctx.db, today(ctx), f).map(withQr),
      p6Ground: f.payerId !== undefined ? p6Ground(ctx.db, f.payerId) : null,
      lastIssuer: lastIssuer(ctx.db),
      pupils: f.payerId !== undefined ? payerPupils(ctx.db, f.payerId) : [],
    }),
  }),
  procedure({
    name: 'pagopa.notices.issue',
    title: "Emette un avviso pagoPA per un alunno di una famiglia ammessa (P6: senza conto, con insoluti o con l'eccezione): numero avviso a 18 cifre con controllo mod 93, IUV, ente creditore, importo, scadenza, causale",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      payerId: id,
      pupilId: id,
      service: z.string().trim().min(1, { message: 'Indicare il servizio' }).max(40),
      amountCents: cents.min(1, { message: "L'importo deve essere maggiore di zero" }).max(10_000_000, { message: "L'importo supera il massimo ammesso (100.000 €)" }),
      dueOn: isoDate,
      creditorFiscalCode: z.string().trim().regex(/^\d{11}$/, { message: "Il codice fiscale dell'ente creditore ha 11 cifre" }),
      segregationCode: z.string().trim().regex(/^\d{2}$/, { message: 'Il codice di segregazione ha 2 cifre' }),
      description: lineText().trim().max(140, { message: 'La causale ha al massimo 140 caratteri' }).optional(),
    }),
    output: noticeOut,
    handler: (ctx, input) => {
      const t = today(ctx);
      const noticeId = issueNotice(ctx.db, input, t, actorOf(ctx));
      const n = listNotices(ctx.db, t, { id: noticeId })[0];
      ctx.audit({
        entity: 'avviso_pagopa',
        entityId: n.id,
        action: `avviso pagoPA ${n.noticeNumber} emesso`,
        after: { pagante: n.payerId, alunno: n.pupilId, servizio: n.service, importo: n.amountCents, scadenza: n.dueOn, avviso: n.noticeNumber, iuv: n.iuv, ente: n.creditorFiscalCode, causale: n.description },
      });
      return withQr(n);
    },
  }),
  procedure({
    name: 'pagopa.notices.cancel',
    title: 'Annulla un avviso pagoPA non pagato, una volta sola, con il motivo',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ noticeId: id, reason: multilineText().trim().min(3, { message: 'Indicare il motivo (almeno 3 caratteri)' }).max(1000) }),
    output: noticeOut,
    handler: (ctx, input) => {
      const { before, after } = cancelNotice(ctx.db, input.noticeId, input.reason, today(ctx), actorOf(ctx));
      ctx.audit({ entity: 'avviso_pagopa', entityId: input.noticeId, action: `avviso pagoPA ${after.noticeNumber} annullato`, before: { stato: before.status }, after: { stato: after.status, motivo: after.cancelReason } });
      return withQr(after);
    },
  }),
  procedure({
    name: 'pagopa.notices.pdf',
    title: "L'avviso pagoPA in PDF da consegnare alla famiglia (codice avviso, ente, importo, scadenza, codice QR)",
    role: 'operatore',
    kind: 'query',
    input: z.object({ noticeId: id }),
    output: documentFileOut,
    auditedRead: auditedDocument('avviso_pagopa', 'avviso pagoPA in PDF'),
    handler: async (ctx, { noticeId }) => {
      const n = listNotices(ctx.db, today(ctx), { id: noticeId })[0];
      if (!n) throw notFound('Avviso pagoPA');
      const pdf = await noticePdf(n, getCaterer(ctx.db), ctx.clock.now());
      return documentFile(noticeFileName(n), PDF_MIME, pdf, 1);
    },
  }),
];
