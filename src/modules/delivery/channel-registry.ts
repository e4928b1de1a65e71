import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import type { DeliveryChannel } from './channels/delivery-channel';
import { ChannelSelection, providerFor } from './domain/channel-selection';
import { DeliveryError } from './domain/delivery-error';
import { classifyTransportError } from './domain/http-failures';
import type { DeliveryReceipt, OutboundMessage, ProviderName } from './domain/outbound-message';
import { TokenRemovalValve } from './token-removal-valve';

/** Injection tokens of the built channels and the selection they were built for. */
export const DELIVERY_CHANNELS = Symbol('DELIVERY_CHANNELS');
export const CHANNEL_SELECTION = Symbol('CHANNEL_SELECTION');

/**
 * The one entry point for sending: picks the channel for a message (email by settings, push by the
 * token's platform, webhook per campaign), sends once, and turns every failure into a DeliveryError.
 * It neither retries nor rate-limits: the delivery job records the attempt, asks SendRateLimiter
 * for a slot, calls `send`, and applies `decideRetry` to a failure.
 */
@Injectable()
export class ChannelRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(ChannelRegistry.name);
  private readonly sends;
  private readonly latency;

  constructor(
    @Inject(DELIVERY_CHANNELS) private readonly channels: Map<ProviderName, DeliveryChannel>,
    @Inject(CHANNEL_SELECTION) private readonly selection: ChannelSelection,
    metrics: MetricsRegistry,
    private readonly valve: TokenRemovalValve,
  ) {
    this.sends = metrics.counter(
      'journeycast_delivery_sends_total',
      'Provider sends by outcome (accepted or the error code)',
      ['provider', 'outcome'],
    );
    this.latency = metrics.histogram(
      'journeycast_delivery_send_seconds',
      'Time a provider took to accept or refuse one message',
      ['provider'],
      [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
  }

  /** The provider `message` would leave through. */
  providerFor(message: OutboundMessage): ProviderName {
    return providerFor(message, this.selection);
  }

  /** Providers with a channel in this deployment. */
  configuredProviders(): ProviderName[] {
    return [...this.channels.keys()];
  }

  /** Sends `message` once; resolves with the provider's receipt or rejects with a DeliveryError. */
  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    const provider = this.providerFor(message);
    const channel = this.channels.get(provider);
    if (!channel) {
      this.sends.inc({ provider, outcome: 'delivery.not-configured' });
      throw new DeliveryError('delivery.not-configured', provider, `${provider} has no credentials in this deployment`);
    }
    const stop = this.latency.startTimer({ provider });
    try {
      const receipt = await channel.send(message);
      this.sends.inc({ provider, outcome: 'accepted' });
      // Counted without waiting: the acceptance is written at once, and this worker's next answer is counted after it.
      void this.valve.record(provider);
      return receipt;
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : this.unexpected(provider, error);
      this.sends.inc({ provider, outcome: failure.code });
      await this.valve.record(provider, failure);
      this.logger.warn({
        message: 'send failed',
        notificationId: message.notificationId,
        campaignId: message.campaignId,
        ...failure.toJSON(),
      });
      throw failure;
    } finally {
      stop();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.channels.values()].map((channel) => channel.close()));
  }

  /** A bug or an unforeseen library error: retryable, so a fix deployed in time still delivers. */
  private unexpected(provider: ProviderName, error: unknown): DeliveryError {
    this.logger.error({ message: 'unexpected channel error', provider, error });
    const failure = classifyTransportError(error);
    return new DeliveryError(failure.code, provider, failure.message, failure.details);
  }
}
