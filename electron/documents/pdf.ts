/**
 * The PDF layer: a thin writer over pdfkit (pure JavaScript, no binaries) with the few things the
 * office's documents need: an embedded font (fonts.ts), headings, label/value blocks, tables that
 * break across pages repeating their header, and "Pagina N di M" footers. Documents are A4 portrait.
 */
import PDFDocument from 'pdfkit';
import { pdfFonts } from './fonts';

export interface PdfMeta {
  title: string;
  subject?: string;
  /** the issue moment: written as the PDF's creation date, so the same input gives the same file */
  createdAt: Date;
  /** short line printed in every page footer (e.g. the issuer's name) */
  footer?: string;
}

export interface PdfColumn {
  header: string;
  /** share of the usable width (the shares are normalised) */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface PdfTableOptions {
  /** rows printed in bold (totals), by index */
  boldRows?: Set<number>;
  fontSize?: number;
}

const MARGIN = 48;
const FOOTER_SPACE = 28;

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  private readonly footer: string;

  constructor(meta: PdfMeta) {
    const fonts = pdfFonts();
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
      bufferPages: true,
      // no default font: never the (non-embedded) standard Helvetica, and the embedded fonts are
      // registered by name below so pdfkit opens each once per document (passing the font object
      // here made every later font switch open and compare it again)
      font: null as unknown as string,
      lang: 'it-IT',
      displayTitle: true,
      info: { Title: meta.title, Subject: meta.subject ?? meta.title, Author: 'Rette Mensa', Creator: 'Rette Mensa', Producer: 'Rette Mensa (pdfkit)', CreationDate: meta.createdAt, ModDate: meta.createdAt },
    });
    this.doc.registerFont('regular', fonts.regular as unknown as string);
    this.doc.registerFont('bold', fonts.bold as unknown as string);
    this.doc.font('regular').fontSize(10);
    this.footer = meta.footer ?? '';
    this.done = new Promise((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => this.chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when fewer than `height` points are left. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  title(text: string): this {
    this.doc.font('bold').fontSize(15).text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.4).font('regular').fontSize(10);
    return this;
  }

  heading(text: string): this {
    this.ensureSpace(40);
    this.doc.moveDown(0.5).font('bold').fontSize(11.5).text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.25).font('regular').fontSize(10);
    return this;
  }

  paragraph(text: string, opts: { bold?: boolean; size?: number; align?: 'left' | 'right' | 'center' | 'justify' } = {}): this {
    this.doc
      .font(opts.bold ? 'bold' : 'regular')
      .fontSize(opts.size ?? 10)
      .text(text, this.left, this.doc.y, { width: this.width, align: opts.align ?? 'left' });
    this.doc.font('regular').fontSize(10);
    return this;
  }

  space(lines = 0.6): this {
    this.doc.moveDown(lines);
    return this;
  }

  /** Label: value lines, labels in bold in a fixed column. */
  fields(rows: [string, string][], labelWidth = 150): this {
    for (const [label, value] of rows) {
      const h = Math.max(this.doc.font('bold').heightOfString(label, { width: labelWidth - 6 }), this.doc.font('regular').heightOfString(value || ' ', { width: this.width - labelWidth }));
      this.ensureSpace(h + 2);
      const y = this.doc.y;
      this.doc.font('bold').text(label, this.left, y, { width: labelWidth - 6 });
      this.doc.font('regular').text(value || '—', this.left + labelWidth, y, { width: this.width - labelWidth });
      this.doc.y = y + h + 2;
    }
    this.doc.x = this.left;
    return this;
  }

  /** A table with a shaded header repeated on every page it spans. */
  table(columns: PdfColumn[], rows: string[][], opts: PdfTableOptions = {}): this {
    const size = opts.fontSize ?? 9;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const pad = 3;
    const rowHeight = (cells: string[], font: 'regular' | 'bold') => {
      this.doc.font(font).fontSize(size);
      return Math.max(...cells.map((c, i) => this.doc.heightOfString(c || ' ', { width: widths[i] - 2 * pad }))) + 2 * pad;
    };
    const drawRow = (cells: string[], font: 'regular' | 'bold', shade: string | null) => {
      const h = rowHeight(cells, font);
      const y = this.doc.y;
      if (shade) this.doc.save().rect(this.left, y, this.width, h).fill(shade).restore();
      let x = this.left;
      this.doc.font(font).fontSize(size).fillColor('#000000');
      cells.forEach((c, i) => {
        this.doc.text(c, x + pad, y + pad, { width: widths[i] - 2 * pad, align: columns[i].align ?? 'left' });
        x += widths[i];
      });
      this.doc
        .save()
        .moveTo(this.left, y + h)
        .lineTo(this.left + this.width, y + h)
        .lineWidth(0.4)
        .strokeColor('#b0b8c4')
        .stroke()
        .restore();
      this.doc.y = y + h;
    };
    const header = columns.map((c) => c.header);
    const headerHeight = rowHeight(header, 'bold');
    this.ensureSpace(headerHeight + rowHeight(rows[0] ?? header, 'regular'));
    drawRow(header, 'bold', '#e7f0fa');
    rows.forEach((r, i) => {
      const font = opts.boldRows?.has(i) ? 'bold' : 'regular';
      if (this.doc.y + rowHeight(r, font) > this.bottom) {
        this.doc.addPage();
        drawRow(header, 'bold', '#e7f0fa');
      }
      drawRow(r, font, null);
    });
    this.doc.x = this.left;
    this.doc.font('regular').fontSize(10);
    this.doc.moveDown(0.3);
    return this;
  }

  /** Writes the footers and returns the finished file. */
  async finish(): Promise<Buffer> {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const bottomMargin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - MARGIN - 4;
      this.doc.font('regular').fontSize(8).fillColor('#555555');
      this.doc.text(this.footer, this.left, y, { width: this.width * 0.7, lineBreak: false });
      this.doc.text(`Pagina ${i - range.start + 1} di ${range.count}`, this.left + this.width * 0.7, y, { width: this.width * 0.3, align: 'right', lineBreak: false });
      this.doc.page.margins.bottom = bottomMargin;
    }
    this.doc.fillColor('#000000');
    this.doc.end();
    return this.done;
  }
}
