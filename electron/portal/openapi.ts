/**
 * The portal contract as an OpenAPI 3.1 document (issue 13), generated from the zod schemas of
 * ./contract.ts with `z.toJSONSchema` (never written twice). `rette portal-openapi [--out file]`
 * writes it; `resources/portal/openapi.json` is the committed copy, and a test fails when it
 * differs from what the schemas produce (test/unit/portal/openapi.test.ts).
 *
 * What the portal sends is described as the schemas' input (a field with a default may be left
 * out); what the office publishes as their output (every field present).
 */
import { z } from 'zod';
import {
  inboundBatch,
  inboundCancellation,
  inboundCancellationUndo,
  inboundEnrollment,
  inboundEvent,
  inboundNextDayCancellation,
  inboundPersonalData,
  inboundPlainMeal,
  inboundProlongedAbsence,
  inboundReactivation,
  inboundSupportRequest,
  inboundTopUp,
  outboundAck,
  outboundBalance,
  outboundBatch,
  outboundCalendar,
  outboundEnrollmentStatus,
  outboundEvent,
  outboundMeals,
  outboundNews,
  outboundPagopaNotice,
  outboundTax730,
  portalAttachment,
  portalDietRequest,
  portalError,
} from './contract';

export const OPENAPI_VERSION = '1.0.0';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function schemas(entries: [string, z.ZodType][], io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, s] of entries) registry.add(s, { id });
  const out = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'throw' }) as { schemas: Record<string, Json> };
  const clean: Record<string, Json> = {};
  for (const [id, s] of Object.entries(out.schemas)) {
    const { $schema: _s, $id: _i, id: _id, ...rest } = s;
    clean[id] = rest;
  }
  return clean;
}

/** The OpenAPI 3.1 document of the portal contract. */
export function buildOpenApi(): Json {
  const inbound = schemas(
    [
      ['InboundEvent', inboundEvent],
      ['InboundEnrollment', inboundEnrollment],
      ['InboundCancellation', inboundCancellation],
      ['InboundCancellationUndo', inboundCancellationUndo],
      ['InboundNextDayCancellation', inboundNextDayCancellation],
      ['InboundProlongedAbsence', inboundProlongedAbsence],
      ['InboundReactivation', inboundReactivation],
      ['InboundPlainMeal', inboundPlainMeal],
      ['InboundPersonalData', inboundPersonalData],
      ['InboundTopUp', inboundTopUp],
      ['InboundSupportRequest', inboundSupportRequest],
      ['DietRequest', portalDietRequest],
      ['Attachment', portalAttachment],
      ['InboundBatch', inboundBatch],
    ],
    'input',
  );
  // the batch carries events leniently (one unreadable event goes to review, it does not break the
  // batch); the document still says what each event should be
  const batch = inbound.InboundBatch as { properties: { events: Json } };
  batch.properties.events = { ...batch.properties.events, items: ref('InboundEvent') };
  const outbound = schemas(
    [
      ['OutboundEvent', outboundEvent],
      ['OutboundCalendar', outboundCalendar],
      ['OutboundMeals', outboundMeals],
      ['OutboundBalance', outboundBalance],
      ['OutboundPagopaNotice', outboundPagopaNotice],
      ['OutboundNews', outboundNews],
      ['OutboundTax730', outboundTax730],
      ['OutboundEnrollmentStatus', outboundEnrollmentStatus],
      ['OutboundBatch', outboundBatch],
      ['OutboundAck', outboundAck],
      ['Error', portalError],
    ],
    'output',
  );
  const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
  const errors = {
    '400': error('Richiesta non valida'),
    '401': error('Credenziali mancanti o non valide'),
    '429': error('Troppe richieste: riprovare più tardi (intestazione Retry-After)'),
    '500': error('Errore del portale: la richiesta va ripetuta'),
    '503': error('Portale non disponibile: la richiesta va ripetuta'),
  };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Rette Mensa — contratto con il portale delle famiglie',
      version: OPENAPI_VERSION,
      description:
        "Il contratto fra l'ufficio rette e il portale delle famiglie: lotti di eventi con id stabili e un cursore, nei due versi. " +
        "In entrata (GET /inbound) ciò che le famiglie fanno nel portale, nell'app, al telefono o per SMS; in uscita (POST /outbound) ciò che l'ufficio pubblica. " +
        "Chiavi: il codice fiscale dell'alunno e gli id dell'applicazione (mai i codici utente). Ogni evento ha il suo id: ricevuto due volte non cambia nulla. " +
        "Le regole (codice fiscale valido, alunno noto, giorno di servizio) sono giudicate quando l'evento è applicato: un evento non applicabile va nella coda di revisione dell'ufficio, mai perso. " +
        'Generato dagli schemi zod di electron/portal/contract.ts (rette portal-openapi).',
    },
    servers: [{ url: 'https://portale.example/api/rette/v1', description: "Indirizzo d'esempio: quello vero è nella configurazione dell'installazione" }],
    security: [{ bearer: [] }],
    paths: {
      '/inbound': {
        get: {
          operationId: 'getInbound',
          summary: 'Eventi delle famiglie dopo un cursore, nell\'ordine in cui il portale li ha ricevuti',
          parameters: [
            {
              name: 'after',
              in: 'query',
              required: false,
              description: 'Cursore restituito dalla risposta precedente (nextCursor); assente: dall\'inizio',
              schema: { type: 'string', minLength: 1, maxLength: 200 },
            },
            {
              name: 'limit',
              in: 'query',
              required: false,
              description: 'Numero massimo di eventi nella risposta',
              schema: { type: 'integer', minimum: 1, maximum: 1000, default: 500 },
            },
          ],
          responses: {
            '200': { description: 'Un lotto di eventi', content: { 'application/json': { schema: ref('InboundBatch') } } },
            ...errors,
          },
        },
      },
      '/outbound': {
        post: {
          operationId: 'postOutbound',
          summary: "Pubblica un lotto di eventi dell'ufficio; la risposta dice quali id il portale ora possiede",
          requestBody: { required: true, content: { 'application/json': { schema: ref('OutboundBatch') } } },
          responses: {
            '200': { description: 'Esito per evento', content: { 'application/json': { schema: ref('OutboundAck') } } },
            '413': error('Lotto troppo grande: dividerlo'),
            ...errors,
          },
        },
      },
    },
    components: {
      schemas: { ...inbound, ...outbound },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: "Token dell'installazione, rilasciato dal fornitore del portale" } },
    },
  };
}

/** The document as committed: 2-space JSON with a final newline. */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
}
