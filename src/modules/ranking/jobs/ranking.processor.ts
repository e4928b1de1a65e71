import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Job } from 'bull';
import { Settings } from '../../../config/settings';
import { RankerTrainingService, retrainSummary, RetrainSummary } from '../ranker-training.service';
import { RANKING_JOBS, RANKING_QUEUE } from './ranking.queue';

/** Runs ranker retrains; the work and the promotion gate live in RankerTrainingService. */
@Processor(RANKING_QUEUE)
export class RankingProcessor {
  private readonly logger = new Logger(RankingProcessor.name);

  constructor(
    private readonly training: RankerTrainingService,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  @Process(RANKING_JOBS.retrain)
  async handleRetrain(job: Job): Promise<RetrainSummary> {
    this.logger.log(`ranker retrain started (job ${job.id})`);
    return retrainSummary(await this.training.retrain(new Date(), this.config.get('ranking', { infer: true })));
  }
}
