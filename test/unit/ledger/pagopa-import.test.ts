/**
 * P2: the pagoPA reporting spreadsheet becomes top-ups. Each row is checked like a receipt typed by
 * hand (notice number mod 93, amount, date, pupil, IUV once); the commit registers every row or none.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/backend';
import { seedAttendance, enrollPupil, type Base } from '../attendance/fixtures';
import { buildNumeroAvviso } from '../../../electron/identifiers/pagopa-notice';

let app: TestApp;
let base: Base;
let pupil: { id: number; userCode: string };

beforeEach(async () => {
  app = await createTestApp('2026-10-12T08:00:00Z');
  base = await seedAttendance(app);
  const p = (await enrollPupil(app, base)).pupil;
  pupil = { id: p.id, userCode: (await app.call('pupils.get', { id: p.id })).userCode };
});
afterEach(() => app.close());

const notice = (n: number) => buildNumeroAvviso({ auxDigit: 3, segregationCode: '47', iuvBase: String(n).padStart(13, '0') });
const csv = (rows: string[][]) => Buffer.from([['Numero avviso', 'Importo', 'Data pagamento', 'Codice utente', 'Servizio', 'Esito'], ...rows].map((r) => r.join(';')).join('\n'), 'utf8').toString('base64');
const balance = async () => (await app.call('ledger.balances', { pupilId: pupil.id })).services.find((s) => s.service === 'mensa')?.balanceCents ?? 0;

describe('P2: importazione della rendicontazione pagoPA', () => {
  it('P2: le righe valide diventano ricariche del servizio indicato, datate al giorno del pagamento', async () => {
    const file = csv([
      [notice(1), '50,00', '09/10/2026 10:15', pupil.userCode, 'mensa', 'eseguito'],
      [notice(2), '12,50', '2026-10-10', pupil.userCode, 'mensa', 'eseguito'],
    ]);
    const preview = await app.call('ledger.pagopaImportPreview', { fileName: 'rendicontazione.csv', contentBase64: file }, 'operatore');
    expect(preview).toMatchObject({ valid: 2, invalid: 0, totalCents: 6250 });
    const rows = preview.rows.map((r) => r.row!);
    const done = await app.call('ledger.pagopaImportCommit', { fileName: preview.fileName, rows }, 'operatore');
    expect(done).toEqual({ imported: 2, totalCents: 6250 });
    expect(await balance()).toBe(6250);
    const moves = await app.call('ledger.movements', { pupilId: pupil.id }, 'operatore');
    expect(moves.entries.map((e) => [e.kind, e.amountCents, e.bookedOn])).toEqual([
      ['ricarica', 5000, '2026-10-09'],
      ['ricarica', 1250, '2026-10-10'],
    ]);
  });

  it('P2: cifre di controllo errate, IUV già accreditato o ripetuto, importo e data illeggibili, ricevuta revocata: ogni riga dice il suo errore e nulla si registra', async () => {
    await app.call('ledger.registerPagopa', { pupilId: pupil.id, noticeNumber: notice(5), amountCents: 1000, paidAt: '2026-10-01T08:00:00.000Z' }, 'operatore');
    const bad = notice(6).slice(0, 16) + (notice(6).slice(16) === '00' ? '01' : '00');
    const file = csv([
      [notice(7), '20,00', '09/10/2026', pupil.userCode, 'mensa', 'eseguito'],
      [bad, '20,00', '09/10/2026', pupil.userCode, 'mensa', 'eseguito'],
      [notice(5), '10,00', '01/10/2026', pupil.userCode, 'mensa', 'eseguito'],
      [notice(8), 'venti', '31/02/2026', pupil.userCode, 'mensa', 'eseguito'],
      [notice(7), '20,00', '09/10/2026', pupil.userCode, 'mensa', 'eseguito'],
      [notice(9), '20,00', '09/10/2026', pupil.userCode, 'mensa', 'revocato'],
      [notice(10), '20,00', '09/10/2026', 'ZZZ999', 'mensa', 'eseguito'],
    ]);
    const preview = await app.call('ledger.pagopaImportPreview', { fileName: 'rendicontazione.csv', contentBase64: file }, 'operatore');
    expect(preview.valid).toBe(1);
    expect(preview.invalid).toBe(6);
    expect(preview.rows.map((r) => r.ok)).toEqual([true, false, false, false, false, false, false]);
    for (const r of preview.rows.slice(1)) expect(r.errors.length, `riga ${r.line}`).toBeGreaterThan(0);
    expect(preview.rows[3].errors.join(' ')).toMatch(/Data di pagamento non valida/);
    // a commit of only the valid rows is possible through the contract, but the screen offers it only
    // when no row has errors; here the duplicate already stored is refused by the commit too
    const dup = await app.fail('ledger.pagopaImportCommit', { fileName: 'x.csv', rows: [preview.rows[0].row!, { ...preview.rows[0].row!, line: 9, noticeNumber: notice(5), iuv: notice(5).slice(3, 18) }] }, 'operatore');
    expect(dup.message).toMatch(/^Riga 9: /);
    // all or nothing: the first row of that commit was not kept either
    expect(await balance()).toBe(1000);
  });

  it('un file senza la colonna dell’importo è rifiutato con un messaggio in italiano', async () => {
    const file = Buffer.from(`Numero avviso;Data pagamento\n${notice(1)};09/10/2026\n`).toString('base64');
    const e = await app.fail('ledger.pagopaImportPreview', { fileName: 'r.csv', contentBase64: file }, 'operatore');
    expect(e.message).toBe("Nel file manca la colonna dell'importo pagato");
  });
});
