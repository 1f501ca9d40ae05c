/**
 * The documents an outbound event carries, made when the event is sent rather than when it is
 * queued: a 730 statement's PDF (F1) is printed by pdfkit, which is asynchronous, while the
 * producers run inside a synchronous transaction. The event's id does not include the PDF
 * (outbound.ts TAX730_HASH_EXCLUDE: it is printed with the moment it is made), so adding it at
 * send time keeps re-sending idempotent.
 */
import type { AppDb } from '../../db/open';
import { getCaterer } from '../documents/caterer';
import { romeDateOf } from '../calendar/rome-time';
import { tax730Pdf } from '../tax730/documents';
import { rowIssues, tax730Issues, tax730Rows } from '../tax730/rules';
import type { OutboundEvent } from './contract';

/** The contract's limit on a 730 PDF in base64. */
const MAX_PDF_BASE64 = 2_000_000;

/**
 * Adds the PDF to each 730 event that has none, when the statement can be issued (the caterer's
 * data entered, no problem with the codici fiscali, the same amount as queued); otherwise the event
 * goes out with its amount only, as queued, and the office's 730 screen says what is missing.
 */
export async function withTax730Pdfs(db: AppDb, events: OutboundEvent[], now: Date): Promise<OutboundEvent[]> {
  if (!events.some((e) => e.type === 'tax730' && e.pdfBase64 === null)) return events;
  const caterer = getCaterer(db);
  if (!caterer) return events;
  const out: OutboundEvent[] = [];
  for (const e of events) {
    if (e.type !== 'tax730' || e.pdfBase64 !== null) {
      out.push(e);
      continue;
    }
    // key: 730:<year>:<pupil id>:<payer id> (outbound.ts tax730Drafts)
    const [, , pupil, payer] = e.key.split(':');
    const pupilId = Number(pupil);
    const payerId = Number(payer);
    const rows = tax730Rows(db, e.year, 'mensa', { pupilId, payerId });
    const row = rows.find((r) => r.pupilId === pupilId && r.payerId === payerId);
    if (!row || row.amountCents !== e.amountCents || rowIssues(row, tax730Issues(rows, true)).length > 0) {
      out.push(e);
      continue;
    }
    const pdf = (await tax730Pdf(row, caterer, now, romeDateOf(now))).toString('base64');
    out.push(pdf.length <= MAX_PDF_BASE64 ? { ...e, pdfBase64: pdf } : e);
  }
  return out;
}
