/**
 * How documents leave the backend: like the Excel exports (electron/exports/xlsx.ts), the bytes
 * travel base64 inside the procedure's JSON result, the same on every transport; the renderer
 * saves them with a Blob download (browser mode) which Electron turns into a save dialog.
 */
import { z } from 'zod';

export const PDF_MIME = 'application/pdf';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ZIP_MIME = 'application/zip';

export const documentFileOut = z.object({
  fileName: z.string(),
  /** media type to hand to the download (application/pdf, …/spreadsheetml.sheet, application/zip) */
  mimeType: z.string(),
  contentBase64: z.string(),
  /** how many documents or rows the file holds */
  count: z.number().int(),
});
export type DocumentFile = z.output<typeof documentFileOut>;

export function documentFile(fileName: string, mimeType: string, bytes: Buffer | Uint8Array, count: number): DocumentFile {
  return { fileName, mimeType, contentBase64: Buffer.from(bytes).toString('base64'), count };
}
