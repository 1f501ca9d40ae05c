/**
 * The outbound side of the parent portal (issue 13): news (F3), "publish now" and what the outbox
 * holds. The sync runner sends the outbox (runner.ts); these procedures fill it and show it.
 */
import { z } from 'zod';
import { id, isoDate, lineText, multilineText } from '../contract/fields';
import { actorOf, procedure, type Ctx } from '../contract/procedure';
import { expectVersion, version } from '../contract/versions';
import { romeDateOf } from '../calendar/rome-time';
import { OUTBOX_EVENT_TYPES } from '../../db/schema/portal-outbox';
import { createNews, listNews, updateNews, withdrawNews, allNewsDrafts, type NewsRow } from './news';
import { PUBLISH_SCOPES, publishScope } from './outbound';
import { listOutbox, outboxCounts, OUTBOX_STATES } from './outbox';

const today = (ctx: Ctx) => romeDateOf(ctx.clock.now());

const newsInput = {
  title: lineText().trim().min(3, { message: 'Indicare il titolo (almeno 3 caratteri)' }).max(200, { message: 'Al massimo 200 caratteri' }),
  body: multilineText().trim().min(1, { message: "Scrivere il testo dell'avviso" }).max(10_000, { message: 'Al massimo 10.000 caratteri' }),
  municipalityIds: z.array(id).max(500).default([]),
  validFrom: isoDate,
  validTo: isoDate.nullable().default(null),
};

const newsOut = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  municipalityIds: z.array(z.number()),
  municipalityNames: z.array(z.string()),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  publishedByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  version: z.number(),
  state: z.enum(['in_corso', 'programmata', 'scaduta', 'ritirata']),
});

const view = (ctx: Ctx, newsId: number) => listNews(ctx.db, today(ctx)).find((n) => n.id === newsId)!;
const snapshot = (r: NewsRow) => ({ titolo: r.title, testo: r.body, comuni: JSON.parse(r.municipalityIds) as number[], dal: r.validFrom, al: r.validTo, ritirata: r.withdrawnAt });

const enqueueResult = z.object({ added: z.number(), superseded: z.number(), unchanged: z.number() });

export const outboundProcedures = [
  procedure({
    name: 'news.list',
    title: 'Avvisi e news per le famiglie (F3): in corso, programmati, scaduti e ritirati, con i comuni e chi li ha scritti',
    role: 'operatore',
    kind: 'query',
    input: z.object({ includeWithdrawn: z.boolean().default(true) }),
    output: z.object({ rows: z.array(newsOut) }),
    handler: (ctx, f) => ({ rows: listNews(ctx.db, today(ctx), f) }),
  }),
  procedure({
    name: 'news.create',
    title: "Scrive un avviso per le famiglie (tutti i comuni o alcuni, dal giorno al giorno) e lo pubblica sul portale",
    role: 'operatore',
    kind: 'mutation',
    changes: ['portal'],
    input: z.object(newsInput),
    output: newsOut,
    handler: (ctx, input) => {
      const row = createNews(ctx.db, ctx.sqlite, input, actorOf(ctx));
      ctx.audit({ entity: 'avviso_famiglie', entityId: row.id, action: `avviso «${row.title}» pubblicato`, after: snapshot(row) });
      return view(ctx, row.id);
    },
  }),
  procedure({
    name: 'news.update',
    title: "Corregge un avviso per le famiglie: il portale sostituisce la versione pubblicata",
    role: 'operatore',
    kind: 'mutation',
    changes: ['portal'],
    input: z.object({ id, version, ...newsInput }),
    output: newsOut,
    handler: (ctx, input) => {
      expectVersion(ctx, 'news', input.id, input.version);
      const { before, after } = updateNews(ctx.db, ctx.sqlite, input.id, input, actorOf(ctx));
      ctx.audit({ entity: 'avviso_famiglie', entityId: after.id, action: `avviso «${after.title}» corretto`, before: snapshot(before), after: snapshot(after) });
      return view(ctx, after.id);
    },
  }),
  procedure({
    name: 'news.withdraw',
    title: 'Ritira un avviso per le famiglie: il portale non lo mostra più (resta nello storico)',
    role: 'operatore',
    kind: 'mutation',
    changes: ['portal'],
    input: z.object({ id }),
    output: newsOut,
    handler: (ctx, input) => {
      const { before, after } = withdrawNews(ctx.db, ctx.sqlite, input.id, actorOf(ctx));
      ctx.audit({ entity: 'avviso_famiglie', entityId: after.id, action: `avviso «${after.title}» ritirato`, before: snapshot(before), after: snapshot(after) });
      return view(ctx, after.id);
    },
  }),
  procedure({
    name: 'portal.publish',
    title:
      "Pubblica ora sul portale delle famiglie: calendario, pasti di un giorno, saldi, avvisi pagoPA, iscrizioni, 730 di un anno, news o tutto; ciò che il portale ha già non si ripete",
    role: 'operatore',
    kind: 'mutation',
    input: z.object({
      scope: z.enum(PUBLISH_SCOPES),
      date: isoDate.optional(),
      year: z.number().int().min(2000).max(2100).optional(),
    }),
    output: z.object({ counts: z.record(z.string(), enqueueResult), added: z.number() }),
    handler: (ctx, input) => {
      const counts = publishScope({ db: ctx.db, sqlite: ctx.sqlite, at: ctx.clock.now() }, input, () => allNewsDrafts(ctx.db));
      const added = Object.values(counts).reduce((n, c) => n + c.added, 0);
      ctx.audit({ entity: 'portale', entityId: input.scope, action: `pubblicazione sul portale (${input.scope})`, after: { ...input, nuovi: added } });
      return { counts, added };
    },
  }),
  procedure({
    name: 'portal.outbox.list',
    title: "Ciò che l'ufficio pubblica sul portale: in attesa di invio, pubblicato, sostituito da una versione più recente, con gli errori",
    role: 'operatore',
    kind: 'query',
    input: z.object({ state: z.enum(OUTBOX_STATES).optional(), type: z.enum(OUTBOX_EVENT_TYPES).optional(), limit: z.number().int().min(1).max(1000).default(200) }),
    output: z.object({
      counts: z.object({
        pending: z.number(),
        published: z.number(),
        superseded: z.number(),
        failing: z.number(),
        oldestPendingAt: z.string().nullable(),
        lastPublishedAt: z.string().nullable(),
      }),
      rows: z.array(
        z.object({
          seq: z.number(),
          eventId: z.string(),
          key: z.string(),
          type: z.enum(OUTBOX_EVENT_TYPES),
          state: z.enum(OUTBOX_STATES),
          createdAt: z.string(),
          publishedAt: z.string().nullable(),
          attempts: z.number(),
          lastError: z.string().nullable(),
          summary: z.string(),
        }),
      ),
    }),
    handler: (ctx, f) => ({ counts: outboxCounts(ctx.sqlite), rows: listOutbox(ctx.sqlite, f) }),
  }),
] as const;
