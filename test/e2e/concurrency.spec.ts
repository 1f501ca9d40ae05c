import { test, expect, snap } from './fixtures';
import { BackendApi, PUPIL, seedOffice } from './pages/backend-api';
import { PupilsPage } from './pages/pupils-page';
import { Shell } from './pages/shell';
import type { Page } from '@playwright/test';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

/** Opens the pupil's page from the list and its edit form. */
async function openPupilForm(page: Page, shell: Shell) {
  await shell.go('Alunni');
  await new PupilsPage(page).table().getByRole('row').filter({ hasText: `${PUPIL.lastName} ${PUPIL.firstName}` }).click();
  await page.getByRole('button', { name: 'Modifica', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Salva modifiche' })).toBeVisible();
  return dialog;
}

test('issue 14: due impiegati modificano lo stesso alunno; il secondo salvataggio è rifiutato con chi e quando, nel modulo, e «Ricarica» mostra i dati salvati', async ({ page, app, browser, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  await api.call('pupils.create', { ...PUPIL, schoolId: office.school.id, classId: office.cls.id });
  await api.call('users.create', { username: 'mario', displayName: 'Mario Rossi', role: 'operatore', password: 'password-mario' });
  await api.call('users.create', { username: 'giulia', displayName: 'Giulia Bianchi', role: 'operatore', password: 'password-giulia' });

  // two clerks, two browsers (separate sessions), one server
  const contextB = await browser.newContext({ locale: 'it-IT', timezoneId: 'Europe/Rome', viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
  const pageB = await contextB.newPage();
  await pageB.clock.install({ time: await app.now() });
  try {
    const shellA = await Shell.open(page, app, 'mario', 'password-mario');
    const shellB = await Shell.open(pageB, app, 'giulia', 'password-giulia');

    // both open the same pupil
    const formA = await openPupilForm(page, shellA);
    const formB = await openPupilForm(pageB, shellB);

    // Mario saves first
    await formA.getByLabel('Note').fill('Allergico alle arachidi: avvisata la cucina');
    await formA.getByRole('button', { name: 'Salva modifiche' }).click();
    await expect(page.locator('.mantine-Notification-root').filter({ hasText: 'salvati' }).last()).toBeVisible();

    // Giulia, on the version she loaded, saves second: refused, in the form, naming Mario and when
    await formB.getByLabel('Note').fill('Cambio di sezione a gennaio');
    await formB.getByRole('button', { name: 'Salva modifiche' }).click();
    const alert = formB.getByTestId('conflict-alert');
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(/Nel frattempo Mario Rossi ha modificato questo alunno \(16 nov 2026, \d{2}:\d{2}\)\. Ricarica per vedere i suoi dati: le tue modifiche non sono state salvate\./);
    // nothing typed is lost until the explicit «Ricarica»
    await expect(formB.getByLabel('Note')).toHaveValue('Cambio di sezione a gennaio');
    await snap(pageB, screenshotDir, '90-conflitto-alunno');

    // nothing was overwritten: the database holds Mario's note
    const stored = await api.call('pupils.list', { search: PUPIL.lastName });
    expect(stored.rows[0].notes).toBe('Allergico alle arachidi: avvisata la cucina');

    // «Ricarica»: Giulia sees Mario's data, and her own save now goes through
    await alert.getByRole('button', { name: 'Ricarica' }).click();
    await expect(formB.getByTestId('conflict-alert')).toHaveCount(0);
    await expect(formB.getByLabel('Note')).toHaveValue('Allergico alle arachidi: avvisata la cucina');
    await formB.getByLabel('Note').fill('Allergico alle arachidi: avvisata la cucina. Cambio di sezione a gennaio');
    await formB.getByRole('button', { name: 'Salva modifiche' }).click();
    await expect(pageB.locator('.mantine-Notification-root').filter({ hasText: 'salvati' }).last()).toBeVisible();
    expect((await api.call('pupils.list', { search: PUPIL.lastName })).rows[0].notes).toBe('Allergico alle arachidi: avvisata la cucina. Cambio di sezione a gennaio');
  } finally {
    await contextB.close();
  }
});
