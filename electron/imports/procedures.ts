import { z } from 'zod';
import { AppError, invalidField } from '../contract/errors';
import { id } from '../contract/fields';
import { procedure, currentUser, auditUserId } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { exportFileOut } from '../exports/xlsx';
import { checkSheet, dbFingerprint, idRanges, planOf, settleValidRows, writeImport, type ImportPlan, type ValidRows } from './commit';
import { layoutFingerprint, saveLayout } from './layouts';
import { previewStoreFor, startPreview } from './previews';
import { rejectedFileName, rejectedWorkbook } from './rejected';
import type { RowError } from './row-checks';
import { GROUP_LABELS, IMPORT_TARGETS } from './targets';
import { importTemplate } from './template';
import { importAnswers, importMapping, importSummary } from './preview-result';

/** base64 of the file; 70 MB of text is about a 50 MB spreadsheet, far above 50,000 rows. */
const contentBase64 = z
  .string()
  .min(1, { message: 'Il file è vuoto' })
  .max(70_000_000, { message: 'File troppo grande' })
  .refine((s) => /^[A-Za-z0-9+/=\r\n]*$/.test(s.slice(0, 10_000)) && /^[A-Za-z0-9+/=\r\n]*$/.test(s.slice(-10_000)), {
    message: 'Contenuto del file non valido (atteso base64)',
  });

export { importAnswers, importMapping, importPreviewResult, importSummary, type ImportPreviewResult } from './preview-result';

export const importProcedures = [
  procedure({
    name: 'imports.targets',
    title: "Campi che un'importazione dal sistema precedente può riempire, con le etichette e gli obbligatori",
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.array(
      z.object({
        field: z.string(),
        group: z.enum(['alunno', 'pagante', 'iscrizione']),
        groupLabel: z.string(),
        label: z.string(),
        required: z.boolean(),
        hint: z.string(),
      }),
    ),
    handler: () =>
      IMPORT_TARGETS.map((t) => ({ field: t.field, group: t.group, groupLabel: GROUP_LABELS[t.group], label: t.label, required: t.required, hint: t.hint })),
  }),
  procedure({
    name: 'imports.preview',
    title: "Anteprima di un'importazione da Excel (.xlsx) o CSV: avvia un lavoro che legge il file, propone le colonne e controlla ogni riga",
    role: 'operatore',
    kind: 'query',
    input: z.object({
      fileName: z.string().trim().min(1, { message: 'Nome del file mancante' }).max(255),
      contentBase64,
      mapping: importMapping.optional(),
      answers: importAnswers.optional(),
      schoolYearId: id.optional(),
    }),
    output: z.object({ jobId: z.string(), previewId: z.string() }),
    // the file travels as base64 inside the JSON body (contentBase64 allows up to 70 MB)
    maxInputBytes: 72 * 1024 * 1024,
    handler: (ctx, input) => startPreview(ctx, input),
  }),
  procedure({
    name: 'imports.rememberLayout',
    title: "Memorizza le scelte per un tracciato di file (colonne, risposte sulle colonne ambigue, anno scolastico): proposte di nuovo per ogni file con le stesse intestazioni",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      columns: z.array(z.string().max(200)).min(1, { message: 'Intestazioni mancanti' }).max(16_384),
      mapping: importMapping,
      answers: importAnswers,
      schoolYearId: id.nullable(),
    }),
    output: z.object({ fingerprint: z.string(), changed: z.boolean() }),
    handler: (ctx, input) => {
      const now = ctx.clock.now();
      for (const [field, col] of Object.entries(input.mapping)) {
        if (col && !input.columns.includes(col)) throw invalidField(['mapping', field], `La colonna «${col}» non è tra le intestazioni del file`);
      }
      for (const col of Object.keys(input.answers)) {
        if (!input.columns.includes(col)) throw invalidField(['answers', col], `La colonna «${col}» non è tra le intestazioni del file`);
      }
      const saved = saveLayout(ctx.sqlite, input, romeDateOf(now), now.toISOString(), auditUserId(ctx.user));
      if (!saved) {
        // nothing changed: one record anyway says the choices were confirmed
        ctx.audit({ entity: 'tracciato_importazione', entityId: layoutFingerprint(input.columns).slice(0, 12), action: 'conferma_scelte' });
        return { fingerprint: layoutFingerprint(input.columns), changed: false };
      }
      ctx.audit({ entity: 'tracciato_importazione', entityId: saved.id, action: saved.before ? 'modifica' : 'creazione', before: saved.before, after: saved.after });
      return { fingerprint: saved.fingerprint, changed: true };
    },
  }),
  procedure({
    name: 'imports.template',
    title: "Modello .xlsx per l'importazione: le colonne attese, una riga di esempio, gli elenchi di scuole, comuni e anni scolastici",
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.object({ fileName: z.string(), contentBase64: z.string() }),
    handler: async (ctx) => {
      const { fileName, buffer } = await importTemplate(ctx.sqlite, romeDateOf(ctx.clock.now()));
      return { fileName, contentBase64: buffer.toString('base64') };
    },
  }),
  procedure({
    name: 'imports.rejectedRows',
    title: "Le righe scartate di un'anteprima o di un'importazione, in un .xlsx con le colonne del file e la colonna «Errore», da correggere e reimportare",
    role: 'operatore',
    kind: 'query',
    input: z.object({ previewId: z.string().min(1, { message: 'Anteprima mancante' }).max(100) }),
    output: exportFileOut,
    auditedRead: {
      entity: 'importazione',
      action: 'esportazione delle righe scartate',
      entityId: (input) => input.previewId,
      details: (_input, output) => ({ righe: output?.rows ?? null, file: output?.fileName ?? null }),
    },
    handler: async (ctx, { previewId }) => {
      const preview = previewStoreFor(ctx.jobs).get(previewId, currentUser(ctx).id, ctx.clock.now().getTime());
      if (!preview || !preview.sheet) throw new AppError('NOT_FOUND', "Anteprima non trovata: è scaduta (dopo 30 minuti); ripetere l'anteprima del file");
      if (preview.rejected.size === 0) throw new AppError('VALIDATION', 'Nessuna riga scartata: tutte le righe del file sono valide');
      const { buffer, count } = await rejectedWorkbook(preview.sheet, preview.mapping, preview.rejected);
      return { fileName: rejectedFileName(preview.fileName), contentBase64: buffer.toString('base64'), rows: count };
    },
  }),
  procedure({
    name: 'imports.commit',
    title:
      "Importa un'anteprima in una sola transazione: tutte le righe (tutto o niente, rifiutato se una riga ha errori) oppure, con la conferma del loro numero, solo le righe valide",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      previewId: z.string().min(1, { message: 'Anteprima mancante' }).max(100),
      /** 'tutte' (default): all or nothing; 'valide': only the rows without errors, confirmed by their number */
      rows: z.enum(['tutte', 'valide'], { error: 'Scegliere se importare tutte le righe o solo quelle valide' }).default('tutte'),
      /** with rows 'valide': the number of valid rows the operator confirmed («Importa solo le 3 righe valide su 8») */
      confirmedValidRows: z.number().int().min(0).optional(),
    }),
    output: importSummary.extend({
      fileName: z.string(),
      totalRows: z.number().int(),
      importedRows: z.number().int(),
      rejectedRows: z.number().int(),
    }),
    handler: (ctx, { previewId, rows, confirmedValidRows }) => {
      const user = currentUser(ctx);
      const now = ctx.clock.now();
      const store = previewStoreFor(ctx.jobs);
      const preview = store.get(previewId, user.id, now.getTime());
      if (!preview || preview.state === 'importata') {
        throw new AppError('NOT_FOUND', "Anteprima non trovata: è scaduta (dopo 30 minuti) o è già stata importata; ripetere l'anteprima del file");
      }
      if (preview.state === 'in_corso') throw new AppError('CONFLICT', "L'anteprima è ancora in corso: attendere che finisca");
      if (preview.state === 'fallita' || !preview.sheet) throw new AppError('CONFLICT', "L'anteprima non è riuscita: ripeterla dopo aver corretto il file");
      if (preview.openQuestions.length) {
        const cols = preview.openQuestions.map((c) => `«${c}»`).join(', ');
        throw invalidField(['answers', preview.openQuestions[0]], `Indicare che cosa contiene ${preview.openQuestions.length === 1 ? 'la colonna' : 'le colonne'} ${cols} prima di importare`);
      }
      if (rows === 'valide' && confirmedValidRows === undefined) {
        throw invalidField(['confirmedValidRows'], 'Confermare il numero di righe valide da importare');
      }
      const today = romeDateOf(now);
      const nowIso = now.toISOString();
      const sheet = preview.sheet;
      const unchanged = preview.fingerprint === dbFingerprint(ctx.sqlite, today);
      let plan: ImportPlan;
      let importedRows: number[];
      let rejected: Map<number, RowError[]>;
      if (rows === 'tutte') {
        // nothing saved since the preview checked the rows: its plan holds; otherwise check them again
        plan = preview.plan && unchanged ? preview.plan : planOf(checkSheet(ctx.sqlite, today, sheet, preview.mapping, preview.schoolYearId));
        importedRows = sheet.rows.map((r) => r.row);
        rejected = new Map();
      } else {
        let valid: ValidRows;
        if (unchanged && (preview.valid || preview.plan)) {
          valid = preview.valid ?? { plan: preview.plan!, rows: sheet.rows.map((r) => r.row), late: new Map() };
          rejected = preview.rejected;
        } else {
          const checked = checkSheet(ctx.sqlite, today, sheet, preview.mapping, preview.schoolYearId);
          valid = settleValidRows(checked.lookups, checked.cols, sheet.rows, checked.rows, preview.schoolYearId);
          rejected = new Map();
          for (const r of checked.rows) {
            const errors = r.errors.length ? r.errors : valid.late.get(r.row);
            if (errors?.length) rejected.set(r.row, errors);
          }
        }
        if (valid.rows.length === 0) throw invalidField(['rows'], 'Nessuna riga valida da importare: correggere il file e ripetere l\'anteprima');
        if (valid.rows.length !== confirmedValidRows) {
          throw new AppError(
            'CONFLICT',
            `Le righe valide ora sono ${valid.rows.length}, non ${confirmedValidRows}: qualcosa è cambiato in archivio dopo l'anteprima. Ripetere l'anteprima e confermare di nuovo`,
          );
        }
        plan = valid.plan;
        importedRows = valid.rows;
      }
      const result = writeImport(ctx.sqlite, nowIso, today, plan);
      const { ids, ...summary } = result;
      // the choices that made this import are kept for the next file with the same headers
      const layout = saveLayout(ctx.sqlite, { columns: sheet.columns, mapping: preview.mapping, answers: preview.answers, schoolYearId: preview.schoolYearId }, today, nowIso, auditUserId(ctx.user));
      // one audit record per import, with every id it created (as ranges): not one record per row;
      // the layout's choices it kept, if they changed, are in the same record
      ctx.audit({
        entity: 'importazione',
        entityId: previewId,
        action: rows === 'tutte' ? 'importazione' : 'importazione_righe_valide',
        after: {
          fileName: preview.fileName,
          totalRows: sheet.rows.length,
          righe: rows,
          righeImportate: idRanges(importedRows),
          righeScartate: idRanges([...rejected.keys()]),
          ...summary,
          ids: { alunni: idRanges(ids.pupils), paganti: idRanges(ids.payers), iscrizioni: idRanges(ids.enrollments), classi: idRanges(ids.classes) },
          ...(layout ? { tracciato: { id: layout.id, prima: layout.before, dopo: layout.after } } : {}),
        },
      });
      // kept only for the download of the rejected rows
      preview.state = 'importata';
      preview.plan = null;
      preview.valid = null;
      preview.rejected = rejected;
      if (rejected.size === 0) store.delete(previewId);
      return { ...summary, fileName: preview.fileName, totalRows: sheet.rows.length, importedRows: importedRows.length, rejectedRows: rejected.size };
    },
  }),
];
