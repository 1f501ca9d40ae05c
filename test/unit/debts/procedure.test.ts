/**
 * The debt procedure through the contract (issue 11, first part), over a few weeks of one office:
 * the morning worklist, steps with their letters (read back with pdftotext), a delivery with its
 * evidence, the history that cannot be changed, payments that move a family back or close its
 * position, instalment plans that pause the ladder, exemptions, the totals by age and the
 * municipality's report of persistent debtors (D1).
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';
import { pdfText } from '../statements/pdf-text';
import { addFamily, charge, pay, seedAttendance, TINY_PDF, type Base, type Family } from './fixtures';

let app: TestApp;
let base: Base;
let anna: Family; // the debtor who goes through the whole ladder
let bruno: Family; // owes 5 €: below every threshold
let carla: Family; // exempt (social services)
let dario: Family; // agrees an instalment plan
let clusone: number;

const T0 = '2026-10-20T08:00:00Z';
const T1 = '2026-11-05T08:00:00Z';
const T2 = '2026-11-21T08:00:00Z';
const T3 = '2026-12-10T08:00:00Z';

beforeAll(async () => {
  app = await createTestApp(T0);
  base = await seedAttendance(app);
  clusone = base.clusone.id;
  await app.call('caterer.update', { ...TEST_CATERER, version: app.version('caterer') });
  anna = await addFamily(app, base, { pupils: 2 });
  bruno = await addFamily(app, base);
  carla = await addFamily(app, base);
  dario = await addFamily(app, base);
  charge(app, anna.pupilIds[0], 1200, '2026-10-01');
  charge(app, anna.pupilIds[1], 800, '2026-10-02');
  charge(app, bruno.pupilIds[0], 500, '2026-10-01');
  charge(app, carla.pupilIds[0], 3000, '2026-10-05');
  charge(app, dario.pupilIds[0], 4000, '2026-10-01');
}, 60_000);
afterAll(() => app.close());

const audits = (procedure: string) => app.database.sqlite.prepare('SELECT * FROM audit_log WHERE procedure = ? ORDER BY id').all(procedure) as { entity: string; action: string; after_json: string | null; username: string }[];

describe('procedura di recupero: dalla lista del mattino alla segnalazione al comune', () => {
  it('un comune senza procedura usa quella predefinita; il supervisore la modifica, i segnaposto sconosciuti sono rifiutati', async () => {
    const l = await app.call('debts.ladder.get', { municipalityId: clusone }, 'operatore');
    expect(l.isDefault).toBe(true);
    expect(l.suspensionAllowed).toBe(false);
    expect(l.steps.map((s) => [s.name, s.thresholdCents, s.minDaysSincePrevious, s.channel])).toEqual([
      ['Sollecito', 1500, 0, 'email_sms'],
      ['Sollecito scritto', 1500, 15, 'lettera'],
      ['Diffida e messa in mora', 5000, 15, 'raccomandata_ar'],
    ]);
    const steps = l.steps.map(({ position: _p, ...s }) => s);
    const bad = await app.fail('debts.ladder.update', { municipalityId: clusone, version: app.version('debtLadder', clusone), suspensionAllowed: true, enrollmentRefusalAllowed: false, steps: [{ ...steps[0], template: 'Gentile {pagante}, paghi {cifra} entro {scadenza}' }] }, 'supervisore');
    expect(bad).toMatchObject({ code: 'VALIDATION', issues: [{ path: ['steps', 0, 'template'], message: expect.stringContaining('{cifra}') }] });
    expect((await app.fail('debts.ladder.update', { municipalityId: clusone, version: app.version('debtLadder', clusone), suspensionAllowed: true, enrollmentRefusalAllowed: false, steps }, 'operatore')).code).toBe('FORBIDDEN');
    const saved = await app.call('debts.ladder.update', { municipalityId: clusone, version: app.version('debtLadder', clusone), suspensionAllowed: true, enrollmentRefusalAllowed: false, steps }, 'supervisore');
    expect(saved).toMatchObject({ isDefault: false, suspensionAllowed: true, enrollmentRefusalAllowed: false });
    expect(audits('debts.ladder.update')).toHaveLength(1);
  });

  it("le posizioni vengono dal libro contabile: importo per famiglia, età del più vecchio importo non pagato, filtri e totali per fascia d'età", async () => {
    const all = await app.call('debts.positions', { municipalityId: clusone }, 'operatore');
    expect(all.rows.map((r) => [r.payerId, r.owedCents, r.oldestUnpaidOn, r.ageDays, r.ageBand])).toEqual([
      [dario.payerId, 4000, '2026-10-01', 19, '0-30'],
      [carla.payerId, 3000, '2026-10-05', 15, '0-30'],
      [anna.payerId, 2000, '2026-10-01', 19, '0-30'],
      [bruno.payerId, 500, '2026-10-01', 19, '0-30'],
    ]);
    expect(all.totalOwedCents).toBe(9500);
    const big = await app.call('debts.positions', { minCents: 2500 }, 'operatore');
    expect(big.rows.map((r) => r.payerId)).toEqual([dario.payerId, carla.payerId]);
    expect((await app.call('debts.positions', { ageBand: 'oltre_90' }, 'operatore')).total).toBe(0);
    const family = await app.call('debts.family', { payerId: anna.payerId, municipalityId: clusone }, 'operatore');
    expect(family.lines.map((l) => [l.pupilId, l.schoolYearLabel, l.owedCents])).toEqual([
      [anna.pupilIds[0], '2026/2027', 1200],
      [anna.pupilIds[1], '2026/2027', 800],
    ]);
    expect(family.next).toMatchObject({ stepPosition: 1, stepName: 'Sollecito', thresholdReached: true, daysElapsed: true });
    const totals = await app.call('debts.totals', {}, 'operatore');
    expect(totals).toEqual([
      {
        municipalityId: clusone,
        municipalityName: 'Clusone',
        families: 4,
        owedCents: 9500,
        bands: [
          { band: '0-30', families: 4, owedCents: 9500 },
          { band: '31-90', families: 0, owedCents: 0 },
          { band: 'oltre_90', families: 0, owedCents: 0 },
        ],
      },
    ]);
  });

  it("l'esenzione è del supervisore, annotata nella lista e registrata nel registro", async () => {
    const input = { payerId: carla.payerId, reason: 'Famiglia seguita dai servizi sociali', reference: 'Prot. SS 123/2026' };
    expect((await app.fail('debts.exemptions.grant', input, 'operatore')).code).toBe('FORBIDDEN');
    const e = await app.call('debts.exemptions.grant', input, 'supervisore');
    expect(e).toMatchObject({ payerId: carla.payerId, reference: 'Prot. SS 123/2026', startsOn: '2026-10-20', endedOn: null });
    expect((await app.fail('debts.exemptions.grant', input, 'supervisore')).message).toMatch(/già esente/);
    expect(audits('debts.exemptions.grant')).toMatchObject([{ entity: 'esenzione_recupero', action: 'esenzione concessa', username: 'supervisore' }]);
    const found = await app.call('debts.positions', { search: carla.payerName.slice(0, 5) }, 'operatore');
    expect(found.rows.map((r) => [r.payerId, r.exempt, r.exemptionReference])).toEqual([[carla.payerId, true, 'Prot. SS 123/2026']]);
  });

  it('un piano di rientro rispettato ferma la procedura', async () => {
    const plan = await app.call(
      'debts.plans.create',
      { payerId: dario.payerId, municipalityId: clusone, startsOn: '2026-10-20', instalments: [{ dueOn: '2026-11-02', amountCents: 2000 }, { dueOn: '2026-12-01', amountCents: 2000 }] },
      'operatore',
    );
    expect(plan).toMatchObject({ status: 'rispettato', pausesLadder: true, totalCents: 4000, paidCents: 0 });
    const bad = await app.fail('debts.plans.create', { payerId: dario.payerId, municipalityId: clusone, startsOn: '2026-10-20', instalments: [{ dueOn: '2026-10-01', amountCents: 100 }] }, 'operatore');
    expect(bad.issues[0]).toMatchObject({ path: ['instalments', 0, 'dueOn'], message: expect.stringMatching(/prima dell'inizio/) });
  });

  it("la lista del mattino: chi è arrivato a un nuovo passo, chi è in pausa per un piano, l'esente annotato; chi è sotto soglia non compare", async () => {
    const w = await app.call('debts.worklist', {}, 'operatore');
    expect(w.newSteps.map((f) => [f.payerId, f.stepPosition, f.stepName, f.channel, f.exempt])).toEqual([
      [carla.payerId, 1, 'Sollecito', 'email_sms', true],
      [anna.payerId, 1, 'Sollecito', 'email_sms', false],
    ]);
    expect(w.newSteps[0].exemptionReference).toBe('Prot. SS 123/2026');
    expect(w.paused.map((f) => [f.payerId, f.stepName, f.plan?.status])).toEqual([[dario.payerId, 'Sollecito', 'rispettato']]);
    expect(w.awaitingDelivery).toEqual([]);
    expect(w.movedBack).toEqual([]);
  });

  it('registrare il passo produce e conserva la lettera: intestazione del gestore, pagante, importi per alunno e anno, testo del passo, termine', async () => {
    const bad = await app.fail('debts.steps.record', { stepPosition: 1, families: [{ payerId: bruno.payerId, municipalityId: clusone }] }, 'operatore');
    expect(bad).toMatchObject({ code: 'VALIDATION', issues: [{ path: ['families', 0, 'payerId'], message: expect.stringMatching(/non raggiunge la soglia del passo «Sollecito»/) }] });
    const skip = await app.fail('debts.steps.record', { stepPosition: 2, families: [{ payerId: anna.payerId, municipalityId: clusone }] }, 'operatore');
    expect(skip.issues[0].message).toMatch(/prima di «Sollecito scritto» va inviato il passo «Sollecito»/);

    const rows = await app.call('debts.steps.record', { stepPosition: 1, families: [{ payerId: anna.payerId, municipalityId: clusone }, { payerId: carla.payerId, municipalityId: clusone }] }, 'operatore');
    expect(rows.map((r) => [r.payerId, r.stepName, r.amountCents, r.reachedOn, r.payBy])).toEqual([
      [anna.payerId, 'Sollecito', 2000, '2026-10-20', '2026-11-04'],
      [carla.payerId, 'Sollecito', 3000, '2026-10-20', '2026-11-04'],
    ]);
    const stored = app.database.sqlite.prepare('SELECT document FROM debt_steps WHERE id = ?').get(rows[0].id) as { document: Buffer };
    expect(createHash('sha256').update(stored.document).digest('hex')).toBe(rows[0].documentSha256);
    const text = pdfText(stored.document).replace(/\s+/g, ' ');
    expect(text).toContain('Ristorazione Città Alta S.r.l.');
    expect(text).toContain(anna.payerName);
    expect(text).toContain('Sollecito');
    expect(text).toContain('il saldo è negativo per 20,00 €');
    expect(text).toContain('12,00 €');
    expect(text).toContain('8,00 €');
    expect(text).toContain('2026/2027');
    expect(text).toContain('Termine per il pagamento: entro il 04/11/2026 (15 giorni)');

    const one = await app.call('debts.steps.letters', { stepIds: [rows[0].id] }, 'operatore');
    expect(one.mimeType).toBe('application/pdf');
    expect(Buffer.from(one.contentBase64, 'base64').equals(stored.document)).toBe(true);
    const both = await app.call('debts.steps.letters', { stepIds: rows.map((r) => r.id) }, 'operatore');
    expect(both).toMatchObject({ mimeType: 'application/zip', count: 2 });
    const zip = await JSZip.loadAsync(Buffer.from(both.contentBase64, 'base64'));
    expect(Object.keys(zip.files)).toHaveLength(2);
    expect(audits('debts.steps.letters')).toHaveLength(2);
    expect(audits('debts.steps.record').map((a) => a.action)).toEqual(['passo «Sollecito» registrato', 'passo «Sollecito» registrato']);

    const w = await app.call('debts.worklist', {}, 'operatore');
    expect(w.newSteps).toEqual([]);
  });

  it('il passo successivo arriva dopo i giorni minimi; la diffida oltre i 50 €, poi in attesa della ricevuta di ritorno', async () => {
    pay(app, dario.pupilIds[0], 2000, '2026-10-30', new Date(T1));
    await app.travel(T1);
    const w1 = await app.call('debts.worklist', {}, 'operatore');
    expect(w1.newSteps.map((f) => [f.payerId, f.stepName, f.daysSincePrevious])).toEqual([
      [carla.payerId, 'Sollecito scritto', 16],
      [anna.payerId, 'Sollecito scritto', 16],
    ]);
    // Dario paid the first instalment on time: still paused
    expect(w1.paused.map((f) => [f.payerId, f.plan?.status])).toEqual([[dario.payerId, 'rispettato']]);
    await app.call('debts.steps.record', { stepPosition: 2, families: [{ payerId: anna.payerId, municipalityId: clusone }] }, 'operatore');
    charge(app, anna.pupilIds[0], 4500, '2026-11-05');

    await app.travel(T2);
    const w2 = await app.call('debts.worklist', {}, 'operatore');
    const annaLine = w2.newSteps.find((f) => f.payerId === anna.payerId)!;
    expect(annaLine).toMatchObject({ stepPosition: 3, stepName: 'Diffida e messa in mora', channel: 'raccomandata_ar', owedCents: 6500, lastStepName: 'Sollecito scritto' });
    const [notice] = await app.call('debts.steps.record', { stepPosition: 3, families: [{ payerId: anna.payerId, municipalityId: clusone }] }, 'operatore');
    expect(notice).toMatchObject({ amountCents: 6500, payBy: '2026-12-06', deliveredOn: null });
    const w3 = await app.call('debts.worklist', {}, 'operatore');
    expect(w3.awaitingDelivery).toEqual([expect.objectContaining({ stepId: notice.id, payerId: anna.payerId, channel: 'raccomandata_ar', daysWaiting: 0 })]);

    const noProof = await app.fail('debts.deliveries.record', { stepId: notice.id, deliveredOn: '2026-11-21' }, 'operatore');
    expect(noProof.message).toMatch(/cartolina di ritorno/);
    const future = await app.fail('debts.deliveries.record', { stepId: notice.id, deliveredOn: '2026-11-30', receiptNumber: 'RR 123' }, 'operatore');
    expect(future.message).toMatch(/futuro/);
    const notAFile = await app.fail('debts.deliveries.record', { stepId: notice.id, deliveredOn: '2026-11-21', evidence: { fileName: 'ricevuta.exe', contentBase64: Buffer.from('MZ...').toString('base64') } }, 'operatore');
    expect(notAFile.message).toMatch(/non è un PDF/);
    const delivered = await app.call(
      'debts.deliveries.record',
      { stepId: notice.id, deliveredOn: '2026-11-21', receiptNumber: 'RR 6123 4567 890', evidence: { fileName: 'cartolina.pdf', contentBase64: TINY_PDF.toString('base64') } },
      'operatore',
    );
    expect(delivered).toMatchObject({ deliveredOn: '2026-11-21', receiptNumber: 'RR 6123 4567 890', evidenceMimeType: 'application/pdf', evidenceSha256: createHash('sha256').update(TINY_PDF).digest('hex') });
    const again = await app.fail('debts.deliveries.record', { stepId: notice.id, deliveredOn: '2026-11-21', receiptNumber: 'altro' }, 'operatore');
    expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/non si sovrascrive/) });
    expect((await app.call('debts.worklist', {}, 'operatore')).awaitingDelivery).toEqual([]);
  });

  it('la storia della famiglia non si cancella né si modifica, nemmeno direttamente nel database', () => {
    const s = app.database.sqlite;
    const { id } = s.prepare('SELECT id FROM debt_steps WHERE payer_id = ? ORDER BY id DESC LIMIT 1').get(anna.payerId) as { id: number };
    expect(() => s.prepare('DELETE FROM debt_steps WHERE id = ?').run(id)).toThrow(/non si cancella/);
    expect(() => s.prepare('UPDATE debt_steps SET amount_cents = 1 WHERE id = ?').run(id)).toThrow(/non si modifica/);
    expect(() => s.prepare("UPDATE debt_steps SET delivered_on = '2026-11-22', receipt_number = 'X', delivery_recorded_at = '2026-11-22T10:00:00.000Z' WHERE id = ?").run(id)).toThrow(/non si modifica/);
    expect(() => s.prepare('UPDATE debt_steps SET evidence = ? WHERE id = ?').run(Buffer.from('x'), id)).toThrow(/non si modifica/);
    expect(() => s.prepare('UPDATE debt_steps SET document = ? WHERE id = ?').run(Buffer.from('%PDF-1.4 altro'), id)).toThrow(/non si modifica/);
  });

  it('D1: il comune riceve i morosi persistenti con alunni, importi per anno, passi e data di consegna; solo il supervisore, ed è registrato', async () => {
    await app.travel(T3);
    expect((await app.fail('debts.report.workbook', { municipalityId: clusone }, 'operatore')).code).toBe('FORBIDDEN');
    const out = await app.call('debts.report.workbook', { municipalityId: clusone }, 'supervisore');
    expect(out.rows).toBe(1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(out.contentBase64, 'base64') as unknown as ArrayBuffer);
    const values = (name: string) =>
      wb
        .getWorksheet(name)!
        .getSheetValues()
        .slice(2)
        .map((r) => (r as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)));
    const header = (name: string) => (wb.getWorksheet(name)!.getRow(1).values as unknown[]).slice(1);
    const [debtor] = values('Morosi');
    const col = (name: string) => header('Morosi').indexOf(name);
    expect(debtor[col('Pagante')]).toBe(anna.payerName);
    expect(debtor[col('Importo dovuto')]).toBe(65);
    expect(debtor[col('Ultimo passo')]).toBe('Diffida e messa in mora');
    expect(debtor[col('Consegnato il')]).toBe('2026-11-21');
    expect(debtor[col('Ricevuta n.')]).toBe('RR 6123 4567 890');
    expect(String(debtor[col('Alunni')]).split('; ')).toHaveLength(2);
    expect(values('Importi per anno').map((r) => r[6])).toEqual([57, 8, 65]); // the last row is the total
    expect(values('Passi e consegne').map((r) => [r[2], r[4], r[7] ?? null])).toEqual([
      ['Sollecito', '2026-10-20', null],
      ['Sollecito scritto', '2026-11-05', null],
      ['Diffida e messa in mora', '2026-11-21', '2026-11-21'],
    ]);
    // Carla got only the first reminder: not a persistent debtor
    expect(values('Morosi').map((r) => r[col('Pagante')])).not.toContain(carla.payerName);
    expect(audits('debts.report.workbook')).toMatchObject([{ username: 'supervisore', action: 'esportazione dei morosi persistenti per il comune' }]);
  });

  it('un piano con una rata mancata riprende la procedura', async () => {
    const w = await app.call('debts.worklist', {}, 'operatore');
    expect(w.paused).toEqual([]);
    expect(w.newSteps.find((f) => f.payerId === dario.payerId)).toMatchObject({ stepName: 'Sollecito', plan: { status: 'non_rispettato' } });
    const [plan] = await app.call('debts.plans.list', { payerId: dario.payerId }, 'operatore');
    expect(plan).toMatchObject({ status: 'non_rispettato', missedSeq: 2, paidCents: 2000 });
    const cancelled = await app.call('debts.plans.cancel', { planId: plan.id, reason: 'Rata di dicembre non pagata' }, 'operatore');
    expect(cancelled).toMatchObject({ status: 'annullato', cancelReason: 'Rata di dicembre non pagata' });
    expect((await app.fail('debts.plans.cancel', { planId: plan.id, reason: 'ancora' }, 'operatore')).message).toMatch(/già annullato/);
    expect(() => app.database.sqlite.prepare('DELETE FROM debt_plans WHERE id = ?').run(plan.id)).toThrow(/non si cancella/);
    expect(() => app.database.sqlite.prepare('UPDATE debt_plan_instalments SET amount_cents = 1 WHERE plan_id = ?').run(plan.id)).toThrow(/non si modificano/);
  });

  it("l'esenzione si chiude con data e motivo, dal supervisore; poi la famiglia non è più annotata", async () => {
    const [e] = await app.call('debts.exemptions.list', { payerId: carla.payerId }, 'operatore');
    expect((await app.fail('debts.exemptions.end', { exemptionId: e.id, reason: 'Presa in carico conclusa' }, 'operatore')).code).toBe('FORBIDDEN');
    const ended = await app.call('debts.exemptions.end', { exemptionId: e.id, reason: 'Presa in carico conclusa' }, 'supervisore');
    expect(ended).toMatchObject({ endedOn: '2026-12-10', endReason: 'Presa in carico conclusa' });
    expect(await app.call('debts.exemptions.list', { activeOnly: true }, 'operatore')).toEqual([]);
    const w = await app.call('debts.worklist', {}, 'operatore');
    expect(w.newSteps.find((f) => f.payerId === carla.payerId)).toMatchObject({ exempt: false, stepName: 'Sollecito scritto' });
    expect(audits('debts.exemptions.end')).toMatchObject([{ action: 'esenzione chiusa', username: 'supervisore' }]);
  });

  it('un pagamento dopo un passo fa rientrare la famiglia; un pagamento completo chiude la posizione; un nuovo debito riparte dal primo passo', async () => {
    pay(app, anna.pupilIds[0], 6000, '2026-12-09');
    const w1 = await app.call('debts.worklist', {}, 'operatore');
    expect(w1.movedBack).toEqual([expect.objectContaining({ payerId: anna.payerId, lastStepName: 'Diffida e messa in mora', lastPaymentOn: '2026-12-09', owedCents: 800, status: 'rientrata' })]);
    expect(w1.newSteps.map((f) => f.payerId)).not.toContain(anna.payerId);
    // one pupil's credit does not pay a sibling's meals (each pupil has an account of their own): the sibling still owes 8 €
    pay(app, anna.pupilIds[1], 800, '2026-12-10');
    const w2 = await app.call('debts.worklist', {}, 'operatore');
    expect(w2.movedBack).toEqual([expect.objectContaining({ payerId: anna.payerId, owedCents: 0, status: 'chiusa' })]);
    // nobody to report: the export says so instead of a file with only the headings (issue 12)
    expect(await app.fail('debts.report.workbook', { municipalityId: clusone }, 'supervisore')).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Nessun moroso da segnalare per il Comune di Clusone: nessun file creato',
    });

    charge(app, anna.pupilIds[0], 2000, '2026-12-10'); // 3 € of credit left on that pupil: 17 € owed
    const w3 = await app.call('debts.worklist', {}, 'operatore');
    expect(w3.newSteps.find((f) => f.payerId === anna.payerId)).toMatchObject({ stepPosition: 1, stepName: 'Sollecito', owedCents: 1700, oldestUnpaidOn: '2026-12-10' });
    const file = await app.call('debts.family', { payerId: anna.payerId, municipalityId: clusone }, 'operatore');
    expect(file.history).toHaveLength(3);
    expect(file.episodeStepIds).toEqual([]);
  });
});
