/**
 * The 730 documents: one PDF per pupil-payer pair, the Excel list, and the batch.
 *
 * The batch is one .zip holding one PDF per pupil-payer pair plus the Excel list. Why not one
 * merged PDF: each statement goes to a different family (e-mail attachment, upload to the parent
 * portal, printed for the desk), and a merged file would have to be split by hand and risks sending
 * one family's data to another (GDPR); files named after payer and pupil can be found and sent one
 * by one, and the list says which pairs were left out and why. One zip is also one download in
 * browser mode and one "Salva" in the desktop app.
 */
import JSZip from 'jszip';
import { catererAddress, type Caterer } from '../documents/caterer';
import { dateIt, euro, fileSafe } from '../documents/format';
import { PdfWriter } from '../documents/pdf';
import { Workbook } from '../documents/workbook';
import { rowIssues, type Tax730Issue, type Tax730Row } from './rules';

export function pairFileName(r: Tax730Row): string {
  return `730-${r.year}-${r.service}-${fileSafe(r.pupilName)}-${r.pupilTaxCode}-pagante-${r.payerTaxCode || 'sconosciuto'}.pdf`;
}

export async function tax730Pdf(r: Tax730Row, caterer: Caterer, issuedAt: Date, issuedOn: string): Promise<Buffer> {
  const w = new PdfWriter({
    title: `Spese di refezione scolastica ${r.year} - ${r.pupilName}`,
    subject: `Dichiarazione delle spese sostenute nell'anno ${r.year} (modello 730)`,
    createdAt: issuedAt,
    footer: `${caterer.companyName} · P.IVA ${caterer.vatNumber}`,
  });
  w.paragraph(caterer.companyName, { bold: true, size: 11 });
  w.paragraph(`${catererAddress(caterer)}\nPartita IVA ${caterer.vatNumber} · Codice fiscale ${caterer.taxCode}${caterer.email ? `\n${caterer.email}` : ''}${caterer.phone ? ` · tel. ${caterer.phone}` : ''}`, { size: 9 });
  w.space(1.2);
  w.title(`Dichiarazione delle spese per il servizio di ${r.serviceName.toLowerCase()} – anno ${r.year}`);
  w.paragraph(
    "Spese per istruzione non universitaria (art. 15, comma 1, lettera e-bis, TUIR): modello 730, quadro E, righi E8-E10, codice 12.",
    { size: 9 },
  );
  w.space();
  const fields: [string, string][] = [];
  if (r.namesPupil) fields.push(['Intestatario', `${r.pupilName} (alunno), spesa divisa tra i genitori`]);
  fields.push(
    ['Alunno', r.pupilName],
    ["Codice fiscale dell'alunno", r.pupilTaxCode],
    ['Scuola', `${r.schoolName} (${r.municipalityName})`],
    ['Servizio', r.serviceName],
    ['Pagante', r.payerName],
    ['Codice fiscale del pagante', r.payerTaxCode],
    ['Anno solare', String(r.year)],
    ["Importo pagato nell'anno", euro(r.amountCents)],
    ['Mezzi di pagamento', r.channels.length ? `${r.channels.join(', ')} (tracciabili)` : '—'],
  );
  w.fields(fields, 170);
  w.space();
  w.paragraph(
    `Si dichiara che nell'anno ${r.year} per il servizio di ${r.serviceName.toLowerCase()} dell'alunno ${r.pupilName} sono stati pagati, con mezzi di pagamento tracciabili, ${euro(r.amountCents)}.`,
    { align: 'justify' },
  );
  w.space(0.4);
  w.paragraph(
    "L'importo comprende i pagamenti effettivamente incassati nell'anno, alla data del pagamento pagoPA, dell'accredito del bonifico o dell'addebito SDD; sono esclusi i pagamenti in contanti, gli addebiti SDD non pagati (insoluti) e le commissioni bancarie degli addebiti; i rimborsi ricevuti sono sottratti.",
    { size: 9, align: 'justify' },
  );
  if (r.namesPupil) {
    w.heading('Ripartizione della spesa tra i genitori');
    w.table(
      [
        { header: 'Genitore', width: 3 },
        { header: 'Codice fiscale', width: 2.4 },
        { header: 'Quota', width: 1, align: 'right' },
        { header: 'Importo', width: 1.4, align: 'right' },
      ],
      r.shares.map((s) => [s.name, s.taxCode, `${s.pct}%`, euro(s.amountCents)]),
    );
  }
  w.space(1.5);
  w.paragraph("Documento esente dall'imposta di bollo. Verificare i codici fiscali del pagante e dell'alunno prima di usarlo nella dichiarazione dei redditi.", { size: 8.5 });
  w.space();
  w.paragraph(`${caterer.town}, ${dateIt(issuedOn)}`);
  w.paragraph(caterer.companyName, { bold: true });
  return w.finish();
}

export async function tax730Xlsx(rows: Tax730Row[], issues: Tax730Issue[], year: number, serviceName: string, generated?: Set<Tax730Row>): Promise<{ buffer: Buffer; rows: number }> {
  const wb = new Workbook(`Dichiarazioni 730 ${year} – ${serviceName}`);
  const outcome = (r: Tax730Row) => {
    const mine = rowIssues(r, issues);
    if (mine.length) return `Da correggere: ${mine.map((i) => i.message).join('; ')}`;
    if (r.amountCents === 0) return 'Nessun importo tracciabile: nessuna dichiarazione';
    return generated ? (generated.has(r) ? 'Generata' : 'Non generata') : 'Pronta';
  };
  const share = (r: Tax730Row, i: number) => r.shares[i];
  const count = wb.sheet<Tax730Row>('Dichiarazioni 730', [
    { header: 'Anno', type: 'number', value: (r) => r.year },
    { header: 'Servizio', value: (r) => r.serviceName },
    { header: 'Pagante', value: (r) => r.payerName, width: 26 },
    { header: 'CF pagante', type: 'text', value: (r) => r.payerTaxCode, width: 20 },
    { header: 'Alunno', value: (r) => r.pupilName, width: 26 },
    { header: 'CF alunno', type: 'text', value: (r) => r.pupilTaxCode, width: 20 },
    { header: 'Scuola', value: (r) => r.schoolName, width: 26 },
    { header: 'Comune', value: (r) => r.municipalityName, width: 16 },
    { header: 'Importo 730', type: 'euro', value: (r) => r.amountCents, width: 14 },
    { header: 'Pagato tracciabile', type: 'euro', value: (r) => r.traceableCents, width: 16 },
    { header: 'Insoluti esclusi', type: 'euro', value: (r) => r.returnedCents, width: 15 },
    { header: 'Rimborsi', type: 'euro', value: (r) => r.refundedCents },
    { header: 'Commissioni SDD escluse', type: 'euro', value: (r) => r.commissionCents, width: 16 },
    { header: 'Contanti (esclusi)', type: 'euro', value: (r) => r.cashCents, width: 15 },
    { header: 'Mezzi di pagamento', value: (r) => r.channels.join(', '), width: 22 },
    { header: 'Intestata a', value: (r) => (r.namesPupil ? 'Alunno' : 'Pagante') },
    { header: 'Quota pagante %', type: 'number', value: (r) => share(r, 0)?.pct },
    { header: 'Importo pagante', type: 'euro', value: (r) => share(r, 0)?.amountCents },
    { header: 'Secondo genitore', value: (r) => share(r, 1)?.name, width: 24 },
    { header: 'CF secondo genitore', type: 'text', value: (r) => share(r, 1)?.taxCode, width: 20 },
    { header: 'Quota secondo genitore %', type: 'number', value: (r) => share(r, 1)?.pct },
    { header: 'Importo secondo genitore', type: 'euro', value: (r) => share(r, 1)?.amountCents },
    { header: 'Esito', value: outcome, width: 50 },
  ], rows);
  if (issues.length) {
    wb.sheet<Tax730Issue>('Controllo codici fiscali', [
      { header: 'Chi', value: (i) => ({ ditta: 'Ditta', pagante: 'Pagante', alunno: 'Alunno', secondo_genitore: 'Secondo genitore' })[i.kind] },
      { header: 'Nome', value: (i) => i.name, width: 28 },
      { header: 'Codice fiscale', type: 'text', value: (i) => i.taxCode, width: 20 },
      { header: 'Problema', value: (i) => i.message, width: 70 },
    ], issues);
  }
  return { buffer: await wb.toBuffer(), rows: count };
}

/** One zip: a PDF per pupil-payer pair with an amount and no issue, plus the Excel list. */
export async function tax730Batch(
  rows: Tax730Row[],
  issues: Tax730Issue[],
  caterer: Caterer,
  issuedAt: Date,
  issuedOn: string,
): Promise<{ zip: Buffer; generated: number; skipped: number }> {
  const zip = new JSZip();
  const date = issuedAt;
  const generated = new Set<Tax730Row>();
  const names = new Set<string>();
  for (const r of rows) {
    if (r.amountCents === 0 || rowIssues(r, issues).length) continue;
    let name = pairFileName(r);
    for (let n = 2; names.has(name); n++) name = pairFileName(r).replace(/\.pdf$/, `-${n}.pdf`);
    names.add(name);
    zip.file(name, await tax730Pdf(r, caterer, issuedAt, issuedOn), { date, binary: true });
    generated.add(r);
  }
  const year = rows[0]?.year ?? 0;
  const list = await tax730Xlsx(rows, issues, year, rows[0]?.serviceName ?? '', generated);
  zip.file(`elenco-730-${year}.xlsx`, list.buffer, { date, binary: true });
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  return { zip: buffer, generated: generated.size, skipped: rows.filter((r) => r.amountCents > 0).length - generated.size };
}
