import { test, expect, snap } from './fixtures';
import { SetupPage } from './pages/setup-page';
import { Shell } from './pages/shell';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

test('primo avvio: crea l\'amministratore, offre i dati dimostrativi ed entra nel cruscotto', async ({ page, app, screenshotDir }) => {
  await page.goto(app.url);
  const setup = new SetupPage(page);
  await expect(setup.heading()).toBeVisible();
  // the launch token leaves the visible address at once
  await expect(page).not.toHaveURL(/token=/);
  await snap(page, screenshotDir, '01-primo-avvio');

  // the two passwords must agree, and the backend's rules come back in Italian under the field
  await setup.createAdmin('admin', 'Anna Ferrari', 'password-admin', 'password-diversa');
  await expect(page.locator('.mantine-InputWrapper-error', { hasText: 'Le due password non coincidono' })).toBeVisible();
  await setup.createAdmin('admin', 'Anna Ferrari', 'corta');
  await expect(page.locator('.mantine-InputWrapper-error', { hasText: 'La password deve avere almeno 8 caratteri' })).toBeVisible();

  await setup.createAdmin('admin', 'Anna Ferrari', 'password-admin');
  await setup.expectDemoOffer();
  await snap(page, screenshotDir, '02-offerta-dati-dimostrativi');
  await page.getByRole('button', { name: 'Inizia con un archivio vuoto' }).click();

  const shell = new Shell(page);
  await shell.expectUser('Anna Ferrari', 'Amministratore');
  await expect(page.getByRole('heading', { name: 'Cruscotto' })).toBeVisible();
  await expect(page.getByTestId('stat-alunni')).toContainText('0');
  await snap(page, screenshotDir, '03-cruscotto-vuoto');

  // reloading keeps the session of this window
  await page.reload();
  await shell.expectUser('Anna Ferrari', 'Amministratore');
  // another window finds the administrator already there: the login page, not the set-up
  const other = await page.context().newPage();
  await other.goto(app.url);
  await expect(other.getByRole('button', { name: 'Accedi' })).toBeVisible();
  await expect(other.getByRole('heading', { name: 'Primo avvio di Rette Mensa' })).toHaveCount(0);
});

test('dati dimostrativi dal primo avvio: ogni elenco si popola', async ({ page, app, screenshotDir }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  const setup = new SetupPage(page);
  await setup.createAdmin('admin', 'Anna Ferrari', 'password-admin');
  await setup.loadDemo(400);
  await expect(page.getByTestId('demo-result')).toContainText('400 alunni');
  await snap(page, screenshotDir, '04-dati-dimostrativi-caricati');
  await setup.enter();

  const shell = new Shell(page);
  await expect(page.getByTestId('stat-alunni')).toContainText('400');
  await snap(page, screenshotDir, '05-cruscotto');

  await shell.go('Alunni');
  await expect(page.getByTestId('list-total')).toContainText('400 alunni');
  await expect(page.getByTestId('pupils-table').getByRole('row').nth(1)).toBeVisible();
  await snap(page, screenshotDir, '06-alunni');

  // virtualised: only the rows in view are in the page, the rest load while scrolling
  const drawn = await page.getByTestId('pupils-table').locator('tbody tr[data-index]').count();
  expect(drawn).toBeLessThan(80);
  // the table is as tall as the whole list: jumping to the end loads only the last page
  await page.getByTestId('pupils-table').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(page.getByTestId('pupils-table').locator('tbody tr[data-index="399"]')).toBeVisible();
  await expect(page.getByTestId('pupils-table').locator('tbody tr[data-loading]')).toHaveCount(0);
  await page.getByTestId('pupils-table').evaluate((el) => el.scrollTo(0, 0));

  // sort by codice fiscale, descending: the header toggles
  await page.getByRole('button', { name: 'Ordina per Codice fiscale' }).click();
  await page.getByRole('button', { name: 'Ordina per Codice fiscale' }).click();
  await expect(page.getByTestId('pupils-table').locator('tbody tr[data-loading]')).toHaveCount(0);
  const first = await page.getByTestId('pupils-table').locator('tbody tr[data-index="0"] td').nth(2).innerText();
  const second = await page.getByTestId('pupils-table').locator('tbody tr[data-index="1"] td').nth(2).innerText();
  expect(first >= second).toBe(true);

  await shell.go('Paganti');
  await expect(page.getByTestId('payers-table').locator('tbody tr[data-index]').first()).toBeVisible();
  await snap(page, screenshotDir, '07-paganti');

  await shell.go('Iscrizioni');
  await expect(page.getByTestId('enrollments-table').locator('tbody tr[data-index]').first()).toBeVisible();
  await snap(page, screenshotDir, '08-iscrizioni');
  await page.getByTestId('enrollments-table').locator('tbody tr[data-index="0"]').click();
  await expect(page.getByTestId('enrollment-detail')).toBeVisible();
  await snap(page, screenshotDir, '09-scheda-iscrizione');
  await page.getByRole('button', { name: 'Chiudi' }).click();

  await shell.go('Comuni');
  await expect(page.getByRole('cell', { name: 'Clusone' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '09:30' })).toBeVisible();
  await snap(page, screenshotDir, '10-comuni');

  await shell.go('Anni scolastici');
  await snap(page, screenshotDir, '11-anni-scolastici');

  await shell.go('Scuole e classi');
  await page.getByTestId('schools-table').getByRole('row').nth(1).click();
  await expect(page.getByTestId('classes-table')).toBeVisible();
  await snap(page, screenshotDir, '12-scuole-e-classi');

  await shell.go('Tariffe');
  await expect(page.getByTestId('tariffs-table')).toContainText('6,18');
  await snap(page, screenshotDir, '13-tariffe');

  await shell.go('Importazione');
  await snap(page, screenshotDir, '14-importazione');

  await shell.go('Utenti');
  await snap(page, screenshotDir, '15-utenti');

  await shell.go('Registro modifiche');
  await expect(page.getByTestId('audit-table')).toContainText('Dati dimostrativi');
  await page.getByTestId('audit-table').getByRole('row').filter({ hasText: 'Dati dimostrativi' }).first().click();
  await expect(page.getByTestId('audit-diff')).toContainText('Alunni');
  await snap(page, screenshotDir, '16-registro-modifiche');
});
