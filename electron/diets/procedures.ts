/**
 * The special-diet procedures of the contract (issue 10): catalogue, requests with certificates,
 * decisions (DI6: medical ones by a supervisor), opening a certificate (an audited read, F5),
 * renewals (DI1), the school lists, settings and the retention purge.
 */
import { z } from 'zod';
import {
  DIET_ATTACHMENT_KINDS,
  DIET_CATEGORIES,
  DIET_KINDS,
  DIET_MAX_ATTACHMENT_BYTES,
  DIET_MIME_TYPES,
  DIET_SOURCES,
  DIET_STATUSES,
} from '../../db/schema';
import { id, isoDate, lineText, optionalText, requiredText } from '../contract/fields';
import { currentUser, procedure, type Ctx } from '../contract/procedure';
import { notFound } from '../contract/errors';
import { currentVersion, expectVersion, version } from '../contract/versions';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { auditedExport } from '../audit/reads';
import { romeDateOf } from '../calendar/rome-time';
import {
  addAttachment,
  CATEGORY_LABELS,
  createRequest,
  decideRequest,
  getRequest,
  listDietTypes,
  listRequests,
  mayOpenAttachments,
  openAttachment,
  revokeRequest,
  saveDietType,
} from './service';
import { dietSettings, updateDietSettings } from './settings';
import { purgeAttachments, purgeCandidates, renewals, schoolDietList, yearById } from './validity';

const today = (ctx: Ctx) => romeDateOf(ctx.clock.now());

const dietTypeOut = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  category: z.enum(DIET_CATEGORIES),
  kind: z.enum(DIET_KINDS),
  freeText: z.boolean(),
  active: z.boolean(),
  sortOrder: z.number(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
});

const requestRowOut = z.object({
  id: z.number(),
  pupilId: z.number(),
  pupilName: z.string(),
  taxCode: z.string(),
  schoolYearId: z.number(),
  schoolYearLabel: z.string(),
  schoolName: z.string().nullable(),
  className: z.string().nullable(),
  category: z.enum(DIET_CATEGORIES),
  source: z.enum(DIET_SOURCES),
  receivedOn: z.string(),
  details: z.string(),
  validUntil: z.string().nullable(),
  validTo: z.string(),
  status: z.enum(DIET_STATUSES),
  handledBy: z.number().nullable(),
  handledByName: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  approvedOn: z.string().nullable(),
  reason: z.string().nullable(),
  attachments: z.number(),
  diets: z.array(z.string()),
  allergens: z.array(z.string()),
});

const attachmentOut = z.object({
  id: z.number(),
  kind: z.enum(DIET_ATTACHMENT_KINDS),
  fileName: z.string(),
  mimeType: z.enum(DIET_MIME_TYPES),
  sizeBytes: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
  purgedAt: z.string().nullable(),
});

const requestDetailOut = requestRowOut.extend({
  dietTypeIds: z.array(z.number()),
  attachments: z.array(attachmentOut),
  decidedByName: z.string().nullable(),
  /** the caller may open the attachments (F5) */
  mayOpen: z.boolean(),
});

/** base64 of at most 5 MiB (about 7 million characters) */
const MAX_BASE64 = Math.ceil(DIET_MAX_ATTACHMENT_BYTES / 3) * 4 + 16;
const attachmentIn = z.object({
  fileName: requiredText(200),
  contentBase64: z.string().min(1, { message: 'File vuoto' }).max(MAX_BASE64, { message: `File troppo grande: al massimo ${DIET_MAX_ATTACHMENT_BYTES / 1048576} MB` }),
  kind: z.enum(DIET_ATTACHMENT_KINDS, { message: 'Tipo di allegato non valido' }),
});

const settingsOut = z.object({ renewalDeadline: z.string(), retentionMonths: z.number(), newDays: z.number(), version: z.number() });

const filterIn = z.object({
  schoolYearId: id.optional(),
  status: z.enum(DIET_STATUSES).optional(),
  category: z.enum(DIET_CATEGORIES).optional(),
  schoolId: id.optional(),
  search: lineText().trim().max(100).optional(),
  pupilId: id.optional(),
});

const renewalRowOut = z.object({
  pupilId: z.number(),
  pupilName: z.string(),
  taxCode: z.string(),
  schoolName: z.string().nullable(),
  className: z.string().nullable(),
  category: z.enum(DIET_CATEGORIES),
  previousRequestId: z.number(),
  previousDiets: z.string(),
  renewalStatus: z.enum(['mancante', 'in_attesa', 'respinta', 'revocata']),
  enrolled: z.boolean(),
  payerName: z.string().nullable(),
  payerEmail: z.string().nullable(),
  payerMobile: z.string().nullable(),
});
const renewalsOut = z.object({
  schoolYearLabel: z.string(),
  previousYearLabel: z.string().nullable(),
  deadline: z.string(),
  deadlinePassed: z.boolean(),
  rows: z.array(renewalRowOut),
});

const schoolListRowOut = z.object({
  requestId: z.number(),
  pupilId: z.number(),
  pupilName: z.string(),
  schoolId: z.number(),
  schoolName: z.string(),
  className: z.string().nullable(),
  category: z.enum(DIET_CATEGORIES),
  diets: z.string(),
  allergens: z.string(),
  details: z.string(),
  approvedOn: z.string(),
  validTo: z.string(),
});

const purgeCandidateOut = z.object({
  attachmentId: z.number(),
  requestId: z.number(),
  fileName: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  schoolYearLabel: z.string(),
  keptUntil: z.string(),
});

const decisionIn = z.object({
  id,
  decision: z.enum(['approvata', 'respinta'], { message: 'Decisione non valida' }),
  reason: optionalText(500).default(''),
});

function renewalsOf(ctx: Ctx, schoolYearId: number) {
  const r = renewals(ctx.db, ctx.sqlite, schoolYearId);
  if (!r) throw notFound('Anno scolastico');
  return {
    schoolYearLabel: r.year.label,
    previousYearLabel: r.previous?.label ?? null,
    deadline: r.deadline,
    deadlinePassed: today(ctx) > r.deadline,
    rows: r.rows,
  };
}

const RENEWAL_LABELS = { mancante: 'Nessuna richiesta', in_attesa: 'Richiesta in attesa', respinta: 'Richiesta respinta', revocata: 'Revocata' } as const;

export const dietProcedures = [
  // --- catalogue ---
  procedure({
    name: 'diets.catalogue',
    title: 'Catalogo delle diete speciali: allergeni (Reg. UE 1169/2011), intolleranze, malattie metaboliche, diete etico-religiose',
    role: 'operatore',
    kind: 'query',
    input: z.object({ onlyActive: z.boolean().default(false) }),
    output: z.array(dietTypeOut),
    handler: (ctx, input) => listDietTypes(ctx.db, input.onlyActive),
  }),
  procedure({
    name: 'diets.catalogueSave',
    title: 'Aggiunge o modifica una voce del catalogo delle diete (amministratore)',
    role: 'amministratore',
    kind: 'mutation',
    input: z
      .object({
        id: id.optional(),
        /** issue 14: required with `id` (an edit) */
        version: version.optional(),
        name: requiredText(120),
        category: z.enum(DIET_CATEGORIES, { message: 'Categoria non valida' }),
        kind: z.enum(DIET_KINDS, { message: 'Tipo non valido' }),
        freeText: z.boolean().default(false),
        active: z.boolean().default(true),
      })
      .refine((t) => t.id === undefined || t.version !== undefined, { path: ['version'], message: 'Versione del dato mancante: ricaricare la scheda prima di salvare' }),
    output: dietTypeOut,
    handler: (ctx, input) => {
      if (input.id !== undefined) expectVersion(ctx, 'dietType', input.id, input.version!);
      const r = saveDietType(ctx.db, input, ctx.clock.now());
      ctx.audit({ entity: 'tipo_dieta', entityId: r.after.id, action: r.before ? 'modifica' : 'crea', before: r.before, after: r.after });
      return r.after;
    },
  }),

  // --- settings ---
  procedure({
    name: 'diets.settings',
    title: 'Impostazioni delle diete: scadenza del rinnovo, conservazione dei certificati, giorni di «nuova» in cucina',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: settingsOut,
    handler: (ctx) => ({ ...dietSettings(ctx.db), version: currentVersion(ctx, 'dietSettings') ?? 0 }),
  }),
  procedure({
    name: 'diets.updateSettings',
    title: 'Modifica le impostazioni delle diete (supervisore)',
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({
      renewalDeadline: z.string().regex(/^\d{2}-\d{2}$/, { message: 'Scadenza non valida (MM-GG)' }),
      retentionMonths: z.number().int({ message: 'Numero intero di mesi' }).min(1, { message: 'Almeno 1 mese' }).max(120, { message: 'Al massimo 120 mesi' }),
      newDays: z.number().int({ message: 'Numero intero di giorni' }).min(0, { message: 'Non negativo' }).max(30, { message: 'Al massimo 30 giorni' }),
      version,
    }),
    output: settingsOut,
    handler: (ctx, { version: loaded, ...input }) => {
      expectVersion(ctx, 'dietSettings', null, loaded);
      const r = updateDietSettings(ctx.db, input);
      ctx.audit({ entity: 'impostazioni', entityId: 'diete', action: 'modifica', before: r.before, after: r.after });
      return { ...r.after, version: currentVersion(ctx, 'dietSettings') ?? 0 };
    },
  }),

  // --- requests ---
  procedure({
    name: 'diets.list',
    title: 'Richieste di dieta speciale, con filtri per anno, stato, tipo, scuola e alunno',
    role: 'operatore',
    kind: 'query',
    input: filterIn,
    output: z.array(requestRowOut),
    handler: (ctx, input) => listRequests(ctx.db, input),
  }),
  procedure({
    name: 'diets.get',
    title: 'Una richiesta di dieta con le diete scelte e gli allegati (senza il loro contenuto)',
    role: 'operatore',
    kind: 'query',
    input: z.object({ id }),
    output: requestDetailOut,
    handler: (ctx, input) => {
      const r = getRequest(ctx.db, input.id);
      return { ...r, mayOpen: mayOpenAttachments(currentUser(ctx), r.handledBy) };
    },
  }),
  procedure({
    name: 'diets.create',
    title: "Registra una richiesta di dieta speciale per alunno e anno scolastico (DI1), dall'iscrizione, dal portale o per e-mail (DI4, DI5); una dieta medica richiede il certificato (DI2)",
    role: 'operatore',
    kind: 'mutation',
    maxInputBytes: 6 * MAX_BASE64 + 64 * 1024,
    input: z.object({
      pupilId: id,
      schoolYearId: id,
      category: z.enum(DIET_CATEGORIES, { message: 'Scegliere se la dieta è medica o etico-religiosa' }),
      dietTypeIds: z.array(id).max(30),
      source: z.enum(DIET_SOURCES, { message: "Provenienza non valida: iscrizione, portale o e-mail all'ufficio (le richieste cartacee consegnate a scuola non valgono)" }),
      receivedOn: isoDate,
      details: optionalText(1000).default(''),
      validUntil: isoDate.nullable().default(null),
      attachments: z.array(attachmentIn).max(5, { message: 'Al massimo 5 allegati' }).default([]),
    }),
    output: z.object({ id: z.number(), status: z.enum(DIET_STATUSES), attachments: z.array(z.object({ id: z.number(), sha256: z.string(), mimeType: z.enum(DIET_MIME_TYPES), sizeBytes: z.number() })) }),
    handler: (ctx, input) => {
      const r = createRequest(ctx.db, input, currentUser(ctx), ctx.clock.now());
      // the record names the files and their hashes, never their content (health data)
      ctx.audit({
        entity: 'richiesta_dieta',
        entityId: r.request.id,
        action: 'crea',
        after: { ...r.request, dietTypeIds: r.dietTypeIds, allegati: r.attachments.map((a) => ({ id: a.id, file: a.fileName, tipo: a.mimeType, byte: a.sizeBytes, sha256: a.sha256 })) },
      });
      return { id: r.request.id, status: r.request.status, attachments: r.attachments };
    },
  }),
  procedure({
    name: 'diets.addAttachment',
    title: 'Aggiunge un allegato (certificato o autodichiarazione) a una richiesta in attesa; non ne sostituisce nessuno',
    role: 'operatore',
    kind: 'mutation',
    maxInputBytes: MAX_BASE64 + 64 * 1024,
    input: attachmentIn.extend({ requestId: id }),
    output: z.object({ id: z.number(), sha256: z.string(), mimeType: z.enum(DIET_MIME_TYPES), sizeBytes: z.number() }),
    handler: (ctx, input) => {
      const a = addAttachment(ctx.db, input.requestId, input, currentUser(ctx), ctx.clock.now());
      ctx.audit({ entity: 'richiesta_dieta', entityId: input.requestId, action: 'aggiunge allegato', after: { id: a.id, file: a.fileName, tipo: a.mimeType, byte: a.sizeBytes, sha256: a.sha256 } });
      return a;
    },
  }),
  procedure({
    name: 'diets.attachment',
    title: "Apre un allegato di una richiesta di dieta: solo supervisori e l'operatore che gestisce la richiesta (F5); ogni apertura è registrata",
    role: 'operatore',
    kind: 'query',
    input: z.object({ id }),
    output: z.object({
      id: z.number(),
      requestId: z.number(),
      pupilId: z.number(),
      fileName: z.string(),
      mimeType: z.enum(DIET_MIME_TYPES),
      sha256: z.string(),
      contentBase64: z.string(),
    }),
    auditedRead: {
      entity: 'allegato_dieta',
      action: 'apertura certificato',
      failures: true,
      entityId: (input) => input.id,
      details: (input, output) => (output ? { allegato: input.id, richiesta: output.requestId, file: output.fileName, sha256: output.sha256 } : { allegato: input.id }),
    },
    handler: (ctx, input) => openAttachment(ctx.db, input.id, currentUser(ctx)),
  }),
  procedure({
    name: 'diets.decide',
    title: 'Approva o respinge (con motivo) una dieta etico-religiosa (DI3); le diete mediche le decide un supervisore (DI6)',
    role: 'operatore',
    kind: 'mutation',
    input: decisionIn,
    output: requestRowOut,
    handler: (ctx, input) => {
      const r = decideRequest(ctx.db, input, currentUser(ctx), ctx.clock.now(), false);
      ctx.audit({ entity: 'richiesta_dieta', entityId: input.id, action: input.decision === 'approvata' ? 'approva' : 'respinge', before: r.before, after: { ...r.after, sostituite: r.superseded } });
      return listRequests(ctx.db, { id: input.id })[0];
    },
  }),
  procedure({
    name: 'diets.decideMedical',
    title: 'Approva o respinge (con motivo) una dieta medica dopo aver visto il certificato (DI6, supervisore)',
    role: 'supervisore',
    kind: 'mutation',
    input: decisionIn.extend({ validUntil: isoDate.nullable().optional() }),
    output: requestRowOut,
    handler: (ctx, input) => {
      const r = decideRequest(ctx.db, input, currentUser(ctx), ctx.clock.now(), true);
      ctx.audit({ entity: 'richiesta_dieta', entityId: input.id, action: input.decision === 'approvata' ? 'approva dieta medica' : 'respinge dieta medica', before: r.before, after: { ...r.after, sostituite: r.superseded } });
      return listRequests(ctx.db, { id: input.id })[0];
    },
  }),
  procedure({
    name: 'diets.revoke',
    title: 'Revoca una dieta approvata su richiesta della famiglia, con motivo: esce dal riepilogo della cucina',
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ id, reason: requiredText(500) }),
    output: requestRowOut,
    handler: (ctx, input) => {
      const r = revokeRequest(ctx.db, input.id, input.reason, currentUser(ctx), ctx.clock.now());
      ctx.audit({ entity: 'richiesta_dieta', entityId: input.id, action: 'revoca', before: r.before, after: r.after });
      return listRequests(ctx.db, { id: input.id })[0];
    },
  }),

  // --- renewals (DI1) ---
  procedure({
    name: 'diets.renewals',
    title: "Diete dell'anno precedente da rinnovare (DI1): famiglie da avvisare prima della scadenza del rinnovo",
    role: 'operatore',
    kind: 'query',
    input: z.object({ schoolYearId: id }),
    output: renewalsOut,
    handler: (ctx, input) => renewalsOf(ctx, input.schoolYearId),
  }),
  procedure({
    name: 'diets.renewalsExport',
    title: 'Esporta in Excel le famiglie da avvisare per il rinnovo delle diete',
    role: 'operatore',
    kind: 'query',
    input: z.object({ schoolYearId: id }),
    output: exportFileOut,
    auditedRead: auditedExport('richiesta_dieta', 'esportazione rinnovi delle diete'),
    handler: (ctx, input) => {
      const r = renewalsOf(ctx, input.schoolYearId);
      return exportFile('diete-da-rinnovare', today(ctx), 'Diete da rinnovare', [
        { header: 'Alunno', width: 28, value: (x) => x.pupilName },
        { header: 'Codice fiscale', type: 'text', width: 18, value: (x) => x.taxCode },
        { header: 'Scuola', width: 28, value: (x) => x.schoolName },
        { header: 'Classe', value: (x) => x.className },
        { header: 'Tipo', width: 16, value: (x) => CATEGORY_LABELS[x.category] },
        { header: `Dieta ${r.previousYearLabel ?? ''}`.trim(), width: 36, value: (x) => x.previousDiets },
        { header: `Stato ${r.schoolYearLabel}`, width: 22, value: (x) => RENEWAL_LABELS[x.renewalStatus] },
        { header: 'Iscritto', value: (x) => (x.enrolled ? 'sì' : 'no') },
        { header: 'Pagante', width: 24, value: (x) => x.payerName },
        { header: 'E-mail', width: 28, value: (x) => x.payerEmail },
        { header: 'Cellulare', type: 'text', width: 16, value: (x) => x.payerMobile },
        { header: 'Scadenza rinnovo', type: 'date', value: () => r.deadline },
      ], r.rows);
    },
  }),

  // --- the kitchen's list of the year ---
  procedure({
    name: 'diets.schoolList',
    title: "Elenco delle diete approvate dell'anno scolastico per scuola e classe (da stampare per la cucina)",
    role: 'operatore',
    kind: 'query',
    input: z.object({ schoolYearId: id, schoolId: id.optional() }),
    output: z.array(schoolListRowOut),
    handler: (ctx, input) => {
      if (!yearById(ctx.sqlite, input.schoolYearId)) throw notFound('Anno scolastico');
      return schoolDietList(ctx.sqlite, input.schoolYearId, input.schoolId);
    },
  }),
  procedure({
    name: 'diets.schoolListExport',
    title: "Esporta in Excel l'elenco delle diete dell'anno per scuola e classe",
    role: 'operatore',
    kind: 'query',
    input: z.object({ schoolYearId: id, schoolId: id.optional() }),
    output: exportFileOut,
    auditedRead: auditedExport('richiesta_dieta', 'esportazione elenco diete per scuola'),
    handler: (ctx, input) => {
      const year = yearById(ctx.sqlite, input.schoolYearId);
      if (!year) throw notFound('Anno scolastico');
      const rows = schoolDietList(ctx.sqlite, input.schoolYearId, input.schoolId);
      return exportFile(`diete-${year.label.replace('/', '-')}`, today(ctx), 'Diete speciali', [
        { header: 'Scuola', width: 28, value: (x) => x.schoolName },
        { header: 'Classe', value: (x) => x.className },
        { header: 'Alunno', width: 28, value: (x) => x.pupilName },
        { header: 'Tipo', width: 16, value: (x) => CATEGORY_LABELS[x.category] },
        { header: 'Dieta', width: 36, value: (x) => x.diets },
        { header: 'Allergeni', width: 30, value: (x) => x.allergens },
        { header: 'Note', width: 36, value: (x) => x.details },
        { header: 'Approvata il', type: 'date', value: (x) => x.approvedOn },
        { header: 'Valida fino al', type: 'date', value: (x) => x.validTo },
      ], rows);
    },
  }),

  // --- retention (F5) ---
  procedure({
    name: 'diets.purgePreview',
    title: 'Allegati oltre il periodo di conservazione, di cui si può eliminare il contenuto (supervisore)',
    role: 'supervisore',
    kind: 'query',
    input: z.object({}),
    output: z.array(purgeCandidateOut),
    handler: (ctx) => purgeCandidates(ctx.db, today(ctx)),
  }),
  procedure({
    name: 'diets.purge',
    title: "Elimina il contenuto degli allegati oltre il periodo di conservazione; resta traccia dell'allegato, di chi l'ha eliminato e quando (supervisore)",
    role: 'supervisore',
    kind: 'mutation',
    input: z.object({}),
    output: z.object({ purged: z.number() }),
    handler: (ctx) => {
      const list = purgeAttachments(ctx.db, today(ctx), ctx.clock.now(), currentUser(ctx).id > 0 ? currentUser(ctx).id : null);
      for (const c of list) {
        ctx.audit({ entity: 'allegato_dieta', entityId: c.attachmentId, action: 'eliminazione contenuto per fine conservazione', before: c, after: { contenuto: null } });
      }
      if (!list.length) ctx.audit({ entity: 'allegato_dieta', action: 'eliminazione contenuto per fine conservazione', after: { eliminati: 0 } });
      return { purged: list.length };
    },
  }),
];

