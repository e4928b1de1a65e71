import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job, JobOptions, Queue } from 'bull';
import { createHash, randomUUID } from 'node:crypto';
import { TypedProducer } from '../../../common/queue/typed-producer';
import { Settings } from '../../../config/settings';

export const DELIVERY_QUEUE = 'deliveries';

export const DELIVERY_JOBS = {
  deliver: 'delivery.deliver',
  deliverBatch: 'delivery.deliver-batch',
  /** Gives a delivery job again to messages whose own was lost (a repeatable job: the queue's safety net). */
  redeliverStranded: 'delivery.redeliver-stranded',
} as const;

/**
 * `step` is `<generation>.<n>`: the job of a notification's n-th wait (a retry, a rate-limit slot, the
 * end of quiet hours) in its n-th enqueueing (resuming a paused run starts a new generation). The job id
 * is the notification id and the step, so re-enqueueing the same step while its job waits is a no-op (once
 * that job has finished, the step gets an id of its own: see `enqueue`). `origin` is the key of
 * the batch job the steps follow from ({@link batchKey}): a notification can be in a batch job and in a
 * one-by-one job of the same generation (a fan-out shard run again, grouped otherwise), whose steps are
 * counted alike, and a step of one must not take the id of the other's (Bull drops an add whose id
 * another job has, even a finished one, and the notification would be left without a job). A job enqueued
 * sooner than the one waiting for its notification has a fresh key of its own as `origin` (`enqueueSooner`).
 */
export interface DeliveryJobs extends Record<string, object> {
  [DELIVERY_JOBS.deliver]: { notificationId: string; step: string; origin?: string };
  /** The same first step for several notifications; each one's later steps are jobs of their own. */
  [DELIVERY_JOBS.deliverBatch]: { notificationIds: string[]; step: string };
  [DELIVERY_JOBS.redeliverStranded]: Record<string, never>;
}

/** The step after `step` in the same generation. */
export function nextStepId(step: string): string {
  const [generation, n] = step.split('.').map(Number);
  return `${generation}.${(Number.isFinite(n) ? n : 0) + 1}`;
}

/** The run generation a step belongs to (the requeue that enqueued its first step). */
export function generationOf(step: string): number {
  return Number(step.split('.')[0]);
}

/** The key of a batch job's notifications (its job id's digest), which its notifications' later steps carry. */
export function batchKey(notificationIds: readonly string[]): string {
  return createHash('sha1').update(notificationIds.join('\n')).digest('hex');
}

/** The id of a notification's step, within the steps that follow from `origin` (a batch job's key). */
const stepJobId = (notificationId: string, step: string, origin?: string) =>
  origin ? `${notificationId}:${origin}:${step}` : `${notificationId}:${step}`;

/** A key no other job's steps carry, for a job of its own beside (or instead of) a notification's other jobs. */
const freshOrigin = () => randomUUID().replaceAll('-', '');

const delayUntil = (at: Date | undefined) => (at ? { delay: Math.max(0, at.getTime() - Date.now()) } : {});

/** The delivery queue's producer: one job per notification and step, never one per retry of Bull's own. */
@Injectable()
export class DeliveryProducer extends TypedProducer<DeliveryJobs> {
  private readonly options: JobOptions;
  /** Notifications a batch job carries at most (due at the same moment, from one fan-out chunk or requeue page). */
  private readonly batchSize: number;

  constructor(@InjectQueue(DELIVERY_QUEUE) queue: Queue, config: ConfigService<Settings, true>) {
    super(queue);
    const delivery = config.get('delivery', { infer: true });
    this.batchSize = delivery.batchSize;
    // Bull's retries only cover unexpected errors (a database blip); provider failures are retried as new steps.
    this.options = {
      attempts: delivery.jobAttempts,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    };
  }

  /**
   * Enqueues one notification's step, to run at `at` (now when absent); `origin` as in {@link DeliveryJobs}.
   * The same step enqueued again while its job waits is a no-op. Under the id of a step's job that has
   * already finished, it gets an id of its own: a job run again by Bull (stalled, or retried after an error)
   * can take over the notification from the step after it, which then ends with nothing to do, and the
   * re-run's own next step would be dropped under that finished job's id, leaving the notification queued
   * with no job to send it.
   */
  async enqueue(notificationId: string, step: string, at?: Date, origin?: string): Promise<void> {
    const payload = { notificationId, step, ...(origin && { origin }) };
    const id = stepJobId(notificationId, step, origin);
    const jobId = await this.idPastFinished(DELIVERY_JOBS.deliver, id, 'after');
    await this.add(DELIVERY_JOBS.deliver, payload, jobId, { ...this.options, ...delayUntil(at) });
  }

  /**
   * Enqueues a job of its own for the notification, to run at `at`, beside the job that waits for it: for a
   * notification that became due sooner than that job runs. Its steps carry a fresh key, so no id of the
   * notification's other jobs is taken; two jobs running it are harmless, since every send is claimed.
   */
  async enqueueSooner(notificationId: string, at: Date): Promise<void> {
    const origin = freshOrigin();
    await this.add(
      DELIVERY_JOBS.deliver,
      { notificationId, step: '0.0', origin },
      stepJobId(notificationId, '0.0', origin),
      { ...this.options, ...delayUntil(at) },
    );
  }

  /**
   * Enqueues a job of its own, due now, for each of these notifications, whose job was lost: like
   * {@link enqueueSooner}, with fresh keys, since a lost job's id may still be held by its finished (failed) job
   * and Bull would drop the add. Each job's step is of the `generation` given with its notification, its run's
   * current one: a worker answers a job of a newer generation than its remembered read of the run from a fresh
   * read, so one that read the run before a cancel does not send for it. One round trip.
   */
  async enqueueStranded(items: ReadonlyArray<{ notificationId: string; generation: number }>): Promise<void> {
    await this.addBulk(
      DELIVERY_JOBS.deliver,
      items.map(({ notificationId, generation }) => {
        const origin = freshOrigin();
        const step = `${generation}.0`;
        return {
          payload: { notificationId, step, origin },
          jobId: stepJobId(notificationId, step, origin),
          options: this.options,
        };
      }),
    );
  }

  /** Registers the periodic sweep of stranded messages (one schedule however many register it). */
  scheduleStrandedSweep(cron: string): Promise<void> {
    return this.scheduleRepeatable(DELIVERY_JOBS.redeliverStranded, {}, cron);
  }

  /** Since when the job that has waited longest for a worker has been ready to run; undefined when none waits. */
  async waitingSince(): Promise<Date | undefined> {
    const [oldest] = (await this.queue.getWaiting(0, 0)) as Array<Job | null>;
    return oldest ? new Date(oldest.timestamp + (oldest.opts.delay ?? 0)) : undefined;
  }

  /**
   * Enqueues many notifications' first step of `generation` in one round trip: those due at the same
   * moment in batch jobs of up to DELIVERY_BATCH_SIZE, whose ids come from their notifications (the
   * same batch enqueued again is a no-op; an overlapping one is harmless, since every send is claimed
   * by a conditional write).
   */
  async enqueueMany(items: ReadonlyArray<{ notificationId: string; at?: Date }>, generation = 0): Promise<void> {
    const step = `${generation}.0`;
    const byTime = new Map<number, string[]>();
    const seen = new Set<string>();
    for (const { notificationId, at } of items) {
      if (seen.has(notificationId)) continue;
      seen.add(notificationId);
      const key = at?.getTime() ?? 0;
      const due = byTime.get(key) ?? [];
      due.push(notificationId);
      byTime.set(key, due);
    }
    const singles: Array<{ payload: { notificationId: string; step: string }; jobId: string; options: JobOptions }> =
      [];
    const batches: Array<{ payload: { notificationIds: string[]; step: string }; jobId: string; options: JobOptions }> =
      [];
    for (const [time, ids] of byTime) {
      const options = { ...this.options, ...delayUntil(time === 0 ? undefined : new Date(time)) };
      for (const batch of chunks(ids.sort(), this.batchSize)) {
        if (batch.length === 1) {
          singles.push({ payload: { notificationId: batch[0], step }, jobId: stepJobId(batch[0], step), options });
        } else {
          batches.push({
            payload: { notificationIds: batch, step },
            jobId: `batch:${batchKey(batch)}:${step}`,
            options,
          });
        }
      }
    }
    await this.addBulk(DELIVERY_JOBS.deliver, singles);
    await this.addBulk(DELIVERY_JOBS.deliverBatch, batches);
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
