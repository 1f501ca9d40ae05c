import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedBasics, type TestApp } from '../../support/backend';
import { legacyRows, toCsv } from '../../fixtures/import-sheet';
import { importPreviewResult, type ImportPreviewResult } from '../../../electron/imports/procedures';
import type { JobResult } from '../../../electron/contract/jobs';

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp('2026-07-10T08:00:00Z');
  await seedBasics(app);
});
afterEach(() => app.close());

const userId = (username: string) => app.database.sqlite.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as number;
const auditRows = (entity: string) =>
  app.database.sqlite.prepare('SELECT entity_id AS entityId, action, username, after_json AS after FROM audit_log WHERE entity = ?').all(entity) as {
    entityId: string;
    action: string;
    username: string;
    after: string;
  }[];

async function finished(jobId: string) {
  for (;;) {
    const job = await app.call('jobs.get', { id: jobId }, 'operatore');
    if (job.state !== 'in_corso') return job;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('lavori: il risultato è tipizzato e controllato secondo il tipo di lavoro', () => {
  it("un'anteprima di importazione completata risponde con kind 'importazione' e il suo risultato, conforme allo schema", async () => {
    const rows = legacyRows(5, { seed: 81 });
    const { jobId } = await app.call('imports.preview', { fileName: 'classi.csv', contentBase64: toCsv(rows).toString('base64') }, 'operatore');
    const job = await finished(jobId);
    expect(job.state).toBe('completato');
    expect(job.kind).toBe('importazione');
    // narrowing on kind gives the typed result: no cast
    const result: ImportPreviewResult | null = job.kind === 'importazione' ? job.result : null;
    expect(result).not.toBeNull();
    expect(result!.previewId).toBe(jobId);
    expect(result!.fileName).toBe('classi.csv');
    expect(result!.totalRows).toBe(5);
    expect(result!.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]);
    expect(importPreviewResult.strict().parse(result)).toEqual(result);
  });

  it('un lavoro in corso risponde con risultato null', async () => {
    const handle = app.backend.jobs.start('importazione', userId('operatore'), 10);
    handle.progress(3, 10, 'Controllo delle righe');
    const job = await app.call('jobs.get', { id: handle.id }, 'operatore');
    expect(job).toMatchObject({ kind: 'importazione', state: 'in_corso', done: 3, total: 10, result: null });
  });

  it('un risultato di forma sbagliata per il suo tipo è rifiutato dal controllo di uscita del dispatcher', async () => {
    const handle = app.backend.jobs.start('importazione', userId('operatore'));
    // what a wrong handler could hand over: the type forbids it, the dispatcher must refuse it at run time
    const wrong = { previewId: handle.id, fileName: 'classi.csv', rows: 'tutte' } as unknown as JobResult<'importazione'>;
    handle.finish(wrong);
    const refused = await app.fail('jobs.get', { id: handle.id }, 'operatore');
    expect(refused).toMatchObject({ code: 'INTERNAL', message: 'Errore interno del programma' });

    // the same job with a result of the right shape is answered
    const good = app.backend.jobs.start('importazione', userId('operatore'));
    const right: ImportPreviewResult = {
      previewId: good.id,
      fileName: 'classi.csv',
      columns: ['Cognome'],
      mapping: { 'pupil.lastName': 'Cognome' },
      unmappedRequired: [],
      rows: [],
      rowsShown: 0,
      totalRows: 0,
      errorRows: 0,
      validRows: 0,
      warningRows: 0,
      questions: [{ column: 'Comune', fields: ['payer.town', 'pupil.municipality'], answer: null }],
      answers: {},
      schoolYear: { id: 1, label: '2026/2027', source: 'corrente' },
      layout: { remembered: false, updatedAt: null },
      summary: { newPupils: 0, existingPupils: 0, newPayers: 0, existingPayers: 0, enrollments: 0, skippedEnrollments: 0, newClasses: [] },
    };
    good.finish(right);
    const answer = await app.call('jobs.get', { id: good.id }, 'operatore');
    expect(answer).toMatchObject({ kind: 'importazione', state: 'completato', result: right });
  });

  it("annullare un lavoro è una modifica registrata nel registro; un lavoro sconosciuto o finito non lascia traccia", async () => {
    const handle = app.backend.jobs.start('importazione', userId('operatore'), 100);
    expect(await app.call('jobs.cancel', { id: handle.id }, 'operatore')).toEqual({ ok: true });
    expect(handle.cancelled).toBe(true);
    expect(auditRows('lavoro')).toEqual([{ entityId: handle.id, action: 'annullamento', username: 'operatore', after: JSON.stringify({ kind: 'importazione' }) }]);

    expect((await app.fail('jobs.cancel', { id: 'inesistente' }, 'operatore')).code).toBe('NOT_FOUND');
    handle.fail({ code: 'CONFLICT', message: 'Anteprima annullata' });
    expect((await app.fail('jobs.cancel', { id: handle.id }, 'operatore')).code).toBe('NOT_FOUND');
    expect(auditRows('lavoro')).toHaveLength(1);
  });
});
