import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, containsText, expectAccessible, hidden, launchPersistentChromium, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found`);

const PASSWORD = 'e2e-demo-pass-2026';
const CELANO_OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const OTHER_ORG_OPERATOR = 'operatore.comune-napoli@demo.urpnet.it';

async function focused(locator: Locator): Promise<void> {
  await expect.poll(() => locator.evaluate((el) => el === document.activeElement), POLL).toBe(true);
}
async function hasValue(locator: Locator, value: string | RegExp): Promise<void> {
  if (typeof value === 'string') await expect.poll(() => locator.inputValue(), POLL).toBe(value);
  else await expect.poll(() => locator.inputValue(), POLL).toMatch(value);
}
async function hasText(locator: Locator, text: string): Promise<void> {
  await expect.poll(async () => (await locator.innerText()).trim(), POLL).toBe(text);
}
async function hasCount(locator: Locator, count: number): Promise<void> {
  await expect.poll(() => locator.count(), POLL).toBe(count);
}
async function hasAttribute(locator: Locator, name: string, value: string): Promise<void> {
  await expect.poll(() => locator.getAttribute(name), POLL).toBe(value);
}

describe.skipIf(!hasChromium)('web console in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const externalRequests: string[] = [];
  const pageErrors: string[] = [];
  const subjectToken = `E2E${Date.now().toString(36).toUpperCase()}`;
  const subject = `Richiesta credenziali SPID ${subjectToken}`;
  let ticketCode = '';
  let operatorName = '';

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    ({ context, profileDir } = await launchPersistentChromium('urpnet-e2e-chromium-'));
    // The console must never reach outside the server it came from (no CDN, no web fonts).
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === server.baseUrl || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      externalRequests.push(url.href);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  /** Logs in and waits for the page the role lands on: the office inbox for ticket workers, the administration for an organisation admin. */
  async function login(email: string, landing: { path: string; heading: string } = { path: '/', heading: 'Casella dell’ufficio' }): Promise<void> {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === landing.path);
    await visible(page.getByRole('heading', { level: 1, name: landing.heading }));
  }

  it('serves an accessible Italian login page', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await visible(page.getByRole('heading', { level: 1, name: 'Accedi a urpnet' }));
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    await visible(page.getByText('urpnet – Rete degli URP').first());
    await screenshot(page, '01-login');
    await expectAccessible(page, 'login');
  });

  it('shows the API error detail on bad credentials', async () => {
    await page.getByLabel('Indirizzo e-mail').fill(CELANO_OPERATOR);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await visible(page.getByRole('alert'));
  });

  it('logs the Celano operator in to the office inbox', async () => {
    await login(CELANO_OPERATOR);
    operatorName = (await page.getByTestId('current-user').innerText()).trim();
    expect(operatorName).not.toBe('');
    await screenshot(page, '02-inbox');
    await expectAccessible(page, 'inbox');
  });

  it('records a phone call with the keyboard and the taxonomy picker', async () => {
    await page.getByRole('link', { name: 'Nuovo ticket' }).first().click();
    await page.waitForURL((url) => url.pathname === '/tickets/new');
    const name = page.getByLabel('Nome e cognome');
    await focused(name);
    await hasValue(page.locator('#ticket-channel'), 'telefono');

    await page.keyboard.type('Maria Rossi');
    await page.keyboard.press('Tab');
    await page.keyboard.type('+39 0863 123456');
    await page.keyboard.press('Tab');
    await page.keyboard.type('maria.rossi@example.org');
    await page.keyboard.press('Tab');
    await page.keyboard.type('RSSMRA80A41C426X');
    await page.keyboard.press('Tab');
    await focused(page.getByLabel('Oggetto'));
    await page.keyboard.type(subject);
    await page.keyboard.press('Tab');
    await page.keyboard.type('La cittadina non riesce ad attivare SPID e chiede come recuperare le credenziali.');
    await page.keyboard.press('Tab');

    const picker = page.locator('#ticket-tema[role="combobox"]');
    await focused(picker);
    await page.keyboard.type('spid');
    const listbox = page.getByRole('listbox');
    await visible(listbox);
    const firstOption = listbox.getByRole('option').first();
    await hasAttribute(firstOption, 'aria-selected', 'true');
    const pickedCode = await firstOption.getAttribute('data-code');
    await screenshot(page, '03-new-ticket-picker');
    await page.keyboard.press('Enter');
    await hidden(listbox);
    await hasValue(picker, /›|SPID/i);
    expect(pickedCode).toBeTruthy();

    // Alt+5 jumps to «tipo»; arrows choose in a closed select.
    await page.keyboard.press('Alt+5');
    const tipo = page.locator('#ticket-tipo');
    await focused(tipo);
    await page.keyboard.press('ArrowDown');
    if ((await tipo.inputValue()) === '') await tipo.selectOption({ index: 1 });
    expect(await tipo.inputValue()).not.toBe('');

    // Any other facet the taxonomy marks as required gets its first value.
    for (const select of await page.locator('select[id^="ticket-facet-"][aria-invalid], select[id^="ticket-facet-"]').all()) {
      const label = await page.locator(`label[for="${await select.getAttribute('id')}"]`).innerText();
      if (label.includes('*') && (await select.inputValue()) === '') await select.selectOption({ index: 1 });
    }

    await screenshot(page, '04-new-ticket-filled');
    await expectAccessible(page, 'new-ticket');
    await page.getByLabel('Descrizione').focus();
    await page.keyboard.press('Control+Enter');
    await page.waitForURL((url) => url.pathname.startsWith('/tickets/') && url.pathname !== '/tickets/new');
    ticketCode = (await page.getByTestId('created-code').innerText()).trim();
    expect(ticketCode).not.toBe('');
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/tickets/${ticketCode}`);
    await screenshot(page, '05-ticket-created');
  });

  it('finds the ticket in the inbox by free text and opens it', async () => {
    await page.getByRole('link', { name: 'Casella ufficio' }).first().click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByLabel('Cerca nel testo').fill(subjectToken);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === subjectToken);
    const row = page.locator(`tr[data-code="${ticketCode}"]`);
    await visible(row);
    await hasCount(page.locator('tbody tr'), 1);
    await screenshot(page, '06-inbox-filtered');
    await row.getByRole('link', { name: ticketCode }).click();
    await page.waitForURL((url) => decodeURIComponent(url.pathname) === `/tickets/${ticketCode}`);
    await hasText(page.getByTestId('ticket-code'), ticketCode);
  });

  it('replies, adds an internal note, assigns to self and resolves with an outcome', async () => {
    const reply = 'Gentile signora, le abbiamo inviato le istruzioni per il recupero delle credenziali SPID.';
    await page.getByLabel('Testo della risposta al cittadino').fill(reply);
    await page.getByRole('button', { name: 'Anteprima e invio' }).click();
    await page.getByRole('button', { name: 'Invia al cittadino' }).click();
    await visible(page.locator('.thread-item.public-reply', { hasText: reply }));

    const note = 'Richiamare giovedì se non riesce: possibile blocco lato gestore.';
    // bootstrap-italia draws the radio on its label, which is what a person clicks.
    await page.locator('label[for="composer-kind-note"]').click();
    await expect.poll(() => page.locator('#composer-kind-note').isChecked(), POLL).toBe(true);
    await page.getByLabel('Testo della nota interna (non visibile al cittadino)').fill(note);
    await page.getByRole('button', { name: 'Aggiungi nota' }).click();
    const noteItem = page.locator('.thread-item.internal-note', { hasText: note });
    await visible(noteItem);
    await containsText(noteItem, 'Nota interna');

    await page.getByRole('button', { name: 'Assegna a me' }).click();
    await hasText(page.getByTestId('ticket-assignee'), operatorName);

    const resolve = page.locator('button[data-transition="resolved"]');
    if (!(await resolve.isVisible())) {
      // Some workflows need the ticket taken in charge before it can be resolved.
      const open = page.locator('button[data-transition="open"]');
      await open.click();
      await visible(resolve);
    }
    await resolve.click();
    await page.locator('#resolve-outcome').selectOption({ index: 1 });
    await screenshot(page, '07-ticket-resolving');
    await expectAccessible(page, 'ticket-detail');
    await page.getByRole('button', { name: 'Conferma risoluzione' }).click();
    await containsText(page.getByTestId('ticket-status'), 'Risolto');
  });

  it('lists every change in the history tab', async () => {
    await page.getByRole('tab', { name: 'Cronologia' }).click();
    const history = page.getByRole('tabpanel', { name: 'Cronologia' });
    await visible(history);
    await visible(history.locator('tbody tr').first());
    await containsText(history, operatorName);
    await visible(history.locator('li[data-field="status"]', { hasText: '→ Risolto' }));
    await visible(history.locator('li[data-field^="assignee"]', { hasText: operatorName }));
    await visible(history.locator('li[data-field="outcome"]'));
    await screenshot(page, '08-ticket-history');
  });

  it('hides the ticket from another organisation', async () => {
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await login(OTHER_ORG_OPERATOR);
    await page.goto(`${server.baseUrl}/tickets/${encodeURIComponent(ticketCode)}`);
    await visible(page.getByTestId('ticket-not-found'));
    await hasText(page.getByRole('heading', { level: 1 }), 'Ticket non trovato');
    await visible(page.getByText('not found', { exact: false }));
    await screenshot(page, '09-other-org-not-found');
  });

  it('lets an organisation admin edit opening hours and create an API token', async () => {
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await login('admin.comune-celano@demo.urpnet.it', { path: '/admin', heading: 'Amministrazione' });
    await page.getByRole('link', { name: 'Amministrazione' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    await hasValue(page.locator('#admin-org'), /.+/);
    const hoursButton = page.getByRole('button', { name: /Orari di apertura/ }).first();
    await hoursButton.click();
    await page.getByRole('button', { name: 'Aggiungi chiusura' }).click();
    await page.locator('#closure-0-from, [id^="closure-"][id$="-from"]').last().fill('2026-12-24');
    await page.locator('[id^="closure-"][id$="-to"]').last().fill('2026-12-26');
    await page.locator('[id^="closure-"][id$="-reason"]').last().fill('Festività natalizie');
    await screenshot(page, '10-admin-hours');
    await expectAccessible(page, 'admin');
    await page.locator('.hours-editor').getByRole('button', { name: 'Salva' }).click();
    await visible(page.getByText('Orari salvati.'));

    await page.getByRole('link', { name: 'Token API' }).click();
    await page.waitForURL((url) => url.pathname === '/account/tokens');
    await page.getByLabel('Nome del token').fill('Integrazione CRM');
    await page.getByRole('button', { name: 'Crea token' }).click();
    await hasValue(page.locator('#token-secret'), /^urp_/);
    await visible(page.locator('tbody tr', { hasText: 'Integrazione CRM' }));
    await screenshot(page, '11-tokens');
    await expectAccessible(page, 'tokens');
  });

  it('switches to English and back', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await hasText(page.getByRole('heading', { level: 1 }), 'API tokens');
    await page.getByRole('button', { name: 'Italiano' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('it');
  });

  it('made no request outside its own server and raised no page error', () => {
    expect(externalRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
