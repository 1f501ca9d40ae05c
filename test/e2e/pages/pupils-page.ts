import { expect, type Page } from '@playwright/test';
import { box, fieldError, pick, typeDate } from './controls';

export interface PupilData {
  lastName: string;
  firstName: string;
  taxCode: string;
  /** dd/mm/yyyy */
  birthDate: string;
  school: string;
  schoolClass?: RegExp;
}

export class PupilsPage {
  constructor(private readonly page: Page) {}

  dialog = () => this.page.getByRole('dialog');
  table = () => this.page.getByTestId('pupils-table');
  total = () => this.page.getByTestId('list-total');

  async openNew() {
    await this.page.getByRole('button', { name: 'Nuovo alunno' }).click();
    await expect(this.dialog().getByRole('heading', { name: 'Nuovo alunno' })).toBeVisible();
  }

  async fill(p: PupilData) {
    const d = this.dialog();
    await box(d, 'Cognome').fill(p.lastName);
    await box(d, 'Nome').fill(p.firstName);
    await box(d, 'Codice fiscale').fill(p.taxCode);
    await typeDate(d, 'Data di nascita', p.birthDate);
    await pick(this.page, d, 'Scuola', p.school);
    if (p.schoolClass) await pick(this.page, d, 'Classe', p.schoolClass);
  }

  async save() {
    await this.dialog().getByRole('button', { name: /Registra alunno|Salva modifiche/ }).click();
  }

  async errorUnder(label: string) {
    return fieldError(this.dialog(), label);
  }

  async search(text: string) {
    await this.page.getByRole('textbox', { name: 'Cerca alunni' }).fill(text);
  }
}
