/**
 * F4: a support request a family opened from the portal's virtual assistant reaches the operator
 * as a row of portal_support_requests (open until an operator closes it with a note). The pupil
 * and the payer are resolved when their codici fiscali are known; an unknown or invalid one does
 * not stop the request (someone asked for help: it must reach the office).
 */
import { eq } from 'drizzle-orm';
import { payers, pupils } from '../../db/schema';
import { portalSupportRequests } from '../../db/schema/portal';
import { validateCodiceFiscale } from '../identifiers/codice-fiscale';
import type { InboundEvent } from './contract';
import type { ApplyEnv, Applied } from './apply-common';

type SupportRequest = Extract<InboundEvent, { type: 'supportRequest' }>;

function known(input: string | undefined): string | null {
  if (!input) return null;
  const r = validateCodiceFiscale(input);
  return r.ok ? r.value : null;
}

export function applySupportRequest(env: ApplyEnv, e: SupportRequest, inboundEventId: number): Applied {
  const pupilCf = known(e.pupilTaxCode);
  const payerCf = known(e.payerTaxCode);
  const pupil = pupilCf ? env.db.select({ id: pupils.id }).from(pupils).where(eq(pupils.taxCode, pupilCf)).get() : undefined;
  const payer = payerCf ? env.db.select({ id: payers.id }).from(payers).where(eq(payers.taxCode, payerCf)).get() : undefined;
  const row = env.db
    .insert(portalSupportRequests)
    .values({
      inboundEventId,
      pupilTaxCode: e.pupilTaxCode?.trim().toUpperCase() || null,
      payerTaxCode: e.payerTaxCode?.trim().toUpperCase() || null,
      contact: e.contact?.trim() ?? '',
      pupilId: pupil?.id ?? null,
      payerId: payer?.id ?? null,
      channel: e.channel,
      subject: e.subject.trim() || '(senza oggetto)',
      message: e.message,
      openedAt: new Date(e.occurredAt).toISOString(),
      receivedAt: env.now.toISOString(),
      status: 'aperta',
    })
    .returning()
    .get();
  env.audit({ entity: 'segnalazione', entityId: row.id, action: 'segnalazione dal portale', after: row });
  const who = [pupil ? null : pupilCf ? `alunno ${pupilCf} non in archivio` : null, payer ? null : payerCf ? `pagante ${payerCf} non in archivio` : null].filter(Boolean);
  return {
    status: 'applicato',
    message: `Segnalazione n. ${row.id} aperta per l'operatore: «${row.subject}»${who.length ? ` (${who.join(', ')})` : ''}`,
    links: { pupilId: row.pupilId, payerId: row.payerId, supportRequestId: row.id },
  };
}
