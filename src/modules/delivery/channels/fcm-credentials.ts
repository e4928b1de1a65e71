import { DeliveryError } from '../domain/delivery-error';
import { classifyHttpStatus, classifyTransportError } from '../domain/http-failures';
import type { ServiceAccount } from '../domain/push-credentials';
import { parseRetryAfter } from '../domain/retry-after';
import { JwtSigner } from './jwt-signer';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Renew this long before expiry, so a token never expires between fetching it and FCM reading it. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * OAuth2 access tokens for FCM from a service account (the JWT-bearer grant, RFC 7523, that Google's
 * own libraries use): an RS256 assertion signed with the account's key, exchanged at the token
 * endpoint, cached until shortly before it expires; concurrent senders share one refresh.
 */
export class FcmCredentials {
  private cached?: { token: string; expiresAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly account: ServiceAccount,
    private readonly signer: JwtSigner,
    private readonly tokenUrl: string,
    private readonly timeoutMs: number,
    private readonly now: () => Date,
  ) {}

  accessToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt - REFRESH_MARGIN_MS > this.now().getTime()) {
      return Promise.resolve(this.cached.token);
    }
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets the cached token after FCM refused it, so the next send fetches a fresh one. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const now = this.now();
    const seconds = Math.floor(now.getTime() / 1000);
    const assertion = await this.signer.sign(
      { iss: this.account.clientEmail, scope: SCOPE, aud: this.tokenUrl, exp: seconds + 3600 },
      now,
    );
    let response: Response;
    let body: { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    try {
      response = await fetch(this.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: GRANT_TYPE, assertion }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = (await response.json().catch(() => ({}))) as typeof body;
    } catch (error) {
      const failure = classifyTransportError(error);
      throw new DeliveryError(failure.code, 'fcm', `token endpoint: ${failure.message}`, failure.details);
    }
    if (!response.ok || !body.access_token) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
      // invalid_grant / invalid_client: the key was revoked or the clock is off; fixing config lets retries through.
      const failure =
        response.status === 400 ? classifyHttpStatus(401) : classifyHttpStatus(response.status, retryAfterMs);
      const reason = body.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}` : '';
      throw new DeliveryError(failure.code, 'fcm', `token endpoint HTTP ${response.status} ${reason}`.trim(), {
        ...failure.details,
        status: response.status,
        providerCode: body.error,
      });
    }
    this.cached = { token: body.access_token, expiresAt: now.getTime() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  }
}
