import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Database } from '../../db/database.js';
import type { Mailbox } from './citizen.repository.js';
import { findMailboxFor, type IntakeOptions, type IntakeResult, ingestMail } from './mail-intake.service.js';

/**
 * The SMTP listener of the e-mail/PEC intake. The organisation's mail server (or the PEC provider's
 * forwarding) hands citizens' mail for the offices' mailboxes to it. What the SMTP exchange answers
 * is what protects against loss: a recipient that is no mailbox of ours is refused at RCPT (550, the
 * sender's server tells the citizen), an oversized message at DATA (552), and a message is
 * acknowledged (250) only once it is committed in a ticket or in the quarantine; any failure before
 * that answers 451, so the sending server keeps the message and tries again.
 */
export interface SmtpIntake {
  port: number;
  close(): Promise<void>;
}

export interface SmtpIntakeOptions extends IntakeOptions {
  host: string;
  port: number;
  maxBytes: number;
  /** PEM key and certificate: STARTTLS is offered (and, `required`, mail without it is refused). */
  tls?: { key: string; cert: string; required: boolean } | null;
  onResult?: (r: IntakeResult) => void;
  onError?: (err: unknown) => void;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** The mailboxes accepted at RCPT TO in this transaction, by recipient: DATA does not look them up again. */
const accepted = new WeakMap<object, Map<string, Mailbox>>();
function mailboxesOf(session: SMTPServerSession): Map<string, Mailbox> {
  // A new transaction (RSET, or the next MAIL FROM) has a new envelope object.
  let map = accepted.get(session.envelope);
  if (!map) {
    map = new Map();
    accepted.set(session.envelope, map);
  }
  return map;
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSmtpIntake(db: Database, options: SmtpIntakeOptions): Promise<SmtpIntake> {
  const server = new SMTPServer({
    name: 'urpnet-intake',
    banner: 'urpnet: posta per gli uffici della rete URP',
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls && { key: options.tls.key, cert: options.tls.cert }),
    size: options.maxBytes,
    logger: false,
    onMailFrom(_address, session, callback) {
      // With TLS required, a sender that did not start it is told to (530), and retries with it.
      if (options.tls?.required && !session.secure) return callback(smtpError('5.7.0 Usare prima STARTTLS / must issue a STARTTLS command first', 530));
      callback();
    },
    onRcptTo(address, session, callback) {
      findMailboxFor(db, address.address).then(
        (mailbox) => {
          if (mailbox) mailboxesOf(session).set(address.address, mailbox);
          callback(mailbox ? undefined : smtpError(`5.1.1 <${address.address}>: casella sconosciuta / unknown mailbox`, 550));
        },
        (err: unknown) => {
          options.onError?.(err);
          callback(smtpError('4.3.0 Errore temporaneo, riprovare più tardi / temporary failure, try again later', 451));
        },
      );
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) throw smtpError(`5.3.4 Messaggio oltre ${Math.round(options.maxBytes / 1048576)} MB / message too big`, 552);
          const found = mailboxesOf(session);
          for (const rcpt of session.envelope.rcptTo) {
            const mailbox = found.get(rcpt.address);
            if (!mailbox) continue;
            const result = await ingestMail(db, options, mailbox, raw);
            options.onResult?.(result);
          }
        })
        .then(
          () => callback(),
          (err: unknown) => {
            if ((err as { responseCode?: number }).responseCode) return callback(err as Error);
            options.onError?.(err);
            callback(smtpError('4.3.0 Errore temporaneo, riprovare più tardi / temporary failure, try again later', 451));
          },
        );
    },
  });
  server.on('error', (err) => options.onError?.(err));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
