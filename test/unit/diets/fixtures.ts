/**
 * Fixtures for the diet tests: the attendance fixtures (Clusone, its primary school, 3A in
 * 2026/2027, pupils enrolled through the contract) plus files as families send them.
 */
import type { TestApp } from '../../support/backend';
import type { Base } from '../attendance/fixtures';

/** A small but well-formed PDF (one empty page). */
export function pdfBytes(text = 'Certificato medico'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
  ];
  const stream = `BT /F1 12 Tf 10 50 Td (${text}) Tj ET`;
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The first bytes of a Windows program ("MZ" header): what a renamed .exe contains. */
export const EXE_BYTES = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(200, 0x41)]);

export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export async function typeIds(app: TestApp, ...codes: string[]): Promise<number[]> {
  const all = await app.call('diets.catalogue', {});
  return codes.map((c) => {
    const t = all.find((x) => x.code === c);
    if (!t) throw new Error(`tipo di dieta ${c} mancante`);
    return t.id;
  });
}

/** A medical request (eggs and milk) with its PDF certificate, entered by the operator. */
export async function medicalRequest(app: TestApp, base: Base, pupilId: number, o: { validUntil?: string | null; schoolYearId?: number; receivedOn?: string } = {}) {
  return app.call(
    'diets.create',
    {
      pupilId,
      schoolYearId: o.schoolYearId ?? base.year.id,
      category: 'medica',
      dietTypeIds: await typeIds(app, 'uova', 'latte'),
      source: 'email',
      receivedOn: o.receivedOn ?? '2026-10-01',
      details: '',
      validUntil: o.validUntil ?? null,
      attachments: [{ fileName: 'certificato.pdf', contentBase64: pdfBytes().toString('base64'), kind: 'certificato_medico' }],
    },
    'operatore',
  );
}

export async function ethicalRequest(app: TestApp, base: Base, pupilId: number, o: { schoolYearId?: number; receivedOn?: string } = {}) {
  return app.call(
    'diets.create',
    {
      pupilId,
      schoolYearId: o.schoolYearId ?? base.year.id,
      category: 'etico_religiosa',
      dietTypeIds: await typeIds(app, 'senza_maiale'),
      source: 'iscrizione',
      receivedOn: o.receivedOn ?? '2026-09-01',
    },
    'operatore',
  );
}
