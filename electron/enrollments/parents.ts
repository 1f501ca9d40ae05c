/**
 * Who pays (issue 6): the payer of an enrollment (`enrollments.payer_id`) may differ from the parent
 * who enrolled; a second parent can be recorded; the 730 statement names the payer, or the pupil
 * when the family asks for it, and then the two parents share it by recorded percentages
 * (50/50 unless annotated otherwise; PAYMENTS.md §4). Stored in `enrollment_parents`.
 */
import { z } from 'zod';
import { alias } from 'drizzle-orm/sqlite-core';
import { eq, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { enrollmentParents, payers, TAX_STATEMENT_NAMES } from '../../db/schema';
import { type FieldIssue, invalid } from '../contract/errors';
import { id } from '../contract/fields';

export type TaxStatementNames = (typeof TAX_STATEMENT_NAMES)[number];

const pct = z
  .number({ error: 'Indicare la quota in percentuale' })
  .int({ message: 'La quota è un numero intero di punti percentuali' })
  .min(0, { message: 'La quota va da 0 a 100' })
  .max(100, { message: 'La quota va da 0 a 100' });

/** The who-pays fields of the enrollment forms (all optional: the defaults are "the payer did it all"). */
export const parentsIn = {
  enrolledById: id.nullable().default(null),
  secondParentId: id.nullable().default(null),
  taxStatementNames: z.enum(TAX_STATEMENT_NAMES, { error: "Scegliere a chi è intestata la dichiarazione 730: pagante o alunno" }).default('pagante'),
  payerSharePct: pct.default(50),
  secondParentSharePct: pct.default(50),
};

/** On update the fields may be left out: then what is recorded stays (a caller that does not know them keeps them). */
export const parentsPatch = {
  enrolledById: id.nullable().optional(),
  secondParentId: id.nullable().optional(),
  taxStatementNames: parentsIn.taxStatementNames.unwrap().optional(),
  payerSharePct: pct.optional(),
  secondParentSharePct: pct.optional(),
};

export function mergeParents(
  recorded: ParentsOut,
  patch: { payerId: number; enrolledById?: number | null; secondParentId?: number | null; taxStatementNames?: TaxStatementNames; payerSharePct?: number; secondParentSharePct?: number },
): ParentsInput {
  return {
    payerId: patch.payerId,
    enrolledById: patch.enrolledById === undefined ? recorded.enrolledById : patch.enrolledById,
    secondParentId: patch.secondParentId === undefined ? recorded.secondParentId : patch.secondParentId,
    taxStatementNames: patch.taxStatementNames ?? recorded.taxStatementNames,
    payerSharePct: patch.payerSharePct ?? recorded.payerSharePct,
    secondParentSharePct: patch.secondParentSharePct ?? recorded.secondParentSharePct,
  };
}

export interface ParentsInput {
  payerId: number;
  enrolledById: number | null;
  secondParentId: number | null;
  taxStatementNames: TaxStatementNames;
  payerSharePct: number;
  secondParentSharePct: number;
}

export const parentsOut = z.object({
  enrolledById: z.number().nullable(),
  enrolledByName: z.string().nullable(),
  secondParentId: z.number().nullable(),
  secondParentName: z.string().nullable(),
  secondParentTaxCode: z.string().nullable(),
  taxStatementNames: z.enum(TAX_STATEMENT_NAMES),
  payerSharePct: z.number(),
  secondParentSharePct: z.number(),
});
export type ParentsOut = z.output<typeof parentsOut>;

/** Each mistake on its own field, in Italian; the database CHECKs refuse the same things. */
export function parentsIssues(db: AppDb, p: ParentsInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const exists = (pid: number) => db.select({ id: payers.id }).from(payers).where(eq(payers.id, pid)).get() !== undefined;
  if (p.enrolledById !== null && !exists(p.enrolledById)) issues.push({ path: ['enrolledById'], message: 'Il genitore che ha iscritto non esiste' });
  if (p.secondParentId !== null) {
    if (p.secondParentId === p.payerId) issues.push({ path: ['secondParentId'], message: 'Il secondo genitore deve essere una persona diversa dal pagante' });
    else if (!exists(p.secondParentId)) issues.push({ path: ['secondParentId'], message: 'Il secondo genitore non esiste' });
  }
  if (p.taxStatementNames === 'alunno') {
    if (p.secondParentId === null) {
      issues.push({ path: ['secondParentId'], message: "Per intestare la dichiarazione 730 all'alunno indicare il secondo genitore, che ne divide la spesa" });
    }
    if (p.payerSharePct + p.secondParentSharePct !== 100) {
      issues.push({ path: ['secondParentSharePct'], message: `Le quote dei due genitori devono sommare a 100% (ora ${p.payerSharePct + p.secondParentSharePct}%)` });
    }
  }
  return issues;
}

export function checkParents(db: AppDb, p: ParentsInput): void {
  const issues = parentsIssues(db, p);
  if (issues.length) throw invalid(issues);
}

/** Writes the row, or removes the need for one: with every default, no row is kept. */
export function saveParents(db: AppDb, enrollmentId: number, nowIso: string, p: ParentsInput): void {
  const isDefault = p.enrolledById === null && p.secondParentId === null && p.taxStatementNames === 'pagante';
  // a payer-named statement keeps no share: store the default 50/50 so the CHECK always holds
  const shares = p.taxStatementNames === 'alunno' ? { payerSharePct: p.payerSharePct, secondParentSharePct: p.secondParentSharePct } : { payerSharePct: 50, secondParentSharePct: 50 };
  if (isDefault) {
    db.delete(enrollmentParents).where(eq(enrollmentParents.enrollmentId, enrollmentId)).run();
    return;
  }
  const values = { enrolledById: p.enrolledById, secondParentId: p.secondParentId, taxStatementNames: p.taxStatementNames, ...shares, updatedAt: nowIso };
  db.insert(enrollmentParents)
    .values({ enrollmentId, ...values })
    .onConflictDoUpdate({ target: enrollmentParents.enrollmentId, set: values })
    .run();
}

const enrolledBy = alias(payers, 'enrolled_by');
const second = alias(payers, 'second_parent');

export function getParents(db: AppDb, enrollmentId: number): ParentsOut {
  const r = db
    .select({
      enrolledById: enrollmentParents.enrolledById,
      enrolledByName: sql<string | null>`${enrolledBy.lastName} || ' ' || ${enrolledBy.firstName}`,
      secondParentId: enrollmentParents.secondParentId,
      secondParentName: sql<string | null>`${second.lastName} || ' ' || ${second.firstName}`,
      secondParentTaxCode: second.taxCode,
      taxStatementNames: enrollmentParents.taxStatementNames,
      payerSharePct: enrollmentParents.payerSharePct,
      secondParentSharePct: enrollmentParents.secondParentSharePct,
    })
    .from(enrollmentParents)
    .leftJoin(enrolledBy, eq(enrolledBy.id, enrollmentParents.enrolledById))
    .leftJoin(second, eq(second.id, enrollmentParents.secondParentId))
    .where(eq(enrollmentParents.enrollmentId, enrollmentId))
    .get();
  return (
    r ?? {
      enrolledById: null,
      enrolledByName: null,
      secondParentId: null,
      secondParentName: null,
      secondParentTaxCode: null,
      taxStatementNames: 'pagante',
      payerSharePct: 50,
      secondParentSharePct: 50,
    }
  );
}

/** Renewal (E2) copies who pays along with the rest of last year's enrollment. */
export function copyParents(db: AppDb, fromEnrollmentId: number, toEnrollmentId: number, nowIso: string): void {
  const row = db.select().from(enrollmentParents).where(eq(enrollmentParents.enrollmentId, fromEnrollmentId)).get();
  if (row) db.insert(enrollmentParents).values({ ...row, enrollmentId: toEnrollmentId, updatedAt: nowIso }).run();
}
