/**
 * D1: what a municipality receives for forced collection (ingiunzione or tax roll): the persistent
 * debtors (report.ts) as a preview table and as Excel, optionally for some school years only, and
 * per family the PDF evidence pack (evidence-pack.ts). Supervisors only (D3: debtor lists go only to
 * the municipality's office); every preview and every file is an audited read.
 */
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { id } from '../contract/fields';
import { procedure, type Ctx } from '../contract/procedure';
import { invalidField } from '../contract/errors';
import { romeDateOf } from '../calendar/rome-time';
import { auditedDocument, auditedExport } from '../audit/reads';
import { getCaterer } from '../documents/caterer';
import { documentFile, documentFileOut, PDF_MIME } from '../documents/files';
import { fileSafe } from '../documents/format';
import { exportFileOut, nothingToExport } from '../exports/xlsx';
import { DEBT_CHANNELS } from '../../db/schema';
import { amountsByYear, persistentDebtors, persistentDebtorsXlsx } from './report';
import { evidencePack } from './evidence-pack';
import { municipalityNames } from './steps';
import { unpaidNoticesByFamily } from './notices';

const today = (ctx: Ctx) => romeDateOf(ctx.clock.now());

const reportIn = z.object({
  municipalityId: id,
  /** only the debt of these school years (none: every year) */
  schoolYearIds: z.array(id).max(20).default([]),
});

function requireMunicipality(ctx: Ctx, municipalityId: number): void {
  if (!municipalityNames(ctx.db).has(municipalityId)) throw invalidField('municipalityId', 'Comune inesistente');
}

function requireSchoolYears(ctx: Ctx, ids: number[]): void {
  if (!ids.length) return;
  const found = new Set(ctx.db.all<{ id: number }>(sql`SELECT id FROM school_years WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`).map((r) => r.id));
  const missing = ids.filter((i) => !found.has(i));
  if (missing.length) throw invalidField('schoolYearIds', `Anni scolastici inesistenti: ${missing.join(', ')}`);
}

export const debtReportProcedures = [
  procedure({
    name: 'debts.report.preview',
    title: "D1: anteprima dei morosi persistenti di un comune (pagante e codice fiscale, alunni, importi per anno scolastico, passi con date di consegna), eventualmente per alcuni anni scolastici",
    role: 'supervisore',
    kind: 'query',
    input: reportIn,
    output: z.object({
      today: z.string(),
      municipalityName: z.string(),
      lastStepName: z.string(),
      schoolYears: z.array(z.object({ id: z.number(), label: z.string() })),
      totalCents: z.number(),
      rows: z.number(),
      debtors: z.array(
        z.object({
          payerId: z.number(),
          payerName: z.string(),
          payerTaxCode: z.string(),
          address: z.string(),
          pupils: z.array(z.object({ pupilId: z.number(), name: z.string(), taxCode: z.string() })),
          amounts: z.array(z.object({ schoolYearId: z.number(), schoolYearLabel: z.string(), owedCents: z.number() })),
          owedCents: z.number(),
          oldestUnpaidOn: z.string(),
          ageDays: z.number(),
          unpaidNoticesCents: z.number(),
          steps: z.array(
            z.object({
              id: z.number(),
              stepName: z.string(),
              channel: z.enum(DEBT_CHANNELS),
              reachedOn: z.string(),
              payBy: z.string(),
              deliveredOn: z.string().nullable(),
              receiptNumber: z.string().nullable(),
              hasEvidence: z.boolean(),
            }),
          ),
        }),
      ),
    }),
    auditedRead: {
      entity: 'procedura_recupero',
      action: 'anteprima dei morosi persistenti per il comune',
      details: (input, output) => ({ filtri: input, righe: output?.rows ?? null }),
    },
    handler: (ctx, input) => {
      requireMunicipality(ctx, input.municipalityId);
      requireSchoolYears(ctx, input.schoolYearIds);
      const t = today(ctx);
      const r = persistentDebtors(ctx.db, t, input.municipalityId, input.schoolYearIds);
      const notices = unpaidNoticesByFamily(ctx.db, t, { municipalityId: input.municipalityId });
      return {
        today: t,
        municipalityName: r.municipalityName,
        lastStepName: r.lastStepName,
        schoolYears: r.schoolYears,
        totalCents: r.totalCents,
        rows: r.debtors.length,
        debtors: r.debtors.map((d) => ({
          payerId: d.payer.id,
          payerName: d.payer.name,
          payerTaxCode: d.payer.taxCode,
          address: d.payer.address,
          pupils: [...new Map(d.lines.map((l) => [l.pupilId, { pupilId: l.pupilId, name: l.pupilName, taxCode: l.pupilTaxCode }])).values()],
          amounts: amountsByYear(d),
          owedCents: d.owedCents,
          oldestUnpaidOn: d.oldestUnpaidOn,
          ageDays: d.ageDays,
          unpaidNoticesCents: (notices.get(`${d.payer.id}/${input.municipalityId}`) ?? []).reduce((s, n) => s + n.amountCents, 0),
          steps: d.history.map((s) => ({
            id: s.id,
            stepName: s.stepName,
            channel: s.channel,
            reachedOn: s.reachedOn,
            payBy: s.payBy,
            deliveredOn: s.deliveredOn,
            receiptNumber: s.receiptNumber,
            hasEvidence: s.evidenceSha256 !== null,
          })),
        })),
      };
    },
  }),
  procedure({
    name: 'debts.report.workbook',
    title: "D1: Excel dei morosi persistenti di un comune per la riscossione coattiva, eventualmente per alcuni anni scolastici (importi per anno, totali, passi e consegne)",
    role: 'supervisore',
    kind: 'query',
    input: reportIn,
    output: exportFileOut,
    auditedRead: auditedExport('procedura_recupero', 'esportazione dei morosi persistenti per il comune'),
    handler: async (ctx, input) => {
      requireMunicipality(ctx, input.municipalityId);
      requireSchoolYears(ctx, input.schoolYearIds);
      const t = today(ctx);
      const { buffer, rows, municipalityName } = await persistentDebtorsXlsx(ctx.db, t, input.municipalityId, input.schoolYearIds);
      // issue 12: an export with no rows says so instead of downloading a file with only the headings
      if (rows === 0) throw nothingToExport(`Nessun moroso da segnalare per il Comune di ${municipalityName}${input.schoolYearIds?.length ? ' negli anni scelti' : ''}: nessun file creato`);
      return { fileName: `morosi-${fileSafe(municipalityName).toLowerCase()}-${t}.xlsx`, contentBase64: buffer.toString('base64'), rows };
    },
  }),
  procedure({
    name: 'debts.evidencePack',
    title: "D1: fascicolo PDF di una famiglia per il comune: riepilogo, estratto conto, lettere inviate e prove di consegna conservate",
    role: 'supervisore',
    kind: 'query',
    input: z.object({ payerId: id, municipalityId: id }),
    output: documentFileOut,
    auditedRead: { ...auditedDocument('procedura_recupero', 'fascicolo del debitore per il comune'), entityId: (input) => input.payerId },
    handler: async (ctx, input) => {
      requireMunicipality(ctx, input.municipalityId);
      const pack = await evidencePack(ctx.db, today(ctx), input.payerId, input.municipalityId, getCaterer(ctx.db), ctx.clock.now());
      return documentFile(pack.fileName, PDF_MIME, pack.bytes, pack.documents);
    },
  }),
];
