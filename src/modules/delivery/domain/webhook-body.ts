import type { OutboundWebhook } from './outbound-message';

/** The JSON a webhook endpoint receives; `notificationId` doubles as the receiver's idempotency key. */
export function webhookBody(message: OutboundWebhook, sentAt: Date): Record<string, unknown> {
  return {
    type: 'notification',
    notificationId: message.notificationId,
    campaignId: message.campaignId,
    category: message.category,
    userId: message.userId,
    message: message.content,
    unsubscribeUrl: message.unsubscribeUrl,
    sentAt: sentAt.toISOString(),
  };
}
