import { Injectable, OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';
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
    const counters = this.counters;
    this.counter(
      'journeycast_notifications_total',
      'Notifications by outcome (sent, failed, suppressed, retried, recovered, redelivered), campaign, channel and reason, all workers',
      ['event', 'campaign', 'channel', 'reason'],
      async function () {
        this.reset();
        for (const c of await counters.read()) {
          this.inc({ event: c.event, campaign: c.campaignId, channel: c.channel, reason: c.reason }, c.count);
        }
      },
    );
  }

  /** A counter read on each scrape; registered once per registry. */
  private counter(name: string, help: string, labelNames: string[], collect: (this: Counter) => Promise<void>): void {
    if (this.registry.registry.getSingleMetric(name)) return;
    new Counter({ name, help, labelNames, registers: [this.registry.registry], collect });
  }
}
