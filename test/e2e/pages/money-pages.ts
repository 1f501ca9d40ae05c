import { expect, type Locator, type Page } from '@playwright/test';
import { box, search, typeDate } from './controls';

/** A euro amount as the screens write it: '31,46 €' (Intl it-IT, non-breaking spaces made plain). */
export const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** The money modal (top-up, payment, refund, adjustment) with its confirmation step. */
export class MoneyModal {
  constructor(
    private readonly page: Page,
    readonly root: Locator,
  ) {}

  amount = () => box(this.root, 'Importo');
  notice = () => box(this.root, 'Numero avviso o IUV');
  confirmation = () => this.root.getByTestId('money-confirm');

  async fillPagopa(o: { notice: string; amount: string; paidOn: string; payerTaxCode?: string }) {
    await this.amount().fill(o.amount);
    await this.notice().fill(o.notice);
    await typeDate(this.root, 'Pagata il', o.paidOn);
    if (o.payerTaxCode) await box(this.root, 'Codice fiscale di chi ha pagato').fill(o.payerTaxCode);
  }

  /** "Avanti": the one-line summary to confirm appears (or an error under a field). */
  next = () => this.root.getByRole('button', { name: 'Avanti' }).click();
  confirm = () => this.root.getByRole('button', { name: 'Conferma e registra' }).click();
}

/** Conto dell'alunno (#/conto-alunno). */
export class AccountPage {
  constructor(private readonly page: Page) {}

  async choosePupil(lastName: string, option: RegExp) {
    await search(this.page, this.page, 'Alunno', lastName, option);
  }

  balance = (service = 'mensa') => this.page.getByTestId(`balance-${service}`);
  movements = () => this.page.getByTestId('account-movements').locator('tbody tr');

  async open(action: 'Ricarica pagoPA' | 'Pagamento'): Promise<MoneyModal> {
    await this.page.getByRole('button', { name: action, exact: true }).click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    return new MoneyModal(this.page, dialog);
  }
}

/** Estratto conto (#/estratto-conto). */
export class StatementPage {
  constructor(private readonly page: Page) {}

  statement = () => this.page.getByTestId('statement');

  async choosePupil(lastName: string, option: RegExp) {
    await search(this.page, this.page, 'Alunno', lastName, option);
  }

  async period(from: string, to: string) {
    await typeDate(this.page, 'Dal', from);
    await typeDate(this.page, 'Al', to);
  }

  /** Clicks "PDF per la famiglia" and returns the downloaded file's path. */
  async downloadPdf(): Promise<string> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: 'PDF per la famiglia' }).click()]);
    return (await download.path());
  }
}

/** Dati della ditta (#/anagrafiche/ditta). */
export class CatererPage {
  constructor(private readonly page: Page) {}

  async fill(c: Record<'companyName' | 'street' | 'streetNumber' | 'postcode' | 'town' | 'province' | 'vatNumber' | 'taxCode', string>) {
    await box(this.page, 'Ragione sociale').fill(c.companyName);
    await box(this.page, 'Via').fill(c.street);
    await box(this.page, 'Numero civico').fill(c.streetNumber);
    await box(this.page, 'CAP').fill(c.postcode);
    await box(this.page, 'Comune').fill(c.town);
    await box(this.page, 'Provincia (sigla)').fill(c.province);
    await box(this.page, 'Partita IVA').fill(c.vatNumber);
    await box(this.page, 'Codice fiscale').fill(c.taxCode);
  }

  save = () => this.page.getByRole('button', { name: 'Salva' }).click();
}

/** Dichiarazioni 730 (#/dichiarazioni-730). */
export class Tax730Page {
  constructor(private readonly page: Page) {}

  check = () => this.page.getByTestId('tax730-check');
  rows = () => this.page.getByTestId('tax730-table').locator('tbody tr');
  row = (pupilName: string) => this.rows().filter({ hasText: pupilName });

  async year(y: number) {
    const input = this.page.getByRole('textbox', { name: 'Anno solare' });
    await input.fill(String(y));
    await input.press('Tab');
  }

  /** Clicks the row's PDF button and returns the downloaded file's path. */
  async downloadPdf(pupilName: string): Promise<string> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.row(pupilName).getByRole('button', { name: 'PDF' }).click()]);
    return (await download.path());
  }
}
