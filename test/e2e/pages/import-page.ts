import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class ImportPage {
  constructor(private readonly page: Page) {}

  summary = () => this.page.getByTestId('import-summary');
  verdict = () => this.page.getByTestId('import-verdict');
  preview = () => this.page.getByTestId('import-preview');
  questions = () => this.page.getByTestId('import-questions');
  importButton = () => this.page.getByTestId('import-commit');
  validButton = () => this.page.getByTestId('import-valid');
  result = () => this.page.getByTestId('import-result');

  /** Chooses the file and waits for the preview job to finish. */
  async choose(file: { name: string; buffer: Buffer; mimeType: string }) {
    await this.page.locator('input[type="file"]').setInputFiles(file);
    await expect(this.summary()).toBeVisible({ timeout: 60_000 });
  }

  /** The preview opens on the rows with errors when there are some: show them all. */
  async showAllRows() {
    await this.page.getByText('Tutte', { exact: true }).click();
  }

  /** Clicks `button` and waits for the file it downloads. */
  async download(button: Locator): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    return download;
  }
}
