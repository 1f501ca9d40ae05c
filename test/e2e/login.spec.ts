import { test, expect, snap } from './fixtures';
import { BackendApi } from './pages/backend-api';
import { LoginPage } from './pages/login-page';
import { Shell } from './pages/shell';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

test('accesso: password errata con messaggio in italiano, poi quella giusta; cambio password e uscita', async ({ page, app, screenshotDir }) => {
  await new BackendApi(app).setupAdmin('admin', 'password-admin', 'Anna Ferrari');
  await page.goto(app.url);
  const login = new LoginPage(page);
  await login.expectVisible();
  await snap(page, screenshotDir, '20-accesso');

  await login.login('admin', 'sbagliata!');
  await expect(login.error()).toHaveText('Nome utente o password errati');
  await snap(page, screenshotDir, '21-accesso-errato');

  await login.login('admin', 'password-admin');
  const shell = new Shell(page);
  await shell.expectUser('Anna Ferrari', 'Amministratore');

  // change password: the current one is checked, the new one is used at the next login
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Cambia password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cambia password' });
  await dialog.getByLabel('Password attuale').fill('non-questa');
  await dialog.getByLabel('Nuova password', { exact: true }).fill('nuova-password-1');
  await dialog.getByLabel('Conferma nuova password').fill('nuova-password-1');
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog.getByText('Password attuale errata')).toBeVisible();
  await dialog.getByLabel('Password attuale').fill('password-admin');
  await dialog.getByRole('button', { name: 'Salva' }).click();
  await expect(dialog).toHaveCount(0);

  await shell.logout();
  await login.login('admin', 'password-admin');
  await expect(login.error()).toHaveText('Nome utente o password errati');
  await login.login('admin', 'nuova-password-1');
  await shell.expectUser('Anna Ferrari', 'Amministratore');
});
