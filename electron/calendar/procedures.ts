import { z } from 'zod';
import { and, eq, gte, lte } from 'drizzle-orm';
import { classes, dayClosures, schools } from '../../db/schema';
import { id, isoDate } from '../contract/fields';
import { currentUser, procedure, type Ctx } from '../contract/procedure';
import { invalidField, notFound } from '../contract/errors';
import { eachDate } from './rome-time';
import { CLOSURE_KINDS, CLOSURE_KIND_LABELS, CLOSURE_SCOPES, ServiceCalendar } from './service-calendar';
import {
  cancelClosure,
  closurePreview,
  copyClosuresFromYear,
  createClosure,
  listClosures,
  type ClosureInput,
} from './closures';
import { importRowToInput, MAX_IMPORT_ROWS, previewClosureImport } from './closure-import';

const MAX_CALENDAR_DAYS = 400;

const closureIn = z
  .object({
    scope: z.enum(CLOSURE_SCOPES, { error: 'Indicare se la chiusura riguarda il comune, una scuola o una classe' }),
    municipalityId: id.nullable().optional(),
    schoolId: id.nullable().optional(),
    classId: id.nullable().optional(),
    from: isoDate,
    to: isoDate,
    kind: z.enum(CLOSURE_KINDS, { error: 'Tipo di chiusura non valido' }),
    reason: z.string().trim().max(200, { message: 'Al massimo 200 caratteri' }).default(''),
  })
  .superRefine((c, ctx) => {
    if (c.to < c.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'La data finale precede quella iniziale' });
  });

const closureOut = z.object({
  id: z.number(),
  schoolYearId: z.number(),
  schoolYearLabel: z.string(),
  scope: z.enum(CLOSURE_SCOPES),
  municipalityId: z.number(),
  municipalityName: z.string(),
  schoolId: z.number().nullable(),
  schoolName: z.string().nullable(),
  classId: z.number().nullable(),
  className: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  days: z.number(),
  kind: z.enum(CLOSURE_KINDS),
  kindLabel: z.string(),
  reason: z.string(),
  origin: z.enum(['manuale', 'importazione', 'copia']),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelledByName: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

const reasonOut = z.object({
  kind: z.enum(['fuori_anno', 'weekend', 'festivita', 'giorno_senza_mensa', 'chiusura']),
  label: z.string(),
  closureId: z.number().optional(),
  closureKind: z.enum(CLOSURE_KINDS).optional(),
  scope: z.enum(CLOSURE_SCOPES).optional(),
});

const previewOut = z.object({
  target: z.object({
    scope: z.enum(CLOSURE_SCOPES),
    municipalityId: z.number(),
    municipalityName: z.string(),
    schoolId: z.number().nullable(),
    schoolName: z.string().nullable(),
    classId: z.number().nullable(),
    className: z.string().nullable(),
    schoolYearId: z.number(),
    schoolYearLabel: z.string(),
    from: z.string(),
    to: z.string(),
    label: z.string(),
  }),
  days: z.array(z.object({ date: z.string(), service: z.boolean(), bookings: z.number(), dayClosed: z.boolean(), recordedMeals: z.number() })),
  totalBookings: z.number(),
  bookings: z.array(
    z.object({
      date: z.string(),
      pupilId: z.number(),
      pupilName: z.string(),
      userCode: z.string(),
      schoolName: z.string(),
      className: z.string().nullable(),
      plain: z.boolean(),
    }),
  ),
  truncated: z.boolean(),
  conflicts: z.array(z.object({ date: z.string(), meals: z.number() })),
});

const importRowOut = z.object({
  line: z.number(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  schoolName: z.string(),
  className: z.string(),
  reason: z.string(),
  kind: z.enum(CLOSURE_KINDS),
  scope: z.enum(CLOSURE_SCOPES),
  schoolId: z.number().nullable(),
  classId: z.number().nullable(),
  bookings: z.number(),
  errors: z.array(z.string()),
});

const fileIn = {
  fileName: z.string().trim().min(1, { message: 'Nome del file mancante' }).max(255),
  contentBase64: z.string().min(1, { message: 'Il file è vuoto' }).max(20_000_000, { message: 'File troppo grande (massimo 15 MB)' }),
};

function by(ctx: Ctx) {
  return { userId: currentUser(ctx).id, at: ctx.clock.now() };
}

/** The month (or any range) of a school or a class, day by day, for the calendar screen. */
function getCalendar(ctx: Ctx, input: { schoolId: number; classId?: number | null; from: string; to: string }) {
  const school = ctx.db.select().from(schools).where(eq(schools.id, input.schoolId)).get();
  if (!school) throw notFound('Scuola');
  const classId = input.classId ?? null;
  if (classId !== null) {
    const c = ctx.db.select().from(classes).where(eq(classes.id, classId)).get();
    if (!c || c.schoolId !== school.id) throw invalidField('classId', 'La classe non è di questa scuola');
  }
  if (input.to < input.from) throw invalidField('to', 'La data finale precede quella iniziale');
  if (eachDate(input.from, input.to).length > MAX_CALENDAR_DAYS) throw invalidField('to', `Al massimo ${MAX_CALENDAR_DAYS} giorni per volta`);
  const cal = ServiceCalendar.load(ctx.db, { from: input.from, to: input.to, municipalityId: school.municipalityId });
  const closed = new Set(
    ctx.db
      .select({ d: dayClosures.date })
      .from(dayClosures)
      .where(and(eq(dayClosures.municipalityId, school.municipalityId), gte(dayClosures.date, input.from), lte(dayClosures.date, input.to)))
      .all()
      .map((r) => r.d),
  );
  const classNames = new Map(ctx.db.select({ id: classes.id, name: classes.name }).from(classes).where(eq(classes.schoolId, school.id)).all().map((c) => [c.id, c.name]));
  const days = eachDate(input.from, input.to).map((date) => {
    const info = cal.dayInfo(school.id, classId, date);
    return {
      date,
      weekday: info.weekday,
      service: info.service,
      schoolYearId: info.schoolYearId,
      holiday: cal.holidayName(date),
      reasons: info.reasons.map((r) =>
        r.kind === 'chiusura' ? { kind: r.kind, label: r.label, closureId: r.closureId, closureKind: r.closureKind, scope: r.scope } : { kind: r.kind, label: r.label },
      ),
      // A7: on the school's calendar, the classes on a trip (the rest of the school eats)
      classExceptions:
        classId === null
          ? cal.classClosuresOfSchool(school.id, date).map((c) => ({
              closureId: c.id,
              classId: c.classId!,
              className: classNames.get(c.classId!) ?? '',
              kind: c.kind,
              label: `${CLOSURE_KIND_LABELS[c.kind]}${c.reason ? `: ${c.reason}` : ''}`,
            }))
          : [],
      dayClosed: closed.has(date),
    };
  });
  return {
    schoolId: school.id,
    schoolName: school.name,
    classId,
    municipalityId: school.municipalityId,
    from: input.from,
    to: input.to,
    days,
    closures: listClosures(ctx.db, { schoolId: school.id, classId: classId ?? undefined, from: input.from, to: input.to }),
  };
}

export const calendarProcedures = [
  procedure({
    name: 'calendar.get',
    title: 'Calendario di servizio di una scuola o di una classe, giorno per giorno: servizio, festività, chiusure, eccezioni di classe (A5, A7)',
    role: 'operatore',
    kind: 'query',
    input: z.object({ schoolId: id, classId: id.nullable().optional(), from: isoDate, to: isoDate }),
    output: z.object({
      schoolId: z.number(),
      schoolName: z.string(),
      classId: z.number().nullable(),
      municipalityId: z.number(),
      from: z.string(),
      to: z.string(),
      days: z.array(
        z.object({
          date: z.string(),
          weekday: z.number(),
          service: z.boolean(),
          schoolYearId: z.number().nullable(),
          holiday: z.string().nullable(),
          reasons: z.array(reasonOut),
          classExceptions: z.array(z.object({ closureId: z.number(), classId: z.number(), className: z.string(), kind: z.enum(CLOSURE_KINDS), label: z.string() })),
          dayClosed: z.boolean(),
        }),
      ),
      closures: z.array(closureOut),
    }),
    handler: (ctx, input) => getCalendar(ctx, input),
  }),
  procedure({
    name: 'calendar.closures.list',
    title: 'Chiusure del calendario per anno scolastico, comune, scuola o classe, periodo e tipo',
    role: 'operatore',
    kind: 'query',
    input: z.object({
      schoolYearId: id.optional(),
      municipalityId: id.optional(),
      schoolId: id.optional(),
      classId: id.optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      kind: z.enum(CLOSURE_KINDS).optional(),
      includeCancelled: z.boolean().default(false),
    }),
    output: z.array(closureOut),
    handler: (ctx, f) => listClosures(ctx.db, f),
  }),
  procedure({
    name: 'calendar.closurePreview',
    title: 'Anteprima di una chiusura: le prenotazioni che toglierebbe, giorno per giorno, prima di confermarla',
    role: 'operatore',
    kind: 'query',
    input: closureIn,
    output: previewOut,
    handler: (ctx, input) => closurePreview(ctx.db, ctx.sqlite, input),
  }),
  procedure({
    name: 'calendar.closures.create',
    title: 'Chiude il servizio per un comune, una scuola o una classe, un giorno o un periodo: sciopero, gita, seggio, festività locale (A7; operatore)',
    role: 'operatore',
    kind: 'mutation',
    input: closureIn,
    output: z.object({ closure: closureOut, removedBookings: z.number() }),
    handler: (ctx, input) => {
      const preview = closurePreview(ctx.db, ctx.sqlite, input, { list: false });
      const { row } = createClosure(ctx.db, ctx.sqlite, input, { ...by(ctx), origin: 'manuale' });
      ctx.audit({ entity: 'chiusura_calendario', entityId: row.id, action: 'creazione', after: { ...row, removedBookings: preview.totalBookings } });
      return { closure: listClosures(ctx.db, { includeCancelled: true }).find((c) => c.id === row.id)!, removedBookings: preview.totalBookings };
    },
  }),
  procedure({
    name: 'calendar.closures.cancel',
    title: 'Annulla una chiusura inserita per errore (resta nello storico; operatore)',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ id, reason: z.string().trim().min(3, { message: "Indicare il motivo dell'annullamento" }).max(200) }),
    output: z.object({ closure: closureOut, warnings: z.array(z.string()) }),
    handler: (ctx, input) => {
      const { before, after, warnings } = cancelClosure(ctx.db, input.id, input.reason, by(ctx));
      ctx.audit({ entity: 'chiusura_calendario', entityId: input.id, action: 'annullamento', before, after });
      return { closure: listClosures(ctx.db, { includeCancelled: true }).find((c) => c.id === input.id)!, warnings };
    },
  }),
  procedure({
    name: 'calendar.closures.importPreview',
    title: 'Legge un foglio Excel o CSV di chiusure (data/dal, al, scuola, classe, motivo, tipo) e controlla ogni riga, senza salvare',
    role: 'operatore',
    kind: 'query',
    input: z.object({ municipalityId: id, ...fileIn }),
    // the file travels as base64 inside the JSON body (contentBase64 allows up to 20 MB)
    maxInputBytes: 21 * 1024 * 1024,
    output: z.object({ rows: z.array(importRowOut), valid: z.number(), invalid: z.number(), totalBookings: z.number() }),
    handler: (ctx, input) => previewClosureImport(ctx.db, ctx.sqlite, input),
  }),
  procedure({
    name: 'calendar.closures.importCommit',
    title: "Salva le chiusure controllate nell'anteprima di importazione: tutte o nessuna (operatore)",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      municipalityId: id,
      fileName: z.string().trim().max(255).default(''),
      rows: z
        .array(
          z.object({
            line: z.number().int().min(1),
            from: isoDate,
            to: isoDate,
            schoolId: id.nullable(),
            classId: id.nullable(),
            kind: z.enum(CLOSURE_KINDS),
            reason: z.string().trim().max(200).default(''),
          }),
        )
        .min(1, { message: 'Nessuna riga da importare' })
        .max(MAX_IMPORT_ROWS, { message: `Al massimo ${MAX_IMPORT_ROWS} righe per importazione` }),
    }),
    output: z.object({ created: z.number(), ids: z.array(z.number()) }),
    handler: (ctx, input) => {
      const ids: number[] = [];
      input.rows.forEach((r, i) => {
        try {
          ids.push(createClosure(ctx.db, ctx.sqlite, importRowToInput(input.municipalityId, r), { ...by(ctx), origin: 'importazione' }, ['rows', i]).row.id);
        } catch (err) {
          // all or nothing: the transaction rolls back; say which line of the file is at fault
          if (err instanceof Error && 'issues' in err) err.message = `Riga ${r.line}: ${err.message}`;
          throw err;
        }
      });
      ctx.audit({ entity: 'chiusura_calendario', action: 'importazione', after: { fileName: input.fileName, municipalityId: input.municipalityId, created: ids.length, ids } });
      return { created: ids.length, ids };
    },
  }),
  procedure({
    name: 'calendar.closures.copyFromYear',
    title: "Copia le chiusure ricorrenti (vacanze, festività locali, chiusure) dall'anno scolastico precedente; con dryRun mostra solo l'esito",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      fromSchoolYearId: id,
      toSchoolYearId: id,
      municipalityId: id.optional(),
      alignment: z.enum(['data', 'giorno_settimana']).default('data'),
      dryRun: z.boolean().default(false),
    }),
    output: z.object({
      created: z.array(z.object({ sourceId: z.number(), id: z.number().nullable(), from: z.string(), to: z.string(), label: z.string(), kind: z.enum(CLOSURE_KINDS), reason: z.string() })),
      skipped: z.array(z.object({ sourceId: z.number(), from: z.string(), to: z.string(), label: z.string(), reason: z.string() })),
    }),
    handler: (ctx, input) => {
      const r = copyClosuresFromYear(ctx.db, ctx.sqlite, input, by(ctx));
      ctx.audit({
        entity: 'chiusura_calendario',
        action: input.dryRun ? 'anteprima copia da anno precedente' : 'copia da anno precedente',
        after: { ...input, created: r.created.length, skipped: r.skipped.length, ids: r.created.map((c) => c.id) },
      });
      return r;
    },
  }),
];

