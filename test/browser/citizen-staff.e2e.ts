import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from '../../src/modules/citizen/proof-of-work.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';
import { apiSession, CHROMIUM, CHROMIUM_ARGS, containsText, expectAccessible, POLL, screenshot, SCREENSHOTS, visible } from './helpers.js';
import { freePort, type RunningServer, startServer } from './server.js';

/**
 * The staff side of the citizen channels (issue 15) in the browser, against a server with its SMTP
 * intake listening and its outgoing mail going to a loopback relay. Celano's admin adds a mailbox by
 * keyboard on /posta, releases an auto-reply held in quarantine into a ticket (and dismisses
 * another), and sets the portal form's fields for a topic. Celano's operator opens a request filed
 * on the portal, sees the citizen's e-mail answer as the citizen's, replies and sees the reply
 * delivered; on a ticket without an address the warning and «nessun recapito». Axe on both pages.
 */
const hasChromium = existsSync(CHROMIUM);
const PASSWORD = process.env.URPNET_E2E_PASSWORD ?? 'e2e-demo-pass-2026';
const ADMIN = 'admin.comune-celano@demo.urpnet.it';
const OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const MAILBOX = 'urp@comune.celano.example.it';
const CITIZEN = 'giulia.neri@example.org';
const NOTICE = 'https://www.comune.celano.aq.it/privacy/urp';

async function login(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Indirizzo e-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname !== '/login');
}

async function logout(page: Page): Promise<void> {
  await page.context().clearCookies();
}

function mail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ From: `Giulia Neri <${CITIZEN}>`, To: MAILBOX, Date: new Date().toUTCString(), 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`;
}

describe.skipIf(!hasChromium || !!process.env.URPNET_E2E_URL)('citizen channels, staff side, in Chromium', () => {
  let server: RunningServer;
  let relay: SmtpSink;
  let intake: nodemailer.Transporter;
  let browser: Browser;
  let page: Page;
  let officeId = '';
  let organisationId = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    // The organisation's outgoing relay, on loopback: replies and notices leave through it.
    relay = await startSmtpSink();
    const intakePort = await freePort();
    server = await startServer(PASSWORD, 170_000, {
      SMTP_URL: relay.url,
      MAIL_INTAKE_PORT: String(intakePort),
      MAIL_INTAKE_HOST: '127.0.0.1',
      PORTAL_POW_DIFFICULTY: '8',
    });
    intake = nodemailer.createTransport({ host: '127.0.0.1', port: intakePort, secure: false, ignoreTLS: true });
    const operator = await apiSession(server.baseUrl, OPERATOR, PASSWORD);
    const me = await operator.request('GET', '/api/v1/auth/session');
    expect(me.status, me.text).toBe(200);
    const membership = (JSON.parse(me.text) as { memberships: { officeId: string | null; organisationId: string }[] }).memberships.find((m) => m.officeId);
    officeId = membership?.officeId ?? '';
    organisationId = membership?.organisationId ?? '';
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
    intake?.close();
    await browser?.close().catch(() => {});
    await server?.stop();
    await relay?.close();
  });

  it('the admin adds a mailbox by keyboard, releases and dismisses quarantined mail, and sets the portal form’s fields', async () => {
    expect(officeId).toBeTruthy();
    await login(page, server.baseUrl, ADMIN);
    await page.goto(`${server.baseUrl}/posta`);
    await visible(page.getByRole('heading', { level: 1, name: 'Posta degli uffici e modulo del portale' }));
    await expect.poll(async () => await page.locator('a[href="/posta"]').count(), POLL).toBeGreaterThan(0);

    // A mailbox, by keyboard: office, address, kind, then Enter on the button.
    const office = page.locator('#mailbox-office');
    await office.focus();
    await office.selectOption(officeId);
    await page.keyboard.press('Tab');
    await expect.poll(async () => await page.evaluate(() => document.activeElement?.id), POLL).toBe('mailbox-address');
    await page.keyboard.type(MAILBOX);
    await page.keyboard.press('Tab');
    await expect.poll(async () => await page.evaluate(() => document.activeElement?.id), POLL).toBe('mailbox-kind');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await visible(page.getByText(`Casella ${MAILBOX} aggiunta.`));
    const row = page.locator(`tr[data-mailbox="${MAILBOX}"]`);
    await visible(row);
    await containsText(row, 'E-mail');
    await expectAccessible(page, 'mail page: mailboxes');

    // Its own outgoing server: set (the password is never shown again), then back to the network's.
    await row.getByRole('button', { name: `Server di invio di ${MAILBOX}` }).click();
    const outgoingDialog = page.getByTestId('mailbox-outgoing-dialog');
    await visible(outgoingDialog);
    await outgoingDialog.locator('#mailbox-outgoing-url').fill('smtps://urp%40comune.celano.example.it:segreta-2026@smtp.comune.celano.example.it:465');
    await expectAccessible(page, 'mail page: outgoing server');
    await outgoingDialog.getByRole('button', { name: 'Salva il server' }).click();
    await containsText(row.getByTestId('mailbox-outgoing'), 'smtps://urp@comune.celano.example.it@smtp.comune.celano.example.it:465');
    expect(await page.content()).not.toContain('segreta-2026');
    await row.getByRole('button', { name: `Server di invio di ${MAILBOX}` }).click();
    await outgoingDialog.getByRole('button', { name: 'Usa il server della rete' }).click();
    await containsText(row.getByTestId('mailbox-outgoing'), 'dal server della rete');

    // Its IMAP server: set in its dialog (the password is never shown again) and read at once; the
    // server does not answer (nothing listens on that port), and the admin reads why in the row.
    const closedPort = await freePort();
    await row.getByRole('button', { name: `Server di ricezione di ${MAILBOX}` }).click();
    const incomingDialog = page.getByTestId('mailbox-incoming-dialog');
    await visible(incomingDialog);
    await incomingDialog.locator('#mailbox-incoming-url').fill(`imap://urp%40comune.celano.example.it:segreta-imap@127.0.0.1:${closedPort}/INBOX`);
    await expectAccessible(page, 'mail page: incoming server');
    await incomingDialog.getByRole('button', { name: 'Salva il server' }).click();
    await containsText(row.getByTestId('mailbox-incoming'), `imap://urp@comune.celano.example.it@127.0.0.1:${closedPort}/INBOX`);
    expect(await page.content()).not.toContain('segreta-imap');
    await row.getByRole('button', { name: `Leggi ora la posta di ${MAILBOX}` }).click();
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Aggiorna l’elenco' }).click();
      return (await row.getByTestId('mailbox-incoming').textContent()) ?? '';
    }, { timeout: 30_000, interval: 1000 }).toContain('Server IMAP non raggiungibile (ECONNREFUSED)');
    await row.getByRole('button', { name: `Server di ricezione di ${MAILBOX}` }).click();
    await incomingDialog.getByRole('button', { name: 'Smetti di leggere per IMAP' }).click();
    await containsText(row.getByTestId('mailbox-incoming'), 'per SMTP');

    // Two out-of-office answers arrive at the mailbox: the intake holds them in quarantine.
    await intake.sendMail({ envelope: { from: CITIZEN, to: [MAILBOX] }, raw: mail({ Subject: 'Risposta automatica: sono fuori sede', 'Auto-Submitted': 'auto-replied', 'Message-ID': `<ooo-${randomUUID()}@example.org>` }, 'Sono fuori sede fino al 10 dicembre.') });
    await intake.sendMail({ envelope: { from: CITIZEN, to: [MAILBOX] }, raw: mail({ Subject: 'Assenza per ferie', 'Auto-Submitted': 'auto-replied', 'Message-ID': `<ferie-${randomUUID()}@example.org>` }, 'Rientro il 7 gennaio.') });
    await page.reload();
    const held = page.locator('tr[data-quarantined]');
    await expect.poll(async () => await held.count(), POLL).toBe(2);
    await containsText(held.first().locator('[data-col="reason"]'), 'Risposta automatica');
    await expectAccessible(page, 'mail page: quarantine');
    await screenshot(page, 'citizen-staff-mail');

    // Release one into a new ticket: a link leads to it.
    await page.getByRole('button', { name: 'Rilascia il messaggio «Risposta automatica: sono fuori sede»' }).click();
    const releaseDialog = page.getByTestId('quarantine-release-dialog');
    await visible(releaseDialog);
    expect(await page.locator('#release-mode-new').isChecked()).toBe(true);
    await expectAccessible(page, 'mail page: release dialog');
    await releaseDialog.getByRole('button', { name: 'Rilascia', exact: true }).click();
    const released = page.getByTestId('quarantine-released');
    await visible(released);
    await containsText(released, 'è diventato il ticket');
    const ticketLink = released.getByRole('link', { name: /Apri il ticket/ });
    expect(await ticketLink.getAttribute('href')).toMatch(/^\/tickets\/.+/);
    await expect.poll(async () => await held.count(), POLL).toBe(1);

    // Dismiss the other, after confirming.
    await page.getByRole('button', { name: 'Scarta il messaggio «Assenza per ferie»' }).click();
    const dismissDialog = page.getByTestId('quarantine-dismiss-dialog');
    await visible(dismissDialog);
    await dismissDialog.getByRole('button', { name: 'Scarta', exact: true }).click();
    await visible(page.getByText('Messaggio scartato.'));
    await expect.poll(async () => await held.count(), POLL).toBe(0);

    // The portal form's fields for a topic.
    await page.locator('#fields-office').selectOption(officeId);
    const picker = page.locator('#fields-topic[role="combobox"]');
    await picker.focus();
    await page.keyboard.type('tributi');
    const listbox = page.getByRole('listbox');
    await visible(listbox);
    const topic = await listbox.getByRole('option').first().getAttribute('data-code');
    await page.keyboard.press('Enter');
    expect(topic).toBeTruthy();
    const form = page.getByTestId('request-fields-form');
    await visible(form);
    await form.getByRole('button', { name: 'Aggiungi un campo' }).click();
    const field = form.getByTestId('request-field').first();
    await field.getByLabel('Chiave').fill('numero_avviso');
    await field.getByLabel('Etichetta in italiano').fill('Numero dell’avviso di pagamento');
    await field.getByLabel('Etichetta in inglese').fill('Payment notice number');
    await field.getByLabel('Tipo').selectOption('select');
    await field.getByLabel('Opzioni').fill('tari | TARI | Waste tax\nimu | IMU');
    await field.locator('label.form-check-label', { hasText: 'Obbligatorio' }).click();
    await expectAccessible(page, 'mail page: form fields');
    await form.getByRole('button', { name: 'Salva i campi' }).click();
    await visible(page.getByText('Campi salvati.'));
    const admin = await apiSession(server.baseUrl, ADMIN, PASSWORD);
    const saved = await admin.request('GET', `/api/v1/offices/${officeId}/request-fields`);
    expect(JSON.parse(saved.text).items).toEqual([
      {
        topic,
        fields: [
          {
            key: 'numero_avviso',
            label: { it: 'Numero dell’avviso di pagamento', en: 'Payment notice number' },
            type: 'select',
            required: true,
            options: [
              { value: 'tari', label: { it: 'TARI', en: 'Waste tax' } },
              { value: 'imu', label: { it: 'IMU' } },
            ],
          },
        ],
      },
    ]);

    // The body's own privacy notice: an http address is refused with a clear message, then saved.
    const privacy = page.getByTestId('privacy-notice-section');
    await privacy.scrollIntoViewIfNeeded();
    await containsText(privacy.getByTestId('privacy-notice-current'), 'informativa della rete');
    await privacy.getByLabel('Indirizzo dell’informativa').fill('http://www.comune.celano.aq.it/privacy');
    await privacy.getByRole('button', { name: 'Salva l’informativa' }).click();
    await containsText(privacy.getByRole('alert'), 'https://');
    await privacy.getByLabel('Indirizzo dell’informativa').fill(NOTICE);
    await privacy.getByLabel('E-mail del responsabile della protezione dei dati').fill('rpd@comune.celano.aq.it');
    await privacy.getByRole('button', { name: 'Salva l’informativa' }).click();
    await visible(page.getByText('Informativa di Comune di Celano salvata'));
    await containsText(privacy.getByTestId('privacy-notice-current'), 'impostata il');
    await expectAccessible(page, 'mail page: privacy notice');
    expect(pageErrors).toEqual([]);
    await logout(page);

    // The portal, opened from the body's site with the body chosen, links the citizen to that notice.
    await page.goto(`${server.baseUrl}/richiesta?ente=${organisationId}`);
    const noticeLink = page.getByTestId('privacy-notice-link');
    await expect.poll(() => noticeLink.getAttribute('href'), POLL).toBe(NOTICE);
    await containsText(noticeLink, 'Comune di Celano');
    await containsText(page.locator('label[for="pr-consent"]'), 'Comune di Celano');
  });

  it('the operator sees the citizen’s message, the reply delivered, and the warning on a ticket without address', async () => {
    // A request filed on the portal (with its proof of work), then the citizen's answer by e-mail.
    const challenge = (await (await fetch(`${server.baseUrl}/api/v1/portal/challenge`)).json()) as { challenge: string; difficulty: number };
    const filing = await fetch(`${server.baseUrl}/api/v1/portal/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organisationId,
        topic: 'tributi',
        subject: 'Rimborso TARI pagata due volte',
        description: 'Ho pagato due volte la rata di giugno della TARI e vorrei sapere come avere il rimborso.',
        requester: { name: 'Giulia Neri', email: CITIZEN },
        replyChannel: 'email',
        lang: 'it',
        consent: true,
        website: '',
        submissionKey: randomUUID().replace(/-/g, ''),
        fields: { numero_avviso: 'tari' },
        challenge: challenge.challenge,
        nonce: solveChallenge(challenge.challenge, challenge.difficulty),
      }),
    });
    const filed = await filing.text();
    expect(filing.status, filed).toBe(201);
    const code = (JSON.parse(filed) as { code: string }).code;
    await intake.sendMail({ envelope: { from: CITIZEN, to: [MAILBOX] }, raw: mail({ Subject: `Re: richiesta ${code}`, 'Message-ID': `<answer-${randomUUID()}@example.org>` }, 'Aggiungo che ho le due ricevute di pagamento.') });

    await login(page, server.baseUrl, OPERATOR);
    await page.goto(`${server.baseUrl}/tickets/${code}`);
    await visible(page.getByTestId('ticket-code'));
    const panel = page.getByTestId('citizen-contact-panel');
    await visible(panel);
    await containsText(panel.getByTestId('reply-channel'), 'e-mail');
    // The notice the citizen accepted when filing, with its address.
    expect(await panel.getByTestId('consent-notice').locator('a').getAttribute('href')).toBe(NOTICE);
    await expect.poll(async () => await panel.getByTestId('no-contact-warning').count(), POLL).toBe(0);

    // The citizen's answer by e-mail, in the thread as the citizen's (it arrives in the background).
    const citizen = page.locator('.thread-item[data-kind="citizen"]');
    await expect
      .poll(async () => {
        if ((await citizen.count()) > 0) return true;
        await page.reload();
        return false;
      }, { timeout: 30_000, interval: 1_000 })
      .toBe(true);
    await containsText(citizen.first(), 'Messaggio del cittadino');
    await containsText(citizen.first(), 'via e-mail');
    await containsText(citizen.first(), 'ho le due ricevute');
    // The request's acknowledgement went out through the relay.
    await containsText(panel.locator('[data-kind="acknowledgement"]'), 'inviata');

    // A public reply: its delivery shows under it.
    await page.getByLabel('Testo della risposta').fill('Gentile signora Neri, il rimborso si chiede con il modulo allegato al sito del Comune.');
    await page.getByRole('button', { name: 'Anteprima e invio' }).click();
    await page.getByRole('button', { name: 'Invia al cittadino' }).click();
    const reply = page.locator('.thread-item[data-kind="reply"]').last();
    await visible(reply);
    await expect.poll(async () => await reply.getByTestId('delivery-status').getAttribute('data-status').catch(() => null), { timeout: 60_000, interval: 500 }).toBe('sent');
    await containsText(reply.getByTestId('delivery-status'), 'inviata');
    expect(relay.messages.flatMap((m) => m.to)).toContain(CITIZEN);
    await expectAccessible(page, 'ticket page: citizen contact');
    await screenshot(page, 'citizen-staff-ticket');

    // A ticket recorded by phone without an address: the warning, and «nessun recapito» under the reply.
    const operator = await apiSession(server.baseUrl, OPERATOR, PASSWORD);
    const created = await operator.request('POST', '/api/v1/tickets', {
      officeId,
      channel: 'telefono',
      subject: 'Orari della biblioteca',
      description: 'Il cittadino chiede gli orari di apertura della biblioteca comunale nel periodo natalizio.',
      priority: 'normal',
      requester: { name: 'Paolo Rossi', phone: '+39 333 7654321' },
      classification: { tipo: 'informazione', tema: 'identita_digitale.cie' },
    });
    expect(created.status, created.text).toBe(201);
    const bare = (JSON.parse(created.text) as { code: string }).code;
    const answered = await operator.request('POST', `/api/v1/tickets/${bare}/messages`, { kind: 'reply', body: 'Gli orari sono pubblicati sul sito del Comune.' });
    expect(answered.status, answered.text).toBe(201);
    await page.goto(`${server.baseUrl}/tickets/${bare}`);
    const warning = page.getByTestId('no-contact-warning');
    await visible(warning);
    expect(await warning.getAttribute('role')).toBe('alert');
    await containsText(warning, 'Il richiedente non ha lasciato un recapito');
    await containsText(page.getByTestId('reply-channel'), 'nessuno');
    await containsText(page.locator('.thread-item[data-kind="reply"]').last().getByTestId('delivery-status'), 'nessun recapito');
    await expectAccessible(page, 'ticket page: no contact');
    expect(pageErrors).toEqual([]);
  });
});
