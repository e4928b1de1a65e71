import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { DeliveryMetrics } from './delivery.metrics';
import type { RunGate } from './domain/delivery-step';
import { DeliveryProducer } from './jobs/delivery.queue';
import { NotificationLifecycle } from './notification-lifecycle';
import { NotificationRepository, StrandedNotification } from './notification.repository';

/** Notifications read, enqueued and marked at a time. */
const PAGE_SIZE = 500;

/** What one sweep of stranded messages did. */
export interface StrandedSweep {
  /** Messages given a delivery job again. */
  redelivered: number;
  /** Overdue messages of paused runs, left parked: resuming the run enqueues them. */
  parked: number;
  /** The queue was more than the grace behind, so overdue messages may still have their jobs: nothing was read. */
  behind: boolean;
}

/**
 * The safety net of the delivery queue. A queued message is sent only by its delivery job in Redis; a job lost
 * with Redis's data, or given up on by Bull after its attempts (a database outage), leaves the message queued
 * (or its lapsed attempt untaken) for good, and its run running. The sweep gives every message overdue by
 * DELIVERY_STRANDED_AFTER_MS a job of its own, and the state machine does the rest: it sends, waits, parks or
 * settles it, and a message whose old job turns up after all is still sent once, since every send is claimed.
 *
 * A message is given a job at most once per grace period, so one merely slow to go (a campaign's rate limit
 * holding it longer than the grace) gains no more than a job per period; and while the queue itself is more
 * than the grace behind, an overdue message may simply be waiting its turn, so the sweep waits too.
 */
@Injectable()
export class StrandedDeliveries {
  private readonly logger = new Logger(StrandedDeliveries.name);
  private readonly graceMs: number;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly lifecycle: NotificationLifecycle,
    private readonly producer: DeliveryProducer,
    private readonly metrics: DeliveryMetrics,
    config: ConfigService<Settings, true>,
  ) {
    this.graceMs = config.get('delivery', { infer: true }).strandedAfterMs;
  }

  /** Gives a delivery job to every message overdue by the grace at `now`, but those of paused runs. */
  async redeliver(now = new Date()): Promise<StrandedSweep> {
    const cut = new Date(now.getTime() - this.graceMs);
    const sweep: StrandedSweep = { redelivered: 0, parked: 0, behind: false };
    const waitingSince = await this.producer.waitingSince();
    if (waitingSince && waitingSince.getTime() < cut.getTime()) return { ...sweep, behind: true };
    // Each run read once, from the database: its jobs carry its current generation (see enqueueStranded).
    const states = new Map<string, { gate: RunGate; generation: number }>();
    const runIds = new Set<string>();
    for await (const page of this.notifications.findStranded(cut, PAGE_SIZE)) {
      const due: Array<StrandedNotification & { generation: number }> = [];
      for (const notification of page) {
        const { runId } = notification;
        let run = states.get(runId);
        if (!run) states.set(runId, (run = await this.lifecycle.current(runId)));
        if (run.gate === 'paused') sweep.parked += 1;
        else due.push({ ...notification, generation: run.generation });
      }
      await this.producer.enqueueStranded(due);
      await this.notifications.markRedelivered(
        due.map((n) => n.notificationId),
        now,
      );
      for (const n of due) {
        runIds.add(n.runId);
        this.metrics.count('redelivered', { campaignId: n.campaignId, channel: n.channel, reason: n.state });
      }
      sweep.redelivered += due.length;
    }
    if (sweep.redelivered > 0) {
      this.logger.warn({
        message: `${sweep.redelivered} overdue messages had no delivery job (lost with Redis, or given up on): enqueued again`,
        runIds: [...runIds].slice(0, 20),
      });
    }
    return sweep;
  }
}
