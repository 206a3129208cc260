import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../../platform/actor.js';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { removeStored } from '../../platform/file-storage.js';
import { access, canManageOffice, canManageOrganisation } from '../../platform/policy.js';
import { errorResponses, IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import * as identity from '../identity/index.js';
import { currentTaxonomy } from '../taxonomy/index.js';
import * as tickets from '../tickets/index.js';
import { citizenErrors as errors } from './citizen.errors.js';
import * as repo from './citizen.repository.js';
import { type IntakeOptions, ingestMail, quarantineRoot } from './mail-intake.service.js';
import { queueImapPoll, sealIncoming } from './imap-intake.js';
import { sealOutgoing } from './mailbox-outgoing.js';

const DeliverySchema = Type.Object({
  id: Uuid, messageId: Nullable(Uuid), kind: StringEnum(['reply', 'acknowledgement', 'rating_request'] as const), channel: StringEnum(['email', 'pec'] as const),
  status: StringEnum(['queued', 'sent', 'delivered', 'bounced', 'failed', 'no_contact'] as const), attempts: Type.Integer(), lastError: Nullable(Type.String()),
  createdAt: IsoDateTime, updatedAt: IsoDateTime,
});
const MailboxSchema = Type.Object({
  id: Uuid, officeId: Uuid, address: Type.String(), kind: StringEnum(['email', 'pec'] as const), createdAt: IsoDateTime,
  outgoing: Nullable(Type.String({ description: "Il server di invio proprio della casella (protocollo, utente, server e porta; mai la password); null: il server della rete" })),
  incoming: Nullable(Type.String({ description: 'Il server IMAP da cui la posta della casella viene letta ogni minuto (protocollo, utente, server, porta e cartella; mai la password); null: la posta arriva per SMTP' })),
  imap: Nullable(Type.Object({
    polledAt: Nullable(IsoDateTime), error: Nullable(Type.String({ description: "Perché l'ultima lettura non è riuscita; null: è riuscita" })),
    lastUid: Type.Integer({ description: "L'UID dell'ultimo messaggio preso dalla cartella" }),
  })),
});
const IncomingUrl = Type.String({ minLength: 8, maxLength: 500, description: 'imaps://utente:password@server:porta/cartella, o imap:// (STARTTLS); cartella predefinita INBOX' });
const OutgoingUrl = Type.String({ minLength: 8, maxLength: 500, description: 'smtps://utente:password@server:porta, o smtp:// (STARTTLS)' });
const QuarantinedSchema = Type.Object({
  id: Uuid, mailboxId: Uuid, mailbox: Type.String(), receivedAt: IsoDateTime, reason: Nullable(Type.String()), sender: Nullable(Type.String()), subject: Nullable(Type.String()), size: Type.Integer(),
  kept: Type.Boolean({ description: "false: il messaggio non è stato scaricato (oltre il limite, letto per IMAP) e resta sul server di posta: non si scarica né si rilascia da qui" }),
});
const FieldSchema = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,59}$' }),
  label: Type.Object({ it: Type.String({ minLength: 1, maxLength: 200 }), en: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
  type: StringEnum(['text', 'textarea', 'date', 'number', 'select'] as const),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.Object({ value: Type.String({ minLength: 1, maxLength: 100 }), label: Type.Object({ it: Type.String({ minLength: 1, maxLength: 200 }), en: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }) }, { additionalProperties: false }), { maxItems: 50 })),
}, { additionalProperties: false });

const presentMailbox = (m: repo.Mailbox) => ({
  id: m.id, officeId: m.officeId, address: m.address, kind: m.kind, createdAt: m.createdAt.toISOString(), outgoing: m.outgoingLabel, incoming: m.incomingLabel,
  imap: m.incomingLabel ? { polledAt: m.imap.polledAt?.toISOString() ?? null, error: m.imap.error, lastUid: m.imap.lastUid } : null,
});

/**
 * Staff routes of the citizen channels: how replies reached the citizen (per ticket), the offices'
 * mailboxes, the mail quarantine and the extra fields an office asks for per topic on the portal.
 */
export function registerCitizenRoutes(root: FastifyInstance, ctx: AppContext, intake: IntakeOptions): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;

  async function managedOffice(actor: Actor, officeId: string): Promise<identity.Office> {
    const office = await identity.findOffice(db, officeId);
    if (!office || !canManageOffice(actor, office)) throw errors.officeNotManaged({ officeId });
    return office;
  }

  /** The mailboxes of the offices the actor manages. */
  async function managedMailboxes(actor: Actor): Promise<repo.Mailbox[]> {
    const all = await repo.listMailboxes(db);
    const offices = new Map<string, identity.Office | null>();
    const out: repo.Mailbox[] = [];
    for (const m of all) {
      if (!offices.has(m.officeId)) offices.set(m.officeId, await identity.findOffice(db, m.officeId));
      const office = offices.get(m.officeId);
      if (office && canManageOffice(actor, office)) out.push(m);
    }
    return out;
  }

  async function quarantined(actor: Actor, id: string) {
    const record = await repo.findInbound(db, id);
    const mailbox = record ? await repo.findMailbox(db, record.mailboxId) : null;
    const office = mailbox ? await identity.findOffice(db, mailbox.officeId) : null;
    if (!record || record.outcome !== 'quarantined' || !mailbox || !office || !canManageOffice(actor, office)) throw errors.quarantineNotFound({ id });
    return { record, mailbox };
  }

  app.get('/api/v1/tickets/:code/citizen-contact', {
    config: { access: access.permission('tickets:read') },
    schema: {
      tags: ['tickets'], summary: 'Come le risposte raggiungono il cittadino: recapiti, consegne, ricevute PEC e valutazione', params: tickets.CodeParams,
      response: {
        200: Type.Object({
          hasContact: Type.Boolean(), replyChannel: Nullable(StringEnum(['email', 'pec'] as const)), tracking: Type.Boolean(),
          deliveries: Type.Array(DeliverySchema),
          rating: Nullable(Type.Object({ score: Type.Integer(), comment: Nullable(Type.String()), via: StringEnum(['portal', 'email'] as const), ratedAt: IsoDateTime })),
          consent: Nullable(Type.Object({ notice: Type.String({ description: "L'indirizzo dell'informativa accettata, o `network` per quella della rete (/privacy)" }), at: IsoDateTime })),
        }),
        ...errorResponses(400, 404),
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { ticket } = await tickets.openTicket(db, actor, request.params.code);
    const full = await tickets.findTicketById(db, ticket.id);
    const [link, deliveries, rating] = await Promise.all([repo.findLink(db, ticket.id), repo.listDeliveries(db, ticket.id), repo.findRating(db, ticket.id)]);
    return {
      hasContact: !!full?.requester?.email, replyChannel: link?.replyChannel ?? (full?.requester?.email ? 'email' : null), tracking: link !== null,
      deliveries: deliveries.map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() })),
      rating: rating ? { ...rating, ratedAt: rating.ratedAt.toISOString() } : null,
      consent: link?.consentNotice ? { notice: link.consentNotice, at: link.createdAt.toISOString() } : null,
    };
  });

  app.get('/api/v1/mailboxes', {
    config: { access: access.authenticated },
    schema: { tags: ['mail'], summary: 'Le caselle e-mail e PEC degli uffici che amministri', response: { 200: Type.Object({ items: Type.Array(MailboxSchema) }), ...errorResponses(401) } },
  }, async (request) => ({ items: (await managedMailboxes(requireActor(request))).map(presentMailbox) }));

  app.post('/api/v1/offices/:officeId/mailboxes', {
    config: { access: access.authenticated },
    schema: {
      tags: ['mail'], summary: "Aggiunge una casella e-mail o PEC dell'ufficio (la posta ricevuta diventa ticket)", params: Type.Object({ officeId: Uuid }),
      body: Type.Object({ address: Type.String({ format: 'email', maxLength: 254 }), kind: StringEnum(['email', 'pec'] as const), outgoingSmtpUrl: Type.Optional(OutgoingUrl), incomingImapUrl: Type.Optional(IncomingUrl) }, { additionalProperties: false }),
      response: { 201: MailboxSchema, ...errorResponses(400, 403, 409) },
    },
  }, async (request, reply) => {
    const office = await managedOffice(requireActor(request), request.params.officeId);
    const address = request.body.address.trim().toLowerCase();
    const outgoing = request.body.outgoingSmtpUrl ? sealOutgoing(ctx.config.secret, request.body.outgoingSmtpUrl) : null;
    if (request.body.outgoingSmtpUrl && !outgoing) throw errors.outgoingSmtpInvalid();
    const incoming = request.body.incomingImapUrl ? sealIncoming(ctx.config.secret, request.body.incomingImapUrl) : null;
    if (request.body.incomingImapUrl && !incoming) throw errors.incomingImapInvalid();
    const m = await repo.insertMailbox(db, { officeId: office.id, address, kind: request.body.kind, outgoing, incoming, now: new Date() });
    if (!m) throw errors.mailboxTaken({ address });
    if (incoming) await queueImapPoll(ctx.jobs, m.id);
    return reply.status(201).send(presentMailbox(m));
  });

  /** An active mailbox of an office the actor manages. */
  async function managedMailbox(actor: Actor, id: string): Promise<repo.Mailbox> {
    const m = await repo.findMailbox(db, id);
    const office = m?.active ? await identity.findOffice(db, m.officeId) : null;
    if (!m || !office || !canManageOffice(actor, office)) throw errors.mailboxNotFound({ id });
    return m;
  }

  /**
   * A mailbox's own servers: where its replies leave through (SMTP) and where its mail is read from
   * (IMAP). The same pair of routes each: set (the URL, password included, is sealed) and clear.
   */
  const servers = [
    {
      side: 'outgoing', url: OutgoingUrl, seal: sealOutgoing, invalid: errors.outgoingSmtpInvalid, store: repo.setMailboxOutgoing, afterSet: async (_id: string) => undefined,
      setSummary: 'Imposta il server di invio proprio della casella (per la PEC: il server SMTP del gestore, con le credenziali della casella)',
      clearSummary: 'Le risposte della casella tornano a partire dal server della rete',
    },
    {
      side: 'incoming', url: IncomingUrl, seal: sealIncoming, invalid: errors.incomingImapInvalid, store: repo.setMailboxIncoming,
      // A first read at once, instead of at the next minute.
      afterSet: async (id: string) => void (await queueImapPoll(ctx.jobs, id)),
      setSummary: 'Imposta il server IMAP da cui leggere la posta della casella (ogni minuto; i messaggi presi restano sul server, segnati come letti)',
      clearSummary: 'Smette di leggere la casella per IMAP (la posta può arrivare per SMTP)',
    },
  ] as const;
  for (const server of servers) {
    app.put(`/api/v1/mailboxes/:id/${server.side}`, {
      config: { access: access.authenticated },
      schema: {
        tags: ['mail'], summary: server.setSummary, params: Type.Object({ id: Uuid }),
        body: Type.Object({ url: server.url }, { additionalProperties: false }), response: { 200: MailboxSchema, ...errorResponses(400, 403, 404) },
      },
    }, async (request) => {
      const m = await managedMailbox(requireActor(request), request.params.id);
      const sealed = server.seal(ctx.config.secret, request.body.url);
      if (!sealed) throw server.invalid();
      const updated = await server.store(db, m.id, sealed);
      if (!updated) throw errors.mailboxNotFound({ id: m.id });
      await server.afterSet(m.id);
      return presentMailbox(updated);
    });

    app.delete(`/api/v1/mailboxes/:id/${server.side}`, {
      config: { access: access.authenticated },
      schema: { tags: ['mail'], summary: server.clearSummary, params: Type.Object({ id: Uuid }), response: { 200: MailboxSchema, ...errorResponses(403, 404) } },
    }, async (request) => {
      const m = await managedMailbox(requireActor(request), request.params.id);
      const updated = await server.store(db, m.id, null);
      if (!updated) throw errors.mailboxNotFound({ id: m.id });
      return presentMailbox(updated);
    });
  }

  app.post('/api/v1/mailboxes/:id/poll', {
    config: { access: access.authenticated },
    schema: {
      tags: ['mail'], summary: 'Legge subito la casella dal suo server IMAP, senza attendere il prossimo minuto', params: Type.Object({ id: Uuid }),
      response: { 202: Type.Object({ queued: Type.Boolean({ description: 'false: una lettura della casella è già in attesa' }) }), ...errorResponses(403, 404, 409) },
    },
  }, async (request, reply) => {
    const m = await managedMailbox(requireActor(request), request.params.id);
    if (!m.incomingSealed) throw errors.incomingMissing({ address: m.address });
    return reply.status(202).send({ queued: await queueImapPoll(ctx.jobs, m.id) });
  });

  app.delete('/api/v1/mailboxes/:id', {
    config: { access: access.authenticated },
    schema: { tags: ['mail'], summary: 'Dismette una casella (la posta per essa sarà rifiutata)', params: Type.Object({ id: Uuid }), response: { ...errorResponses(403, 404) } },
  }, async (request, reply) => {
    const m = await managedMailbox(requireActor(request), request.params.id);
    await repo.retireMailbox(db, m.id);
    return reply.status(204).send();
  });

  app.get('/api/v1/mail/quarantine', {
    config: { access: access.authenticated },
    schema: { tags: ['mail'], summary: 'Messaggi in quarantena (risposte automatiche, cicli, rimbalzi non associati, MIME illeggibile)', response: { 200: Type.Object({ items: Type.Array(QuarantinedSchema) }), ...errorResponses(401) } },
  }, async (request) => {
    const mailboxes = await managedMailboxes(requireActor(request));
    const byId = new Map(mailboxes.map((m) => [m.id, m.address]));
    const items = await repo.listQuarantine(db, [...byId.keys()], 500);
    return { items: items.map((r) => ({ id: r.id, mailboxId: r.mailboxId, mailbox: byId.get(r.mailboxId) ?? '', receivedAt: r.receivedAt.toISOString(), reason: r.reason, sender: r.sender, subject: r.subject, size: r.size, kept: r.storageKey !== null })) };
  });

  app.get('/api/v1/mail/quarantine/:id/raw', {
    config: { access: access.authenticated },
    schema: { tags: ['mail'], summary: 'Il messaggio originale in quarantena (.eml)', params: Type.Object({ id: Uuid }), response: errorResponses(404, 409) },
  }, async (request, reply) => {
    const { record } = await quarantined(requireActor(request), request.params.id);
    if (!record.storageKey) throw errors.quarantineNotKept({ id: record.id });
    const raw = await readFile(path.join(quarantineRoot(intake.dataDir), record.storageKey));
    reply.header('content-type', 'message/rfc822').header('content-disposition', `attachment; filename="messaggio-${record.id}.eml"`).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store');
    return reply.send(raw);
  });

  app.post('/api/v1/mail/quarantine/:id/release', {
    config: { access: access.authenticated },
    schema: {
      tags: ['mail'], summary: 'Rilascia un messaggio dalla quarantena: diventa un ticket, o si aggiunge al ticket indicato', params: Type.Object({ id: Uuid }),
      body: Type.Object({ ticketCode: Type.Optional(Type.String({ minLength: 9, maxLength: 20 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ outcome: StringEnum(['ticket_created', 'ticket_joined'] as const), ticketCode: Type.String() }), ...errorResponses(400, 404, 409) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { record, mailbox } = await quarantined(actor, request.params.id);
    if (!record.storageKey) throw errors.quarantineNotKept({ id: record.id });
    const raw = await readFile(path.join(quarantineRoot(intake.dataDir), record.storageKey));
    const code = request.body.ticketCode ? tickets.normalizeTicketCode(request.body.ticketCode) : undefined;
    if (request.body.ticketCode && !code) throw tickets.ticketErrors.malformedTicketCode({ ticketCode: request.body.ticketCode });
    const result = await ingestMail(db, intake, mailbox, raw, new Date(), { ticketCode: code ?? undefined });
    const now = new Date();
    await db.transaction().execute((trx) => repo.settleInbound(trx, record.id, { outcome: 'released', ticketId: result.ticketId, userId: actor.userId, now }));
    await removeStored(quarantineRoot(intake.dataDir), record.storageKey);
    return { outcome: result.outcome === 'ticket_joined' ? ('ticket_joined' as const) : ('ticket_created' as const), ticketCode: result.ticketCode ?? '' };
  });

  app.post('/api/v1/mail/quarantine/:id/dismiss', {
    config: { access: access.authenticated },
    schema: { tags: ['mail'], summary: 'Scarta un messaggio in quarantena (il file originale viene cancellato)', params: Type.Object({ id: Uuid }), response: { ...errorResponses(404) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const { record } = await quarantined(actor, request.params.id);
    await db.transaction().execute((trx) => repo.settleInbound(trx, record.id, { outcome: 'dismissed', ticketId: null, userId: actor.userId, now: new Date() }));
    if (record.storageKey) await removeStored(quarantineRoot(intake.dataDir), record.storageKey);
    return reply.status(204).send();
  });

  app.get('/api/v1/offices/:officeId/request-fields', {
    config: { access: access.authenticated },
    schema: { tags: ['portal'], summary: "I campi che l'ufficio chiede nel modulo del portale, per argomento", params: Type.Object({ officeId: Uuid }), response: { 200: Type.Object({ items: Type.Array(Type.Object({ topic: Type.String(), fields: Type.Array(FieldSchema) })) }), ...errorResponses(403) } },
  }, async (request) => {
    const office = await managedOffice(requireActor(request), request.params.officeId);
    return { items: await repo.listRequestFields(db, office.id) };
  });

  app.put('/api/v1/offices/:officeId/request-fields/:topic', {
    config: { access: access.authenticated },
    schema: {
      tags: ['portal'], summary: "Imposta i campi che l'ufficio chiede per un argomento (lista vuota: nessun campo)", params: Type.Object({ officeId: Uuid, topic: Type.String({ minLength: 1, maxLength: 200 }) }),
      body: Type.Object({ fields: Type.Array(FieldSchema, { maxItems: 20 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ topic: Type.String(), fields: Type.Array(FieldSchema) }), ...errorResponses(400, 403, 422) },
    },
  }, async (request) => {
    const office = await managedOffice(requireActor(request), request.params.officeId);
    const { topic } = request.params;
    const fields = request.body.fields;
    const keys = new Set<string>();
    for (const f of fields) {
      if (keys.has(f.key)) throw errors.duplicateField({ field: f.key });
      keys.add(f.key);
      if (f.type === 'select' && !(f.options && f.options.length > 0)) throw errors.selectNeedsOptions({ field: f.key });
    }
    if (!(await currentTaxonomy(db)).nodes.has(`tema:${topic}`)) throw errors.unknownTopic({ topic });
    if (fields.length === 0) await repo.deleteRequestFields(db, office.id, topic);
    else await repo.upsertRequestFields(db, office.id, topic, fields, new Date());
    return { topic, fields };
  });

  // ---------------------------------------------------------------- privacy notices

  const PrivacyNoticeSchema = Type.Object({ organisationId: Uuid, organisation: Type.String(), url: Nullable(Type.String()), dpoEmail: Nullable(Type.String()), updatedAt: Nullable(IsoDateTime) });

  app.get('/api/v1/privacy-notices', {
    config: { access: access.authenticated },
    schema: {
      tags: ['portal'], summary: "L'informativa privacy che il portale mostra per ogni ente che amministri (url null: quella della rete)",
      response: { 200: Type.Object({ items: Type.Array(PrivacyNoticeSchema) }), ...errorResponses(401) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const managed = (await identity.listOrganisations(db)).filter((o) => o.active && canManageOrganisation(actor, o.id));
    const notices = await repo.findPrivacyNotices(db, managed.map((o) => o.id));
    return {
      items: managed.map((o) => {
        const n = notices.get(o.id);
        return { organisationId: o.id, organisation: o.name, url: n?.url ?? null, dpoEmail: n?.dpoEmail ?? null, updatedAt: n ? n.updatedAt.toISOString() : null };
      }),
    };
  });

  app.put('/api/v1/organisations/:id/privacy-notice', {
    config: { access: access.authenticated },
    schema: {
      tags: ['portal'], summary: "Imposta l'informativa privacy dell'ente, a cui il cittadino acconsente sul portale", params: Type.Object({ id: Uuid }),
      body: Type.Object({ url: Type.String({ minLength: 10, maxLength: 500 }), dpoEmail: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))) }, { additionalProperties: false }),
      response: { 200: PrivacyNoticeSchema, ...errorResponses(400, 403, 404) },
    },
  }, async (request) => {
    const organisation = await managedOrganisation(requireActor(request), request.params.id);
    const url = request.body.url.trim();
    if (!isHttpsPage(url)) throw errors.privacyNoticeNotHttps({ url });
    const now = new Date();
    const dpoEmail = request.body.dpoEmail?.trim() || null;
    await repo.upsertPrivacyNotice(db, { organisationId: organisation.id, url, dpoEmail, now });
    return { organisationId: organisation.id, organisation: organisation.name, url, dpoEmail, updatedAt: now.toISOString() };
  });

  app.delete('/api/v1/organisations/:id/privacy-notice', {
    config: { access: access.authenticated },
    schema: { tags: ['portal'], summary: "Torna all'informativa della rete per l'ente", params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errorResponses(403, 404) } },
  }, async (request, reply) => {
    const organisation = await managedOrganisation(requireActor(request), request.params.id);
    await repo.deletePrivacyNotice(db, organisation.id);
    return reply.code(204).send(null);
  });

  async function managedOrganisation(actor: Actor, organisationId: string): Promise<{ id: string; name: string }> {
    const organisation = await identity.findOrganisation(db, organisationId);
    if (!organisation || !canManageOrganisation(actor, organisation.id)) throw errors.organisationNotManaged({ organisationId });
    return organisation;
  }
}

/** An absolute https:// address of a web page, with a host that has a dot (no intranet names). */
export function isHttpsPage(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.') && !url.username && !url.password;
  } catch {
    return false;
  }
}
