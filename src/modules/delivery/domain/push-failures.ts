import type { FailureClass } from './delivery-error';
import { classifyHttpStatus } from './http-failures';

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
/** FCM's floor for retrying a message refused for the sending rate, when it sends no Retry-After. */
const FCM_QUOTA_RETRY_MS = 60_000;
const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';

interface GoogleErrorBody {
  error?: {
    message?: string;
    status?: string;
    details?: Array<{ '@type'?: string; errorCode?: string; fieldViolations?: Array<{ field?: string }> }>;
  };
}

/**
 * FCM HTTP v1 errors (google.rpc.Status with an FcmError detail): UNREGISTERED means the token is dead;
 * SENDER_ID_MISMATCH means the service account's project is not the one the app registered the token with, which
 * one wrong FCM_SERVICE_ACCOUNT_FILE answers for every token, so it is our setting, not the token; INVALID_ARGUMENT blames the token only when the field violation or
 * message says so (otherwise our payload is wrong); QUOTA_EXCEEDED (after a minute at least, unless
 * FCM says when), UNAVAILABLE and INTERNAL retry; THIRD_PARTY_AUTH_ERROR and UNAUTHENTICATED are
 * credentials.
 */
export function classifyFcmError(status: number, body: unknown, retryAfterMs?: number): FailureClass {
  const error = (body as GoogleErrorBody | undefined)?.error;
  const details = error?.details ?? [];
  const fcmCode = details.find((d) => d['@type'] === FCM_ERROR_TYPE)?.errorCode;
  const providerCode = fcmCode ?? error?.status;
  const message = error?.message ?? `HTTP ${status}`;
  const base = { status, providerCode, retryAfterMs };
  switch (fcmCode) {
    case 'UNREGISTERED':
      return { code: 'delivery.invalid-token', message, details: base };
    case 'SENDER_ID_MISMATCH':
      return { code: 'delivery.misconfigured', message, details: { ...base, setting: 'FCM_SERVICE_ACCOUNT_FILE' } };
    case 'INVALID_ARGUMENT': {
      const fields = details.filter((d) => d['@type'] === BAD_REQUEST_TYPE).flatMap((d) => d.fieldViolations ?? []);
      const blamesToken =
        fields.some((f) => f.field === 'message.token') || /registration token/i.test(error?.message ?? '');
      return { code: blamesToken ? 'delivery.invalid-token' : 'delivery.rejected', message, details: base };
    }
    case 'QUOTA_EXCEEDED':
      return {
        code: 'delivery.throttled',
        message,
        details: { ...base, retryAfterMs: retryAfterMs ?? FCM_QUOTA_RETRY_MS },
      };
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return { code: 'delivery.unavailable', message, details: base };
    case 'THIRD_PARTY_AUTH_ERROR':
      return { code: 'delivery.auth', message, details: base };
    case undefined:
    default:
      return { ...classifyHttpStatus(status, retryAfterMs, providerCode), message };
  }
}

const APNS_DEAD_TOKEN = new Set(['Unregistered', 'ExpiredToken']);
const APNS_AUTH = new Set([
  'ExpiredProviderToken',
  'InvalidProviderToken',
  'MissingProviderToken',
  'BadCertificate',
  'BadCertificateEnvironment',
  'Forbidden',
]);
const APNS_RETRY = new Set(['InternalServerError', 'ServiceUnavailable', 'Shutdown', 'IdleTimeout']);

/**
 * APNs answers `{reason}`: 410 Unregistered/ExpiredToken mean the token is dead. 400 DeviceTokenNotForTopic is
 * our APNS_BUNDLE_ID (one wrong topic gets it for every token): the token stays. 400 BadDeviceToken is a dead
 * token, or one of the other APNs environment (a sandbox token sent to production, or the reverse), which a
 * wrong APNS_URL gets for every token: it is marked ambiguous, and removed only while such answers are few.
 * Provider-token reasons (403) are our JWT; 429 TooManyRequests throttles;
 * 500/503 retry; every other reason rejects the message. A 410 also says since when (`timestamp`, ms since
 * the epoch) the token is invalid: a token registered again after that is alive.
 */
export function classifyApnsError(
  status: number,
  reason: string | undefined,
  retryAfterMs?: number,
  timestamp?: unknown,
): FailureClass {
  const invalidSince = status === 410 && typeof timestamp === 'number' ? new Date(timestamp) : undefined;
  const details = {
    status,
    providerCode: reason,
    retryAfterMs,
    ...(invalidSince && !Number.isNaN(invalidSince.getTime()) && { tokenInvalidSince: invalidSince }),
  };
  const message = reason ? `APNs ${status} ${reason}` : `APNs HTTP ${status}`;
  if (reason && APNS_DEAD_TOKEN.has(reason)) return { code: 'delivery.invalid-token', message, details };
  if (reason === 'BadDeviceToken') {
    return {
      code: 'delivery.invalid-token',
      message,
      details: { ...details, setting: 'APNS_URL', ambiguousToken: true },
    };
  }
  if (reason === 'DeviceTokenNotForTopic') {
    return { code: 'delivery.misconfigured', message, details: { ...details, setting: 'APNS_BUNDLE_ID' } };
  }
  if (reason && APNS_AUTH.has(reason)) return { code: 'delivery.auth', message, details };
  if (status === 429) return { code: 'delivery.throttled', message, details };
  if ((reason && APNS_RETRY.has(reason)) || status >= 500) return { code: 'delivery.unavailable', message, details };
  return { code: 'delivery.rejected', message, details };
}

/**
 * A Web Push service (RFC 8030) answer: 404 and 410 mean the subscription expired or was revoked,
 * 413 is a payload too large, 401/403 our VAPID credentials, 429 and 5xx retry.
 */
export function classifyWebPushError(status: number, body: string | undefined, retryAfterMs?: number): FailureClass {
  const message = `Web Push ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  if (status === 404 || status === 410) {
    return { code: 'delivery.invalid-token', message, details: { status, retryAfterMs } };
  }
  return { ...classifyHttpStatus(status, retryAfterMs), message };
}
