import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * Data protection (issue 13) in the browser: the Celano organisation admin sets the retention
 * periods (an out-of-range value is refused next to its field) and sees the log of retention runs;
 * then, at the requests desk, searches a name that two different people share, is asked to choose
 * and confirm, and erases the data of one of them. Accessibility is checked on each step.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const CELANO_OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const CELANO_ADMIN = 'admin.comune-celano@demo.urpnet.it';

/** bootstrap-italia draws radios and checkboxes on their label, which is what a person clicks. */
async function pick(input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
}

/** The top offsets of the main menu's entries, rounded: one value when the menu keeps to one line. */
async function menuTops(page: Page): Promise<number[]> {
  const entries = page.locator('#main-menu .navbar-nav > li');
  await expect.poll(() => entries.count(), POLL).toBeGreaterThan(0);
  return entries.evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().top)));
}

describe.skipIf(!hasChromium)('data protection: retention and data subject requests, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const token = Date.now().toString(36);
  const NAME = `Ottavio Zanardelli ${token}`;

  /** Two tickets from two different people with the same name (different e-mail addresses), through the API. */
  async function twoNamesakes(): Promise<void> {
    const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: CELANO_OPERATOR, password: PASSWORD }) });
    expect(res.status).toBe(200);
    const session = (await res.json()) as { csrfToken: string; memberships: { officeId: string | null }[] };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const officeId = session.memberships.find((m) => m.officeId)?.officeId;
    for (const [i, email] of [`ottavio.${token}@example.it`, `o.zanardelli.${token}@example.org`].entries()) {
      const r = await fetch(`${server.baseUrl}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ officeId, channel: 'email', subject: `Richiesta di informazioni ${i + 1}`, description: 'Vorrei sapere gli orari dello sportello.', requester: { name: NAME, email } }),
      });
      expect(r.status, await r.text()).toBe(201);
    }
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    await twoNamesakes();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the org admin reaches the retention settings from the menu; a value out of range is refused next to its field', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(CELANO_ADMIN);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/admin');
    // The data pages join the menu without breaking it onto a second line.
    expect(new Set(await menuTops(page)).size).toBe(1);
    await page.getByRole('button', { name: 'Dati e privacy' }).click();
    await page.getByRole('link', { name: 'Conservazione dei dati' }).click();
    await page.waitForURL((url) => url.pathname === '/privacy/conservazione');
    await visible(page.getByRole('heading', { level: 1, name: 'Conservazione dei dati personali' }));
    await containsText(page.getByTestId('retention-state'), 'Valori predefiniti');
    await visible(page.getByText('Nessuna cancellazione eseguita finora.'));
    await expectAccessible(page, 'retention: start');

    const requester = page.getByLabel(/Dati del richiedente: mesi dopo la chiusura/);
    await requester.fill('0');
    await page.getByRole('button', { name: 'Salva i periodi di conservazione' }).click();
    await visible(page.locator('#retention-requester-error'));
    await expect.poll(() => requester.getAttribute('aria-invalid'), POLL).toBe('true');
    await visible(page.getByText(/Correggi i campi evidenziati: Dati del richiedente/));
    await expectAccessible(page, 'retention: field error');

    await requester.fill('24');
    await page.getByLabel(/Allegati: mesi dopo la chiusura/).fill('12');
    await page.getByRole('button', { name: 'Salva i periodi di conservazione' }).click();
    await visible(page.getByText('Periodi di conservazione salvati.'));
    await containsText(page.getByTestId('retention-state'), 'Ultima modifica');
    await page.reload();
    await expect.poll(() => requester.inputValue(), POLL).toBe('24');
  });

  it('an erasure whose criteria match two people asks the officer to choose and confirm, then runs for the one chosen', async () => {
    await page.getByRole('button', { name: 'Dati e privacy' }).click();
    await page.getByRole('link', { name: 'Richieste degli interessati' }).click();
    await page.waitForURL((url) => url.pathname === '/privacy/richieste');
    await visible(page.getByRole('heading', { level: 1, name: 'Richieste degli interessati' }));
    await expectAccessible(page, 'requests: start');

    // Nothing to search for.
    await page.getByRole('button', { name: 'Cerca', exact: true }).click();
    await visible(page.getByText('Indica almeno un criterio di ricerca.'));

    await page.getByLabel('Nome e cognome').fill(NAME);
    await page.getByRole('button', { name: 'Cerca', exact: true }).click();
    await containsText(page.getByTestId('dsr-status'), 'Più persone corrispondono ai criteri');
    await expect.poll(() => page.getByTestId('dsr-candidate').count(), POLL).toBe(2);
    await visible(page.getByRole('table', { name: 'Dati della persona 1 per ente' }));
    await expectAccessible(page, 'requests: candidates');

    // Neither chosen nor confirmed: the desk says what is missing and does nothing.
    await page.getByRole('button', { name: 'Esegui la cancellazione' }).click();
    await visible(page.getByText('Scegli almeno una persona tra quelle trovate.'));
    await pick(page.getByLabel('Riguarda la richiesta: persona 1'));
    await page.getByRole('button', { name: 'Esegui la cancellazione' }).click();
    await visible(page.getByText('Conferma la verifica prima di eseguire la richiesta.'));
    await pick(page.locator('#dsr-confirm'));
    await page.getByRole('button', { name: 'Esegui la cancellazione' }).click();
    await visible(page.getByText('Richiesta eseguita.'));

    // The list holds the request, without personal data.
    const row = page.getByTestId('dsr-request').first();
    await containsText(row, 'Cancellazione (art. 17)');
    await containsText(row, 'nome');
    expect(await page.getByRole('table', { name: 'Richieste degli interessati (senza dati personali)' }).textContent()).not.toContain('Zanardelli');

    // The other person's data is still there: the same search now finds one person only.
    await page.getByRole('button', { name: 'Cerca', exact: true }).click();
    await containsText(page.getByTestId('dsr-status'), 'Trovata una persona.');

    // An access request for the other one: one person, nothing to choose; the export is downloaded once.
    await pick(page.getByLabel('Accesso (art. 15)'));
    await pick(page.locator('#dsr-confirm'));
    await page.getByRole('button', { name: 'Prepara l’esportazione' }).click();
    await visible(page.getByText('Richiesta eseguita.'));
    const link = page.getByTestId('dsr-export-link');
    await visible(link);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^accesso-.*\.json$/);
    await containsText(page.getByTestId('dsr-request').first(), 'Accesso (art. 15)');
    // Once only: the link goes, and the list says when the export was downloaded.
    await containsText(page.getByTestId('dsr-request').first(), 'scaricata il');
    expect(await link.count()).toBe(0);
    await expectAccessible(page, 'requests: done');
    await screenshot(page, 'privacy-requests');
    expect(pageErrors).toEqual([]);
  });
});
