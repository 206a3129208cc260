import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, hidden, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * The routing pages (issue 12) in the browser: Celano's operator goes available in the console, a
 * chat queued through the API by Celano's supervisor is offered to them (the pop-up arrives over
 * SSE), they accept it, hold it and complete it; the supervisor then reads the office on the
 * wallboard. Accessibility checked on the console (with the offer open) and on the wallboard.
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

/** Queues a chat through the API as the supervisor. */
async function queueChat(baseUrl: string, officeId: string, subject: string): Promise<void> {
  const r = await (await apiSession(baseUrl, SUPERVISOR, PASSWORD)).request('POST', '/api/v1/routing/items', { officeId, channel: 'chat', subject });
  expect(r.status, `POST /routing/items: ${r.text}`).toBe(201);
}

describe.skipIf(!hasChromium || !!process.env.URPNET_E2E_URL)('routing console and wallboard, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let operatorContext: BrowserContext;
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
    operatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    page = await operatorContext.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the operator goes available, is offered a chat over SSE, accepts it and completes it; the supervisor sees it on the wallboard', async () => {
    await login(page, server.baseUrl, OPERATOR);
    await page.goto(`${server.baseUrl}/`);
    const bar = page.getByTestId('routing-console');
    await visible(bar);
    const presence = bar.getByLabel('Presenza');
    await presence.selectOption({ label: 'Disponibile' });
    await expect.poll(async () => await presence.inputValue(), POLL).toBe('available');
    await expect.poll(async () => (await page.evaluate(async () => (await (await fetch('/api/v1/routing/me')).json()) as { state: { presence: string } | null })).state?.presence, POLL).toBe('available');
    const officeId = await page.evaluate(async () => ((await (await fetch('/api/v1/routing/me')).json()) as { state: { officeId: string } }).state.officeId);
    await expectAccessible(page, 'routing: console');

    const subject = 'Chat di prova: orari dello sportello anagrafe';
    await queueChat(server.baseUrl, officeId, subject);

    const dialog = page.getByRole('dialog', { name: 'Nuovo contatto in arrivo' });
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    await containsText(dialog, subject);
    await containsText(dialog, 'Chat');
    await containsText(dialog, 'Scade tra');
    await expect.poll(async () => await page.evaluate(() => document.activeElement?.textContent?.trim()), POLL).toBe('Accetta');
    await expectAccessible(page, 'routing: offer dialog');
    await screenshot(page, 'routing-offer', false);

    await dialog.getByRole('button', { name: 'Accetta' }).click();
    await hidden(dialog);
    const held = bar.getByTestId('routing-held');
    await containsText(held, subject);
    await containsText(bar.getByTestId('routing-held-count'), 'Contatti in carico: 1');
    await held.getByRole('button', { name: 'Concludi' }).click();
    await visible(bar.getByText('Contatto concluso.'));
    await containsText(bar.getByTestId('routing-held-count'), 'Contatti in carico: 0');
    expect(pageErrors).toEqual([]);

    // The supervisor's wallboard.
    const supervisorContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    const board = await supervisorContext.newPage();
    board.setDefaultTimeout(15_000);
    await login(board, server.baseUrl, SUPERVISOR);
    await board.goto(`${server.baseUrl}/instradamento/pannello`);
    await visible(board.getByRole('heading', { level: 1, name: 'Pannello delle code' }));
    const row = board.locator(`tr[data-office="${officeId}"]`);
    await visible(row);
    await expect.poll(async () => Number(await row.locator('[data-col="answered"]').textContent()), POLL).toBeGreaterThanOrEqual(1);
    await visible(board.getByTestId('wallboard-tiles'));
    await expectAccessible(board, 'routing: wallboard');
    await screenshot(board, 'routing-wallboard');

    // Live: a contact queued now shows within seconds, long before the page's 30-second timer.
    await presence.selectOption({ label: 'Pausa' });
    await expect.poll(async () => (await page.evaluate(async () => (await (await fetch('/api/v1/routing/me')).json()) as { state: { presence: string } | null })).state?.presence, POLL).toBe('break');
    const waitingBefore = Number(await row.locator('[data-col="waiting"]').textContent());
    await queueChat(server.baseUrl, officeId, 'Chat in attesa, vista dal pannello');
    await expect.poll(async () => Number(await row.locator('[data-col="waiting"]').textContent()), { timeout: 8_000, interval: 100 }).toBe(waitingBefore + 1);

    // The office filter keeps the office's row.
    await board.getByLabel('Ufficio', { exact: true }).selectOption(officeId);
    await visible(board.locator(`tr[data-office="${officeId}"]`));
    await supervisorContext.close();
  });
});
