import { expect, type Page } from '@playwright/test';
import { box, pick } from './controls';

export class UsersPage {
  constructor(private readonly page: Page) {}

  dialog = () => this.page.getByRole('dialog');
  table = () => this.page.getByTestId('users-table');

  async create(username: string, displayName: string, role: 'Operatore' | 'Supervisore' | 'Amministratore', password: string) {
    await this.page.getByRole('button', { name: 'Nuovo utente' }).click();
    const d = this.dialog();
    await box(d, 'Nome utente').fill(username);
    await box(d, 'Nome visualizzato').fill(displayName);
    await pick(this.page, d, 'Ruolo', role);
    await box(d, 'Password iniziale').fill(password);
    await box(d, 'Conferma password').fill(password);
    await d.getByRole('button', { name: 'Crea utente' }).click();
    await expect(this.dialog()).toHaveCount(0);
    await expect(this.table().getByRole('row', { name: new RegExp(username) })).toBeVisible();
  }
}
