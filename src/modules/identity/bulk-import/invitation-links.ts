/**
 * Inviting imported people to set their password. An import commits the accounts and, in the same
 * transaction, queues a job (never sent inline: 30,000 e-mails do not belong in a request). The job
 * issues each person a one-time link (`issuePasswordToken`, valid FIRST_PASSWORD_LINK_HOURS) and
 * e-mails it when SMTP is configured; otherwise the link waits, sealed with a key derived from the
 * server secret, for an administrator to hand it over (`pendingInvitationLinks`). Only a hash of the
 * token opens anything (password_tokens); the sealed copy is useless without the server secret.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { Trx } from '../../../platform/http.js';
import type { JobDefinition, JobRunner } from '../../../platform/jobs/index.js';
import type { Mailer } from '../../../platform/mailer.js';
import { FIRST_PASSWORD_LINK_HOURS, issuePasswordToken } from '../network-setup.js';

export const INVITATION_JOB = 'identity.invitation-links';
/** People per job: a national import of 30,000 queues 30 jobs, each a few seconds of work. */
export const INVITATION_JOB_SIZE = 1000;

export interface InvitationJobData {
  userIds: string[];
}

const sealKey = (secret: string) => createHmac('sha256', secret).update('urpnet.invitation-links').digest();

/** AES-256-GCM with a key derived from the server secret: iv.tag.ciphertext, base64url. */
export function sealToken(secret: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret), iv);
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unsealToken(secret: string, sealed: string): string | null {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(secret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export const passwordLinkUrl = (baseUrl: string, token: string) => `${baseUrl}/imposta-password#${token}`;

/** Queues the invitations of newly created accounts in the caller's transaction: they exist only if it commits. */
export async function queueInvitations(trx: Trx, jobs: JobRunner, userIds: readonly string[]): Promise<number> {
  let queued = 0;
  for (let i = 0; i < userIds.length; i += INVITATION_JOB_SIZE) {
    await jobs.send<InvitationJobData>(INVITATION_JOB, { userIds: userIds.slice(i, i + INVITATION_JOB_SIZE) }, { trx });
    queued++;
  }
  return queued;
}

interface Invitee {
  id: string;
  email: string;
  name: string;
  locale: string;
  organisationId: string | null;
  organisationName: string | null;
}

/** Accounts of the job still waiting for a first password, with no live link yet. */
async function inviteesWithoutLink(db: Database | Trx, userIds: readonly string[], now: Date): Promise<Invitee[]> {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('organisations as o', 'o.id', 'u.home_organisation_id')
    .select(['u.id', 'u.email', 'u.name', 'u.locale', 'u.home_organisation_id', 'o.name as organisation_name'])
    .where(sql<boolean>`u.id = any(${sql.val(userIds)}::uuid[])`)
    .where('u.password_hash', 'is', null)
    .where('u.active', '=', true)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('invitation_links as l').select('l.id').whereRef('l.user_id', '=', 'u.id').where('l.expires_at', '>', now))))
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, locale: r.locale, organisationId: r.home_organisation_id, organisationName: r.organisation_name }));
}

function invitationText(invitee: Invitee, link: string, expiresAt: Date): { subject: string; text: string } {
  const where = invitee.organisationName ?? 'urpnet';
  if (invitee.locale === 'en') {
    return {
      subject: `urpnet — ${where}: set your password`,
      text: `Hello ${invitee.name},\n\nan account was created for you on urpnet, the shared platform of the URP network (${where}).\nSet your password within ${FIRST_PASSWORD_LINK_HOURS} hours (until ${expiresAt.toISOString()}) with this link, which works once:\n${link}\n`,
    };
  }
  return {
    subject: `urpnet — ${where}: imposta la tua password`,
    text: `Buongiorno ${invitee.name},\n\nè stato creato per te un account su urpnet, la piattaforma condivisa della rete degli URP (${where}).\nImposta la password entro ${FIRST_PASSWORD_LINK_HOURS} ore (fino al ${expiresAt.toISOString()}) da questo link, valido una sola volta:\n${link}\n`,
  };
}

/**
 * The job: issues the links still missing (idempotent: a retried job skips accounts that already
 * have a live link or a password), then e-mails those not yet mailed when a mailer is configured.
 */
export async function runInvitationJob(db: Database, options: { secret: string; baseUrl: string; mailer: Mailer | null; now?: () => Date }, data: InvitationJobData): Promise<{ issued: number; mailed: number }> {
  const now = options.now?.() ?? new Date();
  const issued = await db.transaction().execute(async (trx) => {
    const invitees = await inviteesWithoutLink(trx, data.userIds, now);
    for (const invitee of invitees) {
      const link = await issuePasswordToken(trx, options.secret, invitee.id, 'first_password', FIRST_PASSWORD_LINK_HOURS, now);
      await trx.insertInto('invitation_links').values({ user_id: invitee.id, organisation_id: invitee.organisationId, token_sealed: sealToken(options.secret, link.token), expires_at: link.expiresAt }).execute();
    }
    return invitees.length;
  });
  if (!options.mailer) return { issued, mailed: 0 };
  const unmailed = await db
    .selectFrom('invitation_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .leftJoin('organisations as o', 'o.id', 'u.home_organisation_id')
    .select(['l.id as linkId', 'l.token_sealed', 'l.expires_at', 'u.id', 'u.email', 'u.name', 'u.locale', 'u.home_organisation_id', 'o.name as organisation_name'])
    .where(sql<boolean>`l.user_id = any(${sql.val(data.userIds)}::uuid[])`)
    .where('l.mailed_at', 'is', null)
    .where('l.expires_at', '>', now)
    .where('u.password_hash', 'is', null)
    .execute();
  let mailed = 0;
  for (const row of unmailed) {
    const token = unsealToken(options.secret, row.token_sealed);
    if (token === null) continue;
    const invitee: Invitee = { id: row.id, email: row.email, name: row.name, locale: row.locale, organisationId: row.home_organisation_id, organisationName: row.organisation_name };
    // A failure throws: the job is retried and mails only those still unmailed.
    await options.mailer.send({ to: row.email, ...invitationText(invitee, passwordLinkUrl(options.baseUrl, token), row.expires_at) });
    await db.updateTable('invitation_links').set({ mailed_at: new Date() }).where('id', '=', row.linkId).execute();
    mailed++;
  }
  return { issued, mailed };
}

export function invitationJob(db: Database, options: { secret: string; baseUrl: string; mailer: () => Mailer | null }): JobDefinition<InvitationJobData> {
  return {
    name: INVITATION_JOB,
    retry: { limit: 5, delaySeconds: 60, backoff: true },
    expireInSeconds: 30 * 60,
    async handler(data) {
      const mailer = options.mailer();
      try {
        await runInvitationJob(db, { secret: options.secret, baseUrl: options.baseUrl, mailer }, data);
      } finally {
        mailer?.close();
      }
    },
  };
}

export interface PendingLink {
  userId: string;
  email: string;
  name: string;
  organisationId: string | null;
  organisationName: string | null;
  url: string;
  expiresAt: Date;
  mailed: boolean;
}

/**
 * Links waiting to be handed over: the person has no password yet, the link has not expired and
 * its token was neither used nor replaced. `organisationId`: only the people that organisation's
 * imports created (an organisation administrator's view); null for the whole network.
 */
export async function pendingInvitationLinks(db: Database, options: { secret: string; baseUrl: string; organisationId: string | null; now?: Date; limit?: number }): Promise<PendingLink[]> {
  const now = options.now ?? new Date();
  const rows = await db
    .selectFrom('invitation_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .leftJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select(['l.token_sealed', 'l.expires_at', 'l.mailed_at', 'l.organisation_id', 'o.name as organisation_name', 'u.id', 'u.email', 'u.name'])
    .where('l.expires_at', '>', now)
    .where('u.password_hash', 'is', null)
    .where('u.active', '=', true)
    // The link's token is still the user's live one (issuing a new link spends the earlier ones).
    .where((eb) =>
      eb.exists(
        eb.selectFrom('password_tokens as t').select('t.id').whereRef('t.user_id', '=', 'u.id').whereRef('t.expires_at', '=', 'l.expires_at').where('t.used_at', 'is', null).where('t.purpose', '=', 'first_password'),
      ),
    )
    .$if(options.organisationId !== null, (q) => q.where('l.organisation_id', '=', options.organisationId!))
    .orderBy('o.name')
    .orderBy('u.email')
    .limit(options.limit ?? 50_000)
    .execute();
  const out: PendingLink[] = [];
  for (const r of rows) {
    const token = unsealToken(options.secret, r.token_sealed);
    if (token === null) continue;
    out.push({
      userId: r.id, email: r.email, name: r.name, organisationId: r.organisation_id, organisationName: r.organisation_name,
      url: passwordLinkUrl(options.baseUrl, token), expiresAt: r.expires_at, mailed: r.mailed_at !== null,
    });
  }
  return out;
}
