import { InjectQueue } from '@nestjs/bull';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '../../../common/metrics/metrics.registry';
import { DeliveryMetrics } from '../../delivery/delivery.metrics';
import { DELIVERY_QUEUE } from '../../delivery/jobs/delivery.queue';
import { CAMPAIGN_RUNS_QUEUE } from './jobs/campaign-runs.queue';

const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

/**
 * Sending in /metrics (API role): the cluster-wide notification counters workers keep in Redis (sent,
 * failed, suppressed by reason, retried, recovered), and the depth of the fan-out and delivery queues.
 * Both are read when Prometheus scrapes, so every API replica reports the same numbers.
 */
@Injectable()
export class SendingMetrics implements OnModuleInit {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly counters: DeliveryMetrics,
    @InjectQueue(DELIVERY_QUEUE) private readonly deliveries: Queue,
    @InjectQueue(CAMPAIGN_RUNS_QUEUE) private readonly fanOut: Queue,
  ) {}

  onModuleInit(): void {
    const counters = this.counters;
    const queues = [this.deliveries, this.fanOut];
    this.gauge(
      'journeycast_notifications_total',
      'Notifications by outcome (sent, failed, suppressed, retried, recovered), campaign, channel and reason, all workers',
      ['event', 'campaign', 'channel', 'reason'],
      async function () {
        this.reset();
        for (const c of await counters.read()) {
          this.set({ event: c.event, campaign: c.campaignId, channel: c.channel, reason: c.reason }, c.count);
        }
      },
    );
    this.gauge(
      'journeycast_sending_queue_jobs',
      'Jobs in the fan-out and delivery queues by state',
      ['queue', 'state'],
      async function () {
        for (const queue of queues) {
          const counts = await queue.getJobCounts();
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    );
  }

  /** A gauge computed on each scrape; registered once per registry. */
  private gauge(name: string, help: string, labelNames: string[], collect: (this: Gauge) => Promise<void>): void {
    if (this.registry.registry.getSingleMetric(name)) return;
    new Gauge({ name, help, labelNames, registers: [this.registry.registry], collect });
  }
}
