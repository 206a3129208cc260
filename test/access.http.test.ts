import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingSettled } from '../src/modules/routing/index.js';
import { similarRef } from '../src/modules/sharing/incidents.service.js';
import { registerAuth } from '../src/platform/auth.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * The route-guard test: enumerates every registered route and proves that an anonymous call gets
 * 401 and that a caller from another organisation cannot touch the data of the Comune di Celano.
 * Every `:id` is the id of a real Celano resource (or one only the network coordination may touch),
 * so a 403/404 proves the route's own scope check, not merely that a random id does not exist.
 */
let t: TestApp;
let celanoOperator: Client;
let celanoAdmin: Client;
let napoliOperator: Client;
let napoliAdmin: Client;
let coordinator: Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  celanoOperator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  celanoAdmin = await login(t.app, demoEmail('admin', 'comune-celano'));
  napoliOperator = await login(t.app, demoEmail('operatore', 'comune-napoli'));
  napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
  coordinator = await login(t.app, demoEmail('coordinatore'));
  const ticket = (await celanoOperator.post('/api/v1/tickets', ticketInput(celanoOperator))).json();
  const upload = await celanoOperator.request({
    method: 'POST', url: `/api/v1/tickets/${ticket.code}/attachments`,
    headers: { 'content-type': 'multipart/form-data; boundary=B' },
    payload: '--B\r\nContent-Disposition: form-data; name="file"; filename="nota.txt"\r\nContent-Type: text/plain\r\n\r\nciao\r\n--B--\r\n',
  });
  const token = (await celanoOperator.post('/api/v1/me/tokens', { name: 'test', scopes: ['tickets:read'] })).json();
  const grant = (await celanoAdmin.get(`/api/v1/users?organisationId=${celanoAdmin.organisationId}`)).json().items[0].roles[0];
  const offices = (await celanoOperator.get('/api/v1/offices')).json().items as { id: string; slug: string; organisationId: string }[];
  const cagliari = offices.find((o) => o.slug === 'cagliari-urp')!;
  const shared = (await celanoOperator.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: cagliari.id, mode: 'consult', reason: 'Parere' })).json();
  const transfer = (await celanoOperator.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: cagliari.id, kind: 'transfer', reasonCode: 'not_competent', reason: 'Competenza' })).json();
  const task = (await celanoOperator.post(`/api/v1/tickets/${ticket.code}/tasks`, { officeId: celanoOperator.officeId, title: 'Richiamare' })).json();
  const incident = (await celanoOperator.post('/api/v1/incidents', { officeId: celanoOperator.officeId, title: 'Guasto idrico', description: 'Interruzione acqua' })).json();
  await celanoOperator.post(`/api/v1/incidents/${incident.id}/tickets`, { code: ticket.code });
  const agreement = (await celanoAdmin.post('/api/v1/agreements', { fromOrganisationId: celanoAdmin.organisationId, toOrganisationId: cagliari.organisationId, kinds: ['share'] })).json();
  // Knowledge, taxonomy, history import and membership resources of Celano (or of the coordination).
  const faq = (await celanoAdmin.post('/api/v1/faq', { scope: 'organisation', title: 'Dove si ritira il contrassegno disabili a Celano?', body: 'Allo sportello della polizia locale.' })).json();
  const draft = (await coordinator.post('/api/v1/taxonomy/drafts', { version: '1.1.0' })).json();
  const proposal = (await celanoAdmin.post('/api/v1/taxonomy/proposals', {
    organisationId: celanoAdmin.organisationId, rationale: 'Il tema della sanità si chiama «Salute» nei nostri uffici.', operations: [{ op: 'rename', facet: 'tema', code: 'sanita', label: { it: 'Salute' } }],
  })).json();
  const localNode = (await celanoAdmin.post('/api/v1/taxonomy/local-nodes', {
    organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari', localCode: 'riduzioni_compostaggio', label: { it: 'Riduzione TARI per compostaggio' },
  })).json();
  const thesaurus = (await coordinator.post('/api/v1/faq/thesaurus', { kind: 'synonym', terms: ['contrassegno', 'permesso invalidi'] })).json();
  await t.app.inject({ method: 'POST', url: '/api/v1/portal/faq/events', payload: { sessionId: randomBytes(12).toString('hex'), kind: 'search', query: 'zampognari fosforescenti natalizi', place: 'Celano' } });
  const gap = (await celanoAdmin.get('/api/v1/faq/gaps?q=zampognari')).json().items[0] ?? {};
  const historyImport = (await celanoAdmin.request({
    method: 'POST', url: `/api/v1/history-imports?organisationId=${celanoAdmin.organisationId}`, headers: { 'content-type': 'multipart/form-data; boundary=B' },
    payload: '--B\r\nContent-Disposition: form-data; name="file"; filename="storico.csv"\r\nContent-Type: text/csv\r\n\r\nId;Creato;Categoria\n1;2024-01-02;Strade\n\r\n--B--\r\n',
  })).json();
  const mapping = (await celanoAdmin.post('/api/v1/history-mappings', { organisationId: celanoAdmin.organisationId, name: 'vecchio-gestionale', taxonomyVersion: '1.0.0', categories: [], channels: [], statuses: [] })).json();
  const suggestion = (await celanoOperator.post('/api/v1/classification/suggest', { text: 'Non mi è arrivato il bollettino della tassa sui rifiuti' })).json();
  const invitation = (await celanoAdmin.post(`/api/v1/organisations/${celanoAdmin.organisationId}/invitations`, { email: 'nuova.collega@comune.celano.aq.it', role: 'operator' })).json();
  // An access request (art. 15) recorded by Celano about the requester of its ticket (issue 13).
  const privacyCandidate = (await celanoAdmin.post('/api/v1/privacy/requests/search', { email: 'maria.bianchi@example.org' })).json().candidates?.[0];
  // An alarm of the network (issue 14: network-wide, no organisation's data) and a watch of a Celano user.
  const alarm = await t.database.db.insertInto('analytics_alarms').values({ series_key: 'topic=tributi;territory=*;channel=*', slice: JSON.stringify({ topic: 'tributi' }), kind: 'spike', day: '2026-01-05', since: '2026-01-05', observed: 90, expected: 20, score: 9, created_at: new Date() }).returning('id').executeTakeFirstOrThrow();
  const watch = (await celanoAdmin.post('/api/v1/analytics/alarm-watches', { slice: { topic: 'tributi' } })).json();
  // An action plan of Celano (issue 14).
  const actionPlan = (await celanoAdmin.post('/api/v1/analytics/actions', { title: 'FAQ sulla TARI', kind: 'corrective', actionType: 'publish_faq', origin: 'manual', slice: { topic: 'tributi' } })).json();
  const privacyRequest = (await celanoAdmin.post('/api/v1/privacy/requests', { kind: 'access', criteria: { email: 'maria.bianchi@example.org' }, candidates: [privacyCandidate?.id], confirm: true })).json();
  // A run of the anonymised archive, asked for by the network coordination (issue 13).
  const archiveRun = (await coordinator.post('/api/v1/archive/runs', {})).json();
  // An open-data export of the archive, asked for by the network coordination (issue 13).
  const archiveExport = (await coordinator.post('/api/v1/archive/exports', { format: 'csv' })).json();
  // Routing: a number for Celano's office, a call on it, and a chat offered to Celano's operator.
  await sql`update offices set calendar = ${JSON.stringify({ timeZone: 'Europe/Rome', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])), closures: [], observeNationalHolidays: false })}::jsonb where id = ${celanoOperator.officeId}`.execute(t.database.db);
  const celanoSupervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  await celanoSupervisor.put(`/api/v1/routing/offices/${celanoOperator.officeId}/settings`, { maxQueue: null, maxWaitSeconds: null, offerTimeoutSeconds: 600, serviceLevelSeconds: 20, handleSeconds: 180, callbackAfterSeconds: null, numbers: ['+390863000001'] });
  const ctiToken = (await celanoSupervisor.post('/api/v1/me/tokens', { name: 'pbx', scopes: ['cti'] })).json();
  await t.app.inject({ method: 'POST', url: '/api/v1/cti/calls', headers: { authorization: `Bearer ${ctiToken.secret}` }, payload: { callId: 'celano-1', caller: '+393330000001', dialled: '+390863000001' } });
  await celanoOperator.put('/api/v1/routing/me/presence', { presence: 'available' });
  await routingSettled(t.app);
  const routingOffer = (await celanoOperator.get('/api/v1/routing/me')).json().offers[0];
  // Citizen channels (issue 15): a mailbox of Celano's office and a message in its quarantine.
  const mailbox = (await celanoAdmin.post(`/api/v1/offices/${celanoOperator.officeId}/mailboxes`, { address: 'urp@comune.celano.example.it', kind: 'email' })).json();
  const quarantined = await t.database.db.insertInto('inbound_mail').values({ mailbox_id: mailbox.id, outcome: 'quarantined', reason: 'auto_reply: test', sender: 'x@example.org', subject: 'Fuori sede', size: 10 }).returning('id').executeTakeFirstOrThrow();
  Object.assign(ids, {
    mailboxId: mailbox.id,
    quarantineId: quarantined.id,
    code: ticket.code,
    officeId: celanoOperator.officeId,
    organisationId: celanoOperator.organisationId,
    userId: celanoOperator.userId,
    attachmentId: upload.json().id,
    tokenId: token.id,
    roleId: grant.id,
    shareId: shared.id,
    transferId: transfer.id,
    taskId: task.id,
    agreementId: agreement.id,
    incidentId: incident.id,
    faqId: faq.id,
    draftId: draft.id,
    proposalId: proposal.id,
    localNodeId: localNode.id,
    thesaurusId: thesaurus.id,
    gapId: gap.id,
    importId: historyImport.id,
    mappingId: mapping.id,
    suggestionId: suggestion.id,
    invitationId: invitation.id,
    archiveRunId: archiveRun.id,
    archiveExportId: archiveExport.id,
    privacyRequestId: privacyRequest.id,
    actionId: actionPlan.id,
    alarmId: alarm.id,
    watchId: watch.id,
    offerId: routingOffer?.offer.id,
    itemId: routingOffer?.item.id,
  });
  for (const [k, v] of Object.entries(ids)) if (!v) throw new Error(`setup failed: no ${k}`);
  ids.version = String((await celanoOperator.get(`/api/v1/tickets/${ticket.code}`)).json().version);
  // The opaque reference other bodies see for the Celano ticket (similar tickets, issue 9 point 6).
  const celanoTicket = await t.database.db.selectFrom('tickets').select('id').where('code', '=', ticket.code).executeTakeFirstOrThrow();
  ids.ref = similarRef(t.config.secret, celanoTicket.id);
});
afterAll(async () => {
  await t?.close();
});

/** Which real resource each `…/:id` path segment names (the first matching prefix wins). */
const ID_OF: readonly [string, string][] = [
  ['/organisations/:id', 'organisationId'],
  ['/offices/:id', 'officeId'],
  ['/users/:id', 'userId'],
  ['/attachments/:id', 'attachmentId'],
  ['/tokens/:id', 'tokenId'],
  ['/shares/:id', 'shareId'],
  ['/transfers/:id', 'transferId'],
  ['/tasks/:id', 'taskId'],
  ['/agreements/:id', 'agreementId'],
  ['/incidents/:id', 'incidentId'],
  ['/taxonomy/drafts/:id', 'draftId'],
  ['/taxonomy/proposals/:id', 'proposalId'],
  ['/taxonomy/local-nodes/:id', 'localNodeId'],
  ['/faq/thesaurus/:id', 'thesaurusId'],
  ['/faq/gaps/:id', 'gapId'],
  ['/faq/:id', 'faqId'],
  ['/history-imports/:id', 'importId'],
  ['/history-mappings/:id', 'mappingId'],
  ['/invitations/:id', 'invitationId'],
  ['/archive/runs/:id', 'archiveRunId'],
  ['/archive/exports/:id', 'archiveExportId'],
  ['/privacy/requests/:id', 'privacyRequestId'],
  ['/analytics/actions/:id', 'actionId'],
  ['/analytics/alarms/:id', 'alarmId'],
  ['/analytics/alarm-watches/:id', 'watchId'],
  ['/routing/offers/:id', 'offerId'],
  ['/routing/items/:id', 'itemId'],
  ['/mailboxes/:id', 'mailboxId'],
  ['/mail/quarantine/:id', 'quarantineId'],
];

/** The route's URL with real ids; a parameter without a real resource fails the test instead of becoming a random id. */
function fillUrl(url: string): string {
  let filled = url.replace(':code', ids.code!).replace(':ref', ids.ref!).replace(':roleId', ids.roleId!).replace(':version', '1.0.0').replace('*', 'qualsiasi')
    .replace(':officeId', ids.officeId!).replace(':userId', ids.userId!).replace(':callId', 'celano-1').replace(':topic', 'tributi');
  const match = ID_OF.find(([segment]) => filled.includes(segment));
  if (match) filled = filled.replace(match[0], match[0].replace(':id', ids[match[1]]!));
  if (filled.includes('/:')) throw new Error(`${url}: no real resource for its parameter; create one in beforeAll and add it to ID_OF`);
  return filled;
}

/** Valid bodies, so that each request reaches the authorisation of the resource, not validation. */
function validBody(key: string): unknown {
  const celano = { organisationId: ids.organisationId, officeId: ids.officeId };
  const map: Record<string, unknown> = {
    'POST /api/v1/tickets': ticketInput(celanoOperator),
    'PATCH /api/v1/tickets/:code': { subject: 'Intrusione' },
    'POST /api/v1/offices/:officeId/mailboxes': { address: 'intruso@example.org', kind: 'email' },
    'PUT /api/v1/offices/:officeId/request-fields/:topic': { fields: [] },
    'PUT /api/v1/organisations/:id/privacy-notice': { url: 'https://intruso.example.org/privacy' },
    'PUT /api/v1/mailboxes/:id/outgoing': { url: 'smtps://intruso:x@smtp.example.org:465' },
    'PUT /api/v1/mailboxes/:id/incoming': { url: 'imaps://intruso:x@imap.example.org:993/INBOX' },
    'POST /api/v1/mail/quarantine/:id/release': {},
    'POST /api/v1/tickets/:code/status': { status: 'open' },
    'POST /api/v1/tickets/:code/messages': { kind: 'note', body: 'Intrusione' },
    'POST /api/v1/organisations': { slug: 'ente-intruso', name: 'Ente intruso', type: 'altro', ipaCode: 'intruso' },
    'PATCH /api/v1/organisations/:id': { name: 'Intruso' },
    'POST /api/v1/organisations/:id/offices': { slug: 'ufficio-intruso', kind: 'urp', name: 'Ufficio intruso' },
    'PATCH /api/v1/offices/:id': { name: 'Intruso' },
    'POST /api/v1/users': { email: 'intruso@example.org', name: 'Intruso', password: 'password-lunga-1', roles: [{ role: 'operator', ...celano }] },
    'PATCH /api/v1/users/:id': { name: 'Intruso' },
    'POST /api/v1/users/:id/roles': { role: 'supervisor', ...celano },
    'POST /api/v1/tickets/:code/shares': { officeId: ids.officeId, mode: 'collaborate', reason: 'Intrusione' },
    'POST /api/v1/shares/:id/decline': { reason: 'Intrusione' },
    'POST /api/v1/transfers/:id/decline': { reason: 'Intrusione' },
    'POST /api/v1/tickets/:code/transfers': { officeId: ids.officeId, kind: 'transfer', reasonCode: 'other', reason: 'Intrusione' },
    'POST /api/v1/tickets/:code/tasks': { officeId: ids.officeId, title: 'Intrusione' },
    'PATCH /api/v1/tasks/:id': { status: 'done' },
    'POST /api/v1/tickets/:code/duplicate-of': { targetCode: ids.code },
    // Asking about a similar ticket on behalf of a ticket of another organisation.
    'POST /api/v1/tickets/similar/:ref/requests': { kind: 'share', ticketCode: ids.code },
    'POST /api/v1/incidents': { officeId: ids.officeId, title: 'Intrusione', description: 'Intrusione' },
    'POST /api/v1/incidents/:id/tickets': { code: ids.code },
    'PUT /api/v1/offices/:id/competences': { competences: [{ topic: 'tributi', territory: [] }] },
    'POST /api/v1/agreements': { fromOrganisationId: ids.organisationId, toOrganisationId: ids.organisationId, kinds: ['share'] },
    'POST /api/v1/faq/import': '{"id":"faq-intrusa","title":"Intrusione","body":"Intrusione"}',
    'POST /api/v1/faq/thesaurus': { kind: 'synonym', terms: ['intrusione', 'violazione'] },
    'POST /api/v1/classification/feedback': { suggestionId: ids.suggestionId, choices: [{ facet: 'tema', code: 'tributi.tari' }] },
    'POST /api/v1/faq/:id/feedback': { helpful: false },
    'POST /api/v1/faq/:id/uses': { context: 'reply' },
    'PATCH /api/v1/faq/gaps/:id': { status: 'dismissed' },
    'PATCH /api/v1/faq/thesaurus/:id': { note: 'Intrusione' },
    'POST /api/v1/faq': { scope: 'organisation', organisationId: ids.organisationId, title: 'Intrusione', body: 'Intrusione' },
    'PATCH /api/v1/faq/:id': { title: 'Intrusione' },
    'POST /api/v1/faq/:id/transitions': { action: 'submit' },
    'POST /api/v1/faq/:id/rollback': { version: 1 },
    'POST /api/v1/faq/:id/adopt': { localFields: {} },
    'POST /api/v1/faq/:id/translations': { lang: 'en', title: 'Intrusion', body: 'Intrusion' },
    'POST /api/v1/taxonomy/drafts': { version: '9.0.0' },
    'POST /api/v1/taxonomy/drafts/:id/operations': { operations: [{ op: 'rename', facet: 'tema', code: 'tributi', label: { it: 'Intrusione' } }] },
    'POST /api/v1/taxonomy/drafts/:id/validate': { operations: [] },
    'POST /api/v1/taxonomy/proposals': { organisationId: ids.organisationId, rationale: 'Intrusione nella tassonomia', operations: [{ op: 'rename', facet: 'tema', code: 'tributi', label: { it: 'Intrusione' } }] },
    'POST /api/v1/taxonomy/proposals/:id/reject': { reason: 'Intrusione' },
    'POST /api/v1/taxonomy/local-nodes': { organisationId: ids.organisationId, facet: 'tema', parentCode: 'tributi', localCode: 'intrusione', label: { it: 'Intrusione' } },
    'PATCH /api/v1/taxonomy/local-nodes/:id': { label: { it: 'Intrusione' } },
    'PUT /api/v1/history-imports/:id/columns': { id: 'Id', createdAt: 'Creato', createdFormat: 'iso', category: 'Categoria', timeZone: 'Europe/Rome' },
    'POST /api/v1/history-imports/:id/dry-run': { mappingId: ids.mappingId, unmappedPolicy: 'skip' },
    'POST /api/v1/history-imports/:id/commit': { mappingId: ids.mappingId, unmappedPolicy: 'skip' },
    'POST /api/v1/organisations/:id/invitations': { email: 'intruso@example.org', role: 'org_admin' },
    'POST /api/v1/history-mappings': { organisationId: ids.organisationId, name: 'intrusione', taxonomyVersion: '1.0.0', categories: [], channels: [], statuses: [] },
    'PUT /api/v1/archive/settings': { graceDays: 0, minComunePopulation: 0, timeGranularity: 'hour' },
    'POST /api/v1/archive/runs': {},
    'POST /api/v1/archive/exports': { format: 'csv' },
    'PUT /api/v1/organisations/:id/retention': { requesterMonths: 1, attachmentMonths: 1 },
    'POST /api/v1/analytics/actions': { organisationId: ids.organisationId, title: 'Intrusione', kind: 'corrective', actionType: 'other', origin: 'manual', slice: {} },
    'PATCH /api/v1/analytics/actions/:id': { title: 'Intrusione' },
    'POST /api/v1/analytics/staffing': { handleSeconds: 180, intervals: [{ start: '09:00', volume: 10 }] },
    'PATCH /api/v1/analytics/alarms/:id': { status: 'dismissed' },
    'PUT /api/v1/routing/me/presence': { presence: 'available' },
    'POST /api/v1/routing/items': { officeId: ids.officeId, channel: 'chat' },
    'POST /api/v1/routing/items/:id/complete': {},
    'PUT /api/v1/routing/offices/:officeId/settings': { maxQueue: 1, maxWaitSeconds: null, offerTimeoutSeconds: 20, serviceLevelSeconds: 20, handleSeconds: 180, callbackAfterSeconds: null, numbers: [] },
    'PUT /api/v1/routing/operators/:userId/profile': { officeId: ids.officeId, topics: [], languages: [], channels: [], capacity: {}, extension: null },
    'POST /api/v1/routing/erlang': { model: 'C', callsPerHour: 10, handleSeconds: 180, serviceLevelSeconds: 20, agents: 2 },
    'POST /api/v1/cti/calls': { callId: 'intruso-1', caller: null, dialled: '+390863000001' },
    'POST /api/v1/cti/calls/:callId/events': { type: 'ended' },
  };
  return map[key];
}
const ATTACHMENT_BODY = '--B\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--\r\n';

/**
 * Routes that expose network-shared information (the directory of bodies and offices, the shared
 * taxonomy) or only the caller's own data (session, own tokens, own profile) — readable by every
 * member of the network by design.
 */
const SHARED_OR_SELF = new Set([
  // Routing: the caller's own presence, offers and stream; the wallboard without an office shows the
  // caller's own offices; the Erlang calculator computes from the caller's figures.
  'GET /api/v1/routing/me',
  'PUT /api/v1/routing/me/presence',
  // Citizen channels: the mailboxes and quarantine of the offices the caller manages (empty for others).
  'GET /api/v1/mailboxes',
  'GET /api/v1/privacy-notices',
  'GET /api/v1/mail/quarantine',
  'GET /api/v1/routing/stream',
  'GET /api/v1/routing/wallboard',
  // Its stream likewise (with another body's office it is refused: test/routing.http.test.ts).
  'GET /api/v1/routing/wallboard/stream',
  'POST /api/v1/routing/erlang',
  'GET /api/v1/cti/stream',
  'GET /api/v1/organisations',
  'GET /api/v1/organisations/:id',
  'GET /api/v1/organisations/:id/offices',
  'GET /api/v1/offices',
  'GET /api/v1/offices/:id',
  'GET /api/v1/taxonomy',
  'GET /api/v1/taxonomy/versions',
  'GET /api/v1/taxonomy/versions/:version',
  'GET /api/v1/taxonomy/versions/:version/export',
  // Crosswalk and translation are network-wide; proposal and local-node lists are scoped to the caller's organisations.
  'GET /api/v1/taxonomy/versions/:version/crosswalk',
  'GET /api/v1/taxonomy/translate',
  'GET /api/v1/taxonomy/proposals',
  'GET /api/v1/taxonomy/local-nodes',
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/logout',
  'GET /api/v1/me/tokens',
  'POST /api/v1/me/tokens',
  'PATCH /api/v1/me',
  'GET /api/v1/me/invitations',
  // The shared FAQ knowledge base and its thesaurus are network-wide by design.
  'GET /api/v1/faq/search',
  'GET /api/v1/faq/thesaurus',
  // FAQ gaps are scoped by construction: an organisation's administrators list only their territory's (test/faq-feedback.http.test.ts).
  'GET /api/v1/faq/gaps',
  // FAQ editorial lists: published FAQs are network-wide, unpublished ones filtered to the caller's organisations.
  'GET /api/v1/faq',
  'GET /api/v1/faq/editorial/flags',
  'GET /api/v1/directory',
  // Competences are network-visible like the directory: the coverage report of a region (issue 11).
  'GET /api/v1/competences/coverage',
  // Network-wide by design, without personal data: similar open tickets and incidents (their
  // tickets are listed, and answered by a mass reply, only where the caller may see/answer them).
  'GET /api/v1/tickets/similar',
  'GET /api/v1/incidents',
  'GET /api/v1/incidents/:id',
  'POST /api/v1/incidents/:id/reply',
  'GET /api/v1/offices/:id/competences',
  'GET /api/v1/notifications',
  'POST /api/v1/notifications/read',
  'GET /api/v1/notifications/stream',
  // Lists are scoped by construction; their content is checked below.
  'GET /api/v1/tickets',
  'GET /api/v1/tickets/counts',
  'GET /api/v1/requests/incoming',
  'GET /api/v1/agreements',
  // Historical imports and mappings: only the caller's organisations (checked in history-import.http.test.ts).
  'GET /api/v1/history-imports',
  'GET /api/v1/history-mappings',
  // Suggestions are computed from the caller's own text by the network-wide model: no organisation's data.
  'POST /api/v1/classification/suggest',
  // The data subject's requests look across the network by design (issue 13): other bodies' records
  // are shown as counts only, the request is recorded for the caller's own organisation, and lists
  // hold the caller's organisations' requests only (test/privacy.http.test.ts).
  'POST /api/v1/privacy/requests/search',
  'POST /api/v1/privacy/requests',
  'GET /api/v1/privacy/requests',
  // Action plans: the list holds the caller's organisations' actions only (test/action-plans.http.test.ts).
  'GET /api/v1/analytics/actions',
  // Staffing calculators compute from the caller's own figures; an office's forecast is refused to other bodies (test/staffing.http.test.ts).
  'POST /api/v1/analytics/staffing',
  'POST /api/v1/analytics/staffing/pooling',
  // Alarms are about series of the anonymised network-wide counts, for every supervisor, administrator
  // and analyst of the network (test/alarms.http.test.ts); watches are the caller's own.
  'GET /api/v1/analytics/alarms',
  'GET /api/v1/analytics/alarms/:id',
  'PATCH /api/v1/analytics/alarms/:id',
  'GET /api/v1/analytics/alarms/scans',
  'GET /api/v1/analytics/alarm-watches',
  'POST /api/v1/analytics/alarm-watches',
]);

describe('every route declares who may call it', () => {
  it('fails at boot when a route has no access rule', async () => {
    const app = Fastify();
    registerAuth(app, undefined as never, 'x'.repeat(32));
    expect(() => app.get('/unguarded', async () => 'oops')).toThrow(/declares no access rule/);
  });

  it('answers 401 to an anonymous caller on every non-public route', async () => {
    const guarded = t.app.routeTable.filter((r) => r.access.kind !== 'public');
    expect(guarded.length).toBeGreaterThan(25);
    for (const route of guarded) {
      const res = await t.app.inject({ method: route.method as 'GET', url: fillUrl(route.url), payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.headers['content-type'], `${route.method} ${route.url}`).toContain('application/problem+json');
      expect(res.json().code).toBe('auth.required');
    }
  });

  it('keeps public routes to health, metrics, docs, login, first run, password links, the territory and the web app', () => {
    const publicRoutes = t.app.routeTable.filter((r) => r.access.kind === 'public').map((r) => `${r.method} ${r.url}`);
    for (const r of publicRoutes) {
      expect(r).toMatch(/^(GET \/(healthz|readyz|metrics|\*)|GET \/api\/(openapi\.json|docs.*)|POST \/api\/v1\/auth\/(login|password-link)|(GET|POST) \/api\/v1\/setup|GET \/api\/v1\/portal\/(faq\/(search|:id)|tickets\/:code|challenge|request-form|track\/:token(\/attachments\/:id)?)|POST \/api\/v1\/portal\/(faq\/(events|:id\/feedback)|requests|track\/:token\/(attachments|messages|rating))|GET \/api\/v1\/territory(\/places(\/:code)?)?)$/);
    }
  });

  it('denies (403/404) a caller of another organisation on every route that touches Celano data', async () => {
    const guarded = t.app.routeTable.filter((r) => r.access.kind !== 'public' && !SHARED_OR_SELF.has(`${r.method} ${r.url}`));
    const checked: string[] = [];
    for (const route of guarded) {
      const key = `${route.method} ${route.url}`;
      let url = fillUrl(route.url);
      if (key === 'GET /api/v1/users') url += `?organisationId=${ids.organisationId}`;
      if (key === 'POST /api/v1/history-imports') url += `?organisationId=${ids.organisationId}`;
      if (key === 'GET /api/v1/privacy/retention-runs') url += `?organisationId=${ids.organisationId}`;
      if (key === 'GET /api/v1/analytics/staffing/forecast') url += `?officeId=${ids.officeId}&date=2026-01-05`;
      if (key === 'GET /api/v1/routing/queue') url += `?officeId=${ids.officeId}`;
      if (key === 'GET /api/v1/analytics/reports/weekly') url += `?organisationId=${ids.organisationId}`;
      if (key === 'GET /api/v1/analytics/forecast') url += `?officeId=${ids.officeId}`;
      if (key === 'GET /api/v1/analytics/actions/owners') url += `?organisationId=${ids.organisationId}`;
      if (key === 'GET /api/v1/analytics/dashboard') url += `?organisationId=${ids.organisationId}`;
      const isUpload = key === 'POST /api/v1/tickets/:code/attachments' || key === 'POST /api/v1/history-imports';
      const payload = isUpload ? ATTACHMENT_BODY : validBody(key);
      // Routes without a body (accept, revoke, …) get none; a missing body where one is needed fails as 400 below.
      for (const caller of [napoliOperator, napoliAdmin]) {
        // The takeover of issue 9: a role in the caller's own organisation, given to a Celano user.
        const payloads = key === 'POST /api/v1/users/:id/roles' ? [payload, { role: 'org_admin', organisationId: caller.organisationId }] : [payload];
        for (const body of payloads) {
          const headers: Record<string, string> = { 'if-match': '*', ...(isUpload && { 'content-type': 'multipart/form-data; boundary=B' }) };
          const res = await caller.request({ method: route.method as 'GET', url, ...(body !== undefined && { payload: body as object }), headers });
          expect([403, 404], `${key} → ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        }
      }
      checked.push(key);
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /api/v1/tickets/:code', 'PATCH /api/v1/offices/:id', 'POST /api/v1/users/:id/roles', 'GET /api/v1/tickets/:code/attachments/:id', 'GET /api/v1/analytics/dashboard', 'GET /api/v1/analytics/forecast', 'GET /api/v1/analytics/actions/owners']));
    const reply = await napoliOperator.post(`/api/v1/incidents/${ids.incidentId}/reply`, { body: 'Risposta non autorizzata' });
    expect(reply.json()).toEqual({ replied: [], skipped: 1 });
    expect((await napoliOperator.get(`/api/v1/incidents/${ids.incidentId}`)).json().tickets).toEqual([]);
    // Nothing changed on the Celano side.
    const ticket = (await celanoOperator.get(`/api/v1/tickets/${ids.code}`)).json();
    expect(String(ticket.version)).toBe(ids.version);
    expect((await celanoOperator.get(`/api/v1/tickets/${ids.code}/messages`)).json().items).toEqual([]);
    const user = (await celanoAdmin.get(`/api/v1/users/${ids.userId}`)).json();
    expect(user.roles.map((r: { organisationId: string }) => r.organisationId)).toEqual([ids.organisationId]);
    expect(user.name).not.toBe('Intruso');
    expect((await celanoAdmin.get(`/api/v1/faq/${ids.faqId}`)).json()).toMatchObject({ title: 'Dove si ritira il contrassegno disabili a Celano?', status: 'draft' });
    expect((await celanoAdmin.get('/api/v1/taxonomy/local-nodes')).json().items.find((n: { id: string }) => n.id === ids.localNodeId)?.label.it).toBe('Riduzione TARI per compostaggio');
    expect((await celanoAdmin.get('/api/v1/taxonomy/proposals')).json().items.find((p: { id: string }) => p.id === ids.proposalId)?.status).toBe('pending');
    expect((await coordinator.get(`/api/v1/taxonomy/drafts/${ids.draftId}`)).json()).toMatchObject({ status: 'open', operations: [] });
    expect((await celanoAdmin.get(`/api/v1/history-imports/${ids.importId}`)).json()).toMatchObject({ status: 'uploaded', importedCount: 0 });
    expect((await celanoAdmin.get(`/api/v1/faq/gaps?q=zampognari`)).json().items.map((g: { id: string; status: string }) => [g.id, g.status])).toEqual([[ids.gapId, 'open']]);
    const invitations = (await celanoAdmin.get(`/api/v1/organisations/${ids.organisationId}/invitations`)).json().items;
    expect(invitations.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[ids.invitationId, 'pending']]);
    expect((await celanoAdmin.get(`/api/v1/analytics/actions/${ids.actionId}`)).json().action).toMatchObject({ title: 'FAQ sulla TARI', version: 1 });
  });

  it('scopes collections: no Celano ticket, request or agreement appears to Napoli', async () => {
    const incoming = (await napoliOperator.get('/api/v1/requests/incoming')).json();
    expect([...incoming.shares, ...incoming.transfers]).toEqual([]);
    expect((await napoliAdmin.get('/api/v1/agreements')).json().items).toEqual([]);
    expect((await napoliOperator.get('/api/v1/tickets/counts')).json()).toEqual({ all: 0, mine: 0, office: 0, shared: 0, waiting: 0 });
    const list = await napoliOperator.get('/api/v1/tickets?limit=100');
    expect(list.json().items.map((i: { code: string }) => i.code)).not.toContain(ids.code);
    const staff = await napoliOperator.get(`/api/v1/offices/${ids.officeId}/users`);
    expect(staff.statusCode).toBe(404);
  });

  it('limits a token to its scopes, whatever its user may do', async () => {
    const token = (await celanoOperator.post('/api/v1/me/tokens', { name: 'sola lettura', scopes: ['tickets:read'] })).json();
    const auth = { authorization: `Bearer ${token.secret}` };
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ids.code}`, headers: auth })).statusCode).toBe(200);
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: auth, payload: ticketInput(celanoOperator) });
    expect(write.statusCode).toBe(403);
  });
});
