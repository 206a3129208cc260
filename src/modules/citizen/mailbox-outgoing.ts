import { createMailer, type Mailer } from '../../platform/mailer.js';
import { seal, unseal } from '../../platform/sealed.js';
import type { Mailbox } from './citizen.repository.js';

/*
 * A mailbox's own outgoing server. Replies to a citizen who wrote by PEC are PEC only when they leave
 * through the PEC provider's SMTP server, authenticated as that mailbox; an office may also send its
 * e-mail replies through its body's relay. The URL (with the password) is kept sealed.
 */

const PURPOSE = 'mailbox-outgoing-smtp';

/** What an admin typed, checked: smtp:// or smtps://, a host, an optional port; label shows no password. */
export function parseOutgoingUrl(value: string): { url: string; label: string } | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) return null;
  const port = url.port || (url.protocol === 'smtps:' ? '465' : '587');
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return { url: url.toString(), label: `${url.protocol}//${user}${url.hostname}:${port}` };
}

export function sealOutgoing(secret: string, value: string): { sealed: string; label: string } | null {
  const parsed = parseOutgoingUrl(value);
  return parsed ? { sealed: seal(secret, PURPOSE, parsed.url), label: parsed.label } : null;
}

/**
 * A mailbox's sealed server that does not open with the current secret: no retry can mend it (an
 * admin must set the server again), so the delivery fails at once instead of retrying for an hour.
 */
export class OutgoingServerSealedError extends Error {}

/** One transport per mailbox and sealed URL, made on first use (nodemailer sends each message on its own connection). */
const transports = new Map<string, Mailer>();

/**
 * The transport a message from `mailbox` leaves through: its own server when it has one, else the
 * network's relay (null when neither is configured). A sealed URL that no longer opens (the server's
 * secret changed) is an error, not a silent fallback: the message must not leave as a plain e-mail.
 */
export function transportFor(secret: string, mailbox: Mailbox | null, relay: Mailer | null, from: string): Mailer | null {
  if (!mailbox?.outgoingSealed) return relay;
  const key = `${mailbox.id}:${mailbox.outgoingSealed}`;
  let mailer = transports.get(key);
  if (!mailer) {
    const url = unseal(secret, PURPOSE, mailbox.outgoingSealed);
    if (!url) throw new OutgoingServerSealedError(`Il server di invio della casella ${mailbox.address} non si apre con il segreto attuale: reimpostalo in /posta.`);
    mailer = createMailer(url, from)!;
    for (const [k, old] of transports) {
      if (k.startsWith(`${mailbox.id}:`)) {
        old.close();
        transports.delete(k);
      }
    }
    transports.set(key, mailer);
  }
  return mailer;
}
