import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, hidden, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * A body's life in the network, in the browser: the coordinator imports patron days and closures of
 * offices (tried first, a bad line reported, then the valid lines imported), takes a province out of
 * the network (the preview first, then the IPA code as confirmation, then the result) and readmits it.
 * The body is back in the network at the end, whatever the other tests of the same server expect.
 *
 * `URPNET_E2E_URL` + `URPNET_E2E_PASSWORD` run it against an already running server instead.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const COORDINATOR = 'coordinatore@demo.urpnet.it';
/** A demo body with few links to the others (demo-network.data.ts). */
const PROVINCE = { name: 'Provincia di Avellino', ipa: 'p_av' };
const DRY_RUN_HEADING = 'Resoconto della prova (nulla è stato scritto)';
const PROBLEMS_TABLE = 'Righe errate del file, con il numero di riga e il motivo';

/** A POST from inside the signed-in page (session cookie and its CSRF token): what another tab would do. Answers the status. */
function apiPost(page: Page, path: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ([url, json]) => {
      const { csrfToken } = await (await fetch('/api/v1/auth/session')).json();
      const headers: Record<string, string> = { 'x-csrf-token': csrfToken };
      if (json !== undefined) headers['content-type'] = 'application/json';
      return (await fetch(url, { method: 'POST', headers, ...(json !== undefined && { body: JSON.stringify(json) }) })).status;
    },
    [path, body] as const,
  );
}

/** The id of a body of the network, by its IPA code. */
function bodyId(page: Page, ipa: string): Promise<{ id: string; active: boolean } | undefined> {
  return page.evaluate(async (code) => {
    const list = await (await fetch('/api/v1/organisations')).json();
    return list.items.find((o: { ipaCode: string }) => o.ipaCode === code);
  }, ipa);
}

/** bootstrap-italia draws radios and checkboxes on their label, which is what a person clicks. */
async function pick(input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
}

describe.skipIf(!hasChromium && !process.env.URPNET_E2E_URL)('closures import and a body leaving and rejoining the network, in Chromium', () => {
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
    // Whatever failed above, the province goes back into the network (a no-op when it is there).
    if (page && baseUrl) {
      const body = await bodyId(page, PROVINCE.ipa).catch(() => undefined);
      if (body && !body.active) await apiPost(page, `/api/v1/organisations/${body.id}/rejoin`).catch(() => {});
    }
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  const bodyRow = () => page.getByTestId('network-bodies').locator(`tr[data-ipa="${PROVINCE.ipa}"]`);

  it('the coordinator tries a file of patron days and closures: each bad line is reported, the valid ones imported', async () => {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(COORDINATOR);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByRole('link', { name: 'Importazioni' }).first().click();
    await page.waitForURL((url) => url.pathname === '/admin/importazioni');
    // The page's code loads on first use: wait for its tabs.
    await expect.poll(() => page.getByRole('tab').allInnerTexts(), POLL).toEqual(['Enti', 'Uffici', 'Persone', 'Competenze', 'Chiusure e patroni']);

    // The tab is reached with the keyboard too: End goes to the last one.
    await page.getByRole('tab', { name: 'Enti' }).focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.getByRole('tab', { name: 'Chiusure e patroni' }).getAttribute('aria-selected'), POLL).toBe('true');
    const p = page.getByRole('tabpanel', { name: 'Chiusure e patroni' });
    await visible(p);

    // Celano's only office: a patron day, a closure of every office of the body, and an office that does not exist.
    const csv = ['ente;ufficio;tipo;data;dal;al;motivo', 'c_c426;celano-urp;patrono;16/10;;;Santi Martiri (prova)', 'c_c426;;chiusura;;02/11/2027;03/11/2027;Inventario', 'c_c426;ufficio-che-non-esiste;chiusura;05/11/2027;;;Trasloco', ''].join('\n');
    await p.getByLabel('File CSV').setInputFiles({ name: 'chiusure-celano.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.getByRole('button', { name: 'Prova senza importare' }).click();
    await visible(p.getByRole('heading', { name: DRY_RUN_HEADING }));
    await containsText(p.getByTestId('onboarding-closures-inserted'), '2');
    await containsText(p.getByTestId('onboarding-closures-offices'), '1');
    await containsText(p.getByTestId('onboarding-closures-problems'), '1');
    const problems = p.getByRole('table', { name: PROBLEMS_TABLE });
    expect(await problems.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')))).toEqual(['4']);
    await visible(p.getByText('Giorni da aggiungere'));
    await containsText(problems.locator('tr[data-line="4"]'), 'ufficio-che-non-esiste');
    // All or nothing by default: the import waits for the choice to skip the bad line.
    const importButton = p.getByRole('button', { name: 'Importa', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    await expectAccessible(page, 'closures: dry run with a bad line');
    await screenshot(page, '60-closures-dry-run');

    await pick(p.getByLabel('importa le altre righe'));
    await importButton.click();
    await visible(p.getByRole('heading', { name: 'Importazione completata' }));
    await containsText(p.getByTestId('onboarding-closures-inserted'), '2');
    await containsText(p, '1 righe errate non sono state importate.');

    // The same file again changes nothing: both entries are already in the calendar.
    await p.getByRole('button', { name: 'Prova senza importare' }).click();
    await visible(p.getByRole('heading', { name: DRY_RUN_HEADING }));
    await containsText(p.getByTestId('onboarding-closures-unchanged'), '2');
    await containsText(p.getByTestId('onboarding-closures-inserted'), '0');
  });

  it('a province leaves the network: the preview first, then the IPA code as confirmation, then the result', async () => {
    await page.getByRole('link', { name: 'Amministrazione' }).first().click();
    await page.waitForURL((url) => url.pathname === '/admin');
    const bodies = page.getByRole('table', { name: 'Enti della rete, con il loro stato e le azioni del coordinamento' });
    await visible(bodies);
    // The coordinator's own body cannot leave.
    await containsText(bodies.locator('tr[data-ipa="lineamica"]'), 'Coordina la rete');
    await containsText(bodyRow(), 'Nella rete');

    const leave = bodyRow().getByRole('button', { name: `Uscita dalla rete – ${PROVINCE.name}` });
    await leave.click();
    const dialog = page.getByRole('dialog', { name: `Uscita dalla rete: ${PROVINCE.name}` });
    await visible(dialog);
    await visible(dialog.getByRole('heading', { name: "Che cosa succederà se l'ente esce" }));
    await visible(dialog.getByTestId('exit-preview-officesDeactivated'));
    expect(Number(await dialog.getByTestId('exit-preview-officesDeactivated').textContent())).toBeGreaterThanOrEqual(1);
    for (const label of ['Ticket restituiti a chi li aveva inviati', 'Ticket affidati al coordinamento', 'Persone disattivate', 'Accordi di rete che finiscono', 'Inviti ritirati']) {
      await visible(dialog.getByText(label));
    }
    await expectAccessible(page, 'exit: preview dialog');
    await screenshot(page, '61-exit-preview', false);

    // A wrong code is refused before anything is sent, and said next to the field.
    const confirm = dialog.getByLabel(/Per confermare scrivi il codice IPA/);
    await confirm.fill('p_xx');
    await dialog.getByRole('button', { name: 'Fai uscire dalla rete' }).click();
    await containsText(dialog, `Il codice scritto non è quello dell’ente: scrivi ${PROVINCE.ipa}.`);
    expect(await confirm.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('id')), POLL).toBe('exit-confirm');
    await expectAccessible(page, 'exit: wrong confirmation');

    await confirm.fill(PROVINCE.ipa);
    await page.keyboard.press('Enter');
    const done = dialog.getByRole('heading', { name: "L'ente è uscito dalla rete" });
    await visible(done);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), POLL).toBe("L'ente è uscito dalla rete");
    expect(Number(await dialog.getByTestId('exit-result-officesDeactivated').textContent())).toBeGreaterThanOrEqual(1);
    await expectAccessible(page, 'exit: result dialog');
    await screenshot(page, '62-exit-result', false);

    await dialog.getByRole('button', { name: 'Torna agli enti' }).click();
    await hidden(dialog);
    await containsText(bodyRow(), 'Fuori dalla rete');
    await expect.poll(() => bodyRow().getAttribute('data-active'), POLL).toBe('false');
    await visible(bodyRow().getByRole('button', { name: `Riammetti nella rete – ${PROVINCE.name}` }));
    expect(await bodyRow().getByRole('button', { name: /Uscita dalla rete/ }).count()).toBe(0);
  });

  it('an error of the server is read out as an alert in the dialog', async () => {
    await bodyRow().getByRole('button', { name: `Riammetti nella rete – ${PROVINCE.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Riammissione nella rete: ${PROVINCE.name}` });
    await visible(dialog);
    await expectAccessible(page, 'rejoin: dialog');
    // Another coordinator (or another tab) readmits the body meanwhile: the dialog says it is back already.
    const id = (await bodyId(page, PROVINCE.ipa))?.id ?? '';
    expect(await apiPost(page, `/api/v1/organisations/${id}/rejoin`)).toBe(200);
    await dialog.getByRole('button', { name: 'Riammetti', exact: true }).click();
    await containsText(dialog.getByRole('alert'), `${PROVINCE.name} fa già parte della rete.`);
    await expectAccessible(page, 'rejoin: error');
    await dialog.getByRole('button', { name: 'Annulla' }).click();
    await hidden(dialog);

    // Out again, behind the page's back, for the readmission below.
    expect(await apiPost(page, `/api/v1/organisations/${id}/leave`, { confirm: PROVINCE.ipa })).toBe(200);
    await page.reload();
    await expect.poll(() => bodyRow().getAttribute('data-active'), POLL).toBe('false');
  });

  it('the province is readmitted: it is back in the network, with its offices and people', async () => {
    await bodyRow().getByRole('button', { name: `Riammetti nella rete – ${PROVINCE.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Riammissione nella rete: ${PROVINCE.name}` });
    await visible(dialog);
    await dialog.getByRole('button', { name: 'Riammetti', exact: true }).click();
    await visible(dialog.getByRole('heading', { name: "L'ente è di nuovo nella rete" }));
    expect(Number(await dialog.getByTestId('rejoin-result-officesReactivated').textContent())).toBeGreaterThanOrEqual(1);
    await screenshot(page, '63-rejoin-result', false);
    // Escape closes the dialog and gives the focus back.
    await page.keyboard.press('Escape');
    await hidden(dialog);
    await expect.poll(() => bodyRow().getAttribute('data-active'), POLL).toBe('true');
    await containsText(bodyRow(), 'Nella rete');
    await visible(bodyRow().getByRole('button', { name: `Uscita dalla rete – ${PROVINCE.name}` }));
    expect(pageErrors).toEqual([]);
  });
});
