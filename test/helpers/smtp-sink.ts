import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the sink received: its envelope recipients, the raw text and the text with quoted-printable soft breaks undone. */
export interface SunkMessage {
  to: string[];
  raw: string;
  /** `raw` with quoted-printable soft line breaks and `=3D` undone, so assertions read the text as written. */
  data: string;
  /** Who authenticated (a sink started with `requireAuth`), else null. */
  user: string | null;
}

export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  messages: SunkMessage[];
  close(): Promise<void>;
}

/**
 * A loopback SMTP server (no TLS) that keeps every message it accepts: the relay of the tests. With
 * `requireAuth` it is a provider's server (a PEC provider's): only a client that logs in with the
 * given user and password may send.
 */
export async function startSmtpSink(options: { requireAuth?: { user: string; password: string } } = {}): Promise<SmtpSink> {
  const messages: SunkMessage[] = [];
  const required = options.requireAuth;
  const server = new SMTPServer({
    authOptional: !required,
    allowInsecureAuth: true,
    disabledCommands: required ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (required && auth.username === required.user && auth.password === required.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, data: raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='), user: typeof session.user === 'string' ? session.user : null });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
