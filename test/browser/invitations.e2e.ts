import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * Joining another body by invitation (issue 9, point 2) in the browser: Napoli's administrator
 * invites a Celano back-office officer by e-mail; the officer sees the invitation in the inbox and
 * accepts it, and Napoli's administrator then sees the invitation accepted.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const NAPOLI_ADMIN = 'admin.comune-napoli@demo.urpnet.it';
const GUEST = 'backoffice.comune-celano@demo.urpnet.it';

describe.skipIf(!hasChromium && !process.env.URPNET_E2E_URL)('invitations to join another body, in Chromium', () => {
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
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  async function login(email: string): Promise<void> {
    await page.context().clearCookies();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');
  }

  it("Napoli's administrator invites a Celano officer by e-mail", async () => {
    await login(NAPOLI_ADMIN);
    await page.goto(`${baseUrl}/admin`);
    await visible(page.getByRole('heading', { level: 2, name: 'Inviti' }));
    await page.getByLabel('Email della persona da invitare').fill(GUEST);
    await page.locator('#invite-role').selectOption('back_office');
    await page.getByRole('button', { name: 'Invia invito' }).click();
    await containsText(page.locator('body'), `Invito inviato a ${GUEST}`);
    await containsText(page.locator('section[aria-labelledby="invitations-title"] table'), 'in attesa');
    await expectAccessible(page, 'admin-invitations', 'section[aria-labelledby="invitations-title"]');
  });

  it('the officer sees the invitation in the inbox and accepts it', async () => {
    await login(GUEST);
    await page.goto(`${baseUrl}/`);
    const section = page.locator('section[aria-labelledby="my-invitations-title"]');
    await visible(section);
    await containsText(section, 'Comune di Napoli ti invita con il ruolo');
    await expectAccessible(page, 'my-invitations', 'section[aria-labelledby="my-invitations-title"]');
    await screenshot(page, '30-invitation-pending');
    await section.getByRole('button', { name: /Accetta – Comune di Napoli/ }).click();
    await containsText(section, 'Ora fai parte di Comune di Napoli');
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).json());
    expect(session.memberships.map((m: { organisationName: string }) => m.organisationName)).toContain('Comune di Napoli');
  });

  it("Napoli's administrator sees the invitation accepted", async () => {
    await login(NAPOLI_ADMIN);
    await page.goto(`${baseUrl}/admin`);
    await containsText(page.locator('section[aria-labelledby="invitations-title"] table'), 'accettato');
    expect(pageErrors).toEqual([]);
  });
});
