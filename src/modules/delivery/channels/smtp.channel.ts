import { DeliveryError } from '../domain/delivery-error';
import { composeEmail, EmailSender } from '../domain/email-envelope';
import type { DeliveryReceipt, OutboundMessage } from '../domain/outbound-message';
import { classifySmtpError, SmtpErrorLike } from '../domain/smtp-failures';
import type { ChannelContext, DeliveryChannel } from './delivery-channel';
import { Mailer } from './email/mailer';

/**
 * Email through a pooled SMTP relay. Idempotency: the Message-ID is derived from the notification id,
 * so a copy resent after a crash carries the same Message-ID, which many mailbox providers (Gmail
 * among them) use to drop the second copy; the protocol itself offers nothing stronger.
 */
export class SmtpChannel implements DeliveryChannel {
  readonly provider = 'smtp' as const;

  constructor(
    private readonly mailer: Mailer,
    private readonly sender: EmailSender,
    private readonly context: ChannelContext,
  ) {}

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    if (message.channel !== 'email') {
      throw new DeliveryError('delivery.rejected', this.provider, `SMTP cannot carry a ${message.channel} message`);
    }
    try {
      const result = await this.mailer.send(composeEmail(message, this.sender));
      return {
        provider: this.provider,
        providerMessageId: result.messageId,
        acceptedAt: this.context.now(),
        response: result.response,
      };
    } catch (error) {
      const failure = classifySmtpError(error as SmtpErrorLike);
      throw new DeliveryError(failure.code, this.provider, failure.message, failure.details);
    }
  }

  close(): Promise<void> {
    this.mailer.close();
    return Promise.resolve();
  }
}
