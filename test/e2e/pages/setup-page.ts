import { expect, type Page } from '@playwright/test';

/** First start: the administrator form, then the demo-data offer. */
export class SetupPage {
  constructor(private readonly page: Page) {}

  heading = () => this.page.getByRole('heading', { name: 'Primo avvio di Rette Mensa' });

  async createAdmin(username: string, displayName: string, password: string, confirm = password) {
    await this.page.getByLabel('Nome utente').fill(username);
    await this.page.getByLabel('Nome visualizzato').fill(displayName);
    await this.page.getByLabel(/^Password/).fill(password);
    await this.page.getByLabel('Conferma password').fill(confirm);
    await this.page.getByRole('button', { name: 'Crea amministratore' }).click();
  }

  async expectDemoOffer() {
    await expect(this.page.getByRole('heading', { name: 'Amministratore creato' })).toBeVisible();
    await expect(this.page.getByRole('button', { name: 'Carica dati dimostrativi' })).toBeVisible();
  }

  async loadDemo(pupils: number) {
    await this.page.getByLabel('Numero di alunni dimostrativi').fill(String(pupils));
    await this.page.getByRole('button', { name: 'Carica dati dimostrativi' }).click();
    await expect(this.page.getByTestId('demo-result')).toBeVisible({ timeout: 60_000 });
  }

  async enter() {
    await this.page.getByRole('button', { name: /Entra nel programma|Inizia con un archivio vuoto/ }).click();
  }
}
