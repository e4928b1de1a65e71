import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, Queue } from 'bull';
import { Settings } from '../../../config/settings';
import { NotificationBatchDelivery } from '../notification-batch-delivery.service';
import { NotificationDeliveryService } from '../notification-delivery.service';
import { StrandedDeliveries } from '../stranded-deliveries';
import { batchKey, DELIVERY_JOBS, DELIVERY_QUEUE, DeliveryProducer, generationOf, nextStepId } from './delivery.queue';

function parseStep(data: Record<string, unknown>): string {
  if (typeof data.step !== 'string' || !/^\d+\.\d+$/.test(data.step)) {
    throw new Error('job payload: step must be <generation>.<n>');
  }
  return data.step;
}

function parse(job: Job): { notificationId: string; step: string; origin?: string } {
  const data = job.data as Record<string, unknown>;
  if (typeof data.notificationId !== 'string' || data.notificationId.length === 0) {
    throw new Error('job payload: notificationId must be a non-empty string');
  }
  if (data.origin !== undefined && (typeof data.origin !== 'string' || !/^[0-9a-f]+$/.test(data.origin))) {
    throw new Error('job payload: origin must be a batch key');
  }
  return { notificationId: data.notificationId, step: parseStep(data), origin: data.origin };
}

function parseBatch(job: Job): { notificationIds: string[]; step: string } {
  const data = job.data as Record<string, unknown>;
  const ids = data.notificationIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id.length > 0)) {
    throw new Error('job payload: notificationIds must be a non-empty array of non-empty strings');
  }
  return { notificationIds: ids as string[], step: parseStep(data) };
}

/**
 * The delivery worker: parses the job, lets the service take the notification one step, and enqueues
 * the next step when the service asks to run again later (a retry, a slot, the end of quiet hours).
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeliveryProcessor.name);

  constructor(
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    private readonly delivery: NotificationDeliveryService,
    private readonly batch: NotificationBatchDelivery,
    private readonly producer: DeliveryProducer,
    private readonly stranded: StrandedDeliveries,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  onApplicationBootstrap(): void {
    const { concurrency } = this.config.get('delivery', { infer: true });
    this.queue.on('failed', (job: Job, error: Error) => {
      if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
      const data = job.data as { notificationId?: string; notificationIds?: string[] };
      if (job.name === DELIVERY_JOBS.redeliverStranded) {
        // Nothing is left undone: the next sweep reads the same messages again.
        this.logger.error({ message: `sweep of stranded messages failed: ${error.message}`, jobId: job.id });
        return;
      }
      // The notification stays queued: the sweep of stranded messages gives it a job after DELIVERY_STRANDED_AFTER_MS.
      this.logger.error({
        message: `delivery job gave up: ${error.message}`,
        jobId: job.id,
        notificationId: data.notificationId ?? data.notificationIds?.join(','),
      });
    });
    this.queue
      .process(DELIVERY_JOBS.deliver, concurrency, (job: Job) => this.deliver(job))
      .catch((error: unknown) => this.logger.error(`delivery worker stopped: ${(error as Error).message}`));
    // A batch job sends up to `concurrency` messages at once itself; a few of them keep the worker busy.
    this.queue
      .process(DELIVERY_JOBS.deliverBatch, Math.max(2, Math.ceil(concurrency / 4)), (job: Job) =>
        this.deliverBatch(job),
      )
      .catch((error: unknown) => this.logger.error(`delivery worker stopped: ${(error as Error).message}`));
    this.queue
      .process(DELIVERY_JOBS.redeliverStranded, 1, () => this.stranded.redeliver())
      .catch((error: unknown) => this.logger.error(`delivery worker stopped: ${(error as Error).message}`));
  }

  private async deliverBatch(job: Job): Promise<void> {
    const { notificationIds, step } = parseBatch(job);
    const outcomes = await this.batch.deliverMany(notificationIds, generationOf(step));
    // The later steps carry the batch's key: a one-by-one job of the same notification has steps of its own.
    const origin = batchKey(notificationIds);
    for (const [notificationId, outcome] of outcomes) {
      if (outcome.kind === 'again') await this.producer.enqueue(notificationId, nextStepId(step), outcome.at, origin);
    }
  }

  private async deliver(job: Job): Promise<void> {
    const { notificationId, step, origin } = parse(job);
    const outcome = await this.delivery.deliver(notificationId, generationOf(step));
    if (outcome.kind === 'again') {
      this.logger.debug({
        message: `again at ${outcome.at.toISOString()} (${outcome.why})`,
        notificationId,
        jobId: job.id,
      });
      await this.producer.enqueue(notificationId, nextStepId(step), outcome.at, origin);
    }
  }
}
