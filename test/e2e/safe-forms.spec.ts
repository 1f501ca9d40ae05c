import { test, expect, snap } from './fixtures';
import { BackendApi, PAYER, seedOffice } from './pages/backend-api';
import { box, pick, search } from './pages/controls';
import { Shell } from './pages/shell';
import { buildCodiceFiscale } from '../../electron/identifiers/codice-fiscale';

// Monday 16 November 2026, 08:30 in Rome (fixtures' DEFAULT_CLOCK): Clusone's cutoff is 09:30.
// Screens at the commonest office laptop size; no modals caught half-way through their animation.
test.use({ reducedMotion: 'reduce', viewport: { width: 1366, height: 768 } });

const ANNA = { firstName: 'Anna', lastName: 'Bianchi', birthDate: '2017-05-20', taxCode: buildCodiceFiscale({ lastName: 'Bianchi', firstName: 'Anna', birthDate: '2017-05-20', sex: 'F', belfiore: 'C800' }) };
const LUCA = { firstName: 'Luca', lastName: 'Verdi', birthDate: '2017-03-15', taxCode: buildCodiceFiscale({ lastName: 'Verdi', firstName: 'Luca', birthDate: '2017-03-15', sex: 'M', belfiore: 'C800' }) };
const GIULIA = { firstName: 'Giulia', lastName: 'Neri', birthDate: '2018-01-12', taxCode: buildCodiceFiscale({ lastName: 'Neri', firstName: 'Giulia', birthDate: '2018-01-12', sex: 'F', belfiore: 'C800' }) };

/** Clusone's office with Anna and Luca enrolled (class 3A), each with a badge. */
async function officeWithTwoPupils(api: BackendApi) {
  await api.setupAdmin();
  const office = await seedOffice(api);
  const payer = await api.call('payers.create', PAYER);
  const pupils = [];
  for (const p of [ANNA, LUCA]) {
    const pupil = await api.call('pupils.create', { ...p, schoolId: office.school.id, classId: office.cls.id });
    await api.call('enrollments.create', { pupilId: pupil.id, payerId: payer.id, schoolYearId: office.year.id, schoolId: office.school.id, classId: office.cls.id, weekdays: [1, 2, 3, 4, 5], paymentMethod: 'prepagato', activate: true });
    pupils.push(pupil);
  }
  return { office, payer, anna: pupils[0], luca: pupils[1] };
}

test("il selettore dell'alunno offre solo chi corrisponde a ciò che si è scritto: freccia giù + Invio sceglie Luca, mai la bambina scelta prima; la scheda Telefono dice il giorno della disdetta", async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  const { anna, luca } = await officeWithTwoPupils(api);
  await Shell.open(page, app, 'admin', 'password-admin');
  await new Shell(page).go('Presenze e disdette');

  await search(page, page, 'Alunno', 'bianchi', /Bianchi Anna/);
  await expect(page.getByTestId('pupil-summary')).toContainText(`Codice utente ${anna.userCode}`);
  const picker = box(page, 'Alunno');
  // badge and class in the box: two children of the same name differ there
  await expect(picker).toHaveValue(`Bianchi Anna · badge ${anna.userCode} · classe 3A`);

  // clicking into the filled picker selects its text: typing replaces the name, never lands in its middle
  await picker.click();
  const length = (await picker.inputValue()).length;
  await expect.poll(() => picker.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([0, length]);
  await page.keyboard.type('verdi');
  await expect(picker).toHaveValue('verdi');
  const options = page.getByRole('option');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText(`Verdi Luca · badge ${luca.userCode} · classe 3A`);
  await expect(options.first()).toContainText('Scuola primaria Dante Alighieri');
  await snap(page, screenshotDir, '120-selettore-solo-corrispondenze');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(picker).toHaveValue(`Verdi Luca · badge ${luca.userCode} · classe 3A`);
  await expect(page.getByTestId('pupil-summary')).toContainText(`Codice utente ${luca.userCode}`);

  // the phone tab names the day before the button is pressed: today, before Clusone's 09:30 cutoff
  await page.getByRole('tab', { name: 'Telefono' }).click();
  await expect(page.getByTestId('phone-landing')).toHaveText('Una disdetta telefonica adesso vale per lunedì 16/11/2026.');
  await snap(page, screenshotDir, '121-telefono-giorno-della-disdetta');
  await page.getByRole('button', { name: 'Disdetta telefonica', exact: true }).click();
  await expect(page.getByTestId('request-landing')).toContainText('16/11/2026');
  // the cancellation went to Luca, not to Anna
  expect((await api.call('attendance.absences', { pupilId: luca.id })).map((a) => a.date)).toEqual(['2026-11-16']);
  expect(await api.call('attendance.absences', { pupilId: anna.id })).toEqual([]);
});

test("il codice fiscale compila la data di nascita; Esc nel calendario chiude solo il calendario; Esc o un clic fuori chiedono prima di scartare i dati scritti", async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await officeWithTwoPupils(api);
  await Shell.open(page, app, 'admin', 'password-admin');
  await new Shell(page).go('Alunni');
  await page.getByRole('button', { name: 'Nuovo alunno' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nuovo alunno' });
  await expect(dialog).toBeVisible();
  await box(dialog, 'Cognome').fill(GIULIA.lastName);
  await box(dialog, 'Nome').fill(GIULIA.firstName);
  await box(dialog, 'Codice fiscale').fill(GIULIA.taxCode);
  // the birth date is read from the code (a girl: day + 40)
  await expect(box(dialog, /Data di nascita/)).toHaveValue('12/01/2018');

  // Esc in the open date picker closes the calendar only
  await box(dialog, /Data di nascita/).click();
  const calendar = page.locator('[data-dates-dropdown]');
  await expect(calendar).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(calendar).toBeHidden();
  await expect(dialog).toBeVisible();

  // Esc on the form asks before throwing away what was typed
  await page.keyboard.press('Escape');
  const confirm = page.getByRole('dialog', { name: 'Scartare le modifiche?' });
  await expect(confirm).toBeVisible();
  await snap(page, screenshotDir, '122-scartare-le-modifiche');
  await confirm.getByRole('button', { name: 'Continua a modificare' }).click();
  await expect(confirm).toBeHidden();
  await expect(box(dialog, 'Cognome')).toHaveValue('Neri');

  // a click outside asks too; "Scarta le modifiche" closes the form and saves nothing
  await page.mouse.click(5, 400);
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Scarta le modifiche' }).click();
  await expect(dialog).toBeHidden();
  expect((await api.call('pupils.list', { search: 'Neri' })).total).toBe(0);

  // an untouched form closes at once
  await page.getByRole('button', { name: 'Nuovo alunno' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(confirm).toBeHidden();
});

test("all'iscrizione un giorno senza servizio non si spunta e dice perché; «Nuovo alunno» registra l'alunna sul posto; un alunno salvato offre «Iscrivi»", async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  const { office } = await officeWithTwoPupils(api);
  // the infant school serves no meal on Wednesday
  await api.call('schools.create', { municipalityId: office.clusone.id, name: 'Scuola infanzia Rodari', kind: 'infanzia', address: 'Via Verdi 2', serviceWeekdays: [1, 2, 4, 5] });
  await Shell.open(page, app, 'admin', 'password-admin');
  await new Shell(page).go('Iscrizioni');
  await page.getByRole('button', { name: 'Nuova iscrizione' }).click();
  const form = page.getByRole('dialog', { name: 'Nuova iscrizione al servizio mensa' });
  await expect(form).toBeVisible();

  // the pupil is created in place, as the payer is
  await form.getByRole('button', { name: 'Nuovo alunno' }).click();
  const pupilForm = page.getByRole('dialog', { name: 'Nuovo alunno' });
  await box(pupilForm, 'Cognome').fill(GIULIA.lastName);
  await box(pupilForm, 'Nome').fill(GIULIA.firstName);
  await box(pupilForm, 'Codice fiscale').fill(GIULIA.taxCode);
  await expect(box(pupilForm, /Data di nascita/)).toHaveValue('12/01/2018');
  await pick(page, pupilForm, 'Scuola', 'Scuola infanzia Rodari');
  await pupilForm.getByRole('button', { name: 'Registra alunno' }).click();
  await expect(pupilForm).toBeHidden();
  await expect(form).toBeVisible();
  await expect(box(form, 'Alunno')).toHaveValue(/^Neri Giulia · badge \d{8}$/);
  await expect(box(form, 'Scuola')).toHaveValue('Scuola infanzia Rodari');

  // Wednesday: not served, cannot be ticked, the calendar's reason beside it
  const wednesday = form.getByRole('checkbox', { name: 'Mercoledì' });
  await expect(wednesday).toBeDisabled();
  await expect(wednesday).not.toBeChecked();
  await expect(form.getByText('La scuola non ha servizio mensa il mercoledì')).toBeVisible();
  await expect(form.getByRole('checkbox', { name: 'Giovedì' })).toBeChecked();
  await search(page, form, 'Pagante', 'rossi', /Rossi Mario/);
  await snap(page, screenshotDir, '123-iscrizione-giorno-senza-servizio');
  await form.getByRole('button', { name: 'Registra iscrizione' }).click();
  // a girl is "iscritta"
  await expect(page.getByText(/Neri Giulia iscritta per l'anno/)).toBeVisible();
  // Clusone's enrollment window is closed (seedOffice): registered, with the E1 warning
  await page.getByRole('button', { name: 'Ho capito' }).click();
  const [enrollment] = (await api.call('enrollments.list', { search: 'Neri' })).rows;
  expect(enrollment?.weekdays).toEqual([1, 2, 4, 5]);

  // a saved pupil offers "Iscrivi": the enrollment form opens with the pupil chosen
  await new Shell(page).go('Alunni');
  await page.getByRole('button', { name: 'Nuovo alunno' }).click();
  const marco = page.getByRole('dialog', { name: 'Nuovo alunno' });
  await box(marco, 'Cognome').fill('Gialli');
  await box(marco, 'Nome').fill('Marco');
  await box(marco, 'Codice fiscale').fill(buildCodiceFiscale({ lastName: 'Gialli', firstName: 'Marco', birthDate: '2017-02-02', sex: 'M', belfiore: 'C800' }));
  await pick(page, marco, 'Scuola', 'Scuola primaria Dante Alighieri');
  await pick(page, marco, 'Classe', /3A/);
  await marco.getByRole('button', { name: 'Registra alunno' }).click();
  await expect(page.getByTestId('pupil-codes')).toContainText('Alunno registrato: codici generati');
  const badge = await page.getByTestId('user-code').innerText();
  await page.getByTestId('pupil-enroll').click();
  const enroll = page.getByRole('dialog', { name: 'Nuova iscrizione al servizio mensa' });
  await expect(box(enroll, 'Alunno')).toHaveValue(`Gialli Marco · badge ${badge} · classe 3A`);
});
