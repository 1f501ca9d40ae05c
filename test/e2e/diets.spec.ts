import { test, expect, snap } from './fixtures';
import { BackendApi, PAYER, PUPIL, seedOffice } from './pages/backend-api';
import { Shell } from './pages/shell';
import { KitchenReportPage } from './pages/attendance-pages';
import { DietApprovalPage, DietsPage } from './pages/diets-pages';
import { pdfBytes } from '../unit/diets/fixtures';

/**
 * Special diets end to end, on Monday 16 November 2026 at 08:30 (the fixture's moment): an
 * operator records a medical request with its PDF certificate; the operator cannot approve it
 * (DI6); a supervisor opens the certificate in the program and approves it; the kitchen report of
 * the next service day (Tuesday 17) lists the pupil in 3A with the diet, its allergens and «NUOVA».
 */
test.describe.configure({ timeout: 180_000 });

test('dieta medica: l’operatore la registra con il certificato PDF, il supervisore lo apre e la approva, la cucina la vede il giorno di servizio successivo', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  await api.call('users.create', { username: 'mrossi', displayName: 'Mario Rossi', role: 'operatore', password: 'password-operatore' });
  await api.call('users.create', { username: 'gverdi', displayName: 'Giulia Verdi', role: 'supervisore', password: 'password-supervisore' });
  const pupil = await api.call('pupils.create', { ...PUPIL, schoolId: office.school.id, classId: office.cls.id });
  const payer = await api.call('payers.create', PAYER);
  await api.call('enrollments.create', {
    pupilId: pupil.id,
    schoolYearId: office.year.id,
    payerId: payer.id,
    schoolId: office.school.id,
    classId: office.cls.id,
    weekdays: [1, 2, 3, 4, 5],
    paymentMethod: 'prepagato',
    startsOn: office.years.current.startsOn,
    activate: true,
  });

  // the operator records the request received by e-mail, with the certificate
  let shell = await Shell.open(page, app, 'mrossi', 'password-operatore');
  await shell.go('Diete speciali');
  const diets = new DietsPage(page);
  await diets.openForm();
  await diets.choosePupil('Bianchi', /Bianchi Luca/);
  await diets.chooseDiets('Uova', 'Latte');
  // DI2: without the certificate the request is refused, under the file field
  await diets.submit();
  await expect(diets.form().getByText(/richiede il certificato medico/)).toBeVisible();
  await diets.attachCertificate({ name: 'certificato-bianchi.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Allergia a uova e latte') });
  await diets.submit();
  await expect(diets.form()).toBeHidden();
  // the new request opens: waiting for a supervisor, the operator cannot approve it (DI6)
  await expect(diets.detail().getByTestId('diet-status')).toHaveText('In attesa');
  await expect(diets.detail().getByTestId('diet-waiting-supervisor')).toBeVisible();
  await expect(diets.detail().getByRole('button', { name: 'Approva' })).toHaveCount(0);
  await snap(page, screenshotDir, '90-diete-richiesta');
  await page.keyboard.press('Escape');
  await expect(diets.row('Bianchi Luca')).toContainText('Uova, Latte');
  const refused = await api.raw('diets.decide', { id: (await api.call('diets.list', {}))[0].id, decision: 'approvata' }, await api.login('mrossi', 'password-operatore'));
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  await shell.logout();

  // the supervisor opens the certificate in the program and approves
  shell = await Shell.open(page, app, 'gverdi', 'password-supervisore');
  await shell.go('Approvazione diete');
  const approval = new DietApprovalPage(page);
  await expect(approval.queue()).toContainText('Bianchi Luca');
  await approval.openCertificate();
  await expect(approval.viewer().getByTestId('certificate-pdf')).toHaveAttribute('src', /^blob:/);
  await expect(approval.viewer()).toContainText('certificato-bianchi.pdf');
  await snap(page, screenshotDir, '91-diete-approvazione');
  await approval.approve();
  await expect(approval.queue()).toContainText('Nessuna dieta medica in attesa');

  // every opening is on record (F5)
  const log = await api.call('audit.list', { procedure: 'diets.attachment' });
  expect(log.rows.map((r) => [r.username, r.action])).toEqual([['gverdi', 'apertura certificato']]);

  // the kitchen report of the next service day
  await shell.go('Riepilogo pasti');
  const kitchen = new KitchenReportPage(page);
  await kitchen.setDay('17/11/2026');
  const row = kitchen.classRow('Scuola primaria Dante Alighieri', '3A');
  const diet = row.getByTestId('kitchen-diet');
  await expect(diet).toContainText('Bianchi Luca');
  await expect(diet).toContainText('Uova, Latte');
  await expect(diet.getByTestId('kitchen-diet-allergens')).toContainText('Uova, Latte');
  await expect(diet.getByTestId('kitchen-diet-new')).toHaveText('NUOVA');
  await snap(page, screenshotDir, '92-diete-cucina');
});

test('rinnovo (DI1), elenco per scuola e catalogo: le famiglie da avvisare per il nuovo anno, l’elenco dell’anno in Excel, i 14 allergeni', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  const pupil = await api.call('pupils.create', { ...PUPIL, schoolId: office.school.id, classId: office.cls.id });
  const payer = await api.call('payers.create', PAYER);
  await api.call('enrollments.create', {
    pupilId: pupil.id, schoolYearId: office.year.id, payerId: payer.id, schoolId: office.school.id, classId: office.cls.id,
    weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato', startsOn: office.years.current.startsOn, activate: true,
  });
  const catalogue = await api.call('diets.catalogue', {});
  const vegetarian = catalogue.find((t) => t.code === 'vegetariana')!;
  const request = await api.call('diets.create', { pupilId: pupil.id, schoolYearId: office.year.id, category: 'etico_religiosa', dietTypeIds: [vegetarian.id], source: 'iscrizione', receivedOn: office.years.current.startsOn });
  await api.call('diets.decide', { id: request.id, decision: 'approvata' });

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Elenco diete per scuola');
  const list = page.getByTestId('diet-school-list');
  await expect(list).toContainText('Scuola primaria Dante Alighieri');
  await expect(list.getByRole('row').filter({ hasText: 'Bianchi Luca' })).toContainText('Vegetariana');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Esporta Excel' }).click();
  expect((await download).suggestedFilename()).toMatch(/^diete-2026-2027-.*\.xlsx$/);

  await shell.go('Rinnovo diete');
  await page.getByRole('textbox', { name: 'Anno scolastico', exact: true }).click();
  await page.getByRole('option', { name: '2027/2028' }).click();
  await expect(page.getByTestId('renewal-deadline')).toContainText('30/09/2027');
  // not enrolled yet in 2027/2028: among all the diets to renew, not among the families to remind
  await page.getByText('Tutte', { exact: true }).click();
  const row = page.getByTestId('renewals-table').getByRole('row').filter({ hasText: 'Bianchi Luca' });
  await expect(row).toContainText('Nessuna richiesta');
  await expect(row).toContainText('Vegetariana');
  await snap(page, screenshotDir, '93-diete-rinnovo');

  await shell.go('Catalogo diete');
  const table = page.getByTestId('diet-catalogue');
  await expect(table.getByRole('row').filter({ hasText: 'Allergene (Reg. UE 1169/2011)' })).toHaveCount(14);
  await expect(table).toContainText('Senza carne di maiale');
});
