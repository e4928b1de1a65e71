import type { OutboundPush, OutboundWebhook } from '../domain/outbound-message';
import { apnsRequest, fcmMessageBody, webPushMessage } from '../domain/push-payloads';
import { parseWebPushSubscription } from '../domain/web-push-subscription';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../domain/webhook-signature';
import { webhookBody } from '../domain/webhook-body';

/** Device tokens are credentials of a sort: the file shows only their end, enough to tell devices apart. */
const mask = (token: string) => (token.length <= 8 ? '…' : `…${token.slice(-8)}`);

/** What the provider would have received for `push`, with the token masked. */
function pushRequest(push: OutboundPush, at: Date, apnsTopic: string | undefined): Record<string, unknown> {
  switch (push.to.platform) {
    case 'fcm': {
      const body = fcmMessageBody(push, at);
      return { fcm: { message: { ...body.message, token: mask(push.to.token) } } };
    }
    case 'apns':
      return { apns: apnsRequest(push, apnsTopic ?? '(APNS_BUNDLE_ID)', at) };
    case 'webpush': {
      const message = webPushMessage(push);
      const endpoint = parseWebPushSubscription(push.to.token)?.endpoint ?? '(not a valid subscription)';
      return {
        webpush: {
          endpoint,
          topic: message.topic,
          ttl: message.ttlSeconds,
          payload: JSON.parse(message.payload) as unknown,
        },
      };
    }
  }
}

/** The JSON document the outbox writes for a push or webhook message. */
export function outboxPreview(
  message: OutboundPush | OutboundWebhook,
  at: Date,
  options: { apnsTopic?: string; webhookSecret?: string },
): Record<string, unknown> {
  const common = {
    notificationId: message.notificationId,
    campaignId: message.campaignId,
    category: message.category,
    userId: message.userId,
    channel: message.channel,
    writtenAt: at.toISOString(),
  };
  if (message.channel === 'push') {
    return {
      ...common,
      platform: message.to.platform,
      token: mask(message.to.token),
      content: message.content,
      request: pushRequest(message, at, options.apnsTopic),
    };
  }
  const body = JSON.stringify(webhookBody(message, at));
  const signature = options.webhookSecret
    ? signWebhook(options.webhookSecret, body, at)
    : '(WEBHOOK_SIGNING_SECRET unset)';
  return {
    ...common,
    url: message.to.url,
    headers: { [WEBHOOK_SIGNATURE_HEADER]: signature },
    body: JSON.parse(body) as unknown,
  };
}
