import { expect, type Page } from '@playwright/test';

export class ImportPage {
  constructor(private readonly page: Page) {}

  summary = () => this.page.getByTestId('import-summary');
  verdict = () => this.page.getByTestId('import-verdict');
  preview = () => this.page.getByTestId('import-preview');
  importButton = () => this.page.getByTestId('import-commit');
  result = () => this.page.getByTestId('import-result');

  /** Chooses the file and waits for the preview job to finish. */
  async choose(file: { name: string; buffer: Buffer; mimeType: string }) {
    await this.page.locator('input[type="file"]').setInputFiles(file);
    await expect(this.summary()).toBeVisible({ timeout: 60_000 });
  }
}
