/**
 * The printed pagoPA notice (avviso di pagamento) the office hands or sends to the family (P6): the
 * house PDF style (documents/pdf.ts), the notice code in groups of four, the creditor's fiscal code,
 * amount and due date, and the QR code a bank, post office or tobacconist scans, with its payload
 * `PAGOPA|002|<notice number>|<EC fiscal code>|<amount in cents>` (PAYMENTS.md §3) also printed as
 * text. The notice goes to the parent only (D3).
 */
import qrcode from 'qrcode-generator';
import { catererAddress, type Caterer } from '../documents/caterer';
import { dateIt, euro, fileSafe } from '../documents/format';
import { PdfWriter } from '../documents/pdf';
import type { NoticeView } from './notices';

/** The QR payload of a pagoPA notice (PAYMENTS.md §3). */
export function noticeQrPayload(n: Pick<NoticeView, 'noticeNumber' | 'creditorFiscalCode' | 'amountCents'>): string {
  return `PAGOPA|002|${n.noticeNumber}|${n.creditorFiscalCode}|${n.amountCents}`;
}

/** 18 digits in groups of four, as printed on notices: 3012 2025 1000 0042 79. */
export function groupedNoticeNumber(n: string): string {
  return n.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function noticeFileName(n: Pick<NoticeView, 'noticeNumber' | 'payerName'>): string {
  return `avviso-pagopa-${n.noticeNumber}-${fileSafe(n.payerName)}.pdf`;
}

/** Draws the QR code of `payload` with its top-left corner at (x, y), `size` points wide. */
function drawQr(w: PdfWriter, payload: string, x: number, y: number, size: number): void {
  const qr = qrcode(0, 'M');
  qr.addData(payload, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const cell = size / (n + 8); // a quiet zone of 4 modules on each side
  const doc = w.doc;
  doc.save().fillColor('#000000');
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) doc.rect(x + (c + 4) * cell, y + (r + 4) * cell, cell, cell);
  }
  doc.fill().restore();
}

export async function noticePdf(n: NoticeView, caterer: Caterer | null, issuedAt: Date): Promise<Buffer> {
  const w = new PdfWriter({
    title: `Avviso di pagamento pagoPA ${n.noticeNumber}`,
    subject: n.description,
    createdAt: issuedAt,
    footer: caterer ? `${caterer.companyName} · P.IVA ${caterer.vatNumber}` : 'Avviso di pagamento pagoPA',
  });
  if (caterer) w.paragraph(`${caterer.companyName}\n${catererAddress(caterer)}\nP.IVA ${caterer.vatNumber} · C.F. ${caterer.taxCode}`, { size: 9 }).space();
  w.title('Avviso di pagamento pagoPA');
  if (n.status === 'annullato') w.paragraph(`AVVISO ANNULLATO: ${n.cancelReason ?? ''}`, { bold: true }).space(0.3);
  w.fields([
    ['Destinatario', `${n.payerName} · C.F. ${n.payerTaxCode}`],
    ['Alunno', `${n.pupilName} · C.F. ${n.pupilTaxCode}`],
    ['Servizio', `${n.serviceName}, Comune di ${n.municipalityName}`],
    ['Causale', n.description],
    ['Importo', euro(n.amountCents)],
    ['Entro il', dateIt(n.dueOn)],
    ['Codice avviso', groupedNoticeNumber(n.noticeNumber)],
    ['Codice fiscale ente', n.creditorFiscalCode],
    ['IUV', n.iuv],
    ['Emesso il', dateIt(n.issuedOn)],
  ]);
  w.space();
  w.heading('Dove pagare');
  w.paragraph(
    "Online dal portale delle famiglie, con l'app IO o con l'home banking (servizio CBILL/pagoPA); di persona in banca, negli uffici postali, nelle tabaccherie e nei punti vendita abilitati. Indicare il codice avviso e il codice fiscale dell'ente, oppure inquadrare il codice QR.",
    { align: 'justify' },
  );
  w.space();
  w.doc.x = 48;
  const size = 150;
  w.ensureSpace(size + 40);
  const y = w.doc.y;
  drawQr(w, noticeQrPayload(n), 48, y, size);
  w.doc
    .font('regular')
    .fontSize(9)
    .text(`Codice QR pagoPA\n${noticeQrPayload(n)}`, 48 + size + 16, y + 20, { width: w.width - size - 16 });
  w.doc.y = y + size + 8;
  w.paragraph(
    "L'importo accredita il credito dell'alunno per il servizio indicato. Se nel frattempo il pagamento è già stato fatto in altro modo, non pagare questo avviso e avvisare l'ufficio rette.",
    { size: 8.5 },
  );
  return w.finish();
}
