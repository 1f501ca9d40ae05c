import type { Page } from '@playwright/test';
import { test, expect, snap } from './fixtures';
import { BackendApi } from './pages/backend-api';
import { Shell } from './pages/shell';
import { PresencePage } from './pages/attendance-pages';
import { bookedOn, seedDemoOffice } from './pages/canteen-data';
import { FamilyPages, GlobalSearchBox } from './pages/family-pages';

// screenshots without popovers caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });
// Monday 16 November 2026, 18:30 in Rome, standing still: the phone window for Tuesday 17 is open
test.use({ clock: { at: '2026-11-16T18:30:00+01:00', mode: 'fisso' } });

const TUESDAY = '2026-11-17';

async function both(page: Page, dir: string, name: string) {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await snap(page, dir, `${name}-1920`);
  await page.setViewportSize({ width: 1366, height: 768 });
  await snap(page, dir, `${name}-1366`);
}

/** A family of the demo office with two or more children, one of whom eats on Tuesday 17. */
async function family(api: BackendApi) {
  const booked = new Set((await bookedOn(api, TUESDAY)).rows.map((r) => r.pupilId));
  const payers = (await api.call('payers.list', { limit: 1000 })).rows.filter((p) => p.pupils >= 2);
  for (const payer of payers) {
    const children = (await api.call('pupils.list', { payerId: payer.id, sort: 'birthDate' })).rows;
    const eater = children.find((c) => booked.has(c.id));
    if (eater && children.length >= 2) return { payer, children, pupil: eater, sibling: children.find((c) => c.id !== eater.id)! };
  }
  throw new Error('Nessuna famiglia con due figli nei dati dimostrativi');
}

test('issue 12: Ctrl+K e il badge portano alla pagina dell’alunno; fratello, pagante e disdetta telefonica da lì', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedDemoOffice(app, 120);
  const { payer, children, pupil, sibling } = await family(api);
  const name = (p: { lastName: string; firstName: string }) => `${p.lastName} ${p.firstName}`;

  await page.setViewportSize({ width: 1366, height: 768 });
  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Iscrizioni');
  const search = new GlobalSearchBox(page);
  const pages = new FamilyPages(page);
  await expect(page.getByTestId('global-search-hint')).toHaveAttribute('title', 'Scorciatoia: Ctrl+K oppure /');

  // Ctrl+K from any screen, the badge read from the card, Enter: the pupil's page
  await search.open('Control+K');
  await search.type(pupil.userCode);
  await expect(search.hits()).toHaveCount(1);
  await expect(search.hits().first()).toContainText(name(pupil));
  await expect(search.hits().first()).toContainText(`badge ${pupil.userCode}`);
  await expect(search.hits().first()).toContainText('per codice utente');
  await expect(search.hits().first()).toContainText(pupil.taxCode);
  await expect(search.hits().first()).toContainText(pupil.schoolName);
  await snap(page, screenshotDir, 'famiglia-01-ricerca-badge-1366');
  await page.keyboard.press('Enter');
  await pages.expectPupil(pupil.id, name(pupil));
  await expect(search.input()).toHaveValue('');
  // where the pupil is: the school and class of this year's enrollment, the same as the list says
  await expect(page.getByTestId('pupil-place')).toContainText(pupil.schoolName);
  if (pupil.className) await expect(page.getByTestId('pupil-place')).toContainText(`classe ${pupil.className}`);
  await expect(page.getByTestId('user-code')).toHaveText(pupil.userCode);
  await expect(page.getByTestId('pupil-family')).toContainText(name(payer));
  await expect(page.getByTestId('pupil-enrollments')).toContainText('2026/2027');
  await expect(page.getByTestId('pupil-month')).toContainText('Giorni di servizio');
  await expect(page.getByTestId('pupil-balances')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Alunni', exact: true })).toHaveAttribute('data-active', 'true');
  await both(page, screenshotDir, 'famiglia-02-pagina-alunno');

  // the quick action from the pupil's page: a phone cancellation lands on Tuesday 17
  const presence = new PresencePage(page);
  await presence.tab('Telefono');
  await presence.press('Disdetta telefonica');
  await presence.expectOutcome('accettata', 'Disdetta registrata');
  await expect(presence.result().getByTestId('request-landing')).toHaveText('Giorno della disdetta telefonica: martedì 17/11/2026');
  expect((await bookedOn(api, TUESDAY)).rows.map((r) => r.pupilId)).not.toContain(pupil.id);
  await snap(page, screenshotDir, 'famiglia-03-alunno-telefono-1366');

  // "Modifica" opens the pupil's form: school and class are the enrollment's, read-only there
  await page.getByTestId('pupil-page').getByRole('button', { name: 'Modifica' }).click();
  const form = page.getByRole('dialog');
  await expect(form.getByTestId('pupil-place-readonly')).toHaveValue(`${pupil.schoolName}${pupil.className ? `, classe ${pupil.className}` : ''}`);
  await expect(form.getByRole('textbox', { name: 'Scuola', exact: true })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);

  // a sibling is one click away
  await page.getByTestId('pupil-siblings').getByRole('link', { name: name(sibling) }).click();
  await pages.expectPupil(sibling.id, name(sibling));
  await expect(page.getByTestId('pupil-siblings').getByRole('link', { name: name(pupil) })).toBeVisible();

  // and so is the payer, whose page lists all the children
  await page.getByTestId('pupil-family').getByRole('link', { name: name(payer) }).click();
  await pages.expectPayer(payer.id, name(payer));
  for (const c of children) await expect(page.getByTestId('payer-children').getByRole('link', { name: name(c) })).toBeVisible();
  await expect(page.getByTestId('payer-contacts')).toContainText(payer.taxCode);
  await expect(page.getByTestId('payer-mandate')).toBeVisible();
  await both(page, screenshotDir, 'famiglia-04-pagina-pagante');

  // "/" also opens the search; a payer found by name, accents and order ignored, opens the payer's page
  await page.getByTestId('payer-children').getByRole('link', { name: name(pupil) }).click();
  await pages.expectPupil(pupil.id, name(pupil));
  await search.open('/');
  await search.type(`${payer.firstName} ${payer.lastName}`.toLowerCase());
  const payerHit = search.hits().filter({ hasText: 'Pagante' }).filter({ hasText: payer.taxCode });
  await expect(payerHit).toHaveCount(1);
  await payerHit.click();
  await pages.expectPayer(payer.id, name(payer));

  // a list row opens the page too
  await shell.go('Alunni');
  await page.getByTestId('pupils-table').getByRole('row', { name: new RegExp(pupil.taxCode) }).click();
  await pages.expectPupil(pupil.id, name(pupil));
});

test('issue 12: la ricerca dice quando non trova nessuno e non apre nulla con Invio', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedDemoOffice(app, 20);
  await page.setViewportSize({ width: 1366, height: 768 });
  await Shell.open(page, app, 'admin', 'password-admin');
  const search = new GlobalSearchBox(page);
  await search.open('Control+K');
  await search.type('zzzqqq');
  await expect(search.results()).toContainText('Nessun alunno o pagante corrisponde a «zzzqqq»');
  await snap(page, screenshotDir, 'famiglia-05-ricerca-vuota-1366');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Cruscotto' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(search.input()).not.toBeFocused();
});
