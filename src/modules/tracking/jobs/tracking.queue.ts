import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bull';
import { TypedProducer } from '../../../common/queue/typed-producer';

export const TRACKING_QUEUE = 'tracking';

export const TRACKING_JOBS = { settlePendingConversions: 'tracking.settle-pending-conversions' } as const;

export interface TrackingJobs extends Record<string, object> {
  [TRACKING_JOBS.settlePendingConversions]: Record<string, never>;
}

/** The tracking queue's producer: the scheduler registers the pending-conversions sweep, once however many schedulers. */
@Injectable()
export class TrackingProducer extends TypedProducer<TrackingJobs> {
  constructor(@InjectQueue(TRACKING_QUEUE) queue: Queue) {
    super(queue);
  }

  schedulePendingConversions(cron: string): Promise<void> {
    return this.scheduleRepeatable(TRACKING_JOBS.settlePendingConversions, {}, cron);
  }
}
