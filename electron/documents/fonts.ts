/**
 * The font embedded in every PDF: DejaVu Sans (resources/fonts, licence beside it). PDF's built-in
 * Helvetica is not embedded and its encoding leaves the rendering of € and accented letters to the
 * reader; an embedded TrueType subset renders «àèéìòù €» the same everywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';

/**
 * Parsed once and shared by every document: pdfkit accepts a fontkit font object, and parsing the
 * TrueType file again for each PDF cost about half a second per statement (a 730 batch makes one
 * PDF per pupil). Each document still embeds only its own subset of glyphs.
 */
export interface PdfFonts {
  regular: fontkit.Font;
  bold: fontkit.Font;
}

const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

function here(): string | null {
  try {
    return path.dirname(fileURLToPath(import.meta.url));
  } catch {
    return typeof __dirname === 'string' ? __dirname : null;
  }
}

/** Packaged resources (process.resourcesPath/fonts), the project's resources/fonts, or RETTE_FONTS_DIR. */
export function fontsDir(): string {
  const candidates: (string | undefined)[] = [process.env.RETTE_FONTS_DIR];
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'fonts'));
  let dir = here();
  for (let i = 0; dir && i < 6; i++) {
    candidates.push(path.join(dir, 'resources', 'fonts'));
    dir = path.dirname(dir);
  }
  candidates.push(path.resolve('resources', 'fonts'));
  for (const c of candidates) if (c && fs.existsSync(path.join(c, FILES.regular)) && fs.existsSync(path.join(c, FILES.bold))) return c;
  throw new Error('Caratteri per i PDF non trovati (resources/fonts/DejaVuSans.ttf)');
}

let cached: PdfFonts | null = null;

export function pdfFonts(): PdfFonts {
  if (!cached) {
    const dir = fontsDir();
    const load = (file: string) => fontkit.create(fs.readFileSync(path.join(dir, file))) as fontkit.Font;
    cached = { regular: load(FILES.regular), bold: load(FILES.bold) };
  }
  return cached;
}
