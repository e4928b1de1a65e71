import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsRegistry } from '../../../common/metrics/metrics.registry';
import { DeliveryMetrics } from '../../delivery/delivery.metrics';

/**
 * Sending in /metrics (API role): the cluster-wide notification counters workers keep in Redis (sent,
 * failed, suppressed by reason, retried, recovered), read when Prometheus scrapes, so every API replica
 * reports the same numbers. They only grow, so they are exposed as a counter (its value replaced at each
 * scrape), which `rate()` and `increase()` expect. Queue depths are `journeycast_queue_jobs`, kept for every queue.
 */
@Injectable()
export class SendingMetrics implements OnModuleInit {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly counters: DeliveryMetrics,
  ) {}

  onModuleInit(): void {
    this.registry.counter(
      'journeycast_notifications_total',
      'Notifications by outcome (sent, failed, suppressed, retried, recovered, redelivered), campaign, channel and reason, all workers',
      ['event', 'campaign', 'channel', 'reason'],
      async (counter) => {
        const counts = await this.counters.read();
        counter.reset();
        for (const c of counts) {
          counter.inc({ event: c.event, campaign: c.campaignId, channel: c.channel, reason: c.reason }, c.count);
        }
      },
    );
  }
}
