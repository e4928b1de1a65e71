import type { DeliverySettings } from '../../../config/delivery.config';
import { readPushCredentials } from '../../../config/push-credentials';
import type { ChannelSelection } from '../domain/channel-selection';
import type { EmailSender } from '../domain/email-envelope';
import type { ProviderName } from '../domain/outbound-message';
import { ApnsChannel } from './apns.channel';
import type { ChannelContext, DeliveryChannel } from './delivery-channel';
import { Mailer } from './email/mailer';
import { FcmChannel } from './fcm.channel';
import { FcmCredentials } from './fcm-credentials';
import { JwtSigner } from './jwt-signer';
import { OutboxChannel } from './outbox.channel';
import { SmtpChannel } from './smtp.channel';
import { WebhookChannel } from './webhook.channel';
import { WebPushChannel } from './webpush.channel';

/** The transports this deployment uses; an unset DELIVERY_EMAIL_CHANNEL means SMTP once SMTP_URL is set. */
export function channelSelection(delivery: DeliverySettings): ChannelSelection {
  return {
    email: delivery.emailChannel ?? (delivery.smtpUrl ? 'smtp' : 'outbox'),
    push: delivery.pushChannel,
    webhook: delivery.webhookChannel,
  };
}

export function emailSender(delivery: DeliverySettings): EmailSender {
  return {
    fromAddress: delivery.emailFromAddress,
    fromName: delivery.emailFromName,
    replyTo: delivery.emailReplyTo,
    unsubscribeMailto: delivery.emailUnsubscribeMailto,
  };
}

/**
 * Builds one channel per provider the selection uses and the settings have credentials for. Keys
 * are read and parsed here, at startup, so a missing or broken key stops the process with the
 * setting's name instead of failing every send (main.ts reads them once before the app starts, so
 * that stop is one line).
 */
export async function createChannels(
  delivery: DeliverySettings,
  context: ChannelContext,
): Promise<Map<ProviderName, DeliveryChannel>> {
  const selection = channelSelection(delivery);
  const sender = emailSender(delivery);
  const channels = new Map<ProviderName, DeliveryChannel>();
  const add = (channel: DeliveryChannel) => channels.set(channel.provider, channel);
  add(
    new OutboxChannel(delivery.outboxDir, Mailer.mime(), sender, context, {
      apnsTopic: delivery.apnsBundleId,
      webhookSecret: delivery.webhookSecret,
    }),
  );
  if (selection.email === 'smtp' && delivery.smtpUrl) {
    add(
      new SmtpChannel(
        Mailer.smtp(delivery.smtpUrl, delivery.smtpPoolSize, context.timeoutMs, context.ca),
        sender,
        context,
      ),
    );
  }
  if (selection.webhook === 'http' && delivery.webhookSecret) add(new WebhookChannel(delivery.webhookSecret, context));
  if (selection.push !== 'providers') return channels;
  const keys = readPushCredentials(delivery);
  if (keys.fcm) {
    const account = keys.fcm;
    const signer = await JwtSigner.create(
      account.privateKey,
      'RS256',
      account.privateKeyId,
      'FCM_SERVICE_ACCOUNT_FILE',
    );
    const tokenUrl = delivery.fcmTokenUrl ?? account.tokenUri;
    const credentials = new FcmCredentials(account, signer, tokenUrl, context.timeoutMs, context.now);
    add(new FcmChannel(credentials, delivery.fcmApiUrl, account.projectId, context));
  }
  if (keys.apnsKey && delivery.apnsKeyId && delivery.apnsTeamId && delivery.apnsBundleId) {
    const signer = await JwtSigner.create(keys.apnsKey, 'ES256', delivery.apnsKeyId, 'APNS_KEY_FILE');
    add(
      new ApnsChannel(
        { url: delivery.apnsUrl, teamId: delivery.apnsTeamId, bundleId: delivery.apnsBundleId, signer },
        context,
      ),
    );
  }
  if (keys.vapid) add(new WebPushChannel(keys.vapid, context));
  return channels;
}
