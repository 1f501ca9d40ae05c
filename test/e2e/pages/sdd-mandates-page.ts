import { expect, type Locator, type Page } from '@playwright/test';
import { box, search, typeDate } from './controls';

/** Mandati SDD (#/mandati-sdd): the list, the new-mandate form, the mandate's drawer and its dialogs. */
export class SddMandatesPage {
  constructor(private readonly page: Page) {}

  table = () => this.page.getByTestId('mandates-table');
  rows = () => this.table().getByRole('row');
  detail = () => this.page.getByTestId('mandate-detail');
  detailIban = () => this.page.getByTestId('mandate-iban');
  status = () => this.page.getByTestId('mandate-status');
  history = () => this.page.getByTestId('mandate-history').locator('tbody tr');
  pending = () => this.page.getByTestId('mandate-pending');
  dialog = () => this.page.getByRole('dialog').filter({ has: this.page.getByRole('button', { name: /Registra/ }) });

  /** "Nuovo mandato": picks the payer (the form takes the payer's account and name), signature date. */
  async create(o: { payerSearch: string; payerOption: RegExp; signedOn: string; iban?: string }): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Nuovo mandato' }).click();
    const form = this.page.getByRole('dialog', { name: 'Nuovo mandato SDD' });
    await expect(form).toBeVisible();
    await search(this.page, form, 'Pagante', o.payerSearch, o.payerOption);
    if (o.iban) await box(form, 'IBAN').fill(o.iban);
    await typeDate(form, 'Data di firma', o.signedOn);
    return form;
  }

  async submitCreate(form: Locator) {
    await form.getByRole('button', { name: 'Registra mandato' }).click();
    await expect(form).toBeHidden();
    await expect(this.detail()).toBeVisible();
  }

  /** "Cambia IBAN" in the open drawer. */
  async amendIban(iban: string, reason: string): Promise<Locator> {
    await this.detail().getByRole('button', { name: 'Cambia IBAN' }).click();
    const dialog = this.page.getByRole('dialog', { name: /^Nuovo IBAN per il mandato/ });
    await expect(dialog).toBeVisible();
    await box(dialog, 'Nuovo IBAN').fill(iban);
    await box(dialog, 'Motivo').fill(reason);
    return dialog;
  }
}

/** Impostazioni SDD (#/impostazioni-sdd). */
export class SddCreditorPage {
  constructor(private readonly page: Page) {}

  missing = () => this.page.getByTestId('creditor-missing');
  creditorId = () => box(this.page, 'Identificativo del creditore (CI)');
  iban = () => box(this.page, 'IBAN del conto di accredito');
  cuc = () => box(this.page, 'Codice CUC (CBI)');
  abi = () => box(this.page, 'ABI della banca');

  async fill(o: { creditorId: string; iban: string; cuc: string }) {
    await this.creditorId().fill(o.creditorId);
    await this.iban().fill(o.iban);
    await this.cuc().fill(o.cuc);
  }

  save = () => this.page.getByRole('button', { name: 'Salva' }).click();
}
