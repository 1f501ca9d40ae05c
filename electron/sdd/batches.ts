/**
 * The monthly SDD batch (P4, P8; issue 9 "The monthly batch" and "Billing checks").
 *
 * prepare → (acknowledge the findings) → approve → export the files → mark sent → record the
 * collection on the due date. A draft can be prepared again as often as needed; approval locks it
 * (triggers in 0007_sdd.sql) and writes each debited pupil-month to `sdd_billed_months`, whose
 * primary key refuses a second debit of the same pupil, service and month.
 *
 * The amount of a debit is what the ledger charged for the pupil's meals of the month (charges
 * minus reversals, at the tariff of each day: T1) plus the commission (P4). Each is its own ledger
 * entry: the meals were charged at the day close; the commission and the collection are booked on
 * the due date when the collection is recorded.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import {
  payers,
  pupils,
  schools,
  sddBatches,
  sddBilledMonths,
  sddDebits,
  sddFindings,
  sddMandates,
  sddPagopaExceptions,
  sddReturns,
  type SDD_FINDING_KINDS,
} from '../../db/schema';
import { conflict, invalidField, notFound } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import { addDays, formatDateIt, romeDateOf } from '../calendar/rome-time';
import { euro } from '../documents/format';
import { ServiceCalendar } from '../calendar/service-calendar';
import { isMonth, monthLabel } from '../contract/vocabulary/months';
import { validateIban } from '../identifiers/iban';
import { maskIban } from '../audit/mask';
import { accountFor, postEntry, requireService, schoolYearOf } from '../ledger/entries';
import type { Actor } from '../ledger/payments';
import { defaultDueDate, isTargetDay, lastDayOfMonth, presentationWindow } from './target-days';
import { getCreditorSettings, requireSddCreditor, type CreditorSettings } from './creditor';
import { isEeaCountry, markAmendmentsReported, pendingAmendment } from './mandates';
import { toSepaText } from './sepa-text';

export type BatchRow = typeof sddBatches.$inferSelect;
export type DebitRow = typeof sddDebits.$inferSelect;
type FindingKind = (typeof SDD_FINDING_KINDS)[number];

/** A recurrent mandate lapses after 36 months without a collection (PAYMENTS.md §1). */
const MANDATE_LAPSE_MONTHS = 36;
/** importo_anomalo: above twice the usual and at least 20 € more. */
const UNUSUAL_FACTOR = 2;
const UNUSUAL_MIN_EXTRA_CENTS = 2000;

/** The creditor's settings, or an Italian error telling what to fill in first (name, address and bank data). */
function requireSettings(db: AppDb): CreditorSettings {
  requireSddCreditor(db);
  return getCreditorSettings(db)!;
}

function requireBatch(db: AppDb, batchId: number): BatchRow {
  const b = db.select().from(sddBatches).where(eq(sddBatches.id, batchId)).get();
  if (!b) throw notFound('Distinta SDD');
  return b;
}

function monthRange(month: string): { from: string; to: string } {
  return { from: `${month}-01`, to: lastDayOfMonth(month) };
}

const monthsBetween = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));

/** The due date rules: after the month, a TARGET day. */
export function checkDueDate(month: string, dueDate: string, field = 'dueDate'): void {
  if (dueDate <= lastDayOfMonth(month)) {
    throw invalidField(field, `La scadenza deve cadere dopo la fine del mese addebitato (${formatDateIt(lastDayOfMonth(month))})`);
  }
  if (!isTargetDay(dueDate)) {
    throw invalidField(field, `Il ${formatDateIt(dueDate)} non è un giorno lavorativo interbancario (TARGET): scegliere un altro giorno`);
  }
}

interface Candidate {
  pupilId: number;
  pupilName: string;
  schoolName: string;
  schoolId: number;
  classId: number | null;
  payerId: number;
  enrollmentStatus: string;
  withdrawnOn: string | null;
  /** D2: the enrollment's recorded suspensions, JSON [{ s: startsOn, l: liftedOn | null }] */
  suspensions: string;
  weekdays: string;
  mealCount: number;
  mealsCents: number;
}

/** Pupils under SDD with meals charged in the month, with the net of their charges and reversals. */
function candidates(db: AppDb, service: string, month: string): Candidate[] {
  const { from, to } = monthRange(month);
  return db.all<Candidate>(sql`
    SELECT a.pupil_id AS pupilId, p.last_name || ' ' || p.first_name AS pupilName, s.name AS schoolName, e.school_id AS schoolId,
      e.class_id AS classId, e.payer_id AS payerId, e.status AS enrollmentStatus, e.withdrawn_on AS withdrawnOn,
      (SELECT json_group_array(json_object('s', ss.starts_on, 'l', ss.lifted_on)) FROM service_suspensions ss WHERE ss.enrollment_id = e.id) AS suspensions,
      e.weekdays AS weekdays,
      sum(CASE WHEN le.kind = 'addebito_pasto' THEN 1 ELSE -1 END) AS mealCount,
      -sum(le.amount_cents) AS mealsCents
    FROM ledger_entries le
    JOIN ledger_accounts a ON a.id = le.account_id
    JOIN enrollments e ON e.pupil_id = a.pupil_id AND e.school_year_id = a.school_year_id
    JOIN pupils p ON p.id = a.pupil_id
    JOIN schools s ON s.id = e.school_id
    WHERE a.service = ${service} AND le.kind IN ('addebito_pasto', 'storno_pasto')
      AND le.service_date BETWEEN ${from} AND ${to} AND e.payment_method = 'sdd'
    GROUP BY a.pupil_id
    ORDER BY p.last_name, p.first_name, a.pupil_id`);
}

/** The days of the month on which each pupil has a meal charged (net of reversals), with the school and class of the meal. */
function mealDays(db: AppDb, service: string, month: string, pupilIds: number[]): Map<number, { date: string; schoolId: number; classId: number | null }[]> {
  const { from, to } = monthRange(month);
  const out = new Map<number, { date: string; schoolId: number; classId: number | null }[]>();
  if (pupilIds.length === 0) return out;
  const rows = db.all<{ pupilId: number; date: string; schoolId: number; classId: number | null }>(sql`
    SELECT a.pupil_id AS pupilId, le.service_date AS date,
      max(coalesce(m.school_id, mc.school_id)) AS schoolId, max(coalesce(m.class_id, mc.class_id)) AS classId
    FROM ledger_entries le
    JOIN ledger_accounts a ON a.id = le.account_id
    LEFT JOIN meals m ON m.id = le.meal_id
    LEFT JOIN meal_corrections mc ON mc.id = le.correction_id
    WHERE a.service = ${service} AND le.kind IN ('addebito_pasto', 'storno_pasto') AND le.service_date BETWEEN ${from} AND ${to}
    GROUP BY a.pupil_id, le.service_date
    HAVING sum(le.amount_cents) < 0`);
  const wanted = new Set(pupilIds);
  for (const r of rows) {
    if (!wanted.has(r.pupilId)) continue;
    const list = out.get(r.pupilId) ?? [];
    list.push({ date: r.date, schoolId: r.schoolId, classId: r.classId });
    out.set(r.pupilId, list);
  }
  return out;
}

interface PreparedDebit {
  candidate: Candidate;
  mandateId: number | null;
  umr: string | null;
  iban: string | null;
  bic: string;
  holderName: string | null;
  signedOn: string | null;
  sequenceType: 'FRST' | 'RCUR' | null;
  amendment: string | null;
  commissionCents: number;
  exclusionReason: string | null;
}

interface Finding {
  pupilId: number;
  kind: FindingKind;
  detailKey: string;
  message: string;
}

/** Works out every debit and every finding of a month, without writing anything. */
function computeBatch(db: AppDb, service: string, month: string, today: string): { debits: PreparedDebit[]; findings: Finding[] } {
  const creditor = requireSettings(db);
  const list = candidates(db, service, month);
  const payerIds = [...new Set(list.map((c) => c.payerId))];

  const mandateRows = payerIds.length
    ? db
        .select()
        .from(sddMandates)
        .where(inArray(sddMandates.payerId, payerIds))
        .orderBy(desc(sddMandates.id))
        .all()
    : [];
  const activeMandate = new Map<number, (typeof mandateRows)[number]>();
  const revokedMandate = new Map<number, (typeof mandateRows)[number]>();
  for (const m of mandateRows) {
    if (m.status === 'attivo') activeMandate.set(m.payerId, m);
    else if (!revokedMandate.has(m.payerId)) revokedMandate.set(m.payerId, m);
  }
  const exceptions = new Set(
    payerIds.length
      ? db
          .select({ payerId: sddPagopaExceptions.payerId })
          .from(sddPagopaExceptions)
          .where(and(inArray(sddPagopaExceptions.payerId, payerIds), sql`${sddPagopaExceptions.endedOn} IS NULL`))
          .all()
          .map((r) => r.payerId)
      : [],
  );
  const billed = new Map(
    db
      .select({ pupilId: sddBilledMonths.pupilId, batchId: sddDebits.batchId })
      .from(sddBilledMonths)
      .innerJoin(sddDebits, eq(sddDebits.id, sddBilledMonths.debitId))
      .where(and(eq(sddBilledMonths.service, service), eq(sddBilledMonths.month, month)))
      .all()
      .map((r) => [r.pupilId, r.batchId]),
  );

  // the IBAN each payer was last debited on, and each pupil's usual amount (earlier approved batches)
  const lastIban = new Map<number, string>();
  const history = new Map<number, number[]>();
  if (payerIds.length) {
    const past = db.all<{ payerId: number; pupilId: number; iban: string; amountCents: number }>(sql`
      SELECT d.payer_id AS payerId, d.pupil_id AS pupilId, d.iban AS iban, d.amount_cents AS amountCents
      FROM sdd_debits d JOIN sdd_batches b ON b.id = d.batch_id
      WHERE d.included = 1 AND b.status IN ('approvato', 'esportato', 'incassato') AND b.service = ${service} AND b.month < ${month}
      ORDER BY b.month DESC, d.id DESC`);
    for (const r of past) {
      if (!lastIban.has(r.payerId)) lastIban.set(r.payerId, r.iban);
      const h = history.get(r.pupilId) ?? [];
      if (h.length < 6) h.push(r.amountCents);
      history.set(r.pupilId, h);
    }
  }

  const findings: Finding[] = [];
  const debits: PreparedDebit[] = list.map((c) => {
    const m = activeMandate.get(c.payerId);
    let exclusionReason: string | null = null;
    const billedIn = billed.get(c.pupilId);
    if (billedIn !== undefined) exclusionReason = `Mese già addebitato nella distinta n. ${billedIn}`;
    else if (exceptions.has(c.payerId)) exclusionReason = 'Paga con avviso pagoPA (eccezione concessa dall\'ufficio)';
    else if (!m) {
      const revoked = revokedMandate.get(c.payerId);
      exclusionReason = revoked?.revokedOn ? `Mandato revocato il ${formatDateIt(revoked.revokedOn)}: nessun mandato attivo` : 'Nessun mandato SDD attivo';
      findings.push({ pupilId: c.pupilId, kind: 'senza_mandato', detailKey: revoked ? `revocato:${revoked.id}` : 'nessuno', message: `${c.pupilName}: alunno con addebito SDD senza un mandato attivo` });
    } else if (m.blockedReason) exclusionReason = `Mandato bloccato: ${m.blockedReason}`;
    else if (c.mealsCents <= 0) exclusionReason = 'Importo nullo: nessun pasto da addebitare nel mese';
    else {
      const iban = validateIban(m.iban);
      const lapsedFrom = m.lastCollectionOn ?? m.signedOn;
      if (!iban.ok) exclusionReason = `IBAN non valido: ${iban.message}`;
      else if (!isEeaCountry(m.iban.slice(0, 2)) && m.bic === '') exclusionReason = `Banca fuori dallo Spazio economico europeo (${m.iban.slice(0, 2)}): manca il BIC nel mandato`;
      else if (monthsBetween(lapsedFrom.slice(0, 7), today.slice(0, 7)) > MANDATE_LAPSE_MONTHS)
        exclusionReason = `Mandato scaduto: nessun incasso da oltre ${MANDATE_LAPSE_MONTHS} mesi (dal ${formatDateIt(lapsedFrom)}); serve un nuovo mandato`;
    }
    const sequenceType = m && !exclusionReason ? (creditor.sequencePolicy === 'frst_poi_rcur' && m.lastCollectionOn === null ? 'FRST' : 'RCUR') : null;
    const amendment = m && !exclusionReason ? pendingAmendment(db, m.id) : null;

    if (m && !exclusionReason) {
      const before = lastIban.get(c.payerId);
      if (before && before !== m.iban) {
        findings.push({
          pupilId: c.pupilId,
          kind: 'iban_cambiato',
          detailKey: `${before}>${m.iban}`,
          message: `${c.pupilName}: l'IBAN del pagante è cambiato dall'ultima distinta (${maskIban(before)} → ${maskIban(m.iban)})`,
        });
      }
      const past = history.get(c.pupilId) ?? [];
      if (past.length > 0) {
        const sorted = [...past].sort((a, b) => a - b);
        const usual = sorted[Math.floor(sorted.length / 2)];
        const amount = c.mealsCents + creditor.commissionCents;
        if (amount > usual * UNUSUAL_FACTOR && amount - usual >= UNUSUAL_MIN_EXTRA_CENTS) {
          findings.push({
            pupilId: c.pupilId,
            kind: 'importo_anomalo',
            detailKey: `${amount}/${usual}`,
            message: `${c.pupilName}: importo ${euro(amount)} molto più alto del solito (${euro(usual)})`,
          });
        }
      }
    }
    return {
      candidate: c,
      mandateId: m?.id ?? null,
      umr: m?.umr ?? null,
      iban: m?.iban ?? null,
      bic: m?.bic ?? '',
      holderName: m?.holderName ?? null,
      signedOn: m?.signedOn ?? null,
      sequenceType,
      amendment: amendment ? JSON.stringify(amendment) : null,
      commissionCents: exclusionReason ? 0 : creditor.commissionCents,
      exclusionReason,
    };
  });

  findings.push(...mealFindings(db, service, month, list));
  return { debits, findings };
}


/** Meals on days without service, after a withdrawal or during a suspension; more meals than service days. */
function mealFindings(db: AppDb, service: string, month: string, list: Candidate[]): Finding[] {
  const { from, to } = monthRange(month);
  const days = mealDays(db, service, month, list.map((c) => c.pupilId));
  const calendar = ServiceCalendar.load(db, { from, to, schoolIds: [...new Set(list.map((c) => c.schoolId))] });
  const monthDates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) monthDates.push(d);
  const serviceDayCount = new Map<string, number>();
  const out: Finding[] = [];
  for (const c of list) {
    const suspensions = JSON.parse(c.suspensions) as { s: string; l: string | null }[];
    for (const day of days.get(c.pupilId) ?? []) {
      if (!calendar.isServiceDay(day.schoolId, day.classId, day.date)) {
        const why = calendar.holidayName(day.date) ?? calendar.closuresOn(day.schoolId, day.classId, day.date)[0]?.reason ?? 'giorno senza servizio';
        out.push({ pupilId: c.pupilId, kind: 'pasto_senza_servizio', detailKey: day.date, message: `${c.pupilName}: pasto addebitato il ${formatDateIt(day.date)}, giorno senza servizio (${why})` });
      }
      if (c.withdrawnOn && day.date >= c.withdrawnOn) {
        out.push({ pupilId: c.pupilId, kind: 'pasto_dopo_ritiro', detailKey: day.date, message: `${c.pupilName}: pasto addebitato il ${formatDateIt(day.date)}, dopo il ritiro del ${formatDateIt(c.withdrawnOn)}` });
      }
      const suspended = suspensions.find((p) => p.s <= day.date && (p.l === null || p.l > day.date));
      if (suspended) {
        out.push({ pupilId: c.pupilId, kind: 'pasto_in_sospensione', detailKey: day.date, message: `${c.pupilName}: pasto addebitato il ${formatDateIt(day.date)}, durante la sospensione dal ${formatDateIt(suspended.s)}` });
      }
    }
    const key = `${c.schoolId}/${c.classId ?? ''}`;
    let n = serviceDayCount.get(key);
    if (n === undefined) {
      n = monthDates.filter((d) => calendar.isServiceDay(c.schoolId, c.classId, d)).length;
      serviceDayCount.set(key, n);
    }
    if (c.mealCount > n) {
      out.push({ pupilId: c.pupilId, kind: 'pasti_oltre_giorni', detailKey: `${c.mealCount}/${n}`, message: `${c.pupilName}: ${c.mealCount} pasti addebitati, ma il mese ha ${n} giorni di servizio` });
    }
  }
  return out;
}

/** EndToEndId: the service, the month, the batch and the pupil, so it is unique forever and readable on a bank statement. */
export function endToEndIdFor(service: string, month: string, batchId: number, pupilId: number): string {
  return `${service.slice(0, 6).toUpperCase()}-${month.replace('-', '')}-B${batchId}-A${pupilId}`;
}

/**
 * Prepares (or prepares again) the draft batch of a month: every debit with its breakdown, the
 * excluded ones with their reason, and the billing checks. Acknowledgements of findings that are
 * still there carry over.
 */
export function prepareBatch(db: AppDb, input: { service: string; month: string; dueDate?: string | null }, actor: Actor): BatchRow {
  const service = requireService(db, input.service).code;
  if (!isMonth(input.month)) throw invalidField('month', 'Mese non valido (formato AAAA-MM)');
  const today = romeDateOf(actor.at);
  if (lastDayOfMonth(input.month) >= today) {
    throw invalidField('month', `Il mese di ${monthLabel(input.month)} non è ancora concluso: la distinta si prepara dal mese successivo`);
  }
  const dueDate = input.dueDate ?? defaultDueDate(input.month);
  checkDueDate(input.month, dueDate);
  const { debits, findings } = computeBatch(db, service, input.month, today);
  if (debits.length === 0) {
    throw conflict(`Nessun alunno con addebito SDD ha pasti addebitati in ${monthLabel(input.month)}: non c'è nulla da preparare`);
  }
  const at = actor.at.toISOString();
  const year = schoolYearOf(db, `${input.month}-01`, 'month');

  let batch = db.select().from(sddBatches).where(and(eq(sddBatches.service, service), eq(sddBatches.month, input.month), eq(sddBatches.status, 'bozza'))).get();
  const acks = new Map<string, { at: string; by: number | null; reason: string }>();
  if (batch) {
    for (const f of db.select().from(sddFindings).where(eq(sddFindings.batchId, batch.id)).all()) {
      if (f.acknowledgedAt && f.acknowledgeReason) acks.set(`${f.pupilId}|${f.kind}|${f.detailKey}`, { at: f.acknowledgedAt, by: f.acknowledgedBy, reason: f.acknowledgeReason });
    }
    db.delete(sddFindings).where(eq(sddFindings.batchId, batch.id)).run();
    db.delete(sddDebits).where(eq(sddDebits.batchId, batch.id)).run();
    db.update(sddBatches).set({ dueDate, preparedAt: at, preparedBy: actor.userId, schoolYearId: year.id }).where(eq(sddBatches.id, batch.id)).run();
  } else {
    batch = db
      .insert(sddBatches)
      .values({ service, month: input.month, schoolYearId: year.id, dueDate, status: 'bozza', preparedAt: at, preparedBy: actor.userId, createdAt: at })
      .returning()
      .get();
  }
  const batchId = batch.id;
  const label = monthLabel(input.month);
  const serviceName = requireService(db, service).name;
  let total = 0;
  let count = 0;
  const rows: (typeof sddDebits.$inferInsert)[] = debits.map((d) => {
    const c = d.candidate;
    const included = d.exclusionReason === null;
    const amountCents = c.mealsCents + d.commissionCents;
    if (included) {
      total += amountCents;
      count++;
    }
    return {
      batchId,
      pupilId: c.pupilId,
      payerId: c.payerId,
      mandateId: d.mandateId,
      umr: d.umr,
      iban: d.iban,
      bic: d.bic,
      holderName: d.holderName === null ? null : toSepaText(d.holderName, 70),
      mandateSignedOn: d.signedOn,
      sequenceType: d.sequenceType,
      amendment: d.amendment,
      mealCount: c.mealCount,
      mealsCents: c.mealsCents,
      commissionCents: d.commissionCents,
      amountCents,
      included,
      exclusionReason: d.exclusionReason,
      endToEndId: endToEndIdFor(service, input.month, batchId, c.pupilId),
      remittance: toSepaText(`${serviceName} ${label} - ${c.pupilName} - ${c.schoolName}`, 140),
      createdAt: at,
    };
  });
  for (let i = 0; i < rows.length; i += 400) db.insert(sddDebits).values(rows.slice(i, i + 400)).run();
  const findingRows = findings.map((f) => {
    const ack = acks.get(`${f.pupilId}|${f.kind}|${f.detailKey}`);
    return { batchId, pupilId: f.pupilId, kind: f.kind, detailKey: f.detailKey, message: f.message, acknowledgedAt: ack?.at ?? null, acknowledgedBy: ack ? ack.by : null, acknowledgeReason: ack?.reason ?? null };
  });
  for (let i = 0; i < findingRows.length; i += 400) db.insert(sddFindings).values(findingRows.slice(i, i + 400)).onConflictDoNothing().run();
  return db
    .update(sddBatches)
    .set({ debitCount: count, totalCents: total, excludedCount: debits.length - count })
    .where(eq(sddBatches.id, batchId))
    .returning()
    .get();
}

/** Acknowledges findings of a draft (who, when, why). */
export function acknowledgeFindings(db: AppDb, input: { findingIds: number[]; reason: string }, actor: Actor): number {
  const rows = db.select().from(sddFindings).where(inArray(sddFindings.id, input.findingIds)).all();
  if (rows.length !== new Set(input.findingIds).size) throw notFound('Controllo della distinta');
  for (const f of rows) {
    const b = requireBatch(db, f.batchId);
    if (b.status !== 'bozza') throw conflict('La distinta è già approvata: i suoi controlli non si modificano');
  }
  db.update(sddFindings)
    .set({ acknowledgedAt: actor.at.toISOString(), acknowledgedBy: actor.userId, acknowledgeReason: input.reason })
    .where(inArray(sddFindings.id, input.findingIds))
    .run();
  return rows.length;
}

/**
 * Approves a draft: every finding acknowledged, the creditor configured, the due date at least the
 * pre-notification period away (P8), and nothing changed since the preparation. Locks the batch,
 * fixes its MsgId and writes the billed months (the double-billing guard).
 */
export function approveBatch(db: AppDb, batchId: number, actor: Actor): BatchRow {
  const b = requireBatch(db, batchId);
  if (b.status !== 'bozza') throw conflict('La distinta è già stata approvata');
  const creditor = requireSettings(db);
  const open = db
    .select({ n: sql<number>`count(*)` })
    .from(sddFindings)
    .where(and(eq(sddFindings.batchId, batchId), sql`${sddFindings.acknowledgedAt} IS NULL`))
    .get()!.n;
  if (open > 0) throw conflict(`Ci sono ancora ${open} controlli da risolvere o da prendere in visione, con il motivo, prima dell'approvazione`);
  const today = romeDateOf(actor.at);
  const earliestDue = addDays(today, creditor.prenotificationDays);
  if (b.dueDate < earliestDue) {
    throw invalidField(
      'dueDate',
      `Le famiglie vanno preavvisate almeno ${creditor.prenotificationDays} giorni prima della scadenza: con il preavviso di oggi la scadenza più vicina è il ${formatDateIt(earliestDue)}. Preparare di nuovo la distinta con una scadenza successiva`,
    );
  }
  checkDueDate(b.month, b.dueDate);
  // nothing changed since the preparation (a correction of presence, a new mandate, a new IBAN…)
  const stored = db.select().from(sddDebits).where(eq(sddDebits.batchId, batchId)).orderBy(asc(sddDebits.pupilId)).all();
  const fresh = computeBatch(db, b.service, b.month, today).debits.sort((x, y) => x.candidate.pupilId - y.candidate.pupilId);
  const sig = (p: { pupilId: number; mealsCents: number; iban: string | null; included: boolean; amendment: string | null }) =>
    `${p.pupilId}|${p.mealsCents}|${p.iban}|${p.included}|${p.amendment}`;
  const storedSig = stored.map((d) => sig({ pupilId: d.pupilId, mealsCents: d.mealsCents, iban: d.iban, included: d.included, amendment: d.amendment })).join(';');
  const freshSig = fresh.map((d) => sig({ pupilId: d.candidate.pupilId, mealsCents: d.candidate.mealsCents, iban: d.iban, included: d.exclusionReason === null, amendment: d.amendment })).join(';');
  if (storedSig !== freshSig) {
    throw conflict('Pasti, mandati o IBAN sono cambiati dalla preparazione: preparare di nuovo la distinta e ricontrollarla');
  }
  const included = stored.filter((d) => d.included);
  if (included.length === 0) throw conflict('Nessun addebito incluso: la distinta non si può approvare');

  const at = actor.at.toISOString();
  const approved = db
    .update(sddBatches)
    .set({ status: 'approvato', approvedAt: at, approvedBy: actor.userId, prenotifiedOn: today, msgId: `RETTE-${b.service.slice(0, 6).toUpperCase()}-${b.month.replace('-', '')}-B${b.id}` })
    .where(eq(sddBatches.id, batchId))
    .returning()
    .get();
  for (const d of included) {
    try {
      db.insert(sddBilledMonths).values({ pupilId: d.pupilId, service: b.service, month: b.month, debitId: d.id }).run();
    } catch (e) {
      if (e instanceof Error && /UNIQUE|PRIMARY KEY/.test(e.message)) {
        throw conflict(`L'alunno n. ${d.pupilId} ha già un addebito per ${monthLabel(b.month)} in un'altra distinta: nessuna famiglia si addebita due volte`);
      }
      throw e;
    }
    if (d.amendment !== null && d.mandateId !== null) markAmendmentsReported(db, d.mandateId, d.id);
  }
  const mandateIds = [...new Set(included.map((d) => d.mandateId!))];
  for (let i = 0; i < mandateIds.length; i += 500) {
    db.update(sddMandates).set({ lastCollectionOn: b.dueDate, version: nextVersion(sddMandates.version) }).where(inArray(sddMandates.id, mandateIds.slice(i, i + 500))).run();
  }
  return approved;
}

/** The office has uploaded the file to the bank. */
export function markSent(db: AppDb, batchId: number, actor: Actor): BatchRow {
  const b = requireBatch(db, batchId);
  if (b.status !== 'approvato') throw conflict(b.status === 'bozza' ? 'Approvare la distinta prima di inviarla' : 'La distinta risulta già inviata alla banca');
  return db
    .update(sddBatches)
    .set({ status: 'esportato', firstExportedAt: b.firstExportedAt ?? actor.at.toISOString() })
    .where(eq(sddBatches.id, batchId))
    .returning()
    .get();
}

/**
 * Cancels an approved batch (supervisor, with a reason): its pupil-months become free again. Only
 * before the collection is recorded; after that, returns are the way money comes back.
 */
export function cancelBatch(db: AppDb, batchId: number, reason: string, actor: Actor): BatchRow {
  const b = requireBatch(db, batchId);
  if (b.status === 'bozza') {
    db.delete(sddFindings).where(eq(sddFindings.batchId, batchId)).run();
    db.delete(sddDebits).where(eq(sddDebits.batchId, batchId)).run();
    db.delete(sddBatches).where(eq(sddBatches.id, batchId)).run();
    return b;
  }
  if (b.status === 'incassato') throw conflict("L'incasso della distinta è già registrato: non si annulla più; gli addebiti non pagati tornano come insoluti");
  if (b.status === 'annullato') throw conflict('La distinta è già annullata');
  const returned = db.select({ n: sql<number>`count(*)` }).from(sddReturns).innerJoin(sddDebits, eq(sddDebits.id, sddReturns.debitId)).where(eq(sddDebits.batchId, batchId)).get()!.n;
  if (returned > 0) throw conflict('La banca ha già restituito addebiti di questa distinta: non si annulla');
  const cancelled = db
    .update(sddBatches)
    .set({ status: 'annullato', cancelledAt: actor.at.toISOString(), cancelReason: reason })
    .where(eq(sddBatches.id, batchId))
    .returning()
    .get();
  db.run(sql`DELETE FROM sdd_billed_months WHERE debit_id IN (SELECT id FROM sdd_debits WHERE batch_id = ${batchId})`);
  return cancelled;
}

/**
 * Records the collection on the due date: for each debit the bank did not reject, the commission
 * (P4) and the collected amount, booked on the due date (the day the money moved), channel SDD.
 */
export function recordCollection(db: AppDb, batchId: number, actor: Actor): { collected: number; totalCents: number } {
  const b = requireBatch(db, batchId);
  if (b.status !== 'esportato') {
    throw conflict(b.status === 'incassato' ? "L'incasso della distinta è già registrato" : 'Si registra l\'incasso di una distinta inviata alla banca');
  }
  const today = romeDateOf(actor.at);
  if (today < b.dueDate) throw conflict(`L'incasso si registra dalla data di scadenza, il ${formatDateIt(b.dueDate)}`);
  const rows = db
    .select({ d: sddDebits, returned: sddReturns.id })
    .from(sddDebits)
    .leftJoin(sddReturns, eq(sddReturns.debitId, sddDebits.id))
    .where(and(eq(sddDebits.batchId, batchId), eq(sddDebits.included, true)))
    .all();
  const yearId = b.schoolYearId ?? schoolYearOf(db, `${b.month}-01`).id;
  let collected = 0;
  let totalCents = 0;
  for (const { d, returned } of rows) {
    if (returned !== null) continue; // rejected before settlement: nothing was collected
    const accountId = accountFor(db, { pupilId: d.pupilId, service: b.service, schoolYearId: yearId }, actor.at);
    const common = { accountId, bookedOn: b.dueDate, payerId: d.payerId, sddDebitId: d.id, externalRef: d.endToEndId, createdBy: actor.userId, at: actor.at };
    if (d.commissionCents > 0) postEntry(db, { ...common, kind: 'commissione_sdd', amountCents: -d.commissionCents });
    postEntry(db, { ...common, kind: 'incasso_sdd', amountCents: d.amountCents, settledOn: b.dueDate, channel: 'sdd' });
    collected++;
    totalCents += d.amountCents;
  }
  db.update(sddBatches).set({ status: 'incassato', collectedAt: actor.at.toISOString(), collectedBy: actor.userId }).where(eq(sddBatches.id, batchId)).run();
  return { collected, totalCents };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export function listBatches(db: AppDb, filter: { service?: string; status?: string; year?: number }) {
  const where = [
    filter.service ? eq(sddBatches.service, filter.service) : undefined,
    filter.status ? sql`${sddBatches.status} = ${filter.status}` : undefined,
    filter.year ? sql`substr(${sddBatches.month}, 1, 4) = ${String(filter.year)}` : undefined,
  ].filter((w) => w !== undefined);
  return db
    .select()
    .from(sddBatches)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(sddBatches.month), desc(sddBatches.id))
    .all();
}

export function getBatch(db: AppDb, batchId: number) {
  const b = requireBatch(db, batchId);
  const findings = db
    .select({
      id: sddFindings.id,
      pupilId: sddFindings.pupilId,
      kind: sddFindings.kind,
      message: sddFindings.message,
      acknowledgedAt: sddFindings.acknowledgedAt,
      acknowledgeReason: sddFindings.acknowledgeReason,
      acknowledgedBy: sql<string | null>`(SELECT display_name FROM users u WHERE u.id = ${sddFindings.acknowledgedBy})`,
    })
    .from(sddFindings)
    .where(eq(sddFindings.batchId, batchId))
    .orderBy(asc(sddFindings.kind), asc(sddFindings.id))
    .all();
  const returned = db
    .select({ n: sql<number>`count(*)`, cents: sql<number>`coalesce(sum(${sddReturns.amountCents}), 0)` })
    .from(sddReturns)
    .innerJoin(sddDebits, eq(sddDebits.id, sddReturns.debitId))
    .where(eq(sddDebits.batchId, batchId))
    .get()!;
  const payerCount = db
    .select({ n: sql<number>`count(DISTINCT ${sddDebits.payerId})` })
    .from(sddDebits)
    .where(and(eq(sddDebits.batchId, batchId), eq(sddDebits.included, true)))
    .get()!.n;
  const names = (userId: number | null) =>
    userId === null ? null : (db.get<{ n: string }>(sql`SELECT display_name AS n FROM users WHERE id = ${userId}`)?.n ?? null);
  return {
    batch: b,
    findings,
    payerCount,
    preparedBy: names(b.preparedBy),
    approvedBy: names(b.approvedBy),
    returnedCount: returned.n,
    returnedCents: returned.cents,
    // the file must reach the debtor's bank in this window (D-14 … D-1 TARGET day)
    presentation: presentationWindow(b.dueDate),
  };
}

export interface DebitListRow {
  id: number;
  pupilId: number;
  pupilName: string;
  pupilCode: string;
  payerId: number;
  payerName: string;
  holderName: string | null;
  iban: string | null;
  umr: string | null;
  mandateSignedOn: string | null;
  sequenceType: string | null;
  amendment: boolean;
  mealCount: number;
  mealsCents: number;
  commissionCents: number;
  amountCents: number;
  included: boolean;
  exclusionReason: string | null;
  endToEndId: string;
  returnCode: string | null;
}

/** The debits of a batch (included, excluded or all; search by pupil, payer, holder or end-to-end id), paged. */
export function batchDebits(db: AppDb, q: { batchId: number; included?: boolean | null; search?: string; offset: number; limit: number }) {
  requireBatch(db, q.batchId);
  const term = q.search?.trim().toLowerCase();
  const where = and(
    eq(sddDebits.batchId, q.batchId),
    q.included === undefined || q.included === null ? undefined : eq(sddDebits.included, q.included),
    term
      ? sql`(${pupils.searchText} LIKE ${`%${term}%`} OR ${payers.searchText} LIKE ${`%${term}%`} OR lower(${sddDebits.holderName}) LIKE ${`%${term}%`} OR lower(${sddDebits.endToEndId}) LIKE ${`%${term}%`})`
      : undefined,
  );
  const base = db
    .select({
      id: sddDebits.id,
      pupilId: sddDebits.pupilId,
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      pupilCode: pupils.userCode,
      payerId: sddDebits.payerId,
      payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`,
      holderName: sddDebits.holderName,
      iban: sddDebits.iban,
      umr: sddDebits.umr,
      mandateSignedOn: sddDebits.mandateSignedOn,
      sequenceType: sddDebits.sequenceType,
      amendment: sql<boolean>`${sddDebits.amendment} IS NOT NULL`.mapWith(Boolean),
      mealCount: sddDebits.mealCount,
      mealsCents: sddDebits.mealsCents,
      commissionCents: sddDebits.commissionCents,
      amountCents: sddDebits.amountCents,
      included: sddDebits.included,
      exclusionReason: sddDebits.exclusionReason,
      endToEndId: sddDebits.endToEndId,
      returnCode: sddReturns.reasonCode,
    })
    .from(sddDebits)
    .innerJoin(pupils, eq(pupils.id, sddDebits.pupilId))
    .innerJoin(payers, eq(payers.id, sddDebits.payerId))
    .leftJoin(sddReturns, eq(sddReturns.debitId, sddDebits.id))
    .where(where);
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(sddDebits)
    .innerJoin(pupils, eq(pupils.id, sddDebits.pupilId))
    .innerJoin(payers, eq(payers.id, sddDebits.payerId))
    .where(where)
    .get()!.n;
  const rows: DebitListRow[] = base.orderBy(asc(pupils.lastName), asc(pupils.firstName), asc(sddDebits.id)).limit(q.limit).offset(q.offset).all();
  return { total, rows };
}

/** The school of each pupil of a batch, for the files' remittance and the workbook. */
export function schoolNames(db: AppDb, pupilIds: number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < pupilIds.length; i += 500) {
    for (const r of db
      .select({ id: pupils.id, school: schools.name })
      .from(pupils)
      .innerJoin(schools, eq(schools.id, pupils.schoolId))
      .where(inArray(pupils.id, pupilIds.slice(i, i + 500)))
      .all())
      out.set(r.id, r.school);
  }
  return out;
}

/** Is the pupil-month already in an approved batch? (for the screens) */
export function billedBatchOf(db: AppDb, pupilId: number, service: string, month: string): number | null {
  const r = db
    .select({ batchId: sddDebits.batchId })
    .from(sddBilledMonths)
    .innerJoin(sddDebits, eq(sddDebits.id, sddBilledMonths.debitId))
    .where(and(eq(sddBilledMonths.pupilId, pupilId), eq(sddBilledMonths.service, service), eq(sddBilledMonths.month, month)))
    .get();
  return r?.batchId ?? null;
}

export interface PrenotificationRow {
  payerName: string;
  email: string;
  mobile: string;
  pupilName: string;
  amountCents: number;
  dueDate: string;
  umr: string;
  creditorId: string;
  endToEndId: string;
}

/**
 * P8: what each family is told before the debit (amount, due date, mandate reference and the
 * creditor identifier), one row per debit, for the office's mail-merge or the portal.
 */
export function prenotifications(db: AppDb, batchId: number): { batch: BatchRow; rows: PrenotificationRow[] } {
  const b = requireBatch(db, batchId);
  if (b.status === 'bozza' || b.status === 'annullato') throw conflict('Il preavviso si prepara per una distinta approvata');
  const creditorId = requireSettings(db).creditorId;
  const rows = db
    .select({
      payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`,
      email: payers.email,
      mobile: payers.mobile,
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      amountCents: sddDebits.amountCents,
      umr: sql<string>`${sddDebits.umr}`,
      endToEndId: sddDebits.endToEndId,
    })
    .from(sddDebits)
    .innerJoin(pupils, eq(pupils.id, sddDebits.pupilId))
    .innerJoin(payers, eq(payers.id, sddDebits.payerId))
    .where(and(eq(sddDebits.batchId, batchId), eq(sddDebits.included, true)))
    .orderBy(asc(payers.lastName), asc(payers.firstName), asc(pupils.lastName))
    .all()
    .map((r) => ({ ...r, dueDate: b.dueDate, creditorId }));
  return { batch: b, rows };
}
