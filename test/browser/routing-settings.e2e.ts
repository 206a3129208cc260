import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * The supervisors' queue and routing settings page (issue 12) in the browser: Celano's supervisor
 * sets the queue's maximum length and a dialled number, saves and finds them after a reload, then
 * edits the profile of Celano's operator (e-mail channel with capacity 4, extension 205) and sees it
 * in the operators' table. Accessibility checked with axe.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const SUPERVISOR = 'responsabile.comune-celano@demo.urpnet.it';

async function login(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Indirizzo e-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** The operator goes available through the API, so that they have a routing profile: their user and office ids. */
async function operatorAvailable(baseUrl: string): Promise<{ userId: string; officeId: string }> {
  const r = await (await apiSession(baseUrl, OPERATOR, PASSWORD)).request('PUT', '/api/v1/routing/me/presence', { presence: 'available' });
  expect(r.status, `PUT /routing/me/presence: ${r.text}`).toBe(200);
  const state = (JSON.parse(r.text) as { state: { userId: string; officeId: string } }).state;
  return { userId: state.userId, officeId: state.officeId };
}

describe.skipIf(!hasChromium || !!process.env.URPNET_E2E_URL)('routing settings page, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the supervisor saves queue settings and a dialled number, and edits an operator’s channels, capacity and extension', async () => {
    const operator = await operatorAvailable(server.baseUrl);
    await login(page, server.baseUrl, SUPERVISOR);
    await page.goto(`${server.baseUrl}/instradamento/impostazioni`);
    await visible(page.getByRole('heading', { level: 1, name: 'Impostazioni delle code e dell’instradamento' }));
    await expect.poll(async () => await page.locator('a[href="/instradamento/impostazioni"]').count(), POLL).toBeGreaterThan(0);
    const officeSelect = page.getByLabel('Ufficio', { exact: true });
    await visible(officeSelect);
    await officeSelect.selectOption(operator.officeId);

    // Queue settings: saved, then found again after a reload.
    const maxQueue = page.getByLabel('Lunghezza massima della coda');
    await visible(maxQueue);
    await maxQueue.fill('5');
    await page.getByLabel('Numeri chiamati').fill('+390863111222');
    await page.getByRole('button', { name: 'Salva le impostazioni' }).click();
    await visible(page.getByText('Impostazioni della coda salvate.'));
    await page.reload();
    await page.getByLabel('Ufficio', { exact: true }).selectOption(operator.officeId);
    await expect.poll(async () => await page.getByLabel('Lunghezza massima della coda').inputValue(), POLL).toBe('5');
    await expect.poll(async () => await page.getByLabel('Numeri chiamati').inputValue(), POLL).toBe('+390863111222');

    // The operator's profile.
    const row = page.locator(`tr[data-operator="${operator.userId}"]`);
    await visible(row);
    await row.getByRole('button', { name: /Modifica il profilo di/ }).click();
    const form = page.getByTestId('rs-profile-form');
    await visible(form);
    const email = form.getByLabel('E-mail', { exact: true });
    // Bootstrap Italia draws the box on the label, which takes the click.
    if (!(await email.isChecked())) await form.locator('label.form-check-label', { hasText: /^E-mail$/ }).click();
    await expect.poll(async () => await email.isChecked(), POLL).toBe(true);
    await form.getByLabel('Capacità: E-mail').fill('4');
    await form.getByLabel('Interno telefonico').fill('205');
    await expectAccessible(page, 'routing settings: profile form');
    await form.getByRole('button', { name: 'Salva il profilo' }).click();
    await visible(page.getByText('salvato.'));
    await containsText(row.locator('[data-col="channels"]'), 'E-mail (4)');
    await containsText(row.locator('[data-col="extension"]'), '205');

    await expectAccessible(page, 'routing settings');
    await screenshot(page, 'routing-settings');
    expect(pageErrors).toEqual([]);
  });
});
