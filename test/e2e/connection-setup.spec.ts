import { test, expect, snap } from './fixtures';

/**
 * The desktop's choice of connection (issue 14), the screen alone: the Electron window is not
 * available here, so the page gets a stand-in of the preload's `window.rette.connection` that
 * answers as main does (electron/main/connection-setup.ts, tested in test/unit/electron).
 */
test.use({ reducedMotion: 'reduce' });

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => ((i * 37 + 11) % 256).toString(16).toUpperCase().padStart(2, '0')).join(':');

declare global {
  interface Window {
    __richieste: { action: string; [k: string]: unknown }[];
  }
}

async function standIn(page: import('@playwright/test').Page, purpose: 'primo-avvio' | 'cambio') {
  await page.addInitScript(
    ({ purpose, fingerprint }) => {
      let adminRequired = purpose === 'cambio';
      window.__richieste = [];
      const status = () => ({
        open: true,
        purpose,
        adminRequired,
        reason: null,
        current: purpose === 'cambio' ? { mode: 'locale' } : null,
        defaultPort: 8443,
      });
      const connection = async (request: { action: string; [k: string]: unknown }) => {
        window.__richieste.push(request);
        switch (request.action) {
          case 'status':
            return { ok: true, value: status() };
          case 'verifyAdmin':
            if (request.username !== 'admin') return { ok: false, message: 'Solo un amministratore può cambiare la connessione di questo computer' };
            adminRequired = false;
            return { ok: true, value: status() };
          case 'probe':
            return { ok: true, value: { address: '192.168.1.20:8443', fingerprint } };
          default:
            return { ok: true, value: null };
        }
      };
      (window as unknown as { rette: unknown }).rette = {
        invoke: async () => ({ ok: false, error: { code: 'INTERNAL', message: 'non usato', issues: [] } }),
        onNotice: () => () => {},
        connection,
      };
    },
    { purpose, fingerprint: FINGERPRINT },
  );
}

test('primo avvio del desktop: «Collegati al server dell’ufficio», impronta mostrata a gruppi da confrontare, conferma', async ({ page, app, screenshotDir }) => {
  await standIn(page, 'primo-avvio');
  await page.goto(`${new URL(app.url).origin}/#/connessione`);
  await expect(page.getByRole('heading', { name: 'Come lavora questo computer?' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Solo questo computer' })).toBeChecked();
  await page.getByRole('radio', { name: 'Collegati al server dell’ufficio' }).check();
  await page.getByRole('textbox', { name: 'Indirizzo del server' }).fill('192.168.1.20');
  await page.getByRole('button', { name: 'Leggi l’impronta del certificato' }).click();
  const shown = page.getByTestId('impronta-server');
  await expect(shown).toHaveText(FINGERPRINT.split(':').reduce<string[]>((lines, pair, i) => (i % 8 ? ((lines[lines.length - 1] += `:${pair}`), lines) : [...lines, pair]), []).join('\n'));
  await expect(page.getByText('Confrontarla, cifra per cifra')).toBeVisible();
  await snap(page, screenshotDir, 'issue14-scelta-connessione-impronta');
  await page.getByRole('button', { name: 'L’impronta è identica: collega questo computer' }).click();
  await expect(page.getByText('Scelta salvata')).toBeVisible();
  const sent = await page.evaluate(() => window.__richieste.filter((r) => r.action !== 'status'));
  expect(sent).toEqual([
    { action: 'probe', address: '192.168.1.20' },
    { action: 'chooseServer', address: '192.168.1.20:8443', fingerprint: FINGERPRINT },
  ]);
});

test('cambio della connessione: prima l’accesso di un amministratore, un operatore è respinto', async ({ page, app }) => {
  await standIn(page, 'cambio');
  await page.goto(`${new URL(app.url).origin}/#/connessione`);
  await expect(page.getByRole('heading', { name: 'Cambiare la connessione di questo computer' })).toBeVisible();
  await expect(page.getByText('Adesso: solo questo computer')).toBeVisible();
  await expect(page.getByRole('radio')).toHaveCount(0);
  await page.getByLabel('Nome utente').fill('mrossi');
  await page.getByLabel('Password').fill('password-operatore');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('alert')).toHaveText('Solo un amministratore può cambiare la connessione di questo computer');
  await expect(page.getByRole('radio')).toHaveCount(0);
  await page.getByLabel('Nome utente').fill('admin');
  await page.getByLabel('Password').fill('password-admin');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('radio', { name: 'Solo questo computer' })).toBeVisible();
  await page.getByRole('button', { name: 'Usa solo questo computer' }).click();
  await expect(page.getByText('Scelta salvata')).toBeVisible();
});
