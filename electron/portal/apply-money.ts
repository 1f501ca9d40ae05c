/**
 * P2/P7: a top-up paid through pagoPA, sent by the portal, becomes a receipt of the ledger
 * (electron/ledger/payments.ts: the numero avviso checked mod 93, the IUV unique, the entry on the
 * pupil's account of the named service, booked on the day the family paid). A receipt whose IUV
 * was already credited (the office typed it, or the import of the pagoPA report had it) is
 * 'duplicato': nothing is credited twice, and it is not an error.
 */
import { duplicateIuvMessage, existingIuv, iuvOfNotice, registerPagopaReceipt } from '../ledger/payments';
import type { InboundEvent } from './contract';
import { pupilByTaxCode, type ApplyEnv, type Applied } from './apply-common';

type TopUp = Extract<InboundEvent, { type: 'topUp' }>;

const euro = (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',')} €`;

export function applyTopUp(env: ApplyEnv, e: TopUp): Applied {
  const pupil = pupilByTaxCode(env.db, e.pupilTaxCode);
  const { iuv } = iuvOfNotice(e.iuv, 'iuv');
  const dup = existingIuv(env.db, iuv);
  if (dup) return { status: 'duplicato', message: duplicateIuvMessage(iuv, dup), links: { pupilId: pupil.id, paymentId: dup.id } };
  const r = registerPagopaReceipt(
    env.db,
    {
      pupilId: pupil.id,
      service: e.service.trim().toLowerCase(),
      noticeNumber: e.iuv,
      amountCents: e.amountCents,
      paidAt: e.paidAt,
      payerTaxCode: e.payerTaxCode,
      source: 'portale',
      note: `Portale delle famiglie, evento ${e.id}`,
    },
    { userId: env.userId, at: env.now },
  );
  env.audit({ entity: 'incasso', entityId: r.payment.id, action: 'ricevuta pagoPA dal portale', after: r.payment });
  return {
    status: 'applicato',
    message: `Ricarica di ${euro(e.amountCents)} (${r.payment.service}) accreditata a ${pupil.lastName} ${pupil.firstName}: IUV ${iuv}, pagata il ${r.payment.paidOn.split('-').reverse().join('/')}`,
    links: { pupilId: pupil.id, payerId: r.payment.payerId, paymentId: r.payment.id, ledgerEntryId: r.entry.id },
  };
}
