/**
 * Public surface of the citizen-channels module (issue 15): the portal's request form and tracking
 * page, delivery of replies to the citizen by e-mail/PEC, e-mail and PEC intake with its quarantine,
 * and the citizen's rating. The tables `citizen_links`, `citizen_deliveries`, `ticket_ratings`,
 * `mailboxes`, `inbound_mail`, `portal_challenges` and `request_fields` belong to this module.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { removeStored } from '../../platform/file-storage.js';
import type { Trx } from '../../platform/http.js';
import type { Mailer } from '../../platform/mailer.js';
import type { FaqSearchEngine } from '../knowledge/index.js';
import * as repo from './citizen.repository.js';
import { registerCitizenRoutes } from './citizen.routes.js';
import { deliveryJobs, registerDeliveryHandlers } from './delivery.js';
import { IMAP_MAILBOX_JOB, pollMailbox, queueImapPoll } from './imap-intake.js';
import { type IntakeOptions, quarantineRoot } from './mail-intake.service.js';
import { registerPortalRoutes } from './portal.routes.js';
import { type SmtpIntake, startSmtpIntake } from './smtp-intake.js';

export { citizenErrors } from './citizen.errors.js';
export { DELIVER_JOB, runDelivery } from './delivery.js';
export { type ImapPollResult, pollMailbox } from './imap-intake.js';
export { findMailboxFor, ingestMail, type IntakeOptions, type IntakeResult, mailboxAddress } from './mail-intake.service.js';
export { composeCitizenMail, deliveryIdOf, deliveryMessageId } from './outgoing-message.js';
export { solveChallenge } from './proof-of-work.js';
export { startSmtpIntake, type SmtpIntake } from './smtp-intake.js';

/** How long the intake keeps quarantined messages and senders (then the purge job removes them). */
export const INBOUND_KEEP_DAYS = 30;

/** Rating comments and inbound senders of tickets whose personal data is purged (called by the privacy module, in its transaction). */
export function purgeCitizenChannelData(trx: Trx, ticketIds: readonly string[]): Promise<number> {
  return repo.purgeOfTickets(trx, ticketIds);
}

/** The value of our loop header: derived from the secret, the same on every instance. */
export const loopHeaderValue = (secret: string) => createHmac('sha256', `loop:${secret}`).digest('hex').slice(0, 24);

const smtpListeners = new WeakMap<FastifyInstance, SmtpIntake>();

/** The port the app's SMTP intake listens on (tests, tools), once the app is ready; null when it has none. */
export function smtpIntakePort(app: FastifyInstance): number | null {
  return smtpListeners.get(app)?.port ?? null;
}

/** Removes quarantined raw messages and senders older than INBOUND_KEEP_DAYS, and spent proof-of-work challenges. */
export async function purgeInbound(db: Database, dataDir: string, now: Date): Promise<{ quarantined: number; senders: number; challenges: number }> {
  const before = new Date(now.getTime() - INBOUND_KEEP_DAYS * 86_400_000);
  let quarantined = 0;
  for (;;) {
    const batch = await repo.expiredQuarantine(db, before, 200);
    if (batch.length === 0) break;
    for (const r of batch) if (r.storageKey) await removeStored(quarantineRoot(dataDir), r.storageKey);
    await repo.forgetQuarantined(db, batch.map((r) => r.id), now);
    quarantined += batch.length;
    if (batch.length < 200) break;
  }
  const senders = await repo.forgetOldSenders(db, before);
  const challenges = await repo.forgetSpentChallenges(db, new Date(now.getTime() - 86_400_000));
  return { quarantined, senders, challenges };
}

/**
 * Registers the citizen channels: portal and staff routes, the delivery handlers and jobs, the purge
 * job and, when MAIL_INTAKE_PORT is set, the SMTP intake listener (started with the app, closed with it).
 */
export function registerCitizenChannels(app: FastifyInstance, ctx: AppContext, faqSearch: FaqSearchEngine, mailer: Mailer | null): void {
  const { config, db, jobs } = ctx;
  const loopValue = loopHeaderValue(config.secret);
  const intake: IntakeOptions = { secret: config.secret, dataDir: config.dataDir, mailFrom: config.mailFrom, loopValue, maxAttachmentBytes: config.maxAttachmentBytes };
  registerPortalRoutes(app, ctx, faqSearch);
  registerCitizenRoutes(app, ctx, intake);
  registerDeliveryHandlers(ctx.events, db, jobs);
  for (const job of deliveryJobs(db, { secret: config.secret, baseUrl: config.baseUrl, mailFrom: config.mailFrom, loopValue, mailer })) jobs.define(job);
  jobs.define({
    name: 'citizen.purge',
    schedule: '40 3 * * *',
    timeZone: 'Europe/Rome',
    handler: async () => {
      const r = await purgeInbound(db, config.dataDir, new Date());
      if (r.quarantined + r.senders > 0) ctx.log.info(r, 'citizen channels: old quarantined mail and senders purged');
    },
  });
  // IMAP polling: every minute one job per mailbox fetched by IMAP (at most one queued and one
  // running per mailbox), so the mailboxes of a large network are polled by all instances.
  jobs.define({
    name: 'citizen.imap-poll',
    schedule: '* * * * *',
    handler: async () => {
      for (const mailboxId of await repo.imapMailboxIds(db)) await queueImapPoll(jobs, mailboxId);
    },
  });
  jobs.define<{ mailboxId: string }>({
    name: IMAP_MAILBOX_JOB,
    policy: 'stately',
    retry: { limit: 0, delaySeconds: 60 },
    handler: async ({ mailboxId }) => {
      const r = await pollMailbox(db, { ...intake, maxBytes: config.mailIntakeMaxBytes }, mailboxId);
      if (r?.error) ctx.log.warn({ mailboxId, error: r.error }, 'mail intake: IMAP poll failed (tried again at the next poll)');
      else if (r && r.taken > 0) ctx.log.info({ mailboxId, ...r }, 'mail intake: IMAP messages taken');
    },
  });
  if (config.mailIntakePort !== null) {
    const port = config.mailIntakePort;
    app.addHook('onReady', async () => {
      const listener = await startSmtpIntake(db, {
        ...intake, host: config.mailIntakeHost, port, maxBytes: config.mailIntakeMaxBytes, tls: config.mailIntakeTls,
        onError: (err) => ctx.log.warn({ err }, 'mail intake: message not taken (the sender will retry)'),
      });
      smtpListeners.set(app, listener);
      ctx.log.info({ port: listener.port }, 'mail intake listening');
    });
    app.addHook('onClose', async () => {
      await smtpListeners.get(app)?.close();
    });
  }
}
