import type { Page } from '@playwright/test';
import { test, expect, snap } from './fixtures';
import { BackendApi } from './pages/backend-api';
import { Shell } from './pages/shell';
import { DayClosePage } from './pages/attendance-pages';
import { seedDemoOffice } from './pages/canteen-data';
import { DashboardWorklist, expectNotReloaded, markPage } from './pages/dashboard-page';

/**
 * The office's Monday morning (issue 12): the demo office was set up in September and no day was
 * ever closed (the program was not running at the cutoffs). The dashboard says so, closes every
 * past day in order with one action, and every open window follows without a reload.
 *
 * Fixed clock: Monday 16 November 2026, 08:30 in Rome, before both cutoffs, so the program's own
 * day close does not run during the test and today is not yet due.
 */
test.use({ clock: { at: '2026-11-16T08:30:00+01:00', mode: 'fisso' } });
test.describe.configure({ timeout: 300_000 });

const fmt = new Intl.NumberFormat('it-IT', { useGrouping: 'always' });

async function shots(page: Page, dir: string, name: string) {
  for (const [w, h] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.evaluate(() => window.scrollTo(0, 0));
    await snap(page, dir, `${name}-${w}x${h}`);
  }
}

test('cruscotto: le giornate passate da chiudere (settembre-novembre) si chiudono tutte in ordine con un\'azione; il cruscotto e un\'altra scheda si aggiornano senza ricaricare', async ({
  page,
  app,
  context,
  screenshotDir,
}) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  await seedDemoOffice(app);
  const before = await api.call('dashboard.worklist', {});
  expect(before.today).toBe('2026-11-16');
  const municipalities = before.arrears.municipalities.map((m) => m.municipalityName);
  expect(municipalities).toEqual(['Cassino', 'Clusone']);
  // from the first enrolled day in September up to Friday 13 November, on both municipalities
  for (const m of before.arrears.municipalities) {
    expect(m.from < '2026-09-30').toBe(true);
    expect(m.to).toBe('2026-11-13');
  }
  const days = before.arrears.days;
  expect(days).toBeGreaterThan(60);

  // the first tab: the dashboard
  await Shell.open(page, app, 'admin', 'password-admin');
  const worklist = new DashboardWorklist(page);
  await expect(worklist.arrears()).toContainText(`${fmt.format(days)} giornate passate da chiudere`);
  for (const m of before.arrears.municipalities) {
    await expect(page.getByTestId(`arrears-${m.municipalityId}`)).toContainText(
      `Comune di ${m.municipalityName}: ${fmt.format(m.days)} giornate dal ${m.from.split('-').reverse().join('/')} al 13/11/2026`,
    );
  }
  // the other items open the screen that resolves them (here: the calendar, which has no Christmas break)
  await expect(worklist.item('vacanze-2026/2027')).toContainText('Anno 2026/2027: nel calendario mancano le vacanze di Natale');
  await shots(page, screenshotDir, 'worklist-10-arretrati');

  // the second tab: the day close of Thursday 12 November, still to close in both municipalities
  const second = await context.newPage();
  await Shell.open(second, app, 'admin', 'password-admin');
  await new Shell(second).go('Chiusura giornata');
  const dayClose = new DayClosePage(second);
  await dayClose.setDay('12/11/2026');
  for (const m of municipalities) await expect(dayClose.row(m)).toContainText('Da chiudere');
  await markPage(page);
  await markPage(second);

  // another clerk closes Friday 13 by hand: the dashboard's count follows without a reload
  await api.call('attendance.closeDay', { date: '2026-11-13' });
  await expect(worklist.arrears()).toContainText(`${fmt.format(days - 2)} giornate passate da chiudere`);
  await expectNotReloaded(page);

  // one action closes all the others, in order
  await page.bringToFront();
  const confirmText = await worklist.closeArrears(fmt.format(days - 2));
  expect(confirmText).toContain('dalla più vecchia');
  await expect(page.getByText(`Chiuse ${fmt.format(days - 2)} giornate arretrate`)).toBeVisible({ timeout: 120_000 });
  await expect(worklist.arrears()).toHaveCount(0);
  await expectNotReloaded(page);
  await shots(page, screenshotDir, 'worklist-20-chiuse');

  // every past day is closed now, September's too
  const after = await api.call('dashboard.worklist', {});
  expect(after.arrears.days).toBe(0);
  const september = await api.call('attendance.dayStatus', { date: before.arrears.municipalities[0].from });
  expect(september.find((s) => s.municipalityId === before.arrears.municipalities[0].municipalityId)).toMatchObject({ closed: true, mode: 'manuale' });

  // the other tab followed too, without a reload
  for (const m of municipalities) await expect(dayClose.row(m)).toContainText('Chiusa');
  await expectNotReloaded(second);
  await shots(second, screenshotDir, 'worklist-30-altra-scheda');

  // an item opens the screen that resolves it, already filtered: the draft enrollments
  expect(before.draftEnrollments).toBeGreaterThan(1);
  await page.bringToFront();
  await expect(worklist.item('bozze')).toContainText(`${fmt.format(before.draftEnrollments)} iscrizioni in bozza`);
  await worklist.item('bozze').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Iscrizioni' })).toBeVisible();
  await expect(page.getByPlaceholder('Stato')).toHaveValue('Bozza');
  await expect(page.getByRole('row').filter({ hasText: 'Bozza' }).first()).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Attiva' })).toHaveCount(0);

  // P5: the SDD payers without an active mandate open the payers list filtered on the same rule
  const missing = await api.call('payers.list', { sddWithoutMandateYearId: before.sddWithoutMandateYearId! });
  expect(missing.total).toBe(before.sddWithoutMandate);
  expect(missing.total).toBeGreaterThan(0);
  await new Shell(page).go('Cruscotto');
  await worklist.item('sdd').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Paganti' })).toBeVisible();
  await expect(page.getByTestId('payers-sdd-filter')).toHaveText('Iscritti SDD senza mandato attivo');
  await expect(page.getByTestId('payers-table').getByRole('row').filter({ hasText: missing.rows[0].lastName }).first()).toBeVisible();
  await expect(page.getByText(`${fmt.format(missing.total)} ${missing.total === 1 ? 'pagante' : 'paganti'}`, { exact: false }).first()).toBeVisible();
});
