import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';
import type { AppServer } from '../fixtures';

/** The confirmation modal of the SDD screens: what will happen, an optional reason, the confirm button. */
export class ConfirmModal {
  readonly root: Locator;
  constructor(private readonly page: Page) {
    this.root = page.getByRole('dialog');
  }

  text = () => this.root.getByTestId('confirm-text');
  error = () => this.root.getByTestId('confirm-error');

  async reason(text: string) {
    await this.root.getByRole('textbox', { name: /Motivo/ }).fill(text);
  }

  async confirm(label: string | RegExp) {
    await this.root.getByRole('button', { name: label }).click();
    await expect(this.root).toBeHidden();
  }
}

/** Distinte SDD (#/distinte-sdd): the list of batches, the "Prepara distinta" form and one batch. */
export class BatchesPage {
  constructor(private readonly page: Page) {}

  form = () => this.page.getByTestId('prepare-form');
  month = () => this.form().getByRole('button', { name: /Mese dei pasti/ });
  dueDate = () => this.form().getByRole('textbox', { name: "Scadenza dell'addebito" });
  window = () => this.page.getByTestId('presentation-window');
  rows = () => this.page.getByTestId('batches-table').locator('tbody tr');

  /** "Prepara distinta" and its confirmation: the batch opens. */
  async prepare(): Promise<ConfirmModal> {
    await this.form().getByRole('button', { name: /^Prepara/ }).click();
    return new ConfirmModal(this.page);
  }

  /** Opens a batch from the list by its month ('Ottobre 2026'). */
  async open(monthTitle: string) {
    await this.rows().filter({ hasText: monthTitle }).first().click();
    await expect(this.page.getByRole('heading', { level: 2, name: `Distinta di ${monthTitle.toLowerCase()}` })).toBeVisible();
  }

  // ---- one batch
  status = () => this.page.getByTestId('batch-status');
  count = () => this.page.getByTestId('batch-count');
  total = () => this.page.getByTestId('batch-total');
  prenotified = () => this.page.getByTestId('batch-prenotified');
  actions = () => this.page.getByTestId('batch-actions');
  action = (name: string | RegExp) => this.actions().getByRole('button', { name, exact: typeof name === 'string' });
  tab = (name: RegExp) => this.page.getByRole('tab', { name });
  findings = () => this.page.getByTestId('finding');
  debits = () => this.page.getByTestId('debits-table').locator('tbody tr[data-index]');
  excluded = () => this.page.getByTestId('excluded-table').locator('tbody tr[data-index]');

  async run(name: string | RegExp): Promise<ConfirmModal> {
    await this.action(name).click();
    const modal = new ConfirmModal(this.page);
    await expect(modal.root).toBeVisible();
    return modal;
  }

  /** Ticks every open check and acknowledges them with the reasons chosen from the list. */
  async acknowledgeAll(reasons: string[]) {
    await this.tab(/^Controlli/).click();
    await this.page.getByRole('button', { name: 'Seleziona tutti' }).click();
    await this.page.getByRole('button', { name: /^Prendi visione/ }).click();
    const dialog = this.page.getByRole('dialog');
    const input = dialog.getByRole('textbox', { name: 'Motivo', exact: true });
    for (const r of reasons) {
      await input.click();
      await this.page.getByRole('option', { name: r }).click();
    }
    // leaving the box closes the list of reasons, which would cover the buttons
    await input.press('Tab');
    await dialog.getByRole('button', { name: 'Conferma la presa visione' }).click();
    await expect(dialog).toBeHidden();
  }

  /** Clicks a download button of the batch and returns the file's suggested name and path. */
  async download(name: string): Promise<{ fileName: string; file: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.action(name).click()]);
    return { fileName: download.suggestedFilename(), file: await download.path() };
  }
}

/** Esiti e insoluti (#/esiti-sdd). */
export class ReturnsPage {
  constructor(private readonly page: Page) {}

  summary = () => this.page.getByTestId('returns-summary');
  preview = () => this.page.getByTestId('returns-preview-row');
  done = () => this.page.getByTestId('returns-done');
  rows = () => this.page.getByTestId('returns-table').locator('tbody tr[data-index]');
  commit = () => this.page.getByRole('button', { name: /^Registra \d+ insolut/ });

  async upload(file: { name: string; buffer: Buffer; mimeType: string }) {
    await this.page.locator('input[type="file"]').setInputFiles(file);
    await expect(this.summary()).toBeVisible({ timeout: 30_000 });
  }

  async filter(label: string) {
    await this.page.getByTestId('returns-filter').getByText(label, { exact: true }).click();
    await expect(this.page.getByRole('radio', { name: label })).toBeChecked();
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The bank's outcome file for one debit, made from test/fixtures/sdd/esito-pain002.xml: its first
 * transaction names the debit (EndToEndId, amount, the batch's MsgId), the second is removed.
 */
export function pain002For(d: { endToEndId: string; amountCents: number; msgId: string; reasonCode: string; on: string }): Buffer {
  const sample = fs.readFileSync(path.join(ROOT, 'test/fixtures/sdd/esito-pain002.xml'), 'utf8');
  const amount = `${Math.trunc(d.amountCents / 100)}.${String(d.amountCents % 100).padStart(2, '0')}`;
  const xml = sample
    .replace(/<TxInfAndSts>\s*<OrgnlEndToEndId>RM-2026-10-000005[\s\S]*?<\/TxInfAndSts>\s*/, '')
    .replaceAll('RM-2026-10-000004', d.endToEndId)
    .replace('<OrgnlMsgId>RM-SDD-2026-10-001</OrgnlMsgId>', `<OrgnlMsgId>${d.msgId}</OrgnlMsgId>`)
    .replace('<Cd>MD06</Cd>', `<Cd>${d.reasonCode}</Cd>`)
    .replace('<InstdAmt Ccy="EUR">112.24</InstdAmt>', `<InstdAmt Ccy="EUR">${amount}</InstdAmt>`)
    .replace(/2026-12-09T15:00:00\+01:00/, `${d.on}T09:00:00+01:00`)
    .replace(/2026-12-10T06:12:00\+01:00/, `${d.on}T09:30:00+01:00`);
  if (!xml.includes(d.endToEndId) || xml.includes('RM-2026-10-000005')) throw new Error('Esito pain.002 non costruito dal campione');
  return Buffer.from(xml, 'utf8');
}

/**
 * A second `rette serve` on the same database, standing still at another moment: the office "a few
 * weeks later" (the due date of a batch). The fixture's server keeps running; the test stops this one.
 */
export async function serveLaterAt(app: AppServer, at: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, RETTE_DB: app.dbFile, RETTE_DATA_DIR: app.dataDir };
  delete env.RETTE_CLOCK;
  delete env.RETTE_CLOCK_FROM;
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin', 'rette.mjs'), 'serve', '--port', '0', '--clock', at], { cwd: ROOT, env });
  const log = fs.createWriteStream(path.join(app.dataDir, 'serve-dopo.log'));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`il secondo rette serve non è partito:\n${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`il secondo rette serve è uscito (${code}):\n${out}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
