import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { PROJECT_ROOT, type RunningServer, startServer } from './server.js';

/**
 * Historical contacts import (issue 5) in the browser: the Celano org admin uploads a small
 * Alessandria-like CSV, declares the column roles, maps each legacy category to a topic (one by
 * hand, the rest by bulk assignment over the unmapped ones), saves the mapping, runs the dry run
 * and imports; the past imports list shows the result. Accessibility is checked on each step.
 *
 * `URPNET_E2E_URL` + `URPNET_E2E_PASSWORD` run it against an already running server instead.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const CELANO_ADMIN = 'admin.comune-celano@demo.urpnet.it';
const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/history-import/alessandria-sample.csv');

/** bootstrap-italia draws radios and checkboxes on their label, which is what a person clicks. */
async function pick(input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
}

describe.skipIf(!hasChromium && !process.env.URPNET_E2E_URL)('historical import, in Chromium', () => {
  let server: RunningServer | null = null;
  let baseUrl = '';
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    if (process.env.URPNET_E2E_URL) baseUrl = process.env.URPNET_E2E_URL;
    else {
      server = await startServer(PASSWORD);
      baseUrl = server.baseUrl;
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the org admin reaches the page from the menu and uploads a CSV', async () => {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(CELANO_ADMIN);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    // An organisation admin lands on the administration.
    await page.waitForURL((url) => url.pathname === '/admin');
    // The menu row is full: the historical import sits with the data pages.
    await page.getByRole('button', { name: 'Dati e privacy' }).click();
    await page.getByRole('link', { name: 'Import storico' }).first().click();
    await page.waitForURL((url) => url.pathname === '/admin/import-storico');
    await visible(page.getByRole('heading', { level: 1, name: 'Importazione dello storico dei contatti' }));
    await expectAccessible(page, 'history import: start');

    // Submitting without a file says what is missing.
    await page.getByRole('button', { name: 'Carica e analizza' }).click();
    await visible(page.getByText('Scegli un file da caricare.'));

    await page.getByLabel('File CSV (anche compresso .csv.gz)').setInputFiles(FIXTURE);
    await page.getByRole('button', { name: 'Carica e analizza' }).click();
    await containsText(page.locator('main'), 'File «alessandria-sample.csv»: 11 righe, 7 colonne, codifica utf-8, separatore ;.');
    await visible(page.getByRole('cell', { name: 'Buche;Tombini' }));
  });

  it('declares the column roles, with the date format suggested from the preview', async () => {
    await expect.poll(() => page.getByLabel('Identificativo').evaluate((el) => el.tagName), POLL).toBe('SELECT');
    await page.locator('#hi-role-id').selectOption('Id');
    await page.locator('#hi-role-createdAt').selectOption('Creato');
    await expect.poll(() => page.locator('#hi-created-format').inputValue(), POLL).toBe('iso');
    await page.locator('#hi-role-closedAt').selectOption('Chiusa');
    await page.locator('#hi-role-channel').selectOption('DescrizioneBreve');
    await page.locator('#hi-role-category').selectOption('Categoria');
    await page.getByLabel('Separatore di più categorie nella stessa cella').fill(';');
    await page.locator('#hi-role-status').selectOption('Stato');
    await page.getByRole('button', { name: 'Salva i ruoli delle colonne' }).click();
    await visible(page.getByText('Ruoli delle colonne salvati.'));
    await expectAccessible(page, 'history import: columns');
  });

  it('maps the legacy values: one by hand, the others by bulk assignment on the unmapped ones', async () => {
    await page.getByLabel('Nome della mappatura').fill('alessandria-prova');
    await page.getByRole('button', { name: 'Elenca i valori del file' }).click();
    await containsText(page.getByTestId('unmapped-count'), '7 valori senza tema su 7');
    const buche = page.getByRole('combobox', { name: 'Tema per «Buche»' });
    await buche.fill('strade e buche');
    await page.getByRole('option', { name: /Strade e buche/ }).first().click();
    await page.getByLabel('Tipologia per «Buche»').selectOption('segnalazione');
    await containsText(page.getByTestId('unmapped-count'), '6 valori senza tema su 7');

    await pick(page.locator('#hi-only-unmapped'));
    await expect.poll(() => page.locator('tr[data-legacy="Buche"]').count(), POLL).toBe(0);
    await page.getByLabel('Seleziona «Tombini»').check();
    await page.getByLabel('Seleziona «Illuminazione pubblica»').check();
    const bulkTema = page.getByRole('combobox', { name: 'Tema per i selezionati' });
    await bulkTema.fill('manutenzione urbana');
    await page.getByRole('option', { name: /^Manutenzione urbana e lavori pubblici/ }).first().click();
    await page.getByRole('button', { name: 'Applica a 2 valori' }).click();
    await containsText(page.getByTestId('unmapped-count'), '4 valori senza tema su 7');
    // Channel and status mappings.
    await page.getByLabel('Canale per «App Municipium»').selectOption('app');
    await page.getByLabel('Esito per «annullata»').selectOption('annullato');
    await expectAccessible(page, 'history import: mapping editor');

    await page.getByRole('button', { name: 'Salva la mappatura (nuova versione)' }).click();
    await visible(page.getByText('Mappatura «alessandria-prova» salvata: versione 1.'));
    await expect.poll(() => page.locator('#hi-mapping').inputValue(), POLL).not.toBe('');
  });

  it('runs the dry run, then imports', async () => {
    await pick(page.locator('#hi-policy-skip'));
    await page.getByRole('button', { name: 'Prova (nessuna modifica)' }).click();
    const report = page.getByTestId('import-report');
    await containsText(report, 'Esito della prova');
    // Mapped: Buche (655788, 656534 Buche;Tombini), Illuminazione (656580); Altro, Cimiteri,
    // Accessibilità and the empty category are not; plus missing id, bad date, column count, duplicate.
    await expect.poll(() => page.getByTestId('report-imported').textContent(), POLL).toBe('3');
    await expect.poll(() => page.getByTestId('report-rejected').textContent(), POLL).toBe('8');
    await visible(report.getByRole('cell', { name: 'data non valida' }));
    await visible(report.getByRole('cell', { name: 'Altro' }).first());
    await expectAccessible(page, 'history import: dry run report');
    await screenshot(page, 'history-import-dry-run');

    await page.getByRole('button', { name: 'Importa', exact: true }).click();
    // The commit runs on the server as a job: the page shows its progress until the job is done.
    const progress = page.getByRole('progressbar', { name: 'Avanzamento dell’importazione' });
    await visible(progress);
    expect(await progress.getAttribute('aria-valuemax')).toBe('11');
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'history-import-committing');
    await containsText(report, 'Esito dell’importazione');
    await expect.poll(() => progress.count(), POLL).toBe(0);
    await expect.poll(() => page.getByTestId('report-imported').textContent(), POLL).toBe('3');
    await visible(page.getByText(/Importazione completata il/));
    const past = page.getByRole('table', { name: 'Importazioni precedenti' });
    await visible(past.getByRole('cell', { name: 'importato' }));
    await expectAccessible(page, 'history import: committed');
  });

  it('speaks English too', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await visible(page.getByRole('heading', { level: 1, name: 'Import of historical contacts' }));
    await visible(page.getByRole('heading', { name: 'Import result' }));
    await visible(page.getByRole('cell', { name: 'invalid date' }));
    await expectAccessible(page, 'history import: English');
    await page.getByRole('button', { name: 'Italiano' }).click();
    expect(pageErrors).toEqual([]);
  });
});
