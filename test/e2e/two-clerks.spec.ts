import type { Browser, Page } from '@playwright/test';
import { test, expect, snap, type AppServer } from './fixtures';
import { BackendApi, PUPIL, seedOffice } from './pages/backend-api';
import { box } from './pages/controls';
import { PupilsPage } from './pages/pupils-page';
import { Shell } from './pages/shell';

/**
 * Issue 14, working together: two clerks signed in as two different users on one server, each in
 * their own browser context (own session, own change-notice stream); and a clerk whose save meets
 * an unreachable server keeps everything typed.
 */
test.use({ reducedMotion: 'reduce' });

const itDate = (iso: string) => iso.split('-').reverse().join('/');
const DANTE = 'Scuola primaria Dante Alighieri';

/** A second browser context on the same server, on the server's clock (as the fixture's page). */
async function secondClerk(browser: Browser, app: AppServer): Promise<Page> {
  const context = await browser.newContext({ locale: 'it-IT', timezoneId: 'Europe/Rome', viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.clock.install({ time: await app.now() });
  return page;
}

test('due impiegati, due utenti: quello che registra A compare nell’elenco aperto di B senza ricaricare', async ({ page, app, browser, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedOffice(api);
  await api.call('users.create', { username: 'mrossi', displayName: 'Mario Rossi', role: 'operatore', password: 'password-operatore' });

  const a = await Shell.open(page, app, 'admin', 'password-admin');
  const pageB = await secondClerk(browser, app);
  try {
    const b = await Shell.open(pageB, app, 'mrossi', 'password-operatore');
    await b.expectUser('Mario Rossi', 'Operatore');
    await a.expectUser('Anna Ferrari', 'Amministratore');

    await b.go('Alunni');
    const listB = new PupilsPage(pageB);
    await expect(listB.total()).toHaveText('0 alunni');

    await a.go('Alunni');
    const formA = new PupilsPage(page);
    await formA.openNew();
    await formA.fill({ ...PUPIL, birthDate: itDate(PUPIL.birthDate), school: DANTE, schoolClass: /^3A/ });
    await formA.save();
    await expect(formA.dialog().getByTestId('pupil-codes')).toContainText('Alunno registrato');

    // B did nothing: the server's change notice refreshed the open list
    await expect(listB.total()).toHaveText('1 alunno');
    await expect(listB.table()).toContainText('Bianchi Luca');
    await snap(pageB, screenshotDir, 'issue14-b-vede-alunno-di-a');
  } finally {
    await pageB.context().close();
  }
});

test('server non raggiungibile durante il salvataggio: avviso con nuovo tentativo, il modulo resta aperto con quanto scritto, poi si salva', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedOffice(api);
  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Alunni');
  const pupils = new PupilsPage(page);
  await pupils.openNew();
  await pupils.fill({ ...PUPIL, birthDate: itDate(PUPIL.birthDate), school: DANTE, schoolClass: /^3A/ });

  // the network drops under the save, and the server stays away while the banner counts down
  await page.route('**/api/pupils.create', (route) => route.abort('connectionrefused'));
  await page.route('**/api/auth.status', (route) => route.abort('connectionrefused'));
  await pupils.save();
  const banner = page.getByTestId('server-non-raggiungibile');
  await expect(banner).toContainText(/Server non raggiungibile: nuovo tentativo tra \d+ s/);
  await expect(banner.getByRole('button', { name: 'Riprova ora' })).toBeVisible();
  await expect(pupils.dialog()).toBeVisible();
  await expect(box(pupils.dialog(), 'Cognome')).toHaveValue(PUPIL.lastName);
  await expect(box(pupils.dialog(), 'Nome')).toHaveValue(PUPIL.firstName);
  await expect(box(pupils.dialog(), 'Codice fiscale')).toHaveValue(PUPIL.taxCode);
  await snap(page, screenshotDir, 'issue14-server-non-raggiungibile');

  // «Riprova ora» while still away: the banner stays
  await banner.getByRole('button', { name: 'Riprova ora' }).click();
  await expect(banner).toContainText(/Server non raggiungibile/);

  // the server is back: «Riprova ora» clears the banner, the same form saves what was typed
  await page.unroute('**/api/pupils.create');
  await page.unroute('**/api/auth.status');
  await banner.getByRole('button', { name: 'Riprova ora' }).click();
  await expect(banner).toHaveCount(0);
  await pupils.save();
  await expect(pupils.dialog().getByTestId('pupil-codes')).toContainText('Alunno registrato');
  const check = await app.cli(['call', 'pupils.list', '{}']);
  expect(JSON.parse(check.stdout).total).toBe(1);
});
