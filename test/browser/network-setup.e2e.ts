import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, containsText, expectAccessible, POLL, SCREENSHOTS, screenshot, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * The first start of a real network in the browser (issue 11): the server starts on an empty
 * database (URPNET_SEED_DEMO=false), the sign-in page points to the first-run page, which refuses a
 * wrong setup code and, with the one the server printed, creates the network and its coordinator,
 * who then signs in. Runs its own server: the shared demo server already has a coordinator.
 */
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('first start of a real network, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer('unused-demo-password', 170_000, { URPNET_SEED_DEMO: 'false' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the setup code is in the server output and in DATA_DIR/setup-token', async () => {
    const file = join(server.dataDir, 'setup-token');
    await expect.poll(() => existsSync(file), POLL).toBe(true);
    const token = readFileSync(file, 'utf8').trim();
    await expect.poll(() => server.output(), POLL).toContain(token);
  });

  it('from the sign-in page to a network with its coordinator', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('link', { name: 'Primo avvio: configura la rete' }).click();
    await page.waitForURL((url) => url.pathname === '/setup');
    await visible(page.getByRole('heading', { level: 1, name: 'Primo avvio della rete' }));
    await expectAccessible(page, 'setup');

    const fill = async (code: string) => {
      await page.getByLabel('Codice di configurazione').fill(code);
      await page.getByLabel('Nome della rete').fill('Rete URP Regione Abruzzo');
      await page.getByLabel('Ente che coordina la rete').fill('Regione Abruzzo');
      await page.getByLabel('Il tuo nome e cognome').fill('Anna Coordinatrice');
      await page.getByLabel('La tua email').fill('anna@regione.abruzzo.it');
      await page.getByLabel('Password (almeno 10 caratteri)').fill('una-password-lunga');
      await page.getByRole('button', { name: 'Crea la rete' }).click();
    };
    await fill('codice-sbagliato');
    await containsText(page.getByRole('alert'), 'Il codice di configurazione non è valido');
    await screenshot(page, '40-setup-wrong-code');

    await fill(readFileSync(join(server.dataDir, 'setup-token'), 'utf8').trim());
    await containsText(page.locator('main'), 'Rete creata. Accedi con anna@regione.abruzzo.it');
    await expectAccessible(page, 'setup-done');
    await page.getByRole('link', { name: 'Vai all’accesso' }).click();

    await page.waitForURL((url) => url.pathname === '/login');
    // The network has a coordinator now: the sign-in page no longer offers the first run.
    await expect.poll(async () => page.getByRole('link', { name: 'Primo avvio: configura la rete' }).count(), POLL).toBe(0);
    await page.getByLabel('Indirizzo e-mail').fill('anna@regione.abruzzo.it');
    await page.getByLabel('Password').fill('una-password-lunga');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).json());
    expect(session.memberships.map((m: { role: string }) => m.role).sort()).toEqual(['network_coordinator', 'org_admin']);

    await page.goto(`${server.baseUrl}/setup`);
    await containsText(page.locator('main'), 'La rete è già configurata.');
  });

  it('a set-password link without its code says what to do', async () => {
    await page.goto(`${server.baseUrl}/imposta-password`);
    await containsText(page.locator('main'), 'Il link è incompleto');
    await expectAccessible(page, 'password-link');
    expect(pageErrors).toEqual([]);
  });
});
