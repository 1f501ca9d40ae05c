import path from 'node:path';
import { test, expect } from './fixtures';
import { BackendApi } from './pages/backend-api';
import { SetupPage } from './pages/setup-page';
import { Shell } from './pages/shell';

// the office's screen size; no modal caught half-way through its animation
test.use({ viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' });

const DETAIL = 'date, orari limite e chiusure seguono questo orologio, non quello reale';

test.describe('orologio di prova fermo', () => {
  test.use({ clock: { at: '2026-11-16T08:30:00+01:00', mode: 'fisso' } });

  test('l’orologio di prova è annunciato su ogni schermata: primo avvio, cruscotto, ogni pagina del menu, accesso', async ({ page, app, screenshotDir }) => {
    const shotAt = (name: string) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
    const banner = page.getByTestId('practice-clock-banner');
    const text = `Orologio di prova: lunedì 16/11/2026 08:30, fermo · ${DETAIL}`;

    await page.goto(app.url);
    const setup = new SetupPage(page);
    await expect(setup.heading()).toBeVisible();
    await expect(banner).toHaveText(text);
    await expect(banner).toHaveAttribute('data-mode', 'fisso');
    await shotAt('90-orologio-prova-primo-avvio');

    await setup.createAdmin('admin', 'Anna Ferrari', 'password-admin');
    await setup.expectDemoOffer();
    await expect(banner).toHaveText(text);
    await page.getByRole('button', { name: 'Inizia con un archivio vuoto' }).click();

    // the dashboard's today is the practice day, from the backend (system.info)
    const shell = new Shell(page);
    await expect(page.getByText('Oggi è 16/11/2026.', { exact: false })).toBeVisible();
    await expect(banner).toHaveText(text);
    // the banner sits above the header, the header stays whole
    const bannerBox = (await banner.boundingBox())!;
    const userBox = (await page.getByTestId('current-user').boundingBox())!;
    expect(bannerBox.y).toBe(0);
    expect(userBox.y).toBeGreaterThanOrEqual(bannerBox.y + bannerBox.height);
    await shotAt('91-orologio-prova-cruscotto');

    const labels = await shell.nav().getByRole('link').allInnerTexts();
    expect(labels.length).toBeGreaterThanOrEqual(10);
    for (const label of labels) {
      await shell.go(label.trim());
      await expect(banner, `striscia dell’orologio di prova nella pagina ${label}`).toHaveText(text);
    }
    await shell.go('Calendario del servizio');
    await shotAt('92-orologio-prova-calendario');

    // the browser stands at the same moment as the server
    expect(await page.evaluate(() => new Date().toISOString())).toBe('2026-11-16T07:30:00.000Z');
    expect((await app.now()).toISOString()).toBe('2026-11-16T07:30:00.000Z');

    await shell.logout();
    await expect(banner).toHaveText(text);
    await shotAt('93-orologio-prova-accesso');
  });
});

test('l’orologio di prova che scorre parte dall’istante scelto e lo dice; le richieste seguono quell’orologio', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await Shell.open(page, app, 'admin', 'password-admin');
  const banner = page.getByTestId('practice-clock-banner');
  await expect(banner).toHaveAttribute('data-mode', 'in-corsa');
  await expect(banner).toHaveText(new RegExp(`^Orologio di prova: partito da lunedì 16/11/2026 08:30, ora 08:3\\d · ${DETAIL}$`));
  await page.screenshot({ path: path.join(screenshotDir, '94-orologio-prova-in-corsa.png') });
  // a municipality created now is stamped a few moments after 08:30 of that Monday, not today
  await api.call('municipalities.create', { name: 'Clusone', province: 'BG', cutoffTime: '09:30' });
  const audit = await api.call('audit.list', { procedure: 'municipalities.create' });
  expect(audit.rows).toHaveLength(1);
  const created = audit.rows[0];
  const at = Date.parse(created.at);
  expect(at).toBeGreaterThanOrEqual(Date.parse('2026-11-16T07:30:00Z'));
  expect(at).toBeLessThan(Date.parse('2026-11-16T07:40:00Z'));
});
