/**
 * The SDD batch procedures of the contract (issue 9): prepare, check, approve, export, send,
 * collect, cancel; the bank's returns; the P6 exceptions. Mandates and creditor settings are in
 * mandate-procedures.ts. Every mutation runs in the dispatcher's transaction and is audited there;
 * every file that leaves the app is an audited read.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { SDD_BATCH_STATUSES, SDD_FINDING_KINDS, SDD_FOLLOW_UPS, SDD_RETURN_TYPES } from '../../db/schema';
import { id, isoDate } from '../contract/fields';
import { procedure, currentUser, type Ctx } from '../contract/procedure';
import { invalidField } from '../contract/errors';
import { auditedDocument, auditedExport } from '../audit/reads';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { romeDateOf } from '../calendar/rome-time';
import { isMonth, monthLabel } from '../contract/vocabulary/months';
import {
  acknowledgeFindings,
  approveBatch,
  batchDebits,
  cancelBatch,
  getBatch,
  listBatches,
  markSent,
  prenotifications,
  prepareBatch,
  recordCollection,
} from './batches';
import { defaultDueDate, presentationWindow } from './target-days';
import { batchFileOf, batchWorkbookRows } from './batch-files';
import { buildCbiXml } from './xml/cbi';
import { buildPain008Xml } from './xml/pain008';
import { validateSddXml } from './xml/xsd';
import { buildBatchWorkbook } from './batch-workbook';
import { parseReturnsFile } from './returns-file';
import { checkReturns, endPagopaException, grantPagopaException, listPagopaExceptions, listReturns, recordReturns } from './returns';

const actor = (ctx: Ctx) => ({ userId: currentUser(ctx).id, at: ctx.clock.now() });
const month = z.string().trim().refine(isMonth, { message: 'Mese non valido (formato AAAA-MM)' });
const serviceCode = z.string().trim().toLowerCase().min(1).max(40).default('mensa');
const reason = z.string().trim().min(3, { message: 'Indicare il motivo (almeno 3 caratteri)' }).max(500);

const batchOut = z.object({
  id: z.number(),
  service: z.string(),
  month: z.string(),
  dueDate: z.string(),
  status: z.enum(SDD_BATCH_STATUSES),
  msgId: z.string().nullable(),
  debitCount: z.number(),
  totalCents: z.number(),
  excludedCount: z.number(),
  preparedAt: z.string(),
  approvedAt: z.string().nullable(),
  prenotifiedOn: z.string().nullable(),
  firstExportedAt: z.string().nullable(),
  collectedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

const findingOut = z.object({
  id: z.number(),
  pupilId: z.number(),
  kind: z.enum(SDD_FINDING_KINDS),
  message: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgeReason: z.string().nullable(),
});

const debitOut = z.object({
  id: z.number(),
  pupilId: z.number(),
  pupilName: z.string(),
  pupilCode: z.string(),
  payerId: z.number(),
  payerName: z.string(),
  holderName: z.string().nullable(),
  iban: z.string().nullable(),
  umr: z.string().nullable(),
  mandateSignedOn: z.string().nullable(),
  sequenceType: z.string().nullable(),
  amendment: z.boolean(),
  mealCount: z.number(),
  mealsCents: z.number(),
  commissionCents: z.number(),
  amountCents: z.number(),
  included: z.boolean(),
  exclusionReason: z.string().nullable(),
  endToEndId: z.string(),
  returnCode: z.string().nullable(),
});

export const SDD_FILE_FORMATS = ['cbi', 'cbi-busta', 'pain.008', 'excel'] as const;

const fileOut = z.object({ fileName: z.string(), contentBase64: z.string(), mimeType: z.string(), count: z.number() });

const returnLine = z.object({
  endToEndId: z.string().trim().min(1).max(35),
  reasonCode: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{4}$/, { message: 'Codice motivo di 4 caratteri' }),
  amountCents: z.number().int().min(1).max(100_000_000).nullable(),
  returnedOn: isoDate.nullable(),
  originalMessageId: z.string().trim().max(35).nullable(),
});

const returnCheckOut = z.object({
  line: z.number(),
  endToEndId: z.string(),
  reasonCode: z.string(),
  reasonText: z.string(),
  followUp: z.enum(SDD_FOLLOW_UPS).nullable(),
  amountCents: z.number().nullable(),
  returnedOn: z.string().nullable(),
  outcome: z.enum(['nuovo', 'gia_registrato', 'errore']),
  message: z.string(),
  debitId: z.number().nullable(),
  pupilName: z.string().nullable(),
  payerName: z.string().nullable(),
  batchId: z.number().nullable(),
});

const fileIn = {
  fileName: z.string().trim().min(1, { message: 'Nome del file mancante' }).max(255),
  contentBase64: z.string().min(1, { message: 'Il file è vuoto' }).max(30_000_000, { message: 'File troppo grande (massimo 20 MB)' }),
};

export const sddBatchProcedures = [
  procedure({
    name: 'sdd.batches.list',
    title: 'Elenco delle distinte SDD, le più recenti prima',
    role: 'operatore',
    kind: 'query',
    input: z.object({ service: z.string().trim().max(40).optional(), status: z.enum(SDD_BATCH_STATUSES).optional(), year: z.number().int().min(2000).max(2100).optional() }),
    output: z.array(batchOut),
    handler: (ctx, f) => listBatches(ctx.db, f),
  }),
  procedure({
    name: 'sdd.batches.defaultDueDate',
    title: 'Scadenza proposta per la distinta di un mese (P4: ultimo giorno TARGET del mese successivo) e finestra di presentazione',
    role: 'operatore',
    kind: 'query',
    input: z.object({ month }),
    output: z.object({ dueDate: z.string(), earliest: z.string(), latest: z.string(), monthLabel: z.string() }),
    handler: (_ctx, { month }) => {
      const dueDate = defaultDueDate(month);
      return { dueDate, ...presentationWindow(dueDate), monthLabel: monthLabel(month) };
    },
  }),
  procedure({
    name: 'sdd.batches.get',
    title: 'Una distinta SDD con i suoi controlli',
    role: 'operatore',
    kind: 'query',
    input: z.object({ batchId: id }),
    output: z.object({
      batch: batchOut,
      findings: z.array(findingOut),
      /** families (payers) debited by the included debits */
      payerCount: z.number(),
      preparedBy: z.string().nullable(),
      approvedBy: z.string().nullable(),
      returnedCount: z.number(),
      returnedCents: z.number(),
      presentation: z.object({ earliest: z.string(), latest: z.string() }),
    }),
    handler: (ctx, { batchId }) => getBatch(ctx.db, batchId),
  }),
  procedure({
    name: 'sdd.batches.debits',
    title: 'Gli addebiti di una distinta (inclusi, esclusi o tutti), con ricerca, a pagine',
    role: 'operatore',
    kind: 'query',
    input: z.object({
      batchId: id,
      included: z.boolean().nullable().default(null),
      search: z.string().trim().max(100).default(''),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ total: z.number(), rows: z.array(debitOut) }),
    handler: (ctx, q) => batchDebits(ctx.db, q),
  }),
  procedure({
    name: 'sdd.batches.prepare',
    title: 'Prepara (o prepara di nuovo) la bozza della distinta SDD di un mese: addebiti, esclusi con il motivo, controlli',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ service: serviceCode, month, dueDate: isoDate.nullable().default(null) }),
    output: batchOut,
    handler: (ctx, input) => {
      const b = prepareBatch(ctx.db, input, actor(ctx));
      ctx.audit({ entity: 'distinta_sdd', entityId: b.id, action: 'preparazione', after: { mese: b.month, scadenza: b.dueDate, addebiti: b.debitCount, totaleCents: b.totalCents, esclusi: b.excludedCount } });
      return b;
    },
  }),
  procedure({
    name: 'sdd.batches.acknowledge',
    title: 'Presa visione di uno o più controlli della bozza, con il motivo',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ findingIds: z.array(id).min(1, { message: 'Scegliere almeno un controllo' }).max(5000), reason }),
    output: z.object({ acknowledged: z.number() }),
    handler: (ctx, input) => {
      const n = acknowledgeFindings(ctx.db, input, actor(ctx));
      ctx.audit({ entity: 'distinta_sdd', action: 'presa visione dei controlli', after: { controlli: input.findingIds, motivo: input.reason } });
      return { acknowledged: n };
    },
  }),
  procedure({
    name: 'sdd.batches.approve',
    title: 'Approva la distinta: la blocca, fissa il MsgId, preavvisa le famiglie (P8) e impedisce un secondo addebito dello stesso mese',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ batchId: id }),
    output: batchOut,
    handler: (ctx, { batchId }) => {
      const b = approveBatch(ctx.db, batchId, actor(ctx));
      ctx.audit({ entity: 'distinta_sdd', entityId: b.id, action: 'approvazione', after: { mese: b.month, scadenza: b.dueDate, msgId: b.msgId, addebiti: b.debitCount, totaleCents: b.totalCents } });
      return b;
    },
  }),
  procedure({
    name: 'sdd.batches.file',
    title: 'Il file della distinta: XML CBI (con o senza busta), XML pain.008 o Excel per l\'ufficio banca; gli XML sono validati sugli schemi prima di uscire',
    role: 'operatore',
    kind: 'query',
    input: z.object({ batchId: id, format: z.enum(SDD_FILE_FORMATS, { error: 'Formato non valido' }) }),
    output: fileOut,
    auditedRead: auditedDocument('distinta_sdd', 'file della distinta SDD'),
    handler: async (ctx, { batchId, format }) => {
      if (format === 'excel') {
        const { batch, included, excluded } = batchWorkbookRows(ctx.db, batchId);
        const bytes = await buildBatchWorkbook({ batch, included, excluded });
        const draft = batch.status === 'bozza' ? '-BOZZA' : '';
        return {
          fileName: `distinta-sdd-${batch.month}-n${batch.id}${draft}.xlsx`,
          contentBase64: Buffer.from(bytes).toString('base64'),
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          count: included.length,
        };
      }
      const file = batchFileOf(ctx.db, batchId, ctx.clock.now());
      const xml = format === 'pain.008' ? buildPain008Xml(file) : buildCbiXml(file, { envelope: format === 'cbi-busta' });
      await validateSddXml(xml, format === 'pain.008' ? 'pain.008' : format === 'cbi-busta' ? 'cbi-busta' : 'cbi');
      const count = file.blocks.reduce((n, b) => n + b.transactions.length, 0);
      const suffix = format === 'pain.008' ? 'pain008' : format === 'cbi-busta' ? 'cbi-busta' : 'cbi';
      return { fileName: `${file.messageId}-${suffix}.xml`, contentBase64: Buffer.from(xml, 'utf8').toString('base64'), mimeType: 'application/xml', count };
    },
  }),
  procedure({
    name: 'sdd.batches.prenotifications',
    title: 'P8: il preavviso di ogni addebito (importo, scadenza, riferimento del mandato, identificativo del creditore), in Excel per le comunicazioni alle famiglie',
    role: 'operatore',
    kind: 'query',
    input: z.object({ batchId: id }),
    output: exportFileOut,
    auditedRead: auditedExport('distinta_sdd', 'preavvisi della distinta SDD'),
    handler: (ctx, { batchId }) => {
      const { batch, rows } = prenotifications(ctx.db, batchId);
      type Row = (typeof rows)[number];
      return exportFile(`preavvisi-sdd-${batch.month}-n${batch.id}`, romeDateOf(ctx.clock.now()), 'Preavvisi SDD', [
        { header: 'Pagante', width: 26, value: (r: Row) => r.payerName },
        { header: 'E-mail', width: 28, value: (r: Row) => r.email },
        { header: 'Cellulare', type: 'text', width: 16, value: (r: Row) => r.mobile },
        { header: 'Alunno', width: 26, value: (r: Row) => r.pupilName },
        { header: 'Importo', type: 'euro', value: (r: Row) => r.amountCents },
        { header: 'Scadenza', type: 'date', value: (r: Row) => r.dueDate },
        { header: 'Riferimento mandato', type: 'text', width: 24, value: (r: Row) => r.umr },
        { header: 'Identificativo creditore', type: 'text', width: 26, value: (r: Row) => r.creditorId },
        { header: 'Identificativo addebito', type: 'text', width: 30, value: (r: Row) => r.endToEndId },
      ], rows);
    },
  }),
  procedure({
    name: 'sdd.batches.markSent',
    title: 'Segna la distinta come inviata alla banca',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ batchId: id }),
    output: batchOut,
    handler: (ctx, { batchId }) => {
      const b = markSent(ctx.db, batchId, actor(ctx));
      ctx.audit({ entity: 'distinta_sdd', entityId: b.id, action: 'invio alla banca', after: { msgId: b.msgId } });
      return b;
    },
  }),
  procedure({
    name: 'sdd.batches.collect',
    title: "Registra l'incasso della distinta alla scadenza: commissione (P4) e incasso di ogni addebito non respinto",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ batchId: id }),
    output: z.object({ collected: z.number(), totalCents: z.number() }),
    handler: (ctx, { batchId }) => {
      const r = recordCollection(ctx.db, batchId, actor(ctx));
      ctx.audit({ entity: 'distinta_sdd', entityId: batchId, action: 'registrazione incasso', after: r });
      return r;
    },
  }),
  procedure({
    name: 'sdd.batches.cancel',
    title: 'Annulla una distinta approvata e non ancora incassata (supervisore, con motivo); una bozza si scarta',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ batchId: id, reason }),
    output: batchOut,
    handler: (ctx, { batchId, reason }) => {
      const b = cancelBatch(ctx.db, batchId, reason, actor(ctx));
      ctx.audit({ entity: 'distinta_sdd', entityId: batchId, action: b.status === 'bozza' ? 'bozza scartata' : 'annullamento', after: { motivo: reason } });
      return b;
    },
  }),
  procedure({
    name: 'sdd.returns.preview',
    title: "Legge l'esito della banca (XML CBI o pain.002, oppure Excel degli insoluti) e controlla ogni riga, senza salvare",
    role: 'operatore',
    kind: 'query',
    input: z.object(fileIn),
    output: z.object({ fileName: z.string(), sha256: z.string(), format: z.string(), lines: z.array(returnLine), checks: z.array(returnCheckOut) }),
    handler: async (ctx, input) => {
      const bytes = Buffer.from(input.contentBase64, 'base64');
      const parsed = await parseReturnsFile(bytes, input.fileName);
      if (parsed.lines.length === 0) throw invalidField('contentBase64', 'Il file non contiene addebiti respinti o stornati');
      const lines = parsed.lines.map((l) => ({ ...l, originalMessageId: l.originalMessageId ?? null }));
      return { fileName: input.fileName, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), format: parsed.format, lines, checks: checkReturns(ctx.db, lines) };
    },
  }),
  procedure({
    name: 'sdd.returns.commit',
    title: 'Registra gli insoluti controllati: storna gli incassi, segna le famiglie da seguire; le righe già registrate non cambiano nulla',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ fileName: z.string().trim().max(255), sha256: z.string().regex(/^[0-9a-f]{64}$/), lines: z.array(returnLine).min(1, { message: 'Nessuna riga da registrare' }).max(50_000) }),
    output: z.object({ recorded: z.number(), skipped: z.number(), totalCents: z.number() }),
    handler: (ctx, input) => {
      const r = recordReturns(ctx.db, { lines: input.lines, source: `${input.fileName} sha256:${input.sha256}` }, actor(ctx));
      ctx.audit({ entity: 'insoluto_sdd', action: 'importazione esiti della banca', after: { file: input.fileName, sha256: input.sha256, ...r } });
      return r;
    },
  }),
  procedure({
    name: 'sdd.returns.list',
    title: 'Addebiti insoluti, i più recenti prima, per il seguito (da incassare, mandato da correggere, dati da correggere)',
    role: 'operatore',
    kind: 'query',
    input: z.object({ followUp: z.enum(SDD_FOLLOW_UPS).nullable().default(null), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({
      total: z.number(),
      rows: z.array(
        z.object({
          id: z.number(),
          debitId: z.number(),
          batchId: z.number(),
          month: z.string(),
          endToEndId: z.string(),
          reasonCode: z.string(),
          reasonText: z.string(),
          returnType: z.enum(SDD_RETURN_TYPES),
          followUp: z.enum(SDD_FOLLOW_UPS),
          amountCents: z.number(),
          returnedOn: z.string(),
          reversed: z.boolean(),
          pupilId: z.number(),
          pupilName: z.string(),
          payerId: z.number(),
          payerName: z.string(),
          pagopaException: z.boolean(),
          pagopaExceptionId: z.number().nullable(),
        }),
      ),
    }),
    handler: (ctx, q) => listReturns(ctx.db, q),
  }),
  procedure({
    name: 'sdd.exceptions.list',
    title: 'Paganti autorizzati a pagare con avviso pagoPA invece che con SDD (P6)',
    role: 'operatore',
    kind: 'query',
    input: z.object({ openOnly: z.boolean().default(true) }),
    output: z.array(
      z.object({ id: z.number(), payerId: z.number(), payerName: z.string(), payerTaxCode: z.string(), ground: z.enum(['senza_conto', 'insoluti']), reason: z.string(), grantedOn: z.string(), endedOn: z.string().nullable() }),
    ),
    handler: (ctx, q) => listPagopaExceptions(ctx.db, q),
  }),
  procedure({
    name: 'sdd.exceptions.grant',
    title: 'P6: concede a un pagante senza conto o con insoluti di pagare con avviso pagoPA invece che con SDD (supervisore)',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ payerId: id, ground: z.enum(['senza_conto', 'insoluti'], { error: 'Motivo non valido' }), reason }),
    output: z.object({ id: z.number() }),
    handler: (ctx, input) => {
      const x = grantPagopaException(ctx.db, input, actor(ctx));
      ctx.audit({ entity: 'eccezione_pagopa', entityId: x.id, action: 'concessione', after: input });
      return { id: x.id };
    },
  }),
  procedure({
    name: 'sdd.exceptions.end',
    title: "Chiude un'eccezione pagoPA: il pagante torna all'addebito SDD (supervisore)",
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({ exceptionId: id }),
    output: z.object({ id: z.number() }),
    handler: (ctx, { exceptionId }) => {
      const x = endPagopaException(ctx.db, exceptionId, actor(ctx));
      ctx.audit({ entity: 'eccezione_pagopa', entityId: x.id, action: 'chiusura', after: { endedOn: x.endedOn } });
      return { id: x.id };
    },
  }),
] as const;
