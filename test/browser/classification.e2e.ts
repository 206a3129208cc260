import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, containsText, expectAccessible, launchPersistentChromium, POLL, screenshot, SCREENSHOTS } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found`);

const PASSWORD = 'e2e-classification-2026';
const CELANO_OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const COORDINATOR = 'coordinatore@demo.urpnet.it';

describe.skipIf(!hasChromium)('classification suggestions on the new-ticket form in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    ({ context, profileDir } = await launchPersistentChromium('urpnet-e2e-classification-'));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it('suggests tema and tipo while the operator types, fills the pickers with "Usa" and records the choice with the ticket', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(CELANO_OPERATOR);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto(`${server.baseUrl}/tickets/new`);
    await page.getByLabel('Oggetto').fill('Tassa rifiuti');
    await page.getByLabel('Descrizione').fill('Il cittadino chiede come pagare la tassa sulla spazzatura, non gli è arrivato il bollettino');

    const box = page.getByTestId('classification-suggestions');
    const temaGroup = box.getByRole('group', { name: 'Tema' });
    const tipoGroup = box.getByRole('group', { name: 'Tipo di richiesta' });
    // The first suggestion may need the model trained on first use (FAQs and taxonomy): allow time.
    await expect.poll(() => temaGroup.getByRole('button').count(), { ...POLL, timeout: 60_000 }).toBeGreaterThan(0);
    expect(await tipoGroup.getByRole('button').count()).toBeGreaterThan(0);
    const firstTema = temaGroup.getByRole('button').first();
    expect(await firstTema.textContent()).toMatch(/Usa[\s\S]*%/);
    expect(await firstTema.getAttribute('aria-pressed')).toBe('false');
    await expectAccessible(page, 'classification-suggestions', '[data-testid="classification-suggestions"]');

    await firstTema.click();
    await expect.poll(() => firstTema.getAttribute('aria-pressed'), POLL).toBe('true');
    await containsText(box.getByRole('status'), 'Tema impostato');
    const firstTipo = tipoGroup.getByRole('button').first();
    await firstTipo.click();
    await expect.poll(() => firstTipo.getAttribute('aria-pressed'), POLL).toBe('true');
    expect(await page.locator('#ticket-tipo').inputValue()).not.toBe('');
    await screenshot(page, 'classification-suggestions');
    await expectAccessible(page, 'new-ticket-with-classification');

    await page.getByRole('button', { name: /Registra|Crea|Salva/ }).first().click();
    await page.waitForURL((url) => /^\/tickets\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));

    // The coordinator sees the confirmation in the model history.
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: COORDINATOR, password: PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const history = (await (await fetch(`${server.baseUrl}/api/v1/classification/models`, { headers: { cookie } })).json()) as { items: { facet: string; feedback: { total: number; accepted: number } }[] };
    const tema = history.items.find((m) => m.facet === 'tema')!;
    expect(tema.feedback).toMatchObject({ total: 1, accepted: 1 });
    expect(pageErrors).toEqual([]);
  });
});
