import { test, expect, snap } from './fixtures';
import { BackendApi, PAYER } from './pages/backend-api';
import { box, fieldError } from './pages/controls';
import { Shell } from './pages/shell';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

test('pagante con indirizzo strutturato, IBAN e delegati (F2, P5): gli errori del delegato sotto la sua riga', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Paganti');
  await page.getByRole('button', { name: 'Nuovo pagante' }).click();
  const d = page.getByRole('dialog', { name: 'Nuovo pagante' });
  await box(d, 'Cognome').fill(PAYER.lastName);
  await box(d, 'Nome').fill(PAYER.firstName);
  await box(d, 'Codice fiscale').fill(PAYER.taxCode);
  await box(d, 'E-mail').fill('mario.rossi@');
  await box(d, 'Cellulare').fill(PAYER.mobile);
  await box(d, 'Via / piazza').fill(PAYER.street);
  await box(d, 'Civico').fill(PAYER.streetNumber);
  await box(d, 'CAP').fill(PAYER.postcode);
  await box(d, 'Comune').fill(PAYER.town);
  await box(d, 'Provincia').fill(PAYER.province);
  await box(d, 'IBAN').fill('IT60 X054 2811 1010 0000 0123 456');
  await box(d, 'Intestatario del conto').fill(PAYER.ibanHolder);
  await d.getByRole('button', { name: 'Aggiungi delegato' }).click();
  await box(d, 'Cognome delegato 1').fill('Rossi');
  await box(d, 'Nome delegato 1').fill('Mario');
  await box(d, 'Codice fiscale delegato 1').fill(PAYER.taxCode);
  await d.getByRole('button', { name: 'Registra pagante' }).click();
  await expect(await fieldError(d, 'E-mail')).toHaveText('Indirizzo e-mail non valido');
  await snap(page, screenshotDir, '64-pagante-errori');

  await box(d, 'E-mail').fill(PAYER.email);
  await d.getByRole('button', { name: 'Registra pagante' }).click();
  // the delegate cannot be the payer: the message is under the delegate's codice fiscale
  await expect(await fieldError(d, 'Codice fiscale delegato 1')).toHaveText('Il delegato non può essere il pagante stesso');
  await box(d, 'Cognome delegato 1').fill('Bianchi');
  await box(d, 'Nome delegato 1').fill('Anna');
  await box(d, 'Codice fiscale delegato 1').fill('BNCNNA80A41H501R');
  await d.getByRole('button', { name: 'Registra pagante' }).click();
  await expect(d).toHaveCount(0);

  const row = page.getByTestId('payers-table').getByRole('row', { name: /Rossi Mario/ });
  await expect(row).toContainText('IT60 X054 2811 1010 0000 0123 456');
  await expect(row).toContainText('Clusone (BG)');
  const payer = (await api.call('payers.list', {})).rows[0];
  const full = await api.call('payers.get', { id: payer.id });
  expect(full.iban).toBe(PAYER.iban);
  expect(full.delegates.map((x) => x.taxCode)).toEqual(['BNCNNA80A41H501R']);
  // a row opens the payer's page (issue 12); its "Modifica" opens the form
  await row.click();
  await page.getByTestId('payer-page').getByRole('button', { name: 'Modifica' }).click();
  await expect(box(page.getByRole('dialog'), 'Codice fiscale delegato 1')).toHaveValue('BNCNNA80A41H501R');
  await snap(page, screenshotDir, '65-pagante');
});
