import { DeliveryError } from '../domain/delivery-error';
import { classifyTransportError } from '../domain/http-failures';
import type { DeliveryReceipt, OutboundMessage } from '../domain/outbound-message';
import { classifyFcmError } from '../domain/push-failures';
import { fcmMessageBody } from '../domain/push-payloads';
import { parseRetryAfter } from '../domain/retry-after';
import type { ChannelContext, DeliveryChannel } from './delivery-channel';
import { FcmCredentials } from './fcm-credentials';

/**
 * Push through FCM HTTP v1 (`projects/<id>/messages:send`), one token per request. FCM has no
 * idempotency key; a resend after a crash is a second message, which the notification tag
 * (Android), apns-collapse-id (iOS) and Topic (web) derived from the notification id collapse
 * into the first on the device instead of showing twice.
 */
export class FcmChannel implements DeliveryChannel {
  readonly provider = 'fcm' as const;
  private readonly sendUrl: string;

  constructor(
    private readonly credentials: FcmCredentials,
    apiUrl: string,
    projectId: string,
    private readonly context: ChannelContext,
  ) {
    this.sendUrl = `${apiUrl.replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(projectId)}/messages:send`;
  }

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    if (message.channel !== 'push' || message.to.platform !== 'fcm') {
      throw new DeliveryError('delivery.rejected', this.provider, 'FCM carries only push messages to fcm tokens');
    }
    const accessToken = await this.credentials.accessToken();
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.sendUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(fcmMessageBody(message, this.context.now())),
        signal: AbortSignal.timeout(this.context.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const failure = classifyTransportError(error);
      throw new DeliveryError(failure.code, this.provider, failure.message, failure.details);
    }
    const body = parseJson(text);
    if (response.ok && typeof body?.name === 'string') {
      return { provider: this.provider, providerMessageId: body.name, acceptedAt: this.context.now() };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.context.now());
    const failure = classifyFcmError(response.ok ? 502 : response.status, body, retryAfterMs);
    // THIRD_PARTY_AUTH_ERROR is a 401 about the APNs or Web Push credentials in Firebase, not our token.
    if (response.status === 401 && failure.details.providerCode !== 'THIRD_PARTY_AUTH_ERROR') {
      this.credentials.invalidate();
    }
    throw new DeliveryError(failure.code, this.provider, failure.message, failure.details);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
