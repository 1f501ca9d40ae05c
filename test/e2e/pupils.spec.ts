import { test, expect, snap } from './fixtures';
import { BackendApi, PUPIL, PUPIL_BAD_TAX_CODE, seedOffice } from './pages/backend-api';
import { PupilsPage } from './pages/pupils-page';
import { Shell } from './pages/shell';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

const itDate = (iso: string) => iso.split('-').reverse().join('/');

test('alunno con codice fiscale errato: errore sotto il campo e nulla salvato; poi quello giusto con i codici generati (E3, E5)', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedOffice(api);

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Alunni');
  const pupils = new PupilsPage(page);
  await expect(pupils.total()).toHaveText('0 alunni');

  await pupils.openNew();
  // nothing filled: every mandatory field says so, under itself
  await pupils.save();
  await expect(await pupils.errorUnder('Cognome')).toHaveText('Campo obbligatorio');
  await expect(await pupils.errorUnder('Scuola')).toHaveText(/mancante|obbligatori/);

  await pupils.fill({ ...PUPIL, taxCode: PUPIL_BAD_TAX_CODE, birthDate: itDate(PUPIL.birthDate), school: 'Scuola primaria Dante Alighieri', schoolClass: /^3A/ });
  await pupils.save();
  const cfError = await pupils.errorUnder('Codice fiscale');
  await expect(cfError).toBeVisible();
  await expect(cfError).toContainText(/carattere di controllo|codice fiscale/i);
  await expect(await pupils.errorUnder('Cognome')).toHaveCount(0);
  await expect(page.locator('.mantine-Notification-root').filter({ hasText: 'Dati non salvati' }).last()).toBeVisible();
  await snap(page, screenshotDir, '22-alunno-codice-fiscale-errato');

  // nothing saved: neither in the list nor in the database (read by the CLI on the same file)
  const check = await app.cli(['call', 'pupils.list', '{}']);
  expect(check.code).toBe(0);
  expect(JSON.parse(check.stdout).total).toBe(0);

  await pupils.dialog().getByLabel('Codice fiscale').fill(PUPIL.taxCode.toLowerCase());
  await pupils.save();
  await expect(pupils.dialog().getByTestId('pupil-codes')).toContainText('Alunno registrato');
  const userCode = (await pupils.dialog().getByTestId('user-code').innerText()).trim();
  const phoneCode = (await pupils.dialog().getByTestId('phone-code').innerText()).trim();
  expect(userCode).toMatch(/^\d{8}$/);
  expect(phoneCode).toMatch(/^\d{6}$/);
  expect(phoneCode).not.toBe(userCode);
  await snap(page, screenshotDir, '23-alunno-registrato');
  await pupils.dialog().getByRole('button', { name: 'Chiudi', exact: true }).last().click();

  await expect(pupils.total()).toHaveText('1 alunno');
  await expect(pupils.table()).toContainText(PUPIL.taxCode);
  await pupils.search(userCode);
  await expect(pupils.table()).toContainText('Bianchi Luca');
  await pupils.search('nessuno-così');
  await expect(pupils.total()).toHaveText('0 alunni');

  // a second pupil with the same codice fiscale is refused, under the field
  await pupils.search('');
  await pupils.openNew();
  await pupils.fill({ ...PUPIL, firstName: 'Luca Maria', birthDate: itDate(PUPIL.birthDate), school: 'Scuola primaria Dante Alighieri' });
  await pupils.save();
  await expect(await pupils.errorUnder('Codice fiscale')).toContainText('già registrato');
});
