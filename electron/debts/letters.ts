/**
 * The letters of the debt procedure (issue 11): one PDF per family for one step, produced when the
 * step is recorded and stored with it (db/schema/debts.ts), so what was sent is exactly what the
 * history shows. Caterer header, payer, amount owed per pupil and school year, the step's text with
 * its placeholders filled, the days given to pay. The letter goes to the parent (D3): it is never
 * shown to a school or a kitchen.
 *
 * A mutation runs inside one synchronous transaction, and pdfkit writes synchronously into its
 * stream's buffer: `finishSync` ends the document and drains that buffer at once.
 */
import JSZip from 'jszip';
import { PDFDocument } from 'pdf-lib';
import { catererAddress, type Caterer } from '../documents/caterer';
import { dateIt, euro, fileSafe } from '../documents/format';
import { PdfWriter } from '../documents/pdf';
import { CHANNEL_LABELS } from './ladder';
import type { DebtChannel } from '../../db/schema';

/** Ends a PdfWriter's document and returns its bytes without waiting for a later tick. */
export function finishSync(w: PdfWriter): Buffer {
  void w.finish(); // writes the footers and ends the document synchronously; its promise settles later
  const parts: Buffer[] = [];
  for (let chunk = w.doc.read() as Buffer | null; chunk !== null; chunk = w.doc.read() as Buffer | null) parts.push(chunk);
  return Buffer.concat(parts);
}

export interface LetterLine {
  pupilName: string;
  pupilTaxCode: string;
  schoolYearLabel: string;
  serviceName: string;
  owedCents: number;
}

export interface LetterData {
  stepName: string;
  channel: DebtChannel;
  template: string;
  daysToPay: number;
  payBy: string;
  issuedOn: string;
  issuedAt: Date;
  municipalityName: string;
  payer: { name: string; taxCode: string; address: string; email: string; pec?: string };
  owedCents: number;
  lines: LetterLine[];
}

/** The step's text with its placeholders filled (unknown ones are refused when the ladder is saved). */
export function fillTemplate(template: string, d: LetterData, caterer: Caterer | null): string {
  const values: Record<string, string> = {
    pagante: d.payer.name,
    importo: euro(d.owedCents),
    scadenza: dateIt(d.payBy),
    giorni: String(d.daysToPay),
    comune: d.municipalityName,
    gestore: caterer?.companyName ?? 'il gestore del servizio',
    data: dateIt(d.issuedOn),
  };
  return template.replace(/\{([a-z]+)\}/g, (m, k: string) => values[k] ?? m);
}

export function letterFileName(d: Pick<LetterData, 'stepName' | 'payer' | 'issuedOn'>): string {
  return `${fileSafe(d.stepName).toLowerCase()}-${fileSafe(d.payer.name)}-${d.issuedOn}.pdf`;
}

export function letterPdf(d: LetterData, caterer: Caterer | null): Buffer {
  const w = new PdfWriter({
    title: `${d.stepName} - ${d.payer.name}`,
    subject: `Servizio di refezione scolastica, Comune di ${d.municipalityName}`,
    createdAt: d.issuedAt,
    footer: caterer ? `${caterer.companyName} · P.IVA ${caterer.vatNumber}` : d.stepName,
  });
  if (caterer) {
    const contacts = [caterer.email, caterer.phone].filter(Boolean).join(' · ');
    w.paragraph(`${caterer.companyName}\n${catererAddress(caterer)}\nP.IVA ${caterer.vatNumber} · C.F. ${caterer.taxCode}${contacts ? `\n${contacts}` : ''}`, { size: 9 }).space();
  }
  w.paragraph(`Spett.le\n${d.payer.name}\n${d.payer.address}`, { align: 'right' }).space();
  w.title(d.stepName);
  w.fields([
    ['Pagante', `${d.payer.name} · C.F. ${d.payer.taxCode}`],
    ['Servizio', `Refezione scolastica, Comune di ${d.municipalityName}`],
    ['Data', dateIt(d.issuedOn)],
    ['Inviata con', CHANNEL_LABELS[d.channel]],
  ]);
  w.space();
  for (const para of fillTemplate(d.template, d, caterer).split('\n')) w.paragraph(para, { align: 'justify' }).space(0.3);
  w.heading('Importo da pagare per alunno e anno scolastico');
  const rows = d.lines.map((l) => [`${l.pupilName}\nC.F. ${l.pupilTaxCode}`, l.schoolYearLabel, l.serviceName, euro(l.owedCents)]);
  rows.push(['Totale', '', '', euro(d.owedCents)]);
  w.table(
    [
      { header: 'Alunno', width: 3 },
      { header: 'Anno scolastico', width: 1.4 },
      { header: 'Servizio', width: 1.2 },
      { header: 'Importo', width: 1.2, align: 'right' },
    ],
    rows,
    { boldRows: new Set([rows.length - 1]) },
  );
  w.space().paragraph(`Termine per il pagamento: entro il ${dateIt(d.payBy)} (${d.daysToPay} giorni).`, { bold: true });
  w.paragraph(
    'Il pagamento si effettua con avviso pagoPA dal portale delle famiglie o con bonifico indicando il codice utente dell\'alunno. Per concordare un piano di rientro rivolgersi all\'ufficio rette.',
    { size: 9 },
  );
  return finishSync(w);
}

/** Several stored letters in one zip (the batch of a morning). */
export async function lettersZip(files: { fileName: string; bytes: Buffer }[], at: Date): Promise<Buffer> {
  const zip = new JSZip();
  const used = new Set<string>();
  for (const f of files) {
    let name = f.fileName;
    for (let i = 2; used.has(name); i++) name = f.fileName.replace(/\.pdf$/, `-${i}.pdf`);
    used.add(name);
    zip.file(name, f.bytes, { date: at, binary: true });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/**
 * Several stored letters as one PDF, one after the other in the order given: the morning's batch
 * to print in one go. Each stored letter stays as it was (its own PDF and SHA-256 in the history).
 */
export async function lettersPdf(files: { bytes: Buffer }[], at: Date): Promise<Buffer> {
  const out = await PDFDocument.create();
  for (const f of files) {
    const letter = await PDFDocument.load(f.bytes);
    for (const page of await out.copyPages(letter, letter.getPageIndices())) out.addPage(page);
  }
  out.setTitle('Lettere della procedura di recupero');
  out.setCreationDate(at);
  out.setModificationDate(at);
  return Buffer.from(await out.save());
}
