import { DeliveryError } from '../domain/delivery-error';
import { classifyTransportError, classifyWebhookStatus } from '../domain/http-failures';
import type { DeliveryReceipt, OutboundMessage } from '../domain/outbound-message';
import { parseRetryAfter } from '../domain/retry-after';
import { webhookBody } from '../domain/webhook-body';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../domain/webhook-signature';
import type { ChannelContext, DeliveryChannel } from './delivery-channel';

/**
 * A signed JSON POST to the campaign's endpoint. The receiver verifies `Journeycast-Signature`
 * (HMAC-SHA256 of `<t>.<body>`) and dedupes on `Idempotency-Key` (the notification id), which is
 * what makes a resend after a crash harmless. Redirects are refused: the configured URL is the target.
 */
export class WebhookChannel implements DeliveryChannel {
  readonly provider = 'webhook' as const;

  constructor(
    private readonly secret: string,
    private readonly context: ChannelContext,
  ) {}

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    if (message.channel !== 'webhook') {
      throw new DeliveryError(
        'delivery.rejected',
        this.provider,
        `a webhook cannot carry a ${message.channel} message`,
      );
    }
    const target = parseUrl(message.to.url);
    if (!target || !/^https?:$/.test(target.protocol)) {
      throw new DeliveryError('delivery.rejected', this.provider, 'the webhook URL must be http: or https:');
    }
    // fetch refuses to build such a request at all; retrying it would fail the same way every time.
    if (target.username || target.password) {
      throw new DeliveryError(
        'delivery.rejected',
        this.provider,
        'the webhook URL must not carry a user name or password',
      );
    }
    const sentAt = this.context.now();
    const body = JSON.stringify(webhookBody(message, sentAt));
    let response: Response;
    try {
      response = await fetch(message.to.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Journeycast-Webhook/1',
          'idempotency-key': message.notificationId,
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(this.secret, body, sentAt),
        },
        body,
        signal: AbortSignal.timeout(this.context.timeoutMs),
      });
      await response.arrayBuffer();
    } catch (error) {
      const failure = classifyTransportError(error);
      throw new DeliveryError(failure.code, this.provider, failure.message, failure.details);
    }
    if (response.status >= 200 && response.status < 300) {
      return {
        provider: this.provider,
        providerMessageId: response.headers.get('x-request-id') ?? message.notificationId,
        acceptedAt: this.context.now(),
        response: `HTTP ${response.status}`,
      };
    }
    const failure = classifyWebhookStatus(
      response.status,
      parseRetryAfter(response.headers.get('retry-after'), this.context.now()),
    );
    throw new DeliveryError(failure.code, this.provider, failure.message, failure.details);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
