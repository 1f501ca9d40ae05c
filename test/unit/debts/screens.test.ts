/**
 * What the office's debt screens need from the backend (issue 11): one batch of letters mixing
 * families at different steps, the family file opened from the payer (without choosing the
 * municipality first) with who recorded each step and delivery, and the delivery evidence opened
 * again as it was stored, each opening in the register.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';
import { pdfText } from '../statements/pdf-text';
import { addFamily, charge, seedAttendance, TINY_PDF, type Base, type Family } from './fixtures';

let app: TestApp;
let base: Base;
let elena: Family; // reaches the first step today
let fabio: Family; // already had the first step: reaches the second
let gino: Family; // enrolled, owes nothing, no step
let clusone: number;

beforeAll(async () => {
  app = await createTestApp('2026-10-20T08:00:00Z');
  base = await seedAttendance(app);
  clusone = base.clusone.id;
  await app.call('caterer.update', { ...TEST_CATERER, version: app.version('caterer') });
  elena = await addFamily(app, base);
  fabio = await addFamily(app, base);
  gino = await addFamily(app, base);
  charge(app, elena.pupilIds[0], 2000, '2026-10-01');
  charge(app, fabio.pupilIds[0], 6000, '2026-10-01');
  await app.call('debts.steps.record', { stepPosition: 1, families: [{ payerId: fabio.payerId, municipalityId: clusone }] }, 'operatore');
  await app.travel('2026-11-05T08:00:00Z');
}, 60_000);
afterAll(() => app.close());

const audits = (procedure: string) => app.database.sqlite.prepare('SELECT * FROM audit_log WHERE procedure = ? ORDER BY id').all(procedure) as { entity: string; action: string; details_json: string | null }[];

describe('le schermate della morosità: cosa chiedono al backend', () => {
  it('un solo lotto di lettere registra per ogni famiglia il suo passo; se una famiglia non può, nessuna lettera è registrata', async () => {
    const w = await app.call('debts.worklist', {}, 'operatore');
    expect(w.newSteps.map((f) => [f.payerId, f.stepPosition, f.stepName])).toEqual([
      [fabio.payerId, 2, 'Sollecito scritto'],
      [elena.payerId, 1, 'Sollecito'],
    ]);
    const before = (app.database.sqlite.prepare('SELECT count(*) AS n FROM debt_steps').get() as { n: number }).n;
    const bad = await app.fail(
      'debts.steps.record',
      {
        families: [
          { payerId: elena.payerId, municipalityId: clusone, stepPosition: 1 },
          { payerId: gino.payerId, municipalityId: clusone, stepPosition: 1 },
        ],
      },
      'operatore',
    );
    expect(bad).toMatchObject({ code: 'VALIDATION', issues: [{ path: ['families', 1, 'payerId'], message: expect.stringMatching(/nessun importo da pagare nel Comune di Clusone/) }] });
    const noStep = await app.fail('debts.steps.record', { families: [{ payerId: elena.payerId, municipalityId: clusone }] }, 'operatore');
    expect(noStep.issues).toEqual([{ path: ['families', 0, 'stepPosition'], message: expect.stringMatching(/indicare il passo da registrare/) }]);
    expect((app.database.sqlite.prepare('SELECT count(*) AS n FROM debt_steps').get() as { n: number }).n).toBe(before);

    const rows = await app.call(
      'debts.steps.record',
      { families: w.newSteps.map((f) => ({ payerId: f.payerId, municipalityId: f.municipalityId, stepPosition: f.stepPosition })) },
      'operatore',
    );
    expect(rows.map((r) => [r.payerId, r.stepPosition, r.stepName, r.channel])).toEqual([
      [fabio.payerId, 2, 'Sollecito scritto', 'lettera'],
      [elena.payerId, 1, 'Sollecito', 'email_sms'],
    ]);
    expect((await app.call('debts.worklist', {}, 'operatore')).newSteps).toEqual([]);

    // the batch to print: one PDF with the stored letters one after the other, in the order asked
    const batch = await app.call('debts.steps.letters', { stepIds: rows.map((r) => r.id), combined: true }, 'operatore');
    expect(batch).toMatchObject({ fileName: 'lettere-recupero-2026-11-05.pdf', mimeType: 'application/pdf', count: 2 });
    const text = pdfText(Buffer.from(batch.contentBase64, 'base64')).replace(/\s+/g, ' ');
    expect(text.indexOf(fabio.payerName)).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(fabio.payerName)).toBeLessThan(text.indexOf(elena.payerName));
    expect(text).toContain('Sollecito scritto');
    expect(text).toContain('60,00 €');
    expect(text).toContain('20,00 €');
  });

  it('il fascicolo si apre dal solo pagante: il comune dove deve di più, i suoi comuni, chi ha registrato passo e consegna', async () => {
    const f = await app.call('debts.family', { payerId: fabio.payerId }, 'operatore');
    expect(f).toMatchObject({ municipalityId: clusone, municipalityName: 'Clusone', owedCents: 6000, municipalities: [{ municipalityId: clusone, municipalityName: 'Clusone', owedCents: 6000 }] });
    expect(f.history.map((s) => [s.stepName, s.recordedByName, s.deliveryRecordedByName])).toEqual([
      ['Sollecito', 'operatore', null],
      ['Sollecito scritto', 'operatore', null],
    ]);
    expect(f.next).toMatchObject({ stepPosition: 3, stepName: 'Diffida e messa in mora', channel: 'raccomandata_ar', thresholdReached: true, daysElapsed: false, minDaysSincePrevious: 15 });
    const none = await app.call('debts.family', { payerId: gino.payerId }, 'operatore');
    expect(none).toMatchObject({ municipalityId: clusone, owedCents: 0, ageDays: null, history: [], next: null, municipalities: [{ municipalityId: clusone, owedCents: 0 }] });
  });

  it('la prova di consegna si riapre identica (stessa impronta), e ogni apertura è nel registro; senza file lo dice', async () => {
    const [, second] = (await app.call('debts.family', { payerId: fabio.payerId }, 'operatore')).history;
    const missing = await app.fail('debts.deliveries.evidence', { stepId: second.id }, 'operatore');
    expect(missing.message).toMatch(/non è stato allegato alcun file di consegna/);
    await app.call('debts.deliveries.record', { stepId: second.id, deliveredOn: '2026-11-05', receiptNumber: null, evidence: { fileName: 'consegna.pdf', contentBase64: TINY_PDF.toString('base64') } }, 'supervisore');
    const opened = await app.call('debts.deliveries.evidence', { stepId: second.id }, 'operatore');
    expect(opened).toMatchObject({ fileName: 'consegna.pdf', mimeType: 'application/pdf', count: 1, sha256: createHash('sha256').update(TINY_PDF).digest('hex') });
    expect(Buffer.from(opened.contentBase64, 'base64').equals(TINY_PDF)).toBe(true);
    expect(audits('debts.deliveries.evidence').map((a) => a.action)).toEqual(['prova di consegna della procedura di recupero']);
    const f = await app.call('debts.family', { payerId: fabio.payerId, municipalityId: clusone }, 'operatore');
    expect(f.history[1]).toMatchObject({ deliveredOn: '2026-11-05', deliveryRecordedByName: 'supervisore', recordedByName: 'operatore' });
  });
});
