import { describe, expect, it } from 'vitest';
import { enrollPupil, useAttendanceApp, type Base } from '../attendance/fixtures';
import { VALID_PAYER, type TestApp } from '../../support/backend';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';

/** Issue 12: the pupil's page shows the family: the enrollments by year with their payer, the siblings; a payer's page all the children. */
describe("la famiglia dell'alunno (issue 12)", () => {
  let app: TestApp;
  let base: Base;
  useAttendanceApp((a, b) => {
    app = a;
    base = b;
  });

  it('la scheda elenca le iscrizioni con scuola, classe e pagante e i fratelli (stesso pagante), non gli altri alunni', async () => {
    const anna = await enrollPupil(app, base);
    const luca = await enrollPupil(app, base, { schoolId: base.cassinoSchool.id });
    const other = await app.call('payers.create', { ...VALID_PAYER, taxCode: buildCodiceFiscale({ lastName: 'Bianchi', firstName: 'Giovanni', birthDate: '1980-01-01', sex: 'M', belfiore: 'A562' }), firstName: 'Giovanni', lastName: 'Bianchi', email: 'g.bianchi@example.it' }, 'operatore');
    const stranger = await enrollPupil(app, { ...base, payerId: other.id });

    const sheet = await app.call('pupils.get', { id: anna.pupil.id }, 'operatore');
    expect(sheet.enrollments).toEqual([
      expect.objectContaining({ id: anna.enrollment.id, schoolYearLabel: '2026/2027', payerId: base.payerId, payerName: 'Rossi Mario', schoolName: 'Primaria Clusone', className: '3A', municipalityId: base.clusone.id, status: 'attiva' }),
    ]);
    expect(sheet.siblings).toEqual([expect.objectContaining({ id: luca.pupil.id, schoolName: 'Infanzia Cassino', className: null })]);
    expect((await app.call('pupils.get', { id: stranger.pupil.id }, 'operatore')).siblings).toEqual([]);

    // the payer's children: the pupils list filtered by payer
    const children = await app.call('pupils.list', { payerId: base.payerId }, 'operatore');
    expect(children.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([anna.pupil.id, luca.pupil.id]);
    expect((await app.call('pupils.list', { payerId: other.id }, 'operatore')).rows.map((r) => r.id)).toEqual([stranger.pupil.id]);
  });
});
