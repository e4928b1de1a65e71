import { connect, Socket } from 'node:net';
import { createTransport, Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { composeMimeMessage } from '../../../../lib/mail/mime-message';
import type { ComposedEmail } from '../../domain/email-envelope';

/** The outcome of handing a message to nodemailer: the Message-ID, the server's words, the MIME bytes. */
export interface MailResult {
  messageId: string;
  response: string;
  raw?: Buffer;
}

/**
 * The only file that imports nodemailer, for its SMTP transport (pooling, TLS, AUTH, replies). Both
 * mailers build the MIME message with the same composer from the same `ComposedEmail`, so an outbox
 * `.eml` is the message an SMTP relay would get; nodemailer's own streaming composer cost several
 * times more CPU per message.
 */
export class Mailer {
  private constructor(private readonly transport?: Transporter) {}

  /**
   * A pooled SMTP transport on `url` (query options such as `tls.rejectUnauthorized` pass through);
   * `ca` replaces the trusted certificates (loopback servers in tests).
   * Sockets are opened here with Nagle's algorithm off: nodemailer writes the end of DATA as a small
   * separate segment, which Nagle holds back until the server's delayed ACK, about 40 ms per message.
   */
  static smtp(url: string, poolSize: number, timeoutMs: number, ca?: string): Mailer {
    const parsed = parseConnectionUrl(url);
    const options: SMTPPool.Options = {
      ...parsed,
      ...(ca ? { tls: { ...parsed.tls, ca } } : {}),
      pool: true,
      maxConnections: poolSize,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      getSocket: (socketOptions, callback) => {
        openSocket(socketOptions, timeoutMs).then(
          (connection) => callback(null, { connection }),
          (error: Error) => callback(error, undefined),
        );
      },
    };
    return new Mailer(createTransport(options));
  }

  /** Composes the raw message (CRLF, as on the wire) without sending it. */
  static mime(): Mailer {
    return new Mailer();
  }

  async send(email: ComposedEmail): Promise<MailResult> {
    const raw = composeMimeMessage(email, new Date());
    if (!this.transport) return { messageId: email.messageId, response: '', raw };
    const info = (await this.transport.sendMail({
      envelope: { from: email.from.address, to: [email.to.address] },
      raw,
    })) as { response?: string };
    return { messageId: email.messageId, response: info.response ?? '' };
  }

  close(): void {
    this.transport?.close();
  }
}

/**
 * A connected TCP socket to the relay, without Nagle; nodemailer upgrades it for smtps:// and STARTTLS.
 * A failure rejects with Node's own error (ENOTFOUND, EAI_AGAIN, ECONNREFUSED, EHOSTUNREACH...), not
 * nodemailer's EDNS or ECONNECTION: `classifySmtpError` takes any failure without an SMTP reply as the
 * road to the relay.
 */
function openSocket(options: SMTPPool.Options, timeoutMs: number): Promise<Socket> {
  const port = Number(options.port) || (options.secure ? 465 : 587);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? 'localhost', port, noDelay: true, keepAlive: true });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(
        Object.assign(new Error(`connection to ${options.host}:${port} timed out`), { code: 'ETIMEDOUT' }),
      ),
    );
    socket.once('connect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
