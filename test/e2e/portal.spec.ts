import { test, expect, snap } from './fixtures';
import { BackendApi, seedOffice } from './pages/backend-api';
import { Shell } from './pages/shell';
import { PresencePage } from './pages/attendance-pages';
import { NewsPage, PortalSyncPage } from './pages/portal-pages';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';
import { VALID_PAYER } from '../support/people';
import { startSandbox, type Sandbox } from '../portal-sandbox/server';

/**
 * Issue 13 end to end, against the sandbox portal: Monday 16 November 2026 at 09:45 in Clusone
 * (cutoff 09:30), the day already closed. From the portal come a cancellation the family made at
 * 09:10 (on time, arriving after the close), one made at 09:40 (late) and one for a pupil the
 * office does not know. «Sincronizza ora»: the closed day is corrected (the presence calendar
 * shows it), the late one stays as evidence, the unknown pupil waits in the review queue with its
 * reason in Italian; a news item the office writes reaches the portal.
 */
test.use({ clock: { at: '2026-11-16T09:45:00+01:00' }, viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' });
test.describe.configure({ timeout: 300_000 });

let sandbox: Sandbox;
test.beforeEach(async () => {
  sandbox = await startSandbox({ families: [] });
});
test.afterEach(async () => {
  await sandbox.close();
});

const cf = (lastName: string, firstName: string, birthDate: string, sex: 'M' | 'F') => buildCodiceFiscale({ lastName, firstName, birthDate, sex, belfiore: 'C800' });

test('il portale: disdetta in tempo arrivata dopo la chiusura corregge la giornata, quella tardiva resta come prova, l\'alunno sconosciuto va in revisione, la news arriva al portale', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const office = await seedOffice(api);
  const payer = await api.call('payers.create', VALID_PAYER);
  const enroll = async (firstName: string, lastName: string, birthDate: string, sex: 'M' | 'F') => {
    const pupil = await api.call('pupils.create', { firstName, lastName, birthDate, taxCode: cf(lastName, firstName, birthDate, sex), schoolId: office.school.id, classId: office.cls.id });
    await api.call('enrollments.create', {
      pupilId: pupil.id,
      payerId: payer.id,
      schoolYearId: office.year.id,
      schoolId: office.school.id,
      classId: office.cls.id,
      weekdays: [1, 2, 3, 4, 5],
      paymentMethod: 'prepagato',
      startsOn: '2026-11-02',
      activate: true,
    });
    return pupil;
  };
  const onTime = await enroll('Giulia', 'Rossi', '2017-04-12', 'F');
  const late = await enroll('Marco', 'Verdi', '2017-09-03', 'M');
  // the day is closed: both meals recorded and charged
  const closed = await api.call('attendance.closeDay', { date: '2026-11-16', municipalityId: office.clusone.id });
  expect(closed.results[0].meals).toBe(2);

  // the office uses the sandbox portal
  await api.call('portal.settings.update', {
    adapter: 'rest',
    baseUrl: sandbox.url,
    credential: sandbox.token,
    folder: '',
    outboundFormat: 'json',
    intervalMinutes: 60,
    pageSize: 200,
    timeoutSeconds: 20,
    version: 0,
  });
  const unknownCf = cf('Bruni', 'Carla', '2016-02-20', 'F');
  sandbox.enqueue([
    { id: 'app-0910', type: 'cancellation', occurredAt: '2026-11-16T09:10:00+01:00', channel: 'app', pupilTaxCode: onTime.taxCode, date: '2026-11-16' },
    { id: 'app-0940', type: 'cancellation', occurredAt: '2026-11-16T09:40:00+01:00', channel: 'portale', pupilTaxCode: late.taxCode, date: '2026-11-16' },
    { id: 'app-ignoto', type: 'cancellation', occurredAt: '2026-11-16T08:50:00+01:00', channel: 'app', pupilTaxCode: unknownCf, date: '2026-11-16' },
  ]);

  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  // a news item for the families
  const news = new NewsPage(page);
  await news.open();
  await expect(page.getByTestId('empty-archive')).toContainText('Nessun avviso scritto per le famiglie');
  await news.write('Sciopero del 20 novembre', 'Venerdì 20 novembre il servizio mensa potrebbe non essere garantito.');
  await snap(page, screenshotDir, 'portal-news-1366x768');

  const sync = new PortalSyncPage(page);
  await sync.open();
  await sync.syncNow();
  await expect(sync.outcome()).toHaveText('Riuscita', { timeout: 60_000 });
  await expect(sync.counts()).toContainText('Ricevuti3');
  await expect(sync.counts()).toContainText('In revisione1');
  await snap(page, screenshotDir, 'portal-sync-1366x768');

  // the unknown pupil waits for the office, with the reason in Italian
  await sync.tab('Da rivedere');
  await expect(sync.reviewRows()).toHaveCount(1);
  await expect(sync.reviewRows().first()).toContainText(`Nessun alunno registrato con il codice fiscale ${unknownCf}`);
  await sync.reviewRows().first().getByRole('button', { name: 'Dati' }).click();
  await expect(page.getByText('"id": "app-ignoto"')).toBeVisible();
  await snap(page, screenshotDir, 'portal-review-1366x768');

  // what came in: the on-time one applied to the closed day, the late one recorded as late
  await sync.tab('Arrivati');
  await expect(sync.inboundRows()).toHaveCount(3);
  await expect(sync.inboundRow(onTime.taxCode)).toContainText('Applicato');
  await expect(sync.inboundRow(late.taxCode)).toContainText(/tardiva|oltre l'orario limite/i);

  // the news reached the portal
  await expect.poll(() => [...sandbox.received().values()].filter((e) => e.type === 'news').map((e) => (e as { title: string }).title)).toEqual(['Sciopero del 20 novembre']);
  await sync.tab('Pubblicati');
  await page.getByTestId('outbox-filter').getByText('Pubblicati', { exact: true }).click();
  await expect(sync.outboxRows().filter({ hasText: 'Sciopero del 20 novembre' })).toContainText('Pubblicato');
  await snap(page, screenshotDir, 'portal-outbox-1366x768');

  // the closed day is corrected: the presence history shows it; the late meal stays charged
  const history = await api.call('attendance.history', { pupilId: onTime.id, from: '2026-11-16', to: '2026-11-16' });
  expect(history.days[0]).toMatchObject({ status: 'rettificato_assente', charged: false, dayClosed: true });
  const lateHistory = await api.call('attendance.history', { pupilId: late.id, from: '2026-11-16', to: '2026-11-16' });
  expect(lateHistory.days[0]).toMatchObject({ status: 'disdetta_tardiva', charged: true, lateCancellation: true });
  await shell.go('Presenze e disdette');
  const presence = new PresencePage(page);
  await presence.choosePupil('Rossi', /Rossi Giulia/);
  await expect(presence.dayHeader('2026-11-16')).toHaveAttribute('data-status', 'rettificato_assente');

  // at 1920x1080 the sync screen is readable too
  await page.setViewportSize({ width: 1920, height: 1080 });
  await sync.open();
  await expect(sync.outcome()).toHaveText('Riuscita');
  await snap(page, screenshotDir, 'portal-sync-1920x1080');
});
