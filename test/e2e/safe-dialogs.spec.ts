import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { BackendApi, PAYER, PUPIL, seedOffice } from './pages/backend-api';
import { box } from './pages/controls';
import { AccountPage } from './pages/money-pages';
import { ServiceCalendarPage } from './pages/service-calendar-page';
import { Shell } from './pages/shell';

/**
 * Issue 12, the other dialogs with something to type (money, credit, calendar): Esc, a click
 * outside or × ask «Scartare le modifiche?» when something was typed, and "Continua a modificare"
 * keeps it; Esc in an open list closes only the list. Monday 16 November 2026, 08:30 in Rome.
 */
test.use({ reducedMotion: 'reduce', viewport: { width: 1366, height: 768 } });
test.describe.configure({ timeout: 180_000 });

/** the picker's option: name, then badge and class (or the codice fiscale) */
const PUPIL_OPTION = /Bianchi Luca/;

/** Clusone's office with Luca Bianchi enrolled (prepaid). */
async function officeWithPupil(api: BackendApi) {
  await api.setupAdmin();
  const office = await seedOffice(api);
  const payer = await api.call('payers.create', { ...PAYER, iban: null, ibanHolder: null });
  const pupil = await api.call('pupils.create', { ...PUPIL, schoolId: office.school.id, classId: office.cls.id });
  await api.call('enrollments.create', { pupilId: pupil.id, payerId: payer.id, schoolYearId: office.year.id, schoolId: office.school.id, classId: office.cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato', activate: true });
  return office;
}

const discard = (page: Page) => page.getByRole('dialog', { name: 'Scartare le modifiche?' });

/** Esc asks, "Continua a modificare" goes back to the dialog with the typed value still there. */
async function escAsksAndKeeps(page: Page, dialog: Locator, field: Locator, typed: string) {
  await page.keyboard.press('Escape');
  await expect(discard(page)).toBeVisible();
  await discard(page).getByRole('button', { name: 'Continua a modificare' }).click();
  await expect(discard(page)).toBeHidden();
  await expect(dialog).toBeVisible();
  await expect(field).toHaveValue(typed);
}

test("un pagamento scritto a metà non si perde con Esc: prima chiede «Scartare le modifiche?»; Esc nell'elenco del mezzo di pagamento chiude solo l'elenco", async ({ page, app }) => {
  const api = new BackendApi(app);
  await officeWithPupil(api);
  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go("Conto dell'alunno");
  const account = new AccountPage(page);
  await account.choosePupil('Bianchi', PUPIL_OPTION);

  // nothing typed yet: Esc closes at once
  let modal = await account.open('Pagamento');
  await page.keyboard.press('Escape');
  await expect(modal.root).toBeHidden();
  await expect(discard(page)).toBeHidden();

  modal = await account.open('Pagamento');
  await modal.amount().fill('12,50');
  // Esc in the open list of the channel closes the list, not the dialog
  await box(modal.root, 'Mezzo di pagamento').click();
  await expect(page.getByRole('listbox')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('listbox')).toBeHidden();
  await expect(modal.root).toBeVisible();
  await expect(discard(page)).toBeHidden();

  await escAsksAndKeeps(page, modal.root, modal.amount(), '12,50');
  // "Scarta le modifiche" closes, and nothing was registered
  await page.keyboard.press('Escape');
  await discard(page).getByRole('button', { name: 'Scarta le modifiche' }).click();
  await expect(modal.root).toBeHidden();
  await expect(account.movements()).toHaveText(['Nessun movimento']);
});

test('la soglia di avviso del credito: un clic fuori chiede prima di scartare il nuovo importo', async ({ page, app }) => {
  const api = new BackendApi(app);
  await officeWithPupil(api);
  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Credito e solleciti');
  await page.getByRole('button', { name: /Soglia di avviso/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Soglia di avviso del credito mensa' });
  await expect(dialog).toBeVisible();
  const amount = box(dialog, 'Avvisare le famiglie con credito sotto');
  await amount.fill('7,00');
  // a click on the dimmed page beside the window
  await page.mouse.click(15, 740);
  await expect(discard(page)).toBeVisible();
  await discard(page).getByRole('button', { name: 'Continua a modificare' }).click();
  await expect(dialog).toBeVisible();
  await expect(amount).toHaveValue('7,00');
  await escAsksAndKeeps(page, dialog, amount, '7,00');
});

test("il motivo dell'annullamento di una chiusura non si perde con Esc: prima chiede «Scartare le modifiche?»", async ({ page, app }) => {
  const api = new BackendApi(app);
  const office = await officeWithPupil(api);
  await api.call('calendar.closures.create', { scope: 'comune', municipalityId: office.clusone.id, from: '2026-12-07', to: '2026-12-07', kind: 'festivita_locale', reason: 'Festa del patrono' });
  const shell = await Shell.open(page, app, 'admin', 'password-admin');
  await shell.go('Calendario del servizio');
  const cal = new ServiceCalendarPage(page);
  await cal.chooseSchool('Scuola primaria Dante Alighieri');
  await cal.closureRow('Festa del patrono').click();
  const detail = page.getByRole('dialog', { name: /Festa del patrono/ });
  await expect(detail).toBeVisible();
  await detail.getByRole('button', { name: 'Annulla chiusura' }).click();
  const reason = box(detail, "Motivo dell'annullamento");
  await reason.fill('Festa spostata');
  await escAsksAndKeeps(page, detail, reason, 'Festa spostata');
  // the closure is still in force
  await page.keyboard.press('Escape');
  await discard(page).getByRole('button', { name: 'Scarta le modifiche' }).click();
  await expect(detail).toBeHidden();
  await expect(cal.closureRow('Festa del patrono')).not.toContainText('Annullata');
});
