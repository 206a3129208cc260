import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative of the text (e.g. a report), shown by mail clients that can. */
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** Overrides the configured sender (an office mailbox writing to a citizen). */
  from?: string;
  replyTo?: string;
  /** Without angle brackets; nodemailer adds them. */
  messageId?: string;
  /** Extra headers (threading, loop detection, Auto-Submitted). */
  headers?: Record<string, string>;
}

/** Outgoing e-mail (office mailboxes, PEC gateways). Absent when SMTP_URL is not configured. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailer(smtpUrl: string | null, from: string): Mailer | null {
  if (!smtpUrl) return null;
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      const { messageId, ...rest } = message;
      await transport.sendMail({ from, ...rest, ...(messageId ? { messageId: `<${messageId}>` } : {}) });
    },
    close() {
      transport.close();
    },
  };
}
