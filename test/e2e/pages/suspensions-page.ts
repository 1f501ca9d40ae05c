import { expect, type Locator, type Page } from '@playwright/test';
import { box, fieldError, pick, search, typeDate } from './controls';

/** «Sospensioni» (D2): the list, a family's panel, the suspension and lift dialogs. */
export class SuspensionsPage {
  constructor(private readonly page: Page) {}

  list = () => this.page.getByTestId('suspensions-table').first();
  panel = () => this.page.getByTestId('family-suspensions');
  dialog = (): Locator => this.page.getByRole('dialog');

  async openFamily(payerSearch: string, payerOption: string | RegExp) {
    await search(this.page, this.page, 'Pagante', payerSearch, payerOption);
    await expect(this.panel()).toBeVisible();
  }

  async openSuspensionDialog() {
    await this.panel().getByRole('button', { name: 'Sospendi il servizio' }).click();
    await expect(this.dialog().getByTestId('suspension-notice')).toBeVisible();
  }

  startLabel = 'Inizio della sospensione (primo giorno senza pasto)';

  async setStart(ddmmyyyy: string) {
    await typeDate(this.dialog(), this.startLabel, ddmmyyyy);
  }

  startError = () => fieldError(this.dialog(), this.startLabel);

  async uncheckPupil(name: RegExp) {
    await this.dialog().getByRole('checkbox', { name }).uncheck();
  }

  async confirmSuspension(reason: string) {
    await this.dialog().getByRole('textbox', { name: 'Motivo della decisione' }).fill(reason);
    await this.dialog().getByRole('button', { name: 'Sospendi il servizio' }).click();
    await expect(this.dialog()).toBeHidden();
  }

  async lift(row: Locator, reason: 'Pagamento del debito' | 'Piano di rientro concordato' | "Decisione dell'ufficio", note: string) {
    await row.getByRole('button', { name: 'Revoca sospensione' }).click();
    await this.dialog().getByText(reason).click();
    await box(this.dialog(), 'Nota').fill(note);
    await this.dialog().getByRole('button', { name: 'Revoca la sospensione' }).click();
    await expect(this.dialog()).toBeHidden();
  }

  async pickMunicipality(name: string) {
    await pick(this.page, this.page, 'Comune', name);
  }
}
