import type { FailureClass } from './delivery-error';
import { classifyTransportError } from './http-failures';

/** What nodemailer attaches to a failed send. */
export interface SmtpErrorLike {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/**
 * nodemailer's own refusals of this message, made without a server reply, that no retry can fix: an
 * envelope with no or a malformed address (EENVELOPE), an empty message or one larger than the relay
 * advertised (EMESSAGE).
 */
const MESSAGE_REFUSALS = new Set(['EENVELOPE', 'EMESSAGE']);

/** RFC 3463 X.1.7 and X.1.8: our own sender address is refused, which says nothing of the recipient's. */
const SENDER_ADDRESS = new Set(['5.1.7', '5.1.8']);

/** The RFC 3463 enhanced status code (`5.1.1`) at the start of an SMTP reply text, if any. */
function enhancedStatus(response: string | undefined): string | undefined {
  return response?.match(/^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

/**
 * SMTP replies: 4xx is temporary (greylisting, full queue) and retries; 5xx is permanent. Among 5xx,
 * only a bad or disabled mailbox (5.1.x, 5.2.1, or a bare 550/551/553 at RCPT TO) is a hard bounce
 * that suppresses the address; policy, size and content refusals (5.7.x, 5.3.4, 554) and refusals of
 * our sender address (5.1.7, 5.1.8, which relays give at RCPT TO too) reject this message without
 * blaming the address. 535 and EAUTH are our relay credentials. A failure with no
 * reply at all is the road to the relay (DNS, refused or reset connection, TLS, timeout), whatever code
 * Node or nodemailer gave it, and retries.
 */
export function classifySmtpError(error: SmtpErrorLike): FailureClass {
  const status = error.responseCode;
  const enhanced = enhancedStatus(error.response);
  const providerCode = enhanced ?? error.code;
  const message = error.response ?? error.message ?? 'SMTP failure';
  const details = { status, providerCode };
  if (error.code === 'EAUTH' || status === 535 || status === 530) {
    return { code: 'delivery.auth', message, details };
  }
  if (status === undefined) {
    if (error.code && MESSAGE_REFUSALS.has(error.code)) return { code: 'delivery.rejected', message, details };
    const failure = classifyTransportError(error);
    return failure.code === 'delivery.timeout' ? failure : { ...failure, message };
  }
  if (status >= 400 && status < 500) return { code: 'delivery.unavailable', message, details };
  const badMailbox = enhanced
    ? (enhanced.startsWith('5.1.') && !SENDER_ADDRESS.has(enhanced)) || enhanced === '5.2.1'
    : [550, 551, 553].includes(status) && /^RCPT/i.test(error.command ?? '');
  return { code: badMailbox ? 'delivery.hard-bounce' : 'delivery.rejected', message, details };
}
