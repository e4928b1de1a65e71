import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { RankingProducer } from '../ranking/jobs/ranking.queue';

/** Registers the ranker retrain cron as a Bull repeatable job; a worker runs the retrain and its gate. */
@Injectable()
export class RankingScheduleService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RankingScheduleService.name);

  constructor(
    private readonly producer: RankingProducer,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const ranking = this.config.get('ranking', { infer: true });
    if (!ranking.scheduleEnabled) return;
    await this.producer.scheduleRetrain(ranking.retrainCron);
    this.logger.log(`ranker retrain schedule: "${ranking.retrainCron}"`);
  }
}
