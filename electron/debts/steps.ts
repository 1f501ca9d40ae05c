/**
 * The history of each family's debt procedure and the morning worklist (issue 11).
 *
 * The current "episode" of a family's debt starts at its oldest unpaid charge (positions.ts): the
 * steps recorded on or after that date belong to it; older ones belong to a debt since paid. The
 * next step is the one after the highest step of the episode, and it is due when:
 * - the family's current position reaches its threshold (euros or meals beyond credit);
 * - its minimum days have passed since the previous step of the episode (the first step: since the
 *   oldest unpaid charge);
 * - no respected instalment plan pauses the ladder.
 * A payment after a step therefore moves the family back by itself: the next step is computed from
 * the position as it is now, and a debt paid in full ends the episode. Exempt families are listed
 * with their exemption noted (it stops suspension, not reminders).
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { DEBT_MAX_FILE_BYTES, DEBT_RECEIPT_CHANNELS, debtSteps, municipalities, payers, pupils, services, users, type DEBT_EVIDENCE_MIME_TYPES } from '../../db/schema';
import { conflict, invalid, invalidField, notFound, type FieldIssue } from '../contract/errors';
import { addDays, formatDateIt } from '../calendar/rome-time';
import type { Caterer } from '../documents/caterer';
import type { Actor } from '../ledger/payments';
import { ensureLadder, getLadder, reaches, type Ladder, type LadderStep } from './ladder';
import { letterFileName, letterPdf, type LetterData } from './letters';
import { exemptPayers, listPlans, type PlanView } from './plans';
import { daysBetween, familyPosition, familyPositions, type DebtLine, type FamilyPosition } from './positions';

export type StepRow = Omit<typeof debtSteps.$inferSelect, 'document' | 'evidence'>;
type EvidenceMime = (typeof DEBT_EVIDENCE_MIME_TYPES)[number];

/** Every column but the two files. */
const stepColumns = {
  id: debtSteps.id,
  payerId: debtSteps.payerId,
  municipalityId: debtSteps.municipalityId,
  stepPosition: debtSteps.stepPosition,
  stepName: debtSteps.stepName,
  channel: debtSteps.channel,
  daysToPay: debtSteps.daysToPay,
  amountCents: debtSteps.amountCents,
  reachedOn: debtSteps.reachedOn,
  payBy: debtSteps.payBy,
  note: debtSteps.note,
  recordedAt: debtSteps.recordedAt,
  recordedBy: debtSteps.recordedBy,
  documentFileName: debtSteps.documentFileName,
  documentSha256: debtSteps.documentSha256,
  documentSizeBytes: debtSteps.documentSizeBytes,
  receiptNumber: debtSteps.receiptNumber,
  deliveredOn: debtSteps.deliveredOn,
  evidenceFileName: debtSteps.evidenceFileName,
  evidenceMimeType: debtSteps.evidenceMimeType,
  evidenceSha256: debtSteps.evidenceSha256,
  evidenceSizeBytes: debtSteps.evidenceSizeBytes,
  deliveryRecordedAt: debtSteps.deliveryRecordedAt,
  deliveryRecordedBy: debtSteps.deliveryRecordedBy,
};

export function familySteps(db: AppDb, payerId: number, municipalityId?: number): StepRow[] {
  return db
    .select(stepColumns)
    .from(debtSteps)
    .where(and(eq(debtSteps.payerId, payerId), municipalityId !== undefined ? eq(debtSteps.municipalityId, municipalityId) : undefined))
    .orderBy(asc(debtSteps.reachedOn), asc(debtSteps.id))
    .all();
}

function stepsByFamily(db: AppDb, payerIds: number[]): Map<string, StepRow[]> {
  const out = new Map<string, StepRow[]>();
  for (let i = 0; i < payerIds.length; i += 500) {
    const rows = db
      .select(stepColumns)
      .from(debtSteps)
      .where(inArray(debtSteps.payerId, payerIds.slice(i, i + 500)))
      .orderBy(asc(debtSteps.reachedOn), asc(debtSteps.id))
      .all();
    for (const r of rows) {
      const k = `${r.payerId}/${r.municipalityId}`;
      out.set(k, [...(out.get(k) ?? []), r]);
    }
  }
  return out;
}

/** The steps of the current episode (on or after the oldest unpaid charge). */
export function episodeSteps(steps: StepRow[], position: FamilyPosition): StepRow[] {
  if (position.owedCents <= 0) return [];
  return steps.filter((s) => s.reachedOn >= position.oldestUnpaidOn);
}

export interface NextStep {
  step: LadderStep;
  /** the highest step of the episode (0: none yet) */
  reached: number;
  previousOn: string;
  daysSincePrevious: number;
  thresholdReached: boolean;
  daysElapsed: boolean;
}

/** The next step of a family's ladder, or null when the ladder has no further step. */
export function nextStep(ladder: Ladder, steps: StepRow[], position: FamilyPosition, today: string): NextStep | null {
  const episode = episodeSteps(steps, position);
  const reached = episode.reduce((m, s) => Math.max(m, s.stepPosition), 0);
  const step = ladder.steps.find((s) => s.position === reached + 1);
  if (!step) return null;
  const previousOn = episode.length ? episode[episode.length - 1].reachedOn : position.oldestUnpaidOn;
  const daysSincePrevious = daysBetween(previousOn, today);
  return { step, reached, previousOn, daysSincePrevious, thresholdReached: reaches(step, position.owedCents, position.meals), daysElapsed: daysSincePrevious >= step.minDaysSincePrevious };
}

// ---------------------------------------------------------------------------------------------
// Names for lists and letters
// ---------------------------------------------------------------------------------------------

export interface PayerInfo {
  id: number;
  name: string;
  taxCode: string;
  address: string;
  email: string;
  mobile: string;
}

export function payerInfo(db: AppDb, payerIds: number[]): Map<number, PayerInfo> {
  const out = new Map<number, PayerInfo>();
  for (let i = 0; i < payerIds.length; i += 500) {
    for (const p of db.select().from(payers).where(inArray(payers.id, payerIds.slice(i, i + 500))).all()) {
      const street = [p.street, p.streetNumber].filter(Boolean).join(' ');
      const town = [p.postcode, p.town, p.province ? `(${p.province})` : ''].filter(Boolean).join(' ');
      out.set(p.id, { id: p.id, name: `${p.lastName} ${p.firstName}`, taxCode: p.taxCode, address: [street, town].filter(Boolean).join(', '), email: p.email, mobile: p.mobile });
    }
  }
  return out;
}

export function municipalityNames(db: AppDb): Map<number, string> {
  return new Map(db.select({ id: municipalities.id, name: municipalities.name }).from(municipalities).all().map((m) => [m.id, m.name]));
}

export interface NamedLine extends DebtLine {
  pupilName: string;
  pupilTaxCode: string;
  userCode: string;
  serviceName: string;
}

export function nameLines(db: AppDb, lines: DebtLine[]): NamedLine[] {
  const ids = [...new Set(lines.map((l) => l.pupilId))];
  const names = new Map(
    ids.length
      ? db
          .select({ id: pupils.id, name: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`, taxCode: pupils.taxCode, userCode: pupils.userCode })
          .from(pupils)
          .where(inArray(pupils.id, ids))
          .all()
          .map((p) => [p.id, p])
      : [],
  );
  const serviceNames = new Map(db.select().from(services).all().map((s) => [s.code, s.name]));
  return lines.map((l) => ({ ...l, pupilName: names.get(l.pupilId)?.name ?? '', pupilTaxCode: names.get(l.pupilId)?.taxCode ?? '', userCode: names.get(l.pupilId)?.userCode ?? '', serviceName: serviceNames.get(l.service) ?? l.service }));
}

// ---------------------------------------------------------------------------------------------
// Recording steps (with their letter) and deliveries
// ---------------------------------------------------------------------------------------------

export interface RecordInput {
  /** the step of every family that does not name its own */
  stepPosition?: number;
  /** each family may name its own step (the morning's batch mixes reminders and formal notices) */
  families: { payerId: number; municipalityId: number; stepPosition?: number }[];
  note: string;
}

/**
 * Records one step for each family, each with its letter (a PDF produced now and stored with the
 * step). All or nothing: a family that does not qualify refuses the whole batch, saying why.
 */
export function recordSteps(db: AppDb, input: RecordInput, today: string, caterer: Caterer | null, actor: Actor): StepRow[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const prepared: { f: { payerId: number; municipalityId: number }; position: FamilyPosition; step: LadderStep; ladder: Ladder }[] = [];
  const infos = payerInfo(db, input.families.map((f) => f.payerId));
  input.families.forEach((f, i) => {
    const path = ['families', i, 'payerId'];
    const k = `${f.payerId}/${f.municipalityId}`;
    if (seen.has(k)) return issues.push({ path, message: 'Famiglia indicata due volte' });
    seen.add(k);
    const info = infos.get(f.payerId);
    if (!info) return issues.push({ path, message: 'Pagante inesistente' });
    const wanted = f.stepPosition ?? input.stepPosition;
    if (wanted === undefined) return issues.push({ path: ['families', i, 'stepPosition'], message: `${info.name}: indicare il passo da registrare` });
    const ladder = ensureLadder(db, f.municipalityId, actor);
    const step = ladder.steps.find((s) => s.position === wanted);
    if (!step) return issues.push({ path: f.stepPosition === undefined ? ['stepPosition'] : ['families', i, 'stepPosition'], message: `Il Comune di ${ladder.municipalityName} non ha un passo n. ${wanted} nella procedura` });
    const position = familyPosition(db, today, f.payerId, f.municipalityId);
    if (position.owedCents <= 0) return issues.push({ path, message: `${info.name}: nessun importo da pagare nel Comune di ${ladder.municipalityName}` });
    if (!reaches(step, position.owedCents, position.meals)) {
      return issues.push({ path, message: `${info.name}: il debito attuale (${(position.owedCents / 100).toFixed(2).replace('.', ',')} €, ${position.meals} pasti) non raggiunge la soglia del passo «${step.name}»` });
    }
    const next = nextStep(ladder, familySteps(db, f.payerId, f.municipalityId), position, today);
    const reached = next?.reached ?? ladder.steps.length;
    if (wanted > reached + 1) {
      const missing = ladder.steps.find((s) => s.position === reached + 1);
      return issues.push({ path, message: `${info.name}: prima di «${step.name}» va inviato il passo «${missing?.name ?? reached + 1}»` });
    }
    prepared.push({ f, position, step, ladder });
  });
  if (issues.length) throw invalid(issues);

  const out: StepRow[] = [];
  for (const { f, position, step, ladder } of prepared) {
    const payer = infos.get(f.payerId)!;
    const payBy = addDays(today, step.daysToPay);
    const data: LetterData = {
      stepName: step.name,
      channel: step.channel,
      template: step.template,
      daysToPay: step.daysToPay,
      payBy,
      issuedOn: today,
      issuedAt: actor.at,
      municipalityName: ladder.municipalityName,
      payer,
      owedCents: position.owedCents,
      lines: nameLines(db, position.lines).map((l) => ({ pupilName: l.pupilName, pupilTaxCode: l.pupilTaxCode, schoolYearLabel: l.schoolYearLabel, serviceName: l.serviceName, owedCents: l.owedCents })),
    };
    const pdf = letterPdf(data, caterer);
    out.push(
      db
        .insert(debtSteps)
        .values({
          payerId: f.payerId,
          municipalityId: f.municipalityId,
          stepPosition: step.position,
          stepName: step.name,
          channel: step.channel,
          daysToPay: step.daysToPay,
          amountCents: position.owedCents,
          reachedOn: today,
          payBy,
          note: input.note,
          recordedAt: actor.at.toISOString(),
          recordedBy: actor.userId,
          documentFileName: letterFileName(data),
          documentSha256: createHash('sha256').update(pdf).digest('hex'),
          documentSizeBytes: pdf.length,
          document: pdf,
        })
        .returning(stepColumns)
        .get(),
    );
  }
  return out;
}

/** The stored letters of some steps (for the batch download). */
export function storedLetters(db: AppDb, stepIds: number[]): { id: number; fileName: string; sha256: string; bytes: Buffer }[] {
  const rows = db
    .select({ id: debtSteps.id, fileName: debtSteps.documentFileName, sha256: debtSteps.documentSha256, bytes: debtSteps.document })
    .from(debtSteps)
    .where(inArray(debtSteps.id, stepIds))
    .all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = stepIds.filter((id) => !byId.has(id));
  if (missing.length) throw invalidField('stepIds', `Passi inesistenti: ${missing.join(', ')}`);
  return stepIds.map((id) => byId.get(id)!);
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** The type of an evidence file by its content: a scan (PDF, JPEG, PNG) or a PEC receipt (.eml or its XML). */
export function sniffEvidence(bytes: Buffer): EvidenceMime | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  const head = bytes.subarray(0, 2048).toString('utf8').replace(/^\uFEFF/, '');
  if (/^<\?xml[\s?]/.test(head)) return 'application/xml';
  if (/^[A-Za-z][A-Za-z0-9-]*: /.test(head) && /^(From|Date|Message-ID|MIME-Version): /im.test(head)) return 'message/rfc822';
  return null;
}

export interface DeliveryInput {
  stepId: number;
  deliveredOn: string;
  receiptNumber: string | null;
  evidence: { fileName: string; contentBase64: string } | null;
}

/** Records the delivery of a step's letter, once: receipt number and/or the evidence file (kept with its SHA-256). */
export function recordDelivery(db: AppDb, input: DeliveryInput, today: string, actor: Actor): StepRow {
  const step = db.select(stepColumns).from(debtSteps).where(eq(debtSteps.id, input.stepId)).get();
  if (!step) throw notFound('Passo della procedura');
  if (step.deliveredOn) throw conflict(`La consegna è già registrata (il ${formatDateIt(step.deliveredOn)}): la prova non si sovrascrive`);
  if (input.deliveredOn < step.reachedOn) throw invalidField('deliveredOn', `La consegna non può precedere l'invio del ${formatDateIt(step.reachedOn)}`);
  if (input.deliveredOn > today) throw invalidField('deliveredOn', 'La data di consegna non può essere nel futuro');
  const needsProof = (DEBT_RECEIPT_CHANNELS as readonly string[]).includes(step.channel);
  if (needsProof && !input.receiptNumber && !input.evidence) {
    throw invalidField('receiptNumber', step.channel === 'pec' ? 'Per una PEC indicare il numero della ricevuta di consegna o allegarne il file' : "Per una raccomandata indicare il numero o allegare la cartolina di ritorno");
  }
  let file: { fileName: string; mimeType: EvidenceMime; bytes: Buffer; sha256: string } | null = null;
  if (input.evidence) {
    const clean = input.evidence.contentBase64.replace(/\s+/g, '');
    if (!BASE64_RE.test(clean) || clean.length % 4 !== 0) throw invalidField(['evidence', 'contentBase64'], `Il file «${input.evidence.fileName}» non è leggibile (contenuto non valido)`);
    const bytes = Buffer.from(clean, 'base64');
    if (bytes.length === 0) throw invalidField(['evidence', 'contentBase64'], `Il file «${input.evidence.fileName}» è vuoto`);
    if (bytes.length > DEBT_MAX_FILE_BYTES) throw invalidField(['evidence', 'contentBase64'], `Il file «${input.evidence.fileName}» è troppo grande: al massimo ${DEBT_MAX_FILE_BYTES / 1048576} MB`);
    const mimeType = sniffEvidence(bytes);
    if (!mimeType) throw invalidField(['evidence', 'contentBase64'], `Il file «${input.evidence.fileName}» non è un PDF, un'immagine JPEG o PNG, né una ricevuta PEC (.eml o XML)`);
    file = { fileName: input.evidence.fileName, mimeType, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return db
    .update(debtSteps)
    .set({
      deliveredOn: input.deliveredOn,
      receiptNumber: input.receiptNumber,
      evidenceFileName: file?.fileName ?? null,
      evidenceMimeType: file?.mimeType ?? null,
      evidenceSha256: file?.sha256 ?? null,
      evidenceSizeBytes: file?.bytes.length ?? null,
      evidence: file?.bytes ?? null,
      deliveryRecordedAt: actor.at.toISOString(),
      deliveryRecordedBy: actor.userId,
    })
    .where(and(eq(debtSteps.id, input.stepId), isNull(debtSteps.deliveredOn)))
    .returning(stepColumns)
    .get();
}

// ---------------------------------------------------------------------------------------------
// The morning worklist
// ---------------------------------------------------------------------------------------------

export interface WorklistFamily {
  payerId: number;
  payerName: string;
  payerTaxCode: string;
  municipalityId: number;
  municipalityName: string;
  owedCents: number;
  meals: number;
  oldestUnpaidOn: string;
  ageDays: number;
  lastStepName: string | null;
  lastStepOn: string | null;
  exempt: boolean;
  exemptionReference: string | null;
  plan: { id: number; status: PlanView['status'] } | null;
}

export interface Worklist {
  today: string;
  /** families whose next step is due today */
  newSteps: (WorklistFamily & { stepPosition: number; stepName: string; channel: LadderStep['channel']; daysSincePrevious: number })[];
  /** families whose next step would be due, paused by a respected instalment plan */
  paused: (WorklistFamily & { stepName: string })[];
  /** letters sent by registered letter or PEC whose delivery is not recorded yet */
  awaitingDelivery: { stepId: number; payerId: number; payerName: string; municipalityId: number; municipalityName: string; stepName: string; channel: LadderStep['channel']; reachedOn: string; daysWaiting: number }[];
  /** families that a payment since their last step brought below that step's threshold or to zero */
  movedBack: { payerId: number; payerName: string; municipalityId: number; municipalityName: string; lastStepName: string; lastStepOn: string; lastPaymentOn: string; owedCents: number; status: 'chiusa' | 'rientrata' }[];
}

/** Money received by each family (payer, municipality) since a date: the latest booking date. */
function lastMoneyIn(db: AppDb, from: string): Map<string, string> {
  const rows = db.all<{ payerId: number; municipalityId: number; lastOn: string }>(sql`
    SELECT e.payer_id AS payerId, s.municipality_id AS municipalityId, max(le.booked_on) AS lastOn
    FROM ledger_entries le
    JOIN ledger_accounts a ON a.id = le.account_id
    JOIN enrollments e ON e.pupil_id = a.pupil_id AND e.school_year_id = a.school_year_id
    JOIN schools s ON s.id = e.school_id
    WHERE le.kind IN ('ricarica', 'pagamento', 'incasso_sdd') AND le.booked_on >= ${from}
    GROUP BY e.payer_id, s.municipality_id`);
  return new Map(rows.map((r) => [`${r.payerId}/${r.municipalityId}`, r.lastOn]));
}

export function worklist(db: AppDb, today: string, f: { municipalityId?: number; sinceDays?: number } = {}): Worklist {
  const positions = familyPositions(db, today, { municipalityId: f.municipalityId });
  const byKey = new Map(positions.map((p) => [`${p.payerId}/${p.municipalityId}`, p]));
  const allSteps = db
    .select(stepColumns)
    .from(debtSteps)
    .where(f.municipalityId !== undefined ? eq(debtSteps.municipalityId, f.municipalityId) : undefined)
    .orderBy(asc(debtSteps.reachedOn), asc(debtSteps.id))
    .all();
  const payerIds = [...new Set([...positions.map((p) => p.payerId), ...allSteps.map((s) => s.payerId)])];
  const infos = payerInfo(db, payerIds);
  const steps = stepsByFamily(db, [...new Set(positions.map((p) => p.payerId))]);
  const names = municipalityNames(db);
  const exempt = exemptPayers(db, today, payerIds);
  const plans = new Map(listPlans(db, today, { municipalityId: f.municipalityId, openOnly: true }).map((p) => [`${p.payerId}/${p.municipalityId}`, p]));
  const ladders = new Map<number, Ladder>();
  const ladderOf = (m: number) => {
    let l = ladders.get(m);
    if (!l) ladders.set(m, (l = getLadder(db, m)));
    return l;
  };
  const family = (p: FamilyPosition, history: StepRow[]): WorklistFamily => {
    const last = history[history.length - 1];
    const plan = plans.get(`${p.payerId}/${p.municipalityId}`);
    const ex = exempt.get(p.payerId);
    return {
      payerId: p.payerId,
      payerName: infos.get(p.payerId)?.name ?? '',
      payerTaxCode: infos.get(p.payerId)?.taxCode ?? '',
      municipalityId: p.municipalityId,
      municipalityName: names.get(p.municipalityId) ?? '',
      owedCents: p.owedCents,
      meals: p.meals,
      oldestUnpaidOn: p.oldestUnpaidOn,
      ageDays: p.ageDays,
      lastStepName: last?.stepName ?? null,
      lastStepOn: last?.reachedOn ?? null,
      exempt: ex !== undefined,
      exemptionReference: ex?.reference ?? null,
      plan: plan ? { id: plan.id, status: plan.status } : null,
    };
  };

  const out: Worklist = { today, newSteps: [], paused: [], awaitingDelivery: [], movedBack: [] };
  for (const p of positions) {
    const history = steps.get(`${p.payerId}/${p.municipalityId}`) ?? [];
    const next = nextStep(ladderOf(p.municipalityId), history, p, today);
    if (!next || !next.thresholdReached || !next.daysElapsed) continue;
    const plan = plans.get(`${p.payerId}/${p.municipalityId}`);
    if (plan?.pausesLadder) {
      out.paused.push({ ...family(p, history), stepName: next.step.name });
      continue;
    }
    out.newSteps.push({ ...family(p, history), stepPosition: next.step.position, stepName: next.step.name, channel: next.step.channel, daysSincePrevious: next.daysSincePrevious });
  }

  for (const s of allSteps) {
    if (s.deliveredOn || !(DEBT_RECEIPT_CHANNELS as readonly string[]).includes(s.channel)) continue;
    out.awaitingDelivery.push({
      stepId: s.id,
      payerId: s.payerId,
      payerName: infos.get(s.payerId)?.name ?? '',
      municipalityId: s.municipalityId,
      municipalityName: names.get(s.municipalityId) ?? '',
      stepName: s.stepName,
      channel: s.channel,
      reachedOn: s.reachedOn,
      daysWaiting: daysBetween(s.reachedOn, today),
    });
  }

  const since = addDays(today, -(f.sinceDays ?? 30));
  const paidSince = lastMoneyIn(db, since);
  const lastStep = new Map<string, StepRow>();
  for (const s of allSteps) lastStep.set(`${s.payerId}/${s.municipalityId}`, s);
  for (const [k, s] of lastStep) {
    const paidOn = paidSince.get(k);
    if (!paidOn || paidOn <= s.reachedOn) continue;
    const p = byKey.get(k);
    const owed = p?.owedCents ?? 0;
    const ladderStep = ladderOf(s.municipalityId).steps.find((x) => x.position === s.stepPosition);
    const stillThere = p !== undefined && (ladderStep ? reaches(ladderStep, p.owedCents, p.meals) : p.owedCents >= s.amountCents);
    if (stillThere) continue;
    out.movedBack.push({
      payerId: s.payerId,
      payerName: infos.get(s.payerId)?.name ?? '',
      municipalityId: s.municipalityId,
      municipalityName: names.get(s.municipalityId) ?? '',
      lastStepName: s.stepName,
      lastStepOn: s.reachedOn,
      lastPaymentOn: paidOn,
      owedCents: owed,
      status: owed === 0 ? 'chiusa' : 'rientrata',
    });
  }
  const byName = (a: { payerName: string }, b: { payerName: string }) => a.payerName.localeCompare(b.payerName, 'it');
  out.newSteps.sort((a, b) => b.owedCents - a.owedCents || byName(a, b));
  out.paused.sort(byName);
  out.awaitingDelivery.sort((a, b) => b.daysWaiting - a.daysWaiting || byName(a, b));
  out.movedBack.sort(byName);
  return out;
}

/** The names of the users who recorded steps and deliveries ("who acted"). */
function userNames(db: AppDb, ids: (number | null)[]): Map<number, string> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!wanted.length) return new Map();
  return new Map(db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, wanted)).all().map((u) => [u.id, u.name]));
}

export interface PayerMunicipality {
  municipalityId: number;
  municipalityName: string;
  owedCents: number;
}

/**
 * The municipalities a payer has to do with: those of the schools of any of its enrollments, and
 * those where it has steps or plans (a family may have moved away); with what it owes in each today.
 */
export function payerMunicipalities(db: AppDb, today: string, payerId: number): PayerMunicipality[] {
  const ids = db.all<{ id: number }>(sql`
    SELECT s.municipality_id AS id FROM enrollments e JOIN schools s ON s.id = e.school_id WHERE e.payer_id = ${payerId}
    UNION SELECT municipality_id FROM debt_steps WHERE payer_id = ${payerId}
    UNION SELECT municipality_id FROM debt_plans WHERE payer_id = ${payerId}`);
  const owed = new Map(familyPositions(db, today, { payerId }).map((p) => [p.municipalityId, p.owedCents]));
  const names = municipalityNames(db);
  return ids
    .map(({ id }) => ({ municipalityId: id, municipalityName: names.get(id) ?? '', owedCents: owed.get(id) ?? 0 }))
    .sort((a, b) => b.owedCents - a.owedCents || a.municipalityName.localeCompare(b.municipalityName, 'it'));
}

/**
 * A family's whole file: position with its lines, history (with who recorded each step and each
 * delivery), plans, exemption. Without a municipality, the one where the family owes most (else
 * the first of its municipalities) is shown; `municipalities` lists the others to switch to.
 */
export function familyFile(db: AppDb, today: string, payerId: number, municipalityId?: number) {
  const info = payerInfo(db, [payerId]).get(payerId);
  if (!info) throw notFound('Pagante');
  const municipalities = payerMunicipalities(db, today, payerId);
  const chosen = municipalityId ?? municipalities[0]?.municipalityId;
  if (chosen === undefined) throw invalidField('municipalityId', `${info.name} non ha iscrizioni né passi della procedura in alcun comune`);
  const ladder = getLadder(db, chosen);
  const position = familyPosition(db, today, payerId, chosen);
  const steps = familySteps(db, payerId, chosen);
  const who = userNames(db, steps.flatMap((s) => [s.recordedBy, s.deliveryRecordedBy]));
  const history = steps.map((s) => ({
    ...s,
    recordedByName: s.recordedBy !== null ? (who.get(s.recordedBy) ?? null) : null,
    deliveryRecordedByName: s.deliveryRecordedBy !== null ? (who.get(s.deliveryRecordedBy) ?? null) : null,
  }));
  const next = position.owedCents > 0 ? nextStep(ladder, steps, position, today) : null;
  const exemption = exemptPayers(db, today, [payerId]).get(payerId) ?? null;
  return {
    payer: info,
    municipalityId: chosen,
    municipalityName: ladder.municipalityName,
    municipalities: municipalities.some((m) => m.municipalityId === chosen) ? municipalities : [...municipalities, { municipalityId: chosen, municipalityName: ladder.municipalityName, owedCents: position.owedCents }],
    owedCents: position.owedCents,
    meals: position.meals,
    oldestUnpaidOn: position.owedCents > 0 ? position.oldestUnpaidOn : null,
    ageDays: position.owedCents > 0 ? position.ageDays : null,
    lines: nameLines(db, position.lines),
    history,
    episodeStepIds: episodeSteps(steps, position).map((s) => s.id),
    next: next
      ? { stepPosition: next.step.position, stepName: next.step.name, channel: next.step.channel, thresholdReached: next.thresholdReached, daysElapsed: next.daysElapsed, daysSincePrevious: next.daysSincePrevious, minDaysSincePrevious: next.step.minDaysSincePrevious }
      : null,
    plans: listPlans(db, today, { payerId, municipalityId: chosen }),
    exemption,
  };
}

/** The delivery evidence file of a step (the scanned receipt or the PEC receipt), as it was stored. */
export function storedEvidence(db: AppDb, stepId: number): { fileName: string; mimeType: EvidenceMime; sha256: string; bytes: Buffer } {
  const row = db
    .select({ fileName: debtSteps.evidenceFileName, mimeType: debtSteps.evidenceMimeType, sha256: debtSteps.evidenceSha256, bytes: debtSteps.evidence })
    .from(debtSteps)
    .where(eq(debtSteps.id, stepId))
    .get();
  if (!row) throw notFound('Passo della procedura');
  if (!row.bytes || !row.fileName || !row.mimeType || !row.sha256) throw invalidField('stepId', 'Per questo passo non è stato allegato alcun file di consegna');
  return { fileName: row.fileName, mimeType: row.mimeType, sha256: row.sha256, bytes: row.bytes };
}

/** Latest step per family, for lists (positions, report). */
export function latestSteps(db: AppDb): Map<string, StepRow> {
  const out = new Map<string, StepRow>();
  for (const s of db.select(stepColumns).from(debtSteps).orderBy(asc(debtSteps.reachedOn), asc(debtSteps.id)).all()) out.set(`${s.payerId}/${s.municipalityId}`, s);
  return out;
}

