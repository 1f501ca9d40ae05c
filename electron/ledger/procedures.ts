/**
 * The money procedures of the contract (issue 6): top-ups and payments, refunds, supervisor
 * adjustments, the pagoPA reporting import, balances and movements, reminders, the year-end
 * carry-over and the payment register. Every mutation runs in the dispatcher's transaction and is
 * audited there.
 */
import { z } from 'zod';
import { asc, eq } from 'drizzle-orm';
import { LEDGER_KINDS, PAYMENT_CHANNELS, ledgerAccounts, schoolYears } from '../../db/schema';
import { cents, id, isoDate } from '../contract/fields';
import { procedure, currentUser, type Ctx } from '../contract/procedure';
import { currentVersion, expectVersion, version } from '../contract/versions';
import { AppError } from '../contract/errors';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { auditedExport } from '../audit/reads';
import { romeDateOf } from '../calendar/rome-time';
import { PAYMENT_CHANNEL_LABEL } from '../contract/vocabulary/payment-channels';
import { listServices, pupilBalances, verifyBalances } from './entries';
import { MANUAL_CHANNELS, registerAdjustment, registerManualPayment, registerPagopaReceipt, registerRefund, reversePayment } from './payments';
import { firstMonthReminders, lowBalanceThreshold, lowBalances, movements, serviceTotals, setLowBalanceThreshold } from './balances';
import { carryOver, carryOverPreview } from './carry-over';
import { paymentRegister } from './register';
import { previewPagopaImport } from './pagopa-import';

/** A payer's codice fiscale as written on a receipt: checked by the service ('' = absent). */
const optionalTaxCode = z.string().trim().toUpperCase().max(16, { message: 'Codice fiscale troppo lungo' }).nullable().default(null);

/** The schema's channels, each with its label (a missing one does not compile). */
const CHANNEL_LABEL: Record<(typeof PAYMENT_CHANNELS)[number], string> = PAYMENT_CHANNEL_LABEL;

const actor = (ctx: Ctx) => ({ userId: currentUser(ctx).id, at: ctx.clock.now() });

const serviceCode = z.string().trim().toLowerCase().min(1, { message: 'Indicare il servizio' }).max(40);
const positiveCents = cents.min(1, { message: "L'importo deve essere maggiore di zero" }).max(10_000_000, { message: "L'importo supera il massimo ammesso (100.000 €)" });
const reason = z.string().trim().min(3, { message: 'Indicare il motivo' }).max(500);
const moment = z.string().refine((s) => !Number.isNaN(new Date(s).getTime()) && /^\d{4}-\d{2}-\d{2}T/.test(s), { message: 'Data e ora non valide (formato ISO)' });

const paymentOut = z.object({
  id: z.number(),
  channel: z.enum(PAYMENT_CHANNELS),
  pupilId: z.number(),
  service: z.string(),
  municipalityId: z.number().nullable(),
  amountCents: z.number(),
  paidAt: z.string(),
  paidOn: z.string(),
  noticeNumber: z.string().nullable(),
  iuv: z.string().nullable(),
  iur: z.string().nullable(),
  payerId: z.number().nullable(),
  payerTaxCode: z.string().nullable(),
  payerName: z.string(),
  reference: z.string(),
  source: z.string(),
});

const entryOut = z.object({
  id: z.number(),
  accountId: z.number(),
  kind: z.enum(LEDGER_KINDS),
  amountCents: z.number(),
  bookedOn: z.string(),
  settledOn: z.string().nullable(),
  channel: z.enum(PAYMENT_CHANNELS).nullable(),
  payerId: z.number().nullable(),
  paymentId: z.number().nullable(),
  mealId: z.number().nullable(),
  correctionId: z.number().nullable(),
  reversalOf: z.number().nullable(),
  counterpartId: z.number().nullable(),
  serviceDate: z.string().nullable(),
  grossCents: z.number().nullable(),
  netCents: z.number().nullable(),
  vatCents: z.number().nullable(),
  reason: z.string(),
  createdAt: z.string(),
});

const movementOut = entryOut.extend({
  service: z.string(),
  schoolYearId: z.number(),
  schoolYearLabel: z.string(),
  externalRef: z.string().nullable(),
  reasonCode: z.string().nullable(),
  sddDebitId: z.number().nullable(),
  tariffId: z.number().nullable(),
  vatRateBp: z.number().nullable(),
  noticeNumber: z.string().nullable(),
  iuv: z.string().nullable(),
  balanceAfterCents: z.number(),
});

const fileIn = {
  fileName: z.string().trim().min(1, { message: 'Nome del file mancante' }).max(255),
  contentBase64: z.string().min(1, { message: 'Il file è vuoto' }).max(20_000_000, { message: 'File troppo grande (massimo 15 MB)' }),
};

const importRow = z.object({
  line: z.number().int().min(1),
  noticeNumber: z.string(),
  iuv: z.string(),
  amountCents: positiveCents,
  paidAt: moment,
  pupilId: id,
  pupilName: z.string(),
  service: serviceCode,
  payerTaxCode: z.string().nullable(),
  payerName: z.string().max(200),
  iur: z.string().max(60).nullable(),
  creditorFiscalCode: z.string().nullable(),
  psp: z.string().max(200).nullable(),
});

const lowBalanceRow = z.object({
  pupilId: z.number(),
  pupilName: z.string(),
  userCode: z.string(),
  schoolName: z.string(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  balanceCents: z.number(),
  debt: z.boolean(),
  payerId: z.number().nullable(),
  payerName: z.string().nullable(),
  payerEmail: z.string().nullable(),
  payerMobile: z.string().nullable(),
  /** of the pupil's latest enrollment: under SDD a negative balance is the month still to be debited */
  paymentMethod: z.enum(['prepagato', 'sdd']).nullable(),
});

const registerFilter = z.object({
  from: isoDate,
  to: isoDate,
  municipalityId: id.optional(),
  channel: z.enum(PAYMENT_CHANNELS).optional(),
  service: serviceCode.optional(),
});

const registerRowOut = z.object({
  paymentId: z.number(),
  paidOn: z.string(),
  paidAt: z.string(),
  channel: z.enum(PAYMENT_CHANNELS),
  service: z.string(),
  amountCents: z.number(),
  reversedCents: z.number(),
  municipalityId: z.number().nullable(),
  municipalityName: z.string().nullable(),
  pupilId: z.number(),
  pupilName: z.string(),
  userCode: z.string(),
  payerName: z.string(),
  payerTaxCode: z.string().nullable(),
  noticeNumber: z.string().nullable(),
  iuv: z.string().nullable(),
  iur: z.string().nullable(),
  reference: z.string(),
  source: z.string(),
});


function checkPeriod(f: { from: string; to: string }) {
  if (f.to < f.from) throw new AppError('VALIDATION', 'Il periodo finisce prima di iniziare', [{ path: ['to'], message: 'Data finale precedente a quella iniziale' }]);
}

export const ledgerProcedures = [
  procedure({
    name: 'ledger.services',
    title: 'Servizi con credito separato (P7): mensa, trasporto…',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.array(z.object({ code: z.string(), name: z.string(), active: z.boolean() })),
    handler: (ctx) => listServices(ctx.db).map((s) => ({ code: s.code, name: s.name, active: s.active })),
  }),
  procedure({
    name: 'ledger.balances',
    title: "Saldo dell'alunno per servizio (P7) e per anno scolastico; un saldo negativo è un debito (P1)",
    role: 'operatore',
    kind: 'query',
    input: z.object({ pupilId: id }),
    output: z.object({
      services: z.array(z.object({ service: z.string(), serviceName: z.string(), balanceCents: z.number() })),
      accounts: z.array(z.object({ accountId: z.number(), service: z.string(), schoolYearId: z.number(), schoolYearLabel: z.string(), balanceCents: z.number() })),
      thresholdCents: z.number(),
    }),
    handler: (ctx, { pupilId }) => ({
      services: pupilBalances(ctx.db, pupilId),
      accounts: ctx.db
        .select({ accountId: ledgerAccounts.id, service: ledgerAccounts.service, schoolYearId: ledgerAccounts.schoolYearId, schoolYearLabel: schoolYears.label, balanceCents: ledgerAccounts.balanceCents })
        .from(ledgerAccounts)
        .innerJoin(schoolYears, eq(schoolYears.id, ledgerAccounts.schoolYearId))
        .where(eq(ledgerAccounts.pupilId, pupilId))
        .orderBy(asc(ledgerAccounts.service), asc(schoolYears.startsOn))
        .all(),
      thresholdCents: lowBalanceThreshold(ctx.db),
    }),
  }),
  procedure({
    name: 'ledger.movements',
    title: "Movimenti dell'alunno (tutti i servizi o uno) con saldo progressivo, saldo iniziale e finale del periodo",
    role: 'operatore',
    kind: 'query',
    input: z.object({ pupilId: id, service: serviceCode.optional(), from: isoDate.optional(), to: isoDate.optional(), schoolYearId: id.optional(), limit: z.number().int().min(1).max(5000).optional() }),
    output: z.object({ openingCents: z.number(), closingCents: z.number(), openingByService: z.array(z.object({ service: z.string(), cents: z.number() })), entries: z.array(movementOut) }),
    handler: (ctx, f) => movements(ctx.db, f),
  }),
  procedure({
    name: 'ledger.registerPagopa',
    title: 'Registra a mano una ricevuta pagoPA (numero avviso con controllo mod 93): ricarica del servizio indicato (P2, P7); lo stesso IUV non si registra due volte',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      pupilId: id,
      service: serviceCode.default('mensa'),
      noticeNumber: z.string().trim().min(1, { message: 'Indicare il numero avviso' }).max(40),
      amountCents: positiveCents,
      paidAt: moment,
      payerId: id.nullable().default(null),
      payerTaxCode: optionalTaxCode,
      payerName: z.string().trim().max(200).default(''),
      iur: z.string().trim().max(60).nullable().default(null),
      creditorFiscalCode: z.string().trim().max(11).nullable().default(null),
      psp: z.string().trim().max(200).nullable().default(null),
      note: z.string().trim().max(1000).default(''),
    }),
    output: z.object({ payment: paymentOut, entry: entryOut }),
    handler: (ctx, input) => {
      const r = registerPagopaReceipt(ctx.db, { ...input, source: 'manuale' }, actor(ctx));
      ctx.audit({ entity: 'incasso', entityId: r.payment.id, action: 'ricevuta pagoPA registrata', after: r.payment });
      return r;
    },
  }),
  procedure({
    name: 'ledger.registerPayment',
    title: 'Registra un pagamento manuale (bonifico, contanti allo sportello, POS, assegno) sul servizio indicato',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      pupilId: id,
      service: serviceCode.default('mensa'),
      channel: z.enum(MANUAL_CHANNELS, { error: 'Mezzo di pagamento non valido' }),
      amountCents: positiveCents,
      paidOn: isoDate,
      payerId: id.nullable().default(null),
      payerTaxCode: optionalTaxCode,
      payerName: z.string().trim().max(200).default(''),
      reference: z.string().trim().max(140).default(''),
      note: z.string().trim().max(1000).default(''),
    }),
    output: z.object({ payment: paymentOut, entry: entryOut }),
    handler: (ctx, input) => {
      const r = registerManualPayment(ctx.db, input, actor(ctx));
      ctx.audit({ entity: 'incasso', entityId: r.payment.id, action: `pagamento ${input.channel} registrato`, after: r.payment });
      return r;
    },
  }),
  procedure({
    name: 'ledger.refund',
    title: 'Rimborso alla famiglia del credito residuo di un servizio (al massimo il credito disponibile): supervisore',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({
      pupilId: id,
      service: serviceCode.default('mensa'),
      amountCents: positiveCents,
      channel: z.enum(['bonifico', 'contanti', 'assegno'], { error: 'Mezzo del rimborso non valido' }),
      paidOn: isoDate,
      payerId: id.nullable().default(null),
      reference: z.string().trim().max(140).default(''),
      reason,
    }),
    output: entryOut,
    handler: (ctx, input) => {
      const e = registerRefund(ctx.db, input, actor(ctx));
      ctx.audit({ entity: 'movimento', entityId: e.id, action: 'rimborso', after: e });
      return e;
    },
  }),
  procedure({
    name: 'ledger.adjust',
    title: 'Rettifica del saldo di un servizio (positiva o negativa), con motivo obbligatorio: solo supervisore',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({
      pupilId: id,
      service: serviceCode.default('mensa'),
      amountCents: cents.refine((v) => v !== 0, { message: "L'importo della rettifica deve essere diverso da zero" }),
      reason,
      schoolYearId: id.optional(),
    }),
    output: entryOut,
    handler: (ctx, input) => {
      const e = registerAdjustment(ctx.db, input, actor(ctx));
      ctx.audit({ entity: 'movimento', entityId: e.id, action: 'rettifica del saldo', after: e });
      return e;
    },
  }),
  procedure({
    name: 'ledger.reversePayment',
    title: 'Storna un incasso (pagoPA revocato, bonifico registrato due volte): un nuovo movimento opposto, con motivo; supervisore',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ paymentId: id, reason }),
    output: entryOut,
    handler: (ctx, input) => {
      const e = reversePayment(ctx.db, input, actor(ctx));
      ctx.audit({ entity: 'incasso', entityId: input.paymentId, action: 'storno incasso', after: e });
      return e;
    },
  }),
  procedure({
    name: 'ledger.pagopaImportPreview',
    title: 'Legge il foglio di rendicontazione pagoPA (.xlsx/.csv) e controlla ogni riga, senza salvare',
    role: 'operatore',
    kind: 'query',
    input: z.object(fileIn),
    output: z.object({
      fileName: z.string(),
      columns: z.array(z.string()),
      valid: z.number(),
      invalid: z.number(),
      totalCents: z.number(),
      rows: z.array(
        z.object({
          line: z.number(),
          ok: z.boolean(),
          errors: z.array(z.string()),
          noticeNumber: z.string(),
          amountText: z.string(),
          paidAtText: z.string(),
          pupilText: z.string(),
          row: importRow.nullable(),
        }),
      ),
    }),
    handler: (ctx, input) => previewPagopaImport(ctx.db, input),
  }),
  procedure({
    name: 'ledger.pagopaImportCommit',
    title: "Registra le ricevute pagoPA controllate nell'anteprima: tutte o nessuna; gli IUV già registrati sono rifiutati",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ fileName: z.string().trim().max(255).default(''), rows: z.array(importRow).min(1, { message: 'Nessuna riga da importare' }).max(20_000) }),
    output: z.object({ imported: z.number(), totalCents: z.number() }),
    handler: (ctx, input) => {
      const a = actor(ctx);
      const importRef = `${input.fileName} ${a.at.toISOString()}`;
      let totalCents = 0;
      input.rows.forEach((r, i) => {
        try {
          const { payment } = registerPagopaReceipt(
            ctx.db,
            { ...r, payerId: null, note: '', source: 'importazione', importRef },
            a,
          );
          totalCents += payment.amountCents;
        } catch (e) {
          if (e instanceof AppError) {
            throw new AppError(e.code, `Riga ${r.line}: ${e.message}`, [{ path: ['rows', i], message: e.message }]);
          }
          throw e;
        }
      });
      ctx.audit({ entity: 'incasso', action: 'importazione rendicontazione pagoPA', after: { file: input.fileName, righe: input.rows.length, totalCents } });
      return { imported: input.rows.length, totalCents };
    },
  }),
  procedure({
    name: 'ledger.lowBalances',
    title: 'Alunni con saldo sotto la soglia (impostazione) o in debito, per servizio (P1)',
    role: 'operatore',
    kind: 'query',
    input: z.object({ service: serviceCode.default('mensa'), thresholdCents: cents.optional(), municipalityId: id.optional(), schoolYearId: id.optional(), paymentMethod: z.enum(['prepagato', 'sdd']).optional(), limit: z.number().int().min(1).max(50_000).optional() }),
    output: z.object({ thresholdCents: z.number(), rows: z.array(lowBalanceRow) }),
    handler: (ctx, f) => lowBalances(ctx.db, f),
  }),
  procedure({
    name: 'ledger.firstMonthReminders',
    title: "Famiglie da sollecitare prima del primo mese (P1): iscrizioni prepagate con credito sotto un mese di pasti previsti × tariffa",
    role: 'operatore',
    kind: 'query',
    input: z.object({ schoolYearId: id, municipalityId: id.optional() }),
    output: z.array(
      z.object({
        enrollmentId: z.number(),
        pupilId: z.number(),
        pupilName: z.string(),
        userCode: z.string(),
        payerId: z.number(),
        payerName: z.string(),
        payerEmail: z.string(),
        payerMobile: z.string(),
        municipalityId: z.number(),
        municipalityName: z.string(),
        schoolName: z.string(),
        startsOn: z.string(),
        balanceCents: z.number(),
        expectedMeals: z.number(),
        priceCents: z.number(),
        requiredCents: z.number(),
        missingCents: z.number(),
      }),
    ),
    handler: (ctx, f) => firstMonthReminders(ctx.db, f),
  }),
  procedure({
    name: 'ledger.settings',
    title: 'Impostazioni del credito: soglia sotto la quale un alunno va sollecitato',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.object({ lowBalanceThresholdCents: z.number(), version: z.number() }),
    handler: (ctx) => ({ lowBalanceThresholdCents: lowBalanceThreshold(ctx.db), version: currentVersion(ctx, 'lowBalance') ?? 0 }),
  }),
  procedure({
    name: 'ledger.setLowBalanceThreshold',
    title: 'Imposta la soglia di credito sotto la quale un alunno va sollecitato (supervisore)',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ thresholdCents: cents.min(-10_000_000).max(10_000_000), version }),
    output: z.object({ lowBalanceThresholdCents: z.number(), version: z.number() }),
    handler: (ctx, { thresholdCents, version: loaded }) => {
      expectVersion(ctx, 'lowBalance', null, loaded);
      const r = setLowBalanceThreshold(ctx.db, thresholdCents);
      ctx.audit({ entity: 'impostazione', entityId: 'saldo.sogliaAvvisoCentesimi', action: 'soglia di credito', before: r.before, after: r.after });
      return { lowBalanceThresholdCents: r.after, version: currentVersion(ctx, 'lowBalance') ?? 0 };
    },
  }),
  procedure({
    name: 'ledger.carryOverPreview',
    title: "Anteprima del riporto di fine anno (P3): quanti conti, quanto credito e quanto debito passerebbero all'anno successivo",
    role: 'supervisore',
    kind: 'query',
    input: z.object({ fromSchoolYearId: id, toSchoolYearId: id }),
    output: z.object({ accounts: z.number(), creditCents: z.number(), debtCents: z.number() }),
    handler: (ctx, { fromSchoolYearId }) => carryOverPreview(ctx.sqlite, fromSchoolYearId),
  }),
  procedure({
    name: 'ledger.carryOver',
    title: "Riporto di fine anno (P3): il credito residuo (e il debito) di ogni conto passa all'anno successivo con una coppia di movimenti; idempotente",
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ fromSchoolYearId: id, toSchoolYearId: id }),
    output: z.object({ fromYear: z.string(), toYear: z.string(), accounts: z.number(), creditCents: z.number(), debtCents: z.number() }),
    handler: (ctx, input) => {
      const r = carryOver(ctx.db, ctx.sqlite, input, actor(ctx));
      ctx.audit({ entity: 'riporto', entityId: `${input.fromSchoolYearId}>${input.toSchoolYearId}`, action: 'riporto di fine anno', after: r });
      return r;
    },
  }),
  procedure({
    name: 'ledger.register',
    title: 'Registro incassi: ricariche pagoPA e pagamenti manuali di un periodo, per comune e mezzo, con i totali',
    role: 'operatore',
    kind: 'query',
    input: registerFilter,
    output: z.object({
      rows: z.array(registerRowOut),
      totals: z.array(
        z.object({ municipalityId: z.number().nullable(), municipalityName: z.string(), channel: z.enum(PAYMENT_CHANNELS), count: z.number(), amountCents: z.number(), reversedCents: z.number(), netCents: z.number() }),
      ),
      count: z.number(),
      amountCents: z.number(),
      reversedCents: z.number(),
      netCents: z.number(),
    }),
    handler: (ctx, f) => {
      checkPeriod(f);
      return paymentRegister(ctx.db, f);
    },
  }),
  procedure({
    name: 'ledger.registerExport',
    title: 'Esporta in Excel il registro incassi del periodo (importi come numeri in euro)',
    role: 'operatore',
    kind: 'query',
    input: registerFilter,
    output: exportFileOut,
    auditedRead: auditedExport('incasso', 'esportazione del registro incassi'),
    handler: (ctx, f) => {
      checkPeriod(f);
      const r = paymentRegister(ctx.db, f);
      type Row = (typeof r.rows)[number];
      return exportFile('registro-incassi', romeDateOf(ctx.clock.now()), 'Registro incassi', [
        { header: 'Data pagamento', type: 'date', value: (x: Row) => x.paidOn },
        { header: 'Comune', width: 18, value: (x: Row) => x.municipalityName ?? '' },
        { header: 'Mezzo', value: (x: Row) => CHANNEL_LABEL[x.channel] },
        { header: 'Servizio', value: (x: Row) => x.service },
        { header: 'Importo', type: 'euro', value: (x: Row) => x.amountCents },
        { header: 'Stornato', type: 'euro', value: (x: Row) => x.reversedCents || null },
        { header: 'Alunno', width: 24, value: (x: Row) => x.pupilName },
        { header: 'Codice utente', type: 'text', value: (x: Row) => x.userCode },
        { header: 'Pagante', width: 24, value: (x: Row) => x.payerName },
        { header: 'CF pagante', type: 'text', width: 18, value: (x: Row) => x.payerTaxCode },
        { header: 'Numero avviso', type: 'text', width: 20, value: (x: Row) => x.noticeNumber },
        { header: 'IUV', type: 'text', width: 20, value: (x: Row) => x.iuv },
        { header: 'IUR', type: 'text', value: (x: Row) => x.iur },
        { header: 'Riferimento', width: 20, value: (x: Row) => x.reference },
      ], r.rows);
    },
  }),
  procedure({
    name: 'ledger.totals',
    title: 'Credito e debito complessivi per servizio (cruscotto)',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.array(z.object({ service: z.string(), serviceName: z.string(), creditCents: z.number(), debtCents: z.number(), accounts: z.number() })),
    handler: (ctx) => serviceTotals(ctx.db),
  }),
  procedure({
    name: 'ledger.verify',
    title: 'Ricalcola ogni saldo dai movimenti e segnala i conti che non tornano (dovrebbero essere zero)',
    role: 'supervisore',
    kind: 'query',
    input: z.object({}),
    output: z.object({ accounts: z.number(), mismatches: z.array(z.object({ accountId: z.number(), cachedCents: z.number(), entriesCents: z.number() })) }),
    handler: (ctx) => ({
      accounts: (ctx.sqlite.prepare('SELECT count(*) AS n FROM ledger_accounts').get() as { n: number }).n,
      mismatches: verifyBalances(ctx.db),
    }),
  }),
] as const;

