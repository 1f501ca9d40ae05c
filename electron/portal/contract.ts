import { z } from 'zod';

/**
 * The parent-portal contract (issue 13): what a portal sends to the office (inbound) and what the
 * office publishes to the portal (outbound), as batches of events with stable ids and a cursor.
 *
 * The application owns this contract (the vendor's portal publishes none, and a caterer may change
 * vendor): `resources/portal/openapi.json` is generated from these schemas
 * (`npm run rette -- portal-openapi`), never written by hand, and a test fails when the committed
 * document differs from what these schemas produce.
 *
 * Two levels of validation, on purpose:
 * - the ENVELOPE (this file) is structural: an event has a type, an external id, the moment the
 *   family acted, its channel, and the fields of its type with their JSON types. A batch whose
 *   envelope is broken is refused whole (the portal sends it again; nothing is half-applied);
 * - the MEANING (a valid codice fiscale, a known pupil, a service day, an IBAN's check digits) is
 *   judged when the event is applied. An event that cannot be applied goes to the office's review
 *   queue with the reason in Italian: it is never dropped. That is why `taxCode` here is a plain
 *   string and not the checked field of the forms.
 *
 * Keys: the pupil's codice fiscale and the application's own ids (schools, classes, pupils,
 * enrollments as published outbound). User codes (badges) are not keys: portals renumber them.
 * Receiving the same event id twice changes nothing.
 */

// ---------------------------------------------------------------------------------------------
// Shared fields
// ---------------------------------------------------------------------------------------------

/** The portal's own id of an event: stable, unique per portal; the idempotency key. */
export const externalEventId = z.string().min(1).max(100).describe("Id dell'evento nel portale: stabile, unico; ricevuto due volte non cambia nulla");
/** The moment the family acted, with its UTC offset (A2 and A6 are judged on it, not on arrival). */
export const familyMoment = z.iso.datetime({ offset: true }).describe('Momento in cui la famiglia ha agito (ISO 8601 con fuso)');
/** A calendar date, YYYY-MM-DD (Rome). */
export const portalDate = z.iso.date().describe('Data (AAAA-MM-GG, ora di Roma)');
/** A pupil's codice fiscale as the portal holds it; checked when applied. */
export const portalTaxCode = z.string().min(1).max(32).describe('Codice fiscale (verificato quando l\'evento è applicato)');
/** Money in integer euro cents. */
export const portalCents = z.number().int().describe('Importo in centesimi di euro');
/** Where the family acted. */
export const PORTAL_CHANNELS = ['portale', 'app', 'telefono', 'sms'] as const;
export const portalChannel = z.enum(PORTAL_CHANNELS).describe('Canale usato dalla famiglia');

const text = (max: number) => z.string().max(max);

const eventBase = {
  id: externalEventId,
  occurredAt: familyMoment,
  channel: portalChannel,
};

const pupilRef = {
  /** the pupil's codice fiscale: the key */
  pupilTaxCode: portalTaxCode,
};

export const portalPerson = z.object({
  firstName: text(100),
  lastName: text(100),
  taxCode: portalTaxCode,
});

export const portalAddress = z.object({
  street: text(200),
  streetNumber: text(20).optional(),
  postcode: text(10),
  town: text(100),
  province: text(2).optional(),
  country: text(2).default('IT'),
});

/** A file sent with an event (a diet's medical certificate or self-declaration). */
export const portalAttachment = z.object({
  kind: z.enum(['certificato_medico', 'autodichiarazione']),
  fileName: text(200),
  mediaType: text(100).describe('Tipo dichiarato; il contenuto è verificato dai suoi byte'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentBase64: z.string().max(14_000_000).describe('Contenuto in base64 (al massimo 10 MB di file)'),
});

export const portalDietRequest = z.object({
  category: z.enum(['medica', 'etico_religiosa']),
  /** codes of the office's diet catalogue (published outbound with the calendar) */
  dietCodes: z.array(text(40)).max(30),
  details: text(2000).optional(),
  certificateEndsOn: portalDate.optional(),
  attachments: z.array(portalAttachment).max(5).default([]),
});

// ---------------------------------------------------------------------------------------------
// Inbound: what the portal sends
// ---------------------------------------------------------------------------------------------

/** E1/E2/E3/E4/P5: a new enrollment or a renewal (prefilled from last year, checked by the family). */
export const inboundEnrollment = z.object({
  ...eventBase,
  type: z.literal('enrollment'),
  renewal: z.boolean().describe('Rinnovo dell\'anno precedente (E2)'),
  schoolYear: z.string().regex(/^\d{4}\/\d{4}$/).describe('Anno scolastico, es. 2026/2027'),
  pupil: portalPerson.extend({ birthDate: portalDate.optional() }),
  schoolId: z.number().int().positive().describe('Id della scuola pubblicato dall\'ufficio'),
  className: text(40).optional(),
  weekdays: z.array(z.number().int().min(1).max(5)).min(1).describe('Giorni di fruizione, 1 = lunedì … 5 = venerdì (E4)'),
  payer: portalPerson.extend({
    email: text(200),
    mobile: text(30),
    address: portalAddress.optional(),
  }),
  paymentMethod: z.enum(['prepagato', 'sdd']),
  /** P5: for SDD, the account and its holder (who may differ from the payer) */
  sdd: z
    .object({
      iban: text(40),
      holderName: text(140),
      holderTaxCode: portalTaxCode,
    })
    .optional(),
  diets: z.array(portalDietRequest).max(5).default([]),
});

/** A2/A4: the meal of one day cancelled. */
export const inboundCancellation = z.object({ ...eventBase, ...pupilRef, type: z.literal('cancellation'), date: portalDate });
/** A cancellation of one day taken back (the meal booked again). */
export const inboundCancellationUndo = z.object({ ...eventBase, ...pupilRef, type: z.literal('cancellationUndo'), date: portalDate });
/** A6: a cancellation by phone or SMS "for the next useful day": the office finds the day, at the family's moment. */
export const inboundNextDayCancellation = z.object({ ...eventBase, ...pupilRef, type: z.literal('nextDayCancellation') });
/** A3: a prolonged absence from a day, until reactivated. */
export const inboundProlongedAbsence = z.object({ ...eventBase, ...pupilRef, type: z.literal('prolongedAbsence'), from: portalDate });
/** A3: reactivation after a prolonged absence (mandatory to be booked again). */
export const inboundReactivation = z.object({ ...eventBase, ...pupilRef, type: z.literal('reactivation'), from: portalDate });
/** A3: a plain meal ("in bianco") asked for, or taken back. */
export const inboundPlainMeal = z.object({ ...eventBase, ...pupilRef, type: z.literal('plainMeal'), date: portalDate, plain: z.boolean() });

/** E7: the family reports changed personal data (only the fields present change). */
export const inboundPersonalData = z.object({
  ...eventBase,
  ...pupilRef,
  type: z.literal('personalData'),
  payer: z
    .object({
      taxCode: portalTaxCode.describe('Codice fiscale del pagante (chiave, non modificabile dal portale)'),
      email: text(200).optional(),
      mobile: text(30).optional(),
      address: portalAddress.optional(),
    })
    .optional(),
  pupil: z.object({ firstName: text(100).optional(), lastName: text(100).optional() }).optional(),
});

/** P2/P7: a top-up paid through pagoPA (online, or a notice paid later). */
export const inboundTopUp = z.object({
  ...eventBase,
  ...pupilRef,
  type: z.literal('topUp'),
  service: text(40).default('mensa'),
  iuv: text(35).describe('IUV o numero avviso (18 cifre, verificato con il suo controllo mod 93)'),
  amountCents: portalCents.positive(),
  payerTaxCode: portalTaxCode,
  paidAt: familyMoment.describe('Momento del pagamento'),
});

/** F4: a support request opened from the portal's virtual assistant; it reaches the operator. */
export const inboundSupportRequest = z.object({
  ...eventBase,
  type: z.literal('supportRequest'),
  pupilTaxCode: portalTaxCode.optional(),
  payerTaxCode: portalTaxCode.optional(),
  contact: text(200).optional(),
  subject: text(200),
  message: text(5000),
});

export const inboundEvent = z.discriminatedUnion('type', [
  inboundEnrollment,
  inboundCancellation,
  inboundCancellationUndo,
  inboundNextDayCancellation,
  inboundProlongedAbsence,
  inboundReactivation,
  inboundPlainMeal,
  inboundPersonalData,
  inboundTopUp,
  inboundSupportRequest,
]);
export type InboundEvent = z.infer<typeof inboundEvent>;
export type InboundEventType = InboundEvent['type'];

/** GET /inbound?after=<cursor>&limit=<n>: the next events after a cursor, oldest first as the portal received them. */
export const inboundBatch = z.object({
  events: z.array(z.unknown()).max(1000).describe('Eventi (InboundEvent); uno illeggibile va in revisione, non blocca gli altri'),
  nextCursor: z.string().min(1).max(200).nullable().describe('Cursore da passare alla richiesta successiva; null se invariato'),
  hasMore: z.boolean(),
});
export type InboundBatch = z.infer<typeof inboundBatch>;

// ---------------------------------------------------------------------------------------------
// Outbound: what the office publishes
// ---------------------------------------------------------------------------------------------

/**
 * Every outbound event has an id stable for its content: publishing it again (after a timeout, a
 * restart) changes nothing on the portal; a changed content gets a new id (its `key` stays, so
 * the portal replaces the older version).
 */
const outboundBase = {
  id: z.string().min(1).max(200).describe("Id dell'evento: stesso contenuto, stesso id"),
  key: z.string().min(1).max(200).describe("Ciò che l'evento descrive (es. pasti:12:2026-12-07); una versione nuova sostituisce la precedente"),
  publishedAt: familyMoment.describe('Momento della pubblicazione'),
};

const pupilKey = { pupilId: z.number().int().positive(), pupilTaxCode: portalTaxCode };

/** A5/A7: the service calendar of a school: service days and closures. */
export const outboundCalendar = z.object({
  ...outboundBase,
  type: z.literal('calendar'),
  municipalityId: z.number().int().positive(),
  schoolId: z.number().int().positive(),
  schoolName: text(200),
  cutoffTime: z.string().regex(/^\d{2}:\d{2}$/).describe('Orario limite delle disdette (A2)'),
  from: portalDate,
  to: portalDate,
  serviceDays: z.array(portalDate),
  closures: z.array(z.object({ date: portalDate, reason: text(200) })),
});

/** A1/A8: a pupil's meal of a day: booked (before the close) or recorded and charged (after). */
export const outboundMeals = z.object({
  ...outboundBase,
  ...pupilKey,
  type: z.literal('meals'),
  date: portalDate,
  state: z.enum(['prenotato', 'disdetto', 'in_bianco', 'consumato', 'assente', 'non_previsto']),
  closed: z.boolean().describe('Giornata chiusa: il pasto è registrato'),
  chargedCents: portalCents.nullable().describe('Addebito del pasto (giornata chiusa), null prima'),
});

/** P1/P7: a pupil's balance per service and the latest movements (the statement). */
export const outboundBalance = z.object({
  ...outboundBase,
  ...pupilKey,
  type: z.literal('balance'),
  service: text(40),
  schoolYear: text(9),
  balanceCents: portalCents,
  asOf: portalDate,
  movements: z
    .array(z.object({ date: portalDate, description: text(200), amountCents: portalCents }))
    .max(200)
    .describe('Ultimi movimenti, dal più recente'),
});

/** P6: a pagoPA payment notice issued by the office. */
export const outboundPagopaNotice = z.object({
  ...outboundBase,
  ...pupilKey,
  type: z.literal('pagopaNotice'),
  noticeNumber: z.string().regex(/^\d{18}$/),
  amountCents: portalCents.positive(),
  dueDate: portalDate.nullable(),
  description: text(140),
  status: z.enum(['emesso', 'pagato', 'annullato']),
});

/** F3: news and notices from the caterer. */
export const outboundNews = z.object({
  ...outboundBase,
  type: z.literal('news'),
  title: text(200),
  body: text(10_000),
  municipalityIds: z.array(z.number().int().positive()).describe('Comuni interessati; vuoto = tutti'),
  validFrom: portalDate,
  validTo: portalDate.nullable(),
  withdrawn: z.boolean(),
});

/** F1: the yearly 730 statement of what a payer paid for a pupil's meals. */
export const outboundTax730 = z.object({
  ...outboundBase,
  ...pupilKey,
  type: z.literal('tax730'),
  year: z.number().int().min(2000).max(2100),
  payerTaxCode: portalTaxCode,
  amountCents: portalCents,
  pdfBase64: z.string().max(2_000_000).nullable(),
});

/** E1/E6: an enrollment's status; a suspension (D2) is published only as 'servizio_sospeso', never why (D3). */
export const outboundEnrollmentStatus = z.object({
  ...outboundBase,
  ...pupilKey,
  type: z.literal('enrollmentStatus'),
  enrollmentId: z.number().int().positive(),
  schoolYear: text(9),
  schoolId: z.number().int().positive(),
  status: z.enum(['in_lavorazione', 'attiva', 'servizio_sospeso', 'ritirata']),
  /** the id of the inbound enrollment event this answers, when it came from the portal */
  requestId: externalEventId.nullable(),
});

export const outboundEvent = z.discriminatedUnion('type', [
  outboundCalendar,
  outboundMeals,
  outboundBalance,
  outboundPagopaNotice,
  outboundNews,
  outboundTax730,
  outboundEnrollmentStatus,
]);
export type OutboundEvent = z.infer<typeof outboundEvent>;
export type OutboundEventType = OutboundEvent['type'];

/** POST /outbound: a batch of events; the answer says which ids the portal holds now. */
export const outboundBatch = z.object({
  batchId: z.string().min(1).max(100),
  events: z.array(outboundEvent).min(1).max(5000),
});
export type OutboundBatch = z.infer<typeof outboundBatch>;

export const outboundAck = z.object({
  accepted: z.array(z.string()).describe('Id ricevuti (anche quelli già ricevuti prima)'),
  rejected: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export type OutboundAck = z.infer<typeof outboundAck>;

/** The error body of the portal's API. */
export const portalError = z.object({ error: z.string(), message: z.string().optional() });
