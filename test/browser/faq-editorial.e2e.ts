import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, containsText, expectAccessible, launchPersistentChromium, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found`);

const PASSWORD = 'e2e-demo-pass-2026';
const COORDINATOR = 'coordinatore@demo.urpnet.it';
const CELANO_ADMIN = 'admin.comune-celano@demo.urpnet.it';

describe.skipIf(!hasChromium)('FAQ editorial page in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  let faqUrl = '';
  const pageErrors: string[] = [];
  const token = `Z${Date.now().toString(36)}`;
  const title = `Come si prenota la sala civica ${token}?`;
  const firstBody = 'La sala civica si prenota allo sportello URP con un modulo cartaceo.';
  const secondBody = 'La sala civica si prenota online con SPID oppure allo sportello URP con un modulo cartaceo.';

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer(PASSWORD);
    ({ context, profileDir } = await launchPersistentChromium('urpnet-e2e-faq-'));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  const workflowButton = (name: string) => page.getByRole('group', { name: 'Flusso redazionale' }).getByRole('button', { name, exact: true });

  it('shows the editorial page to the network coordinator, accessible', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(COORDINATOR);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    // The network coordinator lands on the editorial page; the menu link leads there too.
    await page.waitForURL((url) => url.pathname === '/faq/redazione');
    await page.getByRole('link', { name: 'Redazione FAQ' }).first().click();
    await page.waitForURL((url) => url.pathname === '/faq/redazione');
    await visible(page.getByRole('heading', { level: 1, name: 'Redazione FAQ' }));
    await visible(page.getByRole('table'));
    await screenshot(page, 'faq-01-list');
    await expectAccessible(page, 'faq-list');
  });

  it('creates a network FAQ, submits and publishes it', async () => {
    await page.getByRole('link', { name: 'Nuova FAQ' }).click();
    await page.waitForURL((url) => url.pathname === '/faq/redazione/nuova');
    await expect.poll(() => page.locator('#faq-new-scope').inputValue(), POLL).toBe('network');
    await page.getByLabel('Titolo (la domanda)').fill(title);
    await page.getByLabel('Risposta').fill(firstBody);
    await page.getByLabel('Parole chiave').fill('sala civica, prenotazione');
    await expectAccessible(page, 'faq-new');
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.waitForURL((url) => /^\/faq\/redazione\/[0-9a-f-]{36}$/.test(url.pathname));
    faqUrl = page.url();
    await visible(page.getByRole('heading', { level: 1, name: title }));
    await containsText(page.locator('main, body').first(), 'Bozza');

    await workflowButton('Invia in revisione').click();
    await visible(page.getByText('FAQ inviata in revisione.'));
    await workflowButton('Pubblica').click();
    await visible(page.getByText('FAQ pubblicata.'));
    await visible(page.getByText('Visibile ora'));
  });

  it('edits the published FAQ without taking it offline, then publishes the change', async () => {
    await page.locator('#faq-edit-body').fill(secondBody);
    await page.getByRole('button', { name: 'Salva' }).click();
    await visible(page.getByText('Modifica salvata come bozza'));
    await visible(page.getByText('C’è una modifica in corso'));
    await visible(page.getByText('Visibile ora'));
    await workflowButton('Invia in revisione').click();
    await visible(page.getByText('FAQ inviata in revisione.'));
    await workflowButton('Pubblica').click();
    await visible(page.getByText('FAQ pubblicata.'));
    const search = await page.evaluate(async (q) => (await fetch(`/api/v1/portal/faq/search?q=${encodeURIComponent(q)}`)).json(), `sala civica ${token}`);
    expect(search.items[0].snippet).toContain('online con SPID');
  });

  it('shows an accessible word diff between versions', async () => {
    await page.getByRole('button', { name: 'Differenze tra la versione 4 e la precedente' }).click();
    const diff = page.getByTestId('faq-diff');
    await visible(diff);
    await containsText(diff, 'Differenze dalla versione 3 alla versione 4');
    await page.getByLabel('Dalla versione', { exact: true }).selectOption('2');
    await page.getByLabel('Alla versione', { exact: true }).selectOption('4');
    await page.getByRole('button', { name: 'Confronta', exact: true }).click();
    await containsText(diff, 'Differenze dalla versione 2 alla versione 4');
    const inserted = diff.locator('ins').first();
    await containsText(inserted, 'online con SPID oppure');
    // Marked by more than colour: an <ins> element, a visible sign and a screen-reader label.
    expect(await inserted.locator('.visually-hidden').first().textContent()).toContain('aggiunto');
    expect(await inserted.locator('[aria-hidden="true"]').textContent()).toBe('+');
    await screenshot(page, 'faq-02-diff');
    await expectAccessible(page, 'faq-detail-diff');
  });

  it('rolls back to the first published text as a new draft, then publishes it', async () => {
    await page.getByRole('button', { name: 'Ripristina il testo della versione 2' }).click();
    await visible(page.getByText('Testo della versione 2 ripristinato come nuova bozza.'));
    await expect.poll(() => page.locator('#faq-edit-body').inputValue(), POLL).toBe(firstBody);
    await visible(page.getByText('C’è una modifica in corso'));
    await workflowButton('Invia in revisione').click();
    await visible(page.getByText('FAQ inviata in revisione.'));
    await workflowButton('Pubblica').click();
    await visible(page.getByText('FAQ pubblicata.'));
    await visible(page.getByRole('cell', { name: 'ripristino della versione 2' }));
  });

  it('adds an English translation as a draft linked to the FAQ', async () => {
    const form = page.getByRole('form', { name: 'Nuova traduzione' });
    await form.getByLabel('Lingua').selectOption('en');
    await form.getByLabel('Titolo tradotto').fill(`How do I book the civic hall ${token}?`);
    await form.getByLabel('Risposta tradotta').fill('Book it at the URP desk with a paper form.');
    await form.getByRole('button', { name: 'Crea la traduzione' }).click();
    await visible(page.getByRole('heading', { level: 1, name: `How do I book the civic hall ${token}?` }));
    await containsText(page.locator('body'), 'Bozza');
    await page.goto(faqUrl);
    await visible(page.getByRole('link', { name: `EN – How do I book the civic hall ${token}?` }));
  });

  it('lets an organisation admin adopt the network FAQ for their comune', async () => {
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByLabel('Indirizzo e-mail').fill(CELANO_ADMIN);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto(faqUrl);
    const adopt = page.getByRole('form', { name: 'Adotta per il tuo ente' });
    await visible(adopt);
    await expectAccessible(page, 'faq-adopt');
    await adopt.getByRole('button', { name: 'Adotta' }).click();
    await visible(page.getByText('Adozione locale della FAQ di rete:'));
    await containsText(page.getByTestId('faq-adoption-body'), 'allo sportello URP con un modulo cartaceo');
    await screenshot(page, 'faq-03-adoption');
    expect(pageErrors).toEqual([]);
  });
});
