/**
 * The portal contract's OpenAPI document (issue 13): the committed file is what the zod schemas
 * produce, it is valid OpenAPI 3.1, and example events validate both against the document's JSON
 * Schemas (ajv, draft 2020-12) and against the zod schemas the code uses.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import { buildOpenApi, openApiJson } from '../../../electron/portal/openapi';
import { inboundBatch, inboundEvent, outboundAck, outboundBatch } from '../../../electron/portal/contract';
import { main } from '../../../electron/cli/rette';
import os from 'node:os';

const COMMITTED = path.join(__dirname, '..', '..', '..', 'resources', 'portal', 'openapi.json');

type Doc = { components: { schemas: Record<string, unknown> } };

/** An ajv that knows every component schema under its own $ref address. */
function ajvFor(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'rette-portale', components: doc.components });
  return (name: string) => ajv.getSchema(`rette-portale#/components/schemas/${name}`)!;
}

const AT = '2026-10-12T09:10:00+02:00';
const CF = 'BNCLCU18C14C800X';
const PDF = Buffer.from('%PDF-1.4\n% certificato\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const EXAMPLES: unknown[] = [
  { id: 'ev-1', type: 'cancellation', occurredAt: AT, channel: 'portale', pupilTaxCode: CF, date: '2026-10-12' },
  { id: 'ev-2', type: 'cancellationUndo', occurredAt: AT, channel: 'app', pupilTaxCode: CF, date: '2026-10-13' },
  { id: 'ev-3', type: 'nextDayCancellation', occurredAt: '2026-10-09T19:00:00+02:00', channel: 'sms', pupilTaxCode: CF },
  { id: 'ev-4', type: 'prolongedAbsence', occurredAt: AT, channel: 'telefono', pupilTaxCode: CF, from: '2026-10-14' },
  { id: 'ev-5', type: 'reactivation', occurredAt: AT, channel: 'portale', pupilTaxCode: CF, from: '2026-10-20' },
  { id: 'ev-6', type: 'plainMeal', occurredAt: AT, channel: 'portale', pupilTaxCode: CF, date: '2026-10-12', plain: true },
  { id: 'ev-7', type: 'personalData', occurredAt: AT, channel: 'portale', pupilTaxCode: CF, payer: { taxCode: 'BNCNNA80A41C800X', email: 'anna@example.it', address: { street: 'Via Roma', postcode: '24023', town: 'Clusone' } } },
  { id: 'ev-8', type: 'topUp', occurredAt: AT, channel: 'app', pupilTaxCode: CF, iuv: '302000000000000017', amountCents: 5000, payerTaxCode: 'BNCNNA80A41C800X', paidAt: AT },
  { id: 'ev-9', type: 'supportRequest', occurredAt: AT, channel: 'portale', subject: 'Saldo errato', message: 'Il saldo non torna.\nGrazie' },
  {
    id: 'ev-10',
    type: 'enrollment',
    occurredAt: AT,
    channel: 'portale',
    renewal: false,
    schoolYear: '2026/2027',
    pupil: { firstName: 'Luca', lastName: 'Bianchi', taxCode: CF, birthDate: '2018-03-14' },
    schoolId: 1,
    className: '3A',
    weekdays: [1, 2, 3, 4, 5],
    payer: { firstName: 'Anna', lastName: 'Bianchi', taxCode: 'BNCNNA80A41C800X', email: 'anna@example.it', mobile: '3471234567' },
    paymentMethod: 'sdd',
    sdd: { iban: 'IT60X0542811101000000123456', holderName: 'Anna Bianchi', holderTaxCode: 'BNCNNA80A41C800X' },
    diets: [{ category: 'medica', dietCodes: ['celiachia'], attachments: [{ kind: 'certificato_medico', fileName: 'cert.pdf', mediaType: 'application/pdf', sha256: sha(PDF), contentBase64: PDF.toString('base64') }] }],
  },
];

describe('documento OpenAPI del portale', () => {
  it('il file committato è quello generato dagli schemi zod (rigenerarlo con «npm run rette -- portal-openapi --out resources/portal/openapi.json»)', () => {
    expect(fs.readFileSync(COMMITTED, 'utf8')).toBe(openApiJson());
  });

  it('«rette portal-openapi --out» scrive lo stesso documento', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-openapi-'));
    const out = path.join(dir, 'sotto', 'openapi.json');
    const log = console.log;
    console.log = () => {};
    try {
      expect(await main(['portal-openapi', '--out', out])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(fs.readFileSync(out, 'utf8')).toBe(openApiJson());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('è un documento OpenAPI 3.1 valido, con i due percorsi del contratto', async () => {
    const doc = JSON.parse(openApiJson()) as Record<string, unknown>;
    const r = await validate(structuredClone(doc) as never);
    expect(r.valid, JSON.stringify(r.valid ? [] : r.errors).slice(0, 2000)).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths as object).sort()).toEqual(['/inbound', '/outbound']);
  });

  it('un documento rotto non passa la validazione (il validatore controlla davvero)', async () => {
    const doc = JSON.parse(openApiJson()) as { paths: Record<string, { get: { parameters: { in: string }[] } }> };
    doc.paths['/inbound'].get.parameters[0].in = 'altrove';
    const r = await validate(doc as never);
    expect(r.valid).toBe(false);
  });

  it('gli eventi di esempio sono validi sia per gli schemi JSON del documento sia per zod', () => {
    const schema = ajvFor(buildOpenApi() as Doc);
    const asJson = schema('InboundEvent');
    for (const ev of EXAMPLES) {
      expect(asJson(ev), `${JSON.stringify(ev).slice(0, 80)}: ${JSON.stringify(asJson.errors)}`).toBe(true);
      expect(inboundEvent.safeParse(ev).success).toBe(true);
    }
    const batch = { events: EXAMPLES, nextCursor: 'c-10', hasMore: false };
    expect(schema('InboundBatch')(batch)).toBe(true);
    expect(inboundBatch.safeParse(batch).success).toBe(true);
  });

  it('un evento malformato è rifiutato da entrambi (stesse regole, scritte una volta)', () => {
    const asJson = ajvFor(buildOpenApi() as Doc)('InboundEvent');
    const bad: unknown[] = [
      { id: 'x', type: 'cancellation', occurredAt: 'ieri', channel: 'portale', pupilTaxCode: CF, date: '2026-10-12' },
      { id: 'x', type: 'cancellation', occurredAt: AT, channel: 'piccione', pupilTaxCode: CF, date: '2026-10-12' },
      { id: 'x', type: 'topUp', occurredAt: AT, channel: 'app', pupilTaxCode: CF, iuv: '1', amountCents: 10.5, payerTaxCode: 'X', paidAt: AT },
      { id: '', type: 'supportRequest', occurredAt: AT, channel: 'portale', subject: 's', message: 'm' },
      { id: 'x', type: 'teletrasporto', occurredAt: AT, channel: 'portale' },
    ];
    for (const ev of bad) {
      expect(asJson(ev), JSON.stringify(ev)).toBe(false);
      expect(inboundEvent.safeParse(ev).success, JSON.stringify(ev)).toBe(false);
    }
  });

  it('un lotto in uscita e la risposta del portale sono validi per il documento e per zod', () => {
    const schema = ajvFor(buildOpenApi() as Doc);
    const batch = {
      batchId: 'b-1',
      events: [
        { id: 'o-1', key: 'news:1', publishedAt: '2026-10-12T08:00:00Z', type: 'news', title: 'Menu invernale', body: 'Dal 2 novembre', municipalityIds: [], validFrom: '2026-11-02', validTo: null, withdrawn: false },
        { id: 'o-2', key: 'pasti:1:2026-10-12', publishedAt: '2026-10-12T08:00:00Z', type: 'meals', pupilId: 1, pupilTaxCode: CF, date: '2026-10-12', state: 'consumato', closed: true, chargedCents: 618 },
      ],
    };
    expect(schema('OutboundBatch')(batch)).toBe(true);
    expect(outboundBatch.safeParse(batch).success).toBe(true);
    const ack = { accepted: ['o-1'], rejected: [{ id: 'o-2', reason: 'alunno sconosciuto' }] };
    expect(schema('OutboundAck')(ack)).toBe(true);
    expect(outboundAck.safeParse(ack).success).toBe(true);
  });
});
