import { z } from 'zod';
import { and, asc, eq, sql } from 'drizzle-orm';
import { classes, municipalities, schoolYears, schools, pupils, enrollments } from '../../db/schema';
import { conflict, invalidField, notFound } from '../contract/errors';
import { expectVersion, nextVersion, version } from '../contract/versions';
import { id, isoDate, requiredText, weekdays, weekdaysFromText, weekdaysToText } from '../contract/fields';
import { procedure } from '../contract/procedure';
import { outer } from '../../db/sql';

const SCHOOL_KINDS = schools.kind.enumValues;

const schoolYearIn = z
  .object({
    label: z.string().trim().regex(/^\d{4}\/\d{4}$/, { message: 'Anno scolastico nel formato 2026/2027' }),
    startsOn: isoDate,
    endsOn: isoDate,
  })
  .superRefine((y, c) => {
    const [a, b] = y.label.split('/').map(Number);
    if (b !== a + 1) c.addIssue({ code: 'custom', path: ['label'], message: 'Il secondo anno deve seguire il primo (es. 2026/2027)' });
    if (y.endsOn <= y.startsOn) c.addIssue({ code: 'custom', path: ['endsOn'], message: 'La fine deve seguire l\'inizio' });
  });
const schoolYearOut = z.object({ id: z.number(), label: z.string(), startsOn: z.string(), endsOn: z.string() });

const schoolIn = z.object({
  municipalityId: id,
  name: requiredText(150),
  kind: z.enum(SCHOOL_KINDS, { error: 'Tipo di scuola non valido' }),
  address: z.string().trim().max(200).default(''),
  serviceWeekdays: weekdays.default([1, 2, 3, 4, 5]),
  active: z.boolean().default(true),
});
export const schoolOut = z.object({
  id: z.number(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  name: z.string(),
  kind: z.enum(SCHOOL_KINDS),
  address: z.string(),
  serviceWeekdays: z.array(z.number()),
  active: z.boolean(),
  pupils: z.number(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
});

const classIn = z.object({ schoolId: id, schoolYearId: id, name: requiredText(20) });
const classOut = z.object({
  id: z.number(),
  schoolId: z.number(),
  schoolYearId: z.number(),
  name: z.string(),
  pupils: z.number(),
});

function schoolsQuery(ctx: { db: import('../../db/open').AppDb }) {
  return ctx.db
    .select({
      id: schools.id,
      municipalityId: schools.municipalityId,
      municipalityName: municipalities.name,
      name: schools.name,
      kind: schools.kind,
      address: schools.address,
      serviceWeekdays: schools.serviceWeekdays,
      active: schools.active,
      version: schools.version,
      pupils: sql<number>`(SELECT count(*) FROM ${pupils} WHERE ${pupils.schoolId} = ${outer(schools.id)})`,
    })
    .from(schools)
    .innerJoin(municipalities, eq(municipalities.id, schools.municipalityId));
}

type SchoolSel = { serviceWeekdays: string } & Record<string, unknown>;
const toSchool = <T extends SchoolSel>(r: T) => ({ ...r, serviceWeekdays: weekdaysFromText(r.serviceWeekdays) });

function getSchool(ctx: { db: import('../../db/open').AppDb }, schoolId: number) {
  const r = schoolsQuery(ctx).where(eq(schools.id, schoolId)).get();
  if (!r) throw notFound('Scuola');
  return toSchool(r);
}

export const schoolProcedures = [
  procedure({
    name: 'schoolYears.list',
    title: 'Elenco degli anni scolastici',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.array(schoolYearOut),
    handler: (ctx) =>
      ctx.db.select({ id: schoolYears.id, label: schoolYears.label, startsOn: schoolYears.startsOn, endsOn: schoolYears.endsOn }).from(schoolYears).orderBy(asc(schoolYears.startsOn)).all(),
  }),
  procedure({
    name: 'schoolYears.create',
    title: 'Aggiunge un anno scolastico',
    role: 'amministratore',
    kind: 'mutation',
    input: schoolYearIn,
    output: schoolYearOut,
    handler: (ctx, input) => {
      if (ctx.db.select().from(schoolYears).where(eq(schoolYears.label, input.label)).get()) {
        throw invalidField('label', `L'anno scolastico ${input.label} esiste già`);
      }
      const overlap = ctx.db
        .select()
        .from(schoolYears)
        .where(sql`${schoolYears.startsOn} <= ${input.endsOn} AND ${schoolYears.endsOn} >= ${input.startsOn}`)
        .get();
      if (overlap) throw invalidField('startsOn', `Le date si sovrappongono all'anno ${overlap.label}`);
      const row = ctx.db.insert(schoolYears).values({ ...input, createdAt: ctx.clock.now().toISOString() }).returning().get();
      ctx.audit({ entity: 'anno_scolastico', entityId: row.id, action: 'creazione', after: row });
      return { id: row.id, label: row.label, startsOn: row.startsOn, endsOn: row.endsOn };
    },
  }),
  procedure({
    name: 'schools.list',
    title: 'Elenco delle scuole (plessi), per comune',
    role: 'operatore',
    kind: 'query',
    input: z.object({ municipalityId: id.optional() }),
    output: z.array(schoolOut),
    handler: (ctx, input) =>
      schoolsQuery(ctx)
        .where(input.municipalityId ? eq(schools.municipalityId, input.municipalityId) : undefined)
        .orderBy(asc(municipalities.name), asc(schools.name))
        .all()
        .map(toSchool),
  }),
  procedure({
    name: 'schools.create',
    title: 'Aggiunge una scuola con i suoi giorni di servizio',
    role: 'amministratore',
    kind: 'mutation',
    input: schoolIn,
    output: schoolOut,
    handler: (ctx, input) => {
      if (!ctx.db.select().from(municipalities).where(eq(municipalities.id, input.municipalityId)).get()) {
        throw invalidField('municipalityId', 'Comune inesistente');
      }
      if (ctx.db.select().from(schools).where(and(eq(schools.municipalityId, input.municipalityId), eq(schools.name, input.name))).get()) {
        throw invalidField('name', `Nel comune esiste già la scuola «${input.name}»`);
      }
      const ts = ctx.clock.now().toISOString();
      const row = ctx.db
        .insert(schools)
        .values({ ...input, serviceWeekdays: weekdaysToText(input.serviceWeekdays), createdAt: ts, updatedAt: ts })
        .returning()
        .get();
      ctx.audit({ entity: 'scuola', entityId: row.id, action: 'creazione', after: row });
      return getSchool(ctx, row.id);
    },
  }),
  procedure({
    name: 'schools.update',
    title: 'Modifica una scuola',
    role: 'amministratore',
    kind: 'mutation',
    input: z.intersection(z.object({ id, version }), schoolIn),
    output: schoolOut,
    handler: (ctx, input) => {
      const before = ctx.db.select().from(schools).where(eq(schools.id, input.id)).get();
      if (!before) throw notFound('Scuola');
      expectVersion(ctx, 'school', input.id, input.version);
      const clash = ctx.db.select().from(schools).where(and(eq(schools.municipalityId, input.municipalityId), eq(schools.name, input.name))).get();
      if (clash && clash.id !== input.id) throw invalidField('name', `Nel comune esiste già la scuola «${input.name}»`);
      const { id: _id, version: _v, ...values } = input;
      const row = ctx.db
        .update(schools)
        .set({ ...values, serviceWeekdays: weekdaysToText(input.serviceWeekdays), updatedAt: ctx.clock.now().toISOString(), version: nextVersion(schools.version) })
        .where(eq(schools.id, input.id))
        .returning()
        .get();
      ctx.audit({ entity: 'scuola', entityId: row.id, action: 'modifica', before, after: row });
      return getSchool(ctx, row.id);
    },
  }),
  procedure({
    name: 'classes.list',
    title: 'Classi di una scuola in un anno scolastico',
    role: 'operatore',
    kind: 'query',
    input: z.object({ schoolId: id.optional(), schoolYearId: id.optional() }),
    output: z.array(classOut),
    handler: (ctx, input) =>
      ctx.db
        .select({
          id: classes.id,
          schoolId: classes.schoolId,
          schoolYearId: classes.schoolYearId,
          name: classes.name,
          // outer(): the class of the outer row, qualified (an unqualified "id" would bind to enrollments.id)
          pupils: sql<number>`(SELECT count(DISTINCT ${enrollments.pupilId}) FROM ${enrollments} WHERE ${enrollments.classId} = ${outer(classes.id)})`,
        })
        .from(classes)
        .where(
          and(
            input.schoolId ? eq(classes.schoolId, input.schoolId) : undefined,
            input.schoolYearId ? eq(classes.schoolYearId, input.schoolYearId) : undefined,
          ),
        )
        .orderBy(asc(classes.schoolId), asc(classes.name))
        .all(),
  }),
  procedure({
    name: 'classes.create',
    title: 'Aggiunge una classe a una scuola per un anno scolastico',
    role: 'operatore',
    kind: 'mutation',
    input: classIn,
    output: classOut,
    handler: (ctx, input) => {
      if (!ctx.db.select().from(schools).where(eq(schools.id, input.schoolId)).get()) throw invalidField('schoolId', 'Scuola inesistente');
      if (!ctx.db.select().from(schoolYears).where(eq(schoolYears.id, input.schoolYearId)).get()) throw invalidField('schoolYearId', 'Anno scolastico inesistente');
      const name = input.name.toUpperCase();
      const dup = ctx.db.select().from(classes).where(and(eq(classes.schoolId, input.schoolId), eq(classes.schoolYearId, input.schoolYearId), eq(classes.name, name))).get();
      if (dup) throw conflict(`La classe ${name} esiste già in questa scuola e anno`, 'name');
      const row = ctx.db.insert(classes).values({ ...input, name, createdAt: ctx.clock.now().toISOString() }).returning().get();
      ctx.audit({ entity: 'classe', entityId: row.id, action: 'creazione', after: row });
      return { id: row.id, schoolId: row.schoolId, schoolYearId: row.schoolYearId, name: row.name, pupils: 0 };
    },
  }),
];
