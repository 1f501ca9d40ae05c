/**
 * The debt procedures of the contract (issue 11, first part: no suspension yet). For the fees
 * office only (D3): every procedure needs a signed-in office user; nothing here feeds the kitchen
 * report, the schools' lists or the family portal. Mutations run in the dispatcher's transaction
 * and are audited there; the ladder, exemptions and the municipality's report are for supervisors.
 */
import { z } from 'zod';
import { DEBT_CHANNELS, DEBT_EVIDENCE_MIME_TYPES } from '../../db/schema';
import { id, isoDate, lineText, multilineText, cents } from '../contract/fields';
import { actorOf, procedure, type Ctx } from '../contract/procedure';
import { currentVersion, expectVersion, version } from '../contract/versions';
import { romeDateOf } from '../calendar/rome-time';
import { auditedDocument } from '../audit/reads';
import { getCaterer } from '../documents/caterer';
import { documentFile, documentFileOut, PDF_MIME, ZIP_MIME } from '../documents/files';
import { getLadder, updateLadder } from './ladder';
import { lettersPdf, lettersZip } from './letters';
import { cancelPlan, createPlan, endExemption, grantExemption, listExemptions, listPlans, PLAN_STATUSES, requireMunicipality } from './plans';
import { AGE_BANDS, ageBandOf, debtTotals, familyPositions } from './positions';
import { familyFile, latestSteps, municipalityNames, payerInfo, recordDelivery, recordSteps, storedEvidence, storedLetters, worklist } from './steps';

const today = (ctx: Ctx) => romeDateOf(ctx.clock.now());

const reason = multilineText().trim().min(3, { message: 'Indicare il motivo (almeno 3 caratteri)' }).max(1000);
const channel = z.enum(DEBT_CHANNELS, { error: 'Mezzo di invio non valido' });
const stepPosition = z.number().int().min(1, { message: 'Passo non valido' }).max(20, { message: 'Passo non valido' });

const stepOut = z.object({
  id: z.number(),
  payerId: z.number(),
  municipalityId: z.number(),
  stepPosition: z.number(),
  stepName: z.string(),
  channel,
  daysToPay: z.number(),
  amountCents: z.number(),
  reachedOn: z.string(),
  payBy: z.string(),
  note: z.string(),
  recordedAt: z.string(),
  documentFileName: z.string(),
  documentSha256: z.string(),
  documentSizeBytes: z.number(),
  receiptNumber: z.string().nullable(),
  deliveredOn: z.string().nullable(),
  evidenceFileName: z.string().nullable(),
  evidenceMimeType: z.enum(DEBT_EVIDENCE_MIME_TYPES).nullable(),
  evidenceSha256: z.string().nullable(),
  evidenceSizeBytes: z.number().nullable(),
  deliveryRecordedAt: z.string().nullable(),
});

const ladderStep = z.object({
  name: lineText().trim().min(1, { message: 'Indicare il nome del passo' }).max(120),
  thresholdCents: cents.min(1, { message: 'La soglia deve essere maggiore di zero' }).max(100_000_000).nullable(),
  thresholdMeals: z.number().int({ message: 'Numero intero di pasti' }).min(1, { message: 'Almeno un pasto' }).max(1000).nullable(),
  minDaysSincePrevious: z.number().int().min(0, { message: 'Giorni non negativi' }).max(365, { message: 'Al massimo 365 giorni' }),
  channel,
  template: multilineText().trim().min(10, { message: 'Scrivere il testo della lettera' }).max(10000),
  daysToPay: z.number().int().min(1, { message: 'Almeno un giorno per pagare' }).max(180, { message: 'Al massimo 180 giorni' }),
});
const ladderOut = z.object({
  municipalityId: z.number(),
  municipalityName: z.string(),
  isDefault: z.boolean(),
  suspensionAllowed: z.boolean(),
  enrollmentRefusalAllowed: z.boolean(),
  steps: z.array(ladderStep.extend({ position: z.number(), name: z.string(), template: z.string() })),
  /** issue 14: the version the form sends back with its save (0: never saved) */
  version: z.number(),
});

const planStatus = z.enum(PLAN_STATUSES);
const planOut = z.object({
  id: z.number(),
  payerId: z.number(),
  municipalityId: z.number(),
  startsOn: z.string(),
  note: z.string(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  instalments: z.array(z.object({ seq: z.number(), dueOn: z.string(), amountCents: z.number(), paid: z.boolean() })),
  totalCents: z.number(),
  paidCents: z.number(),
  status: planStatus,
  missedSeq: z.number().nullable(),
  pausesLadder: z.boolean(),
});

const exemptionOut = z.object({
  id: z.number(),
  payerId: z.number(),
  payerName: z.string(),
  payerTaxCode: z.string(),
  reason: z.string(),
  reference: z.string(),
  startsOn: z.string(),
  grantedAt: z.string(),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
});

const familyBase = {
  payerId: z.number(),
  payerName: z.string(),
  payerTaxCode: z.string(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  owedCents: z.number(),
  meals: z.number(),
  oldestUnpaidOn: z.string(),
  ageDays: z.number(),
  lastStepName: z.string().nullable(),
  lastStepOn: z.string().nullable(),
  exempt: z.boolean(),
  exemptionReference: z.string().nullable(),
  plan: z.object({ id: z.number(), status: planStatus }).nullable(),
};

const lineOut = z.object({
  pupilId: z.number(),
  pupilName: z.string(),
  pupilTaxCode: z.string(),
  userCode: z.string(),
  service: z.string(),
  serviceName: z.string(),
  schoolYearId: z.number(),
  schoolYearLabel: z.string(),
  owedCents: z.number(),
  meals: z.number(),
  oldestUnpaidOn: z.string(),
});

const ageBand = z.enum(AGE_BANDS);

export const debtProcedures = [
  procedure({
    name: 'debts.positions',
    title: "Posizioni debitorie per famiglia (pagante e comune), calcolate dal libro contabile: importo, pasti oltre il credito, età del più vecchio importo non pagato; filtri per comune, importo minimo e fascia d'età",
    role: 'operatore',
    kind: 'query',
    input: z.object({
      municipalityId: id.optional(),
      minCents: cents.min(0).optional(),
      ageBand: ageBand.optional(),
      search: z.string().trim().max(100).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ rows: z.array(z.object({ ...familyBase, ageBand })), total: z.number(), totalOwedCents: z.number() }),
    handler: (ctx, f) => {
      const t = today(ctx);
      const positions = familyPositions(ctx.db, t, { municipalityId: f.municipalityId }).filter((p) => (f.minCents === undefined || p.owedCents >= f.minCents) && (f.ageBand === undefined || ageBandOf(p.ageDays) === f.ageBand));
      const infos = payerInfo(ctx.db, positions.map((p) => p.payerId));
      const names = municipalityNames(ctx.db);
      const latest = latestSteps(ctx.db);
      const exempt = new Map(listExemptions(ctx.db, { activeOn: t }).map((e) => [e.payerId, e.reference]));
      const plans = new Map(listPlans(ctx.db, t, { openOnly: true }).map((p) => [`${p.payerId}/${p.municipalityId}`, p]));
      const needle = f.search?.toLowerCase();
      const rows = positions
        .map((p) => {
          const k = `${p.payerId}/${p.municipalityId}`;
          const last = latest.get(k);
          const plan = plans.get(k);
          const info = infos.get(p.payerId);
          return {
            payerId: p.payerId,
            payerName: info?.name ?? '',
            payerTaxCode: info?.taxCode ?? '',
            municipalityId: p.municipalityId,
            municipalityName: names.get(p.municipalityId) ?? '',
            owedCents: p.owedCents,
            meals: p.meals,
            oldestUnpaidOn: p.oldestUnpaidOn,
            ageDays: p.ageDays,
            ageBand: ageBandOf(p.ageDays),
            lastStepName: last?.stepName ?? null,
            lastStepOn: last?.reachedOn ?? null,
            exempt: exempt.has(p.payerId),
            exemptionReference: exempt.get(p.payerId) ?? null,
            plan: plan ? { id: plan.id, status: plan.status } : null,
          };
        })
        .filter((r) => !needle || r.payerName.toLowerCase().includes(needle) || r.payerTaxCode.toLowerCase().includes(needle))
        .sort((a, b) => b.owedCents - a.owedCents || a.payerName.localeCompare(b.payerName, 'it'));
      return { rows: rows.slice(f.offset, f.offset + f.limit), total: rows.length, totalOwedCents: rows.reduce((s, r) => s + r.owedCents, 0) };
    },
  }),
  procedure({
    name: 'debts.family',
    title: 'Fascicolo di una famiglia in un comune (senza comune: quello dove deve di più): debito per alunno e anno scolastico, passi della procedura con consegne e chi li ha registrati, prossimo passo, piani di rientro, esenzione',
    role: 'operatore',
    kind: 'query',
    input: z.object({ payerId: id, municipalityId: id.optional() }),
    output: z.object({
      payer: z.object({ id: z.number(), name: z.string(), taxCode: z.string(), address: z.string(), email: z.string(), mobile: z.string() }),
      municipalityId: z.number(),
      municipalityName: z.string(),
      /** the municipalities of the payer's enrollments, steps and plans, with what it owes in each (most first) */
      municipalities: z.array(z.object({ municipalityId: z.number(), municipalityName: z.string(), owedCents: z.number() })),
      owedCents: z.number(),
      meals: z.number(),
      oldestUnpaidOn: z.string().nullable(),
      ageDays: z.number().nullable(),
      lines: z.array(lineOut),
      history: z.array(stepOut.extend({ recordedByName: z.string().nullable(), deliveryRecordedByName: z.string().nullable() })),
      episodeStepIds: z.array(z.number()),
      next: z
        .object({ stepPosition: z.number(), stepName: z.string(), channel, thresholdReached: z.boolean(), daysElapsed: z.boolean(), daysSincePrevious: z.number(), minDaysSincePrevious: z.number() })
        .nullable(),
      plans: z.array(planOut),
      exemption: z.object({ id: z.number(), reason: z.string(), reference: z.string(), startsOn: z.string() }).nullable(),
    }),
    handler: (ctx, input) => familyFile(ctx.db, today(ctx), input.payerId, input.municipalityId),
  }),
  procedure({
    name: 'debts.worklist',
    title: 'Lista del mattino: famiglie arrivate a un nuovo passo della procedura, in attesa di ricevuta di consegna, rientrate o chiuse da un pagamento',
    role: 'operatore',
    kind: 'query',
    input: z.object({ municipalityId: id.optional(), sinceDays: z.number().int().min(1).max(365).default(30) }),
    output: z.object({
      today: z.string(),
      newSteps: z.array(z.object({ ...familyBase, stepPosition: z.number(), stepName: z.string(), channel, daysSincePrevious: z.number() })),
      paused: z.array(z.object({ ...familyBase, stepName: z.string() })),
      awaitingDelivery: z.array(
        z.object({ stepId: z.number(), payerId: z.number(), payerName: z.string(), municipalityId: z.number(), municipalityName: z.string(), stepName: z.string(), channel, reachedOn: z.string(), daysWaiting: z.number() }),
      ),
      movedBack: z.array(
        z.object({
          payerId: z.number(),
          payerName: z.string(),
          municipalityId: z.number(),
          municipalityName: z.string(),
          lastStepName: z.string(),
          lastStepOn: z.string(),
          lastPaymentOn: z.string(),
          owedCents: z.number(),
          status: z.enum(['chiusa', 'rientrata']),
        }),
      ),
    }),
    handler: (ctx, f) => worklist(ctx.db, today(ctx), f),
  }),
  procedure({
    name: 'debts.totals',
    title: "Totali dei debiti per comune e per età (0-30, 31-90, oltre 90 giorni): famiglie e importi",
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.array(
      z.object({
        municipalityId: z.number(),
        municipalityName: z.string(),
        families: z.number(),
        owedCents: z.number(),
        bands: z.array(z.object({ band: ageBand, families: z.number(), owedCents: z.number() })),
      }),
    ),
    handler: (ctx) => {
      const names = municipalityNames(ctx.db);
      return [...debtTotals(ctx.db, today(ctx)).entries()]
        .map(([municipalityId, t]) => {
          const bands = AGE_BANDS.map((band) => ({ band, ...t[band] }));
          return {
            municipalityId,
            municipalityName: names.get(municipalityId) ?? '',
            families: bands.reduce((s, b) => s + b.families, 0),
            owedCents: bands.reduce((s, b) => s + b.owedCents, 0),
            bands,
          };
        })
        .sort((a, b) => a.municipalityName.localeCompare(b.municipalityName, 'it'));
    },
  }),
  procedure({
    name: 'debts.ladder.get',
    title: 'Procedura di recupero di un comune: passi (soglia, giorni, mezzo, testo della lettera, giorni per pagare) e cosa consente il regolamento',
    role: 'operatore',
    kind: 'query',
    input: z.object({ municipalityId: id }),
    output: ladderOut,
    handler: (ctx, { municipalityId }) => ({ ...getLadder(ctx.db, municipalityId), version: currentVersion(ctx, 'debtLadder', municipalityId) ?? 0 }),
  }),
  procedure({
    name: 'debts.ladder.update',
    title: 'Modifica la procedura di recupero di un comune e cosa consente il suo regolamento (sospensione, diniego dell\'iscrizione)',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({
      municipalityId: id,
      version,
      suspensionAllowed: z.boolean(),
      enrollmentRefusalAllowed: z.boolean(),
      steps: z.array(ladderStep).min(1, { message: 'La procedura deve avere almeno un passo' }).max(20, { message: 'Al massimo 20 passi' }),
    }),
    output: ladderOut,
    handler: (ctx, input) => {
      requireMunicipality(ctx.db, input.municipalityId);
      expectVersion(ctx, 'debtLadder', input.municipalityId, input.version);
      const { before, after } = updateLadder(ctx.db, input, actorOf(ctx));
      ctx.audit({ entity: 'procedura_recupero', entityId: input.municipalityId, action: 'modifica la procedura di recupero', before, after });
      return { ...after, version: currentVersion(ctx, 'debtLadder', input.municipalityId) ?? 0 };
    },
  }),
  procedure({
    name: 'debts.steps.record',
    title: 'Registra un passo della procedura per una o più famiglie (lo stesso per tutte, o ciascuna il suo): produce e conserva la lettera (PDF con impronta SHA-256); tutto o niente',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      stepPosition: stepPosition.optional(),
      families: z
        .array(z.object({ payerId: id, municipalityId: id, stepPosition: stepPosition.optional() }))
        .min(1, { message: 'Selezionare almeno una famiglia' })
        .max(2000, { message: 'Al massimo 2000 famiglie per volta' }),
      note: multilineText().trim().max(1000).default(''),
    }),
    output: z.array(stepOut),
    handler: (ctx, input) => {
      const rows = recordSteps(ctx.db, input, today(ctx), getCaterer(ctx.db), actorOf(ctx));
      for (const r of rows) {
        ctx.audit({ entity: 'passo_recupero', entityId: r.id, action: `passo «${r.stepName}» registrato`, after: { pagante: r.payerId, comune: r.municipalityId, importo: r.amountCents, termine: r.payBy, lettera: r.documentFileName, sha256: r.documentSha256 } });
      }
      return rows;
    },
  }),
  procedure({
    name: 'debts.steps.letters',
    title: 'Scarica le lettere conservate di alcuni passi: un PDF se è una sola; altrimenti un file zip con un PDF per famiglia, o un solo PDF da stampare con tutte le lettere in fila',
    role: 'operatore',
    kind: 'query',
    input: z.object({ stepIds: z.array(id).min(1, { message: 'Selezionare almeno una lettera' }).max(2000), combined: z.boolean().default(false) }),
    output: documentFileOut,
    auditedRead: auditedDocument('passo_recupero', 'lettere della procedura di recupero'),
    handler: async (ctx, { stepIds, combined }) => {
      const letters = storedLetters(ctx.db, [...new Set(stepIds)]);
      if (letters.length === 1) return documentFile(letters[0].fileName, PDF_MIME, letters[0].bytes, 1);
      if (combined) return documentFile(`lettere-recupero-${today(ctx)}.pdf`, PDF_MIME, await lettersPdf(letters, ctx.clock.now()), letters.length);
      const zip = await lettersZip(letters.map((l) => ({ fileName: l.fileName, bytes: l.bytes })), ctx.clock.now());
      return documentFile(`lettere-recupero-${today(ctx)}.zip`, ZIP_MIME, zip, letters.length);
    },
  }),
  procedure({
    name: 'debts.deliveries.record',
    title: "Registra la consegna della lettera di un passo, una volta sola: numero della ricevuta, data, file della cartolina o della ricevuta PEC (con impronta SHA-256)",
    role: 'operatore',
    kind: 'mutation',
    maxInputBytes: 8 * 1024 * 1024,
    input: z.object({
      stepId: id,
      deliveredOn: isoDate,
      receiptNumber: lineText().trim().max(80).nullable().default(null).transform((s) => (s ? s : null)),
      evidence: z
        .object({
          fileName: lineText().trim().min(1, { message: 'Nome del file mancante' }).max(255),
          contentBase64: z.string().min(1, { message: 'Il file è vuoto' }).max(7_100_000, { message: 'File troppo grande (massimo 5 MB)' }),
        })
        .nullable()
        .default(null),
    }),
    output: stepOut,
    handler: (ctx, input) => {
      const r = recordDelivery(ctx.db, input, today(ctx), actorOf(ctx));
      ctx.audit({ entity: 'passo_recupero', entityId: r.id, action: 'consegna registrata', after: { consegnatoIl: r.deliveredOn, ricevuta: r.receiptNumber, file: r.evidenceFileName, sha256: r.evidenceSha256 } });
      return r;
    },
  }),
  procedure({
    name: 'debts.deliveries.evidence',
    title: 'Apre il file della prova di consegna di un passo (cartolina di ritorno o ricevuta PEC) così come fu conservato, con la sua impronta SHA-256; registrato',
    role: 'operatore',
    kind: 'query',
    input: z.object({ stepId: id }),
    output: documentFileOut.extend({ sha256: z.string() }),
    auditedRead: auditedDocument('passo_recupero', 'prova di consegna della procedura di recupero'),
    handler: (ctx, { stepId }) => {
      const f = storedEvidence(ctx.db, stepId);
      return { ...documentFile(f.fileName, f.mimeType, f.bytes, 1), sha256: f.sha256 };
    },
  }),
  procedure({
    name: 'debts.plans.list',
    title: 'Piani di rientro (di una famiglia o di un comune) con rate, pagato e stato: rispettato, non rispettato, completato, annullato',
    role: 'operatore',
    kind: 'query',
    input: z.object({ payerId: id.optional(), municipalityId: id.optional(), openOnly: z.boolean().default(false) }),
    output: z.array(planOut),
    handler: (ctx, f) => listPlans(ctx.db, today(ctx), f),
  }),
  procedure({
    name: 'debts.plans.create',
    title: 'Registra un piano di rientro concordato con la famiglia (rate e scadenze): finché è rispettato la procedura si ferma',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      payerId: id,
      municipalityId: id,
      startsOn: isoDate,
      note: multilineText().trim().max(1000).default(''),
      instalments: z
        .array(z.object({ dueOn: isoDate, amountCents: cents.min(1, { message: 'La rata deve essere maggiore di zero' }).max(10_000_000) }))
        .min(1, { message: 'Indicare almeno una rata' })
        .max(60, { message: 'Al massimo 60 rate' }),
    }),
    output: planOut,
    handler: (ctx, input) => {
      const p = createPlan(ctx.db, input, today(ctx), actorOf(ctx));
      ctx.audit({ entity: 'piano_rientro', entityId: p.id, action: 'piano di rientro registrato', after: p });
      return p;
    },
  }),
  procedure({
    name: 'debts.plans.cancel',
    title: 'Annulla un piano di rientro, con il motivo',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ planId: id, reason }),
    output: planOut,
    handler: (ctx, input) => {
      const { before, after } = cancelPlan(ctx.db, input.planId, input.reason, today(ctx), actorOf(ctx));
      ctx.audit({ entity: 'piano_rientro', entityId: input.planId, action: 'piano di rientro annullato', before, after });
      return after;
    },
  }),
  procedure({
    name: 'debts.exemptions.list',
    title: 'Famiglie esenti (seguite dai servizi sociali), con motivo e riferimento',
    role: 'operatore',
    kind: 'query',
    input: z.object({ payerId: id.optional(), activeOnly: z.boolean().default(false) }),
    output: z.array(exemptionOut),
    handler: (ctx, f) => listExemptions(ctx.db, { payerId: f.payerId, activeOn: f.activeOnly ? today(ctx) : undefined }),
  }),
  procedure({
    name: 'debts.exemptions.grant',
    title: 'Segna una famiglia come seguita dai servizi sociali (motivo e riferimento): non potrà essere sospesa',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ payerId: id, reason, reference: lineText().trim().min(1, { message: 'Indicare il riferimento dei servizi sociali' }).max(200), startsOn: isoDate.optional() }),
    output: exemptionOut,
    handler: (ctx, input) => {
      const e = grantExemption(ctx.db, { ...input, startsOn: input.startsOn ?? today(ctx) }, actorOf(ctx));
      ctx.audit({ entity: 'esenzione_recupero', entityId: e.id, action: 'esenzione concessa', after: e });
      return listExemptions(ctx.db, { payerId: input.payerId }).find((x) => x.id === e.id)!;
    },
  }),
  procedure({
    name: 'debts.exemptions.end',
    title: "Chiude l'esenzione di una famiglia, con data e motivo",
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ exemptionId: id, endedOn: isoDate.optional(), reason }),
    output: exemptionOut,
    handler: (ctx, input) => {
      const { before, after } = endExemption(ctx.db, { exemptionId: input.exemptionId, endedOn: input.endedOn ?? today(ctx), reason: input.reason }, actorOf(ctx));
      ctx.audit({ entity: 'esenzione_recupero', entityId: input.exemptionId, action: 'esenzione chiusa', before, after });
      return listExemptions(ctx.db, { payerId: after.payerId }).find((x) => x.id === after.id)!;
    },
  }),
];
