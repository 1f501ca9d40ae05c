import { expect, type Locator, type Page } from '@playwright/test';
import { box, typeDate } from './controls';

/** Clicks a button that makes the page hand over a file, and returns where Playwright saved it with its name. */
async function download(page: Page, button: Locator): Promise<{ path: string; name: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { path: await d.path(), name: d.suggestedFilename() };
}

/** Morosità: the morning worklist. */
export class DebtWorklistPage {
  constructor(private readonly page: Page) {}

  tab = (name: RegExp) => this.page.getByRole('tab', { name });
  newSteps = () => this.page.getByTestId('debts-new-steps');
  newStepRows = () => this.newSteps().getByTestId('new-step-row');
  newStepRow = (payerName: string) => this.newStepRows().filter({ hasText: payerName });
  awaitingRows = () => this.page.getByTestId('debts-awaiting').getByTestId('awaiting-row');
  paused = () => this.page.getByTestId('debts-paused');
  done = () => this.page.getByTestId('letters-done');

  async choose(payerName: string) {
    await this.newSteps().getByRole('checkbox', { name: `Scegli ${payerName}` }).check();
  }

  /** "Genera lettere": the dialog says what will be sent; confirming records the steps and downloads one PDF. */
  async generateLetters(expectSummary: RegExp[], beforeConfirm?: () => Promise<void>): Promise<{ path: string; name: string }> {
    await this.page.getByTestId('generate-letters').click();
    const dialog = this.page.getByTestId('generate-letters-dialog');
    for (const line of expectSummary) await expect(dialog.locator('tbody tr').filter({ hasText: line })).toHaveCount(1);
    await beforeConfirm?.();
    const file = await download(this.page, dialog.getByRole('button', { name: 'Registra e scarica le lettere' }));
    await expect(dialog).toBeHidden();
    return file;
  }

  async openFamily(payerName: string) {
    await this.page.getByTestId('family-link').filter({ hasText: payerName }).first().click();
    await expect(this.page.getByRole('heading', { level: 2, name: 'Fascicolo della famiglia' })).toBeVisible();
    await expect(this.page.getByTestId('family-name')).toHaveText(payerName);
  }
}

/** Registra consegna: date, receipt number, the scanned receipt. */
export class DeliveryDialog {
  readonly root: Locator;
  constructor(private readonly page: Page, payerName: string) {
    this.root = page.getByRole('dialog', { name: `Registra consegna · ${payerName}` });
  }

  async fill(o: { deliveredOn: string; receiptNumber: string; file: { name: string; mimeType: string; buffer: Buffer } }) {
    await typeDate(this.root, 'Consegnata il', o.deliveredOn);
    await box(this.root, 'Numero della raccomandata').fill(o.receiptNumber);
    await this.root.locator('input[type="file"]').setInputFiles(o.file);
    await expect(this.root.getByText(o.file.name)).toBeVisible();
  }

  async save() {
    await this.root.getByRole('button', { name: 'Registra consegna' }).click();
    await expect(this.root).toBeHidden();
  }
}

/** Fascicolo della famiglia. */
export class DebtFamilyPage {
  constructor(private readonly page: Page) {}

  owed = () => this.page.getByTestId('family-owed');
  nextStep = () => this.page.getByTestId('family-next-step');
  history = () => this.page.getByTestId('family-history').getByTestId('history-row');
  plans = () => this.page.getByTestId('family-plans');
  exemption = () => this.page.getByTestId('family-exemption');

  /** A new instalment plan of `n` monthly instalments as proposed (the debt split in equal parts). */
  async createPlan(n: number, payerName: string) {
    await this.plans().getByRole('button', { name: 'Nuovo piano di rientro' }).click();
    const dialog = this.page.getByRole('dialog', { name: `Nuovo piano di rientro · ${payerName}` });
    await dialog.getByRole('button', { name: `${n} rate mensili` }).click();
    await expect(dialog.getByTestId('plan-instalments').locator('tbody tr')).toHaveCount(n);
    await box(dialog, /Nota/).fill('Accordo telefonico con la madre');
    await dialog.getByRole('button', { name: 'Registra il piano' }).click();
    await expect(dialog).toBeHidden();
  }

  /** Opens the stored letter of a history row in the viewer; returns the viewer. */
  async viewLetter(row: Locator) {
    await row.getByRole('button', { name: 'Vedi' }).click();
    const viewer = this.page.getByTestId('document-viewer');
    await expect(viewer.getByTestId('document-pdf')).toBeVisible();
    return viewer;
  }

  async downloadLetter(row: Locator) {
    return download(this.page, row.getByRole('button', { name: 'Scarica' }));
  }
}

/** Procedure di recupero: the ladder of one municipality. */
export class LadderPage {
  constructor(private readonly page: Page) {}

  steps = () => this.page.getByTestId('ladder-step');
  step = (n: number) => this.steps().nth(n - 1);

  async remove(n: number) {
    await this.page.getByRole('button', { name: `Togli il passo ${n}` }).click();
  }

  async setDaysSincePrevious(n: number, days: number) {
    const input = box(this.step(n), /^Giorni dal/);
    await input.fill(String(days));
  }

  async allowSuspension() {
    await this.page.getByRole('switch', { name: /Sospendere il servizio/ }).check();
  }

  async save() {
    await this.page.getByRole('button', { name: 'Salva la procedura' }).click();
    await expect(this.page.getByText('Procedura salvata')).toBeVisible();
  }
}
