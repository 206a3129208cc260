import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchPersistentChromium, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found`);

const PASSWORD = 'e2e-i18n-2026';
const CELANO_OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const REGIONE_BACKOFFICE = 'backoffice.regione-abruzzo@demo.urpnet.it';

/** Words of the server's Italian sentences: none may show on an English screen (free text typed by users aside). */
const ITALIAN = /\b(ha accettato|condivisione|Nuova risposta|riaperto|assegnato|collaborate|pending|active|false|true|competenza|territorio|Nessun ticket|non trovato)\b/;

describe.skipIf(!hasChromium)('the English UI shows no Italian server strings, and each FAQ answer has its URL (Chromium)', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const pageErrors: string[] = [];

  async function apiSession(email: string) {
    const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrfToken: string; memberships: { officeId: string | null }[] };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const post = async (path: string, payload: unknown, headers: Record<string, string> = {}) => {
      const r = await fetch(`${server.baseUrl}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': body.csrfToken, ...headers }, body: JSON.stringify(payload) });
      expect(r.status, `${path}: ${r.status}`).toBeLessThan(300);
      return (await r.json()) as Record<string, unknown>;
    };
    const get = async (path: string) => (await (await fetch(`${server.baseUrl}/api/v1${path}`, { headers: { cookie } })).json()) as Record<string, unknown>;
    return { officeId: body.memberships.find((m) => m.officeId)?.officeId ?? '', post, get };
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    ({ context, profileDir } = await launchPersistentChromium('urpnet-e2e-i18n-'));
    // The user chose English in the app (the choice is kept in localStorage).
    await context.addInitScript(() => localStorage.setItem('urpnet.locale', 'en'));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it('writes notifications, history values and problem details in English', async () => {
    // Celano shares a ticket with the Regione for collaboration; the Regione accepts and replies.
    const celano = await apiSession(CELANO_OPERATOR);
    const regione = await apiSession(REGIONE_BACKOFFICE);
    const ticket = await celano.post('/tickets', {
      officeId: celano.officeId, channel: 'telefono', subject: 'Esenzione ticket per reddito', priority: 'normal',
      description: 'La cittadina chiede come ottenere l’esenzione per reddito.', classification: { tipo: 'informazione', tema: 'sanita.esenzioni_ticket' },
    });
    const code = ticket.code as string;
    const offices = (await celano.get('/offices')).items as { id: string; slug: string }[];
    const share = await celano.post(`/tickets/${code}/shares`, { officeId: offices.find((o) => o.slug === 'regione-abruzzo-sanita-esenzioni')!.id, mode: 'collaborate', reason: 'Serve il vostro parere' });
    await regione.post(`/shares/${share.id as string}/accept`, {});
    await regione.post(`/tickets/${code}/messages`, { kind: 'reply', body: 'Si chiede alla ASL.' });

    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('E-mail address').fill(CELANO_OPERATOR);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');

    // Notifications: the partner's reply and the accepted share, in English.
    const bell = page.getByTestId('notification-bell');
    await expect.poll(async () => {
      await page.reload();
      await bell.click();
      return page.locator('.notification-list li[data-kind="ticket.partner_reply"]').count();
    }, { ...POLL, timeout: 30_000 }).toBeGreaterThan(0);
    const reply = (await page.locator('.notification-list li[data-kind="ticket.partner_reply"]').first().innerText()).trim();
    expect(reply).toContain(`New reply on ${code}`);
    const panel = await page.locator('.notification-list').innerText();
    expect(panel).toContain(`accepted the share of ${code}`);
    expect(panel.replace(/Esenzione ticket per reddito|Serve il vostro parere/g, '')).not.toMatch(ITALIAN);
    await screenshot(page, 'i18n-notifications-en');

    // History: share mode, share status and the requester flag as English words.
    await page.goto(`${server.baseUrl}/tickets/${code}`);
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.locator('.history-table');
    await visible(history);
    const text = await history.innerText();
    expect(text).toContain('collaboration');
    expect(text).toMatch(/Pending\s*→\s*Active/);
    expect(text.replace(/Esenzione ticket per reddito|Serve il vostro parere|Si chiede alla ASL\./g, '')).not.toMatch(ITALIAN);

    // A problem detail: an unknown ticket code.
    await page.goto(`${server.baseUrl}/tickets/ZZZZ-ZZZZ-Z`);
    await expect.poll(async () => (await page.locator('main').innerText()).length, POLL).toBeGreaterThan(0);
    await expect.poll(async () => page.locator('main').innerText(), POLL).not.toMatch(/Caricamento|Loading/);
    expect(await page.locator('main').innerText()).not.toMatch(ITALIAN);
    expect(pageErrors).toEqual([]);
  });

  it('gives each opened FAQ answer its own URL, so Back returns to the results', async () => {
    await page.goto(`${server.baseUrl}/faq`);
    const box = page.getByLabel('Your question');
    await box.click();
    await page.keyboard.type('rinnovo carta identita scaduta', { delay: 20 });
    const results = page.locator('#faq-results [data-faq-id]');
    await expect.poll(() => results.count(), POLL).toBeGreaterThan(0);
    // A relevance-cut list, not always 8.
    expect(await results.count()).toBeLessThan(8);
    const first = results.first();
    const id = await first.getAttribute('data-faq-id');
    const title = (await first.innerText()).trim();
    await first.click();
    await visible(page.getByRole('heading', { level: 2, name: title }));
    expect(new URL(page.url()).searchParams.get('id')).toBe(id);
    expect(new URL(page.url()).searchParams.get('q')).toBe('rinnovo carta identita scaduta');

    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('id'), POLL).toBeNull();
    await expect.poll(() => results.count(), POLL).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { level: 2, name: title }).count()).toBe(0);

    await page.goForward();
    await visible(page.getByRole('heading', { level: 2, name: title }));
    // The answer's URL opens it directly, as a shared link would.
    const answerUrl = page.url();
    await page.goto(answerUrl);
    await visible(page.getByRole('heading', { level: 2, name: title }));
    // "Back to the results" inside the page is the browser's Back here: the results come back.
    await page.getByRole('button', { name: 'Back to the results' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('id'), POLL).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
