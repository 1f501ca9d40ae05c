import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { generate } from 'selfsigned';
import { ensurePrivateDir, securePrivateFile } from '../../db/open';
import { fingerprintOfPem, type Fingerprint } from './tls-pin';

/**
 * The office server's TLS certificate (issue 14). Either the administrator supplies one (cert and
 * key files, e.g. from the office's own authority), or one is generated at the first start and kept
 * in the data folder (`server-tls/`, folder 0700, files 0600), then reused at every later start so
 * its fingerprint, which the clients pinned, stays the same.
 */

export interface ServerCertificate {
  cert: string;
  key: string;
  fingerprint: Fingerprint;
  certFile: string;
  keyFile: string;
  /** made now (first start, or the old one had expired) */
  generated: boolean;
  /** expiry, UTC ISO */
  validTo: string;
  /** configured names and addresses the certificate does not cover (a browser warns about them; pinned clients do not care) */
  uncovered: string[];
}

export class CertificateError extends Error {}

/** Where a generated certificate is kept. */
export function serverTlsDir(dataDir: string): string {
  return path.join(dataDir, 'server-tls');
}

export const GENERATED_CERT_FILE = 'certificato.pem';
export const GENERATED_KEY_FILE = 'chiave.pem';

/** A generated certificate is valid this long; pinned clients keep trusting it for all that time. */
const VALID_DAYS = 5 * 365;

function covers(cert: X509Certificate, name: string): boolean {
  return net.isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name) !== undefined;
}

/** Reads and checks a certificate and its key (PEM): readable, matching, not expired. Italian errors. */
export function loadCertificate(certFile: string, keyFile: string, names: readonly string[], now: Date, generated = false): ServerCertificate {
  let cert: string;
  let key: string;
  try {
    cert = fs.readFileSync(certFile, 'utf8');
  } catch (err) {
    throw new CertificateError(`Certificato non leggibile: ${certFile} (${(err as NodeJS.ErrnoException).code ?? 'errore'})`);
  }
  try {
    key = fs.readFileSync(keyFile, 'utf8');
  } catch (err) {
    throw new CertificateError(`Chiave privata non leggibile: ${keyFile} (${(err as NodeJS.ErrnoException).code ?? 'errore'})`);
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new CertificateError(`Il file ${certFile} non contiene un certificato PEM valido`);
  }
  let matches: boolean;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new CertificateError(`Il file ${keyFile} non contiene una chiave privata PEM valida (senza password)`);
  }
  if (!matches) throw new CertificateError(`La chiave ${keyFile} non corrisponde al certificato ${certFile}`);
  const validTo = new Date(x509.validTo);
  if (validTo.getTime() <= now.getTime()) {
    throw new CertificateError(`Il certificato ${certFile} è scaduto il ${validTo.toISOString().slice(0, 10)}`);
  }
  return {
    cert,
    key,
    fingerprint: fingerprintOfPem(cert),
    certFile,
    keyFile,
    generated,
    validTo: validTo.toISOString(),
    uncovered: names.filter((n) => !covers(x509, n)),
  };
}

/** A new self-signed certificate (EC P-256, SHA-256) for `names` (host names and IP addresses). */
export async function generateCertificate(names: readonly string[], now: Date): Promise<{ cert: string; key: string }> {
  const altNames = [...new Set(names)].map((n) => (net.isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }));
  const pems = await generate([{ name: 'commonName', value: names.find((n) => !net.isIP(n)) ?? 'Rette Mensa' }, { name: 'organizationName', value: 'Rette Mensa' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60 * 60 * 1000),
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Writes a file readable only by its owner, replacing the old one only once the new one is whole. */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600, flag: 'w' });
  securePrivateFile(tmp);
  fs.renameSync(tmp, file);
  securePrivateFile(file);
}

/**
 * The generated certificate of this data folder: the one made at an earlier start, or a new one
 * (first start, or the old one expired). An earlier one is reused even when the configured names
 * changed (the clients pinned it): the names it does not cover are reported in `uncovered`.
 */
export async function ensureGeneratedCertificate(dataDir: string, names: readonly string[], now: Date): Promise<ServerCertificate> {
  const dir = serverTlsDir(dataDir);
  ensurePrivateDir(dir);
  const certFile = path.join(dir, GENERATED_CERT_FILE);
  const keyFile = path.join(dir, GENERATED_KEY_FILE);
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    securePrivateFile(keyFile);
    securePrivateFile(certFile);
    const validTo = new Date(new X509Certificate(fs.readFileSync(certFile)).validTo);
    if (validTo.getTime() > now.getTime()) return loadCertificate(certFile, keyFile, names, now);
  }
  const made = await generateCertificate(names, now);
  // the key first: a certificate file never exists without its key
  writePrivate(keyFile, made.key);
  writePrivate(certFile, made.cert);
  return loadCertificate(certFile, keyFile, names, now, true);
}

/** The fingerprint of the generated certificate of a data folder, or null when none was made yet. */
export function generatedFingerprint(dataDir: string): Fingerprint | null {
  const certFile = path.join(serverTlsDir(dataDir), GENERATED_CERT_FILE);
  if (!fs.existsSync(certFile)) return null;
  return fingerprintOfPem(fs.readFileSync(certFile));
}
