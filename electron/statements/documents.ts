/** The statement as Excel (two sheets: movements, VAT) and as PDF, from the same data as the screen. */
import { catererAddress, type Caterer } from '../documents/caterer';
import { dateIt, euro, fileSafe, vatRate } from '../documents/format';
import { PdfWriter } from '../documents/pdf';
import { Workbook } from '../documents/workbook';
import type { Statement, VatLine } from './statement';

interface MovementRow {
  pupil: string;
  taxCode: string;
  service: string;
  date: string | null;
  description: string;
  amountCents: number | null;
  balanceCents: number;
  total: boolean;
}

interface VatRow {
  pupil: string;
  service: string;
  line: VatLine;
  total: boolean;
}

function movementRows(s: Statement): MovementRow[] {
  const rows: MovementRow[] = [];
  for (const p of s.pupils) {
    for (const sv of p.services) {
      const base = { pupil: p.pupilName, taxCode: p.pupilTaxCode, service: sv.serviceName };
      rows.push({ ...base, date: s.from, description: 'Saldo iniziale', amountCents: null, balanceCents: sv.openingCents, total: true });
      for (const m of sv.movements) rows.push({ ...base, date: m.date, description: m.description, amountCents: m.amountCents, balanceCents: m.balanceCents, total: false });
      rows.push({ ...base, date: s.to, description: 'Saldo finale', amountCents: null, balanceCents: sv.closingCents, total: true });
    }
  }
  return rows;
}

function vatRows(s: Statement): VatRow[] {
  const rows: VatRow[] = [];
  for (const p of s.pupils) for (const sv of p.services) for (const line of sv.vat) rows.push({ pupil: p.pupilName, service: sv.serviceName, line, total: false });
  for (const line of s.vatTotal) rows.push({ pupil: 'Totale', service: '', line, total: true });
  return rows;
}

export function statementBaseName(s: Statement): string {
  return `estratto-conto-${fileSafe(s.holderName)}-${s.from}-${s.to}`;
}

export async function statementXlsx(s: Statement): Promise<{ buffer: Buffer; rows: number }> {
  const wb = new Workbook(`Estratto conto ${s.holderName} dal ${dateIt(s.from)} al ${dateIt(s.to)}`);
  const rows = wb.sheet<MovementRow>(
    'Movimenti',
    [
      { header: 'Alunno', value: (r) => r.pupil, width: 26 },
      { header: 'Codice fiscale', type: 'text', value: (r) => r.taxCode, width: 20 },
      { header: 'Servizio', value: (r) => r.service, width: 14 },
      { header: 'Data', type: 'date', value: (r) => r.date },
      { header: 'Descrizione', value: (r) => r.description, width: 48 },
      { header: 'Importo', type: 'euro', value: (r) => r.amountCents, width: 14 },
      { header: 'Saldo', type: 'euro', value: (r) => r.balanceCents, width: 14 },
    ],
    movementRows(s),
    (r) => r.total,
  );
  wb.sheet<VatRow>(
    'IVA pasti',
    [
      { header: 'Alunno', value: (r) => r.pupil, width: 26 },
      { header: 'Servizio', value: (r) => r.service, width: 14 },
      { header: 'Aliquota IVA', value: (r) => vatRate(r.line.vatRateBp) },
      { header: 'Pasti', type: 'number', value: (r) => r.line.meals },
      { header: 'Imponibile', type: 'euro', value: (r) => r.line.netCents, width: 14 },
      { header: 'IVA', type: 'euro', value: (r) => r.line.vatCents, width: 14 },
      { header: 'Totale', type: 'euro', value: (r) => r.line.grossCents, width: 14 },
    ],
    vatRows(s),
    (r) => r.total,
  );
  return { buffer: await wb.toBuffer(), rows };
}

function vatTable(w: PdfWriter, lines: VatLine[]): void {
  const rows = lines.map((l) => [vatRate(l.vatRateBp), String(l.meals), euro(l.netCents), euro(l.vatCents), euro(l.grossCents)]);
  if (lines.length > 1) {
    const t = lines.reduce((a, l) => ({ meals: a.meals + l.meals, net: a.net + l.netCents, vat: a.vat + l.vatCents, gross: a.gross + l.grossCents }), { meals: 0, net: 0, vat: 0, gross: 0 });
    rows.push(['Totale', String(t.meals), euro(t.net), euro(t.vat), euro(t.gross)]);
  }
  w.table(
    [
      { header: 'Aliquota IVA', width: 1.2 },
      { header: 'Pasti', width: 0.8, align: 'right' },
      { header: 'Imponibile', width: 1.2, align: 'right' },
      { header: 'IVA', width: 1.2, align: 'right' },
      { header: 'Totale', width: 1.2, align: 'right' },
    ],
    rows,
    { boldRows: lines.length > 1 ? new Set([rows.length - 1]) : undefined },
  );
}

export async function statementPdf(s: Statement, caterer: Caterer | null, issuedAt: Date, issuedOn: string): Promise<Buffer> {
  const w = new PdfWriter({
    title: `Estratto conto ${s.holderName}`,
    subject: `Estratto conto dal ${dateIt(s.from)} al ${dateIt(s.to)}`,
    createdAt: issuedAt,
    footer: caterer ? `${caterer.companyName} · P.IVA ${caterer.vatNumber}` : 'Estratto conto',
  });
  if (caterer) w.paragraph(`${caterer.companyName}\n${catererAddress(caterer)}\nP.IVA ${caterer.vatNumber} · C.F. ${caterer.taxCode}`, { size: 9 }).space();
  w.title(s.kind === 'famiglia' ? 'Estratto conto della famiglia' : "Estratto conto dell'alunno");
  const head: [string, string][] = [['Periodo', `dal ${dateIt(s.from)} al ${dateIt(s.to)}`]];
  if (s.payer) head.push(['Pagante', `${s.payer.name} · C.F. ${s.payer.taxCode}`], ['Indirizzo', s.payer.address]);
  head.push(['Emesso il', dateIt(issuedOn)]);
  w.fields(head);
  if (s.pupils.length === 0) w.space().paragraph('Nessun alunno collegato a questo pagante.');
  for (const p of s.pupils) {
    w.heading(`${p.pupilName} · C.F. ${p.pupilTaxCode}`);
    w.paragraph(`${p.schoolName}${p.className ? `, classe ${p.className}` : ''} · codice utente ${p.userCode}`, { size: 9 });
    if (p.services.length === 0) w.paragraph('Nessun movimento registrato.');
    for (const sv of p.services) {
      w.space(0.3).paragraph(`Servizio: ${sv.serviceName}`, { bold: true });
      const rows: string[][] = [[dateIt(s.from), 'Saldo iniziale', '', euro(sv.openingCents)]];
      for (const m of sv.movements) rows.push([dateIt(m.date), m.description, euro(m.amountCents), euro(m.balanceCents)]);
      rows.push([dateIt(s.to), 'Saldo finale', '', euro(sv.closingCents)]);
      w.table(
        [
          { header: 'Data', width: 1.1 },
          { header: 'Descrizione', width: 4.2 },
          { header: 'Importo', width: 1.3, align: 'right' },
          { header: 'Saldo', width: 1.3, align: 'right' },
        ],
        rows,
        { boldRows: new Set([0, rows.length - 1]) },
      );
      w.paragraph(`Accrediti ${euro(sv.creditsCents)} · addebiti ${euro(sv.debitsCents)} · saldo finale ${euro(sv.closingCents)}${sv.closingCents < 0 ? ' (a debito)' : ''}`, { size: 9 });
      if (sv.vat.length) {
        w.space(0.3).paragraph('Pasti del periodo: imponibile, IVA e totale', { size: 9, bold: true });
        vatTable(w, sv.vat);
      }
    }
  }
  if (s.pupils.length > 1 && s.vatTotal.length) {
    w.heading('Riepilogo IVA dei pasti della famiglia');
    vatTable(w, s.vatTotal);
  }
  return w.finish();
}
