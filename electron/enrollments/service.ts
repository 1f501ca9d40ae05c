import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { classes, enrollments, municipalities, payers, pupils, schools, schoolYears } from '../../db/schema';
import { AppError, type FieldIssue, invalid, invalidField, notFound } from '../contract/errors';
import { likePattern, weekdaysFromText, weekdaysToText } from '../contract/fields';
import { validateCodiceFiscale } from '../identifiers/codice-fiscale';
import { roleAllows, type Role } from '../contract/roles';
import { copyParents } from './parents';
import { syncPupilPlace } from '../pupils/place';

export { syncPupilPlace };
import { weekdayName } from '../contract/vocabulary/weekdays';
import { formatDateIt } from '../contract/vocabulary/dates';

/** Declared once, in db/schema (the column's CHECK): the contract's zod enums read them from there. */
export const ENROLLMENT_STATUSES = enrollments.status.enumValues;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];
export const PAYMENT_METHODS = enrollments.paymentMethod.enumValues;
export const ENROLLMENT_SORTS = ['pupil', 'school', 'status', 'payer', 'createdAt'] as const;


export interface EnrollmentFilter {
  schoolYearId?: number;
  status?: EnrollmentStatus;
  schoolId?: number;
  municipalityId?: number;
  paymentMethod?: 'prepagato' | 'sdd';
  search?: string;
  sort?: (typeof ENROLLMENT_SORTS)[number];
  sortDir?: 'asc' | 'desc';
}

const cols = {
  id: enrollments.id,
  pupilId: enrollments.pupilId,
  pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
  pupilTaxCode: pupils.taxCode,
  userCode: pupils.userCode,
  schoolYearId: enrollments.schoolYearId,
  schoolYearLabel: schoolYears.label,
  payerId: enrollments.payerId,
  payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`,
  schoolId: enrollments.schoolId,
  schoolName: schools.name,
  municipalityName: municipalities.name,
  classId: enrollments.classId,
  className: classes.name,
  weekdays: enrollments.weekdays,
  paymentMethod: enrollments.paymentMethod,
  status: enrollments.status,
  startsOn: enrollments.startsOn,
  activatedOn: enrollments.activatedOn,
  suspendedOn: enrollments.suspendedOn,
  withdrawnOn: enrollments.withdrawnOn,
  withdrawalReason: enrollments.withdrawalReason,
  renewedFromId: enrollments.renewedFromId,
  notes: enrollments.notes,
  version: enrollments.version,
};

function base(db: AppDb) {
  return db
    .select(cols)
    .from(enrollments)
    .innerJoin(pupils, eq(pupils.id, enrollments.pupilId))
    .innerJoin(payers, eq(payers.id, enrollments.payerId))
    .innerJoin(schoolYears, eq(schoolYears.id, enrollments.schoolYearId))
    .innerJoin(schools, eq(schools.id, enrollments.schoolId))
    .innerJoin(municipalities, eq(municipalities.id, schools.municipalityId))
    .leftJoin(classes, eq(classes.id, enrollments.classId));
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['all']>>[number];
const toOut = (r: Row) => ({ ...r, weekdays: weekdaysFromText(r.weekdays) });

function where(f: EnrollmentFilter): SQL | undefined {
  const c: SQL[] = [];
  if (f.schoolYearId) c.push(eq(enrollments.schoolYearId, f.schoolYearId));
  if (f.status) c.push(eq(enrollments.status, f.status));
  if (f.schoolId) c.push(eq(enrollments.schoolId, f.schoolId));
  if (f.municipalityId) c.push(eq(schools.municipalityId, f.municipalityId));
  if (f.paymentMethod) c.push(eq(enrollments.paymentMethod, f.paymentMethod));
  if (f.search) for (const w of f.search.split(/\s+/).filter(Boolean)) c.push(sql`${pupils.searchText} LIKE ${likePattern(w)} ESCAPE '\\'`);
  return c.length ? and(...c) : undefined;
}

export function listEnrollments(db: AppDb, f: EnrollmentFilter, pageOpt: { offset: number; limit: number } | null) {
  const w = where(f);
  const dir = f.sortDir === 'desc' ? desc : asc;
  const order =
    f.sort === 'school'
      ? [dir(schools.name), asc(classes.name), asc(pupils.lastName)]
      : f.sort === 'status'
        ? [dir(enrollments.status), asc(pupils.lastName)]
        : f.sort === 'payer'
          ? [dir(payers.lastName), dir(payers.firstName)]
          : f.sort === 'createdAt'
            ? [dir(enrollments.id)]
            : [dir(pupils.lastName), dir(pupils.firstName), asc(enrollments.id)];
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(enrollments)
    .innerJoin(pupils, eq(pupils.id, enrollments.pupilId))
    .innerJoin(schools, eq(schools.id, enrollments.schoolId))
    .where(w)
    .get()!.n;
  const q = base(db).where(w).orderBy(...order);
  return { rows: (pageOpt ? q.limit(pageOpt.limit).offset(pageOpt.offset).all() : q.all()).map(toOut), total };
}

export function getEnrollment(db: AppDb, id: number) {
  const r = base(db).where(eq(enrollments.id, id)).get();
  if (!r) throw notFound('Iscrizione');
  return toOut(r);
}

export interface EnrollmentInput {
  pupilId: number;
  schoolYearId: number;
  payerId: number;
  schoolId: number;
  classId: number | null;
  weekdays: number[];
  paymentMethod: 'prepagato' | 'sdd';
  startsOn: string | null;
  notes: string;
}

/**
 * E3 (and P5 for SDD): what must be true before an enrollment is active. Each missing item is
 * reported on its own field, in Italian, so the operator knows exactly what to fix.
 */
export function activationIssues(db: AppDb, e: { pupilId: number; payerId: number; paymentMethod: string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const pupil = db.select().from(pupils).where(eq(pupils.id, e.pupilId)).get();
  const payer = db.select().from(payers).where(eq(payers.id, e.payerId)).get();
  if (!pupil || !validateCodiceFiscale(pupil.taxCode).ok) issues.push({ path: ['pupil', 'taxCode'], message: "Manca un codice fiscale valido dell'alunno" });
  if (!payer) {
    issues.push({ path: ['payerId'], message: 'Pagante inesistente' });
    return issues;
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(payer.email)) issues.push({ path: ['payer', 'email'], message: "Manca un indirizzo e-mail valido del pagante" });
  if (!payer.mobile) issues.push({ path: ['payer', 'mobile'], message: 'Manca il numero di cellulare del pagante' });
  if (!validateCodiceFiscale(payer.taxCode).ok) issues.push({ path: ['payer', 'taxCode'], message: 'Manca un codice fiscale valido del pagante' });
  if (e.paymentMethod === 'sdd' && (!payer.iban || !payer.ibanHolder)) {
    issues.push({ path: ['payer', 'iban'], message: "Per l'addebito SDD servono IBAN e intestatario del conto del pagante" });
  }
  return issues;
}

/** Checks references, the school's service weekdays (E4) and the one-enrollment-per-year rule. */
export function checkEnrollment(db: AppDb, input: EnrollmentInput, exceptId?: number) {
  const pupil = db.select().from(pupils).where(eq(pupils.id, input.pupilId)).get();
  if (!pupil) throw invalidField('pupilId', 'Alunno inesistente');
  const year = db.select().from(schoolYears).where(eq(schoolYears.id, input.schoolYearId)).get();
  if (!year) throw invalidField('schoolYearId', 'Anno scolastico inesistente');
  if (!db.select({ id: payers.id }).from(payers).where(eq(payers.id, input.payerId)).get()) throw invalidField('payerId', 'Pagante inesistente');
  const school = db.select().from(schools).where(eq(schools.id, input.schoolId)).get();
  if (!school) throw invalidField('schoolId', 'Scuola inesistente');
  if (input.classId !== null) {
    const cls = db.select().from(classes).where(eq(classes.id, input.classId)).get();
    if (!cls) throw invalidField('classId', 'Classe inesistente');
    if (cls.schoolId !== input.schoolId || cls.schoolYearId !== input.schoolYearId) {
      throw invalidField('classId', "La classe non è di questa scuola in quest'anno scolastico");
    }
  }
  const served = new Set(weekdaysFromText(school.serviceWeekdays));
  const notServed = input.weekdays.filter((d) => !served.has(d));
  if (notServed.length) {
    throw invalidField('weekdays', `La scuola non ha servizio mensa di ${notServed.map(weekdayName).join(', ')}`);
  }
  if (input.startsOn && (input.startsOn < year.startsOn || input.startsOn > year.endsOn)) {
    throw invalidField('startsOn', `La data di inizio deve cadere nell'anno scolastico ${year.label}`);
  }
  const dup = db
    .select({ id: enrollments.id })
    .from(enrollments)
    .where(and(eq(enrollments.pupilId, input.pupilId), eq(enrollments.schoolYearId, input.schoolYearId), exceptId ? ne(enrollments.id, exceptId) : undefined))
    .get();
  if (dup) throw invalidField('schoolYearId', `L'alunno è già iscritto per l'anno ${year.label}`);
  return { pupil, year, school };
}

/** E1: the enrollment window of the municipality; outside it the office may still enroll, with a warning. */
export function windowWarning(db: AppDb, schoolId: number, today: string): string | null {
  const m = db
    .select({ opens: municipalities.enrollmentOpensOn, closes: municipalities.enrollmentClosesOn, name: municipalities.name })
    .from(schools)
    .innerJoin(municipalities, eq(municipalities.id, schools.municipalityId))
    .where(eq(schools.id, schoolId))
    .get();
  if (!m?.opens || !m.closes) return null;
  if (today >= m.opens && today <= m.closes) return null;
  const it = formatDateIt;
  return `Iscrizione registrata fuori dalla finestra del Comune di ${m.name} (${it(m.opens)}–${it(m.closes)})`;
}

export function insertEnrollment(db: AppDb, nowIso: string, today: string, input: EnrollmentInput, status: EnrollmentStatus, renewedFromId: number | null = null) {
  const year = db.select().from(schoolYears).where(eq(schoolYears.id, input.schoolYearId)).get()!;
  const startsOn = input.startsOn ?? (today > year.startsOn && today <= year.endsOn ? today : year.startsOn);
  if (status === 'attiva') {
    const issues = activationIssues(db, input);
    if (issues.length) throw invalid(issues, `Iscrizione non attivabile: ${issues.map((i) => i.message.toLowerCase()).join('; ')}`);
  }
  const row = db
    .insert(enrollments)
    .values({
      pupilId: input.pupilId,
      schoolYearId: input.schoolYearId,
      payerId: input.payerId,
      schoolId: input.schoolId,
      classId: input.classId,
      weekdays: weekdaysToText(input.weekdays),
      paymentMethod: input.paymentMethod,
      status,
      startsOn,
      activatedOn: status === 'attiva' ? today : null,
      renewedFromId,
      notes: input.notes,
      createdAt: nowIso,
      updatedAt: nowIso,
    })
    .returning()
    .get();
  syncPupilPlace(db, input.pupilId);
  return row;
}

/**
 * Every status change, the one procedure that makes it and the least role allowed to (issue 7).
 * A suspension (for debt, after the delivered written notice: D2) is a supervisor's recorded
 * decision (debts.suspensions.create, table service_suspensions): the status 'sospesa' only
 * mirrors the open decision for the office's lists, the service calendar reads the decisions'
 * periods. Only a supervisor lifts it (debts.suspensions.lift); an operator activates drafts and
 * records withdrawals (E6), also of a suspended enrollment, whose suspension stays recorded.
 * A withdrawal is final. The roles test checks each procedure's declared role against its own
 * reviewed table; this table is checked again inside the handler, whoever calls it.
 */
export const ENROLLMENT_TRANSITIONS = [
  { from: 'bozza', to: 'attiva', procedure: 'enrollments.activate', role: 'operatore' },
  { from: 'bozza', to: 'ritirata', procedure: 'enrollments.withdraw', role: 'operatore' },
  { from: 'attiva', to: 'sospesa', procedure: 'debts.suspensions.create', role: 'supervisore' },
  { from: 'attiva', to: 'ritirata', procedure: 'enrollments.withdraw', role: 'operatore' },
  { from: 'sospesa', to: 'attiva', procedure: 'debts.suspensions.lift', role: 'supervisore' },
  { from: 'sospesa', to: 'ritirata', procedure: 'enrollments.withdraw', role: 'operatore' },
] as const satisfies readonly { from: EnrollmentStatus; to: EnrollmentStatus; procedure: string; role: Role }[];

const STATUS_TEXT: Record<EnrollmentStatus, string> = { bozza: 'in bozza', attiva: 'attiva', sospesa: 'sospesa', ritirata: 'ritirata' };

/** Refuses a status change that is not in the table, made through another procedure, or by a lower role. */
export function assertTransition(from: EnrollmentStatus, to: EnrollmentStatus, procedureName: string, role: Role): void {
  const t = ENROLLMENT_TRANSITIONS.find((x) => x.from === from && x.to === to);
  if (!t) throw new AppError('CONFLICT', `L'iscrizione è ${STATUS_TEXT[from]}: non può diventare ${STATUS_TEXT[to]}`);
  if (!roleAllows(role, t.role)) {
    throw new AppError(
      'FORBIDDEN',
      from === 'sospesa' && to === 'attiva'
        ? "L'iscrizione è sospesa: solo un supervisore può revocare la sospensione"
        : `Da ${STATUS_TEXT[from]} a ${STATUS_TEXT[to]}: operazione riservata al ruolo ${t.role}`,
    );
  }
  if (t.procedure !== procedureName) {
    throw new AppError(
      'CONFLICT',
      from === 'sospesa' && to === 'attiva'
        ? "L'iscrizione è sospesa: la sospensione si revoca da Morosità › Sospensioni (supervisore), non con l'attivazione"
        : `L'iscrizione è ${STATUS_TEXT[from]}: questa operazione non la rende ${STATUS_TEXT[to]}`,
    );
  }
}

/**
 * E2: renewal copies last year's enrollments (not withdrawn) into the new year as drafts, prefilled with
 * the same payer, weekdays, payment method and school; the class moves up one year where a class of
 * the same section exists (3A → 4A). Pupils already enrolled in the new year are skipped.
 */
export function renewEnrollments(
  db: AppDb,
  nowIso: string,
  today: string,
  fromYearId: number,
  toYearId: number,
  onlyIds?: number[],
  /** D2: the source enrollments whose family may not enroll for the new year, with the refusal */
  refusals: (source: { id: number; payerId: number; schoolId: number }[]) => Map<number, string> = () => new Map(),
) {
  const to = db.select().from(schoolYears).where(eq(schoolYears.id, toYearId)).get();
  const from = db.select().from(schoolYears).where(eq(schoolYears.id, fromYearId)).get();
  if (!from) throw invalidField('fromSchoolYearId', 'Anno scolastico di partenza inesistente');
  if (!to) throw invalidField('toSchoolYearId', 'Anno scolastico di destinazione inesistente');
  if (to.startsOn <= from.startsOn) throw invalidField('toSchoolYearId', "L'anno di destinazione deve seguire quello di partenza");
  const source = db
    .select()
    .from(enrollments)
    .where(and(eq(enrollments.schoolYearId, fromYearId), ne(enrollments.status, 'ritirata'), onlyIds?.length ? inArray(enrollments.id, onlyIds) : undefined))
    .all();
  const already = new Set(
    db.select({ p: enrollments.pupilId }).from(enrollments).where(eq(enrollments.schoolYearId, toYearId)).all().map((r) => r.p),
  );
  const targetClasses = db.select().from(classes).where(eq(classes.schoolYearId, toYearId)).all();
  const classesFrom = new Map(db.select().from(classes).where(eq(classes.schoolYearId, fromYearId)).all().map((c) => [c.id, c]));
  const created: number[] = [];
  let skipped = 0;
  const refused = refusals(source.filter((e) => !already.has(e.pupilId)));
  const blocked: { enrollmentId: number; pupilId: number; message: string }[] = [];
  for (const e of source) {
    if (already.has(e.pupilId)) {
      skipped++;
      continue;
    }
    const refusal = refused.get(e.id);
    if (refusal) {
      blocked.push({ enrollmentId: e.id, pupilId: e.pupilId, message: refusal });
      continue;
    }
    let classId: number | null = null;
    const old = e.classId ? classesFrom.get(e.classId) : undefined;
    const m = old?.name.match(/^(\d+)(.*)$/);
    if (m) {
      const nextName = `${Number(m[1]) + 1}${m[2]}`;
      classId = targetClasses.find((c) => c.schoolId === e.schoolId && c.name === nextName)?.id ?? null;
    }
    const row = insertEnrollment(
      db,
      nowIso,
      today,
      {
        pupilId: e.pupilId,
        schoolYearId: toYearId,
        payerId: e.payerId,
        schoolId: e.schoolId,
        classId,
        weekdays: weekdaysFromText(e.weekdays),
        paymentMethod: e.paymentMethod,
        startsOn: to.startsOn,
        notes: e.notes,
      },
      'bozza',
      e.id,
    );
    copyParents(db, e.id, row.id, nowIso);
    created.push(row.id);
  }
  return { created, skipped, blocked, fromLabel: from.label, toLabel: to.label };
}
