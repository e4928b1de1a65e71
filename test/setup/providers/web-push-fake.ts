import { createDecipheriv, createECDH, ECDH, hkdfSync, randomBytes } from 'node:crypto';
import { importJWK, jwtVerify } from 'jose';
import { FakeRequest, FakeResponse, HttpFake } from './http-fake';

const MAX_BODY = 4096;

interface Subscriber {
  ecdh: ECDH;
  auth: Buffer;
  applicationServerKey: string;
  gone: boolean;
}

/** A message a browser would have shown: the decrypted payload and the headers it came with. */
export interface WebPushDelivery {
  subscriptionId: string;
  payload: string;
  ttl: number;
  topic?: string;
  urgency?: string;
}

/**
 * RFC 8291 (aes128gcm) decryption as a browser does it: ECDH with the sender's key from the record
 * header, HKDF with the subscription's auth secret, AES-128-GCM, then the padding delimiter.
 */
function decrypt(body: Buffer, subscriber: Subscriber): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = subscriber.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), subscriber.ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, subscriber.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('missing last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/**
 * A Web Push service (RFC 8030) over HTTPS on loopback. It checks the VAPID JWT (ES256 against the
 * `k` key, audience = its origin, expiry within 24 hours, a mailto:/https: subject) and that `k` is
 * the key the subscription was made with, the TTL and aes128gcm headers, the Topic format and the
 * 4 KB limit; it decrypts each message with the subscription's keys, as the browser would.
 */
export class FakeWebPush {
  readonly deliveries: WebPushDelivery[] = [];
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly next: FakeResponse[] = [];
  private stalls = 0;
  private readonly http = new HttpFake((request) => this.handle(request), true);

  static async start(): Promise<FakeWebPush> {
    const fake = new FakeWebPush();
    await fake.http.listen();
    return fake;
  }

  /** A browser subscribing with the sender's VAPID public key; returns the token to store (its JSON). */
  subscribe(applicationServerKey: string): string {
    const id = randomBytes(8).toString('hex');
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const subscriber = { ecdh, auth: randomBytes(16), applicationServerKey, gone: false };
    this.subscribers.set(id, subscriber);
    return JSON.stringify({
      endpoint: `${this.http.baseUrl}/push/${id}`,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: subscriber.auth.toString('base64url') },
    });
  }

  /** The user revoked permission or the subscription expired: 410 Gone from now on. */
  unsubscribe(token: string): void {
    const id = (JSON.parse(token) as { endpoint: string }).endpoint.split('/').pop()!;
    this.subscribers.get(id)!.gone = true;
  }

  replyToNext(reply: FakeResponse): void {
    this.next.push(reply);
  }

  /** The next request is read and never answered (a push service that hangs). */
  stallNext(): void {
    this.stalls++;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(request: FakeRequest): Promise<FakeResponse> {
    if (this.stalls > 0) {
      this.stalls--;
      return new Promise<FakeResponse>(() => undefined);
    }
    const id = /^\/push\/([0-9a-f]+)$/.exec(request.path)?.[1];
    const subscriber = id ? this.subscribers.get(id) : undefined;
    if (request.method !== 'POST' || !id || !subscriber) return { status: 404, body: 'no such subscription' };
    if (subscriber.gone) return { status: 410, body: 'subscription expired' };
    const vapid = await this.checkVapid(String(request.headers.authorization ?? ''), subscriber);
    if (vapid) return vapid;
    const ttl = Number(request.headers.ttl);
    if (request.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0) {
      return { status: 400, body: 'TTL required' };
    }
    if (request.headers['content-encoding'] !== 'aes128gcm') return { status: 415, body: 'aes128gcm required' };
    const topic = request.headers.topic as string | undefined;
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return { status: 400, body: 'bad Topic' };
    if (request.body.length > MAX_BODY) return { status: 413, body: 'payload too large' };
    const scripted = this.next.shift();
    if (scripted) return scripted;
    let payload: string;
    try {
      payload = decrypt(request.body, subscriber);
    } catch (error) {
      return { status: 400, body: `cannot decrypt: ${(error as Error).message}` };
    }
    this.deliveries.push({
      subscriptionId: id,
      payload,
      ttl,
      topic,
      urgency: request.headers.urgency as string | undefined,
    });
    return { status: 201, headers: { location: `${this.http.baseUrl}/message/${this.deliveries.length}` } };
  }

  private async checkVapid(authorization: string, subscriber: Subscriber): Promise<FakeResponse | undefined> {
    const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
    if (!match) return { status: 401, body: 'VAPID authorization required' };
    const [, jwt, key] = match;
    if (key !== subscriber.applicationServerKey) return { status: 403, body: 'key does not match the subscription' };
    const point = Buffer.from(key, 'base64url');
    try {
      const publicKey = await importJWK(
        {
          kty: 'EC',
          crv: 'P-256',
          x: point.subarray(1, 33).toString('base64url'),
          y: point.subarray(33).toString('base64url'),
        },
        'ES256',
      );
      const { payload } = await jwtVerify(jwt, publicKey, {
        algorithms: ['ES256'],
        audience: this.http.baseUrl,
        requiredClaims: ['exp', 'sub'],
      });
      if (payload.exp! > Date.now() / 1000 + 24 * 3600) throw new Error('exp more than 24 hours ahead');
      if (!/^(mailto:|https:)/.test(String(payload.sub))) throw new Error('sub must be mailto: or https:');
    } catch (error) {
      return { status: 403, body: `bad VAPID token: ${(error as Error).message}` };
    }
    return undefined;
  }
}
