/**
 * D1: the evidence pack ("fascicolo") of one family for the municipality's forced collection: one
 * PDF a municipality can defend. In order:
 * 1. a cover (house PDF style): payer and codice fiscale, pupils, amounts by pupil and school year,
 *    unpaid pagoPA notices, every step taken with its delivery, and the index of the documents that
 *    follow with the SHA-256 of each stored file;
 * 2. the family's statement (statements/documents.ts) from the start of the oldest school year owed
 *    to today;
 * 3. for each step, oldest first, the letter exactly as stored and then its delivery evidence: a
 *    stored PDF is appended page by page, a JPEG or PNG scan is placed on a page of its own, a PEC
 *    receipt (.eml or XML) is printed as text. A file that cannot be read is listed on the cover as
 *    not included (its SHA-256 still identifies it).
 *
 * pdfkit writes the new pages (the house writer); pdf-lib only copies the pages of the stored PDFs
 * into the pack, which pdfkit cannot do. Supervisors only, audited (report-procedures.ts).
 */
import { PDFDocument } from 'pdf-lib';
import { inArray } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { debtSteps, schoolYears } from '../../db/schema';
import { notFound } from '../contract/errors';
import { catererAddress, type Caterer } from '../documents/caterer';
import { dateIt, euro, fileSafe } from '../documents/format';
import { PdfWriter } from '../documents/pdf';
import { statementPdf } from '../statements/documents';
import { statementForFamily } from '../statements/statement';
import { CHANNEL_LABELS, getLadder } from './ladder';
import { groupedNoticeNumber } from './notice-pdf';
import { familyPosition } from './positions';
import { familySteps, nameLines, payerInfo, type StepRow } from './steps';

interface StoredFiles {
  document: Buffer;
  evidence: Buffer | null;
}

function storedFiles(db: AppDb, stepIds: number[]): Map<number, StoredFiles> {
  if (!stepIds.length) return new Map();
  const rows = db.select({ id: debtSteps.id, document: debtSteps.document, evidence: debtSteps.evidence }).from(debtSteps).where(inArray(debtSteps.id, stepIds)).all();
  return new Map(rows.map((r) => [r.id, { document: r.document, evidence: r.evidence }]));
}

async function loadPdf(bytes: Buffer): Promise<PDFDocument | null> {
  try {
    return await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  } catch {
    return null;
  }
}

const footerOf = (caterer: Caterer | null) => (caterer ? `${caterer.companyName} · P.IVA ${caterer.vatNumber}` : 'Fascicolo per la riscossione');

/** A page of its own for a scan (image) or a PEC receipt (text) of a step's delivery. */
async function evidencePage(step: StepRow, bytes: Buffer, caterer: Caterer | null, at: Date): Promise<Buffer | null> {
  const w = new PdfWriter({ title: `Prova di consegna - ${step.stepName}`, createdAt: at, footer: footerOf(caterer) });
  w.heading(`Prova di consegna: ${step.stepName} del ${dateIt(step.reachedOn)}`);
  w.fields([
    ['File', step.evidenceFileName ?? ''],
    ['Consegnata il', step.deliveredOn ? dateIt(step.deliveredOn) : ''],
    ['Ricevuta n.', step.receiptNumber ?? ''],
    ['SHA-256', step.evidenceSha256 ?? ''],
  ]);
  w.space();
  if (step.evidenceMimeType === 'image/jpeg' || step.evidenceMimeType === 'image/png') {
    try {
      const top = w.doc.y;
      w.doc.image(bytes, 48, top, { fit: [w.width, w.doc.page.height - top - 110], align: 'center' });
    } catch {
      return null;
    }
  } else {
    const text = bytes.toString('utf8');
    const shown = text.length > 12_000 ? `${text.slice(0, 12_000)}\n[… ${text.length - 12_000} caratteri non riportati: il file completo è identificato dalla sua impronta SHA-256]` : text;
    w.paragraph(shown.replace(/\r\n?/g, '\n'), { size: 7.5 });
  }
  return w.finish();
}

type Part = { kind: 'cover' | 'statement' | 'letter' | 'evidence'; bytes: Buffer; doc: PDFDocument };

export interface EvidencePack {
  fileName: string;
  bytes: Buffer;
  /** documents in the pack (cover, statement, letters, evidence files) */
  documents: number;
  payerName: string;
}

export async function evidencePack(db: AppDb, today: string, payerId: number, municipalityId: number, caterer: Caterer | null, at: Date): Promise<EvidencePack> {
  const payer = payerInfo(db, [payerId]).get(payerId);
  if (!payer) throw notFound('Pagante');
  const ladder = getLadder(db, municipalityId);
  const position = familyPosition(db, today, payerId, municipalityId);
  const lines = nameLines(db, position.lines);
  const history = familySteps(db, payerId, municipalityId);
  const files = storedFiles(db, history.map((s) => s.id));

  // the statement: from the start of the oldest school year owed (else a year back) to today
  const yearIds = [...new Set(lines.map((l) => l.schoolYearId))];
  const starts = yearIds.length ? db.select({ startsOn: schoolYears.startsOn }).from(schoolYears).where(inArray(schoolYears.id, yearIds)).all().map((y) => y.startsOn) : [];
  const firstStep = history[0]?.reachedOn;
  let from = starts.length ? starts.sort()[0] : `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
  if (firstStep && firstStep < from) from = firstStep;
  if (from > today) from = today;
  const statement = statementForFamily(db, payerId, from, today);
  const statementBytes = await statementPdf(statement, caterer, at, today);

  // the stored files, read first so that the cover can say which could not be included
  const stepParts: { step: StepRow; letter: PDFDocument | null; evidence: { bytes: Buffer; doc: PDFDocument } | null; evidenceNote: string }[] = [];
  for (const step of history) {
    const f = files.get(step.id)!;
    const letter = await loadPdf(f.document);
    let evidence: { bytes: Buffer; doc: PDFDocument } | null = null;
    let evidenceNote = step.evidenceFileName ? '' : step.deliveredOn ? 'nessun file (consegna registrata con la ricevuta)' : 'consegna non registrata';
    if (f.evidence) {
      const bytes = step.evidenceMimeType === 'application/pdf' ? f.evidence : await evidencePage(step, f.evidence, caterer, at);
      const doc = bytes ? await loadPdf(bytes) : null;
      if (bytes && doc) {
        evidence = { bytes, doc };
        evidenceNote = step.evidenceMimeType === 'application/pdf' ? 'PDF allegato' : step.evidenceMimeType?.startsWith('image/') ? 'immagine riportata su una pagina' : 'ricevuta PEC riportata come testo';
      } else evidenceNote = 'file non leggibile, non allegato (identificato dalla sua impronta)';
    }
    stepParts.push({ step, letter, evidence, evidenceNote });
  }

  // the cover
  const w = new PdfWriter({ title: `Fascicolo per la riscossione - ${payer.name}`, subject: `Comune di ${ladder.municipalityName}`, createdAt: at, footer: footerOf(caterer) });
  if (caterer) w.paragraph(`${caterer.companyName}\n${catererAddress(caterer)}\nP.IVA ${caterer.vatNumber} · C.F. ${caterer.taxCode}`, { size: 9 }).space();
  w.title('Fascicolo del debitore per la riscossione coattiva');
  w.paragraph(`Comune di ${ladder.municipalityName} · situazione al ${dateIt(today)} · ingiunzione fiscale o iscrizione a ruolo`, { size: 9 }).space();
  const pupils = [...new Map(lines.map((l) => [l.pupilId, `${l.pupilName} · C.F. ${l.pupilTaxCode}`])).values()];
  w.fields([
    ['Pagante', payer.name],
    ['Codice fiscale', payer.taxCode],
    ['Indirizzo', payer.address],
    ['E-mail', payer.email],
    ['Alunni', pupils.join('\n')],
    ['Debito', euro(position.owedCents)],
    ['Non pagato dal', position.owedCents > 0 ? `${dateIt(position.oldestUnpaidOn)} (${position.ageDays} giorni)` : '—'],
  ]);
  w.heading('Importi dovuti per alunno e anno scolastico');
  const amountRows = lines.map((l) => [`${l.pupilName}\nC.F. ${l.pupilTaxCode}`, l.schoolYearLabel, l.serviceName, dateIt(l.oldestUnpaidOn), euro(l.owedCents)]);
  amountRows.push(['Totale', '', '', '', euro(position.owedCents)]);
  w.table(
    [
      { header: 'Alunno', width: 3 },
      { header: 'Anno scolastico', width: 1.4 },
      { header: 'Servizio', width: 1.2 },
      { header: 'Non pagato dal', width: 1.3 },
      { header: 'Importo', width: 1.2, align: 'right' },
    ],
    amountRows,
    { boldRows: new Set([amountRows.length - 1]) },
  );
  if (position.notices.length) {
    w.heading('Avvisi pagoPA emessi e non pagati');
    w.table(
      [
        { header: 'Codice avviso', width: 2.4 },
        { header: 'Scadenza', width: 1.2 },
        { header: 'Giorni di ritardo', width: 1.2, align: 'right' },
        { header: 'Importo', width: 1.2, align: 'right' },
      ],
      position.notices.map((n) => [groupedNoticeNumber(n.noticeNumber), dateIt(n.dueOn), String(n.overdueDays), euro(n.amountCents)]),
    );
    w.paragraph("Gli avvisi non aggiungono debito: l'importo dovuto è quello del libro contabile, che un avviso pagato riduce.", { size: 8.5 });
  }
  w.heading('Passi della procedura di recupero');
  if (!history.length) w.paragraph('Nessun passo registrato.');
  else {
    w.table(
      [
        { header: 'Passo', width: 1.9 },
        { header: 'Mezzo', width: 1.9 },
        { header: 'Inviato il', width: 1.25 },
        { header: 'Importo', width: 1.1, align: 'right' },
        { header: 'Termine', width: 1.25 },
        { header: 'Consegnato il', width: 1.25 },
        { header: 'Ricevuta n.', width: 1.5 },
      ],
      history.map((s) => [s.stepName, CHANNEL_LABELS[s.channel], dateIt(s.reachedOn), euro(s.amountCents), dateIt(s.payBy), s.deliveredOn ? dateIt(s.deliveredOn) : '—', s.receiptNumber ?? '—']),
      { fontSize: 8 },
    );
  }
  w.heading('Documenti che seguono');
  const index: string[][] = [['1', `Estratto conto della famiglia dal ${dateIt(from)} al ${dateIt(today)}`, '']];
  let n = 2;
  for (const p of stepParts) {
    index.push([String(n++), `Lettera «${p.step.stepName}» del ${dateIt(p.step.reachedOn)}${p.letter ? '' : ' (file non leggibile, non allegato)'}`, p.step.documentSha256]);
    if (p.step.evidenceFileName || p.step.deliveredOn) {
      index.push([p.evidence ? String(n++) : '—', `Prova di consegna${p.step.evidenceFileName ? ` «${p.step.evidenceFileName}»` : ''}: ${p.evidenceNote}`, p.step.evidenceSha256 ?? '']);
    }
  }
  w.table(
    [
      { header: 'N.', width: 0.4 },
      { header: 'Documento', width: 3.6 },
      { header: 'SHA-256 del file conservato', width: 3.2 },
    ],
    index,
    { fontSize: 8 },
  );
  w.paragraph("Le lettere e le prove di consegna sono riportate come conservate al momento dell'invio e della registrazione; l'impronta SHA-256 permette di verificarne l'integrità.", { size: 8.5 });
  const coverBytes = await w.finish();

  const parts: Part[] = [];
  parts.push({ kind: 'cover', bytes: coverBytes, doc: (await loadPdf(coverBytes))! });
  parts.push({ kind: 'statement', bytes: statementBytes, doc: (await loadPdf(statementBytes))! });
  for (const p of stepParts) {
    if (p.letter) parts.push({ kind: 'letter', bytes: files.get(p.step.id)!.document, doc: p.letter });
    if (p.evidence) parts.push({ kind: 'evidence', bytes: p.evidence.bytes, doc: p.evidence.doc });
  }

  const out = await PDFDocument.create({ updateMetadata: false });
  out.setTitle(`Fascicolo per la riscossione - ${payer.name}`);
  out.setSubject(`Comune di ${ladder.municipalityName}, situazione al ${dateIt(today)}`);
  out.setAuthor('Rette Mensa');
  out.setCreator('Rette Mensa');
  out.setProducer('Rette Mensa (pdfkit, pdf-lib)');
  out.setCreationDate(at);
  out.setModificationDate(at);
  out.setLanguage('it-IT');
  for (const part of parts) {
    const pages = await out.copyPages(part.doc, part.doc.getPageIndices());
    for (const page of pages) out.addPage(page);
  }
  const bytes = Buffer.from(await out.save({ useObjectStreams: false }));
  return { fileName: `fascicolo-${fileSafe(ladder.municipalityName).toLowerCase()}-${fileSafe(payer.name)}-${today}.pdf`, bytes, documents: parts.length, payerName: payer.name };
}
