import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { decodeHeaderWords, decodeQuotedPrintable, parseHeaders } from '../../lib/mail/mime';

/** One email as the demo's mail server received it, decoded enough for a simulated reader. */
export interface ReceivedEmail {
  to: string;
  subject: string;
  headers: Map<string, string>;
  raw: string;
  /** The whole message with quoted-printable undone: where its links and pixel are found. */
  decoded: string;
}

/**
 * A real SMTP server on loopback (the smtp-server package) that keeps every message it accepts: the
 * demo's email goes out through the product's SMTP channel to it, as it would to a relay.
 */
export class SmtpInbox {
  readonly received: ReceivedEmail[] = [];
  url = '';
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers = parseHeaders(raw);
        for (const rcpt of session.envelope.rcptTo) {
          this.received.push({
            to: rcpt.address,
            subject: decodeHeaderWords(headers.get('subject') ?? ''),
            headers,
            raw,
            decoded: decodeQuotedPrintable(raw),
          });
        }
        callback(null);
      });
    },
  });

  static async start(): Promise<SmtpInbox> {
    const inbox = new SmtpInbox();
    await new Promise<void>((resolve) => inbox.server.listen(0, '127.0.0.1', resolve));
    inbox.url = `smtp://127.0.0.1:${(inbox.server.server.address() as AddressInfo).port}`;
    return inbox;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
