import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procedures } from '../../../electron/contract/registry';
import { ROLES, type Access, type Role } from '../../../electron/contract/roles';
import { createTestApp, type TestApp } from '../../support/backend';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

/**
 * The reviewed table of who may call what (issue 7): written by hand, one line per procedure, and
 * compared with each procedure's declaration AND with what the dispatcher really does. Changing a
 * procedure's role means changing its line here too, in the same review.
 *
 * pubblico: before sign-in; operatore < supervisore < amministratore (a higher role may do all
 * that a lower one may). Decisions that only a higher role takes (lifting a suspension, a refund)
 * have their own procedures, so that they appear here.
 */
const EXPECTED_ROLES: Record<string, Access> = {
  'auth.status':                      'pubblico',
  'auth.setup':                       'pubblico',
  'auth.login':                       'pubblico',
  'auth.logout':                      'operatore',
  'auth.logoutEverywhere':            'operatore',
  'auth.changePassword':              'operatore',
  'users.list':                       'amministratore',
  'users.create':                     'amministratore',
  'users.update':                     'amministratore',
  'users.resetPassword':              'amministratore',
  'audit.list':                       'supervisore',
  'audit.export':                     'supervisore',
  'municipalities.list':              'operatore',
  'municipalities.create':            'amministratore',
  'municipalities.update':            'amministratore',
  'schoolYears.list':                 'operatore',
  'schoolYears.create':               'amministratore',
  'schools.list':                     'operatore',
  'schools.create':                   'amministratore',
  'schools.update':                   'amministratore',
  'classes.list':                     'operatore',
  'classes.create':                   'operatore',
  'tariffs.list':                     'operatore',
  'tariffs.create':                   'amministratore',
  'tariffs.update':                   'amministratore',
  'pupils.list':                      'operatore',
  'pupils.export':                    'operatore',
  'pupils.get':                       'operatore',
  'pupils.create':                    'operatore',
  'pupils.update':                    'operatore',
  'payers.list':                      'operatore',
  'payers.export':                    'operatore',
  'payers.get':                       'operatore',
  'payers.create':                    'operatore',
  'payers.update':                    'operatore',
  'enrollments.list':                 'operatore',
  'enrollments.export':               'operatore',
  'enrollments.get':                  'operatore',
  'enrollments.create':               'operatore',
  'enrollments.update':               'operatore',
  'enrollments.activate':             'operatore',
  'enrollments.withdraw':             'operatore',
  'enrollments.renew':                'operatore',
  'system.info':                      'operatore',
  'system.backup':                    'supervisore',
  'jobs.get':                         'operatore',
  'jobs.cancel':                      'operatore',
  'imports.targets':                  'operatore',
  'imports.preview':                  'operatore',
  'imports.commit':                   'operatore',
  'imports.rememberLayout':           'operatore',
  'imports.template':                 'operatore',
  'imports.rejectedRows':             'operatore',
  'demo.seed':                        'amministratore',
  'calendar.get':                     'operatore',
  'calendar.closures.list':           'operatore',
  'calendar.closurePreview':          'operatore',
  'calendar.closures.create':         'operatore',
  'calendar.closures.cancel':         'operatore',
  'calendar.closures.importPreview':  'operatore',
  'calendar.closures.importCommit':   'operatore',
  'calendar.closures.copyFromYear':   'operatore',
  'attendance.cancelDay':             'operatore',
  'attendance.undoCancel':            'operatore',
  'attendance.phoneCancel':           'operatore',
  'attendance.phoneUndo':             'operatore',
  'attendance.phoneLanding':          'operatore',
  'attendance.startProlonged':        'operatore',
  'attendance.reactivate':            'operatore',
  'attendance.plainMeal':             'operatore',
  'attendance.absences':              'operatore',
  'attendance.attempts':              'operatore',
  'attendance.attemptsExport':        'operatore',
  'attendance.expected':              'operatore',
  'attendance.dayStatus':             'operatore',
  'attendance.closeDay':              'operatore',
  'attendance.correctMeal':           'operatore',
  'attendance.corrections':           'operatore',
  'attendance.history':               'operatore',
  'attendance.historyExport':         'operatore',
  'attendance.notices':               'operatore',
  'attendance.markNoticesRead':       'operatore',
  'attendance.settings':              'operatore',
  'attendance.updateSettings':        'supervisore',
  'kitchen.report':                   'operatore',
  'kitchen.export':                   'operatore',
  'diets.catalogue':                  'operatore',
  'diets.catalogueSave':              'amministratore',
  'diets.settings':                   'operatore',
  'diets.updateSettings':             'supervisore',
  'diets.list':                       'operatore',
  'diets.get':                        'operatore',
  'diets.create':                     'operatore',
  'diets.addAttachment':              'operatore',
  'diets.attachment':                 'operatore',
  'diets.decide':                     'operatore',
  'diets.decideMedical':              'supervisore',
  'diets.revoke':                     'operatore',
  'diets.renewals':                   'operatore',
  'diets.renewalsExport':             'operatore',
  'diets.schoolList':                 'operatore',
  'diets.schoolListExport':           'operatore',
  'diets.purgePreview':               'supervisore',
  'diets.purge':                      'supervisore',
  'system.clock':                      'pubblico',
  'ledger.services':                   'operatore',
  'ledger.balances':                   'operatore',
  'ledger.movements':                  'operatore',
  'ledger.registerPagopa':             'operatore',
  'ledger.registerPayment':            'operatore',
  'ledger.refund':                     'supervisore',
  'ledger.adjust':                     'supervisore',
  'ledger.reversePayment':             'supervisore',
  'ledger.pagopaImportPreview':        'operatore',
  'ledger.pagopaImportCommit':         'operatore',
  'ledger.lowBalances':                'operatore',
  'ledger.firstMonthReminders':        'operatore',
  'ledger.settings':                   'operatore',
  'ledger.setLowBalanceThreshold':     'supervisore',
  'ledger.carryOverPreview':           'supervisore',
  'ledger.carryOver':                  'supervisore',
  'ledger.register':                   'operatore',
  'ledger.registerExport':             'operatore',
  'ledger.totals':                     'operatore',
  'ledger.verify':                     'supervisore',
  'caterer.get':                       'operatore',
  'caterer.update':                    'amministratore',
  'statements.get':                    'operatore',
  'statements.xlsx':                   'operatore',
  'statements.pdf':                    'operatore',
  'tax730.check':                      'operatore',
  'tax730.list':                       'operatore',
  'tax730.xlsx':                       'operatore',
  'tax730.pdf':                        'operatore',
  'tax730.batch':                      'operatore',
  'tax730.settings':                   'operatore',
  'tax730.updateSettings':             'amministratore',
  'sdd.creditor.get':                  'operatore',
  'sdd.creditor.update':               'amministratore',
  'sdd.mandates.list':                 'operatore',
  'sdd.mandates.export':               'operatore',
  'sdd.mandates.get':                  'operatore',
  'sdd.mandates.create':               'operatore',
  'sdd.mandates.amendIban':            'operatore',
  'sdd.mandates.amendHolder':          'operatore',
  'sdd.mandates.revoke':               'operatore',
  'sdd.batches.list':                  'operatore',
  'sdd.batches.defaultDueDate':        'operatore',
  'sdd.batches.get':                   'operatore',
  'sdd.batches.debits':                'operatore',
  'sdd.batches.prepare':               'operatore',
  'sdd.batches.acknowledge':           'operatore',
  'sdd.batches.approve':               'operatore',
  'sdd.batches.file':                  'operatore',
  'sdd.batches.prenotifications':      'operatore',
  'sdd.batches.markSent':              'operatore',
  'sdd.batches.collect':               'operatore',
  'sdd.batches.cancel':                'supervisore',
  'sdd.returns.preview':               'operatore',
  'sdd.returns.commit':                'operatore',
  'sdd.returns.list':                  'operatore',
  'sdd.exceptions.list':               'operatore',
  'sdd.exceptions.grant':              'supervisore',
  'sdd.exceptions.end':                'supervisore',
  'dashboard.worklist':                'operatore',
  'dashboard.closeArrears':            'operatore',
  'debts.positions':                   'operatore',
  'debts.family':                      'operatore',
  'search.people':                     'operatore',
  'debts.worklist':                    'operatore',
  'debts.totals':                      'operatore',
  'debts.ladder.get':                  'operatore',
  'debts.ladder.update':               'supervisore',
  'debts.steps.record':                'operatore',
  'debts.steps.letters':               'operatore',
  'debts.deliveries.record':           'operatore',
  'debts.deliveries.evidence':         'operatore',
  'debts.plans.list':                  'operatore',
  'debts.plans.create':                'operatore',
  'debts.plans.cancel':                'operatore',
  'debts.exemptions.list':             'operatore',
  'debts.exemptions.grant':            'supervisore',
  'debts.exemptions.end':              'supervisore',
  'debts.report.preview':              'supervisore',
  'debts.report.workbook':             'supervisore',
  'debts.evidencePack':                'supervisore',
  'pagopa.notices.list':               'operatore',
  'pagopa.notices.issue':              'operatore',
  'pagopa.notices.cancel':             'operatore',
  'pagopa.notices.pdf':                'operatore',
  'news.list':                         'operatore',
  'news.create':                       'operatore',
  'news.update':                       'operatore',
  'news.withdraw':                     'operatore',
  'portal.publish':                    'operatore',
  'portal.outbox.list':                'operatore',
  'portal.settings.get':               'supervisore',
  'portal.settings.update':            'amministratore',
  'portal.sync.now':                   'operatore',
  'portal.sync.status':                'operatore',
  'portal.review.list':                'operatore',
  'portal.review.retry':               'operatore',
  'portal.review.dismiss':             'supervisore',
  'portal.support.list':               'operatore',
  'portal.support.close':              'operatore',
  'debts.suspensions.list':            'operatore',
  'debts.suspensions.check':           'operatore',
  'debts.suspensions.create':          'supervisore',
  'debts.suspensions.lift':            'supervisore',
  'debts.enrollmentBlocks.list':       'operatore',
  'debts.enrollmentBlocks.waive':      'supervisore',
  // ↑ one line per new procedure, after deciding its role: 'area.name': 'operatore',
};

const RANK: Record<Role, number> = { operatore: 1, supervisore: 2, amministratore: 3 };
const allows = (role: Role, required: Access) => required === 'pubblico' || RANK[role] >= RANK[required];

describe('tabella rivista dei ruoli: ogni procedura × ogni ruolo', () => {
  it('ogni procedura del contratto ha la sua riga nella tabella EXPECTED_ROLES', () => {
    const missing = procedures.map((p) => p.name).filter((n) => !(n in EXPECTED_ROLES));
    expect(
      missing,
      `Procedure senza riga nella tabella dei ruoli: ${missing.join(', ')}. ` +
        `Aggiungere per ciascuna una riga «'nome': 'ruolo',» in EXPECTED_ROLES, in test/unit/contract/roles.test.ts, dopo averne rivisto il ruolo.`,
    ).toEqual([]);
  });

  it('la tabella non nomina procedure che non esistono più', () => {
    const names = new Set<string>(procedures.map((p) => p.name));
    const stale = Object.keys(EXPECTED_ROLES).filter((n) => !names.has(n));
    expect(stale, `Righe di EXPECTED_ROLES (test/unit/contract/roles.test.ts) senza procedura: ${stale.join(', ')}: toglierle.`).toEqual([]);
  });

  it('il ruolo dichiarato da ogni procedura è quello della tabella', () => {
    const differ = procedures
      .filter((p) => p.name in EXPECTED_ROLES && p.role !== EXPECTED_ROLES[p.name])
      .map((p) => `${p.name}: dichiara ${p.role}, la tabella dice ${EXPECTED_ROLES[p.name]}`);
    expect(differ, 'Ruoli diversi dalla tabella rivista (test/unit/contract/roles.test.ts)').toEqual([]);
  });

  const cases = Object.entries(EXPECTED_ROLES).flatMap(([name, required]) => ROLES.map((role) => ({ name, role, required, allowed: allows(role, required) })));

  it.each(cases)('$name chiamata da $role (tabella: $required)', async ({ name, role, allowed }) => {
    // a payload that no input schema accepts: the role is checked first, so an allowed role
    // reaches the input check (VALIDATION) and nothing runs; a refused one gets FORBIDDEN
    const r = await app.backend.call(name, '__verifica-ruolo__', app.sessions[role]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      if (allowed) expect(r.error.code).toBe('VALIDATION');
      else expect(r.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/riservata/) });
    }
  });
});

describe('ruoli e accesso controllati dal contratto', () => {
  it('ogni procedura dichiara ruolo, titolo e schemi zod; i nomi sono unici', () => {
    const names = procedures.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of procedures) {
      expect(['pubblico', ...ROLES]).toContain(p.role);
      expect(p.title.length).toBeGreaterThan(5);
      expect(typeof p.input.safeParse).toBe('function');
      expect(typeof p.output.safeParse).toBe('function');
    }
  });

  it.each(procedures.filter((p) => p.role !== 'pubblico').map((p) => ({ name: p.name })))(
    'senza sessione $name risponde UNAUTHENTICATED',
    async ({ name }) => {
      const r = await app.backend.call(name, {}, null);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    },
  );

  it('una procedura sconosciuta è NOT_FOUND con un messaggio in italiano', async () => {
    const r = await app.backend.call('pupils.drop', {}, app.sessions.amministratore);
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/sconosciuta/) } });
  });

  it('un utente disattivato perde la sessione e non può più accedere', async () => {
    const u = await app.call('users.create', { username: 'temp', displayName: 'Temp', role: 'operatore', password: 'password-temp' });
    const login = await app.backend.call('auth.login', { username: 'temp', password: 'password-temp' });
    expect(login.ok).toBe(true);
    await app.call('users.update', { id: u.id, version: u.version, displayName: 'Temp', role: 'operatore', active: false });
    const session = login.ok ? (login.value as { session: string }).session : '';
    expect(await app.backend.call('system.info', {}, session)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await app.backend.call('auth.login', { username: 'temp', password: 'password-temp' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('password errata e utente sconosciuto danno lo stesso messaggio', async () => {
    const a = await app.backend.call('auth.login', { username: 'admin', password: 'sbagliata' });
    const b = await app.backend.call('auth.login', { username: 'nessuno', password: 'sbagliata' });
    expect(a).toEqual(b);
    expect(a).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Nome utente o password errati' } });
  });

  it('l’ultimo amministratore non può essere declassato', async () => {
    const err = await app.fail('users.update', { id: 1, version: app.version('user', 1), displayName: 'Admin', role: 'operatore', active: true });
    expect(err.issues[0].message).toMatch(/almeno un amministratore/);
  });

  it('auth.setup è rifiutato quando esiste già un amministratore', async () => {
    const r = await app.backend.call('auth.setup', { username: 'altro', displayName: 'Altro', password: 'password-x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
