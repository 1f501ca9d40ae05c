/**
 * What every applier of an inbound event shares (issue 13): the environment it writes with, the
 * way it says "this goes to the office's review queue", and the lookups by codice fiscale (the
 * contract's key: user codes are not keys, portals renumber them).
 */
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { payers, pupils } from '../../db/schema';
import type { AuditEntry } from '../contract/procedure';
import type { SessionUser } from '../contract/procedure';
import { validateCodiceFiscale } from '../identifiers/codice-fiscale';

/** Who applies an event: the system user «portale» on arrival, the office user who asks a retry. */
export interface ApplyEnv {
  db: AppDb;
  sqlite: Database.Database;
  /** the moment of recording (the clock's now), never the family's moment */
  now: Date;
  /** the users row of the office user who retried; null for the portal itself */
  userId: number | null;
  /** the name in the audit log: 'portale' or the office user's */
  username: string;
  audit(entry: AuditEntry): void;
}

/** The system user the portal's changes are audited as (like «sistema» for the automatic day close). */
export const PORTAL_USERNAME = 'portale';

/** What an event created or concerns, linked from its row in portal_inbound_events. */
export interface Links {
  pupilId?: number | null;
  payerId?: number | null;
  attemptId?: number | null;
  absenceId?: number | null;
  enrollmentId?: number | null;
  paymentId?: number | null;
  ledgerEntryId?: number | null;
  dietRequestIds?: number[];
  supportRequestId?: number | null;
}

export interface Applied {
  /** 'duplicato': nothing new (a pagoPA receipt already credited) */
  status: 'applicato' | 'duplicato';
  message: string;
  links: Links;
  details?: unknown;
}

/**
 * The event cannot be applied as it is: it goes to the review queue with this Italian reason.
 * Everything the applier wrote is rolled back; `audit` entries are written anyway (after the
 * rollback), so that a refused change is on record too (E7: both values are kept).
 */
export class ReviewNeeded extends Error {
  readonly details: unknown;
  readonly links: Links;
  readonly audit: AuditEntry[];
  constructor(message: string, opts: { details?: unknown; links?: Links; audit?: AuditEntry[] } = {}) {
    super(message);
    this.name = 'ReviewNeeded';
    this.details = opts.details ?? null;
    this.links = opts.links ?? {};
    this.audit = opts.audit ?? [];
  }
}

/** The SessionUser shape some area services want for "who did it" (id 0 writes no users row). */
export function actingUser(env: ApplyEnv): SessionUser {
  return { id: env.userId ?? 0, username: env.username, displayName: env.username, role: 'operatore' };
}

/** A codice fiscale from the portal, checked; the Italian reason names whose it is. */
export function checkedTaxCode(input: string, whose: string): string {
  const r = validateCodiceFiscale(input);
  if (!r.ok) throw new ReviewNeeded(`Codice fiscale ${whose} non valido («${input.trim().slice(0, 32)}»): ${r.message}`);
  return r.value;
}

/** The pupil with that codice fiscale; unknown or invalid → review, with what the office should do. */
export function pupilByTaxCode(db: AppDb, input: string) {
  const cf = checkedTaxCode(input, "dell'alunno");
  const p = db.select().from(pupils).where(eq(pupils.taxCode, cf)).get();
  if (!p) {
    throw new ReviewNeeded(
      `Nessun alunno registrato con il codice fiscale ${cf}: registrare l'alunno (o correggere il suo codice fiscale) e poi riprovare`,
    );
  }
  return p;
}

/** The payer with that codice fiscale, if any (the code must be valid). */
export function payerByTaxCode(db: AppDb, input: string) {
  const cf = checkedTaxCode(input, 'del pagante');
  return db.select().from(payers).where(eq(payers.taxCode, cf)).get() ?? null;
}

/** A moment the family gave, as a Date (the envelope checked its form). */
export function familyDate(iso: string): Date {
  return new Date(iso);
}
