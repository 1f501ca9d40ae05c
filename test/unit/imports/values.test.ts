import { describe, expect, it } from 'vitest';
import { IMPORT_TARGETS, nameKey, suggestMapping } from '../../../electron/imports/targets';
import {
  readClassName,
  readDate,
  readMobile,
  readPaymentMethod,
  readPostcode,
  readSchoolYear,
  readWeekdays,
  splitStreet,
} from '../../../electron/imports/values';
import { LEGACY_HEADERS } from '../../fixtures/import-sheet';

const days = (s: string) => {
  const r = readWeekdays(s);
  return r.ok ? r.value : r.message;
};

describe("valori dell'importazione", () => {
  it("E4: i giorni di fruizione nelle forme in cui li scrive il sistema precedente", () => {
    expect(days('LMMGV')).toEqual([1, 2, 3, 4, 5]);
    expect(days('lmmgv')).toEqual([1, 2, 3, 4, 5]);
    expect(days('L-M-V')).toEqual([1, 3, 5]);
    expect(days('L---V')).toEqual([1, 5]);
    expect(days('-M-G-')).toEqual([2, 4]);
    expect(days('lun,mer,ven')).toEqual([1, 3, 5]);
    expect(days('Lunedì; Mercoledì')).toEqual([1, 3]);
    expect(days('1,3,5')).toEqual([1, 3, 5]);
    expect(days('135')).toEqual([1, 3, 5]);
    expect(days('5 1 3')).toEqual([1, 3, 5]);
    expect(days('lun-ven')).toEqual([1, 2, 3, 4, 5]);
    expect(days('L-V')).toEqual([1, 2, 3, 4, 5]);
    expect(days('mar-gio')).toEqual([2, 3, 4]);
    expect(days('1-5')).toEqual([1, 2, 3, 4, 5]);
    expect(days('tutti')).toEqual([1, 2, 3, 4, 5]);
    expect(days('dal lunedì al venerdì')).toEqual([1, 2, 3, 4, 5]);
    expect(days('ma,gi')).toEqual([2, 4]);
  });

  it("E4: i giorni di fruizione illeggibili sono rifiutati con il motivo", () => {
    expect(days('L M V')).toMatch(/ambigui.*martedì o mercoledì/);
    expect(days('sabato')).toMatch(/solo da lunedì a venerdì/);
    expect(days('lun,sab')).toMatch(/solo da lunedì a venerdì/);
    expect(days('a volte')).toMatch(/Giorni di fruizione non validi/);
    expect(days('')).toMatch(/mancanti/);
  });

  it("modalità di pagamento, prepagato o SDD, nelle parole consuete", () => {
    for (const s of ['Prepagato', 'PREPAGATA', 'ricarica', 'PagoPA', 'pago pa', 'credito']) expect(readPaymentMethod(s)).toEqual({ ok: true, value: 'prepagato' });
    for (const s of ['SDD', 'sdd', 'RID', 'Addebito in conto', 'addebito diretto', 'domiciliazione bancaria', 'SEPA']) expect(readPaymentMethod(s)).toEqual({ ok: true, value: 'sdd' });
    const bad = readPaymentMethod('contanti');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/Modalità di pagamento non riconosciuta: «contanti»/);
  });

  it("anni scolastici in forma lunga e breve", () => {
    for (const s of ['2026/2027', '2026-2027', '2026/27', '26/27', 'A.S. 2026/2027', 'as 2026/27']) expect(readSchoolYear(s)).toEqual({ ok: true, value: '2026/2027' });
    expect(readSchoolYear('1999/00')).toEqual({ ok: true, value: '1999/2000' });
    expect(readSchoolYear('2026/2028').ok).toBe(false);
    expect(readSchoolYear('prossimo').ok).toBe(false);
  });

  it('dates: gg/mm/aaaa, ISO, Excel serial numbers; impossible dates refused', () => {
    expect(readDate('05/03/2019')).toEqual({ ok: true, value: '2019-03-05' });
    expect(readDate('5/3/2019')).toEqual({ ok: true, value: '2019-03-05' });
    expect(readDate('05.03.2019')).toEqual({ ok: true, value: '2019-03-05' });
    expect(readDate('2019-03-05')).toEqual({ ok: true, value: '2019-03-05' });
    expect(readDate('43529')).toEqual({ ok: true, value: '2019-03-05' });
    expect(readDate('29/02/2020')).toEqual({ ok: true, value: '2020-02-29' });
    expect(readDate('29/02/2019').ok).toBe(false);
    expect(readDate('31/04/2019').ok).toBe(false);
    expect(readDate('05/03/19').ok).toBe(false);
    expect(readDate('ieri').ok).toBe(false);
  });

  it("via e numero civico separati (indirizzo strutturato SEPA)", () => {
    expect(splitStreet('Via Roma 12')).toEqual({ street: 'Via Roma', number: '12' });
    expect(splitStreet('Via Roma, 12/A')).toEqual({ street: 'Via Roma', number: '12/A' });
    expect(splitStreet('Viale Europa n. 5b')).toEqual({ street: 'Viale Europa', number: '5b' });
    expect(splitStreet("Via Sant'Alessandro snc")).toEqual({ street: "Via Sant'Alessandro", number: 'snc' });
    expect(splitStreet('Via XX Settembre')).toEqual({ street: 'Via XX Settembre', number: '' });
    expect(splitStreet('Corso 22 Marzo 4')).toEqual({ street: 'Corso 22 Marzo', number: '4' });
  });

  it("cellulari, CAP e nomi di classe come li lascia Excel", () => {
    expect(readMobile('347 123 4567')).toEqual({ ok: true, value: '3471234567' });
    expect(readMobile('+39 347.123.4567')).toEqual({ ok: true, value: '+393471234567' });
    expect(readMobile('035 123456').ok).toBe(false);
    expect(readPostcode('24023')).toEqual({ ok: true, value: '24023' });
    expect(readPostcode('3043')).toEqual({ ok: true, value: '03043' });
    expect(readPostcode('CAP').ok).toBe(false);
    expect(readClassName('3 a')).toBe('3A');
    expect(readClassName('3^b')).toBe('3B');
    expect(readClassName('Sezione A')).toBe('Sezione A');
  });
});

describe('abbinamento delle colonne dai nomi delle intestazioni', () => {
  it("abbina le intestazioni dell'esportazione del sistema precedente a ogni campo", () => {
    const m = suggestMapping([...LEGACY_HEADERS]);
    expect(m).toEqual({
      'pupil.lastName': 'Cognome',
      'pupil.firstName': 'Nome',
      'pupil.birthDate': 'Data di nascita',
      'pupil.taxCode': 'Codice fiscale',
      'pupil.municipality': 'Comune',
      'pupil.school': 'Scuola',
      'pupil.className': 'Classe',
      'payer.lastName': 'Cognome genitore',
      'payer.firstName': 'Nome genitore',
      'payer.taxCode': 'CF genitore',
      'payer.email': 'E-mail',
      'payer.mobile': 'Cellulare',
      'payer.street': 'Indirizzo',
      'payer.postcode': 'CAP',
      'payer.town': 'Città',
      'payer.province': 'Provincia',
      'payer.iban': 'IBAN',
      'payer.ibanHolder': 'Intestatario conto',
      'enrollment.schoolYear': 'Anno scolastico',
      'enrollment.weekdays': 'Giorni di fruizione',
      'enrollment.paymentMethod': 'Modalità di pagamento',
    });
  });

  it("i sinonimi ignorano maiuscole, accenti e punteggiatura; ogni colonna si usa una volta", () => {
    const m = suggestMapping([
      'COGNOME ALUNNO',
      'Nome Alunno',
      'Cod. Fiscale',
      'Scuola / Plesso',
      'Cognome del Genitore Pagante',
      'nome genitore',
      'C.F. GENITORE',
      'E-MAIL',
      'Cell.',
      'N. civico',
      'Localita',
      'A.S.',
      'Modalita pagamento',
      'Giorni',
      'Note',
    ]);
    expect(m['pupil.lastName']).toBe('COGNOME ALUNNO');
    expect(m['pupil.firstName']).toBe('Nome Alunno');
    expect(m['pupil.taxCode']).toBe('Cod. Fiscale');
    expect(m['pupil.school']).toBe('Scuola / Plesso');
    expect(m['payer.lastName']).toBe('Cognome del Genitore Pagante');
    expect(m['payer.firstName']).toBe('nome genitore');
    expect(m['payer.taxCode']).toBe('C.F. GENITORE');
    expect(m['payer.email']).toBe('E-MAIL');
    expect(m['payer.mobile']).toBe('Cell.');
    expect(m['payer.streetNumber']).toBe('N. civico');
    expect(m['payer.town']).toBe('Localita');
    expect(m['enrollment.schoolYear']).toBe('A.S.');
    expect(m['enrollment.paymentMethod']).toBe('Modalita pagamento');
    expect(m['enrollment.weekdays']).toBe('Giorni');
    expect(Object.values(m)).not.toContain('Note');
    expect(new Set(Object.values(m)).size).toBe(Object.values(m).length);
  });

  it("E3: codice fiscale dell'alunno e del pagante, e-mail e cellulare sono colonne obbligatorie; i nomi si confrontano senza maiuscole, accenti e apostrofi", () => {
    const required = IMPORT_TARGETS.filter((t) => t.required).map((t) => t.field);
    expect(required).toEqual(expect.arrayContaining(['pupil.taxCode', 'payer.email', 'payer.mobile', 'payer.taxCode']));
    expect(nameKey("Scuola dell'Infanzia   SANT'ALESSANDRO")).toBe(nameKey("scuola dell infanzia sant alessandro"));
    expect(nameKey('Niccolò')).toBe(nameKey('NICCOLO'));
  });
});
