/**
 * Registro incassi: every top-up and manual payment of a period, by municipality and channel, with
 * totals. The office reconciles it with the bank statement and the pagoPA reports. A reversed
 * payment stays in the list, marked, and its reversal is subtracted from the net total.
 */
import { sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import type { PaymentChannel } from '../../db/schema';

export interface RegisterFilter {
  from: string;
  to: string;
  municipalityId?: number;
  channel?: PaymentChannel;
  service?: string;
}

export interface RegisterRow {
  paymentId: number;
  paidOn: string;
  paidAt: string;
  channel: PaymentChannel;
  service: string;
  amountCents: number;
  reversedCents: number;
  municipalityId: number | null;
  municipalityName: string | null;
  pupilId: number;
  pupilName: string;
  userCode: string;
  payerName: string;
  payerTaxCode: string | null;
  noticeNumber: string | null;
  iuv: string | null;
  iur: string | null;
  reference: string;
  source: string;
}

export function paymentRegister(db: AppDb, f: RegisterFilter) {
  const rows = db.all<RegisterRow>(sql`
    SELECT py.id AS paymentId, py.paid_on AS paidOn, py.paid_at AS paidAt, py.channel, py.service, py.amount_cents AS amountCents,
           coalesce((SELECT -sum(r.amount_cents) FROM ledger_entries r WHERE r.payment_id = py.id AND r.kind = 'storno_pagamento'), 0) AS reversedCents,
           py.municipality_id AS municipalityId, m.name AS municipalityName,
           p.id AS pupilId, p.last_name || ' ' || p.first_name AS pupilName, p.user_code AS userCode,
           py.payer_name AS payerName, py.payer_tax_code AS payerTaxCode, py.notice_number AS noticeNumber, py.iuv, py.iur,
           py.reference, py.source
    FROM payments py
    JOIN pupils p ON p.id = py.pupil_id
    LEFT JOIN municipalities m ON m.id = py.municipality_id
    WHERE py.paid_on >= ${f.from} AND py.paid_on <= ${f.to}
      AND (${f.municipalityId ?? null} IS NULL OR py.municipality_id = ${f.municipalityId ?? null})
      AND (${f.channel ?? null} IS NULL OR py.channel = ${f.channel ?? null})
      AND (${f.service ?? null} IS NULL OR py.service = ${f.service ?? null})
    ORDER BY py.paid_on, py.id`);
  const groups = new Map<string, { municipalityId: number | null; municipalityName: string; channel: PaymentChannel; count: number; amountCents: number; reversedCents: number }>();
  for (const r of rows) {
    const k = `${r.municipalityId ?? 0}:${r.channel}`;
    const g = groups.get(k) ?? { municipalityId: r.municipalityId, municipalityName: r.municipalityName ?? '—', channel: r.channel, count: 0, amountCents: 0, reversedCents: 0 };
    g.count++;
    g.amountCents += r.amountCents;
    g.reversedCents += r.reversedCents;
    groups.set(k, g);
  }
  const totals = [...groups.values()]
    .map((g) => ({ ...g, netCents: g.amountCents - g.reversedCents }))
    .sort((a, b) => a.municipalityName.localeCompare(b.municipalityName, 'it') || a.channel.localeCompare(b.channel));
  const amountCents = rows.reduce((s, r) => s + r.amountCents, 0);
  const reversedCents = rows.reduce((s, r) => s + r.reversedCents, 0);
  return { rows, totals, count: rows.length, amountCents, reversedCents, netCents: amountCents - reversedCents };
}
