/**
 * Issue 14, "Working together": two clerks editing the same record. For every editable record of
 * the office, the second save made on the version both loaded is refused with CONFLICT naming the
 * clerk who saved first and when, and the record stays as the first clerk left it; a reload (the
 * version now) saves. Every update-like procedure of the registry must be in the table below, and
 * the database itself refuses an UPDATE that does not raise the version (migration 0015).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { procedures } from '../../../electron/contract/registry';
import { VERSIONED_RECORDS, type VersionedName } from '../../../electron/contract/versions';
import type { ErrorShape } from '../../../electron/contract/errors';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { buildItalianIban } from '../../../electron/identifiers/iban';
import { buildCreditorId } from '../../../electron/identifiers/creditor-id';
import { createTestApp, seedBasics, VALID_PAYER, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';

let app: TestApp;
let base: Awaited<ReturnType<typeof seedBasics>>;
/** sessions of the two clerks: A (Mario Rossi) saves first, B (Giulia Bianchi) second */
const clerk = { A: '', B: '' };

// 6 December 2026, 10:42 in Rome
const NOW = '2026-12-06T09:42:00Z';

beforeAll(async () => {
  app = await createTestApp(NOW);
  base = await seedBasics(app);
  for (const [who, username, displayName] of [['A', 'mario', 'Mario Rossi'], ['B', 'giulia', 'Giulia Bianchi']] as const) {
    await app.call('users.create', { username, displayName, role: 'amministratore', password: `password-${username}` });
    const login = await app.backend.call('auth.login', { username, password: `password-${username}` });
    if (!login.ok) throw new Error(JSON.stringify(login.error));
    clerk[who] = (login.value as { session: string }).session;
  }
});
afterAll(() => app.close());

async function as(who: 'A' | 'B', name: string, input: unknown) {
  return app.backend.call(name, input, clerk[who]);
}

/** The stored rows of a record, to prove a refused save changed nothing. */
function rowsOf(record: VersionedName, id: number | null): unknown[] {
  const r = VERSIONED_RECORDS[record];
  if (r.kind === 'settings') return app.database.sqlite.prepare(`SELECT * FROM settings WHERE key IN (${r.keys.map(() => '?').join(', ')}) ORDER BY key`).all(...r.keys);
  return app.database.sqlite.prepare(`SELECT * FROM "${r.table}" WHERE "${r.key}" = ?`).all(id);
}

interface Case {
  procedure: string;
  record: VersionedName;
  /** creates the record; returns its key and the input of a save (with the version given), `n` telling the saves apart */
  setup: () => Promise<{ id: number | null; save: (version: number, n: number) => Record<string, unknown> }>;
}

let seq = 0;
/** a new person each time: a different birth day gives a different codice fiscale */
const person = (sex: 'M' | 'F', year: number) => {
  const n = ++seq;
  const lastName = ['Alfieri', 'Bruni', 'Conti', 'Donati', 'Esposito', 'Ferri'][n % 6];
  const birthDate = `${year}-${String(1 + Math.floor(n / 6) % 12).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
  return { lastName, birthDate, taxCode: buildCodiceFiscale({ lastName, firstName: 'Prova', birthDate, sex, belfiore: 'C800' }) };
};

async function newPupil() {
  const { lastName, birthDate, taxCode } = person('M', 2017);
  return app.call('pupils.create', { firstName: 'Prova', lastName, birthDate, taxCode, schoolId: base.school.id, classId: base.cls.id }, 'operatore');
}
async function newPayer() {
  const { lastName, taxCode } = person('F', 1982);
  return app.call('payers.create', { ...VALID_PAYER, lastName, taxCode, iban: null, ibanHolder: null }, 'operatore');
}
const MANDATE_IBAN = 'IT60X0542811101000000123456';
async function newMandate() {
  const payer = await newPayer();
  const { mandate } = await app.call('sdd.mandates.create', { payerId: payer.id, iban: MANDATE_IBAN, holderName: `${payer.firstName} ${payer.lastName}`, holderTaxCode: payer.taxCode, signedOn: '2026-09-01' }, 'operatore');
  return { mandate, payer };
}
const LETTER = 'Gentile {pagante}, il debito di {importo} va saldato entro il {scadenza}.';

const CASES: Case[] = [
  {
    procedure: 'users.update',
    record: 'user',
    setup: async () => {
      const u = await app.call('users.create', { username: `utente${++seq}`, displayName: 'Utente', role: 'operatore', password: 'password-utente' });
      return { id: u.id, save: (version, n) => ({ id: u.id, version, displayName: `Utente ${n}`, role: 'operatore', active: true }) };
    },
  },
  {
    procedure: 'municipalities.update',
    record: 'municipality',
    setup: async () => {
      const m = await app.call('municipalities.create', { name: `Comune ${++seq}`, province: 'BG', cutoffTime: '09:30' });
      return { id: m.id, save: (version, n) => ({ id: m.id, version, name: m.name, province: 'BG', cutoffTime: `09:${10 + n}` }) };
    },
  },
  {
    procedure: 'schools.update',
    record: 'school',
    setup: async () => {
      const s = await app.call('schools.create', { municipalityId: base.clusone.id, name: `Scuola ${++seq}`, kind: 'primaria' });
      return { id: s.id, save: (version, n) => ({ id: s.id, version, municipalityId: base.clusone.id, name: s.name, kind: 'primaria', address: `Via Roma ${n}` }) };
    },
  },
  {
    procedure: 'tariffs.update',
    record: 'tariff',
    setup: async () => {
      // one year of its own each time: tariffs of a municipality never overlap
      const year = 2030 + ++seq;
      const period = { validFrom: `${year}-09-01`, validTo: `${year}-12-31` };
      const t = await app.call('tariffs.create', { municipalityId: base.cassino.id, ...period, grossCents: 500, netCents: 480, vatRateBp: 400 });
      return { id: t.id, save: (version, n) => ({ id: t.id, version, municipalityId: base.cassino.id, ...period, grossCents: 500 + n, netCents: 480, vatRateBp: 400 }) };
    },
  },
  {
    procedure: 'pupils.update',
    record: 'pupil',
    setup: async () => {
      const p = await newPupil();
      return { id: p.id, save: (version, n) => ({ id: p.id, version, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, taxCode: p.taxCode, notes: `nota ${n}` }) };
    },
  },
  {
    procedure: 'payers.update',
    record: 'payer',
    setup: async () => {
      const p = await newPayer();
      const { id, firstName, lastName, taxCode, email, street, streetNumber, postcode, town, province } = p;
      return { id, save: (version, n) => ({ id, version, firstName, lastName, taxCode, email, mobile: `347 000 000${n}`, street, streetNumber, postcode, town, province }) };
    },
  },
  {
    procedure: 'enrollments.update',
    record: 'enrollment',
    setup: async () => {
      const pupil = await newPupil();
      const payer = await newPayer();
      const { enrollment: e } = await app.call('enrollments.create', { pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, classId: base.cls.id, weekdays: [1, 3, 5], paymentMethod: 'prepagato' }, 'operatore');
      return {
        id: e.id,
        save: (version, n) => ({ id: e.id, version, pupilId: pupil.id, schoolYearId: base.year.id, payerId: payer.id, schoolId: base.school.id, classId: base.cls.id, weekdays: n === 1 ? [1, 2] : [4, 5], paymentMethod: 'prepagato', notes: `nota ${n}` }),
      };
    },
  },
  {
    procedure: 'diets.catalogueSave',
    record: 'dietType',
    setup: async () => {
      const d = await app.call('diets.catalogueSave', { name: `Dieta ${++seq}`, category: 'medica', kind: 'altro' });
      return { id: d.id, save: (version, n) => ({ id: d.id, version, name: `Dieta ${d.id} (${n})`, category: 'medica', kind: 'altro' }) };
    },
  },
  {
    procedure: 'sdd.mandates.amendIban',
    record: 'mandate',
    setup: async () => {
      const { mandate } = await newMandate();
      return { id: mandate.id, save: (version, n) => ({ mandateId: mandate.id, version, iban: buildItalianIban('05428', '11101', `00000099999${n}`) }) };
    },
  },
  {
    procedure: 'sdd.mandates.amendHolder',
    record: 'mandate',
    setup: async () => {
      const { mandate, payer } = await newMandate();
      return { id: mandate.id, save: (version, n) => ({ mandateId: mandate.id, version, holderName: `${payer.firstName} ${n === 1 ? 'Maria' : 'Luisa'} ${payer.lastName}` }) };
    },
  },
  {
    procedure: 'sdd.creditor.update',
    record: 'sddCreditor',
    setup: async () => ({
      id: 1,
      save: (version, n) => ({ version, creditorId: buildCreditorId('IT', '0000001234567897'), creditorIban: buildItalianIban('03069', '11166', '100000001234'), cuc: '1234567A', commissionCents: 100 + n }),
    }),
  },
  {
    procedure: 'debts.ladder.update',
    record: 'debtLadder',
    setup: async () => ({
      id: base.cassino.id,
      save: (version, n) => ({
        municipalityId: base.cassino.id,
        version,
        suspensionAllowed: n === 1,
        enrollmentRefusalAllowed: false,
        steps: [{ name: `Sollecito ${n}`, thresholdCents: 1000, thresholdMeals: null, minDaysSincePrevious: 0, channel: 'lettera', template: LETTER, daysToPay: 15 }],
      }),
    }),
  },
  { procedure: 'caterer.update', record: 'caterer', setup: async () => ({ id: null, save: (version, n) => ({ ...TEST_CATERER, version, streetNumber: String(10 + n) }) }) },
  { procedure: 'ledger.setLowBalanceThreshold', record: 'lowBalance', setup: async () => ({ id: null, save: (version, n) => ({ version, thresholdCents: 1000 + n }) }) },
  { procedure: 'attendance.updateSettings', record: 'plainMeal', setup: async () => ({ id: null, save: (version, n) => ({ version, plainMealMaxDays: 3 + n }) }) },
  { procedure: 'tax730.updateSettings', record: 'tax730', setup: async () => ({ id: null, save: (version, n) => ({ version, includeSddCommission: n === 1 }) }) },
  { procedure: 'diets.updateSettings', record: 'dietSettings', setup: async () => ({ id: null, save: (version, n) => ({ version, renewalDeadline: '09-30', retentionMonths: 12, newDays: n }) }) },
  {
    procedure: 'news.update',
    record: 'news',
    setup: async () => {
      const item = { title: `Menù di dicembre ${++seq}`, body: 'Il menù invernale', municipalityIds: [], validFrom: '2026-12-07', validTo: null };
      const created = await app.call('news.create', item);
      return { id: created.id, save: (version, n) => ({ id: created.id, version, ...item, body: `Il menù invernale, versione ${n}` }) };
    },
  },
  {
    procedure: 'portal.settings.update',
    record: 'portalSettings',
    setup: async () => ({ id: null, save: (version, n) => ({ version, adapter: 'nessuno', intervalMinutes: 10 + n }) }),
  },
];

describe('issue 14: due impiegati modificano lo stesso dato, il secondo salvataggio è rifiutato', () => {
  it.each(CASES.map((c) => [c.procedure, c] as const))('%s: chi salva per secondo sulla stessa versione riceve CONFLICT con chi e quando; il dato resta quello del primo; ricaricato, salva', async (_name, c) => {
    const { id, save } = await c.setup();
    const loaded = app.version(c.record, id ?? undefined);

    const first = await as('A', c.procedure, save(loaded, 1));
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true });
    const afterA = rowsOf(c.record, id);
    const now = app.version(c.record, id ?? undefined);
    expect(now).toBeGreaterThan(loaded);

    const second = await as('B', c.procedure, save(loaded, 2));
    expect(second.ok).toBe(false);
    const error = (second as { error: ErrorShape }).error;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/^Nel frattempo Mario Rossi ha modificato .+ \(6 dic 2026, 10:42\)\. Ricarica per vedere i suoi dati: le tue modifiche non sono state salvate\.$/);
    expect(error.details).toEqual({ changedBy: 'Mario Rossi', changedAt: '2026-12-06T09:42:00.000Z', currentVersion: now });
    expect(rowsOf(c.record, id)).toEqual(afterA);

    // «Ricarica»: the version now, and B's save goes through
    const retried = await as('B', c.procedure, save(now, 2));
    expect(retried, JSON.stringify(retried)).toMatchObject({ ok: true });
    expect(rowsOf(c.record, id)).not.toEqual(afterA);
  });

  it.each(CASES.map((c) => [c.procedure, c] as const))('%s: senza la versione caricata il salvataggio è rifiutato (VALIDATION sul campo version)', async (_name, c) => {
    const { id, save } = await c.setup();
    const { version: _v, ...noVersion } = save(app.version(c.record, id ?? undefined), 3);
    const r = await as('A', c.procedure, noVersion);
    expect(r.ok).toBe(false);
    const error = (r as { error: ErrorShape }).error;
    expect(error.code).toBe('VALIDATION');
    expect(error.issues.map((i) => i.path.join('.'))).toContain('version');
  });

  it('un dato cancellato nel frattempo (o inesistente) è NOT_FOUND, non un conflitto', async () => {
    const r = await as('A', 'pupils.update', { id: 999_999, version: 1, firstName: 'A', lastName: 'B', birthDate: '2017-04-02', taxCode: person('M', 2016).taxCode });
    expect((r as { error: ErrorShape }).error.code).toBe('NOT_FOUND');
  });
});

describe('issue 14: nessuna procedura di modifica sfugge al controllo', () => {
  /** every mutation that changes an existing record from a form: by name, or because it takes a version */
  const UPDATE_LIKE = /\.(update\w*|edit\w*|save\w*|set[A-Z]\w*|amend\w*|catalogueSave)$/;
  const takesVersion = (input: z.ZodType) => {
    try {
      return JSON.stringify(z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' })).includes('"version"');
    } catch {
      return false;
    }
  };

  it('ogni procedura di modifica del registro è nella tabella dei casi (una nuova non può saltare il controllo)', () => {
    const updateLike = procedures
      .filter((p) => p.kind === 'mutation' && (UPDATE_LIKE.test(p.name) || takesVersion(p.input)))
      .map((p) => p.name)
      .sort();
    expect(updateLike).toEqual(CASES.map((c) => c.procedure).sort());
  });

  it('ogni dato con versione ha il suo trigger nel database', () => {
    const triggers = new Set((app.database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]));
    const tables = new Set(Object.values(VERSIONED_RECORDS).map((r) => (r.kind === 'row' ? r.table : 'settings')));
    for (const t of tables) expect(triggers, t).toContain(`${t}_version_bump`);
    expect(new Set(CASES.map((c) => c.record))).toEqual(new Set(Object.keys(VERSIONED_RECORDS)));
  });
});

describe('issue 14: il database rifiuta una modifica che non aumenta la versione', () => {
  it('UPDATE senza versione, o con un salto, è rifiutato; con version = version + 1 passa', async () => {
    const p = await newPupil();
    const db = app.database.sqlite;
    expect(() => db.prepare("UPDATE pupils SET notes = 'di nascosto' WHERE id = ?").run(p.id)).toThrow(/deve aumentare di uno la versione/);
    expect(() => db.prepare("UPDATE pupils SET notes = 'di nascosto', version = version + 2 WHERE id = ?").run(p.id)).toThrow(/deve aumentare di uno la versione/);
    expect(db.prepare('SELECT notes, version FROM pupils WHERE id = ?').get(p.id)).toEqual({ notes: '', version: 1 });
    db.prepare("UPDATE pupils SET notes = 'visto', version = version + 1 WHERE id = ?").run(p.id);
    expect(db.prepare('SELECT notes, version FROM pupils WHERE id = ?').get(p.id)).toEqual({ notes: 'visto', version: 2 });
  });

  it('le impostazioni dei moduli sono protette; le righe di servizio (tentativi di accesso) no', () => {
    const db = app.database.sqlite;
    db.prepare("INSERT INTO settings (key, value) VALUES ('saldo.sogliaAvvisoCentesimi', '500') ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = version + 1").run();
    expect(() => db.prepare("UPDATE settings SET value = '1' WHERE key = 'saldo.sogliaAvvisoCentesimi'").run()).toThrow(/deve aumentare di uno la versione/);
    db.prepare("INSERT INTO settings (key, value) VALUES ('accesso.tentativi.prova', '{}')").run();
    db.prepare("UPDATE settings SET value = '{\"n\":1}' WHERE key = 'accesso.tentativi.prova'").run();
  });
});
