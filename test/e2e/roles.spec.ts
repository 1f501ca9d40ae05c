import { test, expect, snap } from './fixtures';
import { BackendApi } from './pages/backend-api';
import { Shell } from './pages/shell';
import { UsersPage } from './pages/users-page';
import { LoginPage } from './pages/login-page';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

test('ruoli: l\'amministratore crea un operatore, che non vede Utenti e Registro e viene rifiutato dal backend con FORBIDDEN', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin('admin', 'password-admin', 'Anna Ferrari');

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Utenti');
  const users = new UsersPage(page);
  await users.create('giulia', 'Giulia Neri', 'Operatore', 'password-giulia');
  await expect(users.table()).toContainText('Giulia Neri');
  await expect(users.table()).toContainText('Operatore');
  await snap(page, screenshotDir, '40-utenti');
  await shell.logout();

  await new LoginPage(page).login('giulia', 'password-giulia');
  await shell.expectUser('Giulia Neri', 'Operatore');
  await expect(shell.navLink('Alunni')).toBeVisible();
  await expect(shell.navLink('Iscrizioni')).toBeVisible();
  await expect(shell.navLink('Utenti')).toHaveCount(0);
  await expect(shell.navLink('Registro modifiche')).toHaveCount(0);
  // a typed address does not open what the role cannot use
  await page.evaluate(() => {
    window.location.hash = '/utenti';
  });
  await expect(page.getByRole('heading', { level: 2, name: 'Utenti' })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 2, name: 'Cruscotto' })).toBeVisible();
  await snap(page, screenshotDir, '41-cruscotto-operatore');

  // the backend is the real guard: the operatore's own session, straight to users.list
  const answer = await page.evaluate(async () => {
    const res = await fetch('/api/users.list', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${sessionStorage.getItem('rette.launchToken')}`,
        'X-Rette-Session': sessionStorage.getItem('rette.session') ?? '',
      },
      body: '{}',
    });
    return { status: res.status, body: await res.json() };
  });
  expect(answer.status).toBe(403);
  expect(answer.body.ok).toBe(false);
  expect(answer.body.error.code).toBe('FORBIDDEN');
  expect(answer.body.error.message).toMatch(/amministratore/);

  // and an operatore cannot create a comune either, even from outside the page
  const session = await api.login('giulia', 'password-giulia');
  const refused = await api.raw('municipalities.create', { name: 'Bergamo', cutoffTime: '09:00' }, session);
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.error.code).toBe('FORBIDDEN');
});
