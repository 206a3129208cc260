import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * Taxonomy governance in the browser: the network coordinator browses the shared taxonomy, opens
 * the draft of 1.1.0, renames and moves a node (a cyclic move is refused with its reason) and
 * publishes; the Celano org admin then adds a local sub-node under a network node.
 *
 * `URPNET_E2E_URL` + `URPNET_E2E_PASSWORD` run it against an already running server instead.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const COORDINATOR = 'coordinatore@demo.urpnet.it';
const CELANO_ADMIN = 'admin.comune-celano@demo.urpnet.it';
const CELANO_OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
/** Where each role lands after logging in. */
const LANDING: Record<string, string> = { [COORDINATOR]: '/faq/redazione', [CELANO_ADMIN]: '/admin', [CELANO_OPERATOR]: '/' };

describe.skipIf(!hasChromium && !process.env.URPNET_E2E_URL)('taxonomy browser and editor, in Chromium', () => {
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

  async function login(email: string): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === LANDING[email]);
    await page.getByRole('link', { name: 'Tassonomia' }).first().click();
    await page.waitForURL((url) => url.pathname === '/taxonomia');
    await visible(page.getByRole('heading', { level: 1, name: 'Tassonomia condivisa' }));
  }

  const tree = () => page.getByTestId('taxonomy-tree');
  const editor = () => page.getByTestId('taxonomy-editor');

  it('the coordinator browses the current version as an accessible tree, with a filter', async () => {
    await login(COORDINATOR);
    await expect.poll(() => tree().getAttribute('data-version'), POLL).toBe('1.0.0');
    const identita = tree().locator('li[data-code="identita_digitale"]');
    await visible(identita);
    await identita.getByRole('button', { name: /Espandi/ }).first().click();
    await visible(tree().locator('li[data-code="identita_digitale.spid"]'));
    await page.getByLabel('Filtra per etichetta, codice o descrizione').fill('canone unico');
    await visible(tree().locator('li[data-code="tributi.canone_unico"]'));
    await expect.poll(() => tree().locator('li[data-code="sanita"]').count(), POLL).toBe(0);
    await page.getByLabel('Filtra per etichetta, codice o descrizione').fill('');
    await expect(page.getByRole('link', { name: /SKOS \(Turtle\)/ }).getAttribute('href')).resolves.toBe('/api/v1/taxonomy/versions/1.0.0/export?format=skos');
    await expectAccessible(page, 'taxonomy browser');
  });

  it('opens the draft of 1.1.0, renames and moves nodes, and sees a cyclic move refused', async () => {
    await expect.poll(() => page.locator('#draft-version').inputValue(), POLL).toBe('1.1.0');
    await editor().getByRole('button', { name: 'Apri la bozza' }).click();
    await containsText(editor().getByTestId('draft-summary'), 'Bozza 1.1.0 (da 1.0.0): 0 modifiche');

    await page.locator('#draft-op-kind').selectOption('rename');
    await page.locator('#draft-op-code').selectOption('tributi.canone_unico');
    await page.locator('#draft-op-label-it').fill('Canone unico patrimoniale');
    await page.locator('#draft-op-label-en').fill('Single property fee');
    await editor().getByRole('button', { name: 'Applica la modifica' }).click();
    await containsText(editor().getByTestId('draft-operations'), 'rinomina «tributi.canone_unico»');

    await page.locator('#draft-op-kind').selectOption('move');
    await page.locator('#draft-op-code').selectOption('tributi.codice_fiscale');
    await page.locator('#draft-op-parent').selectOption('identita_digitale');
    await editor().getByRole('button', { name: 'Applica la modifica' }).click();
    await containsText(editor().getByTestId('draft-operations'), 'sposta «tributi.codice_fiscale» sotto «identita_digitale»');

    await page.locator('#draft-op-code').selectOption('tributi');
    await page.locator('#draft-op-parent').selectOption('tributi.tari');
    await editor().getByRole('button', { name: 'Applica la modifica' }).click();
    await containsText(editor().getByRole('alert').first(), 'Spostamento ciclico');
    await containsText(editor().getByTestId('draft-summary'), '2 modifiche');
    await screenshot(page, 'taxonomy-editor');
    await expectAccessible(page, 'taxonomy editor');
  });

  it('publishes 1.1.0: the browser shows the new current version with the moved node', async () => {
    await editor().getByRole('button', { name: 'Pubblica la versione 1.1.0' }).click();
    await containsText(editor().getByRole('status').first(), 'Versione 1.1.0 pubblicata');
    await expect.poll(() => tree().getAttribute('data-version'), POLL).toBe('1.1.0');
    await page.getByLabel('Filtra per etichetta, codice o descrizione').fill('tributi.codice_fiscale');
    await visible(tree().locator('li[data-code="identita_digitale"] li[data-code="tributi.codice_fiscale"]'));
    await page.getByLabel('Filtra per etichetta, codice o descrizione').fill('patrimoniale');
    await containsText(tree().locator('li[data-code="tributi.canone_unico"]'), 'Canone unico patrimoniale');
    await expect.poll(() => page.locator('#taxonomy-version').inputValue(), POLL).toBe('1.1.0');
    // The archive's question: what does a 1.0.0 code mean today?
    const translate = page.getByTestId('taxonomy-translate');
    await page.locator('#translate-version').selectOption('1.0.0');
    await page.locator('#translate-code').fill('tributi.codice_fiscale');
    await translate.getByRole('button', { name: 'Traduci' }).click();
    await containsText(translate.getByTestId('translate-result'), 'Nella versione 1.1.0:');
    await containsText(translate.getByTestId('translate-result'), 'tributi.codice_fiscale');
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
  });

  it('the Celano org admin adds a local sub-node under a network node', async () => {
    await login(CELANO_ADMIN);
    const local = page.getByTestId('taxonomy-local');
    await visible(local);
    await page.locator('#local-parent').selectOption('tributi.tari');
    await page.locator('#local-code').fill('compostaggio');
    await page.locator('#local-label-it').fill('Riduzione TARI per compostaggio');
    await local.getByRole('button', { name: 'Aggiungi il nodo locale' }).click();
    const code = 'tributi.tari.comune_celano.compostaggio';
    await visible(local.locator(`tr[data-local-code="${code}"]`));
    await page.getByLabel('Filtra per etichetta, codice o descrizione').fill('compostaggio');
    const node = tree().locator(`li[data-code="tributi.tari"] li[data-code="${code}"]`);
    await visible(node);
    await containsText(node, 'nodo locale');
    await screenshot(page, 'taxonomy-local-nodes');
    await expectAccessible(page, 'taxonomy local nodes');
    // The downloads can carry the organisation's local nodes.
    const csvLink = page.getByRole('link', { name: /CSV/ }).first();
    expect(await csvLink.getAttribute('href')).not.toContain('organisationId');
    // Bootstrap Italia draws its own checkbox: the label is what the user clicks.
    await page.locator('label[for="taxonomy-export-local"]', { hasText: 'Comune di Celano' }).click();
    expect(await page.getByLabel(/Includi nei file i nodi locali/).isChecked()).toBe(true);
    const href = await csvLink.getAttribute('href');
    expect(href).toContain('organisationId=');
    const csv = await page.request.get(new URL(href ?? '', page.url()).toString());
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(`,${code},`);
  });

  it('a Celano operator can pick the local node for a new ticket; the browser is read-only for operators', async () => {
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await login(CELANO_OPERATOR);
    await expect.poll(() => page.getByTestId('taxonomy-editor').count(), POLL).toBe(0);
    await expect.poll(() => page.getByTestId('taxonomy-local').count(), POLL).toBe(0);
    await expect.poll(() => page.getByTestId('taxonomy-propose').count(), POLL).toBe(0);
    await page.getByRole('link', { name: 'Nuovo ticket' }).first().click();
    await page.waitForURL((url) => url.pathname === '/tickets/new');
    await page.locator('#ticket-tema').fill('compostaggio');
    await visible(page.locator('#ticket-tema-listbox [data-code="tributi.tari.comune_celano.compostaggio"]'));
    expect(pageErrors).toEqual([]);
  });
});
