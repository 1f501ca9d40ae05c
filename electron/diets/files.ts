/**
 * Attachments of a diet request (DI2, F5): a PDF, JPEG or PNG recognised by its content (the
 * "magic bytes"), never by its name, within a size limit, stored with its SHA-256.
 */
import { createHash } from 'node:crypto';
import { DIET_MAX_ATTACHMENT_BYTES, DIET_MIME_TYPES } from '../../db/schema';
import { invalidField } from '../contract/errors';

export type DietMimeType = (typeof DIET_MIME_TYPES)[number];

/** The type a file's first bytes declare, or null when it is none of the three accepted ones. */
export function sniffMimeType(bytes: Buffer): DietMimeType | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

export const EXTENSION_OF: Record<DietMimeType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

export interface CheckedFile {
  fileName: string;
  mimeType: DietMimeType;
  bytes: Buffer;
  sha256: string;
}

/**
 * Decodes and checks one uploaded file: real base64, not empty, at most 5 MiB, and a PDF, JPEG or
 * PNG by content. The name is kept only as a label (a renamed .exe stays an .exe). `path` names the
 * field for the Italian message.
 */
export function checkAttachment(fileName: string, contentBase64: string, path: (string | number)[]): CheckedFile {
  const clean = contentBase64.replace(/\s+/g, '');
  if (!BASE64_RE.test(clean) || clean.length % 4 !== 0) throw invalidField(path, `Il file «${fileName}» non è leggibile (contenuto non valido)`);
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.length === 0) throw invalidField(path, `Il file «${fileName}» è vuoto`);
  if (bytes.length > DIET_MAX_ATTACHMENT_BYTES) {
    throw invalidField(path, `Il file «${fileName}» è troppo grande (${(bytes.length / 1048576).toFixed(1).replace('.', ',')} MB): al massimo ${DIET_MAX_ATTACHMENT_BYTES / 1048576} MB`);
  }
  const mimeType = sniffMimeType(bytes);
  if (!mimeType) throw invalidField(path, `Il file «${fileName}» non è un PDF, un JPEG o un PNG: il contenuto non corrisponde (il nome del file non basta)`);
  return { fileName, mimeType, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
