import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let coordinator: Client;
let analyst: Client;
let operator: Client;
let supervisor: Client;
let celanoAdmin: Client;
let napoliAdmin: Client;
let napoliOperator: Client;
let spid: { id: string; organisation: { id: string } | null };
let celanoUrp: { id: string; organisation: { id: string } | null };

const session = () => randomBytes(12).toString('hex');
const event = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/portal/faq/events', payload: payload as object });
const rate = (id: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/api/v1/portal/faq/${id}/feedback`, payload: payload as object });
const search = async (q: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/search?q=${encodeURIComponent(q)}` })).json().items;

beforeAll(async () => {
  t = await buildTestApp();
  [coordinator, analyst, operator, supervisor, celanoAdmin, napoliAdmin, napoliOperator] = await Promise.all([
    login(t.app, demoEmail('coordinatore')),
    login(t.app, demoEmail('analista')),
    login(t.app, demoEmail('operatore', 'comune-celano')),
    login(t.app, demoEmail('responsabile', 'comune-celano')),
    login(t.app, demoEmail('admin', 'comune-celano')),
    login(t.app, demoEmail('admin', 'comune-napoli')),
    login(t.app, demoEmail('operatore', 'comune-napoli')),
  ]);
  spid = (await search('spid'))[0];
  celanoUrp = (await search('orari urp celano'))[0];
  expect(celanoUrp.organisation).not.toBeNull();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('portal events', () => {
  it('records searches, reads and contact intent of an anonymous session', async () => {
    const sid = session();
    expect((await event({ sessionId: sid, kind: 'search', query: 'come ottengo lo spid' })).statusCode).toBe(202);
    expect((await event({ sessionId: sid, kind: 'read', faqId: spid.id })).statusCode).toBe(202);
    expect((await event({ sessionId: sid, kind: 'contact' })).statusCode).toBe(202);
    const rows = await t.database.db.selectFrom('faq_portal_events').selectAll().where('session_id', '=', sid).orderBy('id').execute();
    expect(rows.map((r) => r.kind)).toEqual(['search', 'read', 'contact']);
    expect(rows[0]).toMatchObject({ query: 'come ottengo lo spid', result_count: 5 });
    expect(rows[0]!.top_score).toBeGreaterThan(3);
    expect(rows[1]).toMatchObject({ faq_id: spid.id });
  });

  it('rejects unknown kinds, unknown FAQs, malformed sessions and oversized text with clear problems', async () => {
    const sid = session();
    const cases: [unknown, number, string | null][] = [
      [{ sessionId: sid, kind: 'purchase' }, 400, null],
      [{ sessionId: 'corto', kind: 'contact' }, 400, null],
      [{ sessionId: sid, kind: 'read' }, 400, 'faq.event_invalid'],
      [{ sessionId: sid, kind: 'search' }, 400, 'faq.event_invalid'],
      [{ sessionId: sid, kind: 'read', faqId: '00000000-0000-4000-8000-000000000000' }, 404, 'faq.not_found'],
      [{ sessionId: sid, kind: 'read', faqId: 'non-un-id' }, 400, null],
      [{ sessionId: sid, kind: 'search', query: 'x'.repeat(501) }, 400, null],
      [{ sessionId: sid, kind: 'read', faqId: spid.id, query: 'testo' }, 400, 'faq.event_invalid'],
      [{ sessionId: sid, kind: 'contact', email: 'a@b.it' }, 400, null],
    ];
    for (const [payload, status, code] of cases) {
      const res = await event(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (code) expect(res.json().code).toBe(code);
      expect(res.json().detail).toMatch(/\S/);
    }
  });
});

describe('FAQ gaps', () => {
  it('collects searches without results, scrubbed and normalised, and aggregates them', async () => {
    for (const query of ['Pergolato abusivo sul tetto del vicino RSSMRA80A01H501U', 'pergolato   abusivo sul tetto del VICINO 333 1234567', 'Pergolàto abusivo sul tetto del vicino']) {
      expect((await event({ sessionId: session(), kind: 'search', query })).statusCode).toBe(202);
    }
    const list = await coordinator.get('/api/v1/faq/gaps?q=pergolato');
    expect(list.statusCode, list.body).toBe(200);
    const gaps = list.json().items;
    // The personal data is not part of the key nor of the samples.
    expect(JSON.stringify(gaps)).not.toMatch(/RSSMRA|1234567/);
    const gap = gaps.find((g: { query: string }) => g.query === 'pergolato abusivo sul tetto del vicino');
    expect(gap).toBeDefined();
    expect(gap.occurrences).toBe(1);
    const withCf = gaps.find((g: { query: string }) => g.query.includes('codice fiscale'));
    expect(withCf?.samples[0]).toContain('[CODICE_FISCALE]');
    const stored = await t.database.db.selectFrom('faq_portal_events').select('query').where('query', 'like', '%ergolato%').execute();
    expect(stored.map((r) => r.query).join(' ')).not.toMatch(/RSSMRA|1234567/);
  });

  it('ranks repeated gaps first and records a not-helpful rating or a contact after a search', async () => {
    for (let i = 0; i < 3; i++) await event({ sessionId: session(), kind: 'search', query: 'Contributo per il pollaio condominiale' });
    // A search with a good answer, then "not helpful": the search becomes a gap.
    const sid = session();
    await event({ sessionId: sid, kind: 'search', query: 'spid' });
    await event({ sessionId: sid, kind: 'read', faqId: spid.id });
    expect((await rate(spid.id, { sessionId: sid, helpful: false })).statusCode).toBe(200);
    // Voting again in the same session does not add a second signal.
    await rate(spid.id, { sessionId: sid, helpful: false });
    const items = (await coordinator.get('/api/v1/faq/gaps')).json().items;
    expect(items[0]).toMatchObject({ query: 'contributo per il pollaio condominiale', occurrences: 3, status: 'open' });
    expect(items[0].signals.noResults + items[0].signals.lowScore).toBe(3);
    expect(items.find((g: { query: string }) => g.query === 'spid')).toMatchObject({ occurrences: 1, signals: { notHelpful: 1, noResults: 0, lowScore: 0 } });
  });

  it('lets the editorial board mark a gap addressed by a FAQ or dismissed; org admins see their territory', async () => {
    await event({ sessionId: session(), kind: 'search', query: 'zampognari fosforescenti natalizi', place: 'Celano' });
    const gap = (await coordinator.get('/api/v1/faq/gaps?q=zampognari')).json().items[0];
    expect(gap).toMatchObject({ territory: 'celano', organisation: { name: 'Comune di Celano' } });
    // The Celano administrator sees it, Napoli's does not, an operator may not look.
    expect((await celanoAdmin.get('/api/v1/faq/gaps?q=zampognari')).json().items.map((g: { id: string }) => g.id)).toEqual([gap.id]);
    expect((await napoliAdmin.get('/api/v1/faq/gaps?q=zampognari')).json().items).toEqual([]);
    expect((await napoliAdmin.get(`/api/v1/faq/gaps?organisationId=${gap.organisation.id}`)).statusCode).toBe(403);
    expect((await operator.get('/api/v1/faq/gaps')).statusCode).toBe(403);
    expect((await napoliAdmin.patch(`/api/v1/faq/gaps/${gap.id}`, { status: 'dismissed' })).statusCode).toBe(404);

    // A comune with no body of its own in the network: the gap goes to the body of its region.
    await event({ sessionId: session(), kind: 'search', query: 'presepi fosforescenti a Ocre', place: 'Ocre' });
    expect((await coordinator.get('/api/v1/faq/gaps?q=presepi')).json().items[0]).toMatchObject({ territory: 'ocre', organisation: { name: 'Regione Abruzzo' } });
    const missing = await coordinator.patch(`/api/v1/faq/gaps/${gap.id}`, { status: 'addressed' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('faq.gap_faq_required');
    const addressed = await celanoAdmin.patch(`/api/v1/faq/gaps/${gap.id}`, { status: 'addressed', faqId: celanoUrp.id, version: gap.version });
    expect(addressed.statusCode, addressed.body).toBe(200);
    expect(addressed.json()).toMatchObject({ status: 'addressed', faq: { id: celanoUrp.id }, version: gap.version + 1 });
    const stale = await coordinator.patch(`/api/v1/faq/gaps/${gap.id}`, { status: 'dismissed', version: gap.version });
    expect(stale.statusCode).toBe(409);
    expect((await coordinator.get('/api/v1/faq/gaps?q=zampognari')).json().items).toEqual([]);
    expect((await coordinator.get('/api/v1/faq/gaps?q=zampognari&status=addressed')).json().items).toHaveLength(1);
  });
});

describe('ratings', () => {
  it('counts one citizen vote per session and FAQ, and operators’ votes and uses, in the stats', async () => {
    const faq = (await search('rinnovo carta identità elettronica'))[0];
    const a = session();
    expect((await rate(faq.id, { sessionId: a, helpful: true })).json()).toMatchObject({ counted: 'new' });
    expect((await rate(faq.id, { sessionId: a, helpful: false, comment: 'Mi chiamo Giulia Bianchi, manca il costo' })).json()).toMatchObject({ counted: 'replaced' });
    await rate(faq.id, { sessionId: session(), helpful: true });
    await rate(faq.id, { sessionId: session(), helpful: true });
    const op = await operator.post(`/api/v1/faq/${faq.id}/feedback`, { helpful: true });
    expect(op.statusCode, op.body).toBe(200);
    await operator.post(`/api/v1/faq/${faq.id}/feedback`, { helpful: false, comment: 'Orari non aggiornati' });
    expect((await operator.post(`/api/v1/faq/${faq.id}/uses`, { context: 'reply' })).statusCode).toBe(204);
    const stats = (await supervisor.get(`/api/v1/faq/${faq.id}/feedback`)).json();
    expect(stats).toMatchObject({ helpful: 2, notHelpful: 2, ratio: 0.5, citizens: { helpful: 2, notHelpful: 1 }, operators: { helpful: 0, notHelpful: 1 }, uses: 1 });
    expect(stats.comments.map((c: { comment: string }) => c.comment)).toEqual(expect.arrayContaining(['Orari non aggiornati', 'Mi chiamo [PERSONA], manca il costo']));
  });

  it('rejects ratings of unknown or unpublished FAQs and bad bodies', async () => {
    const unknown = await rate('00000000-0000-4000-8000-000000000000', { sessionId: session(), helpful: true });
    expect(unknown.statusCode).toBe(404);
    expect((await rate(spid.id, { sessionId: session(), helpful: 'sì' })).statusCode).toBe(400);
    expect((await rate(spid.id, { sessionId: session(), helpful: true, comment: 'x'.repeat(1001) })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/faq/${spid.id}/feedback`, payload: { helpful: true } })).statusCode).toBe(401);
    expect((await operator.get('/api/v1/faq/00000000-0000-4000-8000-000000000000/feedback')).statusCode).toBe(404);
  });

  it('keeps a network draft away from operators: no stats, no vote (the editorial read rule)', async () => {
    const draft = await coordinator.post('/api/v1/faq', { scope: 'network', title: 'Bozza di rete riservata alla redazione', body: 'Testo in lavorazione.' });
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().id as string;
    expect((await operator.get(`/api/v1/faq/${id}/feedback`)).statusCode).toBe(404);
    expect((await operator.post(`/api/v1/faq/${id}/feedback`, { helpful: true })).statusCode).toBe(404);
    expect((await coordinator.get(`/api/v1/faq/${id}/feedback`)).statusCode).toBe(200);
  });

  it('treats a published FAQ outside its publish/expiry window as not there for citizens', async () => {
    const db = t.database.db;
    const future = new Date(Date.now() + 86_400_000);
    await db.updateTable('faq_articles').set({ publish_at: future }).where('id', '=', spid.id).execute();
    try {
      const early = await rate(spid.id, { sessionId: session(), helpful: true });
      expect(early.statusCode).toBe(404);
      await db.updateTable('faq_articles').set({ publish_at: null, expires_at: new Date(Date.now() - 1000) }).where('id', '=', spid.id).execute();
      expect((await rate(spid.id, { sessionId: session(), helpful: true })).statusCode).toBe(404);
    } finally {
      await db.updateTable('faq_articles').set({ publish_at: null, expires_at: null }).where('id', '=', spid.id).execute();
    }
    expect((await rate(spid.id, { sessionId: session(), helpful: true })).statusCode).toBe(200);
  });
});

describe('deflected contacts', () => {
  it('counts sessions that searched, read and did not ask for contact within 30 minutes, once their window is over', async () => {
    const db = t.database.db;
    const now = Date.now();
    const ago = (min: number) => new Date(now - min * 60_000);
    const add = (sid: string, kind: string, at: Date, faqId: string | null = null, organisationId: string | null = null) =>
      db.insertInto('faq_portal_events').values({ session_id: sid, kind, faq_id: faqId, organisation_id: organisationId, query: kind === 'search' ? 'q' : null, lang: 'it', place: null, result_count: null, top_score: null, helpful: null, created_at: at }).execute();
    const celanoOrg = celanoUrp.organisation!.id;
    // Deflected: searched, read two FAQs (the last read is credited), no contact.
    const d1 = session();
    await add(d1, 'search', ago(120));
    await add(d1, 'read', ago(119), spid.id);
    await add(d1, 'read', ago(118), celanoUrp.id, celanoOrg);
    const d2 = session();
    await add(d2, 'search', ago(200));
    await add(d2, 'read', ago(199), celanoUrp.id, celanoOrg);
    // Contact intent within the window: not deflected. Contact after the window: deflected.
    const c1 = session();
    await add(c1, 'search', ago(100));
    await add(c1, 'read', ago(99), spid.id);
    await add(c1, 'contact', ago(80));
    const late = session();
    await add(late, 'search', ago(300));
    await add(late, 'read', ago(299), spid.id);
    await add(late, 'contact', ago(200));
    // Read without searching first, and a window still running: not counted (the latter is pending).
    const noSearch = session();
    await add(noSearch, 'read', ago(150), spid.id);
    const running = session();
    await add(running, 'search', ago(10));
    await add(running, 'read', ago(9), spid.id);

    const from = new Date(now - 24 * 3_600_000).toISOString();
    const res = await analyst.get(`/api/v1/faq/analytics/deflection?from=${encodeURIComponent(from)}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.windowMinutes).toBe(30);
    // Events recorded by the other tests through the API are recent: their windows are still running.
    expect(r.totals).toMatchObject({ sessions: 4, deflected: 3, contacted: 1, rate: 0.75 });
    expect(r.totals.pending).toBeGreaterThanOrEqual(1);
    expect(r.series.reduce((n: number, p: { deflected: number }) => n + p.deflected, 0)).toBe(3);
    expect(r.byFaq).toEqual([{ faqId: celanoUrp.id, title: expect.any(String), deflected: 2 }, { faqId: spid.id, title: expect.any(String), deflected: 1 }]);
    expect(r.byOrganisation).toEqual([{ organisationId: celanoOrg, name: 'Comune di Celano', deflected: 2 }, { organisationId: null, name: null, deflected: 1 }]);
    const celanoOnly = (await coordinator.get(`/api/v1/faq/analytics/deflection?from=${encodeURIComponent(from)}&organisationId=${celanoOrg}&granularity=week`)).json();
    expect(celanoOnly.totals).toMatchObject({ deflected: 2 });
    expect(celanoOnly.series[0].period).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // A period that ends between c1's read and its contact: the contact still counts (it fell within
    // the window after the read), so c1 is contacted, not deflected; d1 and d2 are outside the period.
    const to = ago(90).toISOString();
    const cut = (await analyst.get(`/api/v1/faq/analytics/deflection?from=${encodeURIComponent(ago(110).toISOString())}&to=${encodeURIComponent(to)}`)).json();
    expect(cut.totals).toMatchObject({ sessions: 1, deflected: 0, contacted: 1 });
    // A contact before the session's first search does not count: the session was deflected.
    const early = session();
    await add(early, 'contact', ago(400));
    await add(early, 'search', ago(390));
    await add(early, 'read', ago(389), spid.id);
    const withEarly = (await analyst.get(`/api/v1/faq/analytics/deflection?from=${encodeURIComponent(ago(395).toISOString())}&to=${encodeURIComponent(ago(380).toISOString())}`)).json();
    expect(withEarly.totals).toMatchObject({ sessions: 1, deflected: 1, contacted: 0 });
  });

  it('is for analysts and network coordinators, with a bounded period', async () => {
    expect((await operator.get('/api/v1/faq/analytics/deflection')).statusCode).toBe(403);
    expect((await celanoAdmin.get('/api/v1/faq/analytics/deflection')).statusCode).toBe(403);
    const reversed = await analyst.get('/api/v1/faq/analytics/deflection?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().code).toBe('faq.period_invalid');
    expect((await analyst.get('/api/v1/faq/analytics/deflection?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')).statusCode).toBe(400);
    const garbage = await analyst.get('/api/v1/faq/analytics/deflection?from=ieri');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().code).toBe('faq.period_invalid');
    expect((await analyst.get('/api/v1/faq/analytics/deflection?from=2026-01-01&to=2026-02-01')).statusCode).toBe(200);
  });
});

describe('thesaurus editing', () => {
  it('edits a group and search uses it at once; only the editorial board may edit', async () => {
    const groups = (await coordinator.get('/api/v1/faq/thesaurus')).json().items as { id: string; terms: string[] }[];
    const spidGroup = groups.find((g) => g.terms.includes('SPID'))!;
    expect((await search('zorblax')).map((i: { id: string }) => i.id)).not.toContain(spid.id);
    const res = await coordinator.patch(`/api/v1/faq/thesaurus/${spidGroup.id}`, { terms: [...spidGroup.terms, 'zorblax'], note: 'gergo' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ terms: expect.arrayContaining(['zorblax']), note: 'gergo' });
    expect((await search('zorblax')).slice(0, 3).map((i: { id: string }) => i.id)).toContain(spid.id);
    expect((await operator.patch(`/api/v1/faq/thesaurus/${spidGroup.id}`, { note: 'x' })).statusCode).toBe(403);
    const invalid = await coordinator.patch(`/api/v1/faq/thesaurus/${spidGroup.id}`, { terms: ['di', 'la'] });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('faq.thesaurus_invalid');
    expect((await coordinator.patch(`/api/v1/faq/thesaurus/${spidGroup.id}`, {})).statusCode).toBe(400);
    expect((await coordinator.patch('/api/v1/faq/thesaurus/00000000-0000-4000-8000-000000000000', { note: 'x' })).statusCode).toBe(404);
  });
});

describe('ticket → draft FAQ', () => {
  async function resolvedTicket(withReply = true) {
    const ticket = (await operator.post('/api/v1/tickets', ticketInput(operator, { subject: 'Rinnovo CIE per Maria Bianchi' }))).json();
    if (withReply) {
      const reply = await operator.post(`/api/v1/tickets/${ticket.code}/messages`, {
        kind: 'reply',
        body: 'Gentile sig.ra Bianchi, può prenotare il rinnovo su agendacie.it. Per dubbi ci richiami al 333 1234567 o scriva a maria.bianchi@example.org. Codice fiscale BNCMRA80A41C426X registrato.',
      });
      expect(reply.statusCode, reply.body).toBe(201);
    }
    const current = await operator.get(`/api/v1/tickets/${ticket.code}`);
    const resolved = await operator.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': current.headers.etag as string });
    expect(resolved.statusCode, resolved.body).toBe(200);
    return ticket.code as string;
  }

  it('creates a scrubbed draft of the owning organisation, linked to the ticket, once', async () => {
    const code = await resolvedTicket();
    const res = await supervisor.post(`/api/v1/tickets/${code}/faq-draft`);
    expect(res.statusCode, res.body).toBe(201);
    const draft = res.json();
    expect(draft).toMatchObject({ status: 'draft', tema: 'identita_digitale.cie', tipo: 'informazione', sourceTicket: { code } });
    expect(`${draft.title} ${draft.body}`).not.toMatch(/Bianchi|Maria|1234567|example\.org|BNCMRA/);
    expect(draft.body).toContain('agendacie.it');
    const faq = (await supervisor.get(`/api/v1/faq/${draft.id}`)).json();
    expect(faq).toMatchObject({ status: 'draft', scope: 'organisation', organisation: { id: operator.organisationId }, title: draft.title });
    expect((await supervisor.get(`/api/v1/faq/${draft.id}/feedback`)).json().sourceTicket).toEqual({ code });
    // Another organisation does not see the draft, its ratings nor its ticket.
    expect((await napoliOperator.get(`/api/v1/faq/${draft.id}/feedback`)).statusCode).toBe(404);
    expect((await napoliOperator.post(`/api/v1/faq/${draft.id}/feedback`, { helpful: true })).statusCode).toBe(404);
    // Drafts are not on the portal.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/${draft.id}` })).statusCode).toBe(404);
    const again = await celanoAdmin.post(`/api/v1/tickets/${code}/faq-draft`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'faq.draft_exists', faqId: draft.id });
  });

  it('is for supervisors and administrators of the owning organisation, on resolved tickets with a reply', async () => {
    const code = await resolvedTicket();
    const byOperator = await operator.post(`/api/v1/tickets/${code}/faq-draft`);
    expect(byOperator.statusCode).toBe(403);
    expect(byOperator.json().code).toBe('faq.draft_forbidden');
    expect((await napoliAdmin.post(`/api/v1/tickets/${code}/faq-draft`)).statusCode).toBe(404);
    expect((await napoliOperator.post(`/api/v1/tickets/${code}/faq-draft`)).statusCode).toBe(404);
    expect((await coordinator.post(`/api/v1/tickets/${code}/faq-draft`)).statusCode).toBe(404);
    expect((await celanoAdmin.post(`/api/v1/tickets/${code}/faq-draft`)).statusCode).toBe(201);

    const open = (await operator.post('/api/v1/tickets', ticketInput(operator))).json();
    const notResolved = await supervisor.post(`/api/v1/tickets/${open.code}/faq-draft`);
    expect(notResolved.statusCode).toBe(422);
    expect(notResolved.json().code).toBe('faq.draft_ticket_open');
    const silent = await resolvedTicket(false);
    const noReply = await supervisor.post(`/api/v1/tickets/${silent}/faq-draft`);
    expect(noReply.statusCode).toBe(422);
    expect(noReply.json().code).toBe('faq.draft_no_reply');
    expect((await supervisor.post('/api/v1/tickets/NON-VALIDO/faq-draft')).statusCode).toBe(404);
  });
});

describe('rate limits', () => {
  it('limits anonymous ratings per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await rate(spid.id, { sessionId: session(), helpful: true })).statusCode);
    expect(statuses).toContain(429);
    const limited = await rate(spid.id, { sessionId: session(), helpful: true });
    expect(limited.json().code).toBe('request.rate_limited');
  });
});
