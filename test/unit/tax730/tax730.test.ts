/**
 * F1: the 730 statement. Amounts follow PAYMENTS.md §4 and worked example F: cash basis on the
 * settlement date, traceable means only, returned debits excluded, refunds subtracted, the SDD
 * commission left out unless the setting includes it; the parents' shares when the statement names
 * the pupil; the pre-check of codici fiscali; one PDF per pupil-payer pair, the batch and the list.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, VALID_PAYER, type TestApp } from '../../support/backend';
import { TEST_CATERER } from '../../support/people';
import { enrollPupil, seedAttendance, type Base } from '../attendance/fixtures';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import { pay, refund, sddDebit, sddReturn } from '../statements/money-fixtures';
import { pdfText } from '../statements/pdf-text';

let app: TestApp;
let base: Base;
let secondParentId: number;
const CATERER = TEST_CATERER;

async function newPupil() {
  return (await enrollPupil(app, base)).pupil;
}

const rowsOf = async (year: number, pupilId: number) => (await app.call('tax730.list', { year, pupilId }, 'operatore')).rows;

beforeAll(async () => {
  app = await createTestApp();
  base = await seedAttendance(app);
  await app.call('schoolYears.create', { label: '2025/2026', startsOn: '2025-09-01', endsOn: '2026-06-30' });
  const giulia = await app.call(
    'payers.create',
    {
      ...VALID_PAYER,
      firstName: 'Giulia',
      lastName: 'Bianchi',
      taxCode: buildCodiceFiscale({ lastName: 'Bianchi', firstName: 'Giulia', birthDate: '1987-04-12', sex: 'F', belfiore: 'C800' }),
      email: 'giulia.bianchi@example.it',
      iban: null,
      ibanHolder: null,
    },
    'operatore',
  );
  secondParentId = giulia.id;
}, 120_000);
afterAll(() => app.close());

/** Worked example F of PAYMENTS.md §5, for one pupil and payer, calendar year 2026. */
async function exampleF() {
  const pupil = await newPupil();
  const payerId = base.payerId;
  sddDebit(app, { pupilId: pupil.id, payerId, amountCents: 11224, settledOn: '2026-01-30' });
  sddDebit(app, { pupilId: pupil.id, payerId, amountCents: 6280, settledOn: '2026-02-27' });
  const march = sddDebit(app, { pupilId: pupil.id, payerId, amountCents: 5044, settledOn: '2026-03-31' });
  sddReturn(app, march, '2026-04-03', 'AM04');
  pay(app, { pupilId: pupil.id, payerId, amountCents: 5044, paidOn: '2026-04-15', channel: 'pagopa' });
  pay(app, { pupilId: pupil.id, payerId, amountCents: 2000, paidOn: '2026-05-06', channel: 'contanti' });
  return pupil;
}

describe('dichiarazione 730: regole degli importi', () => {
  it('F1: esempio F di PAYMENTS.md: 222,48 € (insoluto escluso, contanti esclusi, commissioni SDD escluse); 225,48 € con le commissioni', async () => {
    const pupil = await exampleF();
    const [row] = await rowsOf(2026, pupil.id);
    expect(row.amountCents).toBe(22248);
    expect(row.traceableCents).toBe(11224 + 6280 + 5044);
    expect(row.returnedCents).toBe(5044);
    expect(row.cashCents).toBe(2000);
    expect(row.commissionCents).toBe(300);
    expect(row.channels).toEqual(['pagoPA', 'addebito SDD']);
    expect(row.payerTaxCode).toBe(VALID_PAYER.taxCode);
    await app.call('tax730.updateSettings', { version: app.version('tax730'), includeSddCommission: true });
    try {
      expect((await rowsOf(2026, pupil.id))[0].amountCents).toBe(22548);
    } finally {
      await app.call('tax730.updateSettings', { version: app.version('tax730'), includeSddCommission: false });
    }
  });

  it("F1: conta la data di incasso: l'SDD del 31/12/2025 va nel 2025, quello del 04/01/2026 (pasti di dicembre) nel 2026", async () => {
    const pupil = await newPupil();
    sddDebit(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 5000, settledOn: '2025-12-31', commissionCents: 0 });
    sddDebit(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 7000, settledOn: '2026-01-04', commissionCents: 0 });
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 900, paidOn: '2026-12-31', channel: 'bonifico' });
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 1100, paidOn: '2027-01-01', channel: 'pagopa' });
    expect((await rowsOf(2025, pupil.id)).map((r) => r.amountCents)).toEqual([5000]);
    expect((await rowsOf(2026, pupil.id)).map((r) => r.amountCents)).toEqual([7900]);
    expect((await rowsOf(2027, pupil.id)).map((r) => r.amountCents)).toEqual([1100]);
  });

  it("F1: un addebito restituito dalla banca l'anno dopo resta escluso dall'anno dell'incasso e non diventa negativo nell'anno del ritorno", async () => {
    const pupil = await newPupil();
    const dec = sddDebit(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 6180, settledOn: '2026-12-30', commissionCents: 0 });
    sddDebit(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 1236, settledOn: '2026-11-30', commissionCents: 0 });
    sddReturn(app, dec, '2027-01-08', 'MD06');
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 3000, paidOn: '2027-02-01', channel: 'pagopa' });
    const [y2026] = await rowsOf(2026, pupil.id);
    expect(y2026.amountCents).toBe(1236);
    expect(y2026.returnedCents).toBe(6180);
    expect((await rowsOf(2027, pupil.id))[0].amountCents).toBe(3000);
  });

  it("F1: i rimborsi dell'anno sono sottratti, quelli dell'anno dopo no", async () => {
    const pupil = await newPupil();
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 10000, paidOn: '2026-03-02', channel: 'pagopa' });
    refund(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 3000, settledOn: '2026-07-01' });
    refund(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 1000, settledOn: '2027-01-10' });
    const [row] = await rowsOf(2026, pupil.id);
    expect(row.refundedCents).toBe(3000);
    expect(row.amountCents).toBe(7000);
  });

  it('F1: i contanti sono esclusi, bonifico, POS e assegno contano', async () => {
    const pupil = await newPupil();
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 2000, paidOn: '2026-09-20', channel: 'contanti' });
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 1500, paidOn: '2026-09-21', channel: 'bonifico' });
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 700, paidOn: '2026-09-22', channel: 'pos' });
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 300, paidOn: '2026-09-23', channel: 'assegno' });
    const [row] = await rowsOf(2026, pupil.id);
    expect(row.amountCents).toBe(2500);
    expect(row.cashCents).toBe(2000);
    expect(row.channels).toEqual(['assegno', 'bonifico', 'POS']);
  });

  it('F1: una dichiarazione per alunno e pagante: due genitori che pagano lo stesso alunno ne hanno una ciascuno', async () => {
    const pupil = await newPupil();
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 4000, paidOn: '2026-10-01', channel: 'pagopa' });
    pay(app, { pupilId: pupil.id, payerId: secondParentId, amountCents: 2500, paidOn: '2026-10-05', channel: 'bonifico' });
    const rows = await rowsOf(2026, pupil.id);
    expect(rows.map((r) => [r.payerId, r.amountCents]).sort()).toEqual([[base.payerId, 4000], [secondParentId, 2500]].sort());
  });

  it('F1: per comune: elenco e pacchetto si possono limitare agli alunni delle scuole di un comune', async () => {
    const cassino = (await enrollPupil(app, base, { schoolId: base.cassinoSchool.id })).pupil;
    pay(app, { pupilId: cassino.id, payerId: base.payerId, amountCents: 1234, paidOn: '2026-10-07', channel: 'pagopa' });
    const list = await app.call('tax730.list', { year: 2026, municipalityId: base.cassino.id }, 'operatore');
    expect(list.rows.map((r) => [r.pupilId, r.municipalityName, r.amountCents])).toEqual([[cassino.id, 'Cassino', 1234]]);
    const all = await app.call('tax730.list', { year: 2026 }, 'operatore');
    expect(all.rows.length).toBeGreaterThan(1);
  });
});

describe('dichiarazione 730: chi paga e quote dei genitori', () => {
  async function enrollmentOf(pupilId: number) {
    const list = await app.call('enrollments.list', { schoolYearId: base.year.id, limit: 1000 }, 'operatore');
    return list.rows.find((e) => e.pupilId === pupilId)!;
  }

  async function namePupil(pupilId: number, payerSharePct?: number, secondParentSharePct?: number) {
    const e = await enrollmentOf(pupilId);
    return app.call(
      'enrollments.update',
      {
        id: e.id,
        version: e.version,
        pupilId,
        schoolYearId: e.schoolYearId,
        payerId: e.payerId,
        schoolId: e.schoolId,
        classId: e.classId,
        weekdays: e.weekdays,
        paymentMethod: e.paymentMethod,
        startsOn: e.startsOn,
        notes: e.notes,
        secondParentId,
        taxStatementNames: 'alunno',
        ...(payerSharePct === undefined ? {} : { payerSharePct, secondParentSharePct }),
      },
      'operatore',
    );
  }

  it("F1: intestata all'alunno, i genitori dividono 50/50 per impostazione predefinita", async () => {
    const pupil = await newPupil();
    await namePupil(pupil.id);
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 22249, paidOn: '2026-10-01', channel: 'pagopa' });
    const [row] = await rowsOf(2026, pupil.id);
    expect(row.namesPupil).toBe(true);
    expect(row.shares.map((s) => [s.payerId, s.pct, s.amountCents])).toEqual([
      [base.payerId, 50, 11125],
      [secondParentId, 50, 11124],
    ]);
    expect(row.shares[0].amountCents + row.shares[1].amountCents).toBe(row.amountCents);
  });

  it('F1: quote annotate 70/30, scritte nel PDF con nome e codice fiscale di entrambi i genitori', async () => {
    await app.call('caterer.update', { ...CATERER, version: app.version('caterer') });
    const pupil = await newPupil();
    await namePupil(pupil.id, 70, 30);
    pay(app, { pupilId: pupil.id, payerId: base.payerId, amountCents: 22248, paidOn: '2026-10-01', channel: 'pagopa' });
    const [row] = await rowsOf(2026, pupil.id);
    expect(row.shares.map((s) => [s.pct, s.amountCents])).toEqual([
      [70, 15574],
      [30, 6674],
    ]);
    const out = await app.call('tax730.pdf', { year: 2026, pupilId: pupil.id, payerId: base.payerId }, 'operatore');
    const text = pdfText(Buffer.from(out.contentBase64, 'base64'));
    expect(text).toContain('Ripartizione della spesa tra i genitori');
    expect(text).toMatch(new RegExp(`Rossi Mario\\s+${VALID_PAYER.taxCode}\\s+70%\\s+155,74 €`));
    expect(text).toMatch(/Bianchi Giulia\s+\S{16}\s+30%\s+66,74 €/);
  });

  it('le quote devono sommare a 100: il modulo lo dice sul campo e il database rifiuta comunque (CHECK)', async () => {
    const pupil = await newPupil();
    const e = await enrollmentOf(pupil.id);
    const err = await app.fail(
      'enrollments.update',
      { id: e.id, version: e.version, pupilId: pupil.id, schoolYearId: e.schoolYearId, payerId: e.payerId, schoolId: e.schoolId, classId: e.classId, weekdays: e.weekdays, paymentMethod: e.paymentMethod, secondParentId, taxStatementNames: 'alunno', payerSharePct: 60, secondParentSharePct: 50 },
      'operatore',
    );
    expect(err.code).toBe('VALIDATION');
    expect(err.issues).toContainEqual({ path: ['secondParentSharePct'], message: 'Le quote dei due genitori devono sommare a 100% (ora 110%)' });
    const noSecond = await app.fail(
      'enrollments.update',
      { id: e.id, version: e.version, pupilId: pupil.id, schoolYearId: e.schoolYearId, payerId: e.payerId, schoolId: e.schoolId, classId: e.classId, weekdays: e.weekdays, paymentMethod: e.paymentMethod, taxStatementNames: 'alunno' },
      'operatore',
    );
    expect(noSecond.issues[0].path).toEqual(['secondParentId']);
    const sqlite = app.database.sqlite;
    const insert = sqlite.prepare('INSERT INTO enrollment_parents (enrollment_id, second_parent_id, tax_statement_names, payer_share_pct, second_parent_share_pct, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    expect(() => insert.run(e.id, secondParentId, 'alunno', 60, 50, '2026-10-12T08:00:00Z')).toThrow(/CHECK/);
    expect(() => insert.run(e.id, null, 'alunno', 50, 50, '2026-10-12T08:00:00Z')).toThrow(/CHECK/);
  });

  it('chi ha iscritto e il secondo genitore si leggono nella scheda dell\'iscrizione e passano al rinnovo', async () => {
    const pupil = await newPupil();
    await namePupil(pupil.id, 40, 60);
    const e = await enrollmentOf(pupil.id);
    const detail = await app.call('enrollments.get', { id: e.id }, 'operatore');
    expect([detail.secondParentId, detail.secondParentName, detail.taxStatementNames, detail.payerSharePct, detail.secondParentSharePct]).toEqual([secondParentId, 'Bianchi Giulia', 'alunno', 40, 60]);
    // a caller that does not send the who-pays fields (an older client, the CLI) leaves them as recorded
    await app.call('enrollments.update', { id: e.id, version: app.version('enrollment', e.id), pupilId: pupil.id, schoolYearId: e.schoolYearId, payerId: e.payerId, schoolId: e.schoolId, classId: e.classId, weekdays: e.weekdays, paymentMethod: e.paymentMethod, notes: 'nota', enrolledById: secondParentId }, 'operatore');
    const kept = await app.call('enrollments.get', { id: e.id }, 'operatore');
    expect([kept.enrolledByName, kept.secondParentId, kept.taxStatementNames, kept.payerSharePct, kept.notes]).toEqual(['Bianchi Giulia', secondParentId, 'alunno', 40, 'nota']);
    const renewed = await app.call('enrollments.renew', { fromSchoolYearId: base.year.id, toSchoolYearId: base.nextYear.id, enrollmentIds: [e.id] }, 'operatore');
    const next = await app.call('enrollments.get', { id: renewed.createdIds[0] }, 'operatore');
    expect([next.secondParentId, next.taxStatementNames, next.payerSharePct]).toEqual([secondParentId, 'alunno', 40]);
  });
});

describe('dichiarazione 730: controllo dei codici fiscali, PDF, pacchetto ed elenco', () => {
  it('F1: il controllo elenca il codice fiscale errato di un alunno e i pagamenti senza pagante; il PDF di quella coppia è rifiutato', async () => {
    await app.call('caterer.update', { ...CATERER, version: app.version('caterer') });
    const wrong = await newPupil();
    pay(app, { pupilId: wrong.id, payerId: base.payerId, amountCents: 1000, paidOn: '2026-10-02', channel: 'pagopa' });
    // legacy data imported before the check existed: the last character does not match
    const bad = `${wrong.taxCode.slice(0, 15)}${wrong.taxCode[15] === 'A' ? 'B' : 'A'}`;
    app.database.sqlite.prepare('UPDATE pupils SET tax_code = ?, version = version + 1 WHERE id = ?').run(bad, wrong.id);
    const orphan = await newPupil();
    // a payment with no payer, in a school year the pupil was not enrolled in
    pay(app, { pupilId: orphan.id, payerId: null, amountCents: 1500, paidOn: '2026-02-02', channel: 'bonifico' });
    const check = await app.call('tax730.check', { year: 2026 }, 'operatore');
    const pupilIssue = check.issues.find((i) => i.kind === 'alunno' && i.personId === wrong.id)!;
    expect(pupilIssue.taxCode).toBe(bad);
    expect(pupilIssue.message).toMatch(/^Codice fiscale dell'alunno .+: .*controllo/i);
    expect(check.issues.find((i) => i.kind === 'pagante' && i.pupilId === orphan.id)?.message).toMatch(/senza pagante/);
    expect(check.ready).toBe(check.pairs - 2);
    const refused = await app.fail('tax730.pdf', { year: 2026, pupilId: wrong.id, payerId: base.payerId }, 'operatore');
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toMatch(/Dichiarazione non generata: Codice fiscale dell'alunno/);
  });

  it('F1: senza i dati della ditta il controllo lo segnala', async () => {
    const sqlite = app.database.sqlite;
    const saved = sqlite.prepare("SELECT value FROM settings WHERE key = 'caterer'").get() as { value: string } | undefined;
    sqlite.prepare("DELETE FROM settings WHERE key = 'caterer'").run();
    try {
      const check = await app.call('tax730.check', { year: 2026 }, 'operatore');
      expect(check.issues[0]).toMatchObject({ kind: 'ditta' });
      expect(check.ready).toBe(0);
      expect((await app.fail('tax730.batch', { year: 2026 }, 'operatore')).message).toMatch(/dati della ditta/);
    } finally {
      if (saved) sqlite.prepare("INSERT INTO settings (key, value) VALUES ('caterer', ?)").run(saved.value);
    }
  });

  it('F1: il PDF di una coppia riporta ditta, alunno e CF, scuola, servizio, pagante e CF, anno e importo', async () => {
    const pupil = await exampleF();
    const out = await app.call('tax730.pdf', { year: 2026, pupilId: pupil.id, payerId: base.payerId }, 'operatore');
    expect(out.fileName).toBe(`730-2026-mensa-${pupil.lastName}-${pupil.firstName}-${pupil.taxCode}-pagante-${VALID_PAYER.taxCode}.pdf`);
    const text = pdfText(Buffer.from(out.contentBase64, 'base64'));
    for (const s of ['Ristorazione Città Alta S.r.l.', 'Partita IVA 01234567897', `${pupil.lastName} ${pupil.firstName}`, pupil.taxCode, 'Primaria Clusone (Clusone)', 'Rossi Mario', VALID_PAYER.taxCode, "Importo pagato nell'anno", '222,48 €', 'pagoPA, addebito SDD (tracciabili)', 'codice 12']) {
      expect(text).toContain(s);
    }
    expect(text).toMatch(/Dichiarazione delle spese per il servizio di mensa\s+scolastica\s+–\s+anno 2026/);
  });

  it('F1: il pacchetto è uno .zip con un PDF per ogni coppia pronta e l\'elenco Excel con importi numerici ed esito', async () => {
    const pupil = await exampleF();
    const out = await app.call('tax730.batch', { year: 2026 }, 'operatore');
    expect(out.mimeType).toBe('application/zip');
    const zip = await JSZip.loadAsync(Buffer.from(out.contentBase64, 'base64'));
    const pdfs = Object.keys(zip.files).filter((n) => n.endsWith('.pdf'));
    const check = await app.call('tax730.check', { year: 2026 }, 'operatore');
    expect(pdfs.length).toBe(out.count);
    expect(out.count).toBe(check.ready);
    expect(out.skipped).toBe(check.pairs - check.ready);
    // every PDF is a real document whose text names its pair
    const first = pdfs[0];
    const text = pdfText(Buffer.from(await zip.file(first)!.async('uint8array')));
    expect(text).toContain(first.split('-pagante-')[1].replace('.pdf', ''));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await zip.file('elenco-730-2026.xlsx')!.async('nodebuffer')) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Dichiarazioni 730')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (h: string) => header.indexOf(h) + 1;
    const rows = ws.getRows(2, ws.rowCount - 1)!;
    // example F's pair, by its pupil (other pupils of this file have 222,48 € too, without cash)
    const f = rows.find((r) => r.getCell(col('CF alunno')).value === pupil.taxCode)!;
    expect(f).toBeDefined();
    expect(f.getCell(col('Importo 730')).value).toBe(222.48);
    expect(f.getCell(col('Importo 730')).numFmt).toContain('€');
    expect(f.getCell(col('Contanti (esclusi)')).value).toBe(20);
    expect(f.getCell(col('Esito')).value).toBe('Generata');
    expect(rows.some((r) => r.getCell(col('Esito')).text.startsWith('Da correggere: Codice fiscale dell\'alunno'))).toBe(true);
    expect(wb.getWorksheet('Controllo codici fiscali')!.rowCount).toBe(check.issues.length + 1);
  });

  it("F1: l'elenco Excel da solo ha una riga per coppia, importi come numeri", async () => {
    const out = await app.call('tax730.xlsx', { year: 2026 }, 'operatore');
    const list = await app.call('tax730.list', { year: 2026 }, 'operatore');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(out.contentBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Dichiarazioni 730')!;
    expect(ws.rowCount - 1).toBe(list.rows.length);
    const amounts = ws.getRows(2, ws.rowCount - 1)!.map((r) => r.getCell(9).value);
    expect(amounts.every((v) => typeof v === 'number')).toBe(true);
    expect(amounts.reduce((s: number, v) => s + Math.round((v as number) * 100), 0)).toBe(list.rows.reduce((s, r) => s + r.amountCents, 0));
  });
});
