import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../electron/cli/rette';
import { openDatabase } from '../../../db/open';
import { backupTo } from '../../../db/backup';
import { openRuntime } from '../../../electron/host/runtime';
import { browserOpener, openInBrowser } from '../../../electron/host/open-browser';
import type { ChildProcess } from 'node:child_process';

vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-cli-safety-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs the CLI's main() in this process, capturing what it prints. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (err.push(String(c)), true));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    vi.restoreAllMocks();
  }
}

function hash(file: string): string {
  return ['', '-wal', '-shm']
    .filter((s) => fs.existsSync(file + s))
    .map((s) => createHash('sha256').update(fs.readFileSync(file + s)).digest('hex'))
    .join('/');
}

describe('riga di comando: argomenti strani', () => {
  it('opzioni sconosciute o senza valore: messaggio in italiano e codice 2, nessuna eccezione', async () => {
    const unknown = await run('migrate', '--boh');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Opzione sconosciuta: --boh');
    const missing = await run('call', 'auth.status', '--db');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("L'opzione --db richiede un valore");
    const empty = await run('migrate', '--db', '');
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/non può essere vuoto/);
  });

  it('una porta non numerica o fuori intervallo è rifiutata', async () => {
    for (const port of ['abc', '70000', '-1', '80; rm']) {
      const r = await run('serve', '--db', path.join(dir, `porta.sqlite`), `--port=${port}`);
      expect(r.code, port).toBe(2);
      expect(r.err).toMatch(/da 0 a 65535/);
    }
  });
});

describe('riga di comando: ripristino', () => {
  it('un ripristino rifiutato esce con 1, lo dice in italiano e lascia il database identico', async () => {
    const live = path.join(dir, 'rifiuto.sqlite');
    const db = openDatabase(live);
    db.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('archivio', 'vivo')").run();
    const copy = path.join(dir, 'rifiuto-copia.sqlite');
    await backupTo(db.sqlite, copy);
    const before = hash(live);
    // the database is open (this process holds it): refused
    const busy = await run('restore', copy, '--db', live);
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/non è stato toccato.*aperto da Rette Mensa/);
    db.close();
    const afterOpen = hash(live);
    const bogus = path.join(dir, 'non-database.sqlite');
    fs.writeFileSync(bogus, 'x'.repeat(4096));
    const bad = await run('restore', bogus, '--db', live);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/non è una copia di sicurezza leggibile/);
    expect(hash(live)).toBe(afterOpen);
    expect(before).not.toBe(''); // the file existed all along
    const ok = await run('restore', copy, '--db', live);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/prima-del-ripristino-.*\.sqlite/);
  });
});

describe("riga di comando: l'utente predefinito", () => {
  it('un amministratore disattivato non è più l’utente predefinito: agisce il primo amministratore attivo', async () => {
    const file = path.join(dir, 'utenti.sqlite');
    const runtime = openRuntime({ dbFile: file, timers: false });
    const b = runtime.backend;
    const setup = await b.call('auth.setup', { username: 'primo', displayName: 'Primo', password: 'password-primo' });
    expect(setup.ok).toBe(true);
    const first = (setup as { value: { session: string } }).value.session;
    const created = await b.call('users.create', { username: 'secondo', displayName: 'Secondo', role: 'amministratore', password: 'password-secondo' }, first);
    expect(created.ok).toBe(true);
    const login = await b.call('auth.login', { username: 'secondo', password: 'password-secondo' });
    const second = (login as { value: { session: string } }).value.session;
    const list = (await b.call('users.list', {}, second)) as { ok: true; value: unknown };
    const rows = (Array.isArray(list.value) ? list.value : (list.value as { rows: unknown[] }).rows) as { id: number; username: string; version: number }[];
    const primo = rows.find((u) => u.username === 'primo')!;
    const off = await b.call('users.update', { id: primo.id, version: primo.version, displayName: 'Primo', role: 'amministratore', active: false }, second);
    expect(off.ok).toBe(true);
    runtime.stop();

    const r = await run('call', 'auth.status', '--db', file);
    expect(r.err).not.toMatch(/disattivato/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).user.username).toBe('secondo');
  });
});

describe('serve --open', () => {
  it('il comando del browser è quello della piattaforma, con l’indirizzo come unico argomento, mai una shell', () => {
    const url = 'http://127.0.0.1:41234/?token=abc_DEF-123';
    expect(browserOpener(url, 'linux')).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserOpener(url, 'darwin')).toEqual({ command: '/usr/bin/open', args: [url] });
    expect(browserOpener(url, 'win32', { SystemRoot: 'C:\\Windows' })).toEqual({ command: 'C:\\Windows\\explorer.exe', args: [url] });
    for (const odd of ['http://example.com/?token=x', 'http://127.0.0.1:1/?token=a&calc', 'file:///etc/passwd', 'http://127.0.0.1:1/?token=a b']) {
      expect(() => browserOpener(odd, 'linux'), odd).toThrow(/non apribile/);
    }
  });

  it('avvia l’apertura senza shell e dice false se non c’è un programma per aprire', async () => {
    const calls: { command: string; args: string[]; shell: unknown }[] = [];
    const fake = (outcome: 'spawn' | 'error') => (command: string, args: string[], options: { shell?: unknown }) => {
      calls.push({ command, args, shell: options.shell });
      const child = Object.assign(new EventEmitter(), { unref() {} });
      setImmediate(() => (outcome === 'spawn' ? child.emit('spawn') : child.emit('error', new Error('ENOENT'))));
      return child as unknown as ChildProcess;
    };
    const url = 'http://127.0.0.1:5000/?token=abc';
    expect(await openInBrowser(url, { spawn: fake('spawn'), platform: 'linux' })).toBe(true);
    expect(await openInBrowser(url, { spawn: fake('error'), platform: 'linux' })).toBe(false);
    expect(calls[0]).toEqual({ command: 'xdg-open', args: [url], shell: false });
  });

  it.skipIf(process.platform === 'win32')('rette serve --open apre l’indirizzo con il token (un xdg-open finto al posto del browser)', async () => {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    const seen = path.join(dir, 'aperto.txt');
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\n`, { mode: 0o755 });
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), 'serve', '--open', '--db', path.join(dir, 'serve.sqlite')], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const deadline = Date.now() + 100_000;
      while (!(fs.existsSync(seen) && fs.readFileSync(seen, 'utf8')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const printed = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out)?.[1];
      expect(printed).toBeTruthy();
      expect(fs.readFileSync(seen, 'utf8')).toBe(printed);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
