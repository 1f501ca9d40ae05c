import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { payers, sddMandates } from '../../db/schema';
import { email, id, listQuery, mobile, page, requiredText } from '../contract/fields';
import { iban, taxCode } from '../contract/identifier-fields';
import { procedure } from '../contract/procedure';
import { auditedExport } from '../audit/reads';
import { exportFile, exportFileOut } from '../exports/xlsx';
import { romeDateOf } from '../calendar/rome-time';
import { formatIban } from '../identifiers/iban';
import { invalidField, notFound } from '../contract/errors';
import { expectVersion, nextVersion, version } from '../contract/versions';
import { PAYER_BALANCE_FILTERS, PAYER_SORTS, checkPayer, getPayer, insertPayer, listPayers, payerSearchText, replaceDelegates } from './service';

const delegateIn = z.object({ firstName: requiredText(80), lastName: requiredText(80), taxCode });

export const payerIn = z.object({
  firstName: requiredText(80),
  lastName: requiredText(80),
  taxCode,
  email,
  mobile,
  street: z.string().trim().max(120).default(''),
  streetNumber: z.string().trim().max(20).default(''),
  postcode: z.string().trim().regex(/^(\d{5})?$/, { message: 'CAP di 5 cifre' }).default(''),
  town: z.string().trim().max(80).default(''),
  province: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, { message: 'Sigla della provincia di 2 lettere' }).default(''),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, { message: 'Codice nazione di 2 lettere (es. IT)' }).default('IT'),
  iban: iban.nullable().default(null),
  ibanHolder: z.string().trim().max(70, { message: 'Intestatario: al massimo 70 caratteri (limite SEPA)' }).nullable().default(null).transform((s) => (s ? s : null)),
  delegates: z.array(delegateIn).max(10, { message: 'Al massimo 10 delegati' }).default([]),
});

const payerRow = z.object({
  id: z.number(),
  firstName: z.string(),
  lastName: z.string(),
  taxCode: z.string(),
  email: z.string(),
  mobile: z.string(),
  street: z.string(),
  streetNumber: z.string(),
  postcode: z.string(),
  town: z.string(),
  province: z.string(),
  country: z.string(),
  iban: z.string().nullable(),
  ibanHolder: z.string().nullable(),
  /** issue 14: the version the form sends back with its save */
  version: z.number(),
  pupils: z.number(),
  balanceCents: z.number(),
  totalBalanceCents: z.number(),
});
export const payerOut = payerRow.extend({
  delegates: z.array(z.object({ id: z.number(), firstName: z.string(), lastName: z.string(), taxCode: z.string() })),
});

const payerFilter = z.object({
  search: listQuery.search,
  hasIban: z.boolean().optional(),
  balance: z.enum(PAYER_BALANCE_FILTERS).optional(),
  /** P5: payers with an SDD enrollment in this school year and no active mandate (the dashboard's item) */
  sddWithoutMandateYearId: id.optional(),
  sort: z.enum(PAYER_SORTS).default('lastName'),
  sortDir: listQuery.sortDir,
});

export const payerProcedures = [
  procedure({
    name: 'payers.list',
    title: 'Elenco dei paganti (genitori e tutori)',
    role: 'operatore',
    kind: 'query',
    input: payerFilter.extend({ offset: listQuery.offset, limit: listQuery.limit }),
    output: page(payerRow),
    handler: (ctx, f) => listPayers(ctx.db, f, { offset: f.offset, limit: f.limit }),
  }),
  procedure({
    name: 'payers.export',
    title: 'Esporta in Excel l\'elenco dei paganti filtrato',
    role: 'operatore',
    kind: 'query',
    input: payerFilter,
    output: exportFileOut,
    auditedRead: auditedExport('pagante', 'esportazione dei paganti (codici fiscali e IBAN)'),
    handler: (ctx, f) =>
      exportFile('paganti', romeDateOf(ctx.clock.now()), 'Paganti', [
        { header: 'Cognome', value: (r) => r.lastName, width: 20 },
        { header: 'Nome', value: (r) => r.firstName, width: 20 },
        { header: 'Codice fiscale', type: 'text', value: (r) => r.taxCode, width: 20 },
        { header: 'E-mail', value: (r) => r.email, width: 28 },
        { header: 'Cellulare', type: 'text', value: (r) => r.mobile, width: 14 },
        { header: 'Indirizzo', value: (r) => `${r.street} ${r.streetNumber}`.trim(), width: 28 },
        { header: 'CAP', type: 'text', value: (r) => r.postcode },
        { header: 'Comune', value: (r) => r.town, width: 16 },
        { header: 'Provincia', value: (r) => r.province },
        { header: 'Nazione', value: (r) => r.country },
        { header: 'IBAN', type: 'text', value: (r) => (r.iban ? formatIban(r.iban) : ''), width: 34 },
        { header: 'Intestatario', value: (r) => r.ibanHolder, width: 24 },
        { header: 'Alunni', type: 'number', value: (r) => r.pupils },
        { header: 'Saldo mensa', type: 'euro', value: (r) => r.balanceCents },
        { header: 'Saldo totale', type: 'euro', value: (r) => r.totalBalanceCents },
      ], listPayers(ctx.db, f, null).rows),
  }),
  procedure({
    name: 'payers.get',
    title: 'Scheda di un pagante con i delegati',
    role: 'operatore',
    kind: 'query',
    input: z.object({ id }),
    output: payerOut,
    handler: (ctx, { id: payerId }) => getPayer(ctx.db, payerId),
  }),
  procedure({
    name: 'payers.create',
    title: 'Registra un pagante (e i suoi delegati, F2)',
    role: 'operatore',
    kind: 'mutation',
    input: payerIn,
    output: payerOut,
    handler: (ctx, { delegates, ...input }) => {
      checkPayer(ctx.db, input);
      const now = ctx.clock.now().toISOString();
      const row = insertPayer(ctx.db, now, input);
      replaceDelegates(ctx.db, row.id, row.taxCode, delegates, now);
      const after = getPayer(ctx.db, row.id);
      ctx.audit({ entity: 'pagante', entityId: row.id, action: 'creazione', after });
      return after;
    },
  }),
  procedure({
    name: 'payers.update',
    title: 'Modifica un pagante, il suo IBAN e i delegati (E7, P5)',
    role: 'operatore',
    kind: 'mutation',
    input: z.intersection(z.object({ id, version }), payerIn),
    output: payerOut,
    handler: (ctx, { id: payerId, version: loaded, delegates, ...input }) => {
      if (!ctx.db.select({ id: payers.id }).from(payers).where(eq(payers.id, payerId)).get()) throw notFound('Pagante');
      expectVersion(ctx, 'payer', payerId, loaded);
      const before = getPayer(ctx.db, payerId);
      checkPayer(ctx.db, input, payerId);
      // P5: the active SDD mandate is the authority on the payer's account (electron/sdd/mandates.ts)
      const mandate = ctx.db.select({ umr: sddMandates.umr }).from(sddMandates).where(and(eq(sddMandates.payerId, payerId), eq(sddMandates.status, 'attivo'))).get();
      if (mandate && (input.iban !== before.iban || input.ibanHolder !== before.ibanHolder)) {
        throw invalidField(
          input.iban !== before.iban ? 'iban' : 'ibanHolder',
          `Il pagante ha un mandato SDD attivo (${mandate.umr}): IBAN e intestatario si cambiano dal mandato (Pagamenti › Mandati SDD), che registra la modifica da comunicare alla banca`,
        );
      }
      const now = ctx.clock.now().toISOString();
      ctx.db.update(payers).set({ ...input, searchText: payerSearchText(input), updatedAt: now, version: nextVersion(payers.version) }).where(eq(payers.id, payerId)).run();
      replaceDelegates(ctx.db, payerId, input.taxCode, delegates, now);
      const after = getPayer(ctx.db, payerId);
      ctx.audit({ entity: 'pagante', entityId: payerId, action: 'modifica', before, after });
      return after;
    },
  }),
];
