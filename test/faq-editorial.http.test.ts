import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaqSearchEngine } from '../src/modules/knowledge/index.js';
import { runEditorialJobs } from '../src/modules/knowledge/faq-editorial.service.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let coordinator: Client;
let celanoOperator: Client;
let celanoSupervisor: Client;
let celanoAdmin: Client;
let napoliAdmin: Client;
let napoliOperator: Client;

beforeAll(async () => {
  t = await buildTestApp();
  [coordinator, celanoOperator, celanoSupervisor, celanoAdmin, napoliAdmin, napoliOperator] = await Promise.all([
    login(t.app, demoEmail('coordinatore')),
    login(t.app, demoEmail('operatore', 'comune-celano')),
    login(t.app, demoEmail('responsabile', 'comune-celano')),
    login(t.app, demoEmail('admin', 'comune-celano')),
    login(t.app, demoEmail('admin', 'comune-napoli')),
    login(t.app, demoEmail('operatore', 'comune-napoli')),
  ]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const portal = async (q: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/search?q=${encodeURIComponent(q)}` })).json().items as { id: string; title: string; snippet: string; organisation: { name: string } | null }[];
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
const act = (c: Client, id: string, action: string, note?: string) => c.post(`/api/v1/faq/${id}/transitions`, { action, ...(note && { note }) });

async function publishedNetworkFaq(body: Record<string, unknown>) {
  const created = await coordinator.post('/api/v1/faq', { scope: 'network', tema: 'identita_digitale.cie', tipo: 'informazione', ...body });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await act(coordinator, id, 'submit')).statusCode).toBe(200);
  const published = await act(coordinator, id, 'publish');
  expect(published.statusCode, published.body).toBe(200);
  return published.json();
}

describe('authoring rights', () => {
  let draftId: string;

  it('lets an operator propose a draft for their organisation, visible only inside it', async () => {
    const res = await celanoOperator.post('/api/v1/faq', { scope: 'organisation', title: 'Dove si ritira la carta dei servizi celanese?', body: 'Allo sportello zeta del municipio.', tags: ['carta servizi'] });
    expect(res.statusCode, res.body).toBe(201);
    const faq = res.json();
    draftId = faq.id;
    expect(faq).toMatchObject({ scope: 'organisation', organisation: { name: 'Comune di Celano' }, status: 'draft', version: 1, ownerUser: { id: celanoOperator.userId }, live: false });
    expect(faq.permissions).toEqual({ edit: true, publish: false, translate: true });
    expect(res.headers.etag).toBe('"1"');
    // Inside Celano: readable by the supervisor and listed.
    expect((await celanoSupervisor.get(`/api/v1/faq/${draftId}`)).statusCode).toBe(200);
    expect((await celanoSupervisor.get('/api/v1/faq?status=draft')).json().items.map((i: { id: string }) => i.id)).toContain(draftId);
    // Napoli neither sees nor edits it.
    expect((await napoliAdmin.get(`/api/v1/faq/${draftId}`)).statusCode).toBe(404);
    expect((await napoliAdmin.get('/api/v1/faq?status=draft')).json().items.map((i: { id: string }) => i.id)).not.toContain(draftId);
    expect((await napoliAdmin.patch(`/api/v1/faq/${draftId}`, { title: 'Intrusione nella bozza' }, ifMatch(1))).statusCode).toBe(404);
    expect((await act(napoliAdmin, draftId, 'submit')).statusCode).toBe(404);
    expect((await napoliAdmin.get(`/api/v1/faq/${draftId}/versions`)).statusCode).toBe(404);
  });

  it('refuses to create FAQs for another organisation or, outside the board, for the network', async () => {
    const other = await napoliOperator.post('/api/v1/faq', { scope: 'organisation', organisationId: celanoOperator.organisationId, title: 'Intrusione', body: 'Testo' });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('faq.forbidden');
    const network = await celanoAdmin.post('/api/v1/faq', { scope: 'network', title: 'FAQ di rete abusiva', body: 'Testo' });
    expect(network.statusCode).toBe(403);
    const analyst = await login(t.app, demoEmail('analista'));
    expect((await analyst.post('/api/v1/faq', { scope: 'organisation', title: 'Titolo prova', body: 'Testo' })).json().code).toBe('faq.organisation_required');
  });

  it('lets the operator submit but only supervisors and admins publish; other organisations cannot publish', async () => {
    expect((await act(celanoOperator, draftId, 'submit')).json()).toMatchObject({ status: 'in_review', workflowState: 'in_review' });
    const denied = await act(celanoOperator, draftId, 'publish');
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['content-type']).toContain('application/problem+json');
    expect(denied.json().code).toBe('faq.forbidden');
    const rejected = await act(celanoSupervisor, draftId, 'reject', 'Indica anche gli orari.');
    expect(rejected.json()).toMatchObject({ status: 'draft', reviewNote: 'Indica anche gli orari.' });
    await act(celanoOperator, draftId, 'submit');
    const published = await act(celanoSupervisor, draftId, 'publish');
    expect(published.json()).toMatchObject({ status: 'published', live: true, version: 2, publishedVersion: 2 });
    // Once published, the proposer no longer edits it; Napoli reads it but cannot touch it.
    expect((await celanoOperator.patch(`/api/v1/faq/${draftId}`, { title: 'Nuovo titolo prova' }, ifMatch(2))).statusCode).toBe(403);
    expect((await napoliAdmin.get(`/api/v1/faq/${draftId}`)).json().permissions).toEqual({ edit: false, publish: false, translate: false });
    expect((await act(napoliAdmin, draftId, 'archive')).statusCode).toBe(403);
    expect((await portal('carta servizi celanese'))[0]?.id).toBe(draftId);
  });
});

describe('workflow, versions, diff and rollback', () => {
  let id: string;

  it('rejects illegal transitions with stable codes', async () => {
    const res = await coordinator.post('/api/v1/faq', { scope: 'network', title: 'Come si rinnova la tessera del bibliobus?', body: 'Il rinnovo del bibliobus si fa allo sportello con un documento.', tema: 'identita_digitale.cie', tipo: 'informazione', reviewBy: '2099-01-01' });
    expect(res.statusCode, res.body).toBe(201);
    id = res.json().id;
    const bad = await act(coordinator, id, 'publish');
    expect(bad.statusCode).toBe(409);
    expect(bad.json()).toMatchObject({ code: 'faq.invalid_transition', from: 'draft', action: 'publish' });
    expect(bad.json().detail).toContain('revisione');
    expect((await act(coordinator, id, 'unarchive')).json().code).toBe('faq.invalid_transition');
    expect((await act(coordinator, id, 'discard')).json().code).toBe('faq.invalid_transition');
    expect((await coordinator.post(`/api/v1/faq/${id}/transitions`, { action: 'vola' })).statusCode).toBe(400);
    const blank = await coordinator.patch(`/api/v1/faq/${id}`, { title: '   x   ' }, ifMatch(1));
    expect(blank.statusCode).toBe(400);
    expect(blank.json().code).toBe('faq.title_invalid');
    const code = await coordinator.patch(`/api/v1/faq/${id}`, { tema: 'non.esiste' }, ifMatch(1));
    expect(code.statusCode).toBe(422);
    expect(code.json().code).toBe('faq.taxonomy_invalid');
  });

  it('keeps the published text live while an edit is drafted, reviewed and published', async () => {
    await act(coordinator, id, 'submit');
    const published = (await act(coordinator, id, 'publish')).json();
    expect(published).toMatchObject({ status: 'published', live: true, version: 2 });
    expect((await portal('bibliobus rinnovo'))[0]?.title).toBe('Come si rinnova la tessera del bibliobus?');

    expect((await coordinator.patch(`/api/v1/faq/${id}`, { title: 'Senza If-Match' })).statusCode).toBe(428);
    expect((await coordinator.patch(`/api/v1/faq/${id}`, { title: 'Versione vecchia' }, ifMatch(1))).statusCode).toBe(412);
    const edited = await coordinator.patch(`/api/v1/faq/${id}`, { body: 'Il rinnovo del bibliobus si fa online con SPID oppure allo sportello con un documento.' }, ifMatch(2));
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.headers.etag).toBe('"3"');
    expect(edited.json()).toMatchObject({ status: 'published', workflowState: 'draft', hasRevision: true, live: true, revision: { status: 'draft' } });
    expect(edited.json().body).toBe('Il rinnovo del bibliobus si fa allo sportello con un documento.');
    // Still the old text for citizens.
    const before = await portal('bibliobus rinnovo');
    expect(before[0]?.snippet).not.toContain('SPID');
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/${id}` })).json();
    expect(detail.body).toBe('Il rinnovo del bibliobus si fa allo sportello con un documento.');

    expect((await act(coordinator, id, 'publish')).json().code).toBe('faq.invalid_transition');
    expect((await act(coordinator, id, 'submit')).json()).toMatchObject({ status: 'published', workflowState: 'in_review' });
    const live = (await act(coordinator, id, 'publish')).json();
    expect(live).toMatchObject({ status: 'published', workflowState: 'published', hasRevision: false, version: 4, publishedVersion: 4 });
    expect(live.body).toContain('online con SPID');
    expect((await portal('bibliobus rinnovo'))[0]?.snippet).toContain('SPID');
  });

  it('lists versions and diffs any two of them word by word', async () => {
    const versions = (await coordinator.get(`/api/v1/faq/${id}/versions`)).json().items;
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[4, 'published'], [3, 'draft'], [2, 'published'], [1, 'draft']]);
    expect(versions[0].changedBy).toMatchObject({ id: coordinator.userId });
    const diff = (await coordinator.get(`/api/v1/faq/${id}/diff?from=2&to=4`)).json();
    expect(diff).toMatchObject({ from: 2, to: 4, title: [{ op: 'equal', text: 'Come si rinnova la tessera del bibliobus?' }], changes: [] });
    expect(diff.body).toEqual([
      { op: 'equal', text: 'Il rinnovo del bibliobus si fa ' },
      { op: 'insert', text: 'online con SPID oppure ' },
      { op: 'equal', text: 'allo sportello con un documento.' },
    ]);
    const latest = (await coordinator.get(`/api/v1/faq/${id}/diff`)).json();
    expect([latest.from, latest.to]).toEqual([3, 4]);
    const missing = await coordinator.get(`/api/v1/faq/${id}/diff?from=99`);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('faq.version_not_found');
  });

  it('rolls back through the workflow: a working copy with the old text, live after publishing', async () => {
    const rolled = await coordinator.post(`/api/v1/faq/${id}/rollback`, { version: 2 });
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect(rolled.json()).toMatchObject({ version: 5, workflowState: 'draft', revision: { body: 'Il rinnovo del bibliobus si fa allo sportello con un documento.' } });
    expect(rolled.json().body).toContain('SPID');
    const versions = (await coordinator.get(`/api/v1/faq/${id}/versions`)).json().items;
    expect(versions[0]).toMatchObject({ version: 5, note: 'ripristino della versione 2' });
    await act(coordinator, id, 'submit');
    expect((await act(coordinator, id, 'publish')).json().body).toBe('Il rinnovo del bibliobus si fa allo sportello con un documento.');
    expect((await coordinator.post(`/api/v1/faq/${id}/rollback`, { version: 42 })).json().code).toBe('faq.version_not_found');
  });

  it('archives (off search), refuses edits while archived and unarchives to draft', async () => {
    const current = (await coordinator.get(`/api/v1/faq/${id}`)).json();
    expect((await act(coordinator, id, 'archive')).json()).toMatchObject({ status: 'archived', live: false });
    expect((await portal('bibliobus rinnovo')).map((i) => i.id)).not.toContain(id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/${id}` })).statusCode).toBe(404);
    const edit = await coordinator.patch(`/api/v1/faq/${id}`, { title: 'Titolo da archiviata' }, ifMatch(current.version));
    expect(edit.json().code).toBe('faq.archived');
    expect((await act(coordinator, id, 'unarchive')).json()).toMatchObject({ status: 'draft' });
  });
});

describe('scheduled publication and expiry', () => {
  it('shows a scheduled FAQ from publishAt to expiresAt without any manual action', async () => {
    const publishAt = new Date(Date.now() + 3 * 86_400_000);
    const expiresAt = new Date(publishAt.getTime() + 10 * 86_400_000);
    const created = await coordinator.post('/api/v1/faq', { scope: 'network', title: 'Quando apre lo sportello estivo dei lidi?', body: 'Lo sportello estivo dei lidi apre a luglio.', publishAt: publishAt.toISOString(), expiresAt: expiresAt.toISOString() });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    await act(coordinator, id, 'submit');
    expect((await act(coordinator, id, 'publish')).json()).toMatchObject({ status: 'published', live: false, publishAt: publishAt.toISOString() });
    expect((await portal('sportello estivo lidi')).map((i) => i.id)).not.toContain(id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/${id}` })).statusCode).toBe(404);

    // An engine reading an injected clock: the index follows the schedule between scheduler ticks.
    let now = new Date();
    const engine = createFaqSearchEngine(t.database.db, { clock: () => now, checkIntervalMs: 3_600_000 });
    const search = async () => (await engine.search({ query: 'sportello estivo lidi' })).items.map((i) => i.faq.id);
    expect(await search()).not.toContain(id);
    now = new Date(publishAt.getTime() + 1000);
    expect((await search())[0]).toBe(id);
    now = new Date(expiresAt.getTime() + 1000);
    expect(await search()).not.toContain(id);

    // The editorial clock flips the statuses (release at publishAt, archive at expiresAt).
    expect(await runEditorialJobs(t.database.db, new Date(publishAt.getTime() + 1000))).toMatchObject({ released: 1, expired: 0 });
    expect((await coordinator.get(`/api/v1/faq/${id}`)).json()).toMatchObject({ status: 'published', publishAt: null, publishedAt: publishAt.toISOString() });
    expect(await runEditorialJobs(t.database.db, new Date(expiresAt.getTime() + 1000))).toMatchObject({ expired: 1 });
    expect((await coordinator.get(`/api/v1/faq/${id}`)).json()).toMatchObject({ status: 'archived', live: false });
  });

  it('validates the schedule', async () => {
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const bad = await coordinator.post('/api/v1/faq', { scope: 'network', title: 'Programmazione errata', body: 'Testo.', publishAt: at, expiresAt: at });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('faq.schedule_invalid');
    const expired = await coordinator.post('/api/v1/faq', { scope: 'network', title: 'Già scaduta', body: 'Testo.', expiresAt: new Date(Date.now() - 1000).toISOString() });
    const id = expired.json().id;
    await act(coordinator, id, 'submit');
    expect((await act(coordinator, id, 'publish')).json().code).toBe('faq.expired');
    const live = await publishedNetworkFaq({ title: 'Già visibile adesso', body: 'Testo visibile.' });
    const moved = await coordinator.patch(`/api/v1/faq/${live.id}`, { publishAt: at }, ifMatch(live.version));
    expect(moved.json().code).toBe('faq.already_live');
  });
});

describe('owners and flags', () => {
  it('flags stale and taxonomy-changed FAQs to their owner', async () => {
    const res = await celanoSupervisor.post('/api/v1/faq', { scope: 'organisation', title: 'Come si prenota la sala consiliare?', body: 'Con il modulo online.', tema: 'identita_digitale.cie', reviewBy: '2020-01-31' });
    const faq = res.json();
    expect(faq.flags).toEqual(['stale']);
    // The taxonomy moved on: the FAQ's code is no longer an active one.
    await t.database.db.updateTable('faq_articles').set({ tema: 'vecchio_tema.soppresso' }).where('id', '=', faq.id).execute();
    const mine = (await celanoSupervisor.get('/api/v1/faq/editorial/flags?mine=true')).json().items;
    expect(mine.find((i: { id: string }) => i.id === faq.id)?.flags).toEqual(['stale', 'taxonomy_changed']);
    expect((await celanoSupervisor.get('/api/v1/faq?flag=taxonomy_changed')).json().items.map((i: { id: string }) => i.id)).toContain(faq.id);
    expect((await celanoSupervisor.get('/api/v1/faq?flag=stale&owner=me')).json().items.map((i: { id: string }) => i.id)).toContain(faq.id);
    expect((await napoliAdmin.get('/api/v1/faq/editorial/flags')).json().items.map((i: { id: string }) => i.id)).not.toContain(faq.id);
  });

  it('notifies the owner once per occurrence of a flag (explicit clock)', async () => {
    const title = 'Come si richiede il contrassegno per la ZTL del borgo?';
    const res = await celanoSupervisor.post('/api/v1/faq', { scope: 'organisation', title, body: 'Con il modulo online.', reviewBy: '2098-01-31' });
    const faq = res.json();
    expect(faq.flags).toEqual([]);
    // Owners are told by the flag event's handler, after the clock's transaction commits.
    const count = async () => {
      await t.events.drain();
      return (await celanoSupervisor.get('/api/v1/notifications')).json().items.filter((n: { kind: string; body: string | null }) => n.kind === 'faq.stale' && n.body?.includes(title)).length;
    };
    const later = new Date('2098-06-01T08:00:00Z');
    await runEditorialJobs(t.database.db, later);
    expect(await count()).toBe(1);
    const note = (await celanoSupervisor.get('/api/v1/notifications')).json().items.find((n: { kind: string; body: string | null }) => n.kind === 'faq.stale' && n.body?.includes(title));
    expect(note).toMatchObject({ ticketCode: null, link: `/faq/redazione/${faq.id}` });
    // A notification only ever links inside the app.
    for (const link of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const insert = t.database.db.insertInto('notifications').values({ user_id: celanoSupervisor.userId, kind: 'x', ticket_id: null, title: 'x', body: null, link }).execute();
      await expect(insert, link).rejects.toThrow(/check constraint/);
    }
    await runEditorialJobs(t.database.db, new Date('2098-06-02T08:00:00Z'));
    expect(await count()).toBe(1);
    // A new review-by date that passes again is a new occurrence.
    await celanoSupervisor.patch(`/api/v1/faq/${faq.id}`, { reviewBy: '2098-03-01' }, ifMatch(faq.version));
    await runEditorialJobs(t.database.db, later);
    expect(await count()).toBe(2);
  });

  it('flags FAQs expiring soon and accepts only members as owners', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const res = await coordinator.post('/api/v1/faq', { scope: 'network', title: 'Bando in chiusura per i contributi', body: 'Il bando chiude presto.', expiresAt: soon });
    expect(res.json().flags).toEqual(['expiring_soon']);
    const bad = await celanoSupervisor.post('/api/v1/faq', { scope: 'organisation', title: 'Referente esterno', body: 'Testo.', ownerId: napoliAdmin.userId });
    expect(bad.json().code).toBe('faq.owner_invalid');
    const good = await celanoSupervisor.post('/api/v1/faq', { scope: 'organisation', title: 'Referente interno', body: 'Testo.', ownerId: celanoOperator.userId });
    expect(good.json().ownerUser.id).toBe(celanoOperator.userId);
    expect((await celanoOperator.get('/api/v1/faq?owner=me')).json().items.map((i: { id: string }) => i.id)).toContain(good.json().id);
  });
});

describe('adoption of network FAQs', () => {
  let networkId: string;
  let localId: string;

  it('lets an organisation adopt a network FAQ, filling only its local fields', async () => {
    const network = await publishedNetworkFaq({
      title: 'Orari dello sportello anagrafe per il passaporto ematico',
      body: 'Lo sportello anagrafe per il passaporto ematico riceve {{orari_ufficio}}. Il costo è {{costo|stabilito dal tuo Comune}}.',
    });
    networkId = network.id;
    expect(network.body).toBe('Lo sportello anagrafe per il passaporto ematico riceve [orari ufficio]. Il costo è stabilito dal tuo Comune.');
    expect(network.source.body).toContain('{{orari_ufficio}}');
    expect(network.templateFields).toEqual([{ name: 'orari_ufficio', default: null }, { name: 'costo', default: 'stabilito dal tuo Comune' }]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/${networkId}` })).json().body).toBe(
      'Lo sportello anagrafe per il passaporto ematico riceve [orari ufficio]. Il costo è stabilito dal tuo Comune.',
    );
    expect((await celanoOperator.post(`/api/v1/faq/${networkId}/adopt`, { localFields: {} })).statusCode).toBe(403);
    const unknown = await celanoAdmin.post(`/api/v1/faq/${networkId}/adopt`, { localFields: { parcheggio: 'sì' } });
    expect(unknown.json().code).toBe('faq.unknown_local_field');
    const res = await celanoAdmin.post(`/api/v1/faq/${networkId}/adopt`, { localFields: { orari_ufficio: 'il martedì dalle 9 alle 12' } });
    expect(res.statusCode, res.body).toBe(201);
    const local = res.json();
    localId = local.id;
    expect(local).toMatchObject({
      scope: 'organisation', organisation: { name: 'Comune di Celano' }, status: 'published', live: true, adoptedFrom: { id: networkId },
      localFields: { orari_ufficio: 'il martedì dalle 9 alle 12' },
      body: 'Lo sportello anagrafe per il passaporto ematico riceve il martedì dalle 9 alle 12. Il costo è stabilito dal tuo Comune.',
    });
    expect((await celanoAdmin.post(`/api/v1/faq/${networkId}/adopt`, { localFields: {} })).json().code).toBe('faq.already_adopted');
    expect((await coordinator.get(`/api/v1/faq/${networkId}`)).json().adoptions).toEqual([{ id: localId, organisation: { id: celanoAdmin.organisationId, name: 'Comune di Celano' } }]);
    expect((await celanoAdmin.patch(`/api/v1/faq/${localId}`, { body: 'Testo forkato' }, ifMatch(1))).json().code).toBe('faq.adoption_readonly');
  });

  it('finds the local variant first when the query names the place', async () => {
    const celano = await portal('orari sportello passaporto ematico celano');
    expect(celano[0]).toMatchObject({ id: localId, organisation: { name: 'Comune di Celano' } });
    expect(celano.map((i) => i.id)).toContain(networkId);
  });

  it('follows the network text automatically and updates local fields', async () => {
    const network = (await coordinator.get(`/api/v1/faq/${networkId}`)).json();
    await coordinator.patch(`/api/v1/faq/${networkId}`, { body: `${network.source.body} Porta un documento valido.` }, ifMatch(network.version));
    // Not yet published: the local variant keeps the published network text.
    expect((await celanoAdmin.get(`/api/v1/faq/${localId}`)).json().body).not.toContain('documento valido');
    await act(coordinator, networkId, 'submit');
    await act(coordinator, networkId, 'publish');
    const local = (await celanoAdmin.get(`/api/v1/faq/${localId}`)).json();
    expect(local.body).toBe('Lo sportello anagrafe per il passaporto ematico riceve il martedì dalle 9 alle 12. Il costo è stabilito dal tuo Comune. Porta un documento valido.');
    const updated = await celanoAdmin.patch(`/api/v1/faq/${localId}`, { localFields: { orari_ufficio: 'il martedì dalle 9 alle 12', costo: '5 euro' } }, ifMatch(local.version));
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().body).toContain('Il costo è 5 euro.');
    expect((await portal('passaporto ematico celano costo'))[0]?.id).toBe(localId);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/${localId}` })).json().body).toContain('Il costo è 5 euro. Porta un documento valido.');
  });

  it('unadopts: the local variant disappears, the network FAQ stays', async () => {
    expect((await napoliAdmin.delete(`/api/v1/faq/${localId}/adoption`)).statusCode).toBe(403);
    expect((await coordinator.delete(`/api/v1/faq/${networkId}/adoption`)).json().code).toBe('faq.not_adoption');
    expect((await celanoAdmin.delete(`/api/v1/faq/${localId}/adoption`)).statusCode).toBe(204);
    expect((await celanoAdmin.get(`/api/v1/faq/${localId}`)).statusCode).toBe(404);
    const after = (await portal('orari sportello passaporto ematico celano')).map((i) => i.id);
    expect(after[0]).toBe(networkId);
    expect(after).not.toContain(localId);
  });

  it('answers two simultaneous adoptions with one adoption and one conflict, never a 500', async () => {
    const results = await Promise.all([1, 2].map(() => celanoAdmin.post(`/api/v1/faq/${networkId}/adopt`, { localFields: { orari_ufficio: 'il lunedì' } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('faq.already_adopted');
  });
});

describe('translations', () => {
  it('creates translations through the workflow and shows which are outdated', async () => {
    const canonical = await publishedNetworkFaq({ title: 'Come si ottiene il contrassegno per le bici cargo?', body: 'Si chiede al comando di polizia locale.' });
    const res = await coordinator.post(`/api/v1/faq/${canonical.id}/translations`, { lang: 'en', title: 'How do I get a cargo bike permit?', body: 'Ask the local police.' });
    expect(res.statusCode, res.body).toBe(201);
    const en = res.json();
    expect(en).toMatchObject({ lang: 'en', status: 'draft', canonicalId: canonical.id, sourceVersion: canonical.publishedVersion, outdated: false });
    expect((await coordinator.post(`/api/v1/faq/${canonical.id}/translations`, { lang: 'en', title: 'Again the same', body: 'x' })).json().code).toBe('faq.translation_exists');
    expect((await coordinator.post(`/api/v1/faq/${canonical.id}/translations`, { lang: 'it', title: 'Italiano', body: 'x' })).json().code).toBe('faq.translation_invalid');
    expect((await coordinator.post(`/api/v1/faq/${en.id}/translations`, { lang: 'de', title: 'Übersetzung', body: 'x' })).json().code).toBe('faq.translation_invalid');
    await act(coordinator, en.id, 'submit');
    expect((await act(coordinator, en.id, 'publish')).json()).toMatchObject({ status: 'published', live: true });
    const english = (await t.app.inject({ method: 'GET', url: '/api/v1/portal/faq/search?q=cargo%20bike%20permit&lang=en' })).json();
    expect(english.items[0].id).toBe(en.id);

    // A new canonical version makes the translation outdated until it is updated.
    await coordinator.patch(`/api/v1/faq/${canonical.id}`, { body: 'Si chiede al comando di polizia locale, anche online.' }, ifMatch(canonical.version));
    await act(coordinator, canonical.id, 'submit');
    await act(coordinator, canonical.id, 'publish');
    const list = (await coordinator.get(`/api/v1/faq/${canonical.id}/translations`)).json().items;
    expect(list).toEqual([expect.objectContaining({ id: en.id, lang: 'en', status: 'published', outdated: true })]);
    const current = (await coordinator.get(`/api/v1/faq/${en.id}`)).json();
    expect(current.outdated).toBe(true);
    await coordinator.patch(`/api/v1/faq/${en.id}`, { body: 'Ask the local police, also online.' }, ifMatch(current.version));
    expect((await coordinator.get(`/api/v1/faq/${canonical.id}/translations`)).json().items[0].outdated).toBe(false);
    expect((await coordinator.get(`/api/v1/faq/${canonical.id}`)).json().translations[0]).toMatchObject({ lang: 'en', workflowState: 'draft', outdated: false });
  });
});

describe('list', () => {
  it('filters and paginates with a cursor', async () => {
    const page1 = (await coordinator.get('/api/v1/faq?limit=2')).json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (await coordinator.get(`/api/v1/faq?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
    expect(page2.items.map((i: { id: string }) => i.id)).not.toContain(page1.items[1].id);
    const networkOnly = (await coordinator.get('/api/v1/faq?scope=network&status=published&limit=100')).json().items;
    expect(networkOnly.length).toBeGreaterThan(0);
    expect(networkOnly.every((i: { scope: string; status: string }) => i.scope === 'network' && i.status === 'published')).toBe(true);
    expect((await coordinator.get('/api/v1/faq?q=bibliobus')).json().items.map((i: { title: string }) => i.title)).toEqual(['Come si rinnova la tessera del bibliobus?']);
    expect((await coordinator.get('/api/v1/faq?cursor=rotto')).json().code).toBe('pagination.invalid_cursor');
  });
});
