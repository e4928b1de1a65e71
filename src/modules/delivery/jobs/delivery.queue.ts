import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobOptions, Queue } from 'bull';
import { TypedProducer } from '../../../common/queue/typed-producer';
import { Settings } from '../../../config/settings';

export const DELIVERY_QUEUE = 'deliveries';

export const DELIVERY_JOBS = { deliver: 'delivery.deliver' } as const;

/**
 * `step` is `<generation>.<n>`: the job of a notification's n-th wait (a retry, a rate-limit slot, the
 * end of quiet hours) in its n-th enqueueing (resuming a paused run starts a new generation). The job id
 * is the notification id and the step, so re-enqueueing the same step is a no-op.
 */
export interface DeliveryJobs extends Record<string, object> {
  [DELIVERY_JOBS.deliver]: { notificationId: string; step: string };
}

/** The step after `step` in the same generation. */
export function nextStepId(step: string): string {
  const [generation, n] = step.split('.').map(Number);
  return `${generation}.${(Number.isFinite(n) ? n : 0) + 1}`;
}

const delayUntil = (at: Date | undefined) => (at ? { delay: Math.max(0, at.getTime() - Date.now()) } : {});

/** The delivery queue's producer: one job per notification and step, never one per retry of Bull's own. */
@Injectable()
export class DeliveryProducer extends TypedProducer<DeliveryJobs> {
  private readonly options: JobOptions;

  constructor(@InjectQueue(DELIVERY_QUEUE) queue: Queue, config: ConfigService<Settings, true>) {
    super(queue);
    const delivery = config.get('delivery', { infer: true });
    // Bull's retries only cover unexpected errors (a database blip); provider failures are retried as new steps.
    this.options = {
      attempts: delivery.jobAttempts,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    };
  }

  /** Enqueues one notification's step, to run at `at` (now when absent). */
  async enqueue(notificationId: string, step: string, at?: Date): Promise<void> {
    await this.add(DELIVERY_JOBS.deliver, { notificationId, step }, `${notificationId}:${step}`, {
      ...this.options,
      ...delayUntil(at),
    });
  }

  /** Enqueues many notifications' first step of `generation` in one round trip. */
  async enqueueMany(items: ReadonlyArray<{ notificationId: string; at?: Date }>, generation = 0): Promise<void> {
    const step = `${generation}.0`;
    await this.addBulk(
      DELIVERY_JOBS.deliver,
      items.map(({ notificationId, at }) => ({
        payload: { notificationId, step },
        jobId: `${notificationId}:${step}`,
        options: { ...this.options, ...delayUntil(at) },
      })),
    );
  }
}
