import { expect, type Page } from '@playwright/test';
import { box, search } from './controls';

/** «Diete speciali»: the requests list, the new-request form, the request detail. */
export class DietsPage {
  constructor(private readonly page: Page) {}

  table = () => this.page.getByTestId('diets-table');
  form = () => this.page.getByRole('dialog', { name: 'Nuova richiesta di dieta speciale' });
  detail = () => this.page.getByTestId('diet-detail');

  async openForm() {
    await this.page.getByRole('button', { name: 'Nuova richiesta' }).click();
    await expect(this.form()).toBeVisible();
  }

  async choosePupil(text: string, option: RegExp) {
    await search(this.page, this.form(), 'Alunno', text, option);
  }

  async chooseDiets(...names: string[]) {
    const input = box(this.form(), 'Diete');
    for (const name of names) {
      await input.click();
      await input.fill(name);
      await this.page.getByRole('option', { name, exact: true }).click();
    }
    await input.press('Escape');
  }

  /** The certificate as a file the operator picked (name, type and bytes). */
  async attachCertificate(file: { name: string; mimeType: string; buffer: Buffer }) {
    await this.form().locator('input[type="file"]').first().setInputFiles(file);
    await expect(this.form().getByText(file.name)).toBeVisible();
  }

  async submit() {
    await this.form().getByRole('button', { name: 'Registra richiesta' }).click();
  }

  row(pupil: string) {
    return this.table().getByRole('row').filter({ hasText: pupil });
  }
}

/** «Approvazione diete» (supervisor): the queue and the chosen request with its certificate. */
export class DietApprovalPage {
  constructor(private readonly page: Page) {}

  queue = () => this.page.getByTestId('approval-queue');
  detail = () => this.page.getByTestId('diet-detail');
  viewer = () => this.page.getByTestId('certificate-viewer');

  async openCertificate() {
    await this.detail().getByRole('button', { name: 'Apri' }).first().click();
    await expect(this.viewer()).toBeVisible();
  }

  async approve() {
    await this.detail().getByRole('button', { name: 'Approva' }).click();
  }
}
