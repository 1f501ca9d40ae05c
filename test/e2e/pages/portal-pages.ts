import { expect, type Page } from '@playwright/test';
import { box } from './controls';

/** «Portale famiglie › Sincronizzazione»: last run, review queue, what came in and went out. */
export class PortalSyncPage {
  constructor(private readonly page: Page) {}

  heading = () => this.page.getByRole('heading', { level: 2, name: 'Sincronizzazione con il portale delle famiglie' });
  outcome = () => this.page.getByTestId('sync-outcome');
  counts = () => this.page.getByTestId('sync-counts');
  reviewRows = () => this.page.getByTestId('review-row');
  inboundRows = () => this.page.getByTestId('inbound-row');
  outboxRows = () => this.page.getByTestId('outbox-row');

  async open() {
    await this.page.getByRole('navigation', { name: 'Navigazione principale' }).getByRole('link', { name: 'Sincronizzazione', exact: true }).click();
    await expect(this.heading()).toBeVisible();
  }

  async tab(name: 'Sincronizzazione' | 'Da rivedere' | 'Arrivati' | 'Segnalazioni' | 'Pubblicati') {
    await this.page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  }

  async syncNow() {
    await this.page.getByRole('button', { name: 'Sincronizza ora' }).click();
  }

  /** The inbound row of a pupil (by name or codice fiscale) and its Italian message. */
  inboundRow(text: string | RegExp) {
    return this.inboundRows().filter({ hasText: text });
  }
}

/** «Portale famiglie › Avvisi e news». */
export class NewsPage {
  constructor(private readonly page: Page) {}

  rows = () => this.page.getByTestId('news-row');

  async open() {
    await this.page.getByRole('navigation', { name: 'Navigazione principale' }).getByRole('link', { name: 'Avvisi e news', exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 2, name: 'Avvisi e news' })).toBeVisible();
  }

  /** Writes a news item for every municipality from today and publishes it. */
  async write(title: string, body: string) {
    await this.page.getByRole('button', { name: /Nuovo avviso|Scrivi il primo avviso/ }).first().click();
    const dialog = this.page.getByRole('dialog');
    await box(dialog, 'Titolo').fill(title);
    await box(dialog, 'Testo').fill(body);
    await dialog.getByRole('button', { name: 'Pubblica' }).click();
    await expect(dialog).toBeHidden();
    await expect(this.rows().filter({ hasText: title })).toBeVisible();
  }
}
