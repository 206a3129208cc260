import { existsSync } from 'node:fs';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../../src/modules/archive/archive-release.fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * The anonymised archive (issue 13) in the browser: the network coordinator reaches it from the
 * menu, sets the grace period to zero days and runs the archive, following its progress; starts an
 * open-data export and downloads its DCAT-AP_IT catalog once it completes; the analyst opens the
 * archive and reads the counts, with small cells withheld. Accessibility is checked on each step.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const CELANO_SUPERVISOR = 'responsabile.comune-celano@demo.urpnet.it';
const COORDINATOR = 'coordinatore@demo.urpnet.it';
const ANALYST = 'analista@demo.urpnet.it';
const LONG = { timeout: 90_000, interval: 250 };

/** bootstrap-italia draws radios and checkboxes on their label, which is what a person clicks. */
async function pick(input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
}

/** Closes a few Celano tickets through the API, so that the archive run has something to archive. */
async function closedTickets(baseUrl: string, count: number): Promise<void> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: CELANO_SUPERVISOR, password: PASSWORD }) });
  expect(res.status).toBe(200);
  const session = (await res.json()) as { csrfToken: string; memberships: { officeId: string | null }[] };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const officeId = session.memberships.find((m) => m.officeId)?.officeId;
  const post = async (path: string, body: unknown, etag?: string) => {
    const r = await fetch(`${baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken, ...(etag ? { 'if-match': etag } : {}) },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    expect(r.status, `POST ${path}: ${text}`).toBeLessThan(300);
    return { body: JSON.parse(text) as { code: string }, etag: r.headers.get('etag') ?? '*' };
  };
  for (let i = 0; i < count; i++) {
    const created = await post('/tickets', {
      officeId, channel: i % 2 ? 'telefono' : 'email', subject: `Orari dello sportello anagrafe ${i + 1}`,
      description: 'Buongiorno, sono Mario Rossi (mario.rossi@example.it): vorrei sapere gli orari.', classification: { tipo: 'informazione', tema: 'tributi.tari' },
    });
    const code = encodeURIComponent(created.body.code);
    const resolved = await post(`/tickets/${code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, created.etag);
    await post(`/tickets/${code}/status`, { status: 'closed' }, resolved.etag);
  }
}

/** The top offsets of the main menu's entries, rounded: one value when the menu keeps to one line. */
async function menuTops(page: Page): Promise<number[]> {
  const entries = page.locator('#main-menu .navbar-nav > li');
  await expect.poll(() => entries.count(), POLL).toBeGreaterThan(0);
  return entries.evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().top)));
}

describe.skipIf(!hasChromium && !process.env.URPNET_E2E_URL)('anonymised archive, in Chromium', () => {
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
    await closedTickets(baseUrl, 5);
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

  async function loginAs(email: string): Promise<void> {
    await page.context().clearCookies();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');
  }

  it('the coordinator reaches the archive from the menu, sets the grace period and runs the archive', async () => {
    await loginAs(COORDINATOR);
    // The data pages join the menu without breaking it onto a second line.
    expect(new Set(await menuTops(page)).size).toBe(1);
    await page.getByRole('button', { name: 'Dati e privacy' }).click();
    await page.getByRole('link', { name: 'Archivio anonimo' }).click();
    await page.waitForURL((url) => url.pathname === '/archivio');
    await visible(page.getByRole('heading', { level: 1, name: 'Archivio anonimo dei contatti' }));
    await visible(page.getByTestId('archive-status'));
    await visible(page.getByRole('heading', { name: "Impostazioni dell'archivio" }));
    await expectAccessible(page, 'archive: coordinator');

    // An out-of-range value is refused, and said next to its field.
    const grace = page.getByLabel('Giorni di attesa dopo la chiusura');
    await grace.fill('999');
    await page.getByRole('button', { name: 'Salva le impostazioni' }).click();
    await visible(page.locator('#archive-grace-error'));
    await expect.poll(() => grace.getAttribute('aria-invalid'), POLL).toBe('true');
    await grace.fill('0');
    await page.getByRole('button', { name: 'Salva le impostazioni' }).click();
    await visible(page.getByText('Impostazioni salvate'));

    await page.getByRole('button', { name: 'Archivia ora' }).click();
    const progress = page.getByTestId('archive-run-progress');
    await containsText(progress, 'Archiviazione:');
    await expect.poll(async () => (await progress.textContent()) ?? '', LONG).toMatch(/Completata|Non riuscita/);
    expect(await progress.textContent()).toContain('Completata');
    await screenshot(page, 'archive-coordinator');
  });

  it('an open-data export runs as a long job; once complete, its files and the DCAT-AP_IT catalog can be downloaded', async () => {
    await page.getByRole('link', { name: 'Esportazioni open data' }).click();
    await page.waitForURL((url) => url.pathname === '/archivio/esportazioni');
    await visible(page.getByRole('heading', { name: 'Esportazioni open data', level: 2 }));
    // Including the text is explained before it is chosen.
    await visible(page.getByText("non va pubblicata come dato aperto"));
    await pick(page.getByLabel('CSV (foglio di calcolo, un file per periodo)'));
    await expectAccessible(page, 'archive: exports');
    await page.getByRole('button', { name: "Avvia l'esportazione" }).click();
    const progress = page.getByTestId('archive-export-progress');
    await containsText(progress, 'Esportazione:');
    await expect.poll(async () => (await progress.textContent()) ?? '', LONG).toMatch(/completata|non riuscita/);
    expect(await progress.textContent()).toContain('completata');
    const catalog = page.getByTestId('archive-export-catalog');
    await visible(catalog);
    const [download] = await Promise.all([page.waitForEvent('download'), catalog.click()]);
    expect(download.suggestedFilename()).toBe('catalog.jsonld');
    await expectAccessible(page, 'archive: export done');
    await screenshot(page, 'archive-export');
  });

  it('the analyst opens the archive from the menu and reads the counts, small cells withheld with an explanation', async () => {
    // Tickets closed today are still within their reopen window, so the run above archived none: the
    // archive's own test fixture writes a month of records (20 by phone, 8 by e-mail, 2 by PEC) beside it.
    if (server) {
      const rows = [...Array.from({ length: 20 }, () => 'telefono'), ...Array.from({ length: 8 }, () => 'email'), 'pec', 'pec'].map((channel) => archiveRow({ channel }));
      await writeArchiveRows(path.join(server.dataDir, 'archive'), rows);
    }
    await loginAs(ANALYST);
    await page.getByRole('link', { name: 'Archivio anonimo' }).click();
    await page.waitForURL((url) => url.pathname === '/archivio');
    await visible(page.getByRole('heading', { level: 2, name: 'Conteggi' }));
    // Analysts read, they do not run the archive nor change its settings.
    expect(await page.getByRole('button', { name: 'Archivia ora' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: "Impostazioni dell'archivio" }).count()).toBe(0);
    const table = page.getByTestId('archive-aggregates');
    await visible(table);
    await visible(page.getByText(/Le caselle con 3 contatti o meno/));
    // By channel: 20 and 8 are shown; the 2 by PEC is withheld as small, and one more so that the total does not give it away.
    await page.getByLabel('Raggruppa per').selectOption('channel');
    await containsText(table.locator('caption'), 'Contatti per canale e mese');
    const withheld = table.locator('td[data-withheld="true"]');
    await expect.poll(() => withheld.count(), POLL).toBeGreaterThan(0);
    // Withheld cells never show a number: "≤3" or "riservato", with the reason for screen readers.
    for (const cell of await withheld.all()) expect(await cell.textContent()).toMatch(/≤3|riservato/);
    await visible(table.getByRole('rowheader', { name: 'PEC' }));
    expect(await table.getByRole('row', { name: /PEC/ }).textContent()).toContain('riservato: da 1 a 3 contatti');
    await containsText(table.getByRole('row', { name: /Telefono/ }), '20');
    // The anonymised records: the text with placeholders, never the requester's name or address.
    // (With so few records, k-anonymity may generalise them or leave them all out.)
    const listed = page.getByTestId('archive-record');
    const none = page.getByText('Nessun record per questi filtri.');
    await expect.poll(async () => (await listed.count()) + (await none.count()), POLL).toBeGreaterThan(0);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toContain('mario.rossi@example.it');
    await expectAccessible(page, 'archive: analyst');
    await screenshot(page, 'archive-analyst');
    expect(pageErrors).toEqual([]);
  });
});
