import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { AppDb } from '../../db/open';
import { classes, enrollments, municipalities, pupils, schools, schoolYears } from '../../db/schema';
import { invalidField, notFound } from '../contract/errors';
import { likePattern } from '../contract/fields';
import { outer } from '../../db/sql';
import { balanceOf, thresholdSql } from '../ledger/balances';
import { birthDateMismatch } from '../identifiers/codice-fiscale';
import { formatDateIt } from '../contract/vocabulary/dates';
import { currentSchoolYear } from '../contract/vocabulary/school-year';

export const PUPIL_SORTS = ['lastName', 'birthDate', 'taxCode', 'userCode', 'school', 'createdAt', 'balance'] as const;
/** P1 list filters on the mensa balance: debt (< 0), under the office's threshold, credit (> 0), zero. */
export const BALANCE_FILTERS = ['debito', 'sotto_soglia', 'credito', 'zero'] as const;
export type PupilSort = (typeof PUPIL_SORTS)[number];

export interface PupilFilter {
  search?: string;
  municipalityId?: number;
  schoolId?: number;
  classId?: number;
  /** only pupils with an enrollment in this school year (any status) */
  schoolYearId?: number;
  /** only the children of this payer (an enrollment, any year, paid by them) */
  payerId?: number;
  balance?: (typeof BALANCE_FILTERS)[number];
  sort?: PupilSort;
  sortDir?: 'asc' | 'desc';
}

export function pupilSearchText(p: { lastName: string; firstName: string; taxCode: string; userCode: string }): string {
  return `${p.lastName} ${p.firstName} ${p.taxCode} ${p.userCode}`.toLowerCase();
}

/**
 * Issue 12: where a pupil is, stated once by the enrollment. The enrollment of the place year (the
 * list's school-year filter, else the current school year) gives school and class; a pupil not
 * enrolled that year shows the school of the pupil's record, which follows the reference enrollment
 * (syncPupilPlace) or, before any enrollment, is the school given at registration.
 */
const placeEnrollment = alias(enrollments, 'place_enrollment');
const placeSchoolId = sql<number>`coalesce(${placeEnrollment.schoolId}, ${pupils.schoolId})`;
const placeClassId = sql<number | null>`CASE WHEN ${placeEnrollment.id} IS NULL THEN ${pupils.classId} ELSE ${placeEnrollment.classId} END`;

/** The school year whose enrollment places the pupils: the one asked for, else the current one on `today` (null with no years). */
export function placeYearId(db: AppDb, today: string, asked?: number): number | null {
  if (asked) return asked;
  return currentSchoolYear(db.select({ id: schoolYears.id, startsOn: schoolYears.startsOn, endsOn: schoolYears.endsOn }).from(schoolYears).all(), today)?.id ?? null;
}

/**
 * The pupils placed at a school (or in a class) in the place year. The first condition is a
 * superset the indexes answer (the pupil's record, which follows the reference enrollment, or an
 * enrollment of that year there), so that 50,000 pupils are not scanned; the second is exact.
 */
function placedAt(column: 'school_id' | 'class_id', value: number, yearId: number | null): SQL[] {
  const own = column === 'school_id' ? pupils.schoolId : pupils.classId;
  const place = column === 'school_id' ? placeSchoolId : placeClassId;
  return [
    sql`(${own} = ${value} OR ${pupils.id} IN (SELECT e.pupil_id FROM ${enrollments} e WHERE e.${sql.raw(column)} = ${value} AND e.school_year_id = ${yearId ?? -1}))`,
    sql`${place} = ${value}`,
  ];
}

function where(f: PupilFilter, yearId: number | null): SQL | undefined {
  const conds: (SQL | undefined)[] = [];
  if (f.search) {
    for (const word of f.search.split(/\s+/).filter(Boolean)) {
      conds.push(sql`${pupils.searchText} LIKE ${likePattern(word)} ESCAPE '\\'`);
    }
  }
  if (f.schoolId) conds.push(...placedAt('school_id', f.schoolId, yearId));
  if (f.classId) conds.push(...placedAt('class_id', f.classId, yearId));
  if (f.municipalityId) conds.push(eq(schools.municipalityId, f.municipalityId));
  if (f.schoolYearId) {
    conds.push(sql`EXISTS (SELECT 1 FROM ${enrollments} WHERE ${enrollments.pupilId} = ${outer(pupils.id)} AND ${enrollments.schoolYearId} = ${f.schoolYearId})`);
  }
  if (f.payerId) {
    conds.push(sql`EXISTS (SELECT 1 FROM ${enrollments} WHERE ${enrollments.pupilId} = ${outer(pupils.id)} AND ${enrollments.payerId} = ${f.payerId})`);
  }
  if (f.balance === 'debito') conds.push(sql`${balanceOf(pupils.id)} < 0`);
  if (f.balance === 'credito') conds.push(sql`${balanceOf(pupils.id)} > 0`);
  if (f.balance === 'zero') conds.push(sql`${balanceOf(pupils.id)} = 0`);
  if (f.balance === 'sotto_soglia') conds.push(sql`${balanceOf(pupils.id)} < ${thresholdSql()}`);
  const defined = conds.filter((c): c is SQL => c !== undefined);
  return defined.length ? and(...defined) : undefined;
}

function orderBy(f: PupilFilter) {
  const dir = f.sortDir === 'desc' ? desc : asc;
  switch (f.sort) {
    case 'birthDate':
      return [dir(pupils.birthDate), asc(pupils.id)];
    case 'taxCode':
      return [dir(pupils.taxCode)];
    case 'userCode':
      return [dir(pupils.userCode)];
    case 'school':
      return [dir(schools.name), asc(pupils.lastName), asc(pupils.firstName), asc(pupils.id)];
    case 'createdAt':
      return [dir(pupils.id)];
    case 'balance':
      return [dir(balanceOf(pupils.id)), asc(pupils.lastName), asc(pupils.firstName), asc(pupils.id)];
    default:
      return [dir(pupils.lastName), dir(pupils.firstName), asc(pupils.id)];
  }
}

const pupilColumns = {
  id: pupils.id,
  firstName: pupils.firstName,
  lastName: pupils.lastName,
  birthDate: pupils.birthDate,
  taxCode: pupils.taxCode,
  userCode: pupils.userCode,
  phoneCode: pupils.phoneCode,
  schoolId: placeSchoolId.mapWith(Number),
  schoolName: schools.name,
  municipalityId: schools.municipalityId,
  municipalityName: municipalities.name,
  classId: placeClassId,
  className: classes.name,
  notes: pupils.notes,
  version: pupils.version,
  /** P1/P7: mensa balance and the total over all services, all school years (cents) */
  balanceCents: balanceOf(pupils.id).mapWith(Number),
  totalBalanceCents: balanceOf(pupils.id, null).mapWith(Number),
};

function placed(yearId: number | null) {
  return and(eq(placeEnrollment.pupilId, pupils.id), eq(placeEnrollment.schoolYearId, yearId ?? -1));
}

function base(db: AppDb, yearId: number | null) {
  return db
    .select(pupilColumns)
    .from(pupils)
    .leftJoin(placeEnrollment, placed(yearId))
    .innerJoin(schools, sql`${schools.id} = ${placeSchoolId}`)
    .innerJoin(municipalities, eq(municipalities.id, schools.municipalityId))
    .leftJoin(classes, sql`${classes.id} = ${placeClassId}`);
}

/** `today` (Rome) picks the current school year whose enrollment places each pupil (issue 12). */
export function listPupils(db: AppDb, f: PupilFilter, pageOpt: { offset: number; limit: number } | null, today: string) {
  const yearId = placeYearId(db, today, f.schoolYearId);
  const w = where(f, yearId);
  // every pupil has a school: the joins only matter to the count when the place is filtered
  const total = f.municipalityId || f.schoolId || f.classId
    ? db
        .select({ n: sql<number>`count(*)` })
        .from(pupils)
        .leftJoin(placeEnrollment, placed(yearId))
        .innerJoin(schools, sql`${schools.id} = ${placeSchoolId}`)
        .where(w)
        .get()!.n
    : db.select({ n: sql<number>`count(*)` }).from(pupils).where(w).get()!.n;
  const q = base(db, yearId).where(w).orderBy(...orderBy(f));
  const rows = pageOpt ? q.limit(pageOpt.limit).offset(pageOpt.offset).all() : q.all();
  return { rows, total };
}

/** Brothers and sisters: the other pupils with an enrollment paid by a payer of one of this pupil's enrollments (issue 12). */
export function siblingsOf(db: AppDb, pupilId: number, today: string) {
  return base(db, placeYearId(db, today))
    .where(
      and(
        sql`${pupils.id} <> ${pupilId}`,
        sql`${pupils.id} IN (SELECT e2.pupil_id FROM ${enrollments} e2 WHERE e2.payer_id IN (SELECT e1.payer_id FROM ${enrollments} e1 WHERE e1.pupil_id = ${pupilId}))`,
      ),
    )
    .orderBy(asc(pupils.birthDate), asc(pupils.id))
    .all()
    .map((r) => ({ id: r.id, firstName: r.firstName, lastName: r.lastName, userCode: r.userCode, schoolName: r.schoolName, className: r.className }));
}

export function getPupil(db: AppDb, id: number, today: string) {
  const row = base(db, placeYearId(db, today)).where(eq(pupils.id, id)).get();
  if (!row) throw notFound('Alunno');
  return row;
}

/** E5: the badge is issued once and kept for the whole school career: 8 digits, sequential. */
export function nextUserCode(db: AppDb): string {
  const max = db.select({ m: sql<string | null>`max(${pupils.userCode})` }).from(pupils).get()!.m;
  const next = max ? Number(max) + 1 : 10_000_001;
  return String(next).padStart(8, '0');
}

/** E5: the phone-cancellation code is a separate random 6-digit code, unique, never equal to the badge. */
export function newPhoneCode(db: AppDb, userCode: string, random: (max: number) => number = (m) => randomInt(m)): string {
  const exists = { get: (code: string) => db.select({ id: pupils.id }).from(pupils).where(eq(pupils.phoneCode, code)).get() };
  for (let i = 0; i < 1000; i++) {
    const code = String(100_000 + random(900_000));
    if (code !== userCode && !exists.get(code)) return code;
  }
  throw new Error('Impossibile generare un codice disdetta univoco');
}

export interface PupilInput {
  firstName: string;
  lastName: string;
  birthDate: string;
  taxCode: string;
  schoolId: number;
  classId: number | null;
  notes: string;
}

/** Checks that the birth date agrees with the codice fiscale and that school and class exist and match. */
export function checkPupil(db: AppDb, input: PupilInput, exceptId?: number): void {
  const encoded = birthDateMismatch(input.taxCode, input.birthDate);
  if (encoded) throw invalidField('birthDate', `La data di nascita non corrisponde al codice fiscale (${formatDateIt(encoded)})`);
  const dup = db.select({ id: pupils.id, name: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}` }).from(pupils).where(eq(pupils.taxCode, input.taxCode)).get();
  if (dup && dup.id !== exceptId) throw invalidField('taxCode', `Codice fiscale già registrato per l'alunno ${dup.name}`);
  if (!db.select({ id: schools.id }).from(schools).where(eq(schools.id, input.schoolId)).get()) throw invalidField('schoolId', 'Scuola inesistente');
  if (input.classId !== null) {
    const cls = db.select().from(classes).where(eq(classes.id, input.classId)).get();
    if (!cls) throw invalidField('classId', 'Classe inesistente');
    if (cls.schoolId !== input.schoolId) throw invalidField('classId', 'La classe non appartiene alla scuola scelta');
  }
}

export function insertPupil(db: AppDb, nowIso: string, input: PupilInput, codes?: { userCode: string; phoneCode: string }) {
  const userCode = codes?.userCode ?? nextUserCode(db);
  const phoneCode = codes?.phoneCode ?? newPhoneCode(db, userCode);
  return db
    .insert(pupils)
    .values({
      ...input,
      userCode,
      phoneCode,
      searchText: pupilSearchText({ ...input, userCode }),
      createdAt: nowIso,
      updatedAt: nowIso,
    })
    .returning()
    .get();
}
