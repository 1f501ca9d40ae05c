/**
 * The contract's procedures for suspensions of the service and refusals of next year's enrollment
 * (issue 11, D2). For the fees office only (D3): nothing here feeds the kitchen report, the
 * schools' lists or the family portal, which only see that a pupil has no meal. Deciding, lifting
 * and waiving are for supervisors; mutations run in the dispatcher's transaction and are audited.
 */
import { z } from 'zod';
import { SUSPENSION_LIFT_REASONS } from '../../db/schema';
import { id, isoDate, multilineText } from '../contract/fields';
import { actorOf, currentUser, procedure, type Ctx } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { blockedFamilies, waiveBlock } from './enrollment-blocks';
import { checkSuspension, createSuspensions, liftSuspensions, listSuspensions, SUSPENSION_STATUSES } from './suspensions';

const today = (ctx: Ctx) => romeDateOf(ctx.clock.now());
const who = (ctx: Ctx) => ({ ...actorOf(ctx), role: currentUser(ctx).role, procedure: ctx.procedure });

const reason = multilineText().trim().min(3, { message: 'Indicare il motivo (almeno 3 caratteri)' }).max(1000);

const noticeOut = z.object({
  stepId: z.number(),
  stepName: z.string(),
  channel: z.string(),
  channelLabel: z.string(),
  reachedOn: z.string(),
  deliveredOn: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  daysToPay: z.number(),
  suspendableFrom: z.string().nullable(),
});

const suspensionOut = z.object({
  id: z.number(),
  enrollmentId: z.number(),
  pupilId: z.number(),
  pupilName: z.string(),
  schoolName: z.string(),
  className: z.string().nullable(),
  schoolYearLabel: z.string(),
  payerId: z.number(),
  payerName: z.string(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  startsOn: z.string(),
  reason: z.string(),
  origin: z.enum(['decisione', 'pregressa']),
  notice: noticeOut.nullable(),
  decidedAt: z.string(),
  decidedBy: z.string().nullable(),
  liftedOn: z.string().nullable(),
  liftReason: z.enum(SUSPENSION_LIFT_REASONS).nullable(),
  liftNote: z.string().nullable(),
  liftedAt: z.string().nullable(),
  liftedBy: z.string().nullable(),
  status: z.enum(SUSPENSION_STATUSES),
});

const checkOut = z.object({
  payerId: z.number(),
  payerName: z.string(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  startsOn: z.string(),
  allowed: z.boolean(),
  problems: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
  owedCents: z.number(),
  notice: noticeOut.nullable(),
  notices: z.array(noticeOut),
  earliestStart: z.string().nullable(),
  pupils: z.array(
    z.object({
      pupilId: z.number(),
      pupilName: z.string(),
      enrollmentId: z.number().nullable(),
      schoolName: z.string(),
      className: z.string().nullable(),
      schoolYearLabel: z.string(),
      problem: z.string().nullable(),
      suspendedSince: z.string().nullable(),
    }),
  ),
});

const blockOut = z.object({
  payerId: z.number(),
  payerName: z.string(),
  payerTaxCode: z.string(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  schoolYearId: z.number(),
  schoolYearLabel: z.string(),
  owedCents: z.number(),
  message: z.string(),
  waiver: z.object({ id: z.number(), payerId: z.number(), municipalityId: z.number(), schoolYearId: z.number(), reason: z.string(), grantedAt: z.string(), grantedBy: z.string().nullable() }).nullable(),
});

export const suspensionProcedures = [
  procedure({
    name: 'debts.suspensions.list',
    title: 'D2: sospensioni del servizio per morosità (di una famiglia, di un comune o tutte), con la diffida che seguono, chi ha deciso e la revoca; anche la storia',
    role: 'operatore',
    kind: 'query',
    input: z.object({ payerId: id.optional(), municipalityId: id.optional(), pupilId: id.optional(), currentOnly: z.boolean().default(false) }),
    output: z.array(suspensionOut),
    handler: (ctx, f) => listSuspensions(ctx.db, today(ctx), f),
  }),
  procedure({
    name: 'debts.suspensions.check',
    title: 'D2: si può sospendere questa famiglia da quella data? La diffida consegnata che la sospensione segue, gli alunni sospendibili e, se no, perché',
    role: 'operatore',
    kind: 'query',
    input: z.object({ payerId: id, municipalityId: id, startsOn: isoDate, noticeStepId: id.nullable().default(null) }),
    output: checkOut,
    handler: (ctx, input) => checkSuspension(ctx.db, today(ctx), input, ctx.clock.now()),
  }),
  procedure({
    name: 'debts.suspensions.create',
    title: 'D2: sospende il servizio ad alunni di una famiglia da una data, dopo una diffida consegnata (decisione registrata; solo il supervisore)',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({
      payerId: id,
      municipalityId: id,
      pupilIds: z.array(id).min(1, { message: 'Scegliere almeno un alunno' }).max(20),
      startsOn: isoDate,
      noticeStepId: id.nullable().default(null),
      reason,
    }),
    output: z.array(suspensionOut),
    handler: (ctx, input) => {
      const rows = createSuspensions(ctx.db, today(ctx), input, who(ctx));
      for (const r of rows) {
        ctx.audit({
          entity: 'sospensione',
          entityId: r.id,
          action: `sospensione del servizio dal ${r.startsOn}`,
          after: { alunno: r.pupilId, iscrizione: r.enrollmentId, pagante: r.payerId, comune: r.municipalityId, dal: r.startsOn, motivo: r.reason, diffida: r.notice?.stepId ?? null },
        });
      }
      return rows;
    },
  }),
  procedure({
    name: 'debts.suspensions.lift',
    title: 'D2: revoca sospensioni (una volta sola): dalla data indicata i pasti tornano prenotati; motivo: pagamento, piano di rientro o decisione',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({
      suspensionIds: z.array(id).min(1, { message: 'Scegliere almeno una sospensione' }).max(20),
      liftedOn: isoDate.optional(),
      reason: z.enum(SUSPENSION_LIFT_REASONS, { error: 'Scegliere il motivo della revoca' }),
      note: multilineText().trim().max(1000).default(''),
    }),
    output: z.array(suspensionOut),
    handler: (ctx, input) => {
      const { before, after } = liftSuspensions(ctx.db, today(ctx), input, who(ctx));
      for (const a of after) {
        ctx.audit({ entity: 'sospensione', entityId: a.id, action: `revoca della sospensione dal ${a.liftedOn}`, before: before.find((b) => b.id === a.id), after: a });
      }
      return after;
    },
  }),
  procedure({
    name: 'debts.enrollmentBlocks.list',
    title: "D2: famiglie a cui il regolamento del comune nega l'iscrizione a un anno scolastico non ancora iniziato, per debiti, con le deroghe concesse",
    role: 'operatore',
    kind: 'query',
    input: z.object({ schoolYearId: id, municipalityId: id.optional(), payerId: id.optional() }),
    output: z.array(blockOut),
    handler: (ctx, f) => blockedFamilies(ctx.db, today(ctx), f.schoolYearId, { municipalityId: f.municipalityId, payerIds: f.payerId !== undefined ? [f.payerId] : undefined }),
  }),
  procedure({
    name: 'debts.enrollmentBlocks.waive',
    title: "D2: concede a una famiglia con debiti l'iscrizione a un anno scolastico nonostante il diniego del regolamento, con il motivo (solo il supervisore)",
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ payerId: id, municipalityId: id, schoolYearId: id, reason: multilineText().trim().min(3, { message: 'Indicare il motivo (almeno 3 caratteri)' }).max(1000) }),
    output: blockOut,
    handler: (ctx, input) => {
      const b = waiveBlock(ctx.db, today(ctx), input, actorOf(ctx));
      ctx.audit({ entity: 'deroga_iscrizione', entityId: b.waiver?.id, action: `deroga al diniego dell'iscrizione ${b.schoolYearLabel}`, after: { pagante: b.payerId, comune: b.municipalityId, anno: b.schoolYearId, debito: b.owedCents, motivo: input.reason } });
      return b;
    },
  }),
];
