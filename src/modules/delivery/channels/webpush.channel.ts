import { Agent } from 'node:https';
import { getVapidHeaders, sendNotification, WebPushError } from 'web-push';
import { DeliveryError } from '../domain/delivery-error';
import { classifyTransportError } from '../domain/http-failures';
import type { DeliveryReceipt, OutboundMessage } from '../domain/outbound-message';
import { classifyWebPushError } from '../domain/push-failures';
import { webPushMessage } from '../domain/push-payloads';
import { parseRetryAfter } from '../domain/retry-after';
import { parseWebPushSubscription } from '../domain/web-push-subscription';
import type { ChannelContext, DeliveryChannel } from './delivery-channel';

export interface VapidDetails {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/**
 * Web Push (RFC 8030/8291/8292) with the web-push package: aes128gcm payload encryption to the
 * subscription's keys and a VAPID JWT per request. The `Topic` header, derived from the notification
 * id, makes the push service replace an undelivered first copy with a resent one.
 */
export class WebPushChannel implements DeliveryChannel {
  readonly provider = 'webpush' as const;
  private readonly agent?: Agent;

  constructor(
    private readonly vapid: VapidDetails,
    private readonly context: ChannelContext,
  ) {
    // Fails at startup, naming the settings, rather than on the first send.
    try {
      getVapidHeaders('https://push.example', vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm');
    } catch (error) {
      throw new Error(
        `VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY / VAPID_SUBJECT are not usable: ${(error as Error).message}`,
      );
    }
    this.agent = context.ca ? new Agent({ ca: context.ca, keepAlive: true }) : new Agent({ keepAlive: true });
  }

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    if (message.channel !== 'push' || message.to.platform !== 'webpush') {
      throw new DeliveryError(
        'delivery.rejected',
        this.provider,
        'Web Push carries only push messages to webpush tokens',
      );
    }
    const subscription = parseWebPushSubscription(message.to.token);
    if (!subscription) {
      throw new DeliveryError('delivery.invalid-token', this.provider, 'the token is not a Web Push subscription');
    }
    const { payload, topic, ttlSeconds } = webPushMessage(message);
    try {
      const result = await sendNotification(subscription, payload, {
        vapidDetails: this.vapid,
        TTL: ttlSeconds,
        topic,
        urgency: 'normal',
        contentEncoding: 'aes128gcm',
        timeout: this.context.timeoutMs,
        agent: this.agent,
      });
      const location = result.headers.location;
      return { provider: this.provider, providerMessageId: location ?? topic, acceptedAt: this.context.now() };
    } catch (error) {
      throw this.classify(error);
    }
  }

  close(): Promise<void> {
    this.agent?.destroy();
    return Promise.resolve();
  }

  private classify(error: unknown): DeliveryError {
    if (error instanceof WebPushError) {
      const retryAfterMs = parseRetryAfter(error.headers['retry-after'], this.context.now());
      const failure = classifyWebPushError(error.statusCode, error.body, retryAfterMs);
      return new DeliveryError(failure.code, this.provider, failure.message, failure.details);
    }
    // web-push validates the subscription's keys before any request; those errors carry no socket code.
    const e = error as { code?: string; message?: string };
    if (!e.code && /subscription|p256dh|auth/i.test(e.message ?? '')) {
      return new DeliveryError('delivery.invalid-token', this.provider, e.message ?? 'invalid subscription');
    }
    // web-push ends a request that went quiet for the timeout with a plain Error of this message.
    if (!e.code && e.message === 'Socket timeout') {
      return new DeliveryError('delivery.timeout', this.provider, `timed out: ${e.message}`, {
        providerCode: 'timeout',
      });
    }
    const failure = classifyTransportError(error);
    return new DeliveryError(failure.code, this.provider, failure.message, failure.details);
  }
}
