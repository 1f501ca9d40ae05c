/** Reads a PDF's text back with poppler's pdftotext (Debian package poppler-utils). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function pdfText(pdf: Buffer, layout = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fonts a PDF embeds, as pdffonts lists them (name, embedded?). */
export function pdfFontsOf(pdf: Buffer): { name: string; embedded: boolean }[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, pdf);
    const out = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    return out.map((l) => {
      const cols = l.trim().split(/\s+/);
      return { name: cols[0], embedded: cols[cols.length - 5] === 'yes' };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
