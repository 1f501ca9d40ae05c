import { expect, type Page } from '@playwright/test';
import { pick, search } from './controls';

export class EnrollmentsPage {
  constructor(private readonly page: Page) {}

  dialog = () => this.page.getByRole('dialog');
  table = () => this.page.getByTestId('enrollments-table');
  total = () => this.page.getByTestId('list-total');

  async openNew() {
    await this.page.getByRole('button', { name: 'Nuova iscrizione' }).click();
    await expect(this.dialog().getByRole('heading', { name: 'Nuova iscrizione al servizio mensa' })).toBeVisible();
  }

  async choosePupil(text: string, option: RegExp) {
    await search(this.page, this.dialog(), 'Alunno', text, option);
  }

  async choosePayer(text: string, option: RegExp) {
    await search(this.page, this.dialog(), 'Pagante', text, option);
  }

  async setWeekdays(days: string[]) {
    const d = this.dialog();
    for (const day of ['Lunedì', 'Martedì', 'Mercoledì', 'Giovedì', 'Venerdì']) {
      const box = d.getByRole('checkbox', { name: day });
      if (days.includes(day)) await box.check();
      else await box.uncheck();
    }
  }

  async chooseSdd() {
    await this.dialog().getByRole('radio', { name: 'Addebito SDD' }).check();
  }

  async save() {
    await this.dialog().getByRole('button', { name: /Registra iscrizione|Salva modifiche/ }).click();
  }

  async filterYear(label: string | null) {
    const box = this.page.getByRole('textbox', { name: 'Filtra per anno scolastico' });
    if (label === null) {
      await box.hover();
      await this.page.locator('.mantine-Select-section button, .mantine-CloseButton-root').first().click();
    } else {
      await pick(this.page, this.page, 'Filtra per anno scolastico', label);
    }
  }

  async renew(from: string, to: string) {
    await this.page.getByRole('button', { name: 'Rinnova iscrizioni' }).click();
    const d = this.dialog();
    await pick(this.page, d, "Dall'anno scolastico", from);
    await pick(this.page, d, "All'anno scolastico", to);
    await d.getByRole('button', { name: 'Rinnova', exact: true }).click();
    await expect(d.getByTestId('renew-result')).toBeVisible();
  }
}
