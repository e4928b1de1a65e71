import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { Settings } from '../../config/settings';

/**
 * What happened to notifications: the outcome, and the reason for suppressions and failures. `redelivered`: given
 * a delivery job again by the sweep of stranded messages (its own was lost), with the state it was found in.
 */
export type NotificationEvent = 'sent' | 'failed' | 'suppressed' | 'retried' | 'recovered' | 'redelivered';

export interface NotificationCount {
  event: NotificationEvent;
  campaignId: string;
  channel: string;
  reason: string;
  count: number;
}

const FLUSH_MS = 1000;

/**
 * Notification counters shared by every process. Workers have no HTTP server, so they add their counts
 * to one Redis hash (buffered for a second, so a send costs no extra round trip) and the API's
 * /metrics reads the hash. A worker killed within the second loses that second's counts, never more.
 */
@Injectable()
export class DeliveryMetrics implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryMetrics.name);
  private readonly key: string;
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    config: ConfigService<Settings, true>,
  ) {
    this.key = `${config.get('redis', { infer: true }).prefix}:metrics:notifications`;
  }

  count(event: NotificationEvent, labels: { campaignId: string; channel: string; reason?: string }, n = 1): void {
    const field = [event, labels.campaignId, labels.channel, labels.reason ?? ''].join('|');
    this.pending.set(field, (this.pending.get(field) ?? 0) + n);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  /** Writes the buffered counts to Redis (on a timer, and at shutdown). */
  async flush(): Promise<void> {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const counts = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    for (const [field, n] of counts) pipeline.hincrby(this.key, field, n);
    try {
      await pipeline.exec();
    } catch (error) {
      this.logger.warn(`notification counters not written: ${(error as Error).message}`);
    }
  }

  /** Every counter as stored, for /metrics. */
  async read(): Promise<NotificationCount[]> {
    const hash = await this.redis.hgetall(this.key);
    return Object.entries(hash).map(([field, value]) => {
      const [event, campaignId, channel, reason] = field.split('|');
      return { event: event as NotificationEvent, campaignId, channel, reason, count: Number(value) };
    });
  }

  // Before Redis connections close at shutdown.
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
