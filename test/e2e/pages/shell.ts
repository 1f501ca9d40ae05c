import { expect, type Page } from '@playwright/test';
import type { AppServer } from '../fixtures';
import { LoginPage } from './login-page';

/** The application frame: header with the user, navigation on the left. */
export class Shell {
  constructor(private readonly page: Page) {}

  nav = () => this.page.getByRole('navigation', { name: 'Navigazione principale' });
  navLink = (label: string) => this.nav().getByRole('link', { name: label, exact: true });

  async go(label: string) {
    await this.navLink(label).click();
    await expect(this.page.getByRole('heading', { level: 2, name: label })).toBeVisible();
  }

  async expectUser(displayName: string, role: string) {
    await expect(this.page.getByTestId('current-user')).toHaveText(displayName);
    await expect(this.page.getByTestId('current-role')).toHaveText(role);
  }

  async logout() {
    await this.page.getByTestId('user-menu').click();
    await this.page.getByRole('menuitem', { name: 'Esci' }).click();
    await new LoginPage(this.page).expectVisible();
  }

  /** Opens the app at its launch URL and logs in. */
  static async open(page: Page, app: AppServer, username: string, password: string): Promise<Shell> {
    await page.goto(app.url);
    await new LoginPage(page).login(username, password);
    const shell = new Shell(page);
    // the password check is deliberately slow (key derivation): generous on a loaded machine
    await expect(shell.nav()).toBeVisible({ timeout: 30_000 });
    return shell;
  }
}
