import { expect, type Locator, type Page } from '@playwright/test';

/** A text box (or select, date, textarea) by its accessible name: exact for a string ("Nome" is not "Cognome"). */
export function box(scope: Page | Locator, label: string | RegExp): Locator {
  return scope.getByRole('textbox', { name: label, exact: typeof label === 'string' });
}

/** Picks an option of a Mantine Select found by its label (opens the dropdown, clicks the option). */
export async function pick(page: Page, scope: Page | Locator, label: string | RegExp, option: string | RegExp) {
  await box(scope, label).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** Types into a searchable picker (server-side search) and clicks the first option that matches. */
export async function search(page: Page, scope: Page | Locator, label: string | RegExp, text: string, option: string | RegExp) {
  const input = box(scope, label);
  await input.click();
  await input.fill(text);
  await page.getByRole('option', { name: option }).first().click();
}

/** The error message Mantine shows under the field with this label (the input's `<id>-error`). */
export async function fieldError(scope: Page | Locator, label: string | RegExp): Promise<Locator> {
  const id = await box(scope, label).getAttribute('id');
  return scope.locator(`[id="${id}-error"]`);
}

/** Types a date as the office does, dd/mm/yyyy, and leaves the box. */
export async function typeDate(scope: Page | Locator, label: string | RegExp, ddmmyyyy: string) {
  const input = box(scope, label);
  await input.click();
  await input.fill(ddmmyyyy);
  // Tab, not Enter: Enter would submit the form around the box
  await input.press('Tab');
  await expect(input).toHaveValue(ddmmyyyy);
}
