import { expect, type Page } from '@playwright/test';
import { box, search, typeDate } from './controls';

/** "Presenze e disdette": the pupil's presence calendar and the family's requests. */
export class PresencePage {
  constructor(private readonly page: Page) {}

  actions = () => this.page.getByTestId('presence-actions');
  result = () => this.page.getByTestId('request-result');
  calendar = () => this.page.getByTestId('presence-calendar');
  dayHeader = (iso: string) => this.calendar().locator(`.cal-date-header[data-date="${iso}"]`);

  async choosePupil(text: string, option: string | RegExp) {
    await search(this.page, this.page, 'Alunno', text, option);
    await expect(this.page.getByTestId('pupil-summary')).toBeVisible();
  }

  async tab(name: 'Disdetta' | 'Prolungata' | 'In bianco' | 'Telefono') {
    await this.actions().getByRole('tab', { name }).click();
  }

  async setDay(ddmmyyyy: string, label = 'Giorno') {
    await typeDate(this.actions(), label, ddmmyyyy);
  }

  async press(button: string) {
    await this.actions().getByRole('button', { name: button, exact: true }).click();
  }

  /** The outcome shown for the last request ('accettata', 'tardiva', …) and its message. */
  async expectOutcome(outcome: string, message: string | RegExp) {
    await expect(this.result().locator(`[data-outcome="${outcome}"]`)).toBeVisible();
    await expect(this.result().getByTestId('request-message')).toContainText(message);
  }

  async override(reason: string) {
    await box(this.result(), 'Motivo della deroga').fill(reason);
    await this.result().getByRole('button', { name: 'Accetta con deroga' }).click();
  }
}

/** "Prova delle disdette": every request of a pupil with moment, channel, outcome. */
export class EvidencePage {
  constructor(private readonly page: Page) {}

  table = () => this.page.getByTestId('evidence-table');
  rows = () => this.table().locator('tbody tr[data-outcome]');

  async period(fromDdmmyyyy: string, toDdmmyyyy: string) {
    await this.page.getByText('Un periodo', { exact: true }).click();
    await typeDate(this.page, 'Dal', fromDdmmyyyy);
    await typeDate(this.page, 'Al', toDdmmyyyy);
    // leave the date box: its calendar closes
    await this.page.getByRole('heading', { level: 2 }).click();
  }
}

/** "Chiusura giornata": status per municipality, the close, the corrections. */
export class DayClosePage {
  constructor(private readonly page: Page) {}

  table = () => this.page.getByTestId('day-status');
  row = (municipality: string) => this.table().locator('tbody tr').filter({ hasText: municipality });

  async setDay(ddmmyyyy: string) {
    await typeDate(this.page, 'Giorno', ddmmyyyy);
  }

  async closeAll() {
    await this.page.getByRole('button', { name: 'Chiudi giornata' }).click();
    const confirm = this.page.getByRole('dialog', { name: /Chiudere la giornata/ });
    await expect(confirm).toBeVisible();
    return confirm;
  }

  async correct(pupilText: string, option: string | RegExp, present: 'Presente' | 'Assente', reason: string) {
    const card = this.page.getByTestId('corrections');
    await search(this.page, card, 'Alunno', pupilText, option);
    await card.getByText(present, { exact: true }).click();
    await box(card, 'Motivo della rettifica').fill(reason);
    await card.getByRole('button', { name: 'Rettifica' }).click();
  }
}

/** "Riepilogo pasti": the kitchen report of a day. */
export class KitchenReportPage {
  constructor(private readonly page: Page) {}

  report = () => this.page.getByTestId('kitchen-report');
  state = () => this.report().getByTestId('report-state');
  total = () => this.report().getByTestId('report-total');

  async setDay(ddmmyyyy: string) {
    await typeDate(this.page, 'Giorno', ddmmyyyy);
  }

  classRow(school: string, cls: string) {
    return this.report().locator(`tr[data-testid="kitchen-class-row"][data-school="${school}"][data-class="${cls}"]`);
  }
}
