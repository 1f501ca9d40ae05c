import { expect, type Page } from '@playwright/test';

/** The header's global search (issue 12): Ctrl+K or "/", then a name or a code; Enter opens the page. */
export class GlobalSearchBox {
  constructor(private readonly page: Page) {}

  input = () => this.page.getByTestId('global-search');
  results = () => this.page.getByTestId('global-search-results');
  hits = () => this.page.getByTestId('global-search-hit');

  async open(shortcut: 'Control+K' | '/' = 'Control+K') {
    await this.page.keyboard.press(shortcut);
    await expect(this.input()).toBeFocused();
  }

  async type(text: string) {
    await this.page.keyboard.type(text);
  }
}

/** A pupil's page (#/alunni/ID) and a payer's page (#/paganti/ID). */
export class FamilyPages {
  constructor(private readonly page: Page) {}

  pupil = () => this.page.getByTestId('pupil-page');
  payer = () => this.page.getByTestId('payer-page');
  title = () => this.page.getByRole('heading', { level: 2 });

  async expectPupil(id: number, name: string) {
    await expect(this.pupil()).toBeVisible();
    await expect(this.title()).toHaveText(name);
    expect(new URL(this.page.url()).hash).toBe(`#/alunni/${id}`);
  }

  async expectPayer(id: number, name: string) {
    await expect(this.payer()).toBeVisible();
    await expect(this.title()).toHaveText(name);
    expect(new URL(this.page.url()).hash).toBe(`#/paganti/${id}`);
  }
}
