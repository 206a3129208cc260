import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, containsText, expectAccessible, launchPersistentChromium, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found`);

const PASSWORD = 'e2e-faq-portal-2026';
const CELANO_OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const CELANO_SUPERVISOR = 'responsabile.comune-celano@demo.urpnet.it';
const COORDINATOR = 'coordinatore@demo.urpnet.it';

async function focused(locator: Locator): Promise<void> {
  await expect.poll(() => locator.evaluate((el) => el === document.activeElement), POLL).toBe(true);
}

describe.skipIf(!hasChromium)('FAQ portal and operator suggestions in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const pageErrors: string[] = [];
  const portalEvents: { kind: string; faqId?: string; query?: string }[] = [];
  const searchRequests: string[] = [];

  /** Logs in through the API (outside the browser) to prepare data. */
  async function apiSession(email: string) {
    const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    const body = (await res.json()) as { csrfToken: string; memberships: { officeId: string | null }[] };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return {
      officeId: body.memberships.find((m) => m.officeId)?.officeId ?? '',
      post: async (path: string, payload: unknown) => {
        const r = await fetch(`${server.baseUrl}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': body.csrfToken }, body: JSON.stringify(payload) });
        return (await r.json()) as Record<string, unknown>;
      },
      resolve: async (code: string) => {
        const current = await fetch(`${server.baseUrl}/api/v1/tickets/${code}`, { headers: { cookie } });
        const r = await fetch(`${server.baseUrl}/api/v1/tickets/${code}/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': body.csrfToken, 'if-match': current.headers.get('etag') ?? '*' },
          body: JSON.stringify({ status: 'resolved', outcome: 'risposta_fornita' }),
        });
        expect(r.status).toBe(200);
      },
    };
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    ({ context, profileDir } = await launchPersistentChromium('urpnet-e2e-faq-'));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/portal/faq/events') portalEvents.push(JSON.parse(request.postData() ?? '{}'));
      if (url.pathname === '/api/v1/portal/faq/search') searchRequests.push(url.searchParams.get('q') ?? '');
    });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it('is linked from the login page and opens without logging in', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('link', { name: 'Domande frequenti' }).first().click();
    await page.waitForURL((url) => url.pathname === '/faq');
    await visible(page.getByRole('heading', { level: 1, name: 'Domande frequenti' }));
    await expectAccessible(page, 'faq-portal');
  });

  it('shows results as the citizen types, announces their number and lets the keyboard reach them', async () => {
    const box = page.getByLabel('La tua domanda');
    await box.click();
    await page.keyboard.type('rinnovo carta identita scaduta', { delay: 40 });
    const results = page.locator('#faq-results [data-faq-id]');
    await expect.poll(() => results.count(), POLL).toBeGreaterThan(2);
    await containsText(page.getByTestId('faq-results-count'), 'risposte trovate');
    // Typing sends far fewer searches than keystrokes (debounced), the last one for the whole text.
    await expect.poll(() => searchRequests.at(-1), POLL).toBe('rinnovo carta identita scaduta');
    expect(searchRequests.length).toBeLessThan(15);
    await page.keyboard.press('ArrowDown');
    await focused(results.first());
    await page.keyboard.press('ArrowDown');
    await focused(results.nth(1));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await focused(box);
    await screenshot(page, 'faq-portal-results');
    await expectAccessible(page, 'faq-portal-results');
  });

  it('opens an answer, records the reading, takes a rating and offers the URP contact', async () => {
    const first = page.locator('#faq-results [data-faq-id]').first();
    const title = (await first.innerText()).trim();
    const faqId = await first.getAttribute('data-faq-id');
    await first.focus();
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { level: 2, name: title });
    await visible(heading);
    await focused(heading);
    await expect.poll(() => portalEvents.map((e) => e.kind), POLL).toEqual(expect.arrayContaining(['search', 'read']));
    expect(portalEvents.find((e) => e.kind === 'read')?.faqId).toBe(faqId);
    expect(portalEvents.find((e) => e.kind === 'search')?.query).toBe('rinnovo carta identita scaduta');

    await visible(page.getByText('Ti è stata utile questa risposta?'));
    await page.getByRole('button', { name: 'No', exact: true }).click();
    await containsText(page.getByRole('status').filter({ hasText: 'Grazie' }), 'Grazie');
    await page.getByLabel(/Cosa mancava/).fill('Manca il costo del duplicato');
    await page.getByRole('button', { name: 'Invia il commento' }).click();
    await visible(page.getByText('Grazie per il commento.'));
    await screenshot(page, 'faq-portal-answer');
    await expectAccessible(page, 'faq-portal-answer');

    await page.getByRole('button', { name: 'Non ho trovato risposta: contatta l’URP' }).click();
    await visible(page.getByRole('heading', { name: 'Contatta l’URP' }));
    await expect.poll(() => portalEvents.map((e) => e.kind), POLL).toContain('contact');

    await page.getByRole('button', { name: 'Torna ai risultati' }).click();
    await focused(page.locator(`[data-faq-id="${faqId}"]`));
  });

  it('suggests FAQs while the operator writes a ticket and pastes an answer with Alt+Shift+1', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(CELANO_OPERATOR);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto(`${server.baseUrl}/tickets/new`);
    await page.getByLabel('Oggetto').fill('Credenziali SPID');
    await page.getByLabel('Descrizione').fill('Il cittadino chiede come ottenere lo SPID per accedere ai servizi online');
    const suggestions = page.getByTestId('faq-suggestions-description');
    await expect.poll(() => suggestions.getByRole('button', { name: /Incolla la risposta/ }).count(), POLL).toBeGreaterThan(0);
    const before = await page.getByLabel('Descrizione').inputValue();
    await page.getByLabel('Descrizione').focus();
    await page.keyboard.press('Alt+Shift+Digit1');
    await expect.poll(() => page.getByLabel('Descrizione').inputValue(), POLL).not.toBe(before);
    expect(await page.getByLabel('Descrizione').inputValue()).toContain(before);
    await containsText(suggestions.getByRole('status'), 'incollata');
    await expectAccessible(page, 'new-ticket-suggestions', '[data-testid="faq-suggestions-description"]');
  });

  it('suggests FAQs in the reply box of a ticket and pastes with Alt+1', async () => {
    const api = await apiSession(CELANO_OPERATOR);
    const ticket = await api.post('/tickets', {
      officeId: api.officeId, channel: 'telefono', subject: 'Rinnovo carta d’identità elettronica', priority: 'normal',
      description: 'La cittadina chiede come prenotare il rinnovo della CIE scaduta.', classification: { tipo: 'informazione', tema: 'identita_digitale.cie' },
    });
    await page.goto(`${server.baseUrl}/tickets/${ticket.code as string}`);
    const suggestions = page.getByTestId('faq-suggestions-reply');
    // Before the operator types, the ticket's own subject and description drive the suggestions.
    await expect.poll(() => suggestions.getByRole('button', { name: /Incolla la risposta/ }).count(), POLL).toBeGreaterThan(0);
    const box = page.locator('#composer-body');
    await box.focus();
    await page.keyboard.press('Alt+Digit1');
    await expect.poll(() => box.inputValue(), POLL).not.toBe('');
    await containsText(suggestions.getByRole('status'), 'incollata');
    // The operator rates the suggestion.
    const helpful = suggestions.getByRole('button', { name: 'Utile', exact: true }).first();
    await helpful.click();
    await expect.poll(() => helpful.getAttribute('aria-pressed'), POLL).toBe('true');
    await expectAccessible(page, 'reply-suggestions', '[data-testid="faq-suggestions-reply"]');
    await screenshot(page, 'faq-suggestions-reply');
  });

  async function loginAs(email: string): Promise<void> {
    // Log out whoever is logged in first.
    await page.goto(`${server.baseUrl}/`);
    const logout = page.getByRole('button', { name: 'Esci' });
    const loginField = page.getByLabel('Indirizzo e-mail');
    await expect.poll(async () => (await logout.isVisible()) || (await loginField.isVisible()), POLL).toBe(true);
    if (await logout.isVisible()) {
      await logout.click();
      await page.waitForURL((url) => url.pathname === '/login');
    }
    await loginField.fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    // The supervisor lands on the inbox, the network coordinator on the FAQ editorial page.
    await page.waitForURL((url) => url.pathname === (email === COORDINATOR ? '/faq/redazione' : '/'));
  }

  it('turns a resolved ticket into a draft FAQ with one button, for the office supervisor', async () => {
    const operator = await apiSession(CELANO_OPERATOR);
    const ticket = await operator.post('/tickets', {
      officeId: operator.officeId, channel: 'telefono', subject: 'Orari della biblioteca comunale', priority: 'normal',
      description: 'Il sig. Mario Rossi chiede gli orari estivi della biblioteca.', classification: { tipo: 'informazione', tema: 'identita_digitale.cie' },
    });
    const code = ticket.code as string;
    await operator.post(`/tickets/${code}/messages`, { kind: 'reply', body: 'Gentile sig. Rossi, in estate la biblioteca apre dal lunedì al venerdì dalle 9 alle 13.' });
    await loginAs(CELANO_SUPERVISOR);
    await page.goto(`${server.baseUrl}/tickets/${code}`);
    await visible(page.getByTestId('ticket-code'));
    // Not on an open ticket.
    expect(await page.getByRole('button', { name: 'Crea bozza di FAQ' }).count()).toBe(0);
    await operator.resolve(code);
    await page.reload();
    await containsText(page.getByTestId('ticket-status'), 'Risolto');
    await page.getByRole('button', { name: 'Crea bozza di FAQ' }).click();
    await visible(page.getByText(/Bozza di FAQ creata/));
    expect(await page.getByText(/Bozza di FAQ creata/).innerText()).not.toContain('Rossi');
  });

  it('lets the editorial board review FAQ gaps and edit the thesaurus', async () => {
    await loginAs(COORDINATOR);
    await page.getByRole('link', { name: 'Lacune FAQ' }).first().click();
    await page.waitForURL((url) => url.pathname === '/faq/lacune');
    await visible(page.getByRole('heading', { level: 1, name: 'Lacune delle FAQ' }));
    // The editorial board sees the portal's deflected contacts next to the gaps.
    await visible(page.getByRole('heading', { level: 2, name: 'Contatti evitati dal portale negli ultimi 30 giorni' }));
    // The citizen above rated an answer "not helpful": their search is a gap now.
    const row = page.getByTestId('gap-row').filter({ hasText: 'rinnovo carta identita scaduta' });
    await visible(row);
    await expectAccessible(page, 'faq-gaps');
    await row.getByRole('button', { name: /^Scarta/ }).click();
    await visible(page.getByText('Lacuna aggiornata.'));
    await expect.poll(() => row.count(), POLL).toBe(0);

    await page.getByRole('link', { name: 'Modifica il thesaurus di sinonimi e sigle' }).click();
    await page.waitForURL((url) => url.pathname === '/faq/thesaurus');
    await visible(page.getByRole('heading', { level: 1, name: 'Thesaurus di sinonimi e sigle' }));
    await page.getByLabel('Cerca tra i gruppi').fill('spid');
    const group = page.getByTestId('thesaurus-entry').filter({ hasText: 'identità digitale' }).first();
    await visible(group);
    await expectAccessible(page, 'thesaurus');
    await group.getByRole('button', { name: /^Modifica/ }).click();
    const terms = group.getByLabel('Termini (uno per riga)');
    await terms.fill(`${await terms.inputValue()}\nidentità digitale del cittadino`);
    await group.getByRole('button', { name: 'Salva' }).click();
    await visible(page.getByText('Gruppo salvato.'));
    await containsText(group, 'identità digitale del cittadino');
    expect(pageErrors).toEqual([]);
  });
});
