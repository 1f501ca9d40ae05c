/**
 * F1 on the portal: a 730 statement goes out with its PDF, made when the event is sent (the
 * producers' transaction is synchronous, the PDF is not); a statement that cannot be issued goes
 * with its amount only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';
import { enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';
import { pay } from '../statements/money-fixtures';
import { pdfText } from '../statements/pdf-text';
import { tax730Drafts } from '../../../electron/portal/outbound';
import { enqueueOutbound, pendingOutbound } from '../../../electron/portal/outbox';
import { withTax730Pdfs } from '../../../electron/portal/outbound-documents';

let app: TestApp;
let base: Base;

beforeAll(async () => {
  app = await createTestApp('2027-02-10T10:00:00Z');
  base = await seedAttendance(app);
}, 120_000);
afterAll(() => app.close());

describe('portale: la dichiarazione 730 con il suo PDF', () => {
  it('F1: l’evento in partenza porta il PDF con alunno, pagante e importo; senza i dati della ditta parte con il solo importo', async () => {
    const { pupil } = await enrollPupil(app, base);
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 12_360, paidOn: '2026-10-05', channel: 'pagopa' });
    const { db, sqlite } = app.database;
    enqueueOutbound(sqlite, tax730Drafts(db, 2026), app.clock.now());
    const queued = pendingOutbound(sqlite, 10).filter((e) => e.type === 'tax730');
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ amountCents: 12_360, pdfBase64: null });

    // the caterer's data are not entered yet: the statement cannot be issued, the amount goes alone
    expect(await withTax730Pdfs(db, queued, app.clock.now())).toEqual(queued);

    await app.call('caterer.update', { ...TEST_CATERER, version: app.version('caterer') });
    const [ready] = await withTax730Pdfs(db, queued, app.clock.now());
    expect(ready.id).toBe(queued[0].id); // the PDF is not part of the event's identity: re-sending stays idempotent
    if (ready.type !== 'tax730' || !ready.pdfBase64) throw new Error('manca il PDF');
    const text = pdfText(Buffer.from(ready.pdfBase64, 'base64'));
    expect(text).toContain(pupil.taxCode);
    expect(text).toMatch(/123,60/);
    expect(text).toContain(TEST_CATERER.companyName);
  });

  it('un importo cambiato dopo l’accodamento non riceve il PDF del nuovo importo (lo porterà la versione nuova)', async () => {
    const { pupil } = await enrollPupil(app, base);
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 5_000, paidOn: '2026-11-05', channel: 'bonifico' });
    const { db, sqlite } = app.database;
    enqueueOutbound(sqlite, tax730Drafts(db, 2026), app.clock.now());
    const queued = pendingOutbound(sqlite, 50).filter((e) => e.type === 'tax730' && e.pupilId === pupil.id);
    expect(queued).toHaveLength(1);
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 1_000, paidOn: '2026-11-20', channel: 'bonifico' });
    const [sent] = await withTax730Pdfs(db, queued, app.clock.now());
    expect(sent).toMatchObject({ amountCents: 5_000, pdfBase64: null });
  });
});
