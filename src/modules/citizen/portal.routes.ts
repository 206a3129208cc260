import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { allowedContentType, attachmentsRoot, contentMatches, FileTooLargeError, openStored, removeStored, safeFilename, storeStream } from '../../platform/file-storage.js';
import { access } from '../../platform/policy.js';
import { errorResponses, IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { type FaqSearchEngine, recordPortalEvent } from '../knowledge/index.js';
import * as tickets from '../tickets/index.js';
import { citizenErrors as errors } from './citizen.errors.js';
import * as service from './portal.service.js';
import { refusedContent } from './attachment-policy.js';
import { issueChallenge } from './proof-of-work.js';

const tags = { tags: ['portal'] };
const Lang = StringEnum(['it', 'en'] as const);
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });
const FileSchema = Type.Object({ id: Uuid, filename: Type.String(), size: Type.Integer(), contentType: Type.String() });
const Label = Type.Object({ it: Type.String(), en: Type.String() });

/**
 * The portal's citizen routes: the request form, filing, the tracking page, answers, attachments
 * and ratings. All public (the tracking token is the credential), rate-limited per client address.
 */
export function registerPortalRoutes(root: FastifyInstance, ctx: AppContext, faqSearch: FaqSearchEngine): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = ctx;
  const storageRoot = attachmentsRoot(config.dataDir);
  const trackingUrl = (token: string) => `${config.baseUrl.replace(/\/$/, '')}/segui#${token}`;

  app.get('/api/v1/portal/challenge', {
    config: { access: access.public, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { ...tags, summary: 'Sfida anti-abuso (proof of work) per il modulo di richiesta', response: { 200: Type.Object({ challenge: Type.String(), difficulty: Type.Integer(), expiresAt: IsoDateTime }), ...errorResponses(429) } },
  }, async (_request, reply) => {
    const c = issueChallenge(config.secret, new Date(), config.portalPowDifficulty);
    reply.header('cache-control', 'no-store');
    return { challenge: c.challenge, difficulty: c.difficulty, expiresAt: c.expiresAt.toISOString() };
  });

  app.get('/api/v1/portal/request-form', {
    config: { access: access.public, rateLimit: { max: 120, timeWindow: '1 minute' } },
    schema: {
      ...tags, summary: "Il modulo di richiesta: enti, argomenti, l'ufficio che la riceverà e i campi che chiede",
      querystring: Type.Object({ organisationId: Type.Optional(Uuid), place: Type.Optional(Type.String({ maxLength: 100 })), topic: Type.Optional(Type.String({ maxLength: 200 })), lang: Type.Optional(Lang) }),
      response: {
        200: Type.Object({
          organisations: Type.Array(Type.Object({ id: Uuid, name: Type.String(), privacyNoticeUrl: Nullable(Type.String({ description: "L'informativa privacy dell'ente; null: quella della rete (/privacy)" })) })),
          topics: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), parent: Nullable(Type.String()) })),
          office: Nullable(Type.Object({ id: Uuid, name: Type.String(), organisation: Type.String(), privacyNoticeUrl: Nullable(Type.String()) })),
          fields: Type.Array(Type.Object({
            key: Type.String(), label: Type.String(), type: StringEnum(['text', 'textarea', 'date', 'number', 'select'] as const), required: Type.Boolean(),
            options: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: Type.String() }))),
          })),
          maxAttachmentBytes: Type.Integer(), maxAttachments: Type.Integer(),
        }),
        ...errorResponses(400, 429),
      },
    },
  }, async (request) => {
    const q = request.query;
    const form = await service.requestForm(db, { organisationId: q.organisationId, place: q.place, topic: q.topic, lang: q.lang ?? 'it' });
    return { ...form, maxAttachmentBytes: config.maxAttachmentBytes, maxAttachments: service.MAX_CITIZEN_ATTACHMENTS };
  });

  const Filed = Type.Object({ code: Type.String(), trackingToken: Type.String(), trackingUrl: Type.String(), office: Type.Object({ name: Type.String(), organisation: Type.String() }) });
  app.post('/api/v1/portal/requests', {
    config: { access: access.public, rateLimit: { max: 10, timeWindow: '10 minutes' } },
    schema: {
      ...tags, summary: 'Invia una richiesta dal portale (diventa un ticket sul canale web)',
      body: Type.Object({
        organisationId: Type.Optional(Uuid),
        place: Type.Optional(Type.String({ maxLength: 100 })),
        topic: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        subject: Type.String({ minLength: 3, maxLength: 200 }),
        description: Type.String({ minLength: 10, maxLength: 10_000 }),
        fields: Type.Optional(Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 2000 }))),
        requester: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), email: Type.String({ minLength: 3, maxLength: 254 }), phone: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
        replyChannel: StringEnum(['email', 'pec'] as const),
        lang: Lang,
        consent: Type.Boolean(),
        website: Type.String({ maxLength: 200, description: 'Campo trappola: deve restare vuoto' }),
        challenge: Type.String({ maxLength: 200 }),
        nonce: Type.String({ maxLength: 64 }),
        submissionKey: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$', description: 'Chiave casuale del modulo: lo stesso invio ripetuto resta una richiesta' }),
        faqSessionId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' })),
      }, { additionalProperties: false }),
      response: { 200: Filed, 201: Filed, ...errorResponses(400, 422, 429) },
    },
  }, async (request, reply) => {
    const body = request.body;
    const now = new Date();
    const filed = await service.fileRequest(db, config.secret, body, now);
    // A request filed after reading the FAQ is the contact that the FAQ did not deflect.
    if (!filed.repeated && body.faqSessionId) {
      await recordPortalEvent(db, faqSearch, { sessionId: body.faqSessionId, kind: 'contact' }, now).catch((err: unknown) => request.log.warn({ err }, 'portal: contact event not recorded'));
    }
    return reply.status(filed.repeated ? 200 : 201).send({ code: filed.code, trackingToken: filed.trackingToken, trackingUrl: trackingUrl(filed.trackingToken), office: filed.office });
  });

  app.get('/api/v1/portal/track/:token', {
    config: { access: access.public, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      ...tags, summary: 'La richiesta vista dal cittadino con il suo link privato: stato, ufficio, conversazione pubblica', params: TokenParams,
      response: {
        200: Type.Object({
          code: Type.String(), subject: Type.String(), description: Type.String(), status: StringEnum(tickets.TICKET_STATUSES), statusLabel: Label,
          expected: StringEnum(['wait_office', 'answer_office', 'rate', 'none'] as const),
          handledBy: Type.Object({ name: Type.String(), organisation: Type.String(), phone: Nullable(Type.String()), email: Nullable(Type.String()), openNow: Type.Boolean() }),
          createdAt: IsoDateTime, updatedAt: IsoDateTime, resolvedAt: Nullable(IsoDateTime),
          canReply: Type.Boolean(), canRate: Type.Boolean(),
          rating: Nullable(Type.Object({ score: Type.Integer(), comment: Nullable(Type.String()), ratedAt: IsoDateTime })),
          attachments: Type.Array(FileSchema),
          messages: Type.Array(Type.Object({ id: Uuid, from: StringEnum(['office', 'citizen'] as const), office: Nullable(Type.String()), body: Type.String(), createdAt: IsoDateTime, attachments: Type.Array(FileSchema) })),
        }),
        ...errorResponses(404, 410, 429),
      },
    },
  }, async (request, reply) => {
    const v = await service.trackingView(db, request.params.token, new Date());
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return {
      ...v, statusLabel: tickets.STATUS_LABELS[v.status],
      createdAt: v.createdAt.toISOString(), updatedAt: v.updatedAt.toISOString(), resolvedAt: v.resolvedAt?.toISOString() ?? null,
      rating: v.rating ? { ...v.rating, ratedAt: v.rating.ratedAt.toISOString() } : null,
      messages: v.messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
    };
  });

  app.post('/api/v1/portal/track/:token/attachments', {
    config: { access: access.public, rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { ...tags, summary: 'Allega un file alla propria richiesta (multipart, campo «file»)', params: TokenParams, consumes: ['multipart/form-data'], response: { 201: FileSchema, ...errorResponses(400, 404, 409, 410, 413, 415, 422, 429) } },
  }, async (request, reply) => {
    const now = new Date();
    const { ticket } = await service.ticketOfToken(db, request.params.token, now);
    if (ticket.status === 'closed') throw errors.requestClosed();
    if ((await tickets.countCitizenAttachments(db, ticket.id)) >= service.MAX_CITIZEN_ATTACHMENTS) throw errors.tooManyAttachments({ max: service.MAX_CITIZEN_ATTACHMENTS });
    if (!request.isMultipart()) throw tickets.ticketErrors.attachmentMissing();
    const file = await request.file({ limits: { fileSize: config.maxAttachmentBytes, files: 1 } });
    if (!file) throw tickets.ticketErrors.attachmentMissing();
    const filename = safeFilename(file.filename);
    const contentType = allowedContentType(filename);
    if (!contentType || contentType === 'message/rfc822') {
      file.file.resume();
      throw errors.attachmentRefused({ filename });
    }
    const tooLarge = () => errors.attachmentTooLarge({ filename, maxMb: Math.round(config.maxAttachmentBytes / 1048576) });
    let stored: Awaited<ReturnType<typeof storeStream>>;
    try {
      stored = await storeStream(storageRoot, file.file, config.maxAttachmentBytes);
    } catch (err) {
      if (err instanceof FileTooLargeError || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw err;
    }
    if (file.file.truncated) {
      await removeStored(storageRoot, stored.storageKey);
      throw tooLarge();
    }
    if (!contentMatches(contentType, stored.head) || refusedContent(filename, stored.head)) {
      await removeStored(storageRoot, stored.storageKey);
      throw errors.attachmentRefused({ filename });
    }
    const a = await tickets.insertAttachment(db, { ticketId: ticket.id, filename, contentType, size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey, uploadedBy: null });
    return reply.status(201).send({ id: a.id, filename: a.filename, size: a.size, contentType: a.contentType });
  });

  app.get('/api/v1/portal/track/:token/attachments/:id', {
    config: { access: access.public, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { ...tags, summary: 'Scarica un allegato della propria richiesta', params: Type.Object({ token: TokenParams.properties.token, id: Uuid }), response: errorResponses(404, 410, 429) },
  }, async (request, reply) => {
    const { ticket } = await service.ticketOfToken(db, request.params.token, new Date());
    const a = await tickets.findCitizenAttachment(db, ticket.id, request.params.id);
    if (!a) throw tickets.ticketErrors.attachmentNotFound();
    reply
      .header('content-type', a.contentType)
      .header('content-length', String(a.size))
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'private, no-store');
    return reply.send(openStored(storageRoot, a.storageKey));
  });

  app.post('/api/v1/portal/track/:token/messages', {
    config: { access: access.public, rateLimit: { max: 20, timeWindow: '10 minutes' } },
    schema: {
      ...tags, summary: "Rispondi all'ufficio dalla pagina della richiesta", params: TokenParams,
      body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000 }), attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: service.MAX_CITIZEN_ATTACHMENTS, uniqueItems: true })) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Uuid }), ...errorResponses(400, 404, 409, 410, 422, 429) },
    },
  }, async (request, reply) => {
    const r = await service.replyFromPortal(db, request.params.token, request.body, new Date());
    return reply.status(201).send(r);
  });

  app.post('/api/v1/portal/track/:token/rating', {
    config: { access: access.public, rateLimit: { max: 10, timeWindow: '10 minutes' } },
    schema: {
      ...tags, summary: 'Valuta la risposta ricevuta (1-5 e un commento)', params: TokenParams,
      body: Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 201: Type.Object({ score: Type.Integer(), comment: Nullable(Type.String()), ratedAt: IsoDateTime }), ...errorResponses(400, 404, 409, 410, 429) },
    },
  }, async (request, reply) => {
    const r = await service.rateFromPortal(db, request.params.token, request.body, new Date());
    return reply.status(201).send({ ...r, ratedAt: r.ratedAt.toISOString() });
  });
}
