import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, hidden, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { type RunningServer, startServer } from './server.js';

/**
 * One ticket across the network (issue 3) in the browser: the Celano operator shares a health
 * ticket with the ASL and transfers it, found through the directory, to the Regione's back office;
 * the Regione accepts it from its requests page; the ASL accepts the share and works a task; Celano
 * keeps following it by consultation. Two browser contexts run side by side, so the live
 * notifications (SSE) of one user are seen arriving while another acts.
 *
 * `URPNET_E2E_URL` + `URPNET_E2E_PASSWORD` run it against an already running server instead.
 */
const hasChromium = existsSync(CHROMIUM);

const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const CELANO = 'operatore.comune-celano@demo.urpnet.it';
const REGIONE = 'backoffice.regione-abruzzo@demo.urpnet.it';
const ASL = 'operatore.asl-avezzano-sulmona-laquila@demo.urpnet.it';
const REGIONE_OFFICE = 'Servizio Sanità – esenzioni';
const ASL_OFFICE = /URP – ASL 1 Avezzano/;

/** bootstrap-italia draws radios and checkboxes on their label, which is what a person clicks. */
async function pick(input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
}
async function hasCountAtLeast(locator: Locator, count: number): Promise<void> {
  await expect.poll(() => locator.count(), POLL).toBeGreaterThanOrEqual(count);
}

describe.skipIf(!hasChromium && !process.env.URPNET_E2E_URL)('one ticket across the network, in Chromium', () => {
  let server: RunningServer | null = null;
  let baseUrl = '';
  let browser: Browser;
  let celanoContext: BrowserContext;
  let otherContext: BrowserContext;
  let celano: Page;
  let other: Page;
  const pageErrors: string[] = [];
  const token = `NET${Date.now().toString(36).toUpperCase()}`;
  const subject = `Esenzione ticket per reddito ${token}`;
  let code = '';

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
    const options = { viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' };
    celanoContext = await browser.newContext(options);
    otherContext = await browser.newContext(options);
    celano = await celanoContext.newPage();
    other = await otherContext.newPage();
    for (const page of [celano, other]) {
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.setDefaultTimeout(15_000);
    }
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  /** Logs in and waits for the page the role lands on: the office inbox for ticket workers, the administration for an organisation admin. */
  async function login(page: Page, email: string, landing: { path: string; heading: string } = { path: '/', heading: 'Casella dell’ufficio' }): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Indirizzo e-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === landing.path);
    await visible(page.getByRole('heading', { level: 1, name: landing.heading }));
  }

  async function logout(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
  }

  it('Celano records a call about a health-ticket exemption', async () => {
    await login(celano, CELANO);
    await celano.getByRole('link', { name: 'Nuovo ticket' }).first().click();
    await celano.waitForURL((url) => url.pathname === '/tickets/new');
    await celano.getByLabel('Nome e cognome').fill('Mario Bianchi');
    await celano.getByLabel('Telefono').fill('+39 0863 654321');
    await celano.getByLabel('Oggetto').fill(subject);
    await celano.getByLabel('Descrizione').fill('Il cittadino chiede come ottenere l’esenzione dal ticket sanitario per reddito: vive a Celano, provincia dell’Aquila.');
    await celano.locator('#ticket-tema').fill('esenzioni dal ticket');
    const option = celano.locator('#ticket-tema-listbox [data-code="sanita.esenzioni_ticket"]');
    await visible(option);
    await option.click();
    await celano.locator('#ticket-tipo').selectOption('informazione');
    await celano.getByRole('button', { name: 'Registra il ticket' }).click();
    await celano.waitForURL((url) => url.pathname.startsWith('/tickets/') && url.pathname !== '/tickets/new');
    code = (await celano.getByTestId('created-code').innerText()).trim();
    expect(code).not.toBe('');
    await visible(celano.getByTestId('participants-panel'));
  });

  it('shares it with the ASL in collaboration, requester data included', async () => {
    const panel = celano.getByTestId('participants-panel');
    await panel.getByRole('button', { name: 'Condividi' }).click();
    const dialog = celano.getByRole('dialog', { name: `Condividi il ticket ${code}` });
    await visible(dialog);
    await dialog.getByLabel('Chi è competente?').fill('esenzione ticket provincia dell’Aquila');
    await dialog.getByRole('button', { name: 'Cerca', exact: true }).click();
    await pick(dialog.getByRole('radio', { name: ASL_OFFICE }));
    await visible(dialog.getByTestId('chosen-office'));
    await dialog.locator('label[for="share-mode-collaborate"]').click();
    await dialog.locator('label[for="share-requester"]').click();
    await expect.poll(() => dialog.locator('#share-requester').isChecked(), POLL).toBe(true);
    await dialog.getByRole('textbox', { name: /Motivo della condivisione/ }).fill('Serve la verifica dell’ASL sulla posizione del cittadino.');
    await dialog.getByRole('button', { name: 'Condividi', exact: true }).click();
    await hidden(dialog);
    const share = panel.locator('[data-share-status="pending"][data-mode="collaborate"]');
    await visible(share);
    await containsText(share, 'collaborazione');
  });

  it('finds the competent office in the directory and transfers the ticket there', async () => {
    const panel = celano.getByTestId('participants-panel');
    const open = panel.getByRole('button', { name: 'Trasferisci / Inoltra' });
    await open.click();
    const dialog = celano.getByRole('dialog', { name: `Trasferisci o inoltra il ticket ${code}` });
    await visible(dialog);
    // Escape closes and gives the focus back to the button that opened the dialog.
    await celano.keyboard.press('Escape');
    await hidden(dialog);
    await expect.poll(() => open.evaluate((el) => el === document.activeElement), POLL).toBe(true);

    await open.click();
    await visible(dialog);
    const question = dialog.getByLabel('Chi è competente?');
    await expect.poll(() => question.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    await question.fill('esenzione ticket provincia dell’Aquila');
    await celano.keyboard.press('Enter');
    const regione = dialog.getByRole('radio', { name: new RegExp(REGIONE_OFFICE) });
    await visible(regione);
    // The regional back office is the first answer, with its reasons and opening state.
    const first = dialog.locator('.directory-hit').first();
    await containsText(first, REGIONE_OFFICE);
    await containsText(first, 'Regione Abruzzo');
    await containsText(first, 'competenza: Esenzioni dal ticket');
    await expect.poll(async () => /Aperto ora|Chiuso ora/.test(await first.innerText()), POLL).toBe(true);
    // Focus stays inside the dialog: Shift+Tab from the first control wraps to the last.
    await dialog.getByRole('button', { name: 'Chiudi' }).focus();
    await celano.keyboard.press('Shift+Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await dialog.getByLabel('Chi è competente?').focus();
    await screenshot(celano, '20-transfer-directory', false);
    await expectAccessible(celano, 'transfer-dialog', '[data-testid="transfer-dialog"]');

    await pick(regione);
    await containsText(dialog.getByTestId('chosen-office'), REGIONE_OFFICE);
    await dialog.locator('#transfer-reason-code').selectOption('not_competent');
    await dialog.getByRole('textbox', { name: /Spiegazione per l’ufficio che riceve/ }).fill('Le esenzioni per reddito sono di competenza regionale.');
    await screenshot(celano, '21-transfer-filled', false);
    await dialog.getByRole('button', { name: 'Trasferisci', exact: true }).click();
    await hidden(dialog);
    const transfer = celano.getByTestId('participants-panel').locator('[data-transfer-status="pending"]');
    await visible(transfer);
    await containsText(transfer, REGIONE_OFFICE);
    await visible(transfer.getByRole('button', { name: /Annulla il trasferimento/ }));
    await screenshot(celano, '22-participants-pending');
    await expectAccessible(celano, 'participants-panel');
  });

  it('the Regione back office sees the request (badge, bell, requests page) and accepts it', async () => {
    await login(other, REGIONE);
    await expect.poll(async () => Number(await other.getByTestId('nav-badge-requests').innerText()), POLL).toBeGreaterThan(0);
    await expect.poll(async () => Number(await other.getByTestId('notification-count').innerText()), POLL).toBeGreaterThan(0);
    await other.getByTestId('notification-bell').click();
    await visible(other.getByRole('link', { name: new RegExp(code) }).first());
    await screenshot(other, '23-regione-notifications', false);
    await expectAccessible(other, 'notification-panel', '.notification-bell');
    await other.keyboard.press('Escape');

    await other.getByRole('link', { name: /Richieste/ }).first().click();
    await other.waitForURL((url) => url.pathname === '/requests');
    const card = other.locator(`.request-card[data-code="${code}"][data-type="transfer"]`);
    await visible(card);
    await containsText(card, 'Non di nostra competenza');
    await screenshot(other, '24-requests');
    await expectAccessible(other, 'requests');

    // Declining needs a reason: the dialog says so, and Escape leaves without declining.
    await card.getByRole('button', { name: /Rifiuta/ }).click();
    const decline = other.getByRole('dialog', { name: `Rifiuta la richiesta per il ticket ${code}` });
    await visible(decline);
    await decline.getByRole('button', { name: 'Conferma il rifiuto' }).click();
    await visible(decline.getByText('Indica il motivo del rifiuto', { exact: false }));
    await expectAccessible(other, 'decline-dialog', '[data-testid="decline-dialog"]');
    await other.keyboard.press('Escape');
    await hidden(decline);

    await card.getByRole('button', { name: /Accetta/ }).click();
    const opened = other.getByRole('link', { name: `Apri il ticket ${code}` });
    await visible(opened);
    await hidden(card);

    // Meanwhile, in the other browser, Celano's bell rings (server-sent events).
    await visible(celano.getByTestId('notification-count'));
    await containsText(celano.getByTestId('notification-announcer'), 'ha preso in carico');

    await opened.click();
    await other.waitForURL((url) => decodeURIComponent(url.pathname) === `/tickets/${code}`);
    expect((await other.getByTestId('ticket-code').innerText()).trim()).toBe(code);
    const owner = other.getByTestId('participants-panel').locator('.participant.owner');
    await containsText(owner, REGIONE_OFFICE);
    await hidden(other.getByTestId('participant-banner'));
    await visible(other.getByRole('button', { name: 'Trasferisci / Inoltra' }));
    await containsText(other.getByTestId('participants-panel'), 'Comune di Celano');
    await screenshot(other, '25-regione-owner');
  });

  it('Celano now follows the ticket by consultation as former owner, read-only, with the requester data it recorded', async () => {
    await celano.reload();
    const banner = celano.getByTestId('participant-banner');
    await visible(banner);
    await containsText(banner, 'Ex titolare: consultazione');
    await containsText(banner, REGIONE_OFFICE);
    await containsText(celano.getByTestId('former-owner-keeps'), 'dati del richiedente come li avete registrati voi');
    await hidden(celano.getByTestId('requester-hidden'));
    await visible(celano.getByTestId('requester-former-owner'));
    await hidden(celano.getByRole('button', { name: 'Condividi' }));
    await hidden(celano.getByRole('button', { name: 'Trasferisci / Inoltra' }));
    await hidden(celano.locator('button[data-transition]').first());
    await hidden(celano.getByRole('button', { name: 'Assegna a me' }));
    // A consulted office writes only its own internal notes.
    await hidden(celano.locator('#composer-kind-reply'));
    await visible(celano.getByLabel('Testo della nota interna (non visibile al cittadino)'));
    await screenshot(celano, '26-celano-consultation');
    await expectAccessible(celano, 'participant-ticket');

    await celano.getByRole('link', { name: 'Casella ufficio' }).first().click();
    await celano.waitForURL((url) => url.pathname === '/');
    await celano.locator('a[data-view="shared"]').click();
    await celano.waitForURL((url) => url.searchParams.get('view') === 'shared');
    await visible(celano.locator(`tr[data-code="${code}"]`));
    await expect.poll(async () => Number(await celano.getByTestId('view-count-shared').innerText().then((x) => x.replace(/\D+/g, ''))), POLL).toBeGreaterThan(0);
    await screenshot(celano, '27-inbox-shared');
    await expectAccessible(celano, 'inbox-views');
  });

  it('the citizen, with the same code, sees that the Regione now handles the request', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/stato`);
      await page.getByLabel('Codice della richiesta').fill(code.toLowerCase().replace(/-/g, ' '));
      await page.getByRole('button', { name: 'Verifica' }).click();
      await containsText(page.locator('.card'), 'Regione Abruzzo');
      await containsText(page.locator('.card'), 'Comune di Celano');
      await screenshot(page, '27b-citizen-status');
      await expectAccessible(page, 'citizen-status');
    } finally {
      await context.close();
    }
  });

  it('the ASL accepts the collaboration and works a task on the ticket', async () => {
    await logout(other);
    await login(other, ASL);
    await other.goto(`${baseUrl}/requests`);
    const card = other.locator(`.request-card[data-code="${code}"][data-type="share"]`);
    await visible(card);
    await containsText(card, 'Condivisione in collaborazione');
    await card.getByRole('button', { name: /Accetta/ }).click();
    await other.getByRole('link', { name: `Apri il ticket ${code}` }).click();
    await other.waitForURL((url) => decodeURIComponent(url.pathname) === `/tickets/${code}`);
    const banner = other.getByTestId('participant-banner');
    await containsText(banner, 'condiviso con il tuo ufficio (collaborazione)');
    // Requester data were granted with the share.
    await containsText(other.locator('#requester-panel-title').locator('..'), 'Mario Bianchi');
    await visible(other.locator('#composer-kind-reply'));

    const tasks = other.getByTestId('tasks-panel');
    await tasks.getByRole('button', { name: 'Nuova attività' }).click();
    await tasks.getByLabel('Titolo dell’attività').fill('Verificare la posizione ISEE del cittadino');
    const assignee = tasks.getByLabel('Assegnatario');
    await expect.poll(() => assignee.locator('option').count(), POLL).toBeGreaterThan(1);
    await assignee.selectOption({ index: 1 });
    await tasks.getByRole('button', { name: 'Crea attività' }).click();
    const task = tasks.locator('[data-task-status="open"]', { hasText: 'Verificare la posizione ISEE' });
    await visible(task);
    await screenshot(other, '28-asl-task');
    await expectAccessible(other, 'tasks-panel');
    await task.getByRole('button', { name: /Segna come completata/ }).click();
    await visible(tasks.locator('[data-task-status="done"]', { hasText: 'Verificare la posizione ISEE' }));
  });

  it('an organisation admin edits competences and proposes a network agreement', async () => {
    await logout(other);
    await login(other, 'admin.comune-celano@demo.urpnet.it', { path: '/admin', heading: 'Amministrazione' });
    await other.getByRole('link', { name: 'Amministrazione' }).click();
    await other.waitForURL((url) => url.pathname === '/admin');
    await other.getByRole('button', { name: /Competenze/ }).first().click();
    const editor = other.locator('.competences-editor');
    await visible(editor);
    await expect.poll(() => editor.locator('li[data-topic]').count(), POLL).toBeGreaterThan(0);
    const before = await editor.locator('li[data-topic]').count();
    await editor.getByRole('button', { name: 'Aggiungi competenza' }).click();
    const last = editor.locator('li[data-topic]').last();
    await last.getByRole('combobox').fill('esenzioni dal ticket');
    await other.locator('[role="listbox"]:visible [data-code="sanita.esenzioni_ticket"]').click();
    await last.getByLabel('Territorio (codici ISTAT)').fill('066001, 066033');
    await editor.getByRole('button', { name: 'Salva' }).click();
    await visible(other.getByText('Competenze salvate.'));
    await hasCountAtLeast(editor.locator('li[data-topic="sanita.esenzioni_ticket"]'), 1);
    expect(await editor.locator('li[data-topic]').count()).toBe(before + 1);

    const agreements = other.getByTestId('agreements');
    await agreements.getByLabel(/Ente che riceve/).selectOption({ label: 'Regione Abruzzo' });
    await agreements.getByRole('button', { name: 'Proponi accordo' }).click();
    await visible(agreements.getByText('Accordo proposto', { exact: false }));
    const row = agreements.locator('tbody tr[data-status="proposed"]', { hasText: 'Regione Abruzzo' }).first();
    await visible(row);
    await screenshot(other, '29-admin-competences-agreements');
    await agreements.screenshot({ path: join(SCREENSHOTS, '30-admin-agreements.png') });
    await expectAccessible(other, 'admin-network');
    await row.getByRole('button', { name: /Revoca/ }).click();
    await visible(agreements.getByText('Accordo revocato.'));
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
