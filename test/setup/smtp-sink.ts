import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { parseHeaders } from '../../src/lib/mail/mime';
import { testCertificate } from './tls';

export { decodeQuotedPrintable, parseHeaders } from '../../src/lib/mail/mime';

/** One message as the sink received it: envelope, raw MIME and its top-level headers. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Map<string, string>;
  sessionId: string;
  /** Whether the session was encrypted (implicit TLS or STARTTLS). */
  secure: boolean;
}

export interface SmtpSinkOptions {
  /** Require AUTH with these credentials. */
  credentials?: { user: string; pass: string };
  /** `implicit`: TLS from the first byte (smtps://); `starttls`: plain, offering STARTTLS. Uses the test certificate. */
  tls?: 'implicit' | 'starttls';
}

type Reply = { code: number; message: string };

/** An SMTP error smtp-server turns into the given reply line. */
function smtpError({ code, message }: Reply): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * A real SMTP server on loopback (the smtp-server package) that stores what it receives. It can be
 * told to answer a recipient or the DATA command with any reply code, to require AUTH, and it counts
 * concurrent connections so tests can see pooling.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Runs on each message before the sink accepts it (what a recipient could do the moment it lands). */
  beforeAccept?: (mail: ReceivedMail) => Promise<void>;
  url = '';
  peakConnections = 0;
  connections = 0;
  /**
   * Connection errors the server reported, e.g. ECONNRESET when a sending process is killed mid-session.
   * smtp-server emits them on the server; without a listener they would be thrown in the test process.
   */
  readonly connectionErrors: Error[] = [];
  private readonly recipientReplies = new Map<string, Reply>();
  private dataReplies: Reply[] = [];
  private readonly server: SMTPServer;

  private readonly credentials?: { user: string; pass: string };

  private constructor(options: SmtpSinkOptions) {
    const { credentials, tls } = options;
    this.credentials = credentials;
    this.server = new SMTPServer({
      ...(tls ? testCertificate() : {}),
      secure: tls === 'implicit',
      authOptional: !credentials,
      allowInsecureAuth: true,
      disabledCommands: [...(tls === 'starttls' ? [] : ['STARTTLS']), ...(credentials ? [] : ['AUTH'])],
      logger: false,
      size: 10 * 1024 * 1024,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.credentials?.user && auth.password === this.credentials?.pass) {
          callback(null, { user: auth.username });
        } else {
          callback(smtpError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
        }
      },
      onConnect: (_session, callback) => {
        this.connections += 1;
        this.peakConnections = Math.max(this.peakConnections, this.connections);
        callback();
      },
      onClose: () => {
        this.connections -= 1;
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const reply = this.recipientReplies.get(address.address.toLowerCase());
        callback(reply ? smtpError(reply) : null);
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const reply = this.dataReplies.shift();
          if (reply) return callback(smtpError(reply));
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            headers: parseHeaders(raw),
            sessionId: session.id,
            secure: session.secure,
          };
          // The acceptance waits for the check, as a recipient's first look at a message can come no sooner.
          void Promise.resolve(this.beforeAccept?.(mail)).finally(() => {
            this.messages.push(mail);
            callback(null);
          });
        });
      },
    });
  }

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const { credentials, tls } = options;
    const sink = new SmtpSink(options);
    sink.server.on('error', (error: Error) => sink.connectionErrors.push(error));
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    const { port } = sink.server.server.address() as AddressInfo;
    const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@` : '';
    sink.url = `${tls === 'implicit' ? 'smtps' : 'smtp'}://${auth}127.0.0.1:${port}`;
    return sink;
  }

  /** Answers RCPT TO for `address` with `code` (e.g. 550 "5.1.1 user unknown", 450 "4.2.1 try later"). */
  replyToRecipient(address: string, code: number, message: string): void {
    this.recipientReplies.set(address.toLowerCase(), { code, message });
  }

  /** Answers the next DATA command with `code` instead of accepting the message. */
  replyToNextData(code: number, message: string): void {
    this.dataReplies.push({ code, message });
  }

  /** Messages addressed to `address`. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
