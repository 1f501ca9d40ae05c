import { expect, type Locator, type Page } from '@playwright/test';
import { pick } from './controls';

/** "Calendario del servizio": the react-big-calendar month view and the closures of the school year. */
export class ServiceCalendarPage {
  constructor(private readonly page: Page) {}

  calendar = () => this.page.getByTestId('service-calendar');
  closures = () => this.page.getByTestId('closures-table');
  form = () => this.page.getByRole('dialog', { name: 'Nuova chiusura del servizio' });
  dayHeader = (iso: string) => this.calendar().locator(`.cal-date-header[data-date="${iso}"]`);

  async chooseSchool(name: string) {
    await pick(this.page, this.page, 'Scuola', name);
  }

  async chooseClass(name: string) {
    await pick(this.page, this.page, 'Classe', name);
  }

  /** Moves the month view forward until both days are on screen. */
  async show(...days: string[]) {
    for (let i = 0; i < 3; i++) {
      let visible = true;
      for (const d of days) if (!(await this.dayHeader(d).isVisible())) visible = false;
      if (visible) return;
      await this.calendar().getByRole('button', { name: 'Avanti' }).click();
    }
    for (const d of days) await expect(this.dayHeader(d)).toBeVisible();
  }

  /** Drags the mouse across the month view from one day to another, as the office selects a range. */
  async selectRange(from: string, to: string) {
    await this.show(from, to);
    const a = await this.cellPoint(this.dayHeader(from));
    const b = await this.cellPoint(this.dayHeader(to));
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await this.page.mouse.move(b.x, b.y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** A point inside the day's cell, below its date header and away from the events. */
  private async cellPoint(header: Locator) {
    const box = (await header.boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height + 50 };
  }

  async expectPreviewTotal(n: number) {
    await expect(this.form().getByTestId('closure-preview-total')).toHaveText(String(n));
  }

  async confirm() {
    await this.form().getByRole('button', { name: 'Conferma chiusura' }).click();
    await expect(this.form()).toBeHidden();
  }

  closureRow(text: string | RegExp) {
    return this.closures().locator('tbody tr').filter({ hasText: text });
  }
}
