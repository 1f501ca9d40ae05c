/**
 * One office on one server, for the load test (test/load/office-load.test.ts) and the server
 * benchmark (bench/server.bench.ts): a demo office seeded on a fresh database with a fixed clock,
 * the backend behind the host in server mode (HTTPS with a generated certificate, as
 * `rette serve --listen`) on 127.0.0.1 (or the loopback browser mode over plain HTTP), N clerks each
 * signed in as their own user from their own workstation, with the certificate pinned, and
 * the calls a clerk makes all day (search, pupil card, enrollment of a new pupil, phone
 * cancellation). The day close is the server's own (the scheduler's function, in the server).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenDatabase } from '../../db/open';
import { createBackend, type Backend } from '../../electron/contract/backend';
import { procedures } from '../../electron/contract/registry';
import { fixedClock } from '../../electron/platform/clock';
import { startHttpHost, type HttpHost } from '../../electron/host/http-host';
import { generateCertificate } from '../../electron/host/tls';
import { fingerprintOfPem, pinnedAgent } from '../../electron/host/tls-pin';
import { runDueDayCloses } from '../../electron/attendance/scheduler';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';
import { copyTemplateDatabase } from '../support/template-db';

const silent = { info() {}, warn() {}, error() {} };
/** cheap scrypt for the 25 clerks' accounts (the real cost is tested in test/unit/users) */
const HASHING = { N: 2 ** 10, r: 8, p: 1 };

/**
 * Monday 16 November 2026, 09:25 in Rome: Cassino's cutoff (09:00) has passed, Clusone's (09:30)
 * not yet. The clerks' sessions stay alive across the jump to 09:40 (under 30 idle minutes).
 */
export const OFFICE_MORNING = '2026-11-16T08:25:00Z';
/** 09:40 in Rome: both cutoffs passed, the server closes the day. */
export const OFFICE_AFTER_CUTOFF = '2026-11-16T08:40:00Z';

export type CallKind = 'search.people' | 'pupils.get' | 'enrollments.create' | 'attendance.phoneCancel';

export interface Office {
  dir: string;
  database: OpenDatabase;
  backend: Backend;
  clock: ReturnType<typeof fixedClock>;
  host: HttpHost;
  /** the server certificate's fingerprint, pinned by the clerks (null: plain HTTP on loopback) */
  fingerprint: string | null;
  adminSession: string;
  /** enrolled pupils a phone cancellation is accepted for now (checked with attendance.phoneLanding) */
  cancellable: number[];
  /** pupils to read, surnames to search */
  pupilIds: number[];
  surnames: string[];
  /** where a new pupil is enrolled: the current year, a payer, a school, its weekdays */
  enrollTarget: { schoolYearId: number; payerId: number; schoolId: number; classId: number | null; weekdays: number[]; belfiore: string };
  /** the server's scheduled day close, run now (as the scheduler does at each municipality's cutoff) */
  closeDueDays(): number;
  close(): Promise<void>;
}

async function must(backend: Backend, name: string, input: unknown, session: string | null): Promise<any> {
  const r = await backend.call(name, input, session);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error).slice(0, 400)}`);
  return r.value;
}

export async function startOffice(options: { pupils?: number; clerks?: number; money?: boolean; https?: boolean } = {}): Promise<Office & { clerkNames: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rette-load-'));
  const file = path.join(dir, 'rette.sqlite');
  copyTemplateDatabase(file);
  const database = openDatabase(file);
  const clock = fixedClock(OFFICE_MORNING);
  const backend = createBackend({ database, clock, procedures, dataDir: dir, logger: silent, passwordHashing: HASHING });
  const setup = await must(backend, 'auth.setup', { username: 'admin', displayName: 'Amministratore', password: 'password-admin' }, null);
  const admin = setup.session as string;
  await must(backend, 'demo.seed', { pupils: options.pupils ?? 1500, seed: 14, money: options.money ?? false }, admin);
  const clerkNames: string[] = [];
  for (let i = 1; i <= (options.clerks ?? 25); i++) {
    const username = `impiegato${String(i).padStart(2, '0')}`;
    await must(backend, 'users.create', { username, displayName: `Impiegato ${i}`, role: 'operatore', password: `password-${username}` }, admin);
    clerkNames.push(username);
  }
  const sqlite = database.sqlite;
  const year = sqlite
    .prepare("SELECT id FROM school_years WHERE starts_on <= '2026-11-16' AND ends_on >= '2026-11-16' ORDER BY id LIMIT 1")
    .get() as { id: number };
  const enrolled = sqlite
    .prepare("SELECT e.pupil_id AS pupilId, e.school_id AS schoolId, e.class_id AS classId, e.weekdays AS weekdays, e.payer_id AS payerId FROM enrollments e WHERE e.status = 'attiva' AND e.school_year_id = ? ORDER BY e.pupil_id")
    .all(year.id) as { pupilId: number; schoolId: number; classId: number | null; weekdays: string; payerId: number }[];
  const cancellable: number[] = [];
  for (const e of enrolled) {
    const landing = await must(backend, 'attendance.phoneLanding', { pupilId: e.pupilId }, admin);
    if (landing.refusal === null) cancellable.push(e.pupilId);
  }
  const model = enrolled.find((e) => cancellable.includes(e.pupilId)) ?? enrolled[0];
  const belfiore = 'C034'; // Cassino
  const surnames = (sqlite.prepare('SELECT DISTINCT last_name AS s FROM pupils ORDER BY s LIMIT 200').all() as { s: string }[]).map((r) => r.s);
  // the server's scheduler runs once at start (as openRuntime's does): from here on, each cutoff closes its day
  runDueDayCloses({ database, clock, logger: silent, notices: backend.notices });
  let host: HttpHost;
  let fingerprint: string | null = null;
  if (options.https !== false) {
    const tls = await generateCertificate(['localhost', '127.0.0.1'], clock.now());
    fingerprint = fingerprintOfPem(tls.cert);
    host = await startHttpHost({ backend, server: { address: '127.0.0.1', hostNames: ['localhost', '127.0.0.1'], tls } });
  } else {
    host = await startHttpHost({ backend, limits: { maxConnections: 256 } });
  }
  return {
    dir,
    database,
    backend,
    clock,
    host,
    fingerprint,
    adminSession: admin,
    clerkNames,
    cancellable,
    pupilIds: enrolled.map((e) => e.pupilId),
    surnames,
    enrollTarget: {
      schoolYearId: year.id,
      payerId: model.payerId,
      schoolId: model.schoolId,
      classId: model.classId,
      weekdays: weekdaysOf(model.weekdays),
      belfiore,
    },
    closeDueDays: () => runDueDayCloses({ database, clock, logger: silent, notices: backend.notices }).length,
    async close() {
      await host.close();
      database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function weekdaysOf(stored: string): number[] {
  // stored as text ('1,3,5' or JSON): the contract's weekday numbers
  const t = stored.trim();
  if (t.startsWith('[')) return JSON.parse(t) as number[];
  return t.split(/[^0-9]+/).filter(Boolean).map(Number);
}

/** A new pupil's data, unique for (clerk, n): the birth date moves the tax code. */
export function newPupil(target: Office['enrollTarget'], clerk: number, n: number) {
  const birth = new Date(Date.UTC(2017, 0, 1) + (clerk * 97 + n) * 86_400_000).toISOString().slice(0, 10);
  const firstName = 'Marco';
  const lastName = 'Caricodiprova';
  return { firstName, lastName, birthDate: birth, taxCode: buildCodiceFiscale({ firstName, lastName, birthDate: birth, sex: 'M', belfiore: target.belfiore }), schoolId: target.schoolId, classId: target.classId };
}

/**
 * A clerk at their own workstation: their own keep-alive connections (pinned to the server's
 * certificate in server mode), their own session, their workstation's name on every request.
 */
export class HttpClerk {
  private readonly agent: http.Agent;
  private readonly secure: boolean;
  session: string | null = null;
  constructor(
    private readonly office: Pick<Office, 'host' | 'fingerprint'>,
    readonly username: string,
  ) {
    this.secure = office.fingerprint !== null;
    this.agent = office.fingerprint ? pinnedAgent(office.fingerprint, { keepAlive: true, maxSockets: 2 }) : new http.Agent({ keepAlive: true, maxSockets: 2 });
  }

  /** the name this clerk's desktop declares (the audit log records it with the address) */
  get workstation(): string {
    return `PC-${this.username.toUpperCase()}`;
  }

  /** POST /api/<name> as the renderer does; resolves with the envelope and the HTTP status */
  call(name: string, input: unknown): Promise<{ status: number; body: { ok: boolean; value?: any; error?: { code: string; message: string } } }> {
    const payload = JSON.stringify(input ?? {});
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
      'X-Rette-Workstation': this.workstation,
    };
    if (this.office.host.token) headers.Authorization = `Bearer ${this.office.host.token}`;
    if (this.session) headers['X-Rette-Session'] = this.session;
    const request = this.secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.office.host.port, method: 'POST', path: `/api/${encodeURIComponent(name)}`, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async login(): Promise<void> {
    const r = await this.call('auth.login', { username: this.username, password: `password-${this.username}` });
    if (!r.body.ok) throw new Error(`${this.username}: accesso non riuscito: ${JSON.stringify(r.body.error)}`);
    this.session = r.body.value.session as string;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The p-th percentile (nearest rank) of a list of milliseconds. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
