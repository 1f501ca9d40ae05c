import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGeneratedCertificate, generateCertificate, loadCertificate, serverTlsDir, CertificateError } from '../../../electron/host/tls';
import {
  CertificateMismatchError,
  fetchServerFingerprint,
  fingerprintOfPem,
  normalizeFingerprint,
  pinnedRequest,
  sameFingerprint,
} from '../../../electron/host/tls-pin';
import { startTestServer, TEST_HOST_NAMES, type TestServer } from './server-host';

let server: TestServer;
let other: { dir: string; fingerprint: string };

beforeAll(async () => {
  server = await startTestServer();
  // another generated certificate, as an impostor (or a reinstalled server) would present
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-altro-'));
  other = { dir, fingerprint: (await ensureGeneratedCertificate(dir, TEST_HOST_NAMES, new Date())).fingerprint };
});

afterAll(async () => {
  await server?.close();
  if (other) fs.rmSync(other.dir, { recursive: true, force: true });
});

const FINGERPRINT_FORM = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

describe('server in rete: certificato e impronta', () => {
  it('il certificato generato ha l’impronta SHA-256 nel formato AA:BB:…, copre i nomi configurati ed è leggibile solo dal proprietario', () => {
    expect(server.certificate.fingerprint).toMatch(FINGERPRINT_FORM);
    expect(server.certificate.generated).toBe(true);
    expect(server.certificate.uncovered).toEqual([]);
    expect(server.certificate.certFile.startsWith(serverTlsDir(server.dir))).toBe(true);
    if (process.platform !== 'win32') {
      expect(fs.statSync(server.certificate.keyFile).mode & 0o777).toBe(0o600);
      expect(fs.statSync(server.certificate.certFile).mode & 0o777).toBe(0o600);
      expect(fs.statSync(serverTlsDir(server.dir)).mode & 0o777).toBe(0o700);
    }
  });

  it('al riavvio il certificato generato è riusato (stessa impronta); un nome nuovo è segnalato, non rigenerato', async () => {
    const again = await ensureGeneratedCertificate(server.dir, [...TEST_HOST_NAMES, 'nuovo-nome'], new Date());
    expect(again.generated).toBe(false);
    expect(again.fingerprint).toBe(server.certificate.fingerprint);
    expect(again.uncovered).toEqual(['nuovo-nome']);
  });

  it('un certificato scaduto è rigenerato (impronta nuova)', async () => {
    const later = new Date(Date.now() + 6 * 365 * 24 * 3600 * 1000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-scaduto-'));
    try {
      const first = await ensureGeneratedCertificate(dir, TEST_HOST_NAMES, new Date());
      const renewed = await ensureGeneratedCertificate(dir, TEST_HOST_NAMES, later);
      expect(renewed.generated).toBe(true);
      expect(renewed.fingerprint).not.toBe(first.fingerprint);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fetchServerFingerprint legge l’impronta del server senza fidarsi del certificato', async () => {
    expect(await fetchServerFingerprint(`https://127.0.0.1:${server.host.port}/`)).toBe(server.certificate.fingerprint);
  });

  it('con l’impronta confermata la richiesta passa; con un’altra impronta (certificato cambiato) è rifiutata prima di inviare qualcosa', async () => {
    const url = `https://127.0.0.1:${server.host.port}/health`;
    const ok = await pinnedRequest(url, { fingerprint: server.certificate.fingerprint });
    expect(ok.status).toBe(200);
    const refused = pinnedRequest(`https://127.0.0.1:${server.host.port}/api/auth.login`, {
      fingerprint: other.fingerprint,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'password-admin' }),
    });
    await expect(refused).rejects.toBeInstanceOf(CertificateMismatchError);
    await expect(refused).rejects.toThrow(/Il certificato del server è cambiato/);
    // the password never reached the server: no sign-in was recorded
    const signIns = server.app.database.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE procedure = 'auth.login' AND workstation IS NOT NULL").get() as { n: number };
    expect(signIns.n).toBe(0);
  });

  it('l’impronta si scrive in più modi (due punti, minuscole, sha256/base64 di Electron); una malformata non combacia mai', () => {
    const fp = server.certificate.fingerprint;
    const hex = fp.replace(/:/g, '').toLowerCase();
    const electronForm = `sha256/${Buffer.from(hex, 'hex').toString('base64')}`;
    expect(normalizeFingerprint(hex)).toBe(fp);
    expect(normalizeFingerprint(electronForm)).toBe(fp);
    expect(sameFingerprint(fp.toLowerCase(), electronForm)).toBe(true);
    expect(sameFingerprint(fp, other.fingerprint)).toBe(false);
    expect(sameFingerprint('AB:CD', 'AB:CD')).toBe(false);
    expect(() => normalizeFingerprint('non è un’impronta')).toThrow(/64 cifre esadecimali/);
  });

  it('un certificato fornito: la chiave deve corrispondere, altrimenti un messaggio in italiano', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-forniti-'));
    try {
      const a = await generateCertificate(['rette.ufficio.local'], new Date());
      const b = await generateCertificate(['rette.ufficio.local'], new Date());
      fs.writeFileSync(path.join(dir, 'cert.pem'), a.cert);
      fs.writeFileSync(path.join(dir, 'key.pem'), a.key);
      fs.writeFileSync(path.join(dir, 'altra.pem'), b.key);
      const ok = loadCertificate(path.join(dir, 'cert.pem'), path.join(dir, 'key.pem'), ['rette.ufficio.local', '192.168.1.10'], new Date());
      expect(ok.fingerprint).toBe(fingerprintOfPem(a.cert));
      expect(ok.uncovered).toEqual(['192.168.1.10']);
      expect(() => loadCertificate(path.join(dir, 'cert.pem'), path.join(dir, 'altra.pem'), [], new Date())).toThrow(CertificateError);
      expect(() => loadCertificate(path.join(dir, 'cert.pem'), path.join(dir, 'altra.pem'), [], new Date())).toThrow(/non corrisponde al certificato/);
      expect(() => loadCertificate(path.join(dir, 'manca.pem'), path.join(dir, 'key.pem'), [], new Date())).toThrow(/Certificato non leggibile/);
      expect(() => loadCertificate(path.join(dir, 'key.pem'), path.join(dir, 'key.pem'), [], new Date())).toThrow(/non contiene un certificato PEM valido/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
