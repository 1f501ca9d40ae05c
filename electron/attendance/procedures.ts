import { z } from 'zod';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { absences, attendanceNotices, cancellationAttempts, dayClosures, mealCorrections, municipalities, schools, classes } from '../../db/schema';
import { ATTENDANCE_SOURCES } from '../../db/schema/attendance';
import { id, isoDate } from '../contract/fields';
import { currentUser, procedure, type Ctx } from '../contract/procedure';
import { currentVersion, expectVersion, version } from '../contract/versions';
import { AppError, invalidField } from '../contract/errors';
import { roleAllows } from '../contract/roles';
import { addSheet, exportFile, exportFileOut, newWorkbook, nothingToExport, workbookBytes } from '../exports/xlsx';
import { auditedExport } from '../audit/reads';
import { formatDateIt, romeDateOf, romeTimeOf } from '../calendar/rome-time';
import { ServiceCalendar } from '../calendar/service-calendar';
import { namesFor } from '../calendar/closures';
import {
  ACTIONS,
  BACKDATE_TOLERANCE_MS,
  FUTURE_TOLERANCE_MS,
  OUTCOMES,
  cancelDay,
  getPlainMealLimit,
  listAbsences,
  listAttempts,
  phoneCancel,
  phoneLanding,
  phoneUndo,
  plainMeal,
  reactivate,
  setPlainMealLimit,
  startProlonged,
  undoCancel,
  type AttendanceEnv,
  type RequestMeta,
} from './absences';
import { listExpected } from './bookings';
import { canCloseDay, closeMunicipalityDay, dayCloseOpensAt, closeTooEarlyMessage, correctPresence, dayClosure, listCorrections, markNoticesRead } from './day-close';
import { HISTORY_STATUSES, historySubject, pupilHistory } from './history';
import { weekdayName } from '../contract/vocabulary/weekdays';

// ---------------------------------------------------------------------------------------------
// Shared input: who asked, how, and when
// ---------------------------------------------------------------------------------------------

const requestFields = {
  /** ufficio (default), portale, app, telefono */
  source: z.enum(ATTENDANCE_SOURCES, { error: 'Canale non valido (ufficio, portale, app, telefono)' }).default('ufficio'),
  /**
   * The moment the family acted (UTC ISO with offset). Default: now. Up to 5 minutes back anyone
   * may set it (the operator typing in the call just taken); further back only a supervisor, who
   * answers for it; never in the future.
   */
  actedAt: z.iso.datetime({ offset: true, message: 'Momento non valido (ISO 8601 con fuso, es. 2026-10-12T07:29:59Z)' }).optional(),
  /** the portal's / app's id of the request: the same id twice records nothing twice */
  externalId: z.string().trim().min(1).max(100).optional(),
  /** A2 override: a supervisor accepts a request after the cutoff, with a reason (audited) */
  override: z.object({ reason: z.string().trim().min(3, { message: 'Indicare il motivo della deroga' }).max(500) }).optional(),
};

const requestResult = z.object({
  accepted: z.boolean(),
  outcome: z.enum(OUTCOMES),
  message: z.string(),
  date: z.string().nullable(),
  attemptId: z.number(),
  absenceId: z.number().nullable(),
  warnings: z.array(z.string()),
  replayed: z.boolean(),
});

function env(ctx: Ctx): AttendanceEnv {
  return { db: ctx.db, sqlite: ctx.sqlite, now: ctx.clock.now(), userId: currentUser(ctx).id, audit: (e) => ctx.audit(e) };
}

function meta(ctx: Ctx, input: { source: RequestMeta['source']; actedAt?: string; externalId?: string; override?: { reason: string } }): RequestMeta {
  const user = currentUser(ctx);
  const now = ctx.clock.now();
  const actedAt = input.actedAt ? new Date(input.actedAt) : now;
  if (actedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw invalidField('actedAt', 'Il momento della richiesta non può essere nel futuro');
  if (actedAt.getTime() < now.getTime() - BACKDATE_TOLERANCE_MS && !roleAllows(user.role, 'supervisore')) {
    throw new AppError('FORBIDDEN', 'Solo un supervisore può registrare una richiesta fatta più di 5 minuti fa', [
      { path: ['actedAt'], message: 'Orario precedente di oltre 5 minuti: serve un supervisore' },
    ]);
  }
  if (input.override && !roleAllows(user.role, 'supervisore')) {
    throw new AppError('FORBIDDEN', "Solo un supervisore può accettare una richiesta oltre l'orario limite", [
      { path: ['override'], message: 'Deroga riservata al supervisore' },
    ]);
  }
  return {
    source: input.source,
    actedAt,
    externalId: input.externalId ?? null,
    overrideReason: input.override?.reason ?? null,
    // typed by an office user, whatever the channel it names: the portal and app sync will supply its own moments
    backdated: actedAt.getTime() < now.getTime(),
    mayOverride: roleAllows(user.role, 'supervisore'),
  };
}

/** A cancellation of that day refused as late (A2), and not accepted since by any other request. */
function hadLateCancellation(ctx: Ctx, pupilId: number, date: string): boolean {
  const rows = ctx.db
    .select({ outcome: cancellationAttempts.outcome })
    .from(cancellationAttempts)
    .where(and(eq(cancellationAttempts.pupilId, pupilId), eq(cancellationAttempts.targetDate, date), eq(cancellationAttempts.action, 'disdetta')))
    .all();
  return rows.some((r) => r.outcome === 'tardiva') && !rows.some((r) => r.outcome === 'accettata' || r.outcome === 'accettata_con_deroga');
}

const rome = (iso: string) => `${formatDateIt(romeDateOf(iso))} ${romeTimeOf(iso)}`;
const today = (ctx: Ctx) => romeDateOf(ctx.clock.now());

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

const absenceOut = z.object({
  id: z.number(),
  pupilId: z.number(),
  kind: z.enum(absences.kind.enumValues),
  date: z.string(),
  reactivatedOn: z.string().nullable(),
  source: z.enum(ATTENDANCE_SOURCES),
  actedAt: z.string(),
  externalId: z.string().nullable(),
  status: z.enum(absences.status.enumValues),
  overrideReason: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
});

const attemptOut = z.object({
  id: z.number(),
  pupilId: z.number(),
  pupilName: z.string(),
  userCode: z.string(),
  action: z.enum(ACTIONS),
  actionLabel: z.string(),
  channel: z.enum(ATTENDANCE_SOURCES),
  channelLabel: z.string(),
  actedAt: z.string(),
  recordedAt: z.string(),
  targetDate: z.string().nullable(),
  outcome: z.enum(OUTCOMES),
  outcomeLabel: z.string(),
  message: z.string(),
  absenceId: z.number().nullable(),
  absenceStatus: z.enum(absences.status.enumValues).nullable(),
  absenceEndedAt: z.string().nullable(),
  currentState: z.string(),
  overrideReason: z.string().nullable(),
  externalId: z.string().nullable(),
  username: z.string().nullable(),
});

const attemptsFilter = z
  .object({ pupilId: id.optional(), date: isoDate.optional(), from: isoDate.optional(), to: isoDate.optional() })
  .superRefine((f, c) => {
    if (!f.pupilId && !f.date && !(f.from && f.to)) c.addIssue({ code: 'custom', path: ['pupilId'], message: "Indicare l'alunno, il giorno o il periodo" });
  });

const correctionOut = z.object({
  id: z.number(),
  pupilId: z.number(),
  date: z.string(),
  mealId: z.number().nullable(),
  replacesId: z.number().nullable(),
  present: z.boolean(),
  plain: z.boolean(),
  enrollmentId: z.number(),
  municipalityId: z.number(),
  schoolId: z.number(),
  classId: z.number().nullable(),
  tariffId: z.number().nullable(),
  priceCents: z.number().nullable(),
  reason: z.string(),
  origin: z.enum(mealCorrections.origin.enumValues),
  createdBy: z.number().nullable(),
  createdAt: z.string(),
});

const historyDayOut = z.object({
  date: z.string(),
  weekday: z.number(),
  status: z.enum(HISTORY_STATUSES),
  label: z.string(),
  charged: z.boolean(),
  plain: z.boolean(),
  dayClosed: z.boolean(),
  recorded: z.boolean(),
  correction: z.object({ present: z.boolean(), plain: z.boolean(), reason: z.string(), createdAt: z.string() }).nullable(),
  noService: z.string().nullable(),
  lateCancellation: z.boolean(),
  attempts: z.number(),
});

const historyMonthOut = z.object({
  month: z.string(),
  serviceDays: z.number(),
  meals: z.number(),
  plain: z.number(),
  cancelled: z.number(),
  lateCancelled: z.number(),
  absent: z.number(),
  closed: z.number(),
  corrected: z.number(),
  toClose: z.number(),
});

const dayCloseOut = z.object({
  municipalityId: z.number(),
  municipalityName: z.string(),
  date: z.string(),
  /** chiusa: closed now; gia_chiusa: it already was (nothing recorded twice); non_ancora: its cutoff has not passed */
  status: z.enum(['chiusa', 'gia_chiusa', 'non_ancora']),
  message: z.string(),
  closedAt: z.string().nullable(),
  mode: z.enum(dayClosures.mode.enumValues).nullable(),
  meals: z.number(),
  plainMeals: z.number(),
});

const noticeOut = z.object({
  id: z.number(),
  createdAt: z.string(),
  kind: z.enum(['chiusura_in_ritardo', 'chiusura_non_riuscita', 'richiesta_dopo_chiusura']),
  municipalityId: z.number().nullable(),
  date: z.string().nullable(),
  message: z.string(),
  readAt: z.string().nullable(),
});

/** Which municipalities a date-level query concerns: one (given, or the school's / class's) or all active. */
function municipalitiesFor(ctx: Ctx, f: { municipalityId?: number; schoolId?: number; classId?: number }) {
  let mId = f.municipalityId;
  if (f.classId) {
    const c = ctx.db.select({ m: schools.municipalityId, s: schools.id }).from(classes).innerJoin(schools, eq(schools.id, classes.schoolId)).where(eq(classes.id, f.classId)).get();
    if (!c) throw invalidField('classId', 'Classe inesistente');
    mId = c.m;
  } else if (f.schoolId) {
    const s = ctx.db.select({ m: schools.municipalityId }).from(schools).where(eq(schools.id, f.schoolId)).get();
    if (!s) throw invalidField('schoolId', 'Scuola inesistente');
    mId = s.m;
  }
  if (mId) {
    const m = ctx.db.select().from(municipalities).where(eq(municipalities.id, mId)).get();
    if (!m) throw invalidField('municipalityId', 'Comune inesistente');
    return [m];
  }
  return ctx.db.select().from(municipalities).where(eq(municipalities.active, true)).orderBy(asc(municipalities.name)).all();
}

function historyColumns() {
  return [
    { header: 'Data', type: 'date' as const, value: (d: z.infer<typeof historyDayOut>) => d.date },
    { header: 'Giorno', value: (d: z.infer<typeof historyDayOut>) => weekdayName(d.weekday) },
    { header: 'Stato', width: 34, value: (d: z.infer<typeof historyDayOut>) => d.label },
    { header: 'Pasto addebitato', value: (d: z.infer<typeof historyDayOut>) => (d.charged ? 'sì' : 'no') },
    { header: 'In bianco', value: (d: z.infer<typeof historyDayOut>) => (d.plain ? 'sì' : '') },
    { header: 'Giornata chiusa', value: (d: z.infer<typeof historyDayOut>) => (d.dayClosed ? 'sì' : 'no') },
    { header: 'Rettifica', width: 40, value: (d: z.infer<typeof historyDayOut>) => (d.correction ? `${d.correction.present ? 'presente' : 'assente'}: ${d.correction.reason}` : '') },
    { header: 'Motivo senza servizio', width: 40, value: (d: z.infer<typeof historyDayOut>) => d.noService ?? '' },
    { header: 'Richieste', type: 'number' as const, value: (d: z.infer<typeof historyDayOut>) => d.attempts },
  ];
}

export const attendanceProcedures = [
  // --- families' requests (operatore; the override and backdating beyond 5 minutes: supervisore) ---
  procedure({
    name: 'attendance.cancelDay',
    title: "Disdetta del pasto di un giorno, anche futuro, entro l'orario limite del comune (A2, A4, A5); deroga oltre l'orario: supervisore",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ pupilId: id, date: isoDate, ...requestFields }),
    output: requestResult,
    handler: (ctx, input) => cancelDay(env(ctx), input.pupilId, input.date, meta(ctx, input)),
  }),
  procedure({
    name: 'attendance.undoCancel',
    title: "Annulla la disdetta di un giorno entro l'orario limite: il pasto torna prenotato (per telefono solo disdette telefoniche, A6)",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ pupilId: id, date: isoDate, ...requestFields }),
    output: requestResult,
    handler: (ctx, input) => undoCancel(env(ctx), input.pupilId, input.date, meta(ctx, input)),
  }),
  procedure({
    name: 'attendance.phoneCancel',
    title: "Disdetta telefonica (A6): dalle 18:00 del giorno prima all'orario limite, sul primo giorno utile dell'alunno",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ pupilId: id, actedAt: requestFields.actedAt, externalId: requestFields.externalId }),
    output: requestResult,
    handler: (ctx, input) => phoneCancel(env(ctx), input.pupilId, meta(ctx, { ...input, source: 'telefono' })),
  }),
  procedure({
    name: 'attendance.phoneLanding',
    title: 'Il giorno su cui cadrebbe adesso una disdetta telefonica (A6), o perché sarebbe rifiutata: non registra nulla',
    role: 'operatore',
    kind: 'query',
    input: z.object({ pupilId: id }),
    output: z.object({ date: z.string().nullable(), refusal: z.string().nullable() }),
    handler: (ctx, input) => phoneLanding(env(ctx), input.pupilId),
  }),
  procedure({
    name: 'attendance.phoneUndo',
    title: 'Annulla per telefono una disdetta telefonica, per lo stesso giorno e nella stessa finestra oraria (A6)',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ pupilId: id, actedAt: requestFields.actedAt, externalId: requestFields.externalId }),
    output: requestResult,
    handler: (ctx, input) => phoneUndo(env(ctx), input.pupilId, meta(ctx, { ...input, source: 'telefono' })),
  }),
  procedure({
    name: 'attendance.startProlonged',
    title: "Inizio di un'assenza prolungata da una data fino alla riattivazione (A3)",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ pupilId: id, from: isoDate, ...requestFields }),
    output: requestResult,
    handler: (ctx, input) => startProlonged(env(ctx), input.pupilId, input.from, meta(ctx, input)),
  }),
  procedure({
    name: 'attendance.reactivate',
    title: "Riattivazione dopo un'assenza prolungata: dal giorno indicato l'alunno torna prenotato (A3)",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ pupilId: id, from: isoDate, ...requestFields }),
    output: requestResult,
    handler: (ctx, input) => reactivate(env(ctx), input.pupilId, input.from, meta(ctx, input)),
  }),
  procedure({
    name: 'attendance.plainMeal',
    title: "Pasto in bianco per un giorno (plain: false lo annulla), entro l'orario limite; avvisa oltre i giorni consecutivi senza certificato (A3)",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ pupilId: id, date: isoDate, plain: z.boolean().default(true), ...requestFields }),
    output: requestResult,
    handler: (ctx, input) => plainMeal(env(ctx), input.pupilId, input.date, input.plain, meta(ctx, input)),
  }),

  // --- reading absences and the evidence ---
  procedure({
    name: 'attendance.absences',
    title: "Disdette, assenze prolungate e pasti in bianco di un alunno",
    role: 'operatore',
    kind: 'query',
    input: z.object({ pupilId: id, from: isoDate.optional(), to: isoDate.optional(), includeEnded: z.boolean().default(false) }),
    output: z.array(absenceOut),
    handler: (ctx, f) => listAbsences(ctx.db, f),
  }),
  procedure({
    name: 'attendance.attempts',
    title: 'Prova della disdetta: ogni richiesta di un alunno o di un giorno con momento, canale ed esito (accettata, tardiva, annullata, sostituita)',
    role: 'operatore',
    kind: 'query',
    input: attemptsFilter,
    output: z.array(attemptOut),
    handler: (ctx, f) => listAttempts(ctx.db, { ...f, limit: 5000 }),
  }),
  procedure({
    name: 'attendance.attemptsExport',
    title: 'Esporta in Excel la prova della disdetta (richieste con momento, canale ed esito)',
    role: 'operatore',
    kind: 'query',
    input: attemptsFilter,
    output: exportFileOut,
    auditedRead: auditedExport('richiesta_presenze', 'esportazione della prova delle disdette'),
    handler: (ctx, f) =>
      exportFile(
        f.pupilId ? `prova-disdette-alunno-${f.pupilId}` : 'prova-disdette',
        today(ctx),
        'Richieste',
        [
          { header: 'Alunno', width: 28, value: (r) => r.pupilName },
          { header: 'Codice utente', type: 'text', value: (r) => r.userCode },
          { header: 'Giorno', type: 'date', value: (r) => r.targetDate },
          { header: 'Richiesta', width: 28, value: (r) => r.actionLabel },
          { header: 'Canale', value: (r) => r.channelLabel },
          { header: 'Momento della richiesta (ora italiana)', width: 22, value: (r) => rome(r.actedAt) },
          { header: 'Registrata il', width: 22, value: (r) => rome(r.recordedAt) },
          { header: 'Esito', width: 30, value: (r) => r.outcomeLabel },
          { header: 'Stato attuale', width: 22, value: (r) => r.currentState },
          { header: 'Messaggio', width: 70, value: (r) => r.message },
          { header: 'Deroga', width: 30, value: (r) => r.overrideReason },
          { header: 'Operatore', width: 18, value: (r) => r.username },
          { header: 'Id esterno', type: 'text', value: (r) => r.externalId },
        ],
        listAttempts(ctx.db, f),
      ),
  }),

  // --- the day: expected list, close, corrections ---
  procedure({
    name: 'attendance.expected',
    title: "Pasti prenotati di un giorno (derivati: iscrizioni attive, giorni di fruizione, calendario, assenze) per comune, scuola o classe",
    role: 'operatore',
    kind: 'query',
    input: z.object({
      date: isoDate,
      municipalityId: id.optional(),
      schoolId: id.optional(),
      classId: id.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    output: z.object({
      date: z.string(),
      total: z.number(),
      plain: z.number(),
      rows: z.array(
        z.object({
          pupilId: z.number(),
          pupilName: z.string(),
          userCode: z.string(),
          municipalityId: z.number(),
          schoolId: z.number(),
          schoolName: z.string(),
          classId: z.number().nullable(),
          className: z.string().nullable(),
          plain: z.boolean(),
        }),
      ),
    }),
    handler: (ctx, f) => {
      const all = [];
      for (const m of municipalitiesFor(ctx, f)) {
        const plan = ServiceCalendar.load(ctx.db, { from: f.date, to: f.date, municipalityId: m.id }).dayPlan(f.date, m.id);
        all.push(...listExpected(ctx.sqlite, plan, { municipalityId: m.id, schoolId: f.schoolId, classId: f.classId }));
      }
      const pageRows = all.slice(f.offset, f.offset + f.limit);
      const names = namesFor(ctx.db, pageRows);
      return {
        date: f.date,
        total: all.length,
        plain: all.filter((r) => r.plain).length,
        rows: pageRows.map((r) => ({
          ...r,
          pupilName: names.pupils.get(r.pupilId)?.name ?? '',
          userCode: names.pupils.get(r.pupilId)?.userCode ?? '',
          schoolName: names.schools.get(r.schoolId) ?? '',
          className: r.classId !== null ? (names.classes.get(r.classId) ?? null) : null,
        })),
      };
    },
  }),
  procedure({
    name: 'attendance.dayStatus',
    title: "Stato della giornata per comune: orario limite, superato o no, chiusa o no e pasti registrati",
    role: 'operatore',
    kind: 'query',
    input: z.object({ date: isoDate }),
    output: z.array(
      z.object({
        municipalityId: z.number(),
        municipalityName: z.string(),
        cutoffTime: z.string(),
        cutoffAt: z.string(),
        cutoffPassed: z.boolean(),
        closed: z.boolean(),
        closedAt: z.string().nullable(),
        mode: z.enum(dayClosures.mode.enumValues).nullable(),
        meals: z.number().nullable(),
        plainMeals: z.number().nullable(),
      }),
    ),
    handler: (ctx, { date }) =>
      municipalitiesFor(ctx, {}).map((m) => {
        const c = dayClosure(ctx.db, m.id, date);
        const cutoffAt = dayCloseOpensAt(date, m.cutoffTime);
        return {
          municipalityId: m.id,
          municipalityName: m.name,
          cutoffTime: m.cutoffTime,
          cutoffAt: cutoffAt.toISOString(),
          cutoffPassed: ctx.clock.now().getTime() >= cutoffAt.getTime(),
          closed: c !== null,
          closedAt: c?.closedAt ?? null,
          mode: c?.mode ?? null,
          meals: c?.meals ?? null,
          plainMeals: c?.plainMeals ?? null,
        };
      }),
  }),
  procedure({
    name: 'attendance.closeDay',
    title: "Chiude la giornata a mano: le prenotazioni diventano pasti registrati (idempotente; solo dopo l'orario limite del comune)",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ date: isoDate, municipalityId: id.optional() }),
    output: z.object({ results: z.array(dayCloseOut) }),
    handler: (ctx, input) => {
      const now = ctx.clock.now();
      const user = currentUser(ctx);
      const results = municipalitiesFor(ctx, input).map((m) => {
        if (!canCloseDay(input.date, m.cutoffTime, now) && !dayClosure(ctx.db, m.id, input.date)) {
          if (input.municipalityId) {
            throw new AppError('CONFLICT', closeTooEarlyMessage(input.date, m.name, m.cutoffTime), [
              { path: ['date'], message: `Orario limite non ancora superato (${m.cutoffTime})` },
            ]);
          }
          return {
            municipalityId: m.id,
            municipalityName: m.name,
            date: input.date,
            status: 'non_ancora' as const,
            message: `Comune di ${m.name}: orario limite delle ${m.cutoffTime} non ancora superato`,
            closedAt: null,
            mode: null,
            meals: 0,
            plainMeals: 0,
          };
        }
        const r = closeMunicipalityDay(ctx.db, ctx.sqlite, { municipalityId: m.id, date: input.date, at: now, userId: user.id, mode: 'manuale' });
        if (!r.alreadyClosed) ctx.audit({ entity: 'giornata', entityId: `${m.id}:${input.date}`, action: 'chiusura giornata', after: r });
        return {
          municipalityId: m.id,
          municipalityName: m.name,
          date: input.date,
          status: r.alreadyClosed ? ('gia_chiusa' as const) : ('chiusa' as const),
          message: r.alreadyClosed
            ? `Comune di ${m.name}: giornata già chiusa il ${rome(r.closedAt)} (${r.meals} pasti); nulla è stato registrato di nuovo`
            : `Comune di ${m.name}: giornata chiusa, ${r.meals} pasti registrati${r.plainMeals ? ` (${r.plainMeals} in bianco)` : ''}`,
          closedAt: r.closedAt,
          mode: r.mode,
          meals: r.meals,
          plainMeals: r.plainMeals,
        };
      });
      return { results };
    },
  }),
  procedure({
    name: 'attendance.correctMeal',
    title: "Rettifica la presenza di un alunno in una giornata già chiusa, con motivo (registrata a parte e tracciata; l'originale resta)",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      pupilId: id,
      date: isoDate,
      present: z.boolean({ error: 'Indicare se l\'alunno era presente' }),
      plain: z.boolean().default(false),
      reason: z.string().trim().min(3, { message: 'Indicare il motivo della rettifica' }).max(500),
    }),
    output: z.object({ correction: correctionOut, before: z.object({ present: z.boolean(), plain: z.boolean() }) }),
    handler: (ctx, input) => {
      // A2: after a late cancellation the meal stays charged; only a supervisor may waive it (as with
      // the override before the close), so an operator's correction cannot do it instead (issue 7)
      if (!input.present && !roleAllows(currentUser(ctx).role, 'supervisore') && hadLateCancellation(ctx, input.pupilId, input.date)) {
        throw new AppError('FORBIDDEN', `Il ${formatDateIt(input.date)} la disdetta è arrivata oltre l'orario limite e il pasto resta addebitato: solo un supervisore può rettificarlo`, [
          { path: ['present'], message: 'Disdetta tardiva: rettifica riservata al supervisore' },
        ]);
      }
      const r = correctPresence(ctx.db, { ...input, origin: 'rettifica' }, ctx.clock.now(), currentUser(ctx).id);
      ctx.audit({ entity: 'rettifica_pasto', entityId: r.correction.id, action: 'rettifica presenza', before: r.before, after: r.correction });
      return r;
    },
  }),
  procedure({
    name: 'attendance.corrections',
    title: 'Rettifiche di presenza per alunno, comune o periodo',
    role: 'operatore',
    kind: 'query',
    input: z.object({ pupilId: id.optional(), municipalityId: id.optional(), from: isoDate.optional(), to: isoDate.optional() }),
    // each correction with the pupil it concerns, so a list needs no further call per pupil
    output: z.array(correctionOut.extend({ pupilName: z.string(), userCode: z.string() })),
    handler: (ctx, f) => listCorrections(ctx.db, f),
  }),

  // --- A8: presence history ---
  procedure({
    name: 'attendance.history',
    title: "Storico presenze di un alunno giorno per giorno (prenotato, disdetto, tardivo, in bianco, chiuso, assente) e riepilogo mensile (A8)",
    role: 'operatore',
    kind: 'query',
    input: z.object({ pupilId: id, from: isoDate, to: isoDate }),
    output: z.object({ pupilId: z.number(), from: z.string(), to: z.string(), days: z.array(historyDayOut), months: z.array(historyMonthOut) }),
    handler: (ctx, f) => ({ pupilId: f.pupilId, from: f.from, to: f.to, ...pupilHistory(ctx.db, f.pupilId, f.from, f.to, ctx.clock.now()) }),
  }),
  procedure({
    name: 'attendance.historyExport',
    title: 'Esporta in Excel lo storico presenze di un alunno (A8)',
    role: 'operatore',
    kind: 'query',
    input: z.object({ pupilId: id, from: isoDate, to: isoDate }),
    output: exportFileOut,
    auditedRead: { ...auditedExport('alunno', 'esportazione dello storico presenze'), entityId: (f) => f.pupilId },
    // a history, not a forecast: it stops at today; the file and its heading name the pupil
    handler: async (ctx, f) => {
      const now = ctx.clock.now();
      const last = f.to < today(ctx) ? f.to : today(ctx);
      if (f.from > last) throw nothingToExport(`Lo storico presenze si esporta fino a oggi (${formatDateIt(today(ctx))}): il periodo scelto inizia dopo`);
      const who = historySubject(ctx.db, f.pupilId);
      const wb = newWorkbook(`Storico presenze di ${who.name}`);
      const rows = addSheet(wb, 'Presenze', historyColumns(), pupilHistory(ctx.db, f.pupilId, f.from, last, now).days);
      const ws = wb.worksheets[0];
      const heading = [`Storico presenze di ${who.name} (codice utente ${who.userCode})`, `dal ${formatDateIt(f.from)} al ${formatDateIt(last)}${last < f.to ? ' (fino a oggi)' : ''}`];
      ws.spliceRows(1, 0, [heading[0]], [heading[1]], []);
      ws.getRow(1).font = { bold: true, size: 13 };
      ws.views = [{ state: 'frozen', ySplit: 4 }];
      ws.autoFilter = { from: { row: 4, column: 1 }, to: { row: 4 + rows, column: historyColumns().length } };
      return { fileName: `presenze-${who.slug}-${f.from}-${last}.xlsx`, contentBase64: (await workbookBytes(wb)).toString('base64'), rows };
    },
  }),

  // --- notices and settings ---
  procedure({
    name: 'attendance.notices',
    title: "Avvisi sulle presenze (giornate chiuse alla riapertura del programma, chiusure non riuscite, richieste arrivate dopo la chiusura)",
    role: 'operatore',
    kind: 'query',
    input: z.object({ unreadOnly: z.boolean().default(true), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.array(noticeOut),
    handler: (ctx, f) =>
      ctx.db
        .select({
          id: attendanceNotices.id,
          createdAt: attendanceNotices.createdAt,
          kind: attendanceNotices.kind,
          municipalityId: attendanceNotices.municipalityId,
          date: attendanceNotices.date,
          message: attendanceNotices.message,
          readAt: attendanceNotices.readAt,
        })
        .from(attendanceNotices)
        .where(f.unreadOnly ? isNull(attendanceNotices.readAt) : undefined)
        .orderBy(desc(attendanceNotices.id))
        .limit(f.limit)
        .all(),
  }),
  procedure({
    name: 'attendance.markNoticesRead',
    title: 'Segna come letti gli avvisi sulle presenze',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ ids: z.array(id).min(1, { message: 'Nessun avviso indicato' }).max(500) }),
    output: z.object({ marked: z.number() }),
    handler: (ctx, input) => {
      const marked = markNoticesRead(ctx.db, input.ids, ctx.clock.now(), currentUser(ctx).id);
      ctx.audit({ entity: 'avviso_presenze', action: 'letti', after: { ids: input.ids, marked } });
      return { marked };
    },
  }),
  procedure({
    name: 'attendance.settings',
    title: 'Impostazioni delle presenze: giorni consecutivi di pasto in bianco senza certificato medico',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.object({ plainMealMaxDays: z.number(), version: z.number() }),
    handler: (ctx) => ({ plainMealMaxDays: getPlainMealLimit(ctx.db), version: currentVersion(ctx, 'plainMeal') ?? 0 }),
  }),
  procedure({
    name: 'attendance.updateSettings',
    title: 'Modifica i giorni consecutivi di pasto in bianco ammessi senza certificato medico (supervisore)',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ plainMealMaxDays: z.number().int().min(1, { message: 'Almeno 1 giorno' }).max(30, { message: 'Al massimo 30 giorni' }), version }),
    output: z.object({ plainMealMaxDays: z.number(), version: z.number() }),
    handler: (ctx, input) => {
      expectVersion(ctx, 'plainMeal', null, input.version);
      const before = getPlainMealLimit(ctx.db);
      setPlainMealLimit(ctx.db, input.plainMealMaxDays);
      ctx.audit({ entity: 'impostazioni', entityId: 'presenze.giorniBiancoSenzaCertificato', action: 'modifica', before, after: input.plainMealMaxDays });
      return { plainMealMaxDays: input.plainMealMaxDays, version: currentVersion(ctx, 'plainMeal') ?? 0 };
    },
  }),
];

