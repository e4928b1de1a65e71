import { generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import {
  constants,
  createSecureServer,
  Http2SecureServer,
  IncomingHttpHeaders,
  ServerHttp2Session,
  ServerHttp2Stream,
} from 'node:http2';
import { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { testCertificate } from '../tls';

export type ApnsFailure =
  | 'Unregistered'
  | 'BadDeviceToken'
  | 'DeviceTokenNotForTopic'
  | 'TooManyRequests'
  | 'InternalServerError'
  | 'ServiceUnavailable';

const STATUS: Record<ApnsFailure, number> = {
  Unregistered: 410,
  BadDeviceToken: 400,
  // Apple's answer for a token of another app than the apns-topic: what a wrong bundle id gets for every token.
  DeviceTokenNotForTopic: 400,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAYLOAD = 4096;
/** Apple refuses a provider token whose `iat` is older than an hour (ExpiredProviderToken). */
const PROVIDER_TOKEN_MAX_AGE_S = 3600;
/** Apple refuses a new provider token less than 20 minutes after the last (429 TooManyProviderTokenUpdates). */
const PROVIDER_TOKEN_MIN_UPDATE_S = 20 * 60;

/** An accepted notification as the device would get it. */
export interface ApnsDelivery {
  deviceToken: string;
  headers: IncomingHttpHeaders;
  payload: Record<string, unknown>;
}

/**
 * APNs over HTTP/2 and TLS on loopback. It checks what Apple checks: a provider JWT (ES256, the
 * key id, the team as issuer, younger than an hour by Apple's clock, and no new one within 20 minutes
 * of the last) in `authorization`, the topic, push type,
 * `apns-id` and collapse id formats, priority, a hex device token, and a JSON body of at most 4 KB;
 * it answers with Apple's status codes and `{reason}` bodies, per device token or once.
 */
export class FakeApns {
  readonly deliveries: ApnsDelivery[] = [];
  /** Provider tokens APNs accepted. */
  readonly providerTokens = new Set<string>();
  /** Every provider token presented, accepted or not. */
  readonly presentedTokens = new Set<string>();
  sessions = 0;
  private readonly failures = new Map<string, { failure: ApnsFailure; unregisteredAt?: Date }>();
  private readonly next: Array<{ failure: ApnsFailure; retryAfter?: string }> = [];
  /** The `iat` (seconds) of the newest provider token APNs took up, and every token it took up. */
  private lastUpdateIat?: number;
  private readonly updates = new Set<string>();
  /** Apple's clock, which reads provider token ages; a test moves it apart from the sender's. */
  clock: () => Date = () => new Date();
  private readonly unanswered: Array<'drop' | 'stall'> = [];
  private readonly held: Array<Promise<void>> = [];
  private readonly publicKey: KeyObject;
  readonly privateKeyPem: string;
  readonly keyId = 'ABC123DEFG';
  readonly teamId = 'TEAM123456';
  readonly bundleId = 'com.example.journeycast';
  url = '';
  private readonly server: Http2SecureServer;
  private readonly open = new Set<ServerHttp2Session>();

  private constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.publicKey = publicKey;
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.server = createSecureServer(testCertificate());
    this.server.on('session', (session: ServerHttp2Session) => {
      this.sessions += 1;
      this.open.add(session);
      session.on('close', () => this.open.delete(session));
    });
    this.server.on('stream', (stream, headers) => void this.handle(stream, headers));
  }

  static async start(): Promise<FakeApns> {
    const fake = new FakeApns();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `https://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /**
   * Every request to `deviceToken` fails with `failure`; a 410 says APNs confirmed the token invalid at
   * `unregisteredAt` (by default, the time of the answer).
   */
  failToken(deviceToken: string, failure: ApnsFailure, unregisteredAt?: Date): void {
    this.failures.set(deviceToken, { failure, unregisteredAt });
  }

  failNext(failure: ApnsFailure, retryAfter?: string): void {
    this.next.push({ failure, retryAfter });
  }

  /**
   * The next request gets no answer: `drop` closes its connection, as a server restarting would;
   * `stall` keeps it open and never answers.
   */
  leaveNextUnanswered(how: 'drop' | 'stall'): void {
    this.unanswered.push(how);
  }

  /** The next request waits, unchecked, until the returned function is called, then is answered as usual. */
  holdNext(): () => void {
    let release = () => {};
    this.held.push(new Promise<void>((resolve) => (release = resolve)));
    return release;
  }

  /** Stops listening and drops every open connection, as a server going away would. */
  stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.open) session.destroy();
    return closed;
  }

  private async handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const unanswered = this.unanswered.shift();
    if (unanswered === 'drop') return void stream.session?.destroy();
    if (unanswered === 'stall') return;
    const held = this.held.shift();
    if (held) await held;
    const reply = (status: number, reason?: string, extra: Record<string, string> = {}, unregisteredAt?: Date) => {
      if (stream.closed) return;
      stream.respond({
        [constants.HTTP2_HEADER_STATUS]: status,
        'apns-id': String(headers['apns-id'] ?? randomUUID()),
        ...extra,
      });
      const timestamp = (unregisteredAt ?? new Date()).getTime();
      stream.end(reason ? JSON.stringify({ reason, ...(status === 410 ? { timestamp } : {}) }) : undefined);
    };
    const path = /^\/3\/device\/([^/]*)$/.exec(String(headers[constants.HTTP2_HEADER_PATH]));
    if (!path) return reply(404, 'BadPath');
    if (headers[constants.HTTP2_HEADER_METHOD] !== 'POST') return reply(405, 'MethodNotAllowed');
    const auth = await this.checkProviderToken(String(headers.authorization ?? ''));
    if (auth) return reply(auth.status, auth.reason);
    const deviceToken = decodeURIComponent(path[1]);
    if (!deviceToken) return reply(400, 'MissingDeviceToken');
    if (headers['apns-topic'] === undefined) return reply(400, 'MissingTopic');
    if (headers['apns-topic'] !== this.bundleId) return reply(400, 'DeviceTokenNotForTopic');
    if (!['alert', 'background'].includes(String(headers['apns-push-type']))) return reply(400, 'InvalidPushType');
    if (headers['apns-id'] !== undefined && !UUID.test(String(headers['apns-id']))) return reply(400, 'BadMessageId');
    if (Buffer.byteLength(String(headers['apns-collapse-id'] ?? '')) > 64) return reply(400, 'BadCollapseId');
    if (!['5', '10', undefined].includes(headers['apns-priority'] as string | undefined)) {
      return reply(400, 'BadPriority');
    }
    if (!/^\d*$/.test(String(headers['apns-expiration'] ?? ''))) return reply(400, 'BadExpirationDate');
    if (body.length === 0) return reply(400, 'PayloadEmpty');
    if (body.length > MAX_PAYLOAD) return reply(413, 'PayloadTooLarge');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (typeof payload.aps !== 'object') throw new Error('no aps');
    } catch {
      return reply(400, 'BadPayload');
    }
    if (!/^[0-9a-f]{64,200}$/i.test(deviceToken)) return reply(400, 'BadDeviceToken');
    const scripted = this.next.shift();
    const byToken = this.failures.get(deviceToken);
    const failure = scripted?.failure ?? byToken?.failure;
    if (failure) {
      const extra: Record<string, string> = scripted?.retryAfter ? { 'retry-after': scripted.retryAfter } : {};
      return reply(STATUS[failure], failure, extra, scripted ? undefined : byToken?.unregisteredAt);
    }
    this.deliveries.push({ deviceToken, headers, payload });
    return reply(200);
  }

  /** The status and reason Apple would give for this authorization header, or undefined when it is good. */
  private async checkProviderToken(authorization: string): Promise<{ status: number; reason: string } | undefined> {
    const jwt = /^bearer (.+)$/.exec(authorization)?.[1];
    if (!jwt) return { status: 403, reason: 'MissingProviderToken' };
    this.presentedTokens.add(jwt);
    const now = Math.floor(this.clock().getTime() / 1000);
    try {
      // A token APNs has not seen is an update of the team's token, counted whether or not it is valid.
      const { iat } = decodeJwt(jwt);
      if (typeof iat !== 'number') return { status: 403, reason: 'InvalidProviderToken' };
      if (!this.updates.has(jwt)) {
        if (this.lastUpdateIat !== undefined && iat - this.lastUpdateIat < PROVIDER_TOKEN_MIN_UPDATE_S) {
          return { status: 429, reason: 'TooManyProviderTokenUpdates' };
        }
        this.updates.add(jwt);
        this.lastUpdateIat = iat;
      }
      if (decodeProtectedHeader(jwt).kid !== this.keyId) return { status: 403, reason: 'InvalidProviderToken' };
      await jwtVerify(jwt, this.publicKey, { algorithms: ['ES256'], issuer: this.teamId, currentDate: this.clock() });
      if (iat > now) return { status: 403, reason: 'InvalidProviderToken' };
      if (now - iat > PROVIDER_TOKEN_MAX_AGE_S) return { status: 403, reason: 'ExpiredProviderToken' };
    } catch {
      return { status: 403, reason: 'InvalidProviderToken' };
    }
    this.providerTokens.add(jwt);
    return undefined;
  }
}
