/**
 * The contract's SDD mandate and creditor-settings procedures (issue 9, P5). Every mutation runs in
 * the dispatcher's transaction and is audited there; the audit writer masks IBANs (electron/audit/mask.ts).
 */
import { z } from 'zod';
import { SDD_AMENDMENT_KINDS, SDD_MANDATE_STATUSES, SDD_SEQUENCE_POLICIES } from '../../db/schema';
import { id, isoDate, lineText, listQuery, optionalText, page } from '../contract/fields';
import { actorOf, procedure, type Ctx } from '../contract/procedure';
import { currentVersion, expectVersion, version } from '../contract/versions';
import { auditedExport } from '../audit/reads';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { romeDateOf } from '../calendar/rome-time';
import { formatIban } from '../identifiers/iban';
import { getCaterer, catererAddress } from '../documents/caterer';
import { CREDITOR_DEFAULTS, creditorMissing, getCreditorSettings, saveCreditorSettings } from './creditor';
import { MANDATE_SORTS, amendMandateHolder, amendMandateIban, createMandate, getMandate, listMandates, revokeMandate } from './mandates';


const shortText = (max: number) => lineText().trim().max(max, { message: `Al massimo ${max} caratteri` });
const reason = optionalText(500).default('');

const creditorSettingsOut = z.object({
  creditorId: z.string(),
  creditorIban: z.string(),
  abi: z.string(),
  bic: z.string(),
  cuc: z.string(),
  sequencePolicy: z.enum(SDD_SEQUENCE_POLICIES),
  commissionCents: z.number().int(),
  prenotificationDays: z.number().int(),
  batchBooking: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.number().nullable(),
});

const creditorOut = z.object({
  configured: z.boolean(),
  settings: creditorSettingsOut.nullable(),
  /** the defaults a new settings form starts from */
  defaults: z.object({ sequencePolicy: z.enum(SDD_SEQUENCE_POLICIES), commissionCents: z.number(), prenotificationDays: z.number(), batchBooking: z.boolean() }),
  /** name and address come from Dati della ditta */
  caterer: z.object({ name: z.string(), address: z.string(), taxCode: z.string() }).nullable(),
  /** what still prevents a bank file, in Italian ('' lines none) */
  missing: z.array(z.string()),
  /** issue 14: the version the settings form sends back with its save (0: never saved) */
  version: z.number(),
});

function creditorView(ctx: Ctx) {
  const settings = getCreditorSettings(ctx.db);
  const c = getCaterer(ctx.db);
  const missing = creditorMissing(ctx.db);
  return {
    configured: missing.length === 0,
    settings,
    defaults: { sequencePolicy: CREDITOR_DEFAULTS.sequencePolicy, commissionCents: CREDITOR_DEFAULTS.commissionCents, prenotificationDays: CREDITOR_DEFAULTS.prenotificationDays, batchBooking: CREDITOR_DEFAULTS.batchBooking },
    caterer: c ? { name: c.companyName, address: catererAddress(c), taxCode: c.taxCode } : null,
    missing,
    version: currentVersion(ctx, 'sddCreditor') ?? 0,
  };
}

const creditorIn = z.object({
  creditorId: shortText(35).min(1, { message: "Indicare l'identificativo del creditore (IT…ZZZ…)" }),
  creditorIban: shortText(42).min(1, { message: "Indicare l'IBAN del conto di accredito" }),
  bic: shortText(14).default(''),
  cuc: shortText(12).min(1, { message: 'Indicare il codice CUC (8 caratteri, dal contratto CBI)' }),
  sequencePolicy: z.enum(SDD_SEQUENCE_POLICIES, { error: 'Tipo di sequenza non ammesso' }).default('rcur'),
  commissionCents: z.number().int({ message: 'Commissione in centesimi: un numero intero' }).default(100),
  prenotificationDays: z.number().int({ message: 'Giorni di preavviso: un numero intero' }).default(14),
  batchBooking: z.boolean().default(true),
});

const amendmentOut = z.object({
  id: z.number(),
  kind: z.enum(SDD_AMENDMENT_KINDS),
  originalIban: z.string().nullable(),
  newIban: z.string().nullable(),
  sameBank: z.boolean().nullable(),
  originalHolderName: z.string().nullable(),
  newHolderName: z.string().nullable(),
  effectiveOn: z.string(),
  reason: z.string(),
  reportedDebitId: z.number().nullable(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});

const mandateRowOut = z.object({
  id: z.number(),
  payerId: z.number(),
  payerName: z.string(),
  payerTaxCode: z.string(),
  umr: z.string(),
  iban: z.string(),
  bic: z.string(),
  holderName: z.string(),
  holderTaxCode: z.string(),
  signedOn: z.string(),
  status: z.enum(SDD_MANDATE_STATUSES),
  revokedOn: z.string().nullable(),
  revokeReason: z.string().nullable(),
  blockedReason: z.string().nullable(),
  blockedAt: z.string().nullable(),
  lastCollectionOn: z.string().nullable(),
  notes: z.string(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  amendments: z.number(),
  unreportedAmendments: z.number(),
});

const mandateOut = mandateRowOut.extend({
  history: z.array(amendmentOut),
  /** what the next collection reports (AmdmntInfDtls), null when nothing */
  pendingAmendment: z.object({ originalIban: z.string().optional(), smnda: z.boolean().optional(), originalMandateId: z.string().optional() }).nullable(),
});

const mandateFilter = z.object({
  search: listQuery.search,
  status: z.enum(SDD_MANDATE_STATUSES).optional(),
  blocked: z.boolean().optional(),
  payerId: id.optional(),
  sort: z.enum(MANDATE_SORTS).default('payer'),
  sortDir: listQuery.sortDir,
});

const STATUS_LABEL: Record<(typeof SDD_MANDATE_STATUSES)[number], string> = { attivo: 'Attivo', revocato: 'Revocato' };

export const mandateProcedures = [
  procedure({
    name: 'sdd.creditor.get',
    title: 'Impostazioni SDD del creditore (identificativo, IBAN di accredito e ABI, CUC, sequenza, commissione, preavviso) e cosa manca per i file della banca',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: creditorOut,
    handler: (ctx) => creditorView(ctx),
  }),
  procedure({
    name: 'sdd.creditor.update',
    title: "Modifica le impostazioni SDD del creditore (identificativo con cifre di controllo, IBAN con CIN, CUC, commissione P4, preavviso P8): amministratore",
    role: 'amministratore',
    kind: 'mutation',
    input: creditorIn.extend({ version }),
    output: creditorOut,
    handler: (ctx, { version: loaded, ...input }) => {
      expectVersion(ctx, 'sddCreditor', 1, loaded);
      const before = getCreditorSettings(ctx.db);
      const after = saveCreditorSettings(ctx.db, input, actorOf(ctx));
      ctx.audit({ entity: 'creditore_sdd', entityId: 1, action: before ? 'modifica' : 'creazione', before, after });
      return creditorView(ctx);
    },
  }),
  procedure({
    name: 'sdd.mandates.list',
    title: 'Elenco dei mandati SDD (filtri: stato, bloccati, ricerca per pagante, codice mandato o IBAN)',
    role: 'operatore',
    kind: 'query',
    input: mandateFilter.extend({ offset: listQuery.offset, limit: listQuery.limit }),
    output: page(mandateRowOut),
    handler: (ctx, f) => listMandates(ctx.db, f, { offset: f.offset, limit: f.limit }),
  }),
  procedure({
    name: 'sdd.mandates.export',
    title: "Esporta in Excel l'elenco dei mandati SDD filtrato",
    role: 'operatore',
    kind: 'query',
    input: mandateFilter,
    output: exportFileOut,
    auditedRead: auditedExport('mandato_sdd', 'esportazione dei mandati SDD (IBAN e codici fiscali)'),
    handler: (ctx, f) =>
      exportFile('mandati-sdd', romeDateOf(ctx.clock.now()), 'Mandati SDD', [
        { header: 'Pagante', value: (r) => r.payerName, width: 26 },
        { header: 'CF pagante', type: 'text', value: (r) => r.payerTaxCode, width: 20 },
        { header: 'Codice mandato', type: 'text', value: (r) => r.umr, width: 20 },
        { header: 'Data firma', type: 'date', value: (r) => r.signedOn },
        { header: 'IBAN', type: 'text', value: (r) => formatIban(r.iban), width: 34 },
        { header: 'BIC', type: 'text', value: (r) => r.bic },
        { header: 'Intestatario', value: (r) => r.holderName, width: 26 },
        { header: 'CF intestatario', type: 'text', value: (r) => r.holderTaxCode, width: 20 },
        { header: 'Stato', value: (r) => STATUS_LABEL[r.status] },
        { header: 'Revocato il', type: 'date', value: (r) => r.revokedOn },
        { header: 'Motivo revoca', value: (r) => r.revokeReason, width: 26 },
        { header: 'Bloccato', value: (r) => (r.blockedAt ? 'Sì' : '') },
        { header: 'Motivo blocco', value: (r) => r.blockedReason, width: 26 },
        { header: 'Modifiche', type: 'number', value: (r) => r.amendments },
        { header: 'Modifiche da comunicare', type: 'number', value: (r) => r.unreportedAmendments },
        { header: 'Ultimo incasso', type: 'date', value: (r) => r.lastCollectionOn },
        { header: 'Note', value: (r) => r.notes, width: 30 },
      ], listMandates(ctx.db, f, null).rows),
  }),
  procedure({
    name: 'sdd.mandates.get',
    title: 'Scheda di un mandato SDD con lo storico delle modifiche e la modifica da comunicare alla banca',
    role: 'operatore',
    kind: 'query',
    input: z.object({ id }),
    output: mandateOut,
    handler: (ctx, { id: mandateId }) => getMandate(ctx.db, mandateId),
  }),
  procedure({
    name: 'sdd.mandates.create',
    title: 'Registra un mandato SDD firmato (P5): un solo mandato attivo per pagante; «sostituisci» revoca il precedente',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      payerId: id,
      umr: shortText(35).default(''),
      iban: shortText(42).min(1, { message: "L'IBAN è obbligatorio" }),
      bic: shortText(14).default(''),
      holderName: shortText(70).min(1, { message: "Indicare l'intestatario del conto" }),
      holderTaxCode: shortText(16).min(1, { message: "Indicare il codice fiscale dell'intestatario del conto" }),
      signedOn: isoDate,
      notes: optionalText(1000).default(''),
      replace: z.boolean().default(false),
    }),
    output: z.object({ mandate: mandateOut, replaced: mandateOut.nullable() }),
    handler: (ctx, input) => {
      const r = createMandate(ctx.db, input, actorOf(ctx));
      if (r.replaced) ctx.audit({ entity: 'mandato_sdd', entityId: r.replaced.id, action: 'revoca (sostituito)', after: r.replaced });
      ctx.audit({ entity: 'mandato_sdd', entityId: r.mandate.id, action: 'creazione', after: r.mandate });
      return r;
    },
  }),
  procedure({
    name: 'sdd.mandates.amendIban',
    title: "Modifica l'IBAN di un mandato attivo (stesso titolare): registra l'IBAN originale da comunicare alla banca con il prossimo addebito",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      mandateId: id,
      version,
      iban: shortText(42).min(1, { message: "L'IBAN è obbligatorio" }),
      bic: shortText(14).default(''),
      effectiveOn: isoDate.optional(),
      reason,
    }),
    output: mandateOut,
    handler: (ctx, input) => {
      const before = getMandate(ctx.db, input.mandateId);
      expectVersion(ctx, 'mandate', input.mandateId, input.version);
      const after = amendMandateIban(ctx.db, input, actorOf(ctx));
      ctx.audit({ entity: 'mandato_sdd', entityId: after.id, action: 'modifica IBAN', before, after });
      return after;
    },
  }),
  procedure({
    name: 'sdd.mandates.amendHolder',
    title: "Corregge il nome dell'intestatario di un mandato attivo (stessa persona); un altro titolare richiede un nuovo mandato",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      mandateId: id,
      version,
      holderName: shortText(70).min(1, { message: "Indicare l'intestatario del conto" }),
      holderTaxCode: shortText(16).optional(),
      effectiveOn: isoDate.optional(),
      reason,
    }),
    output: mandateOut,
    handler: (ctx, input) => {
      const before = getMandate(ctx.db, input.mandateId);
      expectVersion(ctx, 'mandate', input.mandateId, input.version);
      const after = amendMandateHolder(ctx.db, input, actorOf(ctx));
      ctx.audit({ entity: 'mandato_sdd', entityId: after.id, action: 'modifica intestatario', before, after });
      return after;
    },
  }),
  procedure({
    name: 'sdd.mandates.revoke',
    title: 'Revoca un mandato SDD (data e motivo): nessun addebito successivo',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ mandateId: id, revokedOn: isoDate, reason: optionalText(500) }),
    output: mandateOut,
    handler: (ctx, input) => {
      const before = getMandate(ctx.db, input.mandateId);
      const after = revokeMandate(ctx.db, input, actorOf(ctx));
      ctx.audit({ entity: 'mandato_sdd', entityId: after.id, action: 'revoca', before, after });
      return after;
    },
  }),
];
