/**
 * The `rette` command line: the same contract as the app, for scripts and support.
 *   npm run rette -- <command> [options]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { backupTo, restoreFrom, RestoreRefusedError } from '../../db/backup';
import { DatabaseBusyError, openDatabase } from '../../db/open';
import { openApiJson, openRuntime, toSessionUser, type Runtime } from '../host/runtime';
import { startHttpHost } from '../host/http-host';
import { openInBrowser } from '../host/open-browser';
import { commandLineWorkstation } from '../host/workstation';
import { readConfigFile, resolveServerSettings, ServerConfigError, type ServerSettings } from '../host/server-config';
import { CertificateError, ensureGeneratedCertificate, generatedFingerprint, loadCertificate, serverTlsDir, type ServerCertificate } from '../host/tls';
import { fingerprintOfPem } from '../host/tls-pin';
import { HEALTH_PATH } from '../host/health';
import { defaultDatabaseFile, rendererDir, userDataDir } from '../platform/paths';
import { CLOCK_ENV, CLOCK_FROM_ENV, ClockOptionError, practiceClockSetting, type PracticeClock } from '../platform/clock';
import { and, eq, asc } from 'drizzle-orm';
import { users } from '../../db/schema';
import { COMMAND_LINE_ACTOR } from '../contract/procedure';

const HELP = `rette: gestionale dell'ufficio rette (riga di comando)

Uso: npm run rette -- <comando> [opzioni]

Comandi:
  serve [--port N] [--open]        avvia la modalità browser (solo 127.0.0.1) e stampa l'indirizzo con il token;
                                   --open lo apre anche nel browser predefinito
  serve --listen <indirizzo:porta> [--config <file.json>] [--host-name <nome>]... [--cert <file> --key <file>]
        [--data-dir <cartella>] [--http]
                                   server dell'ufficio in rete (HTTPS): le postazioni si collegano con nome
                                   utente e password; senza --cert/--key il certificato si genera al primo
                                   avvio e se ne stampa l'impronta; --http solo su 127.0.0.1 o [::1]
  serve --config <file.json>       lo stesso, con le opzioni in un file (listen, database, dataDir,
                                   hostNames, tls {cert, key}, http): la riga di comando prevale sul file
  server-fingerprint [--config <file.json>] [--data-dir <cartella>] [--cert <file>]
                                   stampa l'impronta SHA-256 del certificato del server (AA:BB:…)
  migrate                          applica le migrazioni al database
  backup <file>                    copia di sicurezza del database nel file indicato
  restore <file>                   ripristina il database da una copia (a programma chiuso: rifiutato se
                                   è aperto); il database sostituito resta in backups/prima-del-ripristino-*
  seed-demo [--pupils N] [--seed S] [--force]
                                   crea un ufficio dimostrativo (rifiuta un database con dati reali)
  call <procedura> ['<json>'] [--user nome]
                                   chiama una procedura del contratto e stampa il risultato JSON
  procedures                       elenca le procedure con il ruolo richiesto
  portal-sync [--user nome]        sincronizza ora con il portale delle famiglie (impostazioni e credenziale
                                   dell'installazione: portal.settings.update); stampa l'esito
  portal-sandbox [--port N] [--seed <database>]
                                   avvia il portale di prova (solo 127.0.0.1) con le famiglie del database
                                   indicato, o inventate; stampa indirizzo, credenziale e come collegarlo
  close-day --date AAAA-MM-GG [--comune ID] [--user nome]
                                   chiude la giornata: le prenotazioni diventano pasti registrati
                                   (tutti i comuni o uno; idempotente; solo dopo l'orario limite)
  portal-openapi [--out <file>]    scrive il contratto del portale delle famiglie (OpenAPI 3.1, generato
                                   dagli schemi del codice); senza --out lo stampa

Opzioni comuni:
  --db <file>                      database da usare (oppure la variabile RETTE_DB)
                                   predefinito: ${defaultDatabaseFile(userDataDir())}

Orologio di prova (per test e formazione; serve, call, close-day, seed-demo):
  --clock <istante>                il programma crede che sia quell'istante, fermo
                                   (oppure la variabile ${CLOCK_ENV})
  --clock-from <istante>           parte da quell'istante e poi scorre in tempo reale: le
                                   chiusure all'orario limite avvengono come quel giorno
                                   (oppure la variabile ${CLOCK_FROM_ENV})
                                   istante con fuso, es. 2026-11-16T08:30:00+01:00
                                   rifiutato su un database con dati reali
`;

/** The commands that run the backend on a clock; the others refuse the clock options. */
const CLOCKED_COMMANDS = new Set(['serve', 'call', 'close-day', 'seed-demo']);

/** '2026-11-16T07:30:00.000Z' fixed → 'fermo a 16/11/2026 08:30:00 (ora italiana)' */
function describeClock(c: PracticeClock): string {
  const at = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', dateStyle: 'full', timeStyle: 'medium' }).format(new Date(c.from));
  return c.mode === 'fisso' ? `fermo a ${at} (ora italiana)` : `partito da ${at} (ora italiana), scorre in tempo reale`;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = commandLine(() =>
    parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      user: { type: 'string' },
      pupils: { type: 'string' },
      seed: { type: 'string' },
      date: { type: 'string' },
      comune: { type: 'string' },
      force: { type: 'boolean' },
      open: { type: 'boolean' },
      listen: { type: 'string' },
      config: { type: 'string' },
      'host-name': { type: 'string', multiple: true },
      cert: { type: 'string' },
      key: { type: 'string' },
      'data-dir': { type: 'string' },
      http: { type: 'boolean' },
      clock: { type: 'string' },
      'clock-from': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }),
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (!command || values.help || command === 'help') {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 1;
  }
  if (values.db !== undefined && values.db.trim() === '') return usage('--db <file> (il nome del file non può essere vuoto)');
  const dbFile = values.db ?? process.env.RETTE_DB ?? defaultDatabaseFile(userDataDir());
  let practiceClock: PracticeClock | null = null;
  const clockOptions = { clock: values.clock, clockFrom: values['clock-from'] };
  if (CLOCKED_COMMANDS.has(command)) {
    try {
      practiceClock = practiceClockSetting(clockOptions, process.env);
    } catch (err) {
      if (!(err instanceof ClockOptionError)) throw err;
      console.error(err.message);
      return 2;
    }
  } else if (clockOptions.clock !== undefined || clockOptions.clockFrom !== undefined) {
    console.error(`L'orologio di prova (--clock, --clock-from) vale solo per: ${[...CLOCKED_COMMANDS].join(', ')}`);
    return 2;
  }

  switch (command) {
    case 'portal-openapi': {
      if (values.out !== undefined) {
        if (values.out.trim() === '') return usage('portal-openapi --out <file> (il nome del file non può essere vuoto)');
        fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
        fs.writeFileSync(values.out, openApiJson());
        console.log(`Contratto del portale (OpenAPI 3.1) scritto in ${values.out}`);
      } else process.stdout.write(openApiJson());
      return 0;
    }
    case 'migrate': {
      const db = openDatabase(dbFile);
      db.close();
      console.log(`Database aggiornato: ${dbFile}`);
      return 0;
    }
    case 'backup': {
      if (!rest[0]) return usage('backup <file>');
      const db = openDatabase(dbFile, { migrate: false });
      try {
        const r = await backupTo(db.sqlite, rest[0]);
        console.log(`Copia di sicurezza scritta: ${r.file} (${r.bytes} byte)`);
      } finally {
        db.close();
      }
      return 0;
    }
    case 'restore': {
      if (!rest[0]) return usage('restore <file>');
      // checks the copy fully, refuses while the database is open, keeps a safety copy, then swaps
      try {
        const r = await restoreFrom(rest[0], dbFile);
        console.log(
          `Database ripristinato da ${rest[0]}${r.migrated ? ` (aggiornato con ${r.migrated} migrazioni)` : ''}` +
            (r.safetyCopy ? `; il database sostituito è salvato in ${r.safetyCopy}` : ''),
        );
        return 0;
      } catch (err) {
        if (err instanceof RestoreRefusedError || err instanceof DatabaseBusyError) {
          console.error(`Ripristino non eseguito, il database non è stato toccato: ${err.message}`);
          return 1;
        }
        throw err;
      }
    }
    case 'serve': {
      const network = [values.listen, values.config, values['host-name'], values.cert, values.key, values['data-dir'], values.http].some((v) => v !== undefined);
      if (network) {
        if (values.port !== undefined) return usage('serve --listen <indirizzo:porta> (--port vale solo per la modalità browser; in rete la porta è in --listen)');
        if (values.open) return usage('serve --listen <indirizzo:porta> (--open vale solo per la modalità browser)');
        return serveOffice(values, practiceClock);
      }
      const runtime = openRuntime({ dbFile, practiceClock });
      const port = values.port === undefined ? 0 : /^\d{1,5}$/.test(values.port) && Number(values.port) <= 65535 ? Number(values.port) : null;
      if (port === null) {
        runtime.stop();
        return usage('serve [--port N] (N: un numero da 0 a 65535)');
      }
      const host = await startHttpHost({ backend: runtime.backend, port, staticDir: rendererDir() });
      console.log(`Rette Mensa in modalità browser: ${host.openUrl}`);
      console.log(`Database: ${dbFile}`);
      if (values.open && !(await openInBrowser(host.openUrl))) {
        console.log("Il browser non si è aperto da solo: aprire l'indirizzo qui sopra in Chromium, Chrome, Edge o Firefox.");
      }
      if (practiceClock) console.log(`Orologio di prova: ${describeClock(practiceClock)}`);
      return untilStopped(host, runtime);
    }
    case 'server-fingerprint': {
      try {
        console.log(serverFingerprint(values));
        return 0;
      } catch (err) {
        if (!(err instanceof ServerConfigError || err instanceof CertificateError)) throw err;
        console.error(err.message);
        return 1;
      }
    }
    case 'procedures': {
      const runtime = openRuntime({ dbFile, timers: false });
      for (const p of runtime.backend.procedures.values()) console.log(`${p.name.padEnd(32)} ${p.role.padEnd(15)} ${p.title}`);
      runtime.stop();
      return 0;
    }
    case 'seed-demo': {
      const input: Record<string, unknown> = {};
      if (values.pupils) input.pupils = Number(values.pupils);
      if (values.seed) input.seed = Number(values.seed);
      if (values.force) input.force = true;
      return callAndPrint(openRuntime({ dbFile, timers: false, practiceClock }), 'demo.seed', input, values.user, true);
    }
    case 'close-day': {
      if (!values.date || !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) return usage('close-day --date AAAA-MM-GG [--comune ID]');
      const input: Record<string, unknown> = { date: values.date };
      if (values.comune) input.municipalityId = Number(values.comune);
      return callAndPrint(openRuntime({ dbFile, timers: false, practiceClock }), 'attendance.closeDay', input, values.user, false);
    }
    case 'portal-sync':
      return callAndPrint(openRuntime({ dbFile, timers: false }), 'portal.sync.now', {}, values.user, false);
    case 'portal-sandbox': {
      const port = values.port === undefined ? 0 : /^\d{1,5}$/.test(values.port) && Number(values.port) <= 65535 ? Number(values.port) : null;
      if (port === null) return usage('portal-sandbox [--port N] [--seed <database>] (N: un numero da 0 a 65535)');
      // the sandbox is part of the repository's tests, not of the program: loaded only here, by path
      const sandboxCli = path.resolve(import.meta.dirname ?? path.resolve('electron', 'cli'), '..', '..', 'test', 'portal-sandbox', 'cli.ts');
      if (!fs.existsSync(sandboxCli)) {
        console.error('Il portale di prova è disponibile solo nel repository del programma (cartella test/portal-sandbox)');
        return 2;
      }
      const { runSandboxCommand } = (await import(pathToFileURL(sandboxCli).href)) as { runSandboxCommand: (o: { port: number; seedDb?: string }) => Promise<number> };
      return runSandboxCommand({ port, seedDb: values.seed });
    }
    case 'call': {
      const [name, json] = rest;
      if (!name) return usage("call <procedura> '<json>'");
      let input: unknown = {};
      if (json) {
        try {
          input = JSON.parse(json);
        } catch {
          console.error('Il secondo argomento deve essere JSON valido, es. \'{"search":"rossi"}\'');
          return 2;
        }
      }
      return callAndPrint(openRuntime({ dbFile, timers: false, practiceClock }), name, input, values.user, false);
    }
    default:
      console.error(`Comando sconosciuto: ${command}\n`);
      process.stderr.write(HELP);
      return 2;
  }
}

interface ServeValues {
  listen?: string;
  config?: string;
  db?: string;
  'data-dir'?: string;
  'host-name'?: string[];
  cert?: string;
  key?: string;
  http?: boolean;
}

function serverCliOptions(values: ServeValues) {
  return {
    listen: values.listen,
    config: values.config,
    db: values.db,
    dataDir: values['data-dir'],
    // '--host-name a,b' and '--host-name a --host-name b' alike
    hostNames: values['host-name']?.flatMap((n) => n.split(',')).filter((n) => n.trim() !== ''),
    cert: values.cert,
    key: values.key,
    http: values.http,
  };
}

/** The certificate the server will present: the supplied files, or the generated one (made now if needed). */
async function serverCertificate(settings: ServerSettings): Promise<ServerCertificate | null> {
  if (settings.tls.kind === 'none') return null;
  // the real time, not a practice clock: a certificate is about the real world
  const now = new Date();
  if (settings.tls.kind === 'files') return loadCertificate(settings.tls.certFile, settings.tls.keyFile, settings.hostNames, now);
  return ensureGeneratedCertificate(settings.dataDir, settings.hostNames, now);
}

/**
 * `rette serve --listen`: the office server (issue 14). Runs until stopped (Ctrl+C, the service
 * manager's SIGTERM); it owns the scheduled work (day close, daily backup).
 */
async function serveOffice(values: ServeValues, practiceClock: PracticeClock | null): Promise<number> {
  let settings: ServerSettings;
  try {
    settings = resolveServerSettings(serverCliOptions(values));
  } catch (err) {
    if (!(err instanceof ServerConfigError)) throw err;
    console.error(err.message);
    return 2;
  }
  let certificate: ServerCertificate | null;
  try {
    certificate = await serverCertificate(settings);
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    console.error(`Certificato del server: ${err.message}`);
    return 1;
  }
  const runtime = openRuntime({ dbFile: settings.dbFile, dataDir: settings.dataDir, practiceClock, mode: 'server' });
  let host: Awaited<ReturnType<typeof startHttpHost>>;
  try {
    host = await startHttpHost({
      backend: runtime.backend,
      port: settings.port,
      staticDir: rendererDir(),
      server: { address: settings.address, hostNames: settings.hostNames, tls: certificate && { cert: certificate.cert, key: certificate.key } },
    });
  } catch (err) {
    runtime.stop();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') console.error(`La porta ${settings.port} di ${settings.address} è già in uso da un altro programma: sceglierne un'altra in --listen`);
    else if (code === 'EADDRNOTAVAIL') console.error(`L'indirizzo ${settings.address} non appartiene a questo computer: usare uno dei suoi indirizzi o 0.0.0.0`);
    else if (code === 'EACCES') console.error(`Porta ${settings.port} non consentita a questo utente (le porte sotto 1024 richiedono privilegi): usare ad es. 8443`);
    else console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
  console.log(`Rette Mensa, server dell'ufficio: ${host.url}`);
  if (certificate) {
    console.log(`Impronta del certificato (SHA-256): ${certificate.fingerprint}`);
    console.log(
      certificate.generated
        ? `Certificato generato ora: ${certificate.certFile} (le postazioni confermano questa impronta al primo collegamento)`
        : `Certificato: ${certificate.certFile} (scade il ${certificate.validTo.slice(0, 10)})`,
    );
    if (certificate.uncovered.length) console.log(`Attenzione: il certificato non copre ${certificate.uncovered.join(', ')} (i browser lo segnalano; le postazioni con l'impronta confermata no)`);
  } else {
    console.log('HTTP in chiaro, solo da questo computer (127.0.0.1)');
  }
  console.log(`Nomi accettati: ${settings.hostNames.join(', ')}`);
  console.log(`Database: ${settings.dbFile}`);
  console.log(`Controllo di salute: ${new URL(HEALTH_PATH, host.url).href}`);
  if (practiceClock) console.log(`Orologio di prova: ${describeClock(practiceClock)}`);
  if (!runtime.database.db.select({ id: users.id }).from(users).limit(1).get()) {
    console.log(
      "Nessun utente: creare l'amministratore su questo computer con  npm run rette -- call auth.setup " +
        `'{"username":"admin","displayName":"Amministratore","password":"…"}' --db ${JSON.stringify(settings.dbFile)}`,
    );
  }
  return untilStopped(host, runtime);
}

/** Serves until Ctrl+C or the service manager's SIGTERM, then closes the host and the database. */
function untilStopped(host: { close(): Promise<void> }, runtime: { stop(): void }): Promise<number> {
  const stop = async () => {
    await host.close();
    runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return new Promise<number>(() => {}); // runs until stopped
}

/** `rette server-fingerprint`: the fingerprint clients must see (supplied certificate, or the generated one). */
function serverFingerprint(values: ServeValues): string {
  const file = values.config !== undefined ? readConfigFile(values.config) : null;
  const certFile = values.cert ?? file?.tls?.cert;
  if (certFile !== undefined) {
    let pem: Buffer;
    try {
      pem = fs.readFileSync(certFile);
    } catch (err) {
      throw new CertificateError(`Certificato non leggibile: ${certFile} (${(err as NodeJS.ErrnoException).code ?? 'errore'})`);
    }
    try {
      return fingerprintOfPem(pem);
    } catch {
      throw new CertificateError(`Il file ${certFile} non contiene un certificato PEM valido`);
    }
  }
  const dbFile = values.db ?? file?.database ?? process.env.RETTE_DB;
  const dataDir = values['data-dir'] ?? file?.dataDir ?? (dbFile ? path.dirname(path.resolve(dbFile)) : userDataDir());
  const found = generatedFingerprint(dataDir);
  if (!found) throw new CertificateError(`Nessun certificato generato in ${serverTlsDir(dataDir)}: avviare prima il server (serve --listen …)`);
  return found;
}

/** Node's parseArgs errors, said in Italian (unknown option, missing value): exit code 2, no stack. */
function commandLine<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch (err) {
    const code = (err as { code?: string }).code;
    const option = /'(-{1,2}[^' ]+)/.exec(err instanceof Error ? err.message : '')?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error(`Opzione sconosciuta: ${option}`);
    else if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') console.error(`L'opzione ${option} richiede un valore`);
    else console.error(`Riga di comando non valida: ${err instanceof Error ? err.message : String(err)}`);
    console.error("Elenco dei comandi e delle opzioni: npm run rette -- --help");
    return null;
  }
}

function usage(text: string): number {
  console.error(`Uso: npm run rette -- ${text}`);
  return 2;
}

/**
 * The CLI acts as a local user of the database: `--user <name>`, or the first active administrator.
 * Whoever can run it already holds the database file, so no password is asked; the user's role
 * is still checked by the contract, and every change is audited under that name.
 */
async function callAndPrint(runtime: Runtime, name: string, input: unknown, username: string | undefined, allowWithoutUsers: boolean): Promise<number> {
  try {
    const db = runtime.database.db;
    const user = username
      ? db.select().from(users).where(eq(users.username, username)).get()
      : // the first ACTIVE administrator: a deactivated one no longer acts, not even from here
        db.select().from(users).where(and(eq(users.role, 'amministratore'), eq(users.active, true))).orderBy(asc(users.id)).get();
    if (username && !user) {
      console.error(`Utente inesistente: ${username}`);
      return 2;
    }
    if (!username && !user && db.select({ id: users.id }).from(users).limit(1).get()) {
      console.error('Nessun amministratore attivo: indicare con --user un utente attivo.');
      return 2;
    }
    if (user && !user.active) {
      console.error(`Utente disattivato: ${user.username}`);
      return 2;
    }
    // seed-demo on a brand-new database (no users yet) acts as the command line itself; the first
    // start of the app still asks for the administrator
    const actor = user
      ? toSessionUser(user)
      : allowWithoutUsers
        ? COMMAND_LINE_ACTOR
        : null;
    const session = actor ? runtime.backend.sessionFor(actor) : null;
    const result = await runtime.backend.call(name, input, session, { workstation: commandLineWorkstation() });
    const out = JSON.stringify(result.ok ? result.value : result, null, 2);
    if (result.ok) console.log(out);
    else console.error(out);
    return result.ok ? 0 : 1;
  } finally {
    runtime.stop();
  }
}

const invoked = process.argv[1] && path.resolve(process.argv[1]);
if (invoked && (invoked.endsWith(path.join('bin', 'rette.mjs')) || invoked === path.resolve(import.meta.filename ?? ''))) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
void fs;
