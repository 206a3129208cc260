import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { decodeCursor, encodeCursor, etagOf, expectedVersion, idempotentCreate } from '../../platform/http.js';
import { access } from '../../platform/policy.js';
import { markTicketNotificationsRead } from '../../platform/notifications.js';
import { errorResponses, Nullable } from '../../platform/schema.js';
import {
  allowedContentType, attachmentsRoot, contentMatches, FileTooLargeError, openStored, removeStored, safeFilename, storeStream,
} from '../../platform/file-storage.js';
import { can, TICKET_ACTIONS, type TicketAccess } from './ticket-access.js';
import { allowedTransitions } from './ticket-status.js';
import { ticketErrors as errors } from './tickets.errors.js';
import * as repo from './tickets.repository.js';
import * as s from './tickets.schemas.js';
import { refreshSimilarText } from './similar.repository.js';
import * as service from './tickets.service.js';
import { registerCodeUsage } from '../taxonomy/index.js';
import { ticketsUseCode } from './tickets.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentTicket(t: repo.Ticket, access: TicketAccess | null = null, now = new Date()) {
  return {
    ...(access && { myAccess: { relation: access.relation, formerOwner: access.formerOwner, officeId: access.officeId, actions: TICKET_ACTIONS.filter((a) => can(access, a)) } }),
    id: t.id, code: t.code, version: t.version, officeId: t.officeId, officeName: t.officeName, organisationId: t.organisationId,
    organisationName: t.organisationName, channel: t.channel, subject: t.subject, description: t.description,
    priority: t.priority as s.Priority, status: t.status, outcome: t.outcome, classification: t.classification, taxonomyVersion: t.taxonomyVersion,
    assignee: t.assignee, requester: t.requester ? { name: t.requester.name, email: t.requester.email, phone: t.requester.phone, fiscalCode: t.requester.fiscalCode } : null,
    dueAt: iso(t.dueAt), createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(), resolvedAt: iso(t.resolvedAt), closedAt: iso(t.closedAt),
    createdBy: t.createdBy,
    allowedTransitions: access && !can(access, 'change_status') ? [] : allowedTransitions(t.status, t.resolvedAt, now),
  };
}

function presentSummary(t: repo.TicketSummary) {
  return {
    id: t.id, code: t.code, subject: t.subject, status: t.status as repo.Ticket['status'], priority: t.priority as s.Priority, channel: t.channel,
    classification: t.classification, assignee: t.assignee, requesterName: t.requesterName, officeId: t.officeId,
    createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(), dueAt: iso(t.dueAt),
  };
}

function presentAttachment(a: repo.Attachment) {
  return { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, createdAt: a.createdAt.toISOString() };
}

function presentMessage(m: repo.Message) {
  return { id: m.id, kind: m.kind, channel: m.channel, body: m.body, author: m.author, createdAt: m.createdAt.toISOString(), attachments: m.attachments.map(presentAttachment) };
}

const tags = { tags: ['tickets'] };
const ticketHeaders = (t: repo.Ticket) => ({ etag: etagOf(t.version), location: `/api/v1/tickets/${t.code}` });

export function registerTicketRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = ctx;
  const storageRoot = attachmentsRoot(config.dataDir);
  registerCodeUsage('tickets', ticketsUseCode);

  // The copy of each ticket's text that similar-ticket search compares (personal data scrubbed) is
  // written after commit, from the outbox; refreshSimilarText cleans only a ticket whose copy is
  // missing, so other events cost one read.
  ctx.events.subscribe('similar-text-refresh', 'ticket.', async (event) => {
    const ticketId = (event.payload as { ticketId?: unknown } | null)?.ticketId;
    if (typeof ticketId === 'string') await refreshSimilarText(db, ticketId);
  });

  app.get('/api/v1/tickets', {
    config: { access: access.permission('tickets:read') },
    schema: {
      ...tags, summary: "Inbox dell'ufficio: filtri per stato, canale, tema, assegnatario e testo (o codice ticket)",
      querystring: s.ListTicketsQuery,
      response: { 200: Type.Object({ items: Type.Array(s.TicketSummarySchema), nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const q = request.query;
    const limit = q.limit ?? 25;
    const assignee = q.assignee === undefined ? undefined : q.assignee === 'none' ? { kind: 'none' as const } : { kind: 'user' as const, id: q.assignee === 'me' ? actor.userId : q.assignee };
    const items = await service.listInbox(db, actor, {
      userId: actor.userId,
      ...(q.view !== undefined && { view: q.view }),
      ...(q.officeId !== undefined && { officeId: q.officeId }),
      ...(q.status !== undefined && { statuses: q.status.split(',') }),
      ...(q.channel !== undefined && { channel: q.channel }),
      ...(q.topic !== undefined && { topic: q.topic }),
      ...(assignee !== undefined && { assignee }),
      ...(q.priority !== undefined && { priority: q.priority }),
      ...(q.q !== undefined && q.q.trim() !== '' && { text: q.q.trim() }),
      cursor: decodeCursor(q.cursor),
      limit,
    });
    const last = items.at(-1);
    return { items: items.map(presentSummary), nextCursor: items.length === limit && last ? encodeCursor({ at: last.updatedAt.toISOString(), id: last.id }) : null };
  });

  app.get('/api/v1/tickets/counts', {
    config: { access: access.permission('tickets:read') },
    schema: {
      ...tags, summary: 'Lavoro aperto per vista: miei, del mio ufficio, condivisi con il mio ufficio, in attesa di un altro ufficio',
      querystring: Type.Object({ officeId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ all: Type.Integer(), mine: Type.Integer(), office: Type.Integer(), shared: Type.Integer(), waiting: Type.Integer() }) },
    },
  }, async (request) => service.inboxCounts(db, requireActor(request), request.query.officeId));

  app.post('/api/v1/tickets', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: 'Registra un contatto come ticket (usa Idempotency-Key per i tentativi ripetuti)', body: s.CreateTicketBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
      response: { 201: s.TicketSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const ticket = await service.createTicket(trx, actor, request.body, new Date());
      return { status: 201, body: presentTicket(ticket, service.creatorAccess(actor, ticket)), headers: ticketHeaders(ticket) };
    });
  });

  app.get('/api/v1/tickets/:code', {
    config: { access: access.permission('tickets:read') },
    schema: { ...tags, summary: 'Un ticket, con ETag per gli aggiornamenti', params: s.CodeParams, response: { 200: s.TicketSchema, ...errorResponses(400, 404) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const { ticket, access } = await service.openTicket(db, actor, request.params.code);
    // A person opening the ticket has seen what its notifications said (not an integration reading it).
    if (actor.via === 'session') await markTicketNotificationsRead(db, actor.userId, ticket.id, new Date());
    reply.header('etag', etagOf(ticket.version));
    return presentTicket(ticket, access);
  });

  app.patch('/api/v1/tickets/:code', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: 'Modifica oggetto, descrizione, priorità, classificazione, assegnatario o richiedente (If-Match obbligatorio)',
      params: s.CodeParams, body: s.UpdateTicketBody, response: { 200: s.TicketSchema, ...errorResponses(400, 403, 404, 412, 422, 428) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const expected = expectedVersion(request);
    const { ticket, access } = await db.transaction().execute((trx) => service.updateTicket(trx, actor, request.params.code, expected, request.body, new Date()));
    reply.header('etag', etagOf(ticket.version));
    return presentTicket(ticket, access);
  });

  app.post('/api/v1/tickets/:code/status', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: 'Cambia lo stato (risolvere richiede un esito; riapertura entro la finestra consentita)',
      params: s.CodeParams, body: s.StatusChangeBody, response: { 200: s.TicketSchema, ...errorResponses(400, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const expected = expectedVersion(request);
    const body = request.body;
    const { ticket, access } = await db.transaction().execute((trx) =>
      service.changeStatus(trx, actor, request.params.code, expected, { status: body.status, ...(body.outcome !== undefined && { outcome: body.outcome }), ...(body.reason !== undefined && { reason: body.reason }) }, new Date()),
    );
    reply.header('etag', etagOf(ticket.version));
    return presentTicket(ticket, access);
  });

  app.get('/api/v1/tickets/:code/messages', {
    config: { access: access.permission('tickets:read') },
    schema: { ...tags, summary: 'Thread: risposte pubbliche e note interne', params: s.CodeParams, response: { 200: Type.Object({ items: Type.Array(s.MessageSchema) }), ...errorResponses(404) } },
  }, async (request) => {
    const { ticket, access } = await service.openTicket(db, requireActor(request), request.params.code);
    return { items: (await repo.listMessages(db, ticket.id, access.organisationId)).map(presentMessage) };
  });

  app.post('/api/v1/tickets/:code/messages', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: 'Aggiunge una risposta pubblica o una nota interna', params: s.CodeParams, body: s.CreateMessageBody,
      response: { 201: s.MessageSchema, ...errorResponses(400, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const { ticket, message } = await service.addMessage(trx, actor, request.params.code, request.body, new Date());
      return { status: 201, body: presentMessage(message), headers: { etag: etagOf(ticket.version) } };
    });
  });

  app.get('/api/v1/tickets/:code/history', {
    config: { access: access.permission('tickets:read') },
    schema: { ...tags, summary: 'Storico completo delle modifiche (chi, quando, prima/dopo)', params: s.CodeParams, response: { 200: Type.Object({ items: Type.Array(s.HistoryEntrySchema) }), ...errorResponses(404) } },
  }, async (request) => {
    const { ticket } = await service.openTicket(db, requireActor(request), request.params.code);
    return { items: (await repo.listHistory(db, ticket.id)).map((h) => ({ ...h, at: h.at.toISOString() })) };
  });

  app.post('/api/v1/tickets/:code/attachments', {
    config: { access: access.permission('tickets:write') },
    schema: { ...tags, summary: 'Carica un allegato (multipart, campo «file»); poi collegalo a un messaggio', params: s.CodeParams, consumes: ['multipart/form-data'], response: { 201: s.AttachmentSchema, ...errorResponses(400, 404, 413, 415) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const { ticket } = await service.openTicket(db, actor, request.params.code, 'write_note');
    if (!request.isMultipart()) throw errors.attachmentMissing();
    const file = await request.file({ limits: { fileSize: config.maxAttachmentBytes, files: 1 } });
    if (!file) throw errors.attachmentMissing();
    const filename = safeFilename(file.filename);
    const contentType = allowedContentType(filename);
    if (!contentType) {
      file.file.resume();
      throw errors.attachmentTypeNotAllowed({ type: filename.split('.').pop() ?? '?' });
    }
    let stored: Awaited<ReturnType<typeof storeStream>>;
    try {
      stored = await storeStream(storageRoot, file.file, config.maxAttachmentBytes);
    } catch (err) {
      if (err instanceof FileTooLargeError || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw errors.attachmentTooLarge({ maxBytes: config.maxAttachmentBytes });
      throw err;
    }
    if (file.file.truncated) {
      await removeStored(storageRoot, stored.storageKey);
      throw errors.attachmentTooLarge({ maxBytes: config.maxAttachmentBytes });
    }
    if (!contentMatches(contentType, stored.head)) {
      await removeStored(storageRoot, stored.storageKey);
      throw errors.attachmentTypeNotAllowed({ type: contentType, mismatch: true });
    }
    const attachment = await db.transaction().execute(async (trx) => {
      // Only writers of the ticket may attach; checked again under the transaction.
      await service.openTicket(trx, actor, ticket.code, 'write_note');
      return repo.insertAttachment(trx, { ticketId: ticket.id, filename, contentType, size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey, uploadedBy: actor.userId });
    });
    return reply.status(201).send(presentAttachment(attachment));
  });

  app.get('/api/v1/tickets/:code/attachments/:id', {
    config: { access: access.permission('tickets:read') },
    schema: { ...tags, summary: 'Scarica un allegato', params: Type.Object({ code: s.CodeParams.properties.code, id: Type.String({ format: 'uuid' }) }) },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const { ticket, access } = await service.openTicket(db, actor, request.params.code);
    const attachment = await repo.findAttachment(db, ticket.id, request.params.id, { organisationId: access.organisationId, userId: actor.userId });
    if (!attachment) throw errors.attachmentNotFound();
    reply
      .header('content-type', attachment.contentType)
      .header('content-length', String(attachment.size))
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    return reply.send(openStored(storageRoot, attachment.storageKey));
  });
}
