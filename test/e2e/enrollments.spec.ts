import { test, expect, snap } from './fixtures';
import { BackendApi, PAYER, PUPIL, seedOffice } from './pages/backend-api';
import { EnrollmentsPage } from './pages/enrollments-page';
import { fieldError, pick, typeDate } from './pages/controls';
import { Shell } from './pages/shell';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

test('iscrizione di un alunno, avviso fuori finestra, rinnovo nell\'anno successivo, attivazione e ritiro (E1-E4, E6)', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  await api.call('pupils.create', { ...PUPIL, schoolId: office.school.id, classId: office.cls.id });
  await api.call('payers.create', PAYER);

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Iscrizioni');
  const enrollments = new EnrollmentsPage(page);
  await expect(enrollments.total()).toHaveText('0 iscrizioni');

  await enrollments.openNew();
  await enrollments.choosePupil('bianchi', /Bianchi Luca/);
  // the pupil's school and class are proposed
  await expect(enrollments.dialog().getByRole('textbox', { name: 'Scuola' })).toHaveValue('Scuola primaria Dante Alighieri');
  await expect(enrollments.dialog().getByRole('textbox', { name: 'Classe' })).toHaveValue('3A');
  await enrollments.setWeekdays([]);
  await enrollments.save();
  // E4: at least one weekday, said under the weekdays; the payer is missing too
  await expect(enrollments.dialog().getByText('Indicare almeno un giorno di fruizione')).toBeVisible();
  await expect(await fieldError(enrollments.dialog(), 'Pagante')).toHaveText(/mancante|obbligatori/);

  await enrollments.choosePayer('rossi', /Rossi Mario/);
  await enrollments.setWeekdays(['Lunedì', 'Mercoledì', 'Venerdì']);
  await enrollments.chooseSdd();
  await snap(page, screenshotDir, '30-nuova-iscrizione');
  await enrollments.save();

  // E1: the municipality's window is closed: registered, with a yellow warning
  const warning = page.getByTestId('enrollment-warnings');
  await expect(warning).toContainText('fuori dalla finestra del Comune di Clusone');
  await snap(page, screenshotDir, '31-iscrizione-avviso-finestra');
  await page.getByRole('button', { name: 'Ho capito' }).click();

  await expect(enrollments.total()).toHaveText('1 iscrizione');
  const row = enrollments.table().locator('tbody tr[data-index="0"]');
  await expect(row).toContainText('Bianchi Luca');
  await expect(row).toContainText('Lun Mer Ven');
  await expect(row).toContainText('SDD');
  await expect(row).toContainText('Attiva');

  // the same pupil cannot be enrolled twice in a year: the message sits under the school year
  await enrollments.openNew();
  await enrollments.choosePupil(PUPIL.taxCode, /Bianchi Luca/);
  await enrollments.choosePayer('RSSMRA', /Rossi Mario/);
  await enrollments.save();
  await expect(await fieldError(enrollments.dialog(), 'Anno scolastico')).toContainText('già iscritto');
  await enrollments.dialog().getByRole('button', { name: 'Annulla' }).click();

  // E2: renewal into the next year, prefilled drafts
  await enrollments.renew(office.years.current.label, office.years.next.label);
  await expect(page.getByTestId('renew-created')).toHaveText('1');
  await expect(page.getByTestId('renew-skipped')).toHaveText('0');
  await snap(page, screenshotDir, '32-rinnovo');
  await page.getByRole('dialog').getByRole('button', { name: 'Chiudi', exact: true }).last().click();

  await expect(page.getByRole('textbox', { name: 'Filtra per anno scolastico' })).toHaveValue(office.years.next.label);
  await expect(enrollments.total()).toHaveText('1 iscrizione');
  const renewed = enrollments.table().locator('tbody tr[data-index="0"]');
  await expect(renewed).toContainText('Bozza');
  await expect(renewed).toContainText('4A');
  await expect(renewed).toContainText('Lun Mer Ven');

  // a second renewal skips the pupil already enrolled
  await enrollments.renew(office.years.current.label, office.years.next.label);
  await expect(page.getByTestId('renew-created')).toHaveText('0');
  await expect(page.getByTestId('renew-skipped')).toHaveText('1');
  await page.getByRole('dialog').getByRole('button', { name: 'Chiudi', exact: true }).last().click();

  // activate the draft from its card
  await renewed.click();
  const detail = page.getByTestId('enrollment-detail');
  await expect(detail.getByTestId('enrollment-status')).toHaveText('Bozza');
  await detail.getByRole('button', { name: 'Attiva' }).click();
  await expect(detail.getByTestId('enrollment-status')).toHaveText('Attiva');
  await snap(page, screenshotDir, '33-iscrizione-attivata');
  await page.getByRole('button', { name: 'Chiudi' }).click();

  // E6: withdrawal with a date and a reason, in the current year
  await pick(page, page, 'Filtra per anno scolastico', office.years.current.label);
  await expect(enrollments.total()).toHaveText('1 iscrizione');
  await enrollments.table().locator('tbody tr[data-index="0"]').click();
  await detail.getByRole('button', { name: 'Ritira' }).click();
  const withdraw = page.getByRole('dialog', { name: /Ritiro dal servizio/ });
  await withdraw.getByRole('button', { name: 'Ritira' }).click();
  await expect(await fieldError(withdraw, 'Motivo')).toBeVisible();
  await typeDate(withdraw, /Data del ritiro/, office.years.current.endsOn.split('-').reverse().join('/'));
  await withdraw.getByLabel('Motivo').fill('Trasferimento in altro comune');
  await withdraw.getByRole('button', { name: 'Ritira' }).click();
  await expect(detail.getByTestId('enrollment-status')).toHaveText('Ritirata');
  await expect(detail).toContainText('Trasferimento in altro comune');
});
