import { z } from 'zod';
import { id } from '../contract/fields';
import { procedure, type Ctx } from '../contract/procedure';
import { currentVersion, expectVersion, version } from '../contract/versions';
import { AppError, invalid, notFound } from '../contract/errors';
import { romeDateOf } from '../calendar/rome-time';
import { getCaterer } from '../documents/caterer';
import { documentFile, documentFileOut, PDF_MIME, XLSX_MIME, ZIP_MIME } from '../documents/files';
import { pairFileName, tax730Batch, tax730Pdf, tax730Xlsx } from './documents';
import { getTax730Settings, rowIssues, saveTax730Settings, tax730Issues, tax730Rows } from './rules';
import { auditedDocument } from '../audit/reads';

const yearIn = z.object({
  year: z.number({ error: "Indicare l'anno solare" }).int({ message: 'Anno non valido' }).min(2000, { message: 'Anno non valido' }).max(2100, { message: 'Anno non valido' }),
  service: z.string().trim().min(1).max(40).default('mensa'),
  /** only the pupils of one municipality's schools (an office often works Comune by Comune) */
  municipalityId: id.optional(),
});

const issueOut = z.object({
  kind: z.enum(['ditta', 'pagante', 'alunno', 'secondo_genitore']),
  personId: z.number().nullable(),
  pupilId: z.number().nullable(),
  name: z.string(),
  taxCode: z.string(),
  message: z.string(),
});

const shareOut = z.object({ payerId: z.number(), name: z.string(), taxCode: z.string(), pct: z.number(), amountCents: z.number() });

const rowOut = z.object({
  year: z.number(),
  service: z.string(),
  serviceName: z.string(),
  payerId: z.number().nullable(),
  payerName: z.string(),
  payerTaxCode: z.string(),
  pupilId: z.number(),
  pupilName: z.string(),
  pupilTaxCode: z.string(),
  schoolName: z.string(),
  municipalityId: z.number(),
  municipalityName: z.string(),
  amountCents: z.number(),
  traceableCents: z.number(),
  returnedCents: z.number(),
  refundedCents: z.number(),
  commissionCents: z.number(),
  cashCents: z.number(),
  channels: z.array(z.string()),
  namesPupil: z.boolean(),
  shares: z.array(shareOut),
  ready: z.boolean(),
});

function load(ctx: Ctx, year: number, service: string, filter: { payerId?: number; pupilId?: number; municipalityId?: number } = {}) {
  const caterer = getCaterer(ctx.db);
  const rows = tax730Rows(ctx.db, year, service, filter);
  const issues = tax730Issues(rows, caterer !== null);
  return { caterer, rows, issues };
}

export const tax730Procedures = [
  procedure({
    name: 'tax730.check',
    title: "Controllo prima delle dichiarazioni 730: codici fiscali mancanti o errati di paganti, alunni e secondi genitori, dati della ditta (F1)",
    role: 'operatore',
    kind: 'query',
    input: yearIn,
    output: z.object({ year: z.number(), service: z.string(), pairs: z.number(), ready: z.number(), totalCents: z.number(), issues: z.array(issueOut) }),
    handler: (ctx, { year, service, municipalityId }) => {
      const { rows, issues } = load(ctx, year, service, { municipalityId });
      const withAmount = rows.filter((r) => r.amountCents > 0);
      return {
        year,
        service,
        pairs: withAmount.length,
        ready: withAmount.filter((r) => rowIssues(r, issues).length === 0).length,
        totalCents: withAmount.reduce((s, r) => s + r.amountCents, 0),
        issues,
      };
    },
  }),
  procedure({
    name: 'tax730.list',
    title: "Importi per la dichiarazione 730 di un anno solare, per pagante e alunno (pagamenti tracciabili per data di incasso)",
    role: 'operatore',
    kind: 'query',
    input: yearIn.extend({ payerId: id.optional(), pupilId: id.optional() }),
    output: z.object({ rows: z.array(rowOut), issues: z.array(issueOut) }),
    handler: (ctx, { year, service, payerId, pupilId, municipalityId }) => {
      const { rows, issues } = load(ctx, year, service, { payerId, pupilId, municipalityId });
      return { rows: rows.map((r) => ({ ...r, ready: r.amountCents > 0 && rowIssues(r, issues).length === 0 })), issues };
    },
  }),
  procedure({
    name: 'tax730.xlsx',
    title: 'Elenco delle dichiarazioni 730 in Excel (importi numerici in euro, esito del controllo)',
    role: 'operatore',
    kind: 'query',
    input: yearIn,
    output: documentFileOut,
    auditedRead: auditedDocument('dichiarazione 730', 'elenco delle dichiarazioni 730 in Excel'),
    handler: async (ctx, { year, service, municipalityId }) => {
      const { rows, issues } = load(ctx, year, service, { municipalityId });
      const { buffer, rows: n } = await tax730Xlsx(rows, issues, year, rows[0]?.serviceName ?? service);
      return documentFile(`elenco-730-${year}-${service}.xlsx`, XLSX_MIME, buffer, n);
    },
  }),
  procedure({
    name: 'tax730.pdf',
    title: 'Dichiarazione 730 in PDF per un alunno e il suo pagante',
    role: 'operatore',
    kind: 'query',
    input: yearIn.extend({ pupilId: id, payerId: id }),
    output: documentFileOut,
    auditedRead: auditedDocument('dichiarazione 730', 'dichiarazione 730 in PDF'),
    handler: async (ctx, { year, service, pupilId, payerId }) => {
      const { caterer, rows, issues } = load(ctx, year, service, { pupilId, payerId });
      const row = rows.find((r) => r.pupilId === pupilId && r.payerId === payerId);
      if (!row) throw notFound(`Pagamento tracciabile dell'alunno con questo pagante nel ${year}`);
      const mine = rowIssues(row, issues);
      if (mine.length) throw invalid(mine.map((i) => ({ path: [i.kind === 'alunno' ? 'pupilId' : 'payerId'], message: i.message })), `Dichiarazione non generata: ${mine.map((i) => i.message).join('; ')}`);
      if (row.amountCents === 0) throw new AppError('CONFLICT', `Nessun pagamento tracciabile nel ${year}: nessuna dichiarazione da emettere`);
      const now = ctx.clock.now();
      const pdf = await tax730Pdf(row, caterer!, now, romeDateOf(now));
      return documentFile(pairFileName(row), PDF_MIME, pdf, 1);
    },
  }),
  procedure({
    name: 'tax730.batch',
    title: 'Tutte le dichiarazioni 730 di un anno: un file .zip con un PDF per alunno e pagante e l\'elenco Excel',
    role: 'operatore',
    kind: 'query',
    input: yearIn,
    output: documentFileOut.extend({ skipped: z.number().int() }),
    auditedRead: auditedDocument('dichiarazione 730', 'tutte le dichiarazioni 730 (zip)'),
    handler: async (ctx, { year, service, municipalityId }) => {
      const { caterer, rows, issues } = load(ctx, year, service, { municipalityId });
      if (!caterer) throw new AppError('CONFLICT', 'Inserire prima i dati della ditta (ragione sociale, indirizzo, partita IVA, codice fiscale)');
      if (!rows.some((r) => r.amountCents > 0)) throw new AppError('CONFLICT', `Nessun pagamento tracciabile nel ${year}: nessuna dichiarazione da emettere`);
      const now = ctx.clock.now();
      const { zip, generated, skipped } = await tax730Batch(rows, issues, caterer, now, romeDateOf(now));
      return { ...documentFile(`dichiarazioni-730-${year}-${service}.zip`, ZIP_MIME, zip, generated), skipped };
    },
  }),
  procedure({
    name: 'tax730.settings',
    title: 'Impostazioni della dichiarazione 730 (commissione SDD inclusa o esclusa)',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.object({ includeSddCommission: z.boolean(), version: z.number() }),
    handler: (ctx) => ({ ...getTax730Settings(ctx.db), version: currentVersion(ctx, 'tax730') ?? 0 }),
  }),
  procedure({
    name: 'tax730.updateSettings',
    title: 'Modifica le impostazioni della dichiarazione 730',
    role: 'amministratore',
    kind: 'mutation',
    input: z.object({ includeSddCommission: z.boolean({ error: 'Indicare sì o no' }), version }),
    output: z.object({ includeSddCommission: z.boolean(), version: z.number() }),
    handler: (ctx, { version: loaded, ...input }) => {
      expectVersion(ctx, 'tax730', null, loaded);
      const before = getTax730Settings(ctx.db);
      saveTax730Settings(ctx.db, input);
      ctx.audit({ entity: 'impostazioni', entityId: 'tax730', action: 'modifica', before, after: input });
      return { ...input, version: currentVersion(ctx, 'tax730') ?? 0 };
    },
  }),
];
