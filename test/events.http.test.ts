import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondToShare, revokeShare, updateTask } from '../src/modules/sharing/sharing.service.js';
import type { Actor, Role } from '../src/platform/actor.js';
import type { EventTopic } from '../src/platform/events.js';
import type { Trx } from '../src/platform/http.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * The events the sharing workflow used to leave out (issue 10, point 3): share answers and
 * revocations, transfer requests, declines and cancellations, task changes; the FAQ publication
 * topic. Each is written to the outbox by the same transaction as the change.
 */
let t: TestApp;
const users: Record<string, Client> = {};
let offices: { id: string; slug: string; organisationId: string; name: string }[];
const officeId = (slug: string) => offices.find((o) => o.slug === slug)!.id;
const officeName = (id: string) => offices.find((o) => o.id === id)!.name;

async function as(prefix: string, org: string): Promise<Client> {
  const key = `${prefix}.${org}`;
  users[key] ??= await login(t.app, demoEmail(prefix, org));
  return users[key]!;
}

async function newTicket(owner: Client) {
  const res = await owner.post('/api/v1/tickets', ticketInput(owner, { classification: { tipo: 'informazione', tema: 'sanita.esenzioni_ticket' }, subject: 'Esenzione ticket per reddito' }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { code: string; id: string };
}

/** The outbox rows about a ticket, oldest first. */
async function eventsOf(ticketId: string, topicPrefix = 'ticket.') {
  const rows = await t.database.db.selectFrom('outbox').select(['topic', 'payload', 'organisation_id']).where('aggregate_id', '=', ticketId).orderBy('id').execute();
  return rows.filter((r) => r.topic.startsWith(topicPrefix)).map((r) => ({ topic: r.topic, payload: r.payload as Record<string, unknown> }));
}

async function lastEvent(ticketId: string) {
  return (await eventsOf(ticketId)).at(-1);
}

/** The caller as the services see it, for calling a use case inside a transaction the test rolls back. */
async function actorOf(client: Client): Promise<Actor> {
  const grants = await t.database.db.selectFrom('role_grants').select(['id', 'role', 'organisation_id', 'office_id']).where('user_id', '=', client.userId).execute();
  return {
    userId: client.userId, email: 'x@example.org', name: 'x', locale: 'it', via: 'session', scopes: null, sessionId: null, csrfToken: null,
    grants: grants.map((g) => ({ id: g.id, role: g.role as Role, organisationId: g.organisation_id, officeId: g.office_id })),
  };
}

/** Runs a use case in a transaction and rolls it back: neither the change nor its event may remain. */
async function rolledBack(fn: (trx: Trx) => Promise<unknown>): Promise<void> {
  const rollback = new Error('rollback');
  await expect(
    t.database.db.transaction().execute(async (trx) => {
      await fn(trx);
      throw rollback;
    }),
  ).rejects.toBe(rollback);
}

beforeAll(async () => {
  t = await buildTestApp();
  const celano = await as('operatore', 'comune-celano');
  offices = (await celano.get('/api/v1/offices')).json().items;
});
afterAll(async () => {
  await t?.close();
});

describe('share events', () => {
  it('records ticket.shared (pending), then ticket.share_accepted with the share and both offices', async () => {
    const celano = await as('operatore', 'comune-celano');
    const asl = await as('operatore', 'asl-avezzano-sulmona-laquila');
    const ticket = await newTicket(celano);
    const share = await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: asl.officeId, mode: 'collaborate', reason: 'Serve il vostro parere' });
    expect(share.statusCode, share.body).toBe(201);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.shared',
      payload: { ticketId: ticket.id, code: ticket.code, shareId: share.json().id, officeId: asl.officeId, ownerOfficeId: celano.officeId, mode: 'collaborate', status: 'pending', reason: 'Serve il vostro parere', actorId: celano.userId },
    });
    expect((await asl.post(`/api/v1/shares/${share.json().id}/accept`)).statusCode).toBe(200);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.share_accepted',
      payload: { ticketId: ticket.id, code: ticket.code, shareId: share.json().id, officeId: asl.officeId, ownerOfficeId: celano.officeId, actorId: asl.userId },
    });
  });

  it('records ticket.share_declined with the reason, and nothing when the answer is refused', async () => {
    const celano = await as('operatore', 'comune-celano');
    const asl = await as('operatore', 'asl-avezzano-sulmona-laquila');
    const ticket = await newTicket(celano);
    const share = (await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: asl.officeId, mode: 'consult', reason: 'Parere' })).json();
    const before = (await eventsOf(ticket.id)).length;
    expect((await asl.post(`/api/v1/shares/${share.id}/decline`, {})).statusCode).toBe(400);
    expect(await eventsOf(ticket.id)).toHaveLength(before);
    expect((await asl.post(`/api/v1/shares/${share.id}/decline`, { reason: 'Non di nostra competenza' })).statusCode).toBe(200);
    expect(await lastEvent(ticket.id)).toMatchObject({ topic: 'ticket.share_declined', payload: { shareId: share.id, officeId: asl.officeId, reason: 'Non di nostra competenza', actorId: asl.userId } });
  });

  it('records ticket.share_revoked in the transaction of the revocation: a rollback leaves neither', async () => {
    const celano = await as('operatore', 'comune-celano');
    const asl = await as('operatore', 'asl-avezzano-sulmona-laquila');
    const ticket = await newTicket(celano);
    const share = (await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: asl.officeId, mode: 'consult', reason: 'Parere' })).json();
    const before = await eventsOf(ticket.id);
    const actor = await actorOf(celano);
    await rolledBack((trx) => revokeShare(trx, actor, share.id, new Date()));
    expect(await eventsOf(ticket.id)).toEqual(before);
    expect((await celano.get(`/api/v1/tickets/${ticket.code}/participants`)).json().shares.find((p: { id: string }) => p.id === share.id).status).toBe('pending');

    expect((await celano.post(`/api/v1/shares/${share.id}/revoke`)).statusCode).toBe(200);
    expect(await lastEvent(ticket.id)).toMatchObject({ topic: 'ticket.share_revoked', payload: { shareId: share.id, officeId: asl.officeId, previousStatus: 'pending', actorId: celano.userId } });
  });

  it('rolls back an accepted share together with its event', async () => {
    const celano = await as('operatore', 'comune-celano');
    const asl = await as('operatore', 'asl-avezzano-sulmona-laquila');
    const ticket = await newTicket(celano);
    const share = (await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: asl.officeId, mode: 'consult', reason: 'Parere' })).json();
    const before = await eventsOf(ticket.id);
    const actor = await actorOf(asl);
    await rolledBack((trx) => respondToShare(trx, actor, share.id, 'accept', undefined, new Date()));
    expect(await eventsOf(ticket.id)).toEqual(before);
  });
});

describe('transfer events', () => {
  it('records ticket.transfer_requested, then ticket.transfer_declined', async () => {
    const celano = await as('operatore', 'comune-celano');
    const officer = await as('backoffice', 'regione-abruzzo');
    const ticket = await newTicket(celano);
    const target = officeId('regione-abruzzo-sanita-esenzioni');
    const req = await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: target, kind: 'transfer', reasonCode: 'not_competent', reason: 'Competenza regionale' });
    expect(req.statusCode, req.body).toBe(201);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.transfer_requested',
      payload: {
        ticketId: ticket.id, code: ticket.code, transferId: req.json().id, kind: 'transfer', fromOfficeId: celano.officeId, toOfficeId: target, reasonCode: 'not_competent',
        reason: 'Competenza regionale', autoAccept: false, actorId: celano.userId,
      },
    });
    expect((await officer.post(`/api/v1/transfers/${req.json().id}/decline`, { reason: 'Non è nostro' })).statusCode).toBe(200);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.transfer_declined',
      payload: { ticketId: ticket.id, code: ticket.code, transferId: req.json().id, fromOfficeId: celano.officeId, toOfficeId: target, reason: 'Non è nostro', actorId: officer.userId },
    });
  });

  it('records ticket.transfer_cancelled, and ticket.transferred on acceptance', async () => {
    const celano = await as('operatore', 'comune-celano');
    const officer = await as('backoffice', 'regione-abruzzo');
    const target = officeId('regione-abruzzo-sanita-esenzioni');
    const ticket = await newTicket(celano);
    const first = (await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: target, kind: 'transfer', reasonCode: 'not_competent', reason: 'Prima' })).json();
    expect((await celano.post(`/api/v1/transfers/${first.id}/cancel`)).statusCode).toBe(200);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.transfer_cancelled',
      payload: { ticketId: ticket.id, code: ticket.code, transferId: first.id, fromOfficeId: celano.officeId, toOfficeId: target, actorId: celano.userId },
    });
    const second = (await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: target, kind: 'escalation', reasonCode: 'needs_authority', reason: 'Seconda' })).json();
    expect((await officer.post(`/api/v1/transfers/${second.id}/accept`)).statusCode).toBe(200);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.transferred',
      payload: { ticketId: ticket.id, code: ticket.code, transferId: second.id, kind: 'escalation', from: celano.officeId, to: target, actorId: officer.userId },
    });
  });
});

describe('task events', () => {
  it('records ticket.task_created and ticket.task_updated; a rolled-back update leaves no event', async () => {
    const celano = await as('operatore', 'comune-celano');
    const ticket = await newTicket(celano);
    const task = await celano.post(`/api/v1/tickets/${ticket.code}/tasks`, { officeId: celano.officeId, title: 'Richiedere il modello ISEE', assigneeId: celano.userId });
    expect(task.statusCode, task.body).toBe(201);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.task_created',
      payload: { ticketId: ticket.id, code: ticket.code, taskId: task.json().id, officeId: celano.officeId, title: 'Richiedere il modello ISEE', assigneeId: celano.userId, actorId: celano.userId, actorOfficeId: celano.officeId },
    });
    const before = await eventsOf(ticket.id);
    const actor = await actorOf(celano);
    await rolledBack((trx) => updateTask(trx, actor, task.json().id, null, { status: 'done' }, new Date()));
    expect(await eventsOf(ticket.id)).toEqual(before);

    expect((await celano.patch(`/api/v1/tasks/${task.json().id}`, { status: 'done', assigneeId: null })).statusCode).toBe(200);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.task_updated',
      payload: {
        ticketId: ticket.id, code: ticket.code, taskId: task.json().id, officeId: celano.officeId, ownerOfficeId: celano.officeId, title: 'Richiedere il modello ISEE',
        status: 'done', previousStatus: 'open', assigneeId: null, fields: ['status', 'assignee'], actorId: celano.userId,
      },
    });
  });
});

describe('assignment events', () => {
  it('records ticket.assigned next to ticket.updated when the assignee changes, not otherwise', async () => {
    const celano = await as('operatore', 'comune-celano');
    const supervisor = await as('responsabile', 'comune-celano');
    const ticket = await newTicket(celano);
    const etag = (await supervisor.get(`/api/v1/tickets/${ticket.code}`)).headers.etag as string;
    expect((await supervisor.patch(`/api/v1/tickets/${ticket.code}`, { assigneeId: celano.userId }, { 'if-match': etag })).statusCode).toBe(200);
    const topics = (await eventsOf(ticket.id)).map((e) => e.topic);
    expect(topics.slice(-2)).toEqual(['ticket.updated', 'ticket.assigned']);
    expect(await lastEvent(ticket.id)).toEqual({
      topic: 'ticket.assigned',
      payload: { ticketId: ticket.id, code: ticket.code, actorId: supervisor.userId, assigneeId: celano.userId, previousAssigneeId: null },
    });
    const etag2 = (await supervisor.get(`/api/v1/tickets/${ticket.code}`)).headers.etag as string;
    expect((await supervisor.patch(`/api/v1/tickets/${ticket.code}`, { priority: 'high' }, { 'if-match': etag2 })).statusCode).toBe(200);
    expect((await eventsOf(ticket.id)).at(-1)?.topic).toBe('ticket.updated');
  });
});

/**
 * Every topic of the catalogue, with the named handlers that react to it in the app as the tests
 * build it (no SMTP: the `_mailOffice` twins of the office notices are registered only with e-mail).
 * A `Record` over the catalogue: a new topic does not compile until someone decides its handlers.
 */
const HANDLERS: Record<EventTopic, readonly string[]> = {
  'ticket.created': ['onTicketCreated_notifyAssignee', 'onTicketCreated_recordSuggestionFeedback', 'onTicketCreated_acknowledgeCitizen', 'onTicketCreated_enqueueCitizenContact', 'onTicketCreated_classifyCitizenRequest'],
  'ticket.updated': ['onTicketUpdated_retopicWorkItem'],
  'ticket.classified': ['onTicketClassified_retopicWorkItem'],
  'ticket.assigned': ['onTicketAssigned_notifyAssignee'],
  'ticket.new': ['onTicketNew_notifyIfReopened'],
  'ticket.open': ['onTicketOpen_notifyIfReopened'],
  'ticket.pending_citizen': ['onTicketPendingCitizen_notifyIfReopened'],
  'ticket.pending_office': ['onTicketPendingOffice_notifyIfReopened'],
  'ticket.resolved': ['onTicketResolved_askCitizenRating'],
  'ticket.closed': ['onTicketClosed_scheduleArchiveSweep'],
  'ticket.reply_added': ['onReplyAdded_notifyParties', 'onReplyAdded_deliverToCitizen'],
  'ticket.note_added': ['onNoteAdded_notifyParties'],
  'ticket.citizen_added': ['onCitizenMessageAdded_notifyOwner'],
  'ticket.rated': [],
  'ticket.shared': ['onTicketShared_notifyOffice'],
  'ticket.share_accepted': ['onShareAccepted_notifyOffice'],
  'ticket.share_declined': ['onShareDeclined_notifyOffice'],
  'ticket.share_revoked': ['onShareRevoked_notifyOffice'],
  'ticket.transfer_requested': ['onTransferRequested_notifyOffice'],
  'ticket.transferred': ['onTicketTransferred_notifyOffice'],
  'ticket.transfer_declined': ['onTransferDeclined_notifyOffice'],
  'ticket.transfer_cancelled': ['onTransferCancelled_notifyOffice'],
  'ticket.task_created': ['onTaskCreated_notifyOffice'],
  'ticket.task_updated': ['onTaskUpdated_notifyOffice'],
  'ticket.similar_requested': ['onSimilarRequested_notifyOffice'],
  'ticket.duplicate': [],
  'ticket.handed_back': ['onTicketHandedBack_notifyNewOwner'],
  'ticket.participant_left': [],
  'incident.created': [],
  'faq.created': [],
  'faq.updated': [],
  'faq.submitted': [],
  'faq.rejected': [],
  'faq.published': [],
  'faq.archived': [],
  'faq.unarchived': [],
  'faq.discarded': [],
  'faq.adopted': [],
  'faq.unadopted': [],
  'faq.translation_created': [],
  'faq.expired': [],
  'faq.gap_decided': [],
  'faq.thesaurus_changed': [],
  'faq.drafted_from_ticket': [],
  'faq.imported': [],
  'taxonomy.version_published': [],
  'taxonomy.proposal_approved': ['onTaxonomyProposalApproved_notifyProposer'],
  'taxonomy.proposal_rejected': ['onTaxonomyProposalRejected_notifyProposer'],
  'faq.flagged': ['onFaqFlagged_notifyOwner'],
  // Routing events travel to consoles and PBXs over the realtime feeds, not through handlers.
  'routing.offer_made': [],
  'routing.offer_closed': [],
  'routing.item_assigned': [],
  'routing.item_ended': [],
  'routing.item_queued': [],
  'routing.presence_changed': [],
};

describe('handlers', () => {
  it('registers exactly the named handlers the catalogue expects, each name once', () => {
    const registered = t.events.handlers();
    expect(new Set(registered.map((h) => h.name)).size).toBe(registered.length);
    const byTopic = (topic: string) => registered.filter((h) => h.topic === topic).map((h) => h.name).sort();
    for (const [topic, names] of Object.entries(HANDLERS)) expect(byTopic(topic), topic).toEqual([...names].sort());
    expect(registered.filter((h) => !(h.topic in HANDLERS))).toEqual([]);
  });

  it('writes the structured notification of a share answer once, however often the event is delivered', async () => {
    const celano = await as('operatore', 'comune-celano');
    const asl = await as('operatore', 'asl-avezzano-sulmona-laquila');
    const ticket = await newTicket(celano);
    const share = (await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: asl.officeId, mode: 'consult', reason: 'Parere' })).json();
    expect((await asl.post(`/api/v1/shares/${share.id}/decline`, { reason: 'Non di nostra competenza' })).statusCode).toBe(200);
    await t.events.drain();
    const stored = () =>
      t.database.db.selectFrom('notifications').select(['user_id', 'kind', 'title', 'body', 'params', 'event_id', 'read_at']).where('ticket_id', '=', ticket.id).where('kind', '=', 'share.declined').execute();
    const first = await stored();
    expect(first.map((n) => n.user_id)).toContain(celano.userId);
    for (const n of first) {
      // Kind and parameters only: no sentence is stored.
      expect(n).toMatchObject({ title: null, body: null, params: { code: ticket.code, office: officeName(asl.officeId), reason: 'Non di nostra competenza', shareId: share.id } });
      expect(n.event_id).not.toBeNull();
    }
    // The request notification written for the share, answered meanwhile, is handled for the receiving office.
    const request = await t.database.db.selectFrom('notifications').select(['read_at']).where('ticket_id', '=', ticket.id).where('kind', '=', 'share.requested').where('user_id', '=', asl.userId).execute();
    expect(request).toHaveLength(1);
    expect(request[0]!.read_at).not.toBeNull();

    // A delivery run again (a crash after the handler wrote, before its delivery was marked done)
    // inserts nothing twice.
    const events = await t.database.db.selectFrom('outbox').select('id').where('aggregate_id', '=', ticket.id).where('topic', '=', 'ticket.share_declined').execute();
    expect(events).toHaveLength(1);
    const redone = await t.database.db
      .updateTable('outbox_deliveries').set({ done_at: null, next_attempt_at: new Date(0) })
      .where('event_id', '=', events[0]!.id).where('handler', '=', 'onShareDeclined_notifyOffice').where('done_at', 'is not', null).executeTakeFirst();
    expect(Number(redone.numUpdatedRows)).toBe(1);
    await t.events.drain();
    const left = await t.database.db.selectFrom('outbox_deliveries').select('done_at').where('event_id', '=', events[0]!.id).where('handler', '=', 'onShareDeclined_notifyOffice').executeTakeFirstOrThrow();
    expect(left.done_at).not.toBeNull();
    expect(await stored()).toHaveLength(first.length);

    // The API writes it in the reader's language.
    const it_ = (await celano.get('/api/v1/notifications')).json().items.find((n: { kind: string; ticketCode: string }) => n.kind === 'share.declined' && n.ticketCode === ticket.code);
    expect(it_).toMatchObject({ title: `${officeName(asl.officeId)} ha rifiutato la condivisione di ${ticket.code}`, body: 'Non di nostra competenza' });
    const en = (await celano.get('/api/v1/notifications', { 'accept-language': 'en' })).json().items.find((n: { kind: string; ticketCode: string }) => n.kind === 'share.declined' && n.ticketCode === ticket.code);
    expect(en.title).toBe(`${officeName(asl.officeId)} declined the share of ${ticket.code}`);
  });

  it('tells the owner office of a declined and of a cancelled transfer, and of a partner task done', async () => {
    const celano = await as('operatore', 'comune-celano');
    const officer = await as('backoffice', 'regione-abruzzo');
    const target = officeId('regione-abruzzo-sanita-esenzioni');
    const ticket = await newTicket(celano);
    const declined = (await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: target, kind: 'transfer', reasonCode: 'not_competent', reason: 'Prima' })).json();
    await t.events.drain();
    expect((await officer.post(`/api/v1/transfers/${declined.id}/decline`, { reason: 'Non è nostro' })).statusCode).toBe(200);
    const cancelled = (await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: target, kind: 'transfer', reasonCode: 'not_competent', reason: 'Seconda' })).json();
    expect((await celano.post(`/api/v1/transfers/${cancelled.id}/cancel`)).statusCode).toBe(200);
    await t.events.drain();
    const mine = async (c: Client, kind: string) =>
      (await c.get('/api/v1/notifications')).json().items.filter((n: { kind: string; ticketCode: string }) => n.kind === kind && n.ticketCode === ticket.code);
    expect(await mine(celano, 'transfer.declined')).toMatchObject([{ params: { code: ticket.code, reason: 'Non è nostro', transferId: declined.id } }]);
    expect(await mine(officer, 'transfer.cancelled')).toMatchObject([{ params: { code: ticket.code, office: officeName(celano.officeId), transferId: cancelled.id } }]);
    // The first request was answered: handled for the receiving office; the second was withdrawn.
    expect((await mine(officer, 'transfer.requested')).map((n: { readAt: string | null }) => n.readAt !== null)).toEqual([true, true]);
  });
});

describe('FAQ and taxonomy events', () => {
  it('records faq.submitted then faq.published with the action and its author; a refused action records nothing', async () => {
    const coordinator = await login(t.app, demoEmail('coordinatore'));
    const created = await coordinator.post('/api/v1/faq', { scope: 'network', tema: 'identita_digitale.cie', tipo: 'informazione', title: 'Come si rinnova la CIE scaduta?', body: 'In Comune, su appuntamento.' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const faqEvents = async () => (await t.database.db.selectFrom('outbox').select(['topic', 'payload']).where('aggregate_id', '=', id).orderBy('id').execute()).map((r) => ({ topic: r.topic, payload: r.payload }));
    expect((await coordinator.post(`/api/v1/faq/${id}/transitions`, { action: 'publish' })).statusCode).toBe(409);
    expect((await faqEvents()).map((e) => e.topic)).toEqual(['faq.created']);
    expect((await coordinator.post(`/api/v1/faq/${id}/transitions`, { action: 'submit' })).statusCode).toBe(200);
    expect((await coordinator.post(`/api/v1/faq/${id}/transitions`, { action: 'publish' })).statusCode).toBe(200);
    expect((await faqEvents()).slice(1)).toEqual([
      { topic: 'faq.submitted', payload: { id, action: 'submit', by: coordinator.userId } },
      { topic: 'faq.published', payload: { id, action: 'publish', by: coordinator.userId } },
    ]);
  });
});
