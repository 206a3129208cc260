import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from '../src/modules/citizen/index.js';
import { routingSettled } from '../src/modules/routing/index.js';
import { closedTicketsForArchive } from '../src/modules/tickets/index.js';
import { type SmtpSink, type SunkMessage, startSmtpSink } from './helpers/smtp-sink.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * The citizen's side on the portal, through HTTP against a real database: filing a request (with its
 * anti-abuse checks and idempotency), the private tracking page, attachments, the operator's reply
 * reaching the citizen's inbox on a loopback SMTP server, the citizen's answer and rating.
 */

let t: TestApp;
let smtp: SmtpSink;
let inbox: SunkMessage[] = [];
let celanoOrg: string;
let operator: Client;

beforeAll(async () => {
  smtp = await startSmtpSink();
  inbox = smtp.messages;
  t = await buildTestApp({ SMTP_URL: smtp.url, BASE_URL: 'https://urp.example.it', PORTAL_POW_DIFFICULTY: '8', MAIL_FROM: 'Rete URP <noreply@urp.example.it>' });
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  celanoOrg = operator.organisationId;
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

async function challenge() {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/portal/challenge' });
  expect(res.statusCode).toBe(200);
  const c = res.json() as { challenge: string; difficulty: number };
  return { challenge: c.challenge, nonce: solveChallenge(c.challenge, c.difficulty) };
}

async function requestBody(overrides: Record<string, unknown> = {}) {
  return {
    organisationId: celanoOrg,
    topic: 'tributi',
    subject: 'Rimborso TARI pagata due volte',
    description: 'Ho pagato due volte la rata di giugno della TARI e vorrei sapere come avere il rimborso.',
    requester: { name: 'Giulia Neri', email: 'giulia.neri@example.org' },
    replyChannel: 'email',
    lang: 'it',
    consent: true,
    website: '',
    submissionKey: randomUUID().replace(/-/g, ''),
    ...(await challenge()),
    ...overrides,
  };
}

const file = (token: string, name: string, content: Buffer, type = 'application/octet-stream') => {
  const boundary = `----urpnet${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: `/api/v1/portal/track/${token}/attachments`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
};

/** Each filing from its own client address: the route allows 10 per address in 10 minutes (checked below). */
let addresses = 0;
const post = (payload: object, remoteAddress = `10.1.${Math.floor(++addresses / 250)}.${addresses % 250}`) =>
  t.app.inject({ method: 'POST', url: '/api/v1/portal/requests', payload, remoteAddress });

/** Events, jobs and the routing pass they start, all finished. */
async function settle() {
  await t.events.drain();
  await routingSettled(t.app);
  await t.jobs.runDue();
  await t.events.drain();
  await routingSettled(t.app);
}

describe('the portal request form', () => {
  it('lists the bodies and topics, and names the office that will receive the request', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/portal/request-form?organisationId=${celanoOrg}&topic=tributi` });
    expect(res.statusCode).toBe(200);
    const form = res.json();
    expect(form.organisations.some((o: { id: string }) => o.id === celanoOrg)).toBe(true);
    expect(form.topics.some((x: { code: string }) => x.code === 'tributi')).toBe(true);
    expect(form.office.organisation).toMatch(/Celano/);
    expect(form.maxAttachmentBytes).toBeGreaterThan(0);
  });

  it('asks for the fields an office sets for a topic, and refuses a request without the required ones', async () => {
    const supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
    const form = (await t.app.inject({ method: 'GET', url: `/api/v1/portal/request-form?organisationId=${celanoOrg}&topic=tributi` })).json();
    const fields = [{ key: 'numero_avviso', label: { it: "Numero dell'avviso di pagamento", en: 'Payment notice number' }, type: 'text', required: true }];
    const put = await supervisor.put(`/api/v1/offices/${form.office.id}/request-fields/tributi`, { fields });
    expect(put.statusCode).toBe(200);
    expect((await operator.put(`/api/v1/offices/${form.office.id}/request-fields/tributi`, { fields })).statusCode).toBe(403);
    const en = (await t.app.inject({ method: 'GET', url: `/api/v1/portal/request-form?organisationId=${celanoOrg}&topic=tributi.tari&lang=en` })).json();
    expect(en.fields).toEqual([{ key: 'numero_avviso', label: 'Payment notice number', type: 'text', required: true }]);
    const missing = await post(await requestBody());
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('portal.field_required');
    const filed = await post(await requestBody({ fields: { numero_avviso: 'AV-2026-0042' } }));
    expect(filed.statusCode).toBe(201);
    const ticket = (await operator.get(`/api/v1/tickets/${filed.json().code}`)).json();
    expect(ticket.description).toContain("Numero dell'avviso di pagamento: AV-2026-0042");
    expect((await supervisor.put(`/api/v1/offices/${form.office.id}/request-fields/tributi`, { fields: [] })).statusCode).toBe(200);
  });

  it("shows each body's own privacy notice, set by its admin, and records the one the citizen accepted", async () => {
    const admin = await login(t.app, demoEmail('admin', 'comune-celano'));
    const napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
    const noticeOf = async () => {
      const form = (await t.app.inject({ method: 'GET', url: `/api/v1/portal/request-form?organisationId=${celanoOrg}&topic=tributi` })).json();
      return { listed: form.organisations.find((o: { id: string }) => o.id === celanoOrg).privacyNoticeUrl, office: form.office.privacyNoticeUrl };
    };
    expect(await noticeOf()).toEqual({ listed: null, office: null });
    // Only https pages on a real host; only the body's admin (or the coordination) sets it.
    const plain = await admin.put(`/api/v1/organisations/${celanoOrg}/privacy-notice`, { url: 'http://www.comune.celano.aq.it/privacy' });
    expect(plain.statusCode).toBe(400);
    expect(plain.json().code).toBe('citizen.privacy_notice_not_https');
    expect((await napoliAdmin.put(`/api/v1/organisations/${celanoOrg}/privacy-notice`, { url: 'https://intruso.example.org/privacy' })).json().code).toBe('citizen.organisation_not_managed');
    expect((await operator.put(`/api/v1/organisations/${celanoOrg}/privacy-notice`, { url: 'https://intruso.example.org/privacy' })).statusCode).toBe(403);
    const url = 'https://www.comune.celano.aq.it/privacy/urp';
    const set = await admin.put(`/api/v1/organisations/${celanoOrg}/privacy-notice`, { url, dpoEmail: 'rpd@comune.celano.aq.it' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ organisationId: celanoOrg, url, dpoEmail: 'rpd@comune.celano.aq.it' });
    expect(await noticeOf()).toEqual({ listed: url, office: url });
    const mine = (await admin.get('/api/v1/privacy-notices')).json().items;
    expect(mine.map((n: { organisationId: string }) => n.organisationId)).toEqual([celanoOrg]);
    expect((await napoliAdmin.get('/api/v1/privacy-notices')).json().items.some((n: { organisationId: string }) => n.organisationId === celanoOrg)).toBe(false);
    // The filing records the notice consented to; the operator sees it with the time.
    const filed = (await post(await requestBody())).json();
    const contact = (await operator.get(`/api/v1/tickets/${filed.code}/citizen-contact`)).json();
    expect(contact.consent.notice).toBe(url);
    expect(Date.parse(contact.consent.at)).toBeGreaterThan(Date.now() - 60_000);
    // Removed: back to the network's notice, and so is what the next citizen accepts.
    expect((await admin.delete(`/api/v1/organisations/${celanoOrg}/privacy-notice`)).statusCode).toBe(204);
    expect(await noticeOf()).toEqual({ listed: null, office: null });
    const next = (await post(await requestBody())).json();
    expect((await operator.get(`/api/v1/tickets/${next.code}/citizen-contact`)).json().consent.notice).toBe('network');
  });

  it('files a request once however many times the form is posted, as a web ticket of the receiving office', async () => {
    const body = await requestBody();
    const first = await post(body);
    expect(first.statusCode).toBe(201);
    const filed = first.json();
    expect(filed.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    expect(filed.trackingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(filed.trackingUrl).toBe(`https://urp.example.it/segui#${filed.trackingToken}`);
    expect(filed.trackingToken).not.toContain(filed.code.replace(/-/g, ''));
    const again = await post(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(filed);
    const ticket = (await operator.get(`/api/v1/tickets/${filed.code}`)).json();
    expect(ticket.channel).toBe('web');
    expect(ticket.classification).toMatchObject({ tema: 'tributi', canale: 'web' });
    expect(ticket.createdBy).toBeNull();
    const list = (await operator.get('/api/v1/tickets?q=TARI')).json();
    expect(list.items.filter((i: { code: string }) => i.code === filed.code)).toHaveLength(1);
    // The request joins its office's routing queue like a call (once, however often the event is handled).
    await settle();
    const ticketRow = await t.database.db.selectFrom('tickets').select(['id', 'office_id']).where('code', '=', filed.code).executeTakeFirstOrThrow();
    const items = await t.database.db.selectFrom('work_items').select(['channel', 'office_id', 'topic']).where('ticket_id', '=', ticketRow.id).execute();
    expect(items).toEqual([{ channel: 'web', office_id: ticketRow.office_id, topic: 'tributi' }]);
  });

  it('refuses the honeypot, a spent or forged proof of work and a missing consent, with stable codes', async () => {
    const trap = await post(await requestBody({ website: 'http://spam.example' }));
    expect(trap.statusCode).toBe(422);
    expect(trap.json()).toMatchObject({ code: 'portal.challenge_failed' });
    const body = await requestBody();
    expect((await post(body)).statusCode).toBe(201);
    const replay = await post({ ...body, submissionKey: randomUUID().replace(/-/g, '') });
    expect(replay.statusCode).toBe(422);
    expect(replay.json().detail).toContain('spent');
    const forged = await requestBody();
    const parts = forged.challenge.split('.');
    parts[1] = '0';
    const weak = await post({ ...forged, challenge: parts.join('.') });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().detail).toContain('signature');
    const unsolved = await requestBody();
    const lazy = await post({ ...unsolved, nonce: `${unsolved.nonce}x` });
    // A different nonce solves the challenge with probability 2^-8: accept either outcome only when it did.
    if (lazy.statusCode !== 201) expect(lazy.json().code).toBe('portal.challenge_failed');
    const noConsent = await post(await requestBody({ consent: false }));
    expect(noConsent.json().code).toBe('portal.consent_required');
    const noMail = await post(await requestBody({ requester: { name: 'X', email: 'non-una-mail' } }));
    expect(noMail.json().code).toBe('portal.contact_required');
    const nowhere = await post(await requestBody({ organisationId: undefined, topic: undefined, subject: 'Zzz', description: 'qwerty uiop asdf ghjkl zxcv' }));
    expect(nowhere.json().code).toBe('portal.no_office');
  });

  it('counts a request filed after a FAQ search as a contact the FAQ did not deflect', async () => {
    const sessionId = randomUUID().replace(/-/g, '');
    await t.app.inject({ method: 'POST', url: '/api/v1/portal/faq/events', payload: { sessionId, kind: 'search', query: 'rimborso tari pagata due volte' } });
    const filed = await post(await requestBody({ faqSessionId: sessionId }));
    expect(filed.statusCode).toBe(201);
    const kinds = await t.database.db.selectFrom('faq_portal_events').select('kind').where('session_id', '=', sessionId).execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual(['contact', 'search']);
  });

  it('classifies a request filed without a topic with the suggester', async () => {
    // The first suggestion trains the network's models (as on a real first use).
    expect((await operator.post('/api/v1/classification/suggest', { text: 'rinnovo carta di identità' })).statusCode).toBe(200);
    const filed = await post(await requestBody({ topic: undefined, subject: "Carta d'identità elettronica scaduta", description: "La mia carta d'identità elettronica è scaduta: come prenoto il rinnovo all'anagrafe e quali documenti servono?" }));
    expect(filed.statusCode).toBe(201);
    await settle();
    const ticket = (await operator.get(`/api/v1/tickets/${filed.json().code}`)).json();
    expect(ticket.classification.tema).toMatch(/^(identita_digitale|anagrafe|servizi_demografici)/);
    const history = JSON.stringify((await operator.get(`/api/v1/tickets/${filed.json().code}/history`)).json());
    expect(history).toContain('classified_by_suggester');
    // Its place in the office's queue follows the topic, whichever handler of the creation ran first.
    const row = await t.database.db.selectFrom('tickets').select('id').where('code', '=', filed.json().code).executeTakeFirstOrThrow();
    const items = await t.database.db.selectFrom('work_items').select('topic').where('ticket_id', '=', row.id).execute();
    expect(items).toEqual([{ topic: ticket.classification.tema }]);
    // An operator's reclassification while it waits moves it too.
    const current = await operator.get(`/api/v1/tickets/${filed.json().code}`);
    const patched = await operator.patch(`/api/v1/tickets/${filed.json().code}`, { classification: { ...ticket.classification, tema: 'tributi' } }, { 'if-match': current.headers.etag as string });
    expect(patched.statusCode).toBe(200);
    await settle();
    expect(await t.database.db.selectFrom('work_items').select('topic').where('ticket_id', '=', row.id).where('status', 'in', ['waiting', 'offered']).execute()).toEqual([{ topic: 'tributi' }]);
  });

  it('limits filings per client address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await post(await requestBody(), '10.9.9.9')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(codes[10]).toBe(429);
  });

  it('routes a request for the whole network to the office competent for the topic and place', async () => {
    const res = await post(await requestBody({ organisationId: undefined, topic: 'tributi', place: 'Celano' }));
    expect(res.statusCode).toBe(201);
    expect(res.json().office.name).toBeTruthy();
  });
});

describe('the tracking page', () => {
  let filed: { code: string; trackingToken: string };

  beforeAll(async () => {
    filed = (await post(await requestBody())).json();
    await settle();
  });

  it('acknowledges the request by e-mail with the code and the private link', async () => {
    await expect.poll(() => inbox.find((m) => m.to.includes('giulia.neri@example.org') && m.data.includes(filed.code)), { timeout: 5000 }).toBeDefined();
    const ack = inbox.find((m) => m.data.includes(filed.code))!;
    expect(ack.data).toContain(`https://urp.example.it/segui#${filed.trackingToken}`);
    expect(ack.data).toMatch(/Auto-Submitted: auto-replied/i);
    expect(ack.data).toMatch(/X-Urpnet-Loop: [0-9a-f]{24}/);
  });

  it('shows the request, never internal notes, and answers unknown tokens with 404 and long-closed ones with 410', async () => {
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${filed.trackingToken}` });
    expect(view.statusCode).toBe(200);
    expect(view.headers['cache-control']).toBe('no-store');
    expect(view.json()).toMatchObject({ code: filed.code, status: 'new', expected: 'wait_office', canReply: true, canRate: false, messages: [] });
    expect((await operator.post(`/api/v1/tickets/${filed.code}/messages`, { kind: 'note', body: 'Nota interna: verificare con ragioneria' })).statusCode).toBe(201);
    expect(JSON.stringify((await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${filed.trackingToken}` })).json())).not.toContain('Nota interna');
    const wrong = await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${'A'.repeat(43)}` });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('portal.tracking_not_found');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/portal/track/short' })).json().code).toBe('portal.tracking_not_found');
  });

  it('takes a PDF, refuses an executable renamed .pdf and a file over the limit while the request stays', async () => {
    const pdf = await file(filed.trackingToken, 'ricevuta.pdf', Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF'), 'application/pdf');
    expect(pdf.statusCode).toBe(201);
    expect(pdf.json()).toMatchObject({ filename: 'ricevuta.pdf', contentType: 'application/pdf' });
    const exe = await file(filed.trackingToken, 'modulo.txt', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().code).toBe('portal.attachment_refused');
    const zip = await file(filed.trackingToken, 'archivio.zip', Buffer.from('PK\u0003\u0004rest'));
    expect(zip.statusCode).toBe(415);
    const big = await file(filed.trackingToken, 'scansione.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(t.config.maxAttachmentBytes + 10)]), 'application/pdf');
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'portal.attachment_too_large' });
    expect(big.json().detail).toContain('registrata');
    const view = (await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${filed.trackingToken}` })).json();
    expect(view.attachments.map((a: { filename: string }) => a.filename)).toEqual(['ricevuta.pdf']);
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${filed.trackingToken}/attachments/${view.attachments[0].id}` });
    expect(download.statusCode).toBe(200);
    expect(download.body).toContain('%PDF-1.4');
    // The operator sees the citizen's file on the ticket too.
    expect((await operator.get(`/api/v1/tickets/${filed.code}/attachments/${view.attachments[0].id}`)).statusCode).toBe(200);
  });

  it("delivers the operator's public reply to the citizen's inbox and shows it on the page; the citizen answers and the ticket reopens", async () => {
    const before = inbox.length;
    expect((await operator.post(`/api/v1/tickets/${filed.code}/messages`, { kind: 'reply', body: 'Buongiorno, ci invii la ricevuta del secondo pagamento.' })).statusCode).toBe(201);
    const current = await operator.get(`/api/v1/tickets/${filed.code}`);
    expect((await operator.post(`/api/v1/tickets/${filed.code}/status`, { status: 'pending_citizen' }, { 'if-match': current.headers.etag as string })).statusCode).toBe(200);
    await settle();
    await expect.poll(() => inbox.slice(before).find((m) => m.data.includes('ricevuta del secondo pagamento')), { timeout: 5000 }).toBeDefined();
    const mail = inbox.slice(before).find((m) => m.data.includes('ricevuta del secondo pagamento'))!;
    expect(mail.to).toEqual(['giulia.neri@example.org']);
    expect(mail.data).toMatch(new RegExp(`Subject: \\[URP ${filed.code}\\]`));
    expect(mail.data).toMatch(/Message-ID: <delivery\.[0-9a-f-]{36}@urp\.example\.it>/i);
    expect(mail.data).toContain('Comune di Celano');
    const contact = (await operator.get(`/api/v1/tickets/${filed.code}/citizen-contact`)).json();
    expect(contact.hasContact).toBe(true);
    expect(contact.deliveries.map((d: { kind: string; status: string }) => `${d.kind}:${d.status}`)).toEqual(['acknowledgement:sent', 'reply:sent']);
    const view = (await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${filed.trackingToken}` })).json();
    expect(view.expected).toBe('answer_office');
    expect(view.messages).toHaveLength(1);
    expect(view.messages[0]).toMatchObject({ from: 'office', office: 'Comune di Celano', body: 'Buongiorno, ci invii la ricevuta del secondo pagamento.' });
    const answer = await t.app.inject({ method: 'POST', url: `/api/v1/portal/track/${filed.trackingToken}/messages`, payload: { body: 'Ecco la ricevuta, allegata sopra.' } });
    expect(answer.statusCode).toBe(201);
    const ticket = (await operator.get(`/api/v1/tickets/${filed.code}`)).json();
    expect(ticket.status).toBe('open');
    const thread = (await operator.get(`/api/v1/tickets/${filed.code}/messages`)).json();
    expect(thread.items.at(-1)).toMatchObject({ kind: 'citizen', channel: 'web', body: 'Ecco la ricevuta, allegata sopra.', author: null });
    await settle();
    const notes = (await operator.get('/api/v1/notifications')).json();
    expect(notes.items.some((n: { kind: string; ticketCode: string }) => n.kind === 'ticket.citizen_message' && n.ticketCode === filed.code)).toBe(true);
  });

  it('asks for a rating once resolved, takes one rating and shows it to the operator', async () => {
    const early = await t.app.inject({ method: 'POST', url: `/api/v1/portal/track/${filed.trackingToken}/rating`, payload: { score: 5 } });
    expect(early.json().code).toBe('portal.not_resolved');
    const current = await operator.get(`/api/v1/tickets/${filed.code}`);
    const patched = await operator.patch(`/api/v1/tickets/${filed.code}`, { classification: { tipo: 'informazione', tema: 'tributi' } }, { 'if-match': current.headers.etag as string });
    expect(patched.statusCode).toBe(200);
    const resolved = await operator.post(`/api/v1/tickets/${filed.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': patched.headers.etag as string });
    expect(resolved.statusCode).toBe(200);
    const before = inbox.length;
    await settle();
    await expect.poll(() => inbox.slice(before).find((m) => m.data.includes('voto=5')), { timeout: 5000 }).toBeDefined();
    const view = (await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${filed.trackingToken}` })).json();
    expect(view).toMatchObject({ expected: 'rate', canRate: true });
    const rated = await t.app.inject({ method: 'POST', url: `/api/v1/portal/track/${filed.trackingToken}/rating`, payload: { score: 4, comment: 'Risposta chiara e veloce' } });
    expect(rated.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/portal/track/${filed.trackingToken}/rating`, payload: { score: 1 } })).json().code).toBe('portal.already_rated');
    const contact = (await operator.get(`/api/v1/tickets/${filed.code}/citizen-contact`)).json();
    expect(contact.rating).toMatchObject({ score: 4, comment: 'Risposta chiara e veloce', via: 'portal' });
    const history = (await operator.get(`/api/v1/tickets/${filed.code}/history`)).json();
    expect(JSON.stringify(history)).toContain('rated_by_citizen');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${filed.trackingToken}` })).json()).toMatchObject({ expected: 'none', canRate: false, rating: { score: 4 } });
    // The rating reaches the anonymised archive as the record's satisfaction.
    const longAgo = new Date(Date.now() - 30 * 86_400_000);
    const row = await t.database.db.updateTable('tickets').set({ status: 'closed', resolved_at: longAgo, closed_at: longAgo }).where('code', '=', filed.code).returning('id').executeTakeFirstOrThrow();
    const archived = await closedTicketsForArchive(t.database.db, { closedBefore: new Date(), now: new Date(), after: null, limit: 10_000 });
    expect(archived.find((a) => a.id === row.id)?.satisfaction).toBe(4);
  });

  it('warns the operator when the requester left no address: the reply is recorded as not deliverable', async () => {
    const created = await operator.post('/api/v1/tickets', ticketInput(operator, { requester: null, subject: 'Orari anagrafe' }));
    expect(created.statusCode).toBe(201);
    const code = created.json().code as string;
    expect((await operator.post(`/api/v1/tickets/${code}/messages`, { kind: 'reply', body: 'Lo sportello è aperto dal lunedì al venerdì.' })).statusCode).toBe(201);
    await settle();
    const contact = (await operator.get(`/api/v1/tickets/${code}/citizen-contact`)).json();
    expect(contact.hasContact).toBe(false);
    expect(contact.deliveries.map((d: { status: string }) => d.status)).toEqual(['no_contact']);
  });

  it('stops opening a request 90 days after it closed', async () => {
    const other = (await post(await requestBody())).json();
    await t.database.db.updateTable('tickets').set({ status: 'closed', closed_at: new Date(Date.now() - 91 * 86_400_000), resolved_at: new Date(Date.now() - 92 * 86_400_000) }).where('code', '=', other.code).execute();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/portal/track/${other.trackingToken}` });
    expect(res.statusCode).toBe(410);
    expect(res.json().code).toBe('portal.tracking_expired');
  });
});
