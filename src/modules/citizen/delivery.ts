import type { Database } from '../../db/database.js';
import type { DeliveryKindColumn } from '../../db/tables/citizen.js';
import type { OutboxDispatcher } from '../../platform/events.js';
import type { JobDefinition, JobRunner } from '../../platform/jobs/index.js';
import type { Mailer } from '../../platform/mailer.js';
import * as identity from '../identity/index.js';
import * as tickets from '../tickets/index.js';
import * as repo from './citizen.repository.js';
import { OutgoingServerSealedError, transportFor } from './mailbox-outgoing.js';
import { composeCitizenMail, domainOf } from './outgoing-message.js';
import { newTokenSeed, trackingToken } from './tracking-token.js';

/**
 * Delivery to the citizen. Events queue a delivery row (in the handler, so at least once) and a job
 * per delivery sends it; the job retries with backoff and, retries exhausted, marks it failed. The
 * operator reads each delivery's status on the ticket (queued, sent, delivered on a PEC consegna,
 * bounced on a DSN, failed, or no_contact when the requester left no address).
 */

export const DELIVER_JOB = 'citizen.deliver';
export const DELIVERY_FAILED_JOB = 'citizen.delivery-failed';
/** Retries after the first attempt: 1, 2, 4, 8, 16, 32 minutes. */
export const DELIVERY_RETRIES = 6;

export interface DeliveryOptions {
  secret: string;
  baseUrl: string;
  mailFrom: string;
  /** Our loop header's value: every message we send carries it; the intake quarantines mail that does. */
  loopValue: string;
  /** The process's one outgoing transport (null: e-mail not configured). */
  mailer: Mailer | null;
}

async function queue(db: Database, jobs: Pick<JobRunner, 'send'>, ticket: tickets.Ticket, kind: DeliveryKindColumn, messageId: string | null): Promise<void> {
  const link = await repo.findLink(db, ticket.id);
  const channel = link?.replyChannel ?? 'email';
  const hasAddress = !!ticket.requester?.email;
  const id = await repo.insertDelivery(db, { ticketId: ticket.id, messageId, kind, channel, status: hasAddress ? 'queued' : 'no_contact', now: new Date() });
  if (id && hasAddress) await jobs.send(DELIVER_JOB, { deliveryId: id });
}

export function registerDeliveryHandlers(events: OutboxDispatcher, db: Database, jobs: Pick<JobRunner, 'send'>): void {
  events.on('ticket.reply_added', 'onReplyAdded_deliverToCitizen', async (event) => {
    const ticket = await tickets.findTicketById(db, event.payload.ticketId);
    if (!ticket) return;
    await queue(db, jobs, ticket, 'reply', event.payload.messageId);
  });
  events.on('ticket.created', 'onTicketCreated_acknowledgeCitizen', async (event) => {
    if (event.payload.actorId !== null) return;
    const ticket = await tickets.findTicketById(db, event.payload.ticketId);
    if (!ticket || !tickets.SELF_SERVICE_CHANNELS.has(ticket.channel)) return;
    if ((await repo.listDeliveries(db, ticket.id)).some((d) => d.kind === 'acknowledgement')) return;
    await queue(db, jobs, ticket, 'acknowledgement', null);
  });
  events.on('ticket.resolved', 'onTicketResolved_askCitizenRating', async (event) => {
    const ticket = await tickets.findTicketById(db, event.payload.ticketId);
    if (!ticket?.resolvedAt || !ticket.requester?.email || (await repo.findRating(db, ticket.id))) return;
    const resolvedAt = ticket.resolvedAt.getTime();
    if ((await repo.listDeliveries(db, ticket.id)).some((d) => d.kind === 'rating_request' && d.createdAt.getTime() >= resolvedAt)) return;
    await queue(db, jobs, ticket, 'rating_request', null);
  });
}

/** Sends one delivery. Idempotent: a delivery that is no longer queued is left alone. */
export async function runDelivery(db: Database, options: DeliveryOptions, deliveryId: string, attempt: number): Promise<'sent' | 'skipped' | 'no_contact' | 'failed'> {
  const d = await repo.findDelivery(db, deliveryId);
  if (!d || d.status !== 'queued') return 'skipped';
  const now = () => new Date();
  const ticket = await tickets.findTicketById(db, d.ticketId);
  const address = ticket?.requester?.email ?? null;
  if (!ticket || !address) {
    await repo.updateDelivery(db, d.id, { status: 'no_contact', from: ['queued'] }, now());
    return 'no_contact';
  }
  try {
    const link = (await repo.findLink(db, ticket.id)) ?? (await newLink(db, options.secret, ticket.id));
    const mailbox = (await repo.mailboxOfOffice(db, ticket.officeId, link.replyChannel)) ?? (await repo.mailboxOfOffice(db, ticket.officeId, 'email'));
    // The mailbox's own server (a PEC provider's) when it has one, else the network's relay.
    const mailer = transportFor(options.secret, mailbox, options.mailer, options.mailFrom);
    if (!mailer) {
      await repo.updateDelivery(db, d.id, { status: 'failed', lastError: 'Invio e-mail non configurato (SMTP_URL assente)', attempt: true, from: ['queued'] }, now());
      return 'failed';
    }
    const office = await identity.findOffice(db, ticket.officeId);
    const thread = await tickets.listMessages(db, ticket.id, null);
    const body = d.messageId ? (thread.find((m) => m.id === d.messageId)?.body ?? '') : undefined;
    const { token } = trackingToken(options.secret, link.tokenSeed);
    const mail = composeCitizenMail({
      kind: d.kind, lang: link.lang, deliveryId: d.id, domain: domainOf(options.mailFrom), loopValue: options.loopValue,
      code: ticket.code, subject: ticket.subject, ...(body !== undefined ? { body } : {}),
      office: { name: ticket.officeName, organisation: ticket.organisationName, phone: office?.phone ?? null, email: office?.email ?? null },
      trackingUrl: `${options.baseUrl.replace(/\/$/, '')}/segui#${token}`,
      replyTo: mailbox?.address ?? null,
      references: await repo.inboundMessageIds(db, ticket.id),
    });
    await mailer.send({
      to: address, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId, headers: mail.headers,
      ...(mailbox ? { from: `${ticket.officeName} <${mailbox.address}>`, replyTo: mailbox.address } : {}),
    });
    await repo.updateDelivery(db, d.id, { status: 'sent', lastError: null, attempt: true, from: ['queued'] }, now());
    return 'sent';
  } catch (err) {
    const message = err instanceof Error ? err.message.slice(0, 500) : String(err);
    const last = attempt > DELIVERY_RETRIES || err instanceof OutgoingServerSealedError;
    await repo.updateDelivery(db, d.id, { status: last ? 'failed' : 'queued', lastError: message, attempt: true, from: ['queued'] }, now());
    if (last) return 'failed';
    throw err;
  }
}

async function newLink(db: Database, secret: string, ticketId: string): Promise<repo.CitizenLink> {
  const seed = newTokenSeed();
  return repo.ensureLink(db, { ticketId, tokenHash: trackingToken(secret, seed).hash, tokenSeed: seed, replyChannel: 'email', lang: 'it', now: new Date() });
}

export function deliveryJobs(db: Database, options: DeliveryOptions): JobDefinition<{ deliveryId: string }>[] {
  return [
    {
      name: DELIVER_JOB,
      policy: 'standard',
      retry: { limit: DELIVERY_RETRIES, delaySeconds: 60, backoff: true },
      expireInSeconds: 120,
      deadLetter: DELIVERY_FAILED_JOB,
      handler: async (data, run) => {
        await runDelivery(db, options, data.deliveryId, run.attempt);
      },
    },
    {
      name: DELIVERY_FAILED_JOB,
      policy: 'standard',
      handler: async (data) => {
        await repo.updateDelivery(db, data.deliveryId, { status: 'failed', from: ['queued'] }, new Date());
      },
    },
  ];
}
