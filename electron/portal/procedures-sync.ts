/**
 * The sync with the parent portal (issue 13): the connection's settings (adapter, address or
 * folder, interval; the credential kept apart, in the SecretStore), "sync now" and the sync log.
 */
import { z } from 'zod';
import { AppError, invalidField } from '../contract/errors';
import { procedure } from '../contract/procedure';
import { expectVersion, version } from '../contract/versions';
import { maskSecret } from './adapters/credentials';
import { SyncBusyError } from './runner';
import { portalSettings, readPortalSettings, readSyncLog, writePortalSettings, PORTAL_ADAPTERS } from './settings';
import { portalSecretsFor, portalSyncFor } from './sync-service';

const settingsOut = z.object({
  adapter: z.enum(PORTAL_ADAPTERS),
  baseUrl: z.string(),
  folder: z.string(),
  outboundFormat: z.enum(['json', 'csv']),
  intervalMinutes: z.number(),
  pageSize: z.number(),
  timeoutSeconds: z.number(),
  version: z.number(),
  credential: z.object({ present: z.boolean(), masked: z.string().nullable(), where: z.string() }),
});

const runOut = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  trigger: z.enum(['automatica', 'manuale']),
  adapter: z.enum(['rest', 'file']),
  outcome: z.enum(['riuscita', 'parziale', 'non_riuscita']),
  inbound: z.object({ received: z.number(), applied: z.number(), review: z.number(), duplicates: z.number(), pages: z.number() }),
  outbound: z.object({ published: z.number(), rejected: z.number(), batches: z.number() }),
  retries: z.number(),
  errors: z.array(z.string()),
});

/** The credential as typed in the settings: a token, never shown again. */
const credentialInput = z
  .string()
  .trim()
  .min(8, { message: 'La credenziale è troppo corta (almeno 8 caratteri)' })
  .max(4096, { message: 'La credenziale è troppo lunga' })
  .regex(/^[\x21-\x7e]+$/, { message: 'La credenziale contiene spazi o caratteri non ammessi' });

export const syncProcedures = [
  procedure({
    name: 'portal.settings.get',
    title: 'Il collegamento con il portale delle famiglie: tipo (API o cartella di scambio), indirizzo o cartella, frequenza; della credenziale solo se c\'è',
    role: 'supervisore',
    kind: 'query',
    input: z.object({}),
    output: settingsOut,
    handler: (ctx) => {
      const s = readPortalSettings(ctx.db);
      const secrets = portalSecretsFor(ctx);
      const secret = secrets.get();
      return { ...s, credential: { present: secret !== null, masked: maskSecret(secret), where: secrets.description } };
    },
  }),
  procedure({
    name: 'portal.settings.update',
    title: 'Cambia il collegamento con il portale delle famiglie; la credenziale (se indicata) è conservata protetta dal sistema operativo, mai nel database',
    role: 'amministratore',
    kind: 'mutation',
    input: portalSettings.and(
      z.object({
        /** undefined: unchanged; null: removed; a text: the new credential */
        credential: credentialInput.nullable().optional(),
        /** the version read with portal.settings.get (0: never saved): a change saved meanwhile by someone else is refused */
        version,
      }),
    ),
    output: settingsOut,
    handler: (ctx, input) => {
      expectVersion(ctx, 'portalSettings', null, input.version);
      const before = readPortalSettings(ctx.db);
      const { credential, version: _version, ...settings } = input;
      const secrets = portalSecretsFor(ctx);
      if (settings.adapter === 'rest' && credential === null) throw invalidField('credential', "Con l'API del portale serve una credenziale");
      writePortalSettings(ctx.db, settings);
      const { version: _v, ...old } = before;
      ctx.audit({
        entity: 'portale',
        entityId: 'impostazioni',
        action: 'impostazioni della sincronizzazione',
        before: old,
        // the credential never reaches the audit log: only that it changed
        after: { ...settings, credenziale: credential === undefined ? 'invariata' : credential === null ? 'rimossa' : 'sostituita' },
      });
      // the secret last: if anything above failed, the transaction rolls back and the old credential stays
      try {
        if (credential === null) secrets.clear();
        else if (credential !== undefined) secrets.set(credential);
      } catch (err) {
        throw new AppError('INTERNAL', `Impossibile conservare la credenziale (${secrets.description}): ${err instanceof Error ? err.message.replace(credential ?? '\u0000', '…') : ''}`);
      }
      const secret = secrets.get();
      return { ...readPortalSettings(ctx.db), credential: { present: secret !== null, masked: maskSecret(secret), where: secrets.description } };
    },
  }),
  procedure({
    name: 'portal.sync.now',
    title: 'Sincronizza ora con il portale delle famiglie: riceve le richieste delle famiglie e pubblica ciò che è in attesa',
    role: 'operatore',
    kind: 'query',
    input: z.object({}),
    output: z.object({ run: runOut }),
    auditedRead: { entity: 'portale', action: 'sincronizzazione manuale con il portale', details: (_i, out) => (out ? { esito: out.run.outcome, ricevuti: out.run.inbound.received, pubblicati: out.run.outbound.published } : null) },
    handler: async (ctx) => {
      const s = readPortalSettings(ctx.db);
      if (s.adapter === 'nessuno') throw new AppError('VALIDATION', 'La sincronizzazione con il portale è spenta: sceglierne il tipo nelle impostazioni del portale');
      const { runner } = portalSyncFor(ctx);
      try {
        const run = await runner.runNow('manuale');
        if (!run) throw new AppError('VALIDATION', 'La sincronizzazione con il portale è spenta');
        return { run };
      } catch (err) {
        if (err instanceof SyncBusyError) throw new AppError('CONFLICT', err.message);
        throw err;
      }
    },
  }),
  procedure({
    name: 'portal.sync.status',
    title: "Lo stato della sincronizzazione con il portale: se è in corso, la prossima, le ultime esecuzioni con ciò che è entrato e uscito e gli errori",
    role: 'operatore',
    kind: 'query',
    input: z.object({ limit: z.number().int().min(1).max(50).default(20) }),
    output: z.object({
      adapter: z.enum(PORTAL_ADAPTERS),
      credentialPresent: z.boolean(),
      background: z.boolean(),
      running: z.boolean(),
      nextRunAt: z.string().nullable(),
      intervalMinutes: z.number(),
      lastRun: runOut.nullable(),
      runs: z.array(runOut),
    }),
    handler: (ctx, input) => {
      const s = readPortalSettings(ctx.db);
      const sync = portalSyncFor(ctx);
      const status = sync.runner.status();
      const runs = readSyncLog(ctx.db).runs.slice(0, input.limit);
      return {
        adapter: s.adapter,
        credentialPresent: sync.secrets.get() !== null,
        background: sync.background,
        running: status.running,
        nextRunAt: s.adapter === 'nessuno' ? null : status.nextRunAt,
        intervalMinutes: s.intervalMinutes,
        lastRun: runs[0] ?? null,
        runs,
      };
    },
  }),
];
