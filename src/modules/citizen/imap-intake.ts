import { isIP } from 'node:net';
import { ImapFlow } from 'imapflow';
import type { Database } from '../../db/database.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import { seal, unseal } from '../../platform/sealed.js';
import * as repo from './citizen.repository.js';
import { type IntakeOptions, type IntakeResult, ingestMail, quarantine, recordUnkept } from './mail-intake.service.js';

/*
 * IMAP polling of an office mailbox: where the body's mail server (or the PEC provider) keeps the
 * mail, urpnet fetches it. Each new message goes through the same intake as SMTP (a ticket, a reply
 * joined, a receipt, or the quarantine); only then is it flagged \Seen on the server and its UID
 * recorded, so a poll that dies halfway takes the rest next time and a message taken twice is
 * recognised by its Message-ID. Nothing is deleted from the server: the body's own retention decides.
 * The first read of a folder takes what is unread there; from then on every new message is taken,
 * even one somebody opened in a mail client before the poll.
 *
 * A message over the intake's size limit is not downloaded: it is recorded in the quarantine with
 * its sender and subject, and stays unread on the server for the office to open there. A message the
 * intake fails on in three polls in a row is quarantined whole, so the mail behind it still comes in.
 */

const PURPOSE = 'mailbox-incoming-imap';
/** The job that polls one mailbox (data: its id). */
export const IMAP_MAILBOX_JOB = 'citizen.imap-mailbox';

/** Queues a poll of the mailbox; false when one is already waiting (at most one queued per mailbox). */
export async function queueImapPoll(jobs: JobRunner, mailboxId: string): Promise<boolean> {
  return (await jobs.send(IMAP_MAILBOX_JOB, { mailboxId }, { singletonKey: mailboxId })) !== null;
}
/** How long one poll may hold a mailbox before another instance may take it (a crashed poller). */
const LEASE_MS = 10 * 60_000;
/** Messages taken per poll at most; the rest waits for the next poll (a backlog does not starve other mailboxes). */
const DEFAULT_BATCH = 200;
/** Polls in a row that may fail on one message before it goes to the quarantine. */
const FAILURES_BEFORE_QUARANTINE = 3;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface ImapServer {
  host: string;
  port: number;
  /** imaps: TLS from the first byte; otherwise STARTTLS. */
  secure: boolean;
  user: string;
  password: string;
  folder: string;
}

/**
 * What an admin typed, checked: imaps:// (or imap://, upgraded with STARTTLS), a user and a password,
 * a host, an optional port and an optional folder (default INBOX). The label shows no password.
 */
export function parseIncomingUrl(value: string): { url: string; label: string; server: ImapServer } | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'imap:' && url.protocol !== 'imaps:') || !url.hostname || !url.username || !url.password) return null;
  const secure = url.protocol === 'imaps:';
  let folder: string;
  try {
    folder = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  } catch {
    return null;
  }
  const server: ImapServer = {
    host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (secure ? 993 : 143)), secure,
    user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), folder,
  };
  return { url: url.toString(), label: `${url.protocol}//${server.user}@${url.hostname}:${server.port}/${folder}`, server };
}

export function sealIncoming(secret: string, value: string): { sealed: string; label: string } | null {
  const parsed = parseIncomingUrl(value);
  return parsed ? { sealed: seal(secret, PURPOSE, parsed.url), label: parsed.label } : null;
}

export interface ImapPollOptions extends IntakeOptions {
  /** A message larger than this is not downloaded (the SMTP intake's limit). */
  maxBytes: number;
  batch?: number;
  now?: () => Date;
  /** The intake (tests replace it to make a message fail). */
  ingest?: typeof ingestMail;
}

export interface ImapPollResult {
  /** Messages taken in this poll (whatever became of them). */
  taken: number;
  outcomes: Partial<Record<IntakeResult['outcome'], number>>;
  /** New messages left for the next poll (over the batch). */
  left: number;
  error: string | null;
}

/** What the admin reads when a poll fails: the server's words where it gave some. */
function describe(err: unknown): string {
  const e = err as { authenticationFailed?: boolean; responseText?: string; code?: string; message?: string };
  if (e.authenticationFailed) return `Accesso rifiutato dal server IMAP: controlla utente e password${e.responseText ? ` (${e.responseText})` : ''}.`;
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') return `Server IMAP non raggiungibile (${e.code}).`;
  if (e.code === 'NoMailboxSelected' || /mailbox|folder/i.test(e.responseText ?? '')) return `Cartella non trovata sul server IMAP${e.responseText ? ` (${e.responseText})` : ''}.`;
  return `Lettura della casella IMAP non riuscita: ${e.responseText ?? e.message ?? String(err)}`.slice(0, 500);
}

class SealedServerError extends Error {}

interface Head {
  size: number;
  seen: boolean;
  messageId: string | null;
  sender: string | null;
  subject: string | null;
}

/**
 * Polls one mailbox's IMAP folder. Returns null when the mailbox has no IMAP server or another
 * instance is polling it. A failure (server down, password changed) is recorded on the mailbox for the
 * admin and returned, not thrown: the next scheduled poll tries again.
 */
export async function pollMailbox(db: Database, options: ImapPollOptions, mailboxId: string): Promise<ImapPollResult | null> {
  const now = options.now ?? (() => new Date());
  const start = now();
  const mailbox = await repo.claimImapPoll(db, mailboxId, start, new Date(start.getTime() + LEASE_MS));
  if (!mailbox?.incomingSealed) return null;
  const sealed = mailbox.incomingSealed;
  const result: ImapPollResult = { taken: 0, outcomes: {}, left: 0, error: null };
  let client: ImapFlow | null = null;
  try {
    const url = unseal(options.secret, PURPOSE, sealed);
    const parsed = url ? parseIncomingUrl(url) : null;
    if (!parsed) throw new SealedServerError(`Il server IMAP della casella ${mailbox.address} non si apre con il segreto attuale: reimpostalo in /posta.`);
    const { server } = parsed;
    client = new ImapFlow({
      host: server.host, port: server.port, secure: server.secure,
      // Credentials cross the network only encrypted: STARTTLS is required except on this machine.
      doSTARTTLS: server.secure ? undefined : !LOOPBACK.has(server.host) && !(isIP(server.host) && server.host.startsWith('127.')),
      auth: { user: server.user, pass: server.password }, logger: false, disableAutoIdle: true, connectionTimeout: 30_000, greetingTimeout: 15_000, socketTimeout: 120_000,
    });
    client.on('error', () => {}); // a dropped connection rejects the pending command; the poll records it
    await client.connect();
    const folder = await client.mailboxOpen(server.folder);
    const uidValidity = String(folder.uidValidity);
    // First read of this folder (or its UIDs were renumbered): what is there now is taken only if unread.
    const progress = uidValidity === mailbox.imap.uidValidity ? { uidValidity, firstUid: mailbox.imap.firstUid, lastUid: mailbox.imap.lastUid } : { uidValidity, firstUid: folder.uidNext, lastUid: 0 };
    if (uidValidity !== mailbox.imap.uidValidity) await repo.saveImapProgress(db, mailbox.id, sealed, progress, new Date(now().getTime() + LEASE_MS));
    if (folder.exists > 0 && folder.uidNext > progress.lastUid + 1) {
      // `n:*` always names the last message, even when its UID is below n: keep only the new ones.
      const found = (await client.search({ uid: `${progress.lastUid + 1}:*` }, { uid: true })) || [];
      const fresh = found.filter((uid) => uid > progress.lastUid).sort((a, b) => a - b);
      const batch = fresh.slice(0, options.batch ?? DEFAULT_BATCH);
      result.left = fresh.length - batch.length;
      const heads = new Map<number, Head>();
      if (batch.length > 0) {
        for await (const m of client.fetch(batch.join(','), { uid: true, size: true, flags: true, envelope: true }, { uid: true })) {
          heads.set(m.uid, {
            size: m.size ?? 0, seen: m.flags?.has('\\Seen') ?? false,
            messageId: m.envelope?.messageId ?? null, sender: m.envelope?.from?.[0]?.address ?? null, subject: m.envelope?.subject?.slice(0, 500) ?? null,
          });
        }
      }
      for (const uid of batch) {
        const head = heads.get(uid);
        // Expunged between the search and the fetch, or the office's mail already read before urpnet came.
        if (head && !(head.seen && uid < progress.firstUid)) {
          let taken: IntakeResult;
          if (head.size > options.maxBytes) {
            const reason = `too_big: ${Math.ceil(head.size / 1048576)} MB, oltre il limite di ${Math.round(options.maxBytes / 1048576)} MB; il messaggio resta non letto sul server IMAP`;
            taken = await recordUnkept(db, mailbox, head, reason, head.size, now());
          } else {
            const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
            if (message === false || !message.source) continue; // expunged meanwhile
            try {
              taken = await (options.ingest ?? ingestMail)(db, options, mailbox, message.source, now());
            } catch (err) {
              // The same message failing poll after poll would hold up the mailbox: at the third, it is quarantined.
              if ((await repo.countImapFailure(db, mailbox.id, sealed, uid)) < FAILURES_BEFORE_QUARANTINE) throw err;
              const reason = `intake_failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300);
              taken = await quarantine(db, options, mailbox, message.source, head, reason, now());
            }
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          }
          result.taken++;
          result.outcomes[taken.outcome] = (result.outcomes[taken.outcome] ?? 0) + 1;
        }
        progress.lastUid = uid;
        await repo.saveImapProgress(db, mailbox.id, sealed, progress, new Date(now().getTime() + LEASE_MS));
      }
    }
    await client.logout();
    client = null;
  } catch (err) {
    result.error = err instanceof SealedServerError ? err.message : describe(err);
  } finally {
    client?.close();
    await repo.endImapPoll(db, mailbox.id, sealed, { error: result.error, now: now() });
  }
  return result;
}
