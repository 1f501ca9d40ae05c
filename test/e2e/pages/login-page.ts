import { expect, type Page } from '@playwright/test';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async login(username: string, password: string) {
    await this.page.getByLabel('Nome utente').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Accedi' }).click();
  }

  error = () => this.page.getByTestId('login-error');

  async expectVisible() {
    await expect(this.page.getByRole('button', { name: 'Accedi' })).toBeVisible();
  }
}
