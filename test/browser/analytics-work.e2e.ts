import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { insertAlarms } from '../../src/modules/analytics/alarms/alarms.repository.js';
import { sliceKey } from '../../src/modules/analytics/alarms/alarm-slices.js';
import { archiveRow, writeArchiveRows } from '../../src/modules/archive/archive-release.fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * The analytics work pages (issue 14) in the browser: the supervisor of Celano reads an alarm (seeded
 * in the database before the server starts, with archived contacts of its slice for the chart),
 * acknowledges it, watches its slice, turns it into an action, finds the action in the list and moves
 * it on; then plans the staffing of an office. Accessibility checked on each page.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const SUPERVISOR = 'responsabile.comune-celano@demo.urpnet.it';
const ANALYST = 'analista@demo.urpnet.it';

const isoDay = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const FIXED_HOLIDAYS = ['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26'];
/** A Wednesday at least two days ahead that is not a national holiday: offices are open. */
function workingWednesday(): string {
  for (let d = 2; ; d++) {
    const day = isoDay(-d);
    if (new Date(`${day}T12:00:00Z`).getUTCDay() === 3 && !FIXED_HOLIDAYS.includes(day.slice(5))) return day;
  }
}

describe.skipIf(!hasChromium || !!process.env.URPNET_E2E_URL)('alarms, actions and staffing, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let alarmId: string;
  const pageErrors: string[] = [];
  const alarmDay = isoDay(40);

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    // The database is prepared before the server opens it (the embedded database has one user at a
    // time): migrated, with one alarm; the server then seeds the demo network on its first start.
    dataDir = await mkdtemp(path.join(tmpdir(), 'urpnet-e2e-work-'));
    const database = await openDatabase({ databaseUrl: null, dataDir });
    try {
      await migrateToLatest(database.db);
      const slice = { topic: 'tributi.tari', territory: '066' };
      const [alarm] = await insertAlarms(database.db, [{ seriesKey: sliceKey(slice), slice, kind: 'spike', day: alarmDay, since: isoDay(41), observed: 27, expected: 2, score: 9.5 }], new Date());
      alarmId = alarm!.id;
    } finally {
      await database.close();
    }
    // Two TARI contacts a day in Celano for three months, 27 on the alarm's day.
    const rows: ReturnType<typeof archiveRow>[] = [];
    for (let d = 100; d >= 20; d--) {
      const n = d === 40 ? 27 : 2;
      for (let i = 0; i < n; i++) rows.push(archiveRow({ opened_day: isoDay(d), closed_day: isoDay(d - 1) }));
    }
    await writeArchiveRows(path.join(dataDir, 'archive'), rows);
    server = await startServer(PASSWORD, 170_000, { DATA_DIR: dataDir });
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
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('the supervisor reads an alarm, acknowledges it, watches its slice and turns it into an action', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(SUPERVISOR);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');

    // From the menu: the analytics pages are under one entry.
    await page.getByRole('button', { name: 'Analisi', exact: true }).click();
    await page.getByRole('link', { name: 'Allarmi', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/analisi/allarmi');
    await visible(page.getByRole('heading', { level: 1, name: 'Allarmi' }));
    const row = page.locator(`[data-alarm="${alarmId}"]`);
    await containsText(row, 'Picco');
    await containsText(row, '27 contatti');
    await containsText(row, '+1250%');
    await expectAccessible(page, 'alarms: list');
    await screenshot(page, 'analytics-alarms');

    // The detail: what the notification links to.
    await row.getByRole('link').click();
    await page.waitForURL((url) => url.pathname === `/analisi/allarmi/${alarmId}`);
    await containsText(page.getByTestId('alarm-sentence'), '27 contatti');
    const chart = page.getByTestId('chart-alarm-chart');
    await visible(chart.locator('svg[role="img"]'));
    expect(await chart.locator('[data-mark]').getAttribute('data-mark')).toBe(alarmDay);
    expect(await chart.locator('svg[role="img"]').getAttribute('aria-label')).toContain('giorno dell’allarme');
    await expectAccessible(page, 'alarms: detail');
    await screenshot(page, 'analytics-alarm-detail');

    await page.getByRole('button', { name: 'Prendi in carico' }).click();
    await visible(page.getByText('Stato dell’allarme per il tuo ente aggiornato: Preso in carico. Gli altri enti hanno il proprio.'));
    await page.getByRole('button', { name: 'Segui questa porzione' }).click();
    await visible(page.getByTestId('alarm-watching'));

    // The link of a notification opens the same detail on a fresh load.
    await page.goto(`${server.baseUrl}/analisi/allarmi/${alarmId}`);
    await visible(page.getByTestId('alarm-watching'));
    expect(await page.getByRole('button', { name: 'Prendi in carico' }).count()).toBe(0);

    // An action from the alarm: the form carries the alarm and its slice.
    await page.getByRole('link', { name: 'Crea un’azione' }).click();
    await page.waitForURL((url) => url.pathname === '/analisi/azioni' && url.searchParams.get('originRef') === alarmId);
    await expect.poll(() => page.getByLabel('Tema').inputValue(), POLL).toBe('tributi.tari');
    expect(await page.getByLabel('Territorio').inputValue()).toBe('066');
    await page.getByLabel('Titolo').fill('FAQ sulla nuova scadenza TARI');
    await expectAccessible(page, 'actions: new action form');
    await page.getByRole('button', { name: 'Crea l’azione' }).click();
    await page.waitForURL((url) => /^\/analisi\/azioni\/[0-9a-f-]{36}$/.test(url.pathname));
    await visible(page.getByRole('heading', { level: 1, name: 'FAQ sulla nuova scadenza TARI' }));
    await visible(page.getByRole('link', { name: 'Allarme', exact: true }));

    // In the list, then moved on.
    await page.getByRole('link', { name: 'Torna alle azioni' }).click();
    await page.waitForURL((url) => url.pathname === '/analisi/azioni' && url.search === '');
    await page.getByRole('link', { name: 'Apri l’azione: FAQ sulla nuova scadenza TARI' }).click();
    await page.getByLabel('Stato', { exact: true }).selectOption('in_progress');
    await page.getByRole('button', { name: 'Salva', exact: true }).click();
    await visible(page.getByText('Azione aggiornata.'));
    await containsText(page.locator('.status-badge').first(), 'In corso');
    // Given to a colleague of the body, chosen by name; the detail names them.
    const owner = page.getByLabel('Responsabile', { exact: true });
    await expect.poll(() => owner.locator('option').count(), POLL).toBeGreaterThan(2);
    const colleague = (await owner.locator('option').nth(2).innerText()).trim();
    await owner.selectOption({ index: 2 });
    await page.getByRole('button', { name: 'Salva', exact: true }).click();
    await visible(page.getByText('Azione aggiornata.'));
    await visible(page.locator('dd', { hasText: colleague }));

    // Done, in effect since 60 days ago: the contacts since then against the forecast made from those before.
    await page.getByLabel('Stato', { exact: true }).selectOption('done');
    await page.getByLabel('In vigore dal').fill(isoDay(60));
    await page.getByRole('button', { name: 'Salva', exact: true }).click();
    await containsText(page.locator('.status-badge').first(), 'Conclusa');
    await containsText(page.getByTestId('effect-sentence'), 'Dopo l’azione:');
    await containsText(page.getByTestId('effect-sentence'), 'attesi');
    await visible(page.getByTestId('effect-verdict'));
    const effect = page.getByTestId('chart-effect-chart');
    expect(await effect.locator('[data-mark]').getAttribute('data-mark')).toBe(isoDay(60));
    // Days of two contacts are withheld, never shown as a number.
    await effect.getByText('Dati del grafico').click();
    await containsText(effect.locator('table'), '≤3');
    await expectAccessible(page, 'actions: detail with its effect');
    await screenshot(page, 'analytics-action');
    expect(pageErrors).toEqual([]);
  });

  it('plans the staffing of an office for a day', async () => {
    await page.goto(`${server.baseUrl}/analisi/turni`);
    await visible(page.getByRole('heading', { level: 1, name: 'Previsioni e turni' }));
    await expect.poll(() => page.getByLabel('Ufficio', { exact: true }).locator('option').count(), POLL).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Calcola i turni' }).click();
    await page.locator('[data-testid="staffing-plan"], .alert-danger').first().waitFor();
    expect(await page.locator('.alert-danger').allInnerTexts()).toEqual([]);
    const plan = page.getByTestId('staffing-plan');
    await containsText(plan, 'Contatti previsti');
    await containsText(page.getByTestId('staffing-totals'), 'Ore-operatore al telefono');
    // Contacts typed by hand: a plan with its chart of agents per half hour.
    const manual = page.getByTestId('staffing-manual');
    await manual.getByLabel('Contatti per mezz’ora').fill('09:00 12\n09:30 30\nboh');
    await manual.getByRole('button', { name: 'Calcola con questi contatti' }).click();
    await containsText(manual, 'Righe non leggibili: 3.');
    await manual.getByLabel('Contatti per mezz’ora').fill('09:00 12\n09:30 30\n10:00 18');
    await manual.getByRole('button', { name: 'Calcola con questi contatti' }).click();
    const columns = page.getByTestId('chart-manual-chart');
    await visible(columns.locator('svg[role="img"]'));
    expect(await columns.locator('[data-column]').count()).toBe(3);
    await containsText(page.getByTestId('manual-totals'), 'Ore-operatore al telefono');
    // The office's contact forecast: this archive holds none of its contacts, and says so.
    const forecast = page.getByTestId('contact-forecast');
    await forecast.getByRole('button', { name: 'Prevedi' }).click();
    await containsText(forecast.locator('[data-testid="forecast-empty"], .alert-danger').first(), 'Nessun contatto nell’archivio');
    await expectAccessible(page, 'staffing');
    await screenshot(page, 'analytics-staffing');
    expect(pageErrors).toEqual([]);
  });

  it('compares two offices separately and pooled (an analyst, who plans for the whole network)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent('/analisi/turni')}`);
    await page.getByLabel('Indirizzo e-mail').fill(ANALYST);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/analisi/turni');
    await page.getByLabel('Giorno', { exact: true }).fill(workingWednesday());
    const pooling = page.getByTestId('staffing-pooling');
    // Bootstrap Italia draws the box on the label: the label is what takes the click.
    const boxes = pooling.locator('label.form-check-label');
    await expect.poll(() => boxes.count(), POLL).toBeGreaterThan(1);
    await boxes.nth(0).click();
    await pooling.getByRole('button', { name: 'Confronta' }).click();
    await containsText(pooling, 'Scegli almeno due uffici.');
    await boxes.nth(1).click();
    await pooling.getByRole('button', { name: 'Confronta' }).click();
    await page.locator('[data-testid="pooling-result"], [data-testid="staffing-pooling"] .alert-danger').first().waitFor();
    expect(await pooling.locator('.alert-danger').allInnerTexts()).toEqual([]);
    await containsText(page.getByTestId('pooling-result'), 'ore-operatore');
    await expectAccessible(page, 'staffing: pooling');
    // The network's TARI contacts forecast four weeks ahead, next to the days observed (2 a day: withheld).
    const forecast = page.getByTestId('contact-forecast');
    await forecast.getByLabel('Cosa prevedere').selectOption({ label: 'Tutta la rete' });
    await forecast.getByLabel('Tema').selectOption('tributi.tari');
    await forecast.getByRole('button', { name: 'Prevedi' }).click();
    await page.locator('[data-testid="forecast-result"], [data-testid="contact-forecast"] .alert-danger').first().waitFor();
    expect(await forecast.locator('.alert-danger').allInnerTexts()).toEqual([]);
    await containsText(page.getByTestId('forecast-total'), 'sono previsti circa');
    await containsText(page.getByTestId('forecast-total'), 'I giorni osservati con 1–3 contatti sono omessi.');
    const chart = page.getByTestId('chart-forecast-chart');
    await visible(chart.locator('svg[role="img"]'));
    await chart.getByText('Dati del grafico').click();
    await containsText(chart.locator('table'), '≤3');
    expect(await chart.locator('table tbody tr').count()).toBe(56 + 28);
    await expectAccessible(page, 'staffing: contact forecast');
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, 'analytics-forecast');
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
