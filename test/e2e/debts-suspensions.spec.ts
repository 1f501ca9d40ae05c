import { test, expect, snap } from './fixtures';
import { BackendApi, PAYER, seedOffice } from './pages/backend-api';
import { Shell } from './pages/shell';
import { SuspensionsPage } from './pages/suspensions-page';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';

/**
 * Issue 11, D2 end to end: a family owes 61,80 €; its formal notice (registered
 * letter) was sent and delivered this morning with one day to pay. A supervisor suspends one of the
 * two children from tomorrow (not today: the notice's day is not over), the kitchen's list of
 * tomorrow has one meal less and nothing about why, then the supervisor lifts the suspension and
 * the meal is back. Monday 16 November 2026, 08:30 in Rome, the clock standing still; 1366×768.
 */
test.use({ viewport: { width: 1366, height: 768 }, clock: { at: '2026-11-16T08:30:00+01:00', mode: 'fisso' } });
test.describe.configure({ timeout: 240_000 });

test('un supervisore sospende dopo la diffida consegnata: niente pasto in cucina, poi revoca', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  const payer = await api.call('payers.create', PAYER);
  const children: { id: number; firstName: string }[] = [];
  for (const [firstName, birthDate] of [['Luca', '2017-03-15'], ['Sara', '2018-05-20']] as const) {
    const taxCode = buildCodiceFiscale({ lastName: 'Bianchi', firstName, birthDate, sex: firstName === 'Luca' ? 'M' : 'F', belfiore: 'C800' });
    const pupil = await api.call('pupils.create', { firstName, lastName: 'Bianchi', birthDate, taxCode, schoolId: office.school.id, classId: office.cls.id });
    await api.call('enrollments.create', { pupilId: pupil.id, payerId: payer.id, schoolYearId: office.year.id, schoolId: office.school.id, classId: office.cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato', startsOn: '2026-11-09', activate: true });
    children.push({ id: pupil.id, firstName });
  }
  // what the family owes: 61,80 € (a supervisor's adjustment stands for ten unpaid meals)
  await api.call('ledger.adjust', { pupilId: children[0].id, amountCents: -6180, reason: 'Dieci pasti di ottobre non pagati' });
  await api.call('debts.ladder.update', {
    version: 0,
    municipalityId: office.clusone.id,
    suspensionAllowed: true,
    enrollmentRefusalAllowed: false,
    steps: [{ name: 'Diffida e messa in mora', thresholdCents: 100, thresholdMeals: null, minDaysSincePrevious: 0, channel: 'raccomandata_ar', template: 'Gentile {pagante}, il debito di {importo} va saldato entro il {scadenza}.', daysToPay: 1 }],
  });
  const [step] = await api.call('debts.steps.record', { stepPosition: 1, families: [{ payerId: payer.id, municipalityId: office.clusone.id }] });
  await api.call('debts.deliveries.record', { stepId: step.id, deliveredOn: '2026-11-16', receiptNumber: 'RR 6140 0001 2345' });
  const tomorrow = async () => (await api.call('kitchen.report', { date: '2026-11-17', municipalityId: office.clusone.id })).meals;
  expect(await tomorrow()).toBe(2);

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Sospensioni');
  const s = new SuspensionsPage(page);
  await s.openFamily('Rossi', /Rossi/);
  await s.openSuspensionDialog();
  const dialog = s.dialog();
  await expect(dialog.getByTestId('suspension-notice')).toContainText('consegnata il 16/11/2026 (ricevuta RR 6140 0001 2345)');
  // proposed: from tomorrow, both children
  await expect(dialog.getByRole('textbox', { name: s.startLabel })).toHaveValue('17/11/2026');
  // today is refused, saying why, under the date
  await s.setStart('16/11/2026');
  await expect(await s.startError()).toHaveText('La diffida «Diffida e messa in mora» è stata consegnata il 16/11/2026 con 1 giorno per pagare: la sospensione può iniziare al più presto il 17/11/2026');
  await snap(page, screenshotDir, 'd2-1-sospensione-rifiutata');
  await s.setStart('17/11/2026');
  await expect(await s.startError()).toHaveCount(0);
  await s.uncheckPupil(/Sara/);
  await snap(page, screenshotDir, 'd2-2-sospensione');
  await s.confirmSuspension('Debito non saldato dopo la diffida consegnata');

  const row = s.panel().getByTestId('suspension-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Bianchi Luca');
  await expect(row).toContainText('17/11/2026');
  await expect(row).toContainText('Programmata');
  await expect(s.list()).toContainText('Bianchi Luca');
  await snap(page, screenshotDir, 'd2-3-sospensioni');

  // the kitchen: one meal less tomorrow, and nothing about why
  expect(await tomorrow()).toBe(1);
  const report = await api.call('kitchen.report', { date: '2026-11-17', municipalityId: office.clusone.id });
  expect(JSON.stringify(report)).not.toMatch(/sospes|moros|debit|diffid/i);
  const expected = await api.call('attendance.expected', { date: '2026-11-17' });
  expect(expected.rows.map((r) => r.pupilId)).toEqual([children[1].id]);
  await shell.go('Riepilogo pasti');
  await expect(page.getByRole('main')).not.toContainText(/sospes|moros|diffid/i);

  // the family paid: the supervisor lifts the suspension before it starts
  await shell.go('Sospensioni');
  await s.openFamily('Rossi', /Rossi/);
  await s.lift(s.panel().getByTestId('suspension-row'), 'Pagamento del debito', 'Bonifico del 16/11');
  await expect(s.panel().getByTestId('suspension-row')).toContainText('Revocata');
  await expect(s.panel().getByTestId('suspension-row')).toContainText('Pagamento del debito');
  await snap(page, screenshotDir, 'd2-4-revocata');
  expect(await tomorrow()).toBe(2);
});
