import { z } from 'zod';
import { AppError } from '../contract/errors';
import { id } from '../contract/fields';
import { procedure, currentUser } from '../contract/procedure';
import { romeDateOf } from '../calendar/rome-time';
import { commitSheet, dbFingerprint, idRanges, writeImport } from './commit';
import { previewStoreFor, startPreview } from './previews';
import { GROUP_LABELS, IMPORT_TARGETS } from './targets';
import { importMapping, importSummary } from './preview-result';

/** base64 of the file; 70 MB of text is about a 50 MB spreadsheet, far above 50,000 rows. */
const contentBase64 = z
  .string()
  .min(1, { message: 'Il file è vuoto' })
  .max(70_000_000, { message: 'File troppo grande' })
  .refine((s) => /^[A-Za-z0-9+/=\r\n]*$/.test(s.slice(0, 10_000)) && /^[A-Za-z0-9+/=\r\n]*$/.test(s.slice(-10_000)), {
    message: 'Contenuto del file non valido (atteso base64)',
  });

export { importMapping, importPreviewResult, importSummary, type ImportPreviewResult } from './preview-result';

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
      schoolYearId: id.optional(),
    }),
    output: z.object({ jobId: z.string(), previewId: z.string() }),
    // the file travels as base64 inside the JSON body (contentBase64 allows up to 70 MB)
    maxInputBytes: 72 * 1024 * 1024,
    handler: (ctx, input) => startPreview(ctx, input),
  }),
  procedure({
    name: 'imports.commit',
    title: "Importa le righe di un'anteprima senza errori, tutto o niente, in una sola transazione",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({ previewId: z.string().min(1, { message: 'Anteprima mancante' }).max(100) }),
    output: importSummary.extend({ fileName: z.string(), totalRows: z.number().int() }),
    handler: (ctx, { previewId }) => {
      const user = currentUser(ctx);
      const now = ctx.clock.now();
      const store = previewStoreFor(ctx.jobs);
      const preview = store.get(previewId, user.id, now.getTime());
      if (!preview) {
        throw new AppError('NOT_FOUND', "Anteprima non trovata: è scaduta (dopo 30 minuti) o è già stata importata; ripetere l'anteprima del file");
      }
      if (preview.state === 'in_corso') throw new AppError('CONFLICT', "L'anteprima è ancora in corso: attendere che finisca");
      if (preview.state === 'fallita' || !preview.sheet) throw new AppError('CONFLICT', "L'anteprima non è riuscita: ripeterla dopo aver corretto il file");
      const today = romeDateOf(now);
      // nothing saved since the preview checked the rows: its plan holds; otherwise check them again
      const result =
        preview.plan && preview.fingerprint === dbFingerprint(ctx.sqlite, today)
          ? writeImport(ctx.sqlite, now.toISOString(), today, preview.plan)
          : commitSheet(ctx.sqlite, now.toISOString(), today, preview.sheet, preview.mapping, preview.schoolYearId);
      const { ids, ...summary } = result;
      // one audit record per import, with every id it created (as ranges): not one record per row
      ctx.audit({
        entity: 'importazione',
        entityId: previewId,
        action: 'importazione',
        after: {
          fileName: preview.fileName,
          totalRows: preview.sheet.rows.length,
          ...summary,
          ids: { alunni: idRanges(ids.pupils), paganti: idRanges(ids.payers), iscrizioni: idRanges(ids.enrollments), classi: idRanges(ids.classes) },
        },
      });
      store.delete(previewId);
      return { ...summary, fileName: preview.fileName, totalRows: preview.sheet.rows.length };
    },
  }),
];
