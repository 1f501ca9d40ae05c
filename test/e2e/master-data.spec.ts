import { test, expect, snap } from './fixtures';
import { BackendApi, schoolYearsAroundToday } from './pages/backend-api';
import { box, fieldError, typeDate } from './pages/controls';
import { Shell } from './pages/shell';

// screenshots without modals caught half-way through their opening animation
test.use({ reducedMotion: 'reduce' });

const it = (iso: string) => iso.split('-').reverse().join('/');

test('anagrafiche: comune con orario limite e finestra, anno scolastico, scuola con giorni, classe, tariffa in euro con avviso T1', async ({ page, app, screenshotDir }) => {
  const api = new BackendApi(app);
  await api.setupAdmin();
  const years = schoolYearsAroundToday(await app.today());
  const shell = await Shell.open(page, app, 'admin', 'password-admin');

  // Comune: a bad cutoff time is refused under its field, then Clusone 09:30 with its window
  await shell.go('Comuni');
  await page.getByRole('button', { name: 'Nuovo comune' }).click();
  const m = page.getByRole('dialog', { name: 'Nuovo comune' });
  await box(m, 'Nome del comune').fill('Clusone');
  await box(m, 'Provincia').fill('bg');
  await box(m, 'Orario limite disdette').fill('9.30');
  await typeDate(m, 'Apertura iscrizioni', '06/07/2026');
  await typeDate(m, 'Chiusura iscrizioni', '31/07/2026');
  await m.getByRole('button', { name: 'Salva' }).click();
  await expect(await fieldError(m, 'Orario limite disdette')).toHaveText('Orario non valido (formato HH:MM)');
  await box(m, 'Orario limite disdette').fill('09:30');
  await snap(page, screenshotDir, '60-nuovo-comune');
  await m.getByRole('button', { name: 'Salva' }).click();
  await expect(m).toHaveCount(0);
  const row = page.getByRole('row', { name: /Clusone/ });
  await expect(row).toContainText('BG');
  await expect(row).toContainText('09:30');
  await expect(row).toContainText('06/07/2026 – 31/07/2026');

  // Anno scolastico
  await shell.go('Anni scolastici');
  await page.getByRole('button', { name: 'Nuovo anno scolastico' }).click();
  const y = page.getByRole('dialog', { name: 'Nuovo anno scolastico' });
  await box(y, 'Anno scolastico').fill(years.current.label);
  await typeDate(y, 'Inizio', it(years.current.startsOn));
  await typeDate(y, 'Fine', it(years.current.endsOn));
  await y.getByRole('button', { name: 'Aggiungi' }).click();
  await expect(y).toHaveCount(0);
  await expect(page.getByRole('row', { name: new RegExp(years.current.label.replace('/', '\\/')) })).toContainText(it(years.current.startsOn));

  // Scuola with Monday and Wednesday only, then a class
  await shell.go('Scuole e classi');
  await page.getByRole('button', { name: 'Nuova scuola' }).click();
  const s = page.getByRole('dialog', { name: 'Nuova scuola' });
  await box(s, 'Nome della scuola (plesso)').fill('Scuola primaria di Fiorine');
  for (const day of ['Martedì', 'Giovedì', 'Venerdì']) await s.getByRole('checkbox', { name: day }).uncheck();
  await s.getByRole('button', { name: 'Salva' }).click();
  await expect(s).toHaveCount(0);
  const school = page.getByTestId('schools-table').getByRole('row', { name: /Fiorine/ });
  await expect(school).toContainText('Lun Mer');
  await school.click();
  await box(page, 'Nome della nuova classe').fill('4b');
  await page.getByRole('button', { name: 'Aggiungi classe' }).click();
  await expect(page.getByTestId('classes-table')).toContainText('4B');
  await box(page, 'Nome della nuova classe').fill('4B');
  await page.getByRole('button', { name: 'Aggiungi classe' }).click();
  await expect(await fieldError(page, 'Nome della nuova classe')).toContainText('esiste già');
  await snap(page, screenshotDir, '61-scuola-e-classi');

  // Tariffa: euro with a comma become cents; 5,95 + 4% = 6,18 as published, no warning
  await shell.go('Tariffe');
  await page.getByRole('button', { name: 'Nuova tariffa' }).click();
  const t = page.getByRole('dialog', { name: 'Nuova tariffa' });
  await typeDate(t, 'Valida dal', it(years.current.startsOn));
  await box(t, 'Prezzo a pasto IVA inclusa').fill('6,18');
  await box(t, 'Imponibile').fill('5,95');
  await box(t, 'Aliquota IVA').fill('4');
  await snap(page, screenshotDir, '62-nuova-tariffa');
  await t.getByRole('button', { name: 'Salva' }).click();
  await expect(t).toHaveCount(0);
  const tariff = page.getByTestId('tariffs-table').getByRole('row', { name: /Clusone/ });
  await expect(tariff).toContainText('6,18 €');
  await expect(tariff).toContainText('5,95 €');
  await expect(tariff).toContainText('4 %');
  const stored = await api.call('tariffs.list', {});
  expect(stored[0]).toMatchObject({ grossCents: 618, netCents: 595, vatRateBp: 400, warning: null });

  // a disagreement of a cent or more is saved with the backend's warning beside it (T1)
  await tariff.click();
  const edit = page.getByRole('dialog', { name: 'Modifica tariffa' });
  await box(edit, 'Prezzo a pasto IVA inclusa').fill('6,30');
  await edit.getByRole('button', { name: 'Salva' }).click();
  await expect(edit.getByTestId('tariff-warning')).toBeVisible();
  await edit.getByRole('button', { name: 'Ho capito' }).click();
  await expect(page.getByTestId('tariffs-table')).toContainText('Importi da verificare');
  await snap(page, screenshotDir, '63-tariffe-con-avviso');

  // a malformed amount never reaches the backend as a float
  await page.getByRole('button', { name: 'Nuova tariffa' }).click();
  const bad = page.getByRole('dialog', { name: 'Nuova tariffa' });
  await box(bad, 'Prezzo a pasto IVA inclusa').fill('6,185');
  await bad.getByRole('button', { name: 'Salva' }).click();
  await expect(await fieldError(bad, 'Prezzo a pasto IVA inclusa')).toContainText('Importo non valido');
});
