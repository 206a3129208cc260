import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { PROJECT_ROOT, type RunningServer, startServer } from './server.js';

/**
 * Bulk onboarding and the competence coverage report (issue 11) in the browser: the demo network
 * coordinator tries a file of bodies with bad lines (each reported with its line number), imports the
 * valid ones, onboards bodies, offices and people and hands over the password links; then opens the
 * coverage of a region, a topic's schematic map and its comuni. Accessibility is checked on both pages.
 *
 * `URPNET_E2E_URL` + `URPNET_E2E_PASSWORD` run it against an already running server instead.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const COORDINATOR = 'coordinatore@demo.urpnet.it';
const fixture = (name: string) => path.join(PROJECT_ROOT, 'test/fixtures/onboarding', name);

/** bootstrap-italia draws radios and checkboxes on their label, which is what a person clicks. */
async function pick(input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
}

describe.skipIf(!hasChromium && !process.env.URPNET_E2E_URL)('bulk onboarding and competence coverage, in Chromium', () => {
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
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  const panel = (name: string) => page.getByRole('tabpanel', { name });

  /** Chooses the file in a tab, tries it and waits for the report. */
  async function tryFile(tab: string, file: string): Promise<Locator> {
    await page.getByRole('tab', { name: tab }).click();
    const p = panel(tab);
    await p.getByLabel('File CSV').setInputFiles(fixture(file));
    await p.getByRole('button', { name: 'Prova senza importare' }).click();
    await visible(p.getByRole('heading', { name: 'Resoconto della prova (nulla è stato scritto)' }));
    return p;
  }

  async function importTried(p: Locator): Promise<void> {
    await p.getByRole('button', { name: 'Importa', exact: true }).click();
    await visible(p.getByRole('heading', { name: 'Importazione completata' }));
  }

  it('the coordinator reaches the imports page from the menu; the tabs work with the keyboard', async () => {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(COORDINATOR);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByRole('link', { name: 'Importazioni' }).first().click();
    await page.waitForURL((url) => url.pathname === '/admin/importazioni');
    await visible(page.getByRole('heading', { level: 1, name: 'Importazioni' }));
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Enti', 'Uffici', 'Persone', 'Competenze', 'Chiusure e patroni']);

    await page.getByRole('tab', { name: 'Enti' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { name: 'Uffici' }).getAttribute('aria-selected'), POLL).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('onboarding-tab-offices');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByRole('tab', { name: 'Enti' }).getAttribute('aria-selected'), POLL).toBe('true');

    // Trying without a file says what is missing.
    await panel('Enti').getByRole('button', { name: 'Prova senza importare' }).click();
    await visible(panel('Enti').getByText('Scegli un file da importare.'));
    await expectAccessible(page, 'imports: start');
  });

  it('a file of bodies with bad lines: the dry run lists each line and its reason, the import takes the valid ones when asked', async () => {
    const enti = await tryFile('Enti', 'enti-righe-non-valide.csv');
    const problems = enti.getByRole('table', { name: 'Righe errate del file, con il numero di riga e il motivo' });
    await visible(problems);
    expect(await problems.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')))).toEqual(['3', '4', '5', '6', '7']);
    await containsText(problems.locator('tr[data-line="4"]'), 'Moransengo-Tonengo');
    await containsText(problems.locator('tr[data-line="5"]'), 'compare già alla riga 2');
    await containsText(enti.getByTestId('onboarding-organisations-inserted'), '1');
    // All or nothing by default: the import waits for a fix or for the choice to skip the bad lines.
    const importButton = enti.getByRole('button', { name: 'Importa', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    await containsText(enti, 'Il file ha righe errate');
    await expectAccessible(page, 'imports: dry run with bad lines');
    await screenshot(page, '50-imports-dry-run-bad-lines');

    await pick(enti.getByLabel('importa le altre righe'));
    expect(await importButton.isDisabled()).toBe(false);
    await importTried(enti);
    await containsText(enti.getByTestId('onboarding-organisations-inserted'), '1');
    await containsText(enti, '5 righe errate non sono state importate.');
  });

  it('onboards bodies, offices and people, and lists the password links to hand over', async () => {
    const enti = await tryFile('Enti', 'ipa-amministrazioni-vecchio.txt');
    await containsText(enti, 'IPA (formato vecchio)');
    await containsText(enti.getByTestId('onboarding-organisations-problems'), '0');
    await importTried(enti);

    const uffici = await tryFile('Uffici', 'uffici.csv');
    await containsText(uffici.getByTestId('onboarding-offices-inserted'), '3');
    await importTried(uffici);

    const persone = await tryFile('Persone', 'persone.csv');
    await containsText(persone.getByTestId('onboarding-users-inserted'), '3');
    await importTried(persone);
    // The links are issued by a background job: the list fills in by itself.
    const links = persone.getByRole('table', { name: 'Link per impostare la password' });
    await expect.poll(() => links.locator('tbody tr').count(), { timeout: 30_000, interval: 250 }).toBe(3);
    const giulia = links.locator('tr[data-email="giulia.verdi@comune.pescara.it"]');
    const url = await giulia.getByRole('textbox', { name: 'Link per giulia.verdi@comune.pescara.it' }).inputValue();
    expect(url).toMatch(/\/imposta-password#[A-Za-z0-9_-]{40,}$/);
    await giulia.getByRole('button', { name: 'Copia il link per giulia.verdi@comune.pescara.it' }).click();
    await containsText(page.getByRole('status').filter({ hasText: 'copiato' }), 'Link per giulia.verdi@comune.pescara.it copiato negli appunti.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await expectAccessible(page, 'imports: people and password links');
    await screenshot(page, '51-imports-password-links');
  });

  let topicCode = '';

  it('the competence matrix: the dry run says what each office gains, the import applies it', async () => {
    const coverage = await page.evaluate(async () => (await fetch('/api/v1/competences/coverage?region=13')).json());
    topicCode = coverage.topics[0].topic;
    await page.getByRole('tab', { name: 'Competenze' }).click();
    const p = panel('Competenze');
    const csv = `argomento;territorio;ente;ufficio\n${topicCode};068028;c_g482;pescara-urp\n${topicCode};999999;c_g482;pescara-urp\n`;
    await p.getByLabel('File CSV').setInputFiles({ name: 'competenze-pescara.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.getByRole('button', { name: 'Prova senza importare' }).click();
    await visible(p.getByRole('heading', { name: 'Resoconto della prova (nulla è stato scritto)' }));
    await containsText(p.getByTestId('onboarding-competences-added'), '1');
    await visible(p.getByRole('table', { name: 'Righe errate del file, con il numero di riga e il motivo' }).locator('tr[data-line="3"]'));
    await containsText(p.getByRole('table', { name: 'Cambiamenti ufficio per ufficio' }), 'URP Comune di Pescara');
    await pick(p.getByLabel('importa le altre righe'));
    await importTried(p);
    await containsText(p.getByTestId('onboarding-competences-added'), '1');
    await expectAccessible(page, 'imports: competences');
  });

  it('the coverage report: a region, its topics by coverage, a topic on the schematic map and in the table', async () => {
    await page.getByRole('link', { name: 'Copertura' }).first().click();
    await page.waitForURL((url) => url.pathname === '/copertura');
    await visible(page.getByRole('heading', { level: 1, name: 'Copertura delle competenze' }));
    await page.getByLabel('Regione').selectOption({ label: 'Abruzzo' });
    await page.waitForURL((url) => url.searchParams.get('regione') === '13');
    const topics = page.getByRole('table', { name: /Temi della regione Abruzzo/ });
    await visible(topics);
    expect(await topics.locator('tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'coverage: topics');
    await screenshot(page, '52-coverage-topics');

    const first = topics.locator(`tbody tr[data-topic="${topicCode}"]`);
    const topicLabel = ((await first.locator('th').textContent()) ?? '').trim();
    await first.getByRole('button', { name: `Mappa e comuni per «${topicLabel}»` }).click();
    await page.waitForURL((url) => url.searchParams.has('tema'));
    await visible(page.getByRole('heading', { level: 2, name: `${topicLabel} in Abruzzo` }));

    // The schematic map: one square per comune, in blocks labelled by province, with a named image and small print.
    const map = page.getByTestId('coverage-map');
    await visible(map.getByRole('img', { name: /Mappa schematica di/ }));
    expect(await map.locator('svg[role="img"] g[data-province]').evaluateAll((blocks) => blocks.map((b) => b.getAttribute('data-province')).sort())).toEqual(['AQ', 'CH', 'PE', 'TE']);
    const tiles = map.locator('svg[role="img"] g[data-level]');
    const comuni = page.getByRole('table', { name: 'Comuni della regione e uffici che rispondono per il tema' });
    const rows = comuni.locator('tbody tr');
    await expect.poll(() => rows.count(), POLL).toBe(await tiles.count());
    expect(await tiles.count()).toBeGreaterThan(300);
    await containsText(map, 'Mappa schematica, non geografica');
    const celanoTile = map.locator('title', { hasText: /^Celano \(AQ\): / });
    expect(await celanoTile.count()).toBe(1);
    // The competence just imported: Pescara's own URP answers for its comune.
    await containsText(comuni.locator('tr[data-comune="068028"]'), 'URP Comune di Pescara');
    expect(await comuni.locator('tr[data-comune="068028"]').getAttribute('data-level')).toBe('comune');
    expect(await map.locator('title', { hasText: /^Pescara \(PE\): / }).textContent()).toContain('URP Comune di Pescara – Comune di Pescara (per il comune)');
    // Legend: each level has its own swatch, and «nobody» is not told by colour alone.
    for (const level of ['risponde un ufficio del comune', 'risponde solo un ufficio provinciale, regionale o nazionale', 'non risponde nessuno']) {
      await visible(map.getByText(level));
    }

    // The comuni nobody answers for, alone.
    const none = await rows.evaluateAll((trs) => trs.filter((tr) => tr.getAttribute('data-level') === 'none').length);
    await pick(page.getByLabel('Mostra solo i comuni dove non risponde nessuno'));
    await expect.poll(() => rows.count(), POLL).toBe(none);
    if (none > 0) await containsText(rows.first(), 'Nessuno risponde');
    await pick(page.getByLabel('Mostra solo i comuni dove non risponde nessuno'));

    // The CSV of the same data.
    const href = await page.getByRole('link', { name: 'Scarica i comuni in CSV' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/competences\/coverage\?region=13&topic=[a-z0-9_.]+&format=csv$/);
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), lines: (await res.text()).trim().split('\n').length };
    }, href as string);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.lines).toBeGreaterThan(300);

    await expectAccessible(page, 'coverage: topic map and comuni');
    await map.screenshot({ path: path.join(SCREENSHOTS, '53-coverage-topic-map.png') });
    await screenshot(page, '54-coverage-topic-page', false);

    await page.getByRole('button', { name: 'Torna ai temi' }).click();
    await visible(page.getByRole('table', { name: /Temi della regione Abruzzo/ }));
    expect(pageErrors).toEqual([]);
  });
});
