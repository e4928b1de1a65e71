import type { FailureClass } from './delivery-error';

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
}

/** The innermost error code of a thrown value (fetch wraps socket errors in `cause`). */
function errorCode(error: unknown, depth = 0): { code?: string; name?: string; message: string } {
  const e = (error ?? {}) as ErrorLike;
  const inner = depth < 3 && e.cause ? errorCode(e.cause, depth + 1) : undefined;
  return {
    code: inner?.code ?? e.code,
    name: inner?.name === 'TimeoutError' ? inner.name : e.name,
    message: e.message ?? String(error),
  };
}

/**
 * A failure before any provider answer: no socket, reset, DNS, TLS, or our own timeout. Always
 * retryable; note that a timeout after the request left may still have been delivered.
 */
export function classifyTransportError(error: unknown): FailureClass {
  const { code, name, message } = errorCode(error);
  const timedOut = name === 'TimeoutError' || name === 'AbortError' || (code !== undefined && TIMEOUT_CODES.has(code));
  return {
    code: timedOut ? 'delivery.timeout' : 'delivery.network',
    message: timedOut ? `timed out: ${message}` : message,
    details: { providerCode: code ?? name },
  };
}

/**
 * The HTTP meaning of a status when the provider gave nothing more specific: 408/425/429 and 5xx are
 * retryable, 401/403 are our credentials, any other 4xx is a rejection of this message.
 */
export function classifyHttpStatus(status: number, retryAfterMs?: number, providerCode?: string): FailureClass {
  const details = { status, retryAfterMs, providerCode };
  if (status === 429) return { code: 'delivery.throttled', message: `throttled (HTTP ${status})`, details };
  if (status === 408 || status === 425 || status >= 500) {
    return { code: 'delivery.unavailable', message: `provider unavailable (HTTP ${status})`, details };
  }
  if (status === 401 || status === 403) {
    return { code: 'delivery.auth', message: `credentials refused (HTTP ${status})`, details };
  }
  return { code: 'delivery.rejected', message: `rejected (HTTP ${status})`, details };
}

/**
 * A webhook receiver's answer: besides the HTTP defaults, 404 and 410 mean the endpoint is gone
 * (a rejection, not a reason to retry for hours), and 401/403 mean it refuses our signature.
 */
export function classifyWebhookStatus(status: number, retryAfterMs?: number): FailureClass {
  if (status === 401 || status === 403) {
    return {
      code: 'delivery.rejected',
      message: `webhook refused the signature (HTTP ${status})`,
      details: { status },
    };
  }
  return classifyHttpStatus(status, retryAfterMs);
}
