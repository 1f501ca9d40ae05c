import type { Locator, Page } from '@playwright/test';

/** Morosi per il comune (D1): the municipality's persistent debtors, its Excel, each family's evidence pack. */
export class DebtReportPage {
  constructor(private readonly page: Page) {}

  rows = () => this.page.getByTestId('report-table').getByTestId('report-row');
  total = () => this.page.getByTestId('report-total');

  async chooseMunicipality(name: string) {
    await this.page.getByRole('textbox', { name: 'Comune' }).click();
    await this.page.getByRole('option', { name, exact: true }).click();
  }

  /** Clicks a button that hands over a file; returns where Playwright saved it and its name. */
  async download(button: Locator): Promise<{ path: string; name: string }> {
    const [d] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    return { path: await d.path(), name: d.suggestedFilename() };
  }
}
