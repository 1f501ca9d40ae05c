import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { enrollments } from '../../db/schema';
import { id, isoDate, listQuery, page, weekdays, weekdaysToText } from '../contract/fields';
import { currentUser, procedure, type Ctx } from '../contract/procedure';
import { invalid, invalidField, notFound } from '../contract/errors';
import { expectVersion, nextVersion, version } from '../contract/versions';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { auditedExport } from '../audit/reads';
import { romeDateOf } from '../calendar/rome-time';
import {
  ENROLLMENT_SORTS,
  ENROLLMENT_STATUSES,
  PAYMENT_METHODS,
  activationIssues,
  assertTransition,
  checkEnrollment,
  getEnrollment,
  insertEnrollment,
  listEnrollments,
  renewEnrollments,
  syncPupilPlace,
  windowWarning,
} from './service';
import { checkParents, getParents, mergeParents, parentsIn, parentsOut, parentsPatch, saveParents } from './parents';
import { weekdayShort } from '../contract/vocabulary/weekdays';
import { assertEnrollmentAllowed, renewalRefusals } from '../debts/enrollment-blocks';

const STATUS_LABEL = { bozza: 'Bozza', attiva: 'Attiva', sospesa: 'Sospesa', ritirata: 'Ritirata' } as const;

const enrollmentIn = z.object({
  pupilId: id,
  schoolYearId: id,
  payerId: id,
  schoolId: id,
  classId: id.nullable().default(null),
  weekdays,
  paymentMethod: z.enum(PAYMENT_METHODS, { error: 'Scegliere prepagato o SDD' }),
  startsOn: isoDate.nullable().default(null),
  notes: z.string().trim().max(2000).default(''),
});

export const enrollmentOut = z.object({
  id: z.number(),
  pupilId: z.number(),
  pupilName: z.string(),
  pupilTaxCode: z.string(),
  userCode: z.string(),
  schoolYearId: z.number(),
  schoolYearLabel: z.string(),
  payerId: z.number(),
  payerName: z.string(),
  schoolId: z.number(),
  schoolName: z.string(),
  municipalityName: z.string(),
  classId: z.number().nullable(),
  className: z.string().nullable(),
  weekdays: z.array(z.number()),
  paymentMethod: z.enum(PAYMENT_METHODS),
  status: z.enum(ENROLLMENT_STATUSES),
  startsOn: z.string(),
  activatedOn: z.string().nullable(),
  suspendedOn: z.string().nullable(),
  withdrawnOn: z.string().nullable(),
  withdrawalReason: z.string().nullable(),
  renewedFromId: z.number().nullable(),
  notes: z.string(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
});

const filter = z.object({
  schoolYearId: id.optional(),
  status: z.enum(ENROLLMENT_STATUSES).optional(),
  schoolId: id.optional(),
  municipalityId: id.optional(),
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
  search: listQuery.search,
  sort: z.enum(ENROLLMENT_SORTS).default('pupil'),
  sortDir: listQuery.sortDir,
});

const today = (ctx: Ctx) => romeDateOf(ctx.clock.now());

function rowFor(ctx: Ctx, enrollmentId: number) {
  const row = ctx.db.select().from(enrollments).where(eq(enrollments.id, enrollmentId)).get();
  if (!row) throw notFound('Iscrizione');
  return row;
}

/**
 * bozza → attiva (activate, operatore): see ENROLLMENT_TRANSITIONS. A suspension (sospesa → attiva)
 * is lifted by debts.suspensions.lift, the recorded decision (D2). Where the municipality refuses
 * next year's enrollment to families with debts, a draft of a year not started yet is not activated.
 */
function toActive(ctx: Ctx, enrollmentId: number) {
  const before = rowFor(ctx, enrollmentId);
  assertTransition(before.status, 'attiva', ctx.procedure, currentUser(ctx).role);
  const issues = activationIssues(ctx.db, before);
  if (issues.length) throw invalid(issues, `Iscrizione non attivabile: ${issues.map((i) => i.message.toLowerCase()).join('; ')}`);
  assertEnrollmentAllowed(ctx.db, today(ctx), before, 'id');
  const after = ctx.db
    .update(enrollments)
    .set({ status: 'attiva', activatedOn: before.activatedOn ?? today(ctx), suspendedOn: null, updatedAt: ctx.clock.now().toISOString(), version: nextVersion(enrollments.version) })
    .where(eq(enrollments.id, enrollmentId))
    .returning()
    .get();
  syncPupilPlace(ctx.db, after.pupilId);
  ctx.audit({ entity: 'iscrizione', entityId: enrollmentId, action: 'attivazione', before, after });
  return getEnrollment(ctx.db, enrollmentId);
}

export const enrollmentProcedures = [
  procedure({
    name: 'enrollments.list',
    title: 'Iscrizioni al servizio mensa per anno scolastico, stato, scuola e modalità di pagamento',
    role: 'operatore',
    kind: 'query',
    input: filter.extend({ offset: listQuery.offset, limit: listQuery.limit }),
    output: page(enrollmentOut),
    handler: (ctx, f) => listEnrollments(ctx.db, f, { offset: f.offset, limit: f.limit }),
  }),
  procedure({
    name: 'enrollments.export',
    title: 'Esporta in Excel le iscrizioni filtrate',
    role: 'operatore',
    kind: 'query',
    input: filter,
    output: exportFileOut,
    auditedRead: auditedExport('iscrizione', 'esportazione delle iscrizioni (codici fiscali degli alunni)'),
    handler: (ctx, f) =>
      exportFile('iscrizioni', today(ctx), 'Iscrizioni', [
        { header: 'Anno scolastico', value: (r) => r.schoolYearLabel },
        { header: 'Alunno', value: (r) => r.pupilName, width: 28 },
        { header: 'Codice fiscale', type: 'text', value: (r) => r.pupilTaxCode, width: 20 },
        { header: 'Codice utente', type: 'text', value: (r) => r.userCode },
        { header: 'Comune', value: (r) => r.municipalityName, width: 16 },
        { header: 'Scuola', value: (r) => r.schoolName, width: 30 },
        { header: 'Classe', value: (r) => r.className },
        { header: 'Giorni', value: (r) => r.weekdays.map(weekdayShort).join(' '), width: 22 },
        { header: 'Pagamento', value: (r) => (r.paymentMethod === 'sdd' ? 'SDD' : 'Prepagato') },
        { header: 'Stato', value: (r) => STATUS_LABEL[r.status] },
        { header: 'Dal', type: 'date', value: (r) => r.startsOn },
        { header: 'Ritiro', type: 'date', value: (r) => r.withdrawnOn },
        { header: 'Pagante', value: (r) => r.payerName, width: 28 },
      ], listEnrollments(ctx.db, f, null).rows),
  }),
  procedure({
    name: 'enrollments.get',
    title: 'Dettaglio di un\'iscrizione',
    role: 'operatore',
    kind: 'query',
    input: z.object({ id }),
    output: enrollmentOut.extend(parentsOut.shape).extend({ activationIssues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })) }),
    handler: (ctx, { id: enrollmentId }) => {
      const e = getEnrollment(ctx.db, enrollmentId);
      return { ...e, ...getParents(ctx.db, enrollmentId), activationIssues: e.status === 'ritirata' ? [] : activationIssues(ctx.db, e) };
    },
  }),
  procedure({
    name: 'enrollments.create',
    title: 'Iscrive un alunno al servizio mensa per un anno scolastico (E1, E3, E4)',
    role: 'operatore',
    kind: 'mutation',
    // who pays (issue 6): who enrolled, the second parent, whom the 730 names and the parents' shares
    input: enrollmentIn.extend({ activate: z.boolean().default(true), ...parentsIn }),
    output: z.object({ enrollment: enrollmentOut, warnings: z.array(z.string()) }),
    handler: (ctx, { activate, ...input }) => {
      checkEnrollment(ctx.db, input);
      checkParents(ctx.db, input);
      assertEnrollmentAllowed(ctx.db, today(ctx), input);
      const row = insertEnrollment(ctx.db, ctx.clock.now().toISOString(), today(ctx), input, activate ? 'attiva' : 'bozza');
      saveParents(ctx.db, row.id, ctx.clock.now().toISOString(), input);
      ctx.audit({ entity: 'iscrizione', entityId: row.id, action: 'creazione', after: { ...row, ...getParents(ctx.db, row.id) } });
      const warning = windowWarning(ctx.db, input.schoolId, today(ctx));
      return { enrollment: getEnrollment(ctx.db, row.id), warnings: warning ? [warning] : [] };
    },
  }),
  procedure({
    name: 'enrollments.update',
    title: 'Modifica pagante, classe, giorni di fruizione o modalità di pagamento di un\'iscrizione',
    role: 'operatore',
    kind: 'mutation',
    input: z.intersection(z.object({ id, version }), enrollmentIn.extend(parentsPatch)),
    output: enrollmentOut,
    handler: (ctx, input) => {
      const before = rowFor(ctx, input.id);
      expectVersion(ctx, 'enrollment', input.id, input.version);
      if (before.status === 'ritirata') throw invalidField('id', "L'iscrizione è ritirata: non si modifica più");
      if (input.pupilId !== before.pupilId) throw invalidField('pupilId', "L'alunno di un'iscrizione non si cambia: creare una nuova iscrizione");
      checkEnrollment(ctx.db, input, input.id);
      if (input.payerId !== before.payerId || input.schoolYearId !== before.schoolYearId || input.schoolId !== before.schoolId) assertEnrollmentAllowed(ctx.db, today(ctx), input);
      const parentsBefore = getParents(ctx.db, input.id);
      const parents = mergeParents(parentsBefore, input);
      checkParents(ctx.db, parents);
      if (before.status === 'attiva' || before.status === 'sospesa') {
        const issues = activationIssues(ctx.db, input);
        if (issues.length) throw invalid(issues);
      }
      const after = ctx.db
        .update(enrollments)
        .set({
          payerId: input.payerId,
          schoolYearId: input.schoolYearId,
          schoolId: input.schoolId,
          classId: input.classId,
          weekdays: weekdaysToText(input.weekdays),
          paymentMethod: input.paymentMethod,
          startsOn: input.startsOn ?? before.startsOn,
          notes: input.notes,
          updatedAt: ctx.clock.now().toISOString(),
          version: nextVersion(enrollments.version),
        })
        .where(eq(enrollments.id, input.id))
        .returning()
        .get();
      saveParents(ctx.db, input.id, ctx.clock.now().toISOString(), parents);
      syncPupilPlace(ctx.db, after.pupilId);
      ctx.audit({ entity: 'iscrizione', entityId: after.id, action: 'modifica', before: { ...before, ...parentsBefore }, after: { ...after, ...getParents(ctx.db, input.id) } });
      return getEnrollment(ctx.db, after.id);
    },
  }),
  procedure({
    name: 'enrollments.activate',
    title: 'Attiva un\'iscrizione in bozza (E3 verificato)',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ id }),
    output: enrollmentOut,
    handler: (ctx, { id: enrollmentId }) => toActive(ctx, enrollmentId),
  }),
  procedure({
    name: 'enrollments.withdraw',
    title: 'Ritiro dal servizio con data (E6): da quel giorno nessun pasto è prenotato',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ id, date: isoDate, reason: z.string().trim().min(3, { message: 'Indicare il motivo del ritiro' }).max(500) }),
    output: enrollmentOut,
    handler: (ctx, input) => {
      const before = rowFor(ctx, input.id);
      assertTransition(before.status, 'ritirata', ctx.procedure, currentUser(ctx).role);
      if (input.date < before.startsOn) throw invalidField('date', "La data di ritiro precede l'inizio dell'iscrizione");
      const after = ctx.db
        .update(enrollments)
        .set({ status: 'ritirata', withdrawnOn: input.date, withdrawalReason: input.reason, updatedAt: ctx.clock.now().toISOString(), version: nextVersion(enrollments.version) })
        .where(eq(enrollments.id, input.id))
        .returning()
        .get();
      ctx.audit({ entity: 'iscrizione', entityId: input.id, action: 'ritiro', before, after });
      return getEnrollment(ctx.db, input.id);
    },
  }),
  procedure({
    name: 'enrollments.renew',
    title: 'Rinnovo: copia le iscrizioni non ritirate in un nuovo anno scolastico, come bozze precompilate (E2)',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ fromSchoolYearId: id, toSchoolYearId: id, enrollmentIds: z.array(id).optional() }),
    // D2: the families the municipality refuses for the new year (debts) are not renewed: `blocked` says who and why
    output: z.object({ created: z.number(), skipped: z.number(), createdIds: z.array(z.number()), blocked: z.array(z.object({ enrollmentId: z.number(), pupilId: z.number(), pupilName: z.string(), message: z.string() })) }),
    handler: (ctx, input) => {
      const t = today(ctx);
      const r = renewEnrollments(ctx.db, ctx.clock.now().toISOString(), t, input.fromSchoolYearId, input.toSchoolYearId, input.enrollmentIds, (source) =>
        renewalRefusals(ctx.db, t, input.toSchoolYearId, source),
      );
      const blocked = r.blocked.map((b) => ({ ...b, pupilName: getEnrollment(ctx.db, b.enrollmentId).pupilName }));
      ctx.audit({ entity: 'iscrizione', action: `rinnovo ${r.fromLabel} → ${r.toLabel}`, after: { created: r.created.length, skipped: r.skipped, ids: r.created, negate: blocked.map((b) => b.enrollmentId) } });
      return { created: r.created.length, skipped: r.skipped, createdIds: r.created, blocked };
    },
  }),
];
