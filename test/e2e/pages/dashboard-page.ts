import { expect, type Page } from '@playwright/test';

/** The dashboard's "Da fare oggi" card: the worklist and its one action on the arrears. */
export class DashboardWorklist {
  constructor(private readonly page: Page) {}

  card = () => this.page.getByTestId('worklist');
  arrears = () => this.page.getByTestId('worklist-arrears');
  item = (key: string) => this.page.getByTestId(`worklist-${key}`);

  /** "Chiudi tutte le N giornate in ordine", then the confirmation: resolves to the dialog's text. */
  async closeArrears(days: string) {
    await this.arrears().getByRole('button', { name: `Chiudi tutte le ${days} giornate in ordine` }).click();
    const dialog = this.page.getByRole('dialog', { name: `Chiudere ${days} giornate passate?` });
    await expect(dialog).toBeVisible();
    const text = await dialog.innerText();
    await dialog.getByRole('button', { name: `Chiudi le ${days} giornate` }).click();
    return text;
  }
}

/** Marks the page so a test can tell it was not reloaded (a reload forgets the mark). */
export async function markPage(page: Page) {
  await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
}

export async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded === true)).toBe(true);
}
