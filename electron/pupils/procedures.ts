import { z } from 'zod';
import { asc, eq } from 'drizzle-orm';
import { classes, enrollments, pupils, schools, schoolYears, payers } from '../../db/schema';
import { id, isoDate, listQuery, page, requiredText } from '../contract/fields';
import { taxCode } from '../contract/identifier-fields';
import { procedure } from '../contract/procedure';
import { expectVersion, nextVersion, version } from '../contract/versions';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { auditedExport } from '../audit/reads';
import { romeDateOf } from '../calendar/rome-time';
import { BALANCE_FILTERS, PUPIL_SORTS, checkPupil, getPupil, insertPupil, listPupils, pupilSearchText, siblingsOf } from './service';

const pupilFilter = z.object({
  search: listQuery.search,
  municipalityId: id.optional(),
  schoolId: id.optional(),
  classId: id.optional(),
  schoolYearId: id.optional(),
  /** only the children of this payer (an enrollment, any year, paid by them) */
  payerId: id.optional(),
  balance: z.enum(BALANCE_FILTERS).optional(),
  sort: z.enum(PUPIL_SORTS).default('lastName'),
  sortDir: listQuery.sortDir,
});

const pupilIn = z.object({
  firstName: requiredText(80),
  lastName: requiredText(80),
  birthDate: isoDate,
  taxCode,
  schoolId: id,
  classId: id.nullable().default(null),
  notes: z.string().trim().max(2000).default(''),
});

export const pupilOut = z.object({
  id: z.number(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: z.string(),
  taxCode: z.string(),
  userCode: z.string(),
  phoneCode: z.string(),
  schoolId: z.number(),
  schoolName: z.string(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  classId: z.number().nullable(),
  className: z.string().nullable(),
  notes: z.string(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
  balanceCents: z.number(),
  totalBalanceCents: z.number(),
});

const pupilEnrollment = z.object({
  id: z.number(),
  schoolYearId: z.number(),
  schoolYearLabel: z.string(),
  status: z.string(),
  paymentMethod: z.string(),
  payerId: z.number(),
  payerName: z.string(),
  schoolName: z.string(),
  municipalityId: z.number(),
  className: z.string().nullable(),
  weekdays: z.string(),
});

/** A brother or sister: a pupil paid for by a payer of one of this pupil's enrollments (issue 12). */
const sibling = z.object({ id: z.number(), firstName: z.string(), lastName: z.string(), userCode: z.string(), schoolName: z.string(), className: z.string().nullable() });

export const pupilProcedures = [
  procedure({
    name: 'pupils.list',
    title: 'Elenco degli alunni: ricerca per nome, codice fiscale o codice utente; filtri e ordinamento',
    role: 'operatore',
    kind: 'query',
    input: pupilFilter.extend({ offset: listQuery.offset, limit: listQuery.limit }),
    output: page(pupilOut),
    handler: (ctx, f) => listPupils(ctx.db, f, { offset: f.offset, limit: f.limit }, romeDateOf(ctx.clock.now())),
  }),
  procedure({
    name: 'pupils.export',
    title: 'Esporta in Excel l\'elenco degli alunni filtrato',
    role: 'operatore',
    kind: 'query',
    input: pupilFilter,
    output: exportFileOut,
    auditedRead: auditedExport('alunno', 'esportazione degli alunni (codici fiscali)'),
    handler: (ctx, f) =>
      exportFile('alunni', romeDateOf(ctx.clock.now()), 'Alunni', [
        { header: 'Cognome', value: (r) => r.lastName, width: 20 },
        { header: 'Nome', value: (r) => r.firstName, width: 20 },
        { header: 'Data di nascita', type: 'date', value: (r) => r.birthDate },
        { header: 'Codice fiscale', type: 'text', value: (r) => r.taxCode, width: 20 },
        { header: 'Codice utente', type: 'text', value: (r) => r.userCode },
        { header: 'Codice disdetta', type: 'text', value: (r) => r.phoneCode },
        { header: 'Comune', value: (r) => r.municipalityName, width: 16 },
        { header: 'Scuola', value: (r) => r.schoolName, width: 30 },
        { header: 'Classe', value: (r) => r.className },
        { header: 'Saldo mensa', type: 'euro', value: (r) => r.balanceCents },
        { header: 'Saldo totale', type: 'euro', value: (r) => r.totalBalanceCents },
      ], listPupils(ctx.db, f, null, romeDateOf(ctx.clock.now())).rows),
  }),
  procedure({
    name: 'pupils.get',
    title: 'Scheda di un alunno con le sue iscrizioni (scuola, classe e pagante di ogni anno) e i fratelli',
    role: 'operatore',
    kind: 'query',
    input: z.object({ id }),
    output: pupilOut.extend({ enrollments: z.array(pupilEnrollment), siblings: z.array(sibling) }),
    handler: (ctx, { id: pupilId }) => {
      const p = getPupil(ctx.db, pupilId, romeDateOf(ctx.clock.now()));
      const ens = ctx.db
        .select({
          id: enrollments.id,
          schoolYearId: enrollments.schoolYearId,
          schoolYearLabel: schoolYears.label,
          status: enrollments.status,
          paymentMethod: enrollments.paymentMethod,
          payerId: enrollments.payerId,
          payerLast: payers.lastName,
          payerFirst: payers.firstName,
          schoolName: schools.name,
          municipalityId: schools.municipalityId,
          className: classes.name,
          weekdays: enrollments.weekdays,
        })
        .from(enrollments)
        .innerJoin(schoolYears, eq(schoolYears.id, enrollments.schoolYearId))
        .innerJoin(payers, eq(payers.id, enrollments.payerId))
        .innerJoin(schools, eq(schools.id, enrollments.schoolId))
        .leftJoin(classes, eq(classes.id, enrollments.classId))
        .where(eq(enrollments.pupilId, pupilId))
        .orderBy(asc(schoolYears.startsOn))
        .all()
        .map(({ payerLast, payerFirst, ...e }) => ({ ...e, payerName: `${payerLast} ${payerFirst}` }));
      return { ...p, enrollments: ens, siblings: siblingsOf(ctx.db, pupilId, romeDateOf(ctx.clock.now())) };
    },
  }),
  procedure({
    name: 'pupils.create',
    title: 'Registra un alunno: genera il codice utente (badge) e il codice disdetta telefonica',
    role: 'operatore',
    kind: 'mutation',
    input: pupilIn,
    output: pupilOut,
    handler: (ctx, input) => {
      checkPupil(ctx.db, input);
      const row = insertPupil(ctx.db, ctx.clock.now().toISOString(), input);
      ctx.audit({ entity: 'alunno', entityId: row.id, action: 'creazione', after: row });
      return getPupil(ctx.db, row.id, romeDateOf(ctx.clock.now()));
    },
  }),
  procedure({
    name: 'pupils.update',
    title: "Modifica i dati di un alunno (E7); il codice utente non cambia (E5); scuola e classe, una volta iscritto, si cambiano dall'iscrizione",
    role: 'operatore',
    kind: 'mutation',
    input: z.intersection(z.object({ id, version }), pupilIn.extend({ schoolId: id.optional(), classId: id.nullable().optional() })),
    output: pupilOut,
    handler: (ctx, input) => {
      const today = romeDateOf(ctx.clock.now());
      const before = ctx.db.select().from(pupils).where(eq(pupils.id, input.id)).get();
      if (!before) return getPupil(ctx.db, input.id, today);
      expectVersion(ctx, 'pupil', input.id, input.version);
      // issue 12: an enrolled pupil's school and class are the enrollment's, never typed here
      const enrolled = ctx.db.select({ id: enrollments.id }).from(enrollments).where(eq(enrollments.pupilId, input.id)).limit(1).get();
      const place = enrolled || input.schoolId === undefined
        ? { schoolId: before.schoolId, classId: before.classId }
        : { schoolId: input.schoolId, classId: input.classId ?? null };
      const { id: _id, version: _v, schoolId: _s, classId: _c, ...rest } = input;
      const values = { ...rest, ...place };
      checkPupil(ctx.db, values, input.id);
      const after = ctx.db
        .update(pupils)
        .set({ ...values, searchText: pupilSearchText({ ...values, userCode: before.userCode }), updatedAt: ctx.clock.now().toISOString(), version: nextVersion(pupils.version) })
        .where(eq(pupils.id, input.id))
        .returning()
        .get();
      ctx.audit({ entity: 'alunno', entityId: after.id, action: 'modifica', before, after });
      return getPupil(ctx.db, after.id, today);
    },
  }),
];
