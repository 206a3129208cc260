import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../../src/modules/archive/archive-release.fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * The analytics dashboards (issue 14) in the browser: the analyst opens them from the menu, reads the
 * KPIs and the charts (small counts withheld), switches the time step, downloads a chart as CSV,
 * drills down from a bar to the archive browser with that filter; accessibility checked on the way.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const ANALYST = 'analista@demo.urpnet.it';
const SUPERVISOR = 'responsabile.comune-celano@demo.urpnet.it';

/** The text of an SVG element (which has no innerText) eventually contains `text`. */
async function svgText(locator: Locator, text: string): Promise<void> {
  await expect.poll(async () => (await locator.textContent()) ?? '', POLL).toContain(text);
}

describe.skipIf(!hasChromium || !!process.env.URPNET_E2E_URL)('analytics dashboards, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    // 30 TARI calls in January and February, 12 e-mails, 2 PECs (withheld as small), 8 in Naples in March.
    await writeArchiveRows(path.join(server.dataDir, 'archive'), [
      ...Array.from({ length: 30 }, (_, i) => archiveRow({ opened_day: `2026-0${1 + (i % 2)}-${String(1 + (i % 20)).padStart(2, '0')}` })),
      ...Array.from({ length: 12 }, () => archiveRow({ channel: 'email', topic_code: 'tributi.imu', opened_day: '2026-01-10' })),
      archiveRow({ channel: 'pec', opened_day: '2026-02-03' }),
      archiveRow({ channel: 'pec', opened_day: '2026-02-04' }),
      ...Array.from({ length: 8 }, () => archiveRow({ territory_code: '063049', topic_code: 'anagrafe_stato_civile.carta_identita', opened_day: '2026-03-05' })),
    ]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the analyst reads the dashboard, switches the time step, downloads a CSV and drills down to the archive', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(ANALYST);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByRole('link', { name: 'Cruscotti' }).click();
    await page.waitForURL((url) => url.pathname === '/analisi');
    await visible(page.getByRole('heading', { level: 1, name: 'Analisi dei contatti' }));

    // KPIs and charts: 52 contacts; by channel the 2 PECs are withheld, never shown as a number.
    await containsText(page.getByTestId('kpi-total'), '52');
    // Deflected contacts: the network's, measured on the portal (no visit yet in this demo).
    await containsText(page.getByTestId('kpi-deflected'), 'Contatti evitati dalle FAQ');
    await containsText(page.getByTestId('kpi-deflected'), '0');
    const series = page.getByTestId('chart-series');
    await visible(series.locator('svg[role="img"]'));
    expect(await series.locator('svg[role="img"]').getAttribute('aria-label')).toContain('Contatti nel tempo');
    expect(await series.locator('[data-period]').count()).toBe(3);
    const channels = page.getByTestId('chart-channel');
    await svgText(channels.locator('[data-key="pec"]'), '≤3');
    await visible(page.getByTestId('chart-regions').locator('[data-tile="13"]'));
    await svgText(page.getByTestId('chart-regions').locator('[data-tile="13"]'), '44');
    await visible(page.getByTestId('chart-sparklines').locator('svg[role="img"]'));
    await expectAccessible(page, 'analytics: dashboard');
    await screenshot(page, 'analytics-dashboard');

    // Time step: by week there are more periods than months.
    await page.getByRole('button', { name: 'Settimana', exact: true }).click();
    await expect.poll(() => series.locator('[data-period]').count(), POLL).toBeGreaterThan(3);
    expect(await series.locator('[data-period]').first().getAttribute('data-period')).toMatch(/^2026-W\d{2}$/);
    // The hourly series needs a short period: disabled without one.
    expect(await page.getByRole('button', { name: 'Ora', exact: true }).isDisabled()).toBe(true);

    // CSV of the channels chart.
    const [download] = await Promise.all([page.waitForEvent('download'), channels.getByRole('button', { name: /Scarica CSV/ }).click()]);
    expect(download.suggestedFilename()).toBe('contatti-per-canale.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('Voce,Contatti');
    expect(csv).toMatch(/Telefono,38/);
    expect(csv).not.toMatch(/PEC,2/);

    // The empty slice says "no data".
    await page.getByLabel('Regione', { exact: true }).selectOption('01');
    await page.getByRole('button', { name: 'Applica i filtri' }).click();
    await visible(page.getByTestId('analytics-no-data'));
    // A region: the map shows its provinces (L'Aquila, 066), named.
    await page.getByLabel('Regione', { exact: true }).selectOption('13');
    await page.getByRole('button', { name: 'Applica i filtri' }).click();
    const provinces = page.getByTestId('chart-provinces');
    await svgText(provinces.locator('[data-tile="066"]'), "L'Aquila");
    await svgText(provinces.locator('[data-tile="066"]'), '44');
    await page.getByRole('button', { name: 'Azzera' }).click();
    await containsText(page.getByTestId('kpi-total'), '52');

    // Drill-down: the e-mail bar opens the archive browser filtered by that channel.
    await channels.locator('[data-key="email"] rect').click();
    await page.waitForURL((url) => url.pathname === '/archivio' && url.searchParams.get('channel') === 'email');
    await expect.poll(() => page.getByLabel('Canale', { exact: true }).inputValue(), POLL).toBe('email');
    await expectAccessible(page, 'analytics: drill-down to the archive');
    expect(pageErrors).toEqual([]);
  });

  it("a supervisor reads the dashboard of their own body, without the archive's records", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    const own = await context.newPage();
    own.on('pageerror', (error) => pageErrors.push(error.message));
    await own.goto(`${server.baseUrl}/login?next=${encodeURIComponent('/analisi')}`);
    await own.getByLabel('Indirizzo e-mail').fill(SUPERVISOR);
    await own.getByLabel('Password').fill(PASSWORD);
    await own.keyboard.press('Enter');
    await own.waitForURL((url) => url.pathname === '/analisi');
    await visible(own.getByRole('heading', { level: 1, name: 'Analisi dei contatti' }));
    // The body is chosen and cannot be emptied: the whole network is not theirs to read.
    const body = own.getByLabel('Ente', { exact: true });
    await expect.poll(() => body.locator('option').allInnerTexts(), POLL).toEqual(['Comune di Celano']);
    // This archive holds none of Celano's own contacts (the rows belong to a body of the fixtures).
    await visible(own.getByTestId('analytics-no-data'));
    expect(await own.locator('.alert-danger').allInnerTexts()).toEqual([]);
    await own.getByRole('button', { name: 'Azzera' }).click();
    await visible(own.getByTestId('analytics-no-data'));
    await expectAccessible(own, 'analytics: a body supervisor');
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
