import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { resolveServerSettings, ServerConfigError, type ServerCliOptions } from '../../../electron/host/server-config';
import { startHttpHost } from '../../../electron/host/http-host';
import { fetchServerFingerprint, pinnedRequest } from '../../../electron/host/tls-pin';
import { main } from '../../../electron/cli/rette';
import { openRuntime, runsScheduledWork } from '../../../electron/host/runtime';
import { commandLineWorkstation, localWorkstation } from '../../../electron/host/workstation';
import { openDatabase } from '../../../db/open';
import { createTestApp } from '../../support/backend';

vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-server-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MACHINE = () => ['ufficio-pc', '192.168.1.10', 'fe80::1'];
const settings = (cli: ServerCliOptions) => resolveServerSettings(cli, {}, MACHINE);

/** The Italian line a bad setting is refused with. */
function refusal(cli: ServerCliOptions): string {
  try {
    settings(cli);
  } catch (err) {
    expect(err).toBeInstanceOf(ServerConfigError);
    return (err as Error).message;
  }
  throw new Error('doveva essere rifiutato');
}

function configFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Runs the CLI's main() in this process, capturing what it prints. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('server in rete: impostazioni', () => {
  it('HTTP in chiaro su un indirizzo che non è di loopback è rifiutato con una riga in italiano', async () => {
    expect(refusal({ listen: '192.168.1.10:8080', http: true })).toMatch(/^HTTP in chiaro è ammesso solo su 127\.0\.0\.1 o \[::1\]; in rete \(192\.168\.1\.10\) serve HTTPS/);
    expect(refusal({ listen: '0.0.0.0:8080', http: true })).toMatch(/^HTTP in chiaro è ammesso solo/);
    // on loopback it is allowed; without --http the default is HTTPS with a generated certificate
    expect(settings({ listen: '127.0.0.1:8080', http: true }).tls).toEqual({ kind: 'none' });
    expect(settings({ listen: '[::1]:8080', http: true }).tls).toEqual({ kind: 'none' });
    expect(settings({ listen: '192.168.1.10:8443' }).tls).toEqual({ kind: 'generate' });
    // the command line says it in one line, exit code 2, no server started
    const r = await run('serve', '--listen', '192.168.1.10:8080', '--http', '--db', path.join(dir, 'http.sqlite'));
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^HTTP in chiaro è ammesso solo/);
    expect(fs.existsSync(path.join(dir, 'http.sqlite'))).toBe(false);
    // and the host itself refuses it too, whoever calls it
    const app = await createTestApp();
    try {
      await expect(startHttpHost({ backend: app.backend, server: { address: '0.0.0.0', hostNames: ['x'], tls: null } })).rejects.toThrow(/HTTP in chiaro è ammesso solo/);
    } finally {
      app.close();
    }
  });

  it('indirizzi, nomi e file sbagliati sulla riga di comando: un messaggio in italiano per ciascuno', () => {
    expect(refusal({})).toMatch(/^Indicare dove ascoltare: --listen indirizzo:porta/);
    expect(refusal({ listen: '8443' })).toMatch(/^--listen: «8443» non è valido: scrivere indirizzo:porta/);
    expect(refusal({ listen: 'server:8443' })).toMatch(/«server» non è un indirizzo IP/);
    expect(refusal({ listen: '10.0.0.1:70000' })).toMatch(/la porta 70000 non esiste/);
    expect(refusal({ listen: '::1:8443' })).toMatch(/non è valido/);
    expect(refusal({ listen: '[10.0.0.1]:8443' })).toMatch(/IPv6 va tra parentesi quadre/);
    expect(refusal({ listen: '0.0.0.0:8443', hostNames: ['https://rette'] })).toMatch(/^--host-name: «https:\/\/rette» non è valido/);
    expect(refusal({ listen: '0.0.0.0:8443', hostNames: ['rette:8443'] })).toMatch(/senza porta/);
    expect(refusal({ listen: '0.0.0.0:8443', cert: 'c.pem' })).toMatch(/^Indicare sia il certificato sia la sua chiave privata/);
    expect(refusal({ listen: '127.0.0.1:8443', cert: 'c.pem', key: 'k.pem', http: true })).toMatch(/^HTTP in chiaro e certificato insieme/);
    expect(refusal({ listen: '0.0.0.0:8443', db: ' ' })).toMatch(/^--db: il nome del file o della cartella non può essere vuoto/);
  });

  it('il file di configurazione: ogni valore sbagliato è detto in italiano, con il nome del campo', () => {
    const cases: [unknown, RegExp][] = [
      ['{ "listen": ', /non è JSON valido: errore alla riga 1, colonna 13/],
      [['0.0.0.0:8443'], /deve contenere un oggetto JSON/],
      [{ listen: 8443 }, /«listen»: serve un testo/],
      [{ listen: 'tutti:8443' }, /«listen»: «tutti» non è un indirizzo IP/],
      [{ listen: '0.0.0.0:8443', porta: 8443 }, /campo sconosciuto «porta» \(ammessi: listen, database, dataDir, hostNames, tls, http\)/],
      [{ listen: '0.0.0.0:8443', hostNames: 'rette' }, /«hostNames»: serve un elenco/],
      [{ listen: '0.0.0.0:8443', hostNames: ['rette', 'rette ufficio'] }, /«hostNames»\[1\]: «rette ufficio» non è valido/],
      [{ listen: '0.0.0.0:8443', tls: { cert: 'c.pem' } }, /«tls.key» \(il file della chiave privata\)/],
      [{ listen: '0.0.0.0:8443', tls: { cert: 'c.pem', key: 'k.pem', password: 'x' } }, /campo sconosciuto «password» in «tls»/],
      [{ listen: '0.0.0.0:8443', tls: 'c.pem' }, /«tls»: serve un oggetto con «cert» e «key»/],
      [{ listen: '0.0.0.0:8443', http: 'no' }, /«http»: vale true o false/],
      [{ listen: '0.0.0.0:8443', database: '' }, /«database» \(il file del database\): non può essere vuoto/],
      [{ listen: '0.0.0.0:8443', http: true }, /^HTTP in chiaro è ammesso solo/],
    ];
    for (const [i, [content, message]] of cases.entries()) {
      const text = refusal({ config: configFile(`caso-${i}.json`, content) });
      expect(text, JSON.stringify(content)).toMatch(message);
      expect(text).not.toMatch(/Invalid|expected|Unrecognized|received/);
    }
    expect(refusal({ config: path.join(dir, 'manca.json') })).toMatch(/^File di configurazione non leggibile: .*manca\.json \(ENOENT\)/);
  });

  it('i file di esempio in resources/server sono configurazioni valide', () => {
    for (const name of ['rette-server.example.json', 'rette-server.windows.json']) {
      const s = settings({ config: path.join(ROOT, 'resources', 'server', name) });
      expect(s, name).toMatchObject({ address: '0.0.0.0', port: 8443, tls: { kind: 'generate' } });
      expect(s.hostNames, name).toContain('192.168.1.10');
    }
  });

  it('il file di configurazione: percorsi relativi alla sua cartella, la riga di comando prevale, i nomi accettati', () => {
    const file = configFile('rette-server.json', {
      listen: '0.0.0.0:8443',
      dataDir: 'dati',
      hostNames: ['Rette-Server', 'rette.ufficio.local', '[fe80::2]'],
      tls: { cert: 'tls/cert.pem', key: 'tls/key.pem' },
    });
    const s = settings({ config: file });
    expect(s).toMatchObject({
      address: '0.0.0.0',
      port: 8443,
      wildcard: true,
      loopback: false,
      dataDir: path.join(dir, 'dati'),
      dbFile: path.join(dir, 'dati', 'rette.sqlite'),
      tls: { kind: 'files', certFile: path.join(dir, 'tls', 'cert.pem'), keyFile: path.join(dir, 'tls', 'key.pem') },
      configFile: file,
    });
    // configured names, this machine's names and addresses (listening on all of them), loopback
    expect(s.hostNames).toEqual(['rette-server', 'rette.ufficio.local', 'fe80::2', 'ufficio-pc', '192.168.1.10', 'fe80::1', 'localhost', '127.0.0.1', '::1']);
    const over = settings({ config: file, listen: '192.168.1.10:9443', hostNames: ['altro'], db: path.join(dir, 'x.sqlite') });
    expect(over).toMatchObject({ address: '192.168.1.10', port: 9443, dbFile: path.join(dir, 'x.sqlite'), dataDir: path.join(dir, 'dati') });
    // a specific address: that one, not every address of the machine
    expect(over.hostNames).toEqual(['altro', '192.168.1.10', 'localhost', '127.0.0.1', '::1']);
  });
});

describe('server in rete: chi fa il lavoro pianificato', () => {
  it('il server e il desktop da solo chiudono le giornate e fanno le copie; una postazione client no, e non apre un database', () => {
    expect(runsScheduledWork('server')).toBe(true);
    expect(runsScheduledWork('standalone')).toBe(true);
    expect(runsScheduledWork('client')).toBe(false);
    expect(runsScheduledWork('tool')).toBe(false);
    expect(() => openRuntime({ mode: 'client', dbFile: path.join(dir, 'client.sqlite') })).toThrow(/non apre un database proprio/);
    expect(fs.existsSync(path.join(dir, 'client.sqlite'))).toBe(false);
    const server = openRuntime({ mode: 'server', dbFile: path.join(dir, 'pianificato.sqlite') });
    const tool = openRuntime({ mode: 'tool', dbFile: path.join(dir, 'pianificato.sqlite') });
    try {
      expect(server.scheduledWork).toBe(true);
      expect(tool.scheduledWork).toBe(false);
    } finally {
      tool.stop();
      server.stop();
    }
  });
});

describe('postazione nel registro: riga di comando', () => {
  it('una modifica dalla riga di comando è registrata come «riga di comando su <nome del computer>»', async () => {
    const db = path.join(dir, 'riga.sqlite');
    const r = await run('call', 'auth.setup', JSON.stringify({ username: 'capo', displayName: 'Capo', password: 'password-capo' }), '--db', db);
    expect(r.code).toBe(0);
    const d = openDatabase(db);
    try {
      const row = d.sqlite.prepare("SELECT workstation FROM audit_log WHERE procedure = 'auth.setup'").get() as { workstation: string };
      expect(row.workstation).toBe(commandLineWorkstation());
      expect(row.workstation).toBe(`riga di comando su ${localWorkstation()}`);
    } finally {
      d.close();
    }
    // a host name with characters outside the allowed set is tidied, never stored as is
    expect(localWorkstation('pc\u202eèvil\n')).toBe('pc--vil-');
  });
});

describe('server in rete: riga di comando', () => {
  it.skipIf(process.platform === 'win32')('rette serve --listen genera il certificato, stampa l’impronta, risponde in HTTPS; server-fingerprint stampa la stessa', async () => {
    const data = path.join(dir, 'serve');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), 'serve', '--listen', '127.0.0.1:0', '--data-dir', data, '--host-name', 'rette-server'], {
      cwd: ROOT,
      env: { ...process.env, RETTE_DB: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const deadline = Date.now() + 100_000;
      while (!/Nessun utente/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const url = /server dell'ufficio: (https:\/\/\S+)/.exec(out)?.[1];
      const printed = /Impronta del certificato \(SHA-256\): (\S+)/.exec(out)?.[1];
      expect(url, out).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      expect(printed).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(out).toContain('Certificato generato ora');
      expect(out).toContain('Nomi accettati: rette-server, 127.0.0.1, localhost, ::1');
      expect(await fetchServerFingerprint(url!)).toBe(printed);
      const health = await pinnedRequest(new URL('/health', url).href, { fingerprint: printed! });
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', database: 'ok' });
      const fp = await run('server-fingerprint', '--data-dir', data);
      expect(fp).toMatchObject({ code: 0, out: printed });
    } finally {
      child.kill('SIGTERM');
    }
    const none = await run('server-fingerprint', '--data-dir', path.join(dir, 'vuota'));
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^Nessun certificato generato in .*server-tls: avviare prima il server/);
  });
});
