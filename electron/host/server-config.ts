import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defaultDatabaseFile, userDataDir } from '../platform/paths';

/**
 * The settings of `rette serve --listen` (issue 14): from the command line, from a JSON file
 * (`--config`), or both (the command line wins). Every bad value is refused with one Italian line
 * naming the option or the field.
 *
 *   {
 *     "listen": "0.0.0.0:8443",                      address:port to listen on
 *     "database": "/var/lib/rette/rette.sqlite",    the database file (default: <dataDir>/rette.sqlite)
 *     "dataDir": "/var/lib/rette",                  copies, certificates, generated TLS certificate
 *     "hostNames": ["rette-server", "192.168.1.10"],names and addresses the clients use
 *     "tls": { "cert": "cert.pem", "key": "key.pem" },  certificate and key; without it one is generated
 *     "http": false                                 plain HTTP: only on a loopback address
 *   }
 * Relative paths in the file are relative to the file's folder.
 */

export class ServerConfigError extends Error {}

/** What the command line says (undefined: not given). */
export interface ServerCliOptions {
  listen?: string;
  config?: string;
  db?: string;
  dataDir?: string;
  hostNames?: string[];
  cert?: string;
  key?: string;
  http?: boolean;
}

export type ServerTlsSetting = { kind: 'files'; certFile: string; keyFile: string } | { kind: 'generate' } | { kind: 'none' };

export interface ServerSettings {
  /** the address to listen on, as an IP address ('0.0.0.0', '::', '192.168.1.10', '127.0.0.1') */
  address: string;
  /** 0: any free port (tests) */
  port: number;
  /** only this computer can connect (127.0.0.0/8, ::1) */
  loopback: boolean;
  /** all the machine's addresses (0.0.0.0, ::) */
  wildcard: boolean;
  dbFile: string;
  dataDir: string;
  /** the Host header values accepted (lower case, no port, IPv6 without brackets); also the generated certificate's names */
  hostNames: string[];
  tls: ServerTlsSetting;
  configFile: string | null;
}

const LISTEN_HINT = 'indirizzo:porta, es. 0.0.0.0:8443, 192.168.1.10:8443, [::]:8443 o 127.0.0.1:8443';
const HOST_NAME_HINT = "un nome di computer (es. rette-server o rette.ufficio.local) o un indirizzo IP, senza porta né https://";

/** 'a.b-c' labels of letters, digits and dashes (no dash at either end), up to 253 characters. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address === 'localhost' || (net.isIPv4(address) && address.startsWith('127.'));
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** 'host:port' → parts; the port as a number. Throws the Italian line. */
export function parseListen(text: string, where = '--listen'): { address: string; port: number } {
  const raw = text.trim();
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(raw) ?? /^([^:[\]]+):(\d{1,5})$/.exec(raw);
  if (!m) throw new ServerConfigError(`${where}: «${raw}» non è valido: scrivere ${LISTEN_HINT}`);
  const host = m[1].toLowerCase();
  const port = Number(m[2]);
  if (port > 65535) throw new ServerConfigError(`${where}: la porta ${port} non esiste (da 1 a 65535)`);
  const address = host === 'localhost' ? '127.0.0.1' : host;
  if (!net.isIP(address)) {
    throw new ServerConfigError(`${where}: «${m[1]}» non è un indirizzo IP: scrivere ${LISTEN_HINT}`);
  }
  if (raw.startsWith('[') !== net.isIPv6(address)) {
    throw new ServerConfigError(`${where}: un indirizzo IPv6 va tra parentesi quadre, es. [::]:8443`);
  }
  return { address, port };
}

/** A host name or IP address as the Host header carries it, lower case, IPv6 without brackets. */
export function normalizeHostName(text: string): string | null {
  const raw = text.trim().toLowerCase();
  const bare = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  if (net.isIP(bare)) return bare;
  return DNS_NAME.test(bare) ? bare : null;
}

const nonEmpty = (what: string) => z.string({ error: `${what}: serve un testo` }).trim().min(1, { error: `${what}: non può essere vuoto` });

const fileSchema = z.strictObject(
  {
    listen: z.string({ error: `«listen»: serve un testo (${LISTEN_HINT})` }).optional(),
    database: nonEmpty('«database» (il file del database)').optional(),
    dataDir: nonEmpty('«dataDir» (la cartella dei dati)').optional(),
    hostNames: z
      .array(z.string({ error: `«hostNames»: ogni elemento è ${HOST_NAME_HINT}` }), { error: '«hostNames»: serve un elenco, es. ["rette-server", "192.168.1.10"]' })
      .max(64, { error: '«hostNames»: al massimo 64 nomi' })
      .optional(),
    tls: z
      .strictObject(
        { cert: nonEmpty('«tls.cert» (il file del certificato)'), key: nonEmpty('«tls.key» (il file della chiave privata)') },
        { error: '«tls»: serve un oggetto con «cert» e «key», es. {"cert": "certificato.pem", "key": "chiave.pem"}' },
      )
      .optional(),
    http: z.boolean({ error: '«http»: vale true o false' }).optional(),
  },
  { error: 'Il file di configurazione deve contenere un oggetto JSON, es. {"listen": "0.0.0.0:8443"}' },
);

type FileSettings = z.output<typeof fileSchema>;

function issueLine(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `«${k}»`).join(', ');
    const where = issue.path.length ? ` in «${issue.path.join('.')}»` : '';
    return `campo sconosciuto${issue.keys.length > 1 ? 'i' : ''} ${keys}${where} (ammessi: listen, database, dataDir, hostNames, tls, http)`;
  }
  return issue.message;
}

/** Reads and validates the JSON file; paths in it become absolute (relative to the file). */
export function readConfigFile(file: string): FileSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ServerConfigError(`File di configurazione non leggibile: ${file} (${(err as NodeJS.ErrnoException).code ?? 'errore'})`);
  }
  let json: unknown;
  const body = text.replace(/^\uFEFF/, '');
  try {
    json = JSON.parse(body);
  } catch (err) {
    // the parser's message is English: say where, in Italian
    const at = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    const pos = at ? Number(at[1]) : body.length;
    const before = body.slice(0, pos).split('\n');
    throw new ServerConfigError(
      `Il file di configurazione ${file} non è JSON valido: errore alla riga ${before.length}, colonna ${before[before.length - 1].length + 1} (controllare virgole, virgolette e parentesi)`,
    );
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new ServerConfigError(`File di configurazione ${file}: ${parsed.error.issues.map(issueLine).join('; ')}`);
  const dir = path.dirname(path.resolve(file));
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  const v = parsed.data;
  return { ...v, database: abs(v.database), dataDir: abs(v.dataDir), tls: v.tls && { cert: abs(v.tls.cert)!, key: abs(v.tls.key)! } };
}

/** The machine's own names: its host name and every address of its network cards. */
export function machineNames(): string[] {
  const out = [os.hostname().toLowerCase()];
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) out.push(i.address.toLowerCase().replace(/%.*$/, ''));
  return out.filter((n) => normalizeHostName(n) !== null);
}

/**
 * Merges the command line over the file and checks the whole: HTTPS is mandatory off loopback, a
 * certificate needs its key, names are names. `env` and `machine` are parameters for the tests.
 */
export function resolveServerSettings(
  cli: ServerCliOptions,
  env: NodeJS.ProcessEnv = process.env,
  machine: () => string[] = machineNames,
): ServerSettings {
  const file = cli.config !== undefined ? readConfigFile(cli.config) : null;
  const where = cli.listen !== undefined ? '--listen' : '«listen»';
  const listenText = cli.listen ?? file?.listen;
  if (listenText === undefined) {
    throw new ServerConfigError("Indicare dove ascoltare: --listen indirizzo:porta (es. 0.0.0.0:8443) oppure «listen» nel file di configurazione");
  }
  const { address, port } = parseListen(listenText, where);
  const loopback = isLoopbackAddress(address);
  const wildcard = isWildcard(address);

  for (const [option, value] of [['--db', cli.db], ['--data-dir', cli.dataDir], ['--cert', cli.cert], ['--key', cli.key]] as const) {
    if (value !== undefined && value.trim() === '') throw new ServerConfigError(`${option}: il nome del file o della cartella non può essere vuoto`);
  }
  const dataDirOption = cli.dataDir !== undefined ? path.resolve(cli.dataDir) : file?.dataDir;
  const dbFile =
    (cli.db !== undefined ? path.resolve(cli.db) : undefined) ??
    file?.database ??
    (env.RETTE_DB ? path.resolve(env.RETTE_DB) : undefined) ??
    defaultDatabaseFile(dataDirOption ?? userDataDir());
  const dataDir = dataDirOption ?? path.dirname(dbFile);

  const names: string[] = [];
  for (const [i, n] of (cli.hostNames ?? file?.hostNames ?? []).entries()) {
    const ok = normalizeHostName(n);
    if (!ok) {
      const label = cli.hostNames ? '--host-name' : `«hostNames»[${i}]`;
      throw new ServerConfigError(`${label}: «${n}» non è valido: scrivere ${HOST_NAME_HINT}`);
    }
    names.push(ok);
  }
  // the names a client may use: the configured ones, the listening address, this machine's own
  // names when listening on all of them, and loopback (a browser on the server itself)
  if (!wildcard) names.push(address);
  else names.push(...machine());
  names.push('localhost', '127.0.0.1', '::1');
  const hostNames = [...new Set(names)];

  const certFile = cli.cert ?? file?.tls?.cert;
  const keyFile = cli.key ?? file?.tls?.key;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ServerConfigError('Indicare sia il certificato sia la sua chiave privata (--cert e --key, oppure «tls.cert» e «tls.key»)');
  }
  const http = cli.http ?? file?.http ?? false;
  if (http && certFile !== undefined) {
    throw new ServerConfigError('HTTP in chiaro e certificato insieme: scegliere uno dei due (togliere --http o il certificato)');
  }
  if (http && !loopback) {
    throw new ServerConfigError(`HTTP in chiaro è ammesso solo su 127.0.0.1 o [::1]; in rete (${address}) serve HTTPS: togliere --http (il certificato si genera da sé)`);
  }
  const tls: ServerTlsSetting = http
    ? { kind: 'none' }
    : certFile !== undefined
      ? { kind: 'files', certFile: path.resolve(certFile), keyFile: path.resolve(keyFile!) }
      : { kind: 'generate' };
  return { address, port, loopback, wildcard, dbFile, dataDir, hostNames, tls, configFile: cli.config ? path.resolve(cli.config) : null };
}
