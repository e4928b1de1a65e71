import { readFileSync } from 'node:fs';
import type { DeliverySettings } from '../../../config/delivery.config';
import type { ChannelSelection } from '../domain/channel-selection';
import type { EmailSender } from '../domain/email-envelope';
import type { ProviderName } from '../domain/outbound-message';
import { ApnsChannel } from './apns.channel';
import type { ChannelContext, DeliveryChannel } from './delivery-channel';
import { Mailer } from './email/mailer';
import { FcmChannel } from './fcm.channel';
import { FcmCredentials, readServiceAccount } from './fcm-credentials';
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

function readKeyFile(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${setting} ${path} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * Builds one channel per provider the selection uses and the settings have credentials for. Keys
 * are read and parsed here, at startup, so a missing or broken key stops the process with the
 * setting's name instead of failing every send.
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
  if (delivery.fcmServiceAccountFile) {
    const account = readServiceAccount(delivery.fcmServiceAccountFile);
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
  if (delivery.apnsKeyFile && delivery.apnsKeyId && delivery.apnsTeamId && delivery.apnsBundleId) {
    const pem = readKeyFile(delivery.apnsKeyFile, 'APNS_KEY_FILE');
    const signer = await JwtSigner.create(pem, 'ES256', delivery.apnsKeyId, 'APNS_KEY_FILE');
    add(
      new ApnsChannel(
        { url: delivery.apnsUrl, teamId: delivery.apnsTeamId, bundleId: delivery.apnsBundleId, signer },
        context,
      ),
    );
  }
  if (delivery.vapidPublicKey && delivery.vapidPrivateKey && delivery.vapidSubject) {
    const vapid = {
      subject: delivery.vapidSubject,
      publicKey: delivery.vapidPublicKey,
      privateKey: delivery.vapidPrivateKey,
    };
    add(new WebPushChannel(vapid, context));
  }
  return channels;
}
