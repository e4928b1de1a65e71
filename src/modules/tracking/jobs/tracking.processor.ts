import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { Job } from 'bull';
import { ConversionsService, PendingSweep } from '../conversions.service';
import { TRACKING_JOBS, TRACKING_QUEUE } from './tracking.queue';

/** Runs the scheduled sweep of pending conversions; the work lives in ConversionsService. */
@Processor(TRACKING_QUEUE)
export class TrackingProcessor {
  private readonly logger = new Logger(TrackingProcessor.name);

  constructor(private readonly conversions: ConversionsService) {}

  @Process(TRACKING_JOBS.settlePendingConversions)
  async handleSettlePendingConversions(job: Job): Promise<PendingSweep> {
    const sweep = await this.conversions.settlePending(new Date());
    if (sweep.settled + sweep.failed > 0) {
      this.logger.log({ message: 'pending conversions swept', jobId: job.id, ...sweep });
    }
    return sweep;
  }
}
