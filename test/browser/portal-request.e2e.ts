import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, containsText, expectAccessible, launchPersistentChromium, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { PROJECT_ROOT, type RunningServer, startServer } from './server.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found`);

const PASSWORD = 'e2e-portal-request-2026';
const CELANO_OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
/** A small but genuine-looking PDF: the server checks the `%PDF` signature. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

async function focused(locator: Locator): Promise<void> {
  await expect.poll(() => locator.evaluate((el) => el === document.activeElement), POLL).toBe(true);
}

/** Presses Tab until the element with `id` has focus (a keyboard user's path through the form). */
async function tabTo(page: Page, id: string, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await page.evaluate(() => document.activeElement?.id ?? '')) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`#${id} not reached with Tab`);
}

describe.skipIf(!hasChromium)('the citizen files a request on the portal and follows it (Chromium)', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const pageErrors: string[] = [];
  const filings: Record<string, unknown>[] = [];
  /** Paths of the scripts the page loaded (reset by a test that checks them). */
  const scripts: string[] = [];
  /** Paths of the API calls the page made (reset by a test that counts them). */
  const apiCalls: string[] = [];
  let code = '';
  let trackingPath = '';

  /** The operator of the receiving office, through the API (outside the browser). */
  async function operatorSession() {
    const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: CELANO_OPERATOR, password: PASSWORD }) });
    expect(res.status).toBe(200);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const call = async (method: string, path: string, body?: unknown, etag?: string | null) => {
      const r = await fetch(`${server.baseUrl}/api/v1${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined && { 'content-type': 'application/json' }), ...(etag && { 'if-match': etag }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      return { status: r.status, etag: r.headers.get('etag'), json: (text ? JSON.parse(text) : {}) as Record<string, unknown>, text };
    };
    const ticket = () => call('GET', `/tickets/${code}`);
    return {
      call,
      ticket,
      async setStatus(body: Record<string, unknown>) {
        const current = await ticket();
        return call('POST', `/tickets/${code}/status`, body, current.etag);
      },
    };
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    ({ context, profileDir } = await launchPersistentChromium('urpnet-e2e-portal-'));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
      if (new URL(request.url()).pathname.startsWith('/api/')) apiCalls.push(new URL(request.url()).pathname);
      if (new URL(request.url()).pathname === '/api/v1/portal/requests' && request.method() === 'POST') filings.push(JSON.parse(request.postData() ?? '{}'));
    });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it('is linked from the status page and opens without logging in, accessible', async () => {
    scripts.length = 0;
    await page.goto(`${server.baseUrl}/stato`);
    await page.getByRole('link', { name: 'Scrivi all’URP' }).first().click();
    await page.waitForURL((url) => url.pathname === '/richiesta');
    await visible(page.getByRole('heading', { level: 1, name: 'Scrivi all’URP' }));
    await visible(page.locator('input[name="pr-organisation"]').first());
    await expectAccessible(page, 'portal-request');
    // The staff pages are chunks of their own, loaded when opened: the portal never downloads them.
    const staffChunks = (await readdir(join(PROJECT_ROOT, 'web', 'dist', 'assets'))).filter((file) => /^[A-Z]\w*Page-.*\.js$/.test(file));
    expect(staffChunks.some((file) => file.startsWith('TicketPage-'))).toBe(true);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((path) => /\/assets\/[A-Z]\w*Page-/.test(path))).toEqual([]);
  });

  it('is served pre-compressed: scripts and styles in brotli to a browser that accepts it', async () => {
    const html = await (await fetch(`${server.baseUrl}/richiesta`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const res = await fetch(`${server.baseUrl}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding'), asset).toBe('br');
      expect((await res.text()).length).toBeGreaterThan(1000);
    }
  });

  it('lists every problem in a summary that takes focus and leads to each field', async () => {
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    const summary = page.getByTestId('error-summary');
    await visible(summary);
    await focused(summary);
    await containsText(summary, 'Oggetto');
    await containsText(summary, 'informativa');
    // Each error is linked to its field with aria-describedby.
    expect(await page.locator('#pr-subject').getAttribute('aria-describedby')).toContain('pr-subject-error');
    expect(await page.locator('#pr-subject').getAttribute('aria-invalid')).toBe('true');
    await summary.getByRole('link', { name: /Oggetto/ }).focus();
    await page.keyboard.press('Enter');
    await focused(page.locator('#pr-subject'));
    await expectAccessible(page, 'portal-request-errors');
    expect(filings).toEqual([]);
  });

  it('is filled in with the keyboard, sent with its proof of work and confirmed with the code and the private link', async () => {
    // Whom to write to: the radio, then the search box, then the list of bodies, by keyboard only.
    await page.getByRole('radio', { name: 'A un ente preciso' }).focus();
    await page.keyboard.press('Tab');
    await focused(page.getByLabel('Cerca l’ente'));
    await page.keyboard.type('Celano', { delay: 20 });
    await expect.poll(() => page.locator('input[name="pr-organisation"]').count(), POLL).toBeGreaterThan(0);
    await page.keyboard.press('Tab');
    const chosenLabel = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '');
    expect(chosenLabel).toContain('Celano');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('input[name="pr-organisation"]:checked').count(), POLL).toBe(1);
    await page.keyboard.press('Tab');
    await focused(page.locator('#pr-topic'));

    // The topic: the CIE when the taxonomy has it, else the first topic offered.
    const values = await page.locator('#pr-topic option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(values.length).toBeGreaterThan(0);
    await page.locator('#pr-topic').selectOption(values.includes('identita_digitale.cie') ? 'identita_digitale.cie' : (values[0] as string));
    await visible(page.getByTestId('receiving-office'));
    // Whatever the receiving office asks for this topic.
    for (const field of await page.locator('[id^="pr-field-"][required]').all()) {
      const tag = await field.evaluate((el) => el.tagName.toLowerCase());
      const type = await field.getAttribute('type');
      if (tag === 'select') await field.selectOption({ index: 1 });
      else if (type === 'date') await field.fill('2026-12-01');
      else if (type === 'number') await field.fill('1');
      else await field.fill('Dato di prova');
    }

    await page.locator('#pr-topic').focus();
    await tabTo(page, 'pr-subject');
    await page.keyboard.type('Rinnovo della carta d’identità');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Vorrei sapere come prenotare il rinnovo della carta d’identità elettronica scaduta il mese scorso.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Maria Bianchi');
    await page.keyboard.press('Tab');
    await page.keyboard.type('maria.bianchi@example.org');
    await page.keyboard.press('Tab');
    await focused(page.locator('#pr-phone'));
    await page.keyboard.press('Tab');
    await focused(page.getByRole('radio', { name: 'Per e-mail' }));
    expect(await page.getByRole('radio', { name: 'Per e-mail' }).isChecked()).toBe(true);

    await page.locator('#pr-files').setInputFiles({ name: 'ricevuta.pdf', mimeType: 'application/pdf', buffer: PDF });
    await visible(page.getByRole('button', { name: 'Rimuovi ricevuta.pdf' }));
    await containsText(page.locator('#pr-files-hint'), 'MB');

    await page.locator('#pr-files').focus();
    await tabTo(page, 'pr-consent');
    await page.keyboard.press('Space');
    expect(await page.locator('#pr-consent').isChecked()).toBe(true);
    // The honeypot is out of the tab order: the next stops are the notice's link and the button.
    await page.keyboard.press('Tab');
    await focused(page.getByRole('link', { name: /Leggi l’informativa/ }));
    await page.keyboard.press('Tab');
    await focused(page.getByRole('button', { name: 'Invia la richiesta' }));
    await page.keyboard.press('Enter');

    const done = page.getByTestId('request-filed');
    await visible(done);
    await focused(done);
    code = (await page.getByTestId('request-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9-]{9,}$/);
    await containsText(done, 'Celano');
    const href = (await page.getByTestId('tracking-link').getAttribute('href')) ?? '';
    const link = new URL(href, server.baseUrl);
    expect(link.pathname).toBe('/segui');
    expect(link.hash.length).toBeGreaterThan(10);
    expect(link.search).toBe('');
    trackingPath = `/segui${link.hash}`;

    // What was sent: the proof of work, the empty honeypot, one submission key, the UI language.
    expect(filings).toHaveLength(1);
    const sent = filings[0] as Record<string, unknown>;
    expect(sent.website).toBe('');
    expect(typeof sent.challenge).toBe('string');
    expect(typeof sent.nonce).toBe('string');
    expect(sent.submissionKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.lang).toBe('it');
    expect(sent.consent).toBe(true);

    // The attachment goes up after the request is filed.
    await containsText(page.getByTestId('uploads'), 'ricevuta.pdf: caricato');
    await screenshot(page, 'portal-request-filed');
    await expectAccessible(page, 'portal-request-filed');
  });

  it('shows the request through the private link', async () => {
    apiCalls.length = 0;
    await page.goto(`${server.baseUrl}${trackingPath}`);
    await containsText(page.getByTestId('tracking-code'), code);
    // The request and the session were asked for by /early.js while the app loaded, and the app used
    // those answers: each went out once, and none is left unused.
    expect(apiCalls.filter((path) => path.startsWith('/api/v1/portal/track/'))).toHaveLength(1);
    expect(apiCalls.filter((path) => path === '/api/v1/auth/session')).toHaveLength(1);
    expect(await page.evaluate(() => Object.keys((window as unknown as { __urpnetEarly: object }).__urpnetEarly))).toEqual([]);
    await visible(page.getByRole('heading', { name: 'Rinnovo della carta d’identità' }));
    await visible(page.getByRole('link', { name: /Scarica ricevuta\.pdf/ }));
    await containsText(page.getByTestId('tracking-expected'), 'l’ufficio sta lavorando');
    await visible(page.getByRole('heading', { name: 'Chi se ne occupa ora' }));
    await expectAccessible(page, 'portal-tracking');
  });

  it('shows the office’s reply and what is expected, and takes the citizen’s answer', async () => {
    const operator = await operatorSession();
    const reply = await operator.call('POST', `/tickets/${code}/messages`, { kind: 'reply', body: 'Gentile signora, ci indichi per favore il numero della carta scaduta.' });
    expect([200, 201]).toContain(reply.status);
    const current = await operator.ticket();
    if (current.json.status !== 'pending_citizen') {
      const moved = await operator.setStatus({ status: 'pending_citizen' });
      expect(moved.status, moved.text).toBe(200);
    }
    await page.reload();
    const fromOffice = page.getByTestId('thread-office');
    await containsText(fromOffice.last(), 'numero della carta scaduta');
    await containsText(page.getByTestId('tracking-expected'), 'L’ufficio ti ha chiesto delle informazioni');

    await page.getByLabel(/^Il tuo messaggio/).fill('Il numero è CA00000AA.');
    await page.getByRole('button', { name: 'Invia il messaggio' }).click();
    await visible(page.getByText('Messaggio inviato.'));
    await containsText(page.getByTestId('thread-citizen').last(), 'CA00000AA');
    await screenshot(page, 'portal-tracking-thread');
    await expectAccessible(page, 'portal-tracking-thread');
  });

  it('takes a rating once the request is resolved, preselected from the e-mail link', async () => {
    const operator = await operatorSession();
    let resolved = await operator.setStatus({ status: 'resolved', outcome: 'risposta_fornita' });
    if (resolved.status !== 200) {
      // Filed from the portal the ticket may lack a facet the taxonomy requires to resolve: the operator classifies it.
      const current = await operator.ticket();
      const classification = { ...((current.json.classification as Record<string, string> | undefined) ?? {}) };
      classification.tipo ??= 'informazione';
      classification.tema ??= 'identita_digitale.cie';
      const patched = await operator.call('PATCH', `/tickets/${code}`, { classification }, current.etag);
      expect(patched.status, patched.text).toBe(200);
      resolved = await operator.setStatus({ status: 'resolved', outcome: 'risposta_fornita' });
    }
    expect(resolved.status, resolved.text).toBe(200);

    // The e-mail's link carries the score: it is chosen and focus goes to it.
    await page.goto(`${server.baseUrl}/stato`);
    await page.goto(`${server.baseUrl}${trackingPath}&voto=4`);
    const four = page.getByRole('radio', { name: /^4 su 5/ });
    await visible(four);
    expect(await four.isChecked()).toBe(true);
    await focused(four);
    await visible(page.getByRole('radio', { name: /Per niente soddisfatto/ }));
    // Arrow keys move within the group.
    await page.keyboard.press('ArrowRight');
    const five = page.getByRole('radio', { name: /Molto soddisfatto/ });
    await expect.poll(() => five.isChecked(), POLL).toBe(true);
    await expectAccessible(page, 'portal-tracking-rating');
    await page.getByLabel('Commento (facoltativo)').fill('Risposta rapida e chiara.');
    await page.getByRole('button', { name: 'Invia la valutazione' }).click();
    await visible(page.getByText('Grazie per la tua valutazione'));
    await containsText(page.getByTestId('tracking-rating'), '5 su 5');
    await screenshot(page, 'portal-tracking-rated');
  });

  it('says so when the link is not valid, with the ways forward', async () => {
    await page.goto(`${server.baseUrl}/segui#link-inventato-0000000000`);
    await visible(page.getByTestId('tracking-error'));
    await visible(page.getByRole('link', { name: 'Cerca con il codice' }));
    await visible(page.getByRole('link', { name: 'Invia una nuova richiesta' }));
    await expectAccessible(page, 'portal-tracking-not-found');
  });

  it('publishes the accessibility statement and the privacy notice, linked from the footer', async () => {
    await page.goto(`${server.baseUrl}/richiesta`);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Dichiarazione di accessibilità' }).click();
    await page.waitForURL((url) => url.pathname === '/accessibilita');
    await visible(page.getByRole('heading', { level: 1, name: 'Dichiarazione di accessibilità' }));
    await containsText(page.locator('main'), 'parzialmente conforme');
    expect(await page.getByRole('link', { name: /form\.agid\.gov\.it/ }).getAttribute('href')).toBe('https://form.agid.gov.it');
    await visible(page.getByRole('link', { name: 'accessibilita@urpnet.invalid' }));
    await expectAccessible(page, 'accessibility-statement');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy' }).click();
    await page.waitForURL((url) => url.pathname === '/privacy');
    await visible(page.getByRole('heading', { level: 1, name: 'Informativa sul trattamento dei dati personali' }));
    await expectAccessible(page, 'privacy-notice');
  });

  it('is offered from the FAQ portal when no answer helped', async () => {
    await page.goto(`${server.baseUrl}/faq`);
    await page.getByLabel('La tua domanda').fill('rinnovo carta identita');
    await page.getByRole('button', { name: 'Non ho trovato risposta: contatta l’URP' }).click();
    await page.getByRole('link', { name: 'Non hai trovato la risposta? Scrivi all’URP' }).click();
    await page.waitForURL((url) => url.pathname === '/richiesta' && url.searchParams.get('da') === 'faq');
    await visible(page.getByRole('heading', { level: 1, name: 'Scrivi all’URP' }));
  });

  it('speaks English when the citizen chooses it', async () => {
    await page.goto(`${server.baseUrl}/richiesta`);
    await page.getByRole('button', { name: 'English' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Write to the URP' }));
    await visible(page.getByRole('group', { name: 'Who you are writing to' }));
    await visible(page.getByRole('button', { name: 'Send the request' }));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectAccessible(page, 'portal-request-en');
    await page.goto(`${server.baseUrl}${trackingPath}`);
    await visible(page.getByRole('heading', { name: 'Who is handling it now' }));
    await page.getByRole('button', { name: 'Italiano' }).click();
    await visible(page.getByRole('heading', { name: 'Chi se ne occupa ora' }));
    expect(pageErrors).toEqual([]);
  });
});
