import { createTransport, Transporter } from 'nodemailer';
import type { ComposedEmail } from '../../domain/email-envelope';

/** The outcome of handing a message to nodemailer: the Message-ID, the server's words, the MIME bytes. */
export interface MailResult {
  messageId: string;
  response: string;
  raw?: Buffer;
}

/**
 * The only file that imports nodemailer. Both transports build the MIME message with nodemailer's
 * composer from the same `ComposedEmail`, so an outbox `.eml` is the message an SMTP relay would get.
 */
export class Mailer {
  private constructor(private readonly transport: Transporter) {}

  /** A pooled SMTP transport on `url`; pool size and timeouts become nodemailer URL options. */
  static smtp(url: string, poolSize: number, timeoutMs: number): Mailer {
    const target = new URL(url);
    const options: Record<string, string> = {
      pool: 'true',
      maxConnections: String(poolSize),
      connectionTimeout: String(timeoutMs),
      greetingTimeout: String(timeoutMs),
      socketTimeout: String(timeoutMs),
    };
    for (const [key, value] of Object.entries(options)) {
      if (!target.searchParams.has(key)) target.searchParams.set(key, value);
    }
    return new Mailer(createTransport(target.toString()));
  }

  /** Composes the raw message (CRLF, as on the wire) without sending it. */
  static mime(): Mailer {
    return new Mailer(createTransport({ streamTransport: true, buffer: true, newline: 'windows' }));
  }

  async send(email: ComposedEmail): Promise<MailResult> {
    const info = (await this.transport.sendMail({
      from: { address: email.from.address, name: email.from.name ?? '' },
      to: { address: email.to.address, name: email.to.name ?? '' },
      replyTo: email.replyTo,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId: email.messageId,
      headers: email.headers,
    })) as { messageId: string; response?: string; message?: unknown };
    const raw = Buffer.isBuffer(info.message) ? info.message : undefined;
    return { messageId: info.messageId, response: info.response ?? '', raw };
  }

  close(): void {
    this.transport.close();
  }
}
