import type { ProviderName } from './outbound-message';

/** Failures worth another attempt later: the provider or the road to it is the problem, not the message. */
export const RETRYABLE_CODES = [
  'delivery.network', // connection refused/reset, DNS, TLS
  'delivery.timeout',
  'delivery.unavailable', // 5xx, SMTP 4xx
  'delivery.throttled', // 429, quota; honour retryAfterMs
  'delivery.auth', // our provider credentials were refused or expired; a fixed config lets retries through
] as const;

/** Failures no retry can fix; some come with an action on the recipient. */
export const PERMANENT_CODES = [
  'delivery.invalid-token', // push token unknown to the provider: remove it from the user
  'delivery.hard-bounce', // mailbox does not exist: suppress the address
  'delivery.rejected', // the provider refused this message (payload, policy, gone endpoint)
  'delivery.not-configured', // no credentials for this channel in this deployment
  'delivery.misconfigured', // the provider says one of our settings is wrong for this token: fix `setting`, keep the token
] as const;

export type RetryableCode = (typeof RETRYABLE_CODES)[number];
export type PermanentCode = (typeof PERMANENT_CODES)[number];
export type DeliveryErrorCode = RetryableCode | PermanentCode;

/** What the caller should do about the recipient after a permanent failure. */
export type RecipientAction = 'remove-token' | 'suppress-address' | 'none';

export interface DeliveryErrorDetails {
  /** HTTP status or SMTP reply code, when the provider answered. */
  status?: number;
  /** The provider's own error code (`UNREGISTERED`, `BadDeviceToken`, `5.1.1`, `ETIMEDOUT`...). */
  providerCode?: string;
  /** Milliseconds the provider asked us to wait (Retry-After). */
  retryAfterMs?: number;
  /**
   * When the provider last found the push token invalid (APNs 410 `timestamp`): a token the profile listed
   * again after it is kept.
   */
  tokenInvalidSince?: Date;
  /** The setting the provider's answer points at (`APNS_BUNDLE_ID`, `APNS_URL`...), for the operator to check. */
  setting?: string;
  /**
   * The token was refused for a reason our settings can also cause (APNs BadDeviceToken: a token of the other
   * APNs environment): it is removed only while such refusals are a small share of the provider's answers.
   */
  ambiguousToken?: boolean;
}

/** The one error type every channel throws; the delivery job reads `retryable`, `action` and `retryAfterMs`. */
export class DeliveryError extends Error {
  readonly status?: number;
  readonly providerCode?: string;
  readonly retryAfterMs?: number;
  readonly tokenInvalidSince?: Date;
  readonly setting?: string;
  readonly ambiguousToken: boolean;

  constructor(
    readonly code: DeliveryErrorCode,
    readonly provider: ProviderName,
    message: string,
    details: DeliveryErrorDetails = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
    this.status = details.status;
    this.providerCode = details.providerCode;
    this.retryAfterMs = details.retryAfterMs;
    this.tokenInvalidSince = details.tokenInvalidSince;
    this.setting = details.setting;
    this.ambiguousToken = details.ambiguousToken === true;
  }

  get retryable(): boolean {
    return (RETRYABLE_CODES as readonly string[]).includes(this.code);
  }

  get action(): RecipientAction {
    if (this.code === 'delivery.invalid-token') return 'remove-token';
    if (this.code === 'delivery.hard-bounce') return 'suppress-address';
    return 'none';
  }

  /** A plain record for the notification's attempt log and the "why" explanation. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      provider: this.provider,
      message: this.message,
      status: this.status,
      providerCode: this.providerCode,
      retryAfterMs: this.retryAfterMs,
      // An APNs 410's time: why a token listed again since was kept (see `runs explain`).
      ...(this.tokenInvalidSince && { tokenInvalidSince: this.tokenInvalidSince.toISOString() }),
      ...(this.setting && { setting: this.setting }),
      ...(this.ambiguousToken && { ambiguousToken: true }),
      retryable: this.retryable,
      action: this.action,
    };
  }
}

/** A classification before the provider name is attached: what the per-provider mappers return. */
export interface FailureClass {
  code: DeliveryErrorCode;
  message: string;
  details: DeliveryErrorDetails;
}
