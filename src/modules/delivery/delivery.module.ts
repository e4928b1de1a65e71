import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { CHANNEL_SELECTION, ChannelRegistry, DELIVERY_CHANNELS } from './channel-registry';
import { channelSelection, createChannels } from './channels/channel-factory';
import type { ChannelContext } from './channels/delivery-channel';
import { RetryPolicy } from './domain/retry-policy';
import { SendRateLimiter } from './send-rate-limiter';
import { TokenRemovalValve } from './token-removal-valve';

/** Extra channel context (trusted CAs of loopback fakes); production leaves it empty. */
export const CHANNEL_TRANSPORT = Symbol('CHANNEL_TRANSPORT');
/** The retry policy from the `delivery` settings, for the delivery job's `decideRetry`. */
export const DELIVERY_RETRY_POLICY = Symbol('DELIVERY_RETRY_POLICY');

/**
 * Channels behind one port. Import it where messages are sent; it exports ChannelRegistry (send),
 * SendRateLimiter (slots per provider and campaign), TokenRemovalValve (whether a refused token may be
 * removed) and the retry policy. Needs the global config,
 * Redis and metrics modules.
 */
@Module({
  providers: [
    { provide: CHANNEL_TRANSPORT, useValue: {} },
    {
      provide: CHANNEL_SELECTION,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>) => channelSelection(config.get('delivery', { infer: true })),
    },
    {
      provide: DELIVERY_CHANNELS,
      inject: [ConfigService, CHANNEL_TRANSPORT],
      useFactory: (config: ConfigService<Settings, true>, transport: Pick<ChannelContext, 'ca'>) => {
        const delivery = config.get('delivery', { infer: true });
        return createChannels(delivery, { now: () => new Date(), timeoutMs: delivery.timeoutMs, ...transport });
      },
    },
    {
      provide: DELIVERY_RETRY_POLICY,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>): RetryPolicy => {
        const delivery = config.get('delivery', { infer: true });
        return {
          maxAttempts: delivery.maxAttempts,
          baseDelayMs: delivery.retryBaseMs,
          maxDelayMs: delivery.retryMaxMs,
        };
      },
    },
    ChannelRegistry,
    SendRateLimiter,
    TokenRemovalValve,
  ],
  exports: [ChannelRegistry, SendRateLimiter, TokenRemovalValve, DELIVERY_RETRY_POLICY],
})
export class DeliveryModule {}
