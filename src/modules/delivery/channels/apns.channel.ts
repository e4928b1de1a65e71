import { ClientHttp2Session, connect, constants } from 'node:http2';
import { DeliveryError } from '../domain/delivery-error';
import { classifyTransportError } from '../domain/http-failures';
import type { DeliveryReceipt, OutboundMessage } from '../domain/outbound-message';
import { classifyApnsError } from '../domain/push-failures';
import { apnsRequest } from '../domain/push-payloads';
import { parseRetryAfter } from '../domain/retry-after';
import type { ChannelContext, DeliveryChannel } from './delivery-channel';
import { JwtSigner } from './jwt-signer';

/** Apple refuses provider tokens older than an hour and refreshes more often than every 20 minutes. */
const PROVIDER_TOKEN_TTL_MS = 40 * 60_000;
const PROVIDER_TOKEN_MIN_REFRESH_MS = 20 * 60_000;

export interface ApnsOptions {
  url: string;
  teamId: string;
  bundleId: string;
  signer: JwtSigner;
}

interface ProviderToken {
  jwt: Promise<string>;
  issuedAt: number;
  /** APNs answered ExpiredProviderToken or InvalidProviderToken for it. */
  refused?: boolean;
}

interface ApnsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Push through APNs over one multiplexed HTTP/2 connection with token-based auth (an ES256 JWT from
 * the .p8 key, reused for 40 minutes). Idempotency: `apns-id` is derived from the notification id, so
 * a resend after a crash is the same notification id to APNs, and `apns-collapse-id` makes the device
 * show it once.
 */
export class ApnsChannel implements DeliveryChannel {
  readonly provider = 'apns' as const;
  private session?: ClientHttp2Session;
  private providerToken?: ProviderToken;

  constructor(
    private readonly options: ApnsOptions,
    private readonly context: ChannelContext,
  ) {}

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    if (message.channel !== 'push' || message.to.platform !== 'apns') {
      throw new DeliveryError('delivery.rejected', this.provider, 'APNs carries only push messages to apns tokens');
    }
    const now = this.context.now();
    const { headers, payload } = apnsRequest(message, this.options.bundleId, now);
    const token = this.currentToken(now);
    const jwt = await token.jwt;
    let response: ApnsResponse;
    try {
      response = await this.post(
        `/3/device/${encodeURIComponent(message.to.token)}`,
        headers,
        jwt,
        JSON.stringify(payload),
      );
    } catch (error) {
      const failure = classifyTransportError(error);
      throw new DeliveryError(failure.code, this.provider, failure.message, failure.details);
    }
    if (response.status === 200) {
      const id = response.headers['apns-id'];
      return {
        provider: this.provider,
        providerMessageId: typeof id === 'string' ? id : headers['apns-id'],
        acceptedAt: this.context.now(),
      };
    }
    const { reason, timestamp } = parseBody(response.body);
    // Only the token this request used: one signed since, after an earlier refusal, is still good. A refused
    // token is replaced once Apple allows a new one (20 minutes after it was signed), not at once: a token
    // signed with the same key, or on the same clock, is no better, and swapping tokens faster than every 20
    // minutes gets 429 TooManyProviderTokenUpdates, which leaves no token working until then.
    if (reason === 'ExpiredProviderToken' || reason === 'InvalidProviderToken') token.refused = true;
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.context.now());
    const failure = classifyApnsError(response.status, reason, retryAfterMs, timestamp);
    throw new DeliveryError(failure.code, this.provider, failure.message, failure.details);
  }

  close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session || session.closed) return Promise.resolve();
    return new Promise((resolve) => session.close(() => resolve()));
  }

  private currentToken(now: Date): ProviderToken {
    const current = this.providerToken;
    const age = current ? now.getTime() - current.issuedAt : Infinity;
    if (age < (current?.refused ? PROVIDER_TOKEN_MIN_REFRESH_MS : PROVIDER_TOKEN_TTL_MS)) return current!;
    // Shared by concurrent senders: APNs refuses a team that swaps tokens too often.
    const token = { jwt: this.options.signer.sign({ iss: this.options.teamId }, now), issuedAt: now.getTime() };
    this.providerToken = token;
    token.jwt.catch(() => {
      if (this.providerToken === token) this.providerToken = undefined;
    });
    return token;
  }

  /** The open session, or a new one; a session that closed or received GOAWAY is replaced. */
  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.options.url, this.context.ca ? { ca: this.context.ca } : {});
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('goaway', forget);
    session.on('close', forget);
    session.on('error', forget);
    this.session = session;
    return session;
  }

  private post(path: string, headers: Record<string, string>, jwt: string, body: string): Promise<ApnsResponse> {
    return new Promise((resolve, reject) => {
      const stream = this.connection().request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: path,
        authorization: `bearer ${jwt}`,
        'content-type': 'application/json',
        ...headers,
      });
      const chunks: Buffer[] = [];
      let status = 0;
      let responseHeaders: ApnsResponse['headers'] = {};
      let timedOut = false;
      // A stream closed before any answer (our timeout, or a connection dropped under it) still ends.
      const unanswered = () =>
        timedOut
          ? Object.assign(new Error('APNs request timed out'), { code: 'ETIMEDOUT' })
          : Object.assign(new Error(`APNs closed the stream without an answer (code ${stream.rstCode})`), {
              code: 'ECONNRESET',
            });
      stream.setTimeout(this.context.timeoutMs, () => {
        timedOut = true;
        stream.close(constants.NGHTTP2_CANCEL);
      });
      stream.on('response', (incoming) => {
        status = Number(incoming[constants.HTTP2_HEADER_STATUS]);
        responseHeaders = incoming;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (!status) return reject(unanswered());
        resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      stream.on('close', () => reject(unanswered()));
      stream.on('error', reject);
      stream.end(body);
    });
  }
}

/** The `reason` of an APNs error body, and the `timestamp` a 410 gives with it. */
function parseBody(body: string): { reason?: string; timestamp?: unknown } {
  try {
    const { reason, timestamp } = JSON.parse(body) as { reason?: unknown; timestamp?: unknown };
    return { reason: typeof reason === 'string' ? reason : undefined, timestamp };
  } catch {
    return {};
  }
}
