import { generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import { FakeRequest, FakeResponse, HttpFake } from './http-fake';

export type FcmFailure =
  | 'UNREGISTERED'
  | 'INVALID_ARGUMENT'
  | 'SENDER_ID_MISMATCH'
  | 'QUOTA_EXCEEDED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | 'THIRD_PARTY_AUTH_ERROR';

const FAILURES: Record<FcmFailure, { code: number; status: string; message: string }> = {
  UNREGISTERED: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  INVALID_ARGUMENT: {
    code: 400,
    status: 'INVALID_ARGUMENT',
    message: 'The registration token is not a valid FCM registration token',
  },
  SENDER_ID_MISMATCH: { code: 403, status: 'PERMISSION_DENIED', message: 'SenderId mismatch' },
  QUOTA_EXCEEDED: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for quota metric' },
  UNAVAILABLE: { code: 503, status: 'UNAVAILABLE', message: 'The service is currently unavailable.' },
  INTERNAL: { code: 500, status: 'INTERNAL', message: 'Internal error encountered.' },
  THIRD_PARTY_AUTH_ERROR: { code: 401, status: 'UNAUTHENTICATED', message: 'Auth error from APNS or Web Push Service' },
};

const FCM_MAX_PAYLOAD = 4096;

function googleError(code: number, status: string, message: string, fcmCode?: string, extra: object[] = []) {
  const details = [
    ...(fcmCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: fcmCode }] : []),
    ...extra,
  ];
  return { status: code, body: JSON.stringify({ error: { code, message, status, details } }) };
}

/**
 * FCM HTTP v1 on loopback: an OAuth2 token endpoint that verifies the RS256 service-account
 * assertion (issuer, audience, scope, lifetime, signature) and a `messages:send` endpoint that
 * checks the bearer token, the project, the one-target rule, string-only data and the 4 KB limit,
 * and fails per token or once in FCM's real ways.
 */
export class FakeFcm {
  readonly sent: Array<{ message: Record<string, unknown>; accessToken: string }> = [];
  tokenRequests = 0;
  private readonly issued = new Set<string>();
  private readonly tokenFailures = new Map<string, FcmFailure>();
  private readonly nextFailures: Array<{ failure: FcmFailure; retryAfter?: string }> = [];
  private tokenEndpointReply?: FakeResponse;
  private readonly publicKey: KeyObject;
  private readonly privateKeyPem: string;
  private readonly http = new HttpFake((request) => this.handle(request));
  readonly clientEmail = 'journeycast@test-project.iam.gserviceaccount.com';

  private constructor(readonly projectId: string) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKey = publicKey;
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  static async start(projectId = 'test-project'): Promise<FakeFcm> {
    const fake = new FakeFcm(projectId);
    await fake.http.listen();
    return fake;
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/token`;
  }

  /** The content of a service-account key file whose token_uri is this fake. */
  serviceAccountJson(): string {
    return JSON.stringify({
      type: 'service_account',
      project_id: this.projectId,
      private_key_id: 'key-1',
      private_key: this.privateKeyPem,
      client_email: this.clientEmail,
      token_uri: this.tokenUrl,
    });
  }

  failToken(token: string, failure: FcmFailure): void {
    this.tokenFailures.set(token, failure);
  }

  failNext(failure: FcmFailure, retryAfter?: string): void {
    this.nextFailures.push({ failure, retryAfter });
  }

  /** Makes every access token issued so far invalid, as an expiry or revocation would. */
  revokeAccessTokens(): void {
    this.issued.clear();
  }

  /** Answers the token endpoint with `reply` from now on (undefined restores normal service). */
  replyToTokenRequests(reply: FakeResponse | undefined): void {
    this.tokenEndpointReply = reply;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(request: FakeRequest): Promise<FakeResponse> {
    if (request.method === 'POST' && request.path === '/token') return this.token(request);
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.path);
    if (request.method === 'POST' && match) return this.sendMessage(request, decodeURIComponent(match[1]));
    return googleError(404, 'NOT_FOUND', `no route ${request.method} ${request.path}`);
  }

  private async token(request: FakeRequest): Promise<FakeResponse> {
    this.tokenRequests += 1;
    if (this.tokenEndpointReply) return this.tokenEndpointReply;
    const form = new URLSearchParams(request.body.toString('utf8'));
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return { status: 400, body: JSON.stringify({ error: 'unsupported_grant_type' }) };
    }
    try {
      const { payload } = await jwtVerify(form.get('assertion') ?? '', this.publicKey, {
        algorithms: ['RS256'],
        issuer: this.clientEmail,
        audience: this.tokenUrl,
        requiredClaims: ['iat', 'exp', 'scope'],
      });
      if (payload.exp! - payload.iat! > 3600) throw new Error('assertion lives longer than an hour');
      if (!String(payload.scope).split(' ').includes('https://www.googleapis.com/auth/firebase.messaging')) {
        throw new Error('scope is missing firebase.messaging');
      }
    } catch (error) {
      return {
        status: 400,
        body: JSON.stringify({ error: 'invalid_grant', error_description: (error as Error).message }),
      };
    }
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    this.issued.add(accessToken);
    return { status: 200, body: JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' }) };
  }

  private sendMessage(request: FakeRequest, project: string): FakeResponse {
    const accessToken = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!accessToken || !this.issued.has(accessToken)) {
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    }
    if (project !== this.projectId) return googleError(403, 'PERMISSION_DENIED', 'Permission denied on project');
    if (!String(request.headers['content-type']).startsWith('application/json')) {
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    const { message } = JSON.parse(request.body.toString('utf8')) as { message: Record<string, unknown> };
    const targets = ['token', 'topic', 'condition'].filter((field) => message[field] !== undefined);
    if (targets.length !== 1) return googleError(400, 'INVALID_ARGUMENT', 'Exactly one of token, topic or condition');
    const data = (message.data ?? {}) as Record<string, unknown>;
    if (Object.values(data).some((value) => typeof value !== 'string')) {
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid value at message.data', 'INVALID_ARGUMENT');
    }
    if (Buffer.byteLength(JSON.stringify({ notification: message.notification, data })) > FCM_MAX_PAYLOAD) {
      return googleError(400, 'INVALID_ARGUMENT', 'Message is too big', 'INVALID_ARGUMENT');
    }
    const scripted = this.nextFailures.shift();
    const failure = scripted?.failure ?? this.tokenFailures.get(String(message.token));
    if (failure) {
      const { code, status, message: text } = FAILURES[failure];
      const violation =
        failure === 'INVALID_ARGUMENT'
          ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message.token' }] }]
          : [];
      return {
        ...googleError(code, status, text, failure, violation),
        headers: scripted?.retryAfter ? { 'retry-after': scripted.retryAfter } : {},
      };
    }
    this.sent.push({ message, accessToken });
    return {
      status: 200,
      body: JSON.stringify({
        name: `projects/${project}/messages/0:${this.sent.length}%${randomBytes(4).toString('hex')}`,
      }),
    };
  }
}
